//! Pre sign-up and post confirmation.

use super::trigger_source;
use crate::wire::{StringMap, wire_struct};

trigger_source! {
    /// Why pre sign-up ran.
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
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Confirms the user without a confirmation code.
    #[must_use]
    pub fn confirm_user(mut self) -> Self {
        self.auto_confirm_user = Some(true);
        self
    }

    /// Marks the user's `email` as verified.
    #[must_use]
    pub fn verify_email(mut self) -> Self {
        self.auto_verify_email = Some(true);
        self
    }

    /// Marks the user's `phone_number` as verified.
    #[must_use]
    pub fn verify_phone(mut self) -> Self {
        self.auto_verify_phone = Some(true);
        self
    }
}

trigger_source! {
    /// Why post confirmation ran.
    pub enum PostConfirmationSource {
        /// Sign-up confirmed (also a federated user's first sign-in).
        ConfirmSignUp = "PostConfirmation_ConfirmSignUp",
        /// A password reset was confirmed.
        ConfirmForgotPassword = "PostConfirmation_ConfirmForgotPassword",
    }
}

wire_struct! {
    /// The request of a post confirmation event.
    pub struct PostConfirmationRequest<'a> {
        /// The confirmed user's attributes, with `sub` and `cognito:user_status`.
        "userAttributes" => user_attributes: StringMap<'a>,
        /// `ClientMetadata` of the confirming API call.
        "clientMetadata" => client_metadata: StringMap<'a>,
    }
}
