//! The command tree (clap derive). Parsing only: every value is turned into the core's own types
//! here, so the commands never see raw strings they would have to interpret.

use std::net::SocketAddr;
use std::path::PathBuf;

use chrono::{DateTime, Utc};
use clap::builder::{PossibleValuesParser, TypedValueParser};
use clap::{Args, Parser, Subcommand};
use keyrack_core::vendors;
use keyrack_core::{KeyStatus, OwnerKind, PermissionLevel, PermissionMode, VendorId};

#[derive(Debug, Parser)]
#[command(
    name = "keyrack",
    version,
    about = "Manage cloud API keys at IBM Cloud, Scaleway, OCI, OpenAI and Codefresh",
    long_about = "Manage cloud API keys at IBM Cloud, Scaleway, OCI, OpenAI and Codefresh.\n\n\
        By default keyrack uses the desktop app's accounts (settings file and OS keychain). \
        --accounts FILE or --sandbox-manifest FILE use only the accounts they describe, so CI \
        jobs need no keychain.\n\n\
        Exit codes: 0 ok, 1 vendor or operation error, 2 usage or validation error, \
        3 authentication or keychain error."
)]
pub struct Cli {
    #[command(flatten)]
    pub global: Global,
    #[command(subcommand)]
    pub command: Command,
}

const GLOBAL: &str = "Global options";

#[derive(Debug, Args)]
pub struct Global {
    /// Use the accounts of this TOML file instead of the app's (no keychain unless an account
    /// says `secret = "keychain"`).
    #[arg(
        long,
        global = true,
        value_name = "FILE",
        env = "KEYRACK_ACCOUNTS_FILE",
        help_heading = GLOBAL
    )]
    pub accounts: Option<PathBuf>,
    /// Use the five sandbox accounts of this emulator manifest (see `keyrack sandbox`).
    #[arg(
        long,
        global = true,
        value_name = "FILE",
        env = "KEYRACK_SANDBOX_MANIFEST",
        help_heading = GLOBAL
    )]
    pub sandbox_manifest: Option<PathBuf>,
    /// Print JSON on stdout (errors as JSON on stderr).
    #[arg(long, global = true, help_heading = GLOBAL)]
    pub json: bool,
    /// Log to stderr: -v info, -vv debug, -vvv trace. Logs never contain secrets.
    #[arg(short, long, global = true, action = clap::ArgAction::Count, help_heading = GLOBAL)]
    pub verbose: u8,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// The vendor accounts keyrack manages keys through.
    #[command(subcommand)]
    Accounts(AccountsCmd),
    /// API keys: list, create, change, delete.
    #[command(subcommand)]
    Keys(KeysCmd),
    /// Export the inventory: Terraform import blocks, CSV or JSON. Never a key's secret.
    #[command(subcommand)]
    Export(ExportCmd),
    /// Run the vendor emulator in the foreground, with one sandbox account per vendor.
    Sandbox(SandboxArgs),
    /// Print the completion script for a shell (the packages install them for bash, zsh, fish).
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the manual page, in roff (the packages install it as keyrack(1)).
    Man,
    /// What keyrack and the app did with keys and accounts (the local audit log), newest first.
    Audit(AuditArgs),
}

#[derive(Debug, Args)]
pub struct AuditArgs {
    #[command(subcommand)]
    pub command: Option<AuditCmd>,
    /// Only entries from this day (YYYY-MM-DD, UTC) or moment (RFC 3339) on.
    #[arg(long, value_name = "DATE", value_parser = parse_since)]
    pub since: Option<DateTime<Utc>>,
    /// Only entries about this account (name or id).
    #[arg(long)]
    pub account: Option<String>,
    /// Only entries about this key id.
    #[arg(long, value_name = "ID")]
    pub key: Option<String>,
    /// Only this action, e.g. key-create, key-delete, secret-reveal, account-add.
    #[arg(long, value_parser = audit_action_parser())]
    pub action: Option<keyrack_core::audit::AuditAction>,
}

#[derive(Debug, Subcommand)]
pub enum AuditCmd {
    /// Check that no line was removed, changed or moved (exit 1 naming the first bad line).
    Verify,
}

