#!/usr/bin/env bash
# The README's test command: install what is missing, then every check CI runs.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

"$ROOT/scripts/setup.sh" test
# The app embeds ui/dist at compile time, so the UI is built before any cargo command.
build_ui

say "cargo fmt"
cargo fmt --all --check
say "cargo clippy"
cargo clippy --workspace --all-targets -- -D warnings
say "cargo test (in a desktop session with a real Secret Service)"
# The keychain tests fail (instead of skipping) if the session has no usable Secret Service.
KEYRACK_REQUIRE_KEYCHAIN=1 "$ROOT/scripts/with-session.sh" cargo test --workspace --exclude keyrack-e2e
bash "$ROOT/tests/sdk/run.sh"  # the vendors' official clients against the emulator

say "UI: type-check, lint, unit tests"
(cd ui && npm run --silent check && npm run --silent lint && npm test --silent)

"$ROOT/scripts/e2e.sh"
say "all checks passed"
