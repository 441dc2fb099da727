fn main() {
    // The page is embedded at compile time: a change to it must rebuild the app.
    println!("cargo:rerun-if-changed=ui");
    tauri_build::build()
}