#[derive(Debug, Subcommand)]
pub enum AccountsCmd {
    /// List the accounts.
    List,
    /// Check an account's credential with its vendor.
    Test {
        /// Account name (or id).
        name: String,
    },
    /// Add an account to the app's settings and keychain. The secret is read from stdin, or
    /// asked for without echo on a terminal; the connection is tested before anything is saved.
    Add(Box<AddAccountArgs>),
    /// Remove an account and its keychain entry (its keys at the vendor are not touched).
    Remove {
        /// Account name (or id).
        name: String,
    },
    /// Add the accounts the vendors' own tools already use here: ~/.oci/config profiles,
    /// ~/.config/scw/config.yaml profiles, ~/.cfconfig contexts and the variables
    /// IBMCLOUD_API_KEY, SCW_ACCESS_KEY/SCW_SECRET_KEY, OPENAI_ADMIN_KEY, CF_API_KEY. Each is
    /// added only after its connection test; the files are only read. Lists and asks first
    /// unless --yes (with --json and no --yes it only lists).
    Import(ImportArgs),
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// Only this source: a vendor's config file (oci, scaleway, codefresh) or env.
    #[arg(long, value_name = "SOURCE", value_parser = ["oci", "scaleway", "codefresh", "env"])]
    pub from: Option<String>,
    /// Only the profile (or Codefresh context) with this name.
    #[arg(long, value_name = "P")]
    pub profile: Option<String>,
    /// Import without asking (required without a terminal).
    #[arg(long, short = 'y')]
    pub yes: bool,
}

