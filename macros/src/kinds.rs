//! The trigger kinds the attribute accepts, and each one's trigger sources.
//!
//! This mirrors the runtime's trigger table (`runtime/src/kind.rs`): the macro crate cannot
//! depend on the runtime. The UI test `tests/ui/pass/every_kind_and_source.rs` names every
//! kind and every source here through the runtime's types, so the two cannot drift apart.

/// One kind: the word in `#[cognito_trigger(Word)]`.
pub(crate) struct Kind {
    /// The attribute word, also the runtime's marker type.
    pub(crate) name: &'static str,
    /// The runtime's marker type, when it differs from `name` (an alias).
    pub(crate) marker: &'static str,
    /// The runtime's event alias, for messages.
    pub(crate) event: &'static str,
    /// The runtime's trigger-source enum.
    pub(crate) source_enum: &'static str,
    /// The source enum's variants.
    pub(crate) sources: &'static [&'static str],
}

const TOKEN_SOURCES: &[&str] = &[
    "HostedAuth",
    "Authentication",
    "NewPasswordChallenge",
    "AuthenticateDevice",
    "RefreshTokens",
];
const TOKEN_SOURCES_V3: &[&str] = &[
    "HostedAuth",
    "Authentication",
    "NewPasswordChallenge",
    "AuthenticateDevice",
    "RefreshTokens",
    "ClientCredentials",
];
const MESSAGE_SOURCES: &[&str] = &[
    "SignUp",
    "AdminCreateUser",
    "ResendCode",
    "ForgotPassword",
    "UpdateUserAttribute",
    "VerifyUserAttribute",
    "Authentication",
];
const EMAIL_SOURCES: &[&str] = &[
    "SignUp",
    "ResendCode",
    "ForgotPassword",
    "UpdateUserAttribute",
    "VerifyUserAttribute",
    "AdminCreateUser",
    "Authentication",
    "AccountTakeOverNotification",
];
const SMS_SOURCES: &[&str] = &[
    "SignUp",
    "ResendCode",
    "ForgotPassword",
    "UpdateUserAttribute",
    "VerifyUserAttribute",
    "AdminCreateUser",
    "Authentication",
];

macro_rules! kind {
    ($name:literal, $marker:literal, $event:literal, $source_enum:literal, $sources:expr) => {
        Kind {
            name: $name,
            marker: $marker,
            event: $event,
            source_enum: $source_enum,
            sources: $sources,
        }
    };
}

/// Every kind, in the runtime's order; `PreTokenGeneration` is Cognito's default version.
pub(crate) const KINDS: &[Kind] = &[
    kind!(
        "PreSignUp",
        "PreSignUp",
        "PreSignUpEvent",
        "PreSignUpSource",
        &["SignUp", "AdminCreateUser", "ExternalProvider"]
    ),
    kind!(
        "PostConfirmation",
        "PostConfirmation",
        "PostConfirmationEvent",
        "PostConfirmationSource",
        &["ConfirmSignUp", "ConfirmForgotPassword"]
    ),
    kind!(
        "PreAuthentication",
        "PreAuthentication",
        "PreAuthenticationEvent",
        "PreAuthenticationSource",
        &["Authentication"]
    ),
    kind!(
        "PostAuthentication",
        "PostAuthentication",
        "PostAuthenticationEvent",
        "PostAuthenticationSource",
        &["Authentication"]
    ),
    kind!(
        "DefineAuthChallenge",
        "DefineAuthChallenge",
        "DefineAuthChallengeEvent",
        "DefineAuthChallengeSource",
        &["Authentication"]
    ),
    kind!(
        "CreateAuthChallenge",
        "CreateAuthChallenge",
        "CreateAuthChallengeEvent",
        "CreateAuthChallengeSource",
        &["Authentication"]
    ),
    kind!(
        "VerifyAuthChallengeResponse",
        "VerifyAuthChallengeResponse",
        "VerifyAuthChallengeResponseEvent",
        "VerifyAuthChallengeResponseSource",
        &["Authentication"]
    ),
    kind!(
        "PreTokenGeneration",
        "PreTokenGenerationV1",
        "PreTokenGenerationV1Event",
        "TokenGenerationSource",
        TOKEN_SOURCES
    ),
    kind!(
        "PreTokenGenerationV1",
        "PreTokenGenerationV1",
        "PreTokenGenerationV1Event",
        "TokenGenerationSource",
        TOKEN_SOURCES
    ),
    kind!(
        "PreTokenGenerationV2",
        "PreTokenGenerationV2",
        "PreTokenGenerationV2Event",
        "TokenGenerationSource",
        TOKEN_SOURCES
    ),
    kind!(
        "PreTokenGenerationV3",
        "PreTokenGenerationV3",
        "PreTokenGenerationV3Event",
        "TokenGenerationSource",
        TOKEN_SOURCES_V3
    ),
    kind!(
        "UserMigration",
        "UserMigration",
        "UserMigrationEvent",
        "UserMigrationSource",
        &["Authentication", "ForgotPassword"]
    ),
    kind!(
        "CustomMessage",
        "CustomMessage",
        "CustomMessageEvent",
        "CustomMessageSource",
        MESSAGE_SOURCES
    ),
    kind!(
        "CustomEmailSender",
        "CustomEmailSender",
        "CustomEmailSenderEvent",
        "CustomEmailSenderSource",
        EMAIL_SOURCES
    ),
    kind!(
        "CustomSmsSender",
        "CustomSmsSender",
        "CustomSmsSenderEvent",
        "CustomSmsSenderSource",
        SMS_SOURCES
    ),
    kind!(
        "InboundFederation",
        "InboundFederation",
        "InboundFederationEvent",
        "InboundFederationSource",
        &["ExternalProvider"]
    ),
];

/// The kind named `name`.
pub(crate) fn find(name: &str) -> Option<&'static Kind> {
    KINDS.iter().find(|kind| kind.name == name)
}

/// The closest of `candidates` to `wrong`, if one is close enough to be a likely typo.
pub(crate) fn did_you_mean<'a>(
    wrong: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let wrong_lower = wrong.to_ascii_lowercase();
    candidates
        .into_iter()
        .map(|candidate| {
            (
                strsim::jaro_winkler(&wrong_lower, &candidate.to_ascii_lowercase()),
                candidate,
            )
        })
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, candidate)| candidate)
}

/// `a`, `b` and `c`, in backticks, for messages.
pub(crate) fn list(names: &[&str]) -> String {
    let quoted: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
    match quoted.as_slice() {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}
