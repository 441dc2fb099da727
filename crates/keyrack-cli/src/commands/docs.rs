//! `keyrack completions SHELL` and `keyrack man`: the shell completions and the manual page the
//! packages install, generated from the same command tree that parses the arguments, so they
//! never drift from it. Listed in `--help` (clap's completions offer even hidden commands, so
//! hiding them would hide nothing from a shell), and useful after a source build.

use std::io::Write;

use clap::CommandFactory;
use clap_complete::Shell;

use crate::cli::Cli;
use crate::exit;

/// Prints the completion script for `shell` on stdout.
pub fn completions(shell: Shell) -> keyrack_core::Result<u8> {
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "keyrack", &mut out);
    print(&out)
}

/// Prints keyrack(1) in roff on stdout.
pub fn man() -> keyrack_core::Result<u8> {
    let mut out = Vec::new();
    clap_mangen::Man::new(Cli::command())
        .render(&mut out)
        .map_err(|e| keyrack_core::Error::io("could not render the manual page", e))?;
    print(&out)
}

fn print(bytes: &[u8]) -> keyrack_core::Result<u8> {
    let mut stdout = std::io::stdout().lock();
    stdout
        .write_all(bytes)
        .and_then(|()| stdout.flush())
        .map_err(|e| keyrack_core::Error::io("could not write to stdout", e))?;
    Ok(exit::OK)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn completion(shell: Shell) -> String {
        let mut out = Vec::new();
        clap_complete::generate(shell, &mut Cli::command(), "keyrack", &mut out);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn completions_register_for_keyrack_and_offer_every_command_and_the_global_options() {
        let registers = [
            (Shell::Bash, "complete -F _keyrack"),
            (Shell::Zsh, "#compdef keyrack"),
            (Shell::Fish, "complete -c keyrack"),
        ];
        let cli = Cli::command();
        for (shell, line) in registers {
            let text = completion(shell);
            assert!(text.contains(line), "{shell} does not register for keyrack");
            assert!(
                text.contains("sandbox-manifest"),
                "{shell}: no --sandbox-manifest"
            );
            for sub in cli.get_subcommands() {
                assert!(
                    text.contains(sub.get_name()),
                    "{shell}: no {}",
                    sub.get_name()
                );
                for nested in sub.get_subcommands() {
                    let name = nested.get_name();
                    assert!(text.contains(name), "{shell}: no {} {name}", sub.get_name());
                }
            }
        }
    }

    #[test]
    fn the_man_page_is_keyrack_1() {
        let mut out = Vec::new();
        clap_mangen::Man::new(Cli::command())
            .render(&mut out)
            .unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.starts_with(".ie \\n(.g .ds Aq"), "{text}");
        assert!(text.contains(".TH keyrack 1"), "{text}");
        assert!(text.contains("Exit codes"), "{text}");
    }
}
