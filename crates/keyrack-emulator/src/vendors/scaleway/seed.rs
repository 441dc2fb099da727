//! The seeded organization: an owner (whose key is the sandbox admin credential), a member, two
//! applications, two projects, and demo keys spread across the bearers.

use chrono::{DateTime, Duration, Utc};

use super::model::{hash_secret, now, Admin, ApiKey, Application, Bearer, Project, State, User};
use crate::state::SeedOptions;
use crate::util::uuid;

pub fn seed(state: &mut State, opts: &SeedOptions) {
    let now = now();
    let ago = |days: i64| now - Duration::days(days);
    let org = uuid();
    state.organization_id = org.clone();

    // The default project's id equals the organization's, as in Scaleway's recordings.
    state.projects = vec![
        project(&org, &org, "default", "Default project", ago(420)),
        project(&uuid(), &org, "staging", "Staging workloads", ago(200)),
    ];
    let staging = state.projects[1].id.clone();

    let admin = user(&org, "owner", "admin", "Ada", "Admin", ago(420));
    let dev = user(&org, "member", "dev", "Dev", "Eloper", ago(250));
    let ci = application(&org, "ci-runner", "Deploys from CI", ago(180));
    let backup = application(
        &org,
        "backup-agent",
        "Nightly Object Storage backups",
        ago(90),
    );
    let (admin_id, dev_id, ci_id, backup_id) = (
        admin.id.clone(),
        dev.id.clone(),
        ci.id.clone(),
        backup.id.clone(),
    );
    state.users = vec![admin, dev];
    state.applications = vec![ci, backup];

    let admin_secret = uuid();
    let admin_key = key(
        state,
        &admin_secret,
        Bearer::User(admin_id.clone()),
        "Keyrack sandbox admin",
        ago(400),
        None,
        &org,
    );
    state.admin = Admin {
        access_key: admin_key.access_key.clone(),
        secret_key: admin_secret,
        user_id: admin_id.clone(),
        application_id: ci_id.clone(),
    };
    state.api_keys.push(admin_key);
    if opts.empty {
        return;
    }

    let user_key = |id: &str| Bearer::User(id.to_string());
    let app_key = |id: &str| Bearer::Application(id.to_string());
    let demo = [
        (
            user_key(&admin_id),
            "laptop",
            ago(60),
            Some(now + Duration::days(3)),
            &org,
        ),
        (user_key(&admin_id), "terraform", ago(45), None, &org),
        (
            user_key(&dev_id),
            "dev-local",
            ago(30),
            Some(now + Duration::days(90)),
            &staging,
        ),
        (
            user_key(&dev_id),
            "old-import-script",
            ago(120),
            Some(ago(10)),
            &org,
        ),
        (app_key(&ci_id), "ci-deploy", ago(20), None, &staging),
        (
            app_key(&backup_id),
            "Managed by Object Storage lifecycle",
            ago(15),
            None,
            &org,
        ),
    ];
    for (bearer, description, created, expires, project) in demo {
        let managed = description.starts_with("Managed");
        let mut k = key(
            state,
            &uuid(),
            bearer,
            description,
            created,
            expires,
            project,
        );
        k.managed = managed;
        k.editable = !managed;
        k.deletable = !managed;
        state.api_keys.push(k);
    }

    let bearers = [
        user_key(&admin_id),
        user_key(&dev_id),
        app_key(&ci_id),
        app_key(&backup_id),
    ];
    for i in 0..opts.extra_keys {
        let bearer = bearers[i % bearers.len()].clone();
        let created = ago(400) + Duration::minutes(i as i64 + 1);
        let description = format!("load-test-{i}");
        let k = key(state, &uuid(), bearer, &description, created, None, &org);
        state.api_keys.push(k);
    }
}

fn key(
    state: &State,
    secret: &str,
    bearer: Bearer,
    description: &str,
    created_at: DateTime<Utc>,
    expires_at: Option<DateTime<Utc>>,
    project: &str,
) -> ApiKey {
    ApiKey {
        access_key: state.new_access_key(),
        secret_sha256: hash_secret(secret),
        bearer,
        description: description.to_string(),
        created_at,
        updated_at: created_at,
        expires_at,
        default_project_id: project.to_string(),
        editable: true,
        deletable: true,
        managed: false,
        creation_ip: "203.0.113.17".to_string(),
    }
}

fn user(
    org: &str,
    user_type: &str,
    username: &str,
    first_name: &str,
    last_name: &str,
    created_at: DateTime<Utc>,
) -> User {
    let owner = user_type == "owner";
    User {
        id: uuid(),
        email: format!("{username}@keyrack.example"),
        username: username.to_string(),
        first_name: first_name.to_string(),
        last_name: last_name.to_string(),
        phone_number: String::new(),
        locale: "en_US".to_string(),
        created_at,
        updated_at: created_at,
        organization_id: org.to_string(),
        deletable: !owner,
        last_login_at: Some(created_at + Duration::days(1)),
        user_type: user_type.to_string(),
        mfa: owner,
        tags: Vec::new(),
        locked: false,
    }
}

fn application(org: &str, name: &str, description: &str, created_at: DateTime<Utc>) -> Application {
    Application {
        id: uuid(),
        name: name.to_string(),
        description: description.to_string(),
        created_at,
        updated_at: created_at,
        organization_id: org.to_string(),
        editable: true,
        deletable: true,
        managed: false,
        tags: Vec::new(),
    }
}

fn project(
    id: &str,
    org: &str,
    name: &str,
    description: &str,
    created_at: DateTime<Utc>,
) -> Project {
    Project {
        id: id.to_string(),
        name: name.to_string(),
        description: description.to_string(),
        organization_id: org.to_string(),
        created_at,
        updated_at: created_at,
    }
}
