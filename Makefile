# The two README commands are `make run` and `make test`; the logic lives in scripts/.
.PHONY: run test setup e2e bindings screenshot package package-test bench

run:
	scripts/run.sh

test:
	scripts/test.sh

setup:
	scripts/setup.sh test

# One e2e test by name: make e2e T=shell_renders
e2e:
	scripts/e2e.sh $(T)

# Regenerate ui/src/lib/bindings/ from the Rust types listed in src-tauri/src/bindings.rs.
bindings:
	KEYRACK_UPDATE_BINDINGS=1 cargo test -p keyrack --lib bindings

screenshot:
	scripts/screenshot.sh $(OUT)

# The .deb and .rpm (app + CLI) in target/package/; see README "Install".
package:
	scripts/package.sh

# Installs the .deb (building the packages if missing), checks the CLI, the app and the desktop
# entry, purges it again, and checks the .rpm's file list. OUT=path.png keeps the screenshot there.
package-test:
	scripts/package-test.sh $(OUT)

# Builds release and prints the benchmark table (start, memory, inventory, UI at 10,000 keys,
# size); see README "Benchmarks". Figures only, never part of `make test`. S=section limits it.
bench:
	scripts/bench.sh $(S)
