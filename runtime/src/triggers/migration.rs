//! User migration.

use super::trigger_source;
use crate::wire::{Secret, StringMap, open_enum, wire_struct};

trigger_source! {
    /// Why user migration ran.
    ///
    /// ```
    /// use cognito_trigger::UserMigrationSource;
    ///
    /// let source = UserMigrationSource::parse("UserMigration_ForgotPassword");
    /// assert_eq!(source, UserMigrationSource::ForgotPassword);
    /// assert_eq!(UserMigrationSource::Authentication.as_str(), "UserMigration_Authentication");
    /// ```
    pub enum UserMigrationSource {
        /// Password sign-in with a username the pool does not have.
        Authentication = "UserMigration_Authentication",
        /// Forgot-password with a username the pool does not have.
        ForgotPassword = "UserMigration_ForgotPassword",
    }
}

wire_struct! {
    /// The request of a user migration event. The envelope's `user_name` is what the user
    /// typed, possibly an alias such as an email address. There are no `userAttributes`:
    /// the user does not exist yet.
    ///
    /// ```
    /// use cognito_trigger::UserMigrationEvent;
    ///
    /// let bytes = br#"{"version":"1","triggerSource":"UserMigration_Authentication",
    ///   "userName":"ada@example.com","request":{"password":"hunter2","validationData":{}},
    ///   "response":{}}"#;
    /// let event = UserMigrationEvent::from_slice(bytes)?;
    /// let password = event.request.password.as_ref().unwrap();
    /// assert_eq!(password.expose(), "hunter2");
    /// assert_eq!(password.to_string(), "[redacted]");
    /// Ok::<(), cognito_trigger::DecodeError>(())
    /// ```
    pub struct UserMigrationRequest<'a> {
        /// The password the user typed, in plain text (`UserMigration_Authentication` only).
        /// Never log it: it prints as `[redacted]`.
        "password" => password: Option<Secret<'a>>,
        /// The `ClientMetadata` of `InitiateAuth`/`AdminInitiateAuth`, under this name.
        "validationData" => validation_data: StringMap<'a>,
        /// `ClientMetadata` of `AdminRespondToAuthChallenge` or `ForgotPassword`.
        "clientMetadata" => client_metadata: StringMap<'a>,
    }
}

impl<'a> UserMigrationRequest<'a> {
    /// The password, as a secret for the framework to keep out of its logs.
    pub(crate) fn secrets(&self) -> Vec<&str> {
        self.password.iter().map(|p| p.expose()).collect()
    }
}

open_enum! {
    /// The status a migrated user gets.
    ///
    /// ```
    /// use cognito_trigger::FinalUserStatus;
    ///
    /// assert_eq!(FinalUserStatus::Confirmed.as_str(), "CONFIRMED");
    /// assert_eq!(serde_json::to_string(&FinalUserStatus::ResetRequired).unwrap(), r#""RESET_REQUIRED""#);
    /// ```
    pub enum FinalUserStatus {
        /// The user can sign in with the password they gave.
        Confirmed = "CONFIRMED",
        /// The user must reset their password first (Cognito's default).
        ResetRequired = "RESET_REQUIRED",
    }
}

open_enum! {
    /// What to do with the welcome message.
    ///
    /// ```
    /// use cognito_trigger::MessageAction;
    ///
    /// assert_eq!(MessageAction::parse("SUPPRESS"), MessageAction::Suppress);
    /// assert_eq!(MessageAction::Resend.as_str(), "RESEND");
    /// ```
    pub enum MessageAction {
        /// Do not send it.
        Suppress = "SUPPRESS",
        /// Send it again (an `AdminCreateUser` value; undocumented for migration).
        Resend = "RESEND",
    }
}

open_enum! {
    /// A channel for messages to the user.
    ///
    /// ```
    /// use cognito_trigger::{DeliveryMedium, UserMigrationResponse};
    ///
    /// let mut response = UserMigrationResponse::new().attribute("email", "ada@example.com");
    /// response.desired_delivery_mediums = Some(vec![DeliveryMedium::Email]);
    /// assert_eq!(
    ///     serde_json::to_string(&response).unwrap(),
    ///     r#"{"userAttributes":{"email":"ada@example.com"},"desiredDeliveryMediums":["EMAIL"]}"#,
    /// );
    /// ```
    pub enum DeliveryMedium {
        /// Email.
        Email = "EMAIL",
        /// SMS.
        Sms = "SMS",
    }
}

