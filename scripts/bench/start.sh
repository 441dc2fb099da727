#!/usr/bin/env bash
# Sections 1–2, start and memory, for the app and the anchor (bench/anchor: an empty Tauri 2
# app with the same Tauri version, plugins and a tray): exec → window mapped (xdotool polling
# the X server, median of N runs), then the PSS of the app and its WebKit processes after 5 s
# idle (/proc/PID/smaps_rollup). Each run gets a fresh HOME and XDG directories, so the app
# starts its default sandbox. Needs an X session: scripts/bench.sh runs it in with-session.sh.
# Prints rows for scripts/bench/table.sh.
#   scripts/bench/start.sh [RUNS]
set -euo pipefail
source "$(dirname "$0")/../lib.sh"
cd "$ROOT"

runs="${1:-5}"
release="$(cargo_target_dir)/release"
[ -n "${DISPLAY:-}" ] || die "no X display: run through scripts/with-session.sh"
row() { printf '%s\t%s\t%s\t%s\t%s\n' "$@"; }

# Every process under $1 (the app, WebKitWebProcess, WebKitNetworkProcess), $1 first.
tree() {
  echo "$1"
  local child
  for child in $(cat /proc/"$1"/task/*/children 2>/dev/null); do tree "$child"; done
}
pss_kb() { awk '/^Pss:/ { print $2 }' "/proc/$1/smaps_rollup" 2>/dev/null || echo 0; }

# One start of $1 (binary) whose window is titled $2: prints "ms_to_window total_pss_kb web_pss_kb".
one_start() {
  local bin="$1" title="$2" home pid start ms total=0 web=0 p
  home="$(mktemp -d "${TMPDIR:-/tmp}/keyrack-bench-start.XXXXXX")"
  start=$(date +%s%N)
  HOME="$home" XDG_CONFIG_HOME="$home/config" XDG_DATA_HOME="$home/data" \
    XDG_CACHE_HOME="$home/cache" XDG_STATE_HOME="$home/state" MESA_SHADER_CACHE_DISABLE=true \
    "$bin" >/dev/null 2>&1 &
  pid=$!
  ms=""
  for _ in $(seq 3000); do
    if xdotool search --onlyvisible --name "^$title\$" >/dev/null 2>&1; then
      ms=$(( ($(date +%s%N) - start) / 1000000 ))
      break
    fi
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.005
  done
  sleep 5
  for p in $(tree "$pid"); do
    total=$(( total + $(pss_kb "$p") ))
    [ "$(cat "/proc/$p/comm" 2>/dev/null)" != WebKitWebProces ] || web=$(( web + $(pss_kb "$p") ))
  done
  kill -TERM "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  rm -rf "$home"
  [ -n "$ms" ] || die "$bin showed no window titled '$title'"
  echo "$ms $total $web"
}

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

measure() { # binary title → "window_ms total_mb web_mb" (medians)
  local out="" i
  for i in $(seq "$runs"); do out+="$(one_start "$1" "$2")"$'\n'; done
  printf '%s %s %s\n' \
    "$(printf '%s' "$out" | awk '{ print $1 }' | median)" \
    "$(printf '%s' "$out" | awk '{ print $2 }' | median | awk '{ printf "%.0f", $1 / 1024 }')" \
    "$(printf '%s' "$out" | awk '{ print $3 }' | median | awk '{ printf "%.0f", $1 / 1024 }')"
}

read -r app_ms app_mb app_web < <(measure "$release/keyrack-app" Keyrack)
read -r anc_ms anc_mb anc_web < <(measure "$release/keyrack-bench-anchor" "Keyrack bench anchor")
# The first key list needs the page's view: the WebDriver driver launches the app and watches.
# bench_ui prints the medians of the whole and of its parts (see below).
read -r list_ms list_parts < <(KEYRACK_APP_BIN="$release/keyrack-app" \
  "$(cargo_target_dir)/debug/examples/bench_ui" --start "$runs" 2>/dev/null)
# A later launch finds the sandbox its first one saved (its keys made): the emulator writes a
# default sandbox's state as the app's would be.
state_dir="$(mktemp -d "${TMPDIR:-/tmp}/keyrack-bench-state.XXXXXX")"
"$release/keyrack-emulator" --state "$state_dir/state.json" --manifest "$state_dir/manifest.json" >/dev/null 2>&1 &
emulator=$!
for _ in $(seq 300); do [ -s "$state_dir/manifest.json" ] && break; sleep 0.1; done
kill -TERM "$emulator"; wait "$emulator" || true
[ -s "$state_dir/state.json" ] || die "the emulator wrote no sandbox state"
read -r again_ms again_parts < <(BENCH_START_STATE="$state_dir/state.json" \
  KEYRACK_APP_BIN="$release/keyrack-app" "$(cargo_target_dir)/debug/examples/bench_ui" --start "$runs" 2>/dev/null)
rm -rf "$state_dir"
# The anchor launched the same way (WebDriver's own start-up counts in both), to its page painted.
read -r anc_wd_ms anc_parts < <(KEYRACK_APP_BIN="$release/keyrack-bench-anchor" \
  "$(cargo_target_dir)/debug/examples/bench_ui" --start "$runs" '#ready' 2>/dev/null)
[ -n "$list_ms" ] && [ -n "$again_ms" ] && [ -n "$anc_wd_ms" ] || die "a WebDriver start run failed"
# "A B C…" (bench_ui's parts, in order) as "A + B + C… ms".
parts() { awk '{ s = $1; for (i = 2; i <= NF; i++) s = s " + " $i; print s " ms" }' <<<"$1"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f×", a / b }'; }
row start "exec → window mapped (median of $runs)" "$app_ms ms" "anchor $anc_ms ms" "$(ratio "$app_ms" "$anc_ms")"
row start "first launch → first key list painted (a new sandbox, via WebDriver, median of $runs)" "$list_ms ms" \
  "anchor's page painted $anc_wd_ms ms, same launch (target ≤ 1.2× + the list)" "$(ratio "$list_ms" "$anc_wd_ms")"
row start "later launch → first key list painted (the sandbox saved before)" "$again_ms ms" \
  "anchor's page painted $anc_wd_ms ms" "$(ratio "$again_ms" "$anc_wd_ms")"
# Where the later launch's time goes (medians of each part, on the page's clock): the app's
# marks split what follows its page's script; the anchor's page is painted straight after.
row start "  its parts: launch → page starts + page script ran + UI start + accounts read + first listing applied + list painted" \
  "$(parts "$again_parts")" "anchor: page starts + script + painted $(parts "$anc_parts"); first launch $(parts "$list_parts")" ""
row memory "PSS app + WebKit processes, 5 s idle" "$app_mb MB" "anchor $anc_mb MB (target ≤ 1.15×)" \
  "$(ratio "$app_mb" "$anc_mb")"
row memory "PSS WebKit web process alone" "$app_web MB" "anchor $anc_web MB" "$(ratio "$app_web" "$anc_web")"
