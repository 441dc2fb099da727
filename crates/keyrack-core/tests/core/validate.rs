//! `validate::new_key` / `validate::key_update`: every rule names the right field, and valid
//! requests pass. Uses the real capabilities of IBM, Scaleway and Codefresh, plus a key-pair
//! vendor built from them for the key-size rules.

use chrono::{DateTime, Duration, TimeZone, Utc};
use keyrack_core::validate::{key_update, new_key};
use keyrack_core::vendor::{Capabilities, SecretSource};
use keyrack_core::vendors::{codefresh, ibm, scaleway};
use keyrack_core::{Error, KeyUpdate, NewKey, OwnerKind, OwnerRef};

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 6, 1, 12, 0, 0).unwrap()
}

/// The field a validation error names; panics on success or on another error.
fn field(result: keyrack_core::Result<()>) -> String {
    match result {
        Err(Error::Validation { field, .. }) => field,
        other => panic!("expected a validation error, got {other:?}"),
    }
}

fn message(result: keyrack_core::Result<()>) -> String {
    result.unwrap_err().to_string()
}

fn ibm_key(name: &str) -> NewKey {
    NewKey {
        name: Some(name.into()),
        ..Default::default()
    }
}

fn scw_key() -> NewKey {
    NewKey {
        description: Some("ci".into()),
        owner: Some(OwnerRef {
            kind: OwnerKind::Application,
            id: "f46e8a03-0000-404d-b32e-de49bf92e066".into(),
        }),
        ..Default::default()
    }
}

fn cf_key(scopes: &[&str]) -> NewKey {
    NewKey {
        name: Some("desktop".into()),
        scopes: scopes.iter().map(|s| s.to_string()).collect(),
        ..Default::default()
    }
}

/// A vendor whose keys are local RSA pairs, for the key-size and upload rules.
fn key_pair_vendor() -> Capabilities {
    Capabilities {
        secret_source: SecretSource::LocalKeyPair,
        upload_public_key: true,
        ..ibm::capabilities()
    }
}

#[test]
fn valid_requests_pass() {
    let full_ibm = NewKey {
        description: Some("nightly pipeline".into()),
        expires_at: Some(now() + Duration::days(30)),
        owner: Some(OwnerRef {
            kind: OwnerKind::ServiceId,
            id: "iam-ServiceId-1".into(),
        }),
        locked: true,
        disabled: true,
        action_when_leaked: Some("disable".into()),
        ..ibm_key("ci-deploy")
    };
    new_key(&ibm::capabilities(), &full_ibm, now()).unwrap();
    new_key(&scaleway::capabilities(), &scw_key(), now()).unwrap();
    let with_project = NewKey {
        project_id: Some("3f7a1c52-9d0e-4b6a-8c21-5e4f3a2b1c0d".into()),
        expires_at: Some(now() + Duration::minutes(1)),
        ..scw_key()
    };
    new_key(&scaleway::capabilities(), &with_project, now()).unwrap();
    new_key(
        &codefresh::capabilities(),
        &cf_key(&["pipeline", "build"]),
        now(),
    )
    .unwrap();
}

#[test]
fn a_required_name_must_be_present_and_not_blank() {
    let caps = ibm::capabilities();
    let none = NewKey::default();
    assert_eq!(field(new_key(&caps, &none, now())), "name");
    assert!(message(new_key(&caps, &none, now())).contains("required"));
    assert_eq!(field(new_key(&caps, &ibm_key(""), now())), "name");
    assert_eq!(field(new_key(&caps, &ibm_key("   "), now())), "name");
}

#[test]
fn over_long_text_is_refused_at_the_limit_plus_one() {
    let caps = ibm::capabilities();
    new_key(&caps, &ibm_key(&"n".repeat(ibm::NAME_MAX)), now()).unwrap();
    let long = ibm_key(&"n".repeat(ibm::NAME_MAX + 1));
    assert_eq!(field(new_key(&caps, &long, now())), "name");
    assert!(message(new_key(&caps, &long, now())).contains(&ibm::NAME_MAX.to_string()));

    // Characters, not bytes: 200 two-byte characters fit Scaleway's 200.
    let caps = scaleway::capabilities();
    let wide = NewKey {
        description: Some("é".repeat(scaleway::DESCRIPTION_MAX)),
        ..scw_key()
    };
    new_key(&caps, &wide, now()).unwrap();
    let too_wide = NewKey {
        description: Some("é".repeat(scaleway::DESCRIPTION_MAX + 1)),
        ..scw_key()
    };
    assert_eq!(field(new_key(&caps, &too_wide, now())), "description");
}

