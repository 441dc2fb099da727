//! `CodefreshClient`: the API keys ("tokens") of the user whose key the account holds and of the
//! account's service users (`service_users.rs`), under `…/api/auth/…`, authenticated by the raw
//! key in `Authorization` (no `Bearer`).

use async_trait::async_trait;
use chrono::Utc;
use reqwest::header::HeaderValue;
use reqwest::{Method, Response};

use super::errors::{self, Op};
use super::keyref::KeyRef;
use super::service_users::{Target, SERVICE_USERS_HIDDEN};
use super::wire::{self, Key, KeyBody};
use super::{CodefreshExtra, DEFAULT_URL};
use crate::error::{Error, Result};
use crate::http::{self, Http, Retry};
use crate::model::{
    Account, CreateOptions, CreatedKey, Credential, DeleteOutcome, Identity, KeyRecord, KeyStatus,
    KeyUpdate, NewKey, Owner, OwnerKind,
};
use crate::secret::Sensitive;
use crate::validate;
use crate::vendor::{Capabilities, Vendor};
use crate::vendors::common::lost_create::{self, Before, Wording};
use crate::vendors::common::{self, Api, ErrorResponse};
use crate::vendors::Client;
use crate::vendors::{VendorExtra, VendorId};

pub(super) const V: VendorId = VendorId::Codefresh;
const TOKEN: Wording<'static> = Wording {
    secret_noun: "token",
    made: None,
};

pub struct CodefreshClient {
    account: String,
    /// Its base ends in `/api`.
    pub(super) api: Api,
    account_id: Option<String>,
    /// What the last listing had to say (that service users' keys were left out, and why).
    notices: std::sync::Mutex<Vec<String>>,
}

impl Client for CodefreshClient {
    fn build(account: &Account, credential: Credential, http: &Http) -> Result<Self> {
        if credential.secret.expose().trim().is_empty() {
            return Err(Error::config(
                "the Codefresh API key is empty; enter it in Accounts",
            ));
        }
        let raw = account.settings.base_url.as_deref();
        let mut base = common::base_url(V, raw, DEFAULT_URL, "base URL")?;
        // The CLI stores the host without `/api` (CF_URL), Terraform with it: accept both.
        if base
            .path_segments()
            .and_then(|mut s| s.rfind(|p| !p.is_empty()))
            != Some("api")
        {
            if let Ok(mut path) = base.path_segments_mut() {
                path.pop_if_empty().push("api");
            }
        }
        Ok(CodefreshClient {
            account: account.id.clone(),
            // Codefresh takes the key itself, without `Bearer`.
            api: Api::new(V, base, http, "authorization", credential.secret)?,
            account_id: common::non_empty(account.settings.account_id.as_deref()),
            notices: std::sync::Mutex::new(Vec::new()),
        })
    }
}

impl CodefreshClient {
    pub(super) async fn error(&self, op: Op, id: Option<&str>, response: Response) -> Error {
        errors::from_response(op, id, &ErrorResponse::read(V, response).await)
    }

    async fn fetch(&self, key: &KeyRef) -> Result<Key> {
        self.get_json(&key.path(), Some(&key.record_id())).await
    }

    /// A key as a record; `owner` is the service user a service user's key belongs to (its
    /// subject names the service user as a plain `user`).
    pub(super) fn record(&self, key: Key, key_ref: &KeyRef, owner: Option<Owner>) -> KeyRecord {
        let (subject_type, subject_ref) = match key.subject {
            Some(s) => (s.kind, s.reference),
            None => (None, None),
        };
        let owner = owner.or_else(|| {
            subject_ref.clone().map(|id| Owner {
                kind: match subject_type.as_deref() {
                    Some("user") | None => OwnerKind::User,
                    Some("service-user" | "service-account") => OwnerKind::ServiceAccount,
                    Some(_) => OwnerKind::Other,
                },
                id,
                name: subject_type.clone().filter(|t| t != "user"),
            })
        });
        KeyRecord {
            vendor: V,
            account: self.account.clone(),
            id: key_ref.record_id(),
            name: key.name,
            description: None,
            owner,
            created_at: wire::parse_time(key.created.as_deref()),
            expires_at: None,
            last_used_at: None,
            status: KeyStatus::Active,
            locked: false,
            // Like Codefresh's CLI: a key without scopes is a legacy key with full access.
            scopes: key.scopes.unwrap_or_else(|| vec!["any".to_string()]),
            secret_hint: key.token_prefix.clone().map(|p| format!("{p}…")),
            permissions: None,
            kind_label: None,
            extra: VendorExtra::Codefresh(CodefreshExtra {
                token_prefix: key.token_prefix,
                subject_type,
                subject_ref,
            }),
        }
    }

