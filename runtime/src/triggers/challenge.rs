//! The custom authentication challenge: define, create and verify.

use std::borrow::Cow;

use super::trigger_source;
use crate::wire::{LenientText, StringMap, open_enum, wire_struct};

open_enum! {
    /// A step of an authentication flow, as named in `session` entries and in define auth
    /// challenge's answer.
    pub enum ChallengeName {
        /// Your own challenge, built by create auth challenge.
        CustomChallenge = "CUSTOM_CHALLENGE",
        /// The client started SRP.
        SrpA = "SRP_A",
        /// Password check (SRP or plain password).
        PasswordVerifier = "PASSWORD_VERIFIER",
        /// SMS MFA code.
        SmsMfa = "SMS_MFA",
        /// Email one-time password.
        EmailOtp = "EMAIL_OTP",
        /// TOTP authenticator app code.
        SoftwareTokenMfa = "SOFTWARE_TOKEN_MFA",
        /// Remembered-device SRP.
        DeviceSrpAuth = "DEVICE_SRP_AUTH",
        /// Remembered-device password verifier.
        DevicePasswordVerifier = "DEVICE_PASSWORD_VERIFIER",
        /// Admin password authentication without SRP.
        AdminNoSrpAuth = "ADMIN_NO_SRP_AUTH",
        /// The user must set a new password.
        NewPasswordRequired = "NEW_PASSWORD_REQUIRED",
    }
}

wire_struct! {
    /// One step the user went through, an element of `request.session`.
    pub struct ChallengeResult<'a> {
        /// Which challenge.
        "challengeName" => challenge_name: Option<ChallengeName>,
        /// Whether the user passed it (`null` reads as `false`).
        "challengeResult" => challenge_result: bool,
        /// Your label from create auth challenge, for `CUSTOM_CHALLENGE` steps.
        "challengeMetadata" => challenge_metadata: Option<Cow<'a, str>>,
    }
}

impl ChallengeResult<'_> {
    /// Whether this step is `name` and the user passed it: the check to make before
    /// issuing tokens (a passed step of another kind must not count).
    #[must_use]
    pub fn passed(&self, name: &ChallengeName) -> bool {
        self.challenge_result && self.challenge_name.as_ref() == Some(name)
    }
}

trigger_source! {
    /// Why define auth challenge ran.
    pub enum DefineAuthChallengeSource {
        /// A step of a custom authentication flow.
        Authentication = "DefineAuthChallenge_Authentication",
    }
}

wire_struct! {
    /// The request of a define auth challenge event.
    pub struct DefineAuthChallengeRequest<'a> {
        /// The user's attributes.
        "userAttributes" => user_attributes: StringMap<'a>,
        /// The steps so far, oldest first. Cognito inserts MFA steps of its own after
        /// `PASSWORD_VERIFIER` when the user has MFA.
        "session" => session: Vec<ChallengeResult<'a>>,
        /// `ClientMetadata`, from `(Admin)RespondToAuthChallenge` only.
        "clientMetadata" => client_metadata: StringMap<'a>,
        /// `true` when simulating a flow for an unknown user (`PreventUserExistenceErrors`).
        "userNotFound" => user_not_found: Option<bool>,
    }
}

impl<'a> DefineAuthChallengeRequest<'a> {
    /// The most recent step, if any.
    #[must_use]
    pub fn last_challenge(&self) -> Option<&ChallengeResult<'a>> {
        self.session.last()
    }

    /// How many `CUSTOM_CHALLENGE` steps the user has attempted.
    #[must_use]
    pub fn custom_challenge_attempts(&self) -> usize {
        self.session
            .iter()
            .filter(|step| step.challenge_name == Some(ChallengeName::CustomChallenge))
            .count()
    }

    /// Whether the username matched no user.
    #[must_use]
    pub fn is_user_not_found(&self) -> bool {
        self.user_not_found == Some(true)
    }
}

wire_struct! {
    /// What define auth challenge decides: the next step, success, or failure.
    ///
    /// Cognito pre-fills all three with `null`, and documents no meaning for that; the
    /// constructors set all three so the answer is never ambiguous.
    ///
    /// ```
    /// use cognito_trigger::{ChallengeName, DefineAuthChallengeResponse};
    ///
    /// let next = DefineAuthChallengeResponse::next_challenge(ChallengeName::CustomChallenge);
    /// assert_eq!(next.issue_tokens, Some(false));
    /// assert_eq!(DefineAuthChallengeResponse::succeed().issue_tokens, Some(true));
    /// assert_eq!(DefineAuthChallengeResponse::fail().fail_authentication, Some(true));
    /// ```
    pub struct DefineAuthChallengeResponse {
        /// The challenge to present next (`CUSTOM_CHALLENGE`, `PASSWORD_VERIFIER`, ...).
        "challengeName" => challenge_name: Option<ChallengeName>,
        /// `true`: authentication is complete and tokens are issued.
        "issueTokens" => issue_tokens: Option<bool>,
        /// `true`: the flow ends in failure (`NotAuthorizedException` for the client).
        "failAuthentication" => fail_authentication: Option<bool>,
    }
}

impl DefineAuthChallengeResponse {
    /// Fails closed when the response decides nothing: Cognito documents no meaning for
    /// an answer with no next challenge, no tokens and no failure.
    pub(crate) fn settle(&mut self) {
        let decided = self.issue_tokens == Some(true)
            || self.fail_authentication == Some(true)
            || self.challenge_name.is_some();
        if !decided {
            self.issue_tokens = Some(false);
            self.fail_authentication = Some(true);
        }
    }

