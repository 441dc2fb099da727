//! Creating keys through the public Admin API, the ways it offers: a new service account in a
//! project (OpenAI returns its first key once), another key on an existing service account, or
//! an organization admin key (owner `admin`: the caller's own). A key with permissions
//! other than "all" gets its scopes when it is made, never afterwards, so it is never
//! unrestricted even for a moment: with a new service account, that account is created alone
//! (`create_service_account_only`), given the usual `member` role, and then its key is added
//! with the scopes. A create whose answer is lost is never repeated: the project's keys are
//! listed again to find what was made.

use chrono::{DateTime, Utc};
use reqwest::Method;

use super::capabilities;
use super::client::OpenAiClient;
use super::errors::Subject;
use super::permissions;
use super::record::{self, Scoped};
use super::wire::{
    CreateServiceAccount, CreateServiceAccountKey, CreatedServiceAccount, NewApiKey,
    ServiceAccount, UpdateServiceAccount,
};
use super::OpenaiExtra;
use crate::error::{Error, Result};
use crate::http::Retry;
use crate::model::{CreatedKey, KeyRecord, KeyStatus, NewKey, Owner, OwnerKind, OwnerRef};
use crate::validate;
use crate::vendors::common::lost_create::{self, Before, Wording};
use crate::vendors::{VendorExtra, VendorId};

/// The owner id that asks for an organization admin key (kind other, or user: the caller).
pub const ADMIN_OWNER: &str = "admin";

/// Whether the create asks for an admin key. Another user's id is refused: OpenAI makes
/// user-owned project keys only in the dashboard, and admin keys only for the caller.
fn wants_admin_key(owner: Option<&OwnerRef>) -> Result<bool> {
    let Some(owner) = owner else { return Ok(false) };
    let admin = owner.id.trim() == ADMIN_OWNER;
    match owner.kind {
        OwnerKind::User if !admin => Err(Error::validation(
            "owner",
            format!(
                "OpenAI keys of user {} can only be made in the dashboard; owner `{ADMIN_OWNER}` \
                 makes an organization admin key owned by you",
                owner.id.trim()
            ),
        )),
        OwnerKind::User | OwnerKind::Other => Ok(admin),
        _ => Ok(false),
    }
}

/// Where the new key goes.
enum Target<'a> {
    NewServiceAccount,
    ServiceAccount(&'a ServiceAccount),
}

impl OpenAiClient {
    pub(super) async fn create_key(&self, spec: &NewKey) -> Result<CreatedKey> {
        let now = Utc::now();
        let mut spec = spec.clone();
        if spec.project_id.is_none() {
            spec.project_id = self.default_project.clone();
        }
        let admin = wants_admin_key(spec.owner.as_ref())?;
        let mut caps = capabilities();
        if let Some(project) = caps.project.as_mut().filter(|_| admin) {
            // An admin key belongs to the organization: any project given is not used.
            project.required = false;
        }
        validate::new_key(&caps, &spec, now)?;
        let name = spec.name.as_deref().unwrap_or_default().trim().to_string();
        let expires_in = spec
            .expires_at
            .map(|t| super::client::seconds_until(t, now));
        if admin {
            if spec.permissions.is_some() {
                return Err(Error::validation(
                    "permissions",
                    "OpenAI admin keys have no permissions to choose: they administer the \
                     whole organization",
                ));
            }
            return self.create_admin_key(&name, expires_in).await;
        }
        if spec
            .project_id
            .as_deref()
            .is_none_or(|p| p.trim().is_empty())
        {
            return Err(Error::validation("project_id", "choose a project"));
        }
        let scopes = spec
            .permissions
            .as_ref()
            .map(permissions::to_scopes)
            .unwrap_or_default();
        let project = spec
            .project_id
            .as_deref()
            .unwrap_or_default()
            .trim()
            .to_string();
        if Scoped::parse(&project, "project_id", "project")?
            .project
            .is_some()
        {
            return Err(Error::validation(
                "project_id",
                "give the project id alone (proj_…)",
            ));
        }

        let owner_sa = match &spec.owner {
            None => None,
            Some(owner) => Some(self.existing_service_account(&project, &owner.id).await?),
        };
        let target = match &owner_sa {
            None => Target::NewServiceAccount,
            Some(sa) => Target::ServiceAccount(sa),
        };

        let before = Before::new(
            self.project_keys(&project)
                .await?
                .into_iter()
                .map(|k| Scoped::join(&project, &k.id)),
        );
        let new_sa;
        let (target, result) = match target {
            Target::NewServiceAccount if scopes.is_empty() => (
                target,
                self.post_service_account(&project, &name, expires_in).await,
            ),
            // Scopes go with the key when it is made: the account first, alone.
            Target::NewServiceAccount => {
                new_sa = self.post_bare_service_account(&project, &name).await?;
                let result = self
                    .post_key(&project, &new_sa, &name, &scopes, expires_in)
                    .await;
                if matches!(&result, Err(e) if !is_lost(e)) {
                    self.discard_service_account(&project, &new_sa.id).await;
                }
                (Target::ServiceAccount(&new_sa), result)
            }
            Target::ServiceAccount(sa) => (
                target,
                self.post_key(&project, sa, &name, &scopes, expires_in)
                    .await,
            ),
        };
        match result {
            Ok(created) => Ok(created),
            Err(e) if is_lost(&e) => Err(self.recover(&project, &target, &name, &before, e).await),
            Err(e) => Err(e),
        }
    }

