//! Every fixture event decodes into the right trigger and version, and encodes back to the
//! same JSON except for the normalisations listed in [`Normalisation`]: the repository's
//! events, and the peer corpus (`peer_corpus_*`, see `support.rs`).

// Test code: a panic with the value is the clearest failure.
#![allow(clippy::unwrap_used)]

use std::collections::{BTreeMap, BTreeSet};

use cognito_trigger::{DecodeError, Event, Trigger, TriggerKind, decode};
use cognito_trigger_tests::{
    Fixture, cognito_local_events, peer_corpus, repo_events, sample_events,
};
use serde_json::Value;

// ---------------------------------------------------------------------------------------
// What each fixture should decode as. This is an oracle of its own, written from the
// contract (section 1), not derived from the crate's tables.

/// Every documented triggerSource, with its trigger (pre token generation listed apart:
/// its kind depends on `version`).
const SOURCES: &[(&str, TriggerKind)] = &[
    ("PreSignUp_SignUp", TriggerKind::PreSignUp),
    ("PreSignUp_AdminCreateUser", TriggerKind::PreSignUp),
    ("PreSignUp_ExternalProvider", TriggerKind::PreSignUp),
    (
        "PostConfirmation_ConfirmSignUp",
        TriggerKind::PostConfirmation,
    ),
    (
        "PostConfirmation_ConfirmForgotPassword",
        TriggerKind::PostConfirmation,
    ),
    (
        "PreAuthentication_Authentication",
        TriggerKind::PreAuthentication,
    ),
    (
        "PostAuthentication_Authentication",
        TriggerKind::PostAuthentication,
    ),
    (
        "DefineAuthChallenge_Authentication",
        TriggerKind::DefineAuthChallenge,
    ),
    (
        "CreateAuthChallenge_Authentication",
        TriggerKind::CreateAuthChallenge,
    ),
    (
        "VerifyAuthChallengeResponse_Authentication",
        TriggerKind::VerifyAuthChallengeResponse,
    ),
    ("UserMigration_Authentication", TriggerKind::UserMigration),
    ("UserMigration_ForgotPassword", TriggerKind::UserMigration),
    ("CustomMessage_SignUp", TriggerKind::CustomMessage),
    ("CustomMessage_AdminCreateUser", TriggerKind::CustomMessage),
    ("CustomMessage_ResendCode", TriggerKind::CustomMessage),
    ("CustomMessage_ForgotPassword", TriggerKind::CustomMessage),
    (
        "CustomMessage_UpdateUserAttribute",
        TriggerKind::CustomMessage,
    ),
    (
        "CustomMessage_VerifyUserAttribute",
        TriggerKind::CustomMessage,
    ),
    ("CustomMessage_Authentication", TriggerKind::CustomMessage),
    ("CustomEmailSender_SignUp", TriggerKind::CustomEmailSender),
    (
        "CustomEmailSender_ResendCode",
        TriggerKind::CustomEmailSender,
    ),
    (
        "CustomEmailSender_ForgotPassword",
        TriggerKind::CustomEmailSender,
    ),
    (
        "CustomEmailSender_UpdateUserAttribute",
        TriggerKind::CustomEmailSender,
    ),
    (
        "CustomEmailSender_VerifyUserAttribute",
        TriggerKind::CustomEmailSender,
    ),
    (
        "CustomEmailSender_AdminCreateUser",
        TriggerKind::CustomEmailSender,
    ),
    (
        "CustomEmailSender_Authentication",
        TriggerKind::CustomEmailSender,
    ),
    (
        "CustomEmailSender_AccountTakeOverNotification",
        TriggerKind::CustomEmailSender,
    ),
    ("CustomSMSSender_SignUp", TriggerKind::CustomSmsSender),
    ("CustomSMSSender_ResendCode", TriggerKind::CustomSmsSender),
    (
        "CustomSMSSender_ForgotPassword",
        TriggerKind::CustomSmsSender,
    ),
    (
        "CustomSMSSender_UpdateUserAttribute",
        TriggerKind::CustomSmsSender,
    ),
    (
        "CustomSMSSender_VerifyUserAttribute",
        TriggerKind::CustomSmsSender,
    ),
    (
        "CustomSMSSender_AdminCreateUser",
        TriggerKind::CustomSmsSender,
    ),
    (
        "CustomSMSSender_Authentication",
        TriggerKind::CustomSmsSender,
    ),
    (
        "InboundFederation_ExternalProvider",
        TriggerKind::InboundFederation,
    ),
];

