//! Every download format's exact content, and the OCI config append.

use chrono::TimeZone;
use keyrack_core::export::{self, ExportFormat, ExportInput};
use keyrack_core::test_support::key_record;
use keyrack_core::vendors::codefresh::CodefreshExtra;
use keyrack_core::vendors::ibm::IbmExtra;
use keyrack_core::vendors::oci::OciExtra;
use keyrack_core::vendors::openai::OpenaiExtra;
use keyrack_core::vendors::scaleway::ScalewayExtra;
use keyrack_core::{Account, AccountSettings, KeyRecord, Sensitive, VendorExtra, VendorId};

fn account(vendor: VendorId, settings: AccountSettings) -> Account {
    Account {
        id: "acc-1".into(),
        name: "prod".into(),
        vendor,
        sandbox: false,
        settings,
    }
}

fn record(vendor: VendorId, id: &str, name: Option<&str>, extra: VendorExtra) -> KeyRecord {
    assert_eq!(extra.vendor(), vendor);
    KeyRecord {
        name: name.map(str::to_string),
        description: Some("used by the nightly pipeline".into()),
        created_at: Some(chrono::Utc.with_ymd_and_hms(2025, 3, 4, 9, 15, 12).unwrap()),
        ..key_record(id, extra)
    }
}

fn render(
    format: &str,
    r: &KeyRecord,
    a: &Account,
    secret: &str,
    key_file: Option<&std::path::Path>,
) -> String {
    let secret = Sensitive::from(secret);
    let input = ExportInput {
        record: r,
        secret: &secret,
        account: a,
        key_file,
        profile: None,
    };
    export::render(&ExportFormat::from(format), &input)
        .unwrap()
        .expose()
        .clone()
}

fn ibm_extra() -> VendorExtra {
    VendorExtra::Ibm(IbmExtra {
        crn: None,
        entity_tag: None,
        iam_id: None,
        account_id: None,
        action_when_leaked: None,
        support_sessions: None,
        modified_at: None,
    })
}

#[test]
fn ibm_apikey_json_matches_the_cli_file() {
    let a = account(VendorId::Ibm, AccountSettings::default());
    let r = record(VendorId::Ibm, "ApiKey-1", Some("ci-deploy"), ibm_extra());
    let out = render("ibm_apikey_json", &r, &a, "Xk3vR9qLm2Pz", None);
    assert_eq!(
        out,
        "{\n  \"name\": \"ci-deploy\",\n  \"description\": \"used by the nightly pipeline\",\n  \"createdAt\": \"2025-03-04T09:15+0000\",\n  \"apikey\": \"Xk3vR9qLm2Pz\"\n}\n"
    );
}

#[test]
fn ibm_credentials_env_points_sdks_at_a_custom_token_server() {
    let real = account(VendorId::Ibm, AccountSettings::default());
    let r = record(VendorId::Ibm, "ApiKey-1", Some("ci"), ibm_extra());
    assert_eq!(
        render("ibm_credentials_env", &r, &real, "K", None),
        "IAM_IDENTITY_AUTH_TYPE=iam\nIAM_IDENTITY_APIKEY=K\nIAM_IDENTITY_URL=https://iam.cloud.ibm.com\n"
    );
    let sandbox = account(
        VendorId::Ibm,
        AccountSettings {
            base_url: Some("http://127.0.0.1:9".into()),
            iam_url: Some("http://127.0.0.1:9".into()),
            ..Default::default()
        },
    );
    assert_eq!(
        render("ibm_credentials_env", &r, &sandbox, "K", None),
        "IAM_IDENTITY_AUTH_TYPE=iam\nIAM_IDENTITY_APIKEY=K\nIAM_IDENTITY_URL=http://127.0.0.1:9\nIAM_IDENTITY_AUTH_URL=http://127.0.0.1:9\n"
    );
    assert_eq!(
        render("env", &r, &real, "K", None),
        "# IBM Cloud API key \"ci\" — written by Keyrack\nIBMCLOUD_API_KEY=K\nIC_API_KEY=K\n"
    );
}

