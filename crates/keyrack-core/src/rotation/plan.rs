//! The plan of a rotation: the new key made from the old one (same owner, project, scopes,
//! permissions, description, leak and lock settings; the name with a suffix; the same lifetime
//! from now), the vendor's per-owner quota checked, and the user's choices checked — all
//! before anything is created.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::deliver::{self, Delivery};
use crate::accounts::Registry;
use crate::error::{Error, Result};
use crate::model::{KeyRecord, KeyStatus, NewKey, OwnerKind, OwnerRef};
use crate::vendor::{Capabilities, Vendor};

/// What happens to the old key once the new one works.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Retire {
    #[default]
    Delete,
    /// Where the vendor can disable keys (`Capabilities::disable`).
    Disable,
    /// Left active, until `grace_until` if given (a reminder, not an action).
    Keep,
}

impl Retire {
    pub fn label(self) -> &'static str {
        match self {
            Retire::Delete => "delete",
            Retire::Disable => "disable",
            Retire::Keep => "keep",
        }
    }
}

/// What the user chose.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct RotateOptions {
    /// The new key's name; default: the old one's with ` rotated <date>` style suffix.
    pub name: Option<String>,
    pub delivery: Option<Delivery>,
    pub retire: Retire,
    /// With `Keep`: when the old key is due to go.
    pub grace_until: Option<DateTime<Utc>>,
}

/// A checked rotation, ready to run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Plan {
    pub account_id: String,
    pub old: KeyRecord,
    pub spec: NewKey,
    pub delivery: Option<Delivery>,
    pub retire: Retire,
    pub grace_until: Option<DateTime<Utc>>,
    /// The owner's keys, the old one included, and the most the vendor allows (if it says).
    #[ts(type = "number")]
    pub owner_keys: usize,
    pub max_keys_per_owner: Option<u32>,
}

/// A key whose rotation left a journal behind (interrupted, failed, or keeping the old key
/// for a grace period) is not rotated again until that one is resumed or undone: a second run
/// would make a second new key beside the first.
fn not_already_rotating(registry: &Registry, account_id: &str, key_id: &str) -> Result<()> {
    let journals = super::journal::Journals::new(&registry.paths().data_dir);
    let Some(j) = journals
        .list()?
        .into_iter()
        .find(|j| j.account_id == account_id && j.old.id == key_id)
    else {
        return Ok(());
    };
    let new = j
        .new_key_id
        .as_deref()
        .map(|id| format!(" (new key {id})"))
        .unwrap_or_default();
    let message = if j.step == super::journal::Step::Done {
        format!(
            "this key was already rotated (rotation {}{new}) and is only kept for its grace \
             period; use the new key, and delete this one when nothing needs it any more",
            j.id
        )
    } else {
        format!(
            "this key is already being rotated: rotation {} stopped at {}{new}; resume or undo \
             it first (keyrack keys rotate --resume {0} | --undo {0})",
            j.id,
            j.step.label()
        )
    };
    Err(Error::Conflict {
        message,
        detail: None,
    })
}

/// Check a rotation of `key_id` and say what it will create. Only reads from the vendor.
pub async fn plan(
    registry: &Registry,
    account_id: &str,
    key_id: &str,
    options: &RotateOptions,
) -> Result<Plan> {
    let account = registry.account(account_id)?;
    not_already_rotating(registry, account_id, key_id)?;
    let vendor = registry.vendor(account_id).await?;
    let caps = vendor.capabilities();
    let old = vendor.get(key_id).await?;
    check_choices(&caps, &old, options)?;
    owner_can_get_a_key(vendor.as_ref(), &caps, &old).await?;
    let spec = replacement(&old, &caps, options.name.as_deref(), Utc::now());
    crate::validate::new_key(&caps, &spec, Utc::now())?;

    let keys = vendor.list().await?;
    let owner_keys = keys
        .iter()
        .filter(|k| same_owner(k, &old) && k.status != KeyStatus::Deleting)
        .count()
        .max(1);
    if let Some(max) = caps.max_keys_per_owner {
        if owner_keys >= max as usize {
            return Err(at_limit(&caps, &old, &keys, max));
        }
    }
    if let Some(delivery) = &options.delivery {
        deliver::check(delivery, &old, &account)?;
    }
    Ok(Plan {
        account_id: account_id.to_string(),
        old,
        spec,
        delivery: options.delivery.clone(),
        retire: options.retire,
        grace_until: options.grace_until,
        owner_keys,
        max_keys_per_owner: caps.max_keys_per_owner,
    })
}

/// The replacement is made for the old key's owner. A person the vendor does not offer this
/// account as an owner (IBM: another user, whose keys only that user can create) cannot get one:
/// say so now rather than fail at create. When the owners cannot be listed, the create decides.
async fn owner_can_get_a_key(
    vendor: &dyn Vendor,
    caps: &Capabilities,
    old: &KeyRecord,
) -> Result<()> {
    let Some(owner) = old.owner.as_ref().filter(|o| o.kind == OwnerKind::User) else {
        return Ok(());
    };
    let Ok(options) = vendor.create_options().await else {
        return Ok(());
    };
    if options.owners.is_empty() || options.owners.iter().any(|o| o.id == owner.id) {
        return Ok(());
    }
    let who = owner.name.clone().unwrap_or_else(|| owner.id.clone());
    Err(Error::Forbidden {
        message: format!(
            "{} does not let this account create a {} for {who}, so Keyrack cannot make the \
             replacement; {who} can rotate it with their own credential",
            caps.vendor_name, caps.key_noun
        ),
        detail: None,
    })
}

