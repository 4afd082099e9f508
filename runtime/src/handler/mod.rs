//! Handlers: what `#[cognito_trigger]` makes of a function, what that function may take and
//! return, and what its errors mean.

use std::future::Future;

use crate::claims::Claims;
use crate::event::{Event, Trigger};
use crate::rules::ResponseRules;
use crate::table::OnTimeout;

mod context;
mod error;
mod outcome;
mod params;

pub use context::Context;
pub use error::{Reject, TriggerError};
pub use outcome::{IntoOutcome, IntoTriggerError, Outcome};
pub use params::{ContextParam, EventParam, StateParam};

/// What a handler is, whatever state it runs with: its trigger, name and claimed sources.
/// Constants, so that a pool can check its handlers at compile time.
///
/// ```
/// use cognito_trigger::{
///     cognito_trigger, CustomMessageEvent, CustomMessageSource, HandlerInfo, OnTimeout,
/// };
///
/// #[cognito_trigger(CustomMessage, sources(ForgotPassword))]
/// fn reset_text(_event: &CustomMessageEvent<'_>) {}
///
/// assert_eq!(<reset_text as HandlerInfo>::NAME, "reset_text");
/// assert!(<reset_text as HandlerInfo>::CLAIMS.covers(&CustomMessageSource::ForgotPassword));
/// assert!(!<reset_text as HandlerInfo>::CLAIMS.covers(&CustomMessageSource::SignUp));
/// assert_eq!(<reset_text as HandlerInfo>::ON_TIMEOUT, OnTimeout::FailOpen);
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a trigger handler",
    label = "not a `#[cognito_trigger]` function",
    note = "mark the function with `#[cognito_trigger(Kind)]`"
)]
pub trait HandlerInfo: Send + Sync + 'static {
    /// The trigger it serves.
    type Trigger: Trigger + ResponseRules;
    /// The handler's name, for logs and conflict messages.
    const NAME: &'static str;
    /// The events it takes: every source of its trigger, unless it was narrowed with
    /// `sources(...)`. Events of other sources get Cognito's defaults.
    const CLAIMS: Claims = Claims::all(<Self::Trigger as Trigger>::KIND);
    /// What Cognito gets when the handler runs out of time (set with
    /// `on_timeout = fail_open | fail_closed`; the default depends on the trigger).
    const ON_TIMEOUT: OnTimeout = OnTimeout::default_for(<Self::Trigger as Trigger>::KIND);
}

/// A trigger handler: what `#[cognito_trigger(...)]` generates for a function.
///
/// `S` is the shared state the handler borrows on every invocation. A handler that takes
/// no state implements `Handler<S>` for every `S`, so it fits any pool; one that takes
/// `&AppState` implements `Handler<AppState>`.
///
/// The attribute turns
///
/// ```
/// use cognito_trigger::{cognito_trigger, PreSignUpEvent, PreSignUpResponse};
/// #[cognito_trigger(PreSignUp)]
/// fn auto_confirm(event: &PreSignUpEvent<'_>) -> PreSignUpResponse {
///     PreSignUpResponse::new().confirm_user()
/// }
/// ```
///
/// into the function, unchanged, and this hand-writable equivalent (a struct with the
/// function's name lives in the type namespace, so the function stays callable):
///
/// ```
/// use cognito_trigger::{PreSignUpEvent, PreSignUpResponse};
/// fn auto_confirm(event: &PreSignUpEvent<'_>) -> PreSignUpResponse {
///     PreSignUpResponse::new().confirm_user()
/// }
///
/// #[allow(non_camel_case_types)]
/// struct auto_confirm {}
///
/// impl cognito_trigger::HandlerInfo for auto_confirm {
///     type Trigger = cognito_trigger::PreSignUp;
///     const NAME: &'static str = "auto_confirm";
/// }
///
/// impl<S: Sync> cognito_trigger::Handler<S> for auto_confirm {
///     async fn call(
///         &self,
///         event: &cognito_trigger::PreSignUpEvent<'_>,
///         _context: &cognito_trigger::Context,
///         _state: &S,
///     ) -> cognito_trigger::Outcome<cognito_trigger::PreSignUp> {
///         cognito_trigger::IntoOutcome::into_outcome(auto_confirm(event))
///     }
/// }
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a trigger handler that can run with shared state `{S}`",
    label = "not a handler for this state",
    note = "mark the function with `#[cognito_trigger(Kind)]`; a handler that takes `&YourState` runs with that state: `run_with_state(handler!(f), state)`, or in a `Pool` built with it"
)]
pub trait Handler<S = ()>: HandlerInfo {
    /// Runs the handler on one event.
    fn call(
        &self,
        event: &Event<'_, Self::Trigger>,
        context: &Context,
        state: &S,
    ) -> impl Future<Output = Outcome<Self::Trigger>> + Send;
}
