//! Pre token generation, V1_0 (§12.4) and V2_0/V3_0 (§12.5).
//!
//! Cognito's handling of a claim a response may not touch is undocumented (§12.5, §18:
//! ignored or refused); community emulators drop such claims silently. Every rule here is
//! therefore [`Severity::Dropped`](super::Severity::Dropped).

use serde_json::{Map, Value};

use super::{Rule, Settings, Violation, check_max_length, element, flag, member};
use crate::{
    Event, PreTokenGenerationV1, PreTokenGenerationV2, PreTokenGenerationV2Response,
    PreTokenGenerationV3,
};

/// §12.5, the claims table's row of claims no one may add, modify or suppress: `cognito:`
/// claims (other than the group claims below) are matched by prefix, `username` only in
/// the access token.
const RESERVED_CLAIMS: &[&str] = &[
    "sub",
    "identities",
    "client_id",
    "event_id",
    "device_key",
    "version",
    "acr",
    "amr",
    "at_hash",
    "auth_time",
    "azp",
    "exp",
    "iat",
    "iss",
    "jti",
    "nbf",
    "nonce",
    "origin_jti",
    "token_use",
];
/// §12.5: `username` is reserved in the access token.
const RESERVED_ACCESS_CLAIM: &str = "username";
/// §12.5: `cognito:username` and any other `cognito:` claim are reserved.
const COGNITO_PREFIX: &str = "cognito:";
/// §12.5: set through `groupOverrideDetails` only.
const GROUPS_CLAIM: &str = "cognito:groups";
/// §12.5: set through `groupOverrideDetails` only, and suppressed by suppressing
/// `cognito:groups`.
const ROLE_CLAIMS: &[&str] = &["cognito:preferred_role", "cognito:roles"];
/// §12.5: developer-only attributes can be suppressed from the ID token, not added.
const DEV_PREFIX: &str = "dev:";
/// §12.5: may be added only to the access token, equal to the app client ID.
const AUD_CLAIM: &str = "aud";
/// §12.5: the access token's scopes change through `scopesToAdd` / `scopesToSuppress`.
const SCOPE_CLAIM: &str = "scope";
/// §12.5: no complex values for these in the ID token.
const SIMPLE_ID_TOKEN_CLAIMS: &[&str] = &[
    "email_verified",
    "phone_number_verified",
    "updated_at",
    "address",
];
/// §12.5 (`ScopeType`): a scope is at most 256 characters.
const MAX_SCOPE_CHARS: usize = 256;

/// Whether §12.5's table lets a response add or change `claim` in the ID token
/// (`id_token`) or the access token, to `value`; `client_id` is the app client's.
pub(crate) fn may_set_claim(claim: &str, id_token: bool, value: &Value, client_id: &str) -> bool {
    if claim == AUD_CLAIM {
        return !id_token && value.as_str() == Some(client_id);
    }
    !RESERVED_CLAIMS.contains(&claim)
        && !claim.starts_with(COGNITO_PREFIX)
        && !claim.starts_with(DEV_PREFIX)
        && (id_token || (claim != RESERVED_ACCESS_CLAIM && claim != SCOPE_CLAIM))
}

/// Whether §12.5's table lets a response suppress `claim` from the ID token (`id_token`)
/// or the access token. Suppressing `cognito:groups` also removes the role claims.
pub(crate) fn may_suppress_claim(claim: &str, id_token: bool) -> bool {
    if claim == GROUPS_CLAIM || claim.starts_with(DEV_PREFIX) {
        return true;
    }
    claim != AUD_CLAIM
        && !RESERVED_CLAIMS.contains(&claim)
        && !claim.starts_with(COGNITO_PREFIX)
        && (id_token || (claim != RESERVED_ACCESS_CLAIM && claim != SCOPE_CLAIM))
}

/// The claims that go with `cognito:groups` when it is suppressed (§12.5).
pub(crate) const GROUP_CLAIMS: [&str; 3] = [GROUPS_CLAIM, ROLE_CLAIMS[0], ROLE_CLAIMS[1]];

/// The rules of a PreTokenGenerationV1 response (the trigger table's `rules` column).
pub(crate) fn pre_token_generation_v1(
    event: &Event<'_, PreTokenGenerationV1>,
    _: &Settings,
    out: &mut Vec<Violation>,
) {
    let Some(details) = &event.response.claims_override_details else {
        return;
    };
    // §12.4: V1_0 changes the ID token only, and its claim values are strings.
    TokenChanges {
        token: Token::Id,
        prefix: "response.claimsOverrideDetails",
        suppressed: details.claims_to_suppress.as_deref().unwrap_or_default(),
        client_id: event.caller_context.app_client_id(),
    }
    .check(
        out,
        details
            .claims_to_add_or_override
            .iter()
            .map(|(name, value)| (name, Claim::Text(value))),
    );
}