    /// The service account a key is to be added to; it must be in the chosen project.
    async fn existing_service_account(
        &self,
        project: &str,
        owner_id: &str,
    ) -> Result<ServiceAccount> {
        let scoped = Scoped::parse(owner_id, "owner", "service account")?;
        if let Some(p) = scoped.project.as_deref().filter(|p| *p != project) {
            return Err(Error::validation(
                "owner",
                format!(
                    "service account {} belongs to project {p}, not {project}",
                    scoped.id
                ),
            ));
        }
        let id = scoped.id.as_str();
        let url = self.url(&["organization", "projects", project, "service_accounts", id]);
        self.get(&url, Subject::ServiceAccount { project, id })
            .await
    }

    async fn post_service_account(
        &self,
        project: &str,
        name: &str,
        expires_in_seconds: Option<i64>,
    ) -> Result<CreatedKey> {
        let created = self
            .post_service_accounts(
                project,
                CreateServiceAccount {
                    name,
                    create_service_account_only: false,
                    expires_in_seconds,
                },
            )
            .await?;
        let owner = Owner {
            kind: OwnerKind::ServiceAccount,
            id: Scoped::join(project, &created.id),
            name: created.name.clone().or_else(|| Some(name.to_string())),
        };
        let key = created.api_key.ok_or_else(|| Error::Decode {
            message: format!(
                "OpenAI created service account {} without an API key: delete it and try again",
                created.id
            ),
            raw: None,
        })?;
        Ok(self.created(project, key, owner))
    }

    /// `POST …/service_accounts`: never retried, since a retry could make a second account.
    async fn post_service_accounts(
        &self,
        project: &str,
        body: CreateServiceAccount<'_>,
    ) -> Result<CreatedServiceAccount> {
        let url = self.url(&["organization", "projects", project, "service_accounts"]);
        let body = encode(&body)?;
        self.call(
            Method::POST,
            &url,
            Some(&body),
            Retry::Never,
            Subject::Project(project),
        )
        .await
    }

    /// A service account without a key (`create_service_account_only`, role `none`), then
    /// given the `member` role a service account normally has.
    async fn post_bare_service_account(&self, project: &str, name: &str) -> Result<ServiceAccount> {
        let created = self
            .post_service_accounts(
                project,
                CreateServiceAccount {
                    name,
                    create_service_account_only: true,
                    expires_in_seconds: None,
                },
            )
            .await?;
        let id = created.id.as_str();
        let url = self.url(&["organization", "projects", project, "service_accounts", id]);
        let body = encode(&UpdateServiceAccount { role: "member" })?;
        let subject = Subject::ServiceAccount { project, id };
        if let Err(e) = self
            .call::<ServiceAccount>(Method::POST, &url, Some(&body), Retry::Idempotent, subject)
            .await
        {
            self.discard_service_account(project, id).await;
            return Err(e);
        }
        Ok(ServiceAccount {
            id: created.id.clone(),
            name: created.name.clone().or_else(|| Some(name.to_string())),
            created_at: None,
        })
    }

    /// Delete a service account this create made and could not give a key; a failure is only
    /// logged, since the create's own error is the one to report.
    async fn discard_service_account(&self, project: &str, id: &str) {
        let url = self.url(&["organization", "projects", project, "service_accounts", id]);
        let subject = Subject::ServiceAccount { project, id };
        if let Err(e) = self
            .call::<serde_json::Value>(Method::DELETE, &url, None, Retry::Idempotent, subject)
            .await
        {
            tracing::warn!(
                vendor = "openai",
                "could not delete the service account left without a key: {e}"
            );
        }
    }

