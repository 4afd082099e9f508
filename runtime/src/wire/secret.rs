//! `Secret`: passwords and codes that must never reach a log.

use std::borrow::Cow;
use std::fmt;

use serde::de::{DeserializeSeed as _, Deserializer};
use serde::ser::{Serialize, Serializer};

use super::{StrSeed, WireDecode, WireField};

/// A secret from the event: the user-migration password or a custom sender's encrypted
/// code (whose plaintext is a verification code or a temporary password).
///
/// `Debug` and `Display` print `[redacted]`, so an event can be logged with `{:?}` without
/// leaking it. Read the value with [`Secret::expose`], where you need it.
///
/// ```
/// use cognito_trigger::Secret;
///
/// let password = Secret::new("correct horse battery staple");
/// assert_eq!(format!("{password:?} {password}"), "Secret([redacted]) [redacted]");
/// assert_eq!(password.expose(), "correct horse battery staple");
/// ```
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Secret<'a>(Cow<'a, str>);

impl<'a> Secret<'a> {
    /// Wraps a secret value.
    ///
    /// ```
    /// use cognito_trigger::Secret;
    ///
    /// let code = Secret::new(String::from("AYADeD...encrypted"));
    /// assert_eq!(code.to_string(), "[redacted]");
    /// ```
    pub fn new(value: impl Into<Cow<'a, str>>) -> Self {
        Self(value.into())
    }

    /// The secret itself. Every read is visible at its call site.
    ///
    /// ```
    /// use cognito_trigger::Secret;
    ///
    /// assert_eq!(Secret::new("hunter2").expose(), "hunter2");
    /// ```
    #[must_use]
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// A copy free of the input's lifetime.
    ///
    /// ```
    /// use cognito_trigger::Secret;
    ///
    /// let text = String::from("hunter2");
    /// let owned: Secret<'static> = Secret::new(text.as_str()).into_owned();
    /// drop(text);
    /// assert_eq!(owned.expose(), "hunter2");
    /// ```
    #[must_use]
    pub fn into_owned(self) -> Secret<'static> {
        Secret(Cow::Owned(self.0.into_owned()))
    }
}

impl fmt::Debug for Secret<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret([redacted])")
    }
}

impl fmt::Display for Secret<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

impl<'de> WireDecode<'de> for Secret<'de> {
    fn decode<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        StrSeed.deserialize(deserializer).map(Secret)
    }
}

impl WireField for Secret<'_> {
    fn is_unset(&self) -> bool {
        self.0.is_empty()
    }
}

/// Encoding writes the real value: the event must go back to Cognito as it came.
impl Serialize for Secret<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}