    /// Authentication succeeded: issue tokens.
    #[must_use]
    pub fn succeed() -> Self {
        Self {
            issue_tokens: Some(true),
            fail_authentication: Some(false),
            ..Self::default()
        }
    }

    /// Authentication failed.
    #[must_use]
    pub fn fail() -> Self {
        Self {
            issue_tokens: Some(false),
            fail_authentication: Some(true),
            ..Self::default()
        }
    }

    /// Present `challenge` next.
    #[must_use]
    pub fn next_challenge(challenge: ChallengeName) -> Self {
        Self {
            challenge_name: Some(challenge),
            issue_tokens: Some(false),
            fail_authentication: Some(false),
            ..Self::default()
        }
    }
}

trigger_source! {
    /// Why create auth challenge ran.
    pub enum CreateAuthChallengeSource {
        /// Define auth challenge asked for `CUSTOM_CHALLENGE`.
        Authentication = "CreateAuthChallenge_Authentication",
    }
}

wire_struct! {
    /// The request of a create auth challenge event.
    pub struct CreateAuthChallengeRequest<'a> {
        /// The user's attributes.
        "userAttributes" => user_attributes: StringMap<'a>,
        /// The challenge define auth challenge chose (normally `CUSTOM_CHALLENGE`).
        "challengeName" => challenge_name: Option<ChallengeName>,
        /// The steps so far, oldest first.
        "session" => session: Vec<ChallengeResult<'a>>,
        /// `ClientMetadata`, from `(Admin)RespondToAuthChallenge` only.
        "clientMetadata" => client_metadata: StringMap<'a>,
        /// `true` when simulating a flow for an unknown user.
        "userNotFound" => user_not_found: Option<bool>,
    }
}

wire_struct! {
    /// The challenge create auth challenge builds.
    ///
    /// ```
    /// use cognito_trigger::CreateAuthChallengeResponse;
    ///
    /// let response = CreateAuthChallengeResponse::new()
    ///     .public_parameter("deliveredTo", "a***@example.com")
    ///     .private_parameter("answer", "482913")
    ///     .metadata("EMAIL_CODE");
    /// assert_eq!(response.private_challenge_parameters.get("answer"), Some("482913"));
    /// ```
    pub struct CreateAuthChallengeResponse {
        /// Sent to the client as `ChallengeParameters`: what it needs to render the challenge.
        "publicChallengeParameters" => public_challenge_parameters: StringMap<'static>,
        /// Passed only to verify auth challenge, e.g. the expected answer.
        "privateChallengeParameters" => private_challenge_parameters: StringMap<'static>,
        /// A label that shows up in later `session` entries.
        "challengeMetadata" => challenge_metadata: Option<String>,
    }
}

impl CreateAuthChallengeResponse {
    /// A response with no parameters.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a parameter the client sees.
    #[must_use]
    pub fn public_parameter(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.public_challenge_parameters
            .insert(name.into(), value.into());
        self
    }

    /// Adds a parameter only verify auth challenge sees.
    #[must_use]
    pub fn private_parameter(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.private_challenge_parameters
            .insert(name.into(), value.into());
        self
    }

    /// Sets the label later `session` entries carry.
    #[must_use]
    pub fn metadata(mut self, metadata: impl Into<String>) -> Self {
        self.challenge_metadata = Some(metadata.into());
        self
    }
}

trigger_source! {
    /// Why verify auth challenge response ran.
    pub enum VerifyAuthChallengeResponseSource {
        /// The client answered a custom challenge.
        Authentication = "VerifyAuthChallengeResponse_Authentication",
    }
}

wire_struct! {
    /// The request of a verify auth challenge response event.
    pub struct VerifyAuthChallengeResponseRequest<'a> {
        /// The user's attributes.
        "userAttributes" => user_attributes: StringMap<'a>,
        /// What create auth challenge put in `privateChallengeParameters`.
        "privateChallengeParameters" => private_challenge_parameters: StringMap<'a>,
        /// The client's `ANSWER`. Any non-string JSON is kept as its JSON text.
        "challengeAnswer" => challenge_answer: Cow<'a, str> as LenientText<'a>,
        /// `ClientMetadata` of `(Admin)RespondToAuthChallenge`.
        "clientMetadata" => client_metadata: StringMap<'a>,
        /// `true` when simulating a flow for an unknown user.
        "userNotFound" => user_not_found: Option<bool>,
    }
}

wire_struct! {
    /// Whether the answer was right. `None` is read as wrong.
    ///
    /// ```
    /// use cognito_trigger::VerifyAuthChallengeResponseResponse;
    ///
    /// assert_eq!(VerifyAuthChallengeResponseResponse::answer(true).answer_correct, Some(true));
    /// ```
    pub struct VerifyAuthChallengeResponseResponse {
        /// Becomes this step's `challengeResult` in the next define auth challenge call.
        "answerCorrect" => answer_correct: Option<bool>,
    }
}

impl VerifyAuthChallengeResponseResponse {
    /// An unset verdict is a wrong answer.
    pub(crate) fn settle(&mut self) {
        self.answer_correct.get_or_insert(false);
    }

    /// The verdict on the answer.
    #[must_use]
    pub fn answer(correct: bool) -> Self {
        Self {
            answer_correct: Some(correct),
            ..Self::default()
        }
    }
}
