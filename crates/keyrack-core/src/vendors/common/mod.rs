//! Wire code every vendor client shares: base URLs, path segments and ids ([`endpoint`]), a
//! header-authenticated API ([`api`]), one
//! reader of error responses ([`response`]), paging for the three cursor styles ([`paging`]),
//! the decision after a create whose answer was lost ([`lost_create`]), and a reader of the
//! small YAML files vendor CLIs write ([`yaml`]).

pub mod api;
pub mod endpoint;
pub mod lost_create;
pub mod paging;
pub mod response;
pub mod verify;
pub mod yaml;

pub use api::Api;
pub use endpoint::{base_url, build_request, check_id, join, non_empty, with_note};
pub use paging::Page;
pub use response::ErrorResponse;
