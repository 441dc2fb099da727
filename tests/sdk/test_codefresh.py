"""Codefresh through the official `codefresh` npm CLI, unchanged, driven as a subprocess.

Every command gets its own `--cfconfig` (a temp file), so the developer's ~/.cfconfig is
never read or written. The CLI validates the key (`GET /api/user`) before every command.
"""

import json
import os
import re
import subprocess
import tempfile

from harness import Suite, add_fault, clear_faults, manifest, requests_log

m = manifest("codefresh")
suite = Suite("codefresh")
s = suite.state
CLI = os.environ.get("KEYRACK_SDK_CODEFRESH")
if not CLI:
    raise SystemExit("KEYRACK_SDK_CODEFRESH is not set: run tests/sdk/run.sh")
# The CLI stores the host and appends /api itself.
HOST = m["base_url"].removesuffix("/api")
workdir = tempfile.mkdtemp(prefix="keyrack-sdk-codefresh-")
admin_config = os.path.join(workdir, "admin.cfconfig")
# A HOME of its own: nothing may fall back to the developer's ~/.cfconfig.
ENV = {**os.environ, "HOME": workdir, "NO_COLOR": "1", "FORCE_COLOR": "0"}
ENV.pop("CF_API_KEY", None)
ENV.pop("CF_URL", None)


def cf(*args, config=admin_config, env=None, check=True):
    cmd = [CLI, *args] + (["--cfconfig", config] if config else [])
    done = subprocess.run(
        cmd, env=env or ENV, capture_output=True, text=True, timeout=120, check=False
    )
    if check and done.returncode != 0:
        raise AssertionError(
            f"{' '.join(args)} exited {done.returncode}\n{done.stdout}\n{done.stderr}"
        )
    return done


def tokens(*filters, config=admin_config):
    return json.loads(cf("get", "tokens", *filters, "-o", "jsonArray", config=config).stdout)


def created_token(output):
    """`codefresh create token` prints `Token created:` then the bare token."""
    lines = output.strip().splitlines()
    assert lines[0] == "Token created:", output
    token = lines[-1].strip()
    assert re.fullmatch(r"[0-9a-f]{24}\.\S+", token), token
    return token


@suite.step
def create_context_validates_the_key_and_writes_cfconfig():
    out = cf("auth", "create-context", "--api-key", m["api_key"], "--url", HOST).stdout
    assert "Created new context: default" in out, out
    with open(admin_config, encoding="utf-8") as f:
        text = f.read()
    assert "type: APIKey" in text and "current-context: default" in text, text
    assert HOST in text
    assert "/api" not in text.split("url:")[1].splitlines()[0], "the CLI stores the bare host"
    assert os.path.getsize(admin_config) > 0


@suite.step
def current_context_is_the_new_one():
    out = cf("auth", "current-context").stdout
    assert "default" in out, out


@suite.step
def get_tokens_lists_the_admin_key():
    listed = tokens()
    admin_id = m["api_key"].split(".")[0]
    admin = [t for t in listed if t["id"] == admin_id]
    assert len(admin) == 1, [t["id"] for t in listed]
    assert m["api_key"].startswith(admin[0]["token_prefix"])
    for t in listed:
        assert t["name"] and t["created"] and isinstance(t["scopes"], list), t
    s["count"] = len(listed)
    table = cf("get", "tokens").stdout
    assert table.splitlines()[0].split()[:3] == ["ID", "NAME", "TOKEN_PREFIX"], table


@suite.step
def create_token_with_scopes():
    token = created_token(cf("create", "token", "sdk-token", "-s", "pipeline", "-s", "project").stdout)
    s["token"] = token
    s["id"] = token.split(".")[0]
    [t] = tokens("sdk-token")
    assert t["id"] == s["id"]
    assert t["scopes"] == ["pipeline", "project"]
    assert token.startswith(t["token_prefix"])
    assert t["subject_type"] == "user"


@suite.step
def new_token_is_a_working_context():
    own = os.path.join(workdir, "own.cfconfig")
    cf("auth", "create-context", "mine", "--api-key", s["token"], "--url", HOST, config=own)
    assert s["id"] in [t["id"] for t in tokens(config=own)]
    s["own_config"] = own


@suite.step
def env_vars_instead_of_a_cfconfig():
    env = {**ENV, "CF_API_KEY": s["token"], "CF_URL": HOST}
    out = cf("get", "tokens", s["id"], "-o", "id", config=None, env=env).stdout
    assert out.strip() == s["id"], out


@suite.step
def patch_replaces_name_and_scopes():
    out = cf("patch", "token", s["id"], "--name", "sdk-renamed", "-s", "view").stdout
    assert f"Token {s['id']} updated" in out, out
    [t] = tokens(s["id"])
    assert t["name"] == "sdk-renamed" and t["scopes"] == ["view"]


@suite.step
def create_token_without_scopes_like_the_cli_example():
    # `codefresh create token some-token` is the CLI's own first example; it sends `scopes: []`.
    token = created_token(cf("create", "token", "sdk-default").stdout)
    [t] = tokens(token.split(".")[0])
    assert t["name"] == "sdk-default" and t["scopes"] == []
    cf("delete", "token", t["id"])


@suite.step
def create_runtime_environment_token():
    token = created_token(
        cf("create", "token", "sdk-runner", "--type", "runtime-environment",
           "--subject", "sdk-cluster/ns", "-s", "runner-installation").stdout
    )
    [t] = tokens(token.split(".")[0])
    assert t["subject_type"] == "runtime-environment" and t["subject"] == "sdk-cluster/ns"
    cf("delete", "token", t["id"])


@suite.step
def cli_retries_a_503():
    add_fault({"vendor": "codefresh", "path_prefix": "/api/auth/keys", "kind": "status",
               "status": 503, "count": 1})
    try:
        assert s["id"] in [t["id"] for t in tokens()]
    finally:
        clear_faults()
    seen = [r["status"] for r in requests_log() if r["path"] == "/api/auth/keys"]
    assert seen[-2:] == [503, 200], seen


@suite.step
def delete_revokes_the_token():
    out = cf("delete", "token", s["id"]).stdout
    assert f"Deleted token: '{s['id']}'" in out, out
    assert s["id"] not in [t["id"] for t in tokens()]
    assert len(tokens()) == s["count"]
    # A revoked key gets a 401, which the CLI reports as a broken authentication context.
    done = cf("get", "tokens", config=s["own_config"], check=False)
    said = (done.stdout + done.stderr).lower()
    assert done.returncode != 0, done.stdout
    assert "authentication context" in said or "not valid" in said, said


@suite.step
def create_context_refuses_an_unknown_key():
    bad = os.path.join(workdir, "bad.cfconfig")
    done = cf("auth", "create-context", "--api-key", "0" * 24 + ".nope", "--url", HOST,
              config=bad, check=False)
    assert done.returncode != 0, done.stdout


suite.run()