#[derive(Debug, Args)]
pub struct AddAccountArgs {
    #[arg(value_parser = vendor_parser())]
    pub vendor: VendorId,
    /// A name for the account, unique among the accounts.
    #[arg(long)]
    pub name: String,
    /// API endpoint; default: the vendor's real one.
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,
    /// IBM: token service URL.
    #[arg(long, value_name = "URL")]
    pub iam_url: Option<String>,
    /// IBM or Codefresh account id.
    #[arg(long)]
    pub account_id: Option<String>,
    /// IBM: the identity whose keys to manage (default: the API key's own).
    #[arg(long)]
    pub iam_id: Option<String>,
    /// Scaleway or OpenAI organization.
    #[arg(long)]
    pub organization_id: Option<String>,
    /// Scaleway or OpenAI default project.
    #[arg(long)]
    pub project_id: Option<String>,
    /// Scaleway: the access key of the secret key given on stdin.
    #[arg(long)]
    pub access_key: Option<String>,
    /// OCI tenancy OCID.
    #[arg(long)]
    pub tenancy: Option<String>,
    /// OCI user OCID.
    #[arg(long)]
    pub user: Option<String>,
    /// OCI region, e.g. eu-frankfurt-1.
    #[arg(long)]
    pub region: Option<String>,
    /// OCI fingerprint of the signing key given on stdin; default: computed from the key (a
    /// given one must be the key's).
    #[arg(long)]
    pub fingerprint: Option<String>,
    /// OCI: the private key is encrypted; ask for its passphrase on the terminal.
    #[arg(long, conflicts_with = "passphrase_env")]
    pub ask_passphrase: bool,
    /// OCI: read the private key's passphrase from this environment variable.
    #[arg(long, value_name = "NAME")]
    pub passphrase_env: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum KeysCmd {
    /// List the keys of every account (or the chosen ones), all accounts at once.
    List(ListArgs),
    /// Create a key. Its secret is shown once: on stdout, or written to --out (mode 0600).
    Create(Box<CreateArgs>),
    /// Change a key's name, description, scopes or project.
    Update(UpdateArgs),
    /// Lock a key (IBM): it cannot be changed or deleted until unlocked.
    Lock(KeyRef),
    /// Unlock a key (IBM).
    Unlock(KeyRef),
    /// Disable a key (IBM): it stops authenticating until enabled.
    Disable(KeyRef),
    /// Enable a disabled key (IBM).
    Enable(KeyRef),
    /// Delete a key. Asks first unless --yes.
    Delete(DeleteArgs),
    /// Replace a key with a new one: create it (same owner, project, scopes, permissions,
    /// lifetime), deliver its secret, check that it signs in, then retire the old key. Each step
    /// is journaled; a failure stops there and leaves the old key working. Asks first unless
    /// --yes.
    Rotate(Box<RotateArgs>),
    /// Rotations left behind (stopped or interrupted) to resume or undo, and old keys kept for a
    /// grace period.
    Rotations,
}

#[derive(Debug, Args)]
pub struct ListArgs {
    /// Only this account (repeatable).
    #[arg(long, value_name = "NAME")]
    pub account: Vec<String>,
    /// Only accounts of this vendor.
    #[arg(long, value_parser = vendor_parser())]
    pub vendor: Option<VendorId>,
    /// Only keys with this status.
    #[arg(long, value_parser = status_parser())]
    pub status: Option<KeyStatus>,
    /// Only keys whose owner is of this kind (IBM users or service IDs, Scaleway users or
    /// applications, Codefresh service users or OpenAI service accounts: service-account or
    /// service-user).
    #[arg(long, value_name = "KIND", value_parser = owner_kind_parser())]
    pub owner_kind: Option<OwnerKind>,
    /// Also list the keys of archived projects (OpenAI), hidden by default.
    #[arg(long)]
    pub include_archived: bool,
}

#[derive(Debug, Args)]
pub struct CreateArgs {
    /// Account name (or id), as `accounts list` shows it.
    #[arg(long, value_name = "NAME")]
    pub account: String,
    /// The key's name (IBM, Codefresh; OpenAI: the new service account's name).
    #[arg(long)]
    pub name: Option<String>,
    /// IBM description; Scaleway's label for the key.
    #[arg(long)]
    pub description: Option<String>,
    /// Expiry as RFC 3339, e.g. 2030-01-31T00:00:00Z.
    #[arg(long, value_name = "RFC3339", value_parser = parse_rfc3339)]
    pub expires_at: Option<DateTime<Utc>>,
    /// Codefresh scope (repeatable).
    #[arg(long = "scope", value_name = "SCOPE")]
    pub scopes: Vec<String>,
    /// The identity the key is for: IBM iam_id, Scaleway user or application, OCI user OCID,
    /// OpenAI service account, Codefresh service user (id or name).
    #[arg(long, value_name = "ID")]
    pub owner: Option<String>,
    /// What --owner is; default: the vendor's only kind, or, where it has several, worked out
    /// from the id (IBM by its prefix, Scaleway by looking it up as a user, then an application).
    #[arg(long, value_name = "KIND", value_parser = owner_kind_parser(), requires = "owner")]
    pub owner_kind: Option<OwnerKind>,
    /// Scaleway default project, OpenAI project.
    #[arg(long, value_name = "ID")]
    pub project: Option<String>,
    /// IBM: create the key locked.
    #[arg(long)]
    pub locked: bool,
    /// IBM: create the key disabled.
    #[arg(long)]
    pub disabled: bool,
    /// IBM: what IBM does when the key leaks.
    #[arg(long, value_name = "ACTION", value_parser = ["none", "disable", "delete"])]
    pub action_when_leaked: Option<String>,
    /// IBM: allow IBM support sessions with the key (users' keys only).
    #[arg(long)]
    pub support_sessions: bool,
    #[command(flatten)]
    pub permissions: PermissionArgs,
    /// OCI: upload this public key (PEM) instead of generating a key pair.
    #[arg(long, value_name = "FILE")]
    pub public_key: Option<PathBuf>,
    /// OCI: size of the generated RSA key (default 2048).
    #[arg(long, value_name = "BITS")]
    pub key_bits: Option<u32>,
    /// Write the secret to this file (mode 0600) instead of stdout.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// File format for --out: native (the vendor's own, default), env, json, or a named one.
    #[arg(long, value_name = "FORMAT", requires = "out", value_parser = format_parser())]
    pub format: Option<FormatChoice>,
    /// Profile or context name written in the file; default: from the key's name.
    #[arg(long, requires = "out")]
    pub profile: Option<String>,
    /// OCI: the private key file that an env or config-profile --out points at; a generated
    /// key is saved there too (mode 0600).
    #[arg(long, value_name = "FILE", requires = "out")]
    pub key_file: Option<PathBuf>,
    /// Replace --out (and --key-file) if it exists.
    #[arg(long, requires = "out")]
    pub force: bool,
}

#[derive(Debug, Args)]
pub struct KeyRef {
    /// Account name (or id), as `accounts list` shows it.
    #[arg(long, value_name = "NAME")]
    pub account: String,
    /// The vendor's key id (as `keys list` shows it).
    pub key_id: String,
}

#[derive(Debug, Args)]
pub struct UpdateArgs {
    #[command(flatten)]
    pub key: KeyRef,
    /// New name (IBM, Codefresh).
    #[arg(long)]
    pub name: Option<String>,
    /// New description (IBM, Scaleway).
    #[arg(long)]
    pub description: Option<String>,
    /// Codefresh: replace the scopes with these (repeatable).
    #[arg(long = "scope", value_name = "SCOPE")]
    pub scopes: Vec<String>,
    /// Scaleway: the key's default project.
    #[arg(long, value_name = "ID")]
    pub project: Option<String>,
    /// A new expiry as RFC 3339, e.g. 2030-01-31T00:00:00Z (IBM, Scaleway).
    #[arg(long, value_name = "RFC3339", value_parser = parse_rfc3339, conflicts_with = "no_expiry")]
    pub expires_at: Option<DateTime<Utc>>,
    /// Remove the expiry date: the key no longer expires (IBM).
    #[arg(long)]
    pub no_expiry: bool,
    /// IBM: what IBM does when the key leaks.
    #[arg(long, value_name = "ACTION", value_parser = ["none", "disable", "delete"])]
    pub action_when_leaked: Option<String>,
    /// IBM: allow (true) or forbid (false) support sessions with the key.
    #[arg(long, value_name = "BOOL", value_parser = clap::value_parser!(bool))]
    pub support_sessions: Option<bool>,
    #[command(flatten)]
    pub permissions: PermissionArgs,
}

/// What a key may do (OpenAI), as the vendor's dashboard offers it.
#[derive(Debug, Args)]
pub struct PermissionArgs {
    /// OpenAI: all (the default), read-only, or restricted to the resources of --allow.
    #[arg(long, value_name = "MODE", value_parser = permission_mode_parser())]
    pub permissions: Option<PermissionMode>,
    /// OpenAI: with restricted permissions, RESOURCE:LEVEL pairs (level none, read or write),
    /// comma-separated or repeated, e.g. models:read,files:write. Implies --permissions
    /// restricted.
    #[arg(long, value_name = "RESOURCE:LEVEL", value_delimiter = ',', value_parser = parse_allow)]
    pub allow: Vec<(String, PermissionLevel)>,
}

impl PermissionArgs {
    /// The permissions asked for, if any; the core checks them against the vendor's choices.
    pub fn permissions(&self) -> Option<keyrack_core::Permissions> {
        let mode = match (self.permissions, self.allow.is_empty()) {
            (Some(mode), _) => mode,
            (None, false) => PermissionMode::Restricted,
            (None, true) => return None,
        };
        Some(keyrack_core::Permissions {
            mode,
            resources: self.allow.iter().cloned().collect(),
        })
    }
}

#[derive(Debug, Args)]
pub struct RotateArgs {
    /// Account name (or id), as `accounts list` shows it.
    #[arg(long, value_name = "NAME", required_unless_present_any = ["resume", "undo"])]
    pub account: Option<String>,
    /// The vendor's id of the key to replace.
    #[arg(required_unless_present_any = ["resume", "undo"], conflicts_with_all = ["resume", "undo"])]
    pub key_id: Option<String>,
    /// The new key's name; default: the old name with -rotated-<date>.
    #[arg(long)]
    pub name: Option<String>,
    /// Write the new secret to this new file (mode 0600) instead of stdout.
    #[arg(long, value_name = "FILE", conflicts_with = "update_file")]
    pub out: Option<PathBuf>,
    /// File format for --out: native (the vendor's own, default), env, json, or a named one.
    #[arg(long, value_name = "FORMAT", requires = "out", value_parser = format_parser())]
    pub format: Option<FormatChoice>,
    /// Replace the old secret in this file, in place: an OCI config profile (a new PEM is
    /// written beside the old key file), a Scaleway config.yaml profile, a Codefresh .cfconfig
    /// context, an IBM apikey.json, or a .env.
    #[arg(long, value_name = "FILE")]
    pub update_file: Option<PathBuf>,
    /// What to do with the old key once the new one works (default: delete; keep with --grace).
    #[arg(long, value_name = "ACTION", value_parser = ["delete", "disable", "keep"])]
    pub then: Option<String>,
    /// Keep the old key this long (e.g. 7d, 36h, 2w); implies --then keep.
    #[arg(long, value_name = "DURATION", value_parser = parse_grace)]
    pub grace: Option<chrono::Duration>,
    /// Do not ask for confirmation (required without a terminal).
    #[arg(long, short = 'y')]
    pub yes: bool,
    /// Go on with a rotation left behind (see `keys rotations`).
    #[arg(long, value_name = "ID", conflicts_with_all = ["undo", "account", "name", "out", "update_file", "then", "grace"])]
    pub resume: Option<String>,
    /// Undo a rotation left behind: put an updated file back and delete the new key.
    #[arg(long, value_name = "ID", conflicts_with_all = ["resume", "account", "name", "out", "update_file", "then", "grace"])]
    pub undo: Option<String>,
}

/// `7d`, `36h`, `2w`, `90m`.
fn parse_grace(text: &str) -> Result<chrono::Duration, String> {
    let text = text.trim();
    let split = text.len().saturating_sub(1);
    let (n, unit) = (&text[..split], &text[split..]);
    let n: i64 = n
        .parse()
        .ok()
        .filter(|n| *n > 0)
        .ok_or_else(|| format!("`{text}` is not a duration like 7d, 36h, 2w or 90m"))?;
    match unit {
        "m" => Ok(chrono::Duration::minutes(n)),
        "h" => Ok(chrono::Duration::hours(n)),
        "d" => Ok(chrono::Duration::days(n)),
        "w" => Ok(chrono::Duration::weeks(n)),
        _ => Err(format!(
            "`{text}` is not a duration like 7d, 36h, 2w or 90m"
        )),
    }
}

#[derive(Debug, Args)]
pub struct DeleteArgs {
    #[command(flatten)]
    pub key: KeyRef,
    /// Do not ask for confirmation (required without a terminal).
    #[arg(long, short = 'y')]
    pub yes: bool,
    /// OpenAI: also delete the service account the key leaves without keys.
    #[arg(long)]
    pub delete_empty_owner: bool,
}

#[derive(Debug, Subcommand)]
pub enum ExportCmd {
    /// Terraform (>= 1.5) `import` blocks and matching `resource` blocks for each vendor's
    /// provider, to bring existing keys under Terraform. Keys no provider can import are
    /// written commented out, with why.
    Terraform(TerraformArgs),
    /// Every key as CSV (RFC 4180), one row per key, every column of the key list.
    Csv(TableArgs),
    /// Every key as a JSON array, with the field names of `keys list --json`.
    Json(TableArgs),
}

#[derive(Debug, Args)]
pub struct ExportScope {
    /// Only this account (repeatable).
    #[arg(long, value_name = "NAME")]
    pub account: Vec<String>,
    /// Only accounts of this vendor.
    #[arg(long, value_parser = vendor_parser())]
    pub vendor: Option<VendorId>,
}

#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("destination").args(["out", "out_dir"])))]
pub struct TerraformArgs {
    #[command(flatten)]
    pub scope: ExportScope,
    /// Write one file (mode 0600) instead of stdout; accounts of one vendor get a provider
    /// configuration each.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Write one file per account, DIR/<account>/main.tf (mode 0600): each account is a
    /// Terraform root module of its own, with its own credentials and state.
    #[arg(long, value_name = "DIR")]
    pub out_dir: Option<PathBuf>,
    /// Replace files that exist.
    #[arg(long, requires = "destination")]
    pub force: bool,
}

#[derive(Debug, Args)]
pub struct TableArgs {
    #[command(flatten)]
    pub scope: ExportScope,
    /// Write to this file (mode 0600) instead of stdout.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Replace --out if it exists.
    #[arg(long, requires = "out")]
    pub force: bool,
}

#[derive(Debug, Args)]
pub struct SandboxArgs {
    /// Address to listen on; port 0 picks a free one.
    #[arg(long, default_value = "127.0.0.1:0")]
    pub listen: SocketAddr,
    /// Write the manifest (for --sandbox-manifest) here; default: a file in the temp directory,
    /// removed on exit.
    #[arg(long, value_name = "FILE")]
    pub manifest: Option<PathBuf>,
    /// Keep the emulator's state in this file across runs.
    #[arg(long, value_name = "FILE")]
    pub state: Option<PathBuf>,
    /// Seed the admin identities only, no demo keys.
    #[arg(long)]
    pub empty: bool,
}

/// `--format`: the vendor's native format, or a named one (a format id, as written on the
/// command line: `oci-config-stanza`); whether the vendor offers it is checked with the account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FormatChoice {
    Native,
    Named(String),
}

