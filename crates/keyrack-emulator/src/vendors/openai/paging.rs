//! Cursor paging shared by every list: `limit` (1–100, default 20), `after` (exclusive cursor,
//! an object id), and the `{object: "list", data, first_id, last_id, has_more}` envelope.

use serde_json::{json, Value};

use super::error::ApiError;

pub struct Query(Vec<(String, String)>);

/// A list request: its query, with `limit` already checked.
pub struct ListQuery {
    pub query: Query,
    limit: usize,
}

impl ListQuery {
    pub fn parse(raw: Option<&str>) -> Result<ListQuery, ApiError> {
        let query = Query::parse(raw)?;
        let limit = query.limit()?;
        Ok(ListQuery { query, limit })
    }

    /// The list envelope of the page after the `after` cursor, each item rendered by `render`.
    pub fn page<T>(
        &self,
        items: Vec<T>,
        id: impl Fn(&T) -> &str,
        render: impl FnMut(T) -> Value,
    ) -> Value {
        let (items, has_more) = page(items, id, self.query.get("after"), self.limit);
        envelope(items.into_iter().map(render).collect(), has_more)
    }
}

impl Query {
    pub fn parse(raw: Option<&str>) -> Result<Query, ApiError> {
        serde_urlencoded::from_str::<Vec<(String, String)>>(raw.unwrap_or(""))
            .map(Query)
            .map_err(|_| ApiError::bad_request("Invalid query string."))
    }

    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    fn limit(&self) -> Result<usize, ApiError> {
        let Some(raw) = self.get("limit") else {
            return Ok(20);
        };
        let invalid = |message: String, code: &'static str| {
            ApiError::bad_request(message)
                .with_param("limit")
                .with_code(code)
        };
        let n: i64 = raw.trim().parse().map_err(|_| {
            invalid(
                format!("Invalid 'limit': expected an integer, but got '{raw}' instead."),
                "invalid_type",
            )
        })?;
        if n < 1 {
            return Err(invalid(
                format!("Invalid 'limit': integer below minimum value. Expected a value >= 1, but got {n} instead."),
                "integer_below_min_value",
            ));
        }
        if n > 100 {
            return Err(invalid(
                format!("Invalid 'limit': integer above maximum value. Expected a value <= 100, but got {n} instead."),
                "integer_above_max_value",
            ));
        }
        Ok(n as usize)
    }

    /// A boolean flag such as `include_archived` (default false).
    pub fn flag(&self, name: &str) -> Result<bool, ApiError> {
        match self.get(name) {
            None => Ok(false),
            Some("true") | Some("True") | Some("1") => Ok(true),
            Some("false") | Some("False") | Some("0") => Ok(false),
            Some(other) => Err(ApiError::bad_request(format!(
                "Invalid '{name}': expected a boolean, but got '{other}' instead."
            ))
            .with_param(name)
            .with_code("invalid_type")),
        }
    }

    /// One of `allowed`, or `default` when absent.
    pub fn choice(
        &self,
        name: &str,
        allowed: &[&'static str],
        default: &'static str,
    ) -> Result<&'static str, ApiError> {
        match self.get(name) {
            None => Ok(default),
            Some(v) => allowed.iter().copied().find(|a| *a == v).ok_or_else(|| {
                ApiError::bad_request(format!(
                    "Invalid value for '{name}': '{v}'. Expected one of: {}.",
                    allowed.join(", ")
                ))
                .with_param(name)
                .with_code("invalid_value")
            }),
        }
    }
}

/// One page of `items` (already in list order) after the `after` cursor. An `after` that names
/// no item in the list gives an empty last page.
fn page<T>(
    items: Vec<T>,
    id: impl Fn(&T) -> &str,
    after: Option<&str>,
    limit: usize,
) -> (Vec<T>, bool) {
    let start = match after {
        None => 0,
        Some(cursor) => match items.iter().position(|i| id(i) == cursor) {
            Some(p) => p + 1,
            None => items.len(),
        },
    };
    let rest = items.len().saturating_sub(start);
    let has_more = rest > limit;
    let page = items.into_iter().skip(start).take(limit).collect();
    (page, has_more)
}

/// The list envelope; `first_id`/`last_id` are the ids of this page's ends (null when empty).
fn envelope(data: Vec<Value>, has_more: bool) -> Value {
    let first = data
        .first()
        .and_then(|v| v.get("id"))
        .cloned()
        .unwrap_or(Value::Null);
    let last = data
        .last()
        .and_then(|v| v.get("id"))
        .cloned()
        .unwrap_or(Value::Null);
    json!({
        "object": "list",
        "data": data,
        "first_id": first,
        "last_id": last,
        "has_more": has_more,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_walk_the_list_once() {
        let items: Vec<String> = (0..5).map(|i| format!("k{i}")).collect();
        let (p, more) = page(items.clone(), |s| s.as_str(), None, 2);
        assert_eq!((p, more), (vec!["k0".to_string(), "k1".to_string()], true));
        let (p, more) = page(items.clone(), |s| s.as_str(), Some("k3"), 2);
        assert_eq!((p, more), (vec!["k4".to_string()], false));
        let (p, more) = page(items.clone(), |s| s.as_str(), Some("k1"), 3);
        assert_eq!((p.len(), more), (3, false));
        let (p, more) = page(items, |s| s.as_str(), Some("gone"), 3);
        assert_eq!((p.len(), more), (0, false));
    }

    #[test]
    fn limit_bounds() {
        let q = |s: &str| Query::parse(Some(s)).unwrap();
        assert_eq!(q("").limit().unwrap(), 20);
        assert_eq!(q("limit=100").limit().unwrap(), 100);
        assert!(q("limit=0").limit().is_err());
        assert!(q("limit=101").limit().is_err());
        assert!(q("limit=x").limit().is_err());
    }
}
