//! The response rules (`cognito_trigger::rules`): for every rule, an answer that breaks it
//! (and only it) and an answer at the edge of what it allows; then the bundled samples and
//! example handlers, whose answers must keep every rule.

// Test code: a panic with the value is the clearest failure.
#![allow(clippy::unwrap_used)]

use std::collections::HashSet;

use cognito_trigger::rules::{
    self, EmailSendingAccount, ResponseRules, Rule, Settings, Severity, Violation,
};
use cognito_trigger::{
    AnyEvent, Context, CustomMessage, CustomMessageResponse, DefineAuthChallenge,
    DefineAuthChallengeResponse, DeliveryMedium, Event, FinalUserStatus, GroupOverride,
    GroupOverrideDetails, InboundFederation, InboundFederationResponse, MessageAction, PreSignUp,
    PreSignUpResponse, PreTokenGenerationV1, PreTokenGenerationV1Response, PreTokenGenerationV2,
    PreTokenGenerationV2Response, PreTokenGenerationV3, Trigger, UserMigration,
    UserMigrationResponse, decode,
};
use cognito_trigger_tests::sample_events;
use serde_json::{Value, json};

const CLIENT_ID: &str = "3n4b5urk1ft4fl3mwl2e3ajbm";
const PASSWORD: &str = "Legacy-Passw0rd!";

// ---------------------------------------------------------------------------------------
// Building events and checking answers.

fn event_bytes(source: &str, version: &str, user_name: &str, request: Value) -> Vec<u8> {
    serde_json::to_vec(&json!({
        "version": version, "triggerSource": source, "region": "eu-west-1",
        "userPoolId": "eu-west-1_Ex4mPle1", "userName": user_name,
        "callerContext": {"awsSdkVersion": "aws-sdk-js-3.473.0", "clientId": CLIENT_ID},
        "request": request, "response": {},
    }))
    .unwrap()
}

/// Decodes `bytes` as an event of `T`, puts `response` in it and checks it.
fn answer<T: ResponseRules>(
    bytes: &[u8],
    response: T::Response,
    settings: &Settings,
) -> Vec<Violation> {
    let mut event = Event::<T>::from_slice(bytes).unwrap();
    event.response = response;
    rules::check(&event, settings)
}

fn message_request(source: &str) -> Value {
    let username = (source == "CustomMessage_AdminCreateUser").then_some("{username}");
    json!({
        "userAttributes": {"email": "ada@example.com", "phone_number": "+15555550100"},
        "codeParameter": "{####}", "linkParameter": null, "usernameParameter": username,
    })
}

fn message_with(
    source: &str,
    response: CustomMessageResponse,
    settings: &Settings,
) -> Vec<Violation> {
    let bytes = event_bytes(source, "1", "ada", message_request(source));
    answer::<CustomMessage>(&bytes, response, settings)
}

fn message(response: CustomMessageResponse) -> Vec<Violation> {
    message_with("CustomMessage_SignUp", response, &Settings::new())
}

fn invitation(response: CustomMessageResponse) -> Vec<Violation> {
    message_with("CustomMessage_AdminCreateUser", response, &Settings::new())
}

fn sms(text: impl Into<String>) -> CustomMessageResponse {
    CustomMessageResponse::new().sms(text)
}

fn email_body(text: impl Into<String>) -> CustomMessageResponse {
    let mut response = CustomMessageResponse::new();
    response.email_message = Some(text.into());
    response
}

fn email_subject(text: impl Into<String>) -> CustomMessageResponse {
    let mut response = CustomMessageResponse::new();
    response.email_subject = Some(text.into());
    response
}

fn sign_up(source: &str, attributes: Value, response: PreSignUpResponse) -> Vec<Violation> {
    let request = json!({"userAttributes": attributes, "validationData": null});
    let bytes = event_bytes(source, "1", "ada", request);
    answer::<PreSignUp>(&bytes, response, &Settings::new())
}

fn define_request() -> Vec<u8> {
    let request = json!({"userAttributes": {"email": "ada@example.com"}, "session": []});
    event_bytes("DefineAuthChallenge_Authentication", "1", "ada", request)
}

fn define(response: DefineAuthChallengeResponse) -> Vec<Violation> {
    answer::<DefineAuthChallenge>(&define_request(), response, &Settings::new())
}

fn token_request(version: &str) -> Value {
    let mut request = json!({
        "userAttributes": {"sub": "8f1e2d3c", "email": "ada@example.com"},
        "groupConfiguration": {"groupsToOverride": ["readers"], "iamRolesToOverride": [],
                               "preferredRole": null},
    });
    if version != "1" {
        request["scopes"] = json!(["aws.cognito.signin.user.admin"]);
    }
    request
}

fn token_v1(response: PreTokenGenerationV1Response) -> Vec<Violation> {
    let bytes = event_bytes(
        "TokenGeneration_Authentication",
        "1",
        "ada",
        token_request("1"),
    );
    answer::<PreTokenGenerationV1>(&bytes, response, &Settings::new())
}

fn token_v2(response: PreTokenGenerationV2Response) -> Vec<Violation> {
    let bytes = event_bytes(
        "TokenGeneration_Authentication",
        "2",
        "ada",
        token_request("2"),
    );
    answer::<PreTokenGenerationV2>(&bytes, response, &Settings::new())
}

fn token_v3(response: PreTokenGenerationV2Response) -> Vec<Violation> {
    let bytes = event_bytes(
        "TokenGeneration_ClientCredentials",
        "3",
        "",
        json!({"scopes": ["reports/read"], "groupConfiguration": null}),
    );
    answer::<PreTokenGenerationV3>(&bytes, response, &Settings::new())
}

