// Declaring the app's commands makes Tauri generate `allow-<command>` permissions for them and
// deny any command that no capability grants (least privilege, see capabilities/).
const COMMANDS: &[&str] = &["app_info", "tray_menu_items"];

fn main() {
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS)),
    )
    .expect("tauri-build failed");
}
