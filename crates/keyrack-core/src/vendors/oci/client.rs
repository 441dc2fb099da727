//! `OciClient`: a user's API signing keys through OCI Identity (`/20160918/users/{user}/apiKeys`),
//! every request signed with the account's own signing key.

use std::time::SystemTime;

use async_trait::async_trait;
use chrono::Utc;
use reqwest::header::{ACCEPT, CONTENT_TYPE};
use reqwest::{Method, Request, Response};
use rsa::RsaPublicKey;
use serde::de::DeserializeOwned;
use url::Url;

use super::errors::{self, Op};
use super::keypair;
use super::record::{self, KeyRef};
use super::sign::{http_date, KeyId, RequestSigner, JSON};
use super::wire::{ApiKey, CreateApiKeyDetails, User};
use super::{capabilities, endpoint, MAX_KEYS_PER_USER};
use crate::error::{Error, Result};
use crate::http::{self, Http, Retry};
use crate::model::{
    Account, CreateOptions, CreatedKey, Credential, DeleteOutcome, Identity, KeyRecord, NewKey,
    Owner, OwnerKind,
};
use crate::secret::Sensitive;
use crate::validate;
use crate::vendor::{Capabilities, Vendor};
use crate::vendors::common::{self, paging, ErrorResponse, Page};
use crate::vendors::Client;
use crate::vendors::VendorId;

const V: VendorId = VendorId::Oci;

const API_VERSION: &str = "20160918";
/// ListUsers page size: the most OCI allows, since each further page waits for the one before.
const USERS_PAGE: &str = "1000";
/// Users whose keys are listed at once when listing the whole tenancy: one small request each
/// (a user has at most three keys), so a tenancy of 700 users takes some 20 round trips.
const USER_CONCURRENCY: usize = 32;
/// Said when the credential may not list the tenancy's users.
const OWN_USER_ONLY: &str = "this credential may not list the tenancy's users (it needs a \
     tenancy administrator's rights), so only its own user's API signing keys are shown";

pub struct OciClient {
    account_id: String,
    tenancy: String,
    user: String,
    region: Option<String>,
    /// The fingerprint the account signs with (its keyId's last part).
    fingerprint: String,
    /// The fingerprint of the credential's private key, computed locally.
    key_fingerprint: String,
    base: Url,
    signer: RequestSigner,
    http: Http,
    /// What the last listing had to say (e.g. that it fell back to the own user's keys).
    notices: std::sync::Mutex<Vec<String>>,
}

impl Client for OciClient {
    fn build(account: &Account, credential: Credential, http: &Http) -> Result<Self> {
        let s = &account.settings;
        let tenancy = ocid(s.tenancy.as_deref(), "tenancy", "ocid1.tenancy.")?;
        let user = ocid(s.user.as_deref(), "user", "ocid1.user.")?;
        let fingerprint = s
            .fingerprint
            .as_deref()
            .map(|f| f.trim().to_ascii_lowercase())
            .filter(|f| keypair::is_fingerprint(f))
            .ok_or_else(|| {
                Error::config(
                    "the OCI account needs the fingerprint of its API signing key \
                     (aa:bb:…, 16 pairs; shown in the console and in ~/.oci/config)",
                )
            })?;
        let region = s
            .region
            .as_deref()
            .map(str::trim)
            .filter(|r| !r.is_empty())
            .map(str::to_string);
        let base = match (&s.base_url, &region) {
            (Some(base), _) => base.trim().to_string(),
            (None, Some(region)) => endpoint(region)?,
            (None, None) => {
                return Err(Error::config(
                    "the OCI account needs its region (e.g. eu-frankfurt-1) or a base URL",
                ))
            }
        };
        let base = Url::parse(base.trim_end_matches('/'))
            .map_err(|e| Error::config(format!("the OCI base URL `{base}` is not a URL: {e}")))?;

        let passphrase = credential.passphrase.as_ref().map(|p| p.expose().as_str());
        let key = keypair::load_private_key(credential.secret.expose(), passphrase)?;
        let key_fingerprint = keypair::fingerprint(&RsaPublicKey::from(&key))?;
        let key_id = KeyId {
            tenancy: tenancy.clone(),
            user: user.clone(),
            fingerprint: fingerprint.clone(),
        };
        Ok(OciClient {
            account_id: account.id.clone(),
            tenancy,
            user,
            region,
            fingerprint,
            key_fingerprint,
            base,
            signer: RequestSigner::new(&key_id, key),
            http: http.clone(),
            notices: std::sync::Mutex::new(Vec::new()),
        })
    }
}

