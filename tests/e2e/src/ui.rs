//! Steps a user takes in the key manager's UI (click, type, pick), waits for what the UI shows
//! next, and a small HTTP client for the sandbox emulator's control API (`/__emulator/…`).

use std::time::Duration;

use fantoccini::elements::Element;
use fantoccini::key::Key;
use fantoccini::Locator;
use serde_json::{json, Value};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::{poll, App, TIMEOUT};

impl App {
    /// Clicks the element matching `css` once it exists.
    pub async fn click(&self, css: &str) {
        let element = self.wait_for(css).await;
        element
            .click()
            .await
            .unwrap_or_else(|e| panic!("click {css}: {e}"));
    }

    /// Replaces the text of the field matching `css` as a user would (select all, delete,
    /// type), so the page sees input events even when the new text is empty.
    pub async fn fill(&self, css: &str, text: &str) {
        let field = self.wait_for(css).await;
        let erase = Key::Control + "a" + &Key::Backspace;
        field
            .send_keys(&erase)
            .await
            .unwrap_or_else(|e| panic!("erase {css}: {e}"));
        if !text.is_empty() {
            field
                .send_keys(text)
                .await
                .unwrap_or_else(|e| panic!("type into {css}: {e}"));
        }
    }

    /// Picks the option with `value` in the `<select>` matching `css`.
    pub async fn pick(&self, css: &str, value: &str) {
        self.wait_for(css)
            .await
            .select_by_value(value)
            .await
            .unwrap_or_else(|e| panic!("pick {value} in {css}: {e}"));
    }

    /// Picks the `index`th option of the `<select>` matching `css`.
    pub async fn pick_index(&self, css: &str, index: usize) {
        self.wait_for(css)
            .await
            .select_by_index(index)
            .await
            .unwrap_or_else(|e| panic!("pick option {index} in {css}: {e}"));
    }

    /// Presses a key chord (e.g. `Key::Control + "n"`) on whatever has the focus.
    pub async fn press(&self, keys: &str) {
        let focused = self
            .client()
            .active_element()
            .await
            .expect("the focused element");
        focused
            .send_keys(keys)
            .await
            .unwrap_or_else(|e| panic!("press {keys:?}: {e}"));
    }

    /// Presses Escape on the focused element.
    pub async fn escape(&self) {
        self.press(&String::from(char::from(Key::Escape))).await;
    }

    /// Waits until nothing matches `css`.
    pub async fn wait_gone(&self, css: &str) {
        poll(&format!("{css} to go away"), TIMEOUT, || async {
            self.client()
                .find_all(Locator::Css(css))
                .await
                .ok()
                .filter(|found| found.is_empty())
                .map(|_| ())
        })
        .await
    }

    /// Whether something matches `css` right now.
    pub async fn exists(&self, css: &str) -> bool {
        self.client()
            .find_all(Locator::Css(css))
            .await
            .is_ok_and(|found| !found.is_empty())
    }

    /// Waits until the first inventory (every account listed) is on screen.
    pub async fn wait_keys_loaded(&self) {
        self.wait_for("#key-table [data-key-id]").await;
        self.wait_gone("[data-testid=inventory-progress]").await;
    }

    /// The table row of a key, once it is on screen.
    pub async fn row(&self, key_id: &str) -> Element {
        self.wait_for(&row_css(key_id)).await
    }

    /// Searches for `query` and waits for the key's row to be the only one shown.
    pub async fn search_for(&self, query: &str, key_id: &str) {
        self.fill("#search", query).await;
        let css = row_css(key_id);
        poll(
            &format!("search {query:?} to show only {key_id}"),
            TIMEOUT,
            || async {
                let rows = self
                    .client()
                    .find_all(Locator::Css("#key-table [data-key-id]"))
                    .await
                    .ok()?;
                let ours = self.client().find(Locator::Css(&css)).await.ok()?;
                (rows.len() == 1 && ours.text().await.is_ok()).then_some(())
            },
        )
        .await
    }

    /// Waits until the `textContent` of the element matching `css` satisfies `check`. Unlike
    /// `wait_text` (WebDriver's visible text), it also reads text cut short by an ellipsis.
    pub async fn wait_content(&self, css: &str, check: impl Fn(&str) -> bool) -> String {
        let script = "const el = document.querySelector(arguments[0]);
            return el ? el.textContent : null;";
        poll(&format!("textContent of {css}"), TIMEOUT, || async {
            let text = self.client().execute(script, vec![json!(css)]).await.ok()?;
            let text = text.as_str()?.to_string();
            check(&text).then_some(text)
        })
        .await
    }

