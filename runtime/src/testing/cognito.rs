//! [`Cognito`]: a user pool in a box, driving a [`Pool`] through Cognito's flows.

use std::collections::BTreeMap;
use std::fmt;

use serde_json::{Map, Value, json};

use super::TestEvent;
use super::event::block_on;
use super::templates::{CLIENT_ID, REGION, USER_POOL_ID};
use crate::event::{Trigger, TriggerSource};
use crate::invoke::{INVALID_RESPONSE, InvocationError};
use crate::kinds::*;
use crate::pool::Pool;
use crate::rules::token as token_rules;
use crate::table::TriggerKind;
use crate::triggers::*;
use crate::wire::Secret;

/// A user's account status, as `AdminGetUser` reports it.
///
/// ```
/// use cognito_trigger::testing::UserStatus;
///
/// assert_eq!(UserStatus::ForceChangePassword.as_str(), "FORCE_CHANGE_PASSWORD");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum UserStatus {
    /// Signed up, not confirmed yet.
    Unconfirmed,
    /// Confirmed: may sign in.
    Confirmed,
    /// Created by an administrator: must change the temporary password at first sign-in.
    ForceChangePassword,
    /// Must reset the password before signing in (a migrated user, by default).
    ResetRequired,
}

impl UserStatus {
    /// The status as Cognito writes it.
    ///
    /// ```
    /// use cognito_trigger::testing::UserStatus;
    ///
    /// assert_eq!(UserStatus::Confirmed.as_str(), "CONFIRMED");
    /// ```
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Unconfirmed => "UNCONFIRMED",
            Self::Confirmed => "CONFIRMED",
            Self::ForceChangePassword => "FORCE_CHANGE_PASSWORD",
            Self::ResetRequired => "RESET_REQUIRED",
        }
    }

    fn parse(status: &str) -> Option<Self> {
        match status {
            "CONFIRMED" => Some(Self::Confirmed),
            "RESET_REQUIRED" => Some(Self::ResetRequired),
            _ => None,
        }
    }
}

impl fmt::Display for UserStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A user of the simulated pool.
///
/// ```
/// use cognito_trigger::testing::{Cognito, UserStatus};
///
/// let mut cognito = Cognito::new(cognito_trigger::Pool::new());
/// cognito.sign_up("ada", "Passw0rd!", &[("email", "ada@example.com")]).unwrap();
/// let ada = cognito.user("ada").unwrap();
/// assert_eq!(ada.status, UserStatus::Unconfirmed);
/// assert!(ada.attributes.contains_key("sub"));
/// assert!(ada.groups.is_empty());
/// ```
#[derive(Clone)]
#[non_exhaustive]
pub struct User {
    /// The username.
    pub username: String,
    /// The status.
    pub status: UserStatus,
    /// The attributes, `sub` included (not the `cognito:` pseudo-attributes).
    pub attributes: BTreeMap<String, String>,
    /// The groups the user belongs to.
    pub groups: Vec<String>,
    /// `None` for a user migrated at a password reset, until the reset is confirmed.
    password: Option<Secret<'static>>,
    /// The codes sent to the user and not used yet, each with what it confirms.
    pending_codes: Vec<(Secret<'static>, Purpose)>,
}

impl fmt::Debug for User {
    /// Everything a test reads, not the password or the codes sent.
    ///
    /// ```
    /// use cognito_trigger::testing::Cognito;
    ///
    /// let mut cognito = Cognito::new(cognito_trigger::Pool::new());
    /// cognito.sign_up("ada", "Passw0rd!", &[("email", "ada@example.com")]).unwrap();
    /// let shown = format!("{:?}", cognito.user("ada").unwrap());
    /// assert!(!shown.contains("Passw0rd!") && !shown.contains("100001"), "{shown}");
    /// ```
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("User")
            .field("username", &self.username)
            .field("status", &self.status)
            .field("attributes", &self.attributes)
            .field("groups", &self.groups)
            .finish_non_exhaustive()
    }
}

impl User {
    fn has_password(&self, password: &str) -> bool {
        self.password
            .as_ref()
            .is_some_and(|p| p.expose() == password)
    }

    /// One attribute's value.
    ///
    /// ```
    /// use cognito_trigger::testing::Cognito;
    ///
    /// let mut cognito = Cognito::new(cognito_trigger::Pool::new());
    /// cognito.sign_up("ada", "Passw0rd!", &[("email", "ada@example.com")]).unwrap();
    /// assert_eq!(cognito.user("ada").unwrap().attribute("email"), Some("ada@example.com"));
    /// ```
    #[must_use]
    pub fn attribute(&self, name: &str) -> Option<&str> {
        self.attributes.get(name).map(String::as_str)
    }
}

/// What a code confirms.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Purpose {
    SignUp,
    PasswordReset,
    Attribute(String),
}

/// How a message reaches the user.
///
/// ```
/// use cognito_trigger::testing::{Cognito, Medium};
///
/// let mut cognito = Cognito::new(cognito_trigger::Pool::new());
/// cognito.sign_up("ada", "Passw0rd!", &[("phone_number", "+351910000000")]).unwrap();
/// assert_eq!(cognito.last_delivery().unwrap().medium, Medium::Sms);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Medium {
    /// By email, to `email`.
    Email,
    /// By SMS, to `phone_number`.
    Sms,
}

/// A message Cognito sent (or handed to a custom sender).
///
/// ```
/// use cognito_trigger::testing::{Cognito, Medium};
///
/// let mut cognito = Cognito::new(cognito_trigger::Pool::new());
/// cognito.sign_up("ada", "Passw0rd!", &[("email", "ada@example.com")]).unwrap();
/// let delivery = cognito.last_delivery().unwrap();
/// assert_eq!((delivery.medium, delivery.to.as_str()), (Medium::Email, "ada@example.com"));
/// assert_eq!(delivery.subject.as_deref(), Some("Your verification code"));
/// assert_eq!(delivery.code, "100001");
/// ```
#[derive(Clone)]
#[non_exhaustive]
pub struct Delivery {
    /// The `triggerSource` of the custom message or custom sender event it came with,
    /// e.g. `CustomMessage_SignUp`, whether or not such a trigger is configured.
    pub trigger_source: String,
    /// Email or SMS.
    pub medium: Medium,
    /// The address or phone number.
    pub to: String,
    /// The email's subject (`None` for SMS, and when a custom sender delivers).
    pub subject: Option<String>,
    /// The text, with the code in place of the placeholder (`None` when a custom sender
    /// delivers: the simulator does not know its text).
    pub message: Option<String>,
    /// The code (or temporary password) the message carries.
    pub code: String,
    /// The custom sender's error, if one was configured and failed (Cognito does not tell
    /// the client: the sender runs asynchronously).
    pub sender_error: Option<String>,
}

impl fmt::Debug for Delivery {
    /// Where the message went, not the code or the text that holds it.
    ///
    /// ```
    /// use cognito_trigger::testing::Cognito;
    ///
    /// let mut cognito = Cognito::new(cognito_trigger::Pool::new());
    /// cognito.admin_create_user("ada", "Temp0rary!", &[("email", "ada@example.com")]).unwrap();
    /// let shown = format!("{:?}", cognito.last_delivery().unwrap());
    /// assert!(shown.contains("CustomMessage_AdminCreateUser") && !shown.contains("Temp0rary!"), "{shown}");
    /// ```
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Delivery")
            .field("trigger_source", &self.trigger_source)
            .field("medium", &self.medium)
            .field("to", &self.to)
            .field("subject", &self.subject)
            .field("message", &self.message.as_ref().map(|_| "[redacted]"))
            .field("code", &"[redacted]")
            .field("sender_error", &self.sender_error)
            .finish()
    }
}

/// The tokens of a successful sign-in, as their claims.
///
/// ```
/// use cognito_trigger::testing::Cognito;
///
/// let mut cognito = Cognito::new(cognito_trigger::Pool::new());
/// cognito.add_confirmed_user("ada", "Passw0rd!", &[("email", "ada@example.com")]);
/// let tokens = cognito.sign_in("ada", "Passw0rd!").unwrap().tokens().unwrap();
/// assert_eq!(tokens.id_token["cognito:username"], "ada");
/// assert_eq!(tokens.id_token["email"], "ada@example.com");
/// assert_eq!(tokens.access_token["token_use"], "access");
/// ```
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct Tokens {
    /// The ID token's claims.
    pub id_token: Map<String, Value>,
    /// The access token's claims (`scope` holds the scopes, space-separated).
    pub access_token: Map<String, Value>,
    refresh_token: String,
}

impl Tokens {
    /// The access token's scopes.
    ///
    /// ```
    /// use cognito_trigger::testing::Cognito;
    ///
    /// let mut cognito = Cognito::new(cognito_trigger::Pool::new());
    /// cognito.add_confirmed_user("ada", "Passw0rd!", &[]);
    /// let tokens = cognito.sign_in("ada", "Passw0rd!").unwrap().tokens().unwrap();
    /// assert_eq!(tokens.scopes(), ["aws.cognito.signin.user.admin"]);
    /// ```
    #[must_use]
    pub fn scopes(&self) -> Vec<&str> {
        self.access_token
            .get("scope")
            .and_then(Value::as_str)
            .map(|scopes| scopes.split(' ').filter(|s| !s.is_empty()).collect())
            .unwrap_or_default()
    }
}

/// Where a sign-in stands: done (tokens), or a challenge to answer.
///
/// ```
/// use cognito_trigger::testing::{Cognito, SignIn};
///
/// let mut cognito = Cognito::new(cognito_trigger::Pool::new());
/// cognito.admin_create_user("ada", "Temp0rary!", &[]).unwrap();
/// match cognito.sign_in("ada", "Temp0rary!").unwrap() {
///     SignIn::Challenge(challenge) => assert_eq!(challenge.name, "NEW_PASSWORD_REQUIRED"),
///     other => panic!("expected a challenge, got {other:?}"),
/// }
/// ```
#[derive(Clone, Debug)]
#[non_exhaustive]
pub enum SignIn {
    /// Authenticated.
    Tokens(Box<Tokens>),
    /// Cognito asks for an answer: [`Cognito::answer_challenge`].
    Challenge(Challenge),
}

impl SignIn {
    /// The tokens, if the sign-in is complete.
    ///
    /// ```
    /// use cognito_trigger::testing::Cognito;
    ///
    /// let mut cognito = Cognito::new(cognito_trigger::Pool::new());
    /// cognito.add_confirmed_user("ada", "Passw0rd!", &[]);
    /// assert!(cognito.sign_in("ada", "Passw0rd!").unwrap().tokens().is_some());
    /// ```
    #[must_use]
    pub fn tokens(self) -> Option<Tokens> {
        match self {
            Self::Tokens(tokens) => Some(*tokens),
            Self::Challenge(_) => None,
        }
    }

