//! `keyrack`: the Keyrack core from the terminal. This crate only parses arguments and prints;
//! everything else is keyrack-core (accounts, keychain, vendor clients, inventory, exports).

mod cli;
mod commands;
mod exit;
mod input;
mod output;
mod source;

use std::process::ExitCode;

use clap::Parser;
use cli::{Cli, Command, KeysCmd};
use commands::keys_change::{self, Toggle};
use output::Mode;
use source::Source;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // --help and --version print and succeed; usage errors exit 2.
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() {
                exit::USAGE
            } else {
                exit::OK
            });
        }
    };
    init_logging(cli.global.verbose);
    let json = cli.global.json;
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            exit::report(
                &keyrack_core::Error::io("could not start the async runtime", e),
                json,
            );
            return ExitCode::from(exit::FAILED);
        }
    };
    let code = match runtime.block_on(run(cli)) {
        Ok(code) => code,
        Err(e) => {
            exit::report(&e, json);
            exit::code_for(e.code())
        }
    };
    ExitCode::from(code)
}

async fn run(cli: Cli) -> keyrack_core::Result<u8> {
    let mode = Mode::detect(cli.global.json);
    match cli.command {
        Command::Sandbox(args) => return commands::sandbox::run(args, mode).await,
        Command::Completions { shell } => return commands::docs::completions(shell),
        Command::Man => return commands::docs::man(),
        _ => {}
    }
    let source = Source::open(&cli.global).await?;
    match cli.command {
        Command::Accounts(cmd) => commands::accounts::run(cmd, &source, mode).await,
        Command::Keys(cmd) => match cmd {
            KeysCmd::List(args) => commands::keys_list::run(args, &source, mode).await,
            KeysCmd::Create(args) => commands::keys_create::run(*args, &source, mode).await,
            KeysCmd::Update(args) => keys_change::update(args, &source, mode).await,
            KeysCmd::Lock(key) => keys_change::toggle(Toggle::Lock, key, &source, mode).await,
            KeysCmd::Unlock(key) => keys_change::toggle(Toggle::Unlock, key, &source, mode).await,
            KeysCmd::Disable(key) => keys_change::toggle(Toggle::Disable, key, &source, mode).await,
            KeysCmd::Enable(key) => keys_change::toggle(Toggle::Enable, key, &source, mode).await,
            KeysCmd::Delete(args) => keys_change::delete(args, &source, mode).await,
            KeysCmd::Rotate(args) => commands::keys_rotate::run(*args, &source, mode).await,
            KeysCmd::Rotations => commands::keys_rotate::list(&source, mode),
        },
        Command::Audit(args) => commands::audit::run(args, &source, mode).await,
        Command::Export(cmd) => commands::export::run(cmd, &source, mode).await,
        Command::Sandbox(_) | Command::Completions { .. } | Command::Man => {
            unreachable!("handled above")
        }
    }
}

/// No logs by default — errors are reported as messages — except the warning about a secret
/// file other users can read; `-v` info, `-vv` debug, `-vvv` trace, or `RUST_LOG`. Logs go to
/// stderr and never hold secrets (the core never logs them).
fn init_logging(verbose: u8) {
    use std::io::IsTerminal;
    use tracing_subscriber::EnvFilter;
    let level = match verbose {
        0 => "off,keyrack_core::accounts::file=warn",
        1 => "warn,keyrack=info,keyrack_core=info,keyrack_emulator=info",
        2 => "info,keyrack=debug,keyrack_core=debug,keyrack_emulator=debug",
        _ => "debug,keyrack=trace,keyrack_core=trace,keyrack_emulator=trace",
    };
    let filter = match std::env::var("RUST_LOG") {
        Ok(spec) if !spec.trim().is_empty() && verbose == 0 => EnvFilter::new(spec),
        _ => EnvFilter::new(level),
    };
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_env_filter(filter)
        .with_target(verbose > 1)
        .with_ansi(std::io::stderr().is_terminal())
        .init();
}
