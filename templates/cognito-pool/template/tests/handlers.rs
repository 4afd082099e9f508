{%- assign chosen = triggers | remove: " " | split: "," -%}
{%- assign crate = project_name | replace: "-", "_" -%}
//! Each handler run on an event as Lambda would run it (`cognito_trigger::testing::answer`),
//! which also checks the answer against the rules Cognito puts on it.

use cognito_trigger::{handler, testing};
use serde_json::Value;

/// An event as Cognito sends it, with `trigger_source`, `request` and `response`.
fn event(version: &str, trigger_source: &str, request: Value, response: Value) -> Vec<u8> {
    serde_json::to_vec(&serde_json::json!({
        "version": version,
        "triggerSource": trigger_source,
        "region": "eu-west-1",
        "userPoolId": "eu-west-1_EXAMPLE",
        "userName": "ada",
        "callerContext": {"awsSdkVersion": "aws-sdk-unknown-unknown", "clientId": "1example"},
        "request": request,
        "response": response,
    }))
    .expect("JSON")
}
{%- if chosen contains "PreSignUp" %}

#[test]
fn pre_sign_up_confirms_example_com_only() {
    use {{ crate }}::pre_sign_up::pre_sign_up;
    let sign_up = |email: &str| {
        let request = serde_json::json!({"userAttributes": {"email": email}});
        event("1", "PreSignUp_SignUp", request, serde_json::json!({}))
    };
    let answer =
        testing::answer(&handler!(pre_sign_up), &(), sign_up("ada@example.com")).expect("answered");
    assert_eq!(answer["response"]["autoConfirmUser"], true);
    assert_eq!(answer["response"]["autoVerifyEmail"], true);
    let answer = testing::answer(&handler!(pre_sign_up), &(), sign_up("bob@elsewhere.org"))
        .expect("answered");
    assert_ne!(answer["response"]["autoConfirmUser"], true);
}
{%- endif %}
{%- if chosen contains "PostConfirmation" %}

#[test]
fn post_confirmation_answers_with_the_event() {
    use {{ crate }}::post_confirmation::post_confirmation;
    let request = serde_json::json!({"userAttributes": {"sub": "42"}});
    let sent = event(
        "1",
        "PostConfirmation_ConfirmSignUp",
        request,
        serde_json::json!({}),
    );
    let answer = testing::answer(&handler!(post_confirmation), &(), &sent).expect("answered");
    assert_eq!(
        answer,
        serde_json::from_slice::<Value>(&sent).expect("JSON")
    );
}
{%- endif %}
{%- if chosen contains "PreAuthentication" %}

#[test]
fn pre_authentication_denies_blocked_users() {
    use {{ crate }}::pre_authentication::pre_authentication;
    let sign_in = |blocked: &str| {
        let request = serde_json::json!({"userAttributes": {"custom:blocked": blocked}});
        event(
            "1",
            "PreAuthentication_Authentication",
            request,
            serde_json::json!({}),
        )
    };
    let error =
        testing::answer(&handler!(pre_authentication), &(), sign_in("true")).expect_err("denied");
    assert_eq!(error.error_message(), "This account is blocked");
    assert!(testing::answer(&handler!(pre_authentication), &(), sign_in("false")).is_ok());
}
{%- endif %}
{%- if chosen contains "PostAuthentication" %}

#[test]
fn post_authentication_answers() {
    use {{ crate }}::post_authentication::post_authentication;
    let request = serde_json::json!({"userAttributes": {"sub": "42"}, "newDeviceUsed": false});
    let sent = event(
        "1",
        "PostAuthentication_Authentication",
        request,
        serde_json::json!({}),
    );
    assert!(testing::answer(&handler!(post_authentication), &(), sent).is_ok());
}
{%- endif %}
{%- if chosen contains "DefineAuthChallenge" %}