    /// The challenge, if Cognito asks for one.
    ///
    /// ```
    /// use cognito_trigger::testing::Cognito;
    ///
    /// let mut cognito = Cognito::new(cognito_trigger::Pool::new());
    /// cognito.admin_create_user("ada", "Temp0rary!", &[("email", "ada@example.com")]).unwrap();
    /// let challenge = cognito.sign_in("ada", "Temp0rary!").unwrap().challenge().unwrap();
    /// assert_eq!(challenge.name, "NEW_PASSWORD_REQUIRED");
    /// ```
    #[must_use]
    pub fn challenge(self) -> Option<Challenge> {
        match self {
            Self::Challenge(challenge) => Some(challenge),
            Self::Tokens(_) => None,
        }
    }
}

/// A challenge Cognito presents to the client.
///
/// ```
/// use cognito_trigger::testing::Cognito;
/// use cognito_trigger::{cognito_trigger, pool, ChallengeName, CreateAuthChallengeEvent, CreateAuthChallengeResponse, DefineAuthChallengeEvent, DefineAuthChallengeResponse};
///
/// #[cognito_trigger(DefineAuthChallenge)]
/// fn define(_event: &DefineAuthChallengeEvent<'_>) -> DefineAuthChallengeResponse {
///     DefineAuthChallengeResponse::next_challenge(ChallengeName::CustomChallenge)
/// }
/// #[cognito_trigger(CreateAuthChallenge)]
/// fn create(_event: &CreateAuthChallengeEvent<'_>) -> CreateAuthChallengeResponse {
///     CreateAuthChallengeResponse::new().public_parameter("hint", "the answer")
/// }
///
/// let mut cognito = Cognito::new(pool![define, create]);
/// cognito.add_confirmed_user("ada", "Passw0rd!", &[]);
/// let challenge = cognito.custom_auth("ada").unwrap().challenge().unwrap();
/// assert_eq!(challenge.name, "CUSTOM_CHALLENGE");
/// assert_eq!(challenge.parameters["hint"], "the answer");
/// ```
#[derive(Clone)]
#[non_exhaustive]
pub struct Challenge {
    /// `CUSTOM_CHALLENGE`, `PASSWORD_VERIFIER` or `NEW_PASSWORD_REQUIRED`.
    pub name: String,
    /// The `ChallengeParameters` the client sees (create auth challenge's public ones).
    pub parameters: BTreeMap<String, String>,
    session: Session,
}

impl Challenge {
    /// One of the private challenge parameters create auth challenge kept for verify
    /// auth challenge (the expected answer): what a real client never sees, for a test
    /// that plays the user who received the code.
    ///
    /// ```
    /// use cognito_trigger::testing::Cognito;
    /// use cognito_trigger::{cognito_trigger, pool, ChallengeName, CreateAuthChallengeEvent, CreateAuthChallengeResponse, DefineAuthChallengeEvent, DefineAuthChallengeResponse};
    ///
    /// #[cognito_trigger(DefineAuthChallenge)]
    /// fn define(_event: &DefineAuthChallengeEvent<'_>) -> DefineAuthChallengeResponse {
    ///     DefineAuthChallengeResponse::next_challenge(ChallengeName::CustomChallenge)
    /// }
    /// #[cognito_trigger(CreateAuthChallenge)]
    /// fn create(_event: &CreateAuthChallengeEvent<'_>) -> CreateAuthChallengeResponse {
    ///     CreateAuthChallengeResponse::new().private_parameter("code", "482913")
    /// }
    ///
    /// let mut cognito = Cognito::new(pool![define, create]);
    /// cognito.add_confirmed_user("ada", "Passw0rd!", &[]);
    /// let challenge = cognito.custom_auth("ada").unwrap().challenge().unwrap();
    /// assert_eq!(challenge.private_parameter("code"), Some("482913"));
    /// ```
    #[must_use]
    pub fn private_parameter(&self, name: &str) -> Option<&str> {
        self.session.private_parameters[name].as_str()
    }
}

impl fmt::Debug for Challenge {
    /// What the client sees: the name and the public parameters, not the expected answer.
    ///
    /// ```
    /// use cognito_trigger::testing::Cognito;
    ///
    /// let mut cognito = Cognito::new(cognito_trigger::Pool::new());
    /// cognito.admin_create_user("ada", "Temp0rary!", &[]).unwrap();
    /// let challenge = cognito.sign_in("ada", "Temp0rary!").unwrap().challenge().unwrap();
    /// assert_eq!(format!("{challenge:?}"), r#"Challenge { name: "NEW_PASSWORD_REQUIRED", parameters: {}, .. }"#);
    /// ```
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Challenge")
            .field("name", &self.name)
            .field("parameters", &self.parameters)
            .finish_non_exhaustive()
    }
}

/// What Cognito keeps between the calls of one sign-in.
#[derive(Clone)]
struct Session {
    username: String,
    user_not_found: bool,
    steps: Vec<Value>,
    private_parameters: Value,
    metadata: Value,
}

/// The error a client of Cognito's API sees: its exception name and message.
///
/// ```
/// use cognito_trigger::testing::Cognito;
///
/// let mut cognito = Cognito::new(cognito_trigger::Pool::new());
/// let error = cognito.sign_in("nobody", "x").unwrap_err();
/// assert_eq!(error.exception(), "UserNotFoundException");
/// assert_eq!(error.to_string(), "UserNotFoundException: User does not exist.");
/// ```
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{exception}: {message}")]
pub struct ClientError {
    exception: &'static str,
    message: String,
}

impl ClientError {
    fn new(exception: &'static str, message: impl Into<String>) -> Self {
        Self {
            exception,
            message: message.into(),
        }
    }

    /// The exception's name, e.g. `UserLambdaValidationException`.
    ///
    /// ```
    /// use cognito_trigger::testing::Cognito;
    ///
    /// let mut cognito = Cognito::new(cognito_trigger::Pool::new());
    /// cognito.sign_up("ada", "Passw0rd!", &[]).unwrap();
    /// assert_eq!(cognito.sign_up("ada", "Passw0rd!", &[]).unwrap_err().exception(), "UsernameExistsException");
    /// ```
    #[must_use]
    pub fn exception(&self) -> &'static str {
        self.exception
    }

    /// The message, e.g. `PreSignUp failed with error Sign-up is closed.`.
    ///
    /// ```
    /// use cognito_trigger::testing::Cognito;
    ///
    /// let mut cognito = Cognito::new(cognito_trigger::Pool::new());
    /// assert_eq!(cognito.confirm_sign_up("nobody", "1").unwrap_err().message(), "User does not exist.");
    /// ```
    #[must_use]
    pub fn message(&self) -> &str {
        &self.message
    }

    /// What Cognito makes of a trigger's Lambda error (contract §6.2): a refused answer
    /// is `InvalidLambdaResponseException`, anything else `UserLambdaValidationException`
    /// with the function's message after `<Trigger> failed with error ` and a `.`.
    fn from_trigger(trigger: &str, error: &InvocationError) -> Self {
        if error.error_type() == INVALID_RESPONSE {
            Self::new(
                "InvalidLambdaResponseException",
                format!("Invalid lambda function output : {}", error.error_message()),
            )
        } else {
            Self::new(
                "UserLambdaValidationException",
                format!("{trigger} failed with error {}.", error.error_message()),
            )
        }
    }

    fn user_not_found() -> Self {
        Self::new("UserNotFoundException", "User does not exist.")
    }

    fn not_authorized() -> Self {
        Self::new("NotAuthorizedException", "Incorrect username or password.")
    }
}

/// An Amazon Cognito user pool in a box: an in-memory user directory that drives a
/// [`Pool`] through Cognito's flows as the trigger contract describes them, and reports
/// what a client would observe: user status, the messages delivered, the claims of the
/// issued tokens, the error the client sees.
///
/// The triggers it invokes are the ones the pool serves ([`Pool::kinds`]); pre token
/// generation in the highest version served. Every answer goes through the pool as on
/// Lambda, and Cognito's response rules decide as Cognito would: a refused answer is the
/// client's `InvalidLambdaResponseException`, a part Cognito ignores has no effect (and
/// is logged; [`Cognito::strict`] fails on it instead). Codes are six digits, counted
/// from `100001`, and also reported in [`Delivery::code`]; the client's `ClientMetadata`
/// is routed as Cognito routes it ([`Cognito::client_metadata`]).
///
/// Simplified on purpose: usernames are matched exactly (no aliases), passwords are not
/// checked against a policy, no MFA, SRP or devices, no welcome message after a user
/// migration, and a custom sender is handed the code unencrypted. Where the contract
/// leaves a point open (§18) it does what was observed: a user pre sign-up auto-confirms
/// gets no code, and post confirmation runs at once. The contract gives the exception
/// names and the `<Trigger> failed with error <message>.` form (§6.2), but not the
/// other messages (`User does not exist.`, the default message texts) nor the name
/// pre token generation V3_0 fails under (`PreTokenGenerationV3_0`, by analogy with
/// V2_0): those are Cognito's usual wording, so compare [`ClientError::exception`] rather
/// than their text. Its methods run the pool to completion on a runtime of their own, so
/// call them from plain `#[test]` functions.
///
/// ```
/// use cognito_trigger::testing::{Cognito, UserStatus};
/// use cognito_trigger::{cognito_trigger, pool, PreSignUpEvent, PreSignUpResponse, Reject};
///
/// #[cognito_trigger(PreSignUp)]
/// fn company_only(event: &PreSignUpEvent<'_>) -> Result<PreSignUpResponse, Reject> {
///     match event.request.user_attributes.get("email") {
///         Some(email) if email.ends_with("@example.com") => Ok(PreSignUpResponse::new()),
///         _ => Err(Reject::new("Company addresses only")),
///     }
/// }
///
/// let mut cognito = Cognito::new(pool![company_only]);
/// let status = cognito.sign_up("ada", "Passw0rd!", &[("email", "ada@example.com")]).unwrap();
/// assert_eq!(status, UserStatus::Unconfirmed);
/// let code = cognito.last_delivery().unwrap().code.clone();
/// cognito.confirm_sign_up("ada", &code).unwrap();
/// assert_eq!(cognito.user("ada").unwrap().status, UserStatus::Confirmed);
///
/// let refused = cognito.sign_up("eve", "Passw0rd!", &[("email", "eve@evil.test")]).unwrap_err();
/// assert_eq!(refused.to_string(), "UserLambdaValidationException: PreSignUp failed with error Company addresses only.");
/// assert!(cognito.user("eve").is_none());
/// ```
pub struct Cognito<S = ()> {
    pool: Pool<S>,
    users: BTreeMap<String, User>,
    deliveries: Vec<Delivery>,
    invocations: Vec<String>,
    codes_sent: u32,
    users_created: u32,
    prevent_user_existence_errors: bool,
    token_version: Option<TriggerKind>,
    detached: Vec<TriggerKind>,
    strict: bool,
    client_metadata: BTreeMap<String, String>,
    /// Whether the call under way is `RespondToAuthChallenge`.
    responding: bool,
}

