//! `ScalewayClient`: Scaleway IAM API keys (`/iam/v1alpha1/api-keys`) and the users,
//! applications and projects a create form offers, authenticated by `X-Auth-Token`.

use async_trait::async_trait;
use chrono::{SecondsFormat, Utc};
use reqwest::{Method, Response};
use serde::de::DeserializeOwned;

use super::errors::{self, Op};
use super::record::to_record;
use super::wire::{
    self, ApiKey, ApiKeyList, ApplicationList, CreateBody, ProjectList, UpdateBody, UserList,
};
use super::DEFAULT_URL;
use crate::error::{Error, Result};
use crate::http::{self, Http, Retry};
use crate::model::{
    Account, CreateOptions, CreatedKey, Credential, DeleteOutcome, Identity, KeyRecord, KeyUpdate,
    NewKey, Owner, OwnerKind, Project,
};
use crate::secret::Sensitive;
use crate::validate;
use crate::vendor::{Capabilities, Vendor};
use crate::vendors::common::lost_create::{self, Before, Wording};
use crate::vendors::common::{self, paging, Api, ErrorResponse};
use crate::vendors::Client;
use crate::vendors::VendorId;

const IAM: &str = "iam";
const IAM_VERSION: &str = "v1alpha1";
const PAGE_SIZE: usize = 100;
const V: VendorId = VendorId::Scaleway;

pub struct ScalewayClient {
    account: String,
    api: Api,
    organization_id: Option<String>,
    project_id: Option<String>,
    access_key: Option<String>,
    /// The organization, once learnt from the account's own key.
    discovered_org: tokio::sync::OnceCell<String>,
}

impl Client for ScalewayClient {
    fn build(account: &Account, credential: Credential, http: &Http) -> Result<Self> {
        if credential.secret.expose().trim().is_empty() {
            return Err(Error::config(
                "the Scaleway secret key is empty; enter it in Accounts",
            ));
        }
        let s = &account.settings;
        let base = common::base_url(V, s.base_url.as_deref(), DEFAULT_URL, "base URL")?;
        Ok(ScalewayClient {
            account: account.id.clone(),
            api: Api::new(V, base, http, "x-auth-token", credential.secret)?,
            organization_id: common::non_empty(s.organization_id.as_deref()),
            project_id: common::non_empty(s.project_id.as_deref()),
            access_key: common::non_empty(s.access_key.as_deref()),
            discovered_org: tokio::sync::OnceCell::new(),
        })
    }
}

impl ScalewayClient {
    /// The create's answer as the new key: its record, and the secret taken out of it.
    fn created(&self, mut key: ApiKey) -> Result<CreatedKey> {
        let secret = key.secret_key.take();
        let record = to_record(&self.account, key, Utc::now());
        lost_create::created(record, secret, &Wording::SECRET)
    }

    async fn get_json<T: DeserializeOwned>(
        &self,
        segments: &[&str],
        query: &[(&str, String)],
        id: Option<&str>,
    ) -> Result<T> {
        let url = self.api.url(segments);
        let response = self
            .api
            .send(Retry::Idempotent, || {
                self.api.request(Method::GET, &url).query(query)
            })
            .await?;
        if !response.status().is_success() {
            return Err(self.error(Op::Read, id, response).await);
        }
        http::read_json(V, response, false).await
    }

    async fn error(&self, op: Op, id: Option<&str>, response: Response) -> Error {
        errors::from_response(op, id, &ErrorResponse::read(V, response).await)
    }

    /// Every page of a page-numbered list (`page`, `page_size`, `total_count`).
    async fn all_pages<T: DeserializeOwned, I>(
        &self,
        segments: &[&str],
        query: &[(&str, String)],
        split: impl Fn(T) -> (Vec<I>, Option<u64>),
    ) -> Result<Vec<I>> {
        let what = segments.last().copied().unwrap_or("items");
        paging::numbered(V, what, PAGE_SIZE, |page| {
            let mut q = query.to_vec();
            q.push(("page", page.to_string()));
            q.push(("page_size", PAGE_SIZE.to_string()));
            let split = &split;
            async move { Ok(split(self.get_json(segments, &q, None).await?)) }
        })
        .await
    }

