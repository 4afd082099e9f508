//! The example handlers, one module per family of triggers.

pub mod authentication;
pub mod challenge;
pub mod federation;
pub mod messages;
pub mod migration;
pub mod senders;
pub mod sign_up;
pub mod tokens;
