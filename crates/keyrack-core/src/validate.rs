//! Checks a create or update request against the vendor's `Capabilities` before anything is sent,
//! so a bad request is a `Validation { field }` error naming the field, never a vendor round trip.

use chrono::{DateTime, Utc};

use crate::error::{Error, Result};
use crate::model::{KeyUpdate, NewKey, OwnerKind, PermissionLevel, PermissionMode, Permissions};
use crate::vendor::{Capabilities, SecretSource, TextField};

fn text(field: &str, value: Option<&str>, rule: Option<&TextField>, vendor: &str) -> Result<()> {
    match (value, rule) {
        (None, Some(rule)) if rule.required => {
            Err(Error::validation(field, format!("a {field} is required")))
        }
        (None, _) => Ok(()),
        (Some(_), None) => Err(Error::validation(
            field,
            format!("{vendor} keys have no {field}"),
        )),
        (Some(v), Some(rule)) => {
            let trimmed = v.trim();
            if trimmed.is_empty() && rule.required {
                return Err(Error::validation(
                    field,
                    format!("the {field} must not be empty"),
                ));
            }
            let len = v.chars().count();
            if len > rule.max_len {
                return Err(Error::validation(
                    field,
                    format!(
                        "the {field} is {len} characters long; {vendor} allows at most {}",
                        rule.max_len
                    ),
                ));
            }
            if v.chars().any(|c| c.is_control()) {
                return Err(Error::validation(
                    field,
                    format!("the {field} must not contain control characters"),
                ));
            }
            Ok(())
        }
    }
}

/// Validate a create request. `now` is a parameter so tests can pin it.
pub fn new_key(caps: &Capabilities, spec: &NewKey, now: DateTime<Utc>) -> Result<()> {
    let vendor = caps.vendor_name.as_str();
    text("name", spec.name.as_deref(), caps.name.as_ref(), vendor)?;
    text(
        "description",
        spec.description.as_deref(),
        caps.description.as_ref(),
        vendor,
    )?;

    if let Some(expires_at) = spec.expires_at {
        if !caps.expiry {
            return Err(Error::validation(
                "expires_at",
                format!("{vendor} keys cannot be given an expiry date"),
            ));
        }
        if expires_at <= now {
            return Err(Error::validation(
                "expires_at",
                format!("the expiry date {expires_at} is in the past"),
            ));
        }
    }

    if !spec.scopes.is_empty() && caps.scopes.is_empty() {
        return Err(Error::validation(
            "scopes",
            format!("{vendor} keys have no scopes"),
        ));
    }
    for scope in &spec.scopes {
        if !caps.scopes.iter().any(|s| &s.id == scope) {
            let known: Vec<&str> = caps.scopes.iter().map(|s| s.id.as_str()).collect();
            return Err(Error::validation(
                "scopes",
                format!(
                    "unknown scope `{scope}`; {vendor} knows {}",
                    known.join(", ")
                ),
            ));
        }
    }

    match (&spec.owner, &caps.owner) {
        (None, Some(rule)) if rule.required => {
            return Err(Error::validation(
                "owner",
                format!("choose the {} the key is for", rule.label.to_lowercase()),
            ))
        }
        (Some(_), None) => {
            return Err(Error::validation(
                "owner",
                format!("{vendor} keys cannot be created for another owner here"),
            ))
        }
        (Some(owner), Some(rule)) => {
            if owner.id.trim().is_empty() {
                return Err(Error::validation("owner", "the owner id must not be empty"));
            }
            // `Other` = the kind was not said: the vendor works it out from the id.
            if owner.kind != OwnerKind::Other && !rule.kinds.contains(&owner.kind) {
                return Err(Error::validation(
                    "owner",
                    format!("{vendor} keys cannot belong to a {:?}", owner.kind),
                ));
            }
        }
        _ => {}
    }

    match (&spec.project_id, &caps.project) {
        (None, Some(rule)) if rule.required => {
            return Err(Error::validation("project_id", "choose a project"))
        }
        (Some(_), None) => {
            return Err(Error::validation(
                "project_id",
                format!("{vendor} keys have no project"),
            ))
        }
        (Some(p), Some(_)) if p.trim().is_empty() => {
            return Err(Error::validation(
                "project_id",
                "the project must not be empty",
            ))
        }
        _ => {}
    }

    if spec.locked && !caps.lock_on_create {
        return Err(Error::validation(
            "locked",
            format!("{vendor} keys cannot be created locked"),
        ));
    }
    if spec.disabled && !caps.disable_on_create {
        return Err(Error::validation(
            "disabled",
            format!("{vendor} keys cannot be created disabled"),
        ));
    }
    if let Some(action) = &spec.action_when_leaked {
        if !caps.leak_actions.contains(action) {
            return Err(Error::validation(
                "action_when_leaked",
                format!(
                    "unknown action `{action}`; expected one of {}",
                    caps.leak_actions.join(", ")
                ),
            ));
        }
    }

    if spec.public_key_pem.is_some() && !caps.upload_public_key {
        return Err(Error::validation(
            "public_key_pem",
            format!("{vendor} generates the secret itself; a public key cannot be uploaded"),
        ));
    }
    if let Some(bits) = spec.key_bits {
        if caps.secret_source != SecretSource::LocalKeyPair {
            return Err(Error::validation(
                "key_bits",
                format!("{vendor} generates the secret itself"),
            ));
        }
        if !(2048..=8192).contains(&bits) {
            return Err(Error::validation(
                "key_bits",
                format!("an RSA key of {bits} bits is not allowed; choose 2048 to 8192"),
            ));
        }
    }
    if spec.support_sessions && !caps.support_sessions {
        return Err(Error::validation(
            "support_sessions",
            format!("{vendor} keys have no support sessions"),
        ));
    }
    if let Some(p) = &spec.permissions {
        permissions(caps, p, vendor)?;
    }
    Ok(())
}

