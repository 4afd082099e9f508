{%- assign chosen = triggers | remove: " " | split: "," -%}
{%- assign crate = project_name | replace: "-", "_" -%}
//! Each handler run on an event as Cognito sends it, as Lambda would run it, with the test
//! kit (`cognito_trigger::testing`): `TestEvent` builds the event, `run` returns the typed
//! response or error and checks the answer against the rules Cognito puts on it.

#[allow(unused_imports)]
use cognito_trigger::testing::TestEvent;
#[allow(unused_imports)]
use cognito_trigger::*;
{%- if chosen contains "PreSignUp" %}

#[test]
fn pre_sign_up_confirms_example_com_only() {
    use {{ crate }}::pre_sign_up::pre_sign_up;
    let ada = TestEvent::<PreSignUp>::new().attribute("email", "ada@example.com");
    let response = ada.run(&handler!(pre_sign_up)).expect("answered");
    assert_eq!(response.auto_confirm_user, Some(true));
    assert_eq!(response.auto_verify_email, Some(true));
    let bob = TestEvent::<PreSignUp>::new().attribute("email", "bob@elsewhere.org");
    let response = bob.run(&handler!(pre_sign_up)).expect("answered");
    assert_ne!(response.auto_confirm_user, Some(true));
}
{%- endif %}
{%- if chosen contains "PostConfirmation" %}

#[test]
fn post_confirmation_answers() {
    use {{ crate }}::post_confirmation::post_confirmation;
    let event = TestEvent::<PostConfirmation>::new();
    assert!(event.run(&handler!(post_confirmation)).is_ok());
}
{%- endif %}
{%- if chosen contains "PreAuthentication" %}

#[test]
fn pre_authentication_denies_blocked_users() {
    use {{ crate }}::pre_authentication::pre_authentication;
    let blocked = TestEvent::<PreAuthentication>::new().attribute("custom:blocked", "true");
    let error = blocked
        .run(&handler!(pre_authentication))
        .expect_err("denied");
    assert_eq!(error.error_message(), "This account is blocked");
    let allowed = TestEvent::<PreAuthentication>::new().attribute("custom:blocked", "false");
    assert!(allowed.run(&handler!(pre_authentication)).is_ok());
}
{%- endif %}
{%- if chosen contains "PostAuthentication" %}

#[test]
fn post_authentication_answers() {
    use {{ crate }}::post_authentication::post_authentication;
    let event = TestEvent::<PostAuthentication>::new();
    assert!(event.run(&handler!(post_authentication)).is_ok());
}
{%- endif %}
{%- if chosen contains "DefineAuthChallenge" %}

#[test]
fn define_auth_challenge_asks_then_issues_tokens() {
    use {{ crate }}::define_auth_challenge::define_auth_challenge;
    let first = TestEvent::<DefineAuthChallenge>::new();
    let response = first
        .run(&handler!(define_auth_challenge))
        .expect("answered");
    assert_eq!(
        response.challenge_name,
        Some(ChallengeName::CustomChallenge)
    );
    let answered = TestEvent::<DefineAuthChallenge>::new().custom_challenge("ANSWER", true);
    let response = answered
        .run(&handler!(define_auth_challenge))
        .expect("answered");
    assert_eq!(response.issue_tokens, Some(true));
}
{%- endif %}
{%- if chosen contains "CreateAuthChallenge" %}

#[test]
fn create_auth_challenge_keeps_the_answer_private() {
    use {{ crate }}::create_auth_challenge::create_auth_challenge;
    let event = TestEvent::<CreateAuthChallenge>::new();
    let response = event
        .run(&handler!(create_auth_challenge))
        .expect("answered");
    assert_eq!(
        response.private_challenge_parameters.get("answer"),
        Some("42")
    );
    assert_eq!(response.public_challenge_parameters.get("answer"), None);
}
{%- endif %}
{%- if chosen contains "VerifyAuthChallengeResponse" %}

#[test]
fn verify_auth_challenge_response_compares_the_answer() {
    use {{ crate }}::verify_auth_challenge_response::verify_auth_challenge_response;
    let event = TestEvent::<VerifyAuthChallengeResponse>::new().expected_answer("42");
    let right = event.clone().challenge_answer(" 42");
    let response = right
        .run(&handler!(verify_auth_challenge_response))
        .expect("answered");
    assert_eq!(response.answer_correct, Some(true));
    let wrong = event.challenge_answer("41");
    let response = wrong
        .run(&handler!(verify_auth_challenge_response))
        .expect("answered");
    assert_eq!(response.answer_correct, Some(false));
}
{%- endif %}
{%- if chosen contains "PreTokenGenerationV1" %}

