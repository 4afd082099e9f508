//! The wire layer: how Cognito's loose JSON becomes exact Rust values, and back.
//!
//! Cognito sends `null`, absent keys, `{}` and `[]` for the same "nothing", booleans where
//! strings are modelled, and new fields without notice. serde's derive can express some of
//! that, but keeping unknown fields needs `#[serde(flatten)]`, which buffers every struct
//! into an intermediate tree and costs several times a plain decode. So the event structs
//! are declared with [`wire_struct!`], which writes one small visitor per struct: known
//! keys go to typed fields through [`WireDecode`] (lenient per type), every other key is
//! kept as borrowed raw JSON in [`UnknownFields`], and encoding writes both back.

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::ser::{Serialize, SerializeMap, Serializer};
use serde_json::value::RawValue;

/// Lenient decoding of one field value, borrowing from the input where it can.
///
/// Implemented for the field types the event structs use; the impls decide what "nothing"
/// looks like for each type (`null` for an `Option`, `null`/`{}`/`[]` for a map, ...).
pub trait WireDecode<'de>: Sized {
    /// Decodes `Self` from one JSON value.
    fn decode<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error>;
}

/// How a field is written back.
///
/// A field is written when it was in the input (as it was: `null` stays `null`) or when
/// it holds something other than what an absent key decodes to. So decoding and encoding
/// give back the input exactly, and a value built in code writes only what was set.
pub trait WireField {
    /// `true` when the value is what an absent key decodes to (`None`, `""`, `[]`,
    /// `false`, an empty map that was not sent, a default struct).
    fn is_unset(&self) -> bool;
}

/// A [`DeserializeSeed`] that decodes a `T` through its [`WireDecode`] impl.
pub struct Wire<T>(PhantomData<fn() -> T>);

impl<T> Wire<T> {
    /// The seed for `T`.
    #[must_use]
    pub fn new() -> Self {
        Self(PhantomData)
    }
}

impl<T> Default for Wire<T> {
    fn default() -> Self {
        Self::new()
    }
}

impl<'de, T: WireDecode<'de>> DeserializeSeed<'de> for Wire<T> {
    type Value = T;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<T, D::Error> {
        T::decode(deserializer)
    }
}

// ---------------------------------------------------------------------------------------
// Strings

struct CowStrVisitor;

impl<'de> Visitor<'de> for CowStrVisitor {
    type Value = Cow<'de, str>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string")
    }
    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(Cow::Borrowed(v))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Cow::Owned(v.to_owned()))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
        Ok(Cow::Owned(v))
    }
}

impl<'de> WireDecode<'de> for Cow<'de, str> {
    /// A string, borrowed from the input unless it contains escapes.
    /// `null` decodes as `""`: envelope strings are documented as always present, and an
    /// empty string is what a handler would compare against anyway.
    fn decode<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(deserializer
            .deserialize_option(OptionVisitor(StrSeed))?
            .unwrap_or_default())
    }
}

/// A strict string seed: object keys, and the inside of `Option` handling (so that
/// `null` is seen by the caller).
#[doc(hidden)]
pub struct StrSeed;

impl<'de> DeserializeSeed<'de> for StrSeed {
    type Value = Cow<'de, str>;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_str(CowStrVisitor)
    }
}

impl WireField for Cow<'_, str> {
    fn is_unset(&self) -> bool {
        self.is_empty()
    }
}

impl<'de> WireDecode<'de> for String {
    fn decode<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Cow::<'de, str>::decode(deserializer).map(Cow::into_owned)
    }
}

impl WireField for String {
    fn is_unset(&self) -> bool {
        self.is_empty()
    }
}

/// Any JSON value read as text: a string as itself, any other value as its JSON text.
///
/// Used where Cognito's model says "string" but documentation examples or client
/// libraries show other JSON (`challengeAnswer`).
pub struct LenientText<'a>(pub Cow<'a, str>);

