#!/usr/bin/env bash
# Runs a command in a throwaway desktop session: a virtual X display (Xvfb), a private D-Bus
# session bus and an unlocked gnome-keyring, so GUI code and keychain code run for real.
# The keyring lives in a fresh XDG_DATA_HOME (never HOME: that would hide rustup's toolchain).
#   scripts/with-session.sh cargo test -p keyrack-core
set -euo pipefail
source "$(dirname "$0")/lib.sh"

[ $# -gt 0 ] || die "usage: $0 COMMAND [ARGS...]"

if [ -z "${KEYRACK_IN_SESSION:-}" ]; then
  exec env KEYRACK_IN_SESSION=1 xvfb-run -a -s "-screen 0 1280x860x24" \
    dbus-run-session -- "$0" "$@"
fi

data_home="$(mktemp -d "${TMPDIR:-/tmp}/keyrack-session.XXXXXX")"
trap 'rm -rf "$data_home"' EXIT
export XDG_DATA_HOME="$data_home"
# --unlock reads the password from stdin and makes an unlocked default "login" collection.
printf 'keyrack-test' | gnome-keyring-daemon --unlock --components=secrets --daemonize >/dev/null
"$@"
