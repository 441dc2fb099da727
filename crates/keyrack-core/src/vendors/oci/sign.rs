//! OCI request signing, signature version 1: draft-cavage HTTP signatures with `rsa-sha256`.
//!
//! Every request signs `date (request-target) host`; POST, PUT and PATCH also sign
//! `content-length content-type x-content-sha256`, and send those headers. The signing string
//! is one `name: value` line per header, joined by `\n` without a trailing newline; the
//! signature is RSASSA-PKCS1-v1_5 over SHA-256, base64 with padding. The `Date` header value is
//! a parameter, so the vendor's test vectors can be reproduced byte for byte: their
//! `Thu, 05 Jan 2014 21:31:40 GMT` names the wrong weekday (5 January 2014 was a Sunday), so it
//! is signed as given, never parsed.

use std::fmt;
use std::time::SystemTime;

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine;
use reqwest::header::{HeaderName, HeaderValue};
use reqwest::{Method, Request};
use rsa::pkcs1v15::SigningKey;
use rsa::pkcs8::EncodePrivateKey;
use rsa::signature::{SignatureEncoding, Signer};
use rsa::RsaPrivateKey;
use sha2::{Digest, Sha256};
use url::Url;

use crate::error::{Error, Result};

/// `x-content-sha256` of an empty body.
pub const EMPTY_BODY_SHA256: &str = "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=";

/// The content type of every Identity request body.
pub const JSON: &str = "application/json";

/// `<tenancy OCID>/<user OCID>/<fingerprint>`: whose key signs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyId {
    pub tenancy: String,
    pub user: String,
    pub fingerprint: String,
}

impl fmt::Display for KeyId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}/{}", self.tenancy, self.user, self.fingerprint)
    }
}

/// The headers one signed request carries, and the signing string they came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signed {
    /// Every signed header in signing order (`(request-target)` excluded: it is not a header).
    pub headers: Vec<(&'static str, String)>,
    pub signing_string: String,
    pub signature: String,
    /// The `Authorization` value, parameters in the Go SDK's order.
    pub authorization: String,
}

/// Signs requests with one API signing key.
pub struct RequestSigner {
    key_id: String,
    key: Key,
}

/// The same RSASSA-PKCS1-v1_5 / SHA-256 signature (it is deterministic) from one of two
/// implementations. AWS-LC (already built for TLS) signs a 2048-bit key about 5× faster than the
/// pure-Rust `rsa` crate, which matters because listing OCI signs one request per user: at
/// 10,000 keys the `rsa` crate's signing was most of a listing's CPU time (issue 18). AWS-LC
/// takes keys of 2048 to 8192 bits, what OCI accepts; anything else (the 1024-bit key of the
/// vendor's published signing vectors) is signed by the `rsa` crate.
enum Key {
    AwsLc(aws_lc_rs::rsa::KeyPair),
    RustCrypto(Box<SigningKey<Sha256>>),
}

impl Key {
    fn new(key: RsaPrivateKey) -> Self {
        let fast = key
            .to_pkcs8_der()
            .ok()
            .and_then(|der| aws_lc_rs::rsa::KeyPair::from_pkcs8(der.as_bytes()).ok());
        match fast {
            Some(pair) => Key::AwsLc(pair),
            None => Key::RustCrypto(Box::new(SigningKey::<Sha256>::new(key))),
        }
    }

    fn sign(&self, message: &[u8]) -> Vec<u8> {
        match self {
            Key::AwsLc(pair) => {
                let mut signature = vec![0; pair.public_modulus_len()];
                pair.sign(
                    &aws_lc_rs::signature::RSA_PKCS1_SHA256,
                    &aws_lc_rs::rand::SystemRandom::new(),
                    message,
                    &mut signature,
                )
                .expect("AWS-LC signs with a key it accepted");
                signature
            }
            Key::RustCrypto(key) => key.sign(message).to_vec(),
        }
    }
}

impl fmt::Debug for RequestSigner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RequestSigner")
            .field("key_id", &self.key_id)
            .field("key", &"<redacted>")
            .finish()
    }
}

