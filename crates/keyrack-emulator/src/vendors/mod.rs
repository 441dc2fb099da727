//! The vendors, listed once. Each module below implements `crate::vendor::Vendor`; the
//! `vendors!` list turns those impls into the `Store` (a field per vendor), seeding, the
//! manifest, the router, and the table that tells a request's vendor and error envelope.
//!
//! A new vendor is a new folder here, its `pub mod` line and its line in the list. (The module
//! is declared outside the macro because rustfmt only formats the modules it can see; a test
//! checks that every folder here is in the list.)

use axum::http::StatusCode;
use axum::response::Response;
use axum::Router;
use serde::{Deserialize, Serialize};

use crate::state::{SeedOptions, Shared};
use crate::vendor::{Listed, Vendor};

macro_rules! vendors {
    ($($module:ident: $vendor:ident),+ $(,)?) => {
        /// Every vendor's state, a field per vendor named as the vendor. Serialized as-is into
        /// the `--state` file; a vendor missing from an older file starts empty rather than
        /// making the whole file unreadable.
        #[derive(Debug, Clone, Default, Serialize, Deserialize)]
        #[serde(default)]
        pub struct Store {
            $(pub $module: <$module::$vendor as Vendor>::State,)+
        }

        $(
            impl Listed for $module::$vendor {
                fn state_mut(store: &mut Store) -> &mut Self::State {
                    &mut store.$module
                }
            }

            // The state file's field and the vendor's name must never drift apart.
            const _: () = assert!(
                same(stringify!($module), <$module::$vendor as Vendor>::NAME),
                concat!(
                    "the Vendor::NAME of vendors::",
                    stringify!($module),
                    " differs from its module name"
                ),
            );
        )+

        impl Store {
            /// Every vendor freshly seeded.
            pub fn seeded(opts: &SeedOptions) -> Self {
                let mut store = Store::default();
                $(<$module::$vendor as Vendor>::seed(&mut store.$module, opts);)+
                store
            }
        }

        /// Every vendor's name, as the manifest, fault rules and the request log use it.
        pub const VENDORS: &[&str] = &[$(<$module::$vendor as Vendor>::NAME),+];

        /// Every vendor's part of the sandbox manifest, under the vendor's name.
        pub fn manifests(
            store: &Store,
            base_url: &str,
        ) -> serde_json::Map<String, serde_json::Value> {
            let mut parts = serde_json::Map::new();
            $(parts.insert(
                <$module::$vendor as Vendor>::NAME.to_owned(),
                <$module::$vendor as Vendor>::manifest(&store.$module, base_url),
            );)+
            parts
        }

        /// Every vendor's routes on one router.
        pub fn routes() -> Router<Shared> {
            Router::new()$(.merge(<$module::$vendor as Vendor>::routes()))+
        }

        const ALL: &[Entry] = &[$(Entry::of::<$module::$vendor>()),+];
    };
}

pub mod codefresh;
pub mod ibm;
pub mod oci;
pub mod openai;
pub mod scaleway;

vendors! {
    ibm: Ibm,
    scaleway: Scaleway,
    oci: Oci,
    openai: OpenAi,
    codefresh: Codefresh,
}

/// A listed vendor, as the shared layers need it at run time.
struct Entry {
    name: &'static str,
    owns_path: fn(&str) -> bool,
    error_envelope: fn(&str, StatusCode, &str, Option<u64>) -> Response,
}

impl Entry {
    const fn of<V: Vendor>() -> Entry {
        Entry {
            name: V::NAME,
            owns_path: V::owns_path,
            error_envelope: V::error_envelope,
        }
    }
}

/// Which vendor a request path belongs to (used by fault injection and the request log).
pub fn vendor_of_path(path: &str) -> Option<&'static str> {
    ALL.iter()
        .find(|vendor| (vendor.owns_path)(path))
        .map(|vendor| vendor.name)
}

/// The named vendor's envelope for an error its handlers never produce; `None` for a name
/// that is no vendor's.
pub fn error_envelope(
    vendor: &str,
    path: &str,
    status: StatusCode,
    message: &str,
    retry_after: Option<u64>,
) -> Option<Response> {
    ALL.iter()
        .find(|v| v.name == vendor)
        .map(|v| (v.error_envelope)(path, status, message, retry_after))
}

/// String equality that a constant can use.
const fn same(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_map_to_their_vendor() {
        assert_eq!(vendor_of_path("/identity/token"), Some("ibm"));
        assert_eq!(vendor_of_path("/v1/apikeys/details"), Some("ibm"));
        assert_eq!(
            vendor_of_path("/v1/accounts/abc/limits/identity"),
            Some("ibm")
        );
        assert_eq!(vendor_of_path("/iam/v1alpha1/api-keys"), Some("scaleway"));
        assert_eq!(vendor_of_path("/account/v3/projects"), Some("scaleway"));
        assert_eq!(vendor_of_path("/20160918/users/x/apiKeys"), Some("oci"));
        assert_eq!(vendor_of_path("/v1/organization/projects"), Some("openai"));
        assert_eq!(vendor_of_path("/v1/me"), Some("openai"));
        assert_eq!(vendor_of_path("/api/auth/keys"), Some("codefresh"));
        assert_eq!(vendor_of_path("/__emulator/faults"), None);
        assert_eq!(vendor_of_path("/"), None);
    }

    #[test]
    fn every_vendor_folder_is_listed() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/vendors");
        for entry in std::fs::read_dir(dir).unwrap() {
            let entry = entry.unwrap();
            if entry.file_type().unwrap().is_dir() {
                let name = entry.file_name().into_string().unwrap();
                assert!(
                    VENDORS.contains(&name.as_str()),
                    "{name} is not in vendors!"
                );
            }
        }
    }

    #[test]
    fn no_path_belongs_to_two_vendors() {
        for path in [
            "/identity/token",
            "/v1/apikeys",
            "/v1/accounts/x",
            "/iam/v1alpha1/users",
            "/account/v3/projects",
            "/20160918/users",
            "/v1/organization/projects",
            "/v1/me",
            "/api/user",
        ] {
            let owners = ALL.iter().filter(|v| (v.owns_path)(path)).count();
            assert_eq!(owners, 1, "{path}");
        }
    }
}
