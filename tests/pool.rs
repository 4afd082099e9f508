//! Routing in a `Pool`: every trigger source of every fixture reaches the handler that
//! claims it; narrowed handlers share a trigger; conflicts are refused at start-up; events
//! nobody claims follow the pool's policy.

// Test code: a panic with the value is the clearest failure.
#![allow(clippy::unwrap_used)]

use std::sync::Mutex;

use cognito_trigger::*;
use cognito_trigger_tests::{
    Fixture, cognito_local_events, peer_corpus, repo_events, sample_events,
};

/// What the handlers saw: (handler, triggerSource), in order.
#[derive(Default)]
struct Seen(Mutex<Vec<(&'static str, String)>>);

impl Seen {
    fn record(&self, handler: &'static str, source: &str) {
        self.0.lock().unwrap().push((handler, source.to_owned()));
    }
    fn take(&self) -> Vec<(&'static str, String)> {
        std::mem::take(&mut *self.0.lock().unwrap())
    }
}

/// A handler for `$kind` that records each event it gets.
macro_rules! recording {
    ($name:ident, $kind:ident, $event:ident) => {
        #[cognito_trigger($kind)]
        fn $name(event: &$event<'_>, seen: &Seen) {
            seen.record(stringify!($name), event.trigger_source.as_str());
        }
    };
}

recording!(pre_sign_up, PreSignUp, PreSignUpEvent);
recording!(post_confirmation, PostConfirmation, PostConfirmationEvent);
recording!(
    pre_authentication,
    PreAuthentication,
    PreAuthenticationEvent
);
recording!(
    post_authentication,
    PostAuthentication,
    PostAuthenticationEvent
);
recording!(define_auth, DefineAuthChallenge, DefineAuthChallengeEvent);
recording!(create_auth, CreateAuthChallenge, CreateAuthChallengeEvent);
recording!(
    verify_auth,
    VerifyAuthChallengeResponse,
    VerifyAuthChallengeResponseEvent
);
recording!(token_v1, PreTokenGenerationV1, PreTokenGenerationV1Event);
recording!(token_v2, PreTokenGenerationV2, PreTokenGenerationV2Event);
recording!(token_v3, PreTokenGenerationV3, PreTokenGenerationV3Event);
recording!(migration, UserMigration, UserMigrationEvent);
recording!(custom_message, CustomMessage, CustomMessageEvent);
recording!(email_sender, CustomEmailSender, CustomEmailSenderEvent);
recording!(sms_sender, CustomSmsSender, CustomSmsSenderEvent);
recording!(federation, InboundFederation, InboundFederationEvent);

/// The handler each kind's events must reach.
fn handler_for(kind: TriggerKind) -> &'static str {
    match kind {
        TriggerKind::PreSignUp => "pre_sign_up",
        TriggerKind::PostConfirmation => "post_confirmation",
        TriggerKind::PreAuthentication => "pre_authentication",
        TriggerKind::PostAuthentication => "post_authentication",
        TriggerKind::DefineAuthChallenge => "define_auth",
        TriggerKind::CreateAuthChallenge => "create_auth",
        TriggerKind::VerifyAuthChallengeResponse => "verify_auth",
        TriggerKind::PreTokenGenerationV1 => "token_v1",
        TriggerKind::PreTokenGenerationV2 => "token_v2",
        TriggerKind::PreTokenGenerationV3 => "token_v3",
        TriggerKind::UserMigration => "migration",
        TriggerKind::CustomMessage => "custom_message",
        TriggerKind::CustomEmailSender => "email_sender",
        TriggerKind::CustomSmsSender => "sms_sender",
        TriggerKind::InboundFederation => "federation",
        other => panic!("a kind this test does not know: {other:?}"),
    }
}

fn every_trigger() -> Pool<Seen> {
    pool!(
        state = Seen::default();
        pre_sign_up, post_confirmation, pre_authentication, post_authentication, define_auth,
        create_auth, verify_auth, token_v1, token_v2, token_v3, migration, custom_message,
        email_sender, sms_sender, federation,
    )
}

async fn answer<S: Send + Sync + 'static>(
    pool: &Pool<S>,
    event: &[u8],
) -> Result<Vec<u8>, InvocationError> {
    pool.invoke(event, &Context::new("pool-test")).await
}

