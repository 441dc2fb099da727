//! Fault injection rules (latency, status, reset, malformed) per vendor, method and path prefix.
//!
//! Rules are set through the control API (`POST /__emulator/faults`, see `control.rs`) and applied
//! by the middleware in `middleware.rs`. A rule fires on a matching request with probability
//! `rate` (default 1.0), at most `count` times (default: until cleared).

use std::sync::Mutex;

use rand::Rng;
use serde::{Deserialize, Serialize};

use crate::vendors::VENDORS;

/// Longest latency a rule may add, so a typo cannot hang a test run for hours.
pub const MAX_LATENCY_MS: u64 = 120_000;

/// What a rule does to a matching request.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum FaultKind {
    /// Answer with this status and the vendor's error envelope, without calling the handler.
    Status {
        status: u16,
        #[serde(skip_serializing_if = "Option::is_none")]
        retry_after: Option<u64>,
    },
    /// Delay the request, then handle it normally (combines with other rules).
    Latency { ms: u64 },
    /// Drop the connection without any response, without calling the handler.
    Reset,
    /// Call the handler, then truncate its body so it is no longer valid JSON.
    Malformed,
}

/// A rule as posted to `POST /__emulator/faults`. Unknown fields are refused.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FaultSpec {
    pub kind: String,
    #[serde(default)]
    pub vendor: Option<String>,
    #[serde(default)]
    pub path_prefix: Option<String>,
    #[serde(default)]
    pub method: Option<String>,
    #[serde(default)]
    pub status: Option<u16>,
    #[serde(default)]
    pub retry_after: Option<u64>,
    #[serde(default)]
    pub ms: Option<u64>,
    #[serde(default)]
    pub rate: Option<f64>,
    #[serde(default)]
    pub count: Option<u64>,
}

/// An installed rule, as listed by `GET /__emulator/faults`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FaultRule {
    pub id: u64,
    pub vendor: Option<String>,
    pub path_prefix: Option<String>,
    pub method: Option<String>,
    #[serde(flatten)]
    pub kind: FaultKind,
    pub rate: f64,
    /// Firings left; `None` = unlimited.
    pub remaining: Option<u64>,
}

impl FaultRule {
    fn matches(&self, vendor: Option<&str>, method: &str, path: &str) -> bool {
        self.vendor.as_deref().is_none_or(|v| Some(v) == vendor)
            && self
                .method
                .as_deref()
                .is_none_or(|m| m.eq_ignore_ascii_case(method))
            && self
                .path_prefix
                .as_deref()
                .is_none_or(|p| path.starts_with(p))
    }
}

impl FaultSpec {
    /// Check the spec and turn it into a rule; the error is a message for the caller.
    pub fn validate(self, id: u64) -> Result<FaultRule, String> {
        if let Some(v) = &self.vendor {
            if !VENDORS.contains(&v.as_str()) {
                return Err(format!("unknown vendor {v:?}; expected one of {VENDORS:?}"));
            }
        }
        if let Some(p) = &self.path_prefix {
            if !p.starts_with('/') {
                return Err("path_prefix must start with '/'".into());
            }
        }
        let rate = self.rate.unwrap_or(1.0);
        if !(0.0..=1.0).contains(&rate) {
            return Err("rate must be between 0 and 1".into());
        }
        if self.count == Some(0) {
            return Err("count must be at least 1 (omit it for an unlimited rule)".into());
        }
        let kind = match self.kind.as_str() {
            "status" => {
                let status = self.status.ok_or("kind \"status\" needs a status")?;
                if !(400..=599).contains(&status) {
                    return Err("status must be between 400 and 599".into());
                }
                // Throttling without a Retry-After would teach clients nothing.
                let retry_after = self.retry_after.or((status == 429).then_some(1));
                FaultKind::Status {
                    status,
                    retry_after,
                }
            }
            "latency" => {
                let ms = self.ms.ok_or("kind \"latency\" needs ms")?;
                if ms > MAX_LATENCY_MS {
                    return Err(format!("ms must be at most {MAX_LATENCY_MS}"));
                }
                FaultKind::Latency { ms }
            }
            "reset" => FaultKind::Reset,
            "malformed" => FaultKind::Malformed,
            other => {
                return Err(format!(
                    "unknown kind {other:?}; expected status, latency, reset or malformed"
                ))
            }
        };
        if self.status.is_some() && !matches!(kind, FaultKind::Status { .. }) {
            return Err("status is only valid with kind \"status\"".into());
        }
        if self.ms.is_some() && !matches!(kind, FaultKind::Latency { .. }) {
            return Err("ms is only valid with kind \"latency\"".into());
        }
        Ok(FaultRule {
            id,
            vendor: self.vendor,
            path_prefix: self.path_prefix,
            method: self.method.map(|m| m.to_ascii_uppercase()),
            kind,
            rate,
            remaining: self.count,
        })
    }
}

/// What to do with one request.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Decision {
    /// Total latency from every firing latency rule.
    pub latency_ms: u64,
    /// The first firing non-latency rule, if any.
    pub action: Option<FaultKind>,
}

#[derive(Debug, Default)]
pub struct Faults {
    inner: Mutex<Rules>,
}

#[derive(Debug, Default)]
struct Rules {
    next_id: u64,
    rules: Vec<FaultRule>,
}