/// Pre token generation sources; V3_0 alone adds client credentials.
const TOKEN_SOURCES: &[&str] = &[
    "TokenGeneration_HostedAuth",
    "TokenGeneration_Authentication",
    "TokenGeneration_NewPasswordChallenge",
    "TokenGeneration_AuthenticateDevice",
    "TokenGeneration_RefreshTokens",
];
const TOKEN_SOURCE_V3_ONLY: &str = "TokenGeneration_ClientCredentials";

/// What a fixture must decode as.
#[derive(Debug, PartialEq)]
enum Expected {
    Kind(TriggerKind),
    /// A peer fixture whose triggerSource Cognito never sends (see its SOURCE.md).
    Malformed,
}

/// Fixtures whose expectation is not what their triggerSource alone says.
const SPECIAL_CASES: &[(&str, Expected, &str)] = &[
    (
        "peers/aws-lambda-go/cognito-event-userpools-custommessage.json",
        Expected::Malformed,
        "its triggerSource is a `/`-separated list of four values, a placeholder",
    ),
    (
        "peers/aws-lambda-go/cognito-event-userpools-pretokengen.json",
        Expected::Malformed,
        "its triggerSource `PreTokenGen` is not a Cognito value",
    ),
];

fn expected(fixture: &Fixture) -> Expected {
    if let Some((_, expected, _)) = SPECIAL_CASES
        .iter()
        .find(|(name, ..)| *name == fixture.name)
    {
        return match expected {
            Expected::Kind(kind) => Expected::Kind(*kind),
            Expected::Malformed => Expected::Malformed,
        };
    }
    let json: Value = serde_json::from_slice(&fixture.bytes).expect("fixture is JSON");
    let source = json["triggerSource"]
        .as_str()
        .expect("fixture has a triggerSource");
    if let Some((_, kind)) = SOURCES.iter().find(|(s, _)| *s == source) {
        return Expected::Kind(*kind);
    }
    assert!(
        TOKEN_SOURCES.contains(&source) || source == TOKEN_SOURCE_V3_ONLY,
        "{}: triggerSource {source} is in no table of this test",
        fixture.name
    );
    // The version says which pre token generation this is. cognito-local sends "0" with
    // the V1_0 shape; two aws-lambda-rust-runtime "v2" fixtures carry version "1" (sic,
    // their SOURCE.md), so by the wire they are V1_0 events.
    match json["version"].as_str() {
        Some("0" | "1") => Expected::Kind(TriggerKind::PreTokenGenerationV1),
        Some("2") => Expected::Kind(TriggerKind::PreTokenGenerationV2),
        Some("3") => Expected::Kind(TriggerKind::PreTokenGenerationV3),
        other => panic!("{}: unexpected version {other:?}", fixture.name),
    }
}

// ---------------------------------------------------------------------------------------
// Normalisations: the only ways encoding an event may differ from its input.

/// Every way an encoded event may differ from the input it was decoded from. Anything
/// else is a failure: `null` stays `null`, absent stays absent, unknown fields come back.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Normalisation {
    ScalarAttributeAsString,
    NullAttributeDropped,
    EmptyListAsEmptyObject,
    NullListEntryDropped,
    PreferredRoleListAsFirst,
}

impl Normalisation {
    fn reason(self) -> &'static str {
        match self {
            Self::ScalarAttributeAsString => {
                "a boolean or number inside a string map (`userAttributes`, ...) is written back \
                 as its JSON text: Cognito's model is all strings (contract 5.1)"
            }
            Self::NullAttributeDropped => {
                "a `null` value inside a string map means the attribute is not there (contract 17.4)"
            }
            Self::EmptyListAsEmptyObject => {
                "`[]` where an object belongs (AWS documentation test events) is written back `{}`"
            }
            Self::NullListEntryDropped => {
                "a `null` element of a list carries nothing and is dropped"
            }
            Self::PreferredRoleListAsFirst => {
                "`preferredRole` sent as a list (AWS examples) is written back as its first element"
            }
        }
    }
}

