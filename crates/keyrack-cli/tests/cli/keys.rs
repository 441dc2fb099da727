//! `keyrack keys …` as a process against `keyrack sandbox`: listing every vendor, creating with
//! `--out` in each vendor's format (contents and mode 0600 checked, and the written secret used
//! as a credential), lock/unlock, disable/enable, update, delete with and without confirmation.

#![cfg(unix)]

use std::path::Path;

use crate::support::{mode_of, run_in, Sandbox};
use serde_json::Value;

fn str_of<'a>(v: &'a Value, key: &str) -> &'a str {
    v[key]
        .as_str()
        .unwrap_or_else(|| panic!("no string {key} in {v}"))
}

/// Check a credential with `accounts test` through an accounts file that takes it from the
/// environment: proves a written secret is the real one.
pub(crate) fn assert_secret_works(sb: &Sandbox, vendor: &str, secret: &str) {
    let file = sb.path(&format!("{vendor}-accounts.toml"));
    // Every endpoint points at the sandbox (IBM has two), so nothing reaches a real vendor.
    let mut toml = format!(
        "[[account]]\nname = \"new-{vendor}\"\nvendor = \"{vendor}\"\nsecret = \"env:NEW_SECRET\"\n"
    );
    for setting in ["base_url", "iam_url"] {
        if let Some(url) = sb.manifest[vendor][setting].as_str() {
            toml.push_str(&format!("{setting} = \"{url}\"\n"));
        }
    }
    std::fs::write(&file, toml).unwrap();
    let run = run_in(
        sb.dir.path(),
        &[
            "--accounts",
            file.to_str().unwrap(),
            "accounts",
            "test",
            &format!("new-{vendor}"),
            "--json",
        ],
        &[("NEW_SECRET", secret)],
        None,
    );
    run.ok();
    assert_eq!(run.json()["vendor"], vendor);
}

#[test]
fn list_shows_every_vendor_with_stable_json_fields() {
    let sb = Sandbox::start();
    let out = sb.json(&["keys", "list"]);
    assert_eq!(out["errors"], Value::Array(vec![]));
    let keys = out["keys"].as_array().unwrap();
    for vendor in ["ibm", "scaleway", "oci", "openai", "codefresh"] {
        assert!(
            keys.iter().any(|k| k["vendor"] == vendor),
            "no {vendor} key: {out}"
        );
    }
    for key in keys {
        for field in [
            "vendor",
            "account",
            "id",
            "name",
            "description",
            "status",
            "locked",
            "owner",
            "created_at",
            "expires_at",
            "scopes",
        ] {
            assert!(key.get(field).is_some(), "{field} missing in {key}");
        }
        assert!(str_of(key, "account").ends_with("(Sandbox)"), "{key}");
    }

    // Filters: chosen accounts (by id or name), one vendor, one status.
    let two = sb.json(&[
        "keys",
        "list",
        "--account",
        "sandbox-oci",
        "--account",
        "ibm cloud (sandbox)",
    ]);
    let mut vendors: Vec<&str> = two["keys"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k["vendor"].as_str().unwrap())
        .collect();
    vendors.dedup();
    assert_eq!(vendors, ["oci", "ibm"], "in the order given");
    let oci = sb.json(&["keys", "list", "--vendor", "oci"]);
    let oci = oci["keys"].as_array().unwrap();
    assert!(!oci.is_empty() && oci.iter().all(|k| k["vendor"] == "oci"));
    let expired = sb.json(&["keys", "list", "--status", "expired"]);
    assert!(expired["keys"]
        .as_array()
        .unwrap()
        .iter()
        .all(|k| k["status"] == "expired"));

    // Without --json and without a terminal: a header and tab-separated rows.
    let plain = sb.run(&["keys", "list", "--account", "sandbox-codefresh"]);
    plain.ok();
    let text = plain.stdout();
    let mut lines = text.lines();
    assert_eq!(
        lines.next().unwrap().split('\t').collect::<Vec<_>>()[..3],
        ["ACCOUNT", "VENDOR", "ID"]
    );
    assert!(
        lines.all(|l| l.split('\t').nth(1) == Some("codefresh")),
        "{text}"
    );
}

