//! The rules a handler's response must keep for Cognito to accept it, checked before the
//! response leaves.
//!
//! The event model is exact about what Cognito sends; these rules are the other half: what
//! Cognito does with what a handler sends back. Each rule comes from the project's Cognito
//! wire contract and names its section there ([`Rule::section`]); the table of every rule is
//! [`Rule::ALL`], and `rules.md` beside this file renders it.
//!
//! # Two severities
//!
//! - [`Severity::Refused`]: Cognito fails the operation (`InvalidParameterException`,
//!   `InvalidLambdaResponseException`, or a sign-up or migration that fails): the end user
//!   cannot sign up, sign in or get a code. Sending such an answer helps nobody.
//! - [`Severity::Dropped`]: Cognito accepts the answer but ignores part of it (a claim it
//!   will not add, a flag it does not read), or the contract marks Cognito's handling as
//!   unconfirmed. The answer still works; it just does not do all the handler meant.
//!
//! # Checking a response
//!
//! [`check`] runs every rule of the event's trigger on the response as it stands, so run
//! it on the final answer. A response field left unset is never checked: it keeps Cognito's
//! default. Some rules depend on pool settings the event does not carry; [`Settings`] holds
//! them, and a setting left unknown turns its rules off.
//!
//! ```
//! use cognito_trigger::rules::{self, Rule, Settings, Severity};
//! use cognito_trigger::{CustomMessageEvent, CustomMessageResponse};
//!
//! let bytes = br#"{"version":"1","triggerSource":"CustomMessage_SignUp",
//!   "request":{"userAttributes":{"email":"ada@example.com"},"codeParameter":"{####}"},
//!   "response":{"smsMessage":null,"emailMessage":null,"emailSubject":null}}"#;
//! let mut event = CustomMessageEvent::from_slice(bytes)?;
//!
//! event.response = CustomMessageResponse::new().sms("Welcome aboard!");
//! let violations = rules::check(&event, &Settings::new());
//! assert_eq!(violations.len(), 1);
//! assert_eq!(violations[0].rule, Rule::SmsMessageCode);
//! assert_eq!(violations[0].rule.severity(), Severity::Refused);
//! assert_eq!(violations[0].field, "response.smsMessage");
//!
//! event.response = CustomMessageResponse::new().sms("Your code is {####}");
//! assert!(rules::check(&event, &Settings::new()).is_empty());
//! Ok::<(), cognito_trigger::DecodeError>(())
//! ```
//!
//! # Opting out of a rule
//!
//! Every violation names its [`Rule`], so allowing one names that value, never message
//! text; where the framework lets a caller allow a rule (a test, say), it takes a [`Rule`].
//! On a list of violations it is a filter:
//!
//! ```
//! use cognito_trigger::rules::{self, Rule, Settings};
//! use cognito_trigger::{PreTokenGenerationV2Event, PreTokenGenerationV2Response};
//!
//! let bytes = br#"{"version":"2","triggerSource":"TokenGeneration_Authentication",
//!   "request":{"userAttributes":{},"groupConfiguration":null,"scopes":[]},
//!   "response":{"claimsAndScopeOverrideDetails":null}}"#;
//! let mut event = PreTokenGenerationV2Event::from_slice(bytes)?;
//! event.response = PreTokenGenerationV2Response::new()
//!     .add_id_token_claim("tenant", "acme")
//!     .suppress_id_token_claim("tenant");
//! let mut violations = rules::check(&event, &Settings::new());
//! assert_eq!(violations[0].rule, Rule::ClaimAddedAndSuppressed);
//! violations.retain(|v| v.rule != Rule::ClaimAddedAndSuppressed);
//! assert!(violations.is_empty());
//! Ok::<(), cognito_trigger::DecodeError>(())
//! ```
//!
//! Prefer fixing the answer: a rule is only here because Cognito's contract states it.

use std::fmt;

use crate::event::{Event, Trigger};
use crate::kinds::*;
use crate::table::for_each_trigger;

mod challenge;
mod federation;
mod message;
mod migration;
mod sign_up;
mod text;
pub(crate) mod token;

