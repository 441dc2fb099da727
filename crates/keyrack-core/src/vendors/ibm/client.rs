//! `IbmClient`: IBM Cloud IAM Identity API keys (`/v1/apikeys…`) for one account, over a cached
//! IAM token (see `token.rs`).

use std::sync::atomic::AtomicBool;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use reqwest::{RequestBuilder, Response, StatusCode};
use serde::de::DeserializeOwned;
use url::Url;

use super::activity_report::Latest;
use super::errors::{self, Op};
use super::record::{owner_kind, to_record, SERVICE_ID_PREFIX};
use super::token::{Token, TokenSource};
use super::wire::{self, ApiKey, ApiKeyList, CreateBody, ServiceIdList, UpdateBody};
use super::DEFAULT_URL;
use crate::error::{Error, Result};
use crate::http::{self, Http, Retry};
use crate::model::{
    Account, CreateOptions, CreatedKey, Credential, DeleteOutcome, Identity, KeyRecord, KeyUpdate,
    NewKey, Owner, OwnerKind,
};
use crate::secret::Sensitive;
use crate::validate;
use crate::vendor::{Capabilities, Vendor};
use crate::vendors::common::lost_create::{self, Before, Wording};
use crate::vendors::common::{self, paging, ErrorResponse, Page};
use crate::vendors::Client;
use crate::vendors::VendorId;

const PAGE_SIZE: &str = "100";
/// Activity reads (one per key, which IBM calls expensive) under way at once while listing
/// without a usable activity report: 16 keeps 2,000 keys to some 125 round trips without a
/// burst IBM would throttle.
const ACTIVITY_CONCURRENCY: usize = 16;
const V: VendorId = VendorId::Ibm;

pub struct IbmClient {
    account: String,
    base: Url,
    iam_id: Option<String>,
    account_id: Option<String>,
    pub(super) http: Http,
    /// Where tokens are exchanged (also for a new key's secret, to verify it).
    iam: Url,
    tokens: TokenSource,
    /// Set once IBM refuses this credential the activity report (`activity_report.rs`).
    pub(super) reports_denied: AtomicBool,
}

/// Whose keys this client manages: from the account's settings, else from the token.
struct Target {
    iam_id: String,
    account_id: String,
}

impl Client for IbmClient {
    fn build(account: &Account, credential: Credential, http: &Http) -> Result<Self> {
        if credential.secret.expose().trim().is_empty() {
            return Err(Error::config(
                "the IBM API key is empty; enter it in Accounts",
            ));
        }
        let s = &account.settings;
        let base = common::base_url(V, s.base_url.as_deref(), DEFAULT_URL, "base URL")?;
        // The token exchange and the API keys API answer on one host: a custom base URL
        // without an IAM URL (a private endpoint) exchanges tokens there, not at the public one.
        let iam_url = common::non_empty(s.iam_url.as_deref())
            .or_else(|| common::non_empty(s.base_url.as_deref()));
        let iam = common::base_url(V, iam_url.as_deref(), DEFAULT_URL, "IAM URL")?;
        Ok(IbmClient {
            account: account.id.clone(),
            base,
            iam_id: common::non_empty(s.iam_id.as_deref()),
            account_id: common::non_empty(s.account_id.as_deref()),
            http: http.clone(),
            tokens: TokenSource::new(http.clone(), &iam, credential.secret),
            iam,
            reports_denied: AtomicBool::new(false),
        })
    }
}

impl IbmClient {
    /// The create's answer as the new key: its record, and the secret taken out of it.
    fn created(&self, mut key: ApiKey) -> Result<CreatedKey> {
        let secret = key.apikey.take();
        let record = to_record(&self.account, key, Utc::now());
        lost_create::created(record, secret, &Wording::SECRET)
    }

    pub(super) fn url(&self, segments: &[&str]) -> Url {
        common::join(&self.base, segments)
    }

    async fn target(&self) -> Result<(Token, Target)> {
        let token = self.tokens.get().await?;
        let iam_id = self
            .iam_id
            .clone()
            .or_else(|| token.claims.identity().map(str::to_string));
        let account_id = self
            .account_id
            .clone()
            .or_else(|| token.claims.account_id().map(str::to_string));
        match (iam_id, account_id) {
            (Some(iam_id), Some(account_id)) => Ok((token, Target { iam_id, account_id })),
            _ => Err(Error::config(
                "the IBM token does not say which identity and account the API key belongs to; \
                 set iam_id and account_id in the account's settings",
            )),
        }
    }

