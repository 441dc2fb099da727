//! A1–A3: the organization's admin API keys. A new admin key authenticates at once; a deleted
//! one gets 401 from its next request on.

use axum::body::Bytes;
use axum::extract::RawQuery;
use axum::Json;

use super::mint::{issue, new_id, now};
use super::paging::ListQuery;
use super::{body, path_param, wire, AdminKey, Answer, Call, IdPath};

/// A1: `order` = `asc` (default) or `desc` by creation; `after` is exclusive in that order.
pub async fn list(call: Call, RawQuery(q): RawQuery) -> Answer {
    call.read(|state, _| {
        let q = ListQuery::parse(q.as_deref())?;
        let order = q.query.choice("order", &["asc", "desc"], "asc")?;
        let mut keys: Vec<&AdminKey> = state.admin_keys.iter().collect();
        if order == "desc" {
            keys.reverse();
        }
        let page = q.page(keys, |k| k.id.as_str(), |k| wire::admin_key(state, k));
        Ok(Json(page))
    })
}

/// A2: `{name, expires_in_seconds?}`; the response alone carries `value`. The new key belongs
/// to the owner of the key that created it.
pub async fn create(call: Call, bytes: Bytes) -> Answer {
    call.write(|state, caller| {
        let fields = body::parse(&bytes, &["name", "expires_in_seconds"])?;
        let name = body::required_string(&fields, "name")?;
        let expires = body::expires_in(&fields, "expires_in_seconds")?.flatten();
        let (issued, value) = issue("sk-admin-", 8, &name, now(), expires);
        let key = AdminKey {
            id: new_id("key_"),
            issued,
            owner_user_id: caller.owner_user_id,
        };
        let mut out = wire::admin_key(state, &key);
        out["value"] = serde_json::Value::String(value);
        state.admin_keys.push(key);
        Ok(Json(out))
    })
}

pub async fn retrieve(call: Call, p: IdPath) -> Answer {
    call.read(|state, _| {
        let id = path_param(p)?;
        Ok(Json(wire::admin_key(state, state.admin_key(&id)?)))
    })
}

pub async fn delete(call: Call, p: IdPath) -> Answer {
    call.write(|state, _| {
        let id = path_param(p)?;
        state.admin_key(&id)?;
        state.admin_keys.retain(|k| k.id != id);
        Ok(Json(wire::deleted(
            "organization.admin_api_key.deleted",
            &id,
        )))
    })
}
