//! Bringing existing keys under Terraform: for each key an `import` block (Terraform ≥ 1.5) and
//! the `resource` block it imports into, written for the vendor's own Terraform provider.
//!
//! What a provider calls its key resource, how it addresses a key for import and which arguments
//! it takes is the vendor's knowledge: its [`TerraformSpec`] (`vendors/<v>/terraform.rs`, reached
//! through its `Descriptor`). This file is the generic part: the `terraform` block with its
//! `required_providers`, resource names, HCL strings and comments, the blocks, and the files —
//! one for everything ([`render`]) or one per account ([`render_per_account`]).
//!
//! Where no provider can adopt an existing key ([`Adoption::Impossible`]) the blocks are written
//! commented out, with the reason, so that `terraform plan` never fails on an import.
//!
//! Nothing secret is written: a listed key holds no secret, and the specs write only the facts
//! the vendor reported (never a secret hint).

use std::collections::{BTreeSet, HashMap};
use std::fmt::Write as _;

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC};
use sha2::{Digest, Sha256};

use super::AccountKeys;
use crate::model::{KeyRecord, VendorId};

/// The Terraform version that introduced `import` blocks.
pub const REQUIRED_VERSION: &str = ">= 1.5.0";

/// Resource names are cut to this many characters (a suffix may follow).
const NAME_MAX: usize = 64;

/// Comments are wrapped to this width.
const WIDTH: usize = 100;

/// A vendor's Terraform provider and how its keys map onto it.
#[derive(Debug)]
pub struct TerraformSpec {
    pub provider: ProviderSpec,
    pub adoption: Adoption,
    /// One listed key as the provider's resource.
    pub resource: fn(&KeyRecord) -> Resource,
}

/// A provider as `required_providers` names it.
#[derive(Debug)]
pub struct ProviderSpec {
    /// Its local name, the prefix of its resource types: `ibm`.
    pub local_name: &'static str,
    /// Its registry address: `IBM-Cloud/ibm`.
    pub source: &'static str,
}

/// Whether an `import` block can bring an existing key under the provider.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Adoption {
    /// The provider reads an existing key back from its import id.
    Import,
    /// It cannot: the blocks are written commented out, preceded by this reason.
    Impossible { reason: &'static str },
}

/// One key as the provider's resource.
#[derive(Debug, Clone, PartialEq)]
pub struct Resource {
    /// The resource type, e.g. `ibm_iam_api_key`.
    pub kind: &'static str,
    /// The id the provider's importer takes.
    pub import_id: String,
    pub arguments: Vec<Argument>,
    /// What the reader should know about this key, as comments above its blocks.
    pub notes: Vec<String>,
    /// Arguments the provider never reads back from the vendor, so that a plan would always show
    /// them changing (`lifecycle { ignore_changes }`).
    pub ignore_changes: &'static [&'static str],
}

/// One argument of a resource block.
#[derive(Debug, Clone, PartialEq)]
pub struct Argument {
    pub name: &'static str,
    pub value: Value,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Text(String),
    Bool(bool),
    List(Vec<String>),
    /// `file("${path.module}/<path>")`: a value the user keeps next to the configuration, such
    /// as a public key the inventory does not hold.
    ModuleFile(String),
    /// Not written as an argument: a comment says why (`# name: why`).
    Omitted(String),
}

impl Argument {
    pub fn text(name: &'static str, value: impl Into<String>) -> Self {
        Argument {
            name,
            value: Value::Text(value.into()),
        }
    }

    /// The argument when the vendor reported a value.
    pub fn text_if(name: &'static str, value: Option<&str>) -> Option<Self> {
        value.map(|v| Self::text(name, v))
    }

    pub fn bool(name: &'static str, value: bool) -> Self {
        Argument {
            name,
            value: Value::Bool(value),
        }
    }

    pub fn list(name: &'static str, values: Vec<String>) -> Self {
        Argument {
            name,
            value: Value::List(values),
        }
    }

    pub fn module_file(name: &'static str, path: impl Into<String>) -> Self {
        Argument {
            name,
            value: Value::ModuleFile(path.into()),
        }
    }

