//! What a handler may take: its event, optionally the invocation's [`Context`] and the
//! pool's shared state, each checked by rustc with a message for Cognito users.

use super::Context;
use crate::event::{Event, Trigger};

/// The event parameter of a `T` handler: `&Event<'_, T>` (such as `&PreSignUpEvent<'_>`).
#[doc(hidden)]
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not the event of a `{T}` handler",
    label = "expected `&Event<'_, {T}>` here",
    note = "each trigger kind takes its own event: `PreSignUp` takes `&PreSignUpEvent<'_>`, `PreTokenGenerationV2` takes `&PreTokenGenerationV2Event<'_>`, and so on; the kind `PreTokenGeneration` means V1_0"
)]
pub trait EventParam<'r, 'e, T: Trigger>: Sized {
    /// Passes the event.
    fn from_event(event: &'r Event<'e, T>) -> Self;
}

// Two lifetimes: `Event<'e, T>` is invariant in `'e` (it holds `T::Request<'e>`), so a
// borrow of it cannot be shortened to one lifetime.
#[diagnostic::do_not_recommend]
impl<'r, 'e, T: Trigger> EventParam<'r, 'e, T> for &'r Event<'e, T> {
    fn from_event(event: &'r Event<'e, T>) -> Self {
        event
    }
}

/// A context parameter: `&cognito_trigger::Context` or `&lambda_runtime::Context`.
#[doc(hidden)]
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a context a trigger handler can take",
    label = "taken as the Lambda context because its type is named `Context`",
    note = "take `&cognito_trigger::Context` (or `&lambda_runtime::Context`)"
)]
pub trait ContextParam<'c>: Sized {
    /// Passes the context.
    fn from_context(context: &'c Context) -> Self;
}

#[diagnostic::do_not_recommend]
impl<'c> ContextParam<'c> for &'c Context {
    fn from_context(context: &'c Context) -> Self {
        context
    }
}

#[diagnostic::do_not_recommend]
impl<'c> ContextParam<'c> for &'c lambda_runtime::Context {
    fn from_context(context: &'c Context) -> Self {
        context.lambda()
    }
}

/// The shared-state parameter of a handler whose state is `S`: `&S`.
#[doc(hidden)]
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not the shared state `&{S}` this handler is run with",
    label = "the shared-state parameter",
    note = "the state is built once at cold start and lent to every invocation"
)]
pub trait StateParam<'s, S>: Sized {
    /// Passes the state.
    fn from_state(state: &'s S) -> Self;
}

#[diagnostic::do_not_recommend]
impl<'s, S> StateParam<'s, S> for &'s S {
    fn from_state(state: &'s S) -> Self {
        state
    }
}
