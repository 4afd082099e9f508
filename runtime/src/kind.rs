//! Every Cognito trigger, in one table: marker types, [`TriggerKind`], [`AnyEvent`] and
//! the one decoding entry point, [`decode`].

use std::borrow::Cow;

use serde::{Serialize, Serializer};

use crate::error::{DecodeError, quote};
use crate::event::{Event, EventVersion, RawEvent, Trigger, private};
use crate::triggers::*;

/// Declares the trigger table. Each row gives the marker type and everything that
/// identifies the trigger on the wire and in a pool's `LambdaConfig`.
macro_rules! triggers {
    ($(
        $(#[$meta:meta])*
        $marker:ident {
            name: $name:literal,
            source_prefix: $prefix:literal,
            config_key: $config_key:literal,
            lambda_version: $lambda_version:expr,
            source: $source:ty,
            request: $request:ident,
            response: $response:ty,
            event: $event:ident,
            $( settle: $settle:path, )?
            $( secrets: $secrets:path, )?
        }
    )*) => {
        $(
            $(#[$meta])*
            #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
            pub struct $marker;

            impl private::Sealed for $marker {}

            impl Trigger for $marker {
                const KIND: TriggerKind = TriggerKind::$marker;
                type Source = $source;
                type Request<'a> = $request<'a>;
                type Response = $response;
                $( fn settle(response: &mut Self::Response) { $settle(response) } )?
                $( fn secrets<'r>(request: &'r Self::Request<'_>) -> Vec<&'r str> { $secrets(request) } )?
            }

            // Not listed in diagnostics: rustc would quote this macro's source to the user.
            #[diagnostic::do_not_recommend]
            impl crate::handler::IntoOutcome<$marker> for $response {
                fn into_outcome(self) -> crate::handler::Outcome<$marker> {
                    ::std::result::Result::Ok(::std::option::Option::Some(self))
                }
            }

            #[doc = concat!("A ", $name, " event: [`Event`] of [`", stringify!($marker), "`].")]
            pub type $event<'a> = Event<'a, $marker>;
        )*

        /// Which trigger an event belongs to: one kind per Cognito trigger, and one per
        /// pre token generation version (their responses differ).
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum TriggerKind {
            $( $(#[$meta])* $marker, )*
        }

        impl TriggerKind {
            /// Every trigger kind.
            pub const ALL: &'static [TriggerKind] = &[$(TriggerKind::$marker),*];

            /// The trigger's name in prose, e.g. `pre sign-up`.
            #[must_use]
            pub const fn name(self) -> &'static str {
                match self { $( Self::$marker => $name, )* }
            }

            /// The prefix of its `triggerSource` values, without the `_`: `PreSignUp` for
            /// `PreSignUp_SignUp`, `TokenGeneration` for pre token generation.
            #[must_use]
            pub const fn source_prefix(self) -> &'static str {
                match self { $( Self::$marker => $prefix, )* }
            }

            /// Its key in a user pool's `LambdaConfig` (the API and CloudFormation use the
            /// same names). Pre token generation V2/V3 go under `PreTokenGenerationConfig`.
            #[must_use]
            pub const fn config_key(self) -> &'static str {
                match self { $( Self::$marker => $config_key, )* }
            }

            /// The position of `trigger_source` among this trigger's documented sources.
            #[must_use]
            pub fn source_position(self, trigger_source: &str) -> Option<usize> {
                match self {
                    $( Self::$marker => <$source>::KNOWN.iter().position(|s| s.as_str() == trigger_source), )*
                }
            }

            /// The `LambdaVersion` to configure, for the triggers that have one.
            #[must_use]
            pub const fn lambda_version(self) -> Option<&'static str> {
                match self { $( Self::$marker => $lambda_version, )* }
            }
        }

        /// An event of any trigger, as [`decode`] returns it.
        #[derive(Clone, Debug, PartialEq)]
        #[non_exhaustive]
        pub enum AnyEvent<'a> {
            $( $(#[$meta])* $marker($event<'a>), )*
            /// A well-formed event of a trigger, or a pre token generation version, that
            /// this version of the crate does not know. Kept whole, so it can be answered
            /// by echoing it back.
            Unrecognized(UnrecognizedEvent<'a>),
        }

        impl<'a> AnyEvent<'a> {
            /// Which trigger the event belongs to; `None` when unrecognized.
            #[must_use]
            pub fn kind(&self) -> Option<TriggerKind> {
                match self {
                    $( Self::$marker(_) => Some(TriggerKind::$marker), )*
                    Self::Unrecognized(_) => None,
                }
            }

            /// The event's `triggerSource`.
            #[must_use]
            pub fn trigger_source(&self) -> &str {
                match self {
                    $( Self::$marker(event) => event.trigger_source.as_str(), )*
                    Self::Unrecognized(event) => &event.trigger_source,
                }
            }

            /// The event's `version`.
            #[must_use]
            pub fn version(&self) -> &EventVersion<'a> {
                match self {
                    $( Self::$marker(event) => &event.version, )*
                    Self::Unrecognized(event) => &event.version,
                }
            }

            fn from_raw(raw: RawEvent<'a>, kind: Option<TriggerKind>) -> Result<Self, DecodeError> {
                Ok(match kind {
                    $( Some(TriggerKind::$marker) => Self::$marker(Event::from_raw_unchecked(raw)?), )*
                    None => Self::Unrecognized(UnrecognizedEvent::new(raw)),
                })
            }
        }

        impl Serialize for AnyEvent<'_> {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                match self {
                    $( Self::$marker(event) => event.serialize(serializer), )*
                    Self::Unrecognized(event) => event.raw.serialize(serializer),
                }
            }
        }
    };
}