wire_struct! {
    /// The migrated user. Without `userAttributes` the user is not migrated (Cognito
    /// answers as for an unknown user).
    ///
    /// ```
    /// use cognito_trigger::{FinalUserStatus, UserMigrationResponse};
    ///
    /// let response = UserMigrationResponse::new()
    ///     .attribute("email", "ada@example.com")
    ///     .attribute("email_verified", "true")
    ///     .status(FinalUserStatus::Confirmed)
    ///     .suppress_welcome_message();
    /// assert!(response.migrates_user());
    /// ```
    pub struct UserMigrationResponse {
        /// Attributes to store; required for the migration to happen.
        "userAttributes" => user_attributes: StringMap<'static>,
        /// `CONFIRMED`, or `RESET_REQUIRED` (the default).
        "finalUserStatus" => final_user_status: Option<FinalUserStatus>,
        /// `SUPPRESS` to skip the welcome message.
        "messageAction" => message_action: Option<MessageAction>,
        /// Where the welcome message goes (default `["SMS"]`).
        "desiredDeliveryMediums" => desired_delivery_mediums: Option<Vec<DeliveryMedium>>,
        /// Move an existing alias (email or phone) from another user to this one.
        "forceAliasCreation" => force_alias_creation: Option<bool>,
        /// Require SMS MFA (the pool must have MFA on and the user a phone number).
        "enableSMSMFA" => enable_sms_mfa: Option<bool>,
    }
}

impl UserMigrationResponse {
    /// An empty response, which migrates nobody.
    ///
    /// ```
    /// use cognito_trigger::UserMigrationResponse;
    ///
    /// let response = UserMigrationResponse::new();
    /// assert!(!response.migrates_user());
    /// assert_eq!(serde_json::to_string(&response).unwrap(), "{}");
    /// ```
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds an attribute of the migrated user.
    ///
    /// ```
    /// use cognito_trigger::UserMigrationResponse;
    ///
    /// let response = UserMigrationResponse::new().attribute("email", "ada@example.com");
    /// assert_eq!(response.user_attributes.get("email"), Some("ada@example.com"));
    /// ```
    #[must_use]
    pub fn attribute(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.user_attributes.insert(name.into(), value.into());
        self
    }

    /// Sets the migrated user's status.
    ///
    /// ```
    /// use cognito_trigger::{FinalUserStatus, UserMigrationResponse};
    ///
    /// let response = UserMigrationResponse::new()
    ///     .attribute("email", "ada@example.com")
    ///     .status(FinalUserStatus::Confirmed);
    /// assert_eq!(response.final_user_status, Some(FinalUserStatus::Confirmed));
    /// ```
    #[must_use]
    pub fn status(mut self, status: FinalUserStatus) -> Self {
        self.final_user_status = Some(status);
        self
    }

    /// Skips the welcome message.
    ///
    /// ```
    /// use cognito_trigger::{MessageAction, UserMigrationResponse};
    ///
    /// let response = UserMigrationResponse::new().suppress_welcome_message();
    /// assert_eq!(response.message_action, Some(MessageAction::Suppress));
    /// assert_eq!(serde_json::to_string(&response).unwrap(), r#"{"messageAction":"SUPPRESS"}"#);
    /// ```
    #[must_use]
    pub fn suppress_welcome_message(mut self) -> Self {
        self.message_action = Some(MessageAction::Suppress);
        self
    }

    /// Whether this response creates a user (it has attributes).
    ///
    /// ```
    /// use cognito_trigger::UserMigrationResponse;
    ///
    /// assert!(!UserMigrationResponse::new().suppress_welcome_message().migrates_user());
    /// assert!(UserMigrationResponse::new().attribute("email", "ada@example.com").migrates_user());
    /// ```
    #[must_use]
    pub fn migrates_user(&self) -> bool {
        !self.user_attributes.is_empty()
    }
}
