#!/usr/bin/env bash
# Section 3, inventory: `keyrack keys list --json` against the release emulator seeded with
# 2,000 extra keys per vendor and 50 ms added to every request. The first listing on a fresh
# emulator finds no IBM activity report (it reads IBM's last use per key and asks for one), so
# it is its own row; the main row is the median of the next 3, made once the report is ready,
# beside
#  - the physical floor: the longest chain of requests that must wait for one another, times
#    the latency (scripts/bench/floor.py reads the chain off the emulator's request log), and
#  - the vendors' official SDKs listing the same keys one vendor after another
#    (scripts/bench/sdk_list.py, in the tests/sdk Python environment).
# Prints rows for scripts/bench/table.sh.
#   scripts/bench/inventory.sh [SEED_KEYS] [LATENCY_MS]
set -euo pipefail
source "$(dirname "$0")/../lib.sh"
cd "$ROOT"

seed="${1:-2000}"
latency="${2:-50}"
release="$(cargo_target_dir)/release"
venv="$(cargo_target_dir)/sdk-venv"
work="$(mktemp -d "${TMPDIR:-/tmp}/keyrack-bench-inventory.XXXXXX")"
emulator=""
cleanup() {
  [ -z "$emulator" ] || kill -TERM "$emulator" 2>/dev/null || true
  [ -z "$emulator" ] || wait "$emulator" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
row() { printf 'inventory\t%s\t%s\t%s\t%s\n' "$@"; }
now() { date +%s.%N; }

"$release/keyrack-emulator" --seed-keys "$seed" --latency-ms "$latency" \
  --manifest "$work/manifest.json" >/dev/null 2>"$work/emulator.log" &
emulator=$!
for _ in $(seq 200); do [ -s "$work/manifest.json" ] && break; sleep 0.1; done
[ -s "$work/manifest.json" ] || die "the emulator wrote no manifest: $(cat "$work/emulator.log")"
control="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["control_url"])' "$work/manifest.json")"

# One listing: its seconds on stdout, its request log in requests-$1.json.
list_keys() {
  local start
  curl -fsS -X DELETE "$control/requests" >/dev/null
  start=$(now)
  "$release/keyrack" --sandbox-manifest "$work/manifest.json" keys list --json >"$work/keys.json"
  awk -v a="$start" -v b="$(now)" 'BEGIN { printf "%.3f", b - a }'
  curl -fsS "$control/requests" >"$work/requests-$1.json"
}
count_requests() { python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["requests"]))' "$1"; }

first="$(list_keys first)"
first_requests="$(count_requests "$work/requests-first.json")"
# The emulator makes the report the first listing asked for in 1 s (DEFAULT_REPORT_DELAY_MS).
sleep 1.5
times=()
for run in 1 2 3; do
  times+=("$(list_keys "$run")")
done
keys="$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["keys"]))' "$work/keys.json")"
median="$(printf '%s\n' "${times[@]}" | sort -n | sed -n 2p)"
# The floor, and the span and request count of the median run's log.
median_run=$(for i in 0 1 2; do echo "${times[$i]} $((i + 1))"; done | sort -n | sed -n 2p | cut -d' ' -f2)
read -r floor_s chain requests < <(python3 "$ROOT/scripts/bench/floor.py" "$work/requests-$median_run.json" "$latency")

[ -x "$venv/bin/python" ] || die "no SDK environment at $venv: scripts/bench.sh installs it"
curl -fsS -X DELETE "$control/requests" >/dev/null
sdk="$("$venv/bin/python" "$ROOT/scripts/bench/sdk_list.py" "$work/manifest.json")"
sdk_s="$(python3 -c 'import json,sys; print("%.3f" % json.loads(sys.argv[1])["seconds"])' "$sdk")"
sdk_keys="$(python3 -c 'import json,sys; print(sum(json.loads(sys.argv[1])["keys"].values()))' "$sdk")"

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f×", a / b }'; }
row "first listing, no activity report yet (IBM read per key)" "${first} s" \
  "$first_requests requests" ""
row "keyrack keys list --json ($keys keys, $latency ms/request, median of 3)" "${median} s" \
  "runs ${times[*]} s; $requests requests" ""
row "physical floor: $chain dependent round trips × $latency ms" "${floor_s} s" \
  "keyrack / floor (target ≤ 1.2×)" "$(ratio "$median" "$floor_s")"
row "official SDKs, one vendor after another ($sdk_keys keys)" "${sdk_s} s" \
  "SDKs / keyrack (target ≥ 3.5×)" "$(ratio "$sdk_s" "$median")"
