//! What a handler may return: `()`, its trigger's response, or a `Result` of either with
//! any error that converts into [`TriggerError`].

use std::error::Error as StdError;

use super::TriggerError;
use crate::event::Trigger;
use crate::kinds::*;
use crate::table::for_each_trigger;
use crate::triggers::*;

/// What a handler answers: `None` keeps Cognito's defaults, `Some` sets the response.
///
/// ```
/// use cognito_trigger::{IntoOutcome, Outcome, PreSignUp, PreSignUpResponse};
///
/// let keep_defaults: Outcome<PreSignUp> = Ok(None);
/// assert_eq!(keep_defaults.unwrap(), None);
/// let answer: Outcome<PreSignUp> = PreSignUpResponse::new().confirm_user().into_outcome();
/// assert_eq!(answer.unwrap(), Some(PreSignUpResponse::new().confirm_user()));
/// ```
pub type Outcome<T> = Result<Option<<T as Trigger>::Response>, TriggerError>;

/// A value a `T` handler may return: `()`, `T`'s response, or a `Result` of either whose
/// error converts into [`TriggerError`].
///
/// ```
/// use cognito_trigger::{IntoOutcome, Outcome, PreSignUp, PreSignUpResponse, Reject};
///
/// let nothing: Outcome<PreSignUp> = IntoOutcome::<PreSignUp>::into_outcome(());
/// assert_eq!(nothing.unwrap(), None);
/// let refused: Result<PreSignUpResponse, Reject> = Err(Reject::new("No"));
/// let refused: Outcome<PreSignUp> = refused.into_outcome();
/// assert_eq!(refused.unwrap_err().rejection(), Some("No"));
/// ```
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

/// An error type a handler may return: [`Reject`](crate::Reject), any
/// `std::error::Error + Send + Sync + 'static`, `Box<dyn Error + Send + Sync>`,
/// `anyhow::Error` (or any error that converts into such a box, as `eyre::Report` does),
/// or [`TriggerError`]. It is a rejection, which the end user reads, when a `Reject` is the
/// error or in its `source()` chain (for `anyhow::Error`, with the `anyhow` feature); anything
/// else is an internal failure, logged and hidden. Plain text (`String`, `&str`) converts too, as an internal failure: only a
/// `Reject` is ever shown to the end user.
///
/// ```
/// use cognito_trigger::{IntoTriggerError, Reject};
///
/// assert_eq!(Reject::new("Closed").into_trigger_error().rejection(), Some("Closed"));
/// assert_eq!(std::io::Error::other("timeout").into_trigger_error().rejection(), None);
///
/// let boxed: Box<dyn std::error::Error + Send + Sync> = Box::new(Reject::new("Closed"));
/// assert_eq!(boxed.into_trigger_error().rejection(), Some("Closed"));
/// assert_eq!("directory down".into_trigger_error().rejection(), None);
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be a trigger handler's error type",
    label = "this error type",
    note = "use `cognito_trigger::Reject` for a message the end user reads; any `std::error::Error + Send + Sync + 'static`, `Box<dyn Error + Send + Sync>` or `anyhow::Error` for an internal failure; or `cognito_trigger::TriggerError`"
)]
pub trait IntoTriggerError {
    /// Converts into the framework's error.
    fn into_trigger_error(self) -> TriggerError;
}

// Whatever converts into a boxed error: every `std::error::Error + Send + Sync`, the box
// itself, and `anyhow::Error` (which provides that conversion). Separate impls for the box
// or for anyhow would overlap with one over `std::error::Error` (rustc cannot rule out
// those types implementing it later), so one impl covers them all, with no dependency.
// Not offered as a suggestion, so a wrong error type is reported as "cannot be a trigger
// handler's error type" rather than as a missing conversion.
#[diagnostic::do_not_recommend]
impl<E: Into<Box<dyn StdError + Send + Sync + 'static>> + 'static> IntoTriggerError for E {
    fn into_trigger_error(self) -> TriggerError {
        // anyhow's conversion into a box hides the outermost error from `downcast` (a bare
        // `anyhow::Error::from(Reject)` would read as internal), so an `anyhow::Error` goes
        // through its own chain. A type check, not a separate impl: see above.
        #[cfg(feature = "anyhow")]
        let this = {
            let any: Box<dyn std::any::Any> = Box::new(self);
            match any.downcast::<anyhow::Error>() {
                Ok(error) => return TriggerError::from_anyhow(*error),
                Err(any) => match any.downcast::<E>() {
                    Ok(this) => *this,
                    Err(_) => unreachable!("the value is an `E`"),
                },
            }
        };
        #[cfg(not(feature = "anyhow"))]
        let this = self;
        TriggerError::internal(this)
    }
}

#[diagnostic::do_not_recommend]
impl IntoTriggerError for TriggerError {
    fn into_trigger_error(self) -> TriggerError {
        self
    }
}

/// Makes each trigger's response a complete answer of its handlers (the table's
/// `response` column).
macro_rules! response_outcomes {
    ($(
        $(#[$meta:meta])*
        $marker:ident {
            name: $name:literal,
            source_prefix: $prefix:literal,
            event_versions: $versions:expr,
            config_key: $config_key:literal,
            lambda_version: $lambda_version:expr,
            kms_key: $kms_key:literal,
            cognito_waits: $waits:literal,
            on_timeout: $on_timeout:ident,
            aliases: [$($alias:ident),*],
            source: $source:ty,
            never_sent: [$($never_sent:ident),*],
            request: $request:ident,
            response: $response:ty,
            event: $event:ident,
            settle: $settle:path,
            secrets: $secrets:path,
            rules: $rules:path,
            template: $template:path,
        }
    )*) => {
        $(
            // Not listed in diagnostics: rustc would quote this macro's source to the user.
            #[diagnostic::do_not_recommend]
            impl IntoOutcome<$marker> for $response {
                fn into_outcome(self) -> Outcome<$marker> {
                    ::std::result::Result::Ok(::std::option::Option::Some(self))
                }
            }
        )*
    };
}

for_each_trigger!(response_outcomes);
