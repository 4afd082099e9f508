//! Why an input is not a Cognito trigger event, in words an operator can act on.

/// Input that could not be decoded as a Cognito trigger event.
///
/// The message names the problem in plain words and, for a bad field, the field's path in
/// the event (`request.userAttributes`); it never shows serde's internals. Values from the
/// input that appear in a message are cut to a short prefix.
///
/// ```
/// use cognito_trigger::{decode, DecodeError};
///
/// let err = decode(br#"{"version":"1","request":{},"response":{}}"#).unwrap_err();
/// assert_eq!(err, DecodeError::MissingTriggerSource);
/// assert_eq!(err.to_string(), "missing triggerSource");
///
/// let err = decode(br#"{"triggerSource":"PreSignUp_SignUp","request":{"userAttributes":7}}"#)
///     .unwrap_err();
/// assert_eq!(
///     err.to_string(),
///     "invalid `request.userAttributes`: expected an object of strings, found number `7`"
/// );
/// ```
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DecodeError {
    /// The bytes are not a JSON document.
    #[error("the event is not valid JSON: {problem} (line {line}, column {column})")]
    NotJson {
        /// What the JSON parser found wrong.
        problem: String,
        /// 1-based line of the problem.
        line: usize,
        /// 1-based column of the problem.
        column: usize,
    },
    /// Valid JSON, but not an object.
    #[error("the event is not a JSON object")]
    NotAnObject,
    /// More bytes than Lambda accepts in a synchronous invocation.
    #[error("the event is {bytes} bytes, more than Lambda's limit of {limit} bytes")]
    TooLarge {
        /// The input's size.
        bytes: usize,
        /// The limit, [`MAX_EVENT_BYTES`].
        limit: usize,
    },
    /// Nested deeper than any Cognito event (or than the parser allows).
    #[error("the event is nested deeper than any Cognito event")]
    TooDeep,
    /// No `triggerSource` (or `null`), so the event cannot be routed.
    #[error("missing triggerSource")]
    MissingTriggerSource,
    /// A `triggerSource` that cannot be a Cognito value (they read `<Trigger>_<Source>`).
    #[error(
        "triggerSource `{0}` is not a Cognito trigger source (they look like `PreSignUp_SignUp`)"
    )]
    MalformedTriggerSource(String),
    /// The event belongs to another trigger than the one asked for.
    #[error("triggerSource `{found}` is not a {expected} event")]
    WrongTrigger {
        /// The trigger that was asked for, e.g. `pre sign-up`.
        expected: &'static str,
        /// The event's `triggerSource`.
        found: String,
    },
    /// A pre token generation event whose `version` is not the one asked for.
    #[error("pre token generation event has version `{found}`, not the {expected} version")]
    WrongVersion {
        /// The Lambda version that was asked for, e.g. `V2_0`.
        expected: &'static str,
        /// The event's `version`.
        found: String,
    },
    /// The event object itself is wrong, e.g. it gives `triggerSource` twice.
    #[error("invalid event: {problem}")]
    InvalidEvent {
        /// What is wrong, e.g. ``duplicate field `triggerSource` ``.
        problem: String,
    },
    /// A field holds a value of the wrong shape.
    #[error("invalid `{path}`: {problem}")]
    InvalidField {
        /// Where in the event, e.g. `request.session[0].challengeResult`.
        path: String,
        /// What is wrong, e.g. `expected a boolean, found string "yes"`.
        problem: String,
    },
}

/// The largest event accepted: Lambda's limit for a synchronous invocation's payload.
///
/// ```
/// use cognito_trigger::{decode, DecodeError, MAX_EVENT_BYTES};
///
/// let oversized = vec![b' '; MAX_EVENT_BYTES + 1];
/// assert_eq!(
///     decode(&oversized).unwrap_err(),
///     DecodeError::TooLarge { bytes: MAX_EVENT_BYTES + 1, limit: MAX_EVENT_BYTES },
/// );
/// ```
pub const MAX_EVENT_BYTES: usize = 6 * 1024 * 1024;

/// How much of an input value an error message may quote.
const QUOTE_LIMIT: usize = 64;

/// Cuts a value from the input to a short prefix for quoting in a message.
pub(crate) fn quote(value: &str) -> String {
    match value.char_indices().nth(QUOTE_LIMIT) {
        None => value.to_owned(),
        Some((cut, _)) => format!("{}…", &value[..cut]),
    }
}

