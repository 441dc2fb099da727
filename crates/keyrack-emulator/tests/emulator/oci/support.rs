//! Test-side OCI client pieces: a minimal request signer (written independently of the emulator's
//! verifier), fixtures, and two ways to send: reqwest, and raw TCP for byte-exact replays.

use std::net::SocketAddr;
use std::path::PathBuf;

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use rsa::pkcs1::DecodeRsaPrivateKey;
use rsa::pkcs1v15::SigningKey;
use rsa::pkcs8::DecodePrivateKey;
use rsa::signature::{SignatureEncoding, Signer as _};
use rsa::RsaPrivateKey;
use sha2::{Digest, Sha256};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

pub const GENERIC: &str = "date (request-target) host";
pub const WITH_BODY: &str =
    "date (request-target) host content-length content-type x-content-sha256";

pub fn fixture(name: &str) -> String {
    let path: PathBuf = [env!("CARGO_MANIFEST_DIR"), "tests", "fixtures", "oci", name]
        .iter()
        .collect();
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

pub fn vectors() -> serde_json::Value {
    serde_json::from_str(&fixture("signing_vectors.json")).unwrap()
}

/// `(name, fingerprint)` of the openssl-made test keys.
pub fn test_key_fingerprint(n: u32) -> String {
    fixture("test_key_fingerprints.txt")
        .lines()
        .find_map(|l| l.strip_prefix(&format!("{n} ")).map(str::to_string))
        .unwrap()
}

pub fn sha256_b64(body: &[u8]) -> String {
    B64.encode(Sha256::digest(body))
}

pub fn http_date_now_offset(secs: i64) -> String {
    let now = std::time::SystemTime::now();
    let t = if secs >= 0 {
        now + std::time::Duration::from_secs(secs as u64)
    } else {
        now - std::time::Duration::from_secs((-secs) as u64)
    };
    httpdate::fmt_http_date(t)
}

/// Signs with one private key under one keyId.
pub struct Signer {
    pub key_id: String,
    key: SigningKey<Sha256>,
}

impl Signer {
    /// From a PKCS#8 or PKCS#1 PEM.
    pub fn new(key_id: &str, pem: &str) -> Signer {
        let key = RsaPrivateKey::from_pkcs8_pem(pem)
            .or_else(|_| RsaPrivateKey::from_pkcs1_pem(pem))
            .expect("test private key");
        Signer {
            key_id: key_id.to_string(),
            key: SigningKey::<Sha256>::new(key),
        }
    }

    pub fn sign(&self, text: &str) -> String {
        B64.encode(self.key.sign(text.as_bytes()).to_bytes())
    }

    /// `Authorization` in the Go SDK's parameter order.
    pub fn authorization(&self, headers: &str, text: &str) -> String {
        format!(
            "Signature version=\"1\",headers=\"{headers}\",keyId=\"{}\",algorithm=\"rsa-sha256\",signature=\"{}\"",
            self.key_id,
            self.sign(text)
        )
    }
}

/// One request's signable parts.
#[derive(Clone)]
pub struct Parts {
    pub method: String,
    pub target: String,
    pub host: String,
    pub date: String,
    pub body: Option<Vec<u8>>,
}

impl Parts {
    pub fn new(method: &str, target: &str, host: &str, body: Option<&[u8]>) -> Parts {
        Parts {
            method: method.to_string(),
            target: target.to_string(),
            host: host.to_string(),
            date: http_date_now_offset(0),
            body: body.map(<[u8]>::to_vec),
        }
    }

    /// The headers a client sends (besides `authorization`).
    pub fn headers(&self) -> Vec<(String, String)> {
        let mut h = vec![
            ("date".to_string(), self.date.clone()),
            ("host".to_string(), self.host.clone()),
        ];
        if let Some(body) = &self.body {
            h.push(("content-length".into(), body.len().to_string()));
            h.push(("content-type".into(), "application/json".into()));
            h.push(("x-content-sha256".into(), sha256_b64(body)));
        }
        h
    }

    pub fn signing_string(&self, names: &str) -> String {
        let headers = self.headers();
        names
            .split(' ')
            .map(|name| {
                let value = if name == "(request-target)" {
                    format!("{} {}", self.method.to_lowercase(), self.target)
                } else {
                    headers
                        .iter()
                        .find(|(k, _)| k == name)
                        .map(|(_, v)| v.clone())
                        .unwrap_or_default()
                };
                format!("{name}: {value}")
            })
            .collect::<Vec<_>>()
            .join("\n")
    }

    pub fn default_names(&self) -> &'static str {
        if self.body.is_some() {
            WITH_BODY
        } else {
            GENERIC
        }
    }

    /// Headers plus a matching `authorization`.
    pub fn signed(&self, signer: &Signer) -> Vec<(String, String)> {
        let names = self.default_names();
        let mut h = self.headers();
        h.push((
            "authorization".into(),
            signer.authorization(names, &self.signing_string(names)),
        ));
        h
    }
}

