//! The tray's "New key for…": a key with a dated default name, and for vendors whose create
//! needs more, the account's defaults or the vendor's first offered choice. A choice with no
//! safe default (which scopes to grant) is not guessed: the tray opens the create form for the
//! account instead, with the reason.

use chrono::{DateTime, TimeZone};
use keyrack_core::error::{Error, Result};
use keyrack_core::model::{Account, CreateOptions, NewKey, OwnerRef};
use keyrack_core::vendor::Capabilities;
use tauri::{AppHandle, Manager, Runtime};

use super::actions::tray_action;
use crate::dto::{TrayAction, TrayActionKind};
use crate::state::AppState;
use crate::{events, ops, window};

/// A click on "New key for…" `account_id`: starts the create in the background, unless one for
/// that account is still running, in which case the click is ignored (a double click would
/// otherwise make two keys). Checked and marked here, at the click, so two clicks in a row
/// cannot both start; the mark goes when the create ends, however it ends.
pub fn start<R: Runtime>(app: &AppHandle<R>, account_id: &str) {
    let Some(state) = app.try_state::<AppState>() else {
        return;
    };
    let Some(running) = state.quick_creates().begin(account_id) else {
        tracing::info!(account = %account_id, "a key for this account is being created; click ignored");
        return;
    };
    let app = app.clone();
    let account_id = account_id.to_string();
    tauri::async_runtime::spawn(async move {
        new_key(&app, &account_id).await;
        drop(running);
    });
}

/// "New key for…": create with a dated name and the account's defaults, then show the secret.
/// When that is not possible (a choice the tray cannot make, a vendor error), open the create
/// form for the account instead, with the reason.
async fn new_key<R: Runtime>(app: &AppHandle<R>, account_id: &str) {
    let Some(state) = app.try_state::<AppState>() else {
        return;
    };
    let created = async {
        let registry = state.registry();
        let account = registry.account(account_id)?;
        let vendor = registry.vendor(account_id).await?;
        let caps = vendor.capabilities();
        let options = if needs_options(&caps, &account) {
            vendor.create_options().await?
        } else {
            Default::default()
        };
        let name = default_name(chrono::Local::now());
        let spec = spec(&caps, &account, &options, &name)?;
        ops::create_key(app, &state, account_id, &spec).await
    }
    .await;
    window::show_main(app);
    match created {
        Ok(pending) => events::tray_action(
            app,
            TrayAction {
                handle: Some(pending.handle),
                ..tray_action(TrayActionKind::OpenReveal)
            },
        ),
        Err(e) => {
            tracing::warn!(account = %account_id, code = ?e.code(), "tray could not create a key");
            events::tray_action(
                app,
                TrayAction {
                    account_id: Some(account_id.to_string()),
                    error: Some(e.to_public()),
                    ..tray_action(TrayActionKind::NewKey)
                },
            );
        }
    }
}

/// `keyrack-20260314-0930`: sortable, and says where the key came from.
pub fn default_name<Tz: TimeZone>(now: DateTime<Tz>) -> String
where
    Tz::Offset: std::fmt::Display,
{
    format!("keyrack-{}", now.format("%Y%m%d-%H%M"))
}

/// Whether building the request needs the vendor's create options (owners, projects).
pub fn needs_options(caps: &Capabilities, account: &Account) -> bool {
    let owner = caps.owner.as_ref().is_some_and(|o| o.required);
    let project =
        caps.project.as_ref().is_some_and(|p| p.required) && account.settings.project_id.is_none();
    owner || project
}