/// Works out why `json` did not decode as a `T`, as a [`DecodeError`].
///
/// Only called after the fast decode failed: it decodes again while tracking the path.
/// `prefix` is where `json` sits in the whole event (`"request"`), empty for the event.
pub(crate) fn diagnose<'de, T>(json: &'de str, prefix: &str) -> DecodeError
where
    T: serde::Deserialize<'de>,
{
    diagnosis::<T>(json, prefix).unwrap_or_else(|| DecodeError::InvalidField {
        path: if prefix.is_empty() {
            ".".to_owned()
        } else {
            prefix.to_owned()
        },
        problem: "could not be decoded".to_owned(),
    })
}

/// What is wrong with `json` as a `T`, as [`diagnose`] says it; `None` when it decodes.
pub(crate) fn diagnosis<'de, T>(json: &'de str, prefix: &str) -> Option<DecodeError>
where
    T: serde::Deserialize<'de>,
{
    let mut deserializer = serde_json::Deserializer::from_str(json);
    serde_path_to_error::deserialize::<_, T>(&mut deserializer)
        .err()
        .map(|error| explain(&error, prefix))
}

/// A path-tracked decode error as a [`DecodeError`]: one copy for every type diagnosed.
fn explain(error: &serde_path_to_error::Error<serde_json::Error>, prefix: &str) -> DecodeError {
    let inner = error.inner();
    if inner.is_syntax() || inner.is_eof() {
        return not_json(inner);
    }
    if crate::wire::is_too_deep(inner) {
        return DecodeError::TooDeep;
    }
    let path = error.path().to_string();
    let path = match (prefix.is_empty(), path.as_str()) {
        // A problem of the event object itself, such as a key given twice.
        (true, ".") => {
            return DecodeError::InvalidEvent {
                problem: plain_problem(inner),
            };
        }
        (true, p) => p.to_owned(),
        (false, ".") => prefix.to_owned(),
        (false, p) => format!("{prefix}.{p}"),
    };
    DecodeError::InvalidField {
        path,
        problem: plain_problem(inner),
    }
}

/// Classifies bytes that failed to decode as a whole event of type `T`.
pub(crate) fn diagnose_event<'de, T: serde::Deserialize<'de>>(bytes: &'de [u8]) -> DecodeError {
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text,
        Err(_) => {
            return match serde_json::from_slice::<serde::de::IgnoredAny>(bytes) {
                Err(e) => not_json(&e),
                Ok(_) => DecodeError::NotJson {
                    problem: "invalid UTF-8".to_owned(),
                    line: 1,
                    column: 1,
                },
            };
        }
    };
    if let Err(e) = serde_json::from_str::<serde::de::IgnoredAny>(text) {
        return not_json(&e);
    }
    if !text.trim_start().starts_with('{') {
        return DecodeError::NotAnObject;
    }
    diagnose::<T>(text, "")
}

fn not_json(error: &serde_json::Error) -> DecodeError {
    // serde_json stops at 128 levels to protect the stack; no Cognito event nests past 6.
    if error.to_string().starts_with("recursion limit exceeded") {
        return DecodeError::TooDeep;
    }
    DecodeError::NotJson {
        problem: strip_position(&error.to_string()).to_owned(),
        line: error.line(),
        column: error.column(),
    }
}

/// serde_json appends " at line L column C" to every message; the path says more.
fn strip_position(message: &str) -> &str {
    match message.rfind(" at line ") {
        Some(index) => &message[..index],
        None => message,
    }
}

/// Rewrites serde's "invalid type: X, expected Y" as "expected Y, found X", in JSON's
/// words rather than serde's data model ("a list", not "sequence").
fn plain_problem(error: &serde_json::Error) -> String {
    let message = error.to_string();
    let message = strip_position(&message);
    for prefix in ["invalid type: ", "invalid value: "] {
        if let Some((found, expected)) = message
            .strip_prefix(prefix)
            .and_then(|rest| rest.split_once(", expected "))
        {
            return format!("expected {expected}, found {}", json_words(found));
        }
    }
    message.to_owned()
}

/// serde's names for what it found (`serde::de::Unexpected`), in JSON's words.
fn json_words(found: &str) -> String {
    let renamed = [
        ("unit value", "null"),
        ("sequence", "a list"),
        ("map", "an object"),
        ("floating point ", "number "),
        ("integer ", "number "),
    ];
    for (serde_word, json_word) in renamed {
        if let Some(rest) = found.strip_prefix(serde_word) {
            return format!("{json_word}{rest}");
        }
    }
    found.to_owned()
}
