//! Property tests over the repository's events, and over the peer corpus
//! (`peer_corpus_*`, see `support.rs`):
//! - unknown fields added at any level of any event come back exactly;
//! - `null` or absence in any field (but `triggerSource` and `version`) never breaks decoding;
//! - any field replaced by arbitrary JSON never panics, and a refusal reads as plain words.

// Test code: a panic with the value is the clearest failure.
#![allow(clippy::unwrap_used)]

use std::sync::LazyLock;

use cognito_trigger::{DecodeError, decode};
use cognito_trigger_tests::{Fixture, peer_corpus, repo_events};
use proptest::prelude::*;
use proptest::test_runner::TestCaseError;
use serde_json::{Map, Value};

/// Objects whose keys are data (attribute names), not fields: values must stay strings.
const STRING_MAPS: &[&str] = &[
    "userAttributes",
    "clientMetadata",
    "validationData",
    "privateChallengeParameters",
    "publicChallengeParameters",
    "userAttributesToMap",
];

/// An event that decodes and re-encodes exactly (name, parsed), so properties can demand
/// exactness.
type ExactEvent = (String, Value);

fn exact(fixtures: Vec<Fixture>) -> Vec<ExactEvent> {
    fixtures
        .into_iter()
        .filter_map(|Fixture { name, bytes }| {
            let event = decode(&bytes).ok()?;
            let input: Value = serde_json::from_slice(&bytes).ok()?;
            (serde_json::to_value(&event).ok()? == input).then_some((name, input))
        })
        .collect()
}

/// The repository's exact events.
static EXACT_EVENTS: LazyLock<Vec<ExactEvent>> = LazyLock::new(|| exact(repo_events()));

/// A JSON path step.
#[derive(Clone, Debug)]
enum Step {
    Key(String),
    Index(usize),
}

/// Every object in `value` (by path), and whether it is a string map.
fn objects(value: &Value, path: &mut Vec<Step>, out: &mut Vec<(Vec<Step>, bool)>) {
    match value {
        Value::Object(map) => {
            let is_string_map = matches!(path.last(), Some(Step::Key(k)) if STRING_MAPS.contains(&k.as_str()))
                || matches!(path.last(), Some(Step::Key(k)) if k == "claimsToAddOrOverride")
                    && path
                        .iter()
                        .any(|s| matches!(s, Step::Key(k) if k == "claimsOverrideDetails"));
            out.push((path.clone(), is_string_map));
            for (k, v) in map {
                path.push(Step::Key(k.clone()));
                objects(v, path, out);
                path.pop();
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                path.push(Step::Index(i));
                objects(v, path, out);
                path.pop();
            }
        }
        _ => {}
    }
}

/// Every field (key of an object) in `value`, by path.
fn fields(value: &Value, path: &mut Vec<Step>, out: &mut Vec<Vec<Step>>) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                path.push(Step::Key(k.clone()));
                out.push(path.clone());
                fields(v, path, out);
                path.pop();
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                path.push(Step::Index(i));
                fields(v, path, out);
                path.pop();
            }
        }
        _ => {}
    }
}

fn at<'v>(value: &'v mut Value, path: &[Step]) -> &'v mut Value {
    path.iter().fold(value, |v, step| match step {
        Step::Key(k) => &mut v[k.as_str()],
        Step::Index(i) => &mut v[*i],
    })
}

fn arbitrary_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        (-1e300f64..1e300).prop_map(Value::from),
        "[a-z0-9 é\"\\\\/\u{1F600}\n]{0,12}".prop_map(Value::String),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map("[a-zA-Z_]{1,6}", inner, 0..4)
                .prop_map(|m| Value::Object(m.into_iter().collect::<Map<_, _>>())),
        ]
    })
}

/// Keys no Cognito object uses: prefixed, and with characters that need escaping.
fn unknown_key() -> impl Strategy<Value = String> {
    "[a-zA-Z0-9_\\- é\"\\\\]{0,10}".prop_map(|suffix| format!("x-new:{suffix}"))
}

fn encode_decoded(bytes: &[u8]) -> Result<Value, DecodeError> {
    decode(bytes).map(|event| serde_json::to_value(&event).expect("events encode"))
}

/// Unknown fields added at any level of `events[event_index]` come back exactly.
fn unknown_fields_survive(
    events: &[ExactEvent],
    event_index: prop::sample::Index,
    injections: Vec<(prop::sample::Index, String, Value)>,
) -> Result<(), TestCaseError> {
    let (name, original) = &events[event_index.index(events.len())];
    let mut event = original.clone();
    let mut targets = Vec::new();
    objects(original, &mut Vec::new(), &mut targets);
    for (target, key, value) in injections {
        let (path, is_string_map) = &targets[target.index(targets.len())];
        // In a string map, a new key is a new attribute, and attributes are strings.
        let value = match (is_string_map, value) {
            (true, Value::String(s)) => Value::String(s),
            (true, other) => Value::String(other.to_string()),
            (false, value) => value,
        };
        at(&mut event, path)[key.as_str()] = value;
    }
    let bytes = serde_json::to_vec(&event).unwrap();
    let output = encode_decoded(&bytes);
    prop_assert!(output.is_ok(), "{name}: {output:?}");
    // Compare with the input as parsed from the same bytes, not with the in-memory
    // value: the text is what travels.
    let input: Value = serde_json::from_slice(&bytes).unwrap();
    prop_assert_eq!(output.unwrap(), input, "{}", name);
    Ok(())
}

