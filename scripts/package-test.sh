#!/usr/bin/env bash
# Tests the packages the way a user gets them: installs the .deb with apt-get (so its declared
# dependencies resolve), runs the installed CLI and app, validates the desktop entry, then purges
# the package and checks nothing of it is left. The .rpm's file list is checked with rpm -qlp.
# Builds the packages first when they are missing (scripts/package.sh); after a change, run
# `make package` again. Needs root or sudo; refuses to replace a keyrack package already there.
#   scripts/package-test.sh [shot.png]   screenshot of the installed app, by default
#                                        target/e2e-artifacts/installed-app.png
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

# The files both packages must hold, besides the desktop entry (checked on its own).
EXPECTED=(
  /usr/bin/keyrack-app
  /usr/bin/keyrack
  /usr/share/bash-completion/completions/keyrack
  /usr/share/fish/vendor_completions.d/keyrack.fish
  /usr/share/man/man1/keyrack.1.gz
)
for size in 32 48 64 128 256 512; do
  EXPECTED+=("/usr/share/icons/hicolor/${size}x${size}/apps/keyrack-app.png")
done
DESKTOP=/usr/share/applications/Keyrack.desktop

# --- Part 2: the installed app in a headless session (run through with-session.sh below). ---
if [ "${1:-}" = --app-in-session ]; then
  shot="$2"
  home="$(mktemp -d "${TMPDIR:-/tmp}/keyrack-installed.XXXXXX")"
  XDG_CONFIG_HOME="$home/config" XDG_DATA_HOME="$home/data" XDG_CACHE_HOME="$home/cache" \
    XDG_STATE_HOME="$home/state" /usr/bin/keyrack-app >"$home/app.log" 2>&1 &
  app=$!
  # wait reports the TERM as 143: not a failure here (set -e applies inside traps too).
  trap 'kill -TERM "$app" 2>/dev/null; wait "$app" 2>/dev/null || true; rm -rf "$home"' EXIT
  window=""
  for _ in $(seq 120); do
    window="$(xdotool search --onlyvisible --name '^Keyrack$' 2>/dev/null | head -n1)" || true
    [ -n "$window" ] && break
    kill -0 "$app" 2>/dev/null || break
    sleep 0.5
  done
  if [ -z "$window" ]; then
    cat "$home/app.log" >&2
    die "the installed keyrack-app mapped no window titled Keyrack within 60 s"
  fi
  # WM_CLASS(STRING) = "instance", "class": the desktop entry's StartupWMClass must be one.
  wm_class="$(xprop -id "$window" WM_CLASS)"
  startup="$(sed -n 's/^StartupWMClass=//p' "$DESKTOP")"
  say "window $window mapped: $wm_class; StartupWMClass=$startup"
  case "$wm_class" in
    *"\"$startup\""*) ;;
    *) die "StartupWMClass=$startup matches neither string of $wm_class" ;;
  esac
  sleep 4 # the web view paints after the window maps
  mkdir -p "$(dirname "$shot")"
  import -window root "$shot"
  kill -0 "$app" 2>/dev/null || { cat "$home/app.log" >&2; die "keyrack-app exited"; }
  say "screenshot: $shot"
  exit 0
fi

# --- Part 1: build if needed, install, check, purge. ---
start=$SECONDS
shot="$(realpath -m "${1:-target/e2e-artifacts/installed-app.png}")"
version="$(package_version)"
deb="$(package_deb)"
rpm="$(package_rpm)"
if [ ! -f "$deb" ] || [ ! -f "$rpm" ]; then
  say "packages missing: make package"
  make --no-print-directory package
fi
for tool in rpm desktop-file-validate xdotool xprop import; do
  command -v "$tool" >/dev/null || die "$tool missing: run scripts/setup.sh test"
done

if dpkg-query -W -f='${Status}' keyrack 2>/dev/null | grep -q 'ok installed'; then
  die "a keyrack package is installed already; this test installs and purges its own: remove it first (apt-get remove keyrack)"
fi