impl<'de> WireDecode<'de> for LenientText<'de> {
    fn decode<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = <&'de RawValue as de::Deserialize<'de>>::deserialize(deserializer)?;
        let text = raw.get();
        if text.starts_with('"') {
            let unquoted = serde_json::from_str::<Cow<'de, str>>(text)
                .map_err(|e| de::Error::custom(e.to_string()))?;
            // serde's Cow impl always allocates; borrow the inside when no escape is present.
            if !text.contains('\\') {
                return Ok(Self(Cow::Borrowed(&text[1..text.len() - 1])));
            }
            return Ok(Self(unquoted));
        }
        Ok(Self(Cow::Borrowed(text)))
    }
}

impl<'a> From<LenientText<'a>> for Cow<'a, str> {
    fn from(text: LenientText<'a>) -> Self {
        text.0
    }
}

// ---------------------------------------------------------------------------------------
// Scalars, options, lists

/// A strict boolean seed, used inside `Option` handling so `null` is seen by the caller.
struct StrictBool;

impl<'de> DeserializeSeed<'de> for StrictBool {
    type Value = bool;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<bool, D::Error> {
        <bool as de::Deserialize<'de>>::deserialize(deserializer)
    }
}

impl<'de> WireDecode<'de> for bool {
    /// A boolean that Cognito documents as always present; `null` reads as `false`.
    fn decode<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(deserializer
            .deserialize_option(OptionVisitor(StrictBool))?
            .unwrap_or(false))
    }
}

impl WireField for bool {
    fn is_unset(&self) -> bool {
        !*self
    }
}

struct OptionVisitor<S>(S);

impl<'de, S: DeserializeSeed<'de>> Visitor<'de> for OptionVisitor<S> {
    type Value = Option<S::Value>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a value or null")
    }
    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        self.0.deserialize(deserializer).map(Some)
    }
}

impl<'de, T: WireDecode<'de>> WireDecode<'de> for Option<T> {
    /// `null` and absence are both `None`.
    fn decode<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_option(OptionVisitor(Wire::<T>::new()))
    }
}

impl<T> WireField for Option<T> {
    fn is_unset(&self) -> bool {
        self.is_none()
    }
}

struct ListVisitor<T>(PhantomData<fn() -> T>);

impl<'de, T: WireDecode<'de>> Visitor<'de> for ListVisitor<T> {
    type Value = Vec<T>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list")
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(Vec::new())
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        // Pre-allocation is capped: the size hint comes from the input.
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(64));
        while let Some(item) = seq.next_element_seed(Wire::<Option<T>>::new())? {
            // A `null` element carries nothing (type libraries model session entries as
            // nullable); it is dropped rather than failing the whole event.
            items.extend(item);
        }
        Ok(items)
    }
}

impl<'de, T: WireDecode<'de>> WireDecode<'de> for Vec<T> {
    /// A list; `null` is the empty list and `null` elements are dropped.
    fn decode<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_seq(ListVisitor(PhantomData))
    }
}

impl<T> WireField for Vec<T> {
    fn is_unset(&self) -> bool {
        self.is_empty()
    }
}

impl<'de> WireDecode<'de> for serde_json::Map<String, serde_json::Value> {
    fn decode<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        <Self as de::Deserialize<'de>>::deserialize(deserializer)
    }
}

impl WireField for serde_json::Map<String, serde_json::Value> {
    fn is_unset(&self) -> bool {
        self.is_empty()
    }
}

// ---------------------------------------------------------------------------------------
// Maps of strings

/// Whether a map was on the wire, and how, so that encoding gives back what came in.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
enum Presence {
    /// The key was not in the object (or the map was built empty in code).
    #[default]
    Absent,
    /// The key held `null`.
    Null,
    /// The key held an object (possibly `{}`), or entries were added in code.
    Present,
}

