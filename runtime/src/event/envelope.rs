//! What every event shares: `version`, `callerContext`, and [`RawEvent`], the envelope
//! decoded with `request` and `response` still raw.

use std::borrow::Cow;
use std::fmt;
use std::sync::LazyLock;

use memchr::memmem::Finder;
use serde::Serialize;
use serde::de::{self, DeserializeSeed as _, Deserializer, Visitor};
use serde::ser::Serializer;

use crate::error::{DecodeError, MAX_EVENT_BYTES, diagnose_event, quote};
use crate::table::TriggerKind;
use crate::wire::{RawJson, StrSeed, Wire, WireDecode, WireField, wire_struct};

/// The event's `version`: the schema version of the event, not your function's version.
///
/// `"1"` for every trigger except pre token generation, which sends `"2"` for `V2_0` and
/// `"3"` for `V3_0`. Some AWS test events send a number, so a number is accepted too and
/// written back as a number.
///
/// ```
/// use cognito_trigger::EventVersion;
///
/// assert_eq!(EventVersion::new("2").as_str(), "2");
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EventVersion<'a> {
    text: Cow<'a, str>,
    form: VersionForm,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
enum VersionForm {
    #[default]
    Absent,
    String,
    Number,
}

impl<'a> EventVersion<'a> {
    /// A version sent as a string.
    ///
    /// ```
    /// use cognito_trigger::EventVersion;
    ///
    /// let version = EventVersion::new("1");
    /// assert_eq!(version.as_str(), "1");
    /// assert!(!version.is_number());
    /// ```
    pub fn new(text: impl Into<Cow<'a, str>>) -> Self {
        Self {
            text: text.into(),
            form: VersionForm::String,
        }
    }

    /// The version as text (`"1"`), whether it came as a string or a number; `""` when the
    /// event had none.
    ///
    /// ```
    /// use cognito_trigger::RawEvent;
    ///
    /// let raw = RawEvent::parse(br#"{"version":2,"triggerSource":"TokenGeneration_Authentication"}"#)?;
    /// assert_eq!(raw.version.as_str(), "2");
    /// assert_eq!(RawEvent::parse(br#"{"triggerSource":"PreSignUp_SignUp"}"#)?.version.as_str(), "");
    /// Ok::<(), cognito_trigger::DecodeError>(())
    /// ```
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Whether the event sent the version as a JSON number.
    ///
    /// ```
    /// use cognito_trigger::RawEvent;
    ///
    /// let raw = RawEvent::parse(br#"{"version":1,"triggerSource":"PreSignUp_SignUp"}"#)?;
    /// assert!(raw.version.is_number());
    /// assert_eq!(raw.version.as_str(), "1");
    /// Ok::<(), cognito_trigger::DecodeError>(())
    /// ```
    #[must_use]
    pub fn is_number(&self) -> bool {
        self.form == VersionForm::Number
    }

    /// A copy free of the input's lifetime.
    ///
    /// ```
    /// use cognito_trigger::EventVersion;
    ///
    /// let text = String::from("3");
    /// let owned: EventVersion<'static> = EventVersion::new(text.as_str()).into_owned();
    /// drop(text);
    /// assert_eq!(owned, EventVersion::new("3"));
    /// ```
    #[must_use]
    pub fn into_owned(self) -> EventVersion<'static> {
        EventVersion {
            text: Cow::Owned(self.text.into_owned()),
            form: self.form,
        }
    }
}

impl fmt::Display for EventVersion<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(&self.text)
    }
}

struct VersionVisitor;

impl<'de> Visitor<'de> for VersionVisitor {
    type Value = EventVersion<'de>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string or a number")
    }
    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(EventVersion {
            text: Cow::Borrowed(v),
            form: VersionForm::String,
        })
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(EventVersion {
            text: Cow::Owned(v.to_owned()),
            form: VersionForm::String,
        })
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        Ok(EventVersion {
            text: Cow::Owned(v.to_string()),
            form: VersionForm::Number,
        })
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Ok(EventVersion {
            text: Cow::Owned(v.to_string()),
            form: VersionForm::Number,
        })
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        Ok(EventVersion {
            text: Cow::Owned(v.to_string()),
            form: VersionForm::Number,
        })
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(EventVersion::default())
    }
}

impl<'de> WireDecode<'de> for EventVersion<'de> {
    fn decode<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(VersionVisitor)
    }
}