use text::{check_characters, check_length, check_max_length};

/// What Cognito does with a response that breaks a rule.
///
/// ```
/// use cognito_trigger::rules::{Rule, Severity};
///
/// assert_eq!(Rule::SmsMessageLength.severity(), Severity::Refused);
/// assert_eq!(Rule::ReservedClaim.severity(), Severity::Dropped);
/// assert_eq!(Severity::Refused.to_string(), "refused");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Severity {
    /// Cognito fails the operation: the user cannot sign up, sign in or get a code.
    Refused,
    /// Cognito accepts the answer but ignores part of it, or the contract marks the rule
    /// unconfirmed.
    Dropped,
}

impl Severity {
    const fn as_str(self) -> &'static str {
        match self {
            Self::Refused => "refused",
            Self::Dropped => "dropped",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.as_str())
    }
}

/// Declares the rule table: one row per rule, with its stable id, contract section,
/// severity and one-line summary. The summary is also the variant's documentation.
macro_rules! rules {
    ($(
        $(#[$meta:meta])*
        $variant:ident {
            id: $id:literal,
            section: $section:literal,
            severity: $severity:ident,
            summary: $summary:literal,
        }
    )*) => {
        /// A rule a response must keep, from Cognito's contract.
        ///
        /// ```
        /// use cognito_trigger::rules::{Rule, Severity};
        ///
        /// let rule = Rule::SmsMessageLength;
        /// assert_eq!(rule.id(), "sms-message-length");
        /// assert_eq!(rule.section(), "§14");
        /// assert_eq!(rule.severity(), Severity::Refused);
        /// assert!(Rule::ALL.contains(&rule));
        /// ```
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum Rule {
            $(
                #[doc = $summary]
                $(#[$meta])*
                $variant,
            )*
        }

        impl Rule {
            /// Every rule, in table order.
            ///
            /// ```
            /// use cognito_trigger::rules::Rule;
            ///
            /// assert!(Rule::ALL.iter().all(|rule| rule.section().starts_with('§')));
            /// ```
            pub const ALL: &'static [Rule] = &[$(Rule::$variant),*];

            /// The rule's stable kebab-case id, as logs and test messages show it.
            ///
            /// ```
            /// use cognito_trigger::rules::Rule;
            ///
            /// assert_eq!(Rule::ReservedClaim.id(), "reserved-claim");
            /// ```
            #[must_use]
            pub const fn id(self) -> &'static str {
                match self { $( Self::$variant => $id, )* }
            }

            /// The section of the contract the rule comes from, e.g. `§14`.
            ///
            /// ```
            /// use cognito_trigger::rules::Rule;
            ///
            /// assert_eq!(Rule::IssueTokensAndFail.section(), "§11.2");
            /// ```
            #[must_use]
            pub const fn section(self) -> &'static str {
                match self { $( Self::$variant => $section, )* }
            }

            /// What Cognito does with a response that breaks the rule.
            ///
            /// ```
            /// use cognito_trigger::rules::{Rule, Severity};
            ///
            /// assert_eq!(Rule::EmailSendingAccount.severity(), Severity::Refused);
            /// assert_eq!(Rule::ClaimAddedAndSuppressed.severity(), Severity::Dropped);
            /// ```
            #[must_use]
            pub const fn severity(self) -> Severity {
                match self { $( Self::$variant => Severity::$severity, )* }
            }

            /// One line saying what the rule checks, for a table of rules.
            ///
            /// ```
            /// use cognito_trigger::rules::Rule;
            ///
            /// assert!(Rule::SmsMessageCode.summary().contains("codeParameter"));
            /// ```
            #[must_use]
            pub const fn summary(self) -> &'static str {
                match self { $( Self::$variant => $summary, )* }
            }
        }
    };
}