impl OciClient {
    /// `…/20160918/users/{user}/apiKeys[/{fingerprint}]`.
    /// Segments are escaped as the Python SDK's `quote()` does, so a fingerprint's colons go
    /// out as `%3A`, and are signed that way.
    pub fn keys_url(&self, user: &str, fingerprint: Option<&str>) -> Url {
        let mut segments = vec![API_VERSION, "users", user, "apiKeys"];
        segments.extend(fingerprint);
        common::join(&self.base, &segments)
    }

    /// One signed request, dated `date`.
    pub(crate) fn build_request(
        &self,
        method: &Method,
        url: &Url,
        body: Option<&[u8]>,
        date: &str,
    ) -> Result<Request> {
        let mut builder = self
            .http
            .client()
            .request(method.clone(), url.clone())
            .header(ACCEPT, JSON);
        if let Some(body) = body {
            builder = builder.header(CONTENT_TYPE, JSON).body(body.to_vec());
        }
        let mut request = common::build_request(V, builder)?;
        self.signer.sign_request(&mut request, date)?;
        Ok(request)
    }

    /// Sign and send; the signature and date are fresh on every attempt.
    async fn send(
        &self,
        method: Method,
        url: &Url,
        body: Option<Vec<u8>>,
        retry: Retry,
    ) -> Result<Response> {
        self.http
            .send(V, retry, || {
                self.build_request(&method, url, body.as_deref(), &http_date(SystemTime::now()))
            })
            .await
    }

    /// The UploadApiKey body for a public key PEM.
    pub(crate) fn upload_body(public_pem: &str) -> Result<Vec<u8>> {
        serde_json::to_vec(&CreateApiKeyDetails { key: public_pem }).map_err(|e| Error::Decode {
            message: format!("could not encode the upload: {e}"),
            raw: None,
        })
    }

    /// A hint for a 401 when the private key does not match the configured fingerprint.
    fn auth_hint(&self) -> Option<String> {
        (self.key_fingerprint != self.fingerprint).then(|| {
            format!(
                "the private key's fingerprint is {}, but the account is set to {}",
                self.key_fingerprint, self.fingerprint
            )
        })
    }

    async fn fail(&self, response: Response, op: Op<'_>) -> Error {
        let r = ErrorResponse::read(V, response).await;
        errors::from_response(&r, op, self.auth_hint().as_deref())
    }

    /// One page of a list: its items and the `opc-next-page` token, if any.
    async fn get_page<T: DeserializeOwned>(
        &self,
        url: &Url,
        op: Op<'_>,
    ) -> Result<Page<T, String>> {
        let response = self.send(Method::GET, url, None, Retry::Idempotent).await?;
        if !response.status().is_success() {
            return Err(self.fail(response, op).await);
        }
        let next = response
            .headers()
            .get("opc-next-page")
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        let batch: Vec<T> = http::read_json(V, response, false).await?;
        Ok(Page::token(batch, next))
    }

    /// ListApiKeys for `user`, following `opc-next-page` should OCI ever send one.
    async fn list_keys(&self, user: &str) -> Result<Vec<ApiKey>> {
        paging::all_pages(V, "API signing keys", |page: Option<String>| {
            let mut url = self.keys_url(user, None);
            if let Some(token) = &page {
                url.query_pairs_mut().append_pair("page", token);
            }
            async move { self.get_page(&url, Op::List { user }).await }
        })
        .await
    }

    /// ListUsers in the tenancy, every page (`opc-next-page`).
    async fn list_users(&self) -> Result<Vec<User>> {
        paging::all_pages(V, "users", |page: Option<String>| {
            let mut url = common::join(&self.base, &[API_VERSION, "users"]);
            url.query_pairs_mut()
                .append_pair("compartmentId", &self.tenancy)
                .append_pair("limit", USERS_PAGE);
            if let Some(token) = &page {
                url.query_pairs_mut().append_pair("page", token);
            }
            let op = Op::Users {
                tenancy: &self.tenancy,
            };
            async move { self.get_page(&url, op).await }
        })
        .await
    }

    /// The tenancy's users (not deleted), or `None` when the credential may not list them
    /// (OCI answers `404 NotAuthorizedOrNotFound`, or 403): then only its own user is known.
    async fn tenancy_users(&self) -> Result<Option<Vec<User>>> {
        match self.list_users().await {
            Ok(users) => Ok(Some(
                users
                    .into_iter()
                    .filter(|u| u.lifecycle_state.as_deref() != Some("DELETED"))
                    .collect(),
            )),
            Err(Error::NotFound { .. } | Error::Forbidden { .. }) => {
                tracing::info!(account = %self.account_id, "oci: {OWN_USER_ONLY}");
                Ok(None)
            }
            Err(e) => Err(e),
        }
    }