    /// `GET /user` with a new token: only a 401 says the token is wrong.
    async fn token_rejected(&self, token: &Sensitive<String>) -> bool {
        let url = self.api.url(&["user"]);
        let sent = self
            .api
            .send(Retry::Idempotent, || {
                let mut auth =
                    HeaderValue::from_str(token.expose()).unwrap_or(HeaderValue::from_static("-"));
                auth.set_sensitive(true);
                self.api
                    .http()
                    .client()
                    .get(url.clone())
                    .header("authorization", auth)
                    .header("accept", "application/json")
            })
            .await;
        matches!(sent, Ok(r) if r.status() == reqwest::StatusCode::UNAUTHORIZED)
    }

    /// What the create asked for, when the key cannot be read back.
    fn assumed_record(
        &self,
        key: &KeyRef,
        target: &Target,
        name: &str,
        scopes: &[String],
    ) -> KeyRecord {
        KeyRecord {
            vendor: V,
            account: self.account.clone(),
            id: key.record_id(),
            name: Some(name.to_string()),
            description: None,
            owner: target.owner(),
            created_at: Some(Utc::now()),
            expires_at: None,
            last_used_at: None,
            status: KeyStatus::Active,
            locked: false,
            scopes: scopes.to_vec(),
            secret_hint: None,
            permissions: None,
            kind_label: None,
            extra: VendorExtra::Codefresh(CodefreshExtra {
                token_prefix: None,
                subject_type: Some("user".into()),
                subject_ref: None,
            }),
        }
    }

    /// After a create whose answer was lost: find the key with the requested name that appeared
    /// since `before` among the keys of the owner it was for.
    async fn recover(&self, cause: Error, target: &Target, before: &Before, name: &str) -> Error {
        let after = self.keys_of(target).await;
        let is_ours = |k: &KeyRecord| k.name.as_deref() == Some(name);
        lost_create::outcome(cause, after, before, is_ours, &TOKEN)
    }

    /// `GET /auth/keys`: the user's own keys, one bare array, no paging.
    pub(super) async fn own_keys(&self) -> Result<Vec<KeyRecord>> {
        let keys: Vec<Key> = self.get_json(&["auth", "keys"], None).await?;
        Ok(keys
            .into_iter()
            .map(|k| {
                let key_ref = KeyRef::Own(k.id.clone());
                self.record(k, &key_ref, None)
            })
            .collect())
    }

    fn set_notices(&self, notices: Vec<String>) {
        if let Ok(mut held) = self.notices.lock() {
            *held = notices;
        }
    }

    /// The key an id names. A bare id Codefresh does not know as the user's own may be a
    /// service user's key typed without its owner; `missing` is the error when it is neither.
    async fn resolve(&self, key: KeyRef, missing: Error) -> Result<KeyRef> {
        match (&key, &missing) {
            (KeyRef::Own(id), Error::NotFound { .. }) => {
                self.find_service_user_key(id).await.ok_or(missing)
            }
            _ => Err(missing),
        }
    }

    /// `f` on the key `id` names, once more on its service user's path when a bare id was not
    /// the user's own.
    async fn on_key<T, F, Fut>(&self, id: &str, f: F) -> Result<T>
    where
        F: Fn(KeyRef) -> Fut,
        Fut: std::future::Future<Output = Result<T>>,
    {
        let key = KeyRef::parse(id)?;
        match f(key.clone()).await {
            Err(e @ Error::NotFound { .. }) => f(self.resolve(key, e).await?).await,
            done => done,
        }
    }

    async fn get_key(&self, key: KeyRef) -> Result<KeyRecord> {
        let raw = self.fetch(&key).await?;
        let owner = match &key {
            KeyRef::Own(_) => None,
            KeyRef::ServiceUser { service_user, .. } => Some(
                self.service_user(service_user)
                    .await
                    .map(|su| super::service_users::service_user_owner(&su))
                    .unwrap_or(Owner {
                        kind: OwnerKind::ServiceAccount,
                        id: service_user.clone(),
                        name: None,
                    }),
            ),
        };
        Ok(self.record(raw, &key, owner))
    }
}

#[async_trait]
impl Vendor for CodefreshClient {
    /// `GET /api/user` with the new token as the raw `Authorization`.
    async fn verify_key(&self, _key: &KeyRecord, secret: &Sensitive<String>) -> Result<()> {
        self.api.verify_credential(secret, &["user"]).await
    }

