//! What an OCI API signing key has that other vendors' keys do not: `KeyRecord::extra`.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
pub struct OciExtra {
    pub user_id: String,
    pub lifecycle_state: String,
    pub inactive_status: Option<i64>,
}
