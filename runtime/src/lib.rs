//! Amazon Cognito User Pool Lambda triggers in Rust.
//!
//! This crate is the runtime of `cognito-trigger`: an exact model of every Cognito trigger
//! event, lenient where Cognito is loose and lossless where it matters.
//!
//! - **Every trigger**: pre sign-up, post confirmation, pre and post authentication,
//!   define/create/verify auth challenge, pre token generation V1_0, V2_0 and V3_0
//!   (machine-to-machine included), user migration, custom message, custom email and SMS
//!   senders, and inbound federation. [`TriggerKind`] lists them.
//! - **One envelope**: [`Event<'a, T>`](Event) carries what every event shares (`version`,
//!   `triggerSource`, `region`, `userPoolId`, `userName`, `callerContext`); the trigger
//!   marker `T` picks the typed `request`, `response` and trigger-source enum.
//! - **Lenient**: `null`, absent keys, `{}` and `[]` are read as Cognito means them;
//!   `version` may be a string or a number; attribute values may be any JSON scalar.
//! - **Lossless**: fields this crate does not know are kept at every level and written
//!   back unchanged; a `triggerSource` Cognito adds later decodes as `Other`.
//! - **Fast**: strings borrow from the input; request and response are decoded only after
//!   the envelope says which trigger the event is for.
//! - **Safe to log**: passwords and sender codes are [`Secret`]s, which print `[redacted]`.
//!
//! # Decoding any event
//!
//! ```
//! use cognito_trigger::{decode, AnyEvent, PreSignUpResponse};
//!
//! let bytes = br#"{"version":"1","triggerSource":"PreSignUp_SignUp","region":"eu-west-1",
//!   "userPoolId":"eu-west-1_EXAMPLE","userName":"ada",
//!   "callerContext":{"awsSdkVersion":"aws-sdk-unknown-unknown","clientId":"1example"},
//!   "request":{"userAttributes":{"email":"ada@example.com"},"validationData":null},
//!   "response":{"autoConfirmUser":false,"autoVerifyEmail":false,"autoVerifyPhone":false}}"#;
//!
//! if let AnyEvent::PreSignUp(mut event) = decode(bytes)? {
//!     if event.request.user_attributes.get("email").is_some_and(|e| e.ends_with("@example.com")) {
//!         event.response = PreSignUpResponse::new().confirm_user().verify_email();
//!     }
//!     let answer: serde_json::Value = serde_json::from_slice(&event.to_json()).unwrap();
//!     assert_eq!(answer["response"]["autoConfirmUser"], true);
//!     assert_eq!(answer["request"]["validationData"], serde_json::Value::Null);
//! }
//! Ok::<(), cognito_trigger::DecodeError>(())
//! ```
//!
//! # Decoding one trigger
//!
//! ```
//! use cognito_trigger::{PreTokenGenerationV2Event, TokenGenerationSource};
//!
//! let bytes = br#"{"version":"2","triggerSource":"TokenGeneration_RefreshTokens",
//!   "region":"eu-west-1","userPoolId":"eu-west-1_EXAMPLE","userName":"ada",
//!   "callerContext":{"awsSdkVersion":"x","clientId":"1example"},
//!   "request":{"userAttributes":{"sub":"42"},"groupConfiguration":null,
//!              "scopes":["openid","profile"]},
//!   "response":{"claimsAndScopeOverrideDetails":null}}"#;
//! let event = PreTokenGenerationV2Event::from_slice(bytes)?;
//! assert_eq!(event.trigger_source, TokenGenerationSource::RefreshTokens);
//! assert_eq!(event.request.scopes().len(), 2);
//! assert!(!event.request.is_member_of("admins"));
//! Ok::<(), cognito_trigger::DecodeError>(())
//! ```

#![cfg_attr(docsrs, feature(doc_cfg))]
#![doc = include_str!("guide.md")]

