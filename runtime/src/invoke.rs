//! Invoking a handler on one event: decoding, the deadline, catching panics, laying the
//! answer over the pre-filled response and splicing it into the input's bytes, and turning
//! errors into what Lambda and the end user get.
//!
//! The pool routes events and calls [`invoke_routed`]; [`invoke`] serves a single handler.

use std::fmt;
use std::future::Future as _;
use std::panic::AssertUnwindSafe;
use std::task::Poll;

use futures_util::FutureExt as _;
use tracing::Instrument as _;

use crate::error::DecodeError;
use crate::event::{Event, Head, RawEvent, Trigger, TriggerSource};
use crate::handler::{Context, Handler, TriggerError};
use crate::rules::{self, Rule, Settings, Severity, Violation};
use crate::table::{OnTimeout, TriggerKind};
use crate::wire::{Overlay, RawJson};

/// How the response rules ([`crate::rules`]) are applied to an answer before it leaves.
#[derive(Clone, Copy, Debug)]
pub(crate) struct ResponseChecks<'a> {
    /// The pool's settings the rules need.
    pub(crate) settings: &'a Settings,
    /// Whether a dropped part fails the invocation too, with every violation in the error
    /// message (the test kit); otherwise it is logged and sent, and a refused answer fails
    /// with a message that only gives the request ID (Lambda, the local mode).
    pub(crate) strict: bool,
    /// Rules not applied (a test's explicit opt-out).
    pub(crate) allowed: &'a [Rule],
}

/// The pool settings every rule assumes when none are given.
static DEFAULT_SETTINGS: Settings = Settings::new();

impl ResponseChecks<'static> {
    /// On Lambda and in the local mode: refused answers fail, dropped parts are logged.
    pub(crate) const LAMBDA: Self = Self {
        settings: &DEFAULT_SETTINGS,
        strict: false,
        allowed: &[],
    };
}

impl ResponseChecks<'_> {
    /// Logs what the rules found and fails the invocation when the answer must not be sent.
    fn judge<S, H: Handler<S>>(
        &self,
        mut violations: Vec<Violation>,
        context: &Context,
        secrets: &[&str],
    ) -> Result<(), InvocationError> {
        violations.retain(|violation| !self.allowed.contains(&violation.rule));
        let mut refused = false;
        for violation in &violations {
            let refusal = violation.severity() == Severity::Refused;
            refused |= refusal || self.strict;
            let (field, rule, section) = (
                violation.field.as_str(),
                violation.rule.id(),
                violation.rule.section(),
            );
            let detail = scrub(&violation.detail, secrets);
            if refusal {
                tracing::error!(
                    handler = H::NAME,
                    field,
                    rule,
                    section,
                    "Cognito would refuse this answer: {detail}"
                );
            } else {
                tracing::warn!(
                    handler = H::NAME,
                    field,
                    rule,
                    section,
                    "Cognito ignores part of this answer: {detail}"
                );
            }
        }
        if !refused {
            return Ok(());
        }
        let message = if self.strict {
            let listed: Vec<String> = violations
                .iter()
                .map(|v| scrub(&v.to_string(), secrets))
                .collect();
            format!(
                "the handler's answer breaks Cognito's rules: {}",
                listed.join("; ")
            )
        } else {
            invalid_response_message(context.request_id())
        };
        Err(InvocationError::new(INVALID_RESPONSE, message))
    }
}

/// The Lambda `errorType` of an answer the response rules refused.
pub(crate) const INVALID_RESPONSE: &str = "InvalidResponse";

/// What the end user reads when the answer was refused: the details are in the log.
fn invalid_response_message(request_id: &str) -> String {
    if request_id.is_empty() {
        "The sign-in service could not use this function's answer".to_owned()
    } else {
        format!("The sign-in service could not use this function's answer (reference {request_id})")
    }
}

/// Why an invocation produced a Lambda error instead of an event.
///
/// `error_type` and `error_message` are what goes to Lambda (and the message is what
/// Cognito shows the end user as `<Trigger> failed with error <message>.`).
///
/// ```
/// use cognito_trigger::{cognito_trigger, handler, testing, PreSignUpEvent, Reject};
///
/// #[cognito_trigger(PreSignUp)]
/// fn closed(_event: &PreSignUpEvent<'_>) -> Result<(), Reject> {
///     Err(Reject::new("Sign-up is closed."))
/// }
///
/// let event = br#"{"version":"1","triggerSource":"PreSignUp_SignUp","request":{},"response":{}}"#;
/// let error = testing::answer(&handler!(closed), &(), event).unwrap_err();
/// assert_eq!(error.to_string(), "Rejected: Sign-up is closed");
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InvocationError {
    error_type: &'static str,
    error_message: String,
}

