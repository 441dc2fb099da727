//! Work that must not run twice at once for the same thing, e.g. the tray's "New key for…" on
//! one account: a second click while the first create runs would make a second key.

use std::collections::HashSet;
use std::sync::{Arc, Mutex};

/// The names of the jobs running now.
#[derive(Debug, Default)]
pub struct InFlight {
    running: Arc<Mutex<HashSet<String>>>,
}

/// Proof that a job runs; the job ends when this is dropped (success, error or panic).
#[derive(Debug)]
pub struct Running {
    running: Arc<Mutex<HashSet<String>>>,
    name: String,
}

impl InFlight {
    /// Starts the job `name`, or `None` when it already runs. Checked and set under one lock.
    pub fn begin(&self, name: &str) -> Option<Running> {
        let mut running = self.running.lock().unwrap_or_else(|p| p.into_inner());
        running.insert(name.to_string()).then(|| Running {
            running: Arc::clone(&self.running),
            name: name.to_string(),
        })
    }

    pub fn is_running(&self, name: &str) -> bool {
        self.running
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .contains(name)
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        self.running
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(&self.name);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_job_runs_once_at_a_time_and_ends_when_dropped() {
        let jobs = InFlight::default();
        let first = jobs.begin("a").expect("a starts");
        assert!(jobs.begin("a").is_none(), "a is already running");
        let other = jobs.begin("b").expect("b is another job");
        assert!(jobs.is_running("a"));
        drop(first);
        assert!(!jobs.is_running("a"));
        assert!(jobs.begin("a").is_some(), "a may run again");
        drop(other);
        assert!(!jobs.is_running("b"));
    }
}
