//! Rotating a key from the window: the plan to show, then the run. The new secret is held in
//! the reveal store (the report names its handle), like any created key's.

use keyrack_core::rotation::{self, Plan, Rotation, RotationReport};
use tauri::{AppHandle, Runtime, State};

use crate::dto::RotateChoice;
use crate::error::{public, IpcResult};
use crate::events;
use crate::state::AppState;

/// What a rotation of the key would do; nothing is changed.
#[tauri::command]
pub async fn rotation_plan(
    state: State<'_, AppState>,
    account_id: String,
    key_id: String,
    choice: RotateChoice,
) -> IpcResult<Plan> {
    rotation::plan(state.registry(), &account_id, &key_id, &choice.options())
        .await
        .map_err(public)
}

/// Rotate the key; a failed step is in the report, not an error.
#[tauri::command]
pub async fn rotate_key<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    account_id: String,
    key_id: String,
    choice: RotateChoice,
) -> IpcResult<RotationReport> {
    let plan = rotation::plan(state.registry(), &account_id, &key_id, &choice.options())
        .await
        .map_err(public)?;
    let report = Rotation::new(state.registry(), state.reveal())
        .run(plan)
        .await;
    events::keys_changed(&app);
    Ok(report)
}