#[test]
fn scaleway_config_yaml_is_an_active_named_profile() {
    let a = account(
        VendorId::Scaleway,
        AccountSettings {
            organization_id: Some("3f7a1c52-9d0e-4b6a-8c21-5e4f3a2b1c0d".into()),
            region: Some("fr-par".into()),
            ..Default::default()
        },
    );
    let mut r = record(
        VendorId::Scaleway,
        "SCWVVH9TE299J4XZE91E",
        None,
        VendorExtra::Scaleway(ScalewayExtra {
            default_project_id: Some("0d9c8b7a-6f5e-4d3c-2b1a-0f9e8d7c6b5a".into()),
            editable: None,
            deletable: None,
            managed: None,
            creation_ip: None,
            updated_at: None,
        }),
    );
    r.description = Some("ci runner".into());
    let out = render(
        "scaleway_config_yaml",
        &r,
        &a,
        "6b1e2f0a-3c4d-4e5f-8a9b-0c1d2e3f4a5b",
        None,
    );
    assert_eq!(
        out,
        "# Scaleway CLI / SDK configuration written by Keyrack.\n\
         # Use it as ~/.config/scw/config.yaml, or merge the profile into yours.\n\
         active_profile: ci-runner\n\
         profiles:\n  ci-runner:\n    access_key: SCWVVH9TE299J4XZE91E\n\
         \x20   secret_key: 6b1e2f0a-3c4d-4e5f-8a9b-0c1d2e3f4a5b\n\
         \x20   default_organization_id: 3f7a1c52-9d0e-4b6a-8c21-5e4f3a2b1c0d\n\
         \x20   default_project_id: 0d9c8b7a-6f5e-4d3c-2b1a-0f9e8d7c6b5a\n\
         \x20   default_region: fr-par\n    default_zone: fr-par-1\n"
    );
    let env = render("env", &r, &a, "6b1e", None);
    assert!(
        env.contains("SCW_ACCESS_KEY=SCWVVH9TE299J4XZE91E\nSCW_SECRET_KEY=6b1e\n"),
        "{env}"
    );
    assert!(
        env.contains("SCW_DEFAULT_PROJECT_ID=0d9c8b7a-6f5e-4d3c-2b1a-0f9e8d7c6b5a\n"),
        "{env}"
    );
    assert!(
        !env.contains("SCW_API_URL"),
        "default endpoint needs no api url: {env}"
    );
}

#[test]
fn oci_pem_ends_with_the_label_and_the_stanza_points_at_it() {
    let a = account(
        VendorId::Oci,
        AccountSettings {
            tenancy: Some("ocid1.tenancy.oc1..t".into()),
            user: Some("ocid1.user.oc1..admin".into()),
            region: Some("us-ashburn-1".into()),
            ..Default::default()
        },
    );
    let r = record(
        VendorId::Oci,
        "9f:86:d0:81:88:4c:7d:65:9a:2f:ea:a0:c5:5a:d0:15",
        None,
        VendorExtra::Oci(OciExtra {
            user_id: "ocid1.user.oc1..ci".into(),
            lifecycle_state: "ACTIVE".into(),
            inactive_status: None,
        }),
    );
    let pem = "-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----\n";
    assert_eq!(
        render("oci_private_key_pem", &r, &a, pem, None),
        "-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----\nOCI_API_KEY"
    );
    let key_file = std::path::Path::new("/home/u/.oci/ci.pem");
    let secret = Sensitive::from(pem);
    let input = ExportInput {
        record: &r,
        secret: &secret,
        account: &a,
        key_file: Some(key_file),
        profile: Some("CI"),
    };
    assert_eq!(
        export::render(&ExportFormat::from("oci_config_stanza"), &input).unwrap().expose(),
        "[CI]\nuser=ocid1.user.oc1..ci\nfingerprint=9f:86:d0:81:88:4c:7d:65:9a:2f:ea:a0:c5:5a:d0:15\ntenancy=ocid1.tenancy.oc1..t\nregion=us-ashburn-1\nkey_file=/home/u/.oci/ci.pem\n"
    );
    let env = render("env", &r, &a, pem, Some(key_file));
    assert!(env.contains("OCI_user_ocid=ocid1.user.oc1..ci\n"), "{env}");
    assert!(
        env.contains("OCI_private_key_path=/home/u/.oci/ci.pem\n"),
        "{env}"
    );
    assert!(
        !env.contains("BEGIN"),
        "the .env must not inline the key: {env}"
    );
}

#[test]
fn openai_env_names_the_project() {
    let a = account(
        VendorId::Openai,
        AccountSettings {
            organization_id: Some("org-1".into()),
            ..Default::default()
        },
    );
    let r = record(
        VendorId::Openai,
        "key_abc",
        Some("bot"),
        VendorExtra::Openai(OpenaiExtra {
            project_id: "proj_1".into(),
            project_name: None,
        }),
    );
    assert_eq!(
        render("env", &r, &a, "sk-svcacct-FAKE", None),
        "# OpenAI API key \"bot\" — written by Keyrack\nOPENAI_API_KEY=sk-svcacct-FAKE\nOPENAI_PROJECT_ID=proj_1\nOPENAI_ORG_ID=org-1\n"
    );
}

