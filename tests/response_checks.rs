//! Where the response rules act: a refused answer is not sent on Lambda (nor in the local
//! mode, which answers through the same `Pool::invoke`), a dropped part is sent and logged,
//! the test kit fails on both unless a rule is allowed, and events with a key given twice
//! are refused on the way in.

// A test's unwraps are its assertions.
#![allow(clippy::unwrap_used)]

use cognito_trigger::rules::Rule;
use cognito_trigger::{
    Context, CustomMessageEvent, CustomMessageResponse, Pool, PreTokenGenerationV2Event,
    PreTokenGenerationV2Response, cognito_trigger, decode, handler, testing,
};

const SIGN_UP_MESSAGE: &[u8] = br#"{"version":"1","triggerSource":"CustomMessage_SignUp",
  "region":"eu-west-1","userPoolId":"eu-west-1_EXAMPLE","userName":"ada",
  "callerContext":{"awsSdkVersion":"x","clientId":"1example"},
  "request":{"userAttributes":{"email":"ada@example.com"},"codeParameter":"{####}","usernameParameter":null},
  "response":{"smsMessage":null,"emailMessage":null,"emailSubject":null}}"#;

const TOKENS: &[u8] = br#"{"version":"2","triggerSource":"TokenGeneration_Authentication",
  "region":"eu-west-1","userPoolId":"eu-west-1_EXAMPLE","userName":"ada",
  "callerContext":{"awsSdkVersion":"x","clientId":"1example"},
  "request":{"userAttributes":{"sub":"42"},"groupConfiguration":null,"scopes":["openid"]},
  "response":{"claimsAndScopeOverrideDetails":null}}"#;

#[cognito_trigger(CustomMessage)]
fn sms_without_code(_event: &CustomMessageEvent<'_>) -> CustomMessageResponse {
    CustomMessageResponse::new().sms("Welcome aboard!")
}

#[cognito_trigger(CustomMessage)]
fn sms_with_code(event: &CustomMessageEvent<'_>) -> CustomMessageResponse {
    CustomMessageResponse::new().sms(format!("Your code is {}", event.request.code_parameter))
}

#[cognito_trigger(PreTokenGenerationV2)]
fn tier_added_and_suppressed(
    _event: &PreTokenGenerationV2Event<'_>,
) -> PreTokenGenerationV2Response {
    PreTokenGenerationV2Response::new()
        .add_access_token_claim("tier", "gold")
        .suppress_access_token_claim("tier")
}

fn block_on<F: std::future::Future>(future: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .expect("a runtime")
        .block_on(future)
}

#[test]
fn a_refused_answer_is_not_sent() {
    let pool = Pool::new().handler(handler!(sms_without_code));
    let error = block_on(pool.invoke(SIGN_UP_MESSAGE, &Context::new("r-42"))).unwrap_err();
    assert_eq!(error.error_type(), "InvalidResponse");
    // The end user gets a reference, not the internals; the log has the rule and field.
    assert!(error.error_message().contains("r-42"), "{error}");
    assert!(!error.error_message().contains("smsMessage"), "{error}");
}

#[test]
fn a_valid_answer_is_sent() {
    let pool = Pool::new().handler(handler!(sms_with_code));
    let answer = block_on(pool.invoke(SIGN_UP_MESSAGE, &Context::new("r-43"))).unwrap();
    let answer: serde_json::Value = serde_json::from_slice(&answer).unwrap();
    assert_eq!(answer["response"]["smsMessage"], "Your code is {####}");
}

#[test]
fn a_dropped_part_is_sent_on_lambda() {
    let pool = Pool::new().handler(handler!(tier_added_and_suppressed));
    let answer = block_on(pool.invoke(TOKENS, &Context::new("r-44"))).unwrap();
    let answer: serde_json::Value = serde_json::from_slice(&answer).unwrap();
    let access = &answer["response"]["claimsAndScopeOverrideDetails"]["accessTokenGeneration"];
    assert_eq!(access["claimsToSuppress"], serde_json::json!(["tier"]));
}

#[test]
fn the_test_kit_fails_on_every_violation_with_what_to_fix() {
    let error = testing::answer(&handler!(sms_without_code), &(), SIGN_UP_MESSAGE).unwrap_err();
    assert_eq!(error.error_type(), "InvalidResponse");
    assert!(
        error.error_message().contains("response.smsMessage"),
        "{error}"
    );
    assert!(
        error.error_message().contains("sms-message-code"),
        "{error}"
    );

    let error = testing::answer(&handler!(tier_added_and_suppressed), &(), TOKENS).unwrap_err();
    assert!(
        error.error_message().contains("claim-added-and-suppressed"),
        "{error}"
    );
    assert!(testing::answer(&handler!(sms_with_code), &(), SIGN_UP_MESSAGE).is_ok());
}

#[test]
fn a_test_may_allow_one_named_rule() {
    let allowed = [Rule::ClaimAddedAndSuppressed];
    let kit = |rules: &[Rule]| {
        testing::answer_allowing(&handler!(tier_added_and_suppressed), &(), TOKENS, rules)
    };
    assert!(kit(&allowed).is_ok());
    // Allowing another rule does not allow this one.
    assert!(kit(&[Rule::ScopeWhitespace]).is_err());
}

#[test]
fn a_key_given_twice_is_refused() {
    let twice = br#"{"version":"1","triggerSource":"PreSignUp_SignUp","triggerSource":"PreSignUp_AdminCreateUser","request":{},"response":{}}"#;
    assert_eq!(
        decode(twice).unwrap_err().to_string(),
        "invalid event: duplicate field `triggerSource`"
    );
    let versions = br#"{"version":"2","version":"3","triggerSource":"TokenGeneration_HostedAuth","request":{},"response":{}}"#;
    assert_eq!(
        decode(versions).unwrap_err().to_string(),
        "invalid event: duplicate field `version`"
    );
    let in_request = br#"{"version":"1","triggerSource":"PreSignUp_SignUp","request":{"userAttributes":{},"userAttributes":{"email":"a@b.c"}},"response":{}}"#;
    assert_eq!(
        decode(in_request).unwrap_err().to_string(),
        "invalid `request`: duplicate field `userAttributes`"
    );
}
