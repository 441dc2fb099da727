//! Importing what discovery found: each find becomes an account only through
//! `Registry::add_account` with the connection test (so the vendor accepted the credential
//! before anything is saved, the credential goes to the keychain, and the add is audited). The
//! file it came from is only ever read.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::discover::{Discovery, Found, FoundInfo, UnreadableInfo};
use super::registry::{AccountDraft, ConnectionTest, Registry, Saved};
use crate::error::PublicError;
use crate::model::Account;

/// A find and whether it is already an account.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Candidate {
    pub found: FoundInfo,
    /// The saved account that already uses it.
    pub existing: Option<Account>,
}

/// What discovery found, as shells show it: each find (marked when already added) and each
/// source that could not be read.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct Findings {
    pub found: Vec<Candidate>,
    pub unreadable: Vec<UnreadableInfo>,
}

/// What importing one find did.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum ImportOutcome {
    Added { saved: Saved },
    AlreadyPresent { account: Account },
    Failed { error: Box<PublicError> },
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct Imported {
    pub found: FoundInfo,
    #[serde(flatten)]
    pub outcome: ImportOutcome,
}

impl Registry {
    /// Every find of `discovery`, marked when already added, and what could not be read.
    pub async fn findings(&self, discovery: &Discovery) -> Findings {
        let mut found = Vec::new();
        for f in &discovery.found {
            found.push(self.candidate(f).await);
        }
        Findings {
            found,
            unreadable: discovery.unreadable.iter().map(|u| u.info()).collect(),
        }
    }

    /// The find, and the saved account that already uses it.
    pub async fn candidate(&self, found: &Found) -> Candidate {
        Candidate {
            found: found.info(),
            existing: self
                .same_account(found.vendor, &found.settings, &found.credential)
                .await,
        }
    }

    /// Add the find as an account after its connection test passes; one already added is left
    /// alone. Its suggested name gets a number when another account has it.
    pub async fn import(&self, found: Found) -> Imported {
        let info = found.info();
        if let Some(account) = self
            .same_account(found.vendor, &found.settings, &found.credential)
            .await
        {
            return Imported {
                found: info,
                outcome: ImportOutcome::AlreadyPresent { account },
            };
        }
        let draft = AccountDraft {
            name: self.free_name(&found.name),
            vendor: found.vendor,
            settings: found.settings,
        };
        let note = format!("imported from {}", found.source);
        let outcome = match self
            .add_account_noted(draft, found.credential, ConnectionTest::Run, Some(note))
            .await
        {
            Ok(saved) => ImportOutcome::Added { saved },
            Err(e) => ImportOutcome::Failed {
                error: Box::new(e.to_public()),
            },
        };
        Imported {
            found: info,
            outcome,
        }
    }

    /// `name`, or `name (2)`, `name (3)`… when an account has it.
    fn free_name(&self, name: &str) -> String {
        let taken: Vec<String> = self
            .list_accounts()
            .into_iter()
            .map(|a| a.name.to_lowercase())
            .collect();
        let free = |n: &String| !taken.contains(&n.to_lowercase());
        std::iter::once(name.to_string())
            .chain((2..).map(|i| format!("{name} ({i})")))
            .find(free)
            .expect("some numbered name is free")
    }
}