impl<S: Send + Sync + 'static> Cognito<S> {
    /// A pool with no users, whose triggers are `pool`'s handlers.
    ///
    /// ```
    /// use cognito_trigger::testing::Cognito;
    ///
    /// let cognito = Cognito::new(cognito_trigger::Pool::new());
    /// assert!(cognito.user("ada").is_none());
    /// ```
    #[must_use]
    pub fn new(pool: Pool<S>) -> Self {
        Self {
            pool,
            users: BTreeMap::new(),
            deliveries: Vec::new(),
            invocations: Vec::new(),
            codes_sent: 0,
            users_created: 0,
            prevent_user_existence_errors: false,
            token_version: None,
            detached: Vec::new(),
            strict: false,
            client_metadata: BTreeMap::new(),
            responding: false,
        }
    }

    /// Fails a flow on an answer Cognito would accept but partly ignore too (by default,
    /// as Cognito, only a refused answer fails it, with `InvalidLambdaResponseException`;
    /// the ignored part is logged at WARN and has no effect).
    ///
    /// ```
    /// use cognito_trigger::testing::{Cognito, UserStatus};
    /// use cognito_trigger::{cognito_trigger, pool, PreSignUpEvent, PreSignUpResponse};
    ///
    /// // Cognito ignores autoConfirmUser for AdminCreateUser.
    /// #[cognito_trigger(PreSignUp)]
    /// fn confirm_everyone(_event: &PreSignUpEvent<'_>) -> PreSignUpResponse {
    ///     PreSignUpResponse::new().confirm_user()
    /// }
    ///
    /// let mut cognito = Cognito::new(pool![confirm_everyone]);
    /// cognito.admin_create_user("ada", "Temp0rary!", &[]).unwrap();
    /// assert_eq!(cognito.user("ada").unwrap().status, UserStatus::ForceChangePassword);
    ///
    /// let mut strict = Cognito::new(pool![confirm_everyone]).strict();
    /// let error = strict.admin_create_user("ada", "Temp0rary!", &[]).unwrap_err();
    /// assert_eq!(error.exception(), "InvalidLambdaResponseException");
    /// ```
    #[must_use]
    pub fn strict(mut self) -> Self {
        self.strict = true;
        self
    }

    /// The `ClientMetadata` the client sends with its calls from now on (an empty list
    /// sends none). Cognito routes it as contract §5.3 says: to pre sign-up, post
    /// confirmation, custom message and the senders from the calls that invoke them; from
    /// `InitiateAuth` only to pre authentication and user migration, as their
    /// `validationData`; from `RespondToAuthChallenge` to the challenge triggers, pre token
    /// generation and post authentication.
    ///
    /// ```
    /// use cognito_trigger::testing::Cognito;
    /// use cognito_trigger::{cognito_trigger, pool, PreAuthenticationEvent, Reject};
    ///
    /// #[cognito_trigger(PreAuthentication)]
    /// fn app_only(event: &PreAuthenticationEvent<'_>) -> Result<(), Reject> {
    ///     match event.request.validation_data.get("app") {
    ///         Some("mobile") => Ok(()),
    ///         _ => Err(Reject::new("Sign in from the app")),
    ///     }
    /// }
    ///
    /// let mut cognito = Cognito::new(pool![app_only]);
    /// cognito.add_confirmed_user("ada", "Passw0rd!", &[]);
    /// assert!(cognito.sign_in("ada", "Passw0rd!").is_err());
    /// cognito.client_metadata(&[("app", "mobile")]);
    /// assert!(cognito.sign_in("ada", "Passw0rd!").is_ok());
    /// ```
    pub fn client_metadata(&mut self, entries: &[(&str, &str)]) {
        self.client_metadata = entries
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
    }

    /// Where Cognito puts the client's metadata in this trigger's event, in the call under
    /// way (contract §5.3), if anywhere.
    fn metadata_field<T: Trigger>(&self, source: &str) -> Option<&'static str> {
        let kind = T::KIND;
        if kind == PreAuthentication::KIND {
            return Some("validationData");
        }
        if kind == UserMigration::KIND {
            // `InitiateAuth`'s metadata arrives as `validationData`, `ForgotPassword`'s not.
            return Some(if source.ends_with("_Authentication") {
                "validationData"
            } else {
                "clientMetadata"
            });
        }
        if kind == InboundFederation::KIND {
            return None;
        }
        let sign_in = [
            DefineAuthChallenge::KIND,
            CreateAuthChallenge::KIND,
            VerifyAuthChallengeResponse::KIND,
            PostAuthentication::KIND,
        ]
        .contains(&kind)
            || kind.source_prefix() == PreTokenGenerationV1::KIND.source_prefix();
        // During sign-in, only `RespondToAuthChallenge` passes it on.
        if sign_in && !self.responding {
            return None;
        }
        Some("clientMetadata")
    }

    /// `event` with the client's metadata as `field` of its request (`clientMetadata` or
    /// `validationData`), when the client sends any.
    fn with_metadata<T: Trigger>(&self, event: TestEvent<T>, field: &str) -> TestEvent<T> {
        if self.client_metadata.is_empty() {
            event
        } else {
            event.set(&["request", field], &self.client_metadata)
        }
    }

    /// Leaves `kind` out of the pool's `LambdaConfig`: Cognito does not call it even
    /// though the pool serves it (a pool deployed to several user pools, or custom
    /// senders moved to a function of their own).
    ///
    /// ```
    /// use cognito_trigger::testing::Cognito;
    /// use cognito_trigger::{cognito_trigger, pool, CustomEmailSender, CustomEmailSenderEvent, Trigger};
    ///
    /// #[cognito_trigger(CustomEmailSender)]
    /// fn send(_event: &CustomEmailSenderEvent<'_>) {}
    ///
    /// let mut cognito = Cognito::new(pool![send]).without(CustomEmailSender::KIND);
    /// cognito.sign_up("ada", "Passw0rd!", &[("email", "ada@example.com")]).unwrap();
    /// assert_eq!(cognito.last_delivery().unwrap().trigger_source, "CustomMessage_SignUp");
    /// assert!(cognito.invocations().is_empty());
    /// ```
    #[must_use]
    pub fn without(mut self, kind: TriggerKind) -> Self {
        self.detached.push(kind);
        self
    }

    /// Whether Cognito calls the pool for `kind`.
    fn attached(&self, kind: TriggerKind) -> bool {
        !self.detached.contains(&kind) && self.pool.kinds().any(|served| served == kind)
    }

    /// Picks the pre token generation version the pool's `LambdaConfig` names (by default
    /// the highest the pool serves, as [`Pool::lambda_config`] writes it). A pool with
    /// handlers of several versions is tested in each this way.
    ///
    /// ```
    /// use cognito_trigger::testing::Cognito;
    /// use cognito_trigger::{cognito_trigger, pool, PreTokenGenerationV1, PreTokenGenerationV1Event, PreTokenGenerationV1Response, PreTokenGenerationV2Event, PreTokenGenerationV2Response, Trigger};
    ///
    /// #[cognito_trigger(PreTokenGeneration)]
    /// fn v1(_event: &PreTokenGenerationV1Event<'_>) -> PreTokenGenerationV1Response {
    ///     PreTokenGenerationV1Response::new().add_claim("answered_by", "v1")
    /// }
    /// #[cognito_trigger(PreTokenGenerationV2)]
    /// fn v2(_event: &PreTokenGenerationV2Event<'_>) -> PreTokenGenerationV2Response {
    ///     PreTokenGenerationV2Response::new().add_id_token_claim("answered_by", "v2")
    /// }
    ///
    /// let mut cognito = Cognito::new(pool![v1, v2]);
    /// cognito.add_confirmed_user("ada", "Passw0rd!", &[]);
    /// assert_eq!(cognito.sign_in("ada", "Passw0rd!").unwrap().tokens().unwrap().id_token["answered_by"], "v2");
    /// let mut cognito = cognito.pre_token_generation(PreTokenGenerationV1::KIND);
    /// assert_eq!(cognito.sign_in("ada", "Passw0rd!").unwrap().tokens().unwrap().id_token["answered_by"], "v1");
    /// ```
    ///
    /// # Panics
    /// When `version` is not a pre token generation kind.
    #[must_use]
    pub fn pre_token_generation(mut self, version: TriggerKind) -> Self {
        assert_eq!(
            version.source_prefix(),
            PreTokenGenerationV1::KIND.source_prefix(),
            "{version} is not a pre token generation version"
        );
        self.token_version = Some(version);
        self
    }

    /// Turns on the app client's `PreventUserExistenceErrors`: pre authentication and the
    /// custom challenge triggers then run for unknown users too, with `userNotFound`, and
    /// a failed sign-in of an unknown user reads as a wrong password (contract §5.4).
    ///
    /// ```
    /// use cognito_trigger::testing::Cognito;
    ///
    /// let mut cognito = Cognito::new(cognito_trigger::Pool::new()).prevent_user_existence_errors();
    /// assert_eq!(cognito.sign_in("nobody", "x").unwrap_err().exception(), "NotAuthorizedException");
    /// ```
    #[must_use]
    pub fn prevent_user_existence_errors(mut self) -> Self {
        self.prevent_user_existence_errors = true;
        self
    }

    /// A user, if the pool has one by that name.
    ///
    /// ```
    /// use cognito_trigger::testing::{Cognito, UserStatus};
    ///
    /// let mut cognito = Cognito::new(cognito_trigger::Pool::new());
    /// cognito.add_confirmed_user("ada", "Passw0rd!", &[("email", "ada@example.com")]);
    /// assert_eq!(cognito.user("ada").unwrap().status, UserStatus::Confirmed);
    /// ```
    #[must_use]
    pub fn user(&self, username: &str) -> Option<&User> {
        self.users.get(username)
    }

    /// Every message sent so far, oldest first.
    ///
    /// ```
    /// use cognito_trigger::testing::Cognito;
    ///
    /// let mut cognito = Cognito::new(cognito_trigger::Pool::new());
    /// cognito.sign_up("ada", "Passw0rd!", &[("email", "ada@example.com")]).unwrap();
    /// assert_eq!(cognito.deliveries().len(), 1);
    /// assert_eq!(cognito.deliveries()[0].trigger_source, "CustomMessage_SignUp");
    /// ```
    #[must_use]
    pub fn deliveries(&self) -> &[Delivery] {
        &self.deliveries
    }

    /// The last message sent.
    ///
    /// ```
    /// use cognito_trigger::testing::Cognito;
    ///
    /// let mut cognito = Cognito::new(cognito_trigger::Pool::new());
    /// cognito.sign_up("ada", "Passw0rd!", &[("email", "ada@example.com")]).unwrap();
    /// let delivery = cognito.last_delivery().unwrap();
    /// assert_eq!(delivery.message.as_deref(), Some("Your verification code is 100001."));
    /// ```
    #[must_use]
    pub fn last_delivery(&self) -> Option<&Delivery> {
        self.deliveries.last()
    }

    /// The `triggerSource` of every event the pool was given, oldest first (also the
    /// triggers it does not serve are not listed: Cognito would not call them).
    ///
    /// ```
    /// use cognito_trigger::testing::Cognito;
    /// use cognito_trigger::{cognito_trigger, pool, PostConfirmationEvent};
    ///
    /// #[cognito_trigger(PostConfirmation)]
    /// fn welcome(_event: &PostConfirmationEvent<'_>) {}
    ///
    /// let mut cognito = Cognito::new(pool![welcome]);
    /// cognito.sign_up("ada", "Passw0rd!", &[("email", "ada@example.com")]).unwrap();
    /// cognito.confirm_sign_up("ada", "100001").unwrap();
    /// assert_eq!(cognito.invocations(), ["PostConfirmation_ConfirmSignUp"]);
    /// ```
    #[must_use]
    pub fn invocations(&self) -> &[String] {
        &self.invocations
    }

    /// Adds a confirmed user directly, as a test's starting point: no API call, so no
    /// trigger runs (for an administrator's `AdminCreateUser`, see
    /// [`Cognito::admin_create_user`]).
    ///
    /// # Panics
    /// When the pool already has a user by that name.
    ///
    /// ```
    /// use cognito_trigger::testing::Cognito;
    ///
    /// let mut cognito = Cognito::new(cognito_trigger::Pool::new());
    /// cognito.add_confirmed_user("ada", "Passw0rd!", &[("custom:tier", "gold")]);
    /// assert_eq!(cognito.user("ada").unwrap().attribute("custom:tier"), Some("gold"));
    /// ```
    pub fn add_confirmed_user(
        &mut self,
        username: &str,
        password: &str,
        attributes: &[(&str, &str)],
    ) {
        assert!(
            !self.users.contains_key(username),
            "the simulated pool already has a user named {username}"
        );
        let attributes = attributes
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        self.create_user(username, Some(password), attributes, UserStatus::Confirmed);
    }

    /// Adds a user to a group (`AdminAddUserToGroup`): the group shows in
    /// `cognito:groups` and in pre token generation's `groupConfiguration`.
    ///
    /// ```
    /// use cognito_trigger::testing::Cognito;
    ///
    /// let mut cognito = Cognito::new(cognito_trigger::Pool::new());
    /// cognito.add_confirmed_user("ada", "Passw0rd!", &[]);
    /// cognito.admin_add_user_to_group("ada", "admins").unwrap();
    /// let tokens = cognito.sign_in("ada", "Passw0rd!").unwrap().tokens().unwrap();
    /// assert_eq!(tokens.id_token["cognito:groups"], serde_json::json!(["admins"]));
    /// ```
    ///
    /// # Errors
    /// `UserNotFoundException`.
    pub fn admin_add_user_to_group(
        &mut self,
        username: &str,
        group: &str,
    ) -> Result<(), ClientError> {
        let user = self
            .users
            .get_mut(username)
            .ok_or_else(ClientError::user_not_found)?;
        if !user.groups.iter().any(|g| g == group) {
            user.groups.push(group.to_owned());
        }
        Ok(())
    }

    /// `SignUp`: pre sign-up, then the user exists: confirmed if pre sign-up said so (and
    /// post confirmation runs), otherwise with a confirmation code sent (custom message or
    /// custom sender).
    ///
    /// ```
    /// use cognito_trigger::testing::{Cognito, UserStatus};
    /// use cognito_trigger::{cognito_trigger, pool, PreSignUpEvent, PreSignUpResponse};
    ///
    /// #[cognito_trigger(PreSignUp)]
    /// fn auto_confirm(_event: &PreSignUpEvent<'_>) -> PreSignUpResponse {
    ///     PreSignUpResponse::new().confirm_user().verify_email()
    /// }
    ///
    /// let mut cognito = Cognito::new(pool![auto_confirm]);
    /// let status = cognito.sign_up("ada", "Passw0rd!", &[("email", "ada@example.com")]).unwrap();
    /// assert_eq!(status, UserStatus::Confirmed);
    /// assert_eq!(cognito.user("ada").unwrap().attribute("email_verified"), Some("true"));
    /// assert!(cognito.deliveries().is_empty());
    /// ```
    ///
    /// # Errors
    /// `UsernameExistsException`; pre sign-up's rejection (`UserLambdaValidationException`);
    /// `InvalidParameterException` when it verifies an attribute the user does not have.
    pub fn sign_up(
        &mut self,
        username: &str,
        password: &str,
        attributes: &[(&str, &str)],
    ) -> Result<UserStatus, ClientError> {
        if self.users.contains_key(username) {
            return Err(ClientError::new(
                "UsernameExistsException",
                "User already exists",
            ));
        }
        let mut attributes: BTreeMap<String, String> = attributes
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        let event = TestEvent::<PreSignUp>::new()
            .user_name(username)
            .set(&["request", "userAttributes"], &attributes);
        let response = self.call(event)?.unwrap_or_default();
        let mut status = UserStatus::Unconfirmed;
        if response["autoConfirmUser"] == true {
            status = UserStatus::Confirmed;
        }
        for (flag, attribute) in [
            ("autoVerifyEmail", "email"),
            ("autoVerifyPhone", "phone_number"),
        ] {
            if response[flag] == true {
                if !attributes.contains_key(attribute) {
                    return Err(ClientError::new(
                        "InvalidParameterException",
                        format!("{attribute} is required to verify/auto verify {attribute}"),
                    ));
                }
                attributes.insert(format!("{attribute}_verified"), "true".to_owned());
            }
        }
        self.create_user(username, Some(password), attributes, status);
        if status == UserStatus::Unconfirmed {
            self.send_code(username, "SignUp", Purpose::SignUp)?;
        } else {
            // Auto-confirmed: no code to send, and post confirmation runs now.
            self.post_confirmation(username, PostConfirmationSource::ConfirmSignUp)?;
        }
        Ok(status)
    }

    /// `ConfirmSignUp`: the code from the sign-up message confirms the user (and verifies
    /// the email or phone it was sent to); then post confirmation runs (its error reaches the client, but the user stays confirmed).
    ///
    /// ```
    /// use cognito_trigger::testing::{Cognito, UserStatus};
    ///
    /// let mut cognito = Cognito::new(cognito_trigger::Pool::new());
    /// cognito.sign_up("ada", "Passw0rd!", &[("email", "ada@example.com")]).unwrap();
    /// assert_eq!(cognito.confirm_sign_up("ada", "999999").unwrap_err().exception(), "CodeMismatchException");
    /// cognito.confirm_sign_up("ada", "100001").unwrap();
    /// assert_eq!(cognito.user("ada").unwrap().status, UserStatus::Confirmed);
    /// ```
    ///
    /// # Errors
    /// `UserNotFoundException`, `NotAuthorizedException` (already confirmed),
    /// `CodeMismatchException`, post confirmation's error.
    pub fn confirm_sign_up(&mut self, username: &str, code: &str) -> Result<(), ClientError> {
        self.confirm(username, Some(code))
    }

    /// Confirms an unconfirmed user, with the sign-up code (`ConfirmSignUp`) or without
    /// (`AdminConfirmSignUp`), then runs post confirmation.
    fn confirm(&mut self, username: &str, code: Option<&str>) -> Result<(), ClientError> {
        let user = self
            .users
            .get_mut(username)
            .ok_or_else(ClientError::user_not_found)?;
        if user.status != UserStatus::Unconfirmed {
            return Err(ClientError::new(
                "NotAuthorizedException",
                format!(
                    "User cannot be confirmed. Current status is {}",
                    user.status
                ),
            ));
        }
        match code {
            Some(code) => {
                take_code(user, code, &Purpose::SignUp)?;
                // The code reached the user where it was sent: that address is verified.
                let verified = if user.attributes.contains_key("email") {
                    "email_verified"
                } else {
                    "phone_number_verified"
                };
                user.attributes
                    .insert(verified.to_owned(), "true".to_owned());
            }
            None => user
                .pending_codes
                .retain(|(_, purpose)| *purpose != Purpose::SignUp),
        }
        user.status = UserStatus::Confirmed;
        self.post_confirmation(username, PostConfirmationSource::ConfirmSignUp)
    }

    /// `AdminConfirmSignUp`: an administrator confirms the user without a code; post
    /// confirmation runs.
    ///
    /// ```
    /// use cognito_trigger::testing::{Cognito, UserStatus};
    ///
    /// let mut cognito = Cognito::new(cognito_trigger::Pool::new());
    /// cognito.sign_up("ada", "Passw0rd!", &[("email", "ada@example.com")]).unwrap();
    /// cognito.admin_confirm_sign_up("ada").unwrap();
    /// assert_eq!(cognito.user("ada").unwrap().status, UserStatus::Confirmed);
    /// ```
    ///
    /// # Errors
    /// `UserNotFoundException`, `NotAuthorizedException` (already confirmed), post
    /// confirmation's error.
    pub fn admin_confirm_sign_up(&mut self, username: &str) -> Result<(), ClientError> {
        self.confirm(username, None)
    }

    /// `ResendConfirmationCode`: a new sign-up code (`CustomMessage_ResendCode`); the one
    /// sent before no longer works.
    ///
    /// ```
    /// use cognito_trigger::testing::Cognito;
    ///
    /// let mut cognito = Cognito::new(cognito_trigger::Pool::new());
    /// cognito.sign_up("ada", "Passw0rd!", &[("email", "ada@example.com")]).unwrap();
    /// cognito.resend_confirmation_code("ada").unwrap();
    /// assert_eq!(cognito.last_delivery().unwrap().trigger_source, "CustomMessage_ResendCode");
    /// assert!(cognito.confirm_sign_up("ada", "100001").is_err());
    /// cognito.confirm_sign_up("ada", "100002").unwrap();
    /// ```
    ///
    /// # Errors
    /// `UserNotFoundException`, `InvalidParameterException` (already confirmed), custom
    /// message's error.
    pub fn resend_confirmation_code(&mut self, username: &str) -> Result<(), ClientError> {
        let user = self
            .users
            .get(username)
            .ok_or_else(ClientError::user_not_found)?;
        if user.status != UserStatus::Unconfirmed {
            return Err(ClientError::new(
                "InvalidParameterException",
                "User is already confirmed.",
            ));
        }
        self.send_code(username, "ResendCode", Purpose::SignUp)
    }

    /// `AdminCreateUser`: pre sign-up (`PreSignUp_AdminCreateUser`, whose flags Cognito
    /// ignores), then the user exists in `FORCE_CHANGE_PASSWORD` and is sent an invitation
    /// with the temporary password.
    ///
    /// ```
    /// use cognito_trigger::testing::{Cognito, UserStatus};
    ///
    /// let mut cognito = Cognito::new(cognito_trigger::Pool::new());
    /// cognito.admin_create_user("ada", "Temp0rary!", &[("email", "ada@example.com")]).unwrap();
    /// assert_eq!(cognito.user("ada").unwrap().status, UserStatus::ForceChangePassword);
    /// assert_eq!(cognito.last_delivery().unwrap().code, "Temp0rary!");
    /// ```
    ///
    /// # Errors
    /// `UsernameExistsException`, pre sign-up's or custom message's error.
    pub fn admin_create_user(
        &mut self,
        username: &str,
        temporary_password: &str,
        attributes: &[(&str, &str)],
    ) -> Result<(), ClientError> {
        if self.users.contains_key(username) {
            return Err(ClientError::new(
                "UsernameExistsException",
                "User account already exists",
            ));
        }
        let attributes: BTreeMap<String, String> = attributes
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        let event = TestEvent::<PreSignUp>::new()
            .source(PreSignUpSource::AdminCreateUser)
            .user_name(username)
            .set(&["request", "userAttributes"], &attributes);
        self.call(event)?;
        self.create_user(
            username,
            Some(temporary_password),
            attributes,
            UserStatus::ForceChangePassword,
        );
        self.deliver(
            username,
            "AdminCreateUser",
            temporary_password.to_owned(),
            None,
        )
    }

    /// `InitiateAuth` with `USER_PASSWORD_AUTH`. An unknown user goes to user migration
    /// (and is created from its answer); then pre authentication, the password check,
    /// and for a confirmed user pre token generation and post authentication. An
    /// admin-created user gets the `NEW_PASSWORD_REQUIRED` challenge.
    ///
    /// ```
    /// use cognito_trigger::testing::Cognito;
    /// use cognito_trigger::{cognito_trigger, pool, PreTokenGenerationV2Event, PreTokenGenerationV2Response};
    ///
    /// #[cognito_trigger(PreTokenGenerationV2)]
    /// fn claims(event: &PreTokenGenerationV2Event<'_>) -> PreTokenGenerationV2Response {
    ///     let tier = event.request.user_attributes.get("custom:tier").unwrap_or("free");
    ///     PreTokenGenerationV2Response::new().add_access_token_claim("tier", tier).add_scope("reports/read")
    /// }
    ///
    /// let mut cognito = Cognito::new(pool![claims]);
    /// cognito.add_confirmed_user("ada", "Passw0rd!", &[("custom:tier", "gold")]);
    /// assert_eq!(cognito.sign_in("ada", "wrong").unwrap_err().exception(), "NotAuthorizedException");
    /// let tokens = cognito.sign_in("ada", "Passw0rd!").unwrap().tokens().unwrap();
    /// assert_eq!(tokens.access_token["tier"], "gold");
    /// assert_eq!(tokens.scopes(), ["aws.cognito.signin.user.admin", "reports/read"]);
    /// ```
    ///
    /// # Errors
    /// `UserNotFoundException` (or `NotAuthorizedException` with
    /// PreventUserExistenceErrors), `NotAuthorizedException` for a wrong password,
    /// `UserNotConfirmedException`, `PasswordResetRequiredException`, a trigger's error.
    pub fn sign_in(&mut self, username: &str, password: &str) -> Result<SignIn, ClientError> {
        if !self.users.contains_key(username) {
            self.migrate(username, Some(password))?;
        }
        if !self.users.contains_key(username) {
            if self.prevent_user_existence_errors {
                self.pre_authentication(username, true)?;
                return Err(ClientError::not_authorized());
            }
            return Err(ClientError::user_not_found());
        }
        self.pre_authentication(username, false)?;
        let user = &self.users[username];
        if !user.has_password(password) {
            return Err(ClientError::not_authorized());
        }
        match user.status {
            UserStatus::Unconfirmed => Err(ClientError::new(
                "UserNotConfirmedException",
                "User is not confirmed.",
            )),
            UserStatus::ResetRequired => Err(ClientError::new(
                "PasswordResetRequiredException",
                "Password reset required for the user",
            )),
            UserStatus::ForceChangePassword => Ok(SignIn::Challenge(Challenge {
                name: "NEW_PASSWORD_REQUIRED".to_owned(),
                parameters: BTreeMap::new(),
                session: Session::new(username, false),
            })),
            UserStatus::Confirmed => {
                self.issue_tokens(username, TokenGenerationSource::Authentication)
            }
        }
    }

    /// `InitiateAuth` with `CUSTOM_AUTH`: pre authentication, then define auth challenge
    /// with an empty session, and create auth challenge when define asks for a
    /// `CUSTOM_CHALLENGE`.
    ///
    /// ```
    /// use cognito_trigger::testing::Cognito;
    /// use cognito_trigger::{cognito_trigger, pool, ChallengeName, DefineAuthChallengeEvent, DefineAuthChallengeResponse};
    ///
    /// #[cognito_trigger(DefineAuthChallenge)]
    /// fn password_first(event: &DefineAuthChallengeEvent<'_>) -> DefineAuthChallengeResponse {
    ///     match event.request.last_challenge() {
    ///         None => DefineAuthChallengeResponse::next_challenge(ChallengeName::PasswordVerifier),
    ///         Some(step) if step.passed(&ChallengeName::PasswordVerifier) => DefineAuthChallengeResponse::succeed(),
    ///         Some(_) => DefineAuthChallengeResponse::fail(),
    ///     }
    /// }
    ///
    /// let mut cognito = Cognito::new(pool![password_first]);
    /// cognito.add_confirmed_user("ada", "Passw0rd!", &[]);
    /// let challenge = cognito.custom_auth("ada").unwrap().challenge().unwrap();
    /// assert_eq!(challenge.name, "PASSWORD_VERIFIER");
    /// assert!(cognito.answer_challenge(challenge, "Passw0rd!").unwrap().tokens().is_some());
    /// ```
    ///
    /// # Errors
    /// `UserNotFoundException` (unless PreventUserExistenceErrors is on),
    /// `NotAuthorizedException` when define fails the authentication, a trigger's error.
    pub fn custom_auth(&mut self, username: &str) -> Result<SignIn, ClientError> {
        let user_not_found = !self.users.contains_key(username);
        if user_not_found && !self.prevent_user_existence_errors {
            return Err(ClientError::user_not_found());
        }
        self.pre_authentication(username, user_not_found)?;
        match self.users.get(username).map(|user| user.status) {
            Some(UserStatus::Unconfirmed) => {
                return Err(ClientError::new(
                    "UserNotConfirmedException",
                    "User is not confirmed.",
                ));
            }
            Some(UserStatus::ResetRequired) => {
                return Err(ClientError::new(
                    "PasswordResetRequiredException",
                    "Password reset required for the user",
                ));
            }
            _ => {}
        }
        self.next_step(Session::new(username, user_not_found))
    }

    /// `RespondToAuthChallenge`: a custom challenge's answer goes to verify auth challenge,
    /// a `PASSWORD_VERIFIER` answer is checked against the password (both become a step
    /// of the session, and define auth challenge decides what comes next); the answer
    /// to `NEW_PASSWORD_REQUIRED` is the new password.
    ///
    /// # Errors
    /// `NotAuthorizedException` when define fails the authentication, a trigger's error.
    ///
    /// ```
    /// use cognito_trigger::testing::Cognito;
    ///
    /// let mut cognito = Cognito::new(cognito_trigger::Pool::new());
    /// cognito.admin_create_user("ada", "Temp0rary!", &[]).unwrap();
    /// let challenge = cognito.sign_in("ada", "Temp0rary!").unwrap().challenge().unwrap();
    /// assert!(cognito.answer_challenge(challenge, "Perm4nent!").unwrap().tokens().is_some());
    /// assert!(cognito.sign_in("ada", "Perm4nent!").unwrap().tokens().is_some());
    /// ```
    pub fn answer_challenge(
        &mut self,
        challenge: Challenge,
        answer: &str,
    ) -> Result<SignIn, ClientError> {
        self.responding = true;
        let result = self.respond_to_challenge(challenge, answer);
        self.responding = false;
        result
    }

    fn respond_to_challenge(
        &mut self,
        challenge: Challenge,
        answer: &str,
    ) -> Result<SignIn, ClientError> {
        let mut session = challenge.session;
        let username = session.username.clone();
        match challenge.name.as_str() {
            "NEW_PASSWORD_REQUIRED" => {
                let user = self
                    .users
                    .get_mut(&username)
                    .ok_or_else(ClientError::user_not_found)?;
                user.password = Some(Secret::new(answer.to_owned()));
                user.status = UserStatus::Confirmed;
                self.issue_tokens(&username, TokenGenerationSource::NewPasswordChallenge)
            }
            "CUSTOM_CHALLENGE" => {
                let mut event = TestEvent::<VerifyAuthChallengeResponse>::new()
                    .user_name(&username)
                    .set(
                        &["request", "userAttributes"],
                        self.attributes_of(&username),
                    )
                    .set(
                        &["request", "privateChallengeParameters"],
                        &session.private_parameters,
                    )
                    .challenge_answer(answer);
                if session.user_not_found {
                    event = event.user_not_found();
                }
                let verdict = self.call(event)?;
                let correct = verdict.is_some_and(|r| r["answerCorrect"] == true);
                session.steps.push(json!({
                    "challengeName": "CUSTOM_CHALLENGE",
                    "challengeResult": correct,
                    "challengeMetadata": session.metadata,
                }));
                self.next_step(session)
            }
            name => {
                let passed = self
                    .users
                    .get(&username)
                    .is_some_and(|user| user.has_password(answer));
                session.steps.push(json!({
                    "challengeName": name,
                    "challengeResult": passed,
                    "challengeMetadata": null,
                }));
                self.next_step(session)
            }
        }
    }

    /// `InitiateAuth` with `REFRESH_TOKEN_AUTH`: pre token generation
    /// (`TokenGeneration_RefreshTokens`) only; pre authentication does not run.
    ///
    /// ```
    /// use cognito_trigger::testing::Cognito;
    ///
    /// let mut cognito = Cognito::new(cognito_trigger::Pool::new());
    /// cognito.add_confirmed_user("ada", "Passw0rd!", &[("email", "ada@example.com")]);
    /// let tokens = cognito.sign_in("ada", "Passw0rd!").unwrap().tokens().unwrap();
    /// let refreshed = cognito.refresh(&tokens).unwrap();
    /// assert_eq!(refreshed.id_token["email"], "ada@example.com");
    /// ```
    ///
    /// # Errors
    /// `NotAuthorizedException` when the user is gone, pre token generation's error.
    pub fn refresh(&mut self, tokens: &Tokens) -> Result<Tokens, ClientError> {
        let username = tokens.refresh_token.clone();
        if !self.users.contains_key(&username) {
            return Err(ClientError::new(
                "NotAuthorizedException",
                "Invalid Refresh Token",
            ));
        }
        match self.issue_tokens(&username, TokenGenerationSource::RefreshTokens)? {
            SignIn::Tokens(tokens) => Ok(*tokens),
            SignIn::Challenge(_) => Err(ClientError::not_authorized()),
        }
    }

    /// The client credentials grant (`/oauth2/token`, machine to machine): pre token
    /// generation runs only when the pool serves V3_0 (`TokenGeneration_ClientCredentials`,
    /// with the requested scopes and the `aws_client_metadata`); the access token is the
    /// app client's, with no user.
    ///
    /// ```
    /// use cognito_trigger::testing::Cognito;
    /// use cognito_trigger::{cognito_trigger, pool, PreTokenGenerationV2Response, PreTokenGenerationV3Event};
    ///
    /// #[cognito_trigger(PreTokenGenerationV3)]
    /// fn m2m(event: &PreTokenGenerationV3Event<'_>) -> PreTokenGenerationV2Response {
    ///     let tenant = event.request.client_metadata.get("tenant").unwrap_or("none");
    ///     PreTokenGenerationV2Response::new().add_access_token_claim("tenant", tenant)
    /// }
    ///
    /// let mut cognito = Cognito::new(pool![m2m]);
    /// let tokens = cognito.client_credentials(&["reports/read"], &[("tenant", "acme")]).unwrap();
    /// assert_eq!(tokens.access_token["tenant"], "acme");
    /// assert_eq!(tokens.scopes(), ["reports/read"]);
    /// assert!(tokens.id_token.is_empty());
    /// ```
    ///
    /// # Errors
    /// Pre token generation's error.
    pub fn client_credentials(
        &mut self,
        scopes: &[&str],
        client_metadata: &[(&str, &str)],
    ) -> Result<Tokens, ClientError> {
        let issuer = format!("https://cognito-idp.{REGION}.amazonaws.com/{USER_POOL_ID}");
        let mut access_token = Map::new();
        access_token.insert("sub".to_owned(), CLIENT_ID.into());
        access_token.insert("iss".to_owned(), issuer.into());
        access_token.insert("token_use".to_owned(), "access".into());
        access_token.insert("client_id".to_owned(), CLIENT_ID.into());
        access_token.insert("scope".to_owned(), scopes.join(" ").into());
        let mut tokens = Tokens {
            id_token: Map::new(),
            access_token,
            refresh_token: String::new(),
        };
        // V1_0 and V2_0 are not called for machine-to-machine tokens (contract §12.1).
        let v3 = self
            .token_version
            .is_none_or(|version| version == PreTokenGenerationV3::KIND);
        if v3 && self.attached(PreTokenGenerationV3::KIND) {
            let mut event = TestEvent::<PreTokenGenerationV3>::new()
                .source(TokenGenerationSource::ClientCredentials)
                .scopes(scopes.iter().copied());
            for (key, value) in client_metadata {
                event = event.client_metadata(key, value);
            }
            if let Some(response) = self.call(event)? {
                apply_token_response(&mut tokens, &response);
            }
        }
        Ok(tokens)
    }

    /// `ForgotPassword`: an unknown user goes to user migration
    /// (`UserMigration_ForgotPassword`); then a reset code is sent to the verified email
    /// or phone.
    ///
    /// ```
    /// use cognito_trigger::testing::Cognito;
    ///
    /// let mut cognito = Cognito::new(cognito_trigger::Pool::new());
    /// cognito.add_confirmed_user("ada", "Passw0rd!", &[("email", "ada@example.com"), ("email_verified", "true")]);
    /// cognito.forgot_password("ada").unwrap();
    /// let code = cognito.last_delivery().unwrap().code.clone();
    /// cognito.confirm_forgot_password("ada", &code, "N3wPassw0rd!").unwrap();
    /// assert!(cognito.sign_in("ada", "N3wPassw0rd!").is_ok());
    /// ```
    ///
    /// # Errors
    /// `UserNotFoundException`, `InvalidParameterException` (nowhere to send the code), a
    /// trigger's error.
    pub fn forgot_password(&mut self, username: &str) -> Result<(), ClientError> {
        if !self.users.contains_key(username) {
            self.migrate(username, None)?;
        }
        if !self.users.contains_key(username) && self.prevent_user_existence_errors {
            // The client cannot tell: the call succeeds and nothing is sent (§5.4).
            return Ok(());
        }
        let user = self
            .users
            .get(username)
            .ok_or_else(ClientError::user_not_found)?;
        let verified = |attribute: &str| user.attribute(attribute) == Some("true");
        if !verified("email_verified") && !verified("phone_number_verified") {
            return Err(ClientError::new(
                "InvalidParameterException",
                "Cannot reset password for the user as there is no registered/verified email or phone_number",
            ));
        }
        self.send_code(username, "ForgotPassword", Purpose::PasswordReset)
    }

    /// `ConfirmForgotPassword`: the reset code sets the new password and confirms the
    /// user; then post confirmation (`PostConfirmation_ConfirmForgotPassword`) runs.
    ///
    /// # Errors
    /// `UserNotFoundException`, `CodeMismatchException`, post confirmation's error.
    ///
    /// ```
    /// use cognito_trigger::testing::Cognito;
    ///
    /// let mut cognito = Cognito::new(cognito_trigger::Pool::new());
    /// cognito.add_confirmed_user("ada", "Passw0rd!", &[("email", "ada@example.com"), ("email_verified", "true")]);
    /// cognito.forgot_password("ada").unwrap();
    /// let error = cognito.confirm_forgot_password("ada", "000000", "N3wPassw0rd!").unwrap_err();
    /// assert_eq!(error.exception(), "CodeMismatchException");
    /// ```
    pub fn confirm_forgot_password(
        &mut self,
        username: &str,
        code: &str,
        new_password: &str,
    ) -> Result<(), ClientError> {
        let user = self
            .users
            .get_mut(username)
            .ok_or_else(ClientError::user_not_found)?;
        take_code(user, code, &Purpose::PasswordReset)?;
        user.password = Some(Secret::new(new_password.to_owned()));
        user.status = UserStatus::Confirmed;
        self.post_confirmation(username, PostConfirmationSource::ConfirmForgotPassword)
    }

    /// `UpdateUserAttributes`: the attributes change; a changed `email` or
    /// `phone_number` becomes unverified and a code is sent to verify it
    /// (`CustomMessage_UpdateUserAttribute`).
    ///
    /// ```
    /// use cognito_trigger::testing::Cognito;
    ///
    /// let mut cognito = Cognito::new(cognito_trigger::Pool::new());
    /// cognito.add_confirmed_user("ada", "Passw0rd!", &[("email", "ada@example.com"), ("email_verified", "true")]);
    /// cognito.update_user_attributes("ada", &[("email", "ada@example.org")]).unwrap();
    /// assert_eq!(cognito.user("ada").unwrap().attribute("email_verified"), Some("false"));
    /// let code = cognito.last_delivery().unwrap().code.clone();
    /// cognito.verify_user_attribute("ada", "email", &code).unwrap();
    /// assert_eq!(cognito.user("ada").unwrap().attribute("email_verified"), Some("true"));
    /// ```
    ///
    /// # Errors
    /// `UserNotFoundException`, custom message's error.
    pub fn update_user_attributes(
        &mut self,
        username: &str,
        attributes: &[(&str, &str)],
    ) -> Result<(), ClientError> {
        let user = self
            .users
            .get_mut(username)
            .ok_or_else(ClientError::user_not_found)?;
        let mut to_verify = Vec::new();
        for (name, value) in attributes {
            let changed = user.attribute(name) != Some(value);
            user.attributes
                .insert((*name).to_owned(), (*value).to_owned());
            if changed && matches!(*name, "email" | "phone_number") {
                user.attributes
                    .insert(format!("{name}_verified"), "false".to_owned());
                to_verify.push((*name).to_owned());
            }
        }
        // One code per changed address, sent to that address.
        for attribute in to_verify {
            self.send_code(
                username,
                "UpdateUserAttribute",
                Purpose::Attribute(attribute),
            )?;
        }
        Ok(())
    }

    /// `GetUserAttributeVerificationCode`: sends a code to verify `attribute`
    /// (`CustomMessage_VerifyUserAttribute`).
    ///
    /// ```
    /// use cognito_trigger::testing::Cognito;
    ///
    /// let mut cognito = Cognito::new(cognito_trigger::Pool::new());
    /// cognito.add_confirmed_user("ada", "Passw0rd!", &[("email", "ada@example.com")]);
    /// cognito.get_user_attribute_verification_code("ada", "email").unwrap();
    /// assert_eq!(cognito.last_delivery().unwrap().trigger_source, "CustomMessage_VerifyUserAttribute");
    /// ```
    ///
    /// # Errors
    /// `UserNotFoundException`, custom message's error.
    pub fn get_user_attribute_verification_code(
        &mut self,
        username: &str,
        attribute: &str,
    ) -> Result<(), ClientError> {
        if !self.users.contains_key(username) {
            return Err(ClientError::user_not_found());
        }
        self.send_code(
            username,
            "VerifyUserAttribute",
            Purpose::Attribute(attribute.to_owned()),
        )
    }

    /// `VerifyUserAttribute`: the code marks the attribute verified.
    ///
    /// ```
    /// use cognito_trigger::testing::Cognito;
    ///
    /// let mut cognito = Cognito::new(cognito_trigger::Pool::new());
    /// cognito.add_confirmed_user("ada", "Passw0rd!", &[("email", "ada@example.com")]);
    /// cognito.get_user_attribute_verification_code("ada", "email").unwrap();
    /// assert!(cognito.verify_user_attribute("ada", "email", "000000").is_err());
    /// ```
    ///
    /// # Errors
    /// `UserNotFoundException`, `CodeMismatchException`.
    pub fn verify_user_attribute(
        &mut self,
        username: &str,
        attribute: &str,
        code: &str,
    ) -> Result<(), ClientError> {
        let user = self
            .users
            .get_mut(username)
            .ok_or_else(ClientError::user_not_found)?;
        take_code(user, code, &Purpose::Attribute(attribute.to_owned()))?;
        user.attributes
            .insert(format!("{attribute}_verified"), "true".to_owned());
        Ok(())
    }

    // The steps flows share.

    /// Runs one event through the pool when it serves the event's trigger: `Ok(None)`
    /// when it does not (Cognito calls no function), the answer's `response` otherwise.
    fn call<T: Trigger>(&mut self, event: TestEvent<T>) -> Result<Option<Value>, ClientError> {
        if !self.attached(T::KIND) {
            return Ok(None);
        }
        let source = event.to_value()["triggerSource"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        let event = match self.metadata_field::<T>(&source) {
            Some(field) => self.with_metadata(event, field),
            None => event,
        };
        self.invocations.push(source);
        let answer = block_on(event.answer_from_pool(&self.pool, self.strict))
            .map_err(|error| ClientError::from_trigger(&T::KIND.error_name(), &error))?;
        let mut answer: Value = serde_json::from_slice(&answer).unwrap_or_default();
        Ok(Some(answer["response"].take()))
    }

    fn create_user(
        &mut self,
        username: &str,
        password: Option<&str>,
        mut attributes: BTreeMap<String, String>,
        status: UserStatus,
    ) {
        self.users_created += 1;
        let sub = format!("00000000-0000-4000-8000-{:012}", self.users_created);
        attributes.entry("sub".to_owned()).or_insert(sub);
        let user = User {
            username: username.to_owned(),
            status,
            attributes,
            groups: Vec::new(),
            password: password.map(|p| Secret::new(p.to_owned())),
            pending_codes: Vec::new(),
        };
        self.users.insert(username.to_owned(), user);
    }

    /// The user's attributes as triggers see them: with `cognito:user_status`.
    fn attributes_of(&self, username: &str) -> BTreeMap<String, String> {
        let Some(user) = self.users.get(username) else {
            return BTreeMap::new();
        };
        let mut attributes = user.attributes.clone();
        attributes.insert(
            "cognito:user_status".to_owned(),
            user.status.as_str().to_owned(),
        );
        attributes
    }

    /// User migration for an unknown user; creates the user when the answer has
    /// `userAttributes` (contract §13).
    fn migrate(&mut self, username: &str, password: Option<&str>) -> Result<(), ClientError> {
        let mut event = TestEvent::<UserMigration>::new().user_name(username);
        event = match password {
            Some(password) => event.password(password),
            None => event.source(UserMigrationSource::ForgotPassword),
        };
        let Some(response) = self.call(event)? else {
            return Ok(());
        };
        let Some(attributes) = response["userAttributes"].as_object() else {
            return Ok(());
        };
        let attributes = attributes
            .iter()
            .filter(|(name, _)| name.as_str() != "username")
            .map(|(name, value)| {
                (
                    name.clone(),
                    value
                        .as_str()
                        .map_or_else(|| value.to_string(), str::to_owned),
                )
            })
            .collect();
        let status = response["finalUserStatus"]
            .as_str()
            .and_then(UserStatus::parse)
            .unwrap_or(UserStatus::ResetRequired);
        // Migrated at a password reset: no password until the reset is confirmed.
        self.create_user(username, password, attributes, status);
        Ok(())
    }

    /// Post confirmation for a user just confirmed; its error reaches the client, but the
    /// user stays confirmed (contract §8).
    fn post_confirmation(
        &mut self,
        username: &str,
        source: PostConfirmationSource,
    ) -> Result<(), ClientError> {
        let event = TestEvent::<PostConfirmation>::new()
            .source(source)
            .user_name(username)
            .set(&["request", "userAttributes"], self.attributes_of(username));
        self.call(event).map(drop)
    }

    fn pre_authentication(
        &mut self,
        username: &str,
        user_not_found: bool,
    ) -> Result<(), ClientError> {
        let mut event = TestEvent::<PreAuthentication>::new()
            .user_name(username)
            .set(&["request", "userAttributes"], self.attributes_of(username));
        if user_not_found {
            event = event.user_not_found();
        }
        self.call(event).map(drop)
    }

    /// Define auth challenge on the session so far, and what it decides.
    fn next_step(&mut self, mut session: Session) -> Result<SignIn, ClientError> {
        let username = session.username.clone();
        let mut define = TestEvent::<DefineAuthChallenge>::new()
            .user_name(&username)
            .set(
                &["request", "userAttributes"],
                self.attributes_of(&username),
            )
            .set(&["request", "session"], &session.steps);
        if session.user_not_found {
            define = define.user_not_found();
        }
        // Without define auth challenge, the custom flow cannot run (Cognito refuses it).
        let decision = self.call(define)?.ok_or_else(ClientError::not_authorized)?;
        if decision["failAuthentication"] == true
            || session.user_not_found && decision["issueTokens"] == true
        {
            return Err(ClientError::not_authorized());
        }
        if decision["issueTokens"] == true {
            return self.issue_tokens(&username, TokenGenerationSource::Authentication);
        }
        let Some(name) = decision["challengeName"].as_str().map(str::to_owned) else {
            return Err(ClientError::not_authorized());
        };
        let mut parameters = BTreeMap::new();
        if name == "CUSTOM_CHALLENGE" {
            let mut create = TestEvent::<CreateAuthChallenge>::new()
                .user_name(&username)
                .set(
                    &["request", "userAttributes"],
                    self.attributes_of(&username),
                )
                .set(&["request", "session"], &session.steps)
                .challenge_name(&name);
            if session.user_not_found {
                create = create.user_not_found();
            }
            let created = self.call(create)?.unwrap_or_default();
            if let Some(public) = created["publicChallengeParameters"].as_object() {
                for (key, value) in public {
                    parameters.insert(key.clone(), value.as_str().unwrap_or_default().to_owned());
                }
            }
            session.private_parameters = created["privateChallengeParameters"].clone();
            session.metadata = created["challengeMetadata"].clone();
        }
        Ok(SignIn::Challenge(Challenge {
            name,
            parameters,
            session,
        }))
    }

    /// Pre token generation (in the highest version the pool serves), then post
    /// authentication (except on refresh), and the tokens.
    fn issue_tokens(
        &mut self,
        username: &str,
        source: TokenGenerationSource,
    ) -> Result<SignIn, ClientError> {
        let mut tokens = self.default_tokens(username);
        let user = &self.users[username];
        let groups: Vec<&str> = user.groups.iter().map(String::as_str).collect();
        let attributes = self.attributes_of(username);
        let served = |kind: &TriggerKind| self.attached(*kind);
        let version = self.token_version.or_else(|| {
            [PreTokenGenerationV3::KIND, PreTokenGenerationV2::KIND]
                .into_iter()
                .find(served)
        });
        let v3 = version == Some(PreTokenGenerationV3::KIND);
        let v2 = version == Some(PreTokenGenerationV2::KIND);
        let scopes = tokens
            .scopes()
            .iter()
            .map(|s| (*s).to_owned())
            .collect::<Vec<_>>();
        let scopes: Vec<&str> = scopes.iter().map(String::as_str).collect();
        let answer = if v3 {
            let event = TestEvent::<PreTokenGenerationV3>::new()
                .source(source.clone())
                .scopes(scopes);
            self.call(token_event(event, username, &attributes, &groups))?
        } else if v2 {
            let event = TestEvent::<PreTokenGenerationV2>::new()
                .source(source.clone())
                .scopes(scopes);
            self.call(token_event(event, username, &attributes, &groups))?
        } else {
            let event = TestEvent::<PreTokenGenerationV1>::new().source(source.clone());
            self.call(token_event(event, username, &attributes, &groups))?
        };
        if let Some(response) = answer {
            apply_token_response(&mut tokens, &response);
        }
        if source != TokenGenerationSource::RefreshTokens {
            let event = TestEvent::<PostAuthentication>::new()
                .user_name(username)
                .set(&["request", "userAttributes"], attributes);
            self.call(event)?;
        }
        Ok(SignIn::Tokens(Box::new(tokens)))
    }

    /// The tokens Cognito issues before pre token generation changes them.
    fn default_tokens(&self, username: &str) -> Tokens {
        let user = &self.users[username];
        let issuer = format!("https://cognito-idp.{REGION}.amazonaws.com/{USER_POOL_ID}");
        let sub = user.attribute("sub").unwrap_or_default();
        let mut id_token = Map::new();
        for (name, value) in &user.attributes {
            let value = match name.as_str() {
                "email_verified" | "phone_number_verified" => Value::Bool(value == "true"),
                _ => Value::from(value.as_str()),
            };
            id_token.insert(name.clone(), value);
        }
        let mut access_token = Map::new();
        for (claims, token_use) in [(&mut id_token, "id"), (&mut access_token, "access")] {
            claims.insert("sub".to_owned(), sub.into());
            claims.insert("iss".to_owned(), issuer.clone().into());
            claims.insert("token_use".to_owned(), token_use.into());
            if !user.groups.is_empty() {
                claims.insert("cognito:groups".to_owned(), json!(user.groups));
            }
        }
        id_token.insert("cognito:username".to_owned(), username.into());
        id_token.insert("aud".to_owned(), CLIENT_ID.into());
        access_token.insert("username".to_owned(), username.into());
        access_token.insert("client_id".to_owned(), CLIENT_ID.into());
        access_token.insert("scope".to_owned(), "aws.cognito.signin.user.admin".into());
        Tokens {
            id_token,
            access_token,
            refresh_token: username.to_owned(),
        }
    }

    /// Sends a fresh code for `purpose`: to the attribute it verifies, otherwise to the
    /// user's verified email or phone, otherwise to their email or phone.
    fn send_code(
        &mut self,
        username: &str,
        operation: &str,
        purpose: Purpose,
    ) -> Result<(), ClientError> {
        self.codes_sent += 1;
        let code = format!("{}", 100_000 + self.codes_sent);
        let to = match &purpose {
            Purpose::Attribute(attribute) => Some(attribute.clone()),
            Purpose::SignUp | Purpose::PasswordReset => None,
        };
        if let Some(user) = self.users.get_mut(username) {
            // A new code for the same purpose replaces the one sent before.
            user.pending_codes
                .retain(|(_, sent_for)| *sent_for != purpose);
            user.pending_codes
                .push((Secret::new(code.clone()), purpose));
        }
        self.deliver(username, operation, code, to.as_deref())
    }

    /// One message: through the custom sender when the pool serves one, otherwise Cognito's
    /// text after custom message.
    fn deliver(
        &mut self,
        username: &str,
        operation: &str,
        code: String,
        to_attribute: Option<&str>,
    ) -> Result<(), ClientError> {
        let attributes = self.attributes_of(username);
        let verified = |attribute: &str| {
            attributes
                .get(&format!("{attribute}_verified"))
                .is_some_and(|v| v == "true")
        };
        let attribute = to_attribute.map(str::to_owned).or_else(|| {
            ["email", "phone_number"]
                .into_iter()
                .find(|a| attributes.contains_key(*a) && verified(a))
                .or_else(|| {
                    ["email", "phone_number"]
                        .into_iter()
                        .find(|a| attributes.contains_key(*a))
                })
                .map(str::to_owned)
        });
        let (medium, to) = match attribute.as_deref() {
            Some("phone_number") => (
                Medium::Sms,
                attributes.get("phone_number").cloned().unwrap_or_default(),
            ),
            Some(_) => (
                Medium::Email,
                attributes.get("email").cloned().unwrap_or_default(),
            ),
            None => return Ok(()),
        };
        let sender_kind = match medium {
            Medium::Email => CustomEmailSender::KIND,
            Medium::Sms => CustomSmsSender::KIND,
        };
        if self.attached(sender_kind) {
            let prefix = sender_kind.source_prefix();
            let result = match medium {
                Medium::Email => self.call(sender_event::<CustomEmailSender>(
                    operation,
                    username,
                    &attributes,
                    &code,
                )),
                Medium::Sms => self.call(sender_event::<CustomSmsSender>(
                    operation,
                    username,
                    &attributes,
                    &code,
                )),
            };
            self.deliveries.push(Delivery {
                trigger_source: format!("{prefix}_{operation}"),
                medium,
                to,
                subject: None,
                message: None,
                code,
                // Asynchronous: the client never hears of a sender's failure.
                sender_error: result.err().map(|e| e.message().to_owned()),
            });
            return Ok(());
        }
        let admin = operation == "AdminCreateUser";
        let (default_subject, default_message) = if admin {
            (
                "Your temporary password",
                "Your username is {username} and temporary password is {####}.",
            )
        } else {
            (
                "Your verification code",
                "Your verification code is {####}.",
            )
        };
        let mut event = TestEvent::<CustomMessage>::new()
            .source(CustomMessageSource::parse(&format!(
                "{}_{operation}",
                CustomMessage::KIND.source_prefix()
            )))
            .user_name(username)
            .set(&["request", "userAttributes"], &attributes);
        if admin {
            event = event.username_parameter("{username}");
        }
        let response = self.call(event)?.unwrap_or_default();
        let text = |field: &str, default: &str| {
            response[field]
                .as_str()
                .unwrap_or(default)
                .replace("{####}", &code)
                .replace("{username}", username)
        };
        let (subject, message) = match medium {
            Medium::Email => (
                Some(text("emailSubject", default_subject)),
                text("emailMessage", default_message),
            ),
            Medium::Sms => (None, text("smsMessage", default_message)),
        };
        self.deliveries.push(Delivery {
            trigger_source: format!("{}_{operation}", CustomMessage::KIND.source_prefix()),
            medium,
            to,
            subject,
            message: Some(message),
            code,
            sender_error: None,
        });
        Ok(())
    }
}

