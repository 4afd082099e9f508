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

use serde::de::{self, DeserializeSeed, Deserializer, SeqAccess, Visitor};
use serde_json::value::RawValue;

mod macros;
mod raw_json;
mod secret;
mod string_map;
mod unknown_fields;

pub(crate) use macros::{open_enum, wire_struct};
pub use raw_json::RawJson;
pub use secret::Secret;
pub use string_map::StringMap;
pub(crate) use string_map::expect_empty_seq;
pub use unknown_fields::UnknownFields;

/// Lenient decoding of one field value, borrowing from the input where it can.
///
/// Implemented for the field types the event structs use; the impls decide what "nothing"
/// looks like for each type (`null` for an `Option`, `null`/`{}`/`[]` for a map, ...).
///
/// ```
/// use cognito_trigger::__private::WireDecode;
///
/// // An envelope string that is `null` reads as `""`.
/// let mut json = serde_json::Deserializer::from_str("null");
/// assert_eq!(<std::borrow::Cow<str> as WireDecode>::decode(&mut json).unwrap(), "");
/// ```
pub trait WireDecode<'de>: Sized {
    /// Decodes `Self` from one JSON value.
    fn decode<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error>;
}

/// How a field is written back.
///
/// A field is written when it was in the input (as it was: `null` stays `null`) or when
/// it holds something other than what an absent key decodes to. So decoding and encoding
/// give back the input exactly, and a value built in code writes only what was set.
///
/// ```
/// use cognito_trigger::StringMap;
/// use cognito_trigger::__private::WireField;
///
/// assert!(None::<bool>.is_unset());
/// assert!(StringMap::new().is_unset());
/// assert!(!StringMap::new().present().is_unset());
/// ```
pub trait WireField {
    /// `true` when the value is what an absent key decodes to (`None`, `""`, `[]`,
    /// `false`, an empty map that was not sent, a default struct).
    fn is_unset(&self) -> bool;
}

/// A [`DeserializeSeed`] that decodes a `T` through its [`WireDecode`] impl.
///
/// ```
/// use cognito_trigger::__private::Wire;
/// use serde::de::DeserializeSeed;
///
/// // A boolean Cognito documents as always present: `null` reads as `false`.
/// let mut json = serde_json::Deserializer::from_str("null");
/// assert!(!Wire::<bool>::new().deserialize(&mut json).unwrap());
/// ```
pub struct Wire<T>(PhantomData<fn() -> T>);

impl<T> Wire<T> {
    /// The seed for `T`.
    ///
    /// ```
    /// use cognito_trigger::__private::Wire;
    /// use serde::de::DeserializeSeed;
    ///
    /// let mut json = serde_json::Deserializer::from_str(r#""ada""#);
    /// assert_eq!(Wire::<Option<String>>::new().deserialize(&mut json).unwrap().as_deref(), Some("ada"));
    /// ```
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
///
/// ```
/// use cognito_trigger::__private::{LenientText, WireDecode};
///
/// let mut number = serde_json::Deserializer::from_str("42");
/// assert_eq!(LenientText::decode(&mut number).unwrap().0, "42");
/// let mut text = serde_json::Deserializer::from_str(r#""forty-two""#);
/// assert_eq!(LenientText::decode(&mut text).unwrap().0, "forty-two");
/// ```
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
    /// Any JSON object (inbound federation's claims), nested at most
    /// [`MAX_UNKNOWN_NESTING`] levels like a field this crate does not model. serde_json's
    /// own limit counts from the top of the text it reads, so it would take a value inside
    /// the request read alone and refuse it inside the whole event.
    fn decode<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        match deserializer.deserialize_map(AnyJson { depth: 0 })? {
            serde_json::Value::Object(map) => Ok(map),
            // Only a format that ignores the hint gets here; JSON refuses a non-object itself.
            _ => Err(de::Error::custom("expected a map")),
        }
    }
}

/// serde_json's `Value`, decoded with a nesting limit of its own ([`MAX_UNKNOWN_NESTING`],
/// counted from where the value starts). serde_json has no such knob on `Value`; checking
/// the raw text first instead cost a fifth more on an inbound federation event.
#[derive(Clone, Copy)]
struct AnyJson {
    /// The levels of arrays and objects this value is inside, within the field.
    depth: usize,
}

impl AnyJson {
    /// The seed for the values inside an array or object at this level.
    fn inside<E: de::Error>(self) -> Result<Self, E> {
        let depth = self.depth + 1;
        if depth > MAX_UNKNOWN_NESTING {
            return Err(E::custom(TOO_DEEP));
        }
        Ok(Self { depth })
    }
}

impl<'de> DeserializeSeed<'de> for AnyJson {
    type Value = serde_json::Value;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for AnyJson {
    type Value = serde_json::Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // What an object field's error says: the only way in is `deserialize_map`.
        f.write_str(if self.depth == 0 {
            "a map"
        } else {
            "any JSON value"
        })
    }

    fn visit_bool<E: de::Error>(self, value: bool) -> Result<Self::Value, E> {
        Ok(value.into())
    }

