//! `keyrack accounts import` with a fake HOME whose CLI configs point at `keyrack sandbox`:
//! listing, importing after the connection test (into a real Secret Service, as in
//! `make test`), what is already there, a broken file, and the files left as they were.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::accounts::keychain_usable;
use crate::support::{run_in, Run, Sandbox};

struct Home {
    dir: PathBuf,
    files: Vec<PathBuf>,
    cf_key: String,
    cf_host: String,
}

fn fake_home(sb: &Sandbox) -> Home {
    let dir = sb.path("home");
    std::fs::create_dir_all(dir.join(".config/scw")).unwrap();
    std::fs::create_dir_all(dir.join(".oci")).unwrap();
    let scw = dir.join(".config/scw/config.yaml");
    let base = sb.field("scaleway", "base_url");
    std::fs::write(
        &scw,
        format!(
            "# written by scw init\nprofiles:\n  emu:\n    access_key: {ak}\n    secret_key: {sk}\n    \
             default_organization_id: {org}\n    api_url: {base}\n  wrong:\n    access_key: {ak}\n    \
             secret_key: 00000000-0000-0000-0000-000000000000\n    api_url: {base}\n",
            ak = sb.field("scaleway", "access_key"),
            sk = sb.field("scaleway", "secret_key"),
            org = sb.field("scaleway", "organization_id"),
        ),
    )
    .unwrap();
    let cf_key = sb.field("codefresh", "api_key");
    let cf_api = sb.field("codefresh", "base_url");
    let cf_host = cf_api.trim_end_matches("/api").to_string();
    let cfconfig = dir.join(".cfconfig");
    std::fs::write(
        &cfconfig,
        format!(
            "contexts:\n  emu:\n    type: APIKey\n    name: emu\n    url: {cf_host}\n    \
             token: {cf_key}\n    beta: false\n    onPrem: false\ncurrent-context: emu\n"
        ),
    )
    .unwrap();
    // A broken OCI config: reported, and the rest still found.
    let oci = dir.join(".oci/config");
    std::fs::write(&oci, "[DEFAULT]\nuser=ocid1.user.oc1..x\n").unwrap();
    Home {
        dir,
        files: vec![scw, cfconfig, oci],
        cf_key,
        cf_host,
    }
}

fn import(sb: &Sandbox, home: &Home, args: &[&str]) -> Run {
    let mut all = vec!["accounts", "import"];
    all.extend_from_slice(args);
    run_in(
        sb.dir.path(),
        &all,
        &[
            ("HOME", home.dir.to_str().unwrap()),
            ("CF_API_KEY", &home.cf_key),
            ("CF_URL", &home.cf_host),
        ],
        None,
    )
}

fn snapshot(files: &[PathBuf]) -> Vec<Vec<u8>> {
    files.iter().map(|f| std::fs::read(f).unwrap()).collect()
}

fn outcome_of<'a>(report: &'a Value, source: &str) -> &'a Value {
    report["imported"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["found"]["source"] == source)
        .unwrap_or_else(|| panic!("no {source} in {report}"))
}

