#!/usr/bin/env bash
# `make bench`: builds what the benchmarks run (the release app, CLI, emulator and the anchor
# app bench/anchor, the WebDriver bench driver, the SDK environment), runs every section and
# prints one table. Figures only: nothing here passes or fails on a timing. See README
# "Benchmarks" for how to read the table. Not part of `make test`.
#   scripts/bench.sh                  every section
#   scripts/bench.sh size inventory   only these (start, ui, inventory, size; memory comes with start)
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

sections=("$@")
[ ${#sections[@]} -gt 0 ] || sections=(start ui inventory size)
for s in "${sections[@]}"; do
  case "$s" in start|ui|inventory|size) ;; *) die "unknown section $s (start, ui, inventory, size)" ;; esac
done

"$ROOT/scripts/setup.sh" test
build_ui
target="$(cargo_target_dir)"
say "building release: the keyrack CLI and the emulator"
cargo build --release --locked -p keyrack-cli -p keyrack-emulator
# Both apps in one build with the feature the bundler turns on (assets served from the binary),
# so Tauri is compiled once for both, as the packages have it.
say "building release: the app (with its UI embedded) and the anchor app"
cargo build --release --locked -p keyrack -p keyrack-bench-anchor --features tauri/custom-protocol
say "building the WebDriver bench driver"
cargo build --locked -p keyrack-e2e --example bench_ui

# The vendors' official Python clients, pinned as tests/sdk has them (inventory only).
venv="$target/sdk-venv"
want="$(sha256sum tests/sdk/requirements.txt | cut -d' ' -f1)"
if [[ " ${sections[*]} " == *" inventory "* ]] && [ "$(cat "$venv/.keyrack-requirements" 2>/dev/null)" != "$want" ]; then
  say "installing the official SDKs into $venv"
  [ -x "$venv/bin/python" ] || python3 -m venv "$venv"
  "$venv/bin/python" -m pip install --disable-pip-version-check --no-input -q -r tests/sdk/requirements.txt
  echo "$want" >"$venv/.keyrack-requirements"
fi

rows="$(mktemp "${TMPDIR:-/tmp}/keyrack-bench-rows.XXXXXX")"
trap 'rm -f "$rows"' EXIT
for s in "${sections[@]}"; do
  say "bench: $s"
  case "$s" in
    start | ui) "$ROOT/scripts/with-session.sh" "$ROOT/scripts/bench/$s.sh" | tee -a "$rows" ;;
    *) "$ROOT/scripts/bench/$s.sh" | tee -a "$rows" ;;
  esac
done
printf '\n'
python3 "$ROOT/scripts/bench/table.py" <"$rows"
