//! The request and response of every trigger, one module per family of triggers.
//!
//! Field docs summarise the wire contract: what Cognito sends, and what it does with
//! what you return. Every request and response also keeps `unknown_fields`.

use crate::wire::wire_struct;

mod auth;
mod challenge;
mod federation;
mod message;
mod migration;
mod sender;
mod sign_up;
mod token;

pub use auth::*;
pub use challenge::*;
pub use federation::*;
pub use message::*;
pub use migration::*;
pub use sender::*;
pub use sign_up::*;
pub use token::*;

/// Declares a trigger's `triggerSource` enum: an `open_enum!` that is also a
/// [`crate::TriggerSource`].
macro_rules! trigger_source {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $( $(#[$variant_meta:meta])* $variant:ident = $wire:literal, )*
        }
    ) => {
        crate::wire::open_enum! {
            $(#[$meta])*
            pub enum $name {
                $( $(#[$variant_meta])* $variant = $wire, )*
            }
        }

        #[cfg(test)]
        impl $name {
            /// The variants' names, for the macro crate's code generator.
            pub(crate) const VARIANT_NAMES: &'static [&'static str] = &[$(stringify!($variant)),*];
        }

        impl crate::event::TriggerSource for $name {
            const COUNT: usize = $name::KNOWN.len();
            fn parse(value: &str) -> Self {
                $name::parse(value)
            }
            fn as_str(&self) -> &str {
                $name::as_str(self)
            }
            fn position(&self) -> Option<usize> {
                $name::position(self)
            }
            fn known_name(position: usize) -> Option<&'static str> {
                $name::KNOWN.get(position).map($name::as_str)
            }
        }
    };
}

pub(crate) use trigger_source;

wire_struct! {
    /// The response of triggers whose response Cognito does not read (post confirmation,
    /// pre and post authentication, the custom senders): `{}`. The event must still be
    /// returned; an error is how these triggers say no.
    ///
    /// ```
    /// use cognito_trigger::{EmptyResponse, PostConfirmationEvent};
    ///
    /// assert_eq!(serde_json::to_string(&EmptyResponse::default()).unwrap(), "{}");
    ///
    /// let bytes = br#"{"version":"1","triggerSource":"PostConfirmation_ConfirmSignUp",
    ///   "request":{"userAttributes":{}},"response":{}}"#;
    /// let event = PostConfirmationEvent::from_slice(bytes)?;
    /// assert_eq!(event.response, EmptyResponse::default());
    /// Ok::<(), cognito_trigger::DecodeError>(())
    /// ```
    pub struct EmptyResponse {}
}