const ID_ADD: &str =
    "response.claimsAndScopeOverrideDetails.idTokenGeneration.claimsToAddOrOverride";
const ID_SUPPRESS: &str =
    "response.claimsAndScopeOverrideDetails.idTokenGeneration.claimsToSuppress";
const ACCESS_ADD: &str =
    "response.claimsAndScopeOverrideDetails.accessTokenGeneration.claimsToAddOrOverride";
const ACCESS_SUPPRESS: &str =
    "response.claimsAndScopeOverrideDetails.accessTokenGeneration.claimsToSuppress";
const SCOPES_TO_ADD: &str =
    "response.claimsAndScopeOverrideDetails.accessTokenGeneration.scopesToAdd";

fn migration_in(source: &str, response: UserMigrationResponse) -> Vec<Violation> {
    let request = if source == "UserMigration_Authentication" {
        json!({"password": PASSWORD, "validationData": null})
    } else {
        json!({"validationData": null})
    };
    let bytes = event_bytes(source, "1", "ada@example.com", request);
    answer::<UserMigration>(&bytes, response, &Settings::new())
}

fn migration(response: UserMigrationResponse) -> Vec<Violation> {
    migration_in("UserMigration_Authentication", response)
}

/// A migrated user that keeps every rule.
fn migrated() -> UserMigrationResponse {
    UserMigrationResponse::new()
        .attribute("email", "ada@example.com")
        .attribute("email_verified", "true")
}

fn federation(response: InboundFederationResponse) -> Vec<Violation> {
    let request = json!({"providerName": "CorpOIDC", "providerType": "OIDC",
                         "attributes": {"idToken": {"sub": "00u1", "email": "ada@example.com"}}});
    let bytes = event_bytes(
        "InboundFederation_ExternalProvider",
        "1",
        "CorpOIDC_00u1",
        request,
    );
    answer::<InboundFederation>(&bytes, response, &Settings::new())
}

fn shown(violations: &[Violation]) -> Vec<String> {
    violations.iter().map(ToString::to_string).collect()
}

/// Exactly one violation: of `rule`, at `field`.
#[track_caller]
fn assert_only(violations: &[Violation], rule: Rule, field: &str) {
    assert!(
        violations.len() == 1 && violations[0].rule == rule && violations[0].field == field,
        "expected exactly `{rule}` at {field}, got {:#?}",
        shown(violations)
    );
}

#[track_caller]
fn assert_passes(violations: &[Violation]) {
    assert!(
        violations.is_empty(),
        "expected no violation, got {:#?}",
        shown(violations)
    );
}

fn chars(count: usize) -> String {
    "x".repeat(count)
}

// ---------------------------------------------------------------------------------------
// The rule table.

#[test]
fn rule_ids_are_unique_kebab_case_and_every_rule_cites_a_section() {
    let mut ids = HashSet::new();
    for rule in Rule::ALL {
        assert!(ids.insert(rule.id()), "duplicate id {}", rule.id());
        assert!(
            rule.id()
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
            "{} is not kebab-case",
            rule.id()
        );
        assert!(rule.section().starts_with('§'), "{rule:?}");
        assert!(!rule.summary().is_empty(), "{rule:?}");
        assert_eq!(rule.to_string(), rule.id());
    }
}

#[test]
fn a_violation_reads_as_field_detail_rule_and_section() {
    let violations = message(sms("Welcome aboard!"));
    assert_eq!(
        violations[0].to_string(),
        "response.smsMessage does not contain the code placeholder `{####}` \
         (request.codeParameter), which Cognito replaces with the code \
         (rule sms-message-code: Cognito refuses this answer; contract §14)"
    );
    let violations = token_v2(PreTokenGenerationV2Response::new().add_id_token_claim("iss", "me"));
    assert!(
        violations[0].to_string().ends_with(
            "(rule reserved-claim: Cognito accepts the answer but may ignore this part; \
                 contract §12.5)"
        ),
        "{}",
        violations[0]
    );
    assert_eq!(violations[0].severity(), Severity::Dropped);
}

// ---------------------------------------------------------------------------------------
// Custom message (§14).

#[test]
fn sms_message_length_breaks_past_140_characters() {
    let text = format!("Your code is {{####}}{}", chars(141 - 19));
    assert_eq!(text.chars().count(), 141);
    assert_only(
        &message(sms(text)),
        Rule::SmsMessageLength,
        "response.smsMessage",
    );
    // Characters, not bytes: 141 two-byte characters are too many as well.
    let text = format!("{{####}}{}", "é".repeat(135));
    assert_only(
        &message(sms(text)),
        Rule::SmsMessageLength,
        "response.smsMessage",
    );
}

#[test]
fn sms_message_length_passes_from_6_to_140_characters() {
    assert_passes(&message(sms("{####}")));
    let text = format!("Your code is {{####}}{}", chars(140 - 19));
    assert_eq!(text.chars().count(), 140);
    assert_passes(&message(sms(text)));
    // 140 characters of 2 bytes each: 280 bytes, still within the limit.
    assert_passes(&message(sms(format!("{{####}}{}", "é".repeat(134)))));
}

#[test]
fn sms_message_code_breaks_without_the_request_code_parameter() {
    assert_only(
        &message(sms("Welcome aboard!")),
        Rule::SmsMessageCode,
        "response.smsMessage",
    );
    // The placeholder is the request's, not a hard-coded `{####}`.
    let request = json!({"userAttributes": {}, "codeParameter": "{code}"});
    let bytes = event_bytes("CustomMessage_ForgotPassword", "1", "ada", request);
    let violations = answer::<CustomMessage>(&bytes, sms("Your code: {####}"), &Settings::new());
    assert_only(&violations, Rule::SmsMessageCode, "response.smsMessage");
}

