//! IBM error responses (`{"errors": [{code, message_code, message, details}], trace}` and the
//! token service's `{errorCode, errorMessage, context}`) turned into core errors that say what
//! to do.

use super::wire;
use crate::error::Error;
use crate::vendors::common::ErrorResponse;

/// What a failed request was trying to do, for the message.
#[derive(Debug, Clone, Copy)]
pub enum Op {
    Read,
    Create,
    Update,
    Delete,
    Lock,
    Disable,
}

impl Op {
    fn text(self) -> &'static str {
        match self {
            Op::Read => "read these API keys",
            Op::Create => "create API keys for this identity",
            Op::Update => "edit this API key",
            Op::Delete => "delete this API key",
            Op::Lock => "lock or unlock this API key",
            Op::Disable => "disable or enable this API key",
        }
    }
}

/// `id` is the key the request was about, if any.
pub fn from_response(op: Op, id: Option<&str>, r: &ErrorResponse) -> Error {
    let (code, message, body_request_id) = wire::error_fields(&r.parse());
    let mut detail = r.detail(code, message);
    detail.request_id = detail.request_id.or(body_request_id);
    // IBM states no code for "too many keys"; its words (or code) name a limit or maximum.
    let text = r.lowercase_text();
    let over_limit =
        text.contains("limit") || (text.contains("maximum") && text.contains("api key"));
    match (r.status.as_u16(), op) {
        (401, _) => Error::Unauthorized {
            message: "IBM Cloud rejected the token issued for the account's API key — check \
                      the key in Accounts"
                .into(),
            detail: Some(detail),
        },
        (400 | 403 | 409, Op::Create) if over_limit => Error::QuotaExceeded {
            message: "the identity has as many API keys as IBM Cloud allows; delete one first"
                .into(),
            detail: Some(detail),
        },
        (403, _) => Error::Forbidden {
            message: format!(
                "the account's IBM API key is not allowed to {}; it needs an IAM Identity role \
                 that allows managing these API keys",
                op.text()
            ),
            detail: Some(detail),
        },
        (404, _) => Error::NotFound {
            message: match id {
                Some(id) => {
                    format!("IBM Cloud has no API key `{id}` (it may have been deleted elsewhere)")
                }
                // Lists and creates name an identity and account, not a key.
                None => "IBM Cloud does not know the identity or account this account is set \
                         to manage; check iam_id and account_id in its settings"
                    .into(),
            },
            detail: Some(detail),
        },
        (409, Op::Update) => Error::Conflict {
            message: "the key changed since Keyrack read it, or it is locked; reload it and try \
                      again (unlock it first if it is locked)"
                .into(),
            detail: Some(detail),
        },
        (409, Op::Delete) => Error::Conflict {
            message: "the key is locked; unlock it first".into(),
            detail: Some(detail),
        },
        _ => r.status_error(detail, "check the API key in Accounts"),
    }
}
