//! Exit codes and error output: 3 for a rejected credential, 2 for usage and validation errors
//! (nothing sent), 1 for vendor refusals; `PublicError` JSON on stderr with `--json`; and a
//! failing account that does not hide the others.

use crate::support::{run_in, Sandbox};
use serde_json::Value;

/// An accounts file with one Codefresh account whose key comes from `CF_KEY`.
fn codefresh_accounts_file(sb: &Sandbox, name: &str) -> String {
    let path = sb.path(&format!("{name}.toml"));
    std::fs::write(
        &path,
        format!(
            "[[account]]\nname = \"{name}\"\nvendor = \"codefresh\"\nbase_url = \"{}\"\n\
             secret = \"env:CF_KEY\"\n",
            sb.field("codefresh", "base_url")
        ),
    )
    .unwrap();
    path.to_str().unwrap().to_string()
}

#[test]
fn a_rejected_credential_exits_3_with_the_vendors_words() {
    let sb = Sandbox::start();
    let file = codefresh_accounts_file(&sb, "cf-ci");
    let dir = sb.dir.path();

    let bad = run_in(
        dir,
        &["--accounts", &file, "accounts", "test", "cf-ci"],
        &[("CF_KEY", "not.a-real-key")],
        None,
    );
    bad.expect_code(3);
    assert!(bad.stderr().starts_with("keyrack: "), "{}", bad.stderr());
    assert!(
        bad.stderr().contains("HTTP 401"),
        "the vendor's status is quoted: {}",
        bad.stderr()
    );

    let bad = run_in(
        dir,
        &["--accounts", &file, "keys", "list", "--json"],
        &[("CF_KEY", "not.a-real-key")],
        None,
    );
    bad.expect_code(3);
    let out = bad.json();
    assert_eq!(out["keys"], Value::Array(vec![]));
    assert_eq!(out["errors"][0]["account"], "cf-ci");
    assert_eq!(out["errors"][0]["error"]["code"], "unauthorized");
    assert_eq!(out["errors"][0]["error"]["vendor"]["status"], 401);

    // The same file with the right key works: secrets come from the environment.
    let good_key = sb.field("codefresh", "api_key");
    let good = run_in(
        dir,
        &["--accounts", &file, "keys", "list", "--json"],
        &[("CF_KEY", &good_key)],
        None,
    );
    good.ok();
    let keys = good.json()["keys"].as_array().unwrap().clone();
    assert!(!keys.is_empty());
    assert!(keys
        .iter()
        .all(|k| k["account"] == "cf-ci" && k["vendor"] == "codefresh"));
}