impl InvocationError {
    /// The Lambda `errorType`: `Rejected`, `InternalError` or `InvalidEvent`.
    ///
    /// ```
    /// use cognito_trigger::{cognito_trigger, handler, testing, PreSignUpEvent};
    ///
    /// #[cognito_trigger(PreSignUp)]
    /// fn sign_up(_event: &PreSignUpEvent<'_>) {}
    ///
    /// let error = testing::answer(&handler!(sign_up), &(), b"[]").unwrap_err();
    /// assert_eq!(error.error_type(), "InvalidEvent");
    /// ```
    #[must_use]
    pub fn error_type(&self) -> &'static str {
        self.error_type
    }

    /// The Lambda `errorMessage`.
    ///
    /// ```
    /// use cognito_trigger::{cognito_trigger, handler, testing, PreSignUpEvent};
    ///
    /// #[cognito_trigger(PreSignUp)]
    /// fn sign_up(_event: &PreSignUpEvent<'_>) -> Result<(), std::io::Error> {
    ///     Err(std::io::Error::other("directory unreachable"))
    /// }
    ///
    /// let event = br#"{"version":"1","triggerSource":"PreSignUp_SignUp","request":{},"response":{}}"#;
    /// let error = testing::answer(&handler!(sign_up), &(), event).unwrap_err();
    /// assert_eq!(error.error_type(), "InternalError");
    /// assert_eq!(error.error_message(), "An internal error occurred (reference test-request)");
    /// ```
    #[must_use]
    pub fn error_message(&self) -> &str {
        &self.error_message
    }

    /// The error as Lambda's JSON error payload: `{"errorType":"…","errorMessage":"…"}`.
    ///
    /// ```
    /// use cognito_trigger::{cognito_trigger, handler, testing, PreSignUpEvent, Reject};
    ///
    /// #[cognito_trigger(PreSignUp)]
    /// fn closed(_event: &PreSignUpEvent<'_>) -> Result<(), Reject> {
    ///     Err(Reject::new("Sign-up is closed."))
    /// }
    ///
    /// let event = br#"{"version":"1","triggerSource":"PreSignUp_SignUp","request":{},"response":{}}"#;
    /// let error = testing::answer(&handler!(closed), &(), event).unwrap_err();
    /// assert_eq!(error.to_json(), r#"{"errorType":"Rejected","errorMessage":"Sign-up is closed"}"#);
    /// ```
    #[must_use]
    pub fn to_json(&self) -> String {
        /// The payload's fields, in Lambda's order.
        #[derive(serde::Serialize)]
        #[serde(rename_all = "camelCase")]
        struct Payload<'a> {
            error_type: &'a str,
            error_message: &'a str,
        }
        let payload = Payload {
            error_type: self.error_type,
            error_message: &self.error_message,
        };
        serde_json::to_string(&payload).unwrap_or_default()
    }

    fn invalid_event(error: &DecodeError) -> Self {
        Self {
            error_type: "InvalidEvent",
            error_message: error.to_string(),
        }
    }
}

impl fmt::Display for InvocationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.error_type, self.error_message)
    }
}

impl InvocationError {
    /// An error of the framework's own (not the handler's), such as an unhandled trigger.
    pub(crate) fn new(error_type: &'static str, error_message: String) -> Self {
        Self {
            error_type,
            error_message,
        }
    }
}

impl From<InvocationError> for lambda_runtime::Diagnostic {
    fn from(error: InvocationError) -> Self {
        Self {
            error_type: error.error_type.to_owned(),
            error_message: error.error_message,
        }
    }
}