impl WireField for EventVersion<'_> {
    fn is_unset(&self) -> bool {
        self.form == VersionForm::Absent
    }
}

impl Serialize for EventVersion<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self.form {
            VersionForm::Absent => serializer.serialize_unit(),
            VersionForm::String => serializer.serialize_str(&self.text),
            VersionForm::Number => match (self.text.parse::<u64>(), self.text.parse::<i64>()) {
                (Ok(n), _) => serializer.serialize_u64(n),
                (_, Ok(n)) => serializer.serialize_i64(n),
                _ => serializer.serialize_f64(self.text.parse::<f64>().unwrap_or(f64::NAN)),
            },
        }
    }
}

// ---------------------------------------------------------------------------------------

/// The literal `clientId` Cognito sends when an admin operation ran without an app client.
///
/// ```
/// use cognito_trigger::{CallerContext, CLIENT_ID_NOT_APPLICABLE};
///
/// let mut admin = CallerContext::default();
/// admin.client_id = CLIENT_ID_NOT_APPLICABLE.into();
/// assert_eq!(admin.client_id, "CLIENT_ID_NOT_APPLICABLE");
/// assert_eq!(admin.app_client_id(), None);
/// ```
pub const CLIENT_ID_NOT_APPLICABLE: &str = "CLIENT_ID_NOT_APPLICABLE";

wire_struct! {
    /// Who called Cognito: `callerContext`.
    ///
    /// ```
    /// use cognito_trigger::PostConfirmationEvent;
    ///
    /// let event = PostConfirmationEvent::from_slice(br#"{"version":"1",
    ///   "triggerSource":"PostConfirmation_ConfirmSignUp",
    ///   "callerContext":{"awsSdkVersion":"aws-sdk-unknown-unknown","clientId":"1example"},
    ///   "request":{},"response":{}}"#)?;
    /// assert_eq!(event.caller_context.aws_sdk_version, "aws-sdk-unknown-unknown");
    /// assert_eq!(event.caller_context.client_id, "1example");
    /// Ok::<(), cognito_trigger::DecodeError>(())
    /// ```
    pub struct CallerContext<'a> {
        /// The caller's SDK user-agent fragment, e.g. `aws-sdk-unknown-unknown`. For logs.
        "awsSdkVersion" => aws_sdk_version: Cow<'a, str>,
        /// The app client ID, or [`CLIENT_ID_NOT_APPLICABLE`] for admin operations made
        /// without one. Prefer [`CallerContext::app_client_id`].
        "clientId" => client_id: Cow<'a, str>,
    }
}

impl CallerContext<'_> {
    /// The app client that made the call, or `None` when there was none (an admin
    /// operation: Cognito sends `CLIENT_ID_NOT_APPLICABLE`, or an emulator sends nothing).
    ///
    /// ```
    /// use cognito_trigger::CallerContext;
    ///
    /// let mut caller = CallerContext::default();
    /// caller.client_id = "CLIENT_ID_NOT_APPLICABLE".into();
    /// assert_eq!(caller.app_client_id(), None);
    /// caller.client_id = "1example23456789".into();
    /// assert_eq!(caller.app_client_id(), Some("1example23456789"));
    /// ```
    #[must_use]
    pub fn app_client_id(&self) -> Option<&str> {
        match self.client_id.as_ref() {
            "" | CLIENT_ID_NOT_APPLICABLE => None,
            id => Some(id),
        }
    }
}

wire_struct! {
    /// An event with its envelope decoded and its `request` and `response` still raw JSON.
    ///
    /// The first step of every decode: enough to route an event (by `triggerSource` and,
    /// for pre token generation, `version`) before paying for the trigger-specific parts.
    ///
    /// ```
    /// use cognito_trigger::{RawEvent, TriggerKind};
    ///
    /// let raw = RawEvent::parse(br#"{"version":"2","triggerSource":"TokenGeneration_Authentication",
    ///     "request":{},"response":{}}"#)?;
    /// assert_eq!(raw.kind()?, Some(TriggerKind::PreTokenGenerationV2));
    /// Ok::<(), cognito_trigger::DecodeError>(())
    /// ```
    pub struct RawEvent<'a> {
        /// The event schema version.
        "version" => version: EventVersion<'a>,
        /// The `triggerSource`, if the event had one.
        "triggerSource" => trigger_source: Option<Cow<'a, str>>,
        /// The AWS region of the user pool.
        "region" => region: Cow<'a, str>,
        /// The user pool ID.
        "userPoolId" => user_pool_id: Cow<'a, str>,
        /// The user's username.
        "userName" => user_name: Cow<'a, str>,
        /// Who called Cognito.
        "callerContext" => caller_context: CallerContext<'a>,
        /// The trigger-specific request, undecoded.
        "request" => request: Option<RawJson<'a>>,
        /// The response as Cognito pre-filled it, undecoded.
        "response" => response: Option<RawJson<'a>>,
    }
}