const STRING_MAPS: &[&str] = &[
    "userAttributes",
    "clientMetadata",
    "validationData",
    "privateChallengeParameters",
    "publicChallengeParameters",
    "claimsToAddOrOverride",
    "userAttributesToMap",
];

/// Compares `input` with `output` (the re-encoded event) at `path`, recording which
/// normalisations explain the differences and describing any they do not.
fn compare(
    path: &str,
    parent: Option<&str>,
    key: Option<&str>,
    input: Option<&Value>,
    output: Option<&Value>,
    used: &mut BTreeSet<Normalisation>,
    problems: &mut Vec<String>,
) {
    use Normalisation::*;
    let in_string_map = parent.is_some_and(|p| STRING_MAPS.contains(&p));
    match (input, output) {
        (Some(a), Some(b)) if a == b => {}
        (Some(Value::Object(a)), Some(Value::Object(b))) => {
            let keys: BTreeSet<&String> = a.keys().chain(b.keys()).collect();
            for k in keys {
                compare(
                    &format!("{path}.{k}"),
                    key,
                    Some(k),
                    a.get(k),
                    b.get(k),
                    used,
                    problems,
                );
            }
        }
        (Some(Value::Array(a)), Some(Value::Array(b))) => {
            let kept: Vec<&Value> = a.iter().filter(|v| !v.is_null()).collect();
            if kept.len() != a.len() {
                used.insert(NullListEntryDropped);
            }
            if kept.len() == b.len() {
                for (i, (x, y)) in kept.iter().zip(b).enumerate() {
                    compare(
                        &format!("{path}[{i}]"),
                        key,
                        None,
                        Some(x),
                        Some(y),
                        used,
                        problems,
                    );
                }
            } else {
                problems.push(format!("{path}: list of {} became {}", a.len(), b.len()));
            }
        }
        (Some(Value::Array(a)), Some(Value::Object(b))) if a.is_empty() && b.is_empty() => {
            used.insert(EmptyListAsEmptyObject);
        }
        (Some(Value::Array(a)), Some(Value::String(s)))
            if key == Some("preferredRole") && a.first() == Some(&Value::String(s.clone())) =>
        {
            used.insert(PreferredRoleListAsFirst);
        }
        (Some(scalar @ (Value::Bool(_) | Value::Number(_))), Some(Value::String(s)))
            if in_string_map && s.as_str() == scalar.to_string().as_str() =>
        {
            used.insert(ScalarAttributeAsString);
        }
        (Some(Value::Null), None) if in_string_map => {
            used.insert(NullAttributeDropped);
        }
        (a, b) => problems.push(format!("{path}: {a:?} became {b:?}")),
    }
}

/// Decodes and re-encodes `fixture`, returning the normalisations it needed.
fn round_trip(fixture: &Fixture) -> BTreeSet<Normalisation> {
    let event =
        decode(&fixture.bytes).unwrap_or_else(|e| panic!("{}: does not decode: {e}", fixture.name));
    let output: Value = serde_json::to_value(&event).expect("events encode");
    let input: Value = serde_json::from_slice(&fixture.bytes).expect("fixture is JSON");
    let (mut used, mut problems) = (BTreeSet::new(), Vec::new());
    compare(
        "$",
        None,
        None,
        Some(&input),
        Some(&output),
        &mut used,
        &mut problems,
    );
    assert!(
        problems.is_empty(),
        "{}: re-encoding changed the event in ways no listed normalisation explains:\n  {}",
        fixture.name,
        problems.join("\n  ")
    );
    used
}

// ---------------------------------------------------------------------------------------
// Typed decoding, per trigger marker