#[test]
fn sms_message_code_passes_with_the_code_parameter() {
    assert_passes(&message(sms("Your code is {####}.")));
    assert_passes(&message_with(
        "CustomMessage_Authentication",
        sms("{####} is your sign-in code"),
        &Settings::new(),
    ));
}

#[test]
fn email_message_length_breaks_past_20000_characters() {
    let body = format!("<p>{{####}}</p>{}", chars(20_001 - 13));
    assert_eq!(body.chars().count(), 20_001);
    assert_only(
        &message(email_body(body)),
        Rule::EmailMessageLength,
        "response.emailMessage",
    );
}

#[test]
fn email_message_length_passes_from_6_to_20000_characters() {
    assert_passes(&message(email_body("{####}")));
    let body = format!("<p>{{####}}</p>{}", chars(20_000 - 13));
    assert_passes(&message(email_body(body)));
}

#[test]
fn email_message_code_breaks_without_the_code_parameter() {
    assert_only(
        &message(email_body("<p>Welcome aboard!</p>")),
        Rule::EmailMessageCode,
        "response.emailMessage",
    );
}

#[test]
fn email_message_code_passes_with_the_code_parameter() {
    assert_passes(&message(email_body("<p>Your code is <b>{####}</b></p>")));
}

#[test]
fn email_message_characters_breaks_on_a_no_break_space() {
    let violations = message(email_body("<p>Your code is\u{A0}{####}</p>"));
    assert_only(
        &violations,
        Rule::EmailMessageCharacters,
        "response.emailMessage",
    );
    assert!(violations[0].detail.contains("U+00A0"), "{}", violations[0]);
    assert!(
        violations[0].detail.contains("at character 16"),
        "{}",
        violations[0]
    );
}

#[test]
fn email_message_characters_breaks_on_control_and_format_characters() {
    for bad in ['\u{0}', '\u{1B}', '\u{200B}', '\u{FEFF}', '\u{2028}'] {
        let violations = message(email_body(format!("Code {{####}}{bad}")));
        assert_only(
            &violations,
            Rule::EmailMessageCharacters,
            "response.emailMessage",
        );
    }
}

#[test]
fn email_message_characters_passes_text_html_and_ascii_whitespace() {
    let body = "<html>\r\n\t<p style=\"color:#333\">Grüße, Ada! Ваш код: {####} — 10 € ✓ 🎉 *</p>\n</html>";
    assert_passes(&message(email_body(body)));
}

#[test]
fn email_subject_length_breaks_when_empty_or_past_140_characters() {
    assert_only(
        &message(email_subject("")),
        Rule::EmailSubjectLength,
        "response.emailSubject",
    );
    assert_only(
        &message(email_subject(chars(141))),
        Rule::EmailSubjectLength,
        "response.emailSubject",
    );
}

#[test]
fn email_subject_length_passes_from_1_to_140_characters() {
    assert_passes(&message(email_subject("!")));
    assert_passes(&message(email_subject(chars(140))));
}

#[test]
fn email_subject_characters_breaks_on_a_zero_width_space() {
    assert_only(
        &message(email_subject("Your\u{200B}code")),
        Rule::EmailSubjectCharacters,
        "response.emailSubject",
    );
}

#[test]
fn email_subject_characters_passes_letters_symbols_and_punctuation() {
    assert_passes(&message(email_subject("Ihr Bestätigungscode – 🎉 (#1)")));
}

#[test]
fn invitation_username_breaks_without_the_username_placeholder() {
    assert_only(
        &invitation(sms("Your temporary password is {####}")),
        Rule::InvitationUsername,
        "response.smsMessage",
    );
    assert_only(
        &invitation(email_body("<p>Your temporary password is {####}</p>")),
        Rule::InvitationUsername,
        "response.emailMessage",
    );
}

#[test]
fn invitation_username_passes_with_both_placeholders_and_elsewhere_without() {
    assert_passes(&invitation(sms("Sign in as {username} with {####}")));
    assert_passes(&invitation(
        CustomMessageResponse::new().email("Welcome", "<p>{username} / {####}</p>"),
    ));
    // Only invitations need the username.
    assert_passes(&message(sms("Your code is {####}")));
}

#[test]
fn email_sending_account_breaks_when_the_pool_uses_cognitos_account() {
    let settings = Settings::new().email_sending_account(EmailSendingAccount::CognitoDefault);
    let violations = message_with(
        "CustomMessage_SignUp",
        email_body("<p>Your code is {####}</p>"),
        &settings,
    );
    assert_only(
        &violations,
        Rule::EmailSendingAccount,
        "response.emailMessage",
    );
    let violations = message_with(
        "CustomMessage_SignUp",
        email_subject("Your code"),
        &settings,
    );
    assert_only(
        &violations,
        Rule::EmailSendingAccount,
        "response.emailSubject",
    );
}

#[test]
fn email_sending_account_passes_for_ses_unknown_settings_and_sms() {
    let response = CustomMessageResponse::new().email("Your code", "<p>Your code is {####}</p>");
    let developer = Settings::new().email_sending_account(EmailSendingAccount::Developer);
    assert_passes(&message_with(
        "CustomMessage_SignUp",
        response.clone(),
        &developer,
    ));
    assert_passes(&message_with(
        "CustomMessage_SignUp",
        response,
        &Settings::new(),
    ));
    let cognito = Settings::new().email_sending_account(EmailSendingAccount::CognitoDefault);
    assert_passes(&message_with(
        "CustomMessage_SignUp",
        sms("Your code is {####}"),
        &cognito,
    ));
}

