//! The account's activity report (`/v1/activity/accounts/{account_id}/report…`): `POST` starts
//! an "inactive identities" report and answers 202 with its reference; `GET …/{reference}` (or
//! `latest`, the newest) answers 204 while it is being generated, then 200 with the `Report`,
//! and 404 for a reference it does not know — as the official SDK's integration test expects.
//!
//! The report is taken from the keys' `last_authn` when it is asked for, and becomes readable
//! after `State::report_delay` (IBM: "a few minutes"). Reports older than a day are deleted when
//! a new one is made, as IBM documents.

use axum::extract::{Path, RawQuery};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use super::body::{self, query_get};
use super::errors::{respond, IbmError};
use super::jwt::Caller;
use super::model::{IdentityKind, State};
use super::time;
use super::Call;

/// How long a report takes to be generated unless the state says otherwise.
pub const DEFAULT_REPORT_DELAY_MS: u64 = 1000;
/// IBM's default window when `duration` is not sent (30 days).
const DEFAULT_DURATION_HOURS: u32 = 720;
/// Ten years; a longer window is refused rather than overflowing the clock.
const MAX_DURATION_HOURS: u32 = 87_600;
const INACTIVE: &str = "inactive";

/// One report as made: its body is fixed at creation, like IBM's snapshot.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Report {
    pub reference: String,
    pub account_id: String,
    pub created_at: DateTime<Utc>,
    pub ready_at: DateTime<Utc>,
    /// The `Report` object the GET answers once ready.
    pub body: Value,
}

pub async fn create(
    call: Call,
    Path(account_id): Path<String>,
    RawQuery(query): RawQuery,
) -> Response {
    let made = call.write(|state, caller| {
        check_account(&account_id, &caller, "create reports for")?;
        let pairs = body::query_pairs(query.as_deref())?;
        let kind = query_get(&pairs, "type").unwrap_or(INACTIVE);
        if kind != INACTIVE {
            return Err(IbmError::bad_request(format!(
                "Query parameter 'type' must be '{INACTIVE}'; got '{kind}'."
            )));
        }
        let hours = duration(query_get(&pairs, "duration"))?;
        let reference = make(state, &caller, hours, crate::util::now());
        Ok((
            StatusCode::ACCEPTED,
            Json(json!({ "reference": reference })),
        )
            .into_response())
    });
    respond(made, "createReport")
}

pub async fn get(call: Call, Path((account_id, reference)): Path<(String, String)>) -> Response {
    let found = call.read(|state, caller| {
        check_account(&account_id, &caller, "read the reports of")?;
        let report = if reference == "latest" {
            state
                .reports
                .iter()
                .filter(|r| r.account_id == account_id)
                .max_by_key(|r| r.created_at)
        } else {
            state
                .reports
                .iter()
                .find(|r| r.account_id == account_id && r.reference == reference)
        };
        let Some(report) = report else {
            return Err(IbmError::not_found(format!(
                "Report with reference '{reference}' not found."
            )));
        };
        if crate::util::now() < report.ready_at {
            // Still being generated: no body, as the SDK's integration test expects.
            return Ok(StatusCode::NO_CONTENT.into_response());
        }
        Ok(Json(report.body.clone()).into_response())
    });
    respond(found, "getReport")
}

fn check_account(account_id: &str, caller: &Caller, what: &str) -> Result<(), IbmError> {
    body::check_account_id(account_id)?;
    if account_id != caller.account_id {
        return Err(IbmError::forbidden(format!(
            "You are not allowed to {what} account '{account_id}'."
        )));
    }
    Ok(())
}

/// Whole hours; absent means IBM's default of 720.
fn duration(value: Option<&str>) -> Result<u32, IbmError> {
    let Some(value) = value else {
        return Ok(DEFAULT_DURATION_HOURS);
    };
    value
        .parse::<u32>()
        .ok()
        .filter(|h| *h <= MAX_DURATION_HOURS && !value.starts_with('+'))
        .ok_or_else(|| {
            IbmError::bad_request(format!(
                "Query parameter 'duration' must be a whole number of hours from 0 to \
                 {MAX_DURATION_HOURS}; got '{value}'."
            ))
        })
}