// The layers, bottom up; each uses only those below it (`tests/tidy.rs` checks there is no
// cycle): wire -> error -> table -> event -> triggers -> claims -> kinds -> rules ->
// handler -> invoke -> pool -> local, serve (the process front end) and testing; deploy
// (the pool's CloudFormation) sits on the table alone; kms (the custom senders' codes,
// behind the `kms` feature) sits beside testing, on the event model.
mod claims;
mod deploy;
mod error;
mod event;
mod handler;
mod invoke;
mod kinds;
#[cfg(feature = "kms")]
#[cfg_attr(docsrs, doc(cfg(feature = "kms")))]
pub mod kms;
pub mod local;
mod pool;
pub mod rules;
mod serve;
mod table;
pub mod testing;
mod triggers;
mod wire;

pub use claims::Claims;
#[doc = include_str!("cognito_trigger.md")]
#[doc(inline)]
pub use cognito_trigger_macros::cognito_trigger;
pub use deploy::CloudFormation;
pub use error::{DecodeError, MAX_EVENT_BYTES};
pub use event::{
    CLIENT_ID_NOT_APPLICABLE, CallerContext, Event, EventVersion, RawEvent, Trigger, TriggerSource,
};
pub use handler::{
    Context, Handler, HandlerInfo, IntoOutcome, IntoTriggerError, Outcome, Reject, TriggerError,
};
pub use invoke::{InvocationError, internal_error_message, invoke};
pub use kinds::*;
#[cfg(feature = "kms")]
#[cfg_attr(docsrs, doc(cfg(feature = "kms")))]
pub use kms::{CodeDecryptor, DecryptError};
/// The Lambda runtime this crate runs on, for its `Error`, `Context` and more.
pub use lambda_runtime;
pub use pool::{Conflict, DEFAULT_BUDGET, Pool, Unhandled};
pub use serve::{run, run_with_state};
pub use table::{OnTimeout, TriggerKind};
pub use triggers::*;
pub use wire::{RawJson, Secret, StringMap, UnknownFields};

/// Implementation details used by the `cognito-trigger` macros. Not a public API: it may
/// change in any release.
#[doc(hidden)]
pub mod __private {
    // How the attribute passes each parameter: only generated code names these.
    pub use crate::handler::{ContextParam, EventParam, StateParam};
    pub use crate::wire::{LenientText, Overlay, StrSeed, Wire, WireDecode, WireField};

    #[doc(hidden)]
    /// The handler's return value as an [`Outcome`](crate::Outcome); the macro spans this
    /// call at the user's return type, so a wrong type is reported there.
    pub fn into_outcome<T: crate::Trigger, R: crate::IntoOutcome<T>>(
        value: R,
    ) -> crate::Outcome<T> {
        value.into_outcome()
    }

    #[doc(hidden)]
    /// Fails to compile (in a `const` item) when handlers `A` and `B` claim a trigger
    /// source in common: how [`pool!`](crate::pool) refuses a conflict.
    pub const fn assert_no_conflict<A: crate::HandlerInfo, B: crate::HandlerInfo>(
        message: &'static str,
    ) {
        if A::CLAIMS.overlaps(&B::CLAIMS) {
            panic!("{}", message);
        }
    }
}

/// The value that stands for a `#[cognito_trigger]` function when running or registering
/// it: `handler!(auto_confirm)`.
///
/// The attribute keeps the function as written (call it directly in unit tests) and adds a
/// same-named struct implementing [`Handler`]; this macro names that struct's value.
///
/// ```
/// use cognito_trigger::{cognito_trigger, handler, HandlerInfo, PostConfirmationEvent};
///
/// #[cognito_trigger(PostConfirmation)]
/// fn welcome(_event: &PostConfirmationEvent<'_>) {}
///
/// fn name_of<H: HandlerInfo>(_: &H) -> &'static str { H::NAME }
/// assert_eq!(name_of(&handler!(welcome)), "welcome");
/// ```
#[macro_export]
macro_rules! handler {
    // Plain tokens, not a `path` fragment: a struct literal cannot start with one.
    ($($handler:tt)+) => {
        $($handler)+ {}
    };
}

