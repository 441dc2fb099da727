//! `export::terraform`: each vendor's output against a golden file rendered from a captured
//! sandbox inventory (`tests/fixtures/terraform/`), parsed as HCL (every `import` has its
//! `resource`, no live import where no provider can adopt a key, and the commented-out blocks
//! parse too once uncommented), resource names valid, unique and stable for hostile key names,
//! values that come back exactly as the vendor reported them, and no secret — planted hints, or
//! the secrets of keys just created in the sandbox — in any export.
//!
//! `KEYRACK_UPDATE_GOLDENS=1` rewrites the golden `.tf` files from the fixtures;
//! `KEYRACK_CAPTURE_FIXTURES=1` captures the fixtures again from a fresh sandbox (then update
//! the goldens).

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::sync::Arc;

use hcl::eval::{Context, Evaluate};
use hcl::expr::{Expression, TraversalOperator};
use keyrack_core::accounts::{Options, Registry};
use keyrack_core::export::terraform::{self, Adoption};
use keyrack_core::export::{table, AccountKeys};
use keyrack_core::settings::Paths;
use keyrack_core::test_support::Outputs;
use keyrack_core::vault::MemoryStore;
use keyrack_core::{inventory, vendors, KeyRecord, NewKey, OwnerRef, VendorId};
use serde::{Deserialize, Serialize};

fn fixtures_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/terraform")
}

fn env_flag(name: &str) -> bool {
    std::env::var(name).is_ok_and(|v| v == "1")
}

/// A fixture: one sandbox account's listed keys, as captured.
#[derive(Debug, Serialize, Deserialize)]
struct Fixture {
    account_id: String,
    account_name: String,
    vendor: VendorId,
    keys: Vec<KeyRecord>,
}

impl Fixture {
    fn load(vendor: VendorId) -> AccountKeys {
        let path = fixtures_dir().join(format!("{vendor}-keys.json"));
        let text =
            std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let f: Fixture = serde_json::from_str(&text).unwrap();
        assert_eq!(f.vendor, vendor);
        AccountKeys {
            account_id: f.account_id,
            account_name: f.account_name,
            vendor: f.vendor,
            keys: f.keys,
        }
    }

    fn save(account: &AccountKeys) {
        let f = Fixture {
            account_id: account.account_id.clone(),
            account_name: account.account_name.clone(),
            vendor: account.vendor,
            keys: account.keys.clone(),
        };
        let mut text = serde_json::to_string_pretty(&f).unwrap();
        text.push('\n');
        let path = fixtures_dir().join(format!("{}-keys.json", account.vendor));
        std::fs::write(path, text).unwrap();
    }
}

fn all_fixtures() -> Vec<AccountKeys> {
    vendors::ids().map(Fixture::load).collect()
}

// ---- Reading the output back ----------------------------------------------------------------

/// What a rendered file holds, as an HCL parser reads it.
#[derive(Debug, Default)]
struct Parsed {
    /// `import.to` → `import.id`.
    imports: BTreeMap<String, String>,
    /// `type.name` → the resource's attributes, evaluated.
    resources: BTreeMap<String, BTreeMap<String, hcl::Value>>,
    required_providers: BTreeSet<String>,
    /// The blocks of vendors whose keys cannot be imported, uncommented and parsed.
    commented: Box<Option<Parsed>>,
}

fn evaluate(expr: &Expression) -> hcl::Value {
    // An empty context: a value that still held an interpolation would fail here.
    expr.evaluate(&Context::new())
        .unwrap_or_else(|e| panic!("{expr:?} is not a plain value: {e}"))
}

fn address(expr: &Expression) -> String {
    let Expression::Traversal(t) = expr else {
        panic!("not a resource address: {expr:?}")
    };
    let Expression::Variable(root) = &t.expr else {
        panic!("not a resource address: {expr:?}")
    };
    let [TraversalOperator::GetAttr(name)] = t.operators.as_slice() else {
        panic!("not a resource address: {expr:?}")
    };
    format!("{}.{}", root.as_str(), name.as_str())
}