    async fn list_keys(&self, filter: &[(&str, String)]) -> Result<Vec<KeyRecord>> {
        let mut query = vec![("order_by", "created_at_asc".to_string())];
        if let Some(org) = &self.organization_id {
            query.push(("organization_id", org.clone()));
        }
        query.extend(filter.iter().cloned());
        let keys = self
            .all_pages(&[IAM, IAM_VERSION, "api-keys"], &query, |l: ApiKeyList| {
                (l.api_keys, l.total_count)
            })
            .await?;
        let now = Utc::now();
        Ok(keys
            .into_iter()
            .map(|k| to_record(&self.account, k, now))
            .collect())
    }

    async fn fetch(&self, access_key: &str) -> Result<ApiKey> {
        check_access_key(access_key)?;
        self.get_json(
            &[IAM, IAM_VERSION, "api-keys", access_key],
            &[],
            Some(access_key),
        )
        .await
    }

    /// The organization: from the settings, else from the bearer of the account's own key.
    /// Whether `id` is a user's or an application's: a user is looked up first, then an
    /// application; neither is a validation error naming the owner.
    async fn bearer_kind(&self, id: &str) -> Result<OwnerKind> {
        let user = self
            .get_json::<serde_json::Value>(&[IAM, IAM_VERSION, "users", id], &[], Some(id))
            .await;
        match user {
            Ok(_) => return Ok(OwnerKind::User),
            Err(Error::NotFound { .. }) => {}
            Err(e) => return Err(e),
        }
        let app = self
            .get_json::<serde_json::Value>(&[IAM, IAM_VERSION, "applications", id], &[], Some(id))
            .await;
        match app {
            Ok(_) => Ok(OwnerKind::Application),
            Err(Error::NotFound { .. }) => Err(Error::validation(
                "owner",
                format!("Scaleway has no user or application `{id}` in this organization"),
            )),
            Err(e) => Err(e),
        }
    }

    async fn organization(&self) -> Result<String> {
        if let Some(org) = &self.organization_id {
            return Ok(org.clone());
        }
        self.discovered_org
            .get_or_try_init(|| async {
                let Some(ak) = &self.access_key else {
                    return Err(Error::config(
                        "set the Scaleway organization id (or the access key of the account's \
                         secret key) in the account's settings",
                    ));
                };
                let own = self.fetch(ak).await?;
                let org = match (&own.user_id, &own.application_id) {
                    (Some(u), _) => self.user(u).await?.organization_id,
                    (None, Some(a)) => self.application(a).await?.organization_id,
                    (None, None) => None,
                };
                org.ok_or_else(|| {
                    Error::config("could not learn the Scaleway organization id; set it in the account's settings")
                })
            })
            .await
            .cloned()
    }

    async fn user(&self, id: &str) -> Result<wire::User> {
        self.get_json(&[IAM, IAM_VERSION, "users", id], &[], None)
            .await
    }

    async fn application(&self, id: &str) -> Result<wire::Application> {
        self.get_json(&[IAM, IAM_VERSION, "applications", id], &[], None)
            .await
    }

    /// After a create whose answer was lost: find the bearer's key that appeared since `before`
    /// with the requested description.
    async fn recover(
        &self,
        cause: Error,
        filter: &[(&str, String)],
        before: &Before,
        description: &str,
    ) -> Error {
        let after = self.list_keys(filter).await;
        let is_ours = |k: &KeyRecord| k.description.as_deref().unwrap_or("") == description;
        lost_create::outcome(cause, after, before, is_ours, &Wording::SECRET)
    }
}

#[async_trait]
impl Vendor for ScalewayClient {
    /// `GET /iam/v1alpha1/api-keys/{access_key}` with `X-Auth-Token` = the new secret key.
    async fn verify_key(&self, key: &KeyRecord, secret: &Sensitive<String>) -> Result<()> {
        let path = [IAM, IAM_VERSION, "api-keys", key.id.as_str()];
        self.api.verify_credential(secret, &path).await
    }