    pub fn omitted(name: &'static str, why: impl Into<String>) -> Self {
        Argument {
            name,
            value: Value::Omitted(why.into()),
        }
    }
}

/// One file of a per-account export.
#[derive(Debug, Clone, PartialEq)]
pub struct TerraformFile {
    /// Relative to the export's directory: `<account>/main.tf`. Each account is a root module
    /// of its own (its own provider credentials and state), so each gets a directory.
    pub path: String,
    pub account_id: String,
    pub account_name: String,
    pub vendor: VendorId,
    pub keys: usize,
    pub text: String,
}

/// Every account's keys in one file (one root module). Accounts of the same vendor get one
/// provider configuration each (`provider = <name>.<alias>`), since each has its own
/// credentials.
pub fn render(accounts: &[AccountKeys]) -> String {
    let all: Vec<&AccountKeys> = accounts.iter().collect();
    render_file(&all)
}

/// One file per account, each in a directory of its own.
pub fn render_per_account(accounts: &[AccountKeys]) -> Vec<TerraformFile> {
    let dirs = unique_names(
        accounts
            .iter()
            .map(|a| (slug(&a.account_name, '-', "account"), a.account_id.as_str()))
            .collect(),
        '-',
    );
    accounts
        .iter()
        .zip(dirs)
        .map(|(account, dir)| TerraformFile {
            path: format!("{dir}/main.tf"),
            account_id: account.account_id.clone(),
            account_name: account.account_name.clone(),
            vendor: account.vendor,
            keys: account.keys.len(),
            text: render_file(&[account]),
        })
        .collect()
}

/// A key ready to write: its resource, name and which account's section it is in.
struct Entry {
    account: usize,
    resource: Resource,
    name: String,
    title: String,
}

fn render_file(accounts: &[&AccountKeys]) -> String {
    // Vendors with more than one account in this file need a provider configuration per account.
    let mut per_vendor: HashMap<VendorId, usize> = HashMap::new();
    for a in accounts {
        *per_vendor.entry(a.vendor).or_default() += 1;
    }
    let aliased: Vec<bool> = accounts
        .iter()
        .map(|a| per_vendor[&a.vendor] > 1 && adoptable(a.vendor))
        .collect();
    let aliases = unique_names(
        accounts
            .iter()
            .map(|a| (slug(&a.account_name, '_', "account"), a.account_id.as_str()))
            .collect(),
        '_',
    );

    let mut entries: Vec<Entry> = Vec::new();
    for (index, account) in accounts.iter().enumerate() {
        for record in &account.keys {
            let spec = &record.vendor.descriptor().terraform;
            let title = if record.display_name() == record.id {
                record.id.clone()
            } else {
                format!("{} ({})", record.display_name(), record.id)
            };
            entries.push(Entry {
                account: index,
                resource: (spec.resource)(record),
                name: String::new(),
                title,
            });
        }
    }
    // Names are unique per resource type, as Terraform requires.
    let records: Vec<&KeyRecord> = accounts.iter().flat_map(|a| a.keys.iter()).collect();
    let kinds: BTreeSet<&str> = entries.iter().map(|e| e.resource.kind).collect();
    for kind in kinds {
        let of_kind: Vec<usize> = (0..entries.len())
            .filter(|&i| entries[i].resource.kind == kind)
            .collect();
        let names = unique_names(
            of_kind
                .iter()
                .map(|&i| (base_name(records[i]), records[i].id.as_str()))
                .collect(),
            '_',
        );
        for (i, name) in of_kind.into_iter().zip(names) {
            entries[i].name = name;
        }
    }

    let mut out = String::new();
    header(&mut out, accounts);
    terraform_block(&mut out, accounts);
    for (index, account) in accounts.iter().enumerate() {
        if aliased[index] {
            provider_alias(&mut out, account, &aliases[index]);
        }
    }
    for (index, account) in accounts.iter().enumerate() {
        let provider_ref = aliased[index].then(|| {
            let spec = &account.vendor.descriptor().terraform;
            format!("{}.{}", spec.provider.local_name, aliases[index])
        });
        section(&mut out, account, provider_ref.as_deref());
        let mut mine: Vec<&Entry> = entries.iter().filter(|e| e.account == index).collect();
        mine.sort_by(|a, b| a.name.cmp(&b.name));
        for entry in mine {
            out.push('\n');
            key_blocks(&mut out, account.vendor, entry, provider_ref.as_deref());
        }
    }
    out
}

