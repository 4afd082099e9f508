//! `UnknownFields`: what an object held beyond its known fields, and which known fields
//! were absent or `null`, so encoding gives back what came in.

use std::borrow::Cow;
use std::fmt;

use serde::ser::{Serialize, SerializeMap};
use serde_json::value::RawValue;

/// The fields of a JSON object that this crate does not model, kept as raw JSON.
///
/// Cognito adds fields without notice. They survive decoding here and are written back
/// unchanged, so a handler built today returns tomorrow's events intact.
///
/// ```
/// use cognito_trigger::{decode, AnyEvent};
///
/// let json = br#"{"version":"1","triggerSource":"PostConfirmation_ConfirmSignUp",
///   "region":"eu-west-1","userPoolId":"eu-west-1_abc","userName":"ada",
///   "callerContext":{"awsSdkVersion":"x","clientId":"c"},
///   "request":{"userAttributes":{},"brandNewField":{"a":1}},"response":{}}"#;
/// let AnyEvent::PostConfirmation(event) = decode(json)? else { unreachable!() };
/// assert_eq!(event.request.unknown_fields.get("brandNewField").unwrap().get(), r#"{"a":1}"#);
/// Ok::<(), cognito_trigger::DecodeError>(())
/// ```
///
/// It also remembers, for the object's known fields, which were in the input and which
/// were `null` there, so that encoding gives back `null` for `null` and leaves out what
/// was absent (Cognito sends both, and they do not always mean the same).
#[derive(Clone, Default)]
pub struct UnknownFields<'a> {
    entries: Vec<(Cow<'a, str>, Cow<'a, RawValue>)>,
    /// Bit `i`: known field `i` was in the input.
    present: u64,
    /// Bit `i`: known field `i` was `null` in the input.
    null: u64,
}

/// Equal when the same fields hold the same JSON text, in order. (Whether known fields
/// were absent or `null` is not compared: Cognito gives both the same meaning there.)
impl PartialEq for UnknownFields<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len()
            && self
                .iter()
                .zip(other.iter())
                .all(|((ka, va), (kb, vb))| ka == kb && va.get() == vb.get())
    }
}

impl<'a> UnknownFields<'a> {
    /// No unknown fields.
    ///
    /// ```
    /// use cognito_trigger::UnknownFields;
    ///
    /// let fields = UnknownFields::new();
    /// assert!(fields.is_empty());
    /// assert!(fields.get("anything").is_none());
    /// ```
    #[must_use]
    pub const fn new() -> Self {
        Self {
            entries: Vec::new(),
            present: 0,
            null: 0,
        }
    }

