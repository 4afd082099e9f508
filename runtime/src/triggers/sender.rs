//! Custom email sender and custom SMS sender.

use std::borrow::Cow;

use super::trigger_source;
use crate::wire::{Secret, StringMap, wire_struct};

trigger_source! {
    /// Which email Cognito hands to the custom email sender.
    ///
    /// ```
    /// use cognito_trigger::CustomEmailSenderSource;
    ///
    /// let wire = "CustomEmailSender_AccountTakeOverNotification";
    /// let source = CustomEmailSenderSource::parse(wire);
    /// assert_eq!(source, CustomEmailSenderSource::AccountTakeOverNotification);
    /// assert_eq!(CustomEmailSenderSource::SignUp.as_str(), "CustomEmailSender_SignUp");
    /// ```
    pub enum CustomEmailSenderSource {
        /// Sign-up confirmation code.
        SignUp = "CustomEmailSender_SignUp",
        /// A replacement confirmation code.
        ResendCode = "CustomEmailSender_ResendCode",
        /// Password-reset code.
        ForgotPassword = "CustomEmailSender_ForgotPassword",
        /// Verification code after an email change.
        UpdateUserAttribute = "CustomEmailSender_UpdateUserAttribute",
        /// Verification code the user asked for.
        VerifyUserAttribute = "CustomEmailSender_VerifyUserAttribute",
        /// Invitation; the code is the temporary password.
        AdminCreateUser = "CustomEmailSender_AdminCreateUser",
        /// Sign-in one-time password or MFA code.
        Authentication = "CustomEmailSender_Authentication",
        /// Threat protection acted on a risky sign-in; `userAttributes` holds the
        /// notification's fields and there is no code.
        AccountTakeOverNotification = "CustomEmailSender_AccountTakeOverNotification",
    }
}

trigger_source! {
    /// Which SMS Cognito hands to the custom SMS sender.
    ///
    /// ```
    /// use cognito_trigger::CustomSmsSenderSource;
    ///
    /// // Cognito spells the prefix `CustomSMSSender_`.
    /// assert_eq!(CustomSmsSenderSource::SignUp.as_str(), "CustomSMSSender_SignUp");
    /// assert_eq!(
    ///     CustomSmsSenderSource::parse("CustomSMSSender_Authentication"),
    ///     CustomSmsSenderSource::Authentication,
    /// );
    /// ```
    pub enum CustomSmsSenderSource {
        /// Sign-up confirmation code.
        SignUp = "CustomSMSSender_SignUp",
        /// A replacement confirmation code.
        ResendCode = "CustomSMSSender_ResendCode",
        /// Password-reset code.
        ForgotPassword = "CustomSMSSender_ForgotPassword",
        /// Verification code after a phone change.
        UpdateUserAttribute = "CustomSMSSender_UpdateUserAttribute",
        /// Verification code the user asked for.
        VerifyUserAttribute = "CustomSMSSender_VerifyUserAttribute",
        /// Invitation; the code is the temporary password.
        AdminCreateUser = "CustomSMSSender_AdminCreateUser",
        /// Sign-in one-time password or MFA code.
        Authentication = "CustomSMSSender_Authentication",
    }
}

/// The request `type` of custom email sender events.
///
/// ```
/// use cognito_trigger::{CUSTOM_EMAIL_SENDER_REQUEST_V1, CustomEmailSenderEvent};
///
/// let bytes = br#"{"version":"1","triggerSource":"CustomEmailSender_SignUp",
///   "request":{"type":"customEmailSenderRequestV1","code":"AYADeD...",
///              "userAttributes":{"email":"ada@example.com"}},"response":{}}"#;
/// let event = CustomEmailSenderEvent::from_slice(bytes)?;
/// assert_eq!(event.request.request_type, CUSTOM_EMAIL_SENDER_REQUEST_V1);
/// Ok::<(), cognito_trigger::DecodeError>(())
/// ```
pub const CUSTOM_EMAIL_SENDER_REQUEST_V1: &str = "customEmailSenderRequestV1";
/// The request `type` of custom SMS sender events.
///
/// ```
/// use cognito_trigger::{CUSTOM_SMS_SENDER_REQUEST_V1, CustomSmsSenderEvent};
///
/// let bytes = br#"{"version":"1","triggerSource":"CustomSMSSender_SignUp",
///   "request":{"type":"customSMSSenderRequestV1","code":"AYADeD...",
///              "userAttributes":{"phone_number":"+15555550100"}},"response":{}}"#;
/// let event = CustomSmsSenderEvent::from_slice(bytes)?;
/// assert_eq!(event.request.request_type, CUSTOM_SMS_SENDER_REQUEST_V1);
/// Ok::<(), cognito_trigger::DecodeError>(())
/// ```
pub const CUSTOM_SMS_SENDER_REQUEST_V1: &str = "customSMSSenderRequestV1";

wire_struct! {
    /// The request of a custom email or SMS sender event.
    ///
    /// ```
    /// use cognito_trigger::CustomEmailSenderEvent;
    ///
    /// let bytes = br#"{"version":"1","triggerSource":"CustomEmailSender_ForgotPassword",
    ///   "request":{"type":"customEmailSenderRequestV1","code":"AYADeD...",
    ///              "userAttributes":{"email":"ada@example.com"}},"response":{}}"#;
    /// let event = CustomEmailSenderEvent::from_slice(bytes)?;
    /// let code = event.request.code.as_ref().unwrap();
    /// assert_eq!(code.expose(), "AYADeD...");
    /// assert_eq!(format!("{code:?}"), "Secret([redacted])");
    /// assert_eq!(event.request.user_attributes.get("email"), Some("ada@example.com"));
    /// Ok::<(), cognito_trigger::DecodeError>(())
    /// ```
    pub struct CustomSenderRequest<'a> {
        /// The schema tag: [`CUSTOM_EMAIL_SENDER_REQUEST_V1`] or
        /// [`CUSTOM_SMS_SENDER_REQUEST_V1`]. It says nothing about which message to send.
        "type" => request_type: Cow<'a, str>,
        /// The code (or temporary password) as a base64 AWS Encryption SDK message under
        /// the pool's KMS key; `None` when there is no secret (account takeover notices).
        /// Temporary passwords are HTML-escaped before encryption.
        "code" => code: Option<Secret<'a>>,
        /// The recipient's attributes (`email`, `phone_number`), or the notification's
        /// fields for `CustomEmailSender_AccountTakeOverNotification`.
        "userAttributes" => user_attributes: StringMap<'a>,
        /// `ClientMetadata` of the API call, when it passes any to this trigger.
        "clientMetadata" => client_metadata: StringMap<'a>,
    }
}

impl CustomSenderRequest<'_> {
    /// The encrypted code, as a secret for the framework to keep out of its logs.
    pub(crate) fn secrets(&self) -> Vec<&str> {
        self.code.iter().map(|code| code.expose()).collect()
    }
}
