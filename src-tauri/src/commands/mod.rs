//! Thin IPC commands: take the arguments, call core (or `ops` for multi-step flows), map
//! errors to core's `PublicError`. No logic here.
//! A new command also goes into `build.rs` (its permission), `capabilities/` (its grant) and
//! the handler list in `lib.rs`.

pub mod accounts;
pub mod app;
pub mod hygiene;
pub mod inventory_export;
pub mod keys;
pub mod rotation;
pub mod secrets;

/// A command is named in four places that must agree; this test is where they meet.
#[cfg(test)]
mod names {
    use std::collections::BTreeSet;

    /// The quoted names in `build.rs`'s `COMMANDS`, which generate the `allow-…` permissions.
    fn build_rs() -> BTreeSet<String> {
        let text = include_str!("../../build.rs");
        let list = between(text, "const COMMANDS: &[&str] = &[", "];");
        quoted(list, '"')
    }

    /// The last path segment of each command in `generate_handler!`.
    fn handler() -> BTreeSet<String> {
        let text = include_str!("../lib.rs");
        between(text, "generate_handler![", "]")
            .split(',')
            .filter_map(|path| path.trim().rsplit("::").next())
            .filter(|name| !name.is_empty())
            .map(str::to_string)
            .collect()
    }

    /// The `allow-…` grants of the main window's capability, as command names.
    fn capability() -> BTreeSet<String> {
        let json: serde_json::Value =
            serde_json::from_str(include_str!("../../capabilities/main.json")).unwrap();
        json["permissions"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|p| p.as_str()?.strip_prefix("allow-"))
            .map(|p| p.replace('-', "_"))
            .collect()
    }

    /// The commands `ui/src/lib/api.ts` (the only place the UI invokes) calls.
    fn ui() -> BTreeSet<String> {
        let text = include_str!("../../../ui/src/lib/api.ts");
        text.split("call(")
            .skip(1)
            .filter_map(|rest| rest.strip_prefix('\''))
            .filter_map(|rest| rest.split('\'').next())
            .map(str::to_string)
            .collect()
    }

    fn between<'a>(text: &'a str, start: &str, end: &str) -> &'a str {
        let from = text.find(start).expect("start marker") + start.len();
        let len = text[from..].find(end).expect("end marker");
        &text[from..from + len]
    }

    fn quoted(text: &str, quote: char) -> BTreeSet<String> {
        text.split(quote)
            .skip(1)
            .step_by(2)
            .map(str::to_string)
            .collect()
    }

    #[test]
    fn build_rs_handlers_capability_and_the_ui_name_the_same_commands() {
        let commands = build_rs();
        assert!(commands.len() >= 20, "{commands:?}");
        assert_eq!(
            handler(),
            commands,
            "generate_handler! in lib.rs vs build.rs COMMANDS"
        );
        assert_eq!(
            capability(),
            commands,
            "capabilities/main.json vs build.rs COMMANDS"
        );
        assert_eq!(ui(), commands, "ui/src/lib/api.ts vs build.rs COMMANDS");
    }
}