impl Faults {
    fn rules(&self) -> std::sync::MutexGuard<'_, Rules> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub fn add(&self, spec: FaultSpec) -> Result<FaultRule, String> {
        let mut rules = self.rules();
        let rule = spec.validate(rules.next_id + 1)?;
        rules.next_id += 1;
        rules.rules.push(rule.clone());
        Ok(rule)
    }

    pub fn list(&self) -> Vec<FaultRule> {
        self.rules().rules.clone()
    }

    pub fn clear(&self) {
        self.rules().rules.clear();
    }

    /// Remove one rule; false if there was none with that id.
    pub fn remove(&self, id: u64) -> bool {
        let mut rules = self.rules();
        let before = rules.rules.len();
        rules.rules.retain(|r| r.id != id);
        rules.rules.len() != before
    }

    /// Decide the faults for one request, consuming counted firings.
    pub fn decide(&self, vendor: Option<&str>, method: &str, path: &str) -> Decision {
        let mut rng = rand::thread_rng();
        self.decide_with(vendor, method, path, || rng.gen::<f64>())
    }

    fn decide_with(
        &self,
        vendor: Option<&str>,
        method: &str,
        path: &str,
        mut roll: impl FnMut() -> f64,
    ) -> Decision {
        let mut rules = self.rules();
        let mut decision = Decision::default();
        for rule in rules.rules.iter_mut() {
            if !rule.matches(vendor, method, path) {
                continue;
            }
            let is_latency = matches!(rule.kind, FaultKind::Latency { .. });
            // Only one non-latency fault can apply; later ones keep their counts.
            if !is_latency && decision.action.is_some() {
                continue;
            }
            if rule.rate < 1.0 && roll() >= rule.rate {
                continue;
            }
            if let Some(n) = rule.remaining.as_mut() {
                *n -= 1;
            }
            match &rule.kind {
                FaultKind::Latency { ms } => decision.latency_ms += ms,
                other => decision.action = Some(other.clone()),
            }
        }
        rules.rules.retain(|r| r.remaining != Some(0));
        decision
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(json: serde_json::Value) -> FaultSpec {
        serde_json::from_value(json).unwrap()
    }

    #[test]
    fn counted_rule_fires_n_times_then_disappears() {
        let f = Faults::default();
        f.add(spec(
            serde_json::json!({"kind":"status","status":503,"count":2}),
        ))
        .unwrap();
        let hit = Some(FaultKind::Status {
            status: 503,
            retry_after: None,
        });
        assert_eq!(f.decide(None, "GET", "/x").action, hit);
        assert_eq!(f.decide(None, "GET", "/x").action, hit);
        assert_eq!(f.decide(None, "GET", "/x").action, None);
        assert!(f.list().is_empty());
    }

    #[test]
    fn rule_matches_vendor_method_and_prefix() {
        let f = Faults::default();
        f.add(spec(serde_json::json!({
            "kind":"reset","vendor":"ibm","method":"post","path_prefix":"/v1/apikeys"
        })))
        .unwrap();
        assert_eq!(f.decide(Some("oci"), "POST", "/v1/apikeys").action, None);
        assert_eq!(f.decide(Some("ibm"), "GET", "/v1/apikeys").action, None);
        assert_eq!(
            f.decide(Some("ibm"), "POST", "/identity/token").action,
            None
        );
        assert_eq!(
            f.decide(Some("ibm"), "POST", "/v1/apikeys/x").action,
            Some(FaultKind::Reset)
        );
    }

    #[test]
    fn rate_uses_the_roll_and_latency_adds_up() {
        let f = Faults::default();
        f.add(spec(serde_json::json!({"kind":"latency","ms":10})))
            .unwrap();
        f.add(spec(serde_json::json!({"kind":"latency","ms":5})))
            .unwrap();
        f.add(spec(serde_json::json!({"kind":"malformed","rate":0.5})))
            .unwrap();
        let d = f.decide_with(None, "GET", "/", || 0.9);
        assert_eq!(
            d,
            Decision {
                latency_ms: 15,
                action: None
            }
        );
        let d = f.decide_with(None, "GET", "/", || 0.1);
        assert_eq!(d.action, Some(FaultKind::Malformed));
    }

    #[test]
    fn only_the_first_action_consumes_its_count() {
        let f = Faults::default();
        f.add(spec(serde_json::json!({"kind":"reset","count":1})))
            .unwrap();
        f.add(spec(serde_json::json!({"kind":"malformed","count":1})))
            .unwrap();
        assert_eq!(f.decide(None, "GET", "/").action, Some(FaultKind::Reset));
        assert_eq!(
            f.decide(None, "GET", "/").action,
            Some(FaultKind::Malformed)
        );
        assert_eq!(f.decide(None, "GET", "/").action, None);
    }

    #[test]
    fn throttling_defaults_retry_after() {
        let rule = spec(serde_json::json!({"kind":"status","status":429}))
            .validate(1)
            .unwrap();
        assert_eq!(
            rule.kind,
            FaultKind::Status {
                status: 429,
                retry_after: Some(1)
            }
        );
    }

    #[test]
    fn bad_specs_are_refused_with_a_reason() {
        for bad in [
            serde_json::json!({"kind":"status"}),
            serde_json::json!({"kind":"status","status":200}),
            serde_json::json!({"kind":"latency"}),
            serde_json::json!({"kind":"latency","ms":999_999_999}),
            serde_json::json!({"kind":"explode"}),
            serde_json::json!({"kind":"reset","vendor":"aws"}),
            serde_json::json!({"kind":"reset","rate":1.5}),
            serde_json::json!({"kind":"reset","count":0}),
            serde_json::json!({"kind":"reset","path_prefix":"v1"}),
            serde_json::json!({"kind":"reset","status":500}),
        ] {
            assert!(spec(bad.clone()).validate(1).is_err(), "{bad}");
        }
        assert!(
            serde_json::from_value::<FaultSpec>(serde_json::json!({"kind":"reset","typo":1}))
                .is_err()
        );
    }
}
