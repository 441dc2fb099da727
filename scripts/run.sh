#!/usr/bin/env bash
# The README's run command: install what is missing, build the UI and the app, start Keyrack.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

"$ROOT/scripts/setup.sh" run
build_ui
say "building Keyrack"
cargo build -p keyrack
if [ -z "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
  die "no display (DISPLAY/WAYLAND_DISPLAY unset): run it from a desktop session, or headless with scripts/screenshot.sh"
fi
say "starting Keyrack"
exec "$ROOT/target/debug/keyrack-app" "$@"
