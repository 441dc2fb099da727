//! `keyrack keys create`: the secret is shown exactly once — on stdout, or written to `--out`
//! (mode 0600, atomically) in the vendor's own file format by default. Everything that could
//! make writing the file fail is checked before the key is created, so a secret is never made
//! and then lost.

use std::path::{Path, PathBuf};

use keyrack_core::audit::{AuditAction, AuditEntry, AuditOutcome};
use keyrack_core::export::{self, ExportFormat, ExportInput, FileRole};
use keyrack_core::fsutil::{self, Overwrite};
use keyrack_core::vendor::capabilities_of;
use keyrack_core::vendors::FormatSpec;
use keyrack_core::{Account, CreatedKey, Error, NewKey, OwnerRef, Result, VendorId};
use serde::Serialize;

use crate::cli::{CreateArgs, FormatChoice};
use crate::exit;
use crate::output::{self, KeyJson, Mode};
use crate::source::Source;

/// Where the secret goes.
struct Destination {
    out: PathBuf,
    format: &'static FormatSpec,
    /// The private key file the output points at (and, for a generated key, writes).
    key_file: Option<PathBuf>,
    overwrite: Overwrite,
}

#[derive(Serialize)]
struct CreatedJson<'a> {
    key: KeyJson<'a>,
    /// Only when no --out was given: the secret is the output.
    #[serde(skip_serializing_if = "Option::is_none")]
    secret: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    public_key_pem: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    file: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    format: Option<ExportFormat>,
    #[serde(skip_serializing_if = "Option::is_none")]
    key_file: Option<String>,
}

pub async fn run(args: CreateArgs, source: &Source, mode: Mode) -> Result<u8> {
    let account = source.find(&args.account)?;
    let spec = new_key(&args, account.vendor)?;
    let destination = destination(&args, account.vendor)?;
    let noun = account.vendor.descriptor().capabilities().key_noun;
    let created = source.registry.create_key(&account.id, &spec).await?;
    let record = &created.record;

    match &destination {
        None => {
            let code = print_secret(&created, &account, mode, &noun);
            let delivered = matches!(code, Ok(exit::OK));
            let mut entry = AuditEntry::new(AuditAction::SecretReveal)
                .account(&account)
                .key(record)
                .detail("printed on stdout by keyrack keys create");
            if !delivered {
                entry = entry.detail("could not be printed: stdout was closed");
                entry.outcome = AuditOutcome::Failed {
                    code: keyrack_core::Code::Io,
                    message: "stdout was closed".into(),
                };
            }
            source.registry.audit(entry);
            return code;
        }
        Some(dest) => {
            let written = write_files(dest, &created, &account, args.profile.as_deref());
            source.registry.audit(
                AuditEntry::new(AuditAction::SecretSave)
                    .account(&account)
                    .key(record)
                    .detail(format!("{} ({})", dest.out.display(), dest.format.id))
                    .outcome(&written),
            );
            if let Err(e) = written {
                output::note(format!(
                    "keyrack: the {noun} {} WAS created at {}, but its secret could not be \
                     saved and is gone; delete the key (`keyrack keys delete --account {:?} {}`) \
                     and create another",
                    record.id,
                    account.vendor.display_name(),
                    account.name,
                    record.id
                ));
                return Err(e);
            }
            if mode.is_json() {
                output::json(&CreatedJson {
                    key: KeyJson::new(record, &account.name),
                    secret: None,
                    public_key_pem: None,
                    file: Some(dest.out.display().to_string()),
                    format: Some(ExportFormat::from(dest.format.id)),
                    key_file: dest.key_file.as_ref().map(|p| p.display().to_string()),
                });
            } else {
                output::note(format!(
                    "Created {noun} {} in `{}`; secret written to {}.",
                    output::key_label(record),
                    account.name,
                    dest.out.display()
                ));
            }
        }
    }
    Ok(exit::OK)
}

/// Print the new key's secret on stdout (the only place it goes). When stdout cannot take it
/// (a closed pipe), say on stderr that the key exists and its secret was not delivered.
fn print_secret(created: &CreatedKey, account: &Account, mode: Mode, noun: &str) -> Result<u8> {
    let record = &created.record;
    let secret = Some(created.secret.expose().as_str()).filter(|s| !s.is_empty());
    let written = if mode.is_json() {
        output::try_json(&CreatedJson {
            key: KeyJson::new(record, &account.name),
            secret,
            public_key_pem: created.public_key_pem.as_deref(),
            file: None,
            format: None,
            key_file: None,
        })
    } else {
        output::note(format!(
            "Created {noun} {} in `{}`.",
            output::key_label(record),
            account.name
        ));
        match secret {
            Some(secret) => {
                output::note("The secret below is shown only this once:");
                output::try_line(secret)
            }
            None => {
                output::note("You supplied the public key: keyrack never had the private key.");
                Ok(())
            }
        }
    };
    match written {
        Ok(()) => Ok(exit::OK),
        Err(e) => {
            output::note(format!(
                "keyrack: the {noun} {} WAS created at {}, but its secret could not be written \
                 to stdout ({e}) and is gone; delete the key (`keyrack keys delete --account \
                 {:?} {}`) and create another",
                record.id,
                account.vendor.display_name(),
                account.name,
                record.id
            ));
            Ok(exit::FAILED)
        }
    }
}