    /// The raw JSON of field `name`, if the object had it.
    ///
    /// ```
    /// use cognito_trigger::PreSignUpEvent;
    ///
    /// let event = PreSignUpEvent::from_slice(br#"{"version":"1","triggerSource":"PreSignUp_SignUp",
    ///   "request":{},"response":{},"newField":[1, 2]}"#)?;
    /// assert_eq!(event.unknown_fields.get("newField").map(|v| v.get()), Some("[1, 2]"));
    /// assert!(event.unknown_fields.get("region").is_none());
    /// Ok::<(), cognito_trigger::DecodeError>(())
    /// ```
    #[must_use]
    pub fn get(&self, name: &str) -> Option<&RawValue> {
        self.entries
            .iter()
            .rev()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_ref())
    }

    /// Sets field `name` to the given raw JSON, replacing an earlier value.
    ///
    /// ```
    /// use cognito_trigger::UnknownFields;
    /// use serde_json::value::RawValue;
    ///
    /// let mut fields = UnknownFields::new();
    /// fields.insert("tier", RawValue::from_string(r#""gold""#.to_owned()).unwrap());
    /// assert_eq!(fields.get("tier").unwrap().get(), r#""gold""#);
    /// ```
    pub fn insert(&mut self, name: impl Into<Cow<'a, str>>, value: Box<RawValue>) {
        let name = name.into();
        self.entries.retain(|(k, _)| *k != name);
        self.entries.push((name, Cow::Owned(value)));
    }

    /// Removes field `name` and returns its raw JSON.
    ///
    /// ```
    /// use cognito_trigger::UnknownFields;
    /// use serde_json::value::RawValue;
    ///
    /// let mut fields = UnknownFields::new();
    /// fields.insert("tier", RawValue::from_string("1".to_owned()).unwrap());
    /// assert_eq!(fields.remove("tier").unwrap().get(), "1");
    /// assert!(fields.is_empty());
    /// ```
    pub fn remove(&mut self, name: &str) -> Option<Cow<'a, RawValue>> {
        let index = self.entries.iter().rposition(|(k, _)| k == name)?;
        let (_, value) = self.entries.remove(index);
        self.entries.retain(|(k, _)| k != name);
        Some(value)
    }

    /// The fields, in input order.
    ///
    /// ```
    /// use cognito_trigger::PreSignUpEvent;
    ///
    /// let event = PreSignUpEvent::from_slice(br#"{"triggerSource":"PreSignUp_SignUp","a":1,"b":true}"#)?;
    /// let fields: Vec<(&str, &str)> = event.unknown_fields.iter().map(|(k, v)| (k, v.get())).collect();
    /// assert_eq!(fields, [("a", "1"), ("b", "true")]);
    /// Ok::<(), cognito_trigger::DecodeError>(())
    /// ```
    pub fn iter(&self) -> impl ExactSizeIterator<Item = (&str, &RawValue)> + '_ {
        self.entries.iter().map(|(k, v)| (k.as_ref(), v.as_ref()))
    }

    /// The number of unknown fields.
    ///
    /// ```
    /// use cognito_trigger::PreSignUpEvent;
    ///
    /// let event = PreSignUpEvent::from_slice(br#"{"triggerSource":"PreSignUp_SignUp","a":1,"b":2}"#)?;
    /// assert_eq!(event.unknown_fields.len(), 2);
    /// Ok::<(), cognito_trigger::DecodeError>(())
    /// ```
    #[must_use]
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether there are none.
    ///
    /// ```
    /// use cognito_trigger::PreSignUpEvent;
    ///
    /// let event = PreSignUpEvent::from_slice(br#"{"version":"1","triggerSource":"PreSignUp_SignUp"}"#)?;
    /// assert!(event.unknown_fields.is_empty());
    /// Ok::<(), cognito_trigger::DecodeError>(())
    /// ```
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// A copy free of the input's lifetime.
    ///
    /// ```
    /// use cognito_trigger::{PreSignUpEvent, UnknownFields};
    ///
    /// let fields: UnknownFields<'static> = {
    ///     let bytes = br#"{"triggerSource":"PreSignUp_SignUp","newField":"x"}"#.to_vec();
    ///     PreSignUpEvent::from_slice(&bytes)?.unknown_fields.into_owned()
    /// };
    /// assert_eq!(fields.get("newField").unwrap().get(), r#""x""#);
    /// Ok::<(), cognito_trigger::DecodeError>(())
    /// ```
    #[must_use]
    pub fn into_owned(self) -> UnknownFields<'static> {
        UnknownFields {
            entries: self
                .entries
                .into_iter()
                .map(|(k, v)| (Cow::Owned(k.into_owned()), Cow::Owned(v.into_owned())))
                .collect(),
            present: self.present,
            null: self.null,
        }
    }

    /// Adds `other`'s fields, replacing same-named ones (used by [`Overlay`]).
    pub(crate) fn absorb(&mut self, other: UnknownFields<'a>) {
        for (name, value) in other.entries {
            self.entries.retain(|(k, _)| *k != name);
            self.entries.push((name, value));
        }
    }

    /// Records that known field `index` was in the input, and whether it was `null`.
    pub(crate) fn record_known(&mut self, index: u32, was_null: bool) {
        self.present |= 1 << index;
        if was_null {
            self.null |= 1 << index;
        } else {
            self.null &= !(1 << index);
        }
    }

    /// Whether known field `index` was already read from the input.
    #[must_use]
    pub(crate) fn was_present(&self, index: u32) -> bool {
        self.present & (1 << index) != 0
    }

    /// How known field `index` is to be written, given whether its value is unset.
    #[must_use]
    pub(crate) fn write_as(&self, index: u32, unset: bool) -> WriteAs {
        let bit = 1 << index;
        if unset && self.null & bit != 0 {
            WriteAs::Null
        } else if !unset || self.present & bit != 0 {
            WriteAs::Value
        } else {
            WriteAs::Skip
        }
    }

    /// Records a field borrowed from the input (used by the decoders).
    pub(crate) fn push_borrowed(&mut self, name: Cow<'a, str>, value: &'a RawValue) {
        self.entries.push((name, Cow::Borrowed(value)));
    }

    /// Records a field that was copied out of the input (used by the decoders).
    pub(crate) fn push_owned(&mut self, name: Cow<'a, str>, value: Box<RawValue>) {
        self.entries.push((name, Cow::Owned(value)));
    }

    /// Writes every field into an object being serialized.
    pub(crate) fn serialize_into<M: SerializeMap>(&self, map: &mut M) -> Result<(), M::Error> {
        for (name, value) in &self.entries {
            map.serialize_entry(name.as_ref(), value.as_ref())?;
        }
        Ok(())
    }
}

/// How a known field is written back (see [`UnknownFields::write_as`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum WriteAs {
    /// Leave the key out.
    Skip,
    /// Write `null`, as the input had.
    Null,
    /// Write the value.
    Value,
}

impl WriteAs {
    /// Writes `value` under `key` into `map` as decided.
    pub(crate) fn write<M: SerializeMap, V: Serialize + ?Sized>(
        self,
        map: &mut M,
        key: &str,
        value: &V,
    ) -> Result<(), M::Error> {
        match self {
            Self::Skip => Ok(()),
            Self::Null => map.serialize_entry(key, &()),
            Self::Value => map.serialize_entry(key, value),
        }
    }
}

impl fmt::Debug for UnknownFields<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Unknown fields may hold anything, secrets included: show names, never values.
        f.debug_set()
            .entries(self.entries.iter().map(|(k, _)| k))
            .finish()
    }
}