#[test]
fn create_writes_each_vendors_native_file_with_mode_0600() {
    let sb = Sandbox::start();

    // IBM: apikey.json as the IBM Cloud CLI writes it.
    let out = sb.path("apikey.json");
    let created = sb.json(&[
        "keys",
        "create",
        "--account",
        "sandbox-ibm",
        "--name",
        "ci-e2e",
        "--description",
        "made by the CLI test",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(created["format"], "ibm_apikey_json");
    assert!(
        created.get("secret").is_none(),
        "secret must not be on stdout: {created}"
    );
    let id = str_of(&created["key"], "id").to_string();
    assert!(id.starts_with("ApiKey-"), "{id}");
    assert_eq!(mode_of(&out), 0o600);
    let file: Value = serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert_eq!(file["name"], "ci-e2e");
    let apikey = str_of(&file, "apikey").to_string();
    assert!(!apikey.is_empty());
    assert!(sb.key_ids("sandbox-ibm").contains(&id));
    assert_secret_works(&sb, "ibm", &apikey);

    // Scaleway: a config.yaml profile for the scw CLI, for a user of the organization.
    let out = sb.path("config.yaml");
    let user = sb.field("scaleway", "user_id");
    let created = sb.json(&[
        "keys",
        "create",
        "--account",
        "sandbox-scaleway",
        "--description",
        "ci e2e",
        "--owner",
        &user,
        "--out",
        out.to_str().unwrap(),
    ]);
    let access_key = str_of(&created["key"], "id");
    let yaml = std::fs::read_to_string(&out).unwrap();
    assert!(
        yaml.contains(&format!("access_key: {access_key}")),
        "{yaml}"
    );
    assert!(
        yaml.lines()
            .any(|l| l.trim().starts_with("secret_key: ") && l.trim().len() > 20),
        "{yaml}"
    );
    assert_eq!(mode_of(&out), 0o600);
    assert_eq!(created["key"]["owner"]["id"], user.as_str());

    // OCI: the private key PEM with the OCI_API_KEY label; the key is listed by fingerprint.
    let out = sb.path("oci_api_key.pem");
    let created = sb.json(&[
        "keys",
        "create",
        "--account",
        "sandbox-oci",
        "--out",
        out.to_str().unwrap(),
    ]);
    let pem = std::fs::read_to_string(&out).unwrap();
    assert!(pem.starts_with("-----BEGIN PRIVATE KEY-----"), "{pem}");
    assert!(pem.ends_with("OCI_API_KEY"));
    assert_eq!(mode_of(&out), 0o600);
    let fingerprint = str_of(&created["key"], "id");
    assert!(sb
        .key_ids("sandbox-oci")
        .iter()
        .any(|k| k.ends_with(fingerprint)));

    // OpenAI: .env (its native format), for a new service account in the project.
    let out = sb.path("openai.env");
    let project = sb.field("openai", "project_id");
    let created = sb.json(&[
        "keys",
        "create",
        "--account",
        "sandbox-openai",
        "--name",
        "ci-e2e-bot",
        "--project",
        &project,
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(created["format"], "env");
    let env = std::fs::read_to_string(&out).unwrap();
    let key = env
        .lines()
        .find_map(|l| l.strip_prefix("OPENAI_API_KEY="))
        .expect("OPENAI_API_KEY line");
    assert!(key.starts_with("sk-"), "{env}");
    assert!(
        env.contains(&format!("OPENAI_PROJECT_ID={project}")),
        "{env}"
    );
    assert_eq!(mode_of(&out), 0o600);
    assert_eq!(created["key"]["owner"]["name"], "ci-e2e-bot");

    // Codefresh: a .cfconfig context whose token works as a credential.
    let out = sb.path(".cfconfig");
    let created = sb.json(&[
        "keys",
        "create",
        "--account",
        "sandbox-codefresh",
        "--name",
        "ci-e2e",
        "--scope",
        "pipeline",
        "--scope",
        "project",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(
        created["key"]["scopes"],
        serde_json::json!(["pipeline", "project"])
    );
    let cfconfig = std::fs::read_to_string(&out).unwrap();
    let token = cfconfig
        .lines()
        .find_map(|l| l.trim().strip_prefix("token: "))
        .expect("token line");
    assert_eq!(mode_of(&out), 0o600);
    assert_secret_works(&sb, "codefresh", token.trim_matches('"'));
}

#[test]
fn without_out_the_secret_alone_is_printed_once_on_stdout() {
    let sb = Sandbox::start();
    let run = sb.run(&[
        "keys",
        "create",
        "--account",
        "Codefresh (Sandbox)",
        "--name",
        "stdout-key",
        "--scope",
        "pipeline",
    ]);
    run.ok();
    let stdout = run.stdout();
    let secret = stdout.trim_end_matches('\n');
    assert!(
        !secret.is_empty() && !secret.contains('\n'),
        "stdout is the secret only: {stdout:?}"
    );
    assert!(
        !run.stderr().contains(secret),
        "the secret is not repeated on stderr"
    );
    assert!(run.stderr().contains("stdout-key"), "{}", run.stderr());
    assert_secret_works(&sb, "codefresh", secret);
    // Listing shows the key but never its secret.
    let listing = sb.run(&["keys", "list", "--json"]);
    assert!(!listing.stdout().contains(secret));

    // --json: the secret is a field of the one JSON document.
    let created = sb.json(&[
        "keys",
        "create",
        "--account",
        "sandbox-ibm",
        "--name",
        "json-key",
    ]);
    assert!(!str_of(&created, "secret").is_empty());
    assert_eq!(created["key"]["name"], "json-key");
}

#[test]
fn out_refuses_to_overwrite_before_creating_unless_forced() {
    let sb = Sandbox::start();
    let out = sb.path("apikey.json");
    std::fs::write(&out, "keep me").unwrap();
    let before = sb.key_ids("sandbox-ibm").len();
    let run = sb.run(&[
        "keys",
        "create",
        "--account",
        "sandbox-ibm",
        "--name",
        "x",
        "--out",
        out.to_str().unwrap(),
    ]);
    run.expect_code(2);
    assert!(run.stderr().contains("--force"), "{}", run.stderr());
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "keep me");
    assert_eq!(
        sb.key_ids("sandbox-ibm").len(),
        before,
        "no key was created"
    );

    // A format of another vendor is refused before anything is created, too.
    let run = sb.run(&[
        "keys",
        "create",
        "--account",
        "sandbox-ibm",
        "--name",
        "x",
        "--out",
        sb.path("x.yaml").to_str().unwrap(),
        "--format",
        "scaleway-config-yaml",
    ]);
    run.expect_code(2);
    assert_eq!(sb.key_ids("sandbox-ibm").len(), before);

    sb.run(&[
        "keys",
        "create",
        "--account",
        "sandbox-ibm",
        "--name",
        "forced",
        "--out",
        out.to_str().unwrap(),
        "--force",
        "--format",
        "env",
    ])
    .ok();
    let env = std::fs::read_to_string(&out).unwrap();
    assert!(env.contains("IBMCLOUD_API_KEY="), "{env}");
    assert_eq!(mode_of(&out), 0o600);
    assert_eq!(sb.key_ids("sandbox-ibm").len(), before + 1);
}

#[test]
fn oci_config_profile_points_at_the_saved_private_key() {
    let sb = Sandbox::start();
    let out = sb.path("oci-config");
    let key_file = sb.path("keys/new.pem");
    // Without --key-file the profile would point nowhere: refused before creating.
    sb.run(&[
        "keys",
        "create",
        "--account",
        "sandbox-oci",
        "--out",
        out.to_str().unwrap(),
        "--format",
        "oci-config-stanza",
    ])
    .expect_code(2);
    let created = sb.json(&[
        "keys",
        "create",
        "--account",
        "sandbox-oci",
        "--out",
        out.to_str().unwrap(),
        "--format",
        "oci-config-stanza",
        "--key-file",
        key_file.to_str().unwrap(),
        "--profile",
        "ci",
    ]);
    let config = std::fs::read_to_string(&out).unwrap();
    assert!(config.starts_with("[ci]\n"), "{config}");
    assert!(
        config.contains(&format!("fingerprint={}", str_of(&created["key"], "id"))),
        "{config}"
    );
    assert!(
        config.contains(&format!("key_file={}", key_file.display())),
        "{config}"
    );
    assert!(
        config.contains(&format!("tenancy={}", sb.field("oci", "tenancy"))),
        "{config}"
    );
    assert!(std::fs::read_to_string(&key_file)
        .unwrap()
        .contains("PRIVATE KEY"));
    assert_eq!(mode_of(&key_file), 0o600);
    assert_eq!(mode_of(&out), 0o600);
    assert_eq!(created["key_file"], key_file.to_str().unwrap());

    // OCI's limit of three keys per user is the vendor error (exit 1) it is, not a crash.
    let refused = (0..4)
        .map(|n| {
            let pem = sb.path(&format!("more-{n}.pem"));
            sb.run(&[
                "keys",
                "create",
                "--account",
                "sandbox-oci",
                "--out",
                pem.to_str().unwrap(),
                "--json",
            ])
        })
        .find(|run| run.code() != 0)
        .expect("a fourth key is refused");
    refused.expect_code(1);
    assert_eq!(refused.error_json()["code"], "quota_exceeded");
}

#[test]
fn ibm_lock_blocks_delete_until_unlocked_and_disable_toggles_status() {
    let sb = Sandbox::start();
    let created = sb.json(&[
        "keys",
        "create",
        "--account",
        "sandbox-ibm",
        "--name",
        "lock-me",
    ]);
    let id = str_of(&created["key"], "id").to_string();

    let locked = sb.json(&["keys", "lock", "--account", "sandbox-ibm", &id]);
    assert_eq!(locked["locked"], true);
    let refused = sb.run(&[
        "keys",
        "delete",
        "--account",
        "sandbox-ibm",
        &id,
        "--yes",
        "--json",
    ]);
    refused.expect_code(1);
    assert_eq!(refused.error_json()["code"], "conflict");
    assert!(sb.key_ids("sandbox-ibm").contains(&id));

    let unlocked = sb.json(&["keys", "unlock", "--account", "sandbox-ibm", &id]);
    assert_eq!(unlocked["locked"], false);

    assert_eq!(
        sb.json(&["keys", "disable", "--account", "sandbox-ibm", &id])["status"],
        "disabled"
    );
    assert_eq!(
        sb.json(&["keys", "enable", "--account", "sandbox-ibm", &id])["status"],
        "active"
    );

    let deleted = sb.json(&["keys", "delete", "--account", "sandbox-ibm", &id, "--yes"]);
    assert_eq!(deleted["deleted"]["id"], id.as_str());
    assert!(!sb.key_ids("sandbox-ibm").contains(&id));
}

#[test]
fn delete_without_a_terminal_needs_yes() {
    let sb = Sandbox::start();
    let id = sb.key_ids("sandbox-codefresh").pop().unwrap();
    let run = sb.run(&["keys", "delete", "--account", "sandbox-codefresh", &id]);
    run.expect_code(2);
    assert!(run.stderr().contains("--yes"), "{}", run.stderr());
    assert!(sb.key_ids("sandbox-codefresh").contains(&id));
    sb.run(&[
        "keys",
        "delete",
        "--account",
        "sandbox-codefresh",
        &id,
        "-y",
    ])
    .ok();
    assert!(!sb.key_ids("sandbox-codefresh").contains(&id));
}

#[test]
fn openai_delete_can_remove_the_service_account_left_without_keys() {
    let sb = Sandbox::start();
    let project = sb.field("openai", "project_id");
    let created = sb.json(&[
        "keys",
        "create",
        "--account",
        "sandbox-openai",
        "--name",
        "short-lived-bot",
        "--project",
        &project,
    ]);
    let id = str_of(&created["key"], "id").to_string();
    let out = sb.json(&[
        "keys",
        "delete",
        "--account",
        "sandbox-openai",
        &id,
        "--yes",
        "--delete-empty-owner",
    ]);
    assert_eq!(out["owner_without_keys"]["name"], "short-lived-bot");
    assert_eq!(out["owner_deleted"], true);
    assert!(!sb.key_ids("sandbox-openai").contains(&id));
}

#[test]
fn openai_permissions_on_create_and_update_and_admin_keys_listed() {
    let sb = Sandbox::start();
    let project = sb.field("openai", "project_id");
    let created = sb.json(&[
        "keys",
        "create",
        "--account",
        "sandbox-openai",
        "--name",
        "reader",
        "--project",
        &project,
        "--permissions",
        "read-only",
    ]);
    assert_eq!(created["key"]["permissions"]["mode"], "read_only");
    let id = str_of(&created["key"], "id").to_string();
    let updated = sb.json(&[
        "keys",
        "update",
        "--account",
        "sandbox-openai",
        &id,
        "--allow",
        "models:read,files:write",
        "--expires-at",
        "2030-01-01T00:00:00Z",
    ]);
    assert_eq!(updated["permissions"]["mode"], "restricted");
    assert_eq!(updated["permissions"]["resources"]["models"], "read");
    assert_eq!(updated["permissions"]["resources"]["files"], "write");
    assert_eq!(
        updated["scopes"],
        serde_json::json!(["model.read", "api.model.read", "api.files.write"])
    );
    // Counted in whole seconds from the request: the date asked, or a second after.
    let expires = str_of(&updated, "expires_at");
    assert!(expires.starts_with("2030-01-01T00:00:0"), "{expires}");
    // The table says it in words; the admin key is marked as such.
    let table = sb.run(&["keys", "list", "--account", "sandbox-openai"]);
    let text = table.stdout();
    assert!(text.contains("LAST USED\tACCESS"), "{text}");
    assert!(
        text.lines()
            .any(|l| l.contains(&id) && l.ends_with("Restricted: files write, models read")),
        "{text}"
    );
    assert!(
        text.lines()
            .any(|l| l.contains("sandbox-admin") && l.ends_with("Admin key")),
        "{text}"
    );
    // A level the resource does not have, and a malformed pair: usage errors.
    let run = sb.run(&[
        "keys",
        "update",
        "--account",
        "sandbox-openai",
        &id,
        "--allow",
        "models:write",
        "--json",
    ]);
    run.expect_code(2);
    assert_eq!(run.error_json()["field"], "permissions");
    sb.run(&[
        "keys",
        "update",
        "--account",
        "sandbox-openai",
        &id,
        "--allow",
        "models",
    ])
    .expect_code(2);
    // An admin key, with an expiry.
    let admin = sb.json(&[
        "keys",
        "create",
        "--account",
        "sandbox-openai",
        "--name",
        "ops-admin",
        "--owner",
        "admin",
        "--expires-at",
        "2030-01-01T00:00:00Z",
    ]);
    assert_eq!(admin["key"]["kind_label"], "Admin key");
    assert!(str_of(&admin, "secret").starts_with("sk-admin-"));
    let admin_id = str_of(&admin["key"], "id").to_string();
    assert!(sb.key_ids("sandbox-openai").contains(&admin_id));
    sb.json(&[
        "keys",
        "delete",
        "--account",
        "sandbox-openai",
        &admin_id,
        "--yes",
    ]);
    assert!(!sb.key_ids("sandbox-openai").contains(&admin_id));
}

#[test]
fn update_changes_what_each_vendor_allows() {
    let sb = Sandbox::start();
    let cf = sb.json(&[
        "keys",
        "create",
        "--account",
        "sandbox-codefresh",
        "--name",
        "before",
        "--scope",
        "pipeline",
    ]);
    let cf_id = str_of(&cf["key"], "id").to_string();
    let updated = sb.json(&[
        "keys",
        "update",
        "--account",
        "sandbox-codefresh",
        &cf_id,
        "--name",
        "after",
        "--scope",
        "project",
        "--scope",
        "view",
    ]);
    assert_eq!(updated["name"], "after");
    assert_eq!(updated["scopes"], serde_json::json!(["project", "view"]));

    let user = sb.field("scaleway", "user_id");
    let scw = sb.json(&[
        "keys",
        "create",
        "--account",
        "sandbox-scaleway",
        "--owner",
        &user,
        "--description",
        "before",
    ]);
    let scw_id = str_of(&scw["key"], "id").to_string();
    let updated = sb.json(&[
        "keys",
        "update",
        "--account",
        "sandbox-scaleway",
        &scw_id,
        "--description",
        "rotated by CI",
    ]);
    assert_eq!(updated["description"], "rotated by CI");

    // Nothing to change, and a change the vendor does not offer: usage errors, nothing sent.
    sb.run(&["keys", "update", "--account", "sandbox-codefresh", &cf_id])
        .expect_code(2);
    let run = sb.run(&[
        "keys",
        "update",
        "--account",
        "sandbox-codefresh",
        &cf_id,
        "--description",
        "x",
        "--json",
    ]);
    run.expect_code(2);
    assert_eq!(run.error_json()["field"], "description");
}

/// The TSV header is the same for `keys list` and single-key commands.
#[test]
fn single_key_commands_print_one_row_without_json() {
    let sb = Sandbox::start();
    let created = sb.json(&[
        "keys",
        "create",
        "--account",
        "sandbox-ibm",
        "--name",
        "row",
    ]);
    let id = str_of(&created["key"], "id");
    let run = sb.run(&["keys", "lock", "--account", "sandbox-ibm", id]);
    run.ok();
    let text = run.stdout();
    let rows: Vec<&str> = text.lines().collect();
    assert_eq!(rows.len(), 2, "{text}");
    assert!(rows[1].contains(id) && rows[1].contains("locked"), "{text}");
    assert!(Path::new(&sb.manifest_path).exists());
}

#[test]
fn codefresh_service_users_keys_are_listed_created_and_deleted() {
    let sb = Sandbox::start();
    // Listed beside the user's own keys, the owner column naming the service user and its kind.
    let plain = sb.run(&["keys", "list", "--account", "sandbox-codefresh"]);
    let text = plain.ok().stdout();
    let owners: Vec<&str> = text
        .lines()
        .skip(1)
        .filter_map(|l| l.split('\t').nth(5))
        .collect();
    assert_eq!(
        owners
            .iter()
            .filter(|o| **o == "release-bot (service account)")
            .count(),
        2,
        "{text}"
    );
    assert!(owners.contains(&"ci-bot (service account)"), "{text}");
    let theirs = sb.json(&[
        "keys",
        "list",
        "--account",
        "sandbox-codefresh",
        "--owner-kind",
        "service-user",
    ]);
    let theirs = theirs["keys"].as_array().unwrap();
    assert_eq!(theirs.len(), 3, "{theirs:?}");
    assert!(theirs
        .iter()
        .all(|k| k["owner"]["kind"] == "service_account" && str_of(k, "id").contains('/')));

    // Made for a service user named as the owner list shows it; its token signs in.
    let out = sb.path("bot.cfconfig");
    let created = sb.json(&[
        "keys",
        "create",
        "--account",
        "sandbox-codefresh",
        "--name",
        "bot-deploy",
        "--scope",
        "pipeline",
        "--owner-kind",
        "service-user",
        "--owner",
        "release-bot",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(created["key"]["owner"]["name"], "release-bot");
    assert_eq!(created["key"]["owner"]["kind"], "service_account");
    let id = str_of(&created["key"], "id").to_string();
    let (su, kid) = id.split_once('/').unwrap();
    assert_eq!(created["key"]["owner"]["id"], su);
    let cfconfig = std::fs::read_to_string(&out).unwrap();
    let token = cfconfig
        .lines()
        .find_map(|l| l.trim().strip_prefix("token: "))
        .expect("token line")
        .trim_matches('"')
        .to_string();
    assert!(token.starts_with(&format!("{kid}.")), "{cfconfig}");
    assert_secret_works(&sb, "codefresh", &token);

    // An unknown service user is a clear error.
    let run = sb.run(&[
        "keys",
        "create",
        "--account",
        "sandbox-codefresh",
        "--name",
        "x",
        "--scope",
        "view",
        "--owner-kind",
        "service-user",
        "--owner",
        "nobody",
    ]);
    assert_ne!(run.code(), 0);
    assert!(
        run.stderr().contains("no service user `nobody`"),
        "{}",
        run.stderr()
    );

    sb.run(&[
        "keys",
        "delete",
        "--account",
        "sandbox-codefresh",
        &id,
        "-y",
    ])
    .ok();
    assert!(!sb.key_ids("sandbox-codefresh").contains(&id));
}

/// Scaleway keys by bearer type (`--owner-kind user|application`) and expired (`--status
/// expired`, as soon as the expiry passed).
#[test]
fn scaleway_keys_filter_by_bearer_type_and_expiry() {
    let sb = Sandbox::start();
    let ids = |args: &[&str]| -> Vec<(String, String)> {
        let mut all = vec!["keys", "list", "--account", "sandbox-scaleway"];
        all.extend_from_slice(args);
        sb.json(&all)["keys"]
            .as_array()
            .unwrap()
            .iter()
            .map(|k| {
                (
                    str_of(k, "id").to_string(),
                    k["owner"]["kind"].as_str().unwrap_or_default().to_string(),
                )
            })
            .collect()
    };
    let every = ids(&[]);
    let apps = ids(&["--owner-kind", "application"]);
    let users = ids(&["--owner-kind", "user"]);
    assert!(!apps.is_empty() && apps.iter().all(|(_, k)| k == "application"));
    assert!(!users.is_empty() && users.iter().all(|(_, k)| k == "user"));
    assert_eq!(apps.len() + users.len(), every.len());

    // A key that expires in a few seconds is listed as expired once they passed.
    let at = chrono::Utc::now() + chrono::Duration::seconds(3);
    let soon = at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let created = sb.json(&[
        "keys",
        "create",
        "--account",
        "sandbox-scaleway",
        "--owner",
        &sb.field("scaleway", "user_id"),
        "--description",
        "short-lived",
        "--expires-at",
        &soon,
        "--out",
        sb.path("short.yaml").to_str().unwrap(),
    ]);
    let id = str_of(&created["key"], "id").to_string();
    let still_active = ids(&["--status", "active"]);
    // Listed before its expiry (unless this machine was slower than that): active.
    if chrono::Utc::now() < at {
        assert!(
            still_active.iter().any(|(k, _)| *k == id),
            "{still_active:?}"
        );
    }
    let wait = at - chrono::Utc::now() + chrono::Duration::milliseconds(1100);
    if let Ok(wait) = wait.to_std() {
        std::thread::sleep(wait);
    }
    let expired = ids(&["--status", "expired"]);
    assert!(expired.iter().any(|(k, _)| *k == id), "{expired:?}");
    let expired_users = ids(&["--status", "expired", "--owner-kind", "user"]);
    assert_eq!(expired_users, expired);
    assert!(ids(&["--status", "expired", "--owner-kind", "application"]).is_empty());
}