/// `native` and every format any vendor offers, in kebab case.
fn format_names() -> Vec<String> {
    let mut names = vec!["native".to_string()];
    for d in vendors::ALL {
        for f in d.formats {
            let name = f.id.replace('_', "-");
            if !names.contains(&name) {
                names.push(name);
            }
        }
    }
    names
}

fn format_parser() -> impl TypedValueParser<Value = FormatChoice> {
    PossibleValuesParser::new(format_names()).map(|s| match s.as_str() {
        "native" => FormatChoice::Native,
        other => FormatChoice::Named(other.replace('-', "_")),
    })
}

fn vendor_parser() -> impl TypedValueParser<Value = VendorId> {
    PossibleValuesParser::new(vendors::ALL.iter().map(|d| d.key))
        .map(|s| s.parse().expect("every listed vendor parses"))
}

fn status_parser() -> impl TypedValueParser<Value = KeyStatus> {
    PossibleValuesParser::new([
        "active", "disabled", "inactive", "expired", "creating", "deleting",
    ])
    .map(|s| snake_case_enum(&s).expect("every listed status is a KeyStatus"))
}

fn permission_mode_parser() -> impl TypedValueParser<Value = PermissionMode> {
    PossibleValuesParser::new(["all", "read-only", "restricted"])
        .map(|s| snake_case_enum(&s).expect("every listed mode is a PermissionMode"))
}

