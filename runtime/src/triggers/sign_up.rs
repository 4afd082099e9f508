//! Pre sign-up and post confirmation.

use super::trigger_source;
use crate::wire::{StringMap, wire_struct};

trigger_source! {
    /// Why pre sign-up ran.
    ///
    /// ```
    /// use cognito_trigger::PreSignUpSource;
    ///
    /// let source = PreSignUpSource::parse("PreSignUp_ExternalProvider");
    /// assert_eq!(source, PreSignUpSource::ExternalProvider);
    /// assert_eq!(PreSignUpSource::AdminCreateUser.as_str(), "PreSignUp_AdminCreateUser");
    /// ```
    pub enum PreSignUpSource {
        /// Self-service sign-up: the `SignUp` API or managed login's sign-up page.
        SignUp = "PreSignUp_SignUp",
        /// An administrator created the user (`AdminCreateUser`).
        AdminCreateUser = "PreSignUp_AdminCreateUser",
        /// First sign-in through a SAML, OIDC or social identity provider.
        ExternalProvider = "PreSignUp_ExternalProvider",
    }
}

wire_struct! {
    /// The request of a pre sign-up event.
    ///
    /// ```
    /// use cognito_trigger::PreSignUpEvent;
    ///
    /// let bytes = br#"{"version":"1","triggerSource":"PreSignUp_SignUp",
    ///   "request":{"userAttributes":{"email":"ada@example.com"},"validationData":null,
    ///              "clientMetadata":{"invite":"XK2"}},"response":{}}"#;
    /// let event = PreSignUpEvent::from_slice(bytes)?;
    /// assert_eq!(event.request.user_attributes.get("email"), Some("ada@example.com"));
    /// assert!(event.request.validation_data.is_empty());
    /// assert_eq!(event.request.client_metadata.get("invite"), Some("XK2"));
    /// Ok::<(), cognito_trigger::DecodeError>(())
    /// ```
    pub struct PreSignUpRequest<'a> {
        /// Attributes given at sign-up, or mapped from the identity provider.
        "userAttributes" => user_attributes: StringMap<'a>,
        /// `ValidationData` of `SignUp`/`AdminCreateUser`: temporary, never stored. Often `null`.
        "validationData" => validation_data: StringMap<'a>,
        /// `ClientMetadata` of the API call; absent when the caller sent none.
        "clientMetadata" => client_metadata: StringMap<'a>,
    }
}

wire_struct! {
    /// What pre sign-up decides. `None` keeps Cognito's default (`false`). To reject the
    /// sign-up, fail the handler: `false` here does not reject.
    ///
    /// ```
    /// use cognito_trigger::PreSignUpResponse;
    ///
    /// let response = PreSignUpResponse::new().confirm_user().verify_email();
    /// assert_eq!(response.auto_confirm_user, Some(true));
    /// assert_eq!(response.auto_verify_phone, None);
    /// assert_eq!(
    ///     serde_json::to_string(&response).unwrap(),
    ///     r#"{"autoConfirmUser":true,"autoVerifyEmail":true}"#,
    /// );
    /// ```
    pub struct PreSignUpResponse {
        /// Confirm the user without a code. Ignored for `PreSignUp_AdminCreateUser`.
        "autoConfirmUser" => auto_confirm_user: Option<bool>,
        /// Mark `email` verified; the attribute must be present or sign-up fails.
        "autoVerifyEmail" => auto_verify_email: Option<bool>,
        /// Mark `phone_number` verified; the attribute must be present or sign-up fails.
        "autoVerifyPhone" => auto_verify_phone: Option<bool>,
    }
}

impl PreSignUpResponse {
    /// A response that changes nothing.
    ///
    /// ```
    /// use cognito_trigger::PreSignUpResponse;
    ///
    /// let response = PreSignUpResponse::new();
    /// assert_eq!(response.auto_confirm_user, None);
    /// assert_eq!(serde_json::to_string(&response).unwrap(), "{}");
    /// ```
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Confirms the user without a confirmation code.
    ///
    /// ```
    /// use cognito_trigger::PreSignUpResponse;
    ///
    /// let response = PreSignUpResponse::new().confirm_user();
    /// assert_eq!(serde_json::to_string(&response).unwrap(), r#"{"autoConfirmUser":true}"#);
    /// ```
    #[must_use]
    pub fn confirm_user(mut self) -> Self {
        self.auto_confirm_user = Some(true);
        self
    }

    /// Marks the user's `email` as verified.
    ///
    /// ```
    /// use cognito_trigger::PreSignUpResponse;
    ///
    /// let response = PreSignUpResponse::new().verify_email();
    /// assert_eq!(response.auto_verify_email, Some(true));
    /// assert_eq!(response.auto_confirm_user, None);
    /// ```
    #[must_use]
    pub fn verify_email(mut self) -> Self {
        self.auto_verify_email = Some(true);
        self
    }

    /// Marks the user's `phone_number` as verified.
    ///
    /// ```
    /// use cognito_trigger::PreSignUpResponse;
    ///
    /// let response = PreSignUpResponse::new().verify_phone();
    /// assert_eq!(serde_json::to_string(&response).unwrap(), r#"{"autoVerifyPhone":true}"#);
    /// ```
    #[must_use]
    pub fn verify_phone(mut self) -> Self {
        self.auto_verify_phone = Some(true);
        self
    }
}

trigger_source! {
    /// Why post confirmation ran.
    ///
    /// ```
    /// use cognito_trigger::PostConfirmationSource;
    ///
    /// let source = PostConfirmationSource::parse("PostConfirmation_ConfirmForgotPassword");
    /// assert_eq!(source, PostConfirmationSource::ConfirmForgotPassword);
    /// assert_eq!(source.position(), Some(1));
    /// ```
    pub enum PostConfirmationSource {
        /// Sign-up confirmed (also a federated user's first sign-in).
        ConfirmSignUp = "PostConfirmation_ConfirmSignUp",
        /// A password reset was confirmed.
        ConfirmForgotPassword = "PostConfirmation_ConfirmForgotPassword",
    }
}

wire_struct! {
    /// The request of a post confirmation event.
    ///
    /// ```
    /// use cognito_trigger::PostConfirmationEvent;
    ///
    /// let bytes = br#"{"version":"1","triggerSource":"PostConfirmation_ConfirmSignUp",
    ///   "request":{"userAttributes":{"sub":"42","cognito:user_status":"CONFIRMED"}},
    ///   "response":{}}"#;
    /// let event = PostConfirmationEvent::from_slice(bytes)?;
    /// assert_eq!(event.request.user_attributes.get("cognito:user_status"), Some("CONFIRMED"));
    /// assert!(event.request.client_metadata.is_empty());
    /// Ok::<(), cognito_trigger::DecodeError>(())
    /// ```
    pub struct PostConfirmationRequest<'a> {
        /// The confirmed user's attributes, with `sub` and `cognito:user_status`.
        "userAttributes" => user_attributes: StringMap<'a>,
        /// `ClientMetadata` of the confirming API call.
        "clientMetadata" => client_metadata: StringMap<'a>,
    }
}
