//! The IAM token: the account's API key is exchanged at `POST /identity/token` for a short-lived
//! bearer token, cached, and exchanged again once 80 % of its lifetime has passed (as IBM's SDKs
//! do) or when IBM answers 401. The token's JWT payload says who the key belongs to.

use std::time::{Duration, Instant};

use base64::Engine;
use reqwest::StatusCode;
use url::Url;

use super::wire::{self, Claims, TokenResponse};
use crate::error::{Error, Result};
use crate::http::{self, Http, Retry};
use crate::secret::Sensitive;
use crate::vendors::common::{self, ErrorResponse};
use crate::vendors::VendorId;

const GRANT_TYPE: &str = "urn:ibm:params:oauth:grant-type:apikey";
/// Used when neither the JWT nor the response says how long the token lives.
const DEFAULT_TTL: Duration = Duration::from_secs(3600);

/// A bearer token and what its payload says.
#[derive(Debug, Clone)]
pub struct Token {
    pub access: Sensitive<String>,
    pub claims: Claims,
}

struct Cached {
    token: Token,
    refresh_at: Instant,
}

pub struct TokenSource {
    http: Http,
    url: Url,
    apikey: Sensitive<String>,
    cache: tokio::sync::Mutex<Option<Cached>>,
}

impl TokenSource {
    pub fn new(http: Http, iam_url: &Url, apikey: Sensitive<String>) -> Self {
        TokenSource {
            http,
            url: common::join(iam_url, &["identity", "token"]),
            apikey,
            cache: tokio::sync::Mutex::new(None),
        }
    }

    /// The cached token, or a new one when there is none or it is due for refresh. The lock is
    /// held across the exchange so that concurrent requests share one exchange.
    pub async fn get(&self) -> Result<Token> {
        let mut cache = self.cache.lock().await;
        if let Some(cached) = cache.as_ref() {
            if Instant::now() < cached.refresh_at {
                return Ok(cached.token.clone());
            }
        }
        let (token, ttl) = self.exchange().await?;
        *cache = Some(Cached {
            token: token.clone(),
            refresh_at: Instant::now() + refresh_after(ttl),
        });
        Ok(token)
    }

    /// After a 401: drop `rejected` from the cache (unless another request already replaced it)
    /// and get a fresh token.
    pub async fn renew(&self, rejected: &Token) -> Result<Token> {
        {
            let mut cache = self.cache.lock().await;
            if cache
                .as_ref()
                .is_some_and(|c| c.token.access.expose() == rejected.access.expose())
            {
                *cache = None;
            }
        }
        self.get().await
    }

    async fn exchange(&self) -> Result<(Token, Duration)> {
        let response = self
            .http
            .send(VendorId::Ibm, Retry::Idempotent, || {
                // The form carries the API key: built into a `Sensitive` and wiped after the
                // request took its copy.
                let body = Sensitive::new(form_body(&self.apikey));
                let form = self
                    .http
                    .client()
                    .post(self.url.clone())
                    .header("Accept", "application/json")
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .body(body.expose().clone().into_bytes());
                common::build_request(VendorId::Ibm, form)
            })
            .await?;
        let status = response.status();
        if !status.is_success() {
            return Err(token_error(response).await);
        }
        let body: TokenResponse = http::read_json(VendorId::Ibm, response, true).await?;
        let claims = decode_claims(body.access_token.expose())?;
        let ttl = lifetime(&claims, &body);
        Ok((
            Token {
                access: body.access_token,
                claims,
            },
            ttl,
        ))
    }
}

/// `grant_type=…&apikey=…&response_type=cloud_iam`, form-encoded.
fn form_body(apikey: &Sensitive<String>) -> String {
    let mut form = url::form_urlencoded::Serializer::new(String::new());
    form.append_pair("grant_type", GRANT_TYPE);
    form.append_pair("apikey", apikey.expose());
    form.append_pair("response_type", "cloud_iam");
    form.finish()
}

/// The token service refuses an unknown, disabled or expired key with a 4xx (usually 400, not
/// 401): all of those mean the account's key is wrong. Throttling and outages stay what they are.
async fn token_error(response: reqwest::Response) -> Error {
    let r = ErrorResponse::read(VendorId::Ibm, response).await;
    let (code, message, body_request_id) = wire::error_fields(&r.parse());
    let mut detail = r.detail(code, message);
    detail.request_id = detail.request_id.or(body_request_id);
    if r.status.is_client_error() && r.status != StatusCode::TOO_MANY_REQUESTS {
        return Error::Unauthorized {
            message: "the IBM API key was rejected by the token service — check it in Accounts"
                .into(),
            detail: Some(detail),
        };
    }
    r.status_error(detail, "check the API key in Accounts")
}