#[test]
fn define_auth_challenge_asks_then_issues_tokens() {
    use {{ crate }}::define_auth_challenge::define_auth_challenge;
    let step = |session: Value| {
        let request = serde_json::json!({"userAttributes": {}, "session": session});
        event(
            "1",
            "DefineAuthChallenge_Authentication",
            request,
            serde_json::json!({}),
        )
    };
    let first = testing::answer(
        &handler!(define_auth_challenge),
        &(),
        step(serde_json::json!([])),
    )
    .expect("answered");
    assert_eq!(first["response"]["challengeName"], "CUSTOM_CHALLENGE");
    let answered =
        serde_json::json!([{"challengeName": "CUSTOM_CHALLENGE", "challengeResult": true}]);
    let last =
        testing::answer(&handler!(define_auth_challenge), &(), step(answered)).expect("answered");
    assert_eq!(last["response"]["issueTokens"], true);
}
{%- endif %}
{%- if chosen contains "CreateAuthChallenge" %}

#[test]
fn create_auth_challenge_keeps_the_answer_private() {
    use {{ crate }}::create_auth_challenge::create_auth_challenge;
    let request = serde_json::json!({"userAttributes": {}, "challengeName": "CUSTOM_CHALLENGE", "session": []});
    let sent = event(
        "1",
        "CreateAuthChallenge_Authentication",
        request,
        serde_json::json!({}),
    );
    let answer = testing::answer(&handler!(create_auth_challenge), &(), sent).expect("answered");
    assert_eq!(
        answer["response"]["privateChallengeParameters"]["answer"],
        "42"
    );
    assert!(
        answer["response"]["publicChallengeParameters"]
            .get("answer")
            .is_none()
    );
}
{%- endif %}
{%- if chosen contains "VerifyAuthChallengeResponse" %}

#[test]
fn verify_auth_challenge_response_compares_the_answer() {
    use {{ crate }}::verify_auth_challenge_response::verify_auth_challenge_response;
    let verify = |answer: &str| {
        let request = serde_json::json!({
            "userAttributes": {},
            "privateChallengeParameters": {"answer": "42"},
            "challengeAnswer": answer,
        });
        event(
            "1",
            "VerifyAuthChallengeResponse_Authentication",
            request,
            serde_json::json!({}),
        )
    };
    let right = testing::answer(
        &handler!(verify_auth_challenge_response),
        &(),
        verify(" 42"),
    )
    .expect("answered");
    assert_eq!(right["response"]["answerCorrect"], true);
    let wrong = testing::answer(&handler!(verify_auth_challenge_response), &(), verify("41"))
        .expect("answered");
    assert_eq!(wrong["response"]["answerCorrect"], false);
}
{%- endif %}
{%- if chosen contains "PreTokenGenerationV1" %}

#[test]
fn pre_token_generation_v1_adds_the_tier() {
    use {{ crate }}::pre_token_generation_v1::pre_token_generation_v1;
    let request =
        serde_json::json!({"userAttributes": {"custom:tier": "gold"}, "groupConfiguration": {}});
    let sent = event(
        "1",
        "TokenGeneration_Authentication",
        request,
        serde_json::json!({}),
    );
    let answer = testing::answer(&handler!(pre_token_generation_v1), &(), sent).expect("answered");
    assert_eq!(
        answer["response"]["claimsOverrideDetails"]["claimsToAddOrOverride"]["tier"],
        "gold"
    );
}
{%- endif %}
{%- if chosen contains "PreTokenGenerationV2" %}

#[test]
fn pre_token_generation_v2_adds_the_tier() {
    use {{ crate }}::pre_token_generation_v2::pre_token_generation_v2;
    let request = serde_json::json!({"userAttributes": {"custom:tier": "gold"}, "groupConfiguration": {}, "scopes": []});
    let sent = event(
        "2",
        "TokenGeneration_Authentication",
        request,
        serde_json::json!({}),
    );
    let answer = testing::answer(&handler!(pre_token_generation_v2), &(), sent).expect("answered");
    let access = &answer["response"]["claimsAndScopeOverrideDetails"]["accessTokenGeneration"];
    assert_eq!(access["claimsToAddOrOverride"]["tier"], "gold");
}
{%- endif %}
{%- if chosen contains "PreTokenGenerationV3" %}