/// A [`Pool`] of `#[cognito_trigger]` functions, checked at compile time: two handlers that
/// claim the same trigger source do not compile.
///
/// `pool![a, b, c]` builds `Pool::new()` with the handlers of functions `a`, `b` and `c`;
/// `pool!(state = expr; a, b)` builds `Pool::with_state(expr)`;
/// `pool!(state_from = init; a, b)` builds [`Pool::with_state_from(init)`](Pool::with_state_from),
/// whose state `init` builds when the pool first serves an event:
///
/// ```
/// use cognito_trigger::{cognito_trigger, pool, Context, PreSignUpEvent, PreSignUpResponse};
///
/// struct Config { domain: String }
///
/// async fn config_from_env() -> Result<Config, std::env::VarError> {
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
///     let pool = pool!(state_from = config_from_env; sign_up);
///     let event = br#"{"version":"1","triggerSource":"PreSignUp_SignUp",
///       "request":{"userAttributes":{"email":"ada@example.com"}},"response":{"autoConfirmUser":false}}"#;
///     let answer = pool.invoke(event, &Context::new("r1")).await.unwrap();
///     assert!(String::from_utf8(answer).unwrap().contains(r#""autoConfirmUser":true"#));
///     assert_eq!(pool.state().domain, "@example.com");
/// }
/// ```
///
/// Without a state:
///
/// ```
/// use cognito_trigger::{cognito_trigger, pool, CustomMessageEvent, PreSignUpEvent, TriggerKind};
///
/// #[cognito_trigger(PreSignUp)]
/// fn sign_up(_event: &PreSignUpEvent<'_>) {}
///
/// #[cognito_trigger(CustomMessage, sources(ForgotPassword))]
/// fn reset_text(_event: &CustomMessageEvent<'_>) {}
///
/// #[cognito_trigger(CustomMessage, sources(SignUp, ResendCode))]
/// fn welcome_text(_event: &CustomMessageEvent<'_>) {}
///
/// let pool = pool![sign_up, reset_text, welcome_text];
/// assert!(pool.check().is_ok());
/// assert_eq!(pool.kinds().collect::<Vec<_>>(), [TriggerKind::PreSignUp, TriggerKind::CustomMessage]);
/// ```
///
/// A conflict is a compile error that names both handlers:
///
/// ```compile_fail
/// use cognito_trigger::{cognito_trigger, pool, CustomMessageEvent};
///
/// #[cognito_trigger(CustomMessage)]
/// fn every_message(_event: &CustomMessageEvent<'_>) {}
///
/// #[cognito_trigger(CustomMessage, sources(ForgotPassword))]
/// fn reset_text(_event: &CustomMessageEvent<'_>) {}
///
/// let pool = pool![every_message, reset_text];
/// ```
#[macro_export]
macro_rules! pool {
    (@conflicts $head:path) => {};
    (@conflicts $head:path, $($tail:path),+) => {
        $(
            const _: () = $crate::__private::assert_no_conflict::<$head, $tail>(::core::concat!(
                "handlers `", ::core::stringify!($head), "` and `", ::core::stringify!($tail),
                "` both handle the same trigger source",
            ));
        )+
        $crate::pool!(@conflicts $($tail),+);
    };
    (state = $state:expr; $($handler:ident $(:: $segment:ident)*),+ $(,)?) => {{
        $crate::pool!(@conflicts $($handler $(:: $segment)*),+);
        $crate::Pool::with_state($state) $( .handler($handler $(:: $segment)* {}) )+
    }};
    (state_from = $init:expr; $($handler:ident $(:: $segment:ident)*),+ $(,)?) => {{
        $crate::pool!(@conflicts $($handler $(:: $segment)*),+);
        $crate::Pool::with_state_from($init) $( .handler($handler $(:: $segment)* {}) )+
    }};
    ($($handler:ident $(:: $segment:ident)*),+ $(,)?) => {{
        $crate::pool!(@conflicts $($handler $(:: $segment)*),+);
        $crate::Pool::new() $( .handler($handler $(:: $segment)* {}) )+
    }};
}