/// A string-to-string map as Cognito sends it (`userAttributes`, `clientMetadata`,
/// `validationData`, challenge parameters, claims, ...).
///
/// Entries keep their input order and borrow from the input where possible. `null`, `{}`
/// and `[]` all decode as an empty map, and a non-string scalar value (Cognito's own
/// model is all strings, but AWS test events show `true`) is read as its JSON text. A
/// `null` value means "no such attribute" and is skipped.
///
/// Lookups scan the entries: Cognito maps hold tens of entries, where a scan beats hashing.
/// When a key is repeated on the wire the last entry wins, as in JSON objects generally.
///
/// ```
/// use cognito_trigger::StringMap;
///
/// let mut attributes = StringMap::new();
/// attributes.insert("email", "ada@example.com");
/// attributes.insert("email_verified", "true");
/// assert_eq!(attributes.get("email"), Some("ada@example.com"));
/// assert!(attributes.is_true("email_verified"));
/// assert_eq!(attributes.len(), 2);
/// ```
#[derive(Clone, Default)]
pub struct StringMap<'a> {
    entries: Vec<(Cow<'a, str>, Cow<'a, str>)>,
    presence: Presence,
}

impl<'a> StringMap<'a> {
    /// An empty map, which is left out when encoded until an entry is added.
    #[must_use]
    pub const fn new() -> Self {
        Self {
            entries: Vec::new(),
            presence: Presence::Absent,
        }
    }

    /// The value for `key`, if present.
    #[must_use]
    pub fn get(&self, key: &str) -> Option<&str> {
        self.entries
            .iter()
            .rev()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_ref())
    }

    /// `true` when `key` is present with the value `"true"` (Cognito's boolean attributes,
    /// such as `email_verified`, are the strings `"true"` and `"false"`).
    #[must_use]
    pub fn is_true(&self, key: &str) -> bool {
        self.get(key)
            .is_some_and(|v| v.eq_ignore_ascii_case("true"))
    }

    /// Whether `key` is present.
    #[must_use]
    pub fn contains_key(&self, key: &str) -> bool {
        self.entries.iter().any(|(k, _)| k == key)
    }

    /// Sets `key` to `value`, replacing any earlier value, and returns the old value.
    pub fn insert(
        &mut self,
        key: impl Into<Cow<'a, str>>,
        value: impl Into<Cow<'a, str>>,
    ) -> Option<Cow<'a, str>> {
        let key = key.into();
        let old = self.remove(&key);
        self.entries.push((key, value.into()));
        self.presence = Presence::Present;
        old
    }

    /// Removes `key` (every occurrence) and returns its last value.
    pub fn remove(&mut self, key: &str) -> Option<Cow<'a, str>> {
        let mut removed = None;
        self.entries.retain_mut(|(k, v)| {
            if k == key {
                removed = Some(std::mem::take(v));
                false
            } else {
                true
            }
        });
        removed
    }

    /// The number of entries.
    #[must_use]
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the map has no entries.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The entries, in input order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = (&str, &str)> + '_ {
        self.entries.iter().map(|(k, v)| (k.as_ref(), v.as_ref()))
    }

    /// The keys, in input order.
    pub fn keys(&self) -> impl ExactSizeIterator<Item = &str> + '_ {
        self.entries.iter().map(|(k, _)| k.as_ref())
    }

    /// Marks the map as present even when empty, so that it is encoded as `{}`.
    ///
    /// Where `{}` and an absent key mean different things to Cognito (for example an inbound
    /// federation `userAttributesToMap` of `{}` keeps every attribute), this says "send `{}`".
    #[must_use]
    pub fn present(mut self) -> Self {
        self.presence = Presence::Present;
        self
    }

    /// A copy that owns all its strings, free of the input's lifetime.
    #[must_use]
    pub fn into_owned(self) -> StringMap<'static> {
        StringMap {
            entries: self
                .entries
                .into_iter()
                .map(|(k, v)| (Cow::Owned(k.into_owned()), Cow::Owned(v.into_owned())))
                .collect(),
            presence: self.presence,
        }
    }

    /// The entries as a standard `HashMap` of owned strings.
    #[must_use]
    pub fn to_hash_map(&self) -> std::collections::HashMap<String, String> {
        self.iter()
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect()
    }
}