#[test]
fn an_unset_custom_message_keeps_the_templates_and_passes() {
    let cognito = Settings::new().email_sending_account(EmailSendingAccount::CognitoDefault);
    assert_passes(&message_with(
        "CustomMessage_AdminCreateUser",
        CustomMessageResponse::new(),
        &cognito,
    ));
}

// ---------------------------------------------------------------------------------------
// Pre sign-up (§7).

#[test]
fn auto_verify_without_attribute_breaks_without_email_or_phone() {
    let attributes = json!({"email": "ada@example.com"});
    assert_only(
        &sign_up(
            "PreSignUp_SignUp",
            attributes,
            PreSignUpResponse::new().verify_phone(),
        ),
        Rule::AutoVerifyWithoutAttribute,
        "response.autoVerifyPhone",
    );
    let attributes = json!({"phone_number": "+15555550100"});
    assert_only(
        &sign_up(
            "PreSignUp_SignUp",
            attributes,
            PreSignUpResponse::new().confirm_user().verify_email(),
        ),
        Rule::AutoVerifyWithoutAttribute,
        "response.autoVerifyEmail",
    );
}

#[test]
fn auto_verify_without_attribute_passes_with_the_attributes() {
    let attributes = json!({"email": "ada@example.com", "phone_number": "+15555550100"});
    let response = PreSignUpResponse::new()
        .confirm_user()
        .verify_email()
        .verify_phone();
    assert_passes(&sign_up("PreSignUp_SignUp", attributes, response));
    // Confirming alone needs no attribute.
    assert_passes(&sign_up(
        "PreSignUp_SignUp",
        json!({}),
        PreSignUpResponse::new().confirm_user(),
    ));
}

#[test]
fn sign_up_flags_ignored_breaks_for_admin_created_users() {
    let attributes = json!({"email": "ada@example.com"});
    assert_only(
        &sign_up(
            "PreSignUp_AdminCreateUser",
            attributes,
            PreSignUpResponse::new().confirm_user(),
        ),
        Rule::SignUpFlagsIgnored,
        "response.autoConfirmUser",
    );
}

#[test]
fn sign_up_flags_ignored_passes_false_flags_and_other_sources() {
    let attributes = json!({"email": "ada@example.com"});
    let mut as_received = PreSignUpResponse::new();
    as_received.auto_confirm_user = Some(false);
    as_received.auto_verify_email = Some(false);
    as_received.auto_verify_phone = Some(false);
    assert_passes(&sign_up(
        "PreSignUp_AdminCreateUser",
        attributes.clone(),
        as_received,
    ));
    let response = PreSignUpResponse::new().confirm_user().verify_email();
    assert_passes(&sign_up(
        "PreSignUp_ExternalProvider",
        attributes.clone(),
        response.clone(),
    ));
    assert_passes(&sign_up("PreSignUp_SignUp", attributes, response));
}

// ---------------------------------------------------------------------------------------
// Define auth challenge (§11.2).

#[test]
fn issue_tokens_and_fail_breaks_when_both_are_true() {
    let mut response = DefineAuthChallengeResponse::succeed();
    response.fail_authentication = Some(true);
    assert_only(
        &define(response),
        Rule::IssueTokensAndFail,
        "response.issueTokens",
    );
}

#[test]
fn issue_tokens_and_fail_passes_one_decision() {
    assert_passes(&define(DefineAuthChallengeResponse::succeed()));
    assert_passes(&define(DefineAuthChallengeResponse::fail()));
}

#[test]
fn challenge_undecided_breaks_when_nothing_is_decided() {
    assert_only(
        &define(DefineAuthChallengeResponse::default()),
        Rule::ChallengeUndecided,
        "response.challengeName",
    );
    let mut response = DefineAuthChallengeResponse::default();
    response.issue_tokens = Some(false);
    response.fail_authentication = Some(false);
    assert_only(
        &define(response),
        Rule::ChallengeUndecided,
        "response.challengeName",
    );
}

#[test]
fn challenge_undecided_passes_a_next_challenge_and_the_settled_default() {
    assert_passes(&define(DefineAuthChallengeResponse::next_challenge(
        cognito_trigger::ChallengeName::CustomChallenge,
    )));
    // What the framework sends for a handler that decided nothing: a failure.
    let mut settled = DefineAuthChallengeResponse::default();
    <DefineAuthChallenge as Trigger>::settle(&mut settled);
    assert_passes(&define(settled));
}

// ---------------------------------------------------------------------------------------
// Pre token generation (§12.4, §12.5).

#[test]
fn reserved_claim_breaks_on_adding_or_suppressing_a_reserved_claim() {
    assert_only(
        &token_v2(PreTokenGenerationV2Response::new().add_id_token_claim("sub", "someone-else")),
        Rule::ReservedClaim,
        &format!("{ID_ADD}.sub"),
    );
    for claim in [
        "cognito:username",
        "token_use",
        "iss",
        "cognito:user_status",
        "username",
    ] {
        assert_only(
            &token_v2(PreTokenGenerationV2Response::new().add_access_token_claim(claim, "x")),
            Rule::ReservedClaim,
            &format!("{ACCESS_ADD}.{claim}"),
        );
    }
    assert_only(
        &token_v2(
            PreTokenGenerationV2Response::new()
                .suppress_id_token_claim("email")
                .suppress_id_token_claim("auth_time"),
        ),
        Rule::ReservedClaim,
        &format!("{ID_SUPPRESS}[1]"),
    );
    assert_only(
        &token_v1(PreTokenGenerationV1Response::new().add_claim("cognito:username", "root")),
        Rule::ReservedClaim,
        "response.claimsOverrideDetails.claimsToAddOrOverride.cognito:username",
    );
    assert_only(
        &token_v3(PreTokenGenerationV2Response::new().add_access_token_claim("client_id", "x")),
        Rule::ReservedClaim,
        &format!("{ACCESS_ADD}.client_id"),
    );
}