impl Session {
    fn new(username: &str, user_not_found: bool) -> Self {
        Self {
            username: username.to_owned(),
            user_not_found,
            steps: Vec::new(),
            private_parameters: Value::Null,
            metadata: Value::Null,
        }
    }
}

/// Checks and uses up the user's pending code.
fn take_code(user: &mut User, code: &str, purpose: &Purpose) -> Result<(), ClientError> {
    let sent = user
        .pending_codes
        .iter()
        .position(|(sent, sent_for)| sent.expose() == code && sent_for == purpose);
    match sent {
        Some(index) => {
            user.pending_codes.remove(index);
            Ok(())
        }
        None => Err(ClientError::new(
            "CodeMismatchException",
            "Invalid verification code provided, please try again.",
        )),
    }
}

/// A pre token generation event for the user, with their groups.
fn token_event<T: Trigger>(
    event: TestEvent<T>,
    username: &str,
    attributes: &BTreeMap<String, String>,
    groups: &[&str],
) -> TestEvent<T> {
    event
        .user_name(username)
        .set(&["request", "userAttributes"], attributes)
        .set(
            &["request", "groupConfiguration", "groupsToOverride"],
            groups,
        )
}

/// A custom sender event for the user, with the code as it is (Cognito would encrypt it).
fn sender_event<T: Trigger>(
    operation: &str,
    username: &str,
    attributes: &BTreeMap<String, String>,
    code: &str,
) -> TestEvent<T> {
    let source = format!("{}_{operation}", T::KIND.source_prefix());
    TestEvent::<T>::new()
        .source(T::Source::parse(&source))
        .user_name(username)
        .set(&["request", "userAttributes"], attributes)
        .set(&["request", "code"], code)
}