fn valid_name(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_lowercase())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// Parse a rendered file and check its shape: one `terraform` block, each `import` with its
/// `resource` and the other way round, valid names, a required provider for every resource.
fn parse(text: &str) -> Parsed {
    let body = hcl::parse(text).unwrap_or_else(|e| panic!("not HCL: {e}\n{text}"));
    let mut parsed = Parsed::default();
    let mut terraform_blocks = 0;
    for block in body.blocks() {
        match block.identifier.as_str() {
            "terraform" => {
                terraform_blocks += 1;
                let version = block
                    .body
                    .attributes()
                    .find(|a| a.key.as_str() == "required_version")
                    .expect("required_version");
                assert_eq!(evaluate(&version.expr), hcl::Value::from(">= 1.5.0"));
                for inner in block.body.blocks() {
                    assert_eq!(inner.identifier.as_str(), "required_providers");
                    for provider in inner.body.attributes() {
                        let value = evaluate(&provider.expr);
                        assert!(value.as_object().unwrap().contains_key("source"));
                        parsed
                            .required_providers
                            .insert(provider.key.as_str().to_string());
                    }
                }
            }
            "import" => {
                let get = |key: &str| {
                    block
                        .body
                        .attributes()
                        .find(|a| a.key.as_str() == key)
                        .unwrap_or_else(|| panic!("import without {key}"))
                };
                let to = address(&get("to").expr);
                let id = evaluate(&get("id").expr);
                let id = id.as_str().expect("import ids are strings").to_string();
                assert!(!id.is_empty());
                assert!(
                    parsed.imports.insert(to.clone(), id).is_none(),
                    "{to} imported twice"
                );
            }
            "resource" => {
                let labels: Vec<&str> = block.labels.iter().map(|l| l.as_str()).collect();
                let [kind, name] = labels.as_slice() else {
                    panic!("resource labels: {labels:?}")
                };
                assert!(valid_name(name), "invalid resource name {name:?}");
                let attributes = block
                    .body
                    .attributes()
                    .filter(|a| !matches!(a.key.as_str(), "provider" | "key_value"))
                    .map(|a| (a.key.as_str().to_string(), evaluate(&a.expr)))
                    .collect();
                let key = format!("{kind}.{name}");
                assert!(
                    parsed.resources.insert(key.clone(), attributes).is_none(),
                    "{key} declared twice"
                );
            }
            "provider" => {}
            other => panic!("unexpected block {other}"),
        }
    }
    assert_eq!(terraform_blocks, 1, "{text}");
    let imported: BTreeSet<&String> = parsed.imports.keys().collect();
    let declared: BTreeSet<&String> = parsed.resources.keys().collect();
    assert_eq!(imported, declared, "each import has its resource and back");
    for address in parsed.resources.keys() {
        let local = address.split('_').next().unwrap();
        assert!(
            parsed.required_providers.contains(local),
            "{address} has no required provider"
        );
    }
    parsed.commented = Box::new(commented_blocks(text));
    parsed
}

/// The commented-out `import`/`resource` pairs, uncommented: they must parse too, and belong to
/// vendors whose keys cannot be imported.
fn commented_blocks(text: &str) -> Option<Parsed> {
    let mut uncommented = String::new();
    let mut inside = false;
    let mut in_resource = false;
    for line in text.lines() {
        if line == "# import {" {
            inside = true;
        }
        if inside {
            let bare = line
                .strip_prefix("# ")
                .or_else(|| line.strip_prefix('#'))
                .unwrap_or_else(|| panic!("a commented block has a live line: {line:?}"));
            uncommented.push_str(bare);
            uncommented.push('\n');
            if bare.starts_with("resource ") {
                in_resource = true;
            }
            if bare == "}" && in_resource {
                inside = false;
                in_resource = false;
            }
        }
    }
    if uncommented.is_empty() {
        return None;
    }
    let body = hcl::parse(&uncommented).unwrap_or_else(|e| panic!("{e}\n{uncommented}"));
    let mut parsed = Parsed::default();
    for block in body.blocks() {
        match block.identifier.as_str() {
            "import" => {
                let to = block
                    .body
                    .attributes()
                    .find(|a| a.key.as_str() == "to")
                    .unwrap();
                parsed.imports.insert(address(&to.expr), String::new());
            }
            "resource" => {
                let labels: Vec<&str> = block.labels.iter().map(|l| l.as_str()).collect();
                assert!(valid_name(labels[1]), "{labels:?}");
                let attributes = block
                    .body
                    .attributes()
                    .map(|a| (a.key.as_str().to_string(), evaluate(&a.expr)))
                    .collect();
                parsed
                    .resources
                    .insert(format!("{}.{}", labels[0], labels[1]), attributes);
            }
            other => panic!("unexpected commented block {other}"),
        }
    }
    let imported: BTreeSet<&String> = parsed.imports.keys().collect();
    let declared: BTreeSet<&String> = parsed.resources.keys().collect();
    assert_eq!(imported, declared);
    Some(parsed)
}

