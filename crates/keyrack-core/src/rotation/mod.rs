//! Rotating a key: plan → create → deliver → verify → retire, a state machine both shells
//! drive (`keyrack keys rotate`, the desktop's Rotate dialog).
//!
//! - The old key is touched only after the new one is delivered (when asked) and verified; a
//!   failure stops where it happened, leaves the old key working and says what exists now.
//! - Each step is written to a journal (`<data dir>/rotations/<id>.json`, 0600, no secret)
//!   before and after it runs, and to the audit log, so a rotation cut short by a crash can be
//!   resumed or undone by a later process.
//! - A rotation never makes two new keys: a create whose answer was lost is recovered as every
//!   create is, and a resumed rotation looks for the key an interrupted create may have made.

mod also;
mod deliver;
pub mod grace;
mod journal;
mod plan;
mod run;

pub use also::FileUpdate;
pub use deliver::{check as check_delivery, Delivery};
pub use journal::{Journal, Journals, Step, StepFailure};
pub use plan::{plan, replacement, Plan, Retire, RotateOptions};
pub use run::{OldKeyState, Progress, Rotation, RotationReport};
