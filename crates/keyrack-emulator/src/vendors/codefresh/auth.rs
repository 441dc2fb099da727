//! Who is calling: an API key in `Authorization` (the raw token, no `Bearer` prefix), or a
//! session token in `x-access-token`.

use axum::http::HeaderMap;

use super::error::CfError;
use super::model::{sha256_hex, Owner, State};
use super::Codefresh;
use crate::handler::HeaderAuth;

#[derive(Debug, Clone)]
pub struct Caller {
    pub owner: Owner,
    /// The account the call acts in: the key's, or the session's.
    pub account_id: String,
}

impl Caller {
    /// Account admins may manage service users and use the admin endpoints.
    pub fn is_account_admin(&self, state: &State) -> bool {
        match &self.owner {
            Owner::User(id) => state
                .account(&self.account_id)
                .is_some_and(|a| a.admins.contains(id)),
            Owner::ServiceUser(id) => state
                .service_user(id)
                .is_some_and(|s| s.roles.iter().any(|r| r == "Admin")),
        }
    }
}

impl HeaderAuth for Codefresh {
    type Caller = Caller;
    type Error = CfError;

    fn authenticate(state: &mut State, headers: &HeaderMap) -> Result<Caller, CfError> {
        let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
        let caller = if let Some(token) = header("authorization") {
            api_key(state, token)
        } else if let Some(token) = header("x-access-token") {
            session(state, token)
        } else {
            None
        };
        caller.ok_or_else(CfError::unauthorized)
    }
}

impl Caller {
    /// Only account admins may go on.
    pub fn require_admin(&self, state: &State) -> Result<(), CfError> {
        if self.is_account_admin(state) {
            Ok(())
        } else {
            Err(CfError::forbidden("This action requires account admin"))
        }
    }
}

/// `<keyId>.<secret>`: the id finds the key, the secret must match its digest.
fn api_key(state: &State, token: &str) -> Option<Caller> {
    let (id, secret) = token.split_once('.')?;
    let key = state.keys.iter().find(|k| k.id == id)?;
    if key.secret_sha256 != sha256_hex(secret) || !state.owner_exists(&key.owner) {
        return None;
    }
    Some(Caller {
        owner: key.owner.clone(),
        account_id: key.account_id.clone(),
    })
}

fn session(state: &State, token: &str) -> Option<Caller> {
    let digest = sha256_hex(token);
    let now = crate::util::now();
    let session = state
        .sessions
        .iter()
        .find(|s| s.token_sha256 == digest && s.expires_at > now)?;
    state.user(&session.user_id)?;
    Some(Caller {
        owner: Owner::User(session.user_id.clone()),
        account_id: session.account_id.clone(),
    })
}
