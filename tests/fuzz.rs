//! A bounded fuzzing harness on the stable toolchain: arbitrary bytes, and byte-level
//! mutations of every real event (the repository's, and the peer corpus's in
//! `peer_corpus_*`, see `support.rs`), through the example pool (decoding, routing, the
//! generated handlers, the answer). Nothing may panic or hang, everything refused is
//! refused with a clean, plain-words error, and an event the pool refuses as invalid is
//! one the public `decode` refuses too, with the same message.
//!
//! `COGNITO_FUZZ_CASES` sets the cases per property (default 1,000, what CI runs).
//! With `--nocapture`, each property prints what it ran.

// Test code: a panic with the value is the clearest failure.
#![allow(clippy::unwrap_used, clippy::print_stderr)]

use std::collections::BTreeMap;
use std::sync::{LazyLock, Mutex};
use std::time::Duration;

use cognito_trigger::{Context, InvocationError, Pool};
use cognito_trigger_tests::{peer_corpus, repo_events};
use proptest::prelude::*;
use proptest::test_runner::TestCaseError;

static POOL: LazyLock<Pool<examples::App>> =
    LazyLock::new(|| examples::pool(examples::App::in_memory()).budget(Duration::from_secs(2)));
static RUNTIME: LazyLock<tokio::runtime::Runtime> = LazyLock::new(|| {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
});

fn cases() -> u32 {
    std::env::var("COGNITO_FUZZ_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(1_000)
}

/// Outcome counts per property, printed when the property ends.
static OUTCOMES: LazyLock<Mutex<BTreeMap<(&'static str, String), u32>>> =
    LazyLock::new(Default::default);

/// Runs one input through the pool and checks the answer's shape.
fn check(property: &'static str, input: &[u8]) -> Result<(), TestCaseError> {
    let answer = RUNTIME.block_on(POOL.invoke(input, &Context::new("fuzz")));
    let outcome = match &answer {
        Ok(bytes) => {
            // An answer is JSON, and an object like the event it answers.
            let value: serde_json::Value = serde_json::from_slice(bytes)
                .map_err(|e| TestCaseError::fail(format!("answer is not JSON: {e}")))?;
            prop_assert!(value.is_object());
            "answered".to_owned()
        }
        Err(error) => {
            check_error(error)?;
            if error.error_type() == "InvalidEvent" {
                // The pool decodes in one pass and only diagnoses what that refuses: it must
                // refuse nothing that the public two-step decode takes, and say the same.
                match cognito_trigger::decode(input) {
                    Ok(event) => {
                        return Err(TestCaseError::fail(format!(
                            "the pool refused ({}) a {:?} event that `decode` takes",
                            error.error_message(),
                            event.kind()
                        )));
                    }
                    Err(refusal) => prop_assert_eq!(error.error_message(), refusal.to_string()),
                }
            }
            error.error_type().to_owned()
        }
    };
    *OUTCOMES
        .lock()
        .unwrap()
        .entry((property, outcome))
        .or_default() += 1;
    Ok(())
}

fn check_error(error: &InvocationError) -> Result<(), TestCaseError> {
    prop_assert!(
        matches!(
            error.error_type(),
            "InvalidEvent" | "Rejected" | "InternalError" | "UnhandledTrigger" | "Timeout"
        ),
        "unexpected error type {}",
        error.error_type()
    );
    let message = error.error_message();
    prop_assert!(message.len() < 400, "message of {} bytes", message.len());
    for internal in [
        "serde",
        "invalid type:",
        "RawValue",
        "$serde_json",
        "panicked",
    ] {
        prop_assert!(
            !message.contains(internal),
            "`{message}` shows `{internal}`"
        );
    }
    if error.error_type() == "InternalError" {
        // The examples never fail internally on input: that would be a finding.
        return Err(TestCaseError::fail(format!(
            "internal error on fuzzed input: {message}"
        )));
    }
    Ok(())
}

fn report(property: &'static str) {
    let outcomes = OUTCOMES.lock().unwrap();
    let mine: Vec<String> = outcomes
        .iter()
        .filter(|((p, _), _)| *p == property)
        .map(|((_, outcome), count)| format!("{outcome}: {count}"))
        .collect();
    eprintln!(
        "{property}: {} executions; {}",
        outcomes
            .iter()
            .filter(|((p, _), _)| *p == property)
            .map(|(_, c)| c)
            .sum::<u32>(),
        mine.join(", ")
    );
}

/// A byte-level mutation of an input.
#[derive(Clone, Debug)]
enum Mutation {
    Flip {
        at: prop::sample::Index,
        bit: u8,
    },
    Insert {
        at: prop::sample::Index,
        byte: u8,
    },
    Delete {
        at: prop::sample::Index,
        len: usize,
    },
    Truncate {
        at: prop::sample::Index,
    },
    Duplicate {
        from: prop::sample::Index,
        len: usize,
        to: prop::sample::Index,
    },
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<prop::sample::Index>(), 0u8..8).prop_map(|(at, bit)| Mutation::Flip { at, bit }),
        (
            any::<prop::sample::Index>(),
            prop_oneof![
                any::<u8>(),
                prop::sample::select(b"{}[]\",:\\0123456789ntfe-".to_vec())
            ]
        )
            .prop_map(|(at, byte)| Mutation::Insert { at, byte }),
        (any::<prop::sample::Index>(), 1usize..16)
            .prop_map(|(at, len)| Mutation::Delete { at, len }),
        any::<prop::sample::Index>().prop_map(|at| Mutation::Truncate { at }),
        (
            any::<prop::sample::Index>(),
            1usize..64,
            any::<prop::sample::Index>()
        )
            .prop_map(|(from, len, to)| Mutation::Duplicate { from, len, to }),
    ]
}