fn adoptable(vendor: VendorId) -> bool {
    vendor.descriptor().terraform.adoption == Adoption::Import
}

fn header(out: &mut String, accounts: &[&AccountKeys]) {
    let keys: usize = accounts.iter().map(|a| a.keys.len()).sum();
    let summary = format!(
        "{} of {}, written by Keyrack as Terraform import blocks (Terraform {REQUIRED_VERSION}).",
        count(keys, "API key"),
        count(accounts.len(), "account"),
    );
    for text in [
        summary.as_str(),
        "",
        "`terraform plan` shows what would be imported; nothing changes until `terraform apply`. \
         Once imported, Terraform manages these keys: removing a resource block, or \
         `terraform destroy`, deletes the key at the vendor.",
        "Provider credentials are not written here: configure each provider as its documentation \
         says. No key's secret is in this file either; arguments that only matter when a key is \
         created are left out, with a comment.",
    ] {
        comment(out, "", text);
    }
    out.push('\n');
}

fn terraform_block(out: &mut String, accounts: &[&AccountKeys]) {
    let vendors: BTreeSet<VendorId> = accounts.iter().map(|a| a.vendor).collect();
    out.push_str("terraform {\n");
    let _ = writeln!(out, "  required_version = {}", hcl_string(REQUIRED_VERSION));
    out.push('\n');
    out.push_str("  required_providers {\n");
    for vendor in vendors {
        let spec = &vendor.descriptor().terraform;
        let provider = &spec.provider;
        match spec.adoption {
            Adoption::Import => {
                let _ = writeln!(out, "    {} = {{", provider.local_name);
                let _ = writeln!(out, "      source = {}", hcl_string(provider.source));
                out.push_str("    }\n");
            }
            Adoption::Impossible { .. } => comment(
                out,
                "    ",
                &format!(
                    "{} ({}) is not needed: no {} key below can be imported.",
                    provider.local_name,
                    provider.source,
                    vendor.display_name()
                ),
            ),
        }
    }
    out.push_str("  }\n}\n");
}

fn provider_alias(out: &mut String, account: &AccountKeys, alias: &str) {
    let spec = &account.vendor.descriptor().terraform;
    out.push('\n');
    comment(
        out,
        "",
        &format!(
            "The {} account \"{}\": give this configuration its credentials.",
            account.vendor.display_name(),
            account.account_name
        ),
    );
    let _ = writeln!(
        out,
        "provider {} {{\n  alias = {}\n}}",
        hcl_string(spec.provider.local_name),
        hcl_string(alias)
    );
}

fn section(out: &mut String, account: &AccountKeys, provider_ref: Option<&str>) {
    let rule = format!("# {}\n", "-".repeat(WIDTH - 2));
    out.push('\n');
    out.push_str(&rule);
    let mut title = format!(
        "{} account \"{}\" ({}): {}",
        account.vendor.display_name(),
        account.account_name,
        account.account_id,
        count(account.keys.len(), "key"),
    );
    if let Some(p) = provider_ref {
        let _ = write!(title, ", through provider {p}");
    }
    comment(out, "", &title);
    out.push_str(&rule);
}