triggers! {
    /// Pre sign-up: runs before Cognito creates a user (sign-up, admin create, first
    /// federated sign-in). Can auto-confirm and auto-verify, or reject with an error.
    PreSignUp {
        name: "pre sign-up",
        source_prefix: "PreSignUp",
        config_key: "PreSignUp",
        lambda_version: None,
        source: PreSignUpSource,
        request: PreSignUpRequest,
        response: PreSignUpResponse,
        event: PreSignUpEvent,
    }
    /// Post confirmation: runs after a user confirms sign-up or a password reset.
    /// Observe-only; an error reaches the caller but does not undo the confirmation.
    PostConfirmation {
        name: "post confirmation",
        source_prefix: "PostConfirmation",
        config_key: "PostConfirmation",
        lambda_version: None,
        source: PostConfirmationSource,
        request: PostConfirmationRequest,
        response: EmptyResponse,
        event: PostConfirmationEvent,
    }
    /// Pre authentication: runs before a sign-in; an error denies it.
    PreAuthentication {
        name: "pre authentication",
        source_prefix: "PreAuthentication",
        config_key: "PreAuthentication",
        lambda_version: None,
        source: PreAuthenticationSource,
        request: PreAuthenticationRequest,
        response: EmptyResponse,
        event: PreAuthenticationEvent,
    }
    /// Post authentication: runs after a successful sign-in; an error fails it.
    PostAuthentication {
        name: "post authentication",
        source_prefix: "PostAuthentication",
        config_key: "PostAuthentication",
        lambda_version: None,
        source: PostAuthenticationSource,
        request: PostAuthenticationRequest,
        response: EmptyResponse,
        event: PostAuthenticationEvent,
    }
    /// Define auth challenge: decides the next step of a custom authentication flow.
    DefineAuthChallenge {
        name: "define auth challenge",
        source_prefix: "DefineAuthChallenge",
        config_key: "DefineAuthChallenge",
        lambda_version: None,
        source: DefineAuthChallengeSource,
        request: DefineAuthChallengeRequest,
        response: DefineAuthChallengeResponse,
        event: DefineAuthChallengeEvent,
        settle: DefineAuthChallengeResponse::settle,
    }
    /// Create auth challenge: builds a custom challenge for the client to answer.
    CreateAuthChallenge {
        name: "create auth challenge",
        source_prefix: "CreateAuthChallenge",
        config_key: "CreateAuthChallenge",
        lambda_version: None,
        source: CreateAuthChallengeSource,
        request: CreateAuthChallengeRequest,
        response: CreateAuthChallengeResponse,
        event: CreateAuthChallengeEvent,
    }
    /// Verify auth challenge response: checks the client's answer to a custom challenge.
    VerifyAuthChallengeResponse {
        name: "verify auth challenge response",
        source_prefix: "VerifyAuthChallengeResponse",
        config_key: "VerifyAuthChallengeResponse",
        lambda_version: None,
        source: VerifyAuthChallengeResponseSource,
        request: VerifyAuthChallengeResponseRequest,
        response: VerifyAuthChallengeResponseResponse,
        event: VerifyAuthChallengeResponseEvent,
        settle: VerifyAuthChallengeResponseResponse::settle,
    }
    /// Pre token generation, `V1_0` (event version `"1"`): ID token claims and groups.
    PreTokenGenerationV1 {
        name: "pre token generation V1_0",
        source_prefix: "TokenGeneration",
        config_key: "PreTokenGenerationConfig",
        lambda_version: Some("V1_0"),
        source: TokenGenerationSource,
        request: PreTokenGenerationRequest,
        response: PreTokenGenerationV1Response,
        event: PreTokenGenerationV1Event,
    }
    /// Pre token generation, `V2_0` (event version `"2"`): ID and access token claims,
    /// scopes and groups for user sign-in.
    PreTokenGenerationV2 {
        name: "pre token generation V2_0",
        source_prefix: "TokenGeneration",
        config_key: "PreTokenGenerationConfig",
        lambda_version: Some("V2_0"),
        source: TokenGenerationSource,
        request: PreTokenGenerationRequest,
        response: PreTokenGenerationV2Response,
        event: PreTokenGenerationV2Event,
    }
    /// Pre token generation, `V3_0` (event version `"3"`): as V2_0, and also invoked for
    /// machine-to-machine client-credentials grants (`TokenGeneration_ClientCredentials`).
    PreTokenGenerationV3 {
        name: "pre token generation V3_0",
        source_prefix: "TokenGeneration",
        config_key: "PreTokenGenerationConfig",
        lambda_version: Some("V3_0"),
        source: TokenGenerationSource,
        request: PreTokenGenerationRequest,
        response: PreTokenGenerationV2Response,
        event: PreTokenGenerationV3Event,
    }
    /// User migration: creates a user from a legacy store when an unknown username signs
    /// in or asks for a password reset.
    UserMigration {
        name: "user migration",
        source_prefix: "UserMigration",
        config_key: "UserMigration",
        lambda_version: None,
        source: UserMigrationSource,
        request: UserMigrationRequest,
        response: UserMigrationResponse,
        event: UserMigrationEvent,
        secrets: UserMigrationRequest::secrets,
    }
    /// Custom message: rewrites the email or SMS text of codes and invitations.
    CustomMessage {
        name: "custom message",
        source_prefix: "CustomMessage",
        config_key: "CustomMessage",
        lambda_version: None,
        source: CustomMessageSource,
        request: CustomMessageRequest,
        response: CustomMessageResponse,
        event: CustomMessageEvent,
    }
    /// Custom email sender: delivers every email Cognito would send, with the code
    /// encrypted. Invoked asynchronously; the response is ignored.
    CustomEmailSender {
        name: "custom email sender",
        source_prefix: "CustomEmailSender",
        config_key: "CustomEmailSender",
        lambda_version: Some("V1_0"),
        source: CustomEmailSenderSource,
        request: CustomSenderRequest,
        response: EmptyResponse,
        event: CustomEmailSenderEvent,
        secrets: CustomSenderRequest::secrets,
    }
    /// Custom SMS sender: delivers every SMS Cognito would send, with the code encrypted.
    /// Invoked asynchronously; the response is ignored.
    CustomSmsSender {
        name: "custom SMS sender",
        source_prefix: "CustomSMSSender",
        config_key: "CustomSMSSender",
        lambda_version: Some("V1_0"),
        source: CustomSmsSenderSource,
        request: CustomSenderRequest,
        response: EmptyResponse,
        event: CustomSmsSenderEvent,
        secrets: CustomSenderRequest::secrets,
    }
    /// Inbound federation: sees the raw identity-provider data on every federated
    /// sign-in and can replace the attributes Cognito maps.
    InboundFederation {
        name: "inbound federation",
        source_prefix: "InboundFederation",
        config_key: "InboundFederation",
        lambda_version: Some("V1_0"),
        source: InboundFederationSource,
        request: InboundFederationRequest,
        response: InboundFederationResponse,
        event: InboundFederationEvent,
        settle: InboundFederationResponse::settle,
    }
}

