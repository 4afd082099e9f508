//! `RawJson`: a value kept as its exact input text.

use std::fmt;

use serde::de::{self, Deserializer};
use serde::ser::{Serialize, Serializer};
use serde_json::value::RawValue;

use super::{WireDecode, WireField};

/// A JSON value kept as the exact text it had in the input, borrowed from it.
///
/// Compares equal by text. Dereferences to serde_json's [`RawValue`], whose
/// [`get`](RawValue::get) gives the text.
///
/// ```
/// use cognito_trigger::RawEvent;
///
/// let raw = RawEvent::parse(br#"{"triggerSource":"PreSignUp_SignUp","request":{ "userAttributes": {} }}"#)?;
/// let request = raw.request.unwrap();
/// assert_eq!(request.get(), r#"{ "userAttributes": {} }"#);
/// assert_eq!(format!("{request:?}"), "RawJson(24 bytes)");
/// Ok::<(), cognito_trigger::DecodeError>(())
/// ```
#[derive(Clone, Copy)]
pub struct RawJson<'a>(pub &'a RawValue);

impl std::ops::Deref for RawJson<'_> {
    type Target = RawValue;
    fn deref(&self) -> &RawValue {
        self.0
    }
}

impl PartialEq for RawJson<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.0.get() == other.0.get()
    }
}

impl fmt::Debug for RawJson<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Raw parts of an event may hold secrets: say how big, never what.
        write!(f, "RawJson({} bytes)", self.0.get().len())
    }
}

impl<'de> WireDecode<'de> for RawJson<'de> {
    fn decode<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        <&'de RawValue as de::Deserialize<'de>>::deserialize(deserializer).map(RawJson)
    }
}

impl WireField for RawJson<'_> {
    fn is_unset(&self) -> bool {
        false
    }
}

impl Serialize for RawJson<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(serializer)
    }
}