/// Sets up logging the way Lambda expects it: JSON lines when
/// `AWS_LAMBDA_LOG_FORMAT=JSON`, written to stderr, where Lambda collects them and where the
/// local run mode's one-line-per-event stdout stays clean. Every invocation's lines carry
/// its span: trigger, triggerSource, userPoolId, clientId, requestId and handler.
///
/// The level: `AWS_LAMBDA_LOG_LEVEL` (what Lambda's log level settings set; `FATAL` is
/// read as `ERROR`), else the bare level in `RUST_LOG`, else `INFO`. `RUST_LOG` may also
/// give per-target levels (`warn,cognito_trigger=debug`), which apply on Lambda too; its
/// span and field filters are not read: they need a regular expression engine, which
/// would weigh more than the rest of the logging in every function. A `RUST_LOG` that
/// cannot be read is reported as a warning, and the level above applies.
///
/// Started from a terminal outside Lambda with neither variable set, only warnings and
/// errors are shown, so that the handlers' `INFO` lines do not interleave the local run
/// mode's report; `RUST_LOG=info` shows them.
///
/// [`Pool::run`], [`run`] and [`run_with_state`] call it when nothing set up logging
/// before them; call it yourself at the start of `main` to log from your own start-up code
/// too, or install your own `tracing` subscriber instead.
///
/// ```
/// cognito_trigger::init_logging();
/// assert!(tracing::dispatcher::has_been_set());
/// ```
pub fn init_logging() {
    use std::io::IsTerminal as _;
    use tracing_subscriber::{fmt, layer::SubscriberExt as _};

    let lambda_level = std::env::var("AWS_LAMBDA_LOG_LEVEL").ok();
    let rust_log = std::env::var("RUST_LOG").ok();
    let quiet = lambda_level.is_none()
        && rust_log.is_none()
        && std::env::var_os("AWS_LAMBDA_RUNTIME_API").is_none()
        && std::io::stderr().is_terminal();
    let (filter, unreadable) = log_filter(lambda_level.as_deref(), rust_log.as_deref(), quiet);
    let json = std::env::var("AWS_LAMBDA_LOG_FORMAT").is_ok_and(|f| f.eq_ignore_ascii_case("json"));
    let layer = fmt::layer()
        .with_target(false)
        .without_time()
        .with_writer(std::io::stderr);
    let registry = tracing_subscriber::registry().with(filter);
    // A subscriber set earlier (by the user) is kept.
    let installed = if json {
        tracing::subscriber::set_global_default(registry.with(layer.json()))
    } else {
        tracing::subscriber::set_global_default(registry.with(layer))
    };
    if installed.is_ok()
        && let Some(rust_log) = unreadable
    {
        tracing::warn!(rust_log, "RUST_LOG cannot be read; it is ignored");
    }
}