/// Permissions the vendor offers: its resources, at levels it has for them.
fn permissions(caps: &Capabilities, p: &Permissions, vendor: &str) -> Result<()> {
    let Some(spec) = &caps.permissions else {
        return Err(Error::validation(
            "permissions",
            format!("{vendor} keys have no permissions to set"),
        ));
    };
    if p.mode != PermissionMode::Restricted && !p.resources.is_empty() {
        return Err(Error::validation(
            "permissions",
            "per-resource levels go with restricted permissions only",
        ));
    }
    for (id, level) in &p.resources {
        let Some(resource) = spec.resources.iter().find(|r| &r.id == id) else {
            let known: Vec<&str> = spec.resources.iter().map(|r| r.id.as_str()).collect();
            return Err(Error::validation(
                "permissions",
                format!("unknown resource `{id}`; {vendor} has {}", known.join(", ")),
            ));
        };
        if !resource.levels.contains(level) {
            return Err(Error::validation(
                "permissions",
                format!("{} cannot be given {level:?} access", resource.label),
            ));
        }
    }
    if p.mode == PermissionMode::Restricted
        && p.resources.values().all(|l| *l == PermissionLevel::None)
    {
        return Err(Error::validation(
            "permissions",
            "a restricted key needs access to at least one resource",
        ));
    }
    Ok(())
}

/// Validate an update request.
pub fn key_update(caps: &Capabilities, changes: &KeyUpdate) -> Result<()> {
    let vendor = caps.vendor_name.as_str();
    if changes.name.is_some() && !caps.rename {
        return Err(Error::validation(
            "name",
            format!("{vendor} keys cannot be renamed"),
        ));
    }
    if changes.name.is_some() {
        let rule = caps.name.clone().map(|r| TextField {
            required: true,
            ..r
        });
        text("name", changes.name.as_deref(), rule.as_ref(), vendor)?;
    }
    if changes.description.is_some() && !caps.update_description {
        return Err(Error::validation(
            "description",
            format!("{vendor} key descriptions cannot be changed"),
        ));
    }
    let desc_rule = caps.description.clone().map(|r| TextField {
        required: false,
        ..r
    });
    text(
        "description",
        changes.description.as_deref(),
        desc_rule.as_ref(),
        vendor,
    )?;
    if let Some(scopes) = &changes.scopes {
        if !caps.update_scopes {
            return Err(Error::validation(
                "scopes",
                format!("{vendor} key scopes cannot be changed"),
            ));
        }
        for scope in scopes {
            if !caps.scopes.iter().any(|s| &s.id == scope) {
                return Err(Error::validation(
                    "scopes",
                    format!("unknown scope `{scope}`"),
                ));
            }
        }
    }
    if changes.project_id.is_some() && !caps.update_project {
        return Err(Error::validation(
            "project_id",
            format!("{vendor} keys' project cannot be changed"),
        ));
    }
    if changes.expires_at.is_some() || changes.clear_expiry {
        if !caps.update_expiry {
            return Err(Error::validation(
                "expires_at",
                format!("{vendor} keys' expiry dates cannot be changed"),
            ));
        }
        if changes.clear_expiry && !caps.remove_expiry {
            return Err(Error::validation(
                "expires_at",
                format!("{vendor} keys' expiry dates can be moved but not removed"),
            ));
        }
        if changes.expires_at.is_some() && changes.clear_expiry {
            return Err(Error::validation(
                "expires_at",
                "give a new expiry date or remove it, not both",
            ));
        }
    }
    if let Some(expires_at) = changes.expires_at {
        if expires_at <= Utc::now() {
            return Err(Error::validation(
                "expires_at",
                format!("the expiry date {expires_at} is in the past"),
            ));
        }
    }
    if let Some(action) = &changes.action_when_leaked {
        if !caps.update_leak_action || !caps.leak_actions.contains(action) {
            return Err(Error::validation(
                "action_when_leaked",
                format!(
                    "{vendor} keys cannot be set to `{action}` when leaked (choices: {})",
                    caps.leak_actions.join(", ")
                ),
            ));
        }
    }
    if changes.support_sessions.is_some() && !caps.support_sessions {
        return Err(Error::validation(
            "support_sessions",
            format!("{vendor} keys have no support sessions"),
        ));
    }
    if let Some(p) = &changes.permissions {
        if !caps.update_permissions {
            return Err(Error::validation(
                "permissions",
                format!("{vendor} keys' permissions cannot be changed"),
            ));
        }
        permissions(caps, p, vendor)?;
    }
    Ok(())
}
