//! Exit codes and how errors reach stderr. Scripts branch on the code; people read the message,
//! which is the core error's own text (it already carries the vendor's words and request id).

use std::io::Write;

use keyrack_core::error::PublicError;
use keyrack_core::{Code, Error};

pub const OK: u8 = 0;
/// The vendor refused or failed, a file could not be written, the network is down.
pub const FAILED: u8 = 1;
/// Bad arguments or input: nothing was sent (clap uses 2 for its own usage errors too).
pub const USAGE: u8 = 2;
/// The credential was rejected or lacks a permission, or the keychain cannot be used.
pub const AUTH: u8 = 3;

pub fn code_for(code: Code) -> u8 {
    match code {
        Code::Unauthorized | Code::Forbidden | Code::Keychain => AUTH,
        // Config: a bad accounts file, manifest or account setting — the user's input.
        // Unsupported: an operation the vendor lacks, refused before any request.
        Code::Validation | Code::Config | Code::Unsupported => USAGE,
        Code::NotFound
        | Code::Conflict
        | Code::QuotaExceeded
        | Code::RateLimited
        | Code::Vendor
        | Code::Network
        | Code::Timeout
        | Code::Decode
        | Code::CreateLost
        | Code::Io
        | Code::Internal => FAILED,
    }
}

/// Print an error to stderr: `keyrack: <message>`, or the `PublicError` JSON with `--json`.
pub fn report(error: &Error, json: bool) {
    report_public(&error.to_public(), json, None);
}

/// Print a public error, optionally prefixed by what it concerns (e.g. an account's name).
pub fn report_public(error: &PublicError, json: bool, context: Option<&str>) {
    let mut stderr = std::io::stderr().lock();
    let _ = if json {
        let text = serde_json::to_string(error).unwrap_or_else(|_| error.message.clone());
        writeln!(stderr, "{text}")
    } else {
        match context {
            // Some core messages already start with what they concern.
            Some(c) if !error.message.starts_with(c) => {
                writeln!(stderr, "keyrack: {c}: {}", error.message)
            }
            _ => writeln!(stderr, "keyrack: {}", error.message),
        }
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn auth_and_keychain_are_3_input_is_2_the_rest_1() {
        assert_eq!(code_for(Code::Unauthorized), 3);
        assert_eq!(code_for(Code::Forbidden), 3);
        assert_eq!(code_for(Code::Keychain), 3);
        assert_eq!(code_for(Code::Validation), 2);
        assert_eq!(code_for(Code::Config), 2);
        assert_eq!(code_for(Code::NotFound), 1);
        assert_eq!(code_for(Code::Conflict), 1);
        assert_eq!(code_for(Code::Network), 1);
        assert_eq!(code_for(Code::Vendor), 1);
    }
}
