//! The seeded organization: an owner with the admin key the manifest hands out, a default
//! project, and a sandbox project holding user- and service-account-owned keys.

use super::mint::{issue, new_id, now};
use super::service_accounts::new_key;
use super::{AdminKey, KeyOwner, OrgUser, Project, ProjectKey, SecretValue, ServiceAccount, State};
use crate::state::SeedOptions;

const DAY: i64 = 24 * 3600;

pub fn seed(state: &mut State, opts: &SeedOptions) {
    let t0 = now() - 60 * DAY;
    // Creation times step forward in seeding order, which is list order.
    let mut tick = 0;
    let mut at = |days: i64| {
        tick += 1;
        t0 + days * DAY + tick
    };

    let jane = OrgUser {
        id: new_id("user_"),
        name: "Jane Doe".into(),
        email: "jane.doe@example.com".into(),
        created_at: at(0),
    };
    let sam = OrgUser {
        id: new_id("user_"),
        name: "Sam Lee".into(),
        email: "sam.lee@example.com".into(),
        created_at: at(1),
    };

    let (issued, admin_secret) = issue("sk-admin-", 8, "sandbox-admin", at(2), None);
    let admin_key = AdminKey {
        id: new_id("key_"),
        issued,
        owner_user_id: jane.id.clone(),
    };

    let default = project("Default project", at(2), true);
    let sandbox = project("Keyrack Sandbox", at(3), false);

    let mut s = State {
        organization_id: format!("org-{}", crate::util::random_alnum(24)),
        users: vec![jane.clone(), sam.clone()],
        admin_keys: vec![admin_key],
        projects: vec![default.clone(), sandbox.clone()],
        service_accounts: Vec::new(),
        api_keys: Vec::new(),
        manifest_admin_key: SecretValue(admin_secret),
        manifest_project_id: sandbox.id.clone(),
    };

    if !opts.empty {
        s.api_keys.push(user_key(
            &default.id,
            &jane,
            "owner",
            "default-key",
            at(4),
            "active",
        ));
        s.api_keys.push(user_key(
            &sandbox.id,
            &jane,
            "owner",
            "jane-laptop",
            at(5),
            "active",
        ));
        // Sam has left the project: his key stays but is hidden unless asked for.
        s.api_keys.push(user_key(
            &sandbox.id,
            &sam,
            "member",
            "sam-notebook",
            at(6),
            "inactive",
        ));
        let ci = account(&sandbox.id, "ci-runner", at(7));
        let deploy = account(&sandbox.id, "deploy-bot", at(8));
        s.api_keys
            .push(sa_key(&sandbox.id, &ci, "Secret Key", at(7)));
        s.api_keys
            .push(sa_key(&sandbox.id, &ci, "ci-runner-nightly", at(9)));
        s.api_keys
            .push(sa_key(&sandbox.id, &deploy, "Secret Key", at(8)));
        s.service_accounts.extend([ci, deploy]);
    }
    if opts.extra_keys > 0 {
        let load = account(&sandbox.id, "load-test", at(10));
        for i in 1..=opts.extra_keys {
            s.api_keys
                .push(sa_key(&sandbox.id, &load, &format!("load-key-{i}"), at(10)));
        }
        s.service_accounts.push(load);
    }
    *state = s;
}

fn project(name: &str, created_at: i64, is_default: bool) -> Project {
    Project {
        id: new_id("proj_"),
        name: name.into(),
        created_at,
        archived_at: None,
        external_key_id: None,
        residency: None,
        is_default,
    }
}

fn account(project_id: &str, name: &str, created_at: i64) -> ServiceAccount {
    ServiceAccount {
        id: new_id("svc_acct_"),
        project_id: project_id.into(),
        name: name.into(),
        role: "member".into(),
        created_at,
    }
}

fn user_key(
    project_id: &str,
    user: &OrgUser,
    role: &str,
    name: &str,
    created_at: i64,
    access: &str,
) -> ProjectKey {
    let (mut issued, _value) = issue("sk-proj-", 6, name, created_at, None);
    issued.last_used_at = Some(created_at + DAY);
    ProjectKey {
        id: new_id("key_"),
        project_id: project_id.into(),
        issued,
        owner: KeyOwner::User {
            user_id: user.id.clone(),
            role: role.into(),
        },
        owner_project_access: access.into(),
        scopes: Vec::new(),
    }
}

/// A service-account key whose value is dropped at once: nobody ever saw it.
fn sa_key(project_id: &str, sa: &ServiceAccount, name: &str, created_at: i64) -> ProjectKey {
    let (mut key, _value) = new_key(project_id, &sa.id, name, None, Vec::new());
    key.issued.created_at = created_at;
    key
}
