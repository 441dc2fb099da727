//! The one error shape that crosses IPC: `{ code, message }`. The UI shows the message and
//! branches on the code, so add a code only when the UI acts on it.

use serde::Serialize;
use ts_rs::TS;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
pub enum IpcCode {
    /// A failure inside the app itself; the UI can only report it.
    Internal,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct IpcError {
    pub code: IpcCode,
    pub message: String,
}

impl From<tauri::Error> for IpcError {
    fn from(e: tauri::Error) -> Self {
        IpcError {
            code: IpcCode::Internal,
            message: e.to_string(),
        }
    }
}

impl std::fmt::Display for IpcError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:?}: {}", self.code, self.message)
    }
}

impl std::error::Error for IpcError {}