    /// Send with the bearer token; on a 401, get a new token once and send again (a 401 means
    /// the request was not carried out, so even a create may be repeated).
    pub(super) async fn send(
        &self,
        retry: Retry,
        build: impl Fn() -> RequestBuilder,
    ) -> Result<Response> {
        let token = self.tokens.get().await?;
        let response = self.send_with(&token, retry, &build).await?;
        if response.status() != StatusCode::UNAUTHORIZED {
            return Ok(response);
        }
        let token = self.tokens.renew(&token).await?;
        self.send_with(&token, retry, &build).await
    }

    async fn send_with(
        &self,
        token: &Token,
        retry: Retry,
        build: &impl Fn() -> RequestBuilder,
    ) -> Result<Response> {
        self.http
            .send(V, retry, || {
                common::build_request(
                    V,
                    build()
                        .bearer_auth(token.access.expose())
                        .header("Accept", "application/json"),
                )
            })
            .await
    }

    async fn error(&self, op: Op, id: Option<&str>, response: Response) -> Error {
        errors::from_response(op, id, &ErrorResponse::read(V, response).await)
    }

    /// One page of a list endpoint.
    async fn get_list<T: DeserializeOwned>(&self, url: &Url, query: &[(&str, &str)]) -> Result<T> {
        let response = self
            .send(Retry::Idempotent, || {
                self.http.client().get(url.clone()).query(query)
            })
            .await?;
        if !response.status().is_success() {
            return Err(self.error(Op::Read, None, response).await);
        }
        http::read_json(V, response, false).await
    }

    /// One key, with its ETag; with `activity`, also when it last authenticated.
    async fn fetch(&self, id: &str, activity: bool) -> Result<(ApiKey, Option<String>)> {
        check_id(id)?;
        let url = self.url(&["v1", "apikeys", id]);
        let query: &[(&str, &str)] = if activity {
            &[("include_activity", "true")]
        } else {
            &[]
        };
        let response = self
            .send(Retry::Idempotent, || {
                self.http.client().get(url.clone()).query(query)
            })
            .await?;
        if !response.status().is_success() {
            return Err(self.error(Op::Read, Some(id), response).await);
        }
        let etag = response
            .headers()
            .get("etag")
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        let key: ApiKey = http::read_json(V, response, false).await?;
        Ok((key, etag))
    }

    /// Every key of `target.iam_id`, or with `whole_account` every key in the account the
    /// credential may see (`scope=account`: users' and service IDs' keys alike).
    async fn list_for(&self, target: &Target, whole_account: bool) -> Result<Vec<KeyRecord>> {
        let url = self.url(&["v1", "apikeys"]);
        paging::all_pages(V, "API keys", |page_token: Option<String>| {
            let url = url.clone();
            async move {
                let mut query = vec![("account_id", target.account_id.as_str())];
                if whole_account {
                    query.push(("scope", "account"));
                } else {
                    query.push(("iam_id", target.iam_id.as_str()));
                }
                query.push(("pagesize", PAGE_SIZE));
                if let Some(t) = &page_token {
                    query.push(("pagetoken", t.as_str()));
                }
                let page: ApiKeyList = self.get_list(&url, &query).await?;
                let now = Utc::now();
                let next = page.next.as_deref().and_then(page_token_of);
                let records = page
                    .apikeys
                    .into_iter()
                    .map(|k| to_record(&self.account, k, now))
                    .collect();
                Ok(Page::token(records, next))
            }
        })
        .await
    }

    /// When each key last authenticated: from the activity report for the keys it lists, read
    /// per key (`include_activity` on a get, a few at a time) for the others. Without a report
    /// every key is read, and a new report asked for meanwhile. A key whose activity cannot be
    /// read keeps `last_used_at` empty; the list itself never fails for it.
    async fn with_activity(
        &self,
        mut records: Vec<KeyRecord>,
        latest: Latest,
        account_id: &str,
    ) -> Vec<KeyRecord> {
        use futures::StreamExt;
        let ask_for_report = matches!(latest, Latest::Missing);
        let report = match latest {
            Latest::Fresh(activity) => Some(activity),
            _ => None,
        };
        let mut unread = Vec::new();
        for (at, record) in records.iter_mut().enumerate() {
            match report.as_ref().and_then(|r| r.last_authn(&record.id)) {
                Some(last) => record.last_used_at = last,
                None => unread.push((at, record.id.clone())),
            }
        }
        let reads = futures::stream::iter(unread)
            .map(|(at, id)| async move { (at, self.last_authn(&id).await) })
            .buffer_unordered(ACTIVITY_CONCURRENCY)
            .collect::<Vec<_>>();
        let read = if ask_for_report {
            futures::join!(reads, self.request_report(account_id)).0
        } else {
            reads.await
        };
        for (at, last) in read {
            if let Some(last) = last {
                records[at].last_used_at = last;
            }
        }
        records
    }

