//! The [`Trigger`] trait, which gives an [`Event`](super::Event) its request, response and
//! trigger sources, and the [`TriggerSource`] trait of the source enums.

use std::fmt;

use serde::{Deserialize, Serialize, de};

use crate::table::TriggerKind;
use crate::wire::{Overlay, WireDecode, WireField};

/// A Cognito trigger: the marker type that picks an [`Event`](super::Event)'s request, response and
/// trigger-source types. One marker exists per trigger and per pre token generation
/// version; see [`TriggerKind`] for the list.
///
/// The trait is sealed: the set of triggers is Cognito's, not ours to extend.
///
/// ```
/// use cognito_trigger::{Event, PreSignUp, PreSignUpEvent, Trigger, TriggerKind};
///
/// fn describe<T: Trigger>(event: &Event<'_, T>) -> String {
///     format!("{} event from {}", T::KIND, event.user_pool_id)
/// }
///
/// let event = PreSignUpEvent::from_slice(br#"{"version":"1","triggerSource":"PreSignUp_SignUp",
///   "userPoolId":"eu-west-1_EXAMPLE","request":{},"response":{}}"#)?;
/// assert_eq!(describe(&event), "pre sign-up event from eu-west-1_EXAMPLE");
/// assert_eq!(PreSignUp::KIND, TriggerKind::PreSignUp);
/// Ok::<(), cognito_trigger::DecodeError>(())
/// ```
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
    /// Implemented by the trigger markers only.
    pub trait Sealed {}
}

/// The `triggerSource` values of one trigger: documented values as variants, anything
/// else (a value Cognito adds later) kept as `Other`.
///
/// ```
/// use cognito_trigger::{PostConfirmationSource, TriggerSource};
///
/// fn documented<S: TriggerSource>() -> Vec<&'static str> {
///     (0..S::COUNT).filter_map(S::known_name).collect()
/// }
///
/// assert_eq!(
///     documented::<PostConfirmationSource>(),
///     ["PostConfirmation_ConfirmSignUp", "PostConfirmation_ConfirmForgotPassword"],
/// );
/// let newer = <PostConfirmationSource as TriggerSource>::parse("PostConfirmation_Tomorrow");
/// assert_eq!(TriggerSource::position(&newer), None);
/// ```
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
