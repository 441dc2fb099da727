//! The one HTTP layer every vendor client uses: a shared reqwest client (rustls) with connect and
//! total timeouts and a user agent; bounded retries with exponential backoff and jitter for
//! idempotent requests, honouring Retry-After; and a log line per request that holds the method,
//! path, status, duration and request id — never a header value, query or body.

use std::sync::Arc;
use std::time::{Duration, Instant};

use rand::Rng;
use reqwest::{Method, Request, Response, StatusCode};
use serde::de::DeserializeOwned;

use crate::error::{Error, Result, VendorDetail};
use crate::model::VendorId;
use crate::vendors::common::endpoint::transport_problem;

#[derive(Debug, Clone)]
pub struct HttpConfig {
    pub connect_timeout: Duration,
    /// Whole request, including reading the body.
    pub timeout: Duration,
    /// Extra attempts after the first, for idempotent requests.
    pub max_retries: u32,
    pub base_backoff: Duration,
    pub max_backoff: Duration,
    /// A Retry-After longer than this is not waited for: the caller gets `RateLimited`.
    pub max_retry_after: Duration,
    pub user_agent: String,
}

impl Default for HttpConfig {
    fn default() -> Self {
        HttpConfig {
            connect_timeout: Duration::from_secs(10),
            timeout: Duration::from_secs(30),
            max_retries: 3,
            base_backoff: Duration::from_millis(250),
            max_backoff: Duration::from_secs(8),
            max_retry_after: Duration::from_secs(20),
            user_agent: format!("keyrack/{}", env!("CARGO_PKG_VERSION")),
        }
    }
}

/// Whether a request may be sent again after a failure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Retry {
    /// GET, DELETE, PUT with If-Match, and other requests whose repetition is harmless.
    Idempotent,
    /// Creates: never repeated blindly (the client recovers a lost create by looking it up).
    Never,
}

#[derive(Clone)]
pub struct Http {
    client: reqwest::Client,
    config: Arc<HttpConfig>,
}

impl Http {
    pub fn new(config: HttpConfig) -> Result<Self> {
        let client = reqwest::Client::builder()
            // No vendor API needs a redirect, and following one would send the credential
            // (Scaleway's X-Auth-Token, IBM's re-posted API key form) to another host.
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(config.connect_timeout)
            .timeout(config.timeout)
            .user_agent(config.user_agent.clone())
            .build()
            .map_err(|e| Error::Network {
                message: format!("could not set up the HTTP client: {e}"),
            })?;
        Ok(Http {
            client,
            config: Arc::new(config),
        })
    }

    pub fn client(&self) -> &reqwest::Client {
        &self.client
    }

    pub fn config(&self) -> &HttpConfig {
        &self.config
    }

    /// Send the request that `build` makes (called again for each attempt, so signatures and
    /// dates are fresh). Returns the response whatever its status; transport failures become
    /// `Network` / `Timeout`.
    pub async fn send(
        &self,
        vendor: VendorId,
        retry: Retry,
        build: impl Fn() -> Result<Request>,
    ) -> Result<Response> {
        let mut attempt = 0u32;
        loop {
            let request = build()?;
            if let Some(problem) = transport_problem(request.url()) {
                return Err(Error::config(format!(
                    "{} request to {} refused: the address {problem}",
                    vendor.display_name(),
                    request.url().host_str().unwrap_or("?")
                )));
            }
            let method = request.method().clone();
            let path = request.url().path().to_string();
            let host = request.url().host_str().unwrap_or("").to_string();
            let started = Instant::now();
            let outcome = self.client.execute(request).await;
            let elapsed_ms = started.elapsed().as_millis() as u64;
            let retries_left = retry == Retry::Idempotent && attempt < self.config.max_retries;

            match outcome {
                Ok(response) => {
                    let status = response.status();
                    let request_id = request_id(&response);
                    tracing::info!(
                        vendor = %vendor, %method, %path, status = status.as_u16(),
                        elapsed_ms, request_id = request_id.as_deref().unwrap_or("-"),
                        attempt, "vendor request"
                    );
                    if status.is_redirection() {
                        return Err(redirect_refused(vendor, &host, &response));
                    }
                    if retries_left && retryable_status(status) {
                        let wait = match retry_after(&response) {
                            Some(after) if after > self.config.max_retry_after => {
                                return Ok(response)
                            }
                            Some(after) => after,
                            None => self.backoff(attempt),
                        };
                        attempt += 1;
                        tokio::time::sleep(wait).await;
                        continue;
                    }
                    return Ok(response);
                }
                Err(err) => {
                    tracing::warn!(
                        vendor = %vendor, %method, %path, elapsed_ms, attempt,
                        kind = transport_kind(&err), "vendor request failed"
                    );
                    if retries_left && (err.is_connect() || err.is_timeout() || err.is_request()) {
                        attempt += 1;
                        tokio::time::sleep(self.backoff(attempt - 1)).await;
                        continue;
                    }
                    return Err(transport_error(vendor, &method, &host, &err));
                }
            }
        }
    }