    /// Text of the newest error toast, waiting for one.
    pub async fn error_toast(&self) -> String {
        self.wait_text("[data-testid=toast-error]:last-child", |t| !t.is_empty())
            .await
    }

    /// Removes every toast (so the next one can be told apart).
    pub async fn dismiss_toasts(&self) {
        let _ = self
            .client()
            .execute(
                "document.querySelectorAll('#toasts button').forEach(b => b.click()); return true;",
                vec![],
            )
            .await;
        self.wait_gone("#toasts .toast").await;
    }

    /// The sandbox emulator's base URL (`http://127.0.0.1:PORT`), from the sandbox accounts.
    pub async fn sandbox_base_url(&self) -> String {
        let accounts: Vec<Value> = self
            .invoke("accounts_list", json!({}))
            .await
            .expect("accounts_list");
        let url = accounts
            .iter()
            .filter(|a| a["sandbox"] == json!(true))
            .find_map(|a| a["settings"]["base_url"].as_str())
            .expect("a sandbox account with a base_url");
        origin(url).to_string()
    }
}

/// CSS for the table row of a key id (ids hold `:` and `.`, so it is quoted).
pub fn row_css(key_id: &str) -> String {
    format!(
        "#key-table [data-key-id=\"{}\"]",
        key_id.replace('\\', "\\\\").replace('"', "\\\"")
    )
}

/// `http://host:port` of a URL that may carry a path.
fn origin(url: &str) -> &str {
    let rest = url.strip_prefix("http://").unwrap_or(url);
    let end = rest
        .find('/')
        .map_or(url.len(), |i| i + url.len() - rest.len());
    &url[..end]
}

/// One HTTP/1.1 request to the emulator (plain HTTP on 127.0.0.1); returns status and body.
pub async fn http(method: &str, url: &str, body: Option<&Value>) -> (u16, String) {
    let rest = url.strip_prefix("http://").expect("an http:// URL");
    let (host, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    let path = if path.is_empty() { "/" } else { path };
    let payload = body.map(Value::to_string).unwrap_or_default();
    let request = format!(
        "{method} {path} HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\n\
         X-Keyrack-Control-Token: {}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n\
         {payload}",
        crate::sandbox_control_token(),
        payload.len()
    );
    let exchange = async {
        let mut stream = tokio::net::TcpStream::connect(host).await?;
        stream.write_all(request.as_bytes()).await?;
        let mut reply = Vec::new();
        stream.read_to_end(&mut reply).await?;
        Ok::<_, std::io::Error>(reply)
    };
    let reply = tokio::time::timeout(Duration::from_secs(10), exchange)
        .await
        .unwrap_or_else(|_| panic!("{method} {url} timed out"))
        .unwrap_or_else(|e| panic!("{method} {url}: {e}"));
    let text = String::from_utf8_lossy(&reply).into_owned();
    let status = text
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("{method} {url}: no status line in {text:?}"));
    let body = text
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_string())
        .unwrap_or_default();
    (status, body)
}

/// Adds a fault rule to the emulator (`POST /__emulator/faults`); returns the rule.
pub async fn inject_fault(base_url: &str, rule: Value) -> Value {
    let (status, body) = http(
        "POST",
        &format!("{base_url}/__emulator/faults"),
        Some(&rule),
    )
    .await;
    assert_eq!(status, 201, "fault {rule} refused: {body}");
    // The body may be chunked; the JSON object is what lies between the outer braces.
    let json = body
        .find('{')
        .zip(body.rfind('}'))
        .map(|(a, b)| &body[a..=b])
        .unwrap_or("null");
    serde_json::from_str(json).unwrap_or(Value::Null)
}

/// Removes every fault rule.
pub async fn clear_faults(base_url: &str) {
    let (status, body) = http("DELETE", &format!("{base_url}/__emulator/faults"), None).await;
    assert_eq!(status, 204, "clearing faults: {body}");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origin_drops_the_path() {
        assert_eq!(origin("http://127.0.0.1:4000/api"), "http://127.0.0.1:4000");
        assert_eq!(origin("http://127.0.0.1:4000"), "http://127.0.0.1:4000");
    }

    #[test]
    fn row_css_quotes_fingerprints() {
        assert_eq!(
            row_css("aa:bb"),
            "#key-table [data-key-id=\"aa:bb\"]".to_string()
        );
    }
}
