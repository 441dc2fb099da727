//! `OpenAiClient`: projects, service accounts and project API keys through the public
//! Administration API, authenticated with an organization admin key.

use async_trait::async_trait;
use chrono::Utc;
use futures::stream::{self, StreamExt, TryStreamExt};
use reqwest::header::CONTENT_TYPE;
use reqwest::{Method, Response};
use serde::de::DeserializeOwned;
use url::Url;

use super::errors::{self, Subject};
use super::record::{self, Scoped};
use super::wire::{self, Deleted, Project, ProjectApiKey, ServiceAccount};
use super::{capabilities, DEFAULT_BASE_URL};
use crate::error::{Error, Result};
use crate::http::{self, Http, Retry};
use crate::model::{
    Account, CreateOptions, CreatedKey, Credential, DeleteOutcome, Identity, KeyRecord, NewKey,
    Owner, OwnerKind,
};
use crate::secret::Sensitive;
use crate::vendor::{Capabilities, Vendor};
use crate::vendors::common::{self, paging, Api, ErrorResponse, Page};
use crate::vendors::Client;
use crate::vendors::VendorId;

const V: VendorId = VendorId::Openai;
/// The largest page the list endpoints serve.
const PAGE_LIMIT: &str = "100";
/// Projects listed at once when gathering every project's keys.
const CONCURRENT_PROJECTS: usize = 4;

pub struct OpenAiClient {
    pub(super) account_id: String,
    api: Api,
    /// The admin key's masked form, for the connection test's answer.
    admin_key_hint: String,
    organization: Option<String>,
    pub(super) default_project: Option<String>,
}

impl Client for OpenAiClient {
    fn build(account: &Account, credential: Credential, http: &Http) -> Result<Self> {
        let s = &account.settings;
        if credential.secret.expose().trim().is_empty() {
            return Err(Error::config(
                "the OpenAI account needs an organization admin key (sk-admin-…)",
            ));
        }
        let mut base = common::base_url(V, s.base_url.as_deref(), DEFAULT_BASE_URL, "base URL")?;
        // `https://api.openai.com` and the SDKs' `https://api.openai.com/v1` both work.
        if base.path() == "/" || base.path().is_empty() {
            base.set_path("/v1");
        }
        let organization = common::non_empty(s.organization_id.as_deref());
        let bearer = Sensitive::new(format!("Bearer {}", credential.secret.expose().trim()));
        let mut api = Api::new(V, base, http, "authorization", bearer)?;
        if let Some(org) = &organization {
            api = api.with_header("openai-organization", org)?;
        }
        Ok(OpenAiClient {
            account_id: account.id.clone(),
            api,
            admin_key_hint: credential.secret.hint(),
            organization,
            default_project: common::non_empty(s.project_id.as_deref()),
        })
    }
}

impl OpenAiClient {
    /// `<base>/<segments…>`, each segment escaped.
    pub(super) fn url(&self, segments: &[&str]) -> Url {
        self.api.url(segments)
    }

    pub(super) async fn send(
        &self,
        method: Method,
        url: &Url,
        body: Option<&[u8]>,
        retry: Retry,
    ) -> Result<Response> {
        self.api
            .send(retry, || {
                let builder = self.api.request(method.clone(), url);
                match body {
                    Some(body) => builder
                        .header(CONTENT_TYPE, "application/json")
                        .body(body.to_vec()),
                    None => builder,
                }
            })
            .await
    }

    /// Send and read a JSON answer; an error status becomes the matching core error.
    pub(super) async fn call<T: DeserializeOwned>(
        &self,
        method: Method,
        url: &Url,
        body: Option<&[u8]>,
        retry: Retry,
        subject: Subject<'_>,
    ) -> Result<T> {
        let response = self.send(method, url, body, retry).await?;
        if !response.status().is_success() {
            let r = ErrorResponse::read(V, response).await;
            return Err(errors::from_response(&r, subject));
        }
        // Only creates carry a secret, and they are sent with `Retry::Never`.
        http::read_json(V, response, retry == Retry::Never).await
    }

    /// Every item of a list endpoint: `limit` and `after=<last_id>` until `has_more` is false.
    async fn list_all<T: DeserializeOwned + HasId>(
        &self,
        segments: &[&str],
        extra: &[(&str, &str)],
        subject: Subject<'_>,
    ) -> Result<Vec<T>> {
        let what = segments.last().copied().unwrap_or("items");
        paging::all_pages(V, what, |after: Option<String>| {
            let mut url = self.url(segments);
            {
                let mut query = url.query_pairs_mut();
                query.append_pair("limit", PAGE_LIMIT);
                if let Some(after) = &after {
                    query.append_pair("after", after);
                }
                for (k, v) in extra {
                    query.append_pair(k, v);
                }
            }
            async move {
                let page: wire::Page<T> = self
                    .call(Method::GET, &url, None, Retry::Idempotent, subject)
                    .await?;
                Page::after_id(V, page.data, page.has_more, page.last_id, |i: &T| i.id())
            }
        })
        .await
    }