    /// One key's last authentication (`Some(None)`: never); `None` when it could not be read.
    async fn last_authn(&self, id: &str) -> Option<Option<DateTime<Utc>>> {
        match self.fetch(id, true).await {
            Ok((key, _)) => Some(
                key.activity
                    .as_ref()
                    .and_then(|a| wire::parse_time(a.last_authn.as_deref())),
            ),
            Err(e) => {
                tracing::debug!(key = %id, "IBM activity not read: {e}");
                None
            }
        }
    }

    /// The account's service IDs (`GET /v1/serviceids`, every page).
    async fn service_ids(&self, target: &Target) -> Result<Vec<Owner>> {
        let url = self.url(&["v1", "serviceids"]);
        paging::all_pages(V, "service IDs", |page_token: Option<String>| {
            let url = url.clone();
            async move {
                let mut query = vec![
                    ("account_id", target.account_id.as_str()),
                    ("pagesize", PAGE_SIZE),
                ];
                if let Some(t) = &page_token {
                    query.push(("pagetoken", t.as_str()));
                }
                let page: ServiceIdList = self.get_list(&url, &query).await?;
                let next = page.next.as_deref().and_then(page_token_of);
                let owners = page
                    .serviceids
                    .into_iter()
                    .map(|s| Owner {
                        kind: OwnerKind::ServiceId,
                        id: s.iam_id,
                        name: s.name.filter(|n| !n.is_empty()),
                    })
                    .collect();
                Ok(Page::token(owners, next))
            }
        })
        .await
    }

    /// The owner to create for: the request's, else the account's identity.
    fn owner_of(&self, spec: &NewKey, target: &Target) -> Result<String> {
        let Some(owner) = &spec.owner else {
            return Ok(target.iam_id.clone());
        };
        let id = owner.id.trim();
        let is_service_id = id.starts_with(SERVICE_ID_PREFIX);
        match owner.kind {
            OwnerKind::ServiceId if !is_service_id => Err(Error::validation(
                "owner",
                format!("a service ID's iam_id starts with `{SERVICE_ID_PREFIX}`"),
            )),
            OwnerKind::User if is_service_id => Err(Error::validation(
                "owner",
                "this iam_id is a service ID's; choose the service ID owner kind",
            )),
            _ if id.chars().any(|c| c.is_whitespace() || c == '/') => Err(Error::validation(
                "owner",
                "an iam_id has no spaces or slashes",
            )),
            _ => Ok(id.to_string()),
        }
    }

    /// After a create whose answer was lost: find the key that appeared since `before`.
    async fn recover(
        &self,
        cause: Error,
        target: &Target,
        before: &Before,
        spec: &NewKey,
    ) -> Error {
        let after = self.list_for(target, false).await;
        let is_ours = |k: &KeyRecord| k.name == spec.name;
        lost_create::outcome(cause, after, before, is_ours, &Wording::SECRET)
    }
}

#[async_trait]
impl Vendor for IbmClient {
    async fn verify(&self) -> Result<Identity> {
        let (token, target) = self.target().await?;
        let me = token.claims.identity().unwrap_or("an unknown identity");
        let display = if target.iam_id == me {
            format!("{me} in account {}", target.account_id)
        } else {
            format!(
                "{me}, managing {} in account {}",
                target.iam_id, target.account_id
            )
        };
        let mut warnings = Vec::new();
        if let Some(own) = token.claims.account_id() {
            if own != target.account_id {
                warnings.push(format!(
                    "the API key belongs to account {own}, not to the account {} set for it",
                    target.account_id
                ));
            }
        }
        // Listing one key proves the permission every other operation starts from.
        let url = self.url(&["v1", "apikeys"]);
        let query = [
            ("account_id", target.account_id.as_str()),
            ("iam_id", target.iam_id.as_str()),
            ("pagesize", "1"),
        ];
        let response = self
            .send(Retry::Idempotent, || {
                self.http.client().get(url.clone()).query(&query)
            })
            .await?;
        if !response.status().is_success() {
            match self.error(Op::Read, None, response).await {
                Error::Forbidden { detail, .. } => warnings.push(format!(
                    "the API key cannot list the API keys of {}{}",
                    target.iam_id,
                    detail.map(|d| format!(" ({d})")).unwrap_or_default()
                )),
                other => return Err(other),
            }
        }
        Ok(Identity { display, warnings })
    }

