//! Running a handler in a unit test, without Lambda.

use crate::handler::{Context, Handler};
use crate::invoke::{InvocationError, ResponseChecks, invoke_checked};
use crate::rules::{Rule, Settings};

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
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .expect("a single-threaded runtime for the test");
    let context = Context::new("test-request").with_budget(crate::pool::DEFAULT_BUDGET);
    let bytes = runtime.block_on(invoke_checked(
        handler,
        event.as_ref(),
        &context,
        state,
        &checks,
    ))?;
    Ok(serde_json::from_slice(&bytes).expect("invoke answers with JSON"))
}