/// The vendor whose provider has this resource type.
fn vendor_of_kind(kind: &str) -> VendorId {
    let local = kind.split('_').next().unwrap();
    vendors::ALL
        .iter()
        .find(|d| d.terraform.provider.local_name == local)
        .unwrap_or_else(|| panic!("no vendor has {kind}"))
        .id
}

/// Every key of the accounts is in the output once: live for adoptable vendors, commented out
/// for the others — never a live import for those.
fn assert_complete(accounts: &[AccountKeys], parsed: &Parsed) {
    let keys: usize = accounts.iter().map(|a| a.keys.len()).sum();
    let commented = parsed.commented.as_ref().as_ref();
    let live = parsed.resources.len();
    let dead = commented.map_or(0, |c| c.resources.len());
    assert_eq!(live + dead, keys, "every key once");
    for address in parsed.imports.keys() {
        let vendor = vendor_of_kind(address);
        assert_eq!(
            vendor.descriptor().terraform.adoption,
            Adoption::Import,
            "{address}: a live import for a vendor whose keys cannot be imported"
        );
    }
    if let Some(c) = commented {
        for address in c.resources.keys() {
            assert_ne!(
                vendor_of_kind(address).descriptor().terraform.adoption,
                Adoption::Import,
                "{address}: an importable key left commented out"
            );
        }
    }
}

// ---- Goldens ---------------------------------------------------------------------------------

#[test]
fn each_vendor_renders_its_golden_file() {
    let update = env_flag("KEYRACK_UPDATE_GOLDENS");
    for vendor in vendors::ids() {
        let account = Fixture::load(vendor);
        assert!(!account.keys.is_empty(), "{vendor}: an empty fixture");
        let text = terraform::render(std::slice::from_ref(&account));
        let golden = fixtures_dir().join(format!("{vendor}.tf"));
        if update {
            std::fs::write(&golden, &text).unwrap();
        } else {
            let expected = std::fs::read_to_string(&golden)
                .unwrap_or_else(|e| panic!("{}: {e}", golden.display()));
            assert!(
                expected == text,
                "{vendor}: the output differs from {} (KEYRACK_UPDATE_GOLDENS=1 rewrites it \
                 after a deliberate change)\n{text}",
                golden.display()
            );
        }
        let parsed = parse(&text);
        assert_complete(std::slice::from_ref(&account), &parsed);
        let adoptable = vendor.descriptor().terraform.adoption == Adoption::Import;
        assert_eq!(parsed.imports.is_empty(), !adoptable, "{vendor}");
        assert_eq!(parsed.commented.is_some(), !adoptable, "{vendor}");
    }
}

