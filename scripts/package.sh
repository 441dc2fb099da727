#!/usr/bin/env bash
# Builds the release app and the keyrack CLI and bundles both into a .deb and an .rpm with
# Tauri's bundler (ui/node_modules/@tauri-apps/cli). Nothing is downloaded: deb and rpm are
# written by the bundler itself; AppImage is left out because its tools are downloaded.
#   scripts/package.sh   → target/package/keyrack_<version>_<arch>.deb
#                          target/package/keyrack-<version>-1.<arch>.rpm
# The extra files the packages carry (CLI, completions, man page, copyright, icon sizes) are
# staged in target/package/files/, where src-tauri/tauri.conf.json (bundle.linux) picks them
# up; that path does not move with CARGO_TARGET_DIR, the compiler's output does.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

"$ROOT/scripts/setup.sh" run
build_ui

start=$SECONDS
target="$(cargo_target_dir)"
say "building the keyrack CLI (release) in $target"
cargo build --release --locked -p keyrack-cli
cli="$target/release/keyrack"

out="$ROOT/target/package"
stage="$out/files"
rm -rf "$out"
mkdir -p "$stage"
say "staging the CLI, completions, the man page, the copyright file and icons in $stage"
cp "$cli" "$stage/keyrack"
for shell in bash zsh fish; do "$cli" completions "$shell" >"$stage/completions.$shell"; done
"$cli" man | gzip -9n >"$stage/keyrack.1.gz"
# Debian's machine-readable copyright format, with the licence text from the repository.
{
  printf 'Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\n'
  printf 'Upstream-Name: Keyrack\n\nFiles: *\nCopyright: The Keyrack authors\nLicense: MIT\n'
  sed -e 's/^$/./' -e 's/^/ /' LICENSE
} >"$stage/copyright"
# Tauri installs the sizes listed in bundle.icon (32, 128, 512); the icon theme also looks for
# 48, 64 (menus, docks), made here from icons/icon.png, and 256: icons/128x128@2x.png, mapped in
# bundle.linux.*.files because the bundler would file a @2x image under 256x256@2 (512 px).
# bundle.linux.deb.depends names only the tray library: the bundler adds WebKitGTK and GTK.
ui/node_modules/.bin/tauri icon icons/icon.png -o "$stage/icons" -p 48 -p 64 >/dev/null

say "building the app (release) and bundling the .deb and .rpm"
# --ci: no prompts. The bundler runs `cargo build --release` with tauri/custom-protocol itself.
ui/node_modules/.bin/tauri build --ci --bundles deb,rpm -- --locked

# The bundler names the files after the product (Keyrack_…); Debian and RPM name them after
# the package, keyrack.
version="$(package_version)"
bundle="$target/release/bundle"
cp "$bundle/deb/Keyrack_${version}_$(dpkg --print-architecture).deb" "$(package_deb)"
cp "$bundle/rpm/Keyrack-${version}-1.$(uname -m).rpm" "$(package_rpm)"
for f in "$(package_deb)" "$(package_rpm)"; do
  say "built $f ($(du -h "$f" | cut -f1))"
done
say "binaries: keyrack-app $(du -h "$target/release/keyrack-app" | cut -f1), keyrack $(du -h "$cli" | cut -f1); make package took $((SECONDS - start)) s"
