//! One way for every vendor handler to touch its vendor's state: lock the store, authenticate
//! the caller from the request headers, run the operation, and write the state file after a
//! write that succeeded (a refused write changed nothing worth keeping; a read never writes).

use std::convert::Infallible;
use std::marker::PhantomData;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::HeaderMap;

use crate::state::Shared;
use crate::vendor::Listed;

/// A vendor whose requests say who is calling in their headers alone.
pub trait HeaderAuth: Listed {
    /// Who a request authenticated as.
    type Caller;
    /// The vendor's error, in its own envelope.
    type Error;

    /// May update the state (e.g. a key's last use), which a read does not persist.
    fn authenticate(
        state: &mut Self::State,
        headers: &HeaderMap,
    ) -> Result<Self::Caller, Self::Error>;
}

/// A request to one of `V`'s handlers: the emulator's state and the headers to authenticate
/// with. Extracting it never fails; authentication happens in `read` and `write`.
pub struct Call<V> {
    shared: Shared,
    headers: HeaderMap,
    vendor: PhantomData<V>,
}

impl<V: HeaderAuth> Call<V> {
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// Where the emulator listens, for answers that link back to it.
    pub fn base_url(&self) -> &str {
        &self.shared.base_url
    }

    /// Run a read as the authenticated caller.
    pub fn read<T>(
        &self,
        op: impl FnOnce(&V::State, V::Caller) -> Result<T, V::Error>,
    ) -> Result<T, V::Error> {
        let mut store = self.shared.store();
        let state = V::state_mut(&mut store);
        let caller = V::authenticate(state, &self.headers)?;
        op(state, caller)
    }

    /// Run a write as the authenticated caller; the state file is written once it succeeds,
    /// before the lock is released, so that no later write can overtake it.
    pub fn write<T>(
        &self,
        op: impl FnOnce(&mut V::State, V::Caller) -> Result<T, V::Error>,
    ) -> Result<T, V::Error> {
        let mut store = self.shared.store();
        let state = V::state_mut(&mut store);
        let caller = V::authenticate(state, &self.headers)?;
        let done = op(state, caller)?;
        self.shared.persist_locked(&store);
        Ok(done)
    }
}

impl<V: Send> FromRequestParts<Shared> for Call<V> {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, shared: &Shared) -> Result<Self, Infallible> {
        Ok(Call {
            shared: shared.clone(),
            headers: parts.headers.clone(),
            vendor: PhantomData,
        })
    }
}