    fn set_notices(&self, notices: Vec<String>) {
        if let Ok(mut held) = self.notices.lock() {
            *held = notices;
        }
    }

    /// Every user's live keys, a few users at a time, each owner named. A user deleted while
    /// listing (404) is left out.
    async fn all_users_records(&self, users: Vec<User>) -> Result<Vec<KeyRecord>> {
        use futures::StreamExt;
        let listed: Vec<(User, Result<Vec<KeyRecord>>)> = futures::stream::iter(users)
            .map(|user| async move {
                let records = self.records(&user.id).await;
                (user, records)
            })
            .buffered(USER_CONCURRENCY)
            .collect()
            .await;
        let mut all = Vec::new();
        for (user, records) in listed {
            match records {
                Ok(records) => all.extend(records.into_iter().map(|mut r| {
                    if let Some(owner) = r.owner.as_mut() {
                        owner.name = user.name.clone();
                    }
                    r
                })),
                Err(Error::NotFound { .. }) => {}
                Err(e) => return Err(e),
            }
        }
        Ok(all)
    }

    /// Live (not DELETED) keys of `user`, as records.
    async fn records(&self, user: &str) -> Result<Vec<KeyRecord>> {
        self.list_keys(user)
            .await?
            .iter()
            .filter(|k| !record::is_deleted(k))
            .map(|k| record::to_record(k, &self.account_id, user, &self.user))
            .collect()
    }

    fn key_ref(&self, id: &str) -> Result<KeyRef> {
        KeyRef::parse(id, &self.user, &self.tenancy)
    }

    /// The user a new key is for: the account's own, or another user's OCID.
    fn owner_of(&self, spec: &NewKey) -> Result<String> {
        match &spec.owner {
            None => Ok(self.user.clone()),
            Some(owner) => {
                let id = owner.id.trim();
                if owner.kind != OwnerKind::User || !id.starts_with("ocid1.user.") {
                    return Err(Error::validation(
                        "owner",
                        "OCI API signing keys belong to a user: give a user OCID (ocid1.user.oc1..…)",
                    ));
                }
                Ok(id.to_string())
            }
        }
    }

    /// UploadApiKey with an `opc-retry-token` made once for this create: OCI answers a repeat
    /// of the same token (within 24 hours) with the key the first one made, so the upload may be
    /// retried after a timeout or a server error without adding the key twice. An answer lost
    /// even so is resolved by `recover_upload`.
    async fn upload(&self, user: &str, public_pem: &str) -> Result<ApiKey> {
        let body = Self::upload_body(public_pem)?;
        let url = self.keys_url(user, None);
        let retry_token = uuid::Uuid::new_v4().simple().to_string();
        let response = self
            .http
            .send(V, Retry::Idempotent, || {
                let mut request = self.build_request(
                    &Method::POST,
                    &url,
                    Some(&body),
                    &http_date(SystemTime::now()),
                )?;
                let token = reqwest::header::HeaderValue::from_str(&retry_token).map_err(|e| {
                    Error::Decode {
                        message: format!("could not set the retry token: {e}"),
                        raw: None,
                    }
                })?;
                request.headers_mut().insert("opc-retry-token", token);
                Ok(request)
            })
            .await?;
        if !response.status().is_success() {
            return Err(self.fail(response, Op::Upload { user }).await);
        }
        http::read_json(V, response, false).await
    }

    /// The upload's answer was lost: the key pair is ours, so if the key is there, nothing else
    /// was lost. Otherwise say plainly whether anything was created.
    async fn recover_upload(&self, user: &str, fingerprint: &str, lost: Error) -> Result<ApiKey> {
        match self.list_keys(user).await {
            Ok(keys) => {
                if let Some(key) = keys.into_iter().find(|k| {
                    !record::is_deleted(k)
                        && record::fingerprint_of(k).as_deref() == Some(fingerprint)
                }) {
                    tracing::info!(vendor = "oci", "recovered an upload whose answer was lost");
                    return Ok(key);
                }
                let note = format!(
                    "; no key was uploaded (OCI does not list fingerprint {fingerprint}), so \
                     nothing was created — try again"
                );
                Err(common::with_note(lost, &note))
            }
            Err(check) => Err(Error::CreateLost {
                message: format!(
                    "the upload of key {fingerprint} may have reached OCI, and checking failed \
                     ({check}): look for that fingerprint in the key list; if it is there, \
                     delete it — its private key was not kept"
                ),
                recovered: None,
            }),
        }
    }
}

