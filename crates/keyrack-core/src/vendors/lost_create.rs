//! What a create whose answer was lost did, decided the same way for every vendor whose server
//! issues the secret: list again, and a key that was not there before and matches the request is
//! the one we made — its secret is gone, so say so and hand the record over; if none appeared,
//! nothing was created, said with the original kind of failure.

use std::collections::HashSet;

use crate::error::{Error, Result};
use crate::model::KeyRecord;

/// `after` is the re-list (or why it failed); `before` the ids listed before the create;
/// `is_ours` recognises the requested key; `secret_noun` is "secret" or "token".
pub fn outcome(
    cause: Error,
    after: Result<Vec<KeyRecord>>,
    before: &HashSet<String>,
    is_ours: impl Fn(&KeyRecord) -> bool,
    secret_noun: &str,
) -> Error {
    let Ok(after) = after else {
        return Error::CreateLost {
            message: format!(
                "the answer to the create was lost ({cause}) and Keyrack could not check \
                 whether the key was created; refresh the list before trying again"
            ),
            recovered: None,
        };
    };
    let newest = after
        .into_iter()
        .filter(|k| !before.contains(&k.id) && is_ours(k))
        .max_by_key(|k| k.created_at);
    match newest {
        Some(record) => recovered(record, secret_noun),
        None => nothing_created(cause),
    }
}

/// The key exists but its secret never reached us.
pub fn recovered(record: KeyRecord, secret_noun: &str) -> Error {
    Error::CreateLost {
        message: format!(
            "the key `{}` was created but its {secret_noun} was lost in transit — delete it and \
             create a new one",
            record.display_name()
        ),
        recovered: Some(Box::new(record)),
    }
}

/// Nothing new appeared: say so, keeping the kind of failure.
pub fn nothing_created(cause: Error) -> Error {
    let message =
        format!("{cause}; no key was created (if one appears in the list later, delete it)");
    match cause {
        Error::Timeout { .. } => Error::Timeout { message },
        Error::Decode { .. } => Error::Decode { message, raw: None },
        _ => Error::Network { message },
    }
}
