#!/usr/bin/env bash
# Builds the app and runs the end-to-end suite against it in a headless session.
#   scripts/e2e.sh                       every e2e test
#   scripts/e2e.sh shell_renders         tests whose name contains "shell_renders"
# Screenshots land in target/e2e-artifacts/.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

[ -f ui/dist/index.html ] || build_ui
say "building the app"
cargo build -p keyrack
say "end-to-end tests"
# The app is single-instance (a second copy hands over and exits): one app at a time.
"$ROOT/scripts/with-session.sh" cargo test -p keyrack-e2e -- --test-threads=1 "$@"
