//! oci — placeholder until its client lands (see the crate docs for the layout).

use async_trait::async_trait;

use crate::error::{Error, Result};
use crate::http::Http;
use crate::model::{Account, CreatedKey, Credential, DeleteOutcome, Identity, KeyRecord, NewKey};
use crate::vendor::{Capabilities, Vendor};

pub fn capabilities() -> Capabilities {
    unimplemented!("oci capabilities")
}

pub struct OciClient;

impl OciClient {
    pub fn new(_account: &Account, _credential: Credential, _http: &Http) -> Result<Self> {
        Err(Error::unsupported("oci is not implemented yet"))
    }
}

#[async_trait]
impl Vendor for OciClient {
    fn capabilities(&self) -> Capabilities {
        capabilities()
    }
    async fn verify(&self) -> Result<Identity> {
        Err(self.unsupported("verify"))
    }
    async fn list(&self) -> Result<Vec<KeyRecord>> {
        Err(self.unsupported("list"))
    }
    async fn get(&self, _id: &str) -> Result<KeyRecord> {
        Err(self.unsupported("get"))
    }
    async fn create(&self, _spec: &NewKey) -> Result<CreatedKey> {
        Err(self.unsupported("create"))
    }
    async fn delete(&self, _id: &str) -> Result<DeleteOutcome> {
        Err(self.unsupported("delete"))
    }
}
