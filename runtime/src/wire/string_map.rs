//! `StringMap`: the string-to-string maps Cognito sends (attributes, metadata, claims).

use std::borrow::Cow;
use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::ser::{Serialize, Serializer};

use super::{StrSeed, WireDecode, WireField};

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
    ///
    /// ```
    /// use cognito_trigger::StringMap;
    ///
    /// let map = StringMap::new();
    /// assert!(map.is_empty());
    /// assert_eq!(map.get("email"), None);
    /// ```
    #[must_use]
    pub const fn new() -> Self {
        Self {
            entries: Vec::new(),
            presence: Presence::Absent,
        }
    }

    /// The value for `key`, if present.
    ///
    /// ```
    /// use cognito_trigger::StringMap;
    ///
    /// let attributes: StringMap = [("email", "ada@example.com")].into_iter().collect();
    /// assert_eq!(attributes.get("email"), Some("ada@example.com"));
    /// assert_eq!(attributes.get("phone_number"), None);
    /// ```
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
    ///
    /// ```
    /// use cognito_trigger::StringMap;
    ///
    /// let attributes: StringMap = [("email_verified", "TRUE"), ("phone_number_verified", "false")]
    ///     .into_iter()
    ///     .collect();
    /// assert!(attributes.is_true("email_verified"));
    /// assert!(!attributes.is_true("phone_number_verified"));
    /// assert!(!attributes.is_true("absent"));
    /// ```
    #[must_use]
    pub fn is_true(&self, key: &str) -> bool {
        self.get(key)
            .is_some_and(|v| v.eq_ignore_ascii_case("true"))
    }

    /// Whether `key` is present.
    ///
    /// ```
    /// use cognito_trigger::StringMap;
    ///
    /// let metadata: StringMap = [("source", "mobile")].into_iter().collect();
    /// assert!(metadata.contains_key("source"));
    /// assert!(!metadata.contains_key("campaign"));
    /// ```
    #[must_use]
    pub fn contains_key(&self, key: &str) -> bool {
        self.entries.iter().any(|(k, _)| k == key)
    }

    /// Sets `key` to `value`, replacing any earlier value, and returns the old value.
    ///
    /// ```
    /// use cognito_trigger::StringMap;
    ///
    /// let mut claims = StringMap::new();
    /// assert_eq!(claims.insert("tier", "silver"), None);
    /// assert_eq!(claims.insert("tier", "gold").as_deref(), Some("silver"));
    /// assert_eq!(claims.get("tier"), Some("gold"));
    /// ```
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
    ///
    /// ```
    /// use cognito_trigger::StringMap;
    ///
    /// let mut attributes: StringMap = [("email", "ada@example.com"), ("locale", "en")].into_iter().collect();
    /// assert_eq!(attributes.remove("locale").as_deref(), Some("en"));
    /// assert_eq!(attributes.remove("locale"), None);
    /// assert_eq!(attributes.len(), 1);
    /// ```
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
    ///
    /// ```
    /// use cognito_trigger::StringMap;
    ///
    /// let attributes: StringMap = [("sub", "42"), ("email", "ada@example.com")].into_iter().collect();
    /// assert_eq!(attributes.len(), 2);
    /// ```
    #[must_use]
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the map has no entries.
    ///
    /// ```
    /// use cognito_trigger::PreSignUpEvent;
    ///
    /// let event = PreSignUpEvent::from_slice(br#"{"version":"1","triggerSource":"PreSignUp_SignUp",
    ///   "request":{"userAttributes":{"email":"ada@example.com"},"validationData":null},"response":{}}"#)?;
    /// assert!(event.request.validation_data.is_empty());
    /// assert!(!event.request.user_attributes.is_empty());
    /// Ok::<(), cognito_trigger::DecodeError>(())
    /// ```
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The entries, in input order.
    ///
    /// ```
    /// use cognito_trigger::StringMap;
    ///
    /// let attributes: StringMap = [("sub", "42"), ("email", "ada@example.com")].into_iter().collect();
    /// assert_eq!(attributes.iter().collect::<Vec<_>>(), [("sub", "42"), ("email", "ada@example.com")]);
    /// ```
    pub fn iter(&self) -> impl ExactSizeIterator<Item = (&str, &str)> + '_ {
        self.entries.iter().map(|(k, v)| (k.as_ref(), v.as_ref()))
    }

    /// The keys, in input order.
    ///
    /// ```
    /// use cognito_trigger::StringMap;
    ///
    /// let attributes: StringMap = [("sub", "42"), ("email", "ada@example.com")].into_iter().collect();
    /// assert_eq!(attributes.keys().collect::<Vec<_>>(), ["sub", "email"]);
    /// ```
    pub fn keys(&self) -> impl ExactSizeIterator<Item = &str> + '_ {
        self.entries.iter().map(|(k, _)| k.as_ref())
    }

    /// Marks the map as present even when empty, so that it is encoded as `{}`.
    ///
    /// Where `{}` and an absent key mean different things to Cognito (for example an inbound
    /// federation `userAttributesToMap` of `{}` keeps every attribute), this says "send `{}`".
    ///
    /// ```
    /// use cognito_trigger::{InboundFederationResponse, StringMap};
    ///
    /// let mut response = InboundFederationResponse::default();
    /// response.user_attributes_to_map = StringMap::new();
    /// assert_eq!(serde_json::to_string(&response).unwrap(), "{}");
    /// response.user_attributes_to_map = StringMap::new().present();
    /// assert_eq!(serde_json::to_string(&response).unwrap(), r#"{"userAttributesToMap":{}}"#);
    /// ```
    #[must_use]
    pub fn present(mut self) -> Self {
        self.presence = Presence::Present;
        self
    }

    /// A copy that owns all its strings, free of the input's lifetime.
    ///
    /// ```
    /// use cognito_trigger::{PreSignUpEvent, StringMap};
    ///
    /// let attributes: StringMap<'static> = {
    ///     let bytes = br#"{"triggerSource":"PreSignUp_SignUp","request":{"userAttributes":{"sub":"42"}}}"#.to_vec();
    ///     PreSignUpEvent::from_slice(&bytes)?.request.user_attributes.into_owned()
    /// };
    /// assert_eq!(attributes.get("sub"), Some("42"));
    /// Ok::<(), cognito_trigger::DecodeError>(())
    /// ```
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
    ///
    /// ```
    /// use cognito_trigger::StringMap;
    ///
    /// let attributes: StringMap = [("sub", "42")].into_iter().collect();
    /// let map = attributes.to_hash_map();
    /// assert_eq!(map.get("sub").map(String::as_str), Some("42"));
    /// ```
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
