//! Reading request input the way Scaleway validates it: query strings (repeatable parameters,
//! page-number paging, `order_by` enums) and JSON bodies (null = absent). Problems are collected
//! as `invalid_arguments` details rather than failing on the first one.

use std::cmp::Ordering;

use chrono::{DateTime, Utc};
use serde_json::{Map, Value};

use super::error::{check, ArgError, ScwError};

pub const MAX_PAGE_SIZE: u64 = 100;
/// Not stated by the SDK; Scaleway APIs generally default to 20.
pub const DEFAULT_PAGE_SIZE: u64 = 20;
pub const MAX_DESCRIPTION: usize = 200;

/// The parsed query string, in order, repeated names kept.
pub struct Params(Vec<(String, String)>);

#[derive(Debug, Clone, Copy)]
pub struct Paging {
    pub page: u64,
    pub page_size: u64,
}

/// A validated `order_by`: the field name and the direction.
#[derive(Debug, Clone)]
pub struct Order {
    pub field: String,
    pub desc: bool,
}

impl Order {
    pub fn apply(&self, ord: Ordering) -> Ordering {
        if self.desc {
            ord.reverse()
        } else {
            ord
        }
    }
}

impl Params {
    pub fn parse(raw: Option<&str>) -> Result<Self, ScwError> {
        serde_urlencoded::from_str(raw.unwrap_or_default())
            .map(Params)
            .map_err(|_| ScwError::invalid(ArgError::format("query", "malformed query string")))
    }

    /// The last non-empty value of `name` (an empty value counts as absent).
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .rev()
            .find(|(k, v)| k == name && !v.is_empty())
            .map(|(_, v)| v.as_str())
    }

    /// Every non-empty value of a repeatable parameter.
    pub fn all(&self, name: &str) -> Vec<&str> {
        self.0
            .iter()
            .filter(|(k, v)| k == name && !v.is_empty())
            .map(|(_, v)| v.as_str())
            .collect()
    }

    pub fn uuid(&self, name: &str, errors: &mut Vec<ArgError>) -> Option<String> {
        let value = self.get(name)?;
        if is_uuid(value) {
            Some(value.to_string())
        } else {
            errors.push(ArgError::format(name, "must be a UUID"));
            None
        }
    }

    pub fn uuids(&self, name: &str, errors: &mut Vec<ArgError>) -> Vec<String> {
        let values = self.all(name);
        if values.iter().all(|v| is_uuid(v)) {
            values.into_iter().map(str::to_string).collect()
        } else {
            errors.push(ArgError::format(name, "must be a list of UUIDs"));
            Vec::new()
        }
    }

    pub fn bool(&self, name: &str, errors: &mut Vec<ArgError>) -> Option<bool> {
        match self.get(name)? {
            "true" | "1" => Some(true),
            "false" | "0" => Some(false),
            _ => {
                errors.push(ArgError::format(name, "must be true or false"));
                None
            }
        }
    }

    /// An enum parameter; `None` when absent or invalid.
    pub fn one_of(
        &self,
        name: &str,
        allowed: &[&str],
        errors: &mut Vec<ArgError>,
    ) -> Option<String> {
        let value = self.get(name)?;
        if allowed.contains(&value) {
            Some(value.to_string())
        } else {
            errors.push(ArgError::format(
                name,
                &format!("must be one of: {}", allowed.join(", ")),
            ));
            None
        }
    }

    /// `order_by`, one of `<field>_asc` / `<field>_desc` for the given fields; default the first
    /// field ascending.
    pub fn order(&self, fields: &[&str], errors: &mut Vec<ArgError>) -> Order {
        let default = Order {
            field: fields[0].to_string(),
            desc: false,
        };
        let Some(value) = self.get("order_by") else {
            return default;
        };
        let parsed = value.rsplit_once('_').and_then(|(field, dir)| {
            let desc = match dir {
                "asc" => false,
                "desc" => true,
                _ => return None,
            };
            fields.contains(&field).then(|| Order {
                field: field.to_string(),
                desc,
            })
        });
        parsed.unwrap_or_else(|| {
            let allowed: Vec<String> = fields
                .iter()
                .flat_map(|f| [format!("{f}_asc"), format!("{f}_desc")])
                .collect();
            errors.push(ArgError::format(
                "order_by",
                &format!("must be one of: {}", allowed.join(", ")),
            ));
            default
        })
    }

    /// `page` (≥ 1, default 1) and `page_size` (1–100, default 20).
    pub fn paging(&self, errors: &mut Vec<ArgError>) -> Paging {
        let mut paging = Paging {
            page: 1,
            page_size: DEFAULT_PAGE_SIZE,
        };
        if let Some(raw) = self.get("page") {
            match raw.parse::<i32>() {
                Ok(p) if p >= 1 => paging.page = p as u64,
                _ => errors.push(ArgError::constraint(
                    "page",
                    "must be an integer greater than or equal to 1",
                )),
            }
        }
        if let Some(raw) = self.get("page_size") {
            match raw.parse::<u32>() {
                Ok(s) if (1..=MAX_PAGE_SIZE).contains(&u64::from(s)) => {
                    paging.page_size = u64::from(s)
                }
                _ => errors.push(ArgError::constraint(
                    "page_size",
                    "must be an integer between 1 and 100",
                )),
            }
        }
        paging
    }
}

