//! IBM's timestamp forms: `yyyy-MM-ddTHH:mm+0000` (documented for `expires_at`, and what the
//! live service emits for `created_at`/`modified_at`), and full ISO-8601 with milliseconds (the
//! SDK mocks' form, used here for history records so clients meet both).

use chrono::{DateTime, NaiveDateTime, Utc};

/// `2026-12-31T23:59+0000`.
pub fn short(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M+0000").to_string()
}

/// `2026-12-31T23:59:00.000Z`.
pub fn long(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string()
}

/// Accept the documented short form, the same with seconds (the SDK integration test sends
/// `2049-01-02T18:30:00+0000`), and RFC 3339.
pub fn parse(value: &str) -> Option<DateTime<Utc>> {
    if let Ok(t) = DateTime::parse_from_rfc3339(value) {
        return Some(t.with_timezone(&Utc));
    }
    for format in [
        "%Y-%m-%dT%H:%M%z",
        "%Y-%m-%dT%H:%M:%S%z",
        "%Y-%m-%dT%H:%M:%S%.f%z",
    ] {
        if let Ok(t) = DateTime::parse_from_str(value, format) {
            return Some(t.with_timezone(&Utc));
        }
    }
    // Without an offset the value is taken as UTC.
    for format in ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"] {
        if let Ok(t) = NaiveDateTime::parse_from_str(value, format) {
            return Some(t.and_utc());
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_the_documented_forms() {
        let expected = parse("2026-12-31T23:59:00Z").unwrap();
        for form in [
            "2026-12-31T23:59+0000",
            "2026-12-31T23:59:00+0000",
            "2026-12-31T23:59:00.000Z",
            "2026-12-31T23:59:00+00:00",
            "2027-01-01T00:59+0100",
        ] {
            assert_eq!(parse(form), Some(expected), "{form}");
        }
        assert_eq!(short(expected), "2026-12-31T23:59+0000");
        assert_eq!(long(expected), "2026-12-31T23:59:00.000Z");
        for bad in ["", "tomorrow", "2026-13-01T00:00+0000", "2026-12-31"] {
            assert_eq!(parse(bad), None, "{bad}");
        }
    }
}