#[test]
fn openai_admin_key_env_is_openai_admin_key_without_a_project() {
    let a = account(VendorId::Openai, AccountSettings::default());
    let r = record(
        VendorId::Openai,
        "admin/key_abc",
        Some("ops"),
        VendorExtra::Openai(OpenaiExtra {
            project_id: String::new(),
            project_name: None,
        }),
    );
    let env = render("env", &r, &a, "sk-admin-FAKE", None);
    assert!(env.contains("\nOPENAI_ADMIN_KEY=sk-admin-FAKE\n"), "{env}");
    assert!(
        !env.contains("OPENAI_API_KEY") && !env.contains("OPENAI_PROJECT_ID"),
        "{env}"
    );
}

#[test]
fn codefresh_cfconfig_is_a_current_api_key_context() {
    let a = account(
        VendorId::Codefresh,
        AccountSettings {
            base_url: Some("http://127.0.0.1:5/api".into()),
            ..Default::default()
        },
    );
    let r = record(
        VendorId::Codefresh,
        "64b7f0c2e4b0a1c2d3e4f5a6",
        Some("desktop app"),
        VendorExtra::Codefresh(CodefreshExtra {
            token_prefix: None,
            subject_type: None,
            subject_ref: None,
        }),
    );
    assert_eq!(
        render("codefresh_cfconfig", &r, &a, "64b7.0c1d", None),
        "contexts:\n  desktop-app:\n    type: APIKey\n    name: desktop-app\n    url: http://127.0.0.1:5\n    token: 64b7.0c1d\n    beta: false\n    onPrem: false\ncurrent-context: desktop-app\n"
    );
    let env = render("env", &r, &a, "64b7.0c1d", None);
    assert!(env.ends_with("CODEFRESH_API_KEY=64b7.0c1d\nCODEFRESH_API_URL=http://127.0.0.1:5/api\nCF_API_KEY=64b7.0c1d\nCF_URL=http://127.0.0.1:5\n"), "{env}");
}

#[test]
fn json_record_holds_the_secret_and_the_metadata() {
    let a = account(VendorId::Ibm, AccountSettings::default());
    let r = record(VendorId::Ibm, "ApiKey-1", Some("ci"), ibm_extra());
    let out = render("json", &r, &a, "S3CRET", None);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["vendor"], "ibm");
    assert_eq!(v["account"], "prod");
    assert_eq!(v["id"], "ApiKey-1");
    assert_eq!(v["secret"], "S3CRET");
    assert_eq!(v["created_at"], "2025-03-04T09:15:12Z");
}

#[test]
fn env_values_with_special_characters_are_quoted() {
    let a = account(VendorId::Ibm, AccountSettings::default());
    let r = record(VendorId::Ibm, "ApiKey-1", Some("ci"), ibm_extra());
    let out = render("env", &r, &a, "a b'c", None);
    assert!(out.contains("IBMCLOUD_API_KEY='a b'\\''c'\n"), "{out}");
}

#[test]
fn a_format_of_another_vendor_is_refused() {
    let a = account(VendorId::Ibm, AccountSettings::default());
    let r = record(VendorId::Ibm, "ApiKey-1", Some("ci"), ibm_extra());
    let secret = Sensitive::from("x");
    let input = ExportInput {
        record: &r,
        secret: &secret,
        account: &a,
        key_file: None,
        profile: None,
    };
    let err = export::render(&ExportFormat::from("codefresh_cfconfig"), &input).unwrap_err();
    assert_eq!(err.code(), keyrack_core::Code::Validation);
}

#[test]
fn every_vendor_offers_native_env_and_json() {
    for v in keyrack_core::vendors::ids() {
        let f = export::formats(v);
        assert!(f.iter().any(|i| i.native), "{v}");
        assert!(f.iter().any(|i| i.format.as_str() == "env"), "{v}");
        assert!(f.iter().any(|i| i.format.as_str() == "json"), "{v}");
    }
}

#[test]
fn append_oci_profile_keeps_other_profiles_and_refuses_duplicates() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("config");
    std::fs::write(&path, "[DEFAULT]\nuser=u\nregion=r").unwrap();
    keyrack_core::vendors::oci::config_file::append_profile(&path, "[CI]\nuser=ci\n").unwrap();
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        "[DEFAULT]\nuser=u\nregion=r\n\n[CI]\nuser=ci\n"
    );
    let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    let err = keyrack_core::vendors::oci::config_file::append_profile(&path, "[CI]\nuser=other\n")
        .unwrap_err();
    assert_eq!(err.code(), keyrack_core::Code::Conflict);
    assert!(std::fs::read_to_string(&path).unwrap().contains("user=ci"));
}
