//! The `APIKey` object as IBM's API documentation gives it. The eight fields the official SDK
//! requires (`id`, `crn`, `locked`, `created_by`, `name`, `iam_id`, `account_id`, `apikey`) are
//! always present; `apikey` is `""` unless the value may be shown.

use serde_json::{json, Value};

use super::model::ApiKey;
use super::time;

#[derive(Debug, Clone, Copy, Default)]
pub struct Render {
    /// Show the secret: only in the create response.
    pub reveal: bool,
    pub history: bool,
    pub activity: bool,
}

pub fn api_key(key: &ApiKey, how: Render) -> Value {
    // A service-ID key created with store_value keeps its value readable.
    let value = if how.reveal || key.store_value {
        key.apikey.as_str()
    } else {
        ""
    };
    let mut v = json!({
        "id": key.id,
        "entity_tag": key.entity_tag,
        "crn": key.crn(),
        "locked": key.locked,
        "disabled": key.disabled,
        "created_at": time::short(key.created_at),
        "created_by": key.created_by,
        "modified_at": time::short(key.modified_at),
        "name": key.name,
        "iam_id": key.iam_id,
        "account_id": key.account_id,
        "apikey": value,
    });
    if let Some(d) = &key.description {
        v["description"] = json!(d);
    }
    if let Some(s) = key.support_sessions {
        v["support_sessions"] = json!(s);
    }
    if let Some(a) = &key.action_when_leaked {
        v["action_when_leaked"] = json!(a);
    }
    if let Some(e) = key.expires_at {
        v["expires_at"] = json!(time::short(e));
    }
    if how.history {
        let history: Vec<Value> = key
            .history
            .iter()
            .map(|h| {
                json!({
                    "timestamp": time::long(h.timestamp),
                    "iam_id": h.iam_id,
                    "iam_id_account": h.iam_id_account,
                    "action": h.action,
                    "params": h.params,
                    "message": h.message,
                })
            })
            .collect();
        v["history"] = json!(history);
    }
    if how.activity {
        let mut activity = json!({ "authn_count": key.authn_count });
        if let Some(t) = key.last_authn {
            activity["last_authn"] = json!(time::long(t));
        }
        v["activity"] = activity;
    }
    v
}
