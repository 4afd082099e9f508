//! Procedural macros for [`cognito-trigger`](https://docs.rs/cognito-trigger).
//!
//! Do not depend on this crate directly: the runtime crate re-exports everything here and
//! pins this crate to its own exact version. The `#[cognito_trigger(...)]` attribute lands
//! here together with its compile-fail tests (tracked as the macro issue); until then this
//! crate is an empty member of the workspace so that its manifest, lints and version pin
//! are in place.