/// The payload of a JWT, without checking its signature (as IBM's SDK cores do): Keyrack only
/// reads who the token is for; IBM checks the token itself on every call.
pub fn decode_claims(jwt: &str) -> Result<Claims> {
    let not_jwt = |why: &str| Error::Decode {
        message: format!(
            "the IBM token service returned an access token Keyrack could not read ({why})"
        ),
        raw: None,
    };
    let mut parts = jwt.split('.');
    let (Some(_header), Some(payload), Some(_signature), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(not_jwt("not a JWT"));
    };
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload.trim_end_matches('='))
        .map_err(|_| not_jwt("payload is not base64url"))?;
    serde_json::from_slice(&bytes).map_err(|_| not_jwt("payload is not JSON"))
}

/// How long the token lives: from the JWT's `exp`−`iat` like the Python SDK, else from the
/// response. Measured as a duration so that a skewed local clock does not matter.
fn lifetime(claims: &Claims, body: &TokenResponse) -> Duration {
    let from_jwt = match (claims.exp, claims.iat) {
        (Some(exp), Some(iat)) if exp > iat => Some(exp - iat),
        _ => None,
    };
    let from_body = body
        .expires_in
        .filter(|s| *s > 0)
        .or(match (body.expiration, claims.iat) {
            (Some(exp), Some(iat)) if exp > iat => Some(exp - iat),
            _ => None,
        });
    from_jwt
        .or(from_body)
        .map(|s| Duration::from_secs(s as u64))
        .unwrap_or(DEFAULT_TTL)
}

/// Refresh once 80 % of the lifetime has passed.
fn refresh_after(ttl: Duration) -> Duration {
    ttl.mul_f64(0.8)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The token from the vendor doc's example response.
    const DOC_TOKEN: &str = "eyJraWQiOiIyMDI0MDEwMTAwMDAwMCIsImFsZyI6IlJTMjU2In0.eyJpYW1faWQiOiJJQk1pZC02OTAwMDEyQUJDIiwiaWQiOiJJQk1pZC02OTAwMDEyQUJDIiwic3ViIjoiSUJNaWQtNjkwMDAxMkFCQyIsImFjY291bnQiOnsiYnNzIjoiMGExYjJjM2Q0ZTVmNjA3MTgyOTNhNGI1YzZkN2U4ZjkifSwiaWF0IjoxNzY3MjIyMDAwLCJleHAiOjE3NjcyMjU2MDAsImlzcyI6Imh0dHBzOi8vaWFtLmNsb3VkLmlibS5jb20vaWRlbnRpdHkiLCJncmFudF90eXBlIjoidXJuOmlibTpwYXJhbXM6b2F1dGg6Z3JhbnQtdHlwZTphcGlrZXkiLCJzY29wZSI6ImlibSBvcGVuaWQiLCJjbGllbnRfaWQiOiJkZWZhdWx0In0.c2lnbmF0dXJl";

    #[test]
    fn the_documented_token_decodes() {
        let claims = decode_claims(DOC_TOKEN).unwrap();
        assert_eq!(claims.identity(), Some("IBMid-6900012ABC"));
        assert_eq!(
            claims.account_id(),
            Some("0a1b2c3d4e5f60718293a4b5c6d7e8f9")
        );
        assert_eq!(
            (claims.iat, claims.exp),
            (Some(1767222000), Some(1767225600))
        );
    }

    #[test]
    fn non_jwts_are_decode_errors_without_the_token() {
        for bad in [
            "not-a-token",
            "a.b",
            "a.!!!.c",
            "a.bm90IGpzb24.c",
            "a.b.c.d",
        ] {
            let err = decode_claims(bad).unwrap_err();
            assert_eq!(err.code(), crate::Code::Decode, "{bad}");
            assert!(matches!(err, Error::Decode { raw: None, .. }));
        }
    }

    #[test]
    fn lifetime_prefers_the_jwt_then_the_response() {
        let body = |expires_in, expiration| TokenResponse {
            access_token: Sensitive::from("x"),
            expires_in,
            expiration,
        };
        let jwt = Claims {
            iat: Some(1000),
            exp: Some(1600),
            ..Default::default()
        };
        assert_eq!(
            lifetime(&jwt, &body(Some(3600), None)),
            Duration::from_secs(600)
        );
        let bare = Claims::default();
        assert_eq!(
            lifetime(&bare, &body(Some(1200), None)),
            Duration::from_secs(1200)
        );
        assert_eq!(lifetime(&bare, &body(None, None)), DEFAULT_TTL);
        assert_eq!(
            refresh_after(Duration::from_secs(3600)),
            Duration::from_secs(2880)
        );
    }
}