/// The request for a key named `name` at `account`.
pub fn spec(
    caps: &Capabilities,
    account: &Account,
    options: &CreateOptions,
    name: &str,
) -> Result<NewKey> {
    if !caps.scopes.is_empty() {
        return Err(Error::validation(
            "scopes",
            format!(
                "choose which scopes the new {} {} gets",
                caps.vendor_name, caps.key_noun
            ),
        ));
    }
    let mut spec = NewKey::default();
    if caps.name.is_some() {
        spec.name = Some(name.to_string());
    } else if caps.description.is_some() {
        // Vendors without names (Scaleway) label keys by their description.
        spec.description = Some(name.to_string());
    }
    if let Some(rule) = caps.owner.as_ref().filter(|o| o.required) {
        let owner = options
            .owners
            .iter()
            .find(|o| rule.kinds.contains(&o.kind))
            .ok_or_else(|| {
                Error::validation(
                    "owner",
                    format!("choose the {} the key is for", rule.label.to_lowercase()),
                )
            })?;
        spec.owner = Some(OwnerRef {
            kind: owner.kind,
            id: owner.id.clone(),
        });
    }
    if let Some(rule) = &caps.project {
        spec.project_id = account.settings.project_id.clone();
        if spec.project_id.is_none() && rule.required {
            let first = options
                .projects
                .first()
                .ok_or_else(|| Error::validation("project_id", "choose a project"))?;
            spec.project_id = Some(first.id.clone());
        }
    }
    Ok(spec)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Utc;
    use keyrack_core::model::{AccountSettings, Owner, OwnerKind, Project, VendorId};
    use keyrack_core::vendor::capabilities_of;

    fn account(vendor: VendorId, project: Option<&str>) -> Account {
        Account {
            id: "a".into(),
            name: "A".into(),
            vendor,
            sandbox: true,
            settings: AccountSettings {
                project_id: project.map(str::to_string),
                ..Default::default()
            },
        }
    }

    fn options() -> CreateOptions {
        CreateOptions {
            owners: vec![
                Owner {
                    kind: OwnerKind::Other,
                    id: "nope".into(),
                    name: None,
                },
                Owner {
                    kind: OwnerKind::Application,
                    id: "app-1".into(),
                    name: Some("CI".into()),
                },
            ],
            projects: vec![
                Project {
                    id: "proj_1".into(),
                    name: "Default".into(),
                },
                Project {
                    id: "proj_2".into(),
                    name: "Other".into(),
                },
            ],
        }
    }

    #[test]
    fn default_name_is_dated_to_the_minute() {
        let t = Utc.with_ymd_and_hms(2026, 3, 14, 9, 30, 59).unwrap();
        assert_eq!(default_name(t), "keyrack-20260314-0930");
    }

    /// Every request built here passes core's own validation for that vendor.
    #[test]
    fn requests_are_valid_for_the_vendor() {
        for vendor in keyrack_core::vendors::ids() {
            let caps = capabilities_of(vendor);
            let built = spec(&caps, &account(vendor, None), &options(), "keyrack-x");
            if caps.scopes.is_empty() {
                let s = built.unwrap();
                keyrack_core::validate::new_key(&caps, &s, Utc::now())
                    .unwrap_or_else(|e| panic!("{vendor}: {e}"));
            } else {
                // Which scopes to grant is never guessed.
                let e = built.unwrap_err();
                assert_eq!(e.to_public().field.as_deref(), Some("scopes"), "{vendor}");
            }
        }
    }

    #[test]
    fn names_or_describes_the_key_and_picks_first_choices() {
        let ibm = spec(
            &capabilities_of(VendorId::Ibm),
            &account(VendorId::Ibm, None),
            &options(),
            "keyrack-x",
        )
        .unwrap();
        assert_eq!(ibm.name.as_deref(), Some("keyrack-x"));
        assert_eq!(ibm.owner, None, "IBM: the account's own identity");

        let scw_caps = capabilities_of(VendorId::Scaleway);
        let scw = spec(
            &scw_caps,
            &account(VendorId::Scaleway, Some("p-9")),
            &options(),
            "keyrack-x",
        )
        .unwrap();
        assert_eq!(scw.name, None);
        assert_eq!(scw.description.as_deref(), Some("keyrack-x"));
        assert_eq!(
            scw.owner,
            Some(OwnerRef {
                kind: OwnerKind::Application,
                id: "app-1".into()
            })
        );
        assert_eq!(scw.project_id.as_deref(), Some("p-9"));
        let none = spec(
            &scw_caps,
            &account(VendorId::Scaleway, None),
            &CreateOptions::default(),
            "k",
        )
        .unwrap_err();
        assert_eq!(none.to_public().field.as_deref(), Some("owner"));

        let oai_caps = capabilities_of(VendorId::Openai);
        let oai = spec(&oai_caps, &account(VendorId::Openai, None), &options(), "k").unwrap();
        assert_eq!(oai.project_id.as_deref(), Some("proj_1"));
        assert_eq!(oai.owner, None, "OpenAI: a new service account");
        let own = spec(
            &oai_caps,
            &account(VendorId::Openai, Some("proj_2")),
            &options(),
            "k",
        )
        .unwrap();
        assert_eq!(own.project_id.as_deref(), Some("proj_2"));
        assert!(needs_options(&oai_caps, &account(VendorId::Openai, None)));
        assert!(!needs_options(
            &oai_caps,
            &account(VendorId::Openai, Some("p"))
        ));
        assert!(!needs_options(
            &capabilities_of(VendorId::Ibm),
            &account(VendorId::Ibm, None)
        ));
    }
}
