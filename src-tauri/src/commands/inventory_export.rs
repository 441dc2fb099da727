//! "Export…" in the window: the keys the user is looking at (named by account and key id, as
//! listed) as Terraform import blocks, CSV or JSON — a preview of the first lines, then the file
//! written where the user chooses in the native save dialog the backend opens. The webview never
//! names a path, and no secret is in an inventory: listed keys hold none.

use std::collections::BTreeSet;

use keyrack_core::audit::{AuditAction, AuditEntry};
use keyrack_core::error::{Error, Result};
use keyrack_core::export::{table, terraform, AccountKeys};
use keyrack_core::fsutil::{self, Overwrite};
use serde::{Deserialize, Serialize};
use tauri::State;
use ts_rs::TS;

use crate::dto::SavedFile;
use crate::error::{public, IpcResult};
use crate::save_picker::SaveRequest;
use crate::state::AppState;

/// Lines of the export the preview shows.
const PREVIEW_LINES: usize = 40;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum InventoryFormat {
    Terraform,
    Csv,
    Json,
}

impl InventoryFormat {
    fn file_name(self) -> &'static str {
        match self {
            InventoryFormat::Terraform => "keys.tf",
            InventoryFormat::Csv => "keys.csv",
            InventoryFormat::Json => "keys.json",
        }
    }

    fn label(self) -> &'static str {
        match self {
            InventoryFormat::Terraform => "Terraform",
            InventoryFormat::Csv => "CSV",
            InventoryFormat::Json => "JSON",
        }
    }
}

/// A listed key, by its account and id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct KeyRef {
    pub account_id: String,
    pub key_id: String,
}

/// What an export would hold: its first lines, and how many keys of how many accounts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ExportPreview {
    pub lines: Vec<String>,
    /// Lines after those shown.
    #[ts(type = "number")]
    pub more_lines: usize,
    #[ts(type = "number")]
    pub keys: usize,
    #[ts(type = "number")]
    pub accounts: usize,
}

/// The named keys as last listed, grouped by account in the accounts' order. Keys not (or no
/// longer) listed are left out; none at all is an error that says so.
fn chosen(state: &AppState, keys: &[KeyRef]) -> Result<Vec<AccountKeys>> {
    let wanted: BTreeSet<(&str, &str)> = keys
        .iter()
        .map(|k| (k.account_id.as_str(), k.key_id.as_str()))
        .collect();
    let cached = state.cached_keys();
    let out: Vec<AccountKeys> = state
        .registry()
        .list_accounts()
        .iter()
        .filter_map(|account| {
            let mine: Vec<_> = cached
                .iter()
                .filter(|k| k.account == account.id)
                .filter(|k| wanted.contains(&(k.account.as_str(), k.id.as_str())))
                .cloned()
                .collect();
            (!mine.is_empty()).then(|| AccountKeys::new(account, mine))
        })
        .collect();
    if out.is_empty() {
        return Err(Error::validation(
            "keys",
            "none of these keys is listed: refresh, then export again",
        ));
    }
    Ok(out)
}

fn render(format: InventoryFormat, accounts: &[AccountKeys]) -> String {
    match format {
        InventoryFormat::Terraform => terraform::render(accounts),
        InventoryFormat::Csv => table::csv(accounts),
        InventoryFormat::Json => table::json(accounts),
    }
}

fn count(accounts: &[AccountKeys]) -> usize {
    accounts.iter().map(|a| a.keys.len()).sum()
}

#[tauri::command]
pub fn inventory_preview(
    state: State<'_, AppState>,
    format: InventoryFormat,
    keys: Vec<KeyRef>,
) -> IpcResult<ExportPreview> {
    let accounts = chosen(&state, &keys).map_err(public)?;
    let text = render(format, &accounts);
    let all: Vec<&str> = text.lines().collect();
    Ok(ExportPreview {
        lines: all
            .iter()
            .take(PREVIEW_LINES)
            .map(|l| l.to_string())
            .collect(),
        more_lines: all.len().saturating_sub(PREVIEW_LINES),
        keys: count(&accounts),
        accounts: accounts.len(),
    })
}

/// Write the export where the user picks; `None` when they cancel.
#[tauri::command]
pub async fn inventory_export(
    state: State<'_, AppState>,
    format: InventoryFormat,
    keys: Vec<KeyRef>,
) -> IpcResult<Option<SavedFile>> {
    let accounts = chosen(&state, &keys).map_err(public)?;
    let text = render(format, &accounts);
    let keys = count(&accounts);
    let request = SaveRequest {
        title: format!("Export {keys} keys as {}", format.label()),
        file_name: format.file_name().to_string(),
        existing: false,
    };
    let Some(path) = state.picker().pick(request).await else {
        return Ok(None);
    };
    // The picker asked before returning an existing file.
    let written = fsutil::write_private(&path, text.as_bytes(), Overwrite::Replace);
    let entry = AuditEntry::new(AuditAction::InventoryExport)
        .outcome(&written)
        .detail(format!(
            "{} keys of {} accounts as {} to {}",
            keys,
            accounts.len(),
            format.label(),
            path.display()
        ));
    state.registry().audit(entry);
    written.map_err(public)?;
    tracing::info!(keys, format = format.label(), "inventory exported");
    Ok(Some(SavedFile {
        path: path.display().to_string(),
    }))
}