#[test]
fn pre_token_generation_v1_adds_the_tier() {
    use {{ crate }}::pre_token_generation_v1::pre_token_generation_v1;
    let gold = TestEvent::<PreTokenGenerationV1>::new().attribute("custom:tier", "gold");
    let response = gold
        .run(&handler!(pre_token_generation_v1))
        .expect("answered");
    let claims = response
        .claims_override_details
        .expect("claims")
        .claims_to_add_or_override;
    assert_eq!(claims.get("tier"), Some("gold"));
}
{%- endif %}
{%- if chosen contains "PreTokenGenerationV2" %}

#[test]
fn pre_token_generation_v2_adds_the_tier() {
    use {{ crate }}::pre_token_generation_v2::pre_token_generation_v2;
    let gold = TestEvent::<PreTokenGenerationV2>::new().attribute("custom:tier", "gold");
    let response = gold
        .run(&handler!(pre_token_generation_v2))
        .expect("answered");
    let answer = serde_json::to_value(&response).expect("JSON");
    let access = &answer["claimsAndScopeOverrideDetails"]["accessTokenGeneration"];
    assert_eq!(access["claimsToAddOrOverride"]["tier"], "gold");
}
{%- endif %}
{%- if chosen contains "PreTokenGenerationV3" %}

#[test]
fn pre_token_generation_v3_adds_the_tier_for_machines_too() {
    use {{ crate }}::pre_token_generation_v3::pre_token_generation_v3;
    let machine = TestEvent::<PreTokenGenerationV3>::new()
        .source(TokenGenerationSource::ClientCredentials)
        .scopes(["api/read"]);
    let response = machine
        .run(&handler!(pre_token_generation_v3))
        .expect("answered");
    let answer = serde_json::to_value(&response).expect("JSON");
    let access = &answer["claimsAndScopeOverrideDetails"]["accessTokenGeneration"];
    assert_eq!(access["claimsToAddOrOverride"]["tier"], "free");
}
{%- endif %}
{%- if chosen contains "UserMigration" %}

#[test]
fn user_migration_finds_no_one_yet() {
    use {{ crate }}::user_migration::user_migration;
    let event = TestEvent::<UserMigration>::new().password("correct horse");
    let error = event.run(&handler!(user_migration)).expect_err("refused");
    assert_eq!(error.error_type(), "Rejected");
}
{%- endif %}
{%- if chosen contains "CustomMessage" %}

#[test]
fn custom_message_rewrites_the_reset_sms() {
    use {{ crate }}::custom_message::custom_message;
    let reset = TestEvent::<CustomMessage>::new().source(CustomMessageSource::ForgotPassword);
    let response = reset.run(&handler!(custom_message)).expect("answered");
    let text = response.sms_message.as_deref();
    assert_eq!(text, Some("Your password reset code is {####}"));
    let sign_up = TestEvent::<CustomMessage>::new().source(CustomMessageSource::SignUp);
    let response = sign_up.run(&handler!(custom_message)).expect("answered");
    assert_eq!(response.sms_message, None);
}
{%- endif %}
{%- if chosen contains "CustomEmailSender" %}

#[test]
fn custom_email_sender_answers() {
    use {{ crate }}::custom_email_sender::custom_email_sender;
    let event = TestEvent::<CustomEmailSender>::new();
    assert!(event.run(&handler!(custom_email_sender)).is_ok());
}
{%- endif %}
{%- if chosen contains "CustomSmsSender" %}

#[test]
fn custom_sms_sender_answers() {
    use {{ crate }}::custom_sms_sender::custom_sms_sender;
    let event = TestEvent::<CustomSmsSender>::new();
    assert!(event.run(&handler!(custom_sms_sender)).is_ok());
}
{%- endif %}
{%- if chosen contains "InboundFederation" %}

#[test]
fn inbound_federation_keeps_the_mapped_attributes() {
    use {{ crate }}::inbound_federation::inbound_federation;
    let event = TestEvent::<InboundFederation>::new();
    assert!(event.run(&handler!(inbound_federation)).is_ok());
}
{%- endif %}

/// The pool serves every handler above, and refuses none of their triggers.
#[test]
fn the_pool_serves_every_handler() {
    let pool = {{ crate }}::pool();
    assert_eq!(pool.handler_names().count(), {{ chosen | size }});
    assert!(pool.check().is_ok());
}
