//! Scaleway error bodies → core errors, keyed on the body's `type` (then on the status), as the
//! vendor doc advises: `reason` and `message` wording vary, `type` does not.

use std::time::Duration;

use super::wire::ErrorBody;
use crate::error::Error;
use crate::http;
use crate::vendors::common::ErrorResponse;

/// What a failed request was doing, for the message.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Read,
    Create,
    Update,
    Delete,
}

pub fn from_response(op: Op, id: Option<&str>, r: &ErrorResponse) -> Error {
    let status = r.status;
    let header_retry = r.retry_after;
    let body: ErrorBody = r.parse();
    let detail = r.detail(body.kind.clone(), body.text());
    let kind = body.kind.as_deref().unwrap_or("");
    let d = Some(detail.clone());
    match (kind, status.as_u16()) {
        ("denied_authentication", _) | (_, 401) => Error::Unauthorized {
            message: if body.reason.as_deref() == Some("expired") {
                "the account's Scaleway secret key has expired — enter a new one in Accounts".into()
            } else {
                "Scaleway rejected the account's secret key — check it in Accounts".into()
            },
            detail: d,
        },
        ("quotas_exceeded", _) => Error::QuotaExceeded {
            message: "the organization has as many API keys as its Scaleway quota allows; \
                      delete one first"
                .into(),
            detail: d,
        },
        ("permissions_denied", _) | (_, 403) => Error::Forbidden {
            message: match op {
                Op::Update | Op::Delete => "the account's Scaleway key lacks the IAM permission \
                    for this, or the key is managed by a Scaleway product (managed keys cannot \
                    be edited or deleted)"
                    .into(),
                _ => "the account's Scaleway key lacks the IAM permission for this (e.g. the \
                      IAMManager permission set)"
                    .into(),
            },
            detail: d,
        },
        ("not_found", _) | (_, 404) => Error::NotFound {
            message: match (op, id) {
                (Op::Create, _) | (_, None) => format!(
                    "Scaleway has no such {} — pick another",
                    body.resource.as_deref().unwrap_or("resource")
                ),
                (_, Some(id)) => {
                    format!("Scaleway has no API key `{id}` (it may have been deleted elsewhere)")
                }
            },
            detail: d,
        },
        (
            "precondition_failed" | "transient_state" | "locked" | "already_exists" | "conflict",
            _,
        )
        | (_, 409 | 412 | 423) => Error::Conflict {
            message: "Scaleway refused the change in the key's current state".into(),
            detail: d,
        },
        ("too_many_requests", _) | (_, 429) => {
            let retry_after = header_retry.or(body.reset_seconds.map(Duration::from_secs));
            http::status_error(
                r.vendor,
                reqwest::StatusCode::TOO_MANY_REQUESTS,
                retry_after,
                detail,
                "",
            )
        }
        _ => r.status_error(detail, "check the secret key in Accounts"),
    }
}