/// `models:read` → (`models`, Read).
fn parse_allow(text: &str) -> Result<(String, PermissionLevel), String> {
    let (resource, level) = text
        .trim()
        .split_once(':')
        .ok_or_else(|| format!("`{text}` is not RESOURCE:LEVEL, e.g. models:read"))?;
    let level = match level {
        "none" => PermissionLevel::None,
        "read" => PermissionLevel::Read,
        "write" => PermissionLevel::Write,
        other => return Err(format!("level `{other}` is not none, read or write")),
    };
    if resource.is_empty() {
        return Err(format!("`{text}` names no resource"));
    }
    Ok((resource.to_string(), level))
}

fn owner_kind_parser() -> impl TypedValueParser<Value = OwnerKind> {
    PossibleValuesParser::new([
        "user",
        "service-id",
        "service-account",
        // What Codefresh calls its service accounts.
        "service-user",
        "application",
        "other",
    ])
    .map(|s| match s.as_str() {
        "service-user" => OwnerKind::ServiceAccount,
        _ => snake_case_enum(&s).expect("every listed kind is an OwnerKind"),
    })
}

/// A core enum from its kebab-case command-line spelling (the core serializes snake_case).
fn audit_action_parser() -> impl TypedValueParser<Value = keyrack_core::audit::AuditAction> {
    PossibleValuesParser::new([
        "key-create",
        "key-update",
        "key-lock",
        "key-unlock",
        "key-disable",
        "key-enable",
        "key-delete",
        "owner-delete",
        "secret-reveal",
        "secret-copy",
        "secret-save",
        "config-append",
        "secret-dismiss",
        "account-add",
        "account-update",
        "account-remove",
        "rotation-start",
        "rotation-step",
        "rotation-done",
        "rotation-undo",
    ])
    .map(|s| snake_case_enum(&s).expect("every listed action is an AuditAction"))
}