    /// Active projects.
    pub(super) async fn projects(&self) -> Result<Vec<Project>> {
        self.list_all(&["organization", "projects"], &[], Subject::Projects)
            .await
    }

    /// Every API key of a project, whatever its owner's access (`owner_project_access=any`:
    /// without it the endpoint may hide enabled keys).
    pub(super) async fn project_keys(&self, project: &str) -> Result<Vec<ProjectApiKey>> {
        self.list_all(
            &["organization", "projects", project, "api_keys"],
            &[("owner_project_access", "any")],
            Subject::Project(project),
        )
        .await
    }

    async fn service_accounts(&self, project: &str) -> Result<Vec<ServiceAccount>> {
        self.list_all(
            &["organization", "projects", project, "service_accounts"],
            &[],
            Subject::Project(project),
        )
        .await
    }

    async fn retrieve_key(&self, project: &str, key: &str) -> Result<ProjectApiKey> {
        let url = self.url(&["organization", "projects", project, "api_keys", key]);
        self.call(
            Method::GET,
            &url,
            None,
            Retry::Idempotent,
            Subject::Key { project, key },
        )
        .await
    }

    async fn project_name(&self, project: &str) -> Option<String> {
        let url = self.url(&["organization", "projects", project]);
        self.call::<Project>(
            Method::GET,
            &url,
            None,
            Retry::Idempotent,
            Subject::Project(project),
        )
        .await
        .ok()
        .and_then(|p| p.name)
    }

    async fn delete_key(&self, project: &str, key: &str) -> Result<()> {
        let url = self.url(&["organization", "projects", project, "api_keys", key]);
        let deleted: Deleted = self
            .call(
                Method::DELETE,
                &url,
                None,
                Retry::Idempotent,
                Subject::Key { project, key },
            )
            .await?;
        confirm(deleted, key)
    }

    async fn delete_service_account(&self, project: &str, id: &str) -> Result<()> {
        let url = self.url(&["organization", "projects", project, "service_accounts", id]);
        let subject = Subject::ServiceAccount { project, id };
        let deleted: Deleted = self
            .call(Method::DELETE, &url, None, Retry::Idempotent, subject)
            .await?;
        confirm(deleted, id)
    }

    /// The key an id names, with its project: retrieved directly when the id carries the
    /// project, else looked up in every project.
    async fn find_key(&self, id: &str) -> Result<(String, ProjectApiKey)> {
        let scoped = Scoped::parse(id, "id", "API key")?;
        if let Some(project) = scoped.project {
            let key = self.retrieve_key(&project, &scoped.id).await?;
            return Ok((project, key));
        }
        for project in self.projects().await? {
            if let Some(key) = self
                .project_keys(&project.id)
                .await?
                .into_iter()
                .find(|k| k.id == scoped.id)
            {
                return Ok((project.id, key));
            }
        }
        Err(Error::NotFound {
            message: format!("OpenAI has no API key {} in any active project", scoped.id),
            detail: None,
        })
    }

    /// The service account that owns `key`, if one does, as (bare id, owner).
    fn service_account_of(project: &str, key: &ProjectApiKey) -> Option<(String, Owner)> {
        let owner = record::owner_of(project, key.owner.as_ref())?;
        let sa = key.owner.as_ref()?.service_account.as_ref()?;
        (owner.kind == OwnerKind::ServiceAccount).then(|| (sa.id.clone(), owner))
    }
}

/// The ids list pages are walked by.
pub(super) trait HasId {
    fn id(&self) -> &str;
}

impl HasId for Project {
    fn id(&self) -> &str {
        &self.id
    }
}

impl HasId for ProjectApiKey {
    fn id(&self) -> &str {
        &self.id
    }
}

impl HasId for ServiceAccount {
    fn id(&self) -> &str {
        &self.id
    }
}

fn confirm(deleted: Deleted, id: &str) -> Result<()> {
    if deleted.deleted {
        return Ok(());
    }
    Err(Error::Decode {
        message: format!(
            "OpenAI answered the deletion of {} without confirming it; list again to check",
            deleted.id.as_deref().unwrap_or(id)
        ),
        raw: None,
    })
}

#[async_trait]
impl Vendor for OpenAiClient {
    /// `GET /v1/models` with the new project key as the bearer: the cheapest call every
    /// project key may make (a key restricted away from models gets 403, still authenticated).
    async fn verify_key(&self, _key: &KeyRecord, secret: &Sensitive<String>) -> Result<()> {
        let bearer = Sensitive::new(format!("Bearer {}", secret.expose().trim()));
        let api = Api::new(
            V,
            self.api.base().clone(),
            self.api.http(),
            "authorization",
            bearer,
        )?;
        let url = api.url(&["models"]);
        let sent = api
            .send(Retry::Idempotent, || api.request(Method::GET, &url))
            .await;
        common::verify::judge(V, sent).await
    }