#[test]
fn import_ids_take_each_providers_documented_form() {
    for vendor in vendors::ids() {
        let account = Fixture::load(vendor);
        let text = terraform::render(std::slice::from_ref(&account));
        let parsed = parse(&text);
        let ids: Vec<&String> = parsed.imports.values().collect();
        match vendor {
            // The API key's id.
            VendorId::Ibm => assert!(ids.iter().all(|id| id.starts_with("ApiKey-"))),
            // The access key.
            VendorId::Scaleway => assert!(ids.iter().all(|id| id.starts_with("SCW"))),
            // users/{userId}/apiKeys/{fingerprint}
            VendorId::Oci => {
                for key in &account.keys {
                    let fingerprint = key.id.rsplit('/').next().unwrap();
                    let user = &key.owner.as_ref().unwrap().id;
                    let expected = format!("users/{user}/apiKeys/{fingerprint}");
                    assert!(ids.contains(&&expected), "{expected} in {ids:?}");
                }
                assert!(text.contains("key_value = file(\"${path.module}/public-keys/"));
            }
            VendorId::Openai | VendorId::Codefresh => {
                assert!(ids.is_empty());
                let commented = parsed.commented.as_ref().as_ref().unwrap();
                assert_eq!(commented.resources.len(), account.keys.len());
            }
        }
        // Every value written is one the vendor reported for that key.
        for (address, attributes) in &parsed.resources {
            if let Some(name) = attributes.get("name") {
                let name = name.as_str().unwrap();
                assert!(
                    account.keys.iter().any(|k| k.name.as_deref() == Some(name)),
                    "{address}: {name}"
                );
            }
        }
    }
}

// ---- Hostile names ---------------------------------------------------------------------------

const HOSTILE: &[&str] = &[
    "ci deploy",
    "  spaced  out  ",
    "日本語のキー",
    "café-prod",
    "2024-rotation",
    "dup",
    "dup",
    "DUP",
    "",
    "quote\" } resource \"x\" \"y\" {",
    "${file(\"/etc/passwd\")}",
    "$${escaped}",
    "%{ if true }x%{ endif }",
    "back\\slash\\",
    "new\nline\r\n# not a comment",
    "tab\there",
    "bell\u{7}esc\u{1b}[31m",
    "rtl\u{202e}txt.exe",
    "line\u{2028}separator",
    "null",
    "true",
    "key",
    "key_2",
];

/// Records of `vendor` (its fixture's first key as the template) with hostile names and
/// descriptions, one of them named nothing at all.
fn hostile_account(vendor: VendorId) -> AccountKeys {
    let mut account = Fixture::load(vendor);
    let template = account.keys[0].clone();
    account.keys = HOSTILE
        .iter()
        .enumerate()
        .map(|(i, name)| {
            let mut k = template.clone();
            k.id = format!("{}-{i}", template.id);
            k.name = Some(name.to_string());
            k.description = Some(format!("about {name}"));
            k
        })
        .chain(std::iter::once(KeyRecord {
            id: format!("{}-nameless", template.id),
            name: None,
            description: None,
            ..template.clone()
        }))
        .collect();
    account
}

#[test]
fn hostile_key_names_give_valid_unique_stable_names_and_exact_values() {
    for vendor in vendors::ids() {
        let account = hostile_account(vendor);
        let text = terraform::render(std::slice::from_ref(&account));
        let parsed = parse(&text);
        assert_complete(std::slice::from_ref(&account), &parsed);
        let resources = if parsed.resources.is_empty() {
            &parsed.commented.as_ref().as_ref().unwrap().resources
        } else {
            &parsed.resources
        };
        assert_eq!(resources.len(), HOSTILE.len() + 1, "{vendor}: unique names");
        // Whatever the name, the value comes back exactly: nothing broke out of its string.
        for attributes in resources.values() {
            for field in ["name", "description"] {
                if let Some(value) = attributes.get(field) {
                    let value = value.as_str().unwrap();
                    let known = account.keys.iter().any(|k| {
                        k.name.as_deref() == Some(value) || k.description.as_deref() == Some(value)
                    });
                    assert!(known, "{vendor}: {field} {value:?} is not a reported value");
                }
            }
        }
        // No line of the file is a hostile value's own: comments stayed comments.
        assert!(
            !text.lines().any(|l| l.starts_with("# not a comment")),
            "{vendor}: a line break escaped a comment"
        );

        // Stable: the same keys in another order give the same file.
        let mut shuffled = account.clone();
        shuffled.keys.reverse();
        shuffled.keys.rotate_left(5);
        assert_eq!(
            terraform::render(std::slice::from_ref(&shuffled)),
            text,
            "{vendor}: names depend on the order of the list"
        );
    }
}

