//! Focused behaviours of the event model: refusals and their messages, leniency, maps,
//! versions, escapes and secrets.

// Test code: a panic with the value is the clearest failure.
#![allow(clippy::unwrap_used)]

use cognito_trigger::{
    AnyEvent, CustomMessageEvent, EventVersion, GroupOverride, PreTokenGenerationV1Event,
    PreTokenGenerationV2Event, StringMap, TriggerKind, UserMigrationEvent,
    VerifyAuthChallengeResponseEvent, decode,
};
use serde_json::{Value, json};

fn event(source: &str, version: Value, request: Value, response: Value) -> Vec<u8> {
    serde_json::to_vec(&json!({
        "version": version, "triggerSource": source, "region": "eu-west-1",
        "userPoolId": "eu-west-1_abc", "userName": "ada",
        "callerContext": {"awsSdkVersion": "aws-sdk-unknown-unknown", "clientId": "c1"},
        "request": request, "response": response,
    }))
    .unwrap()
}

fn reencode(bytes: &[u8]) -> Value {
    serde_json::to_value(decode(bytes).unwrap()).unwrap()
}

#[test]
fn refusals_say_what_is_wrong_in_plain_words() {
    let cases: &[(&[u8], &str)] = &[
        (b"", "the event is not valid JSON: EOF while parsing a value (line 1, column 0)"),
        (b"{\"triggerSource\": ", "the event is not valid JSON: EOF while parsing a value (line 1, column 18)"),
        (b"[1,2]", "the event is not a JSON object"),
        (b" [] ", "the event is not a JSON object"),
        (b"null", "the event is not a JSON object"),
        (b"\"PreSignUp_SignUp\"", "the event is not a JSON object"),
        (b"{}", "missing triggerSource"),
        (br#"{"triggerSource":null}"#, "missing triggerSource"),
        (br#"{"triggerSource":7}"#, "invalid `triggerSource`: expected a string, found number `7`"),
        (
            br#"{"triggerSource":"PreSignUp"}"#,
            "triggerSource `PreSignUp` is not a Cognito trigger source (they look like `PreSignUp_SignUp`)",
        ),
        (
            br#"{"triggerSource":"PreSignUp_"}"#,
            "triggerSource `PreSignUp_` is not a Cognito trigger source (they look like `PreSignUp_SignUp`)",
        ),
        (
            br#"{"triggerSource":"PreSignUp_SignUp","request":{"session":[]},"callerContext":[1]}"#,
            "invalid `callerContext`: expected an object, found a list",
        ),
        (
            br#"{"triggerSource":"DefineAuthChallenge_Authentication","request":{"session":[{"challengeResult":"yes"}]}}"#,
            "invalid `request.session[0].challengeResult`: expected a boolean, found string \"yes\"",
        ),
        (
            br#"{"triggerSource":"PreSignUp_SignUp","response":{"autoConfirmUser":"true"}}"#,
            "invalid `response.autoConfirmUser`: expected a boolean, found string \"true\"",
        ),
        (
            br#"{"triggerSource":"PreSignUp_SignUp","version":{}}"#,
            "invalid `version`: expected a string or a number, found an object",
        ),
        (
            br#"{"triggerSource":"CustomMessage_SignUp","request":{"codeParameter":{"a":1}}}"#,
            "invalid `request.codeParameter`: expected a string, found an object",
        ),
    ];
    for (input, message) in cases {
        let error = decode(input).unwrap_err();
        assert_eq!(
            error.to_string(),
            *message,
            "input {}",
            String::from_utf8_lossy(input)
        );
    }
}

#[test]
fn quoted_input_in_messages_is_cut_short() {
    let long = format!(r#"{{"triggerSource":"{}"}}"#, "X".repeat(10_000));
    let message = decode(long.as_bytes()).unwrap_err().to_string();
    assert!(message.len() < 200, "{} bytes", message.len());
    assert!(message.contains("XXXX…"), "{message}");
}

#[test]
fn typed_decoding_names_the_trigger_or_version_it_expected() {
    let v2 = event(
        "TokenGeneration_Authentication",
        json!("2"),
        json!({}),
        json!({}),
    );
    let error = PreTokenGenerationV1Event::from_slice(&v2).unwrap_err();
    assert_eq!(
        error.to_string(),
        "pre token generation event has version `2`, not the V1_0 version"
    );
    let error = CustomMessageEvent::from_slice(&v2).unwrap_err();
    assert_eq!(
        error.to_string(),
        "triggerSource `TokenGeneration_Authentication` is not a custom message event"
    );
}

#[test]
fn versions_are_strings_or_numbers_and_keep_their_form() {
    for (version, kind) in [
        (json!("1"), TriggerKind::PreTokenGenerationV1),
        (json!(1), TriggerKind::PreTokenGenerationV1),
        (json!("0"), TriggerKind::PreTokenGenerationV1),
        (json!(null), TriggerKind::PreTokenGenerationV1),
        (json!("2"), TriggerKind::PreTokenGenerationV2),
        (json!(2), TriggerKind::PreTokenGenerationV2),
        (json!(3), TriggerKind::PreTokenGenerationV3),
    ] {
        let bytes = event(
            "TokenGeneration_HostedAuth",
            version.clone(),
            json!({}),
            json!({}),
        );
        assert_eq!(
            decode(&bytes).unwrap().kind(),
            Some(kind),
            "version {version}"
        );
        assert_eq!(reencode(&bytes)["version"], version);
    }
}

#[test]
fn unknown_trigger_sources_and_versions_are_kept_whole() {
    let tomorrow = event("PreSignUp_Tomorrow", json!("1"), json!({"x": 1}), json!({}));
    let AnyEvent::PreSignUp(decoded) = decode(&tomorrow).unwrap() else {
        panic!("not pre sign-up")
    };
    assert!(!decoded.trigger_source.is_known());
    assert_eq!(decoded.trigger_source.as_str(), "PreSignUp_Tomorrow");

    for (source, version) in [
        ("BrandNewTrigger_Thing", "1"),
        ("TokenGeneration_Authentication", "4"),
    ] {
        let bytes = event(
            source,
            json!(version),
            json!({"a": [1, {"b": null}]}),
            json!({"c": 2}),
        );
        let decoded = decode(&bytes).unwrap();
        assert_eq!(decoded.kind(), None);
        assert_eq!(decoded.trigger_source(), source);
        assert_eq!(decoded.version().as_str(), version);
        assert_eq!(
            serde_json::to_value(&decoded).unwrap(),
            serde_json::from_slice::<Value>(&bytes).unwrap()
        );
    }
}

#[test]
fn trigger_source_shape_is_checked_before_anything_else() {
    let v1 = EventVersion::new("1");
    for malformed in [
        "",
        "_",
        "A_",
        "_B",
        "Pre Sign_Up",
        "PreSignUp_Sign/Up",
        "PréSignUp_SignUp",
    ] {
        assert!(
            TriggerKind::classify(malformed, &v1).is_err(),
            "{malformed:?}"
        );
    }
    assert!(TriggerKind::classify(&format!("A_{}", "b".repeat(200)), &v1).is_err());
    assert_eq!(
        TriggerKind::classify("CustomEmailSender_New_Thing", &v1).unwrap(),
        Some(TriggerKind::CustomEmailSender)
    );
}

#[test]
fn string_maps_accept_loose_values_and_keep_order() {
    // Written out by hand: `json!` would sort the keys.
    let bytes = br#"{"triggerSource":"PreSignUp_SignUp","request":{
        "userAttributes": {"b": "2", "a": true, "n": 1.5, "z": null, "e": "\u00e9\"q"},
        "validationData": [], "clientMetadata": null}}"#;
    let AnyEvent::PreSignUp(decoded) = decode(bytes).unwrap() else {
        panic!()
    };
    let attributes = &decoded.request.user_attributes;
    assert_eq!(attributes.keys().collect::<Vec<_>>(), ["b", "a", "n", "e"]);
    assert_eq!(attributes.get("a"), Some("true"));
    assert_eq!(attributes.get("n"), Some("1.5"));
    assert_eq!(attributes.get("z"), None);
    assert_eq!(attributes.get("e"), Some("é\"q"));
    assert!(decoded.request.validation_data.is_empty());
    let out = reencode(bytes);
    assert_eq!(out["request"]["clientMetadata"], Value::Null);
    assert_eq!(out["request"]["validationData"], json!({}));
}

#[test]
fn a_repeated_key_reads_as_its_last_value() {
    let bytes = br#"{"triggerSource":"PostConfirmation_ConfirmSignUp",
        "request":{"userAttributes":{"email":"old@example.com","email":"new@example.com"}}}"#;
    let AnyEvent::PostConfirmation(decoded) = decode(bytes).unwrap() else {
        panic!()
    };
    assert_eq!(
        decoded.request.user_attributes.get("email"),
        Some("new@example.com")
    );
}

