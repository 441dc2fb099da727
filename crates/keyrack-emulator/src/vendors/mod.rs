//! One module per vendor, each following the contract in the crate docs.

pub mod codefresh;
pub mod ibm;
pub mod oci;
pub mod openai;
pub mod scaleway;

/// Which vendor a request path belongs to (used by fault injection and the request log).
pub fn vendor_of_path(path: &str) -> Option<&'static str> {
    if path.starts_with("/identity/") || path.starts_with("/v1/apikeys") || path.starts_with("/v1/accounts/") {
        Some("ibm")
    } else if path.starts_with("/iam/v1alpha1/") {
        Some("scaleway")
    } else if path.starts_with("/20160918/") {
        Some("oci")
    } else if path.starts_with("/v1/organization/") || path == "/v1/me" {
        Some("openai")
    } else if path.starts_with("/api/") {
        Some("codefresh")
    } else {
        None
    }
}