impl<'a> RawEvent<'a> {
    /// Decodes the envelope of an event, leaving `request` and `response` raw.
    ///
    /// ```
    /// use cognito_trigger::{DecodeError, RawEvent};
    ///
    /// let raw = RawEvent::parse(br#"{"triggerSource":"PreSignUp_SignUp","userName":"ada",
    ///   "request":{"userAttributes":{}}}"#)?;
    /// assert_eq!(raw.user_name, "ada");
    /// assert_eq!(raw.request.unwrap().get(), r#"{"userAttributes":{}}"#);
    /// assert_eq!(RawEvent::parse(b"[]").unwrap_err(), DecodeError::NotAnObject);
    /// Ok::<(), cognito_trigger::DecodeError>(())
    /// ```
    ///
    /// # Errors
    /// When the bytes are not JSON, not an object, or an envelope field has the wrong shape.
    pub fn parse(bytes: &'a [u8]) -> Result<Self, DecodeError> {
        if bytes.len() > MAX_EVENT_BYTES {
            return Err(DecodeError::TooLarge {
                bytes: bytes.len(),
                limit: MAX_EVENT_BYTES,
            });
        }
        // Nested objects may be `null` or `[]` (Cognito's "nothing"); the event itself may not.
        let first = bytes.iter().find(|b| !b.is_ascii_whitespace());
        if first != Some(&b'{') {
            return Err(diagnose_event::<RawEvent<'_>>(bytes));
        }
        serde_json::from_slice(bytes).map_err(|_| diagnose_event::<RawEvent<'_>>(bytes))
    }

    /// The `triggerSource`.
    ///
    /// ```
    /// use cognito_trigger::{DecodeError, RawEvent};
    ///
    /// let raw = RawEvent::parse(br#"{"version":"1","triggerSource":"PreSignUp_SignUp"}"#)?;
    /// assert_eq!(raw.trigger_source()?, "PreSignUp_SignUp");
    /// let unrouted = RawEvent::parse(br#"{"version":"1"}"#)?;
    /// assert_eq!(unrouted.trigger_source(), Err(DecodeError::MissingTriggerSource));
    /// Ok::<(), cognito_trigger::DecodeError>(())
    /// ```
    ///
    /// # Errors
    /// [`DecodeError::MissingTriggerSource`] when the event has none.
    pub fn trigger_source(&self) -> Result<&str, DecodeError> {
        self.trigger_source
            .as_deref()
            .ok_or(DecodeError::MissingTriggerSource)
    }

    /// Which trigger the event belongs to; `None` for a well-formed trigger source (or pre
    /// token generation version) that this version of the crate does not know.
    ///
    /// ```
    /// use cognito_trigger::{RawEvent, TriggerKind};
    ///
    /// let raw = RawEvent::parse(br#"{"version":"1","triggerSource":"CustomMessage_SignUp"}"#)?;
    /// assert_eq!(raw.kind()?, Some(TriggerKind::CustomMessage));
    /// let newer = RawEvent::parse(br#"{"version":"1","triggerSource":"NewTrigger_Something"}"#)?;
    /// assert_eq!(newer.kind()?, None);
    /// Ok::<(), cognito_trigger::DecodeError>(())
    /// ```
    ///
    /// # Errors
    /// When `triggerSource` is missing or cannot be a Cognito value.
    pub fn kind(&self) -> Result<Option<TriggerKind>, DecodeError> {
        TriggerKind::classify(self.trigger_source()?, &self.version)
    }
}

/// What routes an event, read from its head: `version` and `triggerSource`.
///
/// The contract promises no key order. AWS's example events (the peer fixtures) put both
/// first, and then reading them and stopping there routes an event without a scan of its
/// request; the handler's decode then reads the whole event once
/// ([`Event::decode_in_one_pass`](super::Event)). [`RawEvent::parse`] is the slow path:
/// it checks the whole envelope, and says what is wrong with an event that is not one.
///
/// An event whose head is not in front (cognito-local sorts the keys, so `version` comes
/// last) has it *guessed*: the first `"triggerSource":` and `"version":` in the text are
/// taken, which may be keys of a nested object (a client's `clientMetadata`). A guessed
/// head is only a route: the one-pass decode confirms it from the event's own keys, and an
/// event that does not confirm it is routed again by the slow path.
#[derive(Debug)]
pub(crate) struct Head<'a> {
    pub(crate) version: EventVersion<'a>,
    pub(crate) trigger_source: Cow<'a, str>,
    /// Read from the text instead of from the object's keys: to be confirmed.
    pub(crate) guessed: bool,
}

impl<'a> Head<'a> {
    /// The head of `bytes`, or `None` when it has no string `triggerSource` or is not a
    /// JSON object as far as it was read. Nothing after the head is checked here.
    pub(crate) fn peek(bytes: &'a [u8]) -> Option<Self> {
        if bytes.len() > MAX_EVENT_BYTES {
            return None;
        }
        let mut found = FoundHead::default();
        let mut deserializer = serde_json::Deserializer::from_slice(bytes);
        let read = de::Deserializer::deserialize_map(&mut deserializer, HeadVisitor(&mut found));
        // Stopping early leaves the object open, which serde_json reports as an error;
        // what was read before the stop stands.
        if read.is_err() && found.stopped_at.is_none() {
            return None;
        }
        if found.stopped_at == Some(Stop::OtherKey) {
            // Not in front: what is missing is guessed from the text.
            let trigger_source = match found.trigger_source {
                Some(source) => source,
                None => guess::<Cow<'a, str>>(bytes, &TRIGGER_SOURCE_KEY)??,
            };
            let version = match found.version {
                Some(version) => version,
                None => guess::<EventVersion<'a>>(bytes, &VERSION_KEY)
                    .unwrap_or_default()
                    .unwrap_or_default(),
            };
            return Some(Head {
                version,
                trigger_source,
                guessed: true,
            });
        }
        Some(Head {
            version: found.version.unwrap_or_default(),
            trigger_source: found.trigger_source?,
            guessed: false,
        })
    }

