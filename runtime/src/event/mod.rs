//! The event model: the common envelope every trigger event shares, and [`Event`], which
//! gives it a trigger's own request and response through the [`Trigger`] trait.

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

use serde::Serialize;
use serde::de::{self, MapAccess, Visitor};
use serde::ser::{SerializeMap, Serializer};
use serde_json::value::RawValue;

use crate::error::{DecodeError, MAX_EVENT_BYTES, diagnose, diagnosis, quote};
use crate::table::TriggerKind;
use crate::wire::{RawJson, StrSeed, UnknownFields, Wire, WireDecode, WireField, check_nesting};

mod envelope;
mod trigger;

pub(crate) use envelope::Head;
pub use envelope::{CLIENT_ID_NOT_APPLICABLE, CallerContext, EventVersion, RawEvent};
pub(crate) use trigger::private;
pub use trigger::{Trigger, TriggerSource};

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
/// Ok::<(), cognito_trigger::DecodeError>(())
/// ```
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
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
    /// ```
    /// use cognito_trigger::{PreSignUpEvent, PreSignUpSource};
    ///
    /// let event = PreSignUpEvent::from_slice(br#"{"version":"1",
    ///   "triggerSource":"PreSignUp_AdminCreateUser","request":{},"response":{}}"#)?;
    /// assert_eq!(event.trigger_source, PreSignUpSource::AdminCreateUser);
    ///
    /// let other = br#"{"version":"1","triggerSource":"PostConfirmation_ConfirmSignUp"}"#;
    /// assert_eq!(
    ///     PreSignUpEvent::from_slice(other).unwrap_err().to_string(),
    ///     "triggerSource `PostConfirmation_ConfirmSignUp` is not a pre sign-up event",
    /// );
    /// Ok::<(), cognito_trigger::DecodeError>(())
    /// ```
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
    /// ```
    /// use cognito_trigger::{PreSignUpEvent, RawEvent, TriggerKind};
    ///
    /// let raw = RawEvent::parse(br#"{"version":"1","triggerSource":"PreSignUp_SignUp",
    ///   "request":{"userAttributes":{"email":"ada@example.com"}},"response":{}}"#)?;
    /// assert_eq!(raw.kind()?, Some(TriggerKind::PreSignUp));
    /// let event = PreSignUpEvent::from_raw(raw)?;
    /// assert_eq!(event.request.user_attributes.get("email"), Some("ada@example.com"));
    /// Ok::<(), cognito_trigger::DecodeError>(())
    /// ```
    ///
    /// # Errors
    /// As for [`Event::from_slice`].
    pub fn from_raw(raw: RawEvent<'a>) -> Result<Self, DecodeError> {
        is_of_kind(&raw, T::KIND)?;
        Self::from_raw_unchecked(raw)
    }

    /// Why an event routed to `T` did not decode in one pass ([`Event::decode_in_one_pass`]):
    /// what [`Event::from_raw`] would say is wrong with `raw`. Only the path-tracking decode
    /// that names the culprit runs (on the request, then the response), and what it decodes
    /// is dropped. The one pass takes every event the two steps take (tests hold the two
    /// equal on every bundled event and alike on refused and deeply nested ones; the
    /// fuzzing harness holds the refusals alike on mutated events), so a binary needs no
    /// second plain decoder of each trigger's event just to answer.
    pub(crate) fn refusal(raw: &RawEvent<'a>) -> DecodeError {
        if let Err(wrong_kind) = is_of_kind(raw, T::KIND) {
            return wrong_kind;
        }
        let request = raw
            .request
            .and_then(|json| diagnosis::<T::Request<'_>>(json.get(), "request"));
        let response = || {
            raw.response
                .and_then(|json| diagnosis::<T::Response>(json.get(), "response"))
        };
        request
            .or_else(response)
            .unwrap_or_else(|| DecodeError::InvalidEvent {
                problem: "could not be decoded".to_owned(),
            })
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

    /// The whole event in one scan of `bytes`, with the text of its `response` (where the
    /// answer is spliced in), for an event already routed to `T` by its [`Head`]. `None`
    /// when anything is off: [`RawEvent::parse`] and [`Event::refusal`] then say what is
    /// wrong ([`crate::decode`] falls back to the two steps). A head that was guessed is confirmed
    /// here: `None` also when the event's own `version` or `triggerSource` differ from it.
    ///
    /// The two steps read the request twice (skipped as raw JSON, then decoded); this
    /// reads it once, with the same field decoders, duplicate checks and presence bits, so
    /// the two give equal events (a test holds them equal on every bundled event).
    pub(crate) fn decode_in_one_pass(
        bytes: &'a [u8],
        head: &Head<'_>,
    ) -> Option<(Self, Option<RawJson<'a>>)> {
        if bytes.len() > MAX_EVENT_BYTES {
            return None;
        }
        // The text checked once, instead of each string as it is read; an event that is not
        // UTF-8 is refused, and `RawEvent::parse` says so.
        let text = std::str::from_utf8(bytes).ok()?;
        let mut deserializer = serde_json::Deserializer::from_str(text);
        let visitor = OnePass::<T> {
            head,
            trigger: PhantomData,
        };
        let decoded = de::Deserializer::deserialize_map(&mut deserializer, visitor).ok()?;
        deserializer.end().ok()?;
        debug_assert_eq!(
            TriggerKind::classify(decoded.0.trigger_source.as_str(), &decoded.0.version),
            Ok(Some(T::KIND))
        );
        Some(decoded)
    }

    /// Which trigger this event belongs to.
    ///
    /// ```
    /// use cognito_trigger::{PostConfirmationEvent, TriggerKind};
    ///
    /// let event = PostConfirmationEvent::from_slice(
    ///     br#"{"version":"1","triggerSource":"PostConfirmation_ConfirmSignUp","request":{},"response":{}}"#,
    /// )?;
    /// assert_eq!(event.kind(), TriggerKind::PostConfirmation);
    /// Ok::<(), cognito_trigger::DecodeError>(())
    /// ```
    #[must_use]
    pub fn kind(&self) -> TriggerKind {
        T::KIND
    }

    /// The event encoded as JSON, unknown fields included.
    ///
    /// ```
    /// use cognito_trigger::PreSignUpEvent;
    ///
    /// let bytes = br#"{"version":"1","triggerSource":"PreSignUp_SignUp","request":{},"response":{},"newField":[1]}"#;
    /// let event = PreSignUpEvent::from_slice(bytes)?;
    /// assert_eq!(event.to_json(), bytes.to_vec());
    /// Ok::<(), cognito_trigger::DecodeError>(())
    /// ```
    #[must_use]
    pub fn to_json(&self) -> Vec<u8> {
        // Serializing these types cannot fail: every map key is a string and no value
        // is a float NaN (versions are kept as text).
        serde_json::to_vec(self).unwrap_or_default()
    }
}

/// The visitor of [`Event::decode_in_one_pass`]: [`RawEvent`]'s, with the request decoded
/// where it stands instead of kept raw.
struct OnePass<'h, T> {
    /// The head the event was routed by, to be confirmed where it was guessed.
    head: &'h Head<'h>,
    trigger: PhantomData<fn() -> T>,
}

