//! What a Scaleway API key has that other vendors' keys do not: `KeyRecord::extra`.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
pub struct ScalewayExtra {
    pub default_project_id: Option<String>,
    pub editable: Option<bool>,
    pub deletable: Option<bool>,
    pub managed: Option<bool>,
    pub creation_ip: Option<String>,
    pub updated_at: Option<DateTime<Utc>>,
}

impl ScalewayExtra {
    /// A replacement keeps the default project.
    pub fn carry_over(&self, spec: &mut crate::model::NewKey) {
        spec.project_id = self.default_project_id.clone();
    }
}