fn duplicate(fingerprint: &str, user: &str) -> Error {
    Error::Conflict {
        message: format!("this public key ({fingerprint}) is already uploaded for user {user}"),
        detail: None,
    }
}

fn ocid(value: Option<&str>, what: &str, prefix: &str) -> Result<String> {
    value
        .map(str::trim)
        .filter(|v| v.starts_with(prefix))
        .map(str::to_string)
        .ok_or_else(|| {
            Error::config(format!(
                "the OCI account needs its {what} OCID ({prefix}oc1..…)"
            ))
        })
}

#[async_trait]
impl Vendor for OciClient {
    /// `GET /users/{user}/apiKeys` signed with the new private key under its own keyId
    /// (`<tenancy>/<owner>/<new fingerprint>`): every user may list their own keys.
    async fn verify_key(&self, key: &KeyRecord, secret: &Sensitive<String>) -> Result<()> {
        let target = self.key_ref(&key.id)?;
        let private = keypair::load_private_key(secret.expose(), None)?;
        let signer = RequestSigner::new(
            &KeyId {
                tenancy: self.tenancy.clone(),
                user: target.user.clone(),
                fingerprint: target.fingerprint.clone(),
            },
            private,
        );
        let url = self.keys_url(&target.user, None);
        let sent = self
            .http
            .send(V, Retry::Idempotent, || {
                let builder = self.http.client().get(url.clone()).header(ACCEPT, JSON);
                let mut request = common::build_request(V, builder)?;
                signer.sign_request(&mut request, &http_date(SystemTime::now()))?;
                Ok(request)
            })
            .await;
        common::verify::judge(V, sent).await
    }

    async fn verify(&self) -> Result<Identity> {
        let keys = self.records(&self.user).await?;
        let mut warnings = Vec::new();
        if self.tenancy_users().await?.is_none() {
            warnings.push(OWN_USER_ONLY.to_string());
        }
        if let Some(hint) = self.auth_hint() {
            warnings.push(format!("{hint}; requests may start failing"));
        }
        if keys.len() >= MAX_KEYS_PER_USER as usize {
            warnings.push(format!(
                "the user has {} API signing keys, the most OCI allows: delete one before \
                 creating another",
                keys.len()
            ));
        }
        let place = self.region.as_deref().unwrap_or(self.base.as_str());
        Ok(Identity {
            display: format!(
                "user {} in tenancy {} ({place}), signing with key {}",
                self.user, self.tenancy, self.fingerprint
            ),
            warnings,
        })
    }

    /// Every user's keys when the credential may list the tenancy's users, else its own
    /// user's, with a notice saying so.
    async fn list(&self) -> Result<Vec<KeyRecord>> {
        match self.tenancy_users().await? {
            Some(users) => {
                let records = self.all_users_records(users).await?;
                self.set_notices(Vec::new());
                Ok(records)
            }
            None => {
                let records = self.records(&self.user).await?;
                self.set_notices(vec![OWN_USER_ONLY.to_string()]);
                Ok(records)
            }
        }
    }

    fn notices(&self) -> Vec<String> {
        self.notices.lock().map(|n| n.clone()).unwrap_or_default()
    }

    async fn get(&self, id: &str) -> Result<KeyRecord> {
        let key = self.key_ref(id)?;
        self.records(&key.user)
            .await?
            .into_iter()
            .find(|r| self.key_ref(&r.id).is_ok_and(|k| k == key))
            .ok_or_else(|| Error::NotFound {
                message: format!(
                    "OCI has no API signing key {} for user {} (it may have been deleted)",
                    key.fingerprint, key.user
                ),
                detail: None,
            })
    }

    /// The tenancy's users when the credential may list them (the account's own first), else
    /// the account's own user.
    async fn create_options(&self) -> Result<CreateOptions> {
        let own = Owner {
            kind: OwnerKind::User,
            id: self.user.clone(),
            name: Some("this account's user".into()),
        };
        let mut owners = vec![own];
        if let Some(users) = self.tenancy_users().await? {
            for user in users {
                if user.id == self.user {
                    if let Some(name) = user.name {
                        owners[0].name = Some(format!("{name} (this account's user)"));
                    }
                } else {
                    owners.push(Owner {
                        kind: OwnerKind::User,
                        id: user.id,
                        name: user.name,
                    });
                }
            }
        }
        Ok(CreateOptions::owners(owners))
    }