impl fmt::Debug for StringMap<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

/// Equal when the entries are equal, in order; how the map was on the wire is ignored.
impl PartialEq for StringMap<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.entries == other.entries
    }
}

impl<'a, K: Into<Cow<'a, str>>, V: Into<Cow<'a, str>>> FromIterator<(K, V)> for StringMap<'a> {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(iter: I) -> Self {
        let mut map = Self::new();
        map.extend(iter);
        map.presence = Presence::Present;
        map
    }
}

impl<'a, K: Into<Cow<'a, str>>, V: Into<Cow<'a, str>>> Extend<(K, V)> for StringMap<'a> {
    fn extend<I: IntoIterator<Item = (K, V)>>(&mut self, iter: I) {
        for (k, v) in iter {
            self.insert(k, v);
        }
    }
}

impl<'m> IntoIterator for &'m StringMap<'_> {
    type Item = (&'m str, &'m str);
    type IntoIter = Box<dyn Iterator<Item = (&'m str, &'m str)> + 'm>;
    fn into_iter(self) -> Self::IntoIter {
        Box::new(self.iter())
    }
}

/// One map value: any JSON scalar, read as a string. `None` for `null`.
struct ScalarText;

impl<'de> DeserializeSeed<'de> for ScalarText {
    type Value = Option<Cow<'de, str>>;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for ScalarText {
    type Value = Option<Cow<'de, str>>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string value")
    }
    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(Some(Cow::Borrowed(v)))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Some(Cow::Owned(v.to_owned())))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
        Ok(Some(Cow::Owned(v)))
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
        Ok(Some(Cow::Borrowed(if v { "true" } else { "false" })))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Ok(Some(Cow::Owned(v.to_string())))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        Ok(Some(Cow::Owned(v.to_string())))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        Ok(Some(Cow::Owned(v.to_string())))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
}

struct StringMapVisitor;

impl<'de> Visitor<'de> for StringMapVisitor {
    type Value = StringMap<'de>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object of strings")
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(StringMap {
            entries: Vec::new(),
            presence: Presence::Null,
        })
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        expect_empty_seq(seq, &self)?;
        Ok(StringMap {
            entries: Vec::new(),
            presence: Presence::Present,
        })
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut entries = Vec::with_capacity(map.size_hint().unwrap_or(0).min(64));
        while let Some(key) = map.next_key_seed(StrSeed)? {
            if let Some(value) = map.next_value_seed(ScalarText)? {
                entries.push((key, value));
            }
        }
        Ok(StringMap {
            entries,
            presence: Presence::Present,
        })
    }
}

/// Accepts `[]` where an object is expected (AWS documentation test events show `[]` for
/// empty response containers); a non-empty list is still an error.
pub(crate) fn expect_empty_seq<'de, A: SeqAccess<'de>>(
    mut seq: A,
    expected: &dyn de::Expected,
) -> Result<(), A::Error> {
    match seq.next_element::<de::IgnoredAny>()? {
        None => Ok(()),
        Some(_) => Err(de::Error::invalid_type(de::Unexpected::Seq, expected)),
    }
}

impl<'de> WireDecode<'de> for StringMap<'de> {
    fn decode<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(StringMapVisitor)
    }
}

impl<'de> de::Deserialize<'de> for StringMap<'static> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer
            .deserialize_any(StringMapVisitor)
            .map(StringMap::into_owned)
    }
}

impl WireField for StringMap<'_> {
    fn is_unset(&self) -> bool {
        self.entries.is_empty() && self.presence != Presence::Present
    }
}

impl Serialize for StringMap<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if self.presence == Presence::Null && self.entries.is_empty() {
            return serializer.serialize_unit();
        }
        serializer.collect_map(self.iter())
    }
}