    /// The head of an envelope decoded whole: read, not guessed.
    pub(crate) fn read<'r>(raw: &'r RawEvent<'_>) -> Head<'r> {
        Head {
            version: raw.version.clone(),
            trigger_source: Cow::Borrowed(raw.trigger_source.as_deref().unwrap_or_default()),
            guessed: false,
        }
    }

    /// Why a decode routed by a head that was read (not guessed) always answers.
    pub(crate) const READ_IS_CONFIRMED: &'static str =
        "only a guessed head goes unconfirmed; this one was read from the envelope";

    /// As [`RawEvent::kind`].
    pub(crate) fn kind(&self) -> Result<Option<TriggerKind>, DecodeError> {
        TriggerKind::classify(&self.trigger_source, &self.version)
    }

    /// Whether an event's own `version` and `triggerSource` are this head's.
    pub(crate) fn confirmed_by(&self, version: &EventVersion<'_>, trigger_source: &str) -> bool {
        self.version == *version && self.trigger_source == trigger_source
    }
}

/// Searchers for the head's keys, with their quotes, built once (building one costs more
/// than a search through an event).
static TRIGGER_SOURCE_KEY: LazyLock<Finder<'static>> =
    LazyLock::new(|| Finder::new(b"\"triggerSource\""));
static VERSION_KEY: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new(b"\"version\""));

/// The value after the first `key` followed by a colon in `bytes`: `None` when there is no
/// such key, `Some(None)` when its value is not a `V`.
fn guess<'a, V: WireDecode<'a>>(bytes: &'a [u8], key: &Finder<'_>) -> Option<Option<V>> {
    for at in key.find_iter(bytes) {
        let after = &bytes[at + key.needle().len()..];
        let Some(colon) = after.iter().position(|b| !b.is_ascii_whitespace()) else {
            continue;
        };
        if after[colon] != b':' {
            continue;
        }
        let mut deserializer = serde_json::Deserializer::from_slice(&after[colon + 1..]);
        return Some(
            Wire::<Option<V>>::new()
                .deserialize(&mut deserializer)
                .ok()
                .flatten(),
        );
    }
    None
}

