//! One function for every trigger of a user pool: handlers registered into a [`Pool`], each
//! event routed to its handler by one table lookup.

use std::borrow::Cow;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Mutex;
use std::time::Duration;

use tracing::Instrument as _;

use crate::claims::Claims;
use crate::deploy::{self, CloudFormation};
use crate::event::{Head, RawEvent, Trigger, TriggerSource};
use crate::handler::{Context, Handler};
use crate::invoke::{
    InvocationError, ResponseChecks, internal_error_message, invalid_event, invocation_span,
    invoke_routed, record_envelope,
};
use crate::rules::Settings;
use crate::table::{MAX_SOURCES_PER_TRIGGER, TriggerKind};

/// What a pool does with an event it has no handler for: a trigger (or source) no
/// registered handler claims, or a trigger this version of the crate does not know.
///
/// ```
/// use cognito_trigger::{Context, Pool, Unhandled};
///
/// #[tokio::main(flavor = "current_thread")]
/// async fn main() {
///     assert_eq!(Unhandled::default(), Unhandled::PassThrough);
///     // No handler takes pre sign-up: the event goes back as it came.
///     let event = br#"{"version":"1","triggerSource":"PreSignUp_SignUp","request":{},"response":{}}"#;
///     let answer = Pool::new().invoke(event, &Context::new("r1")).await.unwrap();
///     assert_eq!(answer, event.to_vec());
/// }
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum Unhandled {
    /// Send the event back unchanged (Cognito's defaults) and log a warning. The default:
    /// for every synchronous trigger, the unchanged event is the safe answer (contract 17.2).
    #[default]
    PassThrough,
    /// Answer with an `UnhandledTrigger` error, so Cognito fails the operation.
    Refuse,
}

/// Handlers that cannot serve one pool together.
///
/// ```
/// use cognito_trigger::{cognito_trigger, handler, Conflict, Pool, PreSignUpEvent};
///
/// #[cognito_trigger(PreSignUp)]
/// fn sign_up(_event: &PreSignUpEvent<'_>) {}
///
/// #[cognito_trigger(PreSignUp, sources(AdminCreateUser))]
/// fn invites(_event: &PreSignUpEvent<'_>) {}
///
/// let conflict = Pool::new().handler(handler!(sign_up)).handler(handler!(invites)).check().unwrap_err();
/// assert_eq!(conflict, Conflict {
///     first: "sign_up",
///     second: "invites",
///     trigger_source: "PreSignUp_AdminCreateUser".to_owned(),
/// });
/// assert_eq!(conflict.to_string(), "handlers `sign_up` and `invites` both handle `PreSignUp_AdminCreateUser`");
/// ```
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("handlers `{first}` and `{second}` both handle `{trigger_source}`")]
pub struct Conflict {
    /// The handler registered first.
    pub first: &'static str,
    /// The handler registered second.
    pub second: &'static str,
    /// The trigger source both claim (`<Trigger>_*` for sources Cognito adds later).
    pub trigger_source: String,
}

/// How long a handler may run before the trigger answers by its timeout policy: a little
/// under the 5 seconds after which Cognito abandons a trigger.
///
/// ```
/// use cognito_trigger::DEFAULT_BUDGET;
/// use std::time::Duration;
///
/// assert_eq!(DEFAULT_BUDGET, Duration::from_millis(4_800));
/// assert!(DEFAULT_BUDGET < Duration::from_secs(5));
/// ```
pub const DEFAULT_BUDGET: Duration = Duration::from_millis(4_800);

/// Several handlers served by one Lambda function: the usual way to point every trigger of
/// a user pool at one function.
///
/// Each event goes to the handler that claims its `triggerSource` (and, for pre token
/// generation, its version), found with one table lookup. Two handlers claiming the same
/// source are a conflict: [`pool!`](crate::pool) refuses them at compile time,
/// [`Pool::check`] (called by [`Pool::run`]) at start-up, naming both.
///
/// ```
/// use cognito_trigger::{
///     cognito_trigger, handler, Context, CustomMessageEvent, CustomMessageResponse, Pool,
///     PreSignUpEvent, PreSignUpResponse,
/// };
///
/// struct Config { domain: &'static str }
///
/// #[cognito_trigger(PreSignUp)]
/// fn sign_up(event: &PreSignUpEvent<'_>, config: &Config) -> PreSignUpResponse {
///     let ours = event.request.user_attributes.get("email").is_some_and(|e| e.ends_with(config.domain));
///     if ours { PreSignUpResponse::new().confirm_user() } else { PreSignUpResponse::new() }
/// }
///
/// #[cognito_trigger(CustomMessage, sources(ForgotPassword))]
/// fn reset_text(event: &CustomMessageEvent<'_>) -> CustomMessageResponse {
///     CustomMessageResponse::new().sms(format!("Reset code: {}", event.request.code_parameter))
/// }
///
/// #[tokio::main(flavor = "current_thread")]
/// async fn main() {
///     let pool = Pool::with_state(Config { domain: "@example.com" })
///         .handler(handler!(sign_up))
///         .handler(handler!(reset_text));
///     assert!(pool.check().is_ok());
///
///     let event = br#"{"version":"1","triggerSource":"PreSignUp_SignUp",
///       "request":{"userAttributes":{"email":"ada@example.com"}},"response":{"autoConfirmUser":false}}"#;
///     let answer = pool.invoke(event, &Context::new("r1")).await.unwrap();
///     assert!(String::from_utf8(answer).unwrap().contains(r#""autoConfirmUser":true"#));
/// }
/// ```
pub struct Pool<S = ()> {
    state: State<S>,
    budget: Duration,
    handlers: Vec<Box<dyn ErasedHandler<S>>>,
    routes: [Route; TriggerKind::ALL.len()],
    conflicts: Vec<Conflict>,
    unhandled: Unhandled,
    settings: Settings,
    samples: &'static [(&'static str, &'static [u8])],
    /// What the handlers need deployed beyond the triggers (`--template`).
    deployment: Vec<Deployment>,
}

