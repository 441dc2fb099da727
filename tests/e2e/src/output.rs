//! A child's stderr, read on a thread so the child never blocks on a full pipe, echoed to the
//! test's own stderr (libtest shows it when the test fails) and kept for panic messages.

use std::collections::VecDeque;
use std::io::{BufRead, BufReader, Read};
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

/// How many of the last lines are kept.
const KEPT_LINES: usize = 80;

#[derive(Default)]
struct Lines {
    last: VecDeque<String>,
    /// Every writer closed the pipe: nothing more will come.
    ended: bool,
}

/// The last lines a child wrote to one stream.
#[derive(Clone, Default)]
pub struct Output {
    lines: Arc<(Mutex<Lines>, Condvar)>,
}

impl Output {
    /// Reads `stream` line by line on a new thread, echoing each line as `[tag] line`.
    pub fn capture(stream: impl Read + Send + 'static, tag: &'static str) -> Output {
        let output = Output::default();
        let shared = output.clone();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stream);
            let mut raw = Vec::new();
            // Not `lines()`: that stops at the first line that is not UTF-8.
            while reader.read_until(b'\n', &mut raw).is_ok_and(|n| n > 0) {
                let line = String::from_utf8_lossy(&raw).trim_end().to_owned();
                raw.clear();
                eprintln!("[{tag}] {line}");
                let mut lines = shared.lock();
                lines.last.push_back(line);
                if lines.last.len() > KEPT_LINES {
                    lines.last.pop_front();
                }
            }
            shared.lock().ended = true;
            shared.lines.1.notify_all();
        });
        output
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Lines> {
        // A panic while holding the lock cannot leave the lines inconsistent.
        self.lines.0.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Waits up to `timeout` for the stream to end. A child that exited may have left lines in
    /// the pipe that the thread has not read yet; its end of stream says they are all in.
    /// (The stream does not end while a process the child started still holds the pipe.)
    pub fn wait_ended(&self, timeout: Duration) -> bool {
        let guard = self.lock();
        let (guard, _) = self
            .lines
            .1
            .wait_timeout_while(guard, timeout, |lines| !lines.ended)
            .unwrap_or_else(|e| e.into_inner());
        guard.ended
    }

    /// The kept lines, oldest first.
    pub fn lines(&self) -> Vec<String> {
        self.lock().last.iter().cloned().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_last_lines_including_bad_utf8() {
        let mut text = Vec::new();
        for i in 0..KEPT_LINES + 5 {
            text.extend_from_slice(format!("line {i}\n").as_bytes());
        }
        text.extend_from_slice(b"bad \xff byte");
        let output = Output::capture(std::io::Cursor::new(text), "test");
        assert!(output.wait_ended(Duration::from_secs(10)));
        let lines = output.lines();
        assert_eq!(lines.len(), KEPT_LINES);
        assert_eq!(lines[0], "line 6");
        assert_eq!(lines.last().unwrap(), "bad \u{fffd} byte");
    }
}