/// A list request: its query, the `page`/`page_size` and `order_by` it asked for, and every
/// argument problem found so far (the filters add theirs before `check`).
pub struct ListQuery {
    pub params: Params,
    pub errors: Vec<ArgError>,
    paging: Paging,
    order: Order,
}

impl ListQuery {
    /// `order_fields` are the list's `order_by` fields, the default first.
    pub fn parse(raw: Option<&str>, order_fields: &[&str]) -> Result<Self, ScwError> {
        let params = Params::parse(raw)?;
        let mut errors = Vec::new();
        let paging = params.paging(&mut errors);
        let order = params.order(order_fields, &mut errors);
        Ok(ListQuery {
            params,
            errors,
            paging,
            order,
        })
    }

    /// Refuse the request if any argument was bad.
    pub fn check(&mut self) -> Result<(), ScwError> {
        check(std::mem::take(&mut self.errors))
    }

    /// The requested page of `items` in the requested order, and how many items there are in
    /// all. `by` compares two items on an `order_by` field; ties go by `id`, ascending or not
    /// as the order says.
    pub fn page<'a, T, I: Ord + ?Sized>(
        &self,
        mut items: Vec<&'a T>,
        by: impl Fn(&str, &T, &T) -> Ordering,
        id: impl Fn(&T) -> &I,
    ) -> (Vec<&'a T>, usize) {
        let order = &self.order;
        items.sort_by(|a, b| order.apply(by(&order.field, a, b).then_with(|| id(a).cmp(id(b)))));
        let total = items.len();
        (page_of(items, self.paging), total)
    }
}

/// The items of one page; past the last page, none.
fn page_of<T>(items: Vec<T>, paging: Paging) -> Vec<T> {
    let skip = (paging.page - 1).saturating_mul(paging.page_size);
    let skip = usize::try_from(skip).unwrap_or(usize::MAX);
    items
        .into_iter()
        .skip(skip)
        .take(paging.page_size as usize)
        .collect()
}

/// A JSON request body. An empty body counts as `{}`; a JSON `null` field counts as absent.
pub struct Body(Map<String, Value>);

impl Body {
    pub fn parse(bytes: &[u8]) -> Result<Self, ScwError> {
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Ok(Body(Map::new()));
        }
        match serde_json::from_slice::<Value>(bytes) {
            Ok(Value::Object(map)) => Ok(Body(map)),
            _ => Err(ScwError::invalid(ArgError::format(
                "body",
                "request body must be a JSON object",
            ))),
        }
    }

    fn field(&self, name: &str) -> Option<&Value> {
        self.0.get(name).filter(|v| !v.is_null())
    }

    pub fn string(&self, name: &str, errors: &mut Vec<ArgError>) -> Option<String> {
        match self.field(name)? {
            Value::String(s) => Some(s.clone()),
            _ => {
                errors.push(ArgError::format(name, "must be a string"));
                None
            }
        }
    }

    /// A string of at most `max` characters.
    pub fn bounded(&self, name: &str, max: usize, errors: &mut Vec<ArgError>) -> Option<String> {
        let s = self.string(name, errors)?;
        if s.chars().count() > max {
            errors.push(ArgError::constraint(
                name,
                &format!("must be at most {max} characters"),
            ));
            return None;
        }
        Some(s)
    }

    pub fn uuid(&self, name: &str, errors: &mut Vec<ArgError>) -> Option<String> {
        let s = self.string(name, errors)?;
        if is_uuid(&s) {
            Some(s)
        } else {
            errors.push(ArgError::format(name, "must be a UUID"));
            None
        }
    }

    /// An RFC 3339 date-time, with any offset, normalised to UTC.
    pub fn time(&self, name: &str, errors: &mut Vec<ArgError>) -> Option<DateTime<Utc>> {
        let s = self.string(name, errors)?;
        match DateTime::parse_from_rfc3339(&s) {
            Ok(t) => Some(t.with_timezone(&Utc)),
            Err(_) => {
                errors.push(ArgError::format(name, "must be an RFC 3339 date-time"));
                None
            }
        }
    }

    pub fn strings(&self, name: &str, errors: &mut Vec<ArgError>) -> Option<Vec<String>> {
        let Value::Array(items) = self.field(name)? else {
            errors.push(ArgError::format(name, "must be a list of strings"));
            return None;
        };
        let strings: Option<Vec<String>> = items
            .iter()
            .map(|v| v.as_str().map(str::to_string))
            .collect();
        if strings.is_none() {
            errors.push(ArgError::format(name, "must be a list of strings"));
        }
        strings
    }
}

pub fn is_uuid(s: &str) -> bool {
    s.len() == 36 && uuid::Uuid::parse_str(s).is_ok()
}