/// Lays pre token generation's answer over the tokens (contract §12.4, §12.5): claims
/// added, then suppressed (suppression wins), groups replaced, scopes added and
/// removed. Claims Cognito does not let a function touch are dropped, as Cognito does.
fn apply_token_response(tokens: &mut Tokens, response: &Value) {
    let details = if response["claimsOverrideDetails"].is_object() {
        // V1: the ID token's claims.
        let details = &response["claimsOverrideDetails"];
        apply_claims(&mut tokens.id_token, details, true);
        details
    } else {
        let details = &response["claimsAndScopeOverrideDetails"];
        apply_claims(&mut tokens.id_token, &details["idTokenGeneration"], true);
        let access = &details["accessTokenGeneration"];
        apply_claims(&mut tokens.access_token, access, false);
        let mut scopes: Vec<String> = tokens.scopes().iter().map(|s| (*s).to_owned()).collect();
        for scope in access["scopesToAdd"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
        {
            if !scopes.iter().any(|s| s == scope) {
                scopes.push(scope.to_owned());
            }
        }
        let removed: Vec<&str> = access["scopesToSuppress"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect();
        scopes.retain(|s| !removed.contains(&s.as_str()));
        tokens
            .access_token
            .insert("scope".to_owned(), scopes.join(" ").into());
        details
    };
    if let Some(object) = details.as_object() {
        if let Some(groups) = object.get("groupOverrideDetails") {
            // Present: replaces the groups; `null` or `{}` removes them (§12.5).
            for claims in [&mut tokens.id_token, &mut tokens.access_token] {
                match groups["groupsToOverride"].as_array() {
                    Some(list) if !list.is_empty() => {
                        claims.insert("cognito:groups".to_owned(), Value::Array(list.clone()));
                    }
                    _ => {
                        claims.remove("cognito:groups");
                    }
                }
            }
            match groups["iamRolesToOverride"].as_array() {
                Some(roles) if !roles.is_empty() => {
                    tokens
                        .id_token
                        .insert("cognito:roles".to_owned(), Value::Array(roles.clone()));
                }
                _ => {
                    tokens.id_token.remove("cognito:roles");
                }
            }
            match groups["preferredRole"].as_str() {
                Some(role) => {
                    tokens
                        .id_token
                        .insert("cognito:preferred_role".to_owned(), role.into());
                }
                None => {
                    tokens.id_token.remove("cognito:preferred_role");
                }
            }
        }
    }
}

/// `claimsToAddOrOverride` then `claimsToSuppress` of one token (the ID token, or the
/// access token), as §12.5's table allows (the response rules' reading of it): what it
/// does not allow is dropped.
fn apply_claims(claims: &mut Map<String, Value>, generation: &Value, id_token: bool) {
    if let Some(added) = generation["claimsToAddOrOverride"].as_object() {
        for (name, value) in added {
            if token_rules::may_set_claim(name, id_token, value, CLIENT_ID) {
                claims.insert(name.clone(), value.clone());
            }
        }
    }
    for name in generation["claimsToSuppress"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
    {
        if name == token_rules::GROUP_CLAIMS[0] {
            // The groups go, and with them the ID token's roles.
            for claim in token_rules::GROUP_CLAIMS {
                claims.remove(claim);
            }
        } else if token_rules::may_suppress_claim(name, id_token) {
            claims.remove(name);
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // a panic with the value is the clearest failure
mod tests {
    use super::*;
    use crate::{PreTokenGenerationV2Event, PreTokenGenerationV2Response, cognito_trigger, pool};

    #[cognito_trigger(crate = "crate", PreTokenGenerationV2)]
    fn reshape(_event: &PreTokenGenerationV2Event<'_>) -> PreTokenGenerationV2Response {
        PreTokenGenerationV2Response::new()
            .suppress_id_token_claim("cognito:groups")
            .add_access_token_claim("aud", CLIENT_ID)
            .add_access_token_claim("tier", "gold")
    }

    /// The simulated pool applies what §12.5 allows (suppressing the groups takes the
    /// roles with them; `aud` in the access token as the app client), as Cognito would.
    #[test]
    fn token_changes_follow_the_claims_table() {
        let mut cognito = Cognito::new(pool![reshape]);
        cognito.add_confirmed_user("ada", "Passw0rd!", &[]);
        cognito.admin_add_user_to_group("ada", "admins").unwrap();
        let tokens = cognito
            .sign_in("ada", "Passw0rd!")
            .unwrap()
            .tokens()
            .unwrap();
        assert!(tokens.id_token.get("cognito:groups").is_none());
        assert_eq!(tokens.access_token["cognito:groups"], json!(["admins"]));
        assert_eq!(tokens.access_token["aud"], CLIENT_ID);
        assert_eq!(tokens.access_token["tier"], "gold");
    }
}
