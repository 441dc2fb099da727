//! `Sensitive<T>`: a value that must never be printed, logged or serialized by accident.
//!
//! - `Debug` and `Display` print `<redacted>`.
//! - It deliberately does not implement `Serialize`: a secret cannot end up in a settings file,
//!   an IPC payload or JSON output without code that calls `expose()` and says why.
//! - The inner value is zeroized on drop.

use std::fmt;

use zeroize::{Zeroize, Zeroizing};

pub struct Sensitive<T: Zeroize>(Zeroizing<T>);

impl<T: Zeroize> Sensitive<T> {
    pub fn new(value: T) -> Self {
        Sensitive(Zeroizing::new(value))
    }

    /// The secret itself. Every call site is a place a secret leaves its wrapper: keep them few.
    pub fn expose(&self) -> &T {
        &self.0
    }
}

impl Sensitive<String> {
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// A display hint that shows only the last four characters, e.g. `••••3f9a`.
    pub fn hint(&self) -> String {
        // Walks the secret in place: no copy of it is made (only the four shown characters).
        if self.0.chars().nth(8).is_none() {
            return "••••".to_string();
        }
        let mut tail: Vec<char> = self.0.chars().rev().take(4).collect();
        tail.reverse();
        format!("••••{}", tail.into_iter().collect::<String>())
    }
}

impl<T: Zeroize + Clone> Clone for Sensitive<T> {
    fn clone(&self) -> Self {
        Sensitive(self.0.clone())
    }
}

impl<T: Zeroize> fmt::Debug for Sensitive<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

impl<T: Zeroize> fmt::Display for Sensitive<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

impl From<String> for Sensitive<String> {
    fn from(s: String) -> Self {
        Sensitive::new(s)
    }
}

impl From<&str> for Sensitive<String> {
    fn from(s: &str) -> Self {
        Sensitive::new(s.to_string())
    }
}

impl<T: Zeroize + PartialEq> PartialEq for Sensitive<T> {
    fn eq(&self, other: &Self) -> bool {
        *self.0 == *other.0
    }
}

/// Secrets may come *in* from the UI or a file, never go out.
impl<'de, T: Zeroize + serde::Deserialize<'de>> serde::Deserialize<'de> for Sensitive<T> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        T::deserialize(d).map(Sensitive::new)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_and_display_are_redacted() {
        let s = Sensitive::from("canary-12345678");
        assert_eq!(format!("{s:?}"), "<redacted>");
        assert_eq!(format!("{s}"), "<redacted>");
        assert_eq!(format!("{:?}", Some(&s)), "Some(<redacted>)");
        assert_eq!(s.expose(), "canary-12345678");
    }

    #[test]
    fn hint_shows_only_the_tail() {
        assert_eq!(Sensitive::from("abcdefghijkl3f9a").hint(), "••••3f9a");
        assert_eq!(Sensitive::from("short").hint(), "••••");
    }

    #[test]
    fn deserializes_from_a_string() {
        let s: Sensitive<String> = serde_json::from_str("\"in\"").unwrap();
        assert_eq!(s.expose(), "in");
    }
}