/// A key's `import` and `resource` blocks, commented out where the vendor's keys cannot be
/// imported.
fn key_blocks(out: &mut String, vendor: VendorId, entry: &Entry, provider_ref: Option<&str>) {
    let spec = &vendor.descriptor().terraform;
    let r = &entry.resource;
    comment(out, "", &entry.title);
    if let Adoption::Impossible { reason } = spec.adoption {
        comment(out, "", &format!("Cannot be imported: {reason}"));
        comment(
            out,
            "",
            "Commented out so that `terraform plan` does not fail; it records what the vendor \
             reported.",
        );
    }
    for note in &r.notes {
        comment(out, "", note);
    }
    let mut lines: Vec<String> = Vec::new();
    let mut import = vec![
        ("to".to_string(), format!("{}.{}", r.kind, entry.name)),
        ("id".to_string(), hcl_string(&r.import_id)),
    ];
    if let Some(p) = provider_ref {
        import.push(("provider".to_string(), p.to_string()));
    }
    lines.push("import {".into());
    lines.extend(aligned(&import, "  "));
    lines.push("}".into());
    lines.push(String::new());

    lines.push(format!(
        "resource {} {} {{",
        hcl_string(r.kind),
        hcl_string(&entry.name)
    ));
    let mut attributes: Vec<(String, String)> = Vec::new();
    if let Some(p) = provider_ref {
        attributes.push(("provider".into(), p.to_string()));
    }
    let mut omitted: Vec<String> = Vec::new();
    for argument in &r.arguments {
        match &argument.value {
            Value::Omitted(why) => {
                omitted.extend(comment_lines("  ", &format!("{}: {why}", argument.name)))
            }
            value => attributes.push((argument.name.to_string(), expression(value))),
        }
    }
    lines.extend(aligned(&attributes, "  "));
    lines.extend(omitted);
    if !r.ignore_changes.is_empty() {
        lines.push(String::new());
        lines.push("  lifecycle {".into());
        lines.extend(comment_lines(
            "    ",
            "The provider never reads these back from the vendor: without this, every plan \
             would show them changing.",
        ));
        lines.push(format!(
            "    ignore_changes = [{}]",
            r.ignore_changes.join(", ")
        ));
        lines.push("  }".into());
    }
    lines.push("}".into());

    match spec.adoption {
        Adoption::Import => {
            for line in lines {
                out.push_str(&line);
                out.push('\n');
            }
        }
        Adoption::Impossible { .. } => {
            for line in lines {
                if line.is_empty() {
                    out.push_str("#\n");
                } else {
                    let _ = writeln!(out, "# {line}");
                }
            }
        }
    }
}

/// `name = value` lines with the `=` signs aligned, as `terraform fmt` writes them.
fn aligned(attributes: &[(String, String)], indent: &str) -> Vec<String> {
    let width = attributes.iter().map(|(n, _)| n.len()).max().unwrap_or(0);
    attributes
        .iter()
        .map(|(name, value)| format!("{indent}{name:<width$} = {value}"))
        .collect()
}

fn expression(value: &Value) -> String {
    match value {
        Value::Text(s) => hcl_string(s),
        Value::Bool(b) => b.to_string(),
        Value::List(items) => {
            let items: Vec<String> = items.iter().map(|s| hcl_string(s)).collect();
            format!("[{}]", items.join(", "))
        }
        Value::ModuleFile(path) => {
            // The path is a template after `${path.module}/`, escaped like any string.
            let quoted = hcl_string(path);
            format!("file(\"${{path.module}}/{})", &quoted[1..])
        }
        Value::Omitted(_) => String::new(),
    }
}

fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// Write `text` as `#` comment lines under `indent`.
fn comment(out: &mut String, indent: &str, text: &str) {
    for line in comment_lines(indent, text) {
        out.push_str(&line);
        out.push('\n');
    }
}

