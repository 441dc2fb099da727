//! Service users ("service accounts") and their keys: `GET /service-users`, and each one's keys
//! under `/auth/key/service-user/{serviceUserId}`. Only account admins may manage those keys;
//! for anyone else the listing keeps to the user's own keys and says why.

use futures::StreamExt;
use reqwest::Method;

use super::client::CodefreshClient;
use super::errors::Op;
use super::keyref::KeyRef;
use super::wire::{self, Key, ServiceUser};
use crate::error::{Error, Result};
use crate::http::{self, Retry};
use crate::model::{KeyRecord, NewKey, Owner, OwnerKind};

/// Service users whose keys are listed at once.
const SERVICE_USER_CONCURRENCY: usize = 4;

/// Said when the account's key may not manage service users' keys.
pub const SERVICE_USERS_HIDDEN: &str = "only account admins can see service users' keys, and \
     this account's API key is not one: only its own user's keys are shown";

/// Whom a new key is for.
#[derive(Debug, Clone)]
pub enum Target {
    Own,
    ServiceUser(ServiceUser),
}

impl Target {
    pub fn owner(&self) -> Option<Owner> {
        match self {
            Target::Own => None,
            Target::ServiceUser(su) => Some(service_user_owner(su)),
        }
    }
}

pub fn service_user_owner(su: &ServiceUser) -> Owner {
    Owner {
        kind: OwnerKind::ServiceAccount,
        id: su.id.clone(),
        name: su.user_name.clone(),
    }
}

impl CodefreshClient {
    /// `GET /service-users`: a bare array.
    pub(super) async fn service_users(&self) -> Result<Vec<ServiceUser>> {
        self.get_json(&["service-users"], None).await
    }

    /// One service user, for naming a key's owner; `None` when it cannot be read.
    pub(super) async fn service_user(&self, id: &str) -> Option<ServiceUser> {
        self.get_json(&["service-users", id], None).await.ok()
    }

    /// The keys of one service user, as records owned by it.
    pub(super) async fn service_user_keys(&self, su: &ServiceUser) -> Result<Vec<KeyRecord>> {
        let keys: Vec<Key> = self
            .get_json(&["auth", "key", "service-user", &su.id], None)
            .await?;
        let owner = service_user_owner(su);
        Ok(keys
            .into_iter()
            .map(|k| {
                let key_ref = KeyRef::ServiceUser {
                    service_user: su.id.clone(),
                    id: k.id.clone(),
                };
                self.record(k, &key_ref, Some(owner.clone()))
            })
            .collect())
    }

    /// Every service user's keys, a few service users at a time. One deleted while listing
    /// (404) is left out; a 403 (not an account admin) is the caller's to handle.
    pub(super) async fn all_service_user_keys(&self) -> Result<Vec<KeyRecord>> {
        let users = self.service_users().await?;
        let listed: Vec<Result<Vec<KeyRecord>>> = futures::stream::iter(users)
            .map(|su| async move { self.service_user_keys(&su).await })
            .buffered(SERVICE_USER_CONCURRENCY)
            .collect()
            .await;
        let mut all = Vec::new();
        for records in listed {
            match records {
                Ok(records) => all.extend(records),
                Err(Error::NotFound { .. }) => {}
                Err(e) => return Err(e),
            }
        }
        Ok(all)
    }

    /// A bare key id that is not one of the user's own keys may be a service user's, typed
    /// without its owner: find whose it is (nothing when service users cannot be listed).
    pub(super) async fn find_service_user_key(&self, id: &str) -> Option<KeyRef> {
        let records = self.all_service_user_keys().await.ok()?;
        records
            .into_iter()
            .filter_map(|r| KeyRef::parse(&r.id).ok())
            .find(|k| matches!(k, KeyRef::ServiceUser { .. }) && k.key_id() == id)
    }

    /// The owner a new key asks for: the account's own user (none given, or its id or name), or
    /// a service user named by id or name.
    pub(super) async fn target_of(&self, spec: &NewKey) -> Result<Target> {
        let Some(owner) = &spec.owner else {
            return Ok(Target::Own);
        };
        let wanted = owner.id.trim();
        let is_me = |user: &wire::User| {
            user.id.as_deref() == Some(wanted) || user.user_name.as_deref() == Some(wanted)
        };
        if owner.kind == OwnerKind::User {
            let me = self.current_user().await?;
            if is_me(&me) {
                return Ok(Target::Own);
            }
            return Err(Error::validation(
                "owner",
                format!(
                    "Codefresh keys can be made for this account's own user or one of its \
                     service users; `{wanted}` is not this account's user"
                ),
            ));
        }
        let users = match self.service_users().await {
            Ok(users) => users,
            // Cannot look it up: let Codefresh judge the id.
            Err(Error::Forbidden { .. }) if KeyRef::parse(wanted).is_ok() => {
                return Ok(Target::ServiceUser(ServiceUser {
                    id: wanted.to_string(),
                    user_name: None,
                }))
            }
            Err(e) => return Err(e),
        };
        let found = users
            .iter()
            .find(|su| su.id == wanted)
            .or_else(|| {
                users
                    .iter()
                    .find(|su| su.user_name.as_deref() == Some(wanted))
            })
            .cloned();
        if let Some(su) = found {
            return Ok(Target::ServiceUser(su));
        }
        if owner.kind == OwnerKind::Other && is_me(&self.current_user().await?) {
            return Ok(Target::Own);
        }
        Err(Error::NotFound {
            message: format!(
                "Codefresh has no service user `{wanted}` in this account (give its id or name, \
                 as the owner list shows them)"
            ),
            detail: None,
        })
    }

    /// The keys a create for `target` may add to, for telling a lost answer's key apart.
    pub(super) async fn keys_of(&self, target: &Target) -> Result<Vec<KeyRecord>> {
        match target {
            Target::Own => self.own_keys().await,
            Target::ServiceUser(su) => self.service_user_keys(su).await,
        }
    }

    /// `GET /user`.
    pub(super) async fn current_user(&self) -> Result<wire::User> {
        self.get_json(&["user"], None).await
    }

    /// A GET whose answer is JSON; `id` names the key in a 404's message.
    pub(super) async fn get_json<T: serde::de::DeserializeOwned>(
        &self,
        segments: &[&str],
        id: Option<&str>,
    ) -> Result<T> {
        let url = self.api.url(segments);
        let response = self
            .api
            .send(Retry::Idempotent, || self.api.request(Method::GET, &url))
            .await?;
        if !response.status().is_success() {
            return Err(self.error(Op::Read, id, response).await);
        }
        http::read_json(super::client::V, response, false).await
    }
}