    /// `GET /user`, the check Codefresh's own CLI makes before every command.
    async fn verify(&self) -> Result<Identity> {
        let url = self.api.url(&["user"]);
        let response = self
            .api
            .send(Retry::Idempotent, || self.api.request(Method::GET, &url))
            .await?;
        if !response.status().is_success() {
            return Err(self.error(Op::Read, None, response).await);
        }
        let user: wire::User = http::read_json(V, response, false).await?;
        let present = |s: &Option<String>| s.clone().filter(|s| !s.trim().is_empty());
        let who = match (present(&user.user_name), present(&user.email)) {
            (Some(n), Some(e)) => format!("{n} ({e})"),
            (Some(x), None) | (None, Some(x)) => x,
            (None, None) => "a Codefresh user".to_string(),
        };
        let display = match present(&user.active_account_name) {
            Some(acct) => format!("{who} in account {acct}"),
            None => who,
        };
        let mut warnings = Vec::new();
        if let Some(wanted) = &self.account_id {
            if !user.account.iter().any(|a| a.id() == Some(wanted.as_str())) {
                warnings.push(format!(
                    "the API key's user is not a member of the account {wanted} set for it"
                ));
            }
        }
        match self.list().await {
            Err(e @ Error::Forbidden { .. }) => {
                warnings.push(format!("the API key cannot list API keys: {e}"))
            }
            // e.g. that service users' keys stay hidden from a key that is not an admin's.
            Ok(_) => warnings.extend(self.notices()),
            Err(_) => {}
        }
        Ok(Identity { display, warnings })
    }

    /// The user's own keys (`GET /auth/keys`), then every service user's; a key that may not
    /// manage service users' keys lists its own and says so.
    async fn list(&self) -> Result<Vec<KeyRecord>> {
        let mut records = self.own_keys().await?;
        match self.all_service_user_keys().await {
            Ok(more) => {
                records.extend(more);
                self.set_notices(Vec::new());
            }
            Err(Error::Forbidden { .. }) => {
                tracing::info!(account = %self.account, "codefresh: {SERVICE_USERS_HIDDEN}");
                self.set_notices(vec![SERVICE_USERS_HIDDEN.to_string()]);
            }
            Err(e) => return Err(e),
        }
        Ok(records)
    }

    fn notices(&self) -> Vec<String> {
        self.notices.lock().map(|n| n.clone()).unwrap_or_default()
    }

    async fn get(&self, id: &str) -> Result<KeyRecord> {
        self.on_key(id, |key| self.get_key(key)).await
    }

    /// The account's own user, then its service users (when the key may list them).
    async fn create_options(&self) -> Result<CreateOptions> {
        let me = self.current_user().await?;
        let mut owners = Vec::new();
        if let Some(id) = me.id.clone() {
            owners.push(Owner {
                kind: OwnerKind::User,
                id,
                name: Some(match &me.user_name {
                    Some(name) => format!("{name} (this API key's user)"),
                    None => "this API key's user".to_string(),
                }),
            });
        }
        match self.service_users().await {
            Ok(users) => owners.extend(users.iter().map(super::service_users::service_user_owner)),
            Err(Error::Forbidden { .. }) => {}
            Err(e) => return Err(e),
        }
        Ok(CreateOptions::owners(owners))
    }