/// Decodes `bytes` as an event of `kind`, through that trigger's typed entry point, and
/// re-encodes it.
fn decode_as(kind: TriggerKind, bytes: &[u8]) -> Result<Value, DecodeError> {
    fn typed<T: Trigger>(bytes: &[u8]) -> Result<Value, DecodeError> {
        Event::<T>::from_slice(bytes).map(|e| serde_json::to_value(&e).expect("events encode"))
    }
    use cognito_trigger as c;
    match kind {
        TriggerKind::PreSignUp => typed::<c::PreSignUp>(bytes),
        TriggerKind::PostConfirmation => typed::<c::PostConfirmation>(bytes),
        TriggerKind::PreAuthentication => typed::<c::PreAuthentication>(bytes),
        TriggerKind::PostAuthentication => typed::<c::PostAuthentication>(bytes),
        TriggerKind::DefineAuthChallenge => typed::<c::DefineAuthChallenge>(bytes),
        TriggerKind::CreateAuthChallenge => typed::<c::CreateAuthChallenge>(bytes),
        TriggerKind::VerifyAuthChallengeResponse => typed::<c::VerifyAuthChallengeResponse>(bytes),
        TriggerKind::PreTokenGenerationV1 => typed::<c::PreTokenGenerationV1>(bytes),
        TriggerKind::PreTokenGenerationV2 => typed::<c::PreTokenGenerationV2>(bytes),
        TriggerKind::PreTokenGenerationV3 => typed::<c::PreTokenGenerationV3>(bytes),
        TriggerKind::UserMigration => typed::<c::UserMigration>(bytes),
        TriggerKind::CustomMessage => typed::<c::CustomMessage>(bytes),
        TriggerKind::CustomEmailSender => typed::<c::CustomEmailSender>(bytes),
        TriggerKind::CustomSmsSender => typed::<c::CustomSmsSender>(bytes),
        TriggerKind::InboundFederation => typed::<c::InboundFederation>(bytes),
        other => panic!("a trigger kind this test does not know: {other:?}"),
    }
}

// ---------------------------------------------------------------------------------------

/// Checks each fixture decodes into its trigger and version (or is refused, for the
/// malformed ones); returns how many decoded and how many were refused.
fn check_decodes_into_trigger_and_version(fixtures: &[Fixture]) -> (usize, usize) {
    let (mut decoded, mut refused) = (0, 0);
    for fixture in fixtures {
        let result = decode(&fixture.bytes);
        match expected(fixture) {
            Expected::Kind(kind) => {
                let event = result.unwrap_or_else(|e| panic!("{}: {e}", fixture.name));
                assert_eq!(event.kind(), Some(kind), "{}", fixture.name);
                let input: Value = serde_json::from_slice(&fixture.bytes).expect("JSON");
                assert_eq!(
                    Some(event.trigger_source()),
                    input["triggerSource"].as_str()
                );
                decoded += 1;
            }
            Expected::Malformed => {
                let error = result.expect_err(&fixture.name);
                assert!(
                    matches!(error, DecodeError::MalformedTriggerSource(_)),
                    "{}: {error:?}",
                    fixture.name
                );
                assert!(
                    error
                        .to_string()
                        .contains("is not a Cognito trigger source"),
                    "{}: message {error}",
                    fixture.name
                );
                refused += 1;
            }
        }
    }
    (decoded, refused)
}

#[test]
fn every_fixture_decodes_into_its_trigger_and_version() {
    let (decoded, refused) = check_decodes_into_trigger_and_version(&repo_events());
    assert!(decoded >= 67 + 51, "only {decoded} fixtures decoded");
    assert_eq!(refused, 0, "the repository's events are all well formed");
}

#[test]
fn peer_corpus_every_fixture_decodes_into_its_trigger_and_version() {
    let Some(peers) = peer_corpus() else { return };
    let (decoded, refused) = check_decodes_into_trigger_and_version(&peers);
    assert_eq!(decoded + refused, peers.len());
    assert_eq!(refused, SPECIAL_CASES.len(), "every special case was seen");
}