/// Which handler takes each source of one trigger.
#[derive(Clone, Copy, Default)]
struct Route {
    /// By position of the source among the trigger's documented sources.
    by_source: [Option<u16>; MAX_SOURCES_PER_TRIGGER],
    /// For sources this crate does not know.
    others: Option<u16>,
}

impl Pool<()> {
    /// A pool whose handlers share no state.
    ///
    /// ```
    /// use cognito_trigger::Pool;
    ///
    /// let pool = Pool::new();
    /// assert!(pool.check().is_ok());
    /// assert_eq!(pool.kinds().count(), 0);
    /// ```
    #[must_use]
    pub fn new() -> Self {
        Self::with_state(())
    }
}

impl Default for Pool<()> {
    fn default() -> Self {
        Self::new()
    }
}

impl<S: Send + Sync + 'static> Pool<S> {
    /// A pool lending `state` (built once, at cold start) to every handler that takes it.
    ///
    /// ```
    /// use cognito_trigger::Pool;
    ///
    /// struct Config { allowed_domain: &'static str }
    ///
    /// let pool = Pool::with_state(Config { allowed_domain: "@example.com" });
    /// assert_eq!(pool.state().allowed_domain, "@example.com");
    /// ```
    pub fn with_state(state: S) -> Self {
        Self::with(State {
            cell: tokio::sync::OnceCell::new_with(Some(Ok(state))),
            init: Mutex::new(None),
        })
    }

    /// A pool whose state `init` builds once, when the pool first serves an event: an
    /// asynchronous start-up (AWS clients, configuration read from the environment) that the
    /// local mode's `--help`, `--lambda-config` and `--template` never run, so they need
    /// none of its configuration.
    ///
    /// - [`Pool::run`] on AWS Lambda builds it before it starts the Lambda runtime; if `init`
    ///   fails, `run` returns its error and the cold start fails with it.
    /// - The local run mode builds it before the first event (files, stdin, `--samples`);
    ///   if `init` fails, the error is logged once and every event is answered with an
    ///   internal error (exit status 1).
    /// - [`Pool::invoke`] on a pool not yet built builds it first. `init` runs at most once,
    ///   also when events arrive together; after a failure, every invocation answers an
    ///   internal error (the client reads no more than [`internal_error_message`]; the log
    ///   has the error, once) and `init` is not called again.
    ///
    /// ```
    /// use std::sync::atomic::{AtomicUsize, Ordering};
    ///
    /// use cognito_trigger::{cognito_trigger, handler, Context, Pool, PreSignUpEvent, PreSignUpResponse};
    ///
    /// struct Config { domain: String }
    ///
    /// static BUILT: AtomicUsize = AtomicUsize::new(0);
    ///
    /// async fn config_from_env() -> Result<Config, std::env::VarError> {
    ///     BUILT.fetch_add(1, Ordering::SeqCst);
    ///     let domain = std::env::var("ALLOWED_DOMAIN").unwrap_or_else(|_| "@example.com".to_owned());
    ///     Ok(Config { domain })
    /// }
    ///
    /// #[cognito_trigger(PreSignUp)]
    /// fn sign_up(event: &PreSignUpEvent<'_>, config: &Config) -> PreSignUpResponse {
    ///     let ours = event.request.user_attributes.get("email").is_some_and(|e| e.ends_with(&config.domain));
    ///     if ours { PreSignUpResponse::new().confirm_user() } else { PreSignUpResponse::new() }
    /// }
    ///
    /// #[tokio::main(flavor = "current_thread")]
    /// async fn main() {
    ///     let pool = Pool::with_state_from(config_from_env).handler(handler!(sign_up));
    ///     // Describing the deployment builds nothing.
    ///     let _template = pool.cloudformation().to_json();
    ///     assert_eq!(BUILT.load(Ordering::SeqCst), 0);
    ///
    ///     let event = br#"{"version":"1","triggerSource":"PreSignUp_SignUp",
    ///       "request":{"userAttributes":{"email":"ada@example.com"}},"response":{"autoConfirmUser":false}}"#;
    ///     for request in ["r1", "r2"] {
    ///         let answer = pool.invoke(event, &Context::new(request)).await.unwrap();
    ///         assert!(String::from_utf8(answer).unwrap().contains(r#""autoConfirmUser":true"#));
    ///     }
    ///     assert_eq!(BUILT.load(Ordering::SeqCst), 1);
    ///     assert_eq!(pool.state().domain, "@example.com");
    /// }
    /// ```
    pub fn with_state_from<F, Fut, E>(init: F) -> Self
    where
        F: FnOnce() -> Fut + Send + 'static,
        Fut: Future<Output = Result<S, E>> + Send + 'static,
        E: Into<Box<dyn std::error::Error + Send + Sync>>,
    {
        let init: Init<S> = Box::new(move || -> InitFuture<S> {
            Box::pin(async move { init().await.map_err(Into::into) })
        });
        Self::with(State {
            cell: tokio::sync::OnceCell::new(),
            init: Mutex::new(Some(init)),
        })
    }

    fn with(state: State<S>) -> Self {
        Self {
            state,
            budget: DEFAULT_BUDGET,
            handlers: Vec::new(),
            routes: [Route::default(); TriggerKind::ALL.len()],
            conflicts: Vec::new(),
            unhandled: Unhandled::default(),
            settings: Settings::new(),
            samples: &[],
            deployment: Vec::new(),
        }
    }

    /// Registers a handler (see [`handler!`](crate::handler)). A conflict with an earlier
    /// handler is recorded and reported by [`Pool::check`].
    ///
    /// ```
    /// use cognito_trigger::{cognito_trigger, handler, Pool, PostConfirmationEvent, TriggerKind};
    ///
    /// #[cognito_trigger(PostConfirmation)]
    /// fn welcome(_event: &PostConfirmationEvent<'_>) {}
    ///
    /// let pool = Pool::new().handler(handler!(welcome));
    /// assert_eq!(pool.kinds().collect::<Vec<_>>(), [TriggerKind::PostConfirmation]);
    /// ```
    #[must_use]
    pub fn handler<H: Handler<S>>(mut self, handler: H) -> Self {
        let index = u16::try_from(self.handlers.len()).unwrap_or(u16::MAX);
        let claims: Claims = H::CLAIMS;
        let kind = <H::Trigger as Trigger>::KIND;
        let count = <<H::Trigger as Trigger>::Source as TriggerSource>::COUNT;
        let route = &mut self.routes[kind as usize];
        for position in 0..count.min(MAX_SOURCES_PER_TRIGGER) {
            if claims.covers_position(Some(position)) {
                let source =
                    <<H::Trigger as Trigger>::Source as TriggerSource>::known_name(position);
                claim(
                    &mut route.by_source[position],
                    index,
                    source.unwrap_or("?"),
                    &self.handlers,
                    H::NAME,
                    &mut self.conflicts,
                );
            }
        }
        if claims.covers_position(None) {
            let others = format!("{}_*", kind.source_prefix());
            claim(
                &mut route.others,
                index,
                &others,
                &self.handlers,
                H::NAME,
                &mut self.conflicts,
            );
        }
        self.handlers.push(Box::new(Erased(handler)));
        self
    }

    /// How long a handler may run, from the event's arrival (default [`DEFAULT_BUDGET`], just
    /// under Cognito's 5 seconds). The handler's deadline is the earlier of this and
    /// Lambda's; past it, the trigger answers by the handler's
    /// [`OnTimeout`](crate::OnTimeout) policy. The custom senders, which Cognito does not
    /// wait for ([`TriggerKind::cognito_waits`]), have Lambda's deadline only.
    ///
    /// ```
    /// use cognito_trigger::{cognito_trigger, handler, Context, Pool, PreSignUpEvent};
    /// use std::time::Duration;
    ///
    /// #[cognito_trigger(PreSignUp)]
    /// async fn slow(_event: &PreSignUpEvent<'_>) {
    ///     tokio::time::sleep(Duration::from_secs(1)).await;
    /// }
    ///
    /// #[tokio::main(flavor = "current_thread")]
    /// async fn main() {
    ///     let pool = Pool::new().handler(handler!(slow)).budget(Duration::from_millis(10));
    ///     let event = br#"{"version":"1","triggerSource":"PreSignUp_SignUp","request":{},"response":{}}"#;
    ///     let error = pool.invoke(event, &Context::new("r1")).await.unwrap_err();
    ///     assert_eq!(error.error_type(), "Timeout");
    /// }
    /// ```
    #[must_use]
    pub fn budget(mut self, budget: Duration) -> Self {
        self.budget = budget;
        self
    }

    /// Sets what happens to events no handler claims (default: [`Unhandled::PassThrough`]).
    ///
    /// ```
    /// use cognito_trigger::{Context, Pool, Unhandled};
    ///
    /// #[tokio::main(flavor = "current_thread")]
    /// async fn main() {
    ///     let pool = Pool::new().unhandled(Unhandled::Refuse);
    ///     let event = br#"{"version":"1","triggerSource":"PreSignUp_SignUp","request":{},"response":{}}"#;
    ///     let error = pool.invoke(event, &Context::new("r1")).await.unwrap_err();
    ///     assert_eq!(error.error_type(), "UnhandledTrigger");
    ///     assert_eq!(error.error_message(), "This function has no handler for PreSignUp_SignUp");
    /// }
    /// ```
    #[must_use]
    pub fn unhandled(mut self, policy: Unhandled) -> Self {
        self.unhandled = policy;
        self
    }

    /// The user pool's settings that the response rules need and the events do not carry
    /// (see [`rules`](crate::rules)); unknown by default, which turns their rules off.
    ///
    /// ```
    /// use cognito_trigger::Pool;
    /// use cognito_trigger::rules::{EmailSendingAccount, Settings};
    ///
    /// let pool = Pool::new().settings(Settings::new().email_sending_account(EmailSendingAccount::Developer));
    /// assert!(pool.check().is_ok());
    /// ```
    #[must_use]
    pub fn settings(mut self, settings: Settings) -> Self {
        self.settings = settings;
        self
    }

    /// Sample events (name, bytes) that the local run mode replays with `--samples`, or
    /// when started from a terminal without arguments.
    ///
    /// ```
    /// use cognito_trigger::{cognito_trigger, decode, handler, Pool, PreSignUpEvent};
    ///
    /// #[cognito_trigger(PreSignUp)]
    /// fn sign_up(_event: &PreSignUpEvent<'_>) {}
    ///
    /// const SAMPLES: &[(&str, &[u8])] = &[(
    ///     "sign-up",
    ///     br#"{"version":"1","triggerSource":"PreSignUp_SignUp","request":{},"response":{}}"#,
    /// )];
    /// let pool = Pool::new().handler(handler!(sign_up)).samples(SAMPLES);
    /// assert!(pool.check().is_ok());
    /// assert!(SAMPLES.iter().all(|(_, bytes)| decode(bytes).is_ok()));
    /// ```
    #[must_use]
    pub fn samples(mut self, samples: &'static [(&'static str, &'static [u8])]) -> Self {
        self.samples = samples;
        self
    }

    /// Whether the handlers can serve together.
    ///
    /// ```
    /// use cognito_trigger::{cognito_trigger, handler, Pool, PostConfirmationEvent};
    ///
    /// #[cognito_trigger(PostConfirmation)]
    /// fn welcome(_event: &PostConfirmationEvent<'_>) {}
    ///
    /// #[cognito_trigger(PostConfirmation)]
    /// fn audit(_event: &PostConfirmationEvent<'_>) {}
    ///
    /// assert!(Pool::new().handler(handler!(welcome)).check().is_ok());
    /// let conflict = Pool::new().handler(handler!(welcome)).handler(handler!(audit)).check().unwrap_err();
    /// assert_eq!((conflict.first, conflict.second), ("welcome", "audit"));
    /// ```
    ///
    /// # Errors
    /// The first pair of handlers that claim the same trigger source.
    pub fn check(&self) -> Result<(), Conflict> {
        self.conflicts
            .first()
            .map_or(Ok(()), |conflict| Err(conflict.clone()))
    }

    /// The state the pool lends its handlers.
    ///
    /// ```
    /// use cognito_trigger::Pool;
    ///
    /// let pool = Pool::with_state(vec!["@example.com", "@example.org"]);
    /// assert_eq!(pool.state().len(), 2);
    /// ```
    ///
    /// # Panics
    /// For a pool made with [`Pool::with_state_from`] whose state is not built yet (no event
    /// served, not run), or whose `init` failed.
    #[must_use]
    pub fn state(&self) -> &S {
        match self.state.cell.get() {
            Some(Ok(state)) => state,
            Some(Err(Failed)) => panic!("the pool's state could not be built (see the log)"),
            None => panic!(
                "the pool's state is not built yet: Pool::with_state_from builds it when the \
                 pool first serves an event"
            ),
        }
    }

    /// Builds the state if it is not built yet (see [`Pool::with_state_from`]): the state,
    /// or why there is none.
    pub(crate) async fn build_state(&self) -> Result<&S, StateError> {
        let mut error = None;
        let (slot, init) = (&mut error, &self.state.init);
        let built = self
            .state
            .cell
            .get_or_init(move || async move {
                // Taken out first: no lock is held across the `await`.
                let init = init
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner)
                    .take();
                let Some(init) = init else {
                    return Err(Failed);
                };
                init().await.map_err(|e| {
                    *slot = Some(e);
                    Failed
                })
            })
            .await;
        match (built, error) {
            (Ok(state), _) => Ok(state),
            (Err(Failed), Some(error)) => Err(StateError::Failed(error)),
            (Err(Failed), None) => Err(StateError::FailedBefore),
        }
    }

    /// The triggers the pool serves, each once, in [`TriggerKind::ALL`] order.
    ///
    /// ```
    /// use cognito_trigger::{cognito_trigger, handler, Pool, PostConfirmationEvent, PreSignUpEvent, TriggerKind};
    ///
    /// #[cognito_trigger(PostConfirmation)]
    /// fn welcome(_event: &PostConfirmationEvent<'_>) {}
    /// #[cognito_trigger(PreSignUp)]
    /// fn sign_up(_event: &PreSignUpEvent<'_>) {}
    ///
    /// let pool = Pool::new().handler(handler!(welcome)).handler(handler!(sign_up));
    /// assert_eq!(pool.kinds().collect::<Vec<_>>(), [TriggerKind::PreSignUp, TriggerKind::PostConfirmation]);
    /// ```
    pub fn kinds(&self) -> impl Iterator<Item = TriggerKind> + '_ {
        TriggerKind::ALL.iter().copied().filter(|kind| {
            let route = &self.routes[*kind as usize];
            route.others.is_some() || route.by_source.iter().any(Option::is_some)
        })
    }

    /// The pool's handlers' names, in registration order.
    ///
    /// ```
    /// use cognito_trigger::{cognito_trigger, handler, Pool, PostConfirmationEvent, PreSignUpEvent};
    ///
    /// #[cognito_trigger(PostConfirmation)]
    /// fn welcome(_event: &PostConfirmationEvent<'_>) {}
    /// #[cognito_trigger(PreSignUp)]
    /// fn sign_up(_event: &PreSignUpEvent<'_>) {}
    ///
    /// let pool = Pool::new().handler(handler!(welcome)).handler(handler!(sign_up));
    /// assert_eq!(pool.handler_names().collect::<Vec<_>>(), ["welcome", "sign_up"]);
    /// ```
    pub fn handler_names(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.handlers.iter().map(|handler| handler.name())
    }

    pub(crate) fn sample_events(&self) -> &'static [(&'static str, &'static [u8])] {
        self.samples
    }

    pub(crate) fn budget_of(&self) -> Duration {
        self.budget
    }

    /// Answers one raw event: routes it to its handler and returns the bytes for Cognito.
    ///
    /// ```
    /// use cognito_trigger::{cognito_trigger, handler, Context, Pool, PreSignUpEvent, PreSignUpResponse};
    ///
    /// #[cognito_trigger(PreSignUp)]
    /// fn auto_confirm(_event: &PreSignUpEvent<'_>) -> PreSignUpResponse {
    ///     PreSignUpResponse::new().confirm_user()
    /// }
    ///
    /// #[tokio::main(flavor = "current_thread")]
    /// async fn main() {
    ///     let pool = Pool::new().handler(handler!(auto_confirm));
    ///     let event = br#"{"version":"1","triggerSource":"PreSignUp_SignUp","request":{},"response":{"autoConfirmUser":false}}"#;
    ///     let answer = pool.invoke(event, &Context::new("r1")).await.unwrap();
    ///     let answer: serde_json::Value = serde_json::from_slice(&answer).unwrap();
    ///     assert_eq!(answer["response"]["autoConfirmUser"], true);
    /// }
    /// ```
    ///
    /// # Errors
    /// The handler's rejection or failure, an input that is not a Cognito event, or (with
    /// [`Unhandled::Refuse`]) an event no handler claims.
    pub async fn invoke(
        &self,
        input: &[u8],
        context: &Context,
    ) -> Result<Vec<u8>, InvocationError> {
        let checks = ResponseChecks {
            settings: &self.settings,
            ..ResponseChecks::LAMBDA
        };
        self.invoke_checked(input, context, &checks).await
    }

    /// The pool's settings, which its response checks assume.
    pub(crate) fn settings_of(&self) -> &Settings {
        &self.settings
    }

    /// [`Pool::invoke`], with the response rules applied as `checks` says.
    pub(crate) async fn invoke_checked(
        &self,
        input: &[u8],
        context: &Context,
        checks: &ResponseChecks<'_>,
    ) -> Result<Vec<u8>, InvocationError> {
        let state = match self.build_state().await {
            Ok(state) => state,
            Err(error) => {
                match error {
                    StateError::Failed(error) => tracing::error!(
                        request_id = context.request_id(),
                        error = %error,
                        "the pool's state could not be built; every event is answered with an internal error"
                    ),
                    StateError::FailedBefore => tracing::error!(
                        request_id = context.request_id(),
                        "the pool's state could not be built (logged at the first event); internal error"
                    ),
                }
                return Err(InvocationError::new(
                    "InternalError",
                    internal_error_message(context.request_id()),
                ));
            }
        };
        // The fast path: routed by the event's head, decoded once by the handler.
        if let Some(head) = Head::peek(input)
            && let Ok(Some(kind)) = head.kind()
            && let Some(index) = self.handler_for(Some(kind), &head.trigger_source)
        {
            let context = self.budget_for(context, Some(kind));
            let span = invocation_span(Some(kind), &head.trigger_source, &context);
            if let Some(answer) = self.handlers[usize::from(index)]
                .call(input, &head, &context, state, checks)
                .instrument(span)
                .await
            {
                return answer;
            }
        }
        // Everything else decodes the whole envelope first, which also says what is wrong
        // with an input that is not an event.
        let raw = RawEvent::parse(input).map_err(|e| invalid_event(&e, context))?;
        let kind = raw.kind().map_err(|e| invalid_event(&e, context))?;
        let context = self.budget_for(context, kind);
        let source = raw.trigger_source.as_deref().unwrap_or_default();
        let span = invocation_span(kind, source, &context);
        match self.handler_for(kind, source) {
            Some(index) => self.handlers[usize::from(index)]
                .call(input, &Head::read(&raw), &context, state, checks)
                .instrument(span)
                .await
                .unwrap_or_else(|| unreachable!("{}", Head::READ_IS_CONFIRMED)),
            None => {
                record_envelope(&span, &raw.user_pool_id, &raw.caller_context.client_id);
                span.in_scope(|| self.answer_unhandled(source, kind, input, &context))
            }
        }
    }

    /// `context` with Cognito's budget, which runs from the event's arrival, where the
    /// trigger is one Cognito waits for (contract §3), and without it otherwise (`run` sets
    /// it before anything else).
    fn budget_for<'c>(&self, context: &'c Context, kind: Option<TriggerKind>) -> Cow<'c, Context> {
        let waits = kind.is_none_or(TriggerKind::cognito_waits);
        if waits == context.has_budget() {
            Cow::Borrowed(context)
        } else if waits {
            Cow::Owned(context.clone().with_budget(self.budget))
        } else {
            Cow::Owned(context.clone().without_budget())
        }
    }

    /// The index of the handler that takes events of `kind` and `source`, if any.
    pub(crate) fn handler_for(&self, kind: Option<TriggerKind>, source: &str) -> Option<u16> {
        kind.and_then(|kind| {
            let route = &self.routes[kind as usize];
            match kind.source_position(source) {
                Some(position) => route.by_source[position],
                None => route.others,
            }
        })
    }

    fn answer_unhandled(
        &self,
        source: &str,
        kind: Option<TriggerKind>,
        input: &[u8],
        context: &Context,
    ) -> Result<Vec<u8>, InvocationError> {
        let why = match kind {
            Some(kind) => format!("no handler for {kind} events of this source"),
            None => {
                "a trigger (or version) this version of cognito-trigger does not know".to_owned()
            }
        };
        match self.unhandled {
            Unhandled::PassThrough => {
                tracing::warn!(
                    trigger_source = source,
                    request_id = context.request_id(),
                    "{why}; answering with Cognito's defaults"
                );
                Ok(input.to_vec())
            }
            Unhandled::Refuse => {
                tracing::warn!(
                    trigger_source = source,
                    request_id = context.request_id(),
                    "{why}; refusing"
                );
                Err(InvocationError::new(
                    "UnhandledTrigger",
                    format!(
                        "This function has no handler for {}",
                        crate::error::quote(source)
                    ),
                ))
            }
        }
    }

    /// The user pool's `LambdaConfig` (API and CloudFormation shape) for exactly the
    /// triggers this pool serves, all pointing at `function_arn`.
    ///
    /// Plain triggers get the ARN; pre token generation gets `PreTokenGenerationConfig` with
    /// the version of its handler (the highest, if handlers of several versions are
    /// registered); the custom senders get `V1_0` and a `KMSKeyID` that refers to a
    /// template parameter of that name; inbound federation gets `V1_0`.
    ///
    /// ```
    /// use cognito_trigger::{cognito_trigger, handler, Pool, PreTokenGenerationV2Event, CustomSmsSenderEvent};
    ///
    /// #[cognito_trigger(PreTokenGenerationV2)]
    /// fn tokens(_event: &PreTokenGenerationV2Event<'_>) {}
    /// #[cognito_trigger(CustomSmsSender)]
    /// fn sms(_event: &CustomSmsSenderEvent<'_>) {}
    ///
    /// let config = Pool::new().handler(handler!(tokens)).handler(handler!(sms))
    ///     .lambda_config("arn:aws:lambda:eu-west-1:123456789012:function:pool");
    /// assert_eq!(config, serde_json::json!({
    ///     "PreTokenGenerationConfig": {
    ///         "LambdaArn": "arn:aws:lambda:eu-west-1:123456789012:function:pool",
    ///         "LambdaVersion": "V2_0",
    ///     },
    ///     "CustomSMSSender": {
    ///         "LambdaArn": "arn:aws:lambda:eu-west-1:123456789012:function:pool",
    ///         "LambdaVersion": "V1_0",
    ///     },
    ///     "KMSKeyID": {"Ref": "KMSKeyID"},
    /// }));
    /// ```
    #[must_use]
    pub fn lambda_config(&self, function_arn: &str) -> serde_json::Value {
        let arn = serde_json::Value::from(function_arn);
        let kms_key = serde_json::json!({"Ref": "KMSKeyID"});
        serde_json::Value::Object(deploy::lambda_config(
            self.kinds(),
            |_| arn.clone(),
            &kms_key,
        ))
    }

    /// A complete CloudFormation template deploying this pool as one function (see
    /// [`CloudFormation`]): what the local mode's `--template` prints.
    ///
    /// ```
    /// use cognito_trigger::{cognito_trigger, handler, Pool, CustomEmailSenderEvent, PreSignUpEvent};
    ///
    /// #[cognito_trigger(PreSignUp)]
    /// fn sign_up(_event: &PreSignUpEvent<'_>) {}
    /// #[cognito_trigger(CustomEmailSender)]
    /// fn email(_event: &CustomEmailSenderEvent<'_>) {}
    ///
    /// let template = Pool::new().handler(handler!(sign_up)).handler(handler!(email))
    ///     .cloudformation()
    ///     .to_json();
    /// let config = &template["Resources"]["UserPool"]["Properties"]["LambdaConfig"];
    /// assert_eq!(config["CustomEmailSender"]["LambdaVersion"], "V1_0");
    /// assert_eq!(config["KMSKeyID"], serde_json::json!({"Fn::GetAtt": ["SenderKey", "Arn"]}));
    /// ```
    #[must_use]
    pub fn cloudformation(&self) -> CloudFormation {
        (self.deployment.iter()).fold(CloudFormation::new(self.kinds()), |template, add| {
            add(template)
        })
    }

    /// What the handlers need deployed beyond the triggers (tables, IAM permissions,
    /// environment variables): `deployment` adds it to the pool's template
    /// ([`Pool::cloudformation`], `--template`). Each call adds to the earlier ones, in
    /// order.
    ///
    /// ```
    /// use cognito_trigger::{cognito_trigger, handler, CloudFormation, Pool, PostConfirmationEvent};
    /// use serde_json::json;
    ///
    /// #[cognito_trigger(PostConfirmation)]
    /// fn welcome(_event: &PostConfirmationEvent<'_>) {}
    ///
    /// fn audit_queue(template: CloudFormation) -> CloudFormation {
    ///     template
    ///         .resource("AuditQueue", json!({"Type": "AWS::SQS::Queue"}))
    ///         .allow(&["sqs:SendMessage"], json!({"Fn::GetAtt": ["AuditQueue", "Arn"]}))
    ///         .environment("AUDIT_QUEUE_URL", json!({"Ref": "AuditQueue"}))
    /// }
    ///
    /// let stage = "prod".to_owned();
    /// let pool = Pool::new()
    ///     .handler(handler!(welcome))
    ///     .deployment(audit_queue)
    ///     .deployment(move |template| template.environment("STAGE", json!(stage)));
    /// let template = pool.cloudformation().to_json();
    /// assert_eq!(template["Resources"]["AuditQueue"]["Type"], "AWS::SQS::Queue");
    /// let variables = &template["Resources"]["TriggerFunction"]["Properties"]["Environment"]["Variables"];
    /// assert_eq!(variables["STAGE"], "prod");
    /// ```
    #[must_use]
    pub fn deployment(
        mut self,
        deployment: impl Fn(CloudFormation) -> CloudFormation + Send + Sync + 'static,
    ) -> Self {
        self.deployment.push(Box::new(deployment));
        self
    }
}