#[test]
fn pre_token_generation_v3_adds_the_tier_for_machines_too() {
    use {{ crate }}::pre_token_generation_v3::pre_token_generation_v3;
    let request = serde_json::json!({"userAttributes": {}, "scopes": ["api/read"]});
    let sent = event(
        "3",
        "TokenGeneration_ClientCredentials",
        request,
        serde_json::json!({}),
    );
    let answer = testing::answer(&handler!(pre_token_generation_v3), &(), sent).expect("answered");
    let access = &answer["response"]["claimsAndScopeOverrideDetails"]["accessTokenGeneration"];
    assert_eq!(access["claimsToAddOrOverride"]["tier"], "free");
}
{%- endif %}
{%- if chosen contains "UserMigration" %}

#[test]
fn user_migration_finds_no_one_yet() {
    use {{ crate }}::user_migration::user_migration;
    let request = serde_json::json!({"password": "correct horse", "validationData": null});
    let sent = event(
        "1",
        "UserMigration_Authentication",
        request,
        serde_json::json!({}),
    );
    let error = testing::answer(&handler!(user_migration), &(), sent).expect_err("refused");
    assert_eq!(error.error_type(), "Rejected");
}
{%- endif %}
{%- if chosen contains "CustomMessage" %}

#[test]
fn custom_message_rewrites_the_reset_sms() {
    use {{ crate }}::custom_message::custom_message;
    let message = |trigger_source: &str| {
        let request = serde_json::json!({"userAttributes": {}, "codeParameter": "{####}", "usernameParameter": null});
        event("1", trigger_source, request, serde_json::json!({}))
    };
    let reset = testing::answer(
        &handler!(custom_message),
        &(),
        message("CustomMessage_ForgotPassword"),
    )
    .expect("answered");
    assert_eq!(
        reset["response"]["smsMessage"],
        "Your password reset code is {####}"
    );
    let sign_up = testing::answer(
        &handler!(custom_message),
        &(),
        message("CustomMessage_SignUp"),
    )
    .expect("answered");
    assert!(
        sign_up["response"]
            .get("smsMessage")
            .is_none_or(Value::is_null)
    );
}
{%- endif %}
{%- if chosen contains "CustomEmailSender" %}

#[test]
fn custom_email_sender_answers() {
    use {{ crate }}::custom_email_sender::custom_email_sender;
    let request = serde_json::json!({"type": "customEmailSenderRequestV1", "code": "AYADeD", "userAttributes": {"email": "ada@example.com"}});
    let sent = event(
        "1",
        "CustomEmailSender_SignUp",
        request,
        serde_json::json!({}),
    );
    assert!(testing::answer(&handler!(custom_email_sender), &(), sent).is_ok());
}
{%- endif %}
{%- if chosen contains "CustomSmsSender" %}

#[test]
fn custom_sms_sender_answers() {
    use {{ crate }}::custom_sms_sender::custom_sms_sender;
    let request = serde_json::json!({"type": "customSMSSenderRequestV1", "code": "AYADeD", "userAttributes": {"phone_number": "+15555550100"}});
    let sent = event(
        "1",
        "CustomSMSSender_SignUp",
        request,
        serde_json::json!({}),
    );
    assert!(testing::answer(&handler!(custom_sms_sender), &(), sent).is_ok());
}
{%- endif %}
{%- if chosen contains "InboundFederation" %}

#[test]
fn inbound_federation_keeps_the_mapped_attributes() {
    use {{ crate }}::inbound_federation::inbound_federation;
    let request = serde_json::json!({"providerName": "CorpOIDC", "providerType": "OIDC", "attributes": {"idToken": {"email": "ada@example.com"}}});
    let sent = event(
        "1",
        "InboundFederation_ExternalProvider",
        request,
        serde_json::json!({"userAttributesToMap": {}}),
    );
    assert!(testing::answer(&handler!(inbound_federation), &(), sent).is_ok());
}
{%- endif %}

/// The pool serves every handler above, and refuses none of their triggers.
#[test]
fn the_pool_serves_every_handler() {
    let pool = {{ crate }}::pool();
    assert_eq!(pool.handler_names().count(), {{ chosen | size }});
    assert!(pool.check().is_ok());
}
