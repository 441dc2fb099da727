//! OpenAI error responses (`{"error": {message, type, param, code}}` + `x-request-id`) turned
//! into core errors that say what to do.

use reqwest::{Response, StatusCode};

use super::wire::ErrorEnvelope;
use crate::error::{Error, VendorDetail};
use crate::http;
use crate::model::VendorId;

pub const AUTH_ACTION: &str = "check the admin key in Accounts: it must be an organization \
     admin key (sk-admin-…), not a project or service-account key";

/// What the failed request was about, for a precise not-found message.
#[derive(Debug, Clone, Copy)]
pub enum Subject<'a> {
    Projects,
    Project(&'a str),
    Key { project: &'a str, key: &'a str },
    ServiceAccount { project: &'a str, id: &'a str },
}

pub async fn from_response(response: Response, subject: Subject<'_>) -> Error {
    let status = response.status();
    let retry_after = http::retry_after(&response);
    let request_id = http::request_id(&response);
    let bytes = http::read_body(VendorId::Openai, response)
        .await
        .unwrap_or_default();
    let envelope: ErrorEnvelope = serde_json::from_slice(&bytes).unwrap_or_default();
    let e = envelope.error;
    let message = e
        .message
        .or_else(|| (!bytes.is_empty()).then(|| http::excerpt(&bytes)));
    let detail = VendorDetail {
        status: status.as_u16(),
        code: e.code.or(e.kind),
        message,
        request_id,
    };
    classify(status, subject, retry_after, detail)
}

fn classify(
    status: StatusCode,
    subject: Subject<'_>,
    retry_after: Option<std::time::Duration>,
    detail: VendorDetail,
) -> Error {
    if status == StatusCode::NOT_FOUND {
        let message = match subject {
            Subject::Projects => {
                "OpenAI has no such endpoint here: check the account's base URL".into()
            }
            Subject::Project(p) => format!("OpenAI has no active project {p}"),
            Subject::Key { project, key } => format!(
                "OpenAI has no API key {key} in project {project} (it may have been deleted)"
            ),
            Subject::ServiceAccount { project, id } => format!(
                "OpenAI has no service account {id} in project {project} (it may have been deleted)"
            ),
        };
        return Error::NotFound {
            message,
            detail: Some(detail),
        };
    }
    if status == StatusCode::FORBIDDEN {
        return Error::Forbidden {
            message: "the OpenAI admin key may not do this: it needs the organization owner's \
                      admin rights"
                .into(),
            detail: Some(detail),
        };
    }
    http::status_error(VendorId::Openai, status, retry_after, detail, AUTH_ACTION)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Code;

    fn detail(status: u16) -> VendorDetail {
        VendorDetail {
            status,
            code: Some("invalid_api_key".into()),
            message: Some("Incorrect API key provided: sk-ad********wxyz.".into()),
            request_id: Some("req_1".into()),
        }
    }

    #[test]
    fn statuses_map_with_their_subject() {
        let key = Subject::Key {
            project: "proj_a",
            key: "key_1",
        };
        let e = classify(StatusCode::UNAUTHORIZED, key, None, detail(401));
        assert_eq!(e.code(), Code::Unauthorized);
        assert!(e.to_string().contains("sk-admin-"), "{e}");
        assert!(e.to_string().contains("req_1"), "{e}");
        let e = classify(StatusCode::NOT_FOUND, key, None, detail(404));
        assert!(e.to_string().contains("key_1 in project proj_a"), "{e}");
        assert_eq!(
            classify(StatusCode::FORBIDDEN, key, None, detail(403)).code(),
            Code::Forbidden
        );
        assert_eq!(
            classify(StatusCode::TOO_MANY_REQUESTS, key, None, detail(429)).code(),
            Code::RateLimited
        );
        assert_eq!(
            classify(StatusCode::BAD_REQUEST, key, None, detail(400)).code(),
            Code::Vendor
        );
    }
}