    async fn verify(&self) -> Result<Identity> {
        let projects = self.projects().await?;
        let org = self
            .organization
            .as_deref()
            .map_or("its organization".to_string(), |o| {
                format!("organization {o}")
            });
        let mut warnings = Vec::new();
        if projects.is_empty() {
            warnings.push(
                "the admin key sees no active project, so there are no keys to manage".into(),
            );
        }
        if let Some(p) = &self.default_project {
            if !projects.iter().any(|x| &x.id == p) {
                warnings.push(format!("the default project {p} is not an active project"));
            }
        }
        Ok(Identity {
            display: format!(
                "admin key {} for {org}: {} active project{}",
                self.admin_key_hint,
                projects.len(),
                if projects.len() == 1 { "" } else { "s" }
            ),
            warnings,
        })
    }

    async fn list(&self) -> Result<Vec<KeyRecord>> {
        let projects = self.projects().await?;
        let now = Utc::now();
        let per_project: Vec<Vec<KeyRecord>> = stream::iter(projects)
            .map(|project| async move {
                let keys = self.project_keys(&project.id).await?;
                Ok::<_, Error>(
                    keys.iter()
                        .map(|k| {
                            record::to_record(
                                k,
                                &self.account_id,
                                &project.id,
                                project.name.as_deref(),
                                now,
                            )
                        })
                        .collect(),
                )
            })
            .buffered(CONCURRENT_PROJECTS)
            .try_collect()
            .await?;
        Ok(per_project.into_iter().flatten().collect())
    }

    async fn get(&self, id: &str) -> Result<KeyRecord> {
        let (project, key) = self.find_key(id).await?;
        let name = self.project_name(&project).await;
        Ok(record::to_record(
            &key,
            &self.account_id,
            &project,
            name.as_deref(),
            Utc::now(),
        ))
    }

    async fn create_options(&self) -> Result<CreateOptions> {
        let projects = self.projects().await?;
        let mut owners = Vec::new();
        for project in &projects {
            let label = project.name.as_deref().unwrap_or(&project.id);
            for sa in self.service_accounts(&project.id).await? {
                owners.push(Owner {
                    kind: OwnerKind::ServiceAccount,
                    id: Scoped::join(&project.id, &sa.id),
                    name: Some(format!(
                        "{} ({label})",
                        sa.name.as_deref().unwrap_or(&sa.id)
                    )),
                });
            }
        }
        Ok(CreateOptions {
            owners,
            projects: projects
                .into_iter()
                .map(|p| crate::model::Project {
                    name: p.name.unwrap_or_else(|| p.id.clone()),
                    id: p.id,
                })
                .collect(),
        })
    }

    async fn create(&self, spec: &NewKey) -> Result<CreatedKey> {
        self.create_key(spec).await
    }

    async fn delete(&self, id: &str) -> Result<DeleteOutcome> {
        let (project, key) = self.find_key(id).await?;
        let owner = Self::service_account_of(&project, &key);
        match (self.delete_key(&project, &key.id).await, &owner) {
            (Ok(()), _) => {}
            // Deployments from before several keys per service account refuse to revoke a
            // service account's key on its own; deleting the account revokes it.
            (Err(Error::Vendor { message, detail }), Some((sa, sa_owner)))
                if detail.status == 400 =>
            {
                let others = self
                    .project_keys(&project)
                    .await?
                    .iter()
                    .filter(|k| record::owned_by(k, sa) && k.id != key.id)
                    .count();
                if others > 0 {
                    return Err(Error::Conflict {
                        message: format!(
                            "OpenAI refused to delete this key on its own ({message}); its \
                             service account {} has {others} other key(s) — delete the service \
                             account to revoke them all",
                            sa_owner.name.as_deref().unwrap_or(sa)
                        ),
                        detail: Some(detail),
                    });
                }
                tracing::info!(
                    vendor = "openai",
                    "deleting a key by deleting its service account"
                );
                self.delete_service_account(&project, sa).await?;
                return Ok(DeleteOutcome::default());
            }
            (Err(e), _) => return Err(e),
        }
        let mut outcome = DeleteOutcome::default();
        if let Some((sa, sa_owner)) = owner {
            // The key is gone whatever happens here: a failed check only skips the offer.
            match self.project_keys(&project).await {
                Ok(keys) if !keys.iter().any(|k| record::owned_by(k, &sa)) => {
                    outcome.owner_without_keys = Some(sa_owner);
                }
                Ok(_) => {}
                Err(e) => tracing::warn!(
                    vendor = "openai",
                    "could not check the service account's other keys: {e}"
                ),
            }
        }
        Ok(outcome)
    }

    async fn delete_owner(&self, owner: &Owner) -> Result<()> {
        if owner.kind != OwnerKind::ServiceAccount {
            return Err(self.unsupported("deleting users"));
        }
        let scoped = Scoped::parse(&owner.id, "owner", "service account")?;
        let project = scoped.project.ok_or_else(|| {
            Error::validation(
                "owner",
                "a service account id needs its project: `<project id>/<service account id>`",
            )
        })?;
        self.delete_service_account(&project, &scoped.id).await
    }

    fn capabilities(&self) -> Capabilities {
        capabilities()
    }
}