    async fn create(&self, spec: &NewKey) -> Result<CreatedKey> {
        validate::new_key(&super::capabilities(), spec, Utc::now())?;
        if spec.scopes.is_empty() {
            return Err(Error::validation("scopes", "choose at least one scope"));
        }
        let name = spec.name.as_deref().unwrap_or_default().trim();
        let target = self.target_of(spec).await?;
        let body = KeyBody {
            name: Some(name),
            scopes: Some(&spec.scopes),
        };
        // What existed before, so that a lost answer can be told apart from an older namesake.
        let before = Before::new(self.keys_of(&target).await?.into_iter().map(|k| k.id));

        let url = match &target {
            Target::Own => self.api.url(&["auth", "key"]),
            Target::ServiceUser(su) => self.api.url(&["auth", "key", "service-user", &su.id]),
        };
        let sent = self
            .api
            .send(Retry::Never, || {
                let request = self.api.request(Method::POST, &url);
                match target {
                    Target::Own => request.query(&[("subjectType", "user")]),
                    Target::ServiceUser(_) => request,
                }
                .json(&body)
            })
            .await;
        let response = match sent {
            Ok(r) => r,
            Err(e) if lost_create::may_have_created(&e) => {
                return Err(self.recover(e, &target, &before, name).await)
            }
            Err(e) => return Err(e),
        };
        if !response.status().is_success() {
            return Err(self.error(Op::Create, None, response).await);
        }
        let parsed = match http::read_body(V, response).await {
            // The answer is the token itself: parse it into a `Sensitive`, wipe the raw bytes.
            Ok(bytes) => wire::parse_token(&Sensitive::new(bytes)).ok_or(Error::Decode {
                message: "Codefresh answered the create with something that is not a token".into(),
                raw: None,
            }),
            Err(e) => Err(e),
        };
        let (id, secret) = match parsed {
            Ok(p) => p,
            Err(e) => return Err(self.recover(e, &target, &before, name).await),
        };
        let key = match &target {
            Target::Own => KeyRef::Own(id),
            Target::ServiceUser(su) => KeyRef::ServiceUser {
                service_user: su.id.clone(),
                id,
            },
        };
        // The token is in hand: a failing read-back must not lose it.
        let record = match self.fetch(&key).await {
            Ok(raw) => self.record(raw, &key, target.owner()),
            // No key with that id: the id half of the answer was damaged.
            Err(e @ Error::NotFound { .. }) => {
                return Err(self.recover(e, &target, &before, name).await)
            }
            Err(e) => {
                tracing::warn!(vendor = %V, error = %e, "could not read back a created key");
                self.assumed_record(&key, &target, name, &spec.scopes)
            }
        };
        // A truncated token still looks like one: make sure it authenticates before handing it
        // out, so that nobody stores a key that can never work.
        if self.token_rejected(&secret).await {
            return Err(lost_create::recovered(record, &TOKEN));
        }
        Ok(CreatedKey {
            record,
            secret,
            public_key_pem: None,
        })
    }

    async fn update(&self, id: &str, changes: &KeyUpdate) -> Result<KeyRecord> {
        validate::key_update(&super::capabilities(), changes)?;
        KeyRef::parse(id)?;
        if changes.scopes.as_ref().is_some_and(Vec::is_empty) {
            return Err(Error::validation("scopes", "keep at least one scope"));
        }
        if changes.name.is_none() && changes.scopes.is_none() {
            return self.get(id).await;
        }
        let body = KeyBody {
            name: changes.name.as_deref().map(str::trim),
            scopes: changes.scopes.as_deref(),
        };
        self.on_key(id, |key| async {
            let url = self.api.url(&key.path());
            let record_id = key.record_id();
            // Scopes are replaced, not merged, so sending the same change twice is harmless.
            let patch = || self.api.request(Method::PATCH, &url).json(&body);
            let refused = |r: &ErrorResponse| errors::from_response(Op::Write, Some(&record_id), r);
            self.api
                .expect_success(Retry::Idempotent, patch, refused)
                .await?;
            // Clients do not rely on PATCH's answer; read the key back.
            self.get_key(key).await
        })
        .await
    }

    async fn delete(&self, id: &str) -> Result<DeleteOutcome> {
        self.on_key(id, |key| async move {
            let url = self.api.url(&key.path());
            let record_id = key.record_id();
            let delete = || self.api.request(Method::DELETE, &url);
            let refused = |r: &ErrorResponse| errors::from_response(Op::Write, Some(&record_id), r);
            self.api
                .expect_success(Retry::Idempotent, delete, refused)
                .await?;
            Ok(DeleteOutcome::default())
        })
        .await
    }

    fn capabilities(&self) -> Capabilities {
        super::capabilities()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn client(base: Option<&str>) -> CodefreshClient {
        let account = Account {
            id: "cf".into(),
            name: "cf".into(),
            vendor: V,
            sandbox: false,
            settings: crate::model::AccountSettings {
                base_url: base.map(str::to_string),
                ..Default::default()
            },
        };
        let http = Http::new(Default::default()).unwrap();
        CodefreshClient::build(&account, Credential::new("id.secret"), &http).unwrap()
    }

    #[test]
    fn base_url_gets_api_once() {
        assert_eq!(
            client(None).api.url(&["auth", "keys"]).as_str(),
            "https://g.codefresh.io/api/auth/keys"
        );
        assert_eq!(
            client(Some("https://g.codefresh.io"))
                .api
                .url(&["user"])
                .as_str(),
            "https://g.codefresh.io/api/user"
        );
        assert_eq!(
            client(Some("http://127.0.0.1:8080/api/"))
                .api
                .url(&["auth", "key", "x"])
                .as_str(),
            "http://127.0.0.1:8080/api/auth/key/x"
        );
    }
}
