//! The custom authentication challenge: define, create and verify.

use std::borrow::Cow;

use super::trigger_source;
use crate::wire::{LenientText, StringMap, open_enum, wire_struct};

open_enum! {
    /// A step of an authentication flow, as named in `session` entries and in define auth
    /// challenge's answer.
    ///
    /// ```
    /// use cognito_trigger::ChallengeName;
    ///
    /// assert_eq!(ChallengeName::parse("SMS_MFA"), ChallengeName::SmsMfa);
    /// assert_eq!(ChallengeName::CustomChallenge.as_str(), "CUSTOM_CHALLENGE");
    /// assert_eq!(ChallengeName::parse("WEB_AUTHN"), ChallengeName::Other("WEB_AUTHN".to_owned()));
    /// ```
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
    ///
    /// ```
    /// use cognito_trigger::{ChallengeName, ChallengeResult};
    ///
    /// let json = r#"{"challengeName":"CUSTOM_CHALLENGE","challengeResult":null,"challengeMetadata":"EMAIL_CODE"}"#;
    /// let step: ChallengeResult = serde_json::from_str(json).unwrap();
    /// assert_eq!(step.challenge_name, Some(ChallengeName::CustomChallenge));
    /// assert!(!step.challenge_result);
    /// assert_eq!(step.challenge_metadata.as_deref(), Some("EMAIL_CODE"));
    /// ```
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
    ///
    /// ```
    /// use cognito_trigger::{ChallengeName, ChallengeResult};
    ///
    /// let json = r#"{"challengeName":"PASSWORD_VERIFIER","challengeResult":true}"#;
    /// let step: ChallengeResult = serde_json::from_str(json).unwrap();
    /// assert!(step.passed(&ChallengeName::PasswordVerifier));
    /// assert!(!step.passed(&ChallengeName::CustomChallenge));
    /// ```
    #[must_use]
    pub fn passed(&self, name: &ChallengeName) -> bool {
        self.challenge_result && self.challenge_name.as_ref() == Some(name)
    }
}

trigger_source! {
    /// Why define auth challenge ran.
    ///
    /// ```
    /// use cognito_trigger::DefineAuthChallengeSource;
    ///
    /// assert_eq!(DefineAuthChallengeSource::KNOWN, [DefineAuthChallengeSource::Authentication]);
    /// assert_eq!(
    ///     DefineAuthChallengeSource::from("DefineAuthChallenge_Authentication"),
    ///     DefineAuthChallengeSource::Authentication,
    /// );
    /// ```
    pub enum DefineAuthChallengeSource {
        /// A step of a custom authentication flow.
        Authentication = "DefineAuthChallenge_Authentication",
    }
}

