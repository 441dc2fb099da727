//! OCI request signatures (draft-cavage-http-signatures-08, signature version 1, rsa-sha256),
//! checked against the request exactly as it arrived on the wire.

use axum::http::{HeaderMap, Method};
use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use rsa::pkcs1v15::Pkcs1v15Sign;
use rsa::RsaPublicKey;
use sha2::{Digest, Sha256};

/// Headers every request must sign (`x-date` may stand in for `date`).
pub const GENERIC_HEADERS: [&str; 3] = ["date", "(request-target)", "host"];
/// Headers a request with a body (POST, PUT, PATCH) must sign as well.
pub const BODY_HEADERS: [&str; 3] = ["content-length", "content-type", "x-content-sha256"];

/// Why a request failed authentication. Logged, never sent: every failure is the same 401.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuthError {
    MissingAuthorization,
    NotSignatureScheme,
    MalformedParams(&'static str),
    UnsupportedAlgorithm,
    UnsupportedVersion,
    RequiredHeaderNotSigned(&'static str),
    SignedHeaderMissing(String),
    BadHeaderValue(String),
    BodyHashMismatch,
    ContentLengthMismatch,
    BadDate,
    ClockSkew,
    UnknownKey,
    BadSignature,
}

impl std::fmt::Display for AuthError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::MissingAuthorization => write!(f, "no Authorization header"),
            Self::NotSignatureScheme => write!(f, "Authorization scheme is not `Signature`"),
            Self::MalformedParams(what) => write!(f, "malformed signature parameters: {what}"),
            Self::UnsupportedAlgorithm => write!(f, "algorithm is not rsa-sha256"),
            Self::UnsupportedVersion => write!(f, "signature version is not 1"),
            Self::RequiredHeaderNotSigned(h) => write!(f, "required header `{h}` is not signed"),
            Self::SignedHeaderMissing(h) => write!(f, "signed header `{h}` is not in the request"),
            Self::BadHeaderValue(h) => write!(f, "header `{h}` is not visible ASCII"),
            Self::BodyHashMismatch => write!(f, "x-content-sha256 does not match the body"),
            Self::ContentLengthMismatch => write!(f, "content-length does not match the body"),
            Self::BadDate => write!(f, "date header is not an HTTP date"),
            Self::ClockSkew => write!(
                f,
                "date is more than the allowed skew from the server clock"
            ),
            Self::UnknownKey => write!(f, "keyId is unknown or its key is not ACTIVE"),
            Self::BadSignature => write!(f, "signature does not verify"),
        }
    }
}

/// The parameters of `Authorization: Signature …`, parsed by name (SDKs differ in order).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignatureParams {
    pub key_id: String,
    pub algorithm: String,
    /// Lowercased header names, in signing order.
    pub headers: Vec<String>,
    pub signature: Vec<u8>,
    pub version: Option<String>,
}

/// `keyId = "<tenancy>/<user>/<fingerprint>"`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyId {
    pub tenancy: String,
    pub user: String,
    pub fingerprint: String,
}

impl KeyId {
    pub fn parse(s: &str) -> Option<KeyId> {
        let mut parts = s.split('/');
        let (tenancy, user, fingerprint) = (parts.next()?, parts.next()?, parts.next()?);
        if parts.next().is_some() || [tenancy, user, fingerprint].iter().any(|p| p.is_empty()) {
            return None;
        }
        Some(KeyId {
            tenancy: tenancy.to_string(),
            user: user.to_string(),
            fingerprint: fingerprint.to_string(),
        })
    }
}

/// A request as received: method, raw request-target (path and query, still percent-encoded),
/// headers and body bytes.
#[derive(Debug, Clone, Copy)]
pub struct Received<'a> {
    pub method: &'a Method,
    pub target: &'a str,
    pub headers: &'a HeaderMap,
    pub body: &'a [u8],
}

pub fn parse_authorization(value: &str) -> Result<SignatureParams, AuthError> {
    let value = value.trim();
    let (scheme, rest) = value.split_once(' ').ok_or(AuthError::NotSignatureScheme)?;
    if !scheme.eq_ignore_ascii_case("Signature") {
        return Err(AuthError::NotSignatureScheme);
    }
    let params = parse_params(rest)?;
    let get = |name: &str| {
        params
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
    };

    let key_id = get("keyId").ok_or(AuthError::MalformedParams("keyId missing"))?;
    let algorithm = get("algorithm").ok_or(AuthError::MalformedParams("algorithm missing"))?;
    let signature = get("signature").ok_or(AuthError::MalformedParams("signature missing"))?;
    let signature = B64
        .decode(signature)
        .map_err(|_| AuthError::MalformedParams("signature is not base64"))?;
    // draft-cavage: an absent `headers` means `date` only (which then fails the required set).
    let headers = get("headers").unwrap_or_else(|| "date".to_string());
    let headers = headers
        .split(' ')
        .filter(|h| !h.is_empty())
        .map(|h| h.to_ascii_lowercase())
        .collect();
    Ok(SignatureParams {
        key_id,
        algorithm,
        headers,
        signature,
        version: get("version"),
    })
}

