//! How the webview draws on Linux. WebKitGTK composites the page with OpenGL; on a machine
//! without a GPU (no DRI render node: a VM, a remote desktop, CI) that OpenGL is Mesa's software
//! renderer, which costs the web process some 95 MB (LLVM, textures) and makes scrolling the key
//! table about twice as slow (`make bench`). There Keyrack has WebKit draw without compositing.
//! A GPU keeps compositing, and a WEBKIT_DISABLE_COMPOSITING_MODE the user set wins either way.

use std::path::Path;

const VARIABLE: &str = "WEBKIT_DISABLE_COMPOSITING_MODE";

/// Call first thing in `main`, before any thread or GTK starts (it sets an environment
/// variable WebKit reads when it starts its web process). True when compositing was turned off.
pub fn choose_compositing() -> bool {
    if !cfg!(target_os = "linux") || std::env::var_os(VARIABLE).is_some() {
        return false;
    }
    if has_render_node(Path::new("/dev/dri")) {
        return false;
    }
    std::env::set_var(VARIABLE, "1");
    true
}

/// A GPU the user's session may render with shows as `/dev/dri/renderD<n>`.
fn has_render_node(dri: &Path) -> bool {
    std::fs::read_dir(dri).is_ok_and(|entries| {
        entries
            .flatten()
            .any(|e| e.file_name().to_string_lossy().starts_with("renderD"))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_render_node_means_a_gpu() {
        let dir = std::env::temp_dir().join(format!("keyrack-dri-{}", std::process::id()));
        assert!(!has_render_node(&dir), "no /dev/dri at all");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("card0"), b"").unwrap();
        assert!(
            !has_render_node(&dir),
            "a display card alone renders nothing"
        );
        std::fs::write(dir.join("renderD128"), b"").unwrap();
        assert!(has_render_node(&dir));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
