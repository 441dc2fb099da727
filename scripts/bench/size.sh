#!/usr/bin/env bash
# Section 5, size: the release binaries as built (profile.release strips them), the anchor
# app beside the app, and the packages when `make package` has made them. Prints rows for
# scripts/bench/table.sh: section, measure, value, reference, ratio.
#   scripts/bench/size.sh
set -euo pipefail
source "$(dirname "$0")/../lib.sh"
cd "$ROOT"

release="$(cargo_target_dir)/release"
mb() { awk -v b="$(stat -c %s "$1")" 'BEGIN { printf "%.1f MB", b / 1e6 }'; }
ratio() { awk -v a="$(stat -c %s "$1")" -v b="$(stat -c %s "$2")" 'BEGIN { printf "%.2f×", a / b }'; }
row() { printf 'size\t%s\t%s\t%s\t%s\n' "$@"; }

for bin in keyrack-app keyrack keyrack-bench-anchor; do
  [ -x "$release/$bin" ] || die "$release/$bin is missing: scripts/bench.sh builds it"
  # A binary with symbols left would make the figures meaningless.
  if file -L "$release/$bin" | grep -q 'not stripped'; then die "$release/$bin is not stripped"; fi
done
row "keyrack-app (stripped)" "$(mb "$release/keyrack-app")" \
  "anchor $(mb "$release/keyrack-bench-anchor"); target ≤ 15 MB" "$(ratio "$release/keyrack-app" "$release/keyrack-bench-anchor")"
row "keyrack CLI (stripped)" "$(mb "$release/keyrack")" "" ""
for pkg in target/package/*.deb target/package/*.rpm; do
  [ -f "$pkg" ] && row "package $(basename "$pkg")" "$(mb "$pkg")" "" ""
done
true
