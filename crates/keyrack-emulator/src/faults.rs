//! Fault injection (latency, status, reset, malformed) per vendor and path prefix. To be filled in.

#[derive(Debug, Default)]
pub struct Faults {}