#[test]
fn control_characters_are_refused() {
    let caps = ibm::capabilities();
    for bad in ["a\nb", "tab\there", "bell\u{7}", "nul\0"] {
        assert_eq!(
            field(new_key(&caps, &ibm_key(bad), now())),
            "name",
            "{bad:?}"
        );
    }
    let desc = NewKey {
        description: Some("line\r\nbreak".into()),
        ..ibm_key("ok")
    };
    assert_eq!(field(new_key(&caps, &desc, now())), "description");
    new_key(&caps, &ibm_key("ünïcödé — fine"), now()).unwrap();
}

#[test]
fn fields_a_vendor_lacks_are_refused() {
    let named = NewKey {
        name: Some("x".into()),
        ..scw_key()
    };
    assert_eq!(
        field(new_key(&scaleway::capabilities(), &named, now())),
        "name"
    );
    let described = NewKey {
        description: Some("x".into()),
        ..cf_key(&["view"])
    };
    assert_eq!(
        field(new_key(&codefresh::capabilities(), &described, now())),
        "description"
    );
    let expiring = NewKey {
        expires_at: Some(now() + Duration::days(1)),
        ..cf_key(&["view"])
    };
    assert_eq!(
        field(new_key(&codefresh::capabilities(), &expiring, now())),
        "expires_at"
    );
    let with_project = NewKey {
        project_id: Some("p".into()),
        ..ibm_key("x")
    };
    assert_eq!(
        field(new_key(&ibm::capabilities(), &with_project, now())),
        "project_id"
    );
    let locked = NewKey {
        locked: true,
        ..scw_key()
    };
    assert_eq!(
        field(new_key(&scaleway::capabilities(), &locked, now())),
        "locked"
    );
    let disabled = NewKey {
        disabled: true,
        ..cf_key(&["view"])
    };
    assert_eq!(
        field(new_key(&codefresh::capabilities(), &disabled, now())),
        "disabled"
    );
}

#[test]
fn expiry_must_be_in_the_future() {
    let caps = ibm::capabilities();
    let past = NewKey {
        expires_at: Some(now() - Duration::seconds(1)),
        ..ibm_key("x")
    };
    assert_eq!(field(new_key(&caps, &past, now())), "expires_at");
    assert!(message(new_key(&caps, &past, now())).contains("past"));
    let exactly_now = NewKey {
        expires_at: Some(now()),
        ..ibm_key("x")
    };
    assert_eq!(field(new_key(&caps, &exactly_now, now())), "expires_at");
}

#[test]
fn scopes_must_be_known() {
    let caps = codefresh::capabilities();
    let unknown = cf_key(&["pipeline", "launch-missiles"]);
    assert_eq!(field(new_key(&caps, &unknown, now())), "scopes");
    assert!(message(new_key(&caps, &unknown, now())).contains("launch-missiles"));
    let on_ibm = NewKey {
        scopes: vec!["pipeline".into()],
        ..ibm_key("x")
    };
    assert_eq!(
        field(new_key(&ibm::capabilities(), &on_ibm, now())),
        "scopes"
    );
}

#[test]
fn owners_must_be_of_an_allowed_kind_and_present_when_required() {
    let caps = scaleway::capabilities();
    let missing = NewKey {
        owner: None,
        ..scw_key()
    };
    assert_eq!(field(new_key(&caps, &missing, now())), "owner");
    assert!(message(new_key(&caps, &missing, now())).contains("user or application"));
    let service_id = NewKey {
        owner: Some(OwnerRef {
            kind: OwnerKind::ServiceId,
            id: "iam-ServiceId-1".into(),
        }),
        ..scw_key()
    };
    assert_eq!(field(new_key(&caps, &service_id, now())), "owner");
    let blank = NewKey {
        owner: Some(OwnerRef {
            kind: OwnerKind::User,
            id: " ".into(),
        }),
        ..scw_key()
    };
    assert_eq!(field(new_key(&caps, &blank, now())), "owner");

    // IBM's owner is optional: the account's own identity.
    new_key(&ibm::capabilities(), &ibm_key("x"), now()).unwrap();
    let app = NewKey {
        owner: Some(OwnerRef {
            kind: OwnerKind::Application,
            id: "a".into(),
        }),
        ..ibm_key("x")
    };
    assert_eq!(field(new_key(&ibm::capabilities(), &app, now())), "owner");
    // Codefresh keys belong to the caller or a service user, never to an application.
    let owned = |kind| NewKey {
        owner: Some(OwnerRef {
            kind,
            id: "u".into(),
        }),
        ..cf_key(&["view"])
    };
    let caps = codefresh::capabilities();
    new_key(&caps, &owned(OwnerKind::ServiceAccount), now()).unwrap();
    new_key(&caps, &owned(OwnerKind::User), now()).unwrap();
    assert_eq!(
        field(new_key(&caps, &owned(OwnerKind::Application), now())),
        "owner"
    );
}

