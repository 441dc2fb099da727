//! One error type for the whole core. Every variant maps to a stable [`Code`] that shells act on
//! (the UI branches on it, the CLI turns it into an exit code); the `Display` text is the message
//! a user reads, and says what to do.

use std::time::Duration;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::model::KeyRecord;

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Stable error codes. Add one only when something acts on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Code {
    /// The credential was rejected: fix it in Accounts.
    Unauthorized,
    /// The credential works but lacks a permission.
    Forbidden,
    NotFound,
    /// Stale version (If-Match), locked key, or a state that refuses the change.
    Conflict,
    /// A vendor limit (e.g. OCI's 3 keys per user).
    QuotaExceeded,
    /// Retry later; `retry_after_secs` says when.
    RateLimited,
    /// Bad input; `field` names it. Nothing was sent.
    Validation,
    /// Any other vendor error, with the vendor's status, code, message and request id.
    Vendor,
    Network,
    Timeout,
    /// The vendor answered something we could not read.
    Decode,
    /// The vendor does not support this operation.
    Unsupported,
    /// A create whose response was lost: see `recovered`.
    CreateLost,
    /// The OS keychain is missing, locked or refused.
    Keychain,
    /// The settings file or an account's settings are wrong.
    Config,
    /// A local file could not be read or written.
    Io,
    /// Keyrack itself failed (a bug, or something the shell could not do); not the user's input
    /// and not the vendor.
    Internal,
}

/// What the vendor said, kept so the user sees the vendor's own words and a request id to quote.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct VendorDetail {
    pub status: u16,
    pub code: Option<String>,
    pub message: Option<String>,
    pub request_id: Option<String>,
}

impl std::fmt::Display for VendorDetail {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "HTTP {}", self.status)?;
        if let Some(code) = &self.code {
            write!(f, " {code}")?;
        }
        if let Some(message) = &self.message {
            write!(f, ": {message}")?;
        }
        if let Some(id) = &self.request_id {
            write!(f, " (request id {id})")?;
        }
        Ok(())
    }
}

fn with_detail(message: &str, detail: &Option<VendorDetail>) -> String {
    match detail {
        Some(d) => format!("{message} — vendor said {d}"),
        None => message.to_string(),
    }
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{}", with_detail(message, detail))]
    Unauthorized {
        message: String,
        detail: Option<VendorDetail>,
    },
    #[error("{}", with_detail(message, detail))]
    Forbidden {
        message: String,
        detail: Option<VendorDetail>,
    },
    #[error("{}", with_detail(message, detail))]
    NotFound {
        message: String,
        detail: Option<VendorDetail>,
    },
    #[error("{}", with_detail(message, detail))]
    Conflict {
        message: String,
        detail: Option<VendorDetail>,
    },
    #[error("{}", with_detail(message, detail))]
    QuotaExceeded {
        message: String,
        detail: Option<VendorDetail>,
    },
    #[error("{}", with_detail(message, detail))]
    RateLimited {
        retry_after: Option<Duration>,
        message: String,
        detail: Option<VendorDetail>,
    },
    #[error("{field}: {message}")]
    Validation { field: String, message: String },
    #[error("{message} — vendor said {detail}")]
    Vendor {
        message: String,
        detail: VendorDetail,
    },
    #[error("{message}")]
    Network { message: String },
    #[error("{message}")]
    Timeout { message: String },
    /// `raw` is an excerpt of the body, never of a response that can carry a secret.
    #[error("{message}")]
    Decode {
        message: String,
        raw: Option<String>,
    },
    #[error("{message}")]
    Unsupported { message: String },
    #[error("{message}")]
    CreateLost {
        message: String,
        recovered: Option<Box<KeyRecord>>,
    },
    #[error("{message}")]
    Keychain {
        message: String,
        #[source]
        source: Option<Cause>,
    },
    #[error("{message}")]
    Config {
        message: String,
        #[source]
        source: Option<Cause>,
    },
    #[error("{message}")]
    Io {
        message: String,
        #[source]
        source: Option<Cause>,
    },
    #[error("{message}")]
    Internal {
        message: String,
        #[source]
        source: Option<Cause>,
    },
}

