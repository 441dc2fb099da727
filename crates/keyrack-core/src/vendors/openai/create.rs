//! Creating keys through the public Admin API, the only two ways it offers: a new service
//! account in a project (OpenAI returns its first key once), or another key on an existing
//! service account. A create whose answer is lost is never repeated: the project's keys are
//! listed again to find what was made.

use std::collections::HashSet;

use chrono::{DateTime, Utc};
use reqwest::Method;

use super::capabilities;
use super::client::OpenAiClient;
use super::errors::Subject;
use super::record::{self, Scoped};
use super::wire::{
    CreateServiceAccount, CreateServiceAccountKey, CreatedServiceAccount, NewApiKey, ProjectApiKey,
    ServiceAccount,
};
use crate::error::{Error, Result};
use crate::http::Retry;
use crate::model::{
    CreatedKey, KeyRecord, KeyStatus, NewKey, Owner, OwnerKind, VendorExtra, VendorId,
};
use crate::validate;

/// How far the vendor's clock may lag ours when matching a lost create by its creation time.
const CLOCK_SLACK_SECS: i64 = 300;

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
        validate::new_key(&capabilities(), &spec, now)?;
        let name = spec.name.as_deref().unwrap_or_default().trim().to_string();
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
        let expires_in = spec.expires_at.map(|t| (t - now).num_seconds().max(1));

        let owner_sa = match &spec.owner {
            None => None,
            Some(owner) => Some(self.existing_service_account(&project, &owner.id).await?),
        };
        let target = match &owner_sa {
            None => Target::NewServiceAccount,
            Some(sa) => Target::ServiceAccount(sa),
        };

        let before: HashSet<String> = self
            .project_keys(&project)
            .await?
            .into_iter()
            .map(|k| k.id)
            .collect();
        let started = Utc::now();
        let result = match &target {
            Target::NewServiceAccount => {
                self.post_service_account(&project, &name, expires_in).await
            }
            Target::ServiceAccount(sa) => self.post_key(&project, sa, &name, expires_in).await,
        };
        match result {
            Ok(created) => Ok(created),
            Err(e @ (Error::Network { .. } | Error::Timeout { .. } | Error::Decode { .. })) => {
                Err(self
                    .recover(&project, &target, &name, &before, started, e)
                    .await)
            }
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
        let url = self.url(&["organization", "projects", project, "service_accounts", id])?;
        self.call(
            Method::GET,
            &url,
            None,
            Retry::Idempotent,
            Subject::ServiceAccount { project, id },
        )
        .await
    }

    async fn post_service_account(
        &self,
        project: &str,
        name: &str,
        expires_in_seconds: Option<i64>,
    ) -> Result<CreatedKey> {
        let url = self.url(&["organization", "projects", project, "service_accounts"])?;
        let body = encode(&CreateServiceAccount {
            name,
            expires_in_seconds,
        })?;
        let created: CreatedServiceAccount = self
            .call(
                Method::POST,
                &url,
                Some(&body),
                Retry::Never,
                Subject::Project(project),
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

    async fn post_key(
        &self,
        project: &str,
        sa: &ServiceAccount,
        name: &str,
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
        let url = self.url(&segments)?;
        let body = encode(&CreateServiceAccountKey {
            name,
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
        Ok(self.created(project, key, owner))
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
                extra: VendorExtra::Openai {
                    project_id: project.to_string(),
                    project_name: None,
                },
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
        before: &HashSet<String>,
        started: DateTime<Utc>,
        lost: Error,
    ) -> Error {
        let keys = match self.project_keys(project).await {
            Ok(keys) => keys,
            Err(check) => {
                return Error::CreateLost {
                    message: format!(
                        "the create may have reached OpenAI, and checking failed ({check}): look \
                         for a new key for `{name}` in project {project}; if there is one, \
                         delete it — its secret was lost"
                    ),
                    recovered: None,
                }
            }
        };
        let matches = |k: &&ProjectApiKey| match target {
            Target::NewServiceAccount => k
                .owner
                .as_ref()
                .and_then(|o| o.service_account.as_ref())
                .is_some_and(|sa| sa.name.as_deref() == Some(name)),
            Target::ServiceAccount(sa) => {
                record::owned_by(k, &sa.id) && k.name.as_deref() == Some(name)
            }
        };
        let found = keys
            .iter()
            .filter(|k| !before.contains(&k.id))
            .filter(matches)
            .filter(|k| {
                k.created_at
                    .is_none_or(|t| t >= started.timestamp() - CLOCK_SLACK_SECS)
            })
            .max_by_key(|k| k.created_at);
        match found {
            Some(key) => {
                let message = match target {
                    Target::NewServiceAccount => format!(
                        "the service account `{name}` and its key were created, but the key's \
                         secret was lost in transit — delete the key (and the service account) \
                         and create a new one"
                    ),
                    Target::ServiceAccount(_) => "the key was created but its secret was lost in \
                         transit — delete it and create a new one"
                        .to_string(),
                };
                Error::CreateLost {
                    message,
                    recovered: Some(Box::new(record::to_record(
                        key,
                        &self.account_id,
                        project,
                        None,
                        Utc::now(),
                    ))),
                }
            }
            None => with_note(
                lost,
                &format!("; no new key for `{name}` is in project {project}, so nothing was created — try again"),
            ),
        }
    }
}

fn encode(body: &impl serde::Serialize) -> Result<Vec<u8>> {
    serde_json::to_vec(body).map_err(|e| Error::Decode {
        message: format!("could not encode the request: {e}"),
        raw: None,
    })
}

/// The same error, with `note` appended to its message.
fn with_note(e: Error, note: &str) -> Error {
    match e {
        Error::Timeout { message } => Error::Timeout {
            message: message + note,
        },
        Error::Network { message } => Error::Network {
            message: message + note,
        },
        Error::Decode { message, raw } => Error::Decode {
            message: message + note,
            raw,
        },
        other => other,
    }
}