#[test]
fn leak_actions_are_the_documented_three() {
    let caps = ibm::capabilities();
    for ok in ["none", "disable", "delete"] {
        let spec = NewKey {
            action_when_leaked: Some(ok.into()),
            ..ibm_key("x")
        };
        new_key(&caps, &spec, now()).unwrap();
    }
    let bad = NewKey {
        action_when_leaked: Some("panic".into()),
        ..ibm_key("x")
    };
    assert_eq!(field(new_key(&caps, &bad, now())), "action_when_leaked");
    let elsewhere = NewKey {
        action_when_leaked: Some("none".into()),
        ..cf_key(&["view"])
    };
    assert_eq!(
        field(new_key(&codefresh::capabilities(), &elsewhere, now())),
        "action_when_leaked"
    );
}

#[test]
fn key_bits_range_and_key_pair_fields() {
    let caps = key_pair_vendor();
    for ok in [2048, 3072, 4096, 8192] {
        let spec = NewKey {
            key_bits: Some(ok),
            ..ibm_key("x")
        };
        new_key(&caps, &spec, now()).unwrap();
    }
    for bad in [0, 1024, 2047, 8193, 16384] {
        let spec = NewKey {
            key_bits: Some(bad),
            ..ibm_key("x")
        };
        assert_eq!(field(new_key(&caps, &spec, now())), "key_bits", "{bad}");
    }
    let server_issued = NewKey {
        key_bits: Some(2048),
        ..ibm_key("x")
    };
    assert_eq!(
        field(new_key(&ibm::capabilities(), &server_issued, now())),
        "key_bits"
    );
    let upload = NewKey {
        public_key_pem: Some("-----BEGIN PUBLIC KEY-----".into()),
        ..ibm_key("x")
    };
    new_key(&caps, &upload, now()).unwrap();
    assert_eq!(
        field(new_key(&ibm::capabilities(), &upload, now())),
        "public_key_pem"
    );
}

#[test]
fn updates_follow_what_each_vendor_can_change() {
    let ibm = ibm::capabilities();
    key_update(&ibm, &KeyUpdate::default()).unwrap();
    let rename = KeyUpdate {
        name: Some("new".into()),
        ..Default::default()
    };
    key_update(&ibm, &rename).unwrap();
    let blank = KeyUpdate {
        name: Some("  ".into()),
        ..Default::default()
    };
    assert_eq!(field(key_update(&ibm, &blank)), "name");
    let long = KeyUpdate {
        name: Some("n".repeat(ibm::NAME_MAX + 1)),
        ..Default::default()
    };
    assert_eq!(field(key_update(&ibm, &long)), "name");
    // An empty description clears it.
    let clear = KeyUpdate {
        description: Some(String::new()),
        ..Default::default()
    };
    key_update(&ibm, &clear).unwrap();
    let scopes = KeyUpdate {
        scopes: Some(vec!["view".into()]),
        ..Default::default()
    };
    assert_eq!(field(key_update(&ibm, &scopes)), "scopes");
    let project = KeyUpdate {
        project_id: Some("p".into()),
        ..Default::default()
    };
    assert_eq!(field(key_update(&ibm, &project)), "project_id");

    let scw = scaleway::capabilities();
    assert_eq!(field(key_update(&scw, &rename)), "name");
    key_update(&scw, &project).unwrap();
    key_update(&scw, &clear).unwrap();

    let cf = codefresh::capabilities();
    key_update(&cf, &rename).unwrap();
    key_update(&cf, &scopes).unwrap();
    let unknown = KeyUpdate {
        scopes: Some(vec!["nope".into()]),
        ..Default::default()
    };
    assert_eq!(field(key_update(&cf, &unknown)), "scopes");
    assert_eq!(field(key_update(&cf, &clear)), "description");
}

