//! The seeded IBM account: an admin user with a working API key, a colleague, two service IDs,
//! demo keys that make the sandbox look lived-in, and any extra keys for load tests.

use chrono::{Duration, Utc};

use super::apikeys::new_key_value;
use super::model::{entity_tag, ApiKey, Identity, IdentityKind, State};
use crate::state::SeedOptions;
use crate::util::{random_hex, random_upper_alnum, uuid};

/// Extra load-test keys are spread over service IDs holding this many each, staying well under
/// the per-identity limit the way a real account's keys would.
const EXTRA_KEYS_PER_SERVICE_ID: usize = 10;

pub fn seed(state: &mut State, opts: &SeedOptions) {
    *state = State {
        account_id: random_hex(32),
        signing_key: random_hex(64),
        ..State::default()
    };
    let admin = add_user(state, "Sandbox Admin");
    let colleague = add_user(state, "Dana Okafor");
    let ci = add_service_id(state, "ci-pipeline");
    let billing = add_service_id(state, "billing-exporter");

    let admin_key = add_key(state, &admin, "keyrack-sandbox-admin", Duration::days(180));
    admin_key.description = Some("Admin key of the Keyrack sandbox".into());
    state.admin_iam_id = admin.clone();
    state.admin_api_key = state.keys[0].apikey.clone();

    if !opts.empty {
        seed_demo_keys(state, &admin, &colleague, &ci, &billing);
    }
    seed_extra_keys(state, opts.extra_keys);
    // Oldest first, as the list's default order shows them.
    state.keys.sort_by_key(|k| k.created_at);
}

/// Keys that make the sandbox look lived-in: one locked, one disabled, one expiring within
/// days, one expired, spread over users and service IDs.
fn seed_demo_keys(state: &mut State, admin: &str, colleague: &str, ci: &str, billing: &str) {
    let now = Utc::now();

    let k = add_key(state, admin, "laptop-cli", Duration::days(120));
    k.description = Some("ibmcloud CLI on my laptop".into());
    k.action_when_leaked = Some("disable".into());
    k.support_sessions = Some(true);

    let k = add_key(state, admin, "terraform-prod", Duration::days(60));
    k.description = Some("Terraform state for production".into());
    k.locked = true;

    let k = add_key(state, ci, "ci-deploy", Duration::days(30));
    k.description = Some("Deploys from the main branch".into());
    k.expires_at = Some(now + Duration::days(3));
    k.store_value = true;

    let k = add_key(state, ci, "ci-nightly", Duration::days(10));
    k.description = Some("Nightly integration tests".into());
    k.action_when_leaked = Some("delete".into());

    let k = add_key(state, billing, "billing-export-old", Duration::days(200));
    k.disabled = true;

    let k = add_key(state, colleague, "dana-notebook", Duration::days(95));
    k.expires_at = Some(now - Duration::days(5));
}

/// Load-test keys (`--seed-keys`), on service IDs of their own.
fn seed_extra_keys(state: &mut State, count: usize) {
    let mut owner = String::new();
    for n in 0..count {
        if n % EXTRA_KEYS_PER_SERVICE_ID == 0 {
            let group = n / EXTRA_KEYS_PER_SERVICE_ID + 1;
            owner = add_service_id(state, &format!("load-test-{group:04}"));
        }
        add_key(
            state,
            &owner,
            &format!("load-key-{:05}", n + 1),
            Duration::minutes(n as i64 % 1440),
        );
    }
    // Oldest first, as the list's default order shows them.
    state.keys.sort_by_key(|k| k.created_at);
}

fn add_user(state: &mut State, name: &str) -> String {
    let iam_id = format!("IBMid-{}", random_upper_alnum(10));
    let ims_user_id = 1_000_000 + rand::random::<u64>() % 9_000_000;
    state.identities.push(Identity {
        iam_id: iam_id.clone(),
        kind: IdentityKind::User,
        name: name.into(),
        account_id: state.account_id.clone(),
        ims_user_id: Some(ims_user_id),
        created_at: None,
    });
    iam_id
}

fn add_service_id(state: &mut State, name: &str) -> String {
    let iam_id = format!("iam-ServiceId-{}", uuid());
    state.identities.push(Identity {
        iam_id: iam_id.clone(),
        kind: IdentityKind::ServiceId,
        name: name.into(),
        account_id: state.account_id.clone(),
        ims_user_id: None,
        created_at: Some(Utc::now() - Duration::days(400)),
    });
    iam_id
}

/// A key created `age` ago by its owner (service-ID keys by the admin).
fn add_key<'a>(state: &'a mut State, owner: &str, name: &str, age: Duration) -> &'a mut ApiKey {
    let created_at = Utc::now() - age;
    let is_user = owner.starts_with("IBMid-");
    let creator = if is_user || state.admin_iam_id.is_empty() {
        owner.to_owned()
    } else {
        state.admin_iam_id.clone()
    };
    let mut key = ApiKey {
        id: format!("ApiKey-{}", uuid()),
        version: 0,
        entity_tag: entity_tag(0),
        account_id: state.account_id.clone(),
        iam_id: owner.to_owned(),
        name: name.to_owned(),
        description: None,
        apikey: new_key_value(),
        store_value: false,
        locked: false,
        disabled: false,
        support_sessions: is_user.then_some(false),
        action_when_leaked: None,
        expires_at: None,
        created_at,
        created_by: creator.clone(),
        modified_at: created_at,
        history: Vec::new(),
        authn_count: 0,
        last_authn: None,
    };
    let account = state.account_id.clone();
    key.touch(&creator, &account, "create", Vec::new());
    key.modified_at = created_at;
    if let Some(h) = key.history.last_mut() {
        h.timestamp = created_at;
    }
    state.keys.push(key);
    state.keys.last_mut().expect("just pushed")
}