// ---------------------------------------------------------------------------------------
// Unknown fields

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
/// # Ok::<(), cognito_trigger::DecodeError>(())
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
    #[must_use]
    pub const fn new() -> Self {
        Self {
            entries: Vec::new(),
            present: 0,
            null: 0,
        }
    }

    /// The raw JSON of field `name`, if the object had it.
    #[must_use]
    pub fn get(&self, name: &str) -> Option<&RawValue> {
        self.entries
            .iter()
            .rev()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_ref())
    }

    /// Sets field `name` to the given raw JSON, replacing an earlier value.
    pub fn insert(&mut self, name: impl Into<Cow<'a, str>>, value: Box<RawValue>) {
        let name = name.into();
        self.entries.retain(|(k, _)| *k != name);
        self.entries.push((name, Cow::Owned(value)));
    }

    /// Removes field `name` and returns its raw JSON.
    pub fn remove(&mut self, name: &str) -> Option<Cow<'a, RawValue>> {
        let index = self.entries.iter().rposition(|(k, _)| k == name)?;
        let (_, value) = self.entries.remove(index);
        self.entries.retain(|(k, _)| k != name);
        Some(value)
    }

    /// The fields, in input order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = (&str, &RawValue)> + '_ {
        self.entries.iter().map(|(k, v)| (k.as_ref(), v.as_ref()))
    }

    /// The number of unknown fields.
    #[must_use]
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether there are none.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// A copy free of the input's lifetime.
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
    #[doc(hidden)]
    pub fn absorb(&mut self, other: UnknownFields<'a>) {
        for (name, value) in other.entries {
            self.entries.retain(|(k, _)| *k != name);
            self.entries.push((name, value));
        }
    }

    /// Records that known field `index` was in the input, and whether it was `null`.
    #[doc(hidden)]
    pub fn record_known(&mut self, index: u32, was_null: bool) {
        self.present |= 1 << index;
        if was_null {
            self.null |= 1 << index;
        } else {
            self.null &= !(1 << index);
        }
    }

    /// How known field `index` is to be written, given whether its value is unset.
    #[doc(hidden)]
    #[must_use]
    pub fn write_as(&self, index: u32, unset: bool) -> WriteAs {
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
    #[doc(hidden)]
    pub fn push_borrowed(&mut self, name: Cow<'a, str>, value: &'a RawValue) {
        self.entries.push((name, Cow::Borrowed(value)));
    }

    /// Records a field that was copied out of the input (used by the decoders).
    #[doc(hidden)]
    pub fn push_owned(&mut self, name: Cow<'a, str>, value: Box<RawValue>) {
        self.entries.push((name, Cow::Owned(value)));
    }

    /// Writes every field into an object being serialized.
    #[doc(hidden)]
    pub fn serialize_into<M: SerializeMap>(&self, map: &mut M) -> Result<(), M::Error> {
        for (name, value) in &self.entries {
            map.serialize_entry(name.as_ref(), value.as_ref())?;
        }
        Ok(())
    }
}

/// How a known field is written back (see [`UnknownFields::write_as`]).
#[doc(hidden)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WriteAs {
    /// Leave the key out.
    Skip,
    /// Write `null`, as the input had.
    Null,
    /// Write the value.
    Value,
}

