//! Delivering a new key's secret: a new file in one of the vendor's formats (`Out`), or the
//! file that holds the old key updated in place (`UpdateFile`: an OCI config profile, a Scaleway
//! `config.yaml` profile, a Codefresh `.cfconfig` context, an IBM `apikey.json`, a `.env`).
//! Both are checked before the new key exists ([`check`]), so a rotation never creates a key
//! whose secret then has nowhere to go.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, Result};
use crate::export::replace::{self, ReplaceInput};
use crate::export::{self, ExportFormat, ExportInput, FileRole};
use crate::fsutil::{self, Overwrite};
use crate::model::{Account, KeyRecord};
use crate::secret::Sensitive;
use crate::vendors::FormatSpec;

/// Where the new secret goes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Delivery {
    /// A new file (never over an existing one), in `format` or the vendor's own.
    Out {
        #[ts(type = "string")]
        path: PathBuf,
        format: Option<ExportFormat>,
    },
    /// The existing file that holds the old key, changed in place.
    UpdateFile {
        #[ts(type = "string")]
        path: PathBuf,
    },
}

impl Delivery {
    pub fn path(&self) -> &Path {
        match self {
            Delivery::Out { path, .. } | Delivery::UpdateFile { path } => path,
        }
    }
}

/// The format `Out` writes: the one asked for, else the vendor's own file that holds the
/// secret itself (OCI: the private key PEM), else its `.env`.
fn out_format(old: &KeyRecord, format: Option<&ExportFormat>) -> Result<&'static FormatSpec> {
    let descriptor = old.vendor.descriptor();
    let spec = match format {
        Some(f) => export::spec(old.vendor, f)?,
        None => descriptor
            .formats
            .iter()
            .find(|f| f.native && f.role != FileRole::NamesKeyFile)
            .or(descriptor.format(export::ENV))
            .expect("every vendor offers .env"),
    };
    if spec.role == FileRole::NamesKeyFile {
        return Err(Error::validation(
            "format",
            format!(
                "{} points at a private key file; write the key itself (the vendor's own \
                 format), or update the existing file in place",
                spec.label
            ),
        ));
    }
    Ok(spec)
}

/// Everything that could stop delivery, checked before the new key is created: the format,
/// that `Out` would not replace a file, that `UpdateFile` holds the old key.
pub fn check(delivery: &Delivery, old: &KeyRecord, account: &Account) -> Result<()> {
    match delivery {
        Delivery::Out { path, format } => {
            out_format(old, format.as_ref())?;
            if path.exists() {
                return Err(Error::validation(
                    "out",
                    format!(
                        "{} already exists; choose a new file, or update it in place",
                        path.display()
                    ),
                ));
            }
            Ok(())
        }
        Delivery::UpdateFile { path } => {
            let text = read(path)?;
            // A dry run with the old key standing in for the new one.
            let placeholder = Sensitive::from("keyrack-rotation-check");
            replace::replace(&ReplaceInput {
                path,
                text: &text,
                old,
                new: input(old, &placeholder, account),
            })
            .map(|_| ())
        }
    }
}

/// Deliver the new secret; returns what was written, for the report, and the backup of an
/// updated file (named after the rotation, beside it).
pub fn deliver(
    delivery: &Delivery,
    rotation_id: &str,
    old: &KeyRecord,
    new: &KeyRecord,
    secret: &Sensitive<String>,
    account: &Account,
) -> Result<(String, Option<PathBuf>)> {
    match delivery {
        Delivery::Out { path, format } => {
            let spec = out_format(old, format.as_ref())?;
            let text = Sensitive::new((spec.render)(&input(new, secret, account))?);
            fsutil::write_private(path, text.expose().as_bytes(), Overwrite::Refuse)?;
            Ok((format!("{} ({})", path.display(), spec.label), None))
        }
        Delivery::UpdateFile { path } => {
            let before = Sensitive::new(read(path)?);
            let backup = backup_path(path, rotation_id);
            if already_updated(path, before.expose(), old, new, secret, account) {
                // A run cut short after writing: the file is done, its backup is there.
                let kept = backup.exists().then_some(backup);
                return Ok((format!("{} (already updated)", path.display()), kept));
            }
            fsutil::write_private(&backup, before.expose().as_bytes(), Overwrite::Replace)?;
            let mut what = String::new();
            fsutil::update_text(path, |text| {
                let done = replace::replace(&ReplaceInput {
                    path,
                    text,
                    old,
                    new: input(new, secret, account),
                })?;
                for (side, contents) in &done.side_files {
                    fsutil::write_private(side, contents.expose().as_bytes(), Overwrite::Replace)?;
                }
                what = done.what;
                Ok(done.text.expose().clone())
            })?;
            Ok((format!("{what} in {}", path.display()), Some(backup)))
        }
    }
}

/// Whether `text` already holds the new key (and no longer the old one): a resumed delivery
/// whose first run wrote the file but ended before saying so.
fn already_updated(
    path: &Path,
    text: &str,
    old: &KeyRecord,
    new: &KeyRecord,
    secret: &Sensitive<String>,
    account: &Account,
) -> bool {
    let holds = |key: &KeyRecord| {
        replace::replace(&ReplaceInput {
            path,
            text,
            old: key,
            new: input(new, secret, account),
        })
        .is_ok()
    };
    old.id != new.id && !holds(old) && holds(new)
}

/// Put an updated file back as it was (undo).
pub fn restore(delivery: &Delivery, backup: &Path) -> Result<()> {
    let text = Sensitive::new(
        std::fs::read(backup)
            .map_err(|e| Error::io(&format!("could not read {}", backup.display()), e))?,
    );
    fsutil::write_private(delivery.path(), text.expose(), Overwrite::Replace)?;
    forget_backup(backup);
    Ok(())
}

/// The backup is no longer needed (rotation done, or restored).
pub fn forget_backup(backup: &Path) {
    if let Err(e) = std::fs::remove_file(backup) {
        if e.kind() != std::io::ErrorKind::NotFound {
            tracing::warn!(file = %backup.display(), error = %e, "could not remove a backup");
        }
    }
}

fn backup_path(path: &Path, rotation_id: &str) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    path.with_file_name(format!(".{name}.{rotation_id}.bak"))
}

fn input<'a>(
    record: &'a KeyRecord,
    secret: &'a Sensitive<String>,
    account: &'a Account,
) -> ExportInput<'a> {
    ExportInput {
        record,
        secret,
        account,
        key_file: None,
        profile: None,
    }
}

fn read(path: &Path) -> Result<String> {
    std::fs::read_to_string(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => Error::validation(
            "update_file",
            format!(
                "{} does not exist; --update-file changes a file that holds the old key",
                path.display()
            ),
        ),
        _ => Error::io(&format!("could not read {}", path.display()), e),
    })
}
