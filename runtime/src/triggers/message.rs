//! Custom message.

use std::borrow::Cow;

use super::trigger_source;
use crate::wire::{StringMap, wire_struct};

trigger_source! {
    /// Which message Cognito is about to send.
    ///
    /// ```
    /// use cognito_trigger::CustomMessageSource;
    ///
    /// let source = CustomMessageSource::parse("CustomMessage_ForgotPassword");
    /// assert_eq!(source, CustomMessageSource::ForgotPassword);
    /// assert_eq!(CustomMessageSource::KNOWN.len(), 7);
    /// ```
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
    ///
    /// ```
    /// use cognito_trigger::{CustomMessageEvent, CustomMessageSource};
    ///
    /// let bytes = br#"{"version":"1","triggerSource":"CustomMessage_AdminCreateUser",
    ///   "request":{"userAttributes":{"email":"ada@example.com"},
    ///              "codeParameter":"{####}","usernameParameter":"{username}"},"response":{}}"#;
    /// let event = CustomMessageEvent::from_slice(bytes)?;
    /// assert_eq!(event.trigger_source, CustomMessageSource::AdminCreateUser);
    /// assert_eq!(event.request.code_parameter, "{####}");
    /// assert_eq!(event.request.username_parameter.as_deref(), Some("{username}"));
    /// assert_eq!(event.request.link_parameter, None);
    /// Ok::<(), cognito_trigger::DecodeError>(())
    /// ```
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
    ///
    /// ```
    /// use cognito_trigger::CustomMessageResponse;
    ///
    /// let response = CustomMessageResponse::new();
    /// assert_eq!(response.sms_message, None);
    /// assert_eq!(serde_json::to_string(&response).unwrap(), "{}");
    /// ```
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets the SMS text.
    ///
    /// ```
    /// use cognito_trigger::CustomMessageResponse;
    ///
    /// let response = CustomMessageResponse::new().sms("Your code is {####}");
    /// assert_eq!(serde_json::to_string(&response).unwrap(), r#"{"smsMessage":"Your code is {####}"}"#);
    /// ```
    #[must_use]
    pub fn sms(mut self, message: impl Into<String>) -> Self {
        self.sms_message = Some(message.into());
        self
    }

    /// Sets the email subject and body.
    ///
    /// ```
    /// use cognito_trigger::CustomMessageResponse;
    ///
    /// let response = CustomMessageResponse::new().email("Your code", "<p>Code: {####}</p>");
    /// assert_eq!(response.email_subject.as_deref(), Some("Your code"));
    /// assert_eq!(response.email_message.as_deref(), Some("<p>Code: {####}</p>"));
    /// assert_eq!(response.sms_message, None);
    /// ```
    #[must_use]
    pub fn email(mut self, subject: impl Into<String>, body: impl Into<String>) -> Self {
        self.email_subject = Some(subject.into());
        self.email_message = Some(body.into());
        self
    }
}
