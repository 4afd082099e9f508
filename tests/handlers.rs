//! A handler for every trigger kind, written with `#[cognito_trigger]`, fed real event bytes
//! (the repository's cognito-local events and bundled samples, a few with one value changed)
//! through the generated code. Each test asserts the JSON that would go back to
//! Cognito: the whole event, unchanged but for the response, or the Lambda error.

// Test code: a panic with the value is the clearest failure.
#![allow(clippy::unwrap_used)]

use std::collections::HashMap;

use cognito_trigger::{
    ChallengeName, Context, CreateAuthChallengeEvent, CreateAuthChallengeResponse,
    CustomEmailSenderEvent, CustomMessageEvent, CustomMessageResponse, CustomSmsSenderEvent,
    DefineAuthChallengeEvent, DefineAuthChallengeResponse, FinalUserStatus, Handler,
    InboundFederationEvent, InboundFederationResponse, InvocationError, PostAuthenticationEvent,
    PostConfirmationEvent, PreAuthenticationEvent, PreSignUpEvent, PreSignUpResponse,
    PreTokenGenerationV1Event, PreTokenGenerationV1Response, PreTokenGenerationV2Event,
    PreTokenGenerationV2Response, PreTokenGenerationV3Event, Reject, TriggerError,
    UserMigrationEvent, UserMigrationResponse, VerifyAuthChallengeResponseEvent,
    VerifyAuthChallengeResponseResponse, cognito_trigger, handler, invoke,
};
use cognito_trigger_tests::{Fixture, cognito_local_events, sample, with};
use serde_json::{Value, json};

// ---------------------------------------------------------------------------------------
// Helpers

/// The bundled sample `name`, or that sample with one value changed (see `support::with`).
fn fixture(name: &str) -> Vec<u8> {
    sample(name).bytes
}

fn fixture_with(name: &str, pointer: &str, value: Value) -> Vec<u8> {
    with(&sample(name), pointer, value).bytes
}

/// The cognito-local events of one trigger source.
fn local_events(source: &str) -> Vec<Fixture> {
    let events: Vec<Fixture> = cognito_local_events()
        .into_iter()
        .filter(|f| serde_json::from_slice::<Value>(&f.bytes).unwrap()["triggerSource"] == source)
        .collect();
    assert!(!events.is_empty(), "no cognito-local {source} events");
    events
}

async fn run<S, H: Handler<S>>(
    handler: &H,
    state: &S,
    input: &[u8],
) -> Result<Value, InvocationError> {
    let context = Context::new("req-42");
    invoke(handler, input, &context, state)
        .await
        .map(|bytes| serde_json::from_slice(&bytes).expect("the answer is JSON"))
}

/// Asserts `output` is `input` with only `response` changed, and returns that response.
fn response_of(input: &[u8], output: &Value) -> Value {
    let mut input: Value = serde_json::from_slice(input).unwrap();
    let mut output = output.clone();
    let response = output
        .as_object_mut()
        .unwrap()
        .remove("response")
        .unwrap_or(Value::Null);
    input.as_object_mut().unwrap().remove("response");
    assert_eq!(output, input, "something besides the response changed");
    response
}

fn assert_rejected(result: Result<Value, InvocationError>, message: &str) {
    let error = result.expect_err("the handler should refuse");
    assert_eq!(error.error_type(), "Rejected");
    assert_eq!(error.error_message(), message);
    let lambda: Value = serde_json::from_str(&error.to_json()).unwrap();
    assert_eq!(
        lambda,
        json!({"errorType": "Rejected", "errorMessage": message})
    );
}

fn assert_internal(result: Result<Value, InvocationError>) {
    let error = result.expect_err("the handler should fail");
    assert_eq!(error.error_type(), "InternalError");
    assert_eq!(
        error.error_message(),
        "An internal error occurred (reference req-42)"
    );
}

// ---------------------------------------------------------------------------------------
// Pre sign-up