/// `null` or absence in fields of `events[event_index]` never breaks decoding.
fn nulls_and_absences_decode(
    events: &[ExactEvent],
    event_index: prop::sample::Index,
    changes: Vec<(prop::sample::Index, bool)>,
) -> Result<(), TestCaseError> {
    let (name, original) = &events[event_index.index(events.len())];
    let kind = decode(&serde_json::to_vec(original).unwrap())
        .unwrap()
        .kind();
    let mut event = original.clone();
    for (field, remove) in changes {
        let mut all = Vec::new();
        fields(&event, &mut Vec::new(), &mut all);
        // The routing fields are the only ones an event cannot do without.
        all.retain(|path| {
            !matches!(path.as_slice(),
            [Step::Key(k)] if k == "triggerSource" || k == "version")
        });
        if all.is_empty() {
            break;
        }
        let path = all[field.index(all.len())].clone();
        let (parent, last) = path.split_at(path.len() - 1);
        let parent = at(&mut event, parent);
        match (&last[0], parent) {
            (Step::Key(k), Value::Object(map)) if remove => {
                map.remove(k);
            }
            (Step::Key(k), Value::Object(map)) => {
                map.insert(k.clone(), Value::Null);
            }
            (Step::Index(i), Value::Array(items)) => items[*i] = Value::Null,
            _ => {}
        }
    }
    let bytes = serde_json::to_vec(&event).unwrap();
    let decoded = decode(&bytes);
    prop_assert!(decoded.is_ok(), "{name}: {decoded:?}\n{event}");
    let decoded = decoded.unwrap();
    prop_assert_eq!(decoded.kind(), kind);
    // And what comes out decodes to the same event again.
    let again = serde_json::to_vec(&decoded).unwrap();
    prop_assert_eq!(decode(&again).unwrap(), decoded);
    Ok(())
}

/// Any field of `events[event_index]` replaced by any JSON never panics, and a refusal
/// reads as plain words.
fn any_replacement_is_refused_plainly(
    events: &[ExactEvent],
    event_index: prop::sample::Index,
    field: prop::sample::Index,
    value: Value,
) -> Result<(), TestCaseError> {
    let (name, original) = &events[event_index.index(events.len())];
    let mut event = original.clone();
    let mut all = Vec::new();
    fields(&event, &mut Vec::new(), &mut all);
    let path = all[field.index(all.len())].clone();
    *at(&mut event, &path) = value;
    let bytes = serde_json::to_vec(&event).unwrap();
    if let Err(error) = decode(&bytes) {
        let message = error.to_string();
        prop_assert!(
            matches!(
                error,
                DecodeError::InvalidField { .. }
                    | DecodeError::MissingTriggerSource
                    | DecodeError::MalformedTriggerSource(_)
            ),
            "{name}: {error:?}"
        );
        for internal in [
            "serde",
            " at line ",
            "invalid type:",
            "RawValue",
            "$serde_json",
        ] {
            prop_assert!(
                !message.contains(internal),
                "{name}: `{message}` shows `{internal}`"
            );
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn unknown_fields_at_any_level_survive(
        event_index in any::<prop::sample::Index>(),
        injections in prop::collection::vec(
            (any::<prop::sample::Index>(), unknown_key(), arbitrary_json()), 1..6),
    ) {
        unknown_fields_survive(&EXACT_EVENTS, event_index, injections)?;
    }

    #[test]
    fn nulls_and_absences_never_break_decoding(
        event_index in any::<prop::sample::Index>(),
        changes in prop::collection::vec((any::<prop::sample::Index>(), any::<bool>()), 1..8),
    ) {
        nulls_and_absences_decode(&EXACT_EVENTS, event_index, changes)?;
    }

    #[test]
    fn any_field_replaced_by_any_json_never_panics_and_refusals_read_plainly(
        event_index in any::<prop::sample::Index>(),
        field in any::<prop::sample::Index>(),
        value in arbitrary_json(),
    ) {
        any_replacement_is_refused_plainly(&EXACT_EVENTS, event_index, field, value)?;
    }
}

// The same properties over the peer corpus, when it is there: fewer cases, for fewer
// events.

fn peer_config() -> ProptestConfig {
    ProptestConfig {
        cases: 256,
        ..ProptestConfig::default()
    }
}

#[test]
fn peer_corpus_unknown_fields_at_any_level_survive() {
    let Some(peers) = peer_corpus() else { return };
    let events = exact(peers);
    proptest!(peer_config(), |(
        event_index in any::<prop::sample::Index>(),
        injections in prop::collection::vec(
            (any::<prop::sample::Index>(), unknown_key(), arbitrary_json()), 1..6),
    )| {
        unknown_fields_survive(&events, event_index, injections)?;
    });
}

#[test]
fn peer_corpus_nulls_and_absences_never_break_decoding() {
    let Some(peers) = peer_corpus() else { return };
    let events = exact(peers);
    proptest!(peer_config(), |(
        event_index in any::<prop::sample::Index>(),
        changes in prop::collection::vec((any::<prop::sample::Index>(), any::<bool>()), 1..8),
    )| {
        nulls_and_absences_decode(&events, event_index, changes)?;
    });
}

#[test]
fn peer_corpus_any_field_replaced_by_any_json_never_panics_and_refusals_read_plainly() {
    let Some(peers) = peer_corpus() else { return };
    let events = exact(peers);
    proptest!(peer_config(), |(
        event_index in any::<prop::sample::Index>(),
        field in any::<prop::sample::Index>(),
        value in arbitrary_json(),
    )| {
        any_replacement_is_refused_plainly(&events, event_index, field, value)?;
    });
}
