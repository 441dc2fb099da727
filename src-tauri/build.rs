// Declaring the app's commands makes Tauri generate `allow-<command>` permissions for them and
// deny any command that no capability grants (least privilege, see capabilities/).
const COMMANDS: &[&str] = &[
    // App
    "app_info",
    "vendors",
    "preferences_get",
    "preferences_set",
    "tray_menu_items",
    // Accounts
    "accounts_list",
    "account_add",
    "account_update",
    "account_remove",
    "account_test",
    "account_test_new",
    "accounts_found",
    "account_import",
    // Keys
    "keys_list",
    "keys_list_account",
    "key_get",
    "create_options",
    "key_create",
    "key_update",
    "key_set_locked",
    "key_set_disabled",
    "key_delete",
    "owner_delete",
    "rotation_plan",
    "rotate_key",
    "rotation_pick_file",
    "key_used_in",
    // Secrets of created keys
    "secrets_pending",
    "secret_reveal",
    "secret_copy",
    "secret_save",
    "oci_config_append",
    "secret_dismiss",
    // Key hygiene
    "attention_list",
    "key_note_set",
    "audit_list",
    // Inventory exports (Terraform, CSV, JSON)
    "inventory_preview",
    "inventory_export",
];

fn main() {
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS)),
    )
    .expect("tauri-build failed");
}
