//! `keyrack sandbox`: the vendor emulator in the foreground. It writes the manifest (which holds
//! the sandbox's admin credentials: mode 0600) for `--sandbox-manifest`, prints the accounts it
//! serves, and runs until Ctrl-C or SIGTERM.

use std::path::Path;

use keyrack_core::fsutil::{self, Overwrite};
use keyrack_core::{sandbox, Account, Error, Result};
use keyrack_emulator::{EmulatorOptions, SeedOptions};
use serde::Serialize;

use crate::cli::SandboxArgs;
use crate::exit;
use crate::output::{self, Mode};

#[derive(Serialize)]
struct Serving<'a> {
    base_url: &'a str,
    manifest: String,
    accounts: Vec<&'a Account>,
}

pub async fn run(args: SandboxArgs, mode: Mode) -> Result<u8> {
    let emulator = keyrack_emulator::start(EmulatorOptions {
        listen: Some(args.listen),
        seed: SeedOptions {
            empty: args.empty,
            ..Default::default()
        },
        state_file: args.state.clone(),
        ..Default::default()
    })
    .await
    .map_err(|e| {
        Error::io(
            &format!("the emulator could not start on {}", args.listen),
            e,
        )
    })?;

    let manifest = emulator.manifest();
    // The default manifest is this run's alone: named by the port, removed on exit.
    let (manifest_path, temporary) = match args.manifest {
        Some(path) => (path, false),
        None => (
            std::env::temp_dir().join(format!("keyrack-sandbox-{}.json", emulator.addr.port())),
            true,
        ),
    };
    let written = fsutil::write_private(
        &manifest_path,
        format!("{manifest}\n").as_bytes(),
        Overwrite::Replace,
    );
    if let Err(e) = written {
        emulator.shutdown().await;
        return Err(e);
    }

    let accounts = sandbox::accounts_from_manifest(&manifest);
    let listed: Vec<&Account> = accounts.iter().map(|(a, _)| a).collect();
    if mode.is_json() {
        // One line, so a parent process can read it as soon as it is printed.
        let line = serde_json::to_string(&Serving {
            base_url: &emulator.base_url,
            manifest: manifest_path.display().to_string(),
            accounts: listed,
        })
        .expect("accounts serialize");
        output::line(line);
    } else {
        output::note(format!("Keyrack sandbox serving at {}", emulator.base_url));
        let rows = listed
            .iter()
            .map(|a| {
                vec![
                    a.name.clone(),
                    a.vendor.to_string(),
                    a.id.clone(),
                    a.settings.base_url.clone().unwrap_or_default(),
                ]
            })
            .collect();
        output::rows(mode, &["NAME", "VENDOR", "ID", "ENDPOINT"], rows);
        output::note(format!(
            "Manifest: {}\nIn another terminal:  keyrack --sandbox-manifest {} keys list\n\
             Press Ctrl-C to stop{}.",
            manifest_path.display(),
            shell_quote(&manifest_path),
            if args.state.is_some() {
                " (the state file keeps the keys)"
            } else {
                "; the keys made here are forgotten"
            }
        ));
    }
    flush_stdout();

    wait_for_signal().await;
    if temporary {
        let _ = std::fs::remove_file(&manifest_path);
    }
    emulator.shutdown().await;
    Ok(exit::OK)
}

fn flush_stdout() {
    use std::io::Write;
    let _ = std::io::stdout().flush();
}

fn shell_quote(path: &Path) -> String {
    let text = path.display().to_string();
    if text
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "/._-+:".contains(c))
    {
        text
    } else {
        format!("'{}'", text.replace('\'', "'\\''"))
    }
}

async fn wait_for_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        if let Ok(mut term) = signal(SignalKind::terminate()) {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = term.recv() => {}
            }
            return;
        }
    }
    let _ = tokio::signal::ctrl_c().await;
}