    fn visit_i64<E: de::Error>(self, value: i64) -> Result<Self::Value, E> {
        Ok(value.into())
    }

    fn visit_u64<E: de::Error>(self, value: u64) -> Result<Self::Value, E> {
        Ok(value.into())
    }

    fn visit_f64<E: de::Error>(self, value: f64) -> Result<Self::Value, E> {
        // As serde_json's own `Value`: a number JSON can hold, else `null`.
        Ok(serde_json::Number::from_f64(value).map_or(serde_json::Value::Null, Into::into))
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<Self::Value, E> {
        Ok(value.into())
    }

    fn visit_string<E: de::Error>(self, value: String) -> Result<Self::Value, E> {
        Ok(value.into())
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(serde_json::Value::Null)
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(serde_json::Value::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        self.deserialize(deserializer)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let inside = self.inside()?;
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(64));
        while let Some(item) = seq.next_element_seed(inside)? {
            items.push(item);
        }
        Ok(serde_json::Value::Array(items))
    }

    fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let inside = self.inside()?;
        let mut object = serde_json::Map::new();
        while let Some(key) = map.next_key::<String>()? {
            // A key given twice keeps its last value, as serde_json's `Value` does.
            let value = map.next_value_seed(inside)?;
            object.insert(key, value);
        }
        Ok(serde_json::Value::Object(object))
    }
}

impl WireField for serde_json::Map<String, serde_json::Value> {
    fn is_unset(&self) -> bool {
        self.is_empty()
    }
}

// ---------------------------------------------------------------------------------------

/// Laying a handler's decisions over the response Cognito pre-filled.
///
/// ```
/// use cognito_trigger::PreSignUpResponse;
/// use cognito_trigger::__private::Overlay;
///
/// let mut prefilled = PreSignUpResponse::new().verify_email();
/// prefilled.overlay(PreSignUpResponse::new().confirm_user());
/// assert_eq!(prefilled, PreSignUpResponse::new().confirm_user().verify_email());
/// ```
pub trait Overlay {
    /// Every field `decided` sets replaces the same field of `self`; fields it leaves unset
    /// keep what Cognito sent (`null` stays `null`), and so do unknown fields it does not
    /// name.
    fn overlay(&mut self, decided: Self);
}

/// How deep a field this crate does not model, or models as any JSON, may nest. Other
/// known fields have a fixed shape; unknown ones are kept as raw text, which serde_json
/// skips without recursion, so they are measured here. No Cognito event nests past 6.
pub(crate) const MAX_UNKNOWN_NESTING: usize = 32;

/// The message for a value nested deeper than any Cognito event.
const TOO_DEEP: &str = "nested deeper than any Cognito event";

/// Whether decoding failed because [`check_nesting`] refused a value: the one wire error
/// the decode-error layer tells apart. serde carries custom errors as text only, so the
/// module that wrote the text is the one that recognises it.
pub(crate) fn is_too_deep(error: &serde_json::Error) -> bool {
    error.to_string().starts_with(TOO_DEEP)
}

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

#[cfg(test)]
mod nesting {
    use serde_json::value::RawValue;

    use super::{MAX_UNKNOWN_NESTING, check_nesting};

    fn nests_within_limit(json: &str) -> bool {
        let raw: &RawValue = serde_json::from_str(json).expect("valid JSON");
        check_nesting::<serde_json::Error>(raw).is_ok()
    }

    fn nested(levels: usize, inside: &str) -> String {
        format!("{}{inside}{}", "[".repeat(levels), "]".repeat(levels))
    }

    #[test]
    fn counts_brackets_and_braces_outside_strings_only() {
        assert!(nests_within_limit(&nested(MAX_UNKNOWN_NESTING, "1")));
        assert!(!nests_within_limit(&nested(MAX_UNKNOWN_NESTING + 1, "1")));
        let object = format!(r#"{{"a":{}}}"#, nested(MAX_UNKNOWN_NESTING, "1"));
        assert!(!nests_within_limit(&object));
        // Brackets in strings, after escaped quotes and after an escaped backslash.
        let deep_text = format!(r#""{}""#, "[".repeat(100));
        for inside in [
            deep_text.clone(),
            format!(r#""\"{}""#, "{".repeat(100)),
            format!(r#""\\\"{}\\""#, "[".repeat(100)),
        ] {
            assert!(
                nests_within_limit(&nested(MAX_UNKNOWN_NESTING, &inside)),
                "{inside}"
            );
            assert!(
                !nests_within_limit(&nested(MAX_UNKNOWN_NESTING + 1, &inside)),
                "{inside}"
            );
        }
        // A string that ends in an escaped backslash ends there: what follows counts.
        let after = format!(r#"["\\",{}]"#, nested(MAX_UNKNOWN_NESTING, "1"));
        assert!(!nests_within_limit(&after));
        let after = format!(r#"["\\",{}]"#, nested(MAX_UNKNOWN_NESTING - 1, "1"));
        assert!(nests_within_limit(&after));
    }
}