    async fn post_key(
        &self,
        project: &str,
        sa: &ServiceAccount,
        name: &str,
        scopes: &[String],
        expires_in_seconds: Option<i64>,
    ) -> Result<CreatedKey> {
        let segments = [
            "organization",
            "projects",
            project,
            "service_accounts",
            &sa.id,
            "api_keys",
        ];
        let url = self.url(&segments);
        let body = encode(&CreateServiceAccountKey {
            name,
            scopes: scopes.to_vec(),
            expires_in_seconds,
        })?;
        let subject = Subject::ServiceAccount {
            project,
            id: &sa.id,
        };
        let key: NewApiKey = match self
            .call(Method::POST, &url, Some(&body), Retry::Never, subject)
            .await
        {
            // The service account was just retrieved, so a 404 means the endpoint is missing.
            Err(Error::NotFound { .. }) => {
                return Err(Error::unsupported(
                    "this OpenAI deployment cannot add a key to an existing service account; \
                     create the key with a new service account instead",
                ))
            }
            other => other?,
        };
        let owner = Owner {
            kind: OwnerKind::ServiceAccount,
            id: Scoped::join(project, &sa.id),
            name: sa.name.clone(),
        };
        let mut created = self.created(project, key, owner);
        created.record.permissions = Some(permissions::from_scopes(scopes));
        created.record.scopes = scopes.to_vec();
        Ok(created)
    }

    fn created(&self, project: &str, key: NewApiKey, owner: Owner) -> CreatedKey {
        let time = |s: Option<i64>| s.and_then(|s| DateTime::from_timestamp(s, 0));
        CreatedKey {
            record: KeyRecord {
                vendor: VendorId::Openai,
                account: self.account_id.clone(),
                id: Scoped::join(project, &key.id),
                name: key.name.clone(),
                description: None,
                owner: Some(owner),
                created_at: time(key.created_at),
                expires_at: time(key.expires_at),
                last_used_at: None,
                status: KeyStatus::Active,
                locked: false,
                scopes: Vec::new(),
                secret_hint: Some(key.value.hint()),
                permissions: Some(permissions::from_scopes(&[])),
                kind_label: None,
                extra: VendorExtra::Openai(OpenaiExtra {
                    project_id: project.to_string(),
                    project_name: None,
                }),
            },
            secret: key.value,
            public_key_pem: None,
        }
    }

    /// The create's answer was lost: find a key that was not there before and matches it.
    async fn recover(
        &self,
        project: &str,
        target: &Target<'_>,
        name: &str,
        before: &Before,
        lost: Error,
    ) -> Error {
        let now = Utc::now();
        let after = self.project_keys(project).await.map(|keys| {
            keys.iter()
                .map(|k| record::to_record(k, &self.account_id, project, None, now))
                .collect::<Vec<KeyRecord>>()
        });
        let is_ours = |k: &KeyRecord| {
            let owner = k
                .owner
                .as_ref()
                .filter(|o| o.kind == OwnerKind::ServiceAccount);
            match target {
                Target::NewServiceAccount => owner.is_some_and(|o| o.name.as_deref() == Some(name)),
                Target::ServiceAccount(sa) => {
                    owner.is_some_and(|o| o.id == Scoped::join(project, &sa.id))
                        && k.name.as_deref() == Some(name)
                }
            }
        };
        let wording = Wording {
            secret_noun: "secret",
            made: match target {
                // Deleting that key through Keyrack offers to delete the emptied account too.
                Target::NewServiceAccount => {
                    Some(format!("the key of the new service account `{name}`"))
                }
                Target::ServiceAccount(_) => None,
            },
        };
        lost_create::outcome(lost, after, before, is_ours, &wording)
    }
}

/// An error after which the request may or may not have been carried out.
fn is_lost(e: &Error) -> bool {
    matches!(
        e,
        Error::Network { .. } | Error::Timeout { .. } | Error::Decode { .. }
    )
}

fn encode(body: &impl serde::Serialize) -> Result<Vec<u8>> {
    serde_json::to_vec(body).map_err(|e| Error::Decode {
        message: format!("could not encode the request: {e}"),
        raw: None,
    })
}