/// Runs `handler` on one raw event and returns the bytes to send back to Cognito.
///
/// The answer is the event exactly as it came, with only `response` replaced by the
/// handler's decisions laid over what Cognito pre-filled (then the trigger's fail-safe
/// defaults, see [`Trigger::settle`]). An event of another trigger, or of a source the
/// handler was narrowed away from, goes back unchanged (Cognito's defaults) with a
/// warning in the logs. A panic in the handler is an internal failure, not a crash.
///
/// ```
/// use cognito_trigger::{cognito_trigger, handler, invoke, Context, PreSignUpEvent, PreSignUpResponse};
///
/// #[cognito_trigger(PreSignUp)]
/// fn auto_confirm(_event: &PreSignUpEvent<'_>) -> PreSignUpResponse {
///     PreSignUpResponse::new().confirm_user()
/// }
///
/// #[tokio::main(flavor = "current_thread")]
/// async fn main() {
///     let event = br#"{"version":"1","triggerSource":"PreSignUp_SignUp","request":{},
///       "response":{"autoConfirmUser":false,"autoVerifyEmail":false,"autoVerifyPhone":false}}"#;
///     let answer = invoke(&handler!(auto_confirm), event, &Context::new("r1"), &()).await;
///     let answer: serde_json::Value = serde_json::from_slice(&answer.unwrap()).unwrap();
///     assert_eq!(answer["response"]["autoConfirmUser"], true);
///     assert_eq!(answer["response"]["autoVerifyEmail"], false);
/// }
/// ```
///
/// # Errors
/// A rejection, an internal failure (the message then only names the request ID), or an
/// input that is not a Cognito event.
pub async fn invoke<S, H: Handler<S>>(
    handler: &H,
    input: &[u8],
    context: &Context,
    state: &S,
) -> Result<Vec<u8>, InvocationError> {
    invoke_checked(handler, input, context, state, &ResponseChecks::LAMBDA).await
}

/// [`invoke`], with the response rules applied as `checks` says.
pub(crate) async fn invoke_checked<S, H: Handler<S>>(
    handler: &H,
    input: &[u8],
    context: &Context,
    state: &S,
    checks: &ResponseChecks<'_>,
) -> Result<Vec<u8>, InvocationError> {
    let kind = <H::Trigger as Trigger>::KIND;
    // The fast path: routed by the event's head, decoded once by `invoke_routed`.
    if let Some(head) = Head::peek(input)
        && head.kind() == Ok(Some(kind))
    {
        let span = invocation_span(Some(kind), &head.trigger_source, context);
        if let Some(answer) = invoke_routed(handler, input, &head, context, state, checks)
            .instrument(span)
            .await
        {
            return answer;
        }
    }
    let raw = RawEvent::parse(input).map_err(|e| invalid_event(&e, context))?;
    let found = raw.kind().map_err(|e| invalid_event(&e, context))?;
    let source = raw.trigger_source.as_deref().unwrap_or_default();
    let span = invocation_span(found, source, context);
    if found != Some(kind) {
        record_envelope(&span, &raw.user_pool_id, &raw.caller_context.client_id);
        let _entered = span.enter();
        tracing::warn!(
            handler = H::NAME,
            trigger_source = source,
            "event is not for this handler's trigger ({kind}); answering with Cognito's defaults",
        );
        return Ok(input.to_vec());
    }
    let head = Head::read(&raw);
    invoke_routed(handler, input, &head, context, state, checks)
        .instrument(span)
        .await
        .unwrap_or_else(|| unreachable!("{}", Head::READ_IS_CONFIRMED))
}

/// The span every invocation runs in: its trigger, source, pool, app client and request.
/// At ERROR level, because a span exists only where its level is enabled, and a warning or
/// an error must carry it whatever level the function logs at. The pool and the app client
/// are recorded once the envelope is decoded ([`record_envelope`]).
pub(crate) fn invocation_span(
    kind: Option<TriggerKind>,
    trigger_source: &str,
    context: &Context,
) -> tracing::Span {
    tracing::error_span!(
        "cognito_trigger",
        trigger = kind.map_or("unrecognized", TriggerKind::name),
        trigger_source,
        user_pool_id = tracing::field::Empty,
        client_id = tracing::field::Empty,
        request_id = context.request_id(),
        handler = tracing::field::Empty,
    )
}

/// Records the event's pool and app client in its [`invocation_span`].
pub(crate) fn record_envelope(span: &tracing::Span, user_pool_id: &str, client_id: &str) {
    span.record("user_pool_id", user_pool_id);
    span.record("client_id", client_id);
}

/// An event, with the text of its `response` (where the answer is spliced in).
type Decoded<'a, T> = (Event<'a, T>, Option<RawJson<'a>>);

/// The event, decoded in one pass ([`Event::decode_in_one_pass`]), else what is wrong with
/// it ([`Event::refusal`]); with the text of its `response`, and its pool and app client
/// recorded in the current span. `None` when `head` was guessed and the event does
/// not confirm it: it was routed by a nested key, and is routed again.
fn decode<'a, T: Trigger>(
    input: &'a [u8],
    head: &Head<'_>,
    context: &Context,
) -> Option<Result<Decoded<'a, T>, InvocationError>> {
    let span = tracing::Span::current();
    if let Some((event, response)) = Event::<T>::decode_in_one_pass(input, head) {
        record_envelope(&span, &event.user_pool_id, &event.caller_context.client_id);
        return Some(Ok((event, response)));
    }
    if head.guessed {
        return None;
    }
    let refusal = match RawEvent::parse(input) {
        Ok(raw) => {
            record_envelope(&span, &raw.user_pool_id, &raw.caller_context.client_id);
            Event::<T>::refusal(&raw)
        }
        Err(refusal) => refusal,
    };
    Some(Err(invalid_event(&refusal, context)))
}

