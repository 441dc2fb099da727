//! Where a client sends its requests: the account's base URL (or the vendor's), the path under
//! it, and ids checked before they become part of a path.

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use url::Url;

use crate::error::{Error, Result};
use crate::vendors::VendorId;

/// Path segments keep only the unreserved characters; everything else is escaped, as the
/// vendors' SDKs do (an OCI fingerprint's colons go out as `%3A`, and are signed that way).
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// The account's base URL, else the vendor's `default`: an https URL that can take a path
/// (http only to this computer, see [`transport_problem`]). `what` names the setting in the
/// error ("base URL", "IAM URL").
pub fn base_url(vendor: VendorId, raw: Option<&str>, default: &str, what: &str) -> Result<Url> {
    let raw = raw
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .unwrap_or(default);
    let url = Url::parse(raw).map_err(|e| {
        Error::config(format!(
            "the {} account's {what} `{raw}` is not a URL: {e}",
            vendor.display_name()
        ))
    })?;
    if url.cannot_be_a_base() {
        return Err(Error::config(format!(
            "the {} account's {what} `{raw}` must be an http(s) URL",
            vendor.display_name()
        )));
    }
    if let Some(problem) = transport_problem(&url) {
        return Err(Error::config(format!(
            "the {} account's {what} `{raw}` {problem}",
            vendor.display_name()
        )));
    }
    Ok(url)
}

/// Why a credential may not be sent to `url`, if it may not: only https leaves this computer;
/// plain http is for loopback addresses (the sandbox, the emulator, tests).
pub fn transport_problem(url: &Url) -> Option<&'static str> {
    match url.scheme() {
        "https" => None,
        "http" if is_loopback(url) => None,
        "http" => Some(
            "must use https:// — plain http:// would send the credential unencrypted, and is \
             allowed only for this computer (127.0.0.1, ::1, localhost)",
        ),
        _ => Some("must be an https:// URL"),
    }
}

/// 127.0.0.0/8, ::1, or `localhost`.
pub fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        Some(url::Host::Domain(name)) => name.eq_ignore_ascii_case("localhost"),
        None => false,
    }
}

/// `base` with `segments` appended to its path, each escaped (a base path such as `/v1` or
/// `/api` is kept).
pub fn join(base: &Url, segments: &[&str]) -> Url {
    let mut text = base
        .as_str()
        .split(['?', '#'])
        .next()
        .unwrap_or("")
        .to_string();
    while text.ends_with('/') {
        text.pop();
    }
    for segment in segments {
        text.push('/');
        text.extend(utf8_percent_encode(segment, SEGMENT));
    }
    // Escaped segments appended to a valid base are a valid URL.
    Url::parse(&text).unwrap_or_else(|_| base.clone())
}

/// Refuse an id that cannot be one path segment, before anything is sent. `looks_like` says
/// what the vendor's ids look like ("IBM API key ids look like ApiKey-…").
pub fn check_id(id: &str, looks_like: &str) -> Result<()> {
    let bad = id.trim().is_empty()
        || id.contains(['/', '?', '#', '%'])
        || id.chars().any(|c| c.is_whitespace() || c.is_control());
    if bad {
        return Err(Error::validation(
            "id",
            format!("`{id}` is not a valid id: {looks_like}"),
        ));
    }
    Ok(())
}

/// The request a builder describes. It fails only on what the account gave it (a header value
/// a credential cannot be, a URL), so every client reports it the same way: as a setting to fix.
pub fn build_request(
    vendor: VendorId,
    builder: reqwest::RequestBuilder,
) -> Result<reqwest::Request> {
    builder.build().map_err(|e| {
        Error::config_from(
            format!(
                "could not build the {} request ({e}); check the account's settings and credential",
                vendor.display_name()
            ),
            e,
        )
    })
}

/// A setting's value, trimmed, or `None` when absent or blank.
pub fn non_empty(s: Option<&str>) -> Option<String> {
    s.map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

/// The same transport error with `note` appended to its message (what a lost create did, or
/// did not, leave behind). Other errors are returned as they are.
pub fn with_note(e: Error, note: &str) -> Error {
    match e {
        Error::Timeout { message } => Error::Timeout {
            message: message + note,
        },
        Error::Network { message } => Error::Network {
            message: message + note,
        },
        Error::Decode { message, raw } => Error::Decode {
            message: message + note,
            raw,
        },
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn join_keeps_the_base_path_and_escapes_segments() {
        let base = Url::parse("https://g.codefresh.io/api/").unwrap();
        assert_eq!(
            join(&base, &["auth", "key", "a b"]).as_str(),
            "https://g.codefresh.io/api/auth/key/a%20b"
        );
        let oci = Url::parse("https://identity.eu-frankfurt-1.oci.oraclecloud.com").unwrap();
        assert_eq!(
            join(&oci, &["20160918", "users", "u", "apiKeys", "aa:bb"]).path(),
            "/20160918/users/u/apiKeys/aa%3Abb"
        );
        let openai = Url::parse("https://api.openai.com/v1").unwrap();
        assert_eq!(
            join(&openai, &["organization", "projects", "proj_1"]).path(),
            "/v1/organization/projects/proj_1"
        );
    }

    #[test]
    fn base_urls_must_be_http() {
        let v = VendorId::Codefresh;
        assert!(base_url(v, None, "https://g.codefresh.io/api", "base URL").is_ok());
        assert!(base_url(v, Some("  "), "https://g.codefresh.io/api", "base URL").is_ok());
        let e = base_url(v, Some("ftp://x"), "https://d", "base URL").unwrap_err();
        assert!(e.to_string().contains("must be an https:// URL"), "{e}");
        let e = base_url(v, Some("not a url"), "https://d", "base URL").unwrap_err();
        assert!(e.to_string().contains("is not a URL"), "{e}");
    }

    #[test]
    fn plain_http_only_reaches_this_computer() {
        let v = VendorId::Scaleway;
        for ok in [
            "http://127.0.0.1:9000",
            "http://127.8.9.10",
            "http://[::1]:80/api",
            "http://localhost:3000",
            "https://api.scaleway.com",
        ] {
            assert!(
                base_url(v, Some(ok), "https://d", "base URL").is_ok(),
                "{ok}"
            );
        }
        for bad in [
            "http://api.scaleway.com",
            "http://10.0.0.1:8080",
            "http://localhost.evil.example",
            "http://127.0.0.1.nip.io",
        ] {
            let e = base_url(v, Some(bad), "https://d", "base URL").unwrap_err();
            assert_eq!(e.code(), crate::Code::Config, "{bad}");
            assert!(e.to_string().contains("must use https://"), "{e}");
        }
    }

    #[test]
    fn ids_that_cannot_be_a_path_segment_are_refused() {
        assert!(check_id("ApiKey-7f3c2a10", "x").is_ok());
        for bad in ["", " ", "a/b", "a?b", "a b", "a%2Fb", "a\nb"] {
            let e = check_id(bad, "they look like ApiKey-…").unwrap_err();
            assert_eq!(e.code(), crate::Code::Validation, "{bad}");
        }
    }

    #[test]
    fn notes_go_on_transport_errors_only() {
        let t = with_note(
            Error::Timeout {
                message: "slow".into(),
            },
            "; nothing was created",
        );
        assert_eq!(t.to_string(), "slow; nothing was created");
        let v = with_note(Error::validation("f", "m"), "; note");
        assert_eq!(v.to_string(), "f: m");
    }
}
