//! A credential store in process memory, for tests only (compiled under `cfg(test)` or the
//! `test-support` feature). It can be told to fail like a real keychain does.

use std::collections::HashMap;
use std::sync::Mutex;

use async_trait::async_trait;

use super::{Backend, CredentialStore};
use crate::error::{Error, Result};
use crate::model::{Account, Credential};

/// A keychain failure to simulate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StoreFault {
    /// Every call fails as if no Secret Service were running.
    Unavailable,
    /// Every call fails as if the collection were locked.
    Locked,
}

#[derive(Default)]
pub struct MemoryStore {
    entries: Mutex<HashMap<String, Credential>>,
    fault: Mutex<Option<StoreFault>>,
    reads: Mutex<usize>,
}

impl std::fmt::Debug for MemoryStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MemoryStore")
            .field("accounts", &self.account_ids())
            .finish()
    }
}

impl MemoryStore {
    pub fn new() -> Self {
        MemoryStore::default()
    }

    pub fn set_fault(&self, fault: Option<StoreFault>) {
        *self.fault.lock().unwrap() = fault;
    }

    /// The account ids that have an entry, sorted.
    pub fn account_ids(&self) -> Vec<String> {
        let mut ids: Vec<String> = self.entries.lock().unwrap().keys().cloned().collect();
        ids.sort();
        ids
    }

    /// The stored secret of an account, for assertions.
    pub fn secret_of(&self, account_id: &str) -> Option<String> {
        self.entries
            .lock()
            .unwrap()
            .get(account_id)
            .map(|c| c.secret.expose().clone())
    }

    /// How many successful `get`s there were (the registry should read each entry once per run).
    pub fn reads(&self) -> usize {
        *self.reads.lock().unwrap()
    }

    fn check(&self) -> Result<()> {
        match *self.fault.lock().unwrap() {
            None => Ok(()),
            Some(StoreFault::Unavailable) => {
                Err(Error::keychain(super::keychain::NO_KEYCHAIN.to_string()))
            }
            Some(StoreFault::Locked) => Err(Error::keychain(
                "The OS keychain is locked. Unlock it and try again; the sandbox still \
                          works."
                    .to_string(),
            )),
        }
    }
}

#[async_trait]
impl CredentialStore for MemoryStore {
    fn backend(&self) -> Backend {
        Backend::Memory
    }

    async fn get(&self, account: &Account) -> Result<Credential> {
        self.check()?;
        let found = self.entries.lock().unwrap().get(&account.id).cloned();
        match found {
            Some(c) => {
                *self.reads.lock().unwrap() += 1;
                Ok(c)
            }
            None => Err(super::keychain::keychain_error(
                keyring::Error::NoEntry,
                Some(&account.name),
                "memory",
            )),
        }
    }

    async fn set(&self, account: &Account, credential: &Credential) -> Result<()> {
        self.check()?;
        self.entries
            .lock()
            .unwrap()
            .insert(account.id.clone(), credential.clone());
        Ok(())
    }

    async fn delete(&self, account: &Account) -> Result<()> {
        self.check()?;
        self.entries.lock().unwrap().remove(&account.id);
        Ok(())
    }

    async fn probe(&self) -> Result<()> {
        self.check()
    }
}