#[test]
fn reserved_claim_passes_custom_and_standard_claims() {
    let response = PreTokenGenerationV2Response::new()
        .add_id_token_claim("tenant", "acme")
        .add_id_token_claim("email", "ada@example.org")
        // `username` is reserved in the access token only.
        .add_id_token_claim("username", "ada")
        .add_access_token_claim("https://example.com/tier", "gold")
        .suppress_id_token_claim("custom:internal");
    assert_passes(&token_v2(response));
    assert_passes(&token_v1(
        PreTokenGenerationV1Response::new()
            .add_claim("tier", "gold")
            .suppress_claim("email"),
    ));
}

#[test]
fn aud_claim_breaks_outside_the_access_token_or_with_another_value() {
    assert_only(
        &token_v2(PreTokenGenerationV2Response::new().add_access_token_claim("aud", "other")),
        Rule::AudClaim,
        &format!("{ACCESS_ADD}.aud"),
    );
    assert_only(
        &token_v2(PreTokenGenerationV2Response::new().add_id_token_claim("aud", CLIENT_ID)),
        Rule::AudClaim,
        &format!("{ID_ADD}.aud"),
    );
    assert_only(
        &token_v2(PreTokenGenerationV2Response::new().suppress_access_token_claim("aud")),
        Rule::AudClaim,
        &format!("{ACCESS_SUPPRESS}[0]"),
    );
    assert_only(
        &token_v1(PreTokenGenerationV1Response::new().add_claim("aud", CLIENT_ID)),
        Rule::AudClaim,
        "response.claimsOverrideDetails.claimsToAddOrOverride.aud",
    );
}

#[test]
fn aud_claim_passes_the_client_id_in_the_access_token() {
    assert_passes(&token_v2(
        PreTokenGenerationV2Response::new().add_access_token_claim("aud", CLIENT_ID),
    ));
}

#[test]
fn dev_attribute_claim_breaks_on_adding_a_dev_attribute() {
    assert_only(
        &token_v2(PreTokenGenerationV2Response::new().add_id_token_claim("dev:flags", "x")),
        Rule::DevAttributeClaim,
        &format!("{ID_ADD}.dev:flags"),
    );
    assert_only(
        &token_v1(PreTokenGenerationV1Response::new().add_claim("dev:flags", "x")),
        Rule::DevAttributeClaim,
        "response.claimsOverrideDetails.claimsToAddOrOverride.dev:flags",
    );
}

#[test]
fn dev_attribute_claim_passes_suppressing_a_dev_attribute() {
    assert_passes(&token_v2(
        PreTokenGenerationV2Response::new().suppress_id_token_claim("dev:flags"),
    ));
    assert_passes(&token_v1(
        PreTokenGenerationV1Response::new().suppress_claim("dev:flags"),
    ));
}

#[test]
fn group_claim_breaks_on_group_claims_outside_group_override_details() {
    assert_only(
        &token_v2(
            PreTokenGenerationV2Response::new()
                .add_access_token_claim("cognito:groups", json!(["admins"])),
        ),
        Rule::GroupClaim,
        &format!("{ACCESS_ADD}.cognito:groups"),
    );
    assert_only(
        &token_v1(PreTokenGenerationV1Response::new().add_claim("cognito:preferred_role", "arn")),
        Rule::GroupClaim,
        "response.claimsOverrideDetails.claimsToAddOrOverride.cognito:preferred_role",
    );
    assert_only(
        &token_v2(PreTokenGenerationV2Response::new().suppress_id_token_claim("cognito:roles")),
        Rule::GroupClaim,
        &format!("{ID_SUPPRESS}[0]"),
    );
}

#[test]
fn group_claim_passes_group_override_details_and_suppressing_groups() {
    let details = GroupOverrideDetails::groups(["admins"])
        .iam_roles(["arn:aws:iam::123456789012:role/admin"])
        .preferred_role("arn:aws:iam::123456789012:role/admin");
    assert_passes(&token_v2(
        PreTokenGenerationV2Response::new()
            .group_override(GroupOverride::Replace(details))
            .suppress_id_token_claim("cognito:groups"),
    ));
    assert_passes(&token_v1(
        PreTokenGenerationV1Response::new()
            .group_override(GroupOverride::Suppress)
            .suppress_claim("cognito:groups"),
    ));
}

#[test]
fn scope_claim_breaks_on_scope_as_an_access_token_claim() {
    assert_only(
        &token_v2(
            PreTokenGenerationV2Response::new().add_access_token_claim("scope", "openid admin"),
        ),
        Rule::ScopeClaim,
        &format!("{ACCESS_ADD}.scope"),
    );
    assert_only(
        &token_v2(PreTokenGenerationV2Response::new().suppress_access_token_claim("scope")),
        Rule::ScopeClaim,
        &format!("{ACCESS_SUPPRESS}[0]"),
    );
}

#[test]
fn scope_claim_passes_scopes_to_add_and_suppress() {
    assert_passes(&token_v2(
        PreTokenGenerationV2Response::new()
            .add_scope("reports/read")
            .suppress_scope("aws.cognito.signin.user.admin"),
    ));
}

#[test]
fn complex_id_token_claim_breaks_on_an_object_address() {
    assert_only(
        &token_v2(
            PreTokenGenerationV2Response::new()
                .add_id_token_claim("address", json!({"formatted": "1 Main St"})),
        ),
        Rule::ComplexIdTokenClaim,
        &format!("{ID_ADD}.address"),
    );
    assert_only(
        &token_v2(
            PreTokenGenerationV2Response::new().add_id_token_claim("email_verified", json!([true])),
        ),
        Rule::ComplexIdTokenClaim,
        &format!("{ID_ADD}.email_verified"),
    );
}

