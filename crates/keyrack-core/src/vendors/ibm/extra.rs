//! What an IBM Cloud API key has that other vendors' keys do not: `KeyRecord::extra`.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
pub struct IbmExtra {
    pub crn: Option<String>,
    pub entity_tag: Option<String>,
    pub iam_id: Option<String>,
    pub account_id: Option<String>,
    pub action_when_leaked: Option<String>,
    pub support_sessions: Option<bool>,
    pub modified_at: Option<DateTime<Utc>>,
}

impl IbmExtra {
    /// A replacement keeps the leak action and the support-session setting.
    pub fn carry_over(&self, spec: &mut crate::model::NewKey) {
        spec.action_when_leaked = self.action_when_leaked.clone();
        spec.support_sessions = self.support_sessions.unwrap_or(false);
    }
}