#[test]
fn string_map_edits() {
    let mut map: StringMap<'_> = [("a", "1"), ("b", "2")].into_iter().collect();
    assert_eq!(map.insert("a", "3").as_deref(), Some("1"));
    assert_eq!(map.iter().collect::<Vec<_>>(), [("b", "2"), ("a", "3")]);
    assert_eq!(map.remove("b").as_deref(), Some("2"));
    assert!(!map.contains_key("b"));
    assert_eq!(serde_json::to_string(&map).unwrap(), r#"{"a":"3"}"#);
    let owned: StringMap<'static> = map.clone().into_owned();
    assert_eq!(owned, map);
    assert_eq!(owned.to_hash_map().get("a").map(String::as_str), Some("3"));
}

#[test]
fn challenge_answers_of_any_json_shape_are_text() {
    for (answer, text) in [
        (json!("482913"), "482913"),
        (json!("with \"quotes\""), "with \"quotes\""),
        (json!(482913), "482913"),
        (json!({"code": "1"}), r#"{"code":"1"}"#),
    ] {
        let bytes = event(
            "VerifyAuthChallengeResponse_Authentication",
            json!("1"),
            json!({"challengeAnswer": answer, "privateChallengeParameters": {"answer": "482913"}}),
            json!({"answerCorrect": null}),
        );
        let decoded = VerifyAuthChallengeResponseEvent::from_slice(&bytes).unwrap();
        assert_eq!(decoded.request.challenge_answer, text);
        assert_eq!(decoded.response.answer_correct, None);
    }
}

#[test]
fn pre_token_requests_tolerate_what_emulators_and_examples_send() {
    let bytes = event(
        "TokenGeneration_HostedAuth",
        json!("1"),
        json!({"groupConfiguration": {"preferredRole": ["arn:aws:iam::1:role/a", "arn:aws:iam::1:role/b"]}}),
        json!({"claimsOverrideDetails": {}}),
    );
    let decoded = PreTokenGenerationV1Event::from_slice(&bytes).unwrap();
    let groups = decoded.request.group_configuration.as_ref().unwrap();
    assert_eq!(
        groups.preferred_role.as_deref(),
        Some("arn:aws:iam::1:role/a")
    );
    assert!(groups.groups_to_override.is_empty());
    let details = decoded.response.claims_override_details.unwrap();
    assert_eq!(details.group_override_details, GroupOverride::Keep);

    let v2 = event(
        "TokenGeneration_Authentication",
        json!("2"),
        json!({"groupConfiguration": null, "scopes": ["a", "b"]}),
        json!({"claimsAndScopeOverrideDetails": {"idTokenGeneration": {"claimsToAddOrOverride":
            {"big": 9223372036854775807_i64, "huge": 1.7976931348623157e308, "list": [1, "x"]}}}}),
    );
    let decoded = PreTokenGenerationV2Event::from_slice(&v2).unwrap();
    assert!(decoded.request.group_configuration.is_none());
    assert_eq!(decoded.request.scopes().len(), 2);
    let out = reencode(&v2);
    let claims = &out["response"]["claimsAndScopeOverrideDetails"]["idTokenGeneration"]["claimsToAddOrOverride"];
    assert_eq!(claims["big"], json!(i64::MAX));
    assert_eq!(claims["huge"], json!(f64::MAX));
}

#[test]
fn secrets_print_redacted_but_encode_for_cognito() {
    let bytes = event(
        "UserMigration_Authentication",
        json!("1"),
        json!({"password": "hunter2-but-longer", "validationData": null}),
        json!({}),
    );
    let decoded = UserMigrationEvent::from_slice(&bytes).unwrap();
    let password = decoded.request.password.as_ref().unwrap();
    assert_eq!(password.expose(), "hunter2-but-longer");
    for printed in [
        format!("{decoded:?}"),
        format!("{decoded:#?}"),
        password.to_string(),
    ] {
        assert!(!printed.contains("hunter2"), "{printed}");
    }
    assert_eq!(
        reencode(&bytes)["request"]["password"],
        "hunter2-but-longer"
    );
}

#[test]
fn unknown_field_values_never_print_in_debug() {
    let bytes = event(
        "PostAuthentication_Authentication",
        json!("1"),
        json!({"newSecretThing": "s3cr3t-value"}),
        json!({"alsoNew": "s3cr3t-value"}),
    );
    let debug = format!("{:?}", decode(&bytes).unwrap());
    assert!(
        debug.contains("newSecretThing") && debug.contains("alsoNew"),
        "{debug}"
    );
    assert!(!debug.contains("s3cr3t-value"), "{debug}");
}

#[test]
fn caller_context_tells_real_app_clients_from_admin_calls() {
    let admin = br#"{"triggerSource":"PreSignUp_AdminCreateUser","callerContext":{"clientId":"CLIENT_ID_NOT_APPLICABLE"}}"#;
    let AnyEvent::PreSignUp(decoded) = decode(admin).unwrap() else {
        panic!()
    };
    assert_eq!(decoded.caller_context.app_client_id(), None);
    let emulator =
        br#"{"triggerSource":"PostConfirmation_ConfirmSignUp","callerContext":{"clientId":null}}"#;
    let AnyEvent::PostConfirmation(decoded) = decode(emulator).unwrap() else {
        panic!()
    };
    assert_eq!(decoded.caller_context.app_client_id(), None);
    assert_eq!(
        reencode(emulator)["callerContext"],
        json!({"clientId": null})
    );
}
