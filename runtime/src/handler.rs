//! Running a handler: what it may take and return, how its answer becomes the event
//! Cognito gets back, and how its errors become what the end user reads.

use std::borrow::Cow;
use std::error::Error as StdError;
use std::fmt;
use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use futures_util::FutureExt as _;
use tracing::Instrument as _;

use crate::claims::Claims;
use crate::error::DecodeError;
use crate::event::{Event, RawEvent, Trigger, TriggerSource};
use crate::kind::TriggerKind;
use crate::wire::Overlay;

// ---------------------------------------------------------------------------------------
// Errors a handler returns

/// A refusal meant for the end user: Cognito shows it as
/// `<Trigger> failed with error <message>.`
///
/// Return it (or any error whose [`source`](StdError::source) chain contains one) to say
/// no: to a sign-up, a sign-in, a migration. Cognito adds the final period, so a trailing
/// period in the message is dropped rather than doubled.
///
/// ```
/// use cognito_trigger::{PreSignUpEvent, PreSignUpResponse, Reject};
///
/// fn check(event: &PreSignUpEvent<'_>) -> Result<PreSignUpResponse, Reject> {
///     match event.request.user_attributes.get("email") {
///         Some(email) if email.ends_with("@example.com") => Ok(PreSignUpResponse::new()),
///         _ => Err(Reject::new("Sign-up is open to example.com addresses only.")),
///     }
/// }
/// # let _ = check;
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reject {
    message: Cow<'static, str>,
}

impl Reject {
    /// A refusal with the message the end user will read.
    pub fn new(message: impl Into<Cow<'static, str>>) -> Self {
        Self {
            message: message.into(),
        }
    }

    /// The message as given.
    #[must_use]
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The message as it goes to Cognito: without the trailing period Cognito adds.
    #[must_use]
    pub fn message_for_cognito(&self) -> &str {
        let trimmed = self.message.trim_end();
        trimmed.strip_suffix('.').unwrap_or(trimmed)
    }
}

impl fmt::Display for Reject {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl StdError for Reject {}

/// Why a handler did not answer: a [`Reject`] for the end user, or an internal failure
/// that is logged and hidden behind a generic message.
///
/// Any `std::error::Error + Send + Sync + 'static` converts into it with `?`; it is a
/// rejection when the error, or an error in its `source()` chain, is a [`Reject`], and an
/// internal failure otherwise. (It is not itself a `std::error::Error`, so that this
/// conversion can exist, as with `anyhow::Error`.) With thiserror, wrap a `Reject` as a
/// source (`#[from]` or `#[source]`); `#[error(transparent)]` would hide it from the chain.
///
/// ```
/// use cognito_trigger::{Reject, TriggerError};
///
/// #[derive(Debug, thiserror::Error)]
/// enum SignUpError {
///     #[error("{0}")]
///     Refused(#[from] Reject),
///     #[error("directory lookup failed")]
///     Directory(#[source] std::io::Error),
/// }
///
/// let refused = TriggerError::from(SignUpError::Refused(Reject::new("Domain not allowed")));
/// assert_eq!(refused.rejection(), Some("Domain not allowed"));
/// let failed = TriggerError::from(SignUpError::Directory(std::io::ErrorKind::TimedOut.into()));
/// assert_eq!(failed.rejection(), None);
/// ```
pub struct TriggerError {
    repr: Repr,
}

enum Repr {
    Reject(Reject),
    Internal(Box<dyn StdError + Send + Sync + 'static>),
}

impl TriggerError {
    /// A rejection with a message for the end user.
    pub fn reject(message: impl Into<Cow<'static, str>>) -> Self {
        Self {
            repr: Repr::Reject(Reject::new(message)),
        }
    }

    /// An internal failure: logged with its cause chain, never shown to the end user.
    pub fn internal(error: impl Into<Box<dyn StdError + Send + Sync + 'static>>) -> Self {
        Self::classify(error.into())
    }