    async fn verify(&self) -> Result<Identity> {
        let Some(ak) = &self.access_key else {
            // Without the access key, a one-item list still proves the secret works.
            let url = self.api.url(&[IAM, IAM_VERSION, "api-keys"]);
            let response = self
                .api
                .send(Retry::Idempotent, || {
                    self.api
                        .request(Method::GET, &url)
                        .query(&[("page_size", "1")])
                })
                .await?;
            if !response.status().is_success() {
                return Err(self.error(Op::Read, None, response).await);
            }
            return Ok(Identity {
                display: "a Scaleway secret key (add its access key to the account to see whose)"
                    .into(),
                warnings: Vec::new(),
            });
        };
        let own = self.fetch(ak).await.map_err(|e| match e {
            Error::NotFound { detail, .. } => Error::config(format!(
                "Scaleway has no access key {ak}; check the access key in the account's \
                     settings{}",
                detail.map(|d| format!(" ({d})")).unwrap_or_default()
            )),
            other => other,
        })?;
        let mut warnings = Vec::new();
        let (who, org) = match (&own.user_id, &own.application_id) {
            (Some(u), _) => match self.user(u).await {
                Ok(user) => (
                    format!("user {}", user.label().unwrap_or_else(|| u.clone())),
                    user.organization_id,
                ),
                Err(e) => {
                    warnings.push(format!("could not read the key's user: {e}"));
                    (format!("user {u}"), None)
                }
            },
            (None, Some(a)) => match self.application(a).await {
                Ok(app) => (
                    format!("application {}", app.name.unwrap_or_else(|| a.clone())),
                    app.organization_id,
                ),
                Err(e) => {
                    warnings.push(format!("could not read the key's application: {e}"));
                    (format!("application {a}"), None)
                }
            },
            (None, None) => ("an unknown bearer".to_string(), None),
        };
        if let (Some(set), Some(real)) = (&self.organization_id, &org) {
            if set != real {
                warnings.push(format!(
                    "the key belongs to organization {real}, not to the organization {set} set \
                     for the account"
                ));
            }
        }
        if let Some(expires) = wire::parse_time(own.expires_at.as_deref()) {
            if expires - Utc::now() < chrono::Duration::days(30) {
                warnings.push(format!(
                    "the account's key expires on {}",
                    expires.date_naive()
                ));
            }
        }
        let org = org.or(self.organization_id.clone());
        Ok(Identity {
            display: match org {
                Some(org) => format!("{who} (access key {ak}) in organization {org}"),
                None => format!("{who} (access key {ak})"),
            },
            warnings,
        })
    }

    async fn list(&self) -> Result<Vec<KeyRecord>> {
        self.list_keys(&[]).await
    }

    async fn get(&self, id: &str) -> Result<KeyRecord> {
        let key = self.fetch(id).await?;
        Ok(to_record(&self.account, key, Utc::now()))
    }

    async fn create_options(&self) -> Result<CreateOptions> {
        let org = self.organization().await?;
        let by_org = [("organization_id", org)];
        let users = self
            .all_pages(&[IAM, IAM_VERSION, "users"], &by_org, |l: UserList| {
                (l.users, l.total_count)
            })
            .await?;
        let apps = self
            .all_pages(
                &[IAM, IAM_VERSION, "applications"],
                &by_org,
                |l: ApplicationList| (l.applications, l.total_count),
            )
            .await?;
        let projects = self
            .all_pages(&["account", "v3", "projects"], &by_org, |l: ProjectList| {
                (l.projects, l.total_count)
            })
            .await?;
        let mut owners: Vec<Owner> = users
            .into_iter()
            .map(|u| Owner {
                kind: OwnerKind::User,
                name: u.label(),
                id: u.id,
            })
            .collect();
        owners.extend(apps.into_iter().map(|a| Owner {
            kind: OwnerKind::Application,
            id: a.id,
            name: a.name,
        }));
        Ok(CreateOptions {
            owners,
            projects: projects
                .into_iter()
                .map(|p| Project {
                    name: p.name.unwrap_or_else(|| p.id.clone()),
                    id: p.id,
                })
                .collect(),
        })
    }

    async fn create(&self, spec: &NewKey) -> Result<CreatedKey> {
        validate::new_key(&super::capabilities(), spec, Utc::now())?;
        let Some(owner) = &spec.owner else {
            return Err(Error::validation(
                "owner",
                "choose the user or application the key is for",
            ));
        };
        let owner_id = owner.id.trim();
        check_uuid("owner", owner_id)?;
        let project = spec
            .project_id
            .as_deref()
            .or(self.project_id.as_deref())
            .map(str::trim);
        if let Some(p) = project {
            check_uuid("project_id", p)?;
        }
        let kind = match owner.kind {
            OwnerKind::User | OwnerKind::Application => owner.kind,
            // The kind was not said (`keys create --owner ID` alone, or "work it out" in the
            // form): Scaleway ids do not tell, so ask which one exists.
            _ => self.bearer_kind(owner_id).await?,
        };
        let (user_id, application_id, bearer_type) = match kind {
            OwnerKind::User => (Some(owner_id), None, "user"),
            _ => (None, Some(owner_id), "application"),
        };
        let description = spec.description.as_deref().unwrap_or("");
        let body = CreateBody {
            user_id,
            application_id,
            description,
            expires_at: spec
                .expires_at
                .map(|t| t.to_rfc3339_opts(SecondsFormat::Secs, true)),
            default_project_id: project,
        };
        let filter = [
            ("bearer_id", owner_id.to_string()),
            ("bearer_type", bearer_type.to_string()),
        ];
        // What existed before, so that a lost answer can be told apart from an older namesake.
        let before = Before::new(self.list_keys(&filter).await?.into_iter().map(|k| k.id));

        let url = self.api.url(&[IAM, IAM_VERSION, "api-keys"]);
        let sent = self
            .api
            .send(Retry::Never, || {
                self.api.request(Method::POST, &url).json(&body)
            })
            .await;
        let key: ApiKey = lost_create::read_created(
            V,
            sent,
            |response| self.error(Op::Create, None, response),
            |lost| self.recover(lost, &filter, &before, description),
        )
        .await?;
        self.created(key)
    }