#[test]
fn complex_id_token_claim_passes_simple_values_and_access_tokens() {
    assert_passes(&token_v2(
        PreTokenGenerationV2Response::new()
            .add_id_token_claim("address", "1 Main St")
            .add_id_token_claim("email_verified", true)
            .add_id_token_claim("updated_at", 1_700_000_000)
            .add_id_token_claim("profile", json!({"team": "core"}))
            .add_access_token_claim("address", json!({"formatted": "1 Main St"})),
    ));
}

#[test]
fn claim_value_type_breaks_on_null_and_nested_arrays() {
    assert_only(
        &token_v2(PreTokenGenerationV2Response::new().add_access_token_claim("tier", Value::Null)),
        Rule::ClaimValueType,
        &format!("{ACCESS_ADD}.tier"),
    );
    assert_only(
        &token_v2(
            PreTokenGenerationV2Response::new().add_id_token_claim("matrix", json!([[1, 2]])),
        ),
        Rule::ClaimValueType,
        &format!("{ID_ADD}.matrix"),
    );
}

#[test]
fn claim_value_type_passes_every_documented_type() {
    assert_passes(&token_v2(
        PreTokenGenerationV2Response::new()
            .add_access_token_claim("s", "text")
            .add_access_token_claim("i", i64::MAX)
            .add_access_token_claim("f", f64::MAX)
            .add_access_token_claim("b", false)
            .add_access_token_claim("a", json!(["read", 2, true]))
            .add_access_token_claim("o", json!({"nested": {"deep": [null]}})),
    ));
}

#[test]
fn claim_added_and_suppressed_breaks_on_the_same_claim_in_one_token() {
    assert_only(
        &token_v2(
            PreTokenGenerationV2Response::new()
                .add_id_token_claim("tenant", "acme")
                .suppress_id_token_claim("tenant"),
        ),
        Rule::ClaimAddedAndSuppressed,
        &format!("{ID_ADD}.tenant"),
    );
    assert_only(
        &token_v1(
            PreTokenGenerationV1Response::new()
                .add_claim("tenant", "acme")
                .suppress_claim("tenant"),
        ),
        Rule::ClaimAddedAndSuppressed,
        "response.claimsOverrideDetails.claimsToAddOrOverride.tenant",
    );
}

#[test]
fn claim_added_and_suppressed_passes_across_tokens() {
    assert_passes(&token_v2(
        PreTokenGenerationV2Response::new()
            .add_id_token_claim("email", "ada@example.com")
            .suppress_access_token_claim("email"),
    ));
}

#[test]
fn scope_whitespace_breaks_on_a_scope_with_a_space() {
    assert_only(
        &token_v2(
            PreTokenGenerationV2Response::new()
                .add_scope("reports/read")
                .add_scope("reports/read reports/write"),
        ),
        Rule::ScopeWhitespace,
        &format!("{SCOPES_TO_ADD}[1]"),
    );
    assert_only(
        &token_v3(PreTokenGenerationV2Response::new().add_scope("reports/read\treports/write")),
        Rule::ScopeWhitespace,
        &format!("{SCOPES_TO_ADD}[0]"),
    );
}

#[test]
fn scope_whitespace_passes_single_word_scopes() {
    assert_passes(&token_v3(
        PreTokenGenerationV2Response::new()
            .add_scope("https://api.example.com/reports.read")
            .add_scope("openid"),
    ));
}

#[test]
fn scope_length_breaks_past_256_characters() {
    assert_only(
        &token_v2(PreTokenGenerationV2Response::new().add_scope(chars(257))),
        Rule::ScopeLength,
        &format!("{SCOPES_TO_ADD}[0]"),
    );
}

#[test]
fn scope_length_passes_256_characters() {
    assert_passes(&token_v2(
        PreTokenGenerationV2Response::new().add_scope(chars(256)),
    ));
}

#[test]
fn unchanged_tokens_pass_in_every_version() {
    assert_passes(&token_v1(PreTokenGenerationV1Response::new()));
    assert_passes(&token_v2(PreTokenGenerationV2Response::new()));
    assert_passes(&token_v3(PreTokenGenerationV2Response::new()));
    assert_passes(&token_v2(
        PreTokenGenerationV2Response::new().group_override(GroupOverride::Suppress),
    ));
}

// ---------------------------------------------------------------------------------------
// User migration (§13).

#[test]
fn migration_without_attributes_breaks_when_other_fields_are_set() {
    assert_only(
        &migration(UserMigrationResponse::new().status(FinalUserStatus::Confirmed)),
        Rule::MigrationWithoutAttributes,
        "response.userAttributes",
    );
}

#[test]
fn migration_without_attributes_passes_an_empty_answer_and_a_migrated_user() {
    // An empty answer is "not found", the framework's default.
    assert_passes(&migration(UserMigrationResponse::new()));
    assert_passes(&migration(migrated().status(FinalUserStatus::Confirmed)));
}

#[test]
fn migration_final_user_status_breaks_on_an_undocumented_status() {
    assert_only(
        &migration(migrated().status(FinalUserStatus::Other("ACTIVE".into()))),
        Rule::MigrationFinalUserStatus,
        "response.finalUserStatus",
    );
}

#[test]
fn migration_final_user_status_passes_the_documented_statuses() {
    assert_passes(&migration(migrated().status(FinalUserStatus::Confirmed)));
    assert_passes(&migration(
        migrated().status(FinalUserStatus::ResetRequired),
    ));
}