/// A local cause kept under an error (an io, TOML or keychain error), for logs and debugging;
/// the message already says what it means for the user.
pub type Cause = Box<dyn std::error::Error + Send + Sync + 'static>;

impl Error {
    pub fn code(&self) -> Code {
        match self {
            Error::Unauthorized { .. } => Code::Unauthorized,
            Error::Forbidden { .. } => Code::Forbidden,
            Error::NotFound { .. } => Code::NotFound,
            Error::Conflict { .. } => Code::Conflict,
            Error::QuotaExceeded { .. } => Code::QuotaExceeded,
            Error::RateLimited { .. } => Code::RateLimited,
            Error::Validation { .. } => Code::Validation,
            Error::Vendor { .. } => Code::Vendor,
            Error::Network { .. } => Code::Network,
            Error::Timeout { .. } => Code::Timeout,
            Error::Decode { .. } => Code::Decode,
            Error::Unsupported { .. } => Code::Unsupported,
            Error::CreateLost { .. } => Code::CreateLost,
            Error::Keychain { .. } => Code::Keychain,
            Error::Config { .. } => Code::Config,
            Error::Io { .. } => Code::Io,
            Error::Internal { .. } => Code::Internal,
        }
    }

    pub fn validation(field: impl Into<String>, message: impl Into<String>) -> Self {
        Error::Validation {
            field: field.into(),
            message: message.into(),
        }
    }

    pub fn unsupported(message: impl Into<String>) -> Self {
        Error::Unsupported {
            message: message.into(),
        }
    }

    pub fn config(message: impl Into<String>) -> Self {
        Error::Config {
            message: message.into(),
            source: None,
        }
    }

    /// A setting or file that cannot be used, keeping the parser's error as the cause.
    pub fn config_from(
        message: impl Into<String>,
        cause: impl std::error::Error + Send + Sync + 'static,
    ) -> Self {
        Error::Config {
            message: message.into(),
            source: Some(Box::new(cause)),
        }
    }

    /// `context` (what Keyrack was doing) and the io error, which stays the cause.
    pub fn io(context: &str, err: std::io::Error) -> Self {
        Error::Io {
            message: format!("{context}: {err}"),
            source: Some(Box::new(err)),
        }
    }

    pub fn keychain(message: impl Into<String>) -> Self {
        Error::Keychain {
            message: message.into(),
            source: None,
        }
    }

    pub fn keychain_from(
        message: impl Into<String>,
        cause: impl std::error::Error + Send + Sync + 'static,
    ) -> Self {
        Error::Keychain {
            message: message.into(),
            source: Some(Box::new(cause)),
        }
    }

    pub fn internal(message: impl Into<String>) -> Self {
        Error::Internal {
            message: message.into(),
            source: None,
        }
    }

    /// The same error again (its local cause left out): for an error that has to be reported
    /// more than once, such as an account's unreadable credential.
    pub fn duplicate(&self) -> Error {
        let message = match self {
            Error::Validation { .. } | Error::Vendor { .. } => String::new(),
            _ => self.to_string(),
        };
        match self {
            Error::Unauthorized { message, detail } => Error::Unauthorized {
                message: message.clone(),
                detail: detail.clone(),
            },
            Error::Forbidden { message, detail } => Error::Forbidden {
                message: message.clone(),
                detail: detail.clone(),
            },
            Error::NotFound { message, detail } => Error::NotFound {
                message: message.clone(),
                detail: detail.clone(),
            },
            Error::Conflict { message, detail } => Error::Conflict {
                message: message.clone(),
                detail: detail.clone(),
            },
            Error::QuotaExceeded { message, detail } => Error::QuotaExceeded {
                message: message.clone(),
                detail: detail.clone(),
            },
            Error::RateLimited {
                retry_after,
                message,
                detail,
            } => Error::RateLimited {
                retry_after: *retry_after,
                message: message.clone(),
                detail: detail.clone(),
            },
            Error::Validation { field, message } => Error::validation(field, message),
            Error::Vendor { message, detail } => Error::Vendor {
                message: message.clone(),
                detail: detail.clone(),
            },
            Error::Network { .. } => Error::Network { message },
            Error::Timeout { .. } => Error::Timeout { message },
            Error::Decode { raw, .. } => Error::Decode {
                message,
                raw: raw.clone(),
            },
            Error::Unsupported { .. } => Error::Unsupported { message },
            Error::CreateLost { recovered, .. } => Error::CreateLost {
                message,
                recovered: recovered.clone(),
            },
            Error::Keychain { .. } => Error::keychain(message),
            Error::Config { .. } => Error::config(message),
            Error::Io { .. } => Error::Io {
                message,
                source: None,
            },
            Error::Internal { .. } => Error::internal(message),
        }
    }