    /// IAM issues a token only for an existing, enabled API key: the exchange is the proof.
    async fn verify_key(&self, _key: &KeyRecord, secret: &Sensitive<String>) -> Result<()> {
        TokenSource::new(self.http.clone(), &self.iam, secret.clone())
            .get()
            .await
            .map(|_| ())
            .map_err(|e| match e {
                Error::Unauthorized { detail, .. } => Error::Unauthorized {
                    message: "IBM Cloud did not accept the new API key: the token service \
                              refused it"
                        .into(),
                    detail,
                },
                other => other,
            })
    }

    async fn list(&self) -> Result<Vec<KeyRecord>> {
        let (_, target) = self.target().await?;
        let listing = async {
            if self.iam_id.is_some() {
                self.list_for(&target, false).await
            } else {
                // An account admin sees every key in the account, as in the console; a
                // credential without that access still sees its own identity's keys.
                match self.list_for(&target, true).await {
                    Err(Error::Forbidden { .. }) => self.list_for(&target, false).await,
                    other => other,
                }
            }
        };
        // The report needs nothing the pages say, so it is read while they are.
        let (records, latest) = futures::join!(listing, self.latest_report(&target.account_id));
        Ok(self
            .with_activity(records?, latest, &target.account_id)
            .await)
    }

    async fn get(&self, id: &str) -> Result<KeyRecord> {
        let (key, _) = self.fetch(id, true).await?;
        Ok(to_record(&self.account, key, Utc::now()))
    }

    /// The account's own identity, then its service IDs (when the credential may list them).
    async fn create_options(&self) -> Result<CreateOptions> {
        let (token, target) = self.target().await?;
        let mut owners = vec![Owner {
            kind: owner_kind(&target.iam_id),
            name: (token.claims.identity() == Some(target.iam_id.as_str()))
                .then(|| "this API key's identity".to_string()),
            id: target.iam_id.clone(),
        }];
        match self.service_ids(&target).await {
            Ok(ids) => owners.extend(ids.into_iter().filter(|o| o.id != target.iam_id)),
            // Without the right to list service IDs the picker still offers the own identity;
            // an iam_id can be typed in.
            Err(Error::Forbidden { .. } | Error::NotFound { .. }) => {}
            Err(e) => return Err(e),
        }
        Ok(CreateOptions::owners(owners))
    }

    async fn create(&self, spec: &NewKey) -> Result<CreatedKey> {
        validate::new_key(&super::capabilities(), spec, Utc::now())?;
        let (_, target) = self.target().await?;
        let iam_id = self.owner_of(spec, &target)?;
        let name = spec.name.as_deref().unwrap_or_default().trim();
        let body = CreateBody {
            name,
            iam_id: &iam_id,
            account_id: &target.account_id,
            description: spec.description.as_deref().filter(|d| !d.is_empty()),
            action_when_leaked: spec.action_when_leaked.as_deref(),
            expires_at: spec.expires_at.map(wire::format_expiry),
            support_sessions: spec.support_sessions.then_some(true),
            store_value: false,
        };
        // What existed before, so that a lost answer can be told apart from an older namesake.
        let owner_target = Target {
            iam_id: iam_id.clone(),
            account_id: target.account_id.clone(),
        };
        let before = Before::new(
            self.list_for(&owner_target, false)
                .await?
                .into_iter()
                .map(|k| k.id),
        );
        let spec = NewKey {
            name: Some(name.to_string()),
            ..spec.clone()
        };

        let url = self.url(&["v1", "apikeys"]);
        let sent = self
            .send(Retry::Never, || {
                self.http
                    .client()
                    .post(url.clone())
                    .header("Entity-Lock", bool_header(spec.locked))
                    .header("Entity-Disable", bool_header(spec.disabled))
                    .json(&body)
            })
            .await;
        let key: ApiKey = lost_create::read_created(
            V,
            sent,
            |response| self.error(Op::Create, None, response),
            |lost| self.recover(lost, &owner_target, &before, &spec),
        )
        .await?;
        self.created(key)
    }

