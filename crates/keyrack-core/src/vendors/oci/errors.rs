//! OCI error responses (`{"code", "message"}` + `opc-request-id`) turned into core errors that
//! say what to do.

use super::wire::ErrorBody;
use super::MAX_KEYS_PER_USER;
use crate::error::{Error, VendorDetail};
use crate::http;
use crate::vendors::common::ErrorResponse;
use crate::vendors::VendorId;

/// What the failed request was doing, for the message.
#[derive(Debug, Clone, Copy)]
pub enum Op<'a> {
    /// ListUsers in a tenancy (`user` names the tenancy).
    Users {
        tenancy: &'a str,
    },
    List {
        user: &'a str,
    },
    Upload {
        user: &'a str,
    },
    Delete {
        user: &'a str,
        fingerprint: &'a str,
    },
}

impl Op<'_> {
    fn user(&self) -> &str {
        match self {
            Op::Users { tenancy } => tenancy,
            Op::List { user } | Op::Upload { user } | Op::Delete { user, .. } => user,
        }
    }
}

pub const AUTH_ACTION: &str = "check the tenancy, user, fingerprint and private key in Accounts, \
     and that this computer's clock is right";

/// Read an error response. `auth_hint` is added to a 401 (e.g. a fingerprint mismatch).
pub fn from_response(r: &ErrorResponse, op: Op<'_>, auth_hint: Option<&str>) -> Error {
    let body: ErrorBody = r.parse();
    let detail = r.detail(body.code.clone(), body.message.clone());
    classify(
        r.status.as_u16(),
        body.code.as_deref(),
        op,
        auth_hint,
        r.retry_after,
        detail,
    )
}

fn classify(
    status: u16,
    code: Option<&str>,
    op: Op<'_>,
    auth_hint: Option<&str>,
    retry_after: Option<std::time::Duration>,
    detail: VendorDetail,
) -> Error {
    let user = op.user();
    let limit = code == Some("LimitExceeded")
        || (matches!(op, Op::Upload { .. })
            && status == 409
            && detail
                .message
                .as_deref()
                .is_some_and(|m| m.to_ascii_lowercase().contains("limit")));
    let detail_some = Some(detail.clone());
    match (status, code) {
        (401, _) => Error::Unauthorized {
            message: match auth_hint {
                Some(hint) => {
                    format!("OCI did not accept the request signature ({hint}) — {AUTH_ACTION}")
                }
                None => format!("OCI did not accept the request signature — {AUTH_ACTION}"),
            },
            detail: detail_some,
        },
        _ if limit => Error::QuotaExceeded {
            message: format!(
                "user {user} already has the most API signing keys OCI allows \
                 ({MAX_KEYS_PER_USER}); delete one before adding another"
            ),
            detail: detail_some,
        },
        (403, Some("NotAllowed")) => Error::Forbidden {
            message: "OCI accepts key changes only in the tenancy's home region: set the \
                      account's region to the home region"
                .into(),
            detail: detail_some,
        },
        (403, _) => Error::Forbidden {
            message: format!(
                "the account's user may not manage the API keys of {user} (only tenancy \
                 administrators may manage other users' keys)"
            ),
            detail: detail_some,
        },
        (404, _) => Error::NotFound {
            message: match op {
                Op::Delete { fingerprint, .. } => format!(
                    "OCI has no API signing key {fingerprint} for user {user} (it may have been \
                     deleted already)"
                ),
                _ => format!(
                    "OCI has no user {user}, or the account's user may not manage its keys \
                     (only tenancy administrators may manage other users' keys)"
                ),
            },
            detail: detail_some,
        },
        (409, Some("IncorrectState")) => Error::Conflict {
            message: "the key is changing state at OCI; try again in a moment".into(),
            detail: detail_some,
        },
        (409, _) if matches!(op, Op::Upload { .. }) => Error::Conflict {
            message: format!(
                "OCI refused the key: this public key is already uploaded for user {user}"
            ),
            detail: detail_some,
        },
        (400, _) if matches!(op, Op::Upload { .. }) => Error::Vendor {
            message: "OCI refused the public key (it must be an RSA key of at least 2048 bits \
                      in PEM)"
                .into(),
            detail,
        },
        (status, _) => http::status_error(
            VendorId::Oci,
            reqwest::StatusCode::from_u16(status).unwrap_or(reqwest::StatusCode::BAD_GATEWAY),
            retry_after,
            detail,
            AUTH_ACTION,
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Code;

    fn detail(status: u16, code: &str, message: &str) -> VendorDetail {
        VendorDetail {
            status,
            code: Some(code.into()),
            message: Some(message.into()),
            request_id: Some("REQ".into()),
        }
    }

    fn run(status: u16, code: &str, message: &str, op: Op<'_>) -> Error {
        classify(
            status,
            Some(code),
            op,
            None,
            None,
            detail(status, code, message),
        )
    }

    const UPLOAD: Op<'static> = Op::Upload {
        user: "ocid1.user.oc1..u",
    };

    #[test]
    fn documented_codes_map_to_actions() {
        let e = run(401, "NotAuthenticated", "bad", Op::List { user: "u" });
        assert_eq!(e.code(), Code::Unauthorized);
        assert!(e.to_string().contains("request id REQ"), "{e}");
        assert_eq!(
            run(400, "LimitExceeded", "x", UPLOAD).code(),
            Code::QuotaExceeded
        );
        assert_eq!(
            run(409, "Conflict", "API key limit exceeded", UPLOAD).code(),
            Code::QuotaExceeded
        );
        assert_eq!(
            run(409, "Conflict", "duplicate", UPLOAD).code(),
            Code::Conflict
        );
        let home = run(403, "NotAllowed", "home region", UPLOAD);
        assert!(home.to_string().contains("home region"), "{home}");
        let gone = run(
            404,
            "NotAuthorizedOrNotFound",
            "x",
            Op::Delete {
                user: "u",
                fingerprint: "aa",
            },
        );
        assert_eq!(gone.code(), Code::NotFound);
        assert!(gone.to_string().contains("aa"), "{gone}");
        assert_eq!(
            run(400, "InvalidParameter", "bad key", UPLOAD).code(),
            Code::Vendor
        );
        assert_eq!(
            run(429, "TooManyRequests", "slow", Op::List { user: "u" }).code(),
            Code::RateLimited
        );
        let server = run(500, "InternalServerError", "x", Op::List { user: "u" });
        assert!(server.is_transient());
    }

    #[test]
    fn a_401_carries_the_hint() {
        let e = classify(
            401,
            Some("NotAuthenticated"),
            Op::List { user: "u" },
            Some("the key's fingerprint is aa, not bb"),
            None,
            detail(401, "NotAuthenticated", "m"),
        );
        assert!(e.to_string().contains("not bb"), "{e}");
    }
}