// ---- permissions, expiry edits, leak action, support sessions ------------------------------

/// A vendor whose keys carry permissions and whose keys' expiry and leak action can change.
fn permissive() -> Capabilities {
    use keyrack_core::vendor::{PermissionResource, PermissionsSpec};
    use keyrack_core::PermissionLevel::{None as No, Read, Write};
    Capabilities {
        permissions: Some(PermissionsSpec {
            resources: vec![
                PermissionResource {
                    id: "models".into(),
                    label: "Models".into(),
                    levels: vec![No, Read],
                },
                PermissionResource {
                    id: "files".into(),
                    label: "Files".into(),
                    levels: vec![No, Read, Write],
                },
            ],
        }),
        update_permissions: true,
        update_expiry: true,
        update_leak_action: true,
        support_sessions: true,
        leak_actions: vec!["none".into(), "disable".into()],
        ..ibm::capabilities()
    }
}

fn restricted(levels: &[(&str, keyrack_core::PermissionLevel)]) -> keyrack_core::Permissions {
    keyrack_core::Permissions {
        mode: keyrack_core::PermissionMode::Restricted,
        resources: levels.iter().map(|(k, l)| (k.to_string(), *l)).collect(),
    }
}

#[test]
fn permissions_follow_the_vendors_resources_and_levels() {
    use keyrack_core::PermissionLevel::{None as No, Read, Write};
    let caps = permissive();
    let with = |p| NewKey {
        permissions: Some(p),
        ..ibm_key("ci")
    };
    assert!(new_key(
        &caps,
        &with(restricted(&[("files", Write), ("models", Read)])),
        now()
    )
    .is_ok());
    let read_only = keyrack_core::Permissions {
        mode: keyrack_core::PermissionMode::ReadOnly,
        resources: Default::default(),
    };
    assert!(new_key(&caps, &with(read_only), now()).is_ok());
    assert!(message(new_key(
        &caps,
        &with(restricted(&[("models", Write)])),
        now()
    ))
    .contains("Models cannot be given Write"));
    assert!(
        message(new_key(&caps, &with(restricted(&[("audio", Read)])), now()))
            .contains("unknown resource `audio`")
    );
    assert!(
        message(new_key(&caps, &with(restricted(&[("files", No)])), now()))
            .contains("at least one resource")
    );
    // A vendor without permissions refuses them.
    assert_eq!(
        field(new_key(
            &ibm::capabilities(),
            &with(restricted(&[("files", Read)])),
            now()
        )),
        "permissions"
    );
}

#[test]
fn expiry_leak_action_and_support_session_edits_need_the_capability() {
    let caps = permissive();
    let later = Utc::now() + Duration::days(30);
    let ok = KeyUpdate {
        expires_at: Some(later),
        action_when_leaked: Some("disable".into()),
        support_sessions: Some(true),
        ..Default::default()
    };
    assert!(key_update(&caps, &ok).is_ok());
    let both = KeyUpdate {
        expires_at: Some(later),
        clear_expiry: true,
        ..Default::default()
    };
    assert_eq!(field(key_update(&caps, &both)), "expires_at");
    let past = KeyUpdate {
        expires_at: Some(Utc::now() - Duration::days(1)),
        ..Default::default()
    };
    assert!(message(key_update(&caps, &past)).contains("in the past"));
    let unknown_action = KeyUpdate {
        action_when_leaked: Some("delete".into()),
        ..Default::default()
    };
    assert_eq!(
        field(key_update(&caps, &unknown_action)),
        "action_when_leaked"
    );
    // Codefresh keys have no expiry, leak action or support sessions to change.
    let cf = codefresh::capabilities();
    assert_eq!(field(key_update(&cf, &ok)), "expires_at");
    let sessions = KeyUpdate {
        support_sessions: Some(false),
        ..Default::default()
    };
    assert_eq!(field(key_update(&cf, &sessions)), "support_sessions");
    let on_create = NewKey {
        support_sessions: true,
        ..ibm_key("ci")
    };
    assert!(new_key(&caps, &on_create, now()).is_ok());
    assert_eq!(field(new_key(&cf, &on_create, now())), "support_sessions");
}