wire_struct! {
    /// The request of a define auth challenge event.
    ///
    /// ```
    /// use cognito_trigger::{ChallengeName, DefineAuthChallengeEvent};
    ///
    /// let bytes = br#"{"version":"1","triggerSource":"DefineAuthChallenge_Authentication",
    ///   "request":{"userAttributes":{"email":"ada@example.com"},"session":[
    ///     {"challengeName":"SRP_A","challengeResult":true},
    ///     {"challengeName":"PASSWORD_VERIFIER","challengeResult":true}]},
    ///   "response":{}}"#;
    /// let event = DefineAuthChallengeEvent::from_slice(bytes)?;
    /// assert_eq!(event.request.session.len(), 2);
    /// assert_eq!(event.request.session[0].challenge_name, Some(ChallengeName::SrpA));
    /// Ok::<(), cognito_trigger::DecodeError>(())
    /// ```
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
    ///
    /// ```
    /// use cognito_trigger::{ChallengeName, DefineAuthChallengeEvent, DefineAuthChallengeRequest};
    ///
    /// let bytes = br#"{"version":"1","triggerSource":"DefineAuthChallenge_Authentication",
    ///   "request":{"userAttributes":{},"session":[
    ///     {"challengeName":"CUSTOM_CHALLENGE","challengeResult":false},
    ///     {"challengeName":"CUSTOM_CHALLENGE","challengeResult":true}]},
    ///   "response":{}}"#;
    /// let event = DefineAuthChallengeEvent::from_slice(bytes)?;
    /// let last = event.request.last_challenge().unwrap();
    /// assert!(last.passed(&ChallengeName::CustomChallenge));
    /// assert!(DefineAuthChallengeRequest::default().last_challenge().is_none());
    /// Ok::<(), cognito_trigger::DecodeError>(())
    /// ```
    #[must_use]
    pub fn last_challenge(&self) -> Option<&ChallengeResult<'a>> {
        self.session.last()
    }

    /// How many `CUSTOM_CHALLENGE` steps the user has attempted.
    ///
    /// ```
    /// use cognito_trigger::DefineAuthChallengeEvent;
    ///
    /// let bytes = br#"{"version":"1","triggerSource":"DefineAuthChallenge_Authentication",
    ///   "request":{"userAttributes":{},"session":[
    ///     {"challengeName":"PASSWORD_VERIFIER","challengeResult":true},
    ///     {"challengeName":"CUSTOM_CHALLENGE","challengeResult":false},
    ///     {"challengeName":"CUSTOM_CHALLENGE","challengeResult":false}]},
    ///   "response":{}}"#;
    /// let event = DefineAuthChallengeEvent::from_slice(bytes)?;
    /// assert_eq!(event.request.custom_challenge_attempts(), 2);
    /// Ok::<(), cognito_trigger::DecodeError>(())
    /// ```
    #[must_use]
    pub fn custom_challenge_attempts(&self) -> usize {
        self.session
            .iter()
            .filter(|step| step.challenge_name == Some(ChallengeName::CustomChallenge))
            .count()
    }

    /// Whether the username matched no user.
    ///
    /// ```
    /// use cognito_trigger::DefineAuthChallengeEvent;
    ///
    /// let bytes = br#"{"version":"1","triggerSource":"DefineAuthChallenge_Authentication",
    ///   "request":{"userAttributes":{},"session":[],"userNotFound":true},"response":{}}"#;
    /// let event = DefineAuthChallengeEvent::from_slice(bytes)?;
    /// assert!(event.request.is_user_not_found());
    /// Ok::<(), cognito_trigger::DecodeError>(())
    /// ```
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
    ///
    /// ```
    /// use cognito_trigger::DefineAuthChallengeResponse;
    ///
    /// let response = DefineAuthChallengeResponse::succeed();
    /// assert_eq!(
    ///     serde_json::to_string(&response).unwrap(),
    ///     r#"{"issueTokens":true,"failAuthentication":false}"#,
    /// );
    /// ```
    #[must_use]
    pub fn succeed() -> Self {
        Self {
            issue_tokens: Some(true),
            fail_authentication: Some(false),
            ..Self::default()
        }
    }

    /// Authentication failed.
    ///
    /// ```
    /// use cognito_trigger::DefineAuthChallengeResponse;
    ///
    /// let response = DefineAuthChallengeResponse::fail();
    /// assert_eq!(response.fail_authentication, Some(true));
    /// assert_eq!(response.issue_tokens, Some(false));
    /// assert_eq!(response.challenge_name, None);
    /// ```
    #[must_use]
    pub fn fail() -> Self {
        Self {
            issue_tokens: Some(false),
            fail_authentication: Some(true),
            ..Self::default()
        }
    }

    /// Present `challenge` next.
    ///
    /// ```
    /// use cognito_trigger::{ChallengeName, DefineAuthChallengeResponse};
    ///
    /// let response = DefineAuthChallengeResponse::next_challenge(ChallengeName::CustomChallenge);
    /// assert_eq!(
    ///     serde_json::to_string(&response).unwrap(),
    ///     r#"{"challengeName":"CUSTOM_CHALLENGE","issueTokens":false,"failAuthentication":false}"#,
    /// );
    /// ```
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
    ///
    /// ```
    /// use cognito_trigger::CreateAuthChallengeSource;
    ///
    /// let source = CreateAuthChallengeSource::Authentication;
    /// assert_eq!(format!("{source}"), "CreateAuthChallenge_Authentication");
    /// assert_eq!(source.position(), Some(0));
    /// ```
    pub enum CreateAuthChallengeSource {
        /// Define auth challenge asked for `CUSTOM_CHALLENGE`.
        Authentication = "CreateAuthChallenge_Authentication",
    }
}

