//! The two declaration macros of the wire layer: [`wire_struct!`] for event objects and
//! [`open_enum!`] for closed value sets with an open fallback.

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
        // Cognito adds fields without notice; a new one here must not break users.
        #[non_exhaustive]
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
                                    // A key given twice is not Cognito's: refuse it rather
                                    // than let the last one silently win.
                                    if out.unknown_fields.was_present(const { $name::field_index($wire) }) {
                                        return ::std::result::Result::Err(<A::Error as ::serde::de::Error>::duplicate_field($wire));
                                    }
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
        #[non_exhaustive]
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
                                    if out.unknown_fields.was_present(const { $name::field_index($wire) }) {
                                        return ::std::result::Result::Err(<A::Error as ::serde::de::Error>::duplicate_field($wire));
                                    }
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

            pub(crate) const fn field_index(wire: &str) -> u32 {
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
            #[doc = ::std::concat!("\n```\nuse cognito_trigger::", ::std::stringify!($name), ";\n\nassert!(", ::std::stringify!($name), "::KNOWN.iter().all(", ::std::stringify!($name), "::is_known));\n```")]
            pub const KNOWN: &'static [$name] = &[$($name::$variant),*];

            /// The value's position in [`Self::KNOWN`]; `None` for `Other`.
            #[doc = ::std::concat!("\n```\nuse cognito_trigger::", ::std::stringify!($name), ";\n\nassert_eq!(", ::std::stringify!($name), "::KNOWN[0].position(), Some(0));\nassert_eq!(", ::std::stringify!($name), "::parse(\"Not_Yet_Known\").position(), None);\n```")]
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
            #[doc = ::std::concat!("\n```\nuse cognito_trigger::", ::std::stringify!($name), ";\n\nlet first = &", ::std::stringify!($name), "::KNOWN[0];\nassert_eq!(", ::std::stringify!($name), "::parse(first.as_str()), *first);\nassert_eq!(", ::std::stringify!($name), "::parse(\"Not_Yet_Known\").as_str(), \"Not_Yet_Known\");\n```")]
            #[must_use]
            pub fn as_str(&self) -> &str {
                match self {
                    $( Self::$variant => $wire, )*
                    Self::Other(other) => other,
                }
            }

            /// Parses a wire value; unknown values become `Other`.
            #[doc = ::std::concat!("\n```\nuse cognito_trigger::", ::std::stringify!($name), ";\n\nassert_eq!(", ::std::stringify!($name), "::parse(\"Not_Yet_Known\"), ", ::std::stringify!($name), "::Other(\"Not_Yet_Known\".into()));\n```")]
            #[must_use]
            pub fn parse(value: &str) -> Self {
                match value {
                    $( $wire => Self::$variant, )*
                    other => Self::Other(other.to_owned()),
                }
            }

            /// Whether this is one of the documented values.
            #[doc = ::std::concat!("\n```\nuse cognito_trigger::", ::std::stringify!($name), ";\n\nassert!(", ::std::stringify!($name), "::KNOWN[0].is_known());\nassert!(!", ::std::stringify!($name), "::parse(\"Not_Yet_Known\").is_known());\n```")]
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
