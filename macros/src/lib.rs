//! The `#[cognito_trigger(...)]` attribute. Use it through the `cognito-trigger` crate,
//! which re-exports it and documents it.
//!
//! The work is split the usual way: `options` parses the attribute's arguments,
//! `signature` reads the function into a model that keeps every span, both report every
//! mistake they find (not just the first), and `expand` writes the code. The function
//! itself is always emitted unchanged, also when there are errors, so one mistake gives
//! one message and editors keep working.

use proc_macro::TokenStream;

mod errors;
mod expand;
mod kinds;
mod options;
mod signature;
// Generated, and laid out by its generator.
#[rustfmt::skip]
mod table;

/// (The attribute's documentation, with the syntax, the generated code and an example for
/// every trigger kind, is on its re-export in the `cognito-trigger` crate, where the
/// examples can run.)
#[proc_macro_attribute]
pub fn cognito_trigger(args: TokenStream, item: TokenStream) -> TokenStream {
    expand::cognito_trigger(args.into(), item.into()).into()
}