    fn backoff(&self, attempt: u32) -> Duration {
        let exp = self
            .config
            .base_backoff
            .saturating_mul(2u32.saturating_pow(attempt))
            .min(self.config.max_backoff);
        // Full jitter between half and all of the exponential delay.
        let half = exp / 2;
        half + Duration::from_millis(rand::thread_rng().gen_range(0..=half.as_millis() as u64))
    }
}

/// A redirect is never followed: say where it pointed (the host only) and what to check.
fn redirect_refused(vendor: VendorId, host: &str, response: &Response) -> Error {
    let to = response
        .headers()
        .get(reqwest::header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|l| url::Url::parse(l).ok())
        .and_then(|u| u.host_str().map(str::to_string))
        .unwrap_or_else(|| "another address".to_string());
    Error::Network {
        message: format!(
            "{} at {host} answered with a redirect ({}) to {to}; Keyrack does not follow \
             redirects, so the credential only goes to the address it was entered for — check \
             the account's base URL",
            vendor.display_name(),
            response.status().as_u16()
        ),
    }
}

fn retryable_status(status: StatusCode) -> bool {
    matches!(status.as_u16(), 429 | 502 | 503 | 504)
}

fn transport_kind(err: &reqwest::Error) -> &'static str {
    if err.is_timeout() {
        "timeout"
    } else if err.is_connect() {
        "connect"
    } else if err.is_decode() {
        "decode"
    } else {
        "transport"
    }
}

fn transport_error(vendor: VendorId, method: &Method, host: &str, err: &reqwest::Error) -> Error {
    let name = vendor.display_name();
    if err.is_timeout() {
        Error::Timeout {
            message: format!("{name} did not answer in time ({method} to {host}); try again"),
        }
    } else if err.is_connect() {
        Error::Network {
            message: format!(
                "could not connect to {name} at {host}: check the network and the account's base URL"
            ),
        }
    } else {
        Error::Network {
            message: format!(
                "the connection to {name} at {host} failed during {method}: {}",
                root_cause(err)
            ),
        }
    }
}