#[test]
fn migration_message_action_breaks_on_an_undocumented_action() {
    let mut response = migrated();
    response.message_action = Some(MessageAction::Other("SEND".into()));
    assert_only(
        &migration(response),
        Rule::MigrationMessageAction,
        "response.messageAction",
    );
}

#[test]
fn migration_message_action_passes_suppress() {
    assert_passes(&migration(migrated().suppress_welcome_message()));
}

#[test]
fn migration_resend_breaks_on_resend() {
    let mut response = migrated();
    response.message_action = Some(MessageAction::Resend);
    assert_only(
        &migration(response),
        Rule::MigrationResend,
        "response.messageAction",
    );
}

#[test]
fn migration_resend_passes_an_unset_action() {
    let mut response = migrated();
    response.message_action = None;
    assert_passes(&migration(response));
}

#[test]
fn migration_delivery_medium_breaks_on_an_undocumented_medium() {
    let mut response = migrated();
    response.desired_delivery_mediums = Some(vec![
        DeliveryMedium::Email,
        DeliveryMedium::Other("PIGEON".into()),
    ]);
    assert_only(
        &migration(response),
        Rule::MigrationDeliveryMedium,
        "response.desiredDeliveryMediums[1]",
    );
}

#[test]
fn migration_delivery_medium_passes_email_and_sms() {
    let mut response = migrated().attribute("phone_number", "+15555550100");
    response.desired_delivery_mediums = Some(vec![DeliveryMedium::Email, DeliveryMedium::Sms]);
    assert_passes(&migration(response));
}

#[test]
fn migration_sms_mfa_phone_breaks_without_a_phone_number() {
    let mut response = migrated();
    response.enable_sms_mfa = Some(true);
    assert_only(
        &migration(response),
        Rule::MigrationSmsMfaPhone,
        "response.enableSMSMFA",
    );
}

#[test]
fn migration_sms_mfa_phone_passes_with_a_phone_number() {
    let mut response = migrated().attribute("phone_number", "+15555550100");
    response.enable_sms_mfa = Some(true);
    assert_passes(&migration(response));
}

#[test]
fn migration_username_breaks_when_changed_without_an_alias() {
    let response = UserMigrationResponse::new()
        .attribute("username", "ada")
        .attribute("email", "ada@legacy.example.org");
    let violations = migration(response);
    assert_only(
        &violations,
        Rule::MigrationUsername,
        "response.userAttributes.username",
    );
}

#[test]
fn migration_username_passes_unchanged_omitted_or_moved_to_an_alias() {
    assert_passes(&migration(
        UserMigrationResponse::new().attribute("username", "ada@example.com"),
    ));
    assert_passes(&migration(
        UserMigrationResponse::new().attribute("username", "Ada@Example.com"),
    ));
    assert_passes(&migration(migrated()));
    // Signed in with the email alias: email holds what was typed, username is new.
    assert_passes(&migration(migrated().attribute("username", "ada")));
}

#[test]
fn migration_reset_unverified_breaks_without_a_verified_address() {
    let response = UserMigrationResponse::new()
        .attribute("email", "ada@example.com")
        .attribute("phone_number", "+15555550100")
        .attribute("email_verified", "false");
    assert_only(
        &migration_in("UserMigration_ForgotPassword", response),
        Rule::MigrationResetUnverified,
        "response.userAttributes",
    );
}

#[test]
fn migration_reset_unverified_passes_a_verified_email_or_phone() {
    assert_passes(&migration_in("UserMigration_ForgotPassword", migrated()));
    let phone = UserMigrationResponse::new()
        .attribute("phone_number", "+15555550100")
        .attribute("phone_number_verified", "true");
    assert_passes(&migration_in("UserMigration_ForgotPassword", phone));
    // A sign-in needs no verified address.
    assert_passes(&migration(
        UserMigrationResponse::new().attribute("name", "Ada"),
    ));
}

#[test]
fn migration_attribute_length_breaks_past_2048_characters() {
    assert_only(
        &migration(migrated().attribute("custom:bio", chars(2049))),
        Rule::MigrationAttributeLength,
        "response.userAttributes.custom:bio",
    );
}

#[test]
fn migration_attribute_length_passes_2048_characters() {
    assert_passes(&migration(
        migrated().attribute("custom:bio", "é".repeat(2048)),
    ));
}

#[test]
fn migration_details_never_hold_the_password() {
    let mut response = UserMigrationResponse::new()
        .attribute("username", PASSWORD)
        .attribute("custom:note", PASSWORD.repeat(200))
        .status(FinalUserStatus::Other(PASSWORD.into()));
    response.message_action = Some(MessageAction::Other(PASSWORD.into()));
    response.enable_sms_mfa = Some(true);
    let violations = migration(response);
    assert!(violations.len() >= 4, "{:#?}", shown(&violations));
    for violation in &violations {
        assert!(!violation.to_string().contains(PASSWORD), "{violation}");
        assert!(violation.detail.chars().count() < 400, "{violation}");
    }
    // An undocumented value that is not a secret is quoted, to be recognised.
    let violations = migration(migrated().status(FinalUserStatus::Other("ACTIVE".into())));
    assert!(
        violations[0].detail.contains("\"ACTIVE\""),
        "{}",
        violations[0]
    );
}

// ---------------------------------------------------------------------------------------
// Inbound federation (§16).

