//! What a create whose answer was lost did, decided the same way for every vendor whose server
//! issues the secret: list again, and a key that was not there before, was made after the
//! request started, and matches the request is the one we made — its secret is gone, so say so
//! and hand the record over; if none appeared, nothing was created, said with the original kind
//! of failure. A create is never sent twice.

use std::collections::HashSet;
use std::future::Future;

use chrono::{DateTime, Duration, Utc};

use super::endpoint::with_note;
use reqwest::Response;
use serde::de::DeserializeOwned;

use crate::error::{Error, Result};
use crate::http;
use crate::model::{CreatedKey, KeyRecord};
use crate::secret::Sensitive;
use crate::vendors::VendorId;

/// How far the vendor's clock may lag ours when telling a new key from an older namesake.
const CLOCK_SLACK_SECS: i64 = 300;

/// What existed when a create was about to be sent.
#[derive(Debug, Clone)]
pub struct Before {
    ids: HashSet<String>,
    started: DateTime<Utc>,
}

impl Before {
    /// Taken just before sending: the ids listed, and now.
    pub fn new(ids: impl IntoIterator<Item = String>) -> Self {
        Before {
            ids: ids.into_iter().collect(),
            started: Utc::now(),
        }
    }

    pub fn started(&self) -> DateTime<Utc> {
        self.started
    }

    /// A key that was not listed before and was not made before the request started (another
    /// admin's same-named key from earlier is not ours).
    pub fn is_new(&self, key: &KeyRecord) -> bool {
        let earliest = self.started - Duration::seconds(CLOCK_SLACK_SECS);
        !self.ids.contains(&key.id) && key.created_at.is_none_or(|t| t >= earliest)
    }
}

/// How to word the outcome.
pub struct Wording<'a> {
    /// "secret" or "token".
    pub secret_noun: &'a str,
    /// What a found key means was made, when it is more than the key (OpenAI: "the service
    /// account `ci` and its key").
    pub made: Option<String>,
}

impl Wording<'_> {
    pub const SECRET: Wording<'static> = Wording {
        secret_noun: "secret",
        made: None,
    };
}

/// `after` is the re-list (or why it failed); `is_ours` recognises the requested key.
pub fn outcome(
    cause: Error,
    after: Result<Vec<KeyRecord>>,
    before: &Before,
    is_ours: impl Fn(&KeyRecord) -> bool,
    wording: &Wording<'_>,
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
        .filter(|k| before.is_new(k) && is_ours(k))
        .max_by_key(|k| k.created_at);
    match newest {
        Some(record) => recovered(record, wording),
        None => nothing_created(cause),
    }
}

/// The key exists but its secret never reached us.
pub fn recovered(record: KeyRecord, wording: &Wording<'_>) -> Error {
    let made = wording
        .made
        .clone()
        .unwrap_or_else(|| format!("the key `{}`", record.display_name()));
    Error::CreateLost {
        message: format!(
            "{made} was created but its {} was lost in transit — delete it and create a new \
             one",
            wording.secret_noun
        ),
        recovered: Some(Box::new(record)),
    }
}

/// Whether a create that failed this way may still have made the key: the request or its
/// answer was lost in transit (an error status means the vendor refused it).
pub fn may_have_created(e: &Error) -> bool {
    matches!(e, Error::Network { .. } | Error::Timeout { .. })
}

/// A create's answer, read once: a failure that may have made the key (the request or its
/// answer lost, an answer that cannot be read) is resolved by `recover`; a refusal (an error
/// status) becomes `refused`'s error. The body holds the secret, so it is never quoted.
pub async fn read_created<T, R, RF, L, LF>(
    vendor: VendorId,
    sent: Result<Response>,
    refused: R,
    recover: L,
) -> Result<T>
where
    T: DeserializeOwned,
    R: FnOnce(Response) -> RF,
    RF: Future<Output = Error>,
    L: FnOnce(Error) -> LF,
    LF: Future<Output = Error>,
{
    let response = match sent {
        Ok(response) => response,
        Err(e) if may_have_created(&e) => return Err(recover(e).await),
        Err(e) => return Err(e),
    };
    if !response.status().is_success() {
        return Err(refused(response).await);
    }
    match http::read_json(vendor, response, true).await {
        Ok(answer) => Ok(answer),
        Err(e) => Err(recover(e).await),
    }
}

/// The new key with its secret; an answer without the secret means the key exists but its
/// secret is gone, which is said as a lost create.
pub fn created(
    record: KeyRecord,
    secret: Option<Sensitive<String>>,
    wording: &Wording<'_>,
) -> Result<CreatedKey> {
    match secret.filter(|s| !s.is_empty()) {
        Some(secret) => Ok(CreatedKey {
            record,
            secret,
            public_key_pem: None,
        }),
        None => Err(recovered(record, wording)),
    }
}

/// Nothing new appeared: say so, keeping the kind of failure.
pub fn nothing_created(cause: Error) -> Error {
    let cause = match cause {
        e @ (Error::Timeout { .. } | Error::Decode { .. } | Error::Network { .. }) => e,
        other => Error::Network {
            message: other.to_string(),
        },
    };
    with_note(
        cause,
        "; no key was created (the list shows nothing new, so nothing was created that needs \
         deleting) — try again",
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::VendorExtra;
    use crate::test_support::key_record;
    use crate::vendors::codefresh::CodefreshExtra;

    fn key(id: &str, name: &str, created: DateTime<Utc>) -> KeyRecord {
        KeyRecord {
            name: Some(name.into()),
            created_at: Some(created),
            ..key_record(id, VendorExtra::Codefresh(CodefreshExtra::default()))
        }
    }

    fn lost() -> Error {
        Error::Timeout {
            message: "no answer".into(),
        }
    }

    #[test]
    fn the_new_matching_key_is_recovered() {
        let before = Before::new(["old".to_string()]);
        let now = before.started();
        let after = vec![key("old", "ci", now), key("new", "ci", now)];
        let e = outcome(
            lost(),
            Ok(after),
            &before,
            |k| k.name.as_deref() == Some("ci"),
            &Wording::SECRET,
        );
        let Error::CreateLost { recovered, message } = e else {
            panic!()
        };
        assert_eq!(recovered.unwrap().id, "new");
        assert!(message.contains("lost in transit"), "{message}");
    }

    #[test]
    fn a_namesake_made_before_the_request_is_not_ours() {
        let before = Before::new(Vec::<String>::new());
        let earlier = before.started() - Duration::hours(2);
        let after = vec![key("other-admins", "ci", earlier)];
        let e = outcome(lost(), Ok(after), &before, |_| true, &Wording::SECRET);
        assert_eq!(e.code(), crate::Code::Timeout, "{e}");
        assert!(e.to_string().contains("no key was created"), "{e}");
    }

    #[test]
    fn a_failed_check_says_it_could_not_tell() {
        let before = Before::new(Vec::<String>::new());
        let e = outcome(lost(), Err(lost()), &before, |_| true, &Wording::SECRET);
        let Error::CreateLost { recovered, message } = e else {
            panic!()
        };
        assert!(recovered.is_none());
        assert!(message.contains("refresh the list"), "{message}");
    }
}
