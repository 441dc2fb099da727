//! Every vendor Keyrack speaks to is one folder here, described by one static [`Descriptor`] in
//! its `mod.rs`: names, capabilities, the add-account form, how to connect, how to read its part
//! of a sandbox manifest, and the file formats a new secret can be saved in. This file is the one
//! list of them; everything else iterates [`ALL`] and never branches on a vendor.
//!
//! A vendor folder holds `mod.rs` (the descriptor), `client.rs` (the operations, implementing
//! [`crate::Vendor`]), `wire.rs` (its JSON), `errors.rs` (its error responses → core errors),
//! `export.rs` (its file formats) and what only it needs (IBM `token.rs`, OCI `sign.rs`).
//! [`common`] holds the wire code they share: paging, the error-response reader, URLs and ids,
//! and the lost-create decision.

pub mod codefresh;
pub mod common;
mod descriptor;
pub mod ibm;
pub mod oci;
pub mod openai;
pub mod scaleway;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

pub use descriptor::{
    connect, no_tool_files, nothing_to_complete, Client, Descriptor, FieldSpec, FormatSpec,
    LocalFiles, ProfileFile, SandboxEntry,
};

/// Which vendor. The variants are the vendors of [`ALL`], in the same order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum VendorId {
    Ibm,
    Scaleway,
    Oci,
    Openai,
    Codefresh,
}

/// Facts only one vendor has, each defined in its folder. Serialized flat, tagged `vendor`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(tag = "vendor", rename_all = "lowercase")]
pub enum VendorExtra {
    Ibm(ibm::IbmExtra),
    Scaleway(scaleway::ScalewayExtra),
    Oci(oci::OciExtra),
    Openai(openai::OpenaiExtra),
    Codefresh(codefresh::CodefreshExtra),
}

impl VendorExtra {
    /// The vendor these facts are about.
    pub fn vendor(&self) -> VendorId {
        match self {
            VendorExtra::Ibm(_) => VendorId::Ibm,
            VendorExtra::Scaleway(_) => VendorId::Scaleway,
            VendorExtra::Oci(_) => VendorId::Oci,
            VendorExtra::Openai(_) => VendorId::Openai,
            VendorExtra::Codefresh(_) => VendorId::Codefresh,
        }
    }

    /// Copy into a replacement key's spec what only this vendor's keys carry (project, leak
    /// action, support sessions), for rotation.
    pub fn carry_over(&self, spec: &mut crate::model::NewKey) {
        match self {
            VendorExtra::Ibm(e) => e.carry_over(spec),
            VendorExtra::Scaleway(e) => e.carry_over(spec),
            VendorExtra::Openai(e) => e.carry_over(spec),
            // OCI: the owner is all; Codefresh: its scopes are on the record.
            VendorExtra::Oci(_) | VendorExtra::Codefresh(_) => {}
        }
    }
}

/// Every vendor, in the order shells show them.
pub static ALL: [&Descriptor; 5] = [
    &ibm::VENDOR,
    &scaleway::VENDOR,
    &oci::VENDOR,
    &openai::VENDOR,
    &codefresh::VENDOR,
];

impl VendorId {
    /// This vendor's descriptor.
    pub fn descriptor(self) -> &'static Descriptor {
        ALL.iter()
            .copied()
            .find(|d| d.id == self)
            .expect("every VendorId has a descriptor in vendors::ALL")
    }

    /// The identifier used in settings files, on the command line and in sandbox manifests.
    pub fn as_str(self) -> &'static str {
        self.descriptor().key
    }

    /// The vendor's name as people write it.
    pub fn display_name(self) -> &'static str {
        self.descriptor().name
    }
}

/// Every vendor's id, in [`ALL`]'s order.
pub fn ids() -> impl Iterator<Item = VendorId> {
    ALL.iter().map(|d| d.id)
}

impl std::fmt::Display for VendorId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for VendorId {
    type Err = crate::Error;
    fn from_str(s: &str) -> crate::Result<Self> {
        ids()
            .find(|v| v.as_str().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| {
                let known: Vec<&str> = ids().map(VendorId::as_str).collect();
                crate::Error::validation(
                    "vendor",
                    format!("unknown vendor `{s}`; expected one of {}", known.join(", ")),
                )
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_vendor_has_one_descriptor_whose_key_is_its_serde_name() {
        let mut seen = std::collections::HashSet::new();
        for d in ALL {
            assert!(seen.insert(d.id), "{} listed twice", d.key);
            let serde_name = serde_json::to_value(d.id).unwrap();
            assert_eq!(
                serde_name, d.key,
                "the settings file and the CLI use the same name"
            );
            assert_eq!(d.id.descriptor().key, d.key);
            assert_eq!(d.key.parse::<VendorId>().unwrap(), d.id);
            let caps = (d.capabilities)();
            assert_eq!(caps.vendor, d.id);
            assert_eq!(caps.vendor_name, d.name);
        }
        let e = "acme".parse::<VendorId>().unwrap_err();
        assert!(
            e.to_string()
                .contains("ibm, scaleway, oci, openai, codefresh"),
            "{e}"
        );
    }

    #[test]
    fn help_says_where_the_vendor_shows_each_credential() {
        use crate::vendor_fields::SECRET;
        let help = |d: &Descriptor, name: &str| {
            d.account_fields
                .iter()
                .find(|f| f.name == name)
                .unwrap()
                .help
        };
        assert!(help(&ibm::VENDOR, SECRET).contains("ibmcloud iam api-key-create"));
        assert!(help(&ibm::VENDOR, SECRET).contains("Access (IAM) → API keys"));
        assert!(help(&scaleway::VENDOR, SECRET).contains("only once"));
        assert!(help(&scaleway::VENDOR, "organization_id").contains("Organization settings"));
        assert!(help(&openai::VENDOR, SECRET)
            .contains("platform.openai.com/settings/organization/admin-keys"));
        assert!(help(&codefresh::VENDOR, SECRET).contains("User settings → API keys"));
        assert!(help(&codefresh::VENDOR, "base_url").contains("on-premises"));
    }
}
