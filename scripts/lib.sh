# Shared helpers for the scripts in this folder. Source it; do not run it.

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# rustup puts cargo here; a fresh shell may not have it on PATH yet.
if [ -d "$HOME/.cargo/bin" ]; then PATH="$HOME/.cargo/bin:$PATH"; fi
# A Node.js that setup.sh installed because the system's was missing or too old.
if [ -d "$ROOT/target/tools/bin" ]; then PATH="$ROOT/target/tools/bin:$PATH"; fi
export PATH

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# Runs a command as root: directly when we are root, else through sudo.
as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"
  elif command -v sudo >/dev/null; then sudo "$@"
  else die "need root or sudo to run: $*"
  fi
}

# Builds the web UI into ui/dist, which the app embeds at compile time.
build_ui() {
  say "building the UI (ui/dist)"
  (cd "$ROOT/ui" && npm run --silent build)
}

# The workspace version (Cargo.toml [workspace.package]), which the app, the CLI and the
# packages carry.
package_version() {
  local id
  id="$(cd "$ROOT" && cargo pkgid -p keyrack)"
  printf '%s\n' "${id##*[#@]}"
}

# Where cargo writes its output: CARGO_TARGET_DIR when set, else target/.
cargo_target_dir() {
  realpath -m "${CARGO_TARGET_DIR:-$ROOT/target}"
}

# The packages `make package` writes, named like Debian and RPM name them.
package_deb() {
  printf '%s\n' "$ROOT/target/package/keyrack_$(package_version)_$(dpkg --print-architecture).deb"
}
package_rpm() {
  printf '%s\n' "$ROOT/target/package/keyrack-$(package_version)-1.$(uname -m).rpm"
}
