"""Tiny shared runner for the SDK conformance scripts: ordered steps, one summary line.

Each vendor script registers lifecycle steps in order with `@suite.step`; a step that fails
is reported with its traceback and the run goes on (later steps that need its result fail
on their own). The last line printed is `N passed, M failed`; the exit code is 1 on failure.
"""

import json
import os
import sys
import traceback
import urllib.request


def _manifest():
    path = os.environ.get("KEYRACK_SDK_MANIFEST")
    if not path:
        sys.exit("KEYRACK_SDK_MANIFEST is not set: run tests/sdk/run.sh")
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def manifest(vendor):
    """The emulator manifest section for `vendor` (run.sh exports the manifest's path)."""
    return _manifest()[vendor]


def _control(method, path, body=None):
    url = _manifest()["control_url"] + path
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, method=method)
    request.add_header("Content-Type", "application/json")
    with urllib.request.urlopen(request, timeout=10) as response:
        text = response.read()
    return json.loads(text) if text else None


def add_fault(rule):
    """Install a fault rule through the emulator's control API (`/__emulator/faults`)."""
    return _control("POST", "/faults", rule)


def clear_faults():
    _control("DELETE", "/faults")


def requests_log():
    """The emulator's request log, oldest first."""
    return _control("GET", "/requests")["requests"]


class Suite:
    def __init__(self, vendor):
        self.vendor = vendor
        self.steps = []
        # Values one step hands to the next (ids, ETags, secrets).
        self.state = {}

    def step(self, fn):
        self.steps.append(fn)
        return fn

    def run(self):
        passed = failed = 0
        for fn in self.steps:
            name = f"{self.vendor}: {fn.__name__}"
            try:
                fn()
            except Exception:  # noqa: BLE001 - every failure is reported, none stops the run
                failed += 1
                print(f"FAIL {name}", flush=True)
                traceback.print_exc(file=sys.stdout)
            else:
                passed += 1
                print(f"ok   {name}", flush=True)
        print(f"{passed} passed, {failed} failed", flush=True)
        sys.exit(1 if failed else 0)


def status_of(exc):
    """The HTTP status an SDK exception carries, whatever the SDK calls the attribute."""
    for attr in ("code", "status", "status_code", "status_code_"):
        value = getattr(exc, attr, None)
        if isinstance(value, int):
            return value
    response = getattr(exc, "response", None)
    return getattr(response, "status_code", None)


def expect_error(status, fn, *args, **kwargs):
    """Call fn and require that the SDK raises an error carrying `status`; return it."""
    try:
        fn(*args, **kwargs)
    except Exception as exc:  # noqa: BLE001 - any SDK exception type, checked below
        got = status_of(exc)
        assert got == status, f"expected HTTP {status}, got {got}: {exc!r}"
        return exc
    raise AssertionError(f"expected HTTP {status}, the call succeeded")
