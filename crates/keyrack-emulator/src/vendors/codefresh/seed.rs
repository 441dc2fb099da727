//! The seeded account: an admin user (whose token is the sandbox credential), a second user, a
//! second account the admin also belongs to, two service users (one an admin) with keys, and demo keys with varied scopes
//! and subjects.

use chrono::{DateTime, Duration, Utc};

use super::model::{sha256_hex, Account, Admin, Key, Owner, ServiceUser, State, Subject, User};
use crate::state::SeedOptions;

/// The scope names the Terraform provider documents.
pub const DOCUMENTED_SCOPES: &[&str] = &[
    "agent",
    "agents",
    "audit",
    "build",
    "cluster",
    "clusters",
    "environments-v2",
    "github-action",
    "helm",
    "kubernetes",
    "pipeline",
    "project",
    "repos",
    "runner-installation",
    "step-type",
    "step-types",
    "view",
    "workflow",
];

pub fn seed(state: &mut State, opts: &SeedOptions) {
    let now = crate::util::now();
    let ago = |days: i64| now - Duration::days(days);

    let main = state.new_object_id(ago(500));
    state.accounts.push(account(&main, "keyrack-sandbox"));
    let staging = state.new_object_id(ago(300));
    state.accounts.push(account(&staging, "keyrack-staging"));
    let admin_id = state.new_object_id(ago(500));
    state.users.push(User {
        id: admin_id.clone(),
        user_name: "keyrack-admin".to_string(),
        email: "admin@keyrack.example".to_string(),
        roles: vec!["User".to_string()],
        account_ids: vec![main.clone(), staging.clone()],
    });
    state.accounts[0].admins.push(admin_id.clone());
    let dev_id = state.new_object_id(ago(200));
    state.users.push(User {
        id: dev_id,
        user_name: "dev".to_string(),
        email: "dev@keyrack.example".to_string(),
        roles: vec!["User".to_string()],
        account_ids: vec![main.clone()],
    });

    let admin = Owner::User(admin_id.clone());
    let user_subject = || subject("user", &admin_id);
    let all_scopes: Vec<&str> = DOCUMENTED_SCOPES.to_vec();
    let api_key = key(
        state,
        &admin,
        &main,
        "keyrack-sandbox-admin",
        Some(&all_scopes),
        user_subject(),
        ago(400),
    );
    state.admin = Admin {
        api_key,
        user_id: admin_id.clone(),
        account_id: main.clone(),
    };
    if opts.empty {
        return;
    }

    let demo: [(&str, Option<&[&str]>, Subject, i64); 5] = [
        (
            "ci-pipelines",
            Some(&["pipeline", "project", "build"]),
            user_subject(),
            90,
        ),
        ("read-only-dashboard", Some(&["view"]), user_subject(), 60),
        ("legacy-full-access", None, user_subject(), 365),
        (
            "prod-runner",
            Some(&["runner-installation", "agent", "cluster"]),
            subject("runtime-environment", "prod-cluster/codefresh"),
            30,
        ),
        ("audit-export", Some(&["audit"]), user_subject(), 7),
    ];
    for (name, scopes, subject, days) in demo {
        key(state, &admin, &main, name, scopes, subject, ago(days));
    }

    let bot_id = state.new_object_id(ago(45));
    state.service_users.push(ServiceUser {
        id: bot_id.clone(),
        user_name: "ci-bot".to_string(),
        account_id: main.clone(),
        team_ids: Vec::new(),
        roles: Vec::new(),
    });
    key(
        state,
        &Owner::ServiceUser(bot_id.clone()),
        &main,
        "ci-bot-deploy",
        Some(&["pipeline", "build"]),
        subject("user", &bot_id),
        ago(40),
    );

    let release_id = state.new_object_id(ago(20));
    state.service_users.push(ServiceUser {
        id: release_id.clone(),
        user_name: "release-bot".to_string(),
        account_id: main.clone(),
        team_ids: vec!["releases".to_string()],
        roles: vec!["Admin".to_string()],
    });
    let release = Owner::ServiceUser(release_id.clone());
    for (name, scopes, days) in [
        ("release-publish", &["pipeline", "project"][..], 15),
        ("release-audit", &["audit"][..], 3),
    ] {
        key(
            state,
            &release,
            &main,
            name,
            Some(scopes),
            subject("user", &release_id),
            ago(days),
        );
    }

    for i in 0..opts.extra_keys {
        let created = ago(400) + Duration::minutes(i as i64 + 1);
        let name = format!("load-test-{i}");
        key(
            state,
            &admin,
            &main,
            &name,
            Some(&["pipeline"]),
            user_subject(),
            created,
        );
    }
}

/// Store a key and return its full token.
fn key(
    state: &mut State,
    owner: &Owner,
    account_id: &str,
    name: &str,
    scopes: Option<&[&str]>,
    subject: Subject,
    created: DateTime<Utc>,
) -> String {
    let id = state.new_object_id(created);
    let secret = crate::util::random_hex(32);
    let token = format!("{id}.{secret}");
    let scopes = scopes.map(|s| s.iter().map(|x| x.to_string()).collect());
    let snapshot_id = state.new_object_id(created);
    state.keys.push(Key {
        token_prefix: token.chars().take(8).collect(),
        id,
        name: name.to_string(),
        scopes,
        subject,
        secret_sha256: sha256_hex(&secret),
        created,
        owner: owner.clone(),
        account_id: account_id.to_string(),
        snapshot_id,
        snapshot_date: created,
    });
    token
}

fn account(id: &str, name: &str) -> Account {
    Account {
        id: id.to_string(),
        name: name.to_string(),
        admins: Vec::new(),
        features: Default::default(),
    }
}

fn subject(kind: &str, reference: &str) -> Subject {
    Subject {
        kind: kind.to_string(),
        reference: reference.to_string(),
    }
}