/// The rules of a PreTokenGenerationV2 response (the trigger table's `rules` column).
pub(crate) fn pre_token_generation_v2(
    event: &Event<'_, PreTokenGenerationV2>,
    _: &Settings,
    out: &mut Vec<Violation>,
) {
    check_v2(&event.response, event.caller_context.app_client_id(), out);
}

/// The rules of a PreTokenGenerationV3 response (the trigger table's `rules` column).
pub(crate) fn pre_token_generation_v3(
    event: &Event<'_, PreTokenGenerationV3>,
    _: &Settings,
    out: &mut Vec<Violation>,
) {
    check_v2(&event.response, event.caller_context.app_client_id(), out);
}

/// §12.5: the V2_0/V3_0 response, the same for both versions.
fn check_v2(
    response: &PreTokenGenerationV2Response,
    client_id: Option<&str>,
    out: &mut Vec<Violation>,
) {
    let Some(details) = &response.claims_and_scope_override_details else {
        return;
    };
    if let Some(id) = &details.id_token_generation {
        TokenChanges {
            token: Token::Id,
            prefix: "response.claimsAndScopeOverrideDetails.idTokenGeneration",
            suppressed: id.claims_to_suppress.as_deref().unwrap_or_default(),
            client_id,
        }
        .check(out, json_claims(id.claims_to_add_or_override.as_ref()));
    }
    if let Some(access) = &details.access_token_generation {
        let prefix = "response.claimsAndScopeOverrideDetails.accessTokenGeneration";
        TokenChanges {
            token: Token::Access,
            prefix,
            suppressed: access.claims_to_suppress.as_deref().unwrap_or_default(),
            client_id,
        }
        .check(out, json_claims(access.claims_to_add_or_override.as_ref()));

        for (index, scope) in access.scopes_to_add.iter().flatten().enumerate() {
            let field = || element(&format!("{prefix}.scopesToAdd"), index);
            if scope.chars().any(char::is_whitespace) {
                flag(
                    out,
                    Rule::ScopeWhitespace,
                    field(),
                    "contains a space; a scope is a single word. Add each scope as its own \
                     entry",
                );
            }
            check_max_length(out, Rule::ScopeLength, field, scope, MAX_SCOPE_CHARS);
        }
    }
}

/// V2_0/V3_0 claims, as name and value.
fn json_claims(claims: Option<&Map<String, Value>>) -> impl Iterator<Item = (&str, Claim<'_>)> {
    claims
        .into_iter()
        .flatten()
        .map(|(name, value)| (name.as_str(), Claim::Json(value)))
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Token {
    Id,
    Access,
}

impl Token {
    const fn name(self) -> &'static str {
        match self {
            Self::Id => "ID token",
            Self::Access => "access token",
        }
    }
}

/// A claim value as the response gives it: a string (V1_0) or any JSON (V2_0/V3_0).
#[derive(Clone, Copy)]
enum Claim<'r> {
    Text(&'r str),
    Json(&'r Value),
}

impl<'r> Claim<'r> {
    fn as_str(self) -> Option<&'r str> {
        match self {
            Self::Text(text) => Some(text),
            Self::Json(value) => value.as_str(),
        }
    }

    fn is_complex(self) -> bool {
        matches!(self, Self::Json(Value::Object(_) | Value::Array(_)))
    }
}

/// The changes a response makes to one token.
struct TokenChanges<'r> {
    token: Token,
    /// The JSON path of the object holding `claimsToAddOrOverride` and `claimsToSuppress`.
    prefix: &'r str,
    suppressed: &'r [String],
    client_id: Option<&'r str>,
}

