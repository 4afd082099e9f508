//! Running a handler in a unit test, without Lambda.

use crate::handler::{Context, Handler};
use crate::invoke::{InvocationError, invoke};

/// Runs `handler` on one event, as Lambda would, and returns the JSON that would go back
/// to Cognito (or the Lambda error). The context's request ID is `test-request`.
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
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .expect("a single-threaded runtime for the test");
    let context = Context::new("test-request").with_budget(crate::pool::DEFAULT_BUDGET);
    let bytes = runtime.block_on(invoke(handler, event.as_ref(), &context, state))?;
    Ok(serde_json::from_slice(&bytes).expect("invoke answers with JSON"))
}