impl WriteAs {
    /// Writes `value` under `key` into `map` as decided.
    #[doc(hidden)]
    pub fn write<M: SerializeMap, V: Serialize + ?Sized>(
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

// ---------------------------------------------------------------------------------------
// Raw JSON

/// A JSON value kept as the exact text it had in the input, borrowed from it.
///
/// Compares equal by text. Dereferences to serde_json's [`RawValue`], whose
/// [`get`](RawValue::get) gives the text.
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

// ---------------------------------------------------------------------------------------
// Secrets

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
    pub fn new(value: impl Into<Cow<'a, str>>) -> Self {
        Self(value.into())
    }

    /// The secret itself. Every read is visible at its call site.
    #[must_use]
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// A copy free of the input's lifetime.
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

// ---------------------------------------------------------------------------------------
// Declaring event structs

/// Declares an event struct with a lenient decoder that keeps unknown fields.
///
/// Two forms: `struct Name<'a>` for request data that borrows from the input (fields decode
/// through [`WireDecode`], optionally `as` a lenient stand-in type), and `struct Name` for
/// owned response data (fields decode through serde's `Deserialize`).
macro_rules! wire_struct {
    (
        $(#[$meta:meta])*
        pub struct $name:ident<'a> {
            $(
                $(#[$field_meta:meta])*
                $wire:literal => $field:ident : $ty:ty $(as $via:ty)?
            ),* $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Debug, Default, PartialEq)]
        pub struct $name<'a> {
            $( $(#[$field_meta])* pub $field: $ty, )*
            /// Fields Cognito sent that this version of the crate does not model; they are
            /// written back unchanged.
            pub unknown_fields: $crate::wire::UnknownFields<'a>,
        }

        impl<'a> $crate::wire::WireDecode<'a> for $name<'a> {
            fn decode<D: ::serde::Deserializer<'a>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                struct FieldsVisitor;
                impl<'a> ::serde::de::Visitor<'a> for FieldsVisitor {
                    type Value = $name<'a>;
                    fn expecting(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        f.write_str("an object")
                    }
                    fn visit_unit<E: ::serde::de::Error>(self) -> ::std::result::Result<Self::Value, E> {
                        ::std::result::Result::Ok(::std::default::Default::default())
                    }
                    fn visit_seq<A: ::serde::de::SeqAccess<'a>>(self, seq: A) -> ::std::result::Result<Self::Value, A::Error> {
                        $crate::wire::expect_empty_seq(seq, &self)?;
                        ::std::result::Result::Ok(::std::default::Default::default())
                    }
                    fn visit_map<A: ::serde::de::MapAccess<'a>>(self, mut map: A) -> ::std::result::Result<Self::Value, A::Error> {
                        let mut out = $name::default();
                        while let ::std::option::Option::Some(key) =
                            map.next_key_seed($crate::wire::StrSeed)?
                        {
                            match &*key {
                                $( $wire => {
                                    // Decoding through `Option` tells `null` apart from a
                                    // value that merely looks unset ("", [], false).
                                    let value = wire_struct!(@value map $ty $(as $via)?);
                                    out.unknown_fields.record_known(
                                        const { $name::field_index($wire) },
                                        value.is_none(),
                                    );
                                    if let ::std::option::Option::Some(value) = value {
                                        out.$field = value;
                                    }
                                } )*
                                _ => {
                                    let value: &'a ::serde_json::value::RawValue = map.next_value()?;
                                    $crate::wire::check_nesting(value)?;
                                    out.unknown_fields.push_borrowed(key, value);
                                }
                            }
                        }
                        ::std::result::Result::Ok(out)
                    }
                }
                deserializer.deserialize_any(FieldsVisitor)
            }
        }