    async fn create(&self, spec: &NewKey) -> Result<CreatedKey> {
        validate::new_key(&capabilities(), spec, Utc::now())?;
        let user = self.owner_of(spec)?;
        if spec.public_key_pem.is_some() && spec.key_bits.is_some() {
            return Err(Error::validation(
                "key_bits",
                "a key size applies only when Keyrack generates the pair, not to an uploaded key",
            ));
        }
        // A supplied key is checked and fingerprinted before anything is sent.
        let supplied = match spec.public_key_pem.as_deref() {
            Some(pem) => {
                let public = keypair::parse_public_pem(pem)?;
                Some((
                    keypair::public_pem(&public)?,
                    keypair::fingerprint(&public)?,
                ))
            }
            None => None,
        };

        let existing: Vec<ApiKey> = self
            .list_keys(&user)
            .await?
            .into_iter()
            .filter(|k| !record::is_deleted(k))
            .collect();
        let uploaded_already = |fingerprint: &str| {
            existing
                .iter()
                .any(|k| record::fingerprint_of(k).as_deref() == Some(fingerprint))
        };
        if let Some((_, fingerprint)) = &supplied {
            if uploaded_already(fingerprint) {
                return Err(duplicate(fingerprint, &user));
            }
        }
        // The 3-key limit is checked here, so a full user gets a clear answer and nothing is sent.
        if existing.len() >= MAX_KEYS_PER_USER as usize {
            return Err(Error::QuotaExceeded {
                message: format!(
                    "user {user} already has {} API signing keys, the most OCI allows \
                     ({MAX_KEYS_PER_USER}); delete one before adding another",
                    existing.len()
                ),
                detail: None,
            });
        }

        let (public_pem, fingerprint, private_pem) = match supplied {
            Some((public_pem, fingerprint)) => (public_pem, fingerprint, None),
            None => {
                let bits = spec
                    .key_bits
                    .map_or(keypair::DEFAULT_KEY_BITS, |b| b as usize);
                // Generation takes a while: keep it off the async workers.
                let pair = tokio::task::spawn_blocking(move || keypair::generate(bits))
                    .await
                    .map_err(|e| {
                        Error::validation("key_bits", format!("key generation failed: {e}"))
                    })??;
                if uploaded_already(&pair.fingerprint) {
                    return Err(duplicate(&pair.fingerprint, &user));
                }
                (pair.public_pem, pair.fingerprint, Some(pair.private_pem))
            }
        };

        let uploaded = match self.upload(&user, &public_pem).await {
            Ok(key) => key,
            Err(e @ (Error::Network { .. } | Error::Timeout { .. } | Error::Decode { .. })) => {
                self.recover_upload(&user, &fingerprint, e).await?
            }
            Err(e) => return Err(e),
        };
        let reported = record::fingerprint_of(&uploaded);
        if reported.as_deref() != Some(fingerprint.as_str()) {
            return Err(Error::Decode {
                message: format!(
                    "OCI reported fingerprint {} for the uploaded key, but its fingerprint is \
                     {fingerprint}: check the key list and delete the new key if it is there",
                    reported.as_deref().unwrap_or("(none)")
                ),
                raw: None,
            });
        }
        Ok(CreatedKey {
            record: record::to_record(&uploaded, &self.account_id, &user, &self.user)?,
            // Empty when the user supplied the public key: Keyrack never had the private half.
            secret: private_pem.unwrap_or_else(|| Sensitive::new(String::new())),
            public_key_pem: Some(public_pem),
        })
    }

    async fn delete(&self, id: &str) -> Result<DeleteOutcome> {
        let key = self.key_ref(id)?;
        if key.user == self.user && key.fingerprint == self.fingerprint {
            return Err(Error::Conflict {
                message: "this is the key Keyrack signs this account's requests with; deleting \
                          it would lock the account out — switch the account to another key first"
                    .into(),
                detail: None,
            });
        }
        let url = self.keys_url(&key.user, Some(&key.fingerprint));
        let response = self
            .send(Method::DELETE, &url, None, Retry::Idempotent)
            .await?;
        if !response.status().is_success() {
            let op = Op::Delete {
                user: &key.user,
                fingerprint: &key.fingerprint,
            };
            return Err(self.fail(response, op).await);
        }
        Ok(DeleteOutcome::default())
    }

    fn capabilities(&self) -> Capabilities {
        capabilities()
    }
}