impl TokenChanges<'_> {
    fn check<'c>(
        &self,
        out: &mut Vec<Violation>,
        added: impl IntoIterator<Item = (&'c str, Claim<'c>)>,
    ) {
        let token = self.token.name();
        for (name, value) in added {
            // Paths are built only for a violation: this runs on every claim of an answer.
            let field = || member(&format!("{}.claimsToAddOrOverride", self.prefix), name);
            if let Some((rule, detail)) = self.added_claim(name, value) {
                flag(out, rule, field(), detail);
            }
            if self.token == Token::Id
                && SIMPLE_ID_TOKEN_CLAIMS.contains(&name)
                && value.is_complex()
            {
                flag(
                    out,
                    Rule::ComplexIdTokenClaim,
                    field(),
                    format!(
                        "is a JSON object or array; Cognito allows only a simple value for \
                         `{name}` in the ID token"
                    ),
                );
            }
            if let Some(kind) = invalid_value(value) {
                flag(
                    out,
                    Rule::ClaimValueType,
                    field(),
                    format!(
                        "is {kind}; a claim value is a string, number, boolean, JSON object, \
                         or array of strings, numbers and booleans"
                    ),
                );
            }
            if self.suppressed.iter().any(|s| s == name) {
                flag(
                    out,
                    Rule::ClaimAddedAndSuppressed,
                    field(),
                    format!(
                        "is also in claimsToSuppress of the {token}; suppression wins, so the \
                         value is not added. Drop one of the two"
                    ),
                );
            }
        }

        for (index, name) in self.suppressed.iter().enumerate() {
            if let Some((rule, detail)) = self.suppressed_claim(name) {
                let field = element(&format!("{}.claimsToSuppress", self.prefix), index);
                flag(out, rule, field, detail);
            }
        }
    }

    /// What is wrong with adding `name`, judged by the claim's name (and, for `aud`, value).
    fn added_claim(&self, name: &str, value: Claim<'_>) -> Option<(Rule, String)> {
        let token = self.token.name();
        if name == GROUPS_CLAIM || ROLE_CLAIMS.contains(&name) {
            Some((
                Rule::GroupClaim,
                format!(
                    "sets `{name}` as a claim; Cognito sets group claims only from \
                     groupOverrideDetails (groupsToOverride, iamRolesToOverride, preferredRole)"
                ),
            ))
        } else if name == AUD_CLAIM {
            self.added_aud(value)
        } else if self.token == Token::Access && name == SCOPE_CLAIM {
            Some((
                Rule::ScopeClaim,
                "sets `scope` as a claim; Cognito changes scopes only through scopesToAdd and \
                 scopesToSuppress"
                    .to_owned(),
            ))
        } else if self.is_reserved(name) {
            Some((
                Rule::ReservedClaim,
                format!(
                    "adds or changes `{name}`, which Cognito reserves in the {token}; a \
                     response may not add, change or suppress it"
                ),
            ))
        } else if self.token == Token::Id && name.starts_with(DEV_PREFIX) {
            Some((
                Rule::DevAttributeClaim,
                format!(
                    "adds `{name}`; developer-only (`dev:`) attributes can only be suppressed \
                     from the ID token"
                ),
            ))
        } else {
            None
        }
    }

    fn added_aud(&self, value: Claim<'_>) -> Option<(Rule, String)> {
        let detail = match (self.token, self.client_id) {
            (Token::Id, _) => "adds `aud` to the ID token; Cognito lets a response add `aud` \
                               to the access token only"
                .to_owned(),
            (Token::Access, None) => "adds `aud`, but this event has no app client \
                                      (callerContext.clientId); `aud` may only equal the \
                                      app client ID"
                .to_owned(),
            (Token::Access, Some(client_id)) if value.as_str() == Some(client_id) => return None,
            (Token::Access, Some(client_id)) => format!(
                "is not the app client ID `{client_id}` (callerContext.clientId); Cognito \
                 lets a response set `aud` in the access token only to that value"
            ),
        };
        Some((Rule::AudClaim, detail))
    }

    /// What is wrong with suppressing `name`.
    fn suppressed_claim(&self, name: &str) -> Option<(Rule, String)> {
        let token = self.token.name();
        if ROLE_CLAIMS.contains(&name) {
            Some((
                Rule::GroupClaim,
                format!(
                    "suppresses `{name}`; Cognito removes the role claims when `cognito:groups` \
                     is suppressed, or through groupOverrideDetails"
                ),
            ))
        } else if name == AUD_CLAIM {
            Some((
                Rule::AudClaim,
                format!("suppresses `aud` from the {token}; a response may not suppress it"),
            ))
        } else if self.token == Token::Access && name == SCOPE_CLAIM {
            Some((
                Rule::ScopeClaim,
                "suppresses `scope`; Cognito removes scopes only through scopesToSuppress"
                    .to_owned(),
            ))
        } else if self.is_reserved(name) {
            Some((
                Rule::ReservedClaim,
                format!(
                    "suppresses `{name}`, which Cognito reserves in the {token}; a response \
                     may not add, change or suppress it"
                ),
            ))
        } else {
            None
        }
    }

    fn is_reserved(&self, name: &str) -> bool {
        RESERVED_CLAIMS.contains(&name)
            || (name.starts_with(COGNITO_PREFIX)
                && name != GROUPS_CLAIM
                && !ROLE_CLAIMS.contains(&name))
            || (self.token == Token::Access && name == RESERVED_ACCESS_CLAIM)
    }
}

/// §12.5: a V2_0/V3_0 claim value is a string, number, boolean, an array of these, or a
/// JSON object. What else it is, if anything.
fn invalid_value(value: Claim<'_>) -> Option<&'static str> {
    let Claim::Json(value) = value else {
        return None;
    };
    match value {
        Value::Null => Some("null"),
        Value::Array(items) => items.iter().find_map(|item| match item {
            Value::Null => Some("an array holding null"),
            Value::Array(_) => Some("an array holding an array"),
            Value::Object(_) => Some("an array holding an object"),
            _ => None,
        }),
        _ => None,
    }
}