pub struct Resp {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub text: String,
}

impl Resp {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.text).unwrap_or_else(|e| panic!("{e}: {}", self.text))
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// Asserts an OCI error: status, `code`, a non-empty `message`, and an `opc-request-id`.
    pub fn assert_error(&self, status: u16, code: &str) {
        assert_eq!(self.status, status, "{}", self.text);
        let body = self.json();
        assert_eq!(body["code"], code, "{}", self.text);
        assert!(body["message"].as_str().is_some_and(|m| !m.is_empty()));
        assert!(self.header("opc-request-id").is_some());
    }
}

/// Sends exactly these bytes and reads the whole answer (`connection: close`).
pub async fn raw(
    addr: SocketAddr,
    method: &str,
    target: &str,
    headers: &[(String, String)],
    body: &[u8],
) -> Resp {
    let mut req = format!("{method} {target} HTTP/1.1\r\n");
    for (k, v) in headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    if !headers.iter().any(|(k, _)| k == "content-length") && !body.is_empty() {
        req.push_str(&format!("content-length: {}\r\n", body.len()));
    }
    req.push_str("connection: close\r\n\r\n");
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    stream.write_all(req.as_bytes()).await.unwrap();
    stream.write_all(body).await.unwrap();
    let mut buf = Vec::new();
    stream.read_to_end(&mut buf).await.unwrap();
    parse_response(&buf)
}

fn parse_response(buf: &[u8]) -> Resp {
    let text = String::from_utf8_lossy(buf).to_string();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .unwrap()
        .split(' ')
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    let chunked = headers
        .iter()
        .any(|(k, v)| k == "transfer-encoding" && v.contains("chunked"));
    let body = if chunked {
        dechunk(body)
    } else {
        body.to_string()
    };
    Resp {
        status,
        headers,
        text: body,
    }
}

fn dechunk(mut s: &str) -> String {
    let mut out = String::new();
    while let Some((size, rest)) = s.split_once("\r\n") {
        let n = usize::from_str_radix(size.trim(), 16).unwrap_or(0);
        if n == 0 {
            break;
        }
        out.push_str(&rest[..n]);
        s = &rest[n + 2..];
    }
    out
}

/// The emulator seen as an OCI endpoint through reqwest.
pub struct Oci {
    pub base: String,
    pub host: String,
    http: reqwest::Client,
}

impl Oci {
    pub fn new(base: &str) -> Oci {
        Oci {
            base: base.to_string(),
            host: base.trim_start_matches("http://").to_string(),
            http: reqwest::Client::new(),
        }
    }

    pub fn parts(&self, method: &str, target: &str, body: Option<&[u8]>) -> Parts {
        Parts::new(method, target, &self.host, body)
    }

    /// Sends a request with exactly these headers (host included).
    pub async fn send_with(
        &self,
        method: &str,
        target: &str,
        headers: &[(String, String)],
        body: Option<&[u8]>,
    ) -> Resp {
        let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
        let mut req = self.http.request(method, format!("{}{target}", self.base));
        for (k, v) in headers {
            if k != "content-length" {
                req = req.header(k.as_str(), v.as_str());
            }
        }
        if let Some(body) = body {
            req = req.body(body.to_vec());
        }
        let resp = req.send().await.unwrap();
        let status = resp.status().as_u16();
        let headers = resp
            .headers()
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_str().unwrap_or("").to_string()))
            .collect();
        Resp {
            status,
            headers,
            text: resp.text().await.unwrap(),
        }
    }

    /// A correctly signed request.
    pub async fn send(
        &self,
        signer: &Signer,
        method: &str,
        target: &str,
        body: Option<&[u8]>,
    ) -> Resp {
        let parts = self.parts(method, target, body);
        self.send_with(method, target, &parts.signed(signer), body)
            .await
    }

    pub async fn list(&self, signer: &Signer, user: &str) -> Resp {
        self.send(
            signer,
            "GET",
            &format!("/20160918/users/{user}/apiKeys"),
            None,
        )
        .await
    }

    pub async fn upload(&self, signer: &Signer, user: &str, pem: &str) -> Resp {
        let body = serde_json::to_vec(&serde_json::json!({ "key": pem })).unwrap();
        self.send(
            signer,
            "POST",
            &format!("/20160918/users/{user}/apiKeys"),
            Some(&body),
        )
        .await
    }

    /// DELETE with the fingerprint's colons raw, or `%3A`-encoded as the Python SDK sends them.
    pub async fn delete(
        &self,
        signer: &Signer,
        user: &str,
        fingerprint: &str,
        encoded: bool,
    ) -> Resp {
        let fp = if encoded {
            fingerprint.replace(':', "%3A")
        } else {
            fingerprint.to_string()
        };
        self.send(
            signer,
            "DELETE",
            &format!("/20160918/users/{user}/apiKeys/{fp}"),
            None,
        )
        .await
    }
}