/// `text` as `#` comment lines, wrapped to [`WIDTH`]. Whatever the text holds (a key's name, a
/// vendor's description) stays inside the comment: line breaks and other control characters
/// become spaces.
fn comment_lines(indent: &str, text: &str) -> Vec<String> {
    let prefix = format!("{indent}#");
    let clean = comment_text(text);
    if clean.trim().is_empty() {
        return vec![prefix];
    }
    let room = WIDTH.saturating_sub(prefix.len() + 1).max(20);
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in clean.split(' ').filter(|w| !w.is_empty()) {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > room {
            lines.push(format!("{prefix} {line}"));
            line.clear();
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        lines.push(format!("{prefix} {line}"));
    }
    lines
}

/// Text safe inside a `#` comment: one line, nothing invisible that reorders what is shown.
pub fn comment_text(text: &str) -> String {
    text.chars()
        .map(|c| if needs_escape(c) { ' ' } else { c })
        .collect()
}

/// Characters written as `\uXXXX` in strings (and as spaces in comments): control characters,
/// line and paragraph separators, and the invisible marks that reorder text ("Trojan source").
fn needs_escape(c: char) -> bool {
    c.is_control()
        || matches!(c,
            '\u{200B}'..='\u{200F}'
            | '\u{2028}'..='\u{202E}'
            | '\u{2060}'..='\u{2069}'
            | '\u{FEFF}')
}

/// An HCL quoted string whose value is exactly `value`: quotes and backslashes escaped, `${`
/// and `%{` doubled so that they are not template sequences, line breaks, control and invisible
/// characters as escapes. Nothing in `value` can end the string or run as an expression.
pub fn hcl_string(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('"');
    let mut chars = value.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '$' | '%' if chars.peek() == Some(&'{') => {
                chars.next();
                out.push(c);
                out.push(c);
                out.push('{');
            }
            c if needs_escape(c) => {
                let _ = write!(out, "\\u{:04X}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Characters Go's `url.PathEscape` leaves as they are, so that an id built here is the one the
/// provider builds itself.
const PATH_SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~')
    .remove(b'$')
    .remove(b'&')
    .remove(b'+')
    .remove(b':')
    .remove(b'=')
    .remove(b'@');

/// One path segment of an import id, escaped as the providers' `url.PathEscape` does.
pub fn path_segment(value: &str) -> String {
    percent_encoding::utf8_percent_encode(value, PATH_SEGMENT).to_string()
}

/// A key's resource name before it is made unique: from its name (or description), else
/// `key_<id>`.
fn base_name(record: &KeyRecord) -> String {
    let shown = record.display_name();
    if shown == record.id {
        slug(&format!("key {shown}"), '_', "key")
    } else {
        slug(shown, '_', "key")
    }
}

/// An identifier made of `raw`: lowercase ASCII letters, digits and `sep`, starting with a
/// letter, at most [`NAME_MAX`] characters; `noun` when nothing is left, and `noun` in front of
/// a leading digit.
fn slug(raw: &str, sep: char, noun: &str) -> String {
    let mut out = String::new();
    for c in raw.chars() {
        let c = c.to_ascii_lowercase();
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with(sep) {
            out.push(sep);
        }
    }
    out.truncate(NAME_MAX);
    let out = out.trim_end_matches(sep);
    if out.is_empty() {
        noun.to_string()
    } else if out.starts_with(|c: char| c.is_ascii_digit()) {
        format!("{noun}{sep}{out}")
    } else if matches!(out, "true" | "false" | "null") {
        format!("{out}{sep}{noun}")
    } else {
        out.to_string()
    }
}

/// Unique names for `(base, id)` pairs, in the same order. A base that several keys share gets
/// a suffix made from each one's id, so a key's name depends on its own name and id and on
/// which other names are taken — never on the order of the list, nor on an unrelated key.
fn unique_names(items: Vec<(String, &str)>, sep: char) -> Vec<String> {
    let mut uses: HashMap<&str, usize> = HashMap::new();
    for (base, _) in &items {
        *uses.entry(base.as_str()).or_default() += 1;
    }
    let candidates: Vec<String> = items
        .iter()
        .map(|(base, id)| {
            if uses[base.as_str()] > 1 {
                let digest = Sha256::digest(id.as_bytes());
                format!("{base}{sep}{}", &hex::encode(digest)[..8])
            } else {
                base.clone()
            }
        })
        .collect();
    // Whatever still collides (the same key twice, or a name equal to another's suffixed one)
    // is numbered, in an order that does not depend on the list's.
    let mut order: Vec<usize> = (0..items.len()).collect();
    order.sort_by(|&a, &b| (&candidates[a], items[a].1).cmp(&(&candidates[b], items[b].1)));
    let mut taken: BTreeSet<String> = BTreeSet::new();
    let mut names = vec![String::new(); items.len()];
    for index in order {
        let mut name = candidates[index].clone();
        let mut n = 2;
        while taken.contains(&name) {
            name = format!("{}{sep}{n}", candidates[index]);
            n += 1;
        }
        taken.insert(name.clone());
        names[index] = name;
    }
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_escape_everything_that_could_end_them_or_run() {
        assert_eq!(hcl_string("plain"), r#""plain""#);
        assert_eq!(hcl_string(r#"say "hi""#), r#""say \"hi\"""#);
        assert_eq!(hcl_string(r"C:\dir\"), r#""C:\\dir\\""#);
        assert_eq!(hcl_string("a\nb\r\tc"), r#""a\nb\r\tc""#);
        assert_eq!(hcl_string("${var.x}"), r#""$${var.x}""#);
        assert_eq!(hcl_string("%{ if x }"), r#""%%{ if x }""#);
        assert_eq!(hcl_string("$${"), r#""$$${""#);
        assert_eq!(hcl_string("cost: 5$ or 5%"), r#""cost: 5$ or 5%""#);
        assert_eq!(hcl_string("\u{1b}[31m"), r#""\u001B[31m""#);
        assert_eq!(hcl_string("a\u{202E}b"), r#""a\u202Eb""#);
        assert_eq!(hcl_string("café 日本"), "\"café 日本\"");
    }

    #[test]
    fn comments_stay_on_their_line() {
        let lines = comment_lines("", "one\ntwo\rthree\u{2028}four");
        assert_eq!(lines, ["# one two three four"]);
        let long = "word ".repeat(60);
        let lines = comment_lines("  ", &long);
        assert!(lines.len() > 1);
        assert!(lines
            .iter()
            .all(|l| l.starts_with("  # ") && l.len() <= WIDTH));
    }

    #[test]
    fn slugs_are_identifiers() {
        assert_eq!(slug("CI Deploy (prod)", '_', "key"), "ci_deploy_prod");
        assert_eq!(slug("2024-rotation", '_', "key"), "key_2024_rotation");
        assert_eq!(slug("日本語", '_', "key"), "key");
        assert_eq!(slug("", '_', "key"), "key");
        assert_eq!(slug("null", '_', "key"), "null_key");
        assert_eq!(slug("café", '-', "account"), "caf");
        assert_eq!(slug("日本", '-', "account"), "account");
        assert_eq!(slug("1st", '-', "account"), "account-1st");
        assert_eq!(slug(&"x".repeat(200), '_', "key").len(), NAME_MAX);
    }

    #[test]
    fn shared_names_get_suffixes_from_their_ids_whatever_the_order() {
        let a = unique_names(
            vec![
                ("dup".into(), "id-1"),
                ("dup".into(), "id-2"),
                ("solo".into(), "id-3"),
            ],
            '_',
        );
        let b = unique_names(
            vec![
                ("solo".into(), "id-3"),
                ("dup".into(), "id-2"),
                ("dup".into(), "id-1"),
            ],
            '_',
        );
        assert_eq!(a[2], "solo");
        assert_ne!(a[0], a[1]);
        assert!(a[0].starts_with("dup_") && a[0].len() == "dup_".len() + 8);
        assert_eq!((&a[0], &a[1], &a[2]), (&b[2], &b[1], &b[0]));
        // The same key twice still gets two names.
        let twice = unique_names(vec![("k".into(), "same"), ("k".into(), "same")], '_');
        assert_ne!(twice[0], twice[1]);
    }

    #[test]
    fn import_path_segments_are_escaped_like_go_path_escape() {
        assert_eq!(
            path_segment("aa:bb:cc"),
            "aa:bb:cc",
            "colons stay, as in the provider's own ids"
        );
        assert_eq!(path_segment("ocid1.user.oc1..x"), "ocid1.user.oc1..x");
        assert_eq!(path_segment("a/b c%"), "a%2Fb%20c%25");
    }
}
