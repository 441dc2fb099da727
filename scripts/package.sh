#!/usr/bin/env bash
# Builds the release app and the keyrack CLI and bundles both into a .deb and an .rpm with
# Tauri's bundler (ui/node_modules/@tauri-apps/cli). Nothing is downloaded: deb and rpm are
# written by the bundler itself; AppImage is left out because its tools are downloaded.
#   scripts/package.sh   → target/release/bundle/deb/Keyrack_<version>_amd64.deb
#                          target/release/bundle/rpm/Keyrack-<version>-1.x86_64.rpm
# The extra files the packages carry (CLI, completions, man page, copyright, icon sizes) are
# made in target/package/, where src-tauri/tauri.conf.json (bundle.linux) picks them up.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

"$ROOT/scripts/setup.sh" run
build_ui

say "building the keyrack CLI (release)"
cargo build --release --locked -p keyrack-cli
cli="$ROOT/target/release/keyrack"

out="$ROOT/target/package"
rm -rf "$out"
mkdir -p "$out"
say "generating completions, the man page, the copyright file and icons in target/package"
for shell in bash zsh fish; do "$cli" completions "$shell" >"$out/completions.$shell"; done
"$cli" man | gzip -9n >"$out/keyrack.1.gz"
# Debian's machine-readable copyright format, with the licence text from the repository.
{
  printf 'Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\n'
  printf 'Upstream-Name: Keyrack\n\nFiles: *\nCopyright: The Keyrack authors\nLicense: MIT\n'
  sed -e 's/^$/./' -e 's/^/ /' LICENSE
} >"$out/copyright"
# Tauri installs the sizes listed in bundle.icon (32, 128, 256, 512); the icon theme also looks
# for 48 and 64 (menus, docks), made here from icons/icon.png without touching icons/.
ui/node_modules/.bin/tauri icon icons/icon.png -o "$out/icons" -p 48 -p 64 >/dev/null

say "building the app (release) and bundling the .deb and .rpm"
# --ci: no prompts. The bundler runs `cargo build --release` with tauri/custom-protocol itself.
ui/node_modules/.bin/tauri build --ci --bundles deb,rpm -- --locked

version="$(package_version)"
for f in "target/release/bundle/deb/Keyrack_${version}_$(dpkg --print-architecture).deb" \
  "target/release/bundle/rpm/Keyrack-${version}-1.$(uname -m).rpm"; do
  [ -f "$f" ] || die "the bundler did not write $f"
  say "built $f ($(du -h "$f" | cut -f1))"
done
