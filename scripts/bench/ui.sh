#!/usr/bin/env bash
# Section 4, the UI at 10,000 keys: seeds a sandbox state with the release emulator (2,000 extra
# keys per vendor), then runs tests/e2e/examples/bench_ui.rs, which starts the release app on
# it through WebKitWebDriver and times typing, sorting, scrolling and refreshing in the page.
# Needs an X session: scripts/bench.sh runs it in with-session.sh.
# Prints rows for scripts/bench/table.sh.
#   scripts/bench/ui.sh [SEED_KEYS]
set -euo pipefail
source "$(dirname "$0")/../lib.sh"
cd "$ROOT"

seed="${1:-2000}"
target="$(cargo_target_dir)"
work="$(mktemp -d "${TMPDIR:-/tmp}/keyrack-bench-ui.XXXXXX")"
trap 'rm -rf "$work"' EXIT
for bin in release/keyrack-emulator release/keyrack-app debug/examples/bench_ui; do
  [ -x "$target/$bin" ] || die "$target/$bin is missing: scripts/bench.sh builds it"
done

# The emulator writes its state file as it starts; the manifest says it is up.
"$target/release/keyrack-emulator" --seed-keys "$seed" --state "$work/state.json" \
  --manifest "$work/manifest.json" >/dev/null 2>"$work/emulator.log" &
emulator=$!
for _ in $(seq 300); do [ -s "$work/manifest.json" ] && break; sleep 0.1; done
kill -TERM "$emulator"
wait "$emulator" || true
[ -s "$work/state.json" ] || die "the emulator wrote no state: $(cat "$work/emulator.log")"

KEYRACK_APP_BIN="$target/release/keyrack-app" "$target/debug/examples/bench_ui" "$work/state.json"