fn apply(bytes: &mut Vec<u8>, mutation: &Mutation) {
    if bytes.is_empty() {
        return;
    }
    let len = bytes.len();
    match mutation {
        Mutation::Flip { at, bit } => bytes[at.index(len)] ^= 1 << bit,
        Mutation::Insert { at, byte } => bytes.insert(at.index(len + 1), *byte),
        Mutation::Delete { at, len: count } => {
            let start = at.index(len);
            bytes.drain(start..(start + count).min(len));
        }
        Mutation::Truncate { at } => bytes.truncate(at.index(len)),
        Mutation::Duplicate {
            from,
            len: count,
            to,
        } => {
            let start = from.index(len);
            let piece = bytes[start..(start + count).min(len)].to_vec();
            let at = to.index(len + 1);
            bytes.splice(at..at, piece);
        }
    }
}

#[test]
fn arbitrary_bytes_never_panic_and_are_refused_plainly() {
    let config = ProptestConfig {
        cases: cases(),
        failure_persistence: None,
        ..ProptestConfig::default()
    };
    proptest!(config, |(input in prop::collection::vec(any::<u8>(), 0..2048))| {
        check("arbitrary bytes", &input)?;
    });
    report("arbitrary bytes");
}

/// Mutates events of `fixtures` and checks what the pool makes of them.
fn mutated(property: &'static str, fixtures: &[Vec<u8>]) {
    let config = ProptestConfig {
        cases: cases(),
        failure_persistence: None,
        ..ProptestConfig::default()
    };
    proptest!(config, |(fixture in any::<prop::sample::Index>(), mutations in prop::collection::vec(mutation(), 1..8))| {
        let mut input = fixtures[fixture.index(fixtures.len())].clone();
        for mutation in &mutations {
            apply(&mut input, mutation);
        }
        check(property, &input)?;
    });
    report(property);
}

#[test]
fn mutated_real_events_never_panic_and_answer_or_refuse_cleanly() {
    let events: Vec<Vec<u8>> = repo_events().into_iter().map(|f| f.bytes).collect();
    mutated("mutated events", &events);
}

#[test]
fn peer_corpus_mutated_events_never_panic_and_answer_or_refuse_cleanly() {
    let Some(peers) = peer_corpus() else { return };
    let events: Vec<Vec<u8>> = peers.into_iter().map(|f| f.bytes).collect();
    mutated("mutated peer events", &events);
}