/// The longest `triggerSource` accepted; Cognito's longest is 45 characters.
const MAX_TRIGGER_SOURCE_LEN: usize = 128;

impl TriggerKind {
    /// Whether Cognito waits for the answer (and so gives up after 5 seconds): every trigger
    /// except the custom email and SMS senders, which it invokes asynchronously and whose
    /// deadline is Lambda's alone.
    ///
    /// ```
    /// use cognito_trigger::TriggerKind;
    ///
    /// assert!(TriggerKind::PreSignUp.cognito_waits());
    /// assert!(!TriggerKind::CustomEmailSender.cognito_waits());
    /// ```
    #[must_use]
    pub const fn cognito_waits(self) -> bool {
        !matches!(self, Self::CustomEmailSender | Self::CustomSmsSender)
    }

    /// Which trigger a `triggerSource` (and, for pre token generation, a `version`)
    /// names. `None` for a well-formed value this version of the crate does not know.
    ///
    /// Cognito's values read `<Trigger>_<Source>` in ASCII letters and digits; anything
    /// else cannot be a Cognito event and is an error. Pre token generation picks its
    /// version from `version`: `"2"` is V2_0, `"3"` V3_0, and `"1"` (or none) V1_0.
    /// `"0"` is also V1_0: the cognito-local emulator sends `"0"` with the V1_0 shape.
    ///
    /// ```
    /// use cognito_trigger::{EventVersion, TriggerKind};
    ///
    /// let v1 = EventVersion::new("1");
    /// assert_eq!(TriggerKind::classify("PreSignUp_SignUp", &v1)?, Some(TriggerKind::PreSignUp));
    /// assert_eq!(TriggerKind::classify("PreSignUp_Tomorrow", &v1)?, Some(TriggerKind::PreSignUp));
    /// assert_eq!(TriggerKind::classify("NewTrigger_Something", &v1)?, None);
    /// assert_eq!(
    ///     TriggerKind::classify("TokenGeneration_ClientCredentials", &EventVersion::new("3"))?,
    ///     Some(TriggerKind::PreTokenGenerationV3),
    /// );
    /// assert!(TriggerKind::classify("PreTokenGen", &v1).is_err());
    /// # Ok::<(), cognito_trigger::DecodeError>(())
    /// ```
    ///
    /// # Errors
    /// [`DecodeError::MalformedTriggerSource`] for a value that cannot be Cognito's.
    pub fn classify(
        trigger_source: &str,
        version: &EventVersion<'_>,
    ) -> Result<Option<TriggerKind>, DecodeError> {
        let malformed = || DecodeError::MalformedTriggerSource(quote(trigger_source));
        if trigger_source.len() > MAX_TRIGGER_SOURCE_LEN
            || !trigger_source
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_')
        {
            return Err(malformed());
        }
        let Some((prefix, suffix)) = trigger_source.split_once('_') else {
            return Err(malformed());
        };
        if prefix.is_empty() || suffix.is_empty() {
            return Err(malformed());
        }
        if prefix == "TokenGeneration" {
            return Ok(match version.as_str() {
                "" | "0" | "1" => Some(Self::PreTokenGenerationV1),
                "2" => Some(Self::PreTokenGenerationV2),
                "3" => Some(Self::PreTokenGenerationV3),
                _ => None,
            });
        }
        Ok(Self::ALL
            .iter()
            .copied()
            .find(|kind| kind.source_prefix() == prefix))
    }
}