/// Sends every decodable fixture through `pool`, checking the handler of its trigger got
/// it; returns the (trigger, source) pairs seen.
async fn route_each(
    pool: &Pool<Seen>,
    fixtures: &[Fixture],
) -> std::collections::BTreeSet<(TriggerKind, String)> {
    let mut sources = std::collections::BTreeSet::new();
    for fixture in fixtures {
        let Ok(event) = decode(&fixture.bytes) else {
            continue;
        };
        let kind = event.kind().unwrap();
        answer(pool, &fixture.bytes).await.unwrap();
        let seen = pool.state().take();
        assert_eq!(
            seen,
            [(handler_for(kind), event.trigger_source().to_owned())],
            "{}",
            fixture.name
        );
        sources.insert((kind, event.trigger_source().to_owned()));
    }
    sources
}

#[tokio::test]
async fn every_trigger_source_reaches_its_handler() {
    let pool = every_trigger();
    assert!(pool.check().is_ok());
    assert_eq!(pool.kinds().count(), TriggerKind::ALL.len());
    let sources = route_each(&pool, &repo_events()).await;
    // 35 sources of the other triggers; pre token generation's five in each of three
    // versions, and client credentials in V3_0.
    assert_eq!(sources.len(), 35 + 5 * 3 + 1, "{sources:?}");
}

#[tokio::test]
async fn peer_corpus_every_event_reaches_its_handler() {
    let Some(peers) = peer_corpus() else { return };
    let sources = route_each(&every_trigger(), &peers).await;
    assert!(!sources.is_empty(), "no peer event was routed");
}

/// `event` with its keys sorted (cognito-local's order: `version` last) and, first of all,
/// an object holding another trigger's `triggerSource` and a `version`, which a reader of
/// the text that does not follow its structure takes for the head.
fn sorted_with_a_decoy(event: &[u8], decoy_source: &str) -> Vec<u8> {
    let mut value: serde_json::Value = serde_json::from_slice(event).unwrap();
    let object = value.as_object_mut().unwrap();
    object.insert(
        "aDecoy".to_owned(),
        serde_json::json!({"triggerSource": decoy_source, "version": "3"}),
    );
    value.sort_all_objects();
    serde_json::to_vec(&value).unwrap()
}

#[tokio::test]
async fn an_event_whose_head_is_not_in_front_reaches_its_handler() {
    let pool = every_trigger();
    let mut routed = 0;
    for fixture in repo_events() {
        let Ok(event) = decode(&fixture.bytes) else {
            continue;
        };
        let kind = event.kind().unwrap();
        let source = event.trigger_source().to_owned();
        let decoy = match kind {
            TriggerKind::PostConfirmation => "PreSignUp_SignUp",
            _ => "PostConfirmation_ConfirmSignUp",
        };
        let sorted = sorted_with_a_decoy(&fixture.bytes, decoy);
        let answered = answer(&pool, &sorted).await.unwrap();
        assert_eq!(
            pool.state().take(),
            [(handler_for(kind), source.clone())],
            "{}",
            fixture.name
        );
        // Answered as the event it is: the decoy is kept, the head is the event's own.
        let answered: serde_json::Value = serde_json::from_slice(&answered).unwrap();
        assert_eq!(
            answered["triggerSource"],
            source.as_str(),
            "{}",
            fixture.name
        );
        assert_eq!(
            answered["aDecoy"]["triggerSource"], decoy,
            "{}",
            fixture.name
        );
        routed += 1;
    }
    assert!(routed > 50, "only {routed} events routed");
}

#[cognito_trigger(CustomMessage, sources(SignUp, ResendCode))]
fn welcome_text(event: &CustomMessageEvent<'_>, seen: &Seen) {
    seen.record("welcome_text", event.trigger_source.as_str());
}

#[cognito_trigger(CustomMessage, sources(ForgotPassword))]
fn reset_text(event: &CustomMessageEvent<'_>, seen: &Seen) {
    seen.record("reset_text", event.trigger_source.as_str());
}

