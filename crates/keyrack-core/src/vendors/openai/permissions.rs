//! Key permissions ↔ OpenAI key `scopes`, as the dashboard and the `openai_project_api_key`
//! Terraform resource offer them: *all* (no scopes: an unrestricted key), *read only*
//! (`api.all.read`), or *restricted* per resource, each resource's level giving its scopes.
//! Scopes Keyrack does not know are kept in `KeyRecord.scopes` and shown as restricted.

use std::collections::BTreeMap;

use crate::model::{PermissionLevel, PermissionMode, Permissions};
use crate::vendor::{PermissionResource, PermissionsSpec};

/// The one scope of a read-only key.
pub const READ_ONLY: &str = "api.all.read";

/// Each resource: id, label, and the scopes of each level it offers beyond `None`.
struct Resource {
    id: &'static str,
    label: &'static str,
    read: &'static [&'static str],
    write: &'static [&'static str],
}

const RESOURCES: &[Resource] = &[
    Resource {
        id: "models",
        label: "Models",
        read: &["model.read", "api.model.read"],
        write: &[],
    },
    Resource {
        id: "model_capabilities",
        label: "Model capabilities",
        read: &[],
        write: &["model.request", "api.model.request"],
    },
    Resource {
        id: "assistants",
        label: "Assistants",
        read: &["api.assistants.read"],
        write: &["api.assistants.write"],
    },
    Resource {
        id: "threads",
        label: "Threads",
        read: &["api.threads.read"],
        write: &["api.threads.write"],
    },
    Resource {
        id: "fine_tuning",
        label: "Fine-tuning",
        read: &["api.fine_tuning.jobs.read"],
        write: &["api.fine_tuning.jobs.write"],
    },
    Resource {
        id: "files",
        label: "Files",
        read: &["api.files.read"],
        write: &["api.files.write"],
    },
];

/// The choices of a restricted key, for `Capabilities::permissions`.
pub fn spec() -> PermissionsSpec {
    PermissionsSpec {
        resources: RESOURCES
            .iter()
            .map(|r| {
                let mut levels = vec![PermissionLevel::None];
                if !r.read.is_empty() {
                    levels.push(PermissionLevel::Read);
                }
                if !r.write.is_empty() {
                    levels.push(PermissionLevel::Write);
                }
                PermissionResource {
                    id: r.id.into(),
                    label: r.label.into(),
                    levels,
                }
            })
            .collect(),
    }
}

/// Every scope OpenAI's keys may carry that Keyrack sets.
pub fn known_scopes() -> impl Iterator<Item = &'static str> {
    std::iter::once(READ_ONLY).chain(
        RESOURCES
            .iter()
            .flat_map(|r| r.read.iter().chain(r.write).copied()),
    )
}

/// The scopes to send for `p` (validated beforehand): none for all, `api.all.read` for read
/// only, the resources' scopes for restricted, in the table's order.
pub fn to_scopes(p: &Permissions) -> Vec<String> {
    match p.mode {
        PermissionMode::All => Vec::new(),
        PermissionMode::ReadOnly => vec![READ_ONLY.into()],
        PermissionMode::Restricted => RESOURCES
            .iter()
            .flat_map(|r| match p.resources.get(r.id) {
                Some(PermissionLevel::Read) => r.read,
                Some(PermissionLevel::Write) => r.write,
                _ => &[],
            })
            .map(|s| s.to_string())
            .collect(),
    }
}

/// What a key's scopes allow. A resource counts at a level when all of that level's scopes
/// are there; unknown scopes still make the key restricted.
pub fn from_scopes(scopes: &[String]) -> Permissions {
    let has = |s: &&str| scopes.iter().any(|x| x == s);
    if scopes.is_empty() {
        return Permissions {
            mode: PermissionMode::All,
            resources: BTreeMap::new(),
        };
    }
    if scopes.len() == 1 && scopes[0] == READ_ONLY {
        return Permissions {
            mode: PermissionMode::ReadOnly,
            resources: BTreeMap::new(),
        };
    }
    let mut resources = BTreeMap::new();
    for r in RESOURCES {
        let level = if !r.write.is_empty() && r.write.iter().all(has) {
            PermissionLevel::Write
        } else if !r.read.is_empty() && r.read.iter().all(has) {
            PermissionLevel::Read
        } else {
            continue;
        };
        resources.insert(r.id.to_string(), level);
    }
    Permissions {
        mode: PermissionMode::Restricted,
        resources,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn restricted(pairs: &[(&str, PermissionLevel)]) -> Permissions {
        Permissions {
            mode: PermissionMode::Restricted,
            resources: pairs.iter().map(|(k, v)| (k.to_string(), *v)).collect(),
        }
    }

    #[test]
    fn modes_map_to_the_dashboard_scopes() {
        let all = Permissions {
            mode: PermissionMode::All,
            resources: BTreeMap::new(),
        };
        assert!(to_scopes(&all).is_empty());
        let ro = Permissions {
            mode: PermissionMode::ReadOnly,
            resources: BTreeMap::new(),
        };
        assert_eq!(to_scopes(&ro), vec!["api.all.read"]);
        let p = restricted(&[
            ("models", PermissionLevel::Read),
            ("files", PermissionLevel::Write),
            ("threads", PermissionLevel::None),
        ]);
        assert_eq!(
            to_scopes(&p),
            vec!["model.read", "api.model.read", "api.files.write"]
        );
    }

    #[test]
    fn scopes_read_back_to_the_same_permissions() {
        for p in [
            restricted(&[("models", PermissionLevel::Read)]),
            restricted(&[
                ("model_capabilities", PermissionLevel::Write),
                ("assistants", PermissionLevel::Read),
                ("fine_tuning", PermissionLevel::Write),
            ]),
        ] {
            assert_eq!(from_scopes(&to_scopes(&p)), p);
        }
        assert_eq!(from_scopes(&[]).mode, PermissionMode::All);
        assert_eq!(
            from_scopes(&["api.all.read".into()]).mode,
            PermissionMode::ReadOnly
        );
        // Half of the models scopes is not models read; an unknown scope is still restricted.
        let p = from_scopes(&["model.read".into(), "api.responses.write".into()]);
        assert_eq!(p.mode, PermissionMode::Restricted);
        assert!(p.resources.is_empty());
    }

    #[test]
    fn the_spec_offers_only_levels_with_scopes() {
        let spec = spec();
        let models = spec.resources.iter().find(|r| r.id == "models").unwrap();
        assert_eq!(
            models.levels,
            vec![PermissionLevel::None, PermissionLevel::Read]
        );
        let caps = spec
            .resources
            .iter()
            .find(|r| r.id == "model_capabilities")
            .unwrap();
        assert_eq!(
            caps.levels,
            vec![PermissionLevel::None, PermissionLevel::Write]
        );
        assert_eq!(spec.resources.len(), 6);
        assert!(known_scopes().any(|s| s == "api.fine_tuning.jobs.write"));
    }
}