#[test]
fn a_key_keeps_its_name_when_unrelated_keys_come_and_go() {
    let account = hostile_account(VendorId::Ibm);
    let names = |a: &AccountKeys| -> BTreeSet<String> {
        parse(&terraform::render(std::slice::from_ref(a)))
            .resources
            .into_keys()
            .collect()
    };
    let all = names(&account);
    let mut fewer = account.clone();
    fewer
        .keys
        .retain(|k| k.name.as_deref() != Some("tab\there"));
    let some = names(&fewer);
    assert_eq!(some.len(), all.len() - 1);
    assert!(some.is_subset(&all), "{some:?} ⊄ {all:?}");
}

// ---- Several accounts ------------------------------------------------------------------------

#[test]
fn one_file_for_everything_gives_each_account_of_a_vendor_its_provider() {
    let mut accounts = all_fixtures();
    let mut second = Fixture::load(VendorId::Ibm);
    second.account_id = "ibm-prod".into();
    second.account_name = "IBM Prod".into();
    accounts.push(second);
    let text = terraform::render(&accounts);
    let parsed = parse(&text);
    assert_complete(&accounts, &parsed);
    // The same IBM keys twice, through two accounts: two provider configurations.
    assert!(text.contains("provider \"ibm\" {\n  alias = \"ibm_cloud_sandbox\"\n}"));
    assert!(text.contains("provider \"ibm\" {\n  alias = \"ibm_prod\"\n}"));
    assert!(text.contains("  provider = ibm.ibm_prod\n"));
    assert!(
        !text.contains("provider = scaleway."),
        "one account: no alias"
    );
    let body = hcl::parse(&text).unwrap();
    for block in body.blocks() {
        let kind = match block.identifier.as_str() {
            "resource" => block.labels[0].as_str().to_string(),
            "import" => {
                let to = block.body.attributes().find(|a| a.key.as_str() == "to");
                address(&to.unwrap().expr)
            }
            _ => continue,
        };
        let has_provider = block
            .body
            .attributes()
            .any(|a| a.key.as_str() == "provider");
        assert_eq!(kind.starts_with("ibm_"), has_provider, "{kind}");
    }
}

#[test]
fn per_account_files_are_root_modules_of_their_own() {
    let mut accounts = all_fixtures();
    let mut twin = Fixture::load(VendorId::Scaleway);
    twin.account_id = "scw-2".into();
    accounts.push(twin);
    let files = terraform::render_per_account(&accounts);
    assert_eq!(files.len(), accounts.len());
    let paths: BTreeSet<&str> = files.iter().map(|f| f.path.as_str()).collect();
    assert_eq!(paths.len(), files.len(), "one directory each: {paths:?}");
    for (file, account) in files.iter().zip(&accounts) {
        assert!(file.path.ends_with("/main.tf"), "{}", file.path);
        assert!(!file.path.contains(".."));
        assert_eq!(file.account_id, account.account_id);
        assert_eq!(file.keys, account.keys.len());
        assert!(
            !file.text.contains("alias"),
            "one account per file needs no alias"
        );
        let parsed = parse(&file.text);
        assert_complete(std::slice::from_ref(account), &parsed);
        assert_eq!(
            file.text,
            terraform::render(std::slice::from_ref(account)),
            "the same text as a one-account export"
        );
    }
}

#[test]
fn an_empty_inventory_is_still_a_valid_configuration() {
    let text = terraform::render(&[]);
    let parsed = parse(&text);
    assert!(parsed.resources.is_empty() && parsed.commented.is_none());
    let mut empty = Fixture::load(VendorId::Oci);
    empty.keys.clear();
    parse(&terraform::render(&[empty]));
}

// ---- No secret -------------------------------------------------------------------------------

fn canary(n: u32) -> String {
    format!("kr-canary-tf-{n}-{}", uuid::Uuid::new_v4().simple())
}

