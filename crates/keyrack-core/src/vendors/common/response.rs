//! One reader of error responses: status, Retry-After, request id and body are read here once,
//! then each vendor's `errors.rs` maps them to a core error with the vendor's own words.
//!
//! A body is quoted only through the fields of the vendor's JSON error type. A body that is not
//! the vendor's JSON (an HTML page, a proxy's echo of the request) is described by its status,
//! content type and length, never quoted: it could hold anything, a bearer key included.

use std::time::Duration;

use reqwest::{Response, StatusCode};
use serde::de::DeserializeOwned;

use crate::error::{Error, VendorDetail};
use crate::http;
use crate::vendors::VendorId;

/// A response whose status is not a success, read to the end.
#[derive(Debug)]
pub struct ErrorResponse {
    pub vendor: VendorId,
    pub status: StatusCode,
    pub retry_after: Option<Duration>,
    pub request_id: Option<String>,
    content_type: Option<String>,
    body: Vec<u8>,
}

impl ErrorResponse {
    pub async fn read(vendor: VendorId, response: Response) -> Self {
        let status = response.status();
        let retry_after = http::retry_after(&response);
        let request_id = http::request_id(&response);
        let content_type = response
            .headers()
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(|v| v.split(';').next().unwrap_or(v).trim().to_string());
        // A body that breaks off is read as empty: the status still says what happened.
        let body = http::read_body(vendor, response).await.unwrap_or_default();
        ErrorResponse {
            vendor,
            status,
            retry_after,
            request_id,
            content_type,
            body,
        }
    }

    /// The body as the vendor's JSON error type; its default when the body is something else.
    pub fn parse<T: DeserializeOwned + Default>(&self) -> T {
        serde_json::from_slice(&self.body).unwrap_or_default()
    }

    /// The body as lower-case text, for vendors whose only signal for a condition is a word in
    /// their message (IBM and Codefresh name limits only in prose). Never shown to anyone.
    pub fn lowercase_text(&self) -> String {
        String::from_utf8_lossy(&self.body).to_lowercase()
    }

    /// The vendor's words: its code and message when its JSON had them, else a description of
    /// the body that does not quote it.
    pub fn detail(&self, code: Option<String>, message: Option<String>) -> VendorDetail {
        VendorDetail {
            status: self.status.as_u16(),
            code,
            message: message.or_else(|| self.describe_body()),
            request_id: self.request_id.clone(),
        }
    }

    /// "a text/html answer of 1532 bytes" — what an unreadable body was, without its content.
    fn describe_body(&self) -> Option<String> {
        if self.body.is_empty() {
            return None;
        }
        let kind = self.content_type.as_deref().unwrap_or("untyped");
        Some(format!(
            "an answer that is not {}'s error format ({kind}, {} bytes)",
            self.vendor.display_name(),
            self.body.len()
        ))
    }

    /// The core error for a status no vendor rule claimed. `action` is what to do about a 401.
    pub fn status_error(&self, detail: VendorDetail, action: &str) -> Error {
        http::status_error(self.vendor, self.status, self.retry_after, detail, action)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn response(status: u16, content_type: &str, body: &str) -> ErrorResponse {
        ErrorResponse {
            vendor: VendorId::Openai,
            status: StatusCode::from_u16(status).unwrap(),
            retry_after: None,
            request_id: Some("req_1".into()),
            content_type: Some(content_type.into()),
            body: body.as_bytes().to_vec(),
        }
    }

    #[test]
    fn a_body_that_is_not_the_vendors_json_is_described_not_quoted() {
        let echo = "GET / HTTP/1.1\r\nAuthorization: Bearer sk-admin-SECRET\r\n";
        let r = response(502, "text/plain", echo);
        let detail = r.detail(None, None);
        let text = detail.message.unwrap();
        assert!(!text.contains("sk-admin"), "{text}");
        assert!(
            text.contains("text/plain") && text.contains(&echo.len().to_string()),
            "{text}"
        );
        assert_eq!(detail.request_id.as_deref(), Some("req_1"));
    }

    #[test]
    fn the_vendors_message_is_kept() {
        #[derive(Default, serde::Deserialize)]
        struct Body {
            message: Option<String>,
        }
        let r = response(400, "application/json", r#"{"message":"bad name"}"#);
        let body: Body = r.parse();
        let detail = r.detail(Some("invalid".into()), body.message);
        assert_eq!(detail.message.as_deref(), Some("bad name"));
        assert_eq!(detail.code.as_deref(), Some("invalid"));
        let garbage: Body = response(400, "text/html", "<html>").parse();
        assert!(garbage.message.is_none());
    }
}