struct SignUpPolicy {
    allowed_domain: &'static str,
}

#[cognito_trigger(PreSignUp)]
async fn pre_sign_up(
    event: &PreSignUpEvent<'_>,
    policy: &SignUpPolicy,
) -> Result<PreSignUpResponse, Reject> {
    let email = event
        .request
        .user_attributes
        .get("email")
        .unwrap_or_default();
    if !email.ends_with(policy.allowed_domain) {
        return Err(Reject::new(format!(
            "Sign-up is open to {} addresses only.",
            policy.allowed_domain
        )));
    }
    Ok(PreSignUpResponse::new().confirm_user().verify_email())
}

#[tokio::test]
async fn pre_sign_up_confirms_allowed_domains_and_rejects_others() {
    let open = SignUpPolicy {
        allowed_domain: "@example.com",
    };
    for event in local_events("PreSignUp_SignUp") {
        let output = run(&handler!(pre_sign_up), &open, &event.bytes)
            .await
            .unwrap();
        assert_eq!(
            response_of(&event.bytes, &output),
            json!({"autoConfirmUser": true, "autoVerifyEmail": true, "autoVerifyPhone": false}),
            "{}",
            event.name
        );
    }
    let closed = SignUpPolicy {
        allowed_domain: "@corp.example",
    };
    let event = &local_events("PreSignUp_SignUp")[0];
    // Cognito appends the period itself: the message goes without it.
    assert_rejected(
        run(&handler!(pre_sign_up), &closed, &event.bytes).await,
        "Sign-up is open to @corp.example addresses only",
    );
}

// ---------------------------------------------------------------------------------------
// Post confirmation: observe-only

#[cognito_trigger(PostConfirmation)]
fn post_confirmation(event: &PostConfirmationEvent<'_>) {
    assert!(event.request.user_attributes.get("sub").is_some());
}

#[tokio::test]
async fn observe_only_handlers_return_the_event_byte_for_byte() {
    for source in [
        "PostConfirmation_ConfirmSignUp",
        "PostConfirmation_ConfirmForgotPassword",
    ] {
        for event in local_events(source) {
            let bytes = invoke(
                &handler!(post_confirmation),
                &event.bytes,
                &Context::new("r"),
                &(),
            )
            .await
            .unwrap();
            assert_eq!(bytes, event.bytes, "{}", event.name);
        }
    }
}

// ---------------------------------------------------------------------------------------
// Pre and post authentication

#[cognito_trigger(PreAuthentication)]
fn pre_authentication(event: &PreAuthenticationEvent<'_>) -> Result<(), Reject> {
    match event.request.validation_data.get("k1") {
        Some("v1") => Err(Reject::new("This account is locked. Contact support.")),
        _ => Ok(()),
    }
}

#[tokio::test]
async fn pre_authentication_can_deny_a_sign_in() {
    let locked = fixture_with(
        "PreAuthentication_Authentication.json",
        "/request/validationData",
        json!({"k1": "v1", "k2": "v2"}),
    );
    assert_rejected(
        run(&handler!(pre_authentication), &(), &locked).await,
        "This account is locked. Contact support",
    );
    let fine = fixture("PreAuthentication_Authentication.json");
    let output = run(&handler!(pre_authentication), &(), &fine)
        .await
        .unwrap();
    assert_eq!(response_of(&fine, &output), json!({}));
}

