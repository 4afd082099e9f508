//! Pre and post authentication.

use super::trigger_source;
use crate::wire::{StringMap, wire_struct};

trigger_source! {
    /// Why pre authentication ran.
    ///
    /// ```
    /// use cognito_trigger::PreAuthenticationSource;
    ///
    /// let source = PreAuthenticationSource::parse("PreAuthentication_Authentication");
    /// assert_eq!(source, PreAuthenticationSource::Authentication);
    /// assert_eq!(source.as_str(), "PreAuthentication_Authentication");
    /// ```
    pub enum PreAuthenticationSource {
        /// A sign-in attempt (API, managed login, or a returning federated user).
        Authentication = "PreAuthentication_Authentication",
    }
}

wire_struct! {
    /// The request of a pre authentication event.
    ///
    /// ```
    /// use cognito_trigger::PreAuthenticationEvent;
    ///
    /// let bytes = br#"{"version":"1","triggerSource":"PreAuthentication_Authentication",
    ///   "request":{"userAttributes":{"email":"ada@example.com"},
    ///              "validationData":{"device":"kiosk"}},"response":{}}"#;
    /// let event = PreAuthenticationEvent::from_slice(bytes)?;
    /// assert_eq!(event.request.user_attributes.get("email"), Some("ada@example.com"));
    /// assert_eq!(event.request.validation_data.get("device"), Some("kiosk"));
    /// Ok::<(), cognito_trigger::DecodeError>(())
    /// ```
    pub struct PreAuthenticationRequest<'a> {
        /// The user's attributes (likely empty when `userNotFound`).
        "userAttributes" => user_attributes: StringMap<'a>,
        /// The `ClientMetadata` of `InitiateAuth`/`AdminInitiateAuth`, under this name.
        "validationData" => validation_data: StringMap<'a>,
        /// `true` when the username matched no user (app client with
        /// `PreventUserExistenceErrors` enabled).
        "userNotFound" => user_not_found: Option<bool>,
    }
}

impl PreAuthenticationRequest<'_> {
    /// Whether the username matched no user; see the `user_not_found` field.
    ///
    /// ```
    /// use cognito_trigger::PreAuthenticationEvent;
    ///
    /// let bytes = br#"{"version":"1","triggerSource":"PreAuthentication_Authentication",
    ///   "request":{"userAttributes":{},"userNotFound":true},"response":{}}"#;
    /// let event = PreAuthenticationEvent::from_slice(bytes)?;
    /// assert!(event.request.is_user_not_found());
    /// Ok::<(), cognito_trigger::DecodeError>(())
    /// ```
    #[must_use]
    pub fn is_user_not_found(&self) -> bool {
        self.user_not_found == Some(true)
    }
}

trigger_source! {
    /// Why post authentication ran.
    ///
    /// ```
    /// use cognito_trigger::PostAuthenticationSource;
    ///
    /// assert_eq!(
    ///     PostAuthenticationSource::Authentication.to_string(),
    ///     "PostAuthentication_Authentication",
    /// );
    /// assert!(!PostAuthenticationSource::parse("PostAuthentication_Tomorrow").is_known());
    /// ```
    pub enum PostAuthenticationSource {
        /// A successful sign-in.
        Authentication = "PostAuthentication_Authentication",
    }
}

wire_struct! {
    /// The request of a post authentication event.
    ///
    /// ```
    /// use cognito_trigger::PostAuthenticationEvent;
    ///
    /// let bytes = br#"{"version":"1","triggerSource":"PostAuthentication_Authentication",
    ///   "request":{"userAttributes":{"email":"ada@example.com"},"newDeviceUsed":true},
    ///   "response":{}}"#;
    /// let event = PostAuthenticationEvent::from_slice(bytes)?;
    /// assert_eq!(event.request.new_device_used, Some(true));
    /// assert!(event.request.client_metadata.is_empty());
    /// Ok::<(), cognito_trigger::DecodeError>(())
    /// ```
    pub struct PostAuthenticationRequest<'a> {
        /// The user's attributes.
        "userAttributes" => user_attributes: StringMap<'a>,
        /// Whether the user signed in from a new device (sent only when device remembering
        /// is on).
        "newDeviceUsed" => new_device_used: Option<bool>,
        /// `ClientMetadata`, from `(Admin)RespondToAuthChallenge` only.
        "clientMetadata" => client_metadata: StringMap<'a>,
    }
}
