//! The common envelope every trigger event shares, and the [`Trigger`] trait that gives it
//! a request, a response and a set of trigger sources.

use std::borrow::Cow;
use std::fmt;

use serde::de::{self, Deserializer, Visitor};
use serde::ser::{SerializeMap, Serializer};
use serde::{Deserialize, Serialize};

use crate::error::{DecodeError, MAX_EVENT_BYTES, diagnose, diagnose_event, quote};
use crate::kind::TriggerKind;
use crate::wire::{Overlay, RawJson, UnknownFields, WireDecode, WireField, wire_struct};

/// A Cognito trigger: the marker type that picks an [`Event`]'s request, response and
/// trigger-source types. One marker exists per trigger and per pre token generation
/// version; see [`TriggerKind`] for the list.
///
/// The trait is sealed: the set of triggers is Cognito's, not ours to extend.
pub trait Trigger: Sized + 'static + private::Sealed {
    /// Which trigger this is.
    const KIND: TriggerKind;
    /// The trigger's `triggerSource` values.
    type Source: TriggerSource;
    /// The trigger-specific `request` object, borrowing from the input.
    type Request<'a>: WireDecode<'a>
        + WireField
        + Deserialize<'a>
        + Serialize
        + Clone
        + fmt::Debug
        + Default
        + PartialEq
        + Send
        + Sync;
    /// The trigger-specific `response` object.
    type Response: de::DeserializeOwned
        + Overlay
        + WireField
        + Serialize
        + Clone
        + fmt::Debug
        + Default
        + PartialEq
        + Send
        + Sync;

    /// Fills in what Cognito must not be left to guess once the handler has answered
    /// (contract 17.3): define auth challenge fails closed, verify auth challenge reads an
    /// unset verdict as wrong, inbound federation sends `{}` ("keep every attribute").
    /// Every other trigger keeps Cognito's defaults.
    fn settle(_response: &mut Self::Response) {}

    /// The secrets the request carries (the migration password, a sender's code), so the
    /// framework can keep them out of everything it logs.
    fn secrets<'r>(_request: &'r Self::Request<'_>) -> Vec<&'r str> {
        Vec::new()
    }
}

pub(crate) mod private {
    pub trait Sealed {}
}

/// The `triggerSource` values of one trigger: documented values as variants, anything
/// else (a value Cognito adds later) kept as `Other`.
pub trait TriggerSource:
    Clone + fmt::Debug + PartialEq + Serialize + Send + Sync + 'static
{
    /// How many documented values there are (at most 16).
    const COUNT: usize;
    /// Reads a `triggerSource` of this trigger.
    fn parse(value: &str) -> Self;
    /// The value as it appears on the wire.
    fn as_str(&self) -> &str;
    /// Its position among the documented values; `None` for one this crate does not know.
    fn position(&self) -> Option<usize>;
    /// The documented value at `position`, as it appears on the wire.
    fn known_name(position: usize) -> Option<&'static str>;
}

// ---------------------------------------------------------------------------------------

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
    pub fn new(text: impl Into<Cow<'a, str>>) -> Self {
        Self {
            text: text.into(),
            form: VersionForm::String,
        }
    }

    /// The version as text (`"1"`), whether it came as a string or a number; `""` when the
    /// event had none.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Whether the event sent the version as a JSON number.
    #[must_use]
    pub fn is_number(&self) -> bool {
        self.form == VersionForm::Number
    }

    /// A copy free of the input's lifetime.
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
pub const CLIENT_ID_NOT_APPLICABLE: &str = "CLIENT_ID_NOT_APPLICABLE";

wire_struct! {
    /// Who called Cognito: `callerContext`.
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
    /// let admin = CallerContext { client_id: "CLIENT_ID_NOT_APPLICABLE".into(), ..Default::default() };
    /// assert_eq!(admin.app_client_id(), None);
    /// let app = CallerContext { client_id: "1example23456789".into(), ..Default::default() };
    /// assert_eq!(app.app_client_id(), Some("1example23456789"));
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
    /// # Ok::<(), cognito_trigger::DecodeError>(())
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
    /// # Errors
    /// When `triggerSource` is missing or cannot be a Cognito value.
    pub fn kind(&self) -> Result<Option<TriggerKind>, DecodeError> {
        TriggerKind::classify(self.trigger_source()?, &self.version)
    }
}

// ---------------------------------------------------------------------------------------