        impl<'a> ::serde::Deserialize<'a> for $name<'a> {
            fn deserialize<D: ::serde::Deserializer<'a>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                <Self as $crate::wire::WireDecode<'a>>::decode(deserializer)
            }
        }

        impl $crate::wire::WireField for $name<'_> {
            fn is_unset(&self) -> bool {
                *self == Self::default()
            }
        }

        wire_struct!(@serialize $name [<'a>] $( $wire => $field ),*);
    };

    (
        $(#[$meta:meta])*
        pub struct $name:ident {
            $(
                $(#[$field_meta:meta])*
                $wire:literal => $field:ident : $ty:ty
            ),* $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Debug, Default, PartialEq)]
        pub struct $name {
            $( $(#[$field_meta])* pub $field: $ty, )*
            /// Fields Cognito sent that this version of the crate does not model; they are
            /// written back unchanged.
            pub unknown_fields: $crate::wire::UnknownFields<'static>,
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                struct FieldsVisitor;
                impl<'de> ::serde::de::Visitor<'de> for FieldsVisitor {
                    type Value = $name;
                    fn expecting(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        f.write_str("an object")
                    }
                    fn visit_unit<E: ::serde::de::Error>(self) -> ::std::result::Result<Self::Value, E> {
                        ::std::result::Result::Ok(::std::default::Default::default())
                    }
                    fn visit_seq<A: ::serde::de::SeqAccess<'de>>(self, seq: A) -> ::std::result::Result<Self::Value, A::Error> {
                        $crate::wire::expect_empty_seq(seq, &self)?;
                        ::std::result::Result::Ok(::std::default::Default::default())
                    }
                    fn visit_map<A: ::serde::de::MapAccess<'de>>(self, mut map: A) -> ::std::result::Result<Self::Value, A::Error> {
                        let mut out = $name::default();
                        while let ::std::option::Option::Some(key) =
                            map.next_key_seed($crate::wire::StrSeed)?
                        {
                            match &*key {
                                $( $wire => {
                                    out.$field = map.next_value::<$ty>()?;
                                    // Every response field maps `null` to an unset value
                                    // (`None`, or a map marked as `null`), so an unset value
                                    // from a present key means the key held `null`.
                                    let unset = $crate::wire::WireField::is_unset(&out.$field);
                                    out.unknown_fields.record_known(const { $name::field_index($wire) }, unset);
                                } )*
                                _ => {
                                    let value: ::std::boxed::Box<::serde_json::value::RawValue> = map.next_value()?;
                                    $crate::wire::check_nesting(&value)?;
                                    out.unknown_fields.push_owned(::std::borrow::Cow::Owned(key.into_owned()), value);
                                }
                            }
                        }
                        ::std::result::Result::Ok(out)
                    }
                }
                deserializer.deserialize_any(FieldsVisitor)
            }
        }

        impl $crate::wire::WireField for $name {
            fn is_unset(&self) -> bool {
                *self == Self::default()
            }
        }

        impl $crate::wire::Overlay for $name {
            fn overlay(&mut self, decided: Self) {
                $(
                    if !$crate::wire::WireField::is_unset(&decided.$field) {
                        self.$field = decided.$field;
                        self.unknown_fields.record_known(const { Self::field_index($wire) }, false);
                    }
                )*
                self.unknown_fields.absorb(decided.unknown_fields);
            }
        }

        wire_struct!(@serialize $name [] $( $wire => $field ),*);
    };

    (@value $map:ident $ty:ty) => {
        $map.next_value_seed($crate::wire::Wire::<::std::option::Option<$ty>>::new())?
    };
    (@value $map:ident $ty:ty as $via:ty) => {
        $map.next_value_seed($crate::wire::Wire::<::std::option::Option<$via>>::new())?
            .map(<$ty>::from)
    };

    (@serialize $name:ident [$($lt:tt)*] $( $wire:literal => $field:ident ),*) => {
        // Unused for structs without fields (`EmptyResponse`).
        #[allow(dead_code)]
        impl $($lt)* $name $($lt)* {
            /// The position of a known field, for the presence bits in `unknown_fields`.
            const FIELD_NAMES: &'static [&'static str] = &[$($wire),*];
            const _AT_MOST_64_FIELDS: () = ::std::assert!(Self::FIELD_NAMES.len() <= 64);

            const fn field_index(wire: &str) -> u32 {
                let () = Self::_AT_MOST_64_FIELDS;
                let mut index = 0;
                while index < Self::FIELD_NAMES.len() {
                    if $crate::wire::const_str_eq(Self::FIELD_NAMES[index], wire) {
                        return index as u32;
                    }
                    index += 1;
                }
                ::std::panic!("not a field name")
            }
        }

        impl $($lt)* ::serde::Serialize for $name $($lt)* {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                use ::serde::ser::SerializeMap as _;
                let mut map = serializer.serialize_map(::std::option::Option::None)?;
                $(
                    self.unknown_fields
                        .write_as(
                            const { Self::field_index($wire) },
                            $crate::wire::WireField::is_unset(&self.$field),
                        )
                        .write(&mut map, $wire, &self.$field)?;
                )*
                self.unknown_fields.serialize_into(&mut map)?;
                map.end()
            }
        }
    };
}

pub(crate) use wire_struct;