/// `2026-01-31` (midnight UTC) or an RFC 3339 moment.
fn parse_since(text: &str) -> Result<DateTime<Utc>, String> {
    if let Ok(day) = chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        return Ok(day.and_time(chrono::NaiveTime::MIN).and_utc());
    }
    parse_rfc3339(text).map_err(|_| {
        format!(
            "`{text}` is neither a day (2026-01-31) nor an RFC 3339 time (2026-01-31T12:00:00Z)"
        )
    })
}

fn snake_case_enum<T: serde::de::DeserializeOwned>(kebab: &str) -> Option<T> {
    serde_json::from_value(serde_json::Value::String(kebab.replace('-', "_"))).ok()
}

fn parse_rfc3339(value: &str) -> Result<DateTime<Utc>, String> {
    DateTime::parse_from_rfc3339(value)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| format!("not an RFC 3339 date-time such as 2030-01-31T00:00:00Z ({e})"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;
    use std::path::Path;

    #[test]
    fn the_command_tree_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn every_listed_format_status_and_kind_maps_to_the_core() {
        for f in format_names().iter().filter(|f| *f != "native") {
            let id = f.replace('-', "_");
            assert!(vendors::ALL.iter().any(|d| d.format(&id).is_some()), "{f}");
        }
        let cli = Cli::try_parse_from([
            "keyrack",
            "keys",
            "create",
            "--account",
            "a",
            "--owner",
            "x",
            "--owner-kind",
            "service-id",
            "--expires-at",
            "2030-01-31T00:00:00+01:00",
            "--out",
            "f",
            "--format",
            "oci-config-stanza",
        ])
        .unwrap();
        let Command::Keys(KeysCmd::Create(args)) = cli.command else {
            panic!("not create")
        };
        assert_eq!(args.owner_kind, Some(OwnerKind::ServiceId));
        assert_eq!(
            args.format,
            Some(FormatChoice::Named("oci_config_stanza".into()))
        );
        assert_eq!(
            args.expires_at.unwrap().to_rfc3339(),
            "2030-01-30T23:00:00+00:00"
        );
    }

    #[test]
    fn global_flags_work_after_the_subcommand() {
        let cli = Cli::try_parse_from([
            "keyrack",
            "--accounts",
            "a.toml",
            "keys",
            "list",
            "--account",
            "one",
            "--account",
            "two",
            "--json",
            "--status",
            "active",
            "--vendor",
            "oci",
            "-vv",
        ])
        .unwrap();
        assert!(cli.global.json);
        assert_eq!(cli.global.verbose, 2);
        let Command::Keys(KeysCmd::List(args)) = cli.command else {
            panic!("not list")
        };
        assert_eq!(args.status, Some(KeyStatus::Active));
        assert_eq!(args.account, ["one", "two"]);
        assert_eq!(cli.global.accounts.as_deref(), Some(Path::new("a.toml")));
        assert_eq!(args.vendor, Some(VendorId::Oci));
    }

    #[test]
    fn bad_values_are_usage_errors() {
        for argv in [
            vec!["keyrack", "keys", "list", "--vendor", "aws"],
            vec![
                "keyrack",
                "keys",
                "create",
                "--account",
                "a",
                "--expires-at",
                "tomorrow",
            ],
            vec![
                "keyrack",
                "keys",
                "create",
                "--account",
                "a",
                "--format",
                "env",
            ],
            vec!["keyrack", "keys", "delete", "--account", "a"],
        ] {
            let err = Cli::try_parse_from(&argv).unwrap_err();
            assert_eq!(err.exit_code(), 2, "{argv:?}");
        }
    }
}