rules! {
    // Custom message (§14). Cognito validates the text as a message template and answers a
    // bad one with `InvalidParameterException` (§6.2).
    SmsMessageLength {
        id: "sms-message-length",
        section: "§14",
        severity: Refused,
        summary: "Custom message: `smsMessage` is 6 to 140 characters long, placeholders included.",
    }
    SmsMessageCode {
        id: "sms-message-code",
        section: "§14",
        severity: Refused,
        summary: "Custom message: `smsMessage` contains the request's `codeParameter`.",
    }
    EmailMessageLength {
        id: "email-message-length",
        section: "§14",
        severity: Refused,
        summary: "Custom message: `emailMessage` is 6 to 20,000 characters long.",
    }
    EmailMessageCode {
        id: "email-message-code",
        section: "§14",
        severity: Refused,
        summary: "Custom message: `emailMessage` contains the request's `codeParameter`.",
    }
    EmailMessageCharacters {
        id: "email-message-characters",
        section: "§14",
        severity: Refused,
        summary: "Custom message: `emailMessage` holds only letters, marks, numbers, symbols, punctuation and ASCII whitespace (no NBSP, control or format characters).",
    }
    EmailSubjectLength {
        id: "email-subject-length",
        section: "§14",
        severity: Dropped,
        summary: "Custom message: `emailSubject` is 1 to 140 characters long (API-model limit, assumed to apply to trigger output).",
    }
    EmailSubjectCharacters {
        id: "email-subject-characters",
        section: "§14",
        severity: Dropped,
        summary: "Custom message: `emailSubject` holds only letters, marks, numbers, symbols, punctuation and ASCII whitespace (API-model pattern, assumed to apply).",
    }
    InvitationUsername {
        id: "invitation-username",
        section: "§14",
        severity: Refused,
        summary: "Custom message: on `CustomMessage_AdminCreateUser`, each message contains the request's `usernameParameter` as well as the code.",
    }
    EmailSendingAccount {
        id: "email-sending-account",
        section: "§14",
        severity: Refused,
        summary: "Custom message: email fields only when the pool sends email through SES (`EmailSendingAccount` = `DEVELOPER`); checked when the setting is known.",
    }
    // Pre sign-up (§7).
    AutoVerifyWithoutAttribute {
        id: "auto-verify-without-attribute",
        section: "§7",
        severity: Refused,
        summary: "Pre sign-up: `autoVerifyEmail` / `autoVerifyPhone` only when the request's `userAttributes` has `email` / `phone_number`, or sign-up fails.",
    }
    SignUpFlagsIgnored {
        id: "sign-up-flags-ignored",
        section: "§7",
        severity: Dropped,
        summary: "Pre sign-up: `autoConfirmUser`, `autoVerifyEmail` and `autoVerifyPhone` are ignored for `PreSignUp_AdminCreateUser`.",
    }
    // Define auth challenge (§11.2).
    IssueTokensAndFail {
        id: "issue-tokens-and-fail",
        section: "§11.2",
        severity: Dropped,
        summary: "Define auth challenge: `issueTokens` and `failAuthentication` are not both true (Cognito documents no meaning for that).",
    }
    ChallengeUndecided {
        id: "challenge-undecided",
        section: "§11.2",
        severity: Dropped,
        summary: "Define auth challenge: with neither `issueTokens` nor `failAuthentication` true, `challengeName` names the next challenge (Cognito documents no default).",
    }
    // Pre token generation (§12.4, §12.5). Cognito's handling of a claim it does not allow is
    // undocumented (§12.5, §18); emulators drop such claims silently.
    ReservedClaim {
        id: "reserved-claim",
        section: "§12.5",
        severity: Dropped,
        summary: "Pre token generation: no adding, changing or suppressing `sub`, `iss`, `token_use`, `cognito:username` and the other claims Cognito reserves.",
    }
    AudClaim {
        id: "aud-claim",
        section: "§12.5",
        severity: Dropped,
        summary: "Pre token generation: `aud` only added, only to the access token, and only equal to `callerContext.clientId`.",
    }
    DevAttributeClaim {
        id: "dev-attribute-claim",
        section: "§12.5",
        severity: Dropped,
        summary: "Pre token generation: `dev:` attributes can only be suppressed from the ID token, not added or changed.",
    }
    GroupClaim {
        id: "group-claim",
        section: "§12.5",
        severity: Dropped,
        summary: "Pre token generation: `cognito:groups`, `cognito:roles` and `cognito:preferred_role` change only through `groupOverrideDetails` (roles are suppressed by suppressing `cognito:groups`).",
    }
    ScopeClaim {
        id: "scope-claim",
        section: "§12.5",
        severity: Dropped,
        summary: "Pre token generation: the access token's `scope` changes only through `scopesToAdd` / `scopesToSuppress`.",
    }
    ComplexIdTokenClaim {
        id: "complex-id-token-claim",
        section: "§12.5",
        severity: Dropped,
        summary: "Pre token generation: no object or array values for `email_verified`, `phone_number_verified`, `updated_at` or `address` in the ID token.",
    }
    ClaimValueType {
        id: "claim-value-type",
        section: "§12.5",
        severity: Dropped,
        summary: "Pre token generation: a claim value is a string, number, boolean, JSON object or array of strings, numbers and booleans (not `null`).",
    }
    ClaimAddedAndSuppressed {
        id: "claim-added-and-suppressed",
        section: "§12.5",
        severity: Dropped,
        summary: "Pre token generation: a claim both added and suppressed in one token is suppressed; the value is lost.",
    }
    ScopeWhitespace {
        id: "scope-whitespace",
        section: "§12.5",
        severity: Dropped,
        summary: "Pre token generation: a scope in `scopesToAdd` contains no spaces (nor other whitespace).",
    }
    ScopeLength {
        id: "scope-length",
        section: "§12.5",
        severity: Dropped,
        summary: "Pre token generation: a scope in `scopesToAdd` is at most 256 characters long.",
    }
    // User migration (§13).
    MigrationWithoutAttributes {
        id: "migration-without-attributes",
        section: "§13",
        severity: Dropped,
        summary: "User migration: a response that sets anything sets `userAttributes` too; without them nobody is migrated and the rest is ignored.",
    }
    MigrationFinalUserStatus {
        id: "migration-final-user-status",
        section: "§13",
        severity: Refused,
        summary: "User migration: `finalUserStatus` is `CONFIRMED` or `RESET_REQUIRED`.",
    }
    MigrationMessageAction {
        id: "migration-message-action",
        section: "§13",
        severity: Refused,
        summary: "User migration: `messageAction` is `SUPPRESS` (or `RESEND`, see `migration-resend`).",
    }
    MigrationResend {
        id: "migration-resend",
        section: "§13",
        severity: Dropped,
        summary: "User migration: `messageAction` `RESEND` is an `AdminCreateUser` value; whether migration accepts it is unconfirmed.",
    }
    MigrationDeliveryMedium {
        id: "migration-delivery-medium",
        section: "§13",
        severity: Refused,
        summary: "User migration: each of `desiredDeliveryMediums` is `EMAIL` or `SMS`.",
    }
    MigrationSmsMfaPhone {
        id: "migration-sms-mfa-phone",
        section: "§13",
        severity: Refused,
        summary: "User migration: `enableSMSMFA` only with a `phone_number` in `userAttributes`, or the migration fails.",
    }
    MigrationUsername {
        id: "migration-username",
        section: "§13",
        severity: Dropped,
        summary: "User migration: `userAttributes.username` equals the username typed, unless the user signed in with an alias held by another attribute.",
    }
    MigrationResetUnverified {
        id: "migration-reset-unverified",
        section: "§13",
        severity: Dropped,
        summary: "User migration: on `UserMigration_ForgotPassword`, a verified `email` or `phone_number`, so the reset code can be delivered.",
    }
    MigrationAttributeLength {
        id: "migration-attribute-length",
        section: "§13",
        severity: Dropped,
        summary: "User migration: attribute values are at most 2,048 characters (Cognito's attribute value limit, §3).",
    }
    // Inbound federation (§16).
    FederationValueLength {
        id: "federation-value-length",
        section: "§16",
        severity: Dropped,
        summary: "Inbound federation: `userAttributesToMap` values are at most 2,048 characters.",
    }
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.id())
    }
}