/// Runs `handler` on an event routed to its trigger by `head`; `None` when the event does
/// not confirm a guessed head ([`Head`]), and must be routed again.
pub(crate) async fn invoke_routed<S, H: Handler<S>>(
    handler: &H,
    input: &[u8],
    head: &Head<'_>,
    context: &Context,
    state: &S,
    checks: &ResponseChecks<'_>,
) -> Option<Result<Vec<u8>, InvocationError>> {
    let (event, response_text) = match decode::<H::Trigger>(input, head, context)? {
        Ok(decoded) => decoded,
        Err(error) => return Some(Err(error)),
    };
    Some(answer(handler, input, event, response_text, context, state, checks).await)
}

/// Runs `handler` on a decoded event, and answers with the whole event, its response
/// spliced into `input`.
async fn answer<S, H: Handler<S>>(
    handler: &H,
    input: &[u8],
    mut event: Event<'_, H::Trigger>,
    response_text: Option<RawJson<'_>>,
    context: &Context,
    state: &S,
    checks: &ResponseChecks<'_>,
) -> Result<Vec<u8>, InvocationError> {
    let response_span = response_text.map(|response| span_in(input, response.get()));
    if !H::CLAIMS.covers(&event.trigger_source) {
        tracing::warn!(
            handler = H::NAME,
            trigger_source = event.trigger_source.as_str(),
            "handler does not take this trigger source; answering with Cognito's defaults"
        );
        return Ok(input.to_vec());
    }

    tracing::Span::current().record("handler", H::NAME);
    // What logs must not show (a password, a code): gathered only when something is logged.
    let secrets = || <H::Trigger as Trigger>::secrets(&event.request);

    let called = {
        let mut call =
            std::pin::pin!(AssertUnwindSafe(handler.call(&event, context, state)).catch_unwind());
        // Most handlers answer when first polled; only one that waits needs the clock and a
        // timer (a deadline is a point in time, so arming it after that poll loses nothing).
        let first_poll = std::future::poll_fn(|cx| Poll::Ready(call.as_mut().poll(cx))).await;
        match first_poll {
            Poll::Ready(called) => called,
            Poll::Pending => match context.remaining() {
                None => call.await,
                // Spent in that poll: not polled again after the deadline.
                Some(remaining) if remaining.is_zero() => {
                    return timed_out::<S, H>(input, context);
                }
                Some(remaining) => match tokio::time::timeout(remaining, call).await {
                    Ok(called) => called,
                    Err(_) => return timed_out::<S, H>(input, context),
                },
            },
        }
    };
    let decided = match called {
        Ok(Ok(decided)) => decided,
        Ok(Err(error)) => return Err(failure::<S, H>(&error, context, &secrets())),
        Err(panic) => {
            let error =
                TriggerError::internal(format!("handler panicked: {}", panic_message(&panic)));
            return Err(failure::<S, H>(&error, context, &secrets()));
        }
    };

    // The answer is what Cognito sent with the decision on top: the keys it sent stay,
    // `null` as `null`.
    let mut response = event.response.clone();
    if let Some(decided) = decided {
        // The rules judge what the handler decided (with the framework's defaults), not
        // what Cognito pre-filled: an emulator pre-fills `""` where Cognito sends `null`.
        let mut answer = <H::Trigger as Trigger>::Response::default();
        answer.overlay(decided.clone());
        <H::Trigger as Trigger>::settle(&mut answer);
        let prefilled = std::mem::replace(&mut event.response, answer);
        let violations = rules::check(&event, checks.settings);
        event.response = prefilled;
        if !violations.is_empty() {
            checks.judge::<S, H>(violations, context, &secrets())?;
        }
        response.overlay(decided);
    }
    <H::Trigger as Trigger>::settle(&mut response);
    // Overlay and settle only ever set values, so an equal response is an unchanged one.
    if response == event.response {
        tracing::debug!("answered with Cognito's defaults");
        return Ok(input.to_vec());
    }
    tracing::debug!("answered");
    let response = serde_json::to_vec(&response).map_err(|e| {
        failure::<S, H>(
            &TriggerError::internal(format!("encoding the response: {e}")),
            context,
            &secrets(),
        )
    })?;
    Ok(splice_response(input, response_span, &response))
}

