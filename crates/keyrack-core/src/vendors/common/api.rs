//! A vendor API reached at a base URL with the account's credential in one request header
//! (Scaleway's `X-Auth-Token`, Codefresh's raw `Authorization`, OpenAI's bearer key). The header
//! is marked sensitive, so neither reqwest nor a proxy-aware layer shows it; every request gets
//! `Accept: application/json` and goes through the shared HTTP layer.

use reqwest::header::{HeaderName, HeaderValue, ACCEPT};
use reqwest::{Method, RequestBuilder, Response};
use url::Url;

use super::endpoint::{build_request, join};
use super::response::ErrorResponse;
use crate::error::{Error, Result};
use crate::http::{Http, Retry};
use crate::secret::Sensitive;
use crate::vendors::VendorId;

pub struct Api {
    vendor: VendorId,
    base: Url,
    http: Http,
    auth: (HeaderName, HeaderValue),
    /// Sent with every request, e.g. OpenAI's `OpenAI-Organization`.
    extra: Vec<(HeaderName, HeaderValue)>,
}

impl Api {
    /// `auth_value` is the whole header value (`Bearer …` where the vendor wants it).
    pub fn new(
        vendor: VendorId,
        base: Url,
        http: &Http,
        auth_header: &'static str,
        auth_value: Sensitive<String>,
    ) -> Result<Self> {
        Ok(Api {
            vendor,
            base,
            http: http.clone(),
            auth: (
                HeaderName::from_static(auth_header),
                credential_value(vendor, &auth_value)?,
            ),
            extra: Vec::new(),
        })
    }

    /// Whether `credential` (the whole header value) authenticates on its own: a GET of
    /// `segments` made with it in place of the account's credential, without the account's other
    /// headers, judged by `verify::judge`. Rotation's verify step.
    pub async fn verify_credential(
        &self,
        credential: &Sensitive<String>,
        segments: &[&str],
    ) -> Result<()> {
        let api = Api {
            vendor: self.vendor,
            base: self.base.clone(),
            http: self.http.clone(),
            auth: (
                self.auth.0.clone(),
                credential_value(self.vendor, credential)?,
            ),
            extra: Vec::new(),
        };
        let url = api.url(segments);
        let sent = api
            .send(Retry::Idempotent, || api.request(Method::GET, &url))
            .await;
        super::verify::judge(self.vendor, sent).await
    }

    /// Also send `name: value` with every request.
    pub fn with_header(mut self, name: &'static str, value: &str) -> Result<Self> {
        let value = HeaderValue::from_str(value).map_err(|_| {
            Error::config(format!(
                "the {} account's `{name}` setting holds characters a header cannot carry",
                self.vendor.display_name()
            ))
        })?;
        self.extra.push((HeaderName::from_static(name), value));
        Ok(self)
    }

    pub fn base(&self) -> &Url {
        &self.base
    }

    pub fn http(&self) -> &Http {
        &self.http
    }

    /// `<base>/<segments…>`, each segment escaped.
    pub fn url(&self, segments: &[&str]) -> Url {
        join(&self.base, segments)
    }

    /// A request with the credential and the account's headers.
    pub fn request(&self, method: Method, url: &Url) -> RequestBuilder {
        let mut builder = self
            .http
            .client()
            .request(method, url.clone())
            .header(self.auth.0.clone(), self.auth.1.clone())
            .header(ACCEPT, "application/json");
        for (name, value) in &self.extra {
            builder = builder.header(name.clone(), value.clone());
        }
        builder
    }

    /// Send what `build` makes and require a success; an error status becomes the vendor's
    /// error through `refused`.
    pub async fn expect_success(
        &self,
        retry: Retry,
        build: impl Fn() -> RequestBuilder,
        refused: impl FnOnce(&ErrorResponse) -> Error,
    ) -> Result<Response> {
        let response = self.send(retry, build).await?;
        if response.status().is_success() {
            return Ok(response);
        }
        Err(refused(&ErrorResponse::read(self.vendor, response).await))
    }

    /// Send what `build` makes (built again for each attempt).
    pub async fn send(&self, retry: Retry, build: impl Fn() -> RequestBuilder) -> Result<Response> {
        self.http
            .send(self.vendor, retry, || build_request(self.vendor, build()))
            .await
    }
}

/// A credential as a header value, marked sensitive so no layer prints it.
fn credential_value(vendor: VendorId, credential: &Sensitive<String>) -> Result<HeaderValue> {
    let mut value = HeaderValue::from_str(credential.expose().trim()).map_err(|_| {
        Error::config(format!(
            "the {} credential holds characters a request header cannot carry (a line \
             break?); enter it again in Accounts",
            vendor.display_name()
        ))
    })?;
    value.set_sensitive(true);
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn api(value: &str) -> Result<Api> {
        let http = Http::new(Default::default()).unwrap();
        let base = Url::parse("https://api.example.test/v1").unwrap();
        Api::new(
            VendorId::Scaleway,
            base,
            &http,
            "x-auth-token",
            Sensitive::from(value),
        )
    }

    #[test]
    fn the_credential_header_is_sensitive_and_sent_with_json_accept() {
        let api = api("secret-value").unwrap();
        let url = api.url(&["iam", "v1alpha1", "api-keys"]);
        let request = api.request(Method::GET, &url).build().unwrap();
        let auth = request.headers().get("x-auth-token").unwrap();
        assert!(auth.is_sensitive());
        assert_eq!(auth, "secret-value");
        assert_eq!(request.headers().get("accept").unwrap(), "application/json");
        assert!(!format!("{:?}", request.headers()).contains("secret-value"));
        assert_eq!(request.url().path(), "/v1/iam/v1alpha1/api-keys");
    }

    #[test]
    fn a_credential_no_header_can_carry_is_a_setting_to_fix() {
        let e = api("s3cr3t\nvalue").err().unwrap();
        assert_eq!(e.code(), crate::Code::Config);
        assert!(
            !e.to_string().contains("s3cr3t"),
            "the message never quotes the credential: {e}"
        );
    }
}
