//! Custom message.

use std::borrow::Cow;

use super::trigger_source;
use crate::wire::{StringMap, wire_struct};

trigger_source! {
    /// Which message Cognito is about to send.
    pub enum CustomMessageSource {
        /// Confirmation code after sign-up.
        SignUp = "CustomMessage_SignUp",
        /// Invitation with a temporary password (`AdminCreateUser`).
        AdminCreateUser = "CustomMessage_AdminCreateUser",
        /// A new confirmation code (`ResendConfirmationCode`).
        ResendCode = "CustomMessage_ResendCode",
        /// Password-reset code.
        ForgotPassword = "CustomMessage_ForgotPassword",
        /// Verification code after an email or phone change.
        UpdateUserAttribute = "CustomMessage_UpdateUserAttribute",
        /// Verification code the user asked for.
        VerifyUserAttribute = "CustomMessage_VerifyUserAttribute",
        /// MFA code at sign-in.
        Authentication = "CustomMessage_Authentication",
    }
}

wire_struct! {
    /// The request of a custom message event.
    pub struct CustomMessageRequest<'a> {
        /// The user's attributes.
        "userAttributes" => user_attributes: StringMap<'a>,
        /// The placeholder Cognito replaces with the code or temporary password, typically
        /// `{####}`. Your message must contain it.
        "codeParameter" => code_parameter: Cow<'a, str>,
        /// The placeholder for a verification link, when the pool uses links.
        "linkParameter" => link_parameter: Option<Cow<'a, str>>,
        /// The placeholder for the username (`CustomMessage_AdminCreateUser`, where the
        /// message must contain it).
        "usernameParameter" => username_parameter: Option<Cow<'a, str>>,
        /// `ClientMetadata` of the API call.
        "clientMetadata" => client_metadata: StringMap<'a>,
    }
}

wire_struct! {
    /// The message text. `None` keeps the pool's template. Email fields are only allowed
    /// when the pool sends email through SES (`EmailSendingAccount` = `DEVELOPER`).
    ///
    /// ```
    /// use cognito_trigger::CustomMessageResponse;
    ///
    /// let response = CustomMessageResponse::new()
    ///     .sms("Your code is {####}")
    ///     .email("Your code", "<p>Your code is {####}</p>");
    /// assert_eq!(response.email_subject.as_deref(), Some("Your code"));
    /// ```
    pub struct CustomMessageResponse {
        /// SMS text, 6 to 140 characters, with the code placeholder.
        "smsMessage" => sms_message: Option<String>,
        /// Email body (HTML allowed), 6 to 20,000 characters, with the code placeholder.
        "emailMessage" => email_message: Option<String>,
        /// Email subject, 1 to 140 characters.
        "emailSubject" => email_subject: Option<String>,
    }
}

impl CustomMessageResponse {
    /// A response that keeps every template.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets the SMS text.
    #[must_use]
    pub fn sms(mut self, message: impl Into<String>) -> Self {
        self.sms_message = Some(message.into());
        self
    }

    /// Sets the email subject and body.
    #[must_use]
    pub fn email(mut self, subject: impl Into<String>, body: impl Into<String>) -> Self {
        self.email_subject = Some(subject.into());
        self.email_message = Some(body.into());
        self
    }
}
