//! OpenAI error responses (`{"error": {message, type, param, code}}` + `x-request-id`) turned
//! into core errors that say what to do.

use reqwest::StatusCode;

use super::wire::ErrorEnvelope;
use crate::error::{Error, VendorDetail};
use crate::http;
use crate::vendors::common::ErrorResponse;
use crate::vendors::VendorId;

pub const AUTH_ACTION: &str = "check the admin key in Accounts: it must be an organization \
     admin key (sk-admin-…), not a project or service-account key";

/// What the failed request was about, for a precise not-found message.
#[derive(Debug, Clone, Copy)]
pub enum Subject<'a> {
    Projects,
    Project(&'a str),
    Key { project: &'a str, key: &'a str },
    ServiceAccount { project: &'a str, id: &'a str },
    AdminKeys,
    AdminKey(&'a str),
}

pub fn from_response(r: &ErrorResponse, subject: Subject<'_>) -> Error {
    let e = r.parse::<ErrorEnvelope>().error;
    let detail = r.detail(e.code.or(e.kind), e.message);
    classify(r.status, subject, r.retry_after, detail)
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
            Subject::AdminKeys => {
                "OpenAI has no admin key endpoint here: check the account's base URL".into()
            }
            Subject::AdminKey(id) => {
                format!("OpenAI has no admin key {id} (it may have been deleted)")
            }
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
