//! What a handler's errors mean: [`Reject`], which the end user reads, and
//! [`TriggerError`], which is either that or an internal failure.

use std::borrow::Cow;
use std::error::Error as StdError;
use std::fmt;

/// A refusal meant for the end user: Cognito shows it as
/// `<Trigger> failed with error <message>.`
///
/// Return it (or any error whose [`source`](StdError::source) chain contains one) to say
/// no: to a sign-up, a sign-in, a migration. Cognito adds the final period, so a trailing
/// period in the message is dropped rather than doubled.
///
/// ```
/// use cognito_trigger::testing::TestEvent;
/// use cognito_trigger::{PreSignUp, PreSignUpEvent, PreSignUpResponse, Reject};
///
/// fn check(event: &PreSignUpEvent<'_>) -> Result<PreSignUpResponse, Reject> {
///     match event.request.user_attributes.get("email") {
///         Some(email) if email.ends_with("@example.com") => Ok(PreSignUpResponse::new()),
///         _ => Err(Reject::new("Sign-up is open to example.com addresses only.")),
///     }
/// }
///
/// let bytes = TestEvent::<PreSignUp>::new().attribute("email", "eve@example.net").to_bytes();
/// let refused = check(&PreSignUpEvent::from_slice(&bytes).unwrap()).unwrap_err();
/// assert_eq!(refused.message(), "Sign-up is open to example.com addresses only.");
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reject {
    message: Cow<'static, str>,
}

impl Reject {
    /// A refusal with the message the end user will read.
    ///
    /// ```
    /// use cognito_trigger::Reject;
    ///
    /// let reject = Reject::new("Sign-up is closed.");
    /// assert_eq!(reject.to_string(), "Sign-up is closed.");
    /// ```
    pub fn new(message: impl Into<Cow<'static, str>>) -> Self {
        Self {
            message: message.into(),
        }
    }

    /// The message as given.
    ///
    /// ```
    /// use cognito_trigger::Reject;
    ///
    /// assert_eq!(Reject::new("Sign-up is closed.").message(), "Sign-up is closed.");
    /// ```
    #[must_use]
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The message as it goes to Cognito: without the trailing period Cognito adds.
    ///
    /// ```
    /// use cognito_trigger::Reject;
    ///
    /// assert_eq!(Reject::new("Sign-up is closed.").message_for_cognito(), "Sign-up is closed");
    /// assert_eq!(Reject::new("Sign-up is closed").message_for_cognito(), "Sign-up is closed");
    /// ```
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
/// conversion can exist, as with `anyhow::Error`.) A handler may also return
/// `anyhow::Error` or `Box<dyn Error + Send + Sync>` directly: see
/// [`IntoTriggerError`](crate::IntoTriggerError). With thiserror, wrap a `Reject` as a
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
    ///
    /// ```
    /// use cognito_trigger::TriggerError;
    ///
    /// let error = TriggerError::reject("Domain not allowed");
    /// assert_eq!(error.rejection(), Some("Domain not allowed"));
    /// ```
    pub fn reject(message: impl Into<Cow<'static, str>>) -> Self {
        Self {
            repr: Repr::Reject(Reject::new(message)),
        }
    }

    /// An internal failure: logged with its cause chain, never shown to the end user.
    ///
    /// ```
    /// use cognito_trigger::{Reject, TriggerError};
    ///
    /// let error = TriggerError::internal("directory unreachable");
    /// assert_eq!(error.rejection(), None);
    /// assert_eq!(error.to_string(), "directory unreachable");
    /// // A `Reject` stays a rejection, however it arrives.
    /// assert_eq!(TriggerError::internal(Reject::new("No")).rejection(), Some("No"));
    /// ```
    pub fn internal(error: impl Into<Box<dyn StdError + Send + Sync + 'static>>) -> Self {
        Self::classify(error.into())
    }

    /// An `anyhow::Error`: a rejection when a [`Reject`] is anywhere in it (the error
    /// itself, the context given to it, or an error it has context for), an internal
    /// failure otherwise. Handlers
    /// returning `anyhow::Result` get this without calling it.
    ///
    /// ```
    /// use anyhow::Context as _;
    /// use cognito_trigger::{Reject, TriggerError};
    ///
    /// let refused = TriggerError::from_anyhow(Reject::new("Sign-up is closed").into());
    /// assert_eq!(refused.rejection(), Some("Sign-up is closed"));
    /// let with_context = Err::<(), _>(Reject::new("Sign-up is closed")).context("invitations").unwrap_err();
    /// assert_eq!(TriggerError::from_anyhow(with_context).rejection(), Some("Sign-up is closed"));
    /// let as_context = None::<u8>.context(Reject::new("Use an email address")).unwrap_err();
    /// assert_eq!(TriggerError::from_anyhow(as_context).rejection(), Some("Use an email address"));
    /// assert_eq!(TriggerError::from_anyhow(anyhow::anyhow!("directory down")).rejection(), None);
    /// ```
    #[cfg(feature = "anyhow")]
    #[cfg_attr(docsrs, doc(cfg(feature = "anyhow")))]
    pub fn from_anyhow(error: anyhow::Error) -> Self {
        // A `Reject` given as context (`.context(Reject::new(..))`) is not in `chain()` as
        // itself, but anyhow's own downcast finds it.
        let reject = error
            .downcast_ref::<Reject>()
            .or_else(|| {
                error
                    .chain()
                    .find_map(|cause| cause.downcast_ref::<Reject>())
            })
            .cloned();
        match reject {
            Some(reject) => Self {
                repr: Repr::Reject(reject),
            },
            None => Self::internal(error),
        }
    }

    /// The end user's message, when this is a rejection.
    ///
    /// ```
    /// use cognito_trigger::{Reject, TriggerError};
    ///
    /// assert_eq!(TriggerError::from(Reject::new("Too many attempts")).rejection(), Some("Too many attempts"));
    /// assert_eq!(TriggerError::from(std::io::Error::other("disk full")).rejection(), None);
    /// ```
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

    /// The rejection, when this is one.
    pub(crate) fn as_reject(&self) -> Option<&Reject> {
        match &self.repr {
            Repr::Reject(reject) => Some(reject),
            Repr::Internal(_) => None,
        }
    }

    /// The error and its causes, outermost first, joined by `: `.
    pub(crate) fn chain(&self) -> String {
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
