//! `OpenAiClient`: projects, service accounts and project API keys through the public
//! Administration API, authenticated with an organization admin key.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use futures::stream::{self, StreamExt, TryStreamExt};
use reqwest::header::CONTENT_TYPE;
use reqwest::{Method, Response};
use serde::de::DeserializeOwned;
use url::Url;

use super::admin::admin_id;
use super::errors::{self, Subject};
use super::permissions;
use super::record::{self, Scoped};
use super::wire::{self, AdminApiKey, Deleted, Project, ProjectApiKey, ServiceAccount, UpdateKey};
use super::{capabilities, DEFAULT_BASE_URL};
use crate::error::{Error, Result};
use crate::http::{self, Http, Retry};
use crate::model::{
    Account, CreateOptions, CreatedKey, Credential, DeleteOutcome, Identity, KeyRecord, KeyStatus,
    KeyUpdate, NewKey, Owner, OwnerKind,
};
use crate::secret::Sensitive;
use crate::vendor::{Capabilities, ListOptions, Vendor};
use crate::vendors::common::{self, paging, Api, ErrorResponse, Page};
use crate::vendors::Client;
use crate::vendors::VendorId;

const V: VendorId = VendorId::Openai;
/// The largest page the list endpoints serve.
const PAGE_LIMIT: &str = "100";
/// Projects listed at once when gathering every project's keys.
const CONCURRENT_PROJECTS: usize = 8;

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

    /// GET one object: idempotent, so retried.
    pub(super) async fn get<T: DeserializeOwned>(
        &self,
        url: &Url,
        subject: Subject<'_>,
    ) -> Result<T> {
        self.call(Method::GET, url, None, Retry::Idempotent, subject)
            .await
    }

    /// DELETE one object and check the vendor's `{deleted: true}` answer for `id`.
    pub(super) async fn delete(&self, url: &Url, id: &str, subject: Subject<'_>) -> Result<()> {
        let deleted: Deleted = self
            .call(Method::DELETE, url, None, Retry::Idempotent, subject)
            .await?;
        confirm(deleted, id)
    }

    /// Every item of a list endpoint: `limit` and `after=<last_id>` until `has_more` is false.
    pub(super) async fn list_all<T: DeserializeOwned + HasId>(
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
                let page: wire::Page<T> = self.get(&url, subject).await?;
                let last_id = page.last_id.filter(|_| !T::CURSOR_FROM_LAST_ITEM);
                Page::after_id(V, page.data, page.has_more, last_id, |i: &T| i.id())
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

    pub(super) async fn retrieve_key(&self, project: &str, key: &str) -> Result<ProjectApiKey> {
        let url = self.url(&["organization", "projects", project, "api_keys", key]);
        self.get(&url, Subject::Key { project, key }).await
    }

    async fn project_name(&self, project: &str) -> Option<String> {
        let url = self.url(&["organization", "projects", project]);
        self.get::<Project>(&url, Subject::Project(project))
            .await
            .ok()
            .and_then(|p| p.name)
    }

    async fn delete_key(&self, project: &str, key: &str) -> Result<()> {
        let url = self.url(&["organization", "projects", project, "api_keys", key]);
        self.delete(&url, key, Subject::Key { project, key }).await
    }

    async fn delete_service_account(&self, project: &str, id: &str) -> Result<()> {
        let url = self.url(&["organization", "projects", project, "service_accounts", id]);
        let subject = Subject::ServiceAccount { project, id };
        self.delete(&url, id, subject).await
    }

    /// The key an id names, with its project: retrieved directly when the id carries the
    /// project, else looked up in every project.
    pub(super) async fn find_key(&self, id: &str) -> Result<(String, ProjectApiKey)> {
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

    /// Every listed project's keys (an archived project's shown as inactive).
    async fn project_records(
        &self,
        options: &ListOptions,
        now: DateTime<Utc>,
    ) -> Result<Vec<KeyRecord>> {
        let projects = if options.include_archived {
            self.list_all(
                &["organization", "projects"],
                &[("include_archived", "true")],
                Subject::Projects,
            )
            .await?
        } else {
            self.projects().await?
        };
        let per_project: Vec<Vec<KeyRecord>> = stream::iter(projects)
            .map(|project| async move {
                let keys = self.project_keys(&project.id).await?;
                let archived = project.status.as_deref() == Some("archived");
                Ok::<_, Error>(
                    keys.iter()
                        .map(|k| {
                            let mut r = record::to_record(
                                k,
                                &self.account_id,
                                &project.id,
                                project.name.as_deref(),
                                now,
                            );
                            if archived && r.status == KeyStatus::Active {
                                r.status = KeyStatus::Inactive;
                            }
                            r
                        })
                        .collect(),
                )
            })
            .buffered(CONCURRENT_PROJECTS)
            .try_collect()
            .await?;
        Ok(per_project.into_iter().flatten().collect())
    }
}

/// The ids list pages are walked by.
pub(super) trait HasId {
    /// The next page starts after the last item's id rather than the page's `last_id`
    /// (admin keys, as the official SDK walks them).
    const CURSOR_FROM_LAST_ITEM: bool = false;
    fn id(&self) -> &str;
}

impl HasId for AdminApiKey {
    const CURSOR_FROM_LAST_ITEM: bool = true;
    fn id(&self) -> &str {
        &self.id
    }
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

/// Whole seconds from `now` to `t`, rounded up, so a key never expires before the date asked.
pub(super) fn seconds_until(t: DateTime<Utc>, now: DateTime<Utc>) -> i64 {
    ((t - now).num_milliseconds() + 999).div_euclid(1000).max(1)
}

pub(super) fn confirm(deleted: Deleted, id: &str) -> Result<()> {
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
        self.api.verify_credential(&bearer, &["models"]).await
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
        self.list_with(&ListOptions::default()).await
    }

    /// Active projects' keys and the admin keys; archived projects' keys too when asked,
    /// shown as inactive (an archived project's keys no longer work).
    async fn list_with(&self, options: &ListOptions) -> Result<Vec<KeyRecord>> {
        let now = Utc::now();
        // The admin keys need nothing the projects say: they are read while the projects are.
        let (mut records, admin) =
            futures::try_join!(self.project_records(options, now), self.admin_records(now))?;
        records.extend(admin);
        Ok(records)
    }

    async fn get(&self, id: &str) -> Result<KeyRecord> {
        if let Some(admin) = admin_id(id) {
            return self.get_admin_key(&admin).await;
        }
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
        // Not a service account: the choice of an organization admin key, owned by the caller.
        let mut owners = vec![Owner {
            kind: OwnerKind::Other,
            id: super::ADMIN_OWNER.into(),
            name: Some("Organization admin key (owned by you)".into()),
        }];
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

    /// K4: new permissions (as scopes, replacing the old ones) and/or a new expiry, counted
    /// from now. Admin keys have neither to change.
    async fn update(&self, id: &str, changes: &KeyUpdate) -> Result<KeyRecord> {
        crate::validate::key_update(&capabilities(), changes)?;
        if changes.permissions.is_none() && changes.expires_at.is_none() {
            return Err(Error::validation(
                "permissions",
                "nothing to change: give new permissions or a new expiry date",
            ));
        }
        if admin_id(id).is_some() {
            return Err(Error::unsupported(
                "OpenAI admin keys cannot be changed; create a new one and delete the old",
            ));
        }
        let scoped = Scoped::parse(id, "id", "API key")?;
        let (project, key) = match scoped.project {
            Some(project) => (project, scoped.id),
            None => {
                let (project, key) = self.find_key(id).await?;
                (project, key.id)
            }
        };
        let body = UpdateKey {
            scopes: changes.permissions.as_ref().map(permissions::to_scopes),
            expires_in_seconds: changes.expires_at.map(|t| seconds_until(t, Utc::now())),
        };
        let body = serde_json::to_vec(&body).map_err(|e| Error::Decode {
            message: format!("could not encode the request: {e}"),
            raw: None,
        })?;
        let url = self.url(&["organization", "projects", &project, "api_keys", &key]);
        let updated: ProjectApiKey = self
            .call(
                Method::POST,
                &url,
                Some(&body),
                Retry::Idempotent,
                Subject::Key {
                    project: &project,
                    key: &key,
                },
            )
            .await?;
        let name = self.project_name(&project).await;
        Ok(record::to_record(
            &updated,
            &self.account_id,
            &project,
            name.as_deref(),
            Utc::now(),
        ))
    }

    async fn delete(&self, id: &str) -> Result<DeleteOutcome> {
        if let Some(admin) = admin_id(id) {
            self.delete_admin_key(&admin).await?;
            return Ok(DeleteOutcome::default());
        }
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