fn check_choices(caps: &Capabilities, old: &KeyRecord, options: &RotateOptions) -> Result<()> {
    if let (Some(rule), Some(owner)) = (&caps.owner, &old.owner) {
        if !rule.kinds.contains(&owner.kind) {
            return Err(Error::unsupported(format!(
                "{} cannot create a {} for this owner through its API, so Keyrack cannot make \
                 the replacement; rotate it in the vendor's console",
                caps.vendor_name, caps.key_noun
            )));
        }
    }
    let (allowed, what) = match options.retire {
        Retire::Delete => (caps.delete, "delete"),
        Retire::Disable => (caps.disable, "disable"),
        Retire::Keep => (true, "keep"),
    };
    if !allowed {
        return Err(Error::validation(
            "then",
            format!(
                "{} cannot {what} {}s; choose {}",
                caps.vendor_name,
                caps.key_noun,
                if caps.delete {
                    "delete or keep"
                } else {
                    "keep"
                }
            ),
        ));
    }
    if options.grace_until.is_some() && options.retire != Retire::Keep {
        return Err(Error::validation(
            "grace",
            "a grace period goes with keeping the old key (then keep)",
        ));
    }
    if options.grace_until.is_some_and(|t| t <= Utc::now()) {
        return Err(Error::validation(
            "grace",
            "the grace period must end later",
        ));
    }
    Ok(())
}

/// The new key for `old`: what the vendor lets a create carry over, the name (or, for a vendor
/// whose keys have only a description, the description) marked as the replacement, and the
/// same lifetime from `now` when the old key had an expiry date.
pub fn replacement(
    old: &KeyRecord,
    caps: &Capabilities,
    name: Option<&str>,
    now: DateTime<Utc>,
) -> NewKey {
    let stamp = now.format("%Y%m%d").to_string();
    let mut spec = NewKey {
        description: caps
            .description
            .as_ref()
            .and(old.description.clone())
            .filter(|d| !d.is_empty()),
        owner: caps
            .owner
            .as_ref()
            .and(old.owner.as_ref())
            .map(|o| OwnerRef {
                kind: o.kind,
                id: o.id.clone(),
            }),
        scopes: if caps.scopes.is_empty() {
            Vec::new()
        } else {
            old.scopes.clone()
        },
        permissions: caps.permissions.as_ref().and(old.permissions.clone()),
        locked: caps.lock_on_create && old.locked,
        ..NewKey::default()
    };
    if caps.expiry {
        if let (Some(expires), Some(created)) = (old.expires_at, old.created_at) {
            let lifetime = expires - created;
            if lifetime > chrono::Duration::zero() {
                spec.expires_at = Some(now + lifetime);
            }
        }
    }
    old.extra.carry_over(&mut spec);
    match (&caps.name, &caps.description) {
        (Some(field), _) => {
            spec.name = Some(match name {
                Some(n) => n.to_string(),
                None => suffixed(old.name.as_deref().unwrap_or("key"), &stamp, field.max_len),
            });
        }
        (None, Some(field)) => {
            spec.description = Some(match name {
                Some(n) => n.to_string(),
                None => suffixed(
                    old.description.as_deref().unwrap_or("key"),
                    &stamp,
                    field.max_len,
                ),
            });
        }
        (None, None) => {}
    }
    spec
}

/// `<base>-rotated-<yyyymmdd>`, replacing an earlier rotation's suffix, within `max_len`.
fn suffixed(base: &str, stamp: &str, max_len: usize) -> String {
    let base = match base.rfind("-rotated-") {
        Some(i) if base[i + 9..].chars().all(|c| c.is_ascii_digit()) => &base[..i],
        _ => base,
    };
    let suffix = format!("-rotated-{stamp}");
    let room = max_len.saturating_sub(suffix.chars().count());
    let base: String = base.chars().take(room).collect();
    format!("{base}{suffix}")
}

fn same_owner(key: &KeyRecord, old: &KeyRecord) -> bool {
    match (&key.owner, &old.owner) {
        (Some(a), Some(b)) => a.id == b.id,
        (None, None) => true,
        _ => false,
    }
}

/// "At the limit": which other keys to disable or delete first — never the one being rotated,
/// which stays until its replacement works.
fn at_limit(caps: &Capabilities, old: &KeyRecord, keys: &[KeyRecord], max: u32) -> Error {
    let others: Vec<String> = keys
        .iter()
        .filter(|k| same_owner(k, old) && k.id != old.id)
        .map(|k| match &k.name {
            Some(n) if n != &k.id => format!("{} ({n})", k.id),
            _ => k.id.clone(),
        })
        .collect();
    let owner = old
        .owner
        .as_ref()
        .map(|o| o.name.clone().unwrap_or_else(|| o.id.clone()))
        .unwrap_or_else(|| "the owner".into());
    let verb = if caps.disable {
        "disable or delete"
    } else {
        "delete"
    };
    Error::QuotaExceeded {
        message: format!(
            "at limit: {owner} has {} {}s, the most {} allows ({max}), so the replacement \
             cannot be created; {verb} {} first (the key being rotated stays until its \
             replacement works)",
            keys.iter().filter(|k| same_owner(k, old)).count(),
            caps.key_noun,
            caps.vendor_name,
            if others.is_empty() {
                "another key".to_string()
            } else {
                format!("one of {}", others.join(", "))
            }
        ),
        detail: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_suffix_replaces_an_earlier_one_and_fits() {
        assert_eq!(suffixed("ci", "20261204", 100), "ci-rotated-20261204");
        assert_eq!(
            suffixed("ci-rotated-20250101", "20261204", 100),
            "ci-rotated-20261204"
        );
        assert_eq!(suffixed("abcdefghij", "20261204", 22).len(), 22);
    }
}