    async fn update(&self, id: &str, changes: &KeyUpdate) -> Result<KeyRecord> {
        validate::key_update(&super::capabilities(), changes)?;
        let body = UpdateBody {
            name: changes.name.as_deref().map(str::trim),
            description: changes.description.as_deref(),
            support_sessions: changes.support_sessions,
            action_when_leaked: changes.action_when_leaked.as_deref(),
            expires_at: if changes.clear_expiry {
                Some(String::new())
            } else {
                changes.expires_at.map(wire::format_expiry)
            },
        };
        let (current, etag) = self.fetch(id, false).await?;
        if body.is_empty() {
            return Ok(to_record(&self.account, current, Utc::now()));
        }
        if current.locked {
            return Err(Error::Conflict {
                message: "the key is locked; unlock it first".into(),
                detail: None,
            });
        }
        let Some(etag) = etag.or(current.entity_tag.clone()) else {
            return Err(Error::Decode {
                message: "IBM Cloud sent the key without an ETag, which an update needs".into(),
                raw: None,
            });
        };
        let url = self.url(&["v1", "apikeys", id]);
        // PUT with If-Match: repeating it is harmless (a second try gets 409, never a double write).
        let response = self
            .send(Retry::Idempotent, || {
                self.http
                    .client()
                    .put(url.clone())
                    .header("If-Match", etag.as_str())
                    .json(&body)
            })
            .await?;
        if !response.status().is_success() {
            return Err(self.error(Op::Update, Some(id), response).await);
        }
        let key: ApiKey = http::read_json(V, response, false).await?;
        Ok(to_record(&self.account, key, Utc::now()))
    }

    async fn set_locked(&self, id: &str, locked: bool) -> Result<()> {
        self.flag(id, "lock", locked, Op::Lock).await
    }

    async fn set_disabled(&self, id: &str, disabled: bool) -> Result<()> {
        self.flag(id, "disable", disabled, Op::Disable).await
    }

    async fn delete(&self, id: &str) -> Result<DeleteOutcome> {
        check_id(id)?;
        let url = self.url(&["v1", "apikeys", id]);
        let response = self
            .send(Retry::Idempotent, || self.http.client().delete(url.clone()))
            .await?;
        if !response.status().is_success() {
            return Err(self.error(Op::Delete, Some(id), response).await);
        }
        Ok(DeleteOutcome::default())
    }

    fn capabilities(&self) -> Capabilities {
        super::capabilities()
    }
}

impl IbmClient {
    /// `POST …/{flag}` sets it, `DELETE …/{flag}` clears it; both are idempotent.
    async fn flag(&self, id: &str, flag: &str, on: bool, op: Op) -> Result<()> {
        check_id(id)?;
        let url = self.url(&["v1", "apikeys", id, flag]);
        let response = self
            .send(Retry::Idempotent, || {
                if on {
                    self.http.client().post(url.clone())
                } else {
                    self.http.client().delete(url.clone())
                }
            })
            .await?;
        if !response.status().is_success() {
            return Err(self.error(op, Some(id), response).await);
        }
        Ok(())
    }
}

fn bool_header(on: bool) -> &'static str {
    if on {
        "true"
    } else {
        "false"
    }
}

/// Ids go into the path; refuse what cannot be one before anything is sent.
fn check_id(id: &str) -> Result<()> {
    common::check_id(id, "IBM API key ids look like ApiKey-…")
}

/// The `pagetoken` query value of a `next` URL.
fn page_token_of(next: &str) -> Option<String> {
    let url = Url::parse(next)
        .or_else(|_| Url::parse("http://x/").and_then(|b| b.join(next)))
        .ok()?;
    url.query_pairs()
        .find(|(k, _)| k == "pagetoken")
        .map(|(_, v)| v.into_owned())
        .filter(|v| !v.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_tokens_come_from_next_urls() {
        assert_eq!(
            page_token_of("https://iam.cloud.ibm.com/v1/apikeys?account_id=a&pagesize=2&pagetoken=eyJvZmZzZXQiOjJ9")
                .as_deref(),
            Some("eyJvZmZzZXQiOjJ9")
        );
        assert_eq!(
            page_token_of("/v1/apikeys?pagetoken=abc%3D%3D").as_deref(),
            Some("abc==")
        );
        assert_eq!(
            page_token_of("https://iam.cloud.ibm.com/v1/apikeys?pagesize=2"),
            None
        );
    }
}