#[derive(Debug, thiserror::Error)]
#[error("audit log unavailable")]
struct AuditError(#[source] std::io::Error);

#[cognito_trigger(PostAuthentication)]
async fn post_authentication(_event: &PostAuthenticationEvent<'_>) -> Result<(), AuditError> {
    Err(AuditError(std::io::Error::other(
        "connection reset by 10.0.0.7:5432",
    )))
}

#[tokio::test]
async fn internal_failures_are_hidden_behind_a_reference() {
    for event in local_events("PostAuthentication_Authentication") {
        let result = run(&handler!(post_authentication), &(), &event.bytes).await;
        let error = result.as_ref().expect_err("fails");
        assert!(
            !error.error_message().contains("10.0.0.7"),
            "internals leaked: {error}"
        );
        assert_internal(result);
    }
}

// ---------------------------------------------------------------------------------------
// Custom authentication: define, create, verify

#[cognito_trigger(DefineAuthChallenge)]
fn define_email_code_flow(event: &DefineAuthChallengeEvent<'_>) -> DefineAuthChallengeResponse {
    let session = &event.request.session;
    if event.request.is_user_not_found() || event.request.custom_challenge_attempts() >= 3 {
        DefineAuthChallengeResponse::fail()
    } else if session
        .last()
        .is_some_and(|s| s.passed(&ChallengeName::CustomChallenge))
    {
        DefineAuthChallengeResponse::succeed()
    } else {
        DefineAuthChallengeResponse::next_challenge(ChallengeName::CustomChallenge)
    }
}

#[cognito_trigger(DefineAuthChallenge)]
fn define_nothing(_event: &DefineAuthChallengeEvent<'_>) {}

#[tokio::test]
async fn define_auth_challenge_decides_and_fails_closed_when_it_does_not() {
    let sample = fixture("DefineAuthChallenge_Authentication.json");
    let output = run(&handler!(define_email_code_flow), &(), &sample)
        .await
        .unwrap();
    assert_eq!(
        response_of(&sample, &output),
        json!({"challengeName": "CUSTOM_CHALLENGE", "issueTokens": false, "failAuthentication": false})
    );
    let not_found = fixture_with(
        "DefineAuthChallenge_Authentication.json",
        "/request/userNotFound",
        json!(true),
    );
    let output = run(&handler!(define_email_code_flow), &(), &not_found)
        .await
        .unwrap();
    assert_eq!(response_of(&not_found, &output)["failAuthentication"], true);

    // A handler that decides nothing: Cognito pre-fills three nulls, which document no
    // outcome, so the framework fails closed (contract 17.3).
    let output = run(&handler!(define_nothing), &(), &sample).await.unwrap();
    assert_eq!(
        response_of(&sample, &output),
        json!({"challengeName": null, "issueTokens": false, "failAuthentication": true})
    );
}

#[cognito_trigger(CreateAuthChallenge)]
fn create_auth_challenge(event: &CreateAuthChallengeEvent<'_>) -> CreateAuthChallengeResponse {
    let email = event
        .request
        .user_attributes
        .get("email")
        .unwrap_or("your address");
    CreateAuthChallengeResponse::new()
        .public_parameter("deliveredTo", email)
        .private_parameter("answer", "482913")
        .metadata("EMAIL_CODE")
}

#[tokio::test]
async fn create_auth_challenge_sets_its_parameters() {
    let sample = fixture("CreateAuthChallenge_Authentication.json");
    let output = run(&handler!(create_auth_challenge), &(), &sample)
        .await
        .unwrap();
    assert_eq!(
        response_of(&sample, &output),
        json!({
            "publicChallengeParameters": {"deliveredTo": "ada@example.com"},
            "privateChallengeParameters": {"answer": "482913"},
            "challengeMetadata": "EMAIL_CODE",
        })
    );
}

#[cognito_trigger(VerifyAuthChallengeResponse)]
fn verify_auth_challenge(
    event: &VerifyAuthChallengeResponseEvent<'_>,
) -> VerifyAuthChallengeResponseResponse {
    let expected = event.request.private_challenge_parameters.get("answer");
    VerifyAuthChallengeResponseResponse::answer(expected == Some(&*event.request.challenge_answer))
}

#[cognito_trigger(VerifyAuthChallengeResponse)]
fn verify_nothing(_event: &VerifyAuthChallengeResponseEvent<'_>) {}

#[tokio::test]
async fn verify_auth_challenge_answers_and_reads_silence_as_wrong() {
    let sample = fixture("VerifyAuthChallengeResponse_Authentication.json");
    let output = run(&handler!(verify_auth_challenge), &(), &sample)
        .await
        .unwrap();
    assert_eq!(
        response_of(&sample, &output),
        json!({"answerCorrect": true})
    );
    let wrong = fixture_with(
        "VerifyAuthChallengeResponse_Authentication.json",
        "/request/challengeAnswer",
        json!("123xxxx"),
    );
    let output = run(&handler!(verify_auth_challenge), &(), &wrong)
        .await
        .unwrap();
    assert_eq!(
        response_of(&wrong, &output),
        json!({"answerCorrect": false})
    );
    let output = run(&handler!(verify_nothing), &(), &sample).await.unwrap();
    assert_eq!(
        response_of(&sample, &output),
        json!({"answerCorrect": false})
    );
}

// ---------------------------------------------------------------------------------------
// Pre token generation, every version

#[cognito_trigger(PreTokenGeneration)]
fn pre_token_v1(event: &PreTokenGenerationV1Event<'_>) -> PreTokenGenerationV1Response {
    let tier = event
        .request
        .user_attributes
        .get("custom:tier")
        .unwrap_or("free");
    PreTokenGenerationV1Response::new()
        .add_claim("tier", tier)
        .suppress_claim("email")
}

#[tokio::test]
async fn pre_token_v1_adds_and_suppresses_claims() {
    for source in [
        "TokenGeneration_Authentication",
        "TokenGeneration_RefreshTokens",
        "TokenGeneration_HostedAuth",
    ] {
        for event in local_events(source) {
            let input: Value = serde_json::from_slice(&event.bytes).unwrap();
            let tier = input["request"]["userAttributes"]["custom:tier"]
                .as_str()
                .unwrap_or("free");
            let output = run(&handler!(pre_token_v1), &(), &event.bytes)
                .await
                .unwrap();
            assert_eq!(
                response_of(&event.bytes, &output),
                json!({"claimsOverrideDetails": {"claimsToAddOrOverride": {"tier": tier}, "claimsToSuppress": ["email"]}}),
                "{}",
                event.name
            );
        }
    }
}

#[cognito_trigger(PreTokenGenerationV2)]
async fn pre_token_v2(event: &PreTokenGenerationV2Event<'_>) -> PreTokenGenerationV2Response {
    let groups: Vec<&str> = event.request.groups().collect();
    PreTokenGenerationV2Response::new()
        .add_access_token_claim("groups", json!(groups))
        .add_access_token_claim("quota", 9_223_372_036_854_775_807_i64)
        .add_scope("reports/read")
        .suppress_id_token_claim("email")
}

#[tokio::test]
async fn pre_token_v2_customizes_the_access_token() {
    let event = fixture("TokenGeneration_Authentication.v2.json");
    let output = run(&handler!(pre_token_v2), &(), &event).await.unwrap();
    assert_eq!(
        response_of(&event, &output),
        json!({"claimsAndScopeOverrideDetails": {
            "idTokenGeneration": {"claimsToSuppress": ["email"]},
            "accessTokenGeneration": {
                "claimsToAddOrOverride": {"groups": ["readers", "editors"], "quota": i64::MAX},
                "scopesToAdd": ["reports/read"],
            },
        }})
    );
    // A V1 event is not this handler's: it goes back untouched.
    let v1 = fixture("TokenGeneration_Authentication.v1.json");
    let bytes = invoke(&handler!(pre_token_v2), &v1, &Context::new("r"), &())
        .await
        .unwrap();
    assert_eq!(bytes, v1);
}

#[cognito_trigger(PreTokenGenerationV3, sources(ClientCredentials))]
fn machine_to_machine(
    event: &PreTokenGenerationV3Event<'_>,
) -> Result<PreTokenGenerationV2Response, Reject> {
    match event.request.client_metadata.get("tenant") {
        Some(tenant) => {
            Ok(PreTokenGenerationV2Response::new().add_access_token_claim("tenant", tenant))
        }
        None => Err(Reject::new("Unknown tenant")),
    }
}

#[tokio::test]
async fn pre_token_v3_handles_client_credentials_only() {
    let m2m = fixture("TokenGeneration_ClientCredentials.v3.json");
    let output = run(&handler!(machine_to_machine), &(), &m2m).await.unwrap();
    assert_eq!(
        response_of(&m2m, &output),
        json!({"claimsAndScopeOverrideDetails": {"accessTokenGeneration": {"claimsToAddOrOverride": {"tenant": "acme"}}}})
    );
    // Narrowed away: a user sign-in goes back with Cognito's defaults.
    let user = fixture("TokenGeneration_HostedAuth.v3.json");
    let bytes = invoke(
        &handler!(machine_to_machine),
        &user,
        &Context::new("r"),
        &(),
    )
    .await
    .unwrap();
    assert_eq!(bytes, user);
}

// ---------------------------------------------------------------------------------------
// User migration

struct LegacyUsers(HashMap<&'static str, (&'static str, &'static str)>);

#[cognito_trigger(UserMigration)]
async fn migrate(
    event: &UserMigrationEvent<'_>,
    legacy: &LegacyUsers,
) -> Result<UserMigrationResponse, TriggerError> {
    let Some((password, name)) = legacy.0.get(&*event.user_name) else {
        return Err(TriggerError::reject("Incorrect username or password."));
    };
    if event
        .request
        .password
        .as_ref()
        .is_some_and(|p| p.expose() != *password)
    {
        return Err(TriggerError::reject("Incorrect username or password."));
    }
    Ok(UserMigrationResponse::new()
        .attribute("email", event.user_name.to_string())
        .attribute("email_verified", "true")
        .attribute("name", *name)
        .status(FinalUserStatus::Confirmed)
        .suppress_welcome_message())
}

#[tokio::test]
async fn user_migration_moves_known_users_and_refuses_the_rest() {
    let legacy = LegacyUsers(HashMap::from([(
        "carol@example.com",
        ("Migr4ted!pw", "Carol"),
    )]));
    let event = &local_events("UserMigration_Authentication")[0];
    let output = run(&handler!(migrate), &legacy, &event.bytes)
        .await
        .unwrap();
    assert_eq!(
        response_of(&event.bytes, &output),
        json!({
            "userAttributes": {"email": "carol@example.com", "email_verified": "true", "name": "Carol"},
            // cognito-local pre-fills an empty list; the handler left it alone.
            "desiredDeliveryMediums": [],
            "finalUserStatus": "CONFIRMED",
            "messageAction": "SUPPRESS",
        })
    );
    let nobody = LegacyUsers(HashMap::new());
    assert_rejected(
        run(&handler!(migrate), &nobody, &event.bytes).await,
        "Incorrect username or password",
    );
}

// ---------------------------------------------------------------------------------------
// Custom message, narrowed

#[cognito_trigger(CustomMessage, sources(ForgotPassword, AdminCreateUser))]
fn custom_message(event: &CustomMessageEvent<'_>) -> CustomMessageResponse {
    let code = &event.request.code_parameter;
    CustomMessageResponse::new()
        .sms(format!("Your code is {code}"))
        .email("Your code", format!("<p>Your code is <b>{code}</b></p>"))
}

#[cognito_trigger(CustomMessage)]
fn sms_only(_event: &CustomMessageEvent<'_>) -> CustomMessageResponse {
    CustomMessageResponse::new().sms("Your code is {####}")
}

#[cognito_trigger(UserMigration)]
fn status_only(_event: &UserMigrationEvent<'_>) -> UserMigrationResponse {
    UserMigrationResponse::new().status(FinalUserStatus::Confirmed)
}

#[tokio::test]
async fn what_a_decision_leaves_unset_goes_back_as_cognito_sent_it() {
    // Cognito sends the response's fields as `null`: those the handler does not set keep
    // their key and their `null`.
    let message = fixture("CustomMessage_ForgotPassword.json");
    let output = run(&handler!(sms_only), &(), &message).await.unwrap();
    assert_eq!(
        response_of(&message, &output),
        json!({"smsMessage": "Your code is {####}", "emailMessage": null, "emailSubject": null})
    );
    let migration = fixture("UserMigration_Authentication.json");
    let output = run(&handler!(status_only), &(), &migration).await.unwrap();
    assert_eq!(
        response_of(&migration, &output),
        json!({
            "userAttributes": null, "finalUserStatus": "CONFIRMED", "messageAction": null,
            "desiredDeliveryMediums": null, "forceAliasCreation": null, "enableSMSMFA": null,
        })
    );
}

#[tokio::test]
async fn custom_message_rewrites_only_the_sources_it_takes() {
    let forgot = &local_events("CustomMessage_ForgotPassword")[0];
    let output = run(&handler!(custom_message), &(), &forgot.bytes)
        .await
        .unwrap();
    assert_eq!(
        response_of(&forgot.bytes, &output),
        json!({
            "smsMessage": "Your code is {####}",
            "emailMessage": "<p>Your code is <b>{####}</b></p>",
            "emailSubject": "Your code",
        })
    );
    for event in local_events("CustomMessage_SignUp") {
        let bytes = invoke(
            &handler!(custom_message),
            &event.bytes,
            &Context::new("r"),
            &(),
        )
        .await
        .unwrap();
        assert_eq!(
            bytes, event.bytes,
            "{}: not narrowed to this source",
            event.name
        );
    }
}

// ---------------------------------------------------------------------------------------
// Custom senders: a panic is an error for that event, not a crash

#[cognito_trigger(CustomEmailSender)]
fn email_sender(event: &CustomEmailSenderEvent<'_>) {
    if event.request.user_attributes.get("email") == Some("frank@example.com") {
        panic!("mail relay refused the message");
    }
}

#[tokio::test]
async fn a_panicking_handler_fails_that_event_and_serves_the_next() {
    let frank = &local_events("CustomEmailSender_AdminCreateUser")[0];
    assert_internal(run(&handler!(email_sender), &(), &frank.bytes).await);
    let alice = &local_events("CustomEmailSender_SignUp")[0];
    let bytes = invoke(
        &handler!(email_sender),
        &alice.bytes,
        &Context::new("r"),
        &(),
    )
    .await
    .unwrap();
    assert_eq!(bytes, alice.bytes);
}

#[cognito_trigger(CustomSmsSender)]
fn sms_sender(event: &CustomSmsSenderEvent<'_>) -> Result<(), Reject> {
    match event.request.code {
        Some(_) => Ok(()),
        None => Err(Reject::new("No code to send")),
    }
}

#[tokio::test]
async fn custom_sms_sender_sees_every_sms_source() {
    for source in [
        "SignUp",
        "ResendCode",
        "ForgotPassword",
        "UpdateUserAttribute",
        "VerifyUserAttribute",
        "AdminCreateUser",
        "Authentication",
    ] {
        let event = fixture(&format!("CustomSMSSender_{source}.json"));
        let bytes = invoke(&handler!(sms_sender), &event, &Context::new("r"), &())
            .await
            .unwrap();
        assert_eq!(bytes, event);
    }
}

// ---------------------------------------------------------------------------------------
// Inbound federation

#[cognito_trigger(InboundFederation)]
fn inbound_federation(event: &InboundFederationEvent<'_>) -> InboundFederationResponse {
    let attributes = &event.request.attributes;
    match attributes.claim("email") {
        Some(email) if event.request.provider_name == "ExampleOIDCProvider" => {
            InboundFederationResponse::map([("email", email), ("email_verified", "true")])
        }
        // Deciding nothing: the framework sends `{}`, Cognito's "keep every attribute".
        _ => InboundFederationResponse::default(),
    }
}

#[tokio::test]
async fn inbound_federation_maps_or_keeps_attributes() {
    let oidc = sample("InboundFederation_ExternalProvider.json");
    let oidc = with(&oidc, "/request/providerName", json!("ExampleOIDCProvider"));
    let oidc = with(
        &oidc,
        "/request/attributes/idToken/email",
        json!("testuser@example.com"),
    )
    .bytes;
    let output = run(&handler!(inbound_federation), &(), &oidc)
        .await
        .unwrap();
    assert_eq!(
        response_of(&oidc, &output),
        json!({"userAttributesToMap": {"email": "testuser@example.com", "email_verified": "true"}})
    );
    // An unset map is sent as `{}`, Cognito's "keep every attribute".
    let sample = fixture("InboundFederation_ExternalProvider.json");
    let output = run(&handler!(inbound_federation), &(), &sample)
        .await
        .unwrap();
    assert_eq!(
        response_of(&sample, &output),
        json!({"userAttributesToMap": {}})
    );
}

// ---------------------------------------------------------------------------------------
// Whatever the handler, the framework's own answers

#[tokio::test]
async fn input_that_is_not_an_event_is_refused_plainly() {
    let cases: &[(&[u8], &str)] = &[
        (
            b"not json",
            "the event is not valid JSON: expected ident (line 1, column 2)",
        ),
        (b"[]", "the event is not a JSON object"),
        (br#"{"request":{}}"#, "missing triggerSource"),
        (
            br#"{"triggerSource":"PreSignUp_SignUp","request":{"userAttributes":[1]}}"#,
            "invalid `request.userAttributes`: expected an object of strings, found a list",
        ),
    ];
    for (input, message) in cases {
        let error = run(
            &handler!(pre_sign_up),
            &SignUpPolicy { allowed_domain: "" },
            input,
        )
        .await
        .unwrap_err();
        assert_eq!(
            (error.error_type(), error.error_message()),
            ("InvalidEvent", *message)
        );
    }
}

#[tokio::test]
async fn events_of_other_triggers_go_back_untouched() {
    let policy = SignUpPolicy {
        allowed_domain: "@example.com",
    };
    for event in local_events("CustomMessage_SignUp") {
        let bytes = invoke(
            &handler!(pre_sign_up),
            &event.bytes,
            &Context::new("r"),
            &policy,
        )
        .await
        .unwrap();
        assert_eq!(bytes, event.bytes);
    }
}

#[tokio::test]
async fn unknown_fields_everywhere_come_back_untouched() {
    let input = br#"{"version":"1","triggerSource":"PreSignUp_SignUp","newTopLevel":[1,{"a":null}],
        "region":"eu-west-1","userPoolId":"p","userName":"u",
        "callerContext":{"awsSdkVersion":"x","clientId":"c","newContextField":true},
        "request":{"userAttributes":{"email":"ada@example.com"},"newRequestField":"\u00e9"},
        "response":{"autoConfirmUser":false,"newResponseField":{"keep":"me"}}}"#;
    let policy = SignUpPolicy {
        allowed_domain: "@example.com",
    };
    let output = run(&handler!(pre_sign_up), &policy, input).await.unwrap();
    assert_eq!(
        response_of(input, &output),
        json!({"autoConfirmUser": true, "autoVerifyEmail": true, "newResponseField": {"keep": "me"}})
    );
}

#[tokio::test]
async fn an_event_without_a_response_gets_one() {
    let input = br#"{"version":"1","triggerSource":"PreSignUp_SignUp","request":{"userAttributes":{"email":"a@example.com"}}}"#;
    let policy = SignUpPolicy {
        allowed_domain: "@example.com",
    };
    let output = run(&handler!(pre_sign_up), &policy, input).await.unwrap();
    assert_eq!(
        output["response"],
        json!({"autoConfirmUser": true, "autoVerifyEmail": true})
    );
    assert_eq!(
        output["request"],
        json!({"userAttributes": {"email": "a@example.com"}})
    );
}