/// One broken rule: which rule, where in the answer, and what is wrong.
///
/// `field` is a JSON path into the event as Cognito sees it, e.g. `response.smsMessage` or
/// `response.claimsAndScopeOverrideDetails.idTokenGeneration.claimsToAddOrOverride.sub`.
/// `detail` says what is wrong with lengths, names, placeholders and code points; it never
/// holds a secret, and of the handler's text it quotes at most a short undocumented value
/// (such as a `finalUserStatus`), never message text or attribute values.
///
/// ```
/// use cognito_trigger::rules::{Rule, Severity, Violation};
///
/// let violation = Violation {
///     rule: Rule::SmsMessageLength,
///     field: "response.smsMessage".to_owned(),
///     detail: "is 211 characters long; Cognito accepts 6 to 140".to_owned(),
/// };
/// assert_eq!(violation.severity(), Severity::Refused);
/// assert_eq!(
///     violation.to_string(),
///     "response.smsMessage is 211 characters long; Cognito accepts 6 to 140 \
///      (rule sms-message-length: Cognito refuses this answer; contract §14)",
/// );
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Violation {
    /// The rule broken.
    pub rule: Rule,
    /// Where: a JSON path into the event.
    pub field: String,
    /// What is wrong, in words a developer can act on; free of secrets.
    pub detail: String,
}