/// The level filter from `AWS_LAMBDA_LOG_LEVEL` (`lambda_level`) and `RUST_LOG`, and
/// `RUST_LOG` itself when it cannot be read. The default level: Lambda's, else `RUST_LOG`'s
/// bare level, else `INFO` (`WARN` when `quiet`); `RUST_LOG`'s per-target levels on top.
fn log_filter<'a>(
    lambda_level: Option<&str>,
    rust_log: Option<&'a str>,
    quiet: bool,
) -> (tracing_subscriber::filter::Targets, Option<&'a str>) {
    use tracing_subscriber::filter::{LevelFilter, Targets};

    // Lambda's levels are tracing's, with FATAL for the worst.
    let level = |text: &str| -> Option<LevelFilter> {
        let text = text.trim();
        if text.eq_ignore_ascii_case("fatal") {
            Some(LevelFilter::ERROR)
        } else {
            text.parse().ok()
        }
    };
    let (directives, unreadable) = match rust_log.map(str::trim).filter(|d| !d.is_empty()) {
        None => (Targets::new(), None),
        Some(text) => {
            // FATAL wherever a level goes, as Lambda spells it.
            let spelled: Vec<String> = text
                .split(',')
                .map(|directive| match directive.rsplit_once('=') {
                    Some((target, value)) if value.trim().eq_ignore_ascii_case("fatal") => {
                        format!("{target}=error")
                    }
                    _ if directive.trim().eq_ignore_ascii_case("fatal") => "error".to_owned(),
                    _ => directive.to_owned(),
                })
                .collect();
            match spelled.join(",").parse::<Targets>() {
                Ok(targets) => (targets, None),
                Err(_) => (Targets::new(), rust_log),
            }
        }
    };
    let fallback = if quiet {
        LevelFilter::WARN
    } else {
        LevelFilter::INFO
    };
    let default = lambda_level
        .and_then(level)
        .or(directives.default_level())
        .unwrap_or(fallback);
    let filter = Targets::new()
        .with_targets(directives)
        .with_default(default);
    (filter, unreadable)
}

#[cfg(test)]
mod logging_tests {
    use super::log_filter;
    use tracing::Level;

    fn enabled(
        lambda: Option<&str>,
        rust_log: Option<&str>,
        quiet: bool,
        target: &str,
        level: Level,
    ) -> bool {
        log_filter(lambda, rust_log, quiet)
            .0
            .would_enable(target, &level)
    }

    #[test]
    fn the_default_level_is_lambdas_then_rust_logs_then_info() {
        assert!(enabled(None, None, false, "examples", Level::INFO));
        assert!(!enabled(None, None, false, "examples", Level::DEBUG));
        assert!(!enabled(None, None, true, "examples", Level::INFO));
        assert!(enabled(None, None, true, "examples", Level::WARN));
        assert!(enabled(Some("DEBUG"), None, true, "examples", Level::DEBUG));
        assert!(enabled(
            None,
            Some("debug"),
            false,
            "examples",
            Level::DEBUG
        ));
        assert!(!enabled(
            Some("WARN"),
            Some("debug"),
            false,
            "examples",
            Level::INFO
        ));
        assert!(!enabled(
            Some("FATAL"),
            None,
            false,
            "examples",
            Level::WARN
        ));
        assert!(enabled(
            Some("FATAL"),
            None,
            false,
            "examples",
            Level::ERROR
        ));
    }

    #[test]
    fn rust_log_adds_per_target_levels_on_lambda_too() {
        let per_target = Some("cognito_trigger=debug");
        // Lambda's level for every other target; no other target silenced.
        assert!(enabled(
            Some("WARN"),
            per_target,
            false,
            "cognito_trigger",
            Level::DEBUG
        ));
        assert!(enabled(
            Some("WARN"),
            per_target,
            false,
            "examples",
            Level::WARN
        ));
        assert!(!enabled(
            Some("WARN"),
            per_target,
            false,
            "examples",
            Level::INFO
        ));
        assert!(enabled(None, per_target, false, "examples", Level::INFO));
        assert!(!enabled(
            None,
            Some("warn,hyper=fatal"),
            false,
            "hyper",
            Level::WARN
        ));
        assert!(enabled(
            None,
            Some("warn,hyper=fatal"),
            false,
            "hyper",
            Level::ERROR
        ));
    }

    #[test]
    fn an_unreadable_rust_log_is_reported_and_the_default_applies() {
        let (filter, unreadable) = log_filter(None, Some("cognito_trigger=loud"), false);
        assert_eq!(unreadable, Some("cognito_trigger=loud"));
        assert!(filter.would_enable("examples", &Level::INFO));
        assert!(!filter.would_enable("examples", &Level::DEBUG));
    }
}

/// The README's examples, compiled and run as doc tests so they cannot rot.
#[doc = include_str!("../../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