/// A Cognito trigger event: the common envelope, shared by every trigger, with the
/// trigger's own `request` and `response`.
///
/// `T` is the trigger ([`crate::PreSignUp`], [`crate::PreTokenGenerationV2`], ...); each
/// has an alias such as [`crate::PreSignUpEvent`]. Strings borrow from the input bytes.
/// Fields Cognito adds later are kept in `unknown_fields` (here and in every nested
/// object) and written back when the event is encoded.
///
/// ```
/// use cognito_trigger::{PreSignUpEvent, PreSignUpSource};
///
/// let bytes = br#"{"version":"1","triggerSource":"PreSignUp_SignUp","region":"eu-west-1",
///   "userPoolId":"eu-west-1_EXAMPLE","userName":"ada",
///   "callerContext":{"awsSdkVersion":"aws-sdk-unknown-unknown","clientId":"1example"},
///   "request":{"userAttributes":{"email":"ada@example.com"},"validationData":null},
///   "response":{"autoConfirmUser":false,"autoVerifyEmail":false,"autoVerifyPhone":false}}"#;
/// let event = PreSignUpEvent::from_slice(bytes)?;
/// assert_eq!(event.trigger_source, PreSignUpSource::SignUp);
/// assert_eq!(event.request.user_attributes.get("email"), Some("ada@example.com"));
/// assert_eq!(event.response.auto_confirm_user, Some(false));
/// # Ok::<(), cognito_trigger::DecodeError>(())
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct Event<'a, T: Trigger> {
    /// The event schema version (`"1"`, or `"2"`/`"3"` for pre token generation V2/V3).
    pub version: EventVersion<'a>,
    /// Why Cognito invoked the trigger.
    pub trigger_source: T::Source,
    /// The AWS region of the user pool, e.g. `us-east-1`.
    pub region: Cow<'a, str>,
    /// The user pool ID, e.g. `us-east-1_EXAMPLE`.
    pub user_pool_id: Cow<'a, str>,
    /// The username stored in the pool: a UUID in pools that sign in by email or phone,
    /// `<Provider>_<id>` for federated users, what the user typed for user migration.
    /// Not a stable key (use the `sub` attribute). `""` if the event had none.
    pub user_name: Cow<'a, str>,
    /// Who called Cognito.
    pub caller_context: CallerContext<'a>,
    /// The trigger-specific request.
    pub request: T::Request<'a>,
    /// The response as Cognito pre-filled it.
    pub response: T::Response,
    /// Top-level fields this version of the crate does not model, written back unchanged.
    pub unknown_fields: UnknownFields<'a>,
}

impl<'a, T: Trigger> Event<'a, T> {
    /// Decodes an event of trigger `T` from JSON bytes.
    ///
    /// # Errors
    /// When the bytes are not a Cognito event, or the event belongs to another trigger (or
    /// another pre token generation version). A `triggerSource` of this trigger that this
    /// version of the crate does not know decodes fine, as `Other`.
    pub fn from_slice(bytes: &'a [u8]) -> Result<Self, DecodeError> {
        Self::from_raw(RawEvent::parse(bytes)?)
    }

    /// Decodes the trigger-specific parts of an event whose envelope is already decoded.
    ///
    /// # Errors
    /// As for [`Event::from_slice`].
    pub fn from_raw(raw: RawEvent<'a>) -> Result<Self, DecodeError> {
        let source = raw.trigger_source()?;
        match TriggerKind::classify(source, &raw.version)? {
            Some(kind) if kind == T::KIND => Self::from_raw_unchecked(raw),
            Some(kind) if kind.source_prefix() == T::KIND.source_prefix() => {
                Err(DecodeError::WrongVersion {
                    expected: T::KIND.lambda_version().unwrap_or("V1_0"),
                    found: quote(raw.version.as_str()),
                })
            }
            _ => Err(DecodeError::WrongTrigger {
                expected: T::KIND.name(),
                found: quote(source),
            }),
        }
    }

    /// Decodes request and response once the caller has checked the trigger kind.
    pub(crate) fn from_raw_unchecked(raw: RawEvent<'a>) -> Result<Self, DecodeError> {
        let request = match raw.request {
            None => T::Request::default(),
            Some(json) => T::Request::decode(json.0)
                .map_err(|_| diagnose::<T::Request<'_>>(json.get(), "request"))?,
        };
        let response = match raw.response {
            None => T::Response::default(),
            Some(json) => serde_json::from_str(json.get())
                .map_err(|_| diagnose::<T::Response>(json.get(), "response"))?,
        };
        Ok(Self {
            trigger_source: T::Source::parse(raw.trigger_source.as_deref().unwrap_or_default()),
            version: raw.version,
            region: raw.region,
            user_pool_id: raw.user_pool_id,
            user_name: raw.user_name,
            caller_context: raw.caller_context,
            request,
            response,
            unknown_fields: raw.unknown_fields,
        })
    }

    /// Which trigger this event belongs to.
    #[must_use]
    pub fn kind(&self) -> TriggerKind {
        T::KIND
    }

    /// The event encoded as JSON, unknown fields included.
    #[must_use]
    pub fn to_json(&self) -> Vec<u8> {
        // Serializing these types cannot fail: every map key is a string and no value
        // is a float NaN (versions are kept as text).
        serde_json::to_vec(self).unwrap_or_default()
    }
}

impl<T: Trigger> Serialize for Event<'_, T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        // The envelope's presence bits were recorded by `RawEvent`, in its field order.
        fn write<M: SerializeMap, V: Serialize + WireField>(
            map: &mut M,
            wire: &UnknownFields<'_>,
            name: &'static str,
            value: &V,
        ) -> Result<(), M::Error> {
            wire.write_as(RawEvent::field_index(name), value.is_unset())
                .write(map, name, value)
        }
        let wire = &self.unknown_fields;
        let mut map = serializer.serialize_map(None)?;
        write(&mut map, wire, "version", &self.version)?;
        map.serialize_entry("triggerSource", self.trigger_source.as_str())?;
        write(&mut map, wire, "region", &self.region)?;
        write(&mut map, wire, "userPoolId", &self.user_pool_id)?;
        write(&mut map, wire, "userName", &self.user_name)?;
        write(&mut map, wire, "callerContext", &self.caller_context)?;
        write(&mut map, wire, "request", &self.request)?;
        write(&mut map, wire, "response", &self.response)?;
        wire.serialize_into(&mut map)?;
        map.end()
    }
}
