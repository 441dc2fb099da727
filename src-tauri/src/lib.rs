//! The Keyrack desktop shell: wiring only. Logic lives in keyrack-core.

pub fn run() {
    tauri::Builder::default()
        .run(tauri::generate_context!())
        .expect("error while running Keyrack");
}
