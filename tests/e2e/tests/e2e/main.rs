//! The end-to-end suite, one binary: the real app driven through WebKitWebDriver (`shell`,
//! `keys`, `screens`, `hygiene`, `export`) and the harness's own guarantees (`harness`). Run one at a time
//! (`--test-threads=1`): the app is single-instance.

mod export;
mod harness;
mod hygiene;
mod keys;
mod screens;
mod shell;
