//! The desktop shell's integration tests, one binary: every IPC command on Tauri's mock runtime
//! against the in-process sandbox, the capabilities, the tray menu, the canary that no
//! secret crosses IPC except `secret_reveal`, and the save commands called with hostile
//! arguments (`untrusted`).

mod canary;
mod commands;
mod common;
mod export;
mod hygiene;
mod import;
mod ipc;
mod tray;
mod untrusted;
mod watch;