/// Laying a handler's decisions over the response Cognito pre-filled.
pub trait Overlay {
    /// Every field `decided` sets replaces the same field of `self`; fields it leaves unset
    /// keep what Cognito sent (`null` stays `null`), and so do unknown fields it does not
    /// name.
    fn overlay(&mut self, decided: Self);
}

/// How deep a field this crate does not model may nest. Known fields are parsed, and
/// serde_json stops those at 128 levels; unknown ones are kept as raw text, which serde_json
/// skips without recursion, so they are measured here. No Cognito event nests past 6.
pub(crate) const MAX_UNKNOWN_NESTING: usize = 32;

/// The message for a value nested deeper than any Cognito event.
pub(crate) const TOO_DEEP: &str = "nested deeper than any Cognito event";

/// Refuses an unknown field's raw JSON when it nests deeper than [`MAX_UNKNOWN_NESTING`].
/// Only unknown fields pay for this scan; events rarely have any.
#[doc(hidden)]
pub(crate) fn check_nesting<E: de::Error>(value: &RawValue) -> Result<(), E> {
    let (mut depth, mut in_string, mut escaped) = (0usize, false, false);
    for &byte in value.get().as_bytes() {
        if in_string {
            match (escaped, byte) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match byte {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                if depth > MAX_UNKNOWN_NESTING {
                    return Err(E::custom(TOO_DEEP));
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    Ok(())
}

/// String equality usable in `const` context (field-name lookups in [`wire_struct!`]).
#[must_use]
pub(crate) const fn const_str_eq(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

// ---------------------------------------------------------------------------------------
// Closed value sets with an open fallback

/// Declares an enum of documented string values with an `Other(String)` fallback, so a
/// value Cognito adds tomorrow is representable instead of a decode error.
macro_rules! open_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $( $(#[$variant_meta:meta])* $variant:ident = $wire:literal, )*
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Debug, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum $name {
            $( $(#[$variant_meta])* $variant, )*
            /// A value this version of the crate does not know, kept as sent.
            Other(::std::string::String),
        }

        impl $name {
            /// Every documented value, in documentation order.
            pub const KNOWN: &'static [$name] = &[$($name::$variant),*];

            /// The value's position in [`Self::KNOWN`]; `None` for `Other`.
            #[must_use]
            pub const fn position(&self) -> ::std::option::Option<usize> {
                let mut index = 0;
                $(
                    if ::std::matches!(self, Self::$variant) {
                        return ::std::option::Option::Some(index);
                    }
                    index += 1;
                )*
                let _ = index;
                ::std::option::Option::None
            }

            /// The value as it appears on the wire.
            #[must_use]
            pub fn as_str(&self) -> &str {
                match self {
                    $( Self::$variant => $wire, )*
                    Self::Other(other) => other,
                }
            }

            /// Parses a wire value; unknown values become `Other`.
            #[must_use]
            pub fn parse(value: &str) -> Self {
                match value {
                    $( $wire => Self::$variant, )*
                    other => Self::Other(other.to_owned()),
                }
            }

            /// Whether this is one of the documented values.
            #[must_use]
            pub fn is_known(&self) -> bool {
                !matches!(self, Self::Other(_))
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.pad(self.as_str())
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = ::std::convert::Infallible;
            fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
                ::std::result::Result::Ok(Self::parse(value))
            }
        }

        impl ::std::convert::From<&str> for $name {
            fn from(value: &str) -> Self {
                Self::parse(value)
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                let value = <::std::borrow::Cow<'de, str> as $crate::wire::WireDecode<'de>>::decode(deserializer)?;
                ::std::result::Result::Ok(Self::parse(&value))
            }
        }

        impl<'de> $crate::wire::WireDecode<'de> for $name {
            fn decode<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                <Self as ::serde::Deserialize<'de>>::deserialize(deserializer)
            }
        }

        impl $crate::wire::WireField for $name {
            fn is_unset(&self) -> bool {
                false
            }
        }
    };
}

pub(crate) use open_enum;
