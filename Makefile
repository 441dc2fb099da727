# The two README commands are `make run` and `make test`; the logic lives in scripts/.
.PHONY: run test setup e2e bindings screenshot

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