    /// The end user's message, when this is a rejection.
    #[must_use]
    pub fn rejection(&self) -> Option<&str> {
        match &self.repr {
            Repr::Reject(reject) => Some(reject.message()),
            Repr::Internal(_) => None,
        }
    }

    fn classify(error: Box<dyn StdError + Send + Sync + 'static>) -> Self {
        let error = match error.downcast::<Reject>() {
            Ok(reject) => {
                return Self {
                    repr: Repr::Reject(*reject),
                };
            }
            Err(error) => error,
        };
        let mut source = error.source();
        while let Some(cause) = source {
            if let Some(reject) = cause.downcast_ref::<Reject>() {
                return Self {
                    repr: Repr::Reject(reject.clone()),
                };
            }
            source = cause.source();
        }
        Self {
            repr: Repr::Internal(error),
        }
    }

    /// The error and its causes, outermost first, joined by `: `.
    fn chain(&self) -> String {
        match &self.repr {
            Repr::Reject(reject) => reject.message().to_owned(),
            Repr::Internal(error) => {
                let mut chain = error.to_string();
                let mut source = error.source();
                while let Some(cause) = source {
                    chain.push_str(": ");
                    chain.push_str(&cause.to_string());
                    source = cause.source();
                }
                chain
            }
        }
    }
}

impl<E: StdError + Send + Sync + 'static> From<E> for TriggerError {
    fn from(error: E) -> Self {
        Self::classify(Box::new(error))
    }
}

impl fmt::Debug for TriggerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.repr {
            Repr::Reject(reject) => f.debug_tuple("Reject").field(&reject.message()).finish(),
            Repr::Internal(_) => f.debug_tuple("Internal").field(&self.chain()).finish(),
        }
    }
}

impl fmt::Display for TriggerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.chain())
    }
}

// ---------------------------------------------------------------------------------------
// What a handler may take and return, with messages for Cognito users when it does not fit

/// What a handler answers: `None` keeps Cognito's defaults, `Some` sets the response.
pub type Outcome<T> = Result<Option<<T as Trigger>::Response>, TriggerError>;

/// A value a `T` handler may return: `()`, `T`'s response, or a `Result` of either whose
/// error converts into [`TriggerError`].
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not something a `{T}` trigger handler can return",
    label = "this return type",
    note = "return `()` (keep Cognito's defaults), the trigger's response type, or a `Result` of either with an error type such as `cognito_trigger::Reject`"
)]
pub trait IntoOutcome<T: Trigger> {
    /// The handler's answer.
    fn into_outcome(self) -> Outcome<T>;
}

impl<T: Trigger> IntoOutcome<T> for () {
    fn into_outcome(self) -> Outcome<T> {
        Ok(None)
    }
}

impl<T: Trigger, R: IntoOutcome<T>, E: IntoTriggerError> IntoOutcome<T> for Result<R, E> {
    fn into_outcome(self) -> Outcome<T> {
        self.map_err(IntoTriggerError::into_trigger_error)
            .and_then(R::into_outcome)
    }
}

/// An error type a handler may return.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be a trigger handler's error type",
    label = "this error type",
    note = "use `cognito_trigger::Reject` for a message the end user reads, any `std::error::Error + Send + Sync + 'static` for an internal failure, or `cognito_trigger::TriggerError`"
)]
pub trait IntoTriggerError {
    /// Converts into the framework's error.
    fn into_trigger_error(self) -> TriggerError;
}

// Not offered as a suggestion, so a wrong error type is reported as "cannot be a trigger
// handler's error type" rather than as a missing `std::error::Error` impl.
#[diagnostic::do_not_recommend]
impl<E: StdError + Send + Sync + 'static> IntoTriggerError for E {
    fn into_trigger_error(self) -> TriggerError {
        TriggerError::from(self)
    }
}

#[diagnostic::do_not_recommend]
impl IntoTriggerError for TriggerError {
    fn into_trigger_error(self) -> TriggerError {
        self
    }
}

