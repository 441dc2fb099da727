//! Scaleway error bodies → core errors, keyed on the body's `type` (then on the status), as the
//! vendor doc advises: `reason` and `message` wording vary, `type` does not.

use std::time::Duration;

use reqwest::Response;

use super::wire::ErrorBody;
use crate::error::{Error, VendorDetail};
use crate::http;
use crate::model::VendorId;

const V: VendorId = VendorId::Scaleway;

/// What a failed request was doing, for the message.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Read,
    Create,
    Update,
    Delete,
}

pub async fn from_response(op: Op, id: Option<&str>, response: Response) -> Error {
    let status = response.status();
    let header_retry = http::retry_after(&response);
    let request_id = http::request_id(&response);
    let bytes = http::read_body(V, response).await.unwrap_or_default();
    let body: ErrorBody = serde_json::from_slice(&bytes).unwrap_or_default();
    let detail = VendorDetail {
        status: status.as_u16(),
        code: body.kind.clone(),
        message: body.text(),
        request_id,
    };
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
                V,
                reqwest::StatusCode::TOO_MANY_REQUESTS,
                retry_after,
                detail,
                "",
            )
        }
        _ => http::status_error(
            V,
            status,
            header_retry,
            detail,
            "check the secret key in Accounts",
        ),
    }
}