/// Take the report now, store it, and return its reference.
fn make(state: &mut State, caller: &Caller, hours: u32, now: DateTime<Utc>) -> String {
    let account = caller.account_id.as_str();
    // "Reports older than a day are deleted when generating a new report."
    state
        .reports
        .retain(|r| r.account_id != account || now - r.created_at <= Duration::days(1));
    let start = now - Duration::hours(i64::from(hours));
    let reference = crate::util::uuid();
    let body = json!({
        "created_by": caller.iam_id,
        "reference": reference,
        "report_duration": hours.to_string(),
        "report_start_time": time::long(start),
        "report_end_time": time::long(now),
        "users": inactive_identities(state, account, IdentityKind::User, start),
        "apikeys": inactive_keys(state, account, start),
        "serviceids": inactive_identities(state, account, IdentityKind::ServiceId, start),
        "profiles": [],
    });
    let delay = state.report_delay_ms.unwrap_or(DEFAULT_REPORT_DELAY_MS);
    state.reports.push(Report {
        reference: reference.clone(),
        account_id: account.to_owned(),
        created_at: now,
        ready_at: now + Duration::milliseconds(delay.min(i64::MAX as u64) as i64),
        body,
    });
    reference
}

/// Used before the window or never.
fn inactive(last: Option<DateTime<Utc>>, start: DateTime<Utc>) -> bool {
    last.is_none_or(|t| t < start)
}

/// Every key of the account that did not authenticate within the window (`ApikeyActivity`).
fn inactive_keys(state: &State, account: &str, start: DateTime<Utc>) -> Vec<Value> {
    state
        .keys
        .iter()
        .filter(|k| k.account_id == account && inactive(k.last_authn, start))
        .map(|k| {
            let owner = state.identity(&k.iam_id);
            let owner_name = owner.map(|o| o.name.as_str()).unwrap_or_default();
            let mut v = json!({ "id": k.id, "name": k.name });
            if owner.is_some_and(|o| o.kind == IdentityKind::ServiceId) {
                v["type"] = json!("serviceid");
                v["serviceid"] = json!({
                    "id": k.iam_id.strip_prefix("iam-").unwrap_or(&k.iam_id),
                    "name": owner_name,
                });
            } else {
                v["type"] = json!("user");
                v["user"] = user(&k.iam_id, owner_name);
            }
            if let Some(t) = k.last_authn {
                v["last_authn"] = json!(time::long(t));
            }
            v
        })
        .collect()
}

/// Users (`UserActivity`) or service IDs (`EntityActivity`) none of whose keys authenticated
/// within the window; an identity's last authentication is its keys' latest.
fn inactive_identities(
    state: &State,
    account: &str,
    kind: IdentityKind,
    start: DateTime<Utc>,
) -> Vec<Value> {
    state
        .identities
        .iter()
        .filter(|i| i.account_id == account && i.kind == kind)
        .filter_map(|i| {
            let last = state
                .keys
                .iter()
                .filter(|k| k.iam_id == i.iam_id)
                .filter_map(|k| k.last_authn)
                .max();
            if !inactive(last, start) {
                return None;
            }
            let mut v = match kind {
                IdentityKind::User => user(&i.iam_id, &i.name),
                IdentityKind::ServiceId => json!({
                    "id": i.iam_id.strip_prefix("iam-").unwrap_or(&i.iam_id),
                    "name": i.name,
                }),
            };
            if let Some(t) = last {
                v["last_authn"] = json!(time::long(t));
            }
            Some(v)
        })
        .collect()
}

/// A user as the report names one; the emulator keeps no user names, so the username and
/// e-mail are made from the display name.
fn user(iam_id: &str, name: &str) -> Value {
    let login: String = name
        .to_lowercase()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(".");
    let email = format!("{login}@example.com");
    json!({ "iam_id": iam_id, "name": name, "username": email, "email": email })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_are_whole_hours_within_bounds() {
        assert_eq!(duration(None).unwrap(), 720);
        assert_eq!(duration(Some("1")).unwrap(), 1);
        assert_eq!(duration(Some("0")).unwrap(), 0);
        for bad in ["", "-1", "+1", "1.5", "abc", "87601", "99999999999"] {
            assert!(duration(Some(bad)).is_err(), "{bad}");
        }
    }
}