impl<'a, T: Trigger> Visitor<'a> for OnePass<'_, T> {
    type Value = (Event<'a, T>, Option<RawJson<'a>>);

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object")
    }

    fn visit_map<A: MapAccess<'a>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        /// One known field: refused when repeated, its presence (and `null`) recorded in
        /// `RawEvent`'s field order, as `RawEvent`'s own decoder does.
        fn known<'a, A: MapAccess<'a>, V: WireDecode<'a>>(
            map: &mut A,
            wire: &mut UnknownFields<'a>,
            name: &'static str,
            index: u32,
        ) -> Result<Option<V>, A::Error> {
            if wire.was_present(index) {
                return Err(de::Error::duplicate_field(name));
            }
            let value = map.next_value_seed(Wire::<Option<V>>::new())?;
            wire.record_known(index, value.is_none());
            Ok(value)
        }

        let mut wire = UnknownFields::default();
        macro_rules! field {
            ($name:literal) => {
                known(
                    &mut map,
                    &mut wire,
                    $name,
                    const { RawEvent::field_index($name) },
                )?
            };
        }
        let mut version = EventVersion::default();
        let mut trigger_source: Option<Cow<'a, str>> = None;
        let (mut region, mut user_pool_id, mut user_name) = Default::default();
        let mut caller_context = CallerContext::default();
        let mut request = T::Request::default();
        let mut response: Option<RawJson<'a>> = None;
        while let Some(key) = map.next_key_seed(StrSeed)? {
            match &*key {
                "version" => version = field!("version").unwrap_or_default(),
                "triggerSource" => trigger_source = field!("triggerSource"),
                "region" => region = field!("region").unwrap_or_default(),
                "userPoolId" => user_pool_id = field!("userPoolId").unwrap_or_default(),
                "userName" => user_name = field!("userName").unwrap_or_default(),
                "callerContext" => {
                    caller_context = field!("callerContext").unwrap_or_default();
                }
                "request" => request = field!("request").unwrap_or_default(),
                "response" => response = field!("response"),
                _ => {
                    let value: &'a RawValue = map.next_value()?;
                    check_nesting(value)?;
                    wire.push_borrowed(key, value);
                }
            }
        }
        if self.head.guessed
            && !self
                .head
                .confirmed_by(&version, trigger_source.as_deref().unwrap_or_default())
        {
            return Err(de::Error::custom("the guessed head is not the event's"));
        }
        let decided = match response {
            None => T::Response::default(),
            Some(json) => serde_json::from_str(json.get()).map_err(de::Error::custom)?,
        };
        let event = Event {
            trigger_source: T::Source::parse(trigger_source.as_deref().unwrap_or_default()),
            version,
            region,
            user_pool_id,
            user_name,
            caller_context,
            request,
            response: decided,
            unknown_fields: wire,
        };
        Ok((event, response))
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

/// `Ok` when `raw` is an event of `kind`; else which trigger, or which pre token generation
/// version, it is.
fn is_of_kind(raw: &RawEvent<'_>, kind: TriggerKind) -> Result<(), DecodeError> {
    let source = raw.trigger_source()?;
    match TriggerKind::classify(source, &raw.version)? {
        Some(found) if found == kind => Ok(()),
        Some(found) if found.source_prefix() == kind.source_prefix() => {
            Err(DecodeError::WrongVersion {
                expected: kind.lambda_version().unwrap_or("V1_0"),
                found: quote(raw.version.as_str()),
            })
        }
        _ => Err(DecodeError::WrongTrigger {
            expected: kind.name(),
            found: quote(source),
        }),
    }
}