#[test]
fn a_failing_account_does_not_hide_the_others() {
    let sb = Sandbox::start();
    // The five sandbox accounts plus a file with a bad one and one whose variable is unset.
    let path = sb.path("mixed.toml");
    std::fs::write(
        &path,
        format!(
            "[[account]]\nname = \"cf-bad\"\nvendor = \"codefresh\"\nbase_url = \"{base}\"\n\
             secret = \"env:CF_KEY\"\n\n[[account]]\nname = \"cf-unset\"\nvendor = \"codefresh\"\n\
             base_url = \"{base}\"\nsecret = \"env:KEYRACK_TEST_NEVER_SET\"\n",
            base = sb.field("codefresh", "base_url")
        ),
    )
    .unwrap();
    let manifest = sb.manifest_path.to_str().unwrap();
    let args = [
        "--sandbox-manifest",
        manifest,
        "--accounts",
        path.to_str().unwrap(),
        "keys",
        "list",
    ];

    let mut json_args = args.to_vec();
    json_args.push("--json");
    let run = run_in(sb.dir.path(), &json_args, &[("CF_KEY", "wrong")], None);
    run.expect_code(3);
    let out = run.json();
    let vendors: Vec<&str> = out["keys"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k["vendor"].as_str().unwrap())
        .collect();
    for vendor in ["ibm", "scaleway", "oci", "openai", "codefresh"] {
        assert!(
            vendors.contains(&vendor),
            "{vendor} keys still listed: {vendors:?}"
        );
    }
    let errors: Vec<(&str, &str)> = out["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["account"].as_str().unwrap(),
                e["error"]["code"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(errors, [("cf-bad", "unauthorized"), ("cf-unset", "config")]);
    // Each failure is also one JSON line on stderr, naming its account.
    let lines: Vec<Value> = run
        .stderr()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2, "{}", run.stderr());
    assert_eq!(lines[0]["account"], "cf-bad");

    // As text: the failures on stderr, the keys on stdout.
    let run = run_in(sb.dir.path(), &args, &[("CF_KEY", "wrong")], None);
    run.expect_code(3);
    assert!(
        run.stderr().contains("account `cf-bad`"),
        "{}",
        run.stderr()
    );
    assert!(
        run.stderr().contains("KEYRACK_TEST_NEVER_SET"),
        "{}",
        run.stderr()
    );
    assert!(run.stdout().lines().count() > 10, "{}", run.stdout());
}

#[test]
fn validation_and_usage_errors_exit_2_before_anything_is_sent() {
    let sb = Sandbox::start();
    let before = sb.key_ids("sandbox-ibm").len();

    // Core validation: the field is named in the JSON error.
    let run = sb.run(&["keys", "create", "--account", "sandbox-ibm", "--json"]);
    run.expect_code(2);
    let err = run.error_json();
    assert_eq!(err["code"], "validation");
    assert_eq!(err["field"], "name");
    assert!(run.stdout().is_empty());

    let run = sb.run(&[
        "keys",
        "create",
        "--account",
        "sandbox-ibm",
        "--name",
        "x",
        "--expires-at",
        "2001-01-01T00:00:00Z",
        "--json",
    ]);
    run.expect_code(2);
    assert_eq!(run.error_json()["field"], "expires_at");

    let run = sb.run(&[
        "keys",
        "create",
        "--account",
        "sandbox-codefresh",
        "--name",
        "x",
        "--scope",
        "everything",
        "--json",
    ]);
    run.expect_code(2);
    assert_eq!(run.error_json()["field"], "scopes");
    assert_eq!(sb.key_ids("sandbox-ibm").len(), before);

    // An operation the vendor lacks.
    let scw = sb.key_ids("sandbox-scaleway").pop().unwrap();
    let run = sb.run(&[
        "keys",
        "lock",
        "--account",
        "sandbox-scaleway",
        &scw,
        "--json",
    ]);
    run.expect_code(2);
    assert_eq!(run.error_json()["code"], "unsupported");

    // An unknown account names the known ones.
    let run = sb.run(&["keys", "list", "--account", "nope"]);
    run.expect_code(2);
    assert!(
        run.stderr().contains("IBM Cloud (Sandbox)"),
        "{}",
        run.stderr()
    );

    // clap's own usage errors.
    sb.run(&["keys", "list", "--vendor", "aws"]).expect_code(2);
    sb.run(&[
        "keys",
        "create",
        "--account",
        "sandbox-ibm",
        "--expires-at",
        "soon",
    ])
    .expect_code(2);
    sb.run(&["frobnicate"]).expect_code(2);
    sb.run(&["--help"]).ok();
}

#[test]
fn a_missing_key_is_a_vendor_error_exit_1() {
    let sb = Sandbox::start();
    let run = sb.run(&[
        "keys",
        "delete",
        "--account",
        "sandbox-ibm",
        "ApiKey-00000000-0000-0000-0000-000000000000",
        "--yes",
        "--json",
    ]);
    run.expect_code(1);
    assert_eq!(run.error_json()["code"], "not_found");
}

#[test]
fn a_broken_accounts_file_is_a_usage_error_naming_the_line() {
    let sb = Sandbox::start();
    let path = sb.path("broken.toml");
    std::fs::write(
        &path,
        "[[account]]\nname = \"x\"\nvendor = \"ibm\"\nsecret = \"sk-pasted-by-mistake\"\n",
    )
    .unwrap();
    let run = run_in(
        sb.dir.path(),
        &["--accounts", path.to_str().unwrap(), "accounts", "list"],
        &[],
        None,
    );
    run.expect_code(2);
    assert!(run.stderr().contains("line 4"), "{}", run.stderr());
    assert!(
        !run.stderr().contains("sk-pasted-by-mistake"),
        "the value is never repeated"
    );
}