fn check_typed_entry_points(fixtures: &[Fixture]) {
    for fixture in fixtures {
        let Expected::Kind(expected_kind) = expected(fixture) else {
            continue;
        };
        let through_any = serde_json::to_value(decode(&fixture.bytes).expect("decodes")).unwrap();
        for &kind in TriggerKind::ALL {
            let result = decode_as(kind, &fixture.bytes);
            if kind == expected_kind {
                let typed = result.unwrap_or_else(|e| panic!("{} as {kind}: {e}", fixture.name));
                assert_eq!(
                    typed, through_any,
                    "{}: typed and any decoding differ",
                    fixture.name
                );
            } else if kind.source_prefix() == expected_kind.source_prefix() {
                assert!(
                    matches!(result, Err(DecodeError::WrongVersion { .. })),
                    "{} as {kind}: {result:?}",
                    fixture.name
                );
            } else {
                let error = result.expect_err(&format!("{} as {kind}", fixture.name));
                assert!(
                    matches!(error, DecodeError::WrongTrigger { .. }),
                    "{error:?}"
                );
                assert!(error.to_string().contains(kind.name()), "{error}");
            }
        }
    }
}

#[test]
fn typed_entry_points_accept_their_trigger_and_refuse_others() {
    check_typed_entry_points(&repo_events());
}

#[test]
fn peer_corpus_typed_entry_points_accept_their_trigger_and_refuse_others() {
    let Some(peers) = peer_corpus() else { return };
    check_typed_entry_points(&peers);
}

/// Round-trips every well-formed fixture, printing which normalisations were needed.
fn report_normalisations(fixtures: &[Fixture]) {
    let mut by_normalisation: BTreeMap<Normalisation, Vec<String>> = BTreeMap::new();
    let mut exact = 0;
    for fixture in fixtures {
        if expected(fixture) == Expected::Malformed {
            continue;
        }
        let used = round_trip(fixture);
        if used.is_empty() {
            exact += 1;
        }
        for normalisation in used {
            by_normalisation
                .entry(normalisation)
                .or_default()
                .push(fixture.name.clone());
        }
    }
    println!("{exact} fixtures re-encode exactly; the others needed:");
    for (normalisation, fixtures) in &by_normalisation {
        println!(
            "- {normalisation:?} ({} fixtures): {}",
            fixtures.len(),
            normalisation.reason()
        );
    }
}

#[test]
fn re_encoding_gives_back_the_input_up_to_listed_normalisations() {
    report_normalisations(&repo_events());
    // The bundled samples are written the way Cognito sends events: they must come back
    // exactly, or the model is losing something real.
    for sample in sample_events() {
        assert_eq!(round_trip(&sample), BTreeSet::new(), "{}", sample.name);
    }
}

#[test]
fn peer_corpus_re_encoding_gives_back_the_input_up_to_listed_normalisations() {
    let Some(peers) = peer_corpus() else { return };
    report_normalisations(&peers);
}

#[test]
fn bundled_samples_cover_every_trigger_source_of_every_version() {
    let mut covered: BTreeSet<(String, Option<TriggerKind>)> = BTreeSet::new();
    for sample in sample_events() {
        let event = decode(&sample.bytes).expect("samples decode");
        covered.insert((event.trigger_source().to_owned(), event.kind()));
    }
    let mut wanted: BTreeSet<(String, Option<TriggerKind>)> = SOURCES
        .iter()
        .map(|(s, k)| ((*s).to_owned(), Some(*k)))
        .collect();
    for kind in [
        TriggerKind::PreTokenGenerationV1,
        TriggerKind::PreTokenGenerationV2,
        TriggerKind::PreTokenGenerationV3,
    ] {
        wanted.extend(TOKEN_SOURCES.iter().map(|s| ((*s).to_owned(), Some(kind))));
    }
    wanted.insert((
        TOKEN_SOURCE_V3_ONLY.to_owned(),
        Some(TriggerKind::PreTokenGenerationV3),
    ));
    assert_eq!(covered, wanted);
}

#[test]
fn cognito_local_events_all_decode() {
    let events = cognito_local_events();
    assert_eq!(
        events.len(),
        67,
        "tests/events/README.md says cognito-local.jsonl holds 67 events"
    );
    for event in events {
        assert!(decode(&event.bytes).is_ok(), "{}", event.name);
    }
}