impl RequestSigner {
    pub fn new(key_id: &KeyId, key: RsaPrivateKey) -> Self {
        RequestSigner {
            key_id: key_id.to_string(),
            key: Key::new(key),
        }
    }

    pub fn key_id(&self) -> &str {
        &self.key_id
    }

    /// Sign `method url` with `body`, dated `date` (an RFC 1123 `Date` value, see
    /// [`http_date`]). The body matters only for POST, PUT and PATCH.
    pub fn sign(
        &self,
        method: &Method,
        url: &Url,
        content_type: &str,
        body: &[u8],
        date: &str,
    ) -> Signed {
        let mut headers: Vec<(&'static str, String)> =
            vec![("date", date.to_string()), ("host", host_header(url))];
        if signs_body(method) {
            headers.push(("content-length", body.len().to_string()));
            headers.push(("content-type", content_type.to_string()));
            headers.push(("x-content-sha256", body_sha256(body)));
        }

        let mut lines = Vec::with_capacity(headers.len() + 1);
        let mut names = Vec::with_capacity(headers.len() + 1);
        for (i, (name, value)) in headers.iter().enumerate() {
            lines.push(format!("{name}: {value}"));
            names.push(*name);
            if i == 0 {
                // `(request-target)` goes right after `date`, as every OCI SDK orders it.
                lines.push(format!("(request-target): {}", request_target(method, url)));
                names.push("(request-target)");
            }
        }
        let signing_string = lines.join("\n");
        let signature = BASE64.encode(self.key.sign(signing_string.as_bytes()));
        let authorization = format!(
            "Signature version=\"1\",headers=\"{}\",keyId=\"{}\",algorithm=\"rsa-sha256\",signature=\"{signature}\"",
            names.join(" "),
            self.key_id,
        );
        Signed {
            headers,
            signing_string,
            signature,
            authorization,
        }
    }

    /// Sign a built request in place: set the signed headers and `Authorization`. A body-signing
    /// method without a `content-type` gets `application/json`.
    pub fn sign_request(&self, request: &mut Request, date: &str) -> Result<()> {
        let body: Vec<u8> = match request.body() {
            None => Vec::new(),
            Some(body) => body
                .as_bytes()
                .map(<[u8]>::to_vec)
                .ok_or_else(|| Error::Network {
                    message: "an OCI request body must be in memory to be signed".into(),
                })?,
        };
        let content_type = request
            .headers()
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or(JSON)
            .to_string();
        let signed = self.sign(request.method(), request.url(), &content_type, &body, date);
        let headers = request.headers_mut();
        for (name, value) in &signed.headers {
            headers.insert(HeaderName::from_static(name), header_value(value)?);
        }
        let mut authorization = header_value(&signed.authorization)?;
        authorization.set_sensitive(true);
        headers.insert(reqwest::header::AUTHORIZATION, authorization);
        Ok(())
    }
}

/// The `Date` header value for `time`: RFC 1123 in GMT.
pub fn http_date(time: SystemTime) -> String {
    httpdate::fmt_http_date(time)
}

fn header_value(value: &str) -> Result<HeaderValue> {
    HeaderValue::from_str(value).map_err(|_| Error::Network {
        message: format!("could not put `{value}` into an HTTP header"),
    })
}

/// Only these methods sign (and send) the body headers.
pub fn signs_body(method: &Method) -> bool {
    matches!(method.as_str(), "POST" | "PUT" | "PATCH")
}

/// `<lowercase method> <path>[?<query>]`, exactly as the request line carries them.
pub fn request_target(method: &Method, url: &Url) -> String {
    let method = method.as_str().to_ascii_lowercase();
    match url.query() {
        Some(query) => format!("{method} {}?{query}", url.path()),
        None => format!("{method} {}", url.path()),
    }
}

/// The Host header as HTTP clients send it: with `:port` only when it is not the default.
pub fn host_header(url: &Url) -> String {
    let host = url.host_str().unwrap_or_default();
    match url.port() {
        Some(port) => format!("{host}:{port}"),
        None => host.to_string(),
    }
}

/// base64(SHA-256(body)).
pub fn body_sha256(body: &[u8]) -> String {
    BASE64.encode(Sha256::digest(body))
}

#[cfg(test)]
mod tests;