/// The event parameter of a `T` handler: `&Event<'_, T>` (such as `&PreSignUpEvent<'_>`).
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
        &context.lambda
    }
}

/// The shared-state parameter of a handler whose state is `S`: `&S`.
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

// ---------------------------------------------------------------------------------------
// Context

/// What the invocation knows beyond the event: the Lambda request ID and deadline.
///
/// ```
/// use cognito_trigger::Context;
/// use std::time::Duration;
///
/// let context = Context::new("8f1e-local").with_remaining(Duration::from_secs(3));
/// assert_eq!(context.request_id(), "8f1e-local");
/// assert!(context.remaining().unwrap() <= Duration::from_secs(3));
/// ```
#[derive(Clone, Debug, Default)]
pub struct Context {
    lambda: lambda_runtime::Context,
    /// When Lambda stops the invocation.
    lambda_deadline: Option<SystemTime>,
    /// When Cognito stops waiting, for the triggers it waits for (see [`Pool::budget`](crate::Pool::budget)).
    cognito_deadline: Option<SystemTime>,
}

impl Context {
    /// A context for an invocation outside Lambda (tests, local runs).
    pub fn new(request_id: impl Into<String>) -> Self {
        // lambda_runtime's Context is non-exhaustive: start from its default.
        let mut lambda = lambda_runtime::Context::default();
        lambda.request_id = request_id.into();
        Self {
            lambda,
            ..Self::default()
        }
    }

    /// The same context, with Lambda's deadline `remaining` from now.
    #[must_use]
    pub fn with_remaining(mut self, remaining: Duration) -> Self {
        self.lambda_deadline = SystemTime::now().checked_add(remaining);
        self
    }

    /// The same context, with Cognito's deadline `budget` from now: the deadline becomes the
    /// earlier of it and Lambda's (Cognito's 5 seconds come before Lambda's timeout).
    #[must_use]
    pub fn with_budget(mut self, budget: Duration) -> Self {
        self.cognito_deadline = SystemTime::now().checked_add(budget);
        self
    }

    /// The same context without Cognito's deadline: for the custom senders, which Cognito
    /// invokes asynchronously and does not wait for.
    pub(crate) fn without_budget(mut self) -> Self {
        self.cognito_deadline = None;
        self
    }

    /// Whether Cognito's deadline has been set.
    pub(crate) fn has_budget(&self) -> bool {
        self.cognito_deadline.is_some()
    }

    /// The Lambda request ID (the reference to quote when a user reports a failure).
    #[must_use]
    pub fn request_id(&self) -> &str {
        &self.lambda.request_id
    }

    /// When Lambda stops the invocation, if known.
    #[must_use]
    pub fn deadline(&self) -> Option<SystemTime> {
        match (self.lambda_deadline, self.cognito_deadline) {
            (Some(lambda), Some(cognito)) => Some(lambda.min(cognito)),
            (lambda, cognito) => lambda.or(cognito),
        }
    }

    /// The time left before the deadline (the earlier of Lambda's and Cognito's), if known.
    #[must_use]
    pub fn remaining(&self) -> Option<Duration> {
        self.deadline()
            .map(|d| d.duration_since(SystemTime::now()).unwrap_or_default())
    }

    /// Everything the Lambda runtime says about the invocation.
    #[must_use]
    pub fn lambda(&self) -> &lambda_runtime::Context {
        &self.lambda
    }
}

impl From<lambda_runtime::Context> for Context {
    fn from(lambda: lambda_runtime::Context) -> Self {
        let lambda_deadline = (lambda.deadline > 0)
            .then(|| UNIX_EPOCH.checked_add(Duration::from_millis(lambda.deadline)))
            .flatten();
        Self {
            lambda,
            lambda_deadline,
            cognito_deadline: None,
        }
    }
}

// ---------------------------------------------------------------------------------------
// The handler trait