/// `name="value"` pairs separated by commas; a repeated name is refused as ambiguous.
fn parse_params(s: &str) -> Result<Vec<(String, String)>, AuthError> {
    let mut out: Vec<(String, String)> = Vec::new();
    let mut rest = s.trim_start();
    while !rest.is_empty() {
        let (name, after) = rest
            .split_once('=')
            .ok_or(AuthError::MalformedParams("expected name=\"value\""))?;
        let name = name.trim();
        let after = after
            .strip_prefix('"')
            .ok_or(AuthError::MalformedParams("value not quoted"))?;
        let (value, after) = after
            .split_once('"')
            .ok_or(AuthError::MalformedParams("unterminated value"))?;
        if name.is_empty() || out.iter().any(|(k, _)| k == name) {
            return Err(AuthError::MalformedParams("empty or repeated parameter"));
        }
        out.push((name.to_string(), value.to_string()));
        rest = after.trim_start();
        if let Some(r) = rest.strip_prefix(',') {
            rest = r.trim_start();
        } else if !rest.is_empty() {
            return Err(AuthError::MalformedParams("expected a comma"));
        }
    }
    Ok(out)
}

/// `base64(SHA-256(body))`, the value of `x-content-sha256`.
pub fn body_sha256(body: &[u8]) -> String {
    B64.encode(Sha256::digest(body))
}

/// Whether the method must sign the body headers.
pub fn signs_body(method: &Method) -> bool {
    matches!(*method, Method::POST | Method::PUT | Method::PATCH)
}

/// The signing string: `name: value` per listed header, `\n`-joined, no trailing newline.
pub fn signing_string(headers: &[String], req: &Received<'_>) -> Result<String, AuthError> {
    let mut lines = Vec::with_capacity(headers.len());
    for name in headers {
        let value = if name == "(request-target)" {
            format!(
                "{} {}",
                req.method.as_str().to_ascii_lowercase(),
                req.target
            )
        } else {
            header_value(req.headers, name)?
                .ok_or_else(|| AuthError::SignedHeaderMissing(name.clone()))?
        };
        lines.push(format!("{name}: {value}"));
    }
    Ok(lines.join("\n"))
}

/// Every value of a header, joined by `, ` as draft-cavage prescribes for repeated headers.
fn header_value(headers: &HeaderMap, name: &str) -> Result<Option<String>, AuthError> {
    let mut values = Vec::new();
    for v in headers.get_all(name) {
        let v = v
            .to_str()
            .map_err(|_| AuthError::BadHeaderValue(name.to_string()))?;
        values.push(v.trim().to_string());
    }
    Ok((!values.is_empty()).then(|| values.join(", ")))
}

/// RSASSA-PKCS1-v1_5 with SHA-256 over the UTF-8 signing string.
pub fn verify_signature(key: &RsaPublicKey, signing_string: &str, signature: &[u8]) -> bool {
    let digest = Sha256::digest(signing_string.as_bytes());
    key.verify(Pkcs1v15Sign::new::<Sha256>(), &digest, signature)
        .is_ok()
}