/// An addition to the pool's deployment template ([`Pool::deployment`]).
type Deployment = Box<dyn Fn(CloudFormation) -> CloudFormation + Send + Sync>;

/// Records that handler `index` claims a slot, or the conflict with the handler already there.
fn claim<S>(
    slot: &mut Option<u16>,
    index: u16,
    source: &str,
    handlers: &[Box<dyn ErasedHandler<S>>],
    name: &'static str,
    conflicts: &mut Vec<Conflict>,
) {
    match slot {
        Some(first) => conflicts.push(Conflict {
            first: handlers[usize::from(*first)].name(),
            second: name,
            trigger_source: source.to_owned(),
        }),
        None => *slot = Some(index),
    }
}

impl<S> fmt::Debug for Pool<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = self.handlers.iter().map(|h| h.name()).collect();
        f.debug_struct("Pool")
            .field("handlers", &names)
            .field("unhandled", &self.unhandled)
            .finish()
    }
}

// ---------------------------------------------------------------------------------------
// The state, built at once or when first needed

type BoxError = Box<dyn std::error::Error + Send + Sync>;
type InitFuture<S> = Pin<Box<dyn Future<Output = Result<S, BoxError>> + Send>>;
type Init<S> = Box<dyn FnOnce() -> InitFuture<S> + Send>;