#[test]
fn planted_secret_hints_never_reach_the_terraform_output() {
    let hint = canary(1);
    let mut accounts = all_fixtures();
    for account in &mut accounts {
        for key in &mut account.keys {
            key.secret_hint = Some(hint.clone());
            // Codefresh's token prefix is a hint too.
            let mut extra = serde_json::to_value(&key.extra).unwrap();
            if let Some(prefix) = extra.get_mut("token_prefix") {
                *prefix = serde_json::Value::String(hint.clone());
            }
            key.extra = serde_json::from_value(extra).unwrap();
        }
    }
    let mut out = Outputs::default();
    out.add("terraform", terraform::render(&accounts));
    for file in terraform::render_per_account(&accounts) {
        out.add(file.path, file.text);
    }
    out.assert_absent(&hint, "a planted secret hint");
}

/// A key of each vendor made in a fresh sandbox (the new secrets are in this process), listed,
/// exported in every format: no secret in any. With `KEYRACK_CAPTURE_FIXTURES=1` the sandbox's
/// listing (before the new keys) becomes the fixtures.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_sandbox_inventory_exports_in_every_format_without_a_secret() {
    let dir = tempfile::tempdir().unwrap();
    let registry = Registry::open(Options {
        paths: Paths::under(dir.path()),
        store: Arc::new(MemoryStore::new()),
        http: None,
        sandbox: Some(Arc::new(keyrack_sandbox::InProcess)),
    })
    .await
    .unwrap();
    let accounts = registry.list_accounts();
    assert_eq!(accounts.len(), vendors::ALL.len());

    let listings = inventory::list_accounts(&registry, accounts.clone(), |_| {}).await;
    for l in &listings {
        assert!(l.error().is_none(), "{}: {:?}", l.account_name, l.error());
    }
    let seeded = AccountKeys::from_listings(&listings);
    if env_flag("KEYRACK_CAPTURE_FIXTURES") {
        for account in &seeded {
            Fixture::save(account);
        }
    }
    assert_complete(&seeded, &parse(&terraform::render(&seeded)));

    // One new key per vendor; its secret exists only in this process.
    let mut secrets = Vec::new();
    for account in &accounts {
        let client = registry.vendor(&account.id).await.unwrap();
        let caps = client.capabilities();
        let options = client.create_options().await.unwrap();
        let spec = NewKey {
            name: caps.name.as_ref().map(|_| "tf-export-canary".to_string()),
            description: caps
                .description
                .as_ref()
                .map(|_| "made by the export test".to_string()),
            project_id: caps
                .project
                .as_ref()
                .and_then(|_| options.projects.first().map(|p| p.id.clone())),
            scopes: caps
                .scopes
                .first()
                .map(|s| vec![s.id.clone()])
                .unwrap_or_default(),
            owner: caps
                .owner
                .as_ref()
                .filter(|o| o.required)
                .and_then(|_| options.owners.first())
                .map(|o| OwnerRef {
                    kind: o.kind,
                    id: o.id.clone(),
                }),
            ..Default::default()
        };
        let created = client
            .create(&spec)
            .await
            .unwrap_or_else(|e| panic!("{}: {e}", account.vendor));
        secrets.push(created.secret.expose().clone());
    }

    let listings = inventory::list_accounts(&registry, accounts, |_| {}).await;
    let exported = AccountKeys::from_listings(&listings);
    assert_eq!(exported.len(), vendors::ALL.len());
    let mut out = Outputs::default();
    let text = terraform::render(&exported);
    assert_complete(&exported, &parse(&text));
    out.add("terraform", text);
    for file in terraform::render_per_account(&exported) {
        out.add(file.path, file.text);
    }
    out.add("csv", table::csv(&exported));
    out.add("json", table::json(&exported));
    assert!(
        out.0.iter().any(|(_, t)| t.contains("tf-export-canary")),
        "the new keys are listed"
    );
    for secret in &secrets {
        out.assert_absent(secret, "a new key's secret");
    }
    registry.shutdown().await;
}
