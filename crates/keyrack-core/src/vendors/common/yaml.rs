//! Reading the small YAML files vendor CLIs keep their credentials in (`scw`'s `config.yaml`,
//! the Codefresh CLI's `.cfconfig`): block mappings of scalars, nested by indentation, with
//! comments and quoted strings. Anything else (lists, anchors, multi-line scalars) is refused
//! with the line it is on, so a file Keyrack cannot read fully is never half-read.

/// A parsed value: a scalar (`null`/`~`/nothing is the empty string) or a mapping in file order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Yaml {
    Scalar(String),
    Map(Vec<(String, Yaml)>),
}

impl Yaml {
    /// The value under `key`, when this is a mapping that has it.
    pub fn get(&self, key: &str) -> Option<&Yaml> {
        match self {
            Yaml::Map(entries) => entries.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            Yaml::Scalar(_) => None,
        }
    }

    /// The non-empty scalar under `key`, trimmed.
    pub fn text(&self, key: &str) -> Option<String> {
        match self.get(key)? {
            Yaml::Scalar(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
            _ => None,
        }
    }

    /// The entries of a mapping (none for a scalar).
    pub fn entries(&self) -> &[(String, Yaml)] {
        match self {
            Yaml::Map(entries) => entries,
            Yaml::Scalar(_) => &[],
        }
    }
}

struct Line<'a> {
    number: usize,
    indent: usize,
    text: &'a str,
}

/// Parse a document whose top level is a mapping (an empty file is an empty mapping). The
/// error names the line.
pub fn parse(text: &str) -> Result<Yaml, String> {
    let mut lines = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let number = i + 1;
        let body = raw.trim_end();
        let trimmed = body.trim_start();
        if trimmed.is_empty() || trimmed.starts_with('#') || trimmed == "---" {
            continue;
        }
        if trimmed == "..." {
            break;
        }
        let lead = &body[..body.len() - trimmed.len()];
        if lead.contains('\t') {
            return Err(format!(
                "line {number}: tabs are not allowed for indentation"
            ));
        }
        lines.push(Line {
            number,
            indent: lead.len(),
            text: trimmed,
        });
    }
    if lines.is_empty() {
        return Ok(Yaml::Map(Vec::new()));
    }
    let mut at = 0;
    let top = mapping(&lines, &mut at, lines[0].indent)?;
    if let Some(line) = lines.get(at) {
        return Err(format!("line {}: unexpected indentation", line.number));
    }
    Ok(top)
}