/// The pool's state: set from the start ([`Pool::with_state`]), or built once by `init`
/// ([`Pool::with_state_from`]); a failed build is remembered.
struct State<S> {
    cell: tokio::sync::OnceCell<Result<S, Failed>>,
    init: Mutex<Option<Init<S>>>,
}

/// The state's `init` failed (its error went to whoever ran it).
#[derive(Clone, Copy, Debug)]
struct Failed;

/// Why a pool has no state.
#[derive(Debug)]
pub(crate) enum StateError {
    /// This call ran `init`, which failed with this error.
    Failed(BoxError),
    /// An earlier call ran `init`, which failed.
    FailedBefore,
}

impl fmt::Display for StateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Failed(error) => write!(f, "the pool's state could not be built: {error}"),
            Self::FailedBefore => f.write_str("the pool's state could not be built earlier"),
        }
    }
}

impl std::error::Error for StateError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Failed(error) => Some(&**error),
            Self::FailedBefore => None,
        }
    }
}

// ---------------------------------------------------------------------------------------
// Handlers of different types behind one interface

/// A handler's answer; `None` when the event does not confirm the guessed head it was
/// routed by ([`invoke_routed`]).
type BoxedAnswer<'a> =
    Pin<Box<dyn Future<Output = Option<Result<Vec<u8>, InvocationError>>> + Send + 'a>>;

