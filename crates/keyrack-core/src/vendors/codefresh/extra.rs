//! What a Codefresh API key has that other vendors' keys do not: `KeyRecord::extra`.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
pub struct CodefreshExtra {
    pub token_prefix: Option<String>,
    pub subject_type: Option<String>,
    pub subject_ref: Option<String>,
}