    async fn update(&self, id: &str, changes: &KeyUpdate) -> Result<KeyRecord> {
        validate::key_update(&super::capabilities(), changes)?;
        check_access_key(id)?;
        if changes.clear_expiry {
            return Err(Error::validation(
                "expires_at",
                "Scaleway can move a key's expiry date but not remove it",
            ));
        }
        let project = changes.project_id.as_deref().map(str::trim);
        if let Some(p) = project {
            check_uuid("project_id", p)?;
        }
        let expires_at = changes
            .expires_at
            .map(|t| t.to_rfc3339_opts(SecondsFormat::Secs, true));
        if changes.description.is_none() && project.is_none() && expires_at.is_none() {
            return self.get(id).await;
        }
        let body = UpdateBody {
            description: changes.description.as_deref(),
            default_project_id: project,
            expires_at,
        };
        let url = self.api.url(&[IAM, IAM_VERSION, "api-keys", id]);
        // Setting the same values twice is harmless.
        let patch = || self.api.request(Method::PATCH, &url).json(&body);
        let refused = |r: &ErrorResponse| errors::from_response(Op::Update, Some(id), r);
        let response = self
            .api
            .expect_success(Retry::Idempotent, patch, refused)
            .await?;
        let key: ApiKey = http::read_json(V, response, false).await?;
        Ok(to_record(&self.account, key, Utc::now()))
    }

    async fn delete(&self, id: &str) -> Result<DeleteOutcome> {
        check_access_key(id)?;
        let url = self.api.url(&[IAM, IAM_VERSION, "api-keys", id]);
        self.api
            .expect_success(
                Retry::Idempotent,
                || self.api.request(Method::DELETE, &url),
                |r| errors::from_response(Op::Delete, Some(id), r),
            )
            .await?;
        Ok(DeleteOutcome::default())
    }

    fn capabilities(&self) -> Capabilities {
        super::capabilities()
    }
}

/// `SCW` followed by 17 upper-case letters or digits.
fn check_access_key(id: &str) -> Result<()> {
    let ok = id.len() == 20
        && id.starts_with("SCW")
        && id[3..]
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit());
    if ok {
        Ok(())
    } else {
        Err(Error::validation(
            "id",
            format!("`{id}` is not a Scaleway access key (SCW followed by 17 capital letters or digits)"),
        ))
    }
}

fn check_uuid(field: &str, value: &str) -> Result<()> {
    uuid::Uuid::parse_str(value)
        .map(|_| ())
        .map_err(|_| Error::validation(field, format!("`{value}` is not a Scaleway id (a UUID)")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn access_keys_are_checked_before_sending() {
        assert!(check_access_key("SCWVVH9TE299J4XZE91E").is_ok());
        for bad in [
            "",
            "SCW",
            "scwVVH9TE299J4XZE91E",
            "SCWVVH9TE299J4XZE91",
            "SCWVVH9TE299J4XZE91e",
            "SCW/VH9TE299J4XZE91E",
        ] {
            assert_eq!(
                check_access_key(bad).unwrap_err().code(),
                crate::Code::Validation,
                "{bad}"
            );
        }
    }

    #[test]
    fn ids_must_be_uuids() {
        assert!(check_uuid("owner", "f46e8a03-0000-404d-b32e-de49bf92e066").is_ok());
        let e = check_uuid("owner", "ci-runner").unwrap_err();
        assert!(matches!(e, Error::Validation { ref field, .. } if field == "owner"));
    }
}