fn root_cause(err: &(dyn std::error::Error + 'static)) -> String {
    let mut cur = err;
    while let Some(next) = cur.source() {
        cur = next;
    }
    cur.to_string()
}

/// The vendor's request id header, whichever of the usual names it uses.
pub fn request_id(response: &Response) -> Option<String> {
    const NAMES: [&str; 5] = [
        "opc-request-id",
        "x-request-id",
        "transaction-id",
        "x-correlation-id",
        "x-global-transaction-id",
    ];
    NAMES.iter().find_map(|name| {
        response
            .headers()
            .get(*name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    })
}

/// Retry-After in seconds (the HTTP-date form is also accepted).
pub fn retry_after(response: &Response) -> Option<Duration> {
    let value = response.headers().get("retry-after")?.to_str().ok()?.trim();
    if let Ok(secs) = value.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let when = httpdate::parse_http_date(value).ok()?;
    Some(
        when.duration_since(std::time::SystemTime::now())
            .unwrap_or_default(),
    )
}

/// Read a JSON body. On failure the error keeps an excerpt of the body so vendor drift is
/// readable — unless `may_hold_secret`, for responses (creates) whose body carries a secret.
pub async fn read_json<T: DeserializeOwned>(
    vendor: VendorId,
    response: Response,
    may_hold_secret: bool,
) -> Result<T> {
    let mut bytes = read_body(vendor, response).await?;
    let parsed = serde_json::from_slice(&bytes).map_err(|e| Error::Decode {
        message: format!(
            "{} answered with a response Keyrack could not read ({e})",
            vendor.display_name()
        ),
        raw: (!may_hold_secret).then(|| excerpt(&bytes)),
    });
    if may_hold_secret {
        // The parsed value keeps the secret in a `Sensitive`; the raw answer goes now.
        zeroize::Zeroize::zeroize(&mut bytes);
    }
    parsed
}

pub async fn read_body(vendor: VendorId, response: Response) -> Result<Vec<u8>> {
    response
        .bytes()
        .await
        .map(|b| b.to_vec())
        .map_err(|e| Error::Network {
            message: format!(
                "the connection to {} broke while reading its answer: {}",
                vendor.display_name(),
                root_cause(&e)
            ),
        })
}

/// At most 300 characters of a body, for error messages.
pub fn excerpt(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(bytes);
    let mut out: String = text.chars().take(300).collect();
    if text.chars().count() > 300 {
        out.push('…');
    }
    out
}

/// Map an error status to the core error, with the vendor's own words. `action` is what the user
/// should do for an auth failure (e.g. "check the admin key in Accounts").
pub fn status_error(
    vendor: VendorId,
    status: StatusCode,
    retry_after: Option<Duration>,
    detail: VendorDetail,
    action: &str,
) -> Error {
    let name = vendor.display_name();
    let vendor_detail = detail;
    let detail = Some(vendor_detail.clone());
    match status.as_u16() {
        401 => Error::Unauthorized {
            message: format!("{name} rejected the account's credential — {action}"),
            detail,
        },
        403 => Error::Forbidden {
            message: format!("the {name} credential lacks the permission for this"),
            detail,
        },
        404 => Error::NotFound {
            message: format!("{name} has no such key (it may have been deleted elsewhere)"),
            detail,
        },
        409 | 412 => Error::Conflict {
            message: format!("{name} refused the change because the key changed or is locked"),
            detail,
        },
        429 => Error::RateLimited {
            retry_after,
            message: match retry_after {
                Some(d) => format!(
                    "{name} is rate limiting requests; try again in {} s",
                    d.as_secs()
                ),
                None => format!("{name} is rate limiting requests; try again shortly"),
            },
            detail,
        },
        _ => Error::Vendor {
            message: if status.is_server_error() {
                format!("{name} had an internal error; try again later")
            } else {
                format!("{name} refused the request")
            },
            detail: vendor_detail,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_and_is_bounded() {
        let http = Http::new(HttpConfig::default()).unwrap();
        for attempt in 0..10 {
            let d = http.backoff(attempt);
            assert!(d <= http.config.max_backoff, "attempt {attempt}: {d:?}");
        }
        assert!(http.backoff(0) <= Duration::from_millis(250));
        assert!(http.backoff(3) >= Duration::from_millis(1000));
    }

    #[test]
    fn excerpt_is_bounded() {
        let long = "x".repeat(1000);
        assert_eq!(excerpt(long.as_bytes()).chars().count(), 301);
        assert_eq!(excerpt(b"short"), "short");
    }

    #[test]
    fn statuses_map_to_codes() {
        use crate::Code;
        let d = VendorDetail::default;
        let v = VendorId::Ibm;
        assert_eq!(
            status_error(v, StatusCode::UNAUTHORIZED, None, d(), "").code(),
            Code::Unauthorized
        );
        assert_eq!(
            status_error(v, StatusCode::CONFLICT, None, d(), "").code(),
            Code::Conflict
        );
        assert_eq!(
            status_error(v, StatusCode::TOO_MANY_REQUESTS, None, d(), "").code(),
            Code::RateLimited
        );
        assert_eq!(
            status_error(v, StatusCode::BAD_GATEWAY, None, d(), "").code(),
            Code::Vendor
        );
    }
}