#[test]
fn federation_value_length_breaks_past_2048_characters() {
    let response = InboundFederationResponse::map([
        ("email", "ada@example.com".to_owned()),
        ("picture", chars(2049)),
    ]);
    assert_only(
        &federation(response),
        Rule::FederationValueLength,
        "response.userAttributesToMap.picture",
    );
    // A name that is not an identifier is quoted in the path.
    let saml = "http://schemas.xmlsoap.org/claims/groups";
    let response = InboundFederationResponse::map([(saml, chars(3000))]);
    assert_only(
        &federation(response),
        Rule::FederationValueLength,
        &format!("response.userAttributesToMap[\"{saml}\"]"),
    );
}

#[test]
fn federation_value_length_passes_2048_characters_and_keep_all() {
    assert_passes(&federation(InboundFederationResponse::map([(
        "picture",
        chars(2048),
    )])));
    assert_passes(&federation(InboundFederationResponse::keep_all()));
    let mut settled = InboundFederationResponse::default();
    <InboundFederation as Trigger>::settle(&mut settled);
    assert_passes(&federation(settled));
}

// ---------------------------------------------------------------------------------------
// Details quote no user text beyond an excerpt.

#[test]
fn details_do_not_quote_the_message() {
    let secret_looking = format!("Dear Ada, your account number is 12345678 {}", chars(300));
    let violations = message(sms(secret_looking.clone()));
    assert!(!violations.is_empty());
    for violation in violations {
        assert!(!violation.detail.contains("12345678"), "{violation}");
    }
    let violations = message(email_body(format!("{secret_looking}\u{A0}")));
    for violation in violations {
        assert!(!violation.detail.contains("12345678"), "{violation}");
    }
}

// ---------------------------------------------------------------------------------------
// The bundled samples and example handlers.

/// The rules on an event as the framework would send it: with its defaults filled in.
fn settled(event: AnyEvent<'_>, settings: &Settings) -> Vec<Violation> {
    fn go<T: ResponseRules>(mut event: Event<'_, T>, settings: &Settings) -> Vec<Violation> {
        T::settle(&mut event.response);
        rules::check(&event, settings)
    }
    match event {
        AnyEvent::PreSignUp(event) => go(event, settings),
        AnyEvent::PostConfirmation(event) => go(event, settings),
        AnyEvent::PreAuthentication(event) => go(event, settings),
        AnyEvent::PostAuthentication(event) => go(event, settings),
        AnyEvent::DefineAuthChallenge(event) => go(event, settings),
        AnyEvent::CreateAuthChallenge(event) => go(event, settings),
        AnyEvent::VerifyAuthChallengeResponse(event) => go(event, settings),
        AnyEvent::PreTokenGenerationV1(event) => go(event, settings),
        AnyEvent::PreTokenGenerationV2(event) => go(event, settings),
        AnyEvent::PreTokenGenerationV3(event) => go(event, settings),
        AnyEvent::UserMigration(event) => go(event, settings),
        AnyEvent::CustomMessage(event) => go(event, settings),
        AnyEvent::CustomEmailSender(event) => go(event, settings),
        AnyEvent::CustomSmsSender(event) => go(event, settings),
        AnyEvent::InboundFederation(event) => go(event, settings),
        other => panic!("a sample of an unexpected trigger: {:?}", other.kind()),
    }
}

fn every_settings() -> [Settings; 3] {
    [
        Settings::new(),
        Settings::new().email_sending_account(EmailSendingAccount::CognitoDefault),
        Settings::new().email_sending_account(EmailSendingAccount::Developer),
    ]
}

#[test]
fn every_bundled_sample_passes_as_received_and_once_settled() {
    let samples = sample_events();
    assert!(samples.len() >= 50, "only {} samples", samples.len());
    for sample in samples {
        for settings in every_settings() {
            let event = decode(&sample.bytes).unwrap();
            let as_received = rules::check_any(&event, &settings);
            assert!(
                as_received
                    .iter()
                    .all(|v| v.rule.severity() != Severity::Refused),
                "{}: {:#?}",
                sample.name,
                shown(&as_received)
            );
            let violations = settled(event, &settings);
            assert!(
                violations.is_empty(),
                "{}: {:#?}",
                sample.name,
                shown(&violations)
            );
        }
    }
}

#[tokio::test]
async fn the_example_handlers_answer_every_sample_within_the_rules() {
    for (custom_email, account) in [
        (false, EmailSendingAccount::CognitoDefault),
        (true, EmailSendingAccount::Developer),
    ] {
        // The user the user migration samples sign in as, so that their answers are checked.
        let store = examples::store::MemoryStore::default();
        let ada = examples::store::LegacyUser::with_password("Ada Lovelace", "Legacy-Passw0rd!")
            .with_email("ada@example.com");
        store.add_legacy_user("ada@example.com", ada);
        // The samples' user, with everything the token handlers put in tokens.
        let granted = examples::store::Entitlements {
            tier: "gold".to_owned(),
            tenant: Some("acme".to_owned()),
            roles: vec!["editor".to_owned(), "billing.admin".to_owned()],
        };
        store.set_entitlements(
            "8f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0",
            "ada@example.com",
            granted,
        );
        let mut app = examples::App::with_store(store.into());
        app.custom_email = custom_email;
        let pool = examples::pool(app);
        let settings = Settings::new().email_sending_account(account);
        let mut answered = 0;
        for sample in sample_events() {
            // A rejection (a blocked user, a wrong password) is an answer without a response.
            let Ok(answer) = pool.invoke(&sample.bytes, &Context::new("rules")).await else {
                continue;
            };
            let Ok(event) = decode(&answer) else {
                // The custom senders answer with nothing Cognito reads.
                continue;
            };
            let violations = rules::check_any(&event, &settings);
            assert!(
                violations.is_empty(),
                "{} (custom email: {custom_email}): {:#?}",
                sample.name,
                shown(&violations)
            );
            answered += 1;
        }
        assert!(answered >= 30, "only {answered} samples were answered");
    }
}