wire_struct! {
    /// The request of a create auth challenge event.
    ///
    /// ```
    /// use cognito_trigger::{ChallengeName, CreateAuthChallengeEvent};
    ///
    /// let bytes = br#"{"version":"1","triggerSource":"CreateAuthChallenge_Authentication",
    ///   "request":{"userAttributes":{"email":"ada@example.com"},
    ///              "challengeName":"CUSTOM_CHALLENGE","session":[]},"response":{}}"#;
    /// let event = CreateAuthChallengeEvent::from_slice(bytes)?;
    /// assert_eq!(event.request.challenge_name, Some(ChallengeName::CustomChallenge));
    /// assert!(event.request.session.is_empty());
    /// Ok::<(), cognito_trigger::DecodeError>(())
    /// ```
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
    ///
    /// ```
    /// use cognito_trigger::CreateAuthChallengeResponse;
    ///
    /// let response = CreateAuthChallengeResponse::new();
    /// assert_eq!(serde_json::to_string(&response).unwrap(), "{}");
    /// ```
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a parameter the client sees.
    ///
    /// ```
    /// use cognito_trigger::CreateAuthChallengeResponse;
    ///
    /// let response =
    ///     CreateAuthChallengeResponse::new().public_parameter("deliveredTo", "a***@example.com");
    /// let public = &response.public_challenge_parameters;
    /// assert_eq!(public.get("deliveredTo"), Some("a***@example.com"));
    /// assert!(response.private_challenge_parameters.is_empty());
    /// ```
    #[must_use]
    pub fn public_parameter(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.public_challenge_parameters
            .insert(name.into(), value.into());
        self
    }

    /// Adds a parameter only verify auth challenge sees.
    ///
    /// ```
    /// use cognito_trigger::CreateAuthChallengeResponse;
    ///
    /// let response = CreateAuthChallengeResponse::new().private_parameter("answer", "482913");
    /// assert_eq!(
    ///     serde_json::to_string(&response).unwrap(),
    ///     r#"{"privateChallengeParameters":{"answer":"482913"}}"#,
    /// );
    /// ```
    #[must_use]
    pub fn private_parameter(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.private_challenge_parameters
            .insert(name.into(), value.into());
        self
    }

    /// Sets the label later `session` entries carry.
    ///
    /// ```
    /// use cognito_trigger::CreateAuthChallengeResponse;
    ///
    /// let response = CreateAuthChallengeResponse::new().metadata("EMAIL_CODE");
    /// assert_eq!(response.challenge_metadata.as_deref(), Some("EMAIL_CODE"));
    /// ```
    #[must_use]
    pub fn metadata(mut self, metadata: impl Into<String>) -> Self {
        self.challenge_metadata = Some(metadata.into());
        self
    }
}

trigger_source! {
    /// Why verify auth challenge response ran.
    ///
    /// ```
    /// use cognito_trigger::VerifyAuthChallengeResponseSource;
    ///
    /// let wire = "VerifyAuthChallengeResponse_Authentication";
    /// let source = VerifyAuthChallengeResponseSource::parse(wire);
    /// assert_eq!(source, VerifyAuthChallengeResponseSource::Authentication);
    /// assert!(source.is_known());
    /// ```
    pub enum VerifyAuthChallengeResponseSource {
        /// The client answered a custom challenge.
        Authentication = "VerifyAuthChallengeResponse_Authentication",
    }
}

wire_struct! {
    /// The request of a verify auth challenge response event.
    ///
    /// ```
    /// use cognito_trigger::VerifyAuthChallengeResponseEvent;
    ///
    /// let bytes = br#"{"version":"1","triggerSource":"VerifyAuthChallengeResponse_Authentication",
    ///   "request":{"userAttributes":{},"privateChallengeParameters":{"answer":"482913"},
    ///              "challengeAnswer":482913},"response":{}}"#;
    /// let event = VerifyAuthChallengeResponseEvent::from_slice(bytes)?;
    /// // A numeric answer is kept as its JSON text.
    /// assert_eq!(event.request.challenge_answer, "482913");
    /// assert_eq!(event.request.private_challenge_parameters.get("answer"), Some("482913"));
    /// Ok::<(), cognito_trigger::DecodeError>(())
    /// ```
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
    ///
    /// ```
    /// use cognito_trigger::VerifyAuthChallengeResponseResponse;
    ///
    /// let response = VerifyAuthChallengeResponseResponse::answer(false);
    /// assert_eq!(serde_json::to_string(&response).unwrap(), r#"{"answerCorrect":false}"#);
    /// ```
    #[must_use]
    pub fn answer(correct: bool) -> Self {
        Self {
            answer_correct: Some(correct),
            ..Self::default()
        }
    }
}