#[tokio::test]
async fn import_lists_tests_adds_and_reports_each_find() {
    if !keychain_usable("import_lists_tests_adds_and_reports_each_find").await {
        return;
    }
    let sb = Sandbox::start();
    let home = fake_home(&sb);
    let before = snapshot(&home.files);

    // --json without --yes only lists: four finds, the broken file, nothing saved.
    let listed = import(&sb, &home, &["--json"]);
    listed.expect_code(1);
    let listing = listed.json();
    let sources: Vec<&str> = listing["found"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["found"]["source"].as_str().unwrap())
        .collect();
    assert_eq!(
        sources,
        [
            "~/.config/scw/config.yaml [emu]",
            "~/.config/scw/config.yaml [wrong]",
            "~/.cfconfig [emu]",
            "environment (CF_API_KEY, CF_URL)",
        ]
    );
    let bad = &listing["unreadable"][0];
    assert_eq!(bad["source"], "~/.oci/config [DEFAULT]");
    assert!(
        bad["error"]["message"]
            .as_str()
            .unwrap()
            .contains("has no `"),
        "{bad}"
    );
    let text = listed.stdout();
    assert!(!text.contains(&home.cf_key) && !text.contains(&sb.field("scaleway", "secret_key")));
    assert!(!sb.path("config/settings.toml").exists());

    // No terminal to ask on, no --yes: refused, with the flag to use.
    let asked = import(&sb, &home, &[]);
    asked.expect_code(2);
    assert!(asked.stderr().contains("--yes"), "{}", asked.stderr());
    assert!(
        asked.stdout().contains("~/.cfconfig [emu]"),
        "{}",
        asked.stdout()
    );
    assert!(!sb.path("config/settings.toml").exists());

    // One profile.
    let one = import(
        &sb,
        &home,
        &["--from", "scaleway", "--profile", "emu", "--yes"],
    );
    one.ok();
    assert!(
        one.stdout()
            .contains("~/.config/scw/config.yaml [emu]: added as `scaleway emu`"),
        "{}",
        one.stdout()
    );

    // Everything: the added one is there already, the wrong secret fails its test, the
    // Codefresh context is added and the same key in CF_API_KEY is then already there.
    let all = import(&sb, &home, &["--yes", "--json"]);
    all.expect_code(1);
    let report = all.json();
    assert_eq!(
        outcome_of(&report, "~/.config/scw/config.yaml [emu]")["outcome"],
        "already_present"
    );
    let wrong = outcome_of(&report, "~/.config/scw/config.yaml [wrong]");
    assert_eq!(wrong["outcome"], "failed");
    assert_eq!(wrong["error"]["code"], "unauthorized", "{wrong}");
    let cf = outcome_of(&report, "~/.cfconfig [emu]");
    assert_eq!(cf["outcome"], "added", "{cf}");
    assert_eq!(cf["saved"]["account"]["name"], "codefresh emu");
    let env = outcome_of(&report, "environment (CF_API_KEY, CF_URL)");
    assert_eq!(env["outcome"], "already_present", "{env}");
    assert_eq!(report["unreadable"].as_array().unwrap().len(), 1);

    // The accounts work from a fresh process, with the credential from the keychain.
    let keys = run_in(
        sb.dir.path(),
        &["keys", "list", "--account", "codefresh emu", "--json"],
        &[],
        None,
    );
    keys.ok();
    let settings = std::fs::read_to_string(sb.path("config/settings.toml")).unwrap();
    assert!(!settings.contains(&home.cf_key));
    assert_eq!(
        snapshot(&home.files),
        before,
        "the CLIs' files are unchanged"
    );

    for name in ["scaleway emu", "codefresh emu"] {
        run_in(sb.dir.path(), &["accounts", "remove", name], &[], None).ok();
    }
}

#[test]
fn an_unknown_source_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let run = run_in(
        dir.path(),
        &["accounts", "import", "--from", "aws"],
        &[("HOME", Path::new("/nonexistent").to_str().unwrap())],
        None,
    );
    run.expect_code(2);
    assert!(run.stderr().contains("env"), "{}", run.stderr());
}

#[tokio::test]
async fn an_oci_account_without_a_fingerprint_gets_the_keys_and_a_wrong_one_is_named() {
    let sb = Sandbox::start();
    let dir = sb.dir.path();
    let fingerprint = sb.field("oci", "fingerprint");
    let pem = sb.field("oci", "private_key_pem");
    let (base, tenancy, user, region) = (
        sb.field("oci", "base_url"),
        sb.field("oci", "tenancy"),
        sb.field("oci", "user"),
        sb.field("oci", "region"),
    );
    let name = format!("cli-oci-fp-{}", std::process::id());
    let mut args = vec![
        "accounts",
        "add",
        "oci",
        "--name",
        &name,
        "--base-url",
        &base,
        "--tenancy",
        &tenancy,
        "--user",
        &user,
        "--region",
        &region,
    ];
    let wrong = "20:3b:97:13:55:1c:5b:0d:d3:37:d8:50:4e:c5:3a:34";
    let mut with_wrong = args.clone();
    with_wrong.extend(["--fingerprint", wrong]);
    let run = run_in(dir, &with_wrong, &[], Some(&pem));
    run.expect_code(2);
    assert!(
        run.stderr().contains(wrong) && run.stderr().contains(&fingerprint),
        "{}",
        run.stderr()
    );
    assert!(!sb.path("config/settings.toml").exists());

    if !keychain_usable("an_oci_account_without_a_fingerprint_gets_the_keys").await {
        return;
    }
    args.push("--json");
    let run = run_in(dir, &args, &[], Some(&pem));
    run.ok();
    assert_eq!(
        run.json()["account"]["settings"]["fingerprint"],
        fingerprint.as_str()
    );
    run_in(dir, &["accounts", "remove", &name], &[], None).ok();
}