/// Checks the request against the rules of OCI signature version 1 and returns the verified
/// keyId. `now` is unix seconds (a fixed clock replays old vectors); `lookup` finds the ACTIVE
/// public key registered under an exact keyId string.
pub fn verify(
    req: &Received<'_>,
    now: i64,
    max_skew_secs: i64,
    lookup: impl FnOnce(&str) -> Option<RsaPublicKey>,
) -> Result<String, AuthError> {
    let auth = req
        .headers
        .get("authorization")
        .ok_or(AuthError::MissingAuthorization)?
        .to_str()
        .map_err(|_| AuthError::BadHeaderValue("authorization".into()))?;
    let params = parse_authorization(auth)?;
    if params.algorithm != "rsa-sha256" {
        return Err(AuthError::UnsupportedAlgorithm);
    }
    if params.version.as_deref().is_some_and(|v| v != "1") {
        return Err(AuthError::UnsupportedVersion);
    }
    check_required(&params.headers, req.method)?;

    if let Some(sent) = header_value(req.headers, "x-content-sha256")? {
        if sent != body_sha256(req.body) {
            return Err(AuthError::BodyHashMismatch);
        }
    }
    if params.headers.iter().any(|h| h == "content-length") {
        let sent = header_value(req.headers, "content-length")?;
        if sent.as_deref() != Some(req.body.len().to_string().as_str()) {
            return Err(AuthError::ContentLengthMismatch);
        }
    }
    check_clock(&params.headers, req.headers, now, max_skew_secs)?;

    let text = signing_string(&params.headers, req)?;
    let key = lookup(&params.key_id).ok_or(AuthError::UnknownKey)?;
    if !verify_signature(&key, &text, &params.signature) {
        return Err(AuthError::BadSignature);
    }
    Ok(params.key_id)
}

fn check_required(signed: &[String], method: &Method) -> Result<(), AuthError> {
    let has = |h: &str| signed.iter().any(|s| s == h);
    if !has("date") && !has("x-date") {
        return Err(AuthError::RequiredHeaderNotSigned("date"));
    }
    for h in ["(request-target)", "host"] {
        if !has(h) {
            return Err(AuthError::RequiredHeaderNotSigned(h));
        }
    }
    if signs_body(method) {
        for h in BODY_HEADERS {
            if !has(h) {
                return Err(AuthError::RequiredHeaderNotSigned(h));
            }
        }
    }
    Ok(())
}

/// The signed date (`x-date` when signed, else `date`) must be within the allowed skew.
fn check_clock(
    signed: &[String],
    headers: &HeaderMap,
    now: i64,
    max_skew: i64,
) -> Result<(), AuthError> {
    let name = if signed.iter().any(|h| h == "x-date") {
        "x-date"
    } else {
        "date"
    };
    let value =
        header_value(headers, name)?.ok_or_else(|| AuthError::SignedHeaderMissing(name.into()))?;
    let when = parse_date(&value).ok_or(AuthError::BadDate)?;
    if (now - when).abs() > max_skew {
        return Err(AuthError::ClockSkew);
    }
    Ok(())
}

/// Unix seconds of an HTTP date. The RFC 1123 form is read without checking the weekday: the
/// vendor's own vectors say "Thu, 05 Jan 2014", which was a Sunday. Other HTTP date forms go
/// through `httpdate`.
pub fn parse_date(value: &str) -> Option<i64> {
    if let Some((_, rest)) = value.split_once(", ") {
        if let Ok(t) = chrono::NaiveDateTime::parse_from_str(rest.trim(), "%d %b %Y %H:%M:%S GMT") {
            return Some(t.and_utc().timestamp());
        }
    }
    let t = httpdate::parse_http_date(value).ok()?;
    let secs = t.duration_since(std::time::UNIX_EPOCH).ok()?.as_secs();
    i64::try_from(secs).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_parse_with_or_without_a_matching_weekday() {
        assert_eq!(
            parse_date("Thu, 05 Jan 2014 21:31:40 GMT"),
            Some(1_388_957_500)
        );
        assert_eq!(
            parse_date("Sun, 05 Jan 2014 21:31:40 GMT"),
            Some(1_388_957_500)
        );
        assert_eq!(
            parse_date("Sunday, 05-Jan-14 21:31:40 GMT"),
            Some(1_388_957_500)
        );
        assert_eq!(parse_date("yesterday"), None);
        assert_eq!(parse_date("Thu, 05 Jan 2014 21:31:40 CET"), None);
    }

    #[test]
    fn parameters_parse_by_name_and_refuse_repeats() {
        let p = parse_authorization(
            "Signature signature=\"AAAA\",keyId=\"t/u/f\",algorithm=\"rsa-sha256\",headers=\"Date host\"",
        )
        .unwrap();
        assert_eq!(p.key_id, "t/u/f");
        assert_eq!(p.headers, vec!["date", "host"]);
        assert_eq!(p.version, None);
        assert!(parse_authorization("Signature keyId=\"a\",keyId=\"b\"").is_err());
        assert!(parse_authorization("Signature keyId=a").is_err());
        assert!(parse_authorization("Basic abc").is_err());
        assert_eq!(KeyId::parse("a/b/c/d"), None);
        assert_eq!(KeyId::parse("a//c"), None);
    }
}
