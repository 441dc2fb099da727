//! Replacing an old key's secret in a file that already holds it (rotation's delivery with
//! `--update-file`): the vendor's own file in place — only the profile or context that holds the
//! old key changes, everything else stays byte for byte — or the variables of a `.env`.
//!
//! Replacers are pure (text in, text out), so a rotation checks a file before it creates the
//! new key: a file that does not hold the old key is refused while nothing has happened yet.

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::export::{self, ExportFormat, ExportInput};
use crate::model::KeyRecord;
use crate::secret::Sensitive;

/// What a replacer is given.
pub struct ReplaceInput<'a> {
    /// The file being updated (where relative paths in it start).
    pub path: &'a Path,
    /// Its current text.
    pub text: &'a str,
    /// The key whose secret the file holds now.
    pub old: &'a KeyRecord,
    /// The new key and its secret.
    pub new: ExportInput<'a>,
}

/// The file's new text, and files to write before it (OCI: the new private key, which the
/// updated profile points at).
pub struct Replaced {
    pub text: Sensitive<String>,
    pub side_files: Vec<(PathBuf, Sensitive<String>)>,
    /// What changed, for the report: "profile DEFAULT", "SCW_ACCESS_KEY, SCW_SECRET_KEY".
    pub what: String,
}

/// A vendor's replacer for its own file formats: `Ok(None)` when the text is none of them.
pub type Replacer = fn(&ReplaceInput<'_>) -> Result<Option<Replaced>>;

/// Replace the old key in `input.text`: the vendor's own format first, then a `.env`.
pub fn replace(input: &ReplaceInput<'_>) -> Result<Replaced> {
    let descriptor = input.old.vendor.descriptor();
    if let Some(done) = (descriptor.replace)(input)? {
        return Ok(done);
    }
    if let Some(done) = env(input)? {
        return Ok(done);
    }
    Err(not_found(input, "a profile, context or variable"))
}

/// The `Validation` error for a file that does not hold the old key.
pub fn not_found(input: &ReplaceInput<'_>, looked_for: &str) -> Error {
    let caps = input.old.vendor.descriptor().capabilities();
    Error::validation(
        "update_file",
        format!(
            "{} holds no {looked_for} with the {} {} ({}) that Keyrack can replace; give the \
             file that holds the old key, or use --out to write a new file",
            input.path.display(),
            caps.vendor_name,
            caps.key_noun,
            input.old.id
        ),
    )
}

/// A `.env`: the lines setting a variable the vendor's `.env` format writes get the new value;
/// other lines stay. A variable naming the key (e.g. `SCW_ACCESS_KEY`, or a Codefresh token
/// `<key id>.<secret>`) must name the old key, so the wrong key's file is never changed.
fn env(input: &ReplaceInput<'_>) -> Result<Option<Replaced>> {
    let Ok(rendered) = export::render(&ExportFormat::from(export::ENV), &input.new) else {
        return Ok(None);
    };
    let vars: Vec<(String, String)> = rendered
        .expose()
        .lines()
        .filter_map(|l| parse_env_line(l).map(|(n, v)| (n.to_string(), unquote(v))))
        .collect();
    let new_id = &input.new.record.id;
    let old_id = &input.old.id;
    let mut changed: Vec<String> = Vec::new();
    let mut out = String::with_capacity(input.text.len() + 64);
    for line in input.text.split_inclusive('\n') {
        let body = line.trim_end_matches(['\n', '\r']);
        let ending = &line[body.len()..];
        let replacement = parse_env_line(body).and_then(|(name, value)| {
            let (_, new_value) = vars.iter().find(|(n, _)| n == name)?;
            let value = unquote(value);
            Some((name, value, new_value))
        });
        match replacement {
            Some((name, value, new_value)) => {
                let names_key = new_value == new_id;
                let token_of_key = new_value.starts_with(&format!("{new_id}."));
                if (names_key && &value != old_id)
                    || (token_of_key && !value.starts_with(&format!("{old_id}.")))
                {
                    return Err(not_found(input, "variable"));
                }
                let prefix = &body[..body.find(name).unwrap_or(0)];
                out.push_str(prefix);
                out.push_str(name);
                out.push('=');
                out.push_str(&env_value(new_value));
                out.push_str(ending);
                changed.push(name.to_string());
            }
            None => out.push_str(line),
        }
    }
    if changed.is_empty() {
        return Ok(None);
    }
    Ok(Some(Replaced {
        text: Sensitive::new(out),
        side_files: Vec::new(),
        what: changed.join(", "),
    }))
}

/// `NAME=value` or `export NAME=value`; comments and other lines are `None`.
fn parse_env_line(line: &str) -> Option<(&str, &str)> {
    let line = line.trim_start();
    if line.starts_with('#') {
        return None;
    }
    let line = line.strip_prefix("export ").unwrap_or(line).trim_start();
    let (name, value) = line.split_once('=')?;
    let ok = !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    ok.then_some((name, value.trim()))
}

/// A dotenv value without its quotes (single or double).
fn unquote(value: &str) -> String {
    let v = value.trim();
    for q in ['\'', '"'] {
        if v.len() >= 2 && v.starts_with(q) && v.ends_with(q) {
            return v[1..v.len() - 1].replace("'\\''", "'");
        }
    }
    v.to_string()
}

/// A dotenv value: bare when safe, single-quoted otherwise (as `export::env_file` writes it).
fn env_value(value: &str) -> String {
    if value
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "-_./:@+=".contains(c))
    {
        value.to_string()
    } else {
        format!("'{}'", value.replace('\'', "'\\''"))
    }
}