impl Violation {
    /// The rule's severity.
    ///
    /// ```
    /// use cognito_trigger::rules::{Rule, Severity, Violation};
    ///
    /// let violation = Violation {
    ///     rule: Rule::ScopeWhitespace,
    ///     field: "response.claimsAndScopeOverrideDetails.accessTokenGeneration.scopesToAdd[0]".to_owned(),
    ///     detail: "contains a space".to_owned(),
    /// };
    /// assert_eq!(violation.severity(), Severity::Dropped);
    /// ```
    #[must_use]
    pub const fn severity(&self) -> Severity {
        self.rule.severity()
    }
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let consequence = match self.rule.severity() {
            Severity::Refused => "Cognito refuses this answer",
            Severity::Dropped => "Cognito accepts the answer but may ignore this part",
        };
        write!(
            f,
            "{} {} (rule {}: {consequence}; contract {})",
            self.field,
            self.detail,
            self.rule.id(),
            self.rule.section()
        )
    }
}

/// How the user pool sends email (`EmailSendingAccount` in its `EmailConfiguration`), which
/// decides whether a custom message may set email text.
///
/// ```
/// use cognito_trigger::rules::EmailSendingAccount;
///
/// assert_eq!(EmailSendingAccount::default(), EmailSendingAccount::Unknown);
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum EmailSendingAccount {
    /// Not known: rules that depend on it are not checked.
    #[default]
    Unknown,
    /// Cognito's own email account: a custom message may not set email text.
    CognitoDefault,
    /// `DEVELOPER`: the pool sends through Amazon SES, and a custom message may set email
    /// text.
    Developer,
}

/// Pool settings the rules need but the event does not carry. Unknown by default, which
/// turns off the rules that depend on them.
///
/// ```
/// use cognito_trigger::rules::{EmailSendingAccount, Settings};
///
/// let settings = Settings::new().email_sending_account(EmailSendingAccount::Developer);
/// assert_eq!(settings.email_sending_account, EmailSendingAccount::Developer);
/// assert_eq!(Settings::default().email_sending_account, EmailSendingAccount::Unknown);
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct Settings {
    /// How the pool sends email.
    pub email_sending_account: EmailSendingAccount,
}

impl Settings {
    /// Every setting unknown.
    ///
    /// ```
    /// use cognito_trigger::rules::Settings;
    ///
    /// assert_eq!(Settings::new(), Settings::default());
    /// ```
    #[must_use]
    pub const fn new() -> Self {
        Self {
            email_sending_account: EmailSendingAccount::Unknown,
        }
    }

