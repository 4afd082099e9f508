//! The test kit: Cognito's events built in one line, handlers and pools run on them with
//! typed answers, and whole Cognito flows in a unit test.
//!
//! - [`TestEvent`]: an event of any trigger and source as Cognito sends it, with setters
//!   for what a test cares about, and `run`/`run_pool` (or `invoke`/`invoke_pool` in an
//!   async test) that return the typed response or the typed error, Cognito's response
//!   rules applied strictly.
//! - [`Cognito`]: a user pool in a box that drives a [`Pool`](crate::Pool) through
//!   Cognito's flows (sign-up, admin create, password and custom sign-in, refresh, forgot
//!   password, attribute updates, the machine-to-machine grant) and reports what a client
//!   would see.
//! - [`answer`] and [`answer_allowing`]: the same from raw bytes, answering JSON.

use crate::handler::Handler;
use crate::invoke::{InvocationError, ResponseChecks, invoke_checked};
use crate::rules::{Rule, Settings};

mod cognito;
mod event;
mod templates;

pub use cognito::{
    Challenge, ClientError, Cognito, Delivery, Medium, SignIn, Tokens, User, UserStatus,
};
pub use event::TestEvent;
use event::{block_on, test_context};

/// Runs `handler` on one event, as Lambda would, and returns the JSON that would go back
/// to Cognito (or the Lambda error). The context's request ID is `test-request`.
///
/// Stricter than Lambda: an answer that breaks any of Cognito's response rules
/// ([`crate::rules`]), even one Cognito would only partly ignore, is an `InvalidResponse`
/// error that lists every violation. [`answer_allowing`] lets a test accept named rules.
///
/// It runs the handler to completion on a fresh single-threaded runtime, so call it from
/// plain `#[test]` functions; inside an async test, `.await` [`invoke`](crate::invoke()).
///
/// ```
/// use cognito_trigger::{cognito_trigger, handler, testing, PreSignUpEvent, Reject};
///
/// #[cognito_trigger(PreSignUp)]
/// fn no_sign_ups(_event: &PreSignUpEvent<'_>) -> Result<(), Reject> {
///     Err(Reject::new("Sign-up is closed."))
/// }
///
/// let event = br#"{"version":"1","triggerSource":"PreSignUp_SignUp","request":{},"response":{}}"#;
/// let error = testing::answer(&handler!(no_sign_ups), &(), event).unwrap_err();
/// assert_eq!(error.error_message(), "Sign-up is closed");
/// ```
///
/// # Errors
/// The handler's rejection or failure, or an input that is not a Cognito event.
///
/// # Panics
/// When called from inside an async runtime, or when the handler's answer is not JSON
/// (which `invoke` never produces).
pub fn answer<S, H: Handler<S>>(
    handler: &H,
    state: &S,
    event: impl AsRef<[u8]>,
) -> Result<serde_json::Value, InvocationError> {
    answer_allowing(handler, state, event, &[])
}

/// [`answer`], accepting answers that break the `allowed` rules (and only those).
///
/// ```
/// use cognito_trigger::rules::Rule;
/// use cognito_trigger::{cognito_trigger, handler, testing, PreTokenGenerationV2Event, PreTokenGenerationV2Response};
///
/// #[cognito_trigger(PreTokenGenerationV2)]
/// fn tokens(_event: &PreTokenGenerationV2Event<'_>) -> PreTokenGenerationV2Response {
///     PreTokenGenerationV2Response::new().add_access_token_claim("tier", "gold").suppress_access_token_claim("tier")
/// }
///
/// let event = br#"{"version":"2","triggerSource":"TokenGeneration_Authentication","request":{},"response":{}}"#;
/// let error = testing::answer(&handler!(tokens), &(), event).unwrap_err();
/// assert_eq!(error.error_type(), "InvalidResponse");
/// assert!(error.error_message().contains("claim-added-and-suppressed"), "{}", error.error_message());
/// assert!(testing::answer_allowing(&handler!(tokens), &(), event, &[Rule::ClaimAddedAndSuppressed]).is_ok());
/// ```
///
/// # Errors
/// As for [`answer`].
///
/// # Panics
/// As for [`answer`].
pub fn answer_allowing<S, H: Handler<S>>(
    handler: &H,
    state: &S,
    event: impl AsRef<[u8]>,
    allowed: &[Rule],
) -> Result<serde_json::Value, InvocationError> {
    let settings = Settings::new();
    let checks = ResponseChecks {
        settings: &settings,
        strict: true,
        allowed,
    };
    let bytes = block_on(invoke_checked(
        handler,
        event.as_ref(),
        &test_context(),
        state,
        &checks,
    ))?;
    Ok(serde_json::from_slice(&bytes).expect("invoke answers with JSON"))
}
