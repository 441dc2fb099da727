//! The vendor's signing vectors (`tests/fixtures/oci/vectors.json`), reproduced byte for byte.

use std::collections::BTreeMap;
use std::time::{Duration, SystemTime};

use reqwest::Method;
use serde::Deserialize;
use url::Url;

use super::*;
use crate::http::{Http, HttpConfig};
use crate::model::{Account, AccountSettings, Credential, VendorId};
use crate::vendors::oci::{keypair, OciClient};

#[derive(Deserialize)]
struct Fixture {
    tenancy: String,
    user: String,
    key_id_fingerprint: String,
    key_id: String,
    date: String,
    empty_body_sha256: String,
    host_with_port: HostWithPort,
    vectors: Vec<Vector>,
}

#[derive(Deserialize)]
struct HostWithPort {
    url: String,
    signing_string: String,
}

#[derive(Deserialize)]
struct Vector {
    name: String,
    method: String,
    url: String,
    body: Option<String>,
    x_content_sha256: Option<String>,
    signing_string: String,
    signature: String,
    authorization: Option<String>,
    authorization_python_order: Option<String>,
}

fn fixture_text(name: &str) -> String {
    let path = format!("{}/tests/fixtures/oci/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn fixture() -> Fixture {
    serde_json::from_str(&fixture_text("vectors.json")).unwrap()
}

fn key_id(f: &Fixture) -> KeyId {
    KeyId {
        tenancy: f.tenancy.clone(),
        user: f.user.clone(),
        fingerprint: f.key_id_fingerprint.clone(),
    }
}

fn signer(f: &Fixture) -> RequestSigner {
    let key =
        keypair::load_private_key(&fixture_text("vector_private_key_pkcs1.pem"), None).unwrap();
    RequestSigner::new(&key_id(f), key)
}

fn date(f: &Fixture) -> &str {
    &f.date
}

/// `Signature a="1",b="2"` → {a: 1, b: 2}.
fn params(authorization: &str) -> BTreeMap<String, String> {
    let rest = authorization.strip_prefix("Signature ").unwrap();
    rest.split("\",")
        .map(|p| {
            let (k, v) = p.split_once("=\"").unwrap();
            (k.to_string(), v.trim_end_matches('"').to_string())
        })
        .collect()
}

#[test]
fn dates_are_rfc_1123_gmt() {
    let t = SystemTime::UNIX_EPOCH + Duration::from_secs(1_389_130_300);
    assert_eq!(http_date(t), "Tue, 07 Jan 2014 21:31:40 GMT");
    // The vectors' date names the wrong weekday, which is why dates are signed unparsed.
    assert!(httpdate::parse_http_date(&fixture().date).is_err());
}

#[test]
fn key_id_joins_tenancy_user_and_fingerprint() {
    let f = fixture();
    assert_eq!(key_id(&f).to_string(), f.key_id);
}

#[test]
fn every_vector_is_reproduced_exactly() {
    let f = fixture();
    let signer = signer(&f);
    assert_eq!(f.vectors.len(), 8);
    for v in &f.vectors {
        let method = Method::from_bytes(v.method.as_bytes()).unwrap();
        let url = Url::parse(&v.url).unwrap();
        let body = v.body.as_deref().unwrap_or("").as_bytes();
        let signed = signer.sign(&method, &url, JSON, body, date(&f));
        assert_eq!(
            signed.signing_string, v.signing_string,
            "{}: signing string",
            v.name
        );
        assert_eq!(signed.signature, v.signature, "{}: signature", v.name);
        if let Some(expected) = &v.authorization {
            assert_eq!(&signed.authorization, expected, "{}: Authorization", v.name);
        }
        if let Some(python) = &v.authorization_python_order {
            // Same parameters in the Python SDK's order: equal once parsed by name.
            assert_eq!(params(&signed.authorization), params(python), "{}", v.name);
        }
        let sha = signed
            .headers
            .iter()
            .find(|(n, _)| *n == "x-content-sha256")
            .map(|(_, v)| v.clone());
        assert_eq!(sha, v.x_content_sha256, "{}: x-content-sha256", v.name);
        assert_eq!(signs_body(&method), v.body.is_some(), "{}", v.name);
    }
}

#[test]
fn host_carries_a_non_default_port() {
    let f = fixture();
    let url = Url::parse(&f.host_with_port.url).unwrap();
    let signed = signer(&f).sign(&Method::GET, &url, JSON, b"", date(&f));
    assert_eq!(signed.signing_string, f.host_with_port.signing_string);
    assert_eq!(
        host_header(&Url::parse("https://identity.x.oci.oraclecloud.com:443/a").unwrap()),
        "identity.x.oci.oraclecloud.com"
    );
}

#[test]
fn empty_post_body_hashes_to_the_published_value() {
    let f = fixture();
    assert_eq!(body_sha256(b""), f.empty_body_sha256);
    assert_eq!(EMPTY_BODY_SHA256, f.empty_body_sha256);
    let url = Url::parse("https://identity.us-ashburn-1.oci.oraclecloud.com/x").unwrap();
    let signed = signer(&f).sign(&Method::PUT, &url, JSON, b"", date(&f));
    assert!(signed.signing_string.ends_with(&format!(
        "content-length: 0\ncontent-type: application/json\nx-content-sha256: {}",
        f.empty_body_sha256
    )));
}

#[test]
fn signed_requests_carry_every_signed_header() {
    let f = fixture();
    let vector = &f.vectors[1];
    let client = reqwest::Client::new();
    let mut request = client
        .post(&vector.url)
        .header("content-type", JSON)
        .body(vector.body.clone().unwrap())
        .build()
        .unwrap();
    signer(&f).sign_request(&mut request, date(&f)).unwrap();
    let h = request.headers();
    assert_eq!(h["date"], f.date.as_str());
    assert_eq!(h["host"], "iaas.us-phoenix-1.oraclecloud.com");
    assert_eq!(h["content-length"], "316");
    assert_eq!(
        h["x-content-sha256"],
        vector.x_content_sha256.as_deref().unwrap()
    );
    assert_eq!(h["authorization"], vector.authorization.as_deref().unwrap());
    assert!(h["authorization"].is_sensitive());
}

/// The vector key (1024 bits) is below what AWS-LC accepts and is signed by the `rsa` crate; an
/// OCI-sized key is signed by AWS-LC, to the same bytes the `rsa` crate makes (PKCS#1 v1.5 is
/// deterministic), and verifies.
#[test]
fn both_signing_paths_make_the_same_signature() {
    use rsa::signature::Verifier;
    assert!(matches!(signer(&fixture()).key, Key::RustCrypto(_)));
    for bits in [2048, 3072] {
        let pair = keypair::generate(bits).unwrap();
        let private = keypair::load_private_key(pair.private_pem.expose(), None).unwrap();
        let fast = Key::new(private.clone());
        assert!(matches!(fast, Key::AwsLc(_)), "RSA-{bits}");
        let slow = Key::RustCrypto(Box::new(SigningKey::<Sha256>::new(private.clone())));
        for message in [
            &b""[..],
            b"date: Thu, 05 Jan 2014 21:31:40 GMT\n(request-target): get /",
        ] {
            let signature = fast.sign(message);
            assert_eq!(signature, slow.sign(message), "RSA-{bits}");
            let verifying = rsa::pkcs1v15::VerifyingKey::<Sha256>::new(private.to_public_key());
            let parsed = rsa::pkcs1v15::Signature::try_from(signature.as_slice()).unwrap();
            verifying.verify(message, &parsed).unwrap();
        }
    }
}

#[test]
fn signer_debug_hides_the_key() {
    let f = fixture();
    let text = format!("{:?}", signer(&f));
    assert!(
        text.contains("<redacted>") && text.contains(&f.key_id),
        "{text}"
    );
    assert!(!text.contains("MIIC"), "{text}");
}

/// The client's own requests for the vector user are the Python-SDK-form vectors 2.4 and 2.6
/// (no trailing slash, percent-encoded fingerprint), and its upload body is vector 2.2's.
#[test]
fn client_requests_match_the_identity_vectors() {
    let f = fixture();
    let account = Account {
        id: "vectors".into(),
        name: "vectors".into(),
        vendor: VendorId::Oci,
        sandbox: false,
        settings: AccountSettings {
            tenancy: Some(f.tenancy.clone()),
            user: Some(f.user.clone()),
            fingerprint: Some(f.key_id_fingerprint.clone()),
            region: Some("us-ashburn-1".into()),
            ..Default::default()
        },
    };
    let credential = Credential::new(fixture_text("vector_private_key_pkcs8.pem"));
    let client = <OciClient as crate::vendors::Client>::build(
        &account,
        credential,
        &Http::new(HttpConfig::default()).unwrap(),
    )
    .unwrap();
    let by_name = |prefix: &str| {
        f.vectors
            .iter()
            .find(|v| v.name.starts_with(prefix))
            .unwrap()
    };

    let list = by_name("2.4");
    let url = client.keys_url(&f.user, None);
    assert_eq!(url.as_str(), list.url);
    let request = client
        .build_request(&Method::GET, &url, None, date(&f))
        .unwrap();
    assert!(request.headers()["authorization"]
        .to_str()
        .unwrap()
        .contains(&format!("signature=\"{}\"", list.signature)));

    let delete = by_name("2.6");
    let url = client.keys_url(&f.user, Some(&f.key_id_fingerprint));
    assert_eq!(url.as_str(), delete.url);
    let request = client
        .build_request(&Method::DELETE, &url, None, date(&f))
        .unwrap();
    assert!(request.headers()["authorization"]
        .to_str()
        .unwrap()
        .contains(&format!("signature=\"{}\"", delete.signature)));

    let upload = by_name("2.2");
    let public = fixture_text("vector_public_key.pem");
    let body = OciClient::upload_body(public.trim_end()).unwrap();
    assert_eq!(
        String::from_utf8(body).unwrap(),
        upload.body.clone().unwrap()
    );
}