trait ErasedHandler<S>: Send + Sync {
    fn name(&self) -> &'static str;
    fn call<'a>(
        &'a self,
        input: &'a [u8],
        head: &'a Head<'a>,
        context: &'a Context,
        state: &'a S,
        checks: &'a ResponseChecks<'a>,
    ) -> BoxedAnswer<'a>;
}

struct Erased<H>(H);

impl<S: Sync, H: Handler<S>> ErasedHandler<S> for Erased<H> {
    fn name(&self) -> &'static str {
        H::NAME
    }

    fn call<'a>(
        &'a self,
        input: &'a [u8],
        head: &'a Head<'a>,
        context: &'a Context,
        state: &'a S,
        checks: &'a ResponseChecks<'a>,
    ) -> BoxedAnswer<'a> {
        Box::pin(invoke_routed(&self.0, input, head, context, state, checks))
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::Duration;

    use super::*;

    const EVENT: &[u8] =
        br#"{"version":"1","triggerSource":"PreSignUp_SignUp","request":{},"response":{}}"#;

    /// A pool whose state takes a while to build, counting the builds.
    fn deferred(fail: bool) -> (Pool<u32>, Arc<AtomicUsize>) {
        let builds = Arc::new(AtomicUsize::new(0));
        let counted = builds.clone();
        let pool = Pool::with_state_from(move || async move {
            counted.fetch_add(1, Ordering::SeqCst);
            tokio::time::sleep(Duration::from_millis(20)).await;
            if fail {
                Err(std::io::Error::other("cannot reach KMS: s3cr3t-detail"))
            } else {
                Ok(7)
            }
        });
        (pool, builds)
    }

    #[tokio::test]
    async fn the_state_is_built_once_when_events_arrive_together() {
        let (pool, builds) = deferred(false);
        assert_eq!(builds.load(Ordering::SeqCst), 0);
        let contexts: Vec<Context> = (0..5).map(|n| Context::new(format!("r{n}"))).collect();
        let answers = futures_util::future::join_all(
            contexts.iter().map(|context| pool.invoke(EVENT, context)),
        )
        .await;
        assert!(answers.iter().all(Result::is_ok), "{answers:?}");
        pool.invoke(EVENT, &Context::new("r9"))
            .await
            .unwrap_or_default();
        assert_eq!(builds.load(Ordering::SeqCst), 1);
        assert_eq!(*pool.state(), 7);
    }

    #[tokio::test]
    async fn a_failed_build_answers_internal_errors_and_is_not_retried() {
        let (pool, builds) = deferred(true);
        for request in ["r1", "r2", "r3"] {
            let error = pool
                .invoke(EVENT, &Context::new(request))
                .await
                .err()
                .map(|e| (e.error_type().to_owned(), e.error_message().to_owned()));
            assert_eq!(
                error,
                Some(("InternalError".to_owned(), internal_error_message(request)))
            );
        }
        assert_eq!(builds.load(Ordering::SeqCst), 1);
        assert!(matches!(
            pool.build_state().await,
            Err(StateError::FailedBefore)
        ));
    }

    #[tokio::test]
    async fn the_first_build_gives_its_error_to_its_caller() {
        let (pool, _) = deferred(true);
        let error = pool.build_state().await.err().map(|e| e.to_string());
        assert_eq!(
            error.as_deref(),
            Some("the pool's state could not be built: cannot reach KMS: s3cr3t-detail")
        );
    }

    #[test]
    #[should_panic(expected = "not built yet")]
    fn a_deferred_state_not_built_panics() {
        let (pool, builds) = deferred(false);
        let _ = pool.state();
        drop(builds);
    }

    #[test]
    fn a_given_state_is_there_at_once() {
        assert_eq!(*Pool::with_state(3_u8).state(), 3);
    }
}
