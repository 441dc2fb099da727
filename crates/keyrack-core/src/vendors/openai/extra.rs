//! What an OpenAI project API key has that other vendors' keys do not: `KeyRecord::extra`.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
pub struct OpenaiExtra {
    pub project_id: String,
    pub project_name: Option<String>,
}

impl OpenaiExtra {
    /// A replacement goes into the same project.
    pub fn carry_over(&self, spec: &mut crate::model::NewKey) {
        spec.project_id = Some(self.project_id.clone());
    }
}
