//! Last use in bulk: the account's activity report (`/v1/activity/accounts/{id}/report`).
//!
//! IBM tells when a key last authenticated only per key (`include_activity`), one request per
//! key, or in the account's "inactive identities" report: every key that did not authenticate
//! within the report's window, with when it last did. A listing reads the latest report; a key
//! it names gets its last use from there, and the few it does not (used within the window, or
//! made after the report) are read per key as before. Without a usable report the listing reads
//! every key and asks IBM for a new report, which a later listing finds ready. The report never
//! fails a listing: whatever goes wrong with it, the keys are read one by one.

use std::collections::HashMap;
use std::sync::atomic::Ordering;

use chrono::{DateTime, Duration, Utc};
use reqwest::StatusCode;

use super::client::IbmClient;
use super::wire::{self, Report};
use crate::http::{self, Retry};
use crate::vendors::VendorId;

const V: VendorId = VendorId::Ibm;
/// The report's window, in hours. IBM documents the duration in whole hours and no minimum; the
/// shortest window leaves the fewest keys out of the report (those used within it).
const WINDOW_HOURS: &str = "1";
/// An older report may miss later uses of the keys it lists; past this age a new one is asked for.
fn max_age() -> Duration {
    Duration::hours(24)
}

/// What `report/latest` gave.
pub(super) enum Latest {
    /// A report that ended within a day.
    Fresh(Activity),
    /// No report, or only an old one: ask for a new one.
    Missing,
    /// Being generated, unreadable, or not answered: read per key this time.
    Unusable,
    /// The credential may not read reports: read per key, and do not ask again.
    Denied,
}

/// Each key a report lists, and when it last authenticated (`None`: never).
#[derive(Debug, Default)]
pub(super) struct Activity {
    last_authn: HashMap<String, Option<DateTime<Utc>>>,
}

impl Activity {
    /// `None` when the report does not list the key, so that it must be read on its own.
    pub(super) fn last_authn(&self, key_id: &str) -> Option<Option<DateTime<Utc>>> {
        self.last_authn.get(key_id).copied()
    }
}

/// A report as read at `now`: fresh, old, or (a time that does not parse) unusable.
fn judge(report: Report, now: DateTime<Utc>) -> Latest {
    let Some(end) = wire::parse_time(Some(&report.report_end_time)) else {
        tracing::debug!("IBM activity report unusable: its end time does not parse");
        return Latest::Unusable;
    };
    if now - end > max_age() {
        return Latest::Missing;
    }
    let mut last_authn = HashMap::with_capacity(report.apikeys.len());
    for key in report.apikeys {
        let when = match key.last_authn.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(s) => match wire::parse_time(Some(s)) {
                Some(t) => Some(t),
                None => {
                    tracing::debug!(key = %key.id, "IBM activity report unusable: a last_authn does not parse");
                    return Latest::Unusable;
                }
            },
        };
        last_authn.insert(key.id, when);
    }
    Latest::Fresh(Activity { last_authn })
}

impl IbmClient {
    /// `GET …/report/latest`, unless this client was refused reports before.
    pub(super) async fn latest_report(&self, account_id: &str) -> Latest {
        if self.reports_denied.load(Ordering::Relaxed) {
            return Latest::Denied;
        }
        let url = self.url(&["v1", "activity", "accounts", account_id, "report", "latest"]);
        let response = match self
            .send(Retry::Idempotent, || self.http.client().get(url.clone()))
            .await
        {
            Ok(response) => response,
            Err(e) => {
                tracing::debug!("IBM activity report not read: {e}");
                return Latest::Unusable;
            }
        };
        match response.status() {
            StatusCode::OK => match http::read_json::<Report>(V, response, false).await {
                Ok(report) => judge(report, Utc::now()),
                Err(e) => {
                    tracing::debug!("IBM activity report unusable: {e}");
                    Latest::Unusable
                }
            },
            // Being generated: it will be ready for a later listing.
            StatusCode::NO_CONTENT => Latest::Unusable,
            StatusCode::NOT_FOUND => Latest::Missing,
            status => self.refused(status).unwrap_or_else(|| {
                tracing::debug!("IBM activity report not read: HTTP {status}");
                Latest::Unusable
            }),
        }
    }

    /// `POST …/report?type=inactive`: a new report for later listings. Its answer (a reference)
    /// is not needed: `latest` finds it.
    pub(super) async fn request_report(&self, account_id: &str) {
        let url = self.url(&["v1", "activity", "accounts", account_id, "report"]);
        let query = [("type", "inactive"), ("duration", WINDOW_HOURS)];
        match self
            .send(Retry::Never, || {
                self.http.client().post(url.clone()).query(&query)
            })
            .await
        {
            Ok(r) if r.status().is_success() => tracing::debug!("IBM activity report requested"),
            Ok(r) => {
                let status = r.status();
                if self.refused(status).is_none() {
                    tracing::debug!("IBM activity report not requested: HTTP {status}");
                }
            }
            Err(e) => tracing::debug!("IBM activity report not requested: {e}"),
        }
    }

    /// A 401 (after a fresh token) or 403: the credential lacks the report's permission, which
    /// will not change while this client lives.
    fn refused(&self, status: StatusCode) -> Option<Latest> {
        if status != StatusCode::UNAUTHORIZED && status != StatusCode::FORBIDDEN {
            return None;
        }
        tracing::debug!("IBM activity report refused (HTTP {status}); reading last use per key");
        self.reports_denied.store(true, Ordering::Relaxed);
        Some(Latest::Denied)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report(end: &str, keys: &[(&str, Option<&str>)]) -> Report {
        serde_json::from_value(serde_json::json!({
            "created_by": "IBMid-X",
            "reference": "r",
            "report_duration": "1",
            "report_start_time": end,
            "report_end_time": end,
            "apikeys": keys.iter().map(|(id, last)| {
                let mut k = serde_json::json!({"id": id, "type": "user"});
                if let Some(l) = last { k["last_authn"] = serde_json::json!(l); }
                k
            }).collect::<Vec<_>>(),
        }))
        .unwrap()
    }

    fn at(s: &str) -> DateTime<Utc> {
        wire::parse_time(Some(s)).unwrap()
    }

    #[test]
    fn a_fresh_report_gives_each_listed_keys_last_use() {
        let now = at("2026-12-05T12:00:00Z");
        let r = report(
            "2026-12-05T02:00:00.000Z",
            &[
                ("ApiKey-a", Some("2026-11-01T08:30:00.123Z")),
                ("ApiKey-b", None),
            ],
        );
        let Latest::Fresh(a) = judge(r, now) else {
            panic!("fresh")
        };
        assert_eq!(
            a.last_authn("ApiKey-a"),
            Some(Some(at("2026-11-01T08:30:00.123Z")))
        );
        assert_eq!(a.last_authn("ApiKey-b"), Some(None), "listed, never used");
        assert_eq!(a.last_authn("ApiKey-c"), None, "not listed: read per key");
    }

    #[test]
    fn an_old_report_asks_for_a_new_one_and_a_bad_one_is_not_used() {
        let now = at("2026-12-05T12:00:00Z");
        let old = report("2026-12-04T11:59:00+0000", &[("ApiKey-a", None)]);
        assert!(matches!(judge(old, now), Latest::Missing));
        let bad_end = report("yesterday", &[]);
        assert!(matches!(judge(bad_end, now), Latest::Unusable));
        let bad_key = report("2026-12-05T11:00+0000", &[("ApiKey-a", Some("soon"))]);
        assert!(matches!(judge(bad_key, now), Latest::Unusable));
    }
}