/// What a handler is, whatever state it runs with: its trigger, name and claimed sources.
/// Constants, so that a pool can check its handlers at compile time.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a trigger handler",
    label = "not a `#[cognito_trigger]` function",
    note = "mark the function with `#[cognito_trigger(Kind)]`"
)]
pub trait HandlerInfo: Send + Sync + 'static {
    /// The trigger it serves.
    type Trigger: Trigger;
    /// The handler's name, for logs and conflict messages.
    const NAME: &'static str;
    /// The events it takes: every source of its trigger, unless it was narrowed with
    /// `sources(...)`. Events of other sources get Cognito's defaults.
    const CLAIMS: Claims = Claims::all(<Self::Trigger as Trigger>::KIND);
    /// What Cognito gets when the handler runs out of time (set with
    /// `on_timeout = fail_open | fail_closed`; the default depends on the trigger).
    const ON_TIMEOUT: OnTimeout = OnTimeout::default_for(<Self::Trigger as Trigger>::KIND);
}

/// What a trigger answers when its handler overruns the time Cognito gives it.
///
/// Cognito abandons a trigger after 5 seconds. The framework stops waiting a little before
/// (see [`Pool::budget`](crate::Pool::budget)) and answers by this policy, so the caller gets a
/// deliberate answer instead of a socket timeout.
///
/// | Trigger | Default |
/// |---|---|
/// | post confirmation, post authentication, custom message (observe-only, or templates to fall back on) | [`FailOpen`](OnTimeout::FailOpen) |
/// | everything else: sign-up, sign-in, challenges, tokens, migration, federation, and the custom senders (an error lets Lambda retry the delivery) | [`FailClosed`](OnTimeout::FailClosed) |
///
/// ```
/// use cognito_trigger::{OnTimeout, TriggerKind};
///
/// assert_eq!(OnTimeout::default_for(TriggerKind::PreSignUp), OnTimeout::FailClosed);
/// assert_eq!(OnTimeout::default_for(TriggerKind::PostConfirmation), OnTimeout::FailOpen);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OnTimeout {
    /// Answer with a `Timeout` error: Cognito fails the operation.
    FailClosed,
    /// Answer with the event as it came: Cognito proceeds with its defaults.
    FailOpen,
}

impl OnTimeout {
    /// The policy a trigger gets unless its handler says otherwise.
    #[must_use]
    pub const fn default_for(kind: TriggerKind) -> Self {
        match kind {
            TriggerKind::PostConfirmation
            | TriggerKind::PostAuthentication
            | TriggerKind::CustomMessage => Self::FailOpen,
            _ => Self::FailClosed,
        }
    }
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
/// # use cognito_trigger::{cognito_trigger, PreSignUpEvent, PreSignUpResponse};
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
/// # use cognito_trigger::{PreSignUpEvent, PreSignUpResponse};
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

// ---------------------------------------------------------------------------------------
// Invocation

/// Why an invocation produced a Lambda error instead of an event.
///
/// `error_type` and `error_message` are what goes to Lambda (and the message is what
/// Cognito shows the end user as `<Trigger> failed with error <message>.`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InvocationError {
    error_type: &'static str,
    error_message: String,
}