pub(crate) fn invalid_event(error: &DecodeError, context: &Context) -> InvocationError {
    tracing::warn!(
        request_id = context.request_id(),
        "refusing an input that is not a Cognito trigger event: {error}"
    );
    InvocationError::invalid_event(error)
}

/// The answer when the handler ran out of time, by its policy.
fn timed_out<S, H: Handler<S>>(
    input: &[u8],
    context: &Context,
) -> Result<Vec<u8>, InvocationError> {
    match H::ON_TIMEOUT {
        OnTimeout::FailOpen => {
            tracing::warn!(
                handler = H::NAME,
                "handler ran out of time; answering with Cognito's defaults"
            );
            Ok(input.to_vec())
        }
        OnTimeout::FailClosed => {
            tracing::error!(
                handler = H::NAME,
                request_id = context.request_id(),
                "handler ran out of time"
            );
            Err(InvocationError::new("Timeout", TIMEOUT_MESSAGE.to_owned()))
        }
    }
}

/// What the end user reads when a fail-closed handler runs out of time.
const TIMEOUT_MESSAGE: &str = "The request took too long. Please try again";

/// `text` with every occurrence of each secret replaced, for logging what user code wrote.
fn scrub(text: &str, secrets: &[&str]) -> String {
    secrets
        .iter()
        .filter(|secret| !secret.is_empty())
        .fold(text.to_owned(), |text, secret| {
            text.replace(secret, "[redacted]")
        })
}

/// Logs a failure and turns it into what the end user may see.
fn failure<S, H: Handler<S>>(
    error: &TriggerError,
    context: &Context,
    secrets: &[&str],
) -> InvocationError {
    failure_of(
        H::NAME,
        <H::Trigger as Trigger>::KIND,
        error,
        context,
        secrets,
    )
}

/// [`failure`] without type parameters: a pool's binary holds one copy, not one per handler.
fn failure_of(
    handler: &'static str,
    kind: TriggerKind,
    error: &TriggerError,
    context: &Context,
    secrets: &[&str],
) -> InvocationError {
    match error.as_reject() {
        Some(reject) => {
            tracing::info!(
                handler,
                trigger = kind.name(),
                request_id = context.request_id(),
                "rejected: {}",
                scrub(reject.message(), secrets)
            );
            InvocationError {
                error_type: "Rejected",
                error_message: reject.message_for_cognito().to_owned(),
            }
        }
        None => {
            tracing::error!(
                handler,
                trigger = kind.name(),
                request_id = context.request_id(),
                error = %scrub(&error.chain(), secrets),
                "internal failure"
            );
            InvocationError {
                error_type: "InternalError",
                error_message: internal_error_message(context.request_id()),
            }
        }
    }
}

/// What the end user reads for an internal failure: no internals, but a reference that
/// support can find in the logs.
///
/// ```
/// use cognito_trigger::internal_error_message;
///
/// assert_eq!(internal_error_message("8f1e"), "An internal error occurred (reference 8f1e)");
/// assert_eq!(internal_error_message(""), "An internal error occurred");
/// ```
#[must_use]
pub fn internal_error_message(request_id: &str) -> String {
    if request_id.is_empty() {
        "An internal error occurred".to_owned()
    } else {
        format!("An internal error occurred (reference {request_id})")
    }
}

fn panic_message(panic: &Box<dyn std::any::Any + Send>) -> &str {
    panic
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| panic.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("a non-string panic payload")
}

/// Where `part` (a slice of `whole`) sits in `whole`.
fn span_in(whole: &[u8], part: &str) -> std::ops::Range<usize> {
    let start = (part.as_ptr() as usize).saturating_sub(whole.as_ptr() as usize);
    start..start + part.len()
}

/// `input` with the bytes at `span` replaced by `response`, or with a `response` member
/// added when the event had none.
fn splice_response(input: &[u8], span: Option<std::ops::Range<usize>>, response: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(input.len() + response.len() + 16);
    match span {
        Some(span) => {
            out.extend_from_slice(&input[..span.start]);
            out.extend_from_slice(response);
            out.extend_from_slice(&input[span.end..]);
        }
        None => {
            // The event decoded, so it is an object with at least `triggerSource` in it:
            // the response goes in front of its closing brace.
            let close = input
                .iter()
                .rposition(|&b| b == b'}')
                .unwrap_or(input.len());
            out.extend_from_slice(&input[..close]);
            out.extend_from_slice(b",\"response\":");
            out.extend_from_slice(response);
            out.extend_from_slice(&input[close..]);
        }
    }
    out
}