work="$(mktemp -d "${TMPDIR:-/tmp}/keyrack-package-test.XXXXXX")"
# Whatever named keyrack is in /usr before the install (a cargo install in /usr/local, say) is
# not the package's; after the purge /usr must hold exactly this again.
find /usr -iname '*keyrack*' 2>/dev/null | sort >"$work/usr-before"
sandbox=""
installed=""
cleanup() {
  if [ -n "$sandbox" ]; then kill -TERM "$sandbox" 2>/dev/null; wait "$sandbox" 2>/dev/null || true; fi
  if [ -n "$installed" ]; then
    as_root env DEBIAN_FRONTEND=noninteractive apt-get remove --purge -y -q keyrack >/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT
# A CI timeout sends TERM: exit through the EXIT trap so the package is purged all the same.
trap 'exit 143' TERM INT

say "installing $deb with apt-get"
installed=1
as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$deb"
dpkg-query -W -f='${Package} ${Version} ${Status}\n' keyrack
dpkg -L keyrack >"$work/files"
# The regular files alone, which the rpm must hold too (its directories are its own business).
while IFS= read -r path; do [ -f "$path" ] && printf '%s\n' "$path"; done <"$work/files" \
  | sort >"$work/deb-regular"

say "checking the installed files"
for f in "${EXPECTED[@]}" "$DESKTOP" /usr/share/zsh/vendor-completions/_keyrack \
  /usr/share/doc/keyrack/copyright; do
  grep -qxF "$f" "$work/files" || die "the package does not own $f"
  [ -s "$f" ] || die "$f is missing or empty after the install"
done
[ -x /usr/bin/keyrack ] && [ -x /usr/bin/keyrack-app ] || die "the binaries are not executable"
depends="$(dpkg-query -W -f='${Depends}' keyrack)"
recommends="$(dpkg-query -W -f='${Recommends}' keyrack)"
for dep in libwebkit2gtk-4.1-0 libayatana-appindicator3-1; do
  [[ "$depends" == *"$dep"* ]] || die "Depends lacks $dep: $depends"
done
[[ "$recommends" == *gnome-keyring* ]] || die "Recommends lacks gnome-keyring: $recommends"
grep -q 'License: MIT' /usr/share/doc/keyrack/copyright || die "copyright names no MIT licence"
zcat /usr/share/man/man1/keyrack.1.gz | grep -q '^\.TH keyrack 1' || die "keyrack.1.gz is no man page"
bash -c 'source /usr/share/bash-completion/completions/keyrack && complete -p keyrack' >/dev/null \
  || die "the bash completion does not register for keyrack"
desktop-file-validate "$DESKTOP"
say "desktop entry valid: $(grep -E '^(Name|Categories|StartupWMClass)=' "$DESKTOP" | tr '\n' ' ')"

say "the installed CLI"
[ "$(command -v keyrack)" = /usr/bin/keyrack ] || die "keyrack on PATH is $(command -v keyrack)"
got="$(keyrack --version)"
[ "$got" = "keyrack $version" ] || die "keyrack --version printed '$got', expected 'keyrack $version'"
echo "$got"
keyrack sandbox --manifest "$work/sandbox.json" >"$work/sandbox.log" 2>&1 &
sandbox=$!
for _ in $(seq 100); do [ -s "$work/sandbox.json" ] && break; sleep 0.2; done
[ -s "$work/sandbox.json" ] || { cat "$work/sandbox.log" >&2; die "keyrack sandbox wrote no manifest"; }
keyrack --sandbox-manifest "$work/sandbox.json" keys list | tee "$work/keys.txt"
count="$(keyrack --sandbox-manifest "$work/sandbox.json" --json keys list \
  | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["keys"]))')"
[ "$count" -gt 0 ] || die "keys list showed no sandbox keys"
say "keys list: $count sandbox keys"
kill -TERM "$sandbox"
wait "$sandbox" 2>/dev/null || true
sandbox=""

say "the installed app under Xvfb"
"$ROOT/scripts/with-session.sh" "$0" --app-in-session "$shot"

say "purging the package"
as_root env DEBIAN_FRONTEND=noninteractive apt-get remove --purge -y -q keyrack
installed=""
if dpkg-query -W -f='${Status}' keyrack 2>/dev/null | grep -q 'installed\|config-files'; then
  die "dpkg still knows keyrack after the purge"
fi
left=()
while IFS= read -r path; do
  [ -e "$path" ] || continue
  if [ -d "$path" ]; then
    # A directory may stay when another package owns it or it holds other files.
    dpkg -S "$path" >/dev/null 2>&1 || [ -n "$(ls -A "$path")" ] || left+=("$path/")
  else
    left+=("$path")
  fi
done <"$work/files"
[ ${#left[@]} -eq 0 ] || die "left after the purge: ${left[*]}"
find /usr -iname '*keyrack*' 2>/dev/null | sort >"$work/usr-after"
diff "$work/usr-before" "$work/usr-after" >&2 || die "the purge left files named keyrack in /usr (above)"
say "nothing of the package is left in /usr ($(wc -l <"$work/files") paths checked)"

say "checking $rpm"
# Its regular files (mode not starting with d) must be the .deb's, but for where each family
# keeps zsh completions and licences.
rpm -qp --qf '[%{FILEMODES:perms} %{FILENAMES}\n]' "$rpm" 2>/dev/null \
  | awk '$1 !~ /^d/ { print $2 }' \
  | sed -e 's#^/usr/share/zsh/site-functions/#/usr/share/zsh/vendor-completions/#' \
    -e 's#^/usr/share/licenses/keyrack/LICENSE$#/usr/share/doc/keyrack/copyright#' \
  | sort >"$work/rpm-regular"
diff -u "$work/deb-regular" "$work/rpm-regular" >&2 || die "the rpm's files differ from the deb's (above)"
say "the rpm holds the same $(wc -l <"$work/rpm-regular") files"
rpm -qp --requires "$rpm" 2>/dev/null | tee "$work/rpm-requires" | grep -q webkit2gtk4.1 \
  || die "the rpm does not require webkit2gtk4.1"
rpm -qp --recommends "$rpm" 2>/dev/null | grep -q gnome-keyring || die "the rpm does not recommend gnome-keyring"
rpm -qp --qf '%{NAME} %{VERSION} %{LICENSE}\n' "$rpm" 2>/dev/null

say "package test passed in $((SECONDS - start)) s"
