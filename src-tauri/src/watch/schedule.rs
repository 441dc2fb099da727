//! When the next background refresh is due: every `refresh_hours`, spread by ±10 % so a fleet
//! of laptops (or one that just woke up) does not hit a vendor at the same moment, and sooner
//! after a failure with a backoff that doubles from five minutes up to the interval. A wake
//! from sleep is noticed as a jump of the wall clock between two ticks. Pure: the caller passes
//! the time and a random fraction, so tests run on a fixed clock.

use chrono::{DateTime, Duration, Utc};

/// The first retry after a failed refresh.
const FIRST_RETRY: Duration = Duration::minutes(5);
/// How far either side of the interval a refresh may fall.
const JITTER: f64 = 0.1;

/// How the last refresh went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Every account listed.
    Listed,
    /// Some account failed (network, vendor); `failures` in a row so far, from 1.
    Failed { failures: u32 },
}

/// When to refresh next after `now`, or `None` when scheduled refresh is off (0 hours).
/// `jitter` is a random fraction in 0..1.
pub fn next_refresh(
    now: DateTime<Utc>,
    refresh_hours: u32,
    outcome: Outcome,
    jitter: f64,
) -> Option<DateTime<Utc>> {
    if refresh_hours == 0 {
        return None;
    }
    let interval = Duration::hours(i64::from(refresh_hours));
    let base = match outcome {
        Outcome::Listed => interval,
        Outcome::Failed { failures } => {
            let doublings = failures.saturating_sub(1).min(16);
            (FIRST_RETRY * 2i32.pow(doublings)).min(interval)
        }
    };
    let spread = 1.0 - JITTER + 2.0 * JITTER * jitter.clamp(0.0, 1.0);
    let millis = (base.num_milliseconds() as f64 * spread) as i64;
    Some(now + Duration::milliseconds(millis))
}

/// Whether the machine slept between two ticks `tick` apart: the wall clock moved on much
/// further than the timer that woke us (timers do not run while suspended).
pub fn woke_from_sleep(last_tick: DateTime<Utc>, now: DateTime<Utc>, tick: Duration) -> bool {
    now - last_tick > tick * 3
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn t0() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, 4, 12, 0, 0).unwrap()
    }

    #[test]
    fn a_good_refresh_waits_the_interval_give_or_take_ten_percent() {
        let h6 = Duration::hours(6);
        assert_eq!(next_refresh(t0(), 6, Outcome::Listed, 0.5), Some(t0() + h6));
        let early = next_refresh(t0(), 6, Outcome::Listed, 0.0).unwrap();
        let late = next_refresh(t0(), 6, Outcome::Listed, 1.0).unwrap();
        assert_eq!(early, t0() + Duration::minutes(324));
        assert_eq!(late, t0() + Duration::minutes(396));
    }

    #[test]
    fn failures_back_off_from_five_minutes_to_the_interval() {
        let after =
            |failures| next_refresh(t0(), 1, Outcome::Failed { failures }, 0.5).unwrap() - t0();
        assert_eq!(after(1), Duration::minutes(5));
        assert_eq!(after(2), Duration::minutes(10));
        assert_eq!(after(3), Duration::minutes(20));
        assert_eq!(after(4), Duration::minutes(40));
        assert_eq!(after(5), Duration::hours(1), "capped at the interval");
        assert_eq!(after(500), Duration::hours(1), "no overflow");
    }

    #[test]
    fn zero_hours_turns_scheduled_refresh_off() {
        assert_eq!(next_refresh(t0(), 0, Outcome::Listed, 0.5), None);
    }

    #[test]
    fn a_wall_clock_jump_between_ticks_is_a_wake_from_sleep() {
        let tick = Duration::minutes(1);
        assert!(!woke_from_sleep(t0(), t0() + Duration::seconds(61), tick));
        assert!(woke_from_sleep(t0(), t0() + Duration::hours(2), tick));
    }
}
