//! What the CLI reads from the person or the pipe: an account's secret (stdin, or a prompt
//! without echo on a terminal — never an argument, which would land in shell history and `ps`)
//! and a yes/no confirmation.

use std::io::{IsTerminal, Read, Write};

use keyrack_core::{Error, Result, Sensitive};

/// Read a secret: all of stdin when it is a pipe or file, else a prompt on the terminal.
/// `multi_line` secrets (PEM keys) cannot be typed at a one-line prompt and must be piped.
pub fn secret(prompt: &str, multi_line: bool, pipe_hint: &str) -> Result<Sensitive<String>> {
    let stdin = std::io::stdin();
    let value = if stdin.is_terminal() {
        if multi_line {
            return Err(Error::validation(
                "secret",
                format!("pipe it on stdin, e.g. {pipe_hint}"),
            ));
        }
        rpassword::prompt_password(prompt)
            .map_err(|e| Error::io("could not read the secret from the terminal", e))?
    } else {
        let mut text = String::new();
        stdin
            .lock()
            .read_to_string(&mut text)
            .map_err(|e| Error::io("could not read the secret from stdin", e))?;
        text
    };
    // Both copies are zeroized on drop; the trimmed one drops a newline from `echo` or a file.
    let value = Sensitive::new(value);
    let secret = Sensitive::new(value.expose().trim().to_string());
    if secret.is_empty() {
        return Err(Error::validation(
            "secret",
            "the secret is empty (give it on stdin or at the prompt)",
        ));
    }
    Ok(secret)
}

/// A passphrase typed at the terminal (works while stdin is a pipe: it reads the tty).
pub fn passphrase_prompt(prompt: &str) -> Result<Sensitive<String>> {
    rpassword::prompt_password(prompt)
        .map(Sensitive::new)
        .map_err(|e| Error::io("could not read the passphrase from the terminal", e))
}

/// Without a terminal nobody can answer a question: a script must pass `flag` instead.
pub fn require_terminal(flag: &str) -> Result<()> {
    if std::io::stdin().is_terminal() {
        Ok(())
    } else {
        Err(Error::validation(
            "yes",
            format!("no terminal to confirm on; pass {flag} to go ahead without asking"),
        ))
    }
}

/// Ask yes/no on the terminal (refused without one, see `require_terminal`).
pub fn confirm(question: &str, flag: &str) -> Result<bool> {
    require_terminal(flag)?;
    let stdin = std::io::stdin();
    let mut stderr = std::io::stderr().lock();
    let _ = write!(stderr, "{question} [y/N] ");
    let _ = stderr.flush();
    let mut answer = String::new();
    stdin
        .read_line(&mut answer)
        .map_err(|e| Error::io("could not read the answer", e))?;
    Ok(matches!(
        answer.trim().to_ascii_lowercase().as_str(),
        "y" | "yes"
    ))
}