fn new_key(args: &CreateArgs, vendor: VendorId) -> Result<NewKey> {
    let owner = match &args.owner {
        None => None,
        Some(id) => {
            let kinds = capabilities_of(vendor)
                .owner
                .map(|o| o.kinds)
                .unwrap_or_default();
            let kind = match (args.owner_kind, kinds.as_slice()) {
                (Some(kind), _) => kind,
                // The vendor's only kind.
                (None, [only]) => *only,
                // Several kinds: the vendor works out which one the id is.
                (None, [_, _, ..]) => keyrack_core::OwnerKind::Other,
                // No owners at all: the core's validation error for the owner.
                (None, []) => keyrack_core::OwnerKind::User,
            };
            Some(OwnerRef {
                kind,
                id: id.clone(),
            })
        }
    };
    let public_key_pem = match &args.public_key {
        Some(path) => Some(std::fs::read_to_string(path).map_err(|e| {
            Error::io(
                &format!("could not read the public key {}", path.display()),
                e,
            )
        })?),
        None => None,
    };
    Ok(NewKey {
        name: args.name.clone(),
        description: args.description.clone(),
        expires_at: args.expires_at,
        owner,
        project_id: args.project.clone(),
        scopes: args.scopes.clone(),
        locked: args.locked,
        disabled: args.disabled,
        action_when_leaked: args.action_when_leaked.clone(),
        support_sessions: args.support_sessions,
        public_key_pem,
        key_bits: args.key_bits,
        permissions: args.permissions.permissions(),
    })
}

/// Check `--out`, `--format` and `--key-file` before anything is created.
fn destination(args: &CreateArgs, vendor: VendorId) -> Result<Option<Destination>> {
    let Some(out) = args.out.clone() else {
        return Ok(None);
    };
    let descriptor = vendor.descriptor();
    let format = match &args.format {
        None | Some(FormatChoice::Native) => descriptor
            .formats
            .iter()
            .find(|f| f.native)
            .or(descriptor.format(export::ENV))
            .expect("every vendor offers .env"),
        Some(FormatChoice::Named(name)) => export::spec(vendor, &ExportFormat::from(name.as_str()))
            .map_err(|_| {
                let names: Vec<String> = descriptor.formats.iter().map(|f| kebab(f.id)).collect();
                Error::validation(
                    "format",
                    format!(
                        "{} is not a format for {} keys; choose native or one of {}",
                        kebab(name),
                        vendor.display_name(),
                        names.join(", ")
                    ),
                )
            })?,
    };
    let uploaded = args.public_key.is_some();
    let points_at_key = format.role == FileRole::NamesKeyFile;
    let has_key_file = descriptor
        .formats
        .iter()
        .any(|f| f.role == FileRole::KeyFile);
    let pointing_formats = || {
        descriptor
            .formats
            .iter()
            .filter(|f| f.role == FileRole::NamesKeyFile)
            .map(|f| kebab(f.id))
            .collect::<Vec<_>>()
            .join(" or ")
    };
    let key_file = match &args.key_file {
        Some(_) if !has_key_file => {
            return Err(Error::validation(
                "key_file",
                format!(
                    "--key-file is for keys that are a private key file; {} keys are not",
                    vendor.display_name()
                ),
            ))
        }
        Some(_) if !points_at_key => {
            return Err(Error::validation(
                "key_file",
                format!(
                    "--key-file goes with --format {}, which point at it",
                    pointing_formats()
                ),
            ))
        }
        None if points_at_key => {
            return Err(Error::validation(
                "key_file",
                "this format points at the private key file: give it with --key-file FILE",
            ))
        }
        // The written config must find the key from anywhere: make the path absolute.
        Some(k) => Some(
            std::path::absolute(k)
                .map_err(|e| Error::io(&format!("bad path {}", k.display()), e))?,
        ),
        None => None,
    };
    if uploaded && !points_at_key {
        return Err(Error::validation(
            "format",
            format!(
                "with --public-key keyrack never has the private key: write a config \
                 (--format {} with --key-file) instead",
                pointing_formats()
            ),
        ));
    }
    let overwrite = if args.force {
        Overwrite::Replace
    } else {
        Overwrite::Refuse
    };
    let mut to_write = vec![out.as_path()];
    if !uploaded {
        to_write.extend(key_file.as_deref());
    }
    if overwrite == Overwrite::Refuse {
        if let Some(existing) = to_write.iter().find(|p| p.exists()) {
            return Err(Error::validation(
                "out",
                format!(
                    "{} already exists; pass --force to replace it",
                    existing.display()
                ),
            ));
        }
    }
    Ok(Some(Destination {
        out,
        format,
        key_file,
        overwrite,
    }))
}

/// Write the generated OCI private key to `--key-file` (when there is one to write), then the
/// chosen format to `--out`.
fn write_files(
    dest: &Destination,
    created: &CreatedKey,
    account: &Account,
    profile: Option<&str>,
) -> Result<()> {
    fn input<'a>(
        created: &'a CreatedKey,
        account: &'a Account,
        key_file: Option<&'a Path>,
        profile: Option<&'a str>,
    ) -> ExportInput<'a> {
        ExportInput {
            record: &created.record,
            secret: &created.secret,
            account,
            key_file,
            profile,
        }
    }
    let key_format = created
        .record
        .vendor
        .descriptor()
        .formats
        .iter()
        .find(|f| f.role == FileRole::KeyFile);
    if let (Some(key_file), Some(key_format)) = (&dest.key_file, key_format) {
        if !created.secret.is_empty() {
            let pem = (key_format.render)(&input(created, account, None, profile))?;
            let pem = keyrack_core::Sensitive::new(pem);
            fsutil::write_private(key_file, pem.expose().as_bytes(), dest.overwrite)?;
        }
    }
    let text = (dest.format.render)(&input(created, account, dest.key_file.as_deref(), profile))?;
    let text = keyrack_core::Sensitive::new(text);
    fsutil::write_private(&dest.out, text.expose().as_bytes(), dest.overwrite)
}

/// The `--format` spelling of a format id.
fn kebab(id: &str) -> String {
    id.replace('_', "-")
}