#[derive(Default)]
struct FoundHead<'a> {
    version: Option<EventVersion<'a>>,
    trigger_source: Option<Cow<'a, str>>,
    stopped_at: Option<Stop>,
}

/// Why [`HeadVisitor`] stopped before the end of the object.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Stop {
    /// It has both.
    Head,
    /// A key of neither came first: the rest is guessed.
    OtherKey,
}

struct HeadVisitor<'f, 'a>(&'f mut FoundHead<'a>);

impl<'a> Visitor<'a> for HeadVisitor<'_, 'a> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object")
    }
    fn visit_map<A: de::MapAccess<'a>>(self, mut map: A) -> Result<(), A::Error> {
        let found = self.0;
        while let Some(key) = map.next_key_seed(StrSeed)? {
            match &*key {
                // The first of each counts; a repeated key fails the full decode later.
                "version" if found.version.is_none() => {
                    let version = map.next_value_seed(Wire::<Option<EventVersion<'a>>>::new())?;
                    found.version = Some(version.unwrap_or_default());
                }
                "triggerSource" if found.trigger_source.is_none() => {
                    match map.next_value_seed(Wire::<Option<Cow<'a, str>>>::new())? {
                        Some(source) => found.trigger_source = Some(source),
                        None => return Ok(()),
                    }
                }
                _ => {
                    found.stopped_at = Some(Stop::OtherKey);
                    return Ok(());
                }
            }
            if found.version.is_some() && found.trigger_source.is_some() {
                found.stopped_at = Some(Stop::Head);
                return Ok(());
            }
        }
        Ok(())
    }
}

/// The longest `triggerSource` accepted; Cognito's longest is 45 characters.
const MAX_TRIGGER_SOURCE_LEN: usize = 128;

// Classifying by the table's `source_prefix` and `event_versions` columns is the event
// layer's work: the table sits below it and knows nothing of events.
impl TriggerKind {
    /// Which trigger a `triggerSource` (and, for pre token generation, a `version`)
    /// names. `None` for a well-formed value this version of the crate does not know.
    ///
    /// Cognito's values read `<Trigger>_<Source>` in ASCII letters and digits; anything
    /// else cannot be a Cognito event and is an error. Where several kinds share a prefix
    /// (pre token generation), `version` picks one: `"2"` is V2_0, `"3"` V3_0, and `"1"`
    /// (or none) V1_0. `"0"` is also V1_0: the cognito-local emulator sends `"0"` with the
    /// V1_0 shape.
    ///
    /// ```
    /// use cognito_trigger::{EventVersion, TriggerKind};
    ///
    /// let v1 = EventVersion::new("1");
    /// assert_eq!(TriggerKind::classify("PreSignUp_SignUp", &v1)?, Some(TriggerKind::PreSignUp));
    /// assert_eq!(TriggerKind::classify("PreSignUp_Tomorrow", &v1)?, Some(TriggerKind::PreSignUp));
    /// assert_eq!(TriggerKind::classify("NewTrigger_Something", &v1)?, None);
    /// assert_eq!(
    ///     TriggerKind::classify("TokenGeneration_ClientCredentials", &EventVersion::new("3"))?,
    ///     Some(TriggerKind::PreTokenGenerationV3),
    /// );
    /// assert!(TriggerKind::classify("PreTokenGen", &v1).is_err());
    /// Ok::<(), cognito_trigger::DecodeError>(())
    /// ```
    ///
    /// # Errors
    /// [`DecodeError::MalformedTriggerSource`] for a value that cannot be Cognito's.
    pub fn classify(
        trigger_source: &str,
        version: &EventVersion<'_>,
    ) -> Result<Option<TriggerKind>, DecodeError> {
        let malformed = || DecodeError::MalformedTriggerSource(quote(trigger_source));
        if trigger_source.len() > MAX_TRIGGER_SOURCE_LEN
            || !trigger_source
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_')
        {
            return Err(malformed());
        }
        let Some((prefix, suffix)) = trigger_source.split_once('_') else {
            return Err(malformed());
        };
        if prefix.is_empty() || suffix.is_empty() {
            return Err(malformed());
        }
        Ok(Self::ALL
            .iter()
            .copied()
            .find(|kind| kind.source_prefix() == prefix && kind.accepts_version(version.as_str())))
    }
}
