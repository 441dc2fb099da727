//! Rotation's verify step, shared by the clients: one request made with a new key's secret
//! alone, and what its answer means. A 401 is the vendor refusing the new key; a 403 means the
//! key authenticated but may not read that one resource — still proof that the secret works
//! (a narrowly scoped key is a good key).

use reqwest::{Response, StatusCode};

use super::response::ErrorResponse;
use crate::error::{Error, Result};
use crate::vendors::VendorId;

/// `Ok` when the answer to a request made with the new secret shows it authenticated.
pub async fn judge(vendor: VendorId, sent: Result<Response>) -> Result<()> {
    let response = sent?;
    let status = response.status();
    if status.is_success() || status == StatusCode::FORBIDDEN {
        return Ok(());
    }
    let r = ErrorResponse::read(vendor, response).await;
    let detail = r.detail(None, None);
    if status == StatusCode::UNAUTHORIZED {
        let caps = vendor.descriptor().capabilities();
        return Err(Error::Unauthorized {
            message: format!(
                "{} did not accept the new {}: a request made with it was refused",
                caps.vendor_name, caps.key_noun
            ),
            detail: Some(detail),
        });
    }
    Err(r.status_error(
        detail,
        "the new key could not be verified; try the rotation again to verify it",
    ))
}
