#!/usr/bin/env bash
# Starts the built app in a headless session and saves a PNG of the screen, to look at the UI
# without a desktop. The app gets private XDG dirs, so your own data is never touched.
#   scripts/screenshot.sh [out.png] [seconds to wait, default 6]
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

out="$(realpath -m "${1:-target/e2e-artifacts/screenshot.png}")"
wait_s="${2:-6}"
app_bin="$(cargo_target_dir)/debug/keyrack-app"
[ -x "$app_bin" ] || die "build first: make run (or cargo build -p keyrack)"
mkdir -p "$(dirname "$out")"

if [ -z "${KEYRACK_IN_SESSION:-}" ]; then exec "$ROOT/scripts/with-session.sh" "$0" "$out" "$wait_s"; fi

home="$(mktemp -d "${TMPDIR:-/tmp}/keyrack-shot.XXXXXX")"
XDG_CONFIG_HOME="$home/config" XDG_DATA_HOME="$home/data" XDG_CACHE_HOME="$home/cache" \
  "$app_bin" &
app=$!
sleep "$wait_s"
import -window root "$out"
kill -TERM "$app"
wait "$app" || true
rm -rf "$home"
say "saved $out"