    /// The vendor's own words, when it said something.
    pub fn vendor_detail(&self) -> Option<&VendorDetail> {
        match self {
            Error::Unauthorized { detail, .. }
            | Error::Forbidden { detail, .. }
            | Error::NotFound { detail, .. }
            | Error::Conflict { detail, .. }
            | Error::QuotaExceeded { detail, .. }
            | Error::RateLimited { detail, .. } => detail.as_ref(),
            Error::Vendor { detail, .. } => Some(detail),
            _ => None,
        }
    }

    /// Whether trying the same request again later may succeed.
    pub fn is_transient(&self) -> bool {
        matches!(
            self.code(),
            Code::RateLimited | Code::Network | Code::Timeout
        ) || matches!(self, Error::Vendor { detail, .. } if detail.status >= 500)
    }

    /// The form shells show and send: over IPC, in `--json` output.
    pub fn to_public(&self) -> PublicError {
        PublicError {
            code: self.code(),
            message: self.to_string(),
            field: match self {
                Error::Validation { field, .. } => Some(field.clone()),
                _ => None,
            },
            retry_after_secs: match self {
                Error::RateLimited { retry_after, .. } => retry_after.map(|d| d.as_secs()),
                _ => None,
            },
            vendor: self.vendor_detail().cloned(),
            recovered: match self {
                Error::CreateLost { recovered, .. } => recovered.as_deref().cloned(),
                _ => None,
            },
        }
    }
}

/// An error as shells present it: `{ code, message, … }`.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct PublicError {
    pub code: Code,
    pub message: String,
    pub field: Option<String>,
    #[ts(type = "number | null")]
    pub retry_after_secs: Option<u64>,
    pub vendor: Option<VendorDetail>,
    pub recovered: Option<KeyRecord>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn message_carries_the_vendor_words_and_request_id() {
        let e = Error::Unauthorized {
            message: "the IBM API key was rejected by the token service — check it in Accounts"
                .into(),
            detail: Some(VendorDetail {
                status: 400,
                code: Some("BXNIM0415E".into()),
                message: Some("Provided API key could not be found.".into()),
                request_id: Some("abc-123".into()),
            }),
        };
        let text = e.to_string();
        assert!(text.contains("check it in Accounts"), "{text}");
        assert!(text.contains("BXNIM0415E"), "{text}");
        assert!(text.contains("request id abc-123"), "{text}");
        assert_eq!(e.code(), Code::Unauthorized);
    }

    #[test]
    fn public_form_names_the_field_and_retry_delay() {
        let v = Error::validation("name", "must not be empty").to_public();
        assert_eq!(v.code, Code::Validation);
        assert_eq!(v.field.as_deref(), Some("name"));
        let r = Error::RateLimited {
            retry_after: Some(Duration::from_secs(7)),
            message: "slow down".into(),
            detail: None,
        }
        .to_public();
        assert_eq!(r.retry_after_secs, Some(7));
        let json = serde_json::to_value(&r).unwrap();
        assert_eq!(json["code"], "rate_limited");
    }

    #[test]
    fn transient_errors_are_the_retryable_ones() {
        assert!(Error::Timeout {
            message: "t".into()
        }
        .is_transient());
        assert!(!Error::validation("f", "m").is_transient());
        let server = Error::Vendor {
            message: "m".into(),
            detail: VendorDetail {
                status: 503,
                ..Default::default()
            },
        };
        assert!(server.is_transient());
    }
}
