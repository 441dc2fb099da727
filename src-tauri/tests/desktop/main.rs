//! The desktop shell's integration tests, one binary: every IPC command on Tauri's mock runtime
//! against the in-process sandbox, the capabilities, the tray menu, and the canary that no
//! secret crosses IPC except `secret_reveal`.

mod canary;
mod commands;
mod common;
mod ipc;
mod tray;
