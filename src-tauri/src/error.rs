//! The one error shape that crosses IPC is core's `PublicError` (`{code, message, field, …}`),
//! so the UI has a single code list (core's `Code`). This module turns the shell's own failures
//! (Tauri, menus) into it.

use keyrack_core::error::PublicError;

/// What every command rejects with. Boxed because a `PublicError` can carry a whole
/// `KeyRecord` (`recovered`); a `Box` serializes exactly like what it holds.
pub type IpcError = Box<PublicError>;

/// A command's result.
pub type IpcResult<T> = Result<T, IpcError>;

/// Core errors in their public form.
pub fn public(e: keyrack_core::Error) -> IpcError {
    Box::new(e.to_public())
}

/// A failure inside the app itself (window, menu, event system): `internal`, which the UI can
/// only show.
pub fn internal(what: &str, e: impl std::fmt::Display) -> IpcError {
    public(keyrack_core::Error::internal(format!("{what}: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use keyrack_core::error::Code;

    #[test]
    fn core_errors_keep_their_code_and_field() {
        let e = public(keyrack_core::Error::validation("name", "must not be empty"));
        assert_eq!(e.code, Code::Validation);
        assert_eq!(e.field.as_deref(), Some("name"));
        let json = serde_json::to_value(&e).unwrap();
        assert_eq!(json["code"], "validation");
    }

    #[test]
    fn app_failures_say_what_failed() {
        let e = internal("could not read the tray menu", "menu is gone");
        assert_eq!(e.code, Code::Internal);
        assert_eq!(e.message, "could not read the tray menu: menu is gone");
    }
}
