//! The log of vendor requests, read through `GET /__emulator/requests`.
//!
//! It records method, path, vendor, status and the injected fault — never a query string, header
//! value or body, because those carry keys and tokens.

use std::collections::VecDeque;
use std::sync::Mutex;

use serde::Serialize;

/// Oldest entries are dropped past this many, so a load test cannot grow memory without bound.
pub const MAX_ENTRIES: usize = 10_000;

#[derive(Debug, Clone, Serialize)]
pub struct RequestRecord {
    /// Increases by one per request since start (not reset by clearing the log).
    pub seq: u64,
    pub at: chrono::DateTime<chrono::Utc>,
    pub method: String,
    pub path: String,
    pub vendor: Option<&'static str>,
    /// `None` when the connection was dropped by a `reset` fault.
    pub status: Option<u16>,
    /// The injected fault's kind, if one applied: `status`, `reset` or `malformed`
    /// (`latency` when only latency was added).
    pub fault: Option<&'static str>,
    pub duration_ms: u64,
}

#[derive(Debug, Default)]
pub struct RequestLog {
    inner: Mutex<Log>,
}

#[derive(Debug, Default)]
struct Log {
    next_seq: u64,
    entries: VecDeque<RequestRecord>,
}

impl RequestLog {
    fn log(&self) -> std::sync::MutexGuard<'_, Log> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Append a record; its `seq` is assigned here.
    pub fn push(&self, mut record: RequestRecord) {
        let mut log = self.log();
        log.next_seq += 1;
        record.seq = log.next_seq;
        if log.entries.len() == MAX_ENTRIES {
            log.entries.pop_front();
        }
        log.entries.push_back(record);
    }

    pub fn snapshot(&self) -> Vec<RequestRecord> {
        self.log().entries.iter().cloned().collect()
    }

    pub fn clear(&self) {
        self.log().entries.clear();
    }
}