fn message_event(source: &str) -> Vec<u8> {
    format!(r#"{{"version":"1","triggerSource":"{source}","request":{{"codeParameter":"{{####}}"}},"response":{{}}}}"#)
        .into_bytes()
}

#[tokio::test]
async fn narrowed_handlers_share_a_trigger() {
    let pool = pool!(state = Seen::default(); welcome_text, reset_text);
    for (source, handler) in [
        ("CustomMessage_SignUp", "welcome_text"),
        ("CustomMessage_ResendCode", "welcome_text"),
        ("CustomMessage_ForgotPassword", "reset_text"),
    ] {
        answer(&pool, &message_event(source)).await.unwrap();
        assert_eq!(pool.state().take(), [(handler, source.to_owned())]);
    }
    // A source nobody claims, and one Cognito may add later, pass through untouched.
    for source in ["CustomMessage_Authentication", "CustomMessage_Tomorrow"] {
        let event = message_event(source);
        assert_eq!(answer(&pool, &event).await.unwrap(), event);
        assert!(pool.state().take().is_empty());
    }
}

#[tokio::test]
async fn an_unnarrowed_handler_also_takes_sources_cognito_adds_later() {
    let pool = pool!(state = Seen::default(); custom_message);
    answer(&pool, &message_event("CustomMessage_Tomorrow"))
        .await
        .unwrap();
    assert_eq!(
        pool.state().take(),
        [("custom_message", "CustomMessage_Tomorrow".to_owned())]
    );
}

#[tokio::test]
async fn unhandled_events_pass_through_or_are_refused() {
    let passing = pool!(state = Seen::default(); pre_sign_up);
    let refusing = pool!(state = Seen::default(); pre_sign_up).unhandled(Unhandled::Refuse);
    let unknown_trigger =
        br#"{"version":"1","triggerSource":"NewTrigger_Something","request":{},"response":{}}"#;
    let unknown_version = br#"{"version":"4","triggerSource":"TokenGeneration_HostedAuth","request":{},"response":{}}"#;
    let other_trigger = &cognito_local_events()[1].bytes;
    for event in [&unknown_trigger[..], &unknown_version[..], other_trigger] {
        assert_eq!(answer(&passing, event).await.unwrap(), event);
        let error = answer(&refusing, event).await.unwrap_err();
        assert_eq!(error.error_type(), "UnhandledTrigger");
        assert!(
            error
                .error_message()
                .starts_with("This function has no handler for "),
            "{error}"
        );
    }
    assert!(passing.state().take().is_empty() && refusing.state().take().is_empty());
}

#[tokio::test]
async fn conflicting_handlers_are_refused_at_start_up_naming_both() {
    let pool = Pool::with_state(Seen::default())
        .handler(handler!(welcome_text))
        .handler(handler!(custom_message))
        .handler(handler!(reset_text));
    let conflict = pool.check().unwrap_err();
    assert_eq!(
        conflict.to_string(),
        "handlers `welcome_text` and `custom_message` both handle `CustomMessage_SignUp`"
    );
    let error = pool.run().await.unwrap_err();
    assert_eq!(error.to_string(), conflict.to_string());

    let catch_alls = Pool::with_state(Seen::default())
        .handler(handler!(custom_message))
        .handler(handler!(custom_message));
    assert!(catch_alls.check().is_err());
}

#[tokio::test]
async fn state_is_built_once_and_lent_to_every_handler() {
    let pool = every_trigger();
    for sample in sample_events() {
        answer(&pool, &sample.bytes).await.unwrap();
    }
    // One state for the pool's whole life: it saw every sample.
    assert_eq!(pool.state().take().len(), sample_events().len());
}

#[test]
fn lambda_config_lists_exactly_the_triggers_served() {
    let arn = "arn:aws:lambda:eu-west-1:123456789012:function:pool";
    let config = every_trigger().lambda_config(arn);
    let keys: Vec<&String> = config.as_object().unwrap().keys().collect();
    assert_eq!(
        keys,
        [
            "CreateAuthChallenge",
            "CustomEmailSender",
            "CustomMessage",
            "CustomSMSSender",
            "DefineAuthChallenge",
            "InboundFederation",
            "KMSKeyID",
            "PostAuthentication",
            "PostConfirmation",
            "PreAuthentication",
            "PreSignUp",
            "PreTokenGenerationConfig",
            "UserMigration",
            "VerifyAuthChallengeResponse",
        ]
    );
    assert_eq!(config["PreSignUp"], arn);
    assert_eq!(
        config["PreTokenGenerationConfig"],
        serde_json::json!({"LambdaArn": arn, "LambdaVersion": "V3_0"})
    );
    assert_eq!(
        config["CustomEmailSender"],
        serde_json::json!({"LambdaArn": arn, "LambdaVersion": "V1_0"})
    );
    assert_eq!(
        config["InboundFederation"],
        serde_json::json!({"LambdaArn": arn, "LambdaVersion": "V1_0"})
    );
    assert_eq!(config["KMSKeyID"], serde_json::json!({"Ref": "KMSKeyID"}));

    let v1_only = pool!(state = Seen::default(); token_v1, reset_text).lambda_config(arn);
    assert_eq!(
        v1_only,
        serde_json::json!({
            "PreTokenGenerationConfig": {"LambdaArn": arn, "LambdaVersion": "V1_0"},
            "CustomMessage": arn,
        })
    );
}