impl std::fmt::Display for TriggerKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.pad(self.name())
    }
}

/// An event this version of the crate cannot type: its trigger, or its pre token
/// generation version, is newer than the crate. It is kept whole.
#[derive(Clone, Debug, PartialEq)]
pub struct UnrecognizedEvent<'a> {
    /// The event's `triggerSource`.
    pub trigger_source: Cow<'a, str>,
    /// The event's `version`.
    pub version: EventVersion<'a>,
    /// The whole event, with its envelope decoded.
    pub raw: RawEvent<'a>,
}

impl<'a> UnrecognizedEvent<'a> {
    fn new(raw: RawEvent<'a>) -> Self {
        Self {
            trigger_source: raw.trigger_source.clone().unwrap_or_default(),
            version: raw.version.clone(),
            raw,
        }
    }
}

/// Decodes the bytes of any Cognito trigger event into the typed event of whichever
/// trigger its `triggerSource` (and, for pre token generation, `version`) names.
///
/// ```
/// use cognito_trigger::{decode, AnyEvent};
///
/// let bytes = br#"{"version":"1","triggerSource":"CustomMessage_ForgotPassword",
///   "region":"eu-west-1","userPoolId":"eu-west-1_EXAMPLE","userName":"ada",
///   "callerContext":{"awsSdkVersion":"x","clientId":"1example"},
///   "request":{"userAttributes":{},"codeParameter":"{####}","usernameParameter":null},
///   "response":{"smsMessage":null,"emailMessage":null,"emailSubject":null}}"#;
/// match decode(bytes)? {
///     AnyEvent::CustomMessage(event) => assert_eq!(event.request.code_parameter, "{####}"),
///     other => panic!("unexpected {:?}", other.kind()),
/// }
/// # Ok::<(), cognito_trigger::DecodeError>(())
/// ```
///
/// # Errors
/// When the bytes are not a Cognito trigger event; the error says what is wrong.
pub fn decode(bytes: &[u8]) -> Result<AnyEvent<'_>, DecodeError> {
    let raw = RawEvent::parse(bytes)?;
    let kind = raw.kind()?;
    AnyEvent::from_raw(raw, kind)
}