/// Lines of a YAML block: the value after `key:` on a line, without quotes.
pub fn yaml_value<'a>(line: &'a str, key: &str) -> Option<&'a str> {
    let rest = line.trim_start().strip_prefix(key)?.strip_prefix(':')?;
    Some(rest.trim().trim_matches(['"', '\'']))
}

/// The indentation of a line.
pub fn indent(line: &str) -> usize {
    line.len() - line.trim_start().len()
}

/// Replace the whole line `index` of `lines` with `key: value` at the same indentation.
pub fn set_yaml(lines: &mut [String], index: usize, key: &str, value: &str) {
    let pad = " ".repeat(indent(&lines[index]));
    let mut line = format!("{pad}{key}: {}", export::yaml_str(value));
    std::mem::swap(&mut lines[index], &mut line);
    zeroize::Zeroize::zeroize(&mut line);
}

/// The YAML block line `at` is in (its siblings at the same indentation, and what is nested
/// under them), and the key that opens it (`None` at the top level).
pub fn yaml_block(lines: &[String], at: usize) -> (std::ops::Range<usize>, Option<String>) {
    let level = indent(&lines[at]);
    let inside = |l: &String| l.trim().is_empty() || indent(l) >= level;
    let mut start = at;
    while start > 0 && inside(&lines[start - 1]) {
        start -= 1;
    }
    let mut end = at + 1;
    while end < lines.len() && inside(&lines[end]) {
        end += 1;
    }
    let name = (start > 0).then(|| {
        let head = lines[start - 1].trim();
        head.trim_end_matches(':')
            .trim_matches(['"', '\''])
            .to_string()
    });
    (start..end, name)
}

/// `lines` joined back, with the original's final newline.
pub fn join_lines(lines: &[String], original: &str) -> Sensitive<String> {
    let mut text = lines.join("\n");
    if original.ends_with('\n') {
        text.push('\n');
    }
    Sensitive::new(text)
}

/// No file format of the vendor's own can be updated in place.
pub fn none(_: &ReplaceInput<'_>) -> Result<Option<Replaced>> {
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn env_lines_parse_with_export_and_quotes() {
        assert_eq!(parse_env_line("export A_B='x y'"), Some(("A_B", "'x y'")));
        assert_eq!(parse_env_line("# A=b"), None);
        assert_eq!(parse_env_line("not a var"), None);
        assert_eq!(unquote("'it'\\''s'"), "it's");
        assert_eq!(unquote("\"v\""), "v");
    }

    use crate::model::{Account, VendorExtra};
    use crate::test_support::key_record;

    fn account(vendor: crate::model::VendorId) -> Account {
        Account {
            id: "a".into(),
            name: "acc".into(),
            vendor,
            sandbox: false,
            settings: Default::default(),
        }
    }

    fn run(old: &KeyRecord, new: &KeyRecord, text: &str) -> Result<Replaced> {
        let secret = Sensitive::from("NEW-SECRET-0123456789");
        let account = account(old.vendor);
        replace(&ReplaceInput {
            path: Path::new("/tmp/x"),
            text,
            old,
            new: ExportInput {
                record: new,
                secret: &secret,
                account: &account,
                key_file: None,
                profile: None,
            },
        })
    }

    #[test]
    fn a_dotenv_gets_the_new_values_and_keeps_everything_else() {
        let extra = || VendorExtra::Scaleway(Default::default());
        let old = key_record("SCWOLD00000000000000", extra());
        let new = key_record("SCWNEW00000000000000", extra());
        let text =
            "# mine\nexport SCW_ACCESS_KEY=SCWOLD00000000000000\nSCW_SECRET_KEY='old'\nOTHER=1\n";
        let done = run(&old, &new, text).unwrap();
        assert_eq!(
            done.text.expose(),
            "# mine\nexport SCW_ACCESS_KEY=SCWNEW00000000000000\nSCW_SECRET_KEY=NEW-SECRET-0123456789\nOTHER=1\n"
        );
        assert_eq!(done.what, "SCW_ACCESS_KEY, SCW_SECRET_KEY");
        // Another key's file is refused, not changed.
        let theirs = "SCW_ACCESS_KEY=SCWTHEIRS00000000000\nSCW_SECRET_KEY=x\n";
        let err = run(&old, &new, theirs).err().unwrap();
        assert_eq!(err.code(), crate::Code::Validation);
        assert!(run(&old, &new, "NOTHING=here\n").is_err());
    }

    #[test]
    fn an_ibm_apikey_json_is_rewritten_when_it_is_the_old_keys() {
        let extra = || VendorExtra::Ibm(Default::default());
        let old = key_record("ApiKey-old", extra());
        let new = KeyRecord {
            name: Some("ci-rotated-20261204".into()),
            ..key_record("ApiKey-new", extra())
        };
        let text = r#"{"name": "ci", "description": "", "createdAt": "", "apikey": "old"}"#;
        let done = run(&old, &new, text).unwrap();
        let file: serde_json::Value = serde_json::from_str(done.text.expose()).unwrap();
        assert_eq!(file["apikey"], "NEW-SECRET-0123456789");
        assert_eq!(file["name"], "ci-rotated-20261204");
        let other = r#"{"name": "someone else", "apikey": "x"}"#;
        assert_eq!(
            run(&old, &new, other).err().unwrap().code(),
            crate::Code::Validation
        );
    }
}
