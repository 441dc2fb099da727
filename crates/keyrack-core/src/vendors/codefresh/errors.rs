//! Codefresh error responses (`{status, code, name, message, context}`) turned into core errors
//! that say what to do.

use super::wire::ErrorBody;
use crate::error::Error;
use crate::vendors::common::ErrorResponse;

/// What a failed request was doing, for the message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Read,
    Create,
    Write,
}

/// `id` is the key the request was about, if any.
pub fn from_response(op: Op, id: Option<&str>, r: &ErrorResponse) -> Error {
    let body: ErrorBody = r.parse();
    let detail = r.detail(body.code(), body.text());
    let said_limit = detail
        .message
        .as_deref()
        .is_some_and(|m| m.to_lowercase().contains("limit"));
    let said_service_user = detail
        .message
        .as_deref()
        .is_some_and(|m| m.to_lowercase().contains("service user"));
    match (r.status.as_u16(), op, id) {
        (401, _, _) => Error::Unauthorized {
            message: "Codefresh rejected the account's API key (revoked or mistyped) — check it \
                      in Accounts"
                .into(),
            detail: Some(detail),
        },
        (400 | 403 | 409 | 422, Op::Create, _) if said_limit => Error::QuotaExceeded {
            message: "Codefresh refused another API key (a limit was reached); delete one first"
                .into(),
            detail: Some(detail),
        },
        (403, _, _) => Error::Forbidden {
            message: "the account's Codefresh API key lacks the scope or permission for this"
                .into(),
            detail: Some(detail),
        },
        // Codefresh names what it did not find: a service user's keys are under the service user.
        (404, _, _) if said_service_user => Error::NotFound {
            message: "Codefresh has no such service user in this account (it may have been \
                      deleted)"
                .into(),
            detail: Some(detail),
        },
        (404, Op::Read | Op::Write, Some(id)) => Error::NotFound {
            message: format!(
                "Codefresh has no API key `{id}` (it may have been deleted elsewhere)"
            ),
            detail: Some(detail),
        },
        _ => r.status_error(detail, "check the API key in Accounts"),
    }
}