impl InvocationError {
    /// The Lambda `errorType`: `Rejected`, `InternalError` or `InvalidEvent`.
    #[must_use]
    pub fn error_type(&self) -> &'static str {
        self.error_type
    }

    /// The Lambda `errorMessage`.
    #[must_use]
    pub fn error_message(&self) -> &str {
        &self.error_message
    }

    /// The error as Lambda's JSON error payload: `{"errorType":"…","errorMessage":"…"}`.
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
/// # use cognito_trigger::{cognito_trigger, handler, invoke, Context, PreSignUpEvent, PreSignUpResponse};
/// #[cognito_trigger(PreSignUp)]
/// fn auto_confirm(_event: &PreSignUpEvent<'_>) -> PreSignUpResponse {
///     PreSignUpResponse::new().confirm_user()
/// }
///
/// let event = br#"{"version":"1","triggerSource":"PreSignUp_SignUp","request":{},
///   "response":{"autoConfirmUser":false,"autoVerifyEmail":false,"autoVerifyPhone":false}}"#;
/// let answer = futures_executor_block_on(invoke(&handler!(auto_confirm), event, &Context::new("r1"), &()));
/// let answer: serde_json::Value = serde_json::from_slice(&answer.unwrap()).unwrap();
/// assert_eq!(answer["response"]["autoConfirmUser"], true);
/// assert_eq!(answer["response"]["autoVerifyEmail"], false);
/// # fn futures_executor_block_on<F: std::future::Future>(f: F) -> F::Output {
/// #     tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(f)
/// # }
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
    let raw = RawEvent::parse(input).map_err(|e| invalid_event(&e, context))?;
    let kind = raw.kind().map_err(|e| invalid_event(&e, context))?;
    let span = invocation_span(&raw, kind, context);
    let _entered = span.enter();
    if kind != Some(<H::Trigger as Trigger>::KIND) {
        tracing::warn!(
            handler = H::NAME,
            trigger_source = raw.trigger_source.as_deref().unwrap_or_default(),
            "event is not for this handler's trigger ({}); answering with Cognito's defaults",
            <H::Trigger as Trigger>::KIND
        );
        return Ok(input.to_vec());
    }
    drop(_entered);
    invoke_routed(handler, raw, input, context, state)
        .instrument(span)
        .await
}

/// The span every invocation runs in: its trigger, source, pool, app client and request.
pub(crate) fn invocation_span(
    raw: &RawEvent<'_>,
    kind: Option<TriggerKind>,
    context: &Context,
) -> tracing::Span {
    tracing::info_span!(
        "cognito_trigger",
        trigger = kind.map_or("unrecognized", TriggerKind::name),
        trigger_source = raw.trigger_source.as_deref().unwrap_or_default(),
        user_pool_id = &*raw.user_pool_id,
        client_id = &*raw.caller_context.client_id,
        request_id = context.request_id(),
        handler = tracing::field::Empty,
    )
}

/// Runs `handler` on an event already known to be of its trigger.
pub(crate) async fn invoke_routed<S, H: Handler<S>>(
    handler: &H,
    raw: RawEvent<'_>,
    input: &[u8],
    context: &Context,
    state: &S,
) -> Result<Vec<u8>, InvocationError> {
    let response_span = raw.response.map(|response| span_in(input, response.get()));
    let event = Event::<H::Trigger>::from_raw(raw).map_err(|e| invalid_event(&e, context))?;
    if !H::CLAIMS.covers(&event.trigger_source) {
        tracing::warn!(
            handler = H::NAME,
            trigger_source = event.trigger_source.as_str(),
            "handler does not take this trigger source; answering with Cognito's defaults"
        );
        return Ok(input.to_vec());
    }

    tracing::Span::current().record("handler", H::NAME);
    let secrets = <H::Trigger as Trigger>::secrets(&event.request);

    let call = AssertUnwindSafe(handler.call(&event, context, state)).catch_unwind();
    let called = match context.remaining() {
        None => call.await,
        Some(remaining) => match tokio::time::timeout(remaining, call).await {
            Ok(called) => called,
            Err(_) => return timed_out::<S, H>(input, context),
        },
    };
    let decided = match called {
        Ok(Ok(decided)) => decided,
        Ok(Err(error)) => return Err(failure::<S, H>(&error, context, &secrets)),
        Err(panic) => {
            let error =
                TriggerError::internal(format!("handler panicked: {}", panic_message(&panic)));
            return Err(failure::<S, H>(&error, context, &secrets));
        }
    };

    let mut response = event.response.clone();
    if let Some(decided) = decided {
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
            &secrets,
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
    let kind: TriggerKind = <H::Trigger as Trigger>::KIND;
    match &error.repr {
        Repr::Reject(reject) => {
            tracing::info!(
                handler = H::NAME,
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
        Repr::Internal(_) => {
            tracing::error!(
                handler = H::NAME,
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
