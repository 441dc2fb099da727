//! API key scopes: the dashboard's scope names (the same identifiers the key update and the
//! service-account key create take). `[]` means an unrestricted key; anything not listed here
//! is refused with a 400 naming it, as the live API refuses an unknown scope.

use super::body::{self, Fields};
use super::error::ApiError;

/// Every scope the emulator accepts: read only, the per-resource ones the dashboard's
/// "Restricted" choices set, and the newer per-endpoint ones of the API reference.
pub const KNOWN: &[&str] = &[
    "api.all.read",
    "model.read",
    "api.model.read",
    "model.request",
    "api.model.request",
    "api.assistants.read",
    "api.assistants.write",
    "api.threads.read",
    "api.threads.write",
    "api.fine_tuning.jobs.read",
    "api.fine_tuning.jobs.write",
    "api.files.read",
    "api.files.write",
    "api.responses.read",
    "api.responses.write",
    "api.batch.read",
    "api.batch.write",
    "api.vector_stores.read",
    "api.vector_stores.write",
    "api.evals.read",
    "api.evals.write",
];

/// `scopes` of a request, each known; repeats are kept once, in the order given.
pub fn parse(fields: &Fields) -> Result<Option<Vec<String>>, ApiError> {
    let Some(scopes) = body::optional_strings(fields, "scopes")? else {
        return Ok(None);
    };
    let mut out: Vec<String> = Vec::new();
    for scope in scopes {
        if !KNOWN.contains(&scope.as_str()) {
            return Err(ApiError::bad_request(format!(
                "Invalid value for 'scopes': '{scope}' is not a valid API key scope."
            ))
            .with_param("scopes")
            .with_code("invalid_value"));
        }
        if !out.contains(&scope) {
            out.push(scope);
        }
    }
    Ok(Some(out))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(json: &str) -> Fields {
        body::parse(json.as_bytes(), &["scopes"]).unwrap()
    }

    #[test]
    fn known_scopes_pass_once_and_unknown_ones_are_named() {
        assert_eq!(parse(&fields("{}")).unwrap(), None);
        assert_eq!(
            parse(&fields(r#"{"scopes":["api.all.read","api.all.read"]}"#)).unwrap(),
            Some(vec!["api.all.read".to_string()])
        );
        assert_eq!(
            parse(&fields(r#"{"scopes":[]}"#)).unwrap(),
            Some(Vec::new())
        );
        let e = parse(&fields(r#"{"scopes":["api.everything"]}"#)).unwrap_err();
        assert_eq!(e.status, axum::http::StatusCode::BAD_REQUEST);
        assert_eq!(e.param.as_deref(), Some("scopes"));
        assert!(e.message.contains("api.everything"));
    }
}