/// Checks `Debug` of every decodable fixture hides its password and code; returns how many
/// secrets were checked.
fn check_debug_hides_secrets(fixtures: &[Fixture]) -> usize {
    let mut checked = 0;
    for fixture in fixtures {
        let Ok(event) = decode(&fixture.bytes) else {
            continue;
        };
        let input: Value = serde_json::from_slice(&fixture.bytes).expect("JSON");
        let secrets: Vec<&str> = ["password", "code"]
            .iter()
            .filter_map(|field| input["request"][field].as_str())
            .collect();
        if secrets.is_empty() {
            continue;
        }
        let debug = format!("{event:?}");
        for secret in secrets {
            assert!(
                !debug.contains(secret),
                "{}: Debug shows a secret",
                fixture.name
            );
            checked += 1;
        }
        assert!(debug.contains("[redacted]"), "{}", fixture.name);
    }
    checked
}

#[test]
fn debug_output_never_shows_secrets() {
    let checked = check_debug_hides_secrets(&repo_events());
    assert!(checked >= 10, "only {checked} secrets checked");
}

#[test]
fn peer_corpus_debug_output_never_shows_secrets() {
    let Some(peers) = peer_corpus() else { return };
    let checked = check_debug_hides_secrets(&peers);
    assert!(checked >= 1, "no secret in the peer corpus was checked");
}

#[test]
fn each_listed_normalisation_is_what_the_model_does() {
    // One event that needs every normalisation, so the list above stays true: if the model
    // stops doing one of these (or starts doing something else), this fails.
    let event = br#"{"version":"1","triggerSource":"DefineAuthChallenge_Authentication",
        "region":"r","userPoolId":"p","userName":"u","callerContext":{"awsSdkVersion":"a","clientId":"c"},
        "request":{"userAttributes":{"email_verified":true,"age":42,"nickname":null},
                   "session":[null,{"challengeName":"SRP_A","challengeResult":true,"challengeMetadata":null}]},
        "response":[]}"#;
    let pre_token = br#"{"version":"1","triggerSource":"TokenGeneration_HostedAuth",
        "request":{"groupConfiguration":{"groupsToOverride":[],"iamRolesToOverride":[],"preferredRole":["arn:r"]}},
        "response":{"claimsOverrideDetails":null}}"#;
    let mut used = round_trip(&Fixture {
        name: "define".into(),
        bytes: event.to_vec(),
    });
    used.extend(round_trip(&Fixture {
        name: "token".into(),
        bytes: pre_token.to_vec(),
    }));
    use Normalisation::*;
    assert_eq!(
        used,
        BTreeSet::from([
            ScalarAttributeAsString,
            NullAttributeDropped,
            EmptyListAsEmptyObject,
            NullListEntryDropped,
            PreferredRoleListAsFirst,
        ])
    );
}

#[test]
fn meaningful_nulls_and_empties_survive() {
    // `groupOverrideDetails: null` means "remove all groups": it must not become absent
    // ("keep groups"). A `validationData: null` and an empty `userAttributesToMap: {}`
    // (inbound federation: "keep every attribute") must come back as they were.
    let event = br#"{"version":"2","triggerSource":"TokenGeneration_Authentication",
        "region":"r","userPoolId":"p","userName":"u","callerContext":{"awsSdkVersion":"a","clientId":"c"},
        "request":{"userAttributes":{},"groupConfiguration":null,"scopes":[]},
        "response":{"claimsAndScopeOverrideDetails":{"groupOverrideDetails":null}}}"#;
    let value = serde_json::to_value(decode(event).unwrap()).unwrap();
    assert_eq!(
        value["response"]["claimsAndScopeOverrideDetails"],
        serde_json::json!({"groupOverrideDetails": null})
    );
    let federation = br#"{"version":"1","triggerSource":"InboundFederation_ExternalProvider",
        "request":{"providerName":"X","providerType":"SAML","attributes":{"samlResponse":{}}},
        "response":{"userAttributesToMap":{}}}"#;
    let value = serde_json::to_value(decode(federation).unwrap()).unwrap();
    assert_eq!(
        value["response"],
        serde_json::json!({"userAttributesToMap": {}})
    );
    assert_eq!(
        value["request"]["attributes"],
        serde_json::json!({"samlResponse": {}})
    );
}