    /// Sets how the pool sends email.
    ///
    /// ```
    /// use cognito_trigger::rules::{EmailSendingAccount, Settings};
    ///
    /// let settings = Settings::new().email_sending_account(EmailSendingAccount::CognitoDefault);
    /// assert_eq!(settings.email_sending_account, EmailSendingAccount::CognitoDefault);
    /// ```
    #[must_use]
    pub const fn email_sending_account(mut self, account: EmailSendingAccount) -> Self {
        self.email_sending_account = account;
        self
    }
}

mod sealed {
    /// Implemented by the trigger markers only.
    pub trait Sealed {}
}

/// The rules of one trigger's response. Implemented for every trigger marker; for the
/// triggers whose response Cognito does not read, there are none.
///
/// The trait is sealed; call [`check`] (or this method, to collect into one list).
///
/// ```
/// use cognito_trigger::rules::{ResponseRules, Rule, Settings};
/// use cognito_trigger::{DefineAuthChallenge, DefineAuthChallengeEvent};
///
/// let bytes = br#"{"version":"1","triggerSource":"DefineAuthChallenge_Authentication",
///   "request":{"userAttributes":{},"session":[]},
///   "response":{"challengeName":null,"issueTokens":true,"failAuthentication":true}}"#;
/// let event = DefineAuthChallengeEvent::from_slice(bytes)?;
/// let mut violations = Vec::new();
/// DefineAuthChallenge::check_response(&event, &Settings::new(), &mut violations);
/// assert_eq!(violations[0].rule, Rule::IssueTokensAndFail);
/// Ok::<(), cognito_trigger::DecodeError>(())
/// ```
pub trait ResponseRules: Trigger + sealed::Sealed {
    /// Appends to `out` every rule `event.response` breaks.
    fn check_response(event: &Event<'_, Self>, settings: &Settings, out: &mut Vec<Violation>);
}

/// Every rule `event.response` breaks, in the order the rules are checked; empty when the
/// answer keeps them all.
///
/// Run it on the answer as it will be sent (after the framework's defaults are filled in).
///
/// ```
/// use cognito_trigger::rules::{self, Rule, Settings};
/// use cognito_trigger::{PreTokenGenerationV2Event, PreTokenGenerationV2Response};
///
/// let bytes = br#"{"version":"2","triggerSource":"TokenGeneration_Authentication",
///   "callerContext":{"awsSdkVersion":"x","clientId":"1example"},
///   "request":{"userAttributes":{"sub":"42"},"groupConfiguration":null,"scopes":[]},
///   "response":{"claimsAndScopeOverrideDetails":null}}"#;
/// let mut event = PreTokenGenerationV2Event::from_slice(bytes)?;
/// event.response = PreTokenGenerationV2Response::new().add_id_token_claim("sub", "someone-else");
/// let violations = rules::check(&event, &Settings::new());
/// assert_eq!(violations[0].rule, Rule::ReservedClaim);
/// assert_eq!(
///     violations[0].field,
///     "response.claimsAndScopeOverrideDetails.idTokenGeneration.claimsToAddOrOverride.sub",
/// );
/// Ok::<(), cognito_trigger::DecodeError>(())
/// ```
#[must_use]
pub fn check<T: ResponseRules>(event: &Event<'_, T>, settings: &Settings) -> Vec<Violation> {
    let mut out = Vec::new();
    T::check_response(event, settings, &mut out);
    out
}

/// The rules of triggers whose response Cognito does not read (§8, §9, §10, §15) or that
/// the contract puts no constraint on (§11.3, §11.4).
fn no_rules<T: Trigger>(_: &Event<'_, T>, _: &Settings, _: &mut Vec<Violation>) {}

/// Implements [`ResponseRules`] for every trigger, and [`check_any`], from the trigger
/// table's `rules` column.
macro_rules! response_rules {
    ($(
        $(#[$meta:meta])*
        $marker:ident {
            name: $name:literal,
            source_prefix: $prefix:literal,
            event_versions: $versions:expr,
            config_key: $config_key:literal,
            lambda_version: $lambda_version:expr,
            kms_key: $kms_key:literal,
            cognito_waits: $waits:literal,
            on_timeout: $on_timeout:ident,
            aliases: [$($alias:ident),*],
            source: $source:ty,
            never_sent: [$($never_sent:ident),*],
            request: $request:ident,
            response: $response:ty,
            event: $event:ident,
            settle: $settle:path,
            secrets: $secrets:path,
            rules: $rules:path,
            template: $template:path,
        }
    )*) => {
        $(
            impl sealed::Sealed for $marker {}

            impl ResponseRules for $marker {
                fn check_response(event: &Event<'_, Self>, settings: &Settings, out: &mut Vec<Violation>) {
                    $rules(event, settings, out);
                }
            }
        )*

        /// [`check`] for an event of any trigger; an unrecognized event has no rules.
        ///
        /// ```
        /// use cognito_trigger::rules::{self, Rule, Settings};
        ///
        /// let bytes = br#"{"version":"1","triggerSource":"PreSignUp_SignUp",
        ///   "request":{"userAttributes":{"email":"ada@example.com"}},
        ///   "response":{"autoConfirmUser":true,"autoVerifyEmail":false,"autoVerifyPhone":true}}"#;
        /// let event = cognito_trigger::decode(bytes)?;
        /// let violations = rules::check_any(&event, &Settings::new());
        /// assert_eq!(violations[0].rule, Rule::AutoVerifyWithoutAttribute);
        /// assert_eq!(violations[0].field, "response.autoVerifyPhone");
        /// Ok::<(), cognito_trigger::DecodeError>(())
        /// ```
        #[must_use]
        pub fn check_any(event: &AnyEvent<'_>, settings: &Settings) -> Vec<Violation> {
            match event {
                $( AnyEvent::$marker(event) => check(event, settings), )*
                _ => Vec::new(),
            }
        }
    };
}

for_each_trigger!(response_rules);

// ---------------------------------------------------------------------------------------
// Shared by the trigger families.

/// Records a violation.
fn flag(out: &mut Vec<Violation>, rule: Rule, field: impl Into<String>, detail: impl Into<String>) {
    out.push(Violation {
        rule,
        field: field.into(),
        detail: detail.into(),
    });
}

/// The path of member `name` of the object at `prefix`: `prefix.name`, or
/// `prefix["na.me"]` when the name is not a plain identifier.
fn member(prefix: &str, name: &str) -> String {
    let plain = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | ':' | '-'));
    if plain {
        format!("{prefix}.{name}")
    } else {
        let quoted = serde_json::to_string(name).unwrap_or_default();
        format!("{prefix}[{quoted}]")
    }
}

/// The path of element `index` of the array at `prefix`.
fn element(prefix: &str, index: usize) -> String {
    format!("{prefix}[{index}]")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The rule table as Markdown, for the README and the docs.
    fn markdown_table() -> String {
        let mut table =
            String::from("| Rule | Severity | Contract | What it checks |\n|---|---|---|---|\n");
        for rule in Rule::ALL {
            table.push_str(&format!(
                "| `{}` | {} | {} | {} |\n",
                rule.id(),
                rule.severity(),
                rule.section(),
                rule.summary().replace('|', "\\|"),
            ));
        }
        table
    }

    #[test]
    fn rules_md_is_the_rendered_table() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/src/rules.md");
        let stored = std::fs::read_to_string(path).unwrap_or_default();
        let fresh = markdown_table();
        assert!(
            stored == fresh,
            "runtime/src/rules.md is stale; replace its content with:\n\n{fresh}"
        );
    }

    #[test]
    fn paths_quote_names_that_are_not_identifiers() {
        assert_eq!(
            member("response.x", "cognito:groups"),
            "response.x.cognito:groups"
        );
        assert_eq!(
            member("response.x", "https://example.com/role"),
            r#"response.x["https://example.com/role"]"#
        );
        assert_eq!(member("response.x", ""), r#"response.x[""]"#);
        assert_eq!(element("response.x", 2), "response.x[2]");
    }
}