fn mapping(lines: &[Line<'_>], at: &mut usize, indent: usize) -> Result<Yaml, String> {
    let mut entries: Vec<(String, Yaml)> = Vec::new();
    while let Some(line) = lines.get(*at) {
        if line.indent < indent {
            break;
        }
        if line.indent > indent {
            return Err(format!("line {}: unexpected indentation", line.number));
        }
        if line.text.starts_with("- ") || line.text == "-" {
            return Err(format!(
                "line {}: lists are not supported here",
                line.number
            ));
        }
        let (key, rest) = split_key(line.text)
            .ok_or_else(|| format!("line {}: expected `key: value`", line.number))?;
        if entries.iter().any(|(k, _)| *k == key) {
            return Err(format!("line {}: `{key}` appears twice", line.number));
        }
        *at += 1;
        let value = if rest.is_empty() {
            match lines.get(*at) {
                Some(next) if next.indent > indent => mapping(lines, at, next.indent)?,
                _ => Yaml::Scalar(String::new()),
            }
        } else {
            scalar(rest).map_err(|e| format!("line {}: {e}", line.number))?
        };
        entries.push((key, value));
    }
    Ok(Yaml::Map(entries))
}

/// `key: rest` → (key, rest without a trailing comment); the key may be quoted.
fn split_key(text: &str) -> Option<(String, &str)> {
    let (key, after) = if let Some(quote @ ('"' | '\'')) = text.chars().next() {
        let (key, len) = quoted(text, quote).ok()?;
        (key, &text[len..])
    } else {
        let mut split = None;
        for (i, c) in text.char_indices() {
            if c == ':' && text[i + 1..].chars().next().is_none_or(|n| n == ' ') {
                split = Some(i);
                break;
            }
        }
        let i = split?;
        (text[..i].trim().to_string(), &text[i..])
    };
    let rest = after.trim_start().strip_prefix(':')?;
    if !rest.is_empty() && !rest.starts_with(' ') {
        return None;
    }
    let rest = rest.trim();
    let rest = if rest.starts_with('#') { "" } else { rest };
    (!key.is_empty()).then_some((key, rest))
}

fn scalar(text: &str) -> Result<Yaml, String> {
    match text.chars().next() {
        Some(quote @ ('"' | '\'')) => {
            let (value, len) = quoted(text, quote)?;
            let tail = text[len..].trim();
            if !tail.is_empty() && !tail.starts_with('#') {
                return Err(format!("unexpected `{tail}` after a quoted string"));
            }
            Ok(Yaml::Scalar(value))
        }
        Some('|' | '>') => Err("multi-line strings are not supported".into()),
        Some('&' | '*' | '!') => Err("anchors, aliases and tags are not supported".into()),
        Some('[') if text == "[]" => Err("lists are not supported here".into()),
        Some('{') if text.trim_end() == "{}" => Ok(Yaml::Map(Vec::new())),
        Some('[' | '{') => Err("inline lists and mappings are not supported".into()),
        _ => {
            let value = match text.find(" #") {
                Some(i) => text[..i].trim_end(),
                None => text,
            };
            Ok(Yaml::Scalar(match value {
                "~" | "null" | "Null" | "NULL" => String::new(),
                v => v.to_string(),
            }))
        }
    }
}

/// A quoted string at the start of `text`: its value and how many bytes it took.
fn quoted(text: &str, quote: char) -> Result<(String, usize), String> {
    let mut out = String::new();
    let mut chars = text.char_indices().skip(1).peekable();
    while let Some((i, c)) = chars.next() {
        if c == quote {
            // In single quotes, '' is one quote.
            if quote == '\'' && chars.peek().is_some_and(|(_, n)| *n == '\'') {
                chars.next();
                out.push('\'');
                continue;
            }
            return Ok((out, i + 1));
        }
        if c == '\\' && quote == '"' {
            let (_, e) = chars.next().ok_or("unterminated escape")?;
            match e {
                'n' => out.push('\n'),
                't' => out.push('\t'),
                'r' => out.push('\r'),
                '0' => out.push('\0'),
                '"' | '\\' | '/' => out.push(e),
                'u' => {
                    let hex: String = (0..4)
                        .filter_map(|_| chars.next().map(|(_, h)| h))
                        .collect();
                    let code = u32::from_str_radix(&hex, 16)
                        .ok()
                        .and_then(char::from_u32)
                        .ok_or_else(|| format!("bad escape \\u{hex}"))?;
                    out.push(code);
                }
                other => return Err(format!("unknown escape \\{other}")),
            }
            continue;
        }
        out.push(c);
    }
    Err("a quoted string is not closed".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nested_mappings_quotes_and_comments() {
        let doc = parse(
            "# top comment\nactive_profile: work\naccess_key: SCWAAA # trailing\nprofiles:\n  \
             work:\n    secret_key: \"a\\\"b\"\n    api_url: http://127.0.0.1:8080\n  'other one':\n    \
             x: 'it''s'\n    empty:\n    nothing: ~\n",
        )
        .unwrap();
        assert_eq!(doc.text("active_profile").as_deref(), Some("work"));
        assert_eq!(doc.text("access_key").as_deref(), Some("SCWAAA"));
        let profiles = doc.get("profiles").unwrap();
        let work = profiles.get("work").unwrap();
        assert_eq!(work.text("secret_key").as_deref(), Some("a\"b"));
        assert_eq!(
            work.text("api_url").as_deref(),
            Some("http://127.0.0.1:8080")
        );
        let other = profiles.get("other one").unwrap();
        assert_eq!(other.text("x").as_deref(), Some("it's"));
        assert_eq!(other.text("empty"), None);
        assert_eq!(other.text("nothing"), None);
        assert_eq!(profiles.entries().len(), 2);
    }

    #[test]
    fn what_it_cannot_read_is_an_error_with_the_line() {
        for (text, line, what) in [
            ("a: 1\n  b: 2\n", "line 2", "indentation"),
            ("a:\n  - x\n", "line 2", "lists"),
            ("a: |\n  x\n", "line 1", "multi-line"),
            ("a: \"open\n", "line 1", "not closed"),
            ("just words\n", "line 1", "key: value"),
            ("a: 1\na: 2\n", "line 2", "twice"),
            ("a:\n\tb: 1\n", "line 2", "tabs"),
        ] {
            let e = parse(text).unwrap_err();
            assert!(e.starts_with(line) && e.contains(what), "{text:?}: {e}");
        }
        assert_eq!(parse("").unwrap(), Yaml::Map(Vec::new()));
        assert_eq!(
            parse("profiles: {}\n").unwrap().get("profiles"),
            Some(&Yaml::Map(vec![]))
        );
    }
}
