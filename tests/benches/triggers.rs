//! Per trigger, the cost of answering one event, three ways, on the same events with the
//! same decisions:
//! - `ours`: raw bytes → a `Pool`'s dispatch → a `#[cognito_trigger]` handler → answer bytes;
//! - `baseline`: the way Rust triggers are written today, with `aws_lambda_events` and
//!   `serde_json` (decode the typed event, set the response, encode the whole event);
//! - `limit`: the least any correct handler does: validate the JSON and copy the bytes.
//!
//! Events: every recorded event and bundled sample of the trigger (and every peer-corpus
//! event, when the corpus is there) that the baseline can parse (the others are counted and
//! reported, not measured). `cargo xtask bench` runs this and
//! writes the tables.

#![allow(clippy::unwrap_used, missing_docs, clippy::print_stderr)]

use std::hint::black_box;
use std::time::Duration;

use aws_lambda_events::event::cognito as aws;
use cognito_trigger::*;
use cognito_trigger_tests::{peer_corpus, repo_events};
use criterion::{Criterion, criterion_group, criterion_main};

// ---------------------------------------------------------------------------------------
// The decisions, written with this crate

#[cognito_trigger(PreSignUp)]
fn pre_sign_up(event: &PreSignUpEvent<'_>) -> PreSignUpResponse {
    let ours = event
        .request
        .user_attributes
        .get("email")
        .is_some_and(|e| e.ends_with("@example.com"));
    if ours {
        PreSignUpResponse::new().confirm_user()
    } else {
        PreSignUpResponse::new()
    }
}
#[cognito_trigger(PostConfirmation)]
fn post_confirmation(_event: &PostConfirmationEvent<'_>) {}
#[cognito_trigger(PreAuthentication)]
fn pre_authentication(event: &PreAuthenticationEvent<'_>) -> Result<(), Reject> {
    if event.request.user_attributes.is_true("custom:blocked") {
        Err(Reject::new("Blocked"))
    } else {
        Ok(())
    }
}
#[cognito_trigger(PostAuthentication)]
fn post_authentication(_event: &PostAuthenticationEvent<'_>) {}
#[cognito_trigger(DefineAuthChallenge)]
fn define_auth(event: &DefineAuthChallengeEvent<'_>) -> DefineAuthChallengeResponse {
    match event.request.last_challenge() {
        Some(step) if step.challenge_result => DefineAuthChallengeResponse::succeed(),
        _ => DefineAuthChallengeResponse::next_challenge(ChallengeName::CustomChallenge),
    }
}
#[cognito_trigger(CreateAuthChallenge)]
fn create_auth(_event: &CreateAuthChallengeEvent<'_>) -> CreateAuthChallengeResponse {
    CreateAuthChallengeResponse::new().private_parameter("answer", "482913")
}
#[cognito_trigger(VerifyAuthChallengeResponse)]
fn verify_auth(
    event: &VerifyAuthChallengeResponseEvent<'_>,
) -> VerifyAuthChallengeResponseResponse {
    let expected = event.request.private_challenge_parameters.get("answer");
    VerifyAuthChallengeResponseResponse::answer(expected == Some(&*event.request.challenge_answer))
}
/// The claim the pre token handlers add: the user's tier, `free` when unset.
fn tier<'a>(attributes: &'a StringMap<'_>) -> &'a str {
    attributes.get("custom:tier").unwrap_or("free")
}
/// [`tier`], the way the baseline has it: owned strings in a `HashMap`.
fn baseline_tier(attributes: &std::collections::HashMap<String, String>) -> String {
    attributes
        .get("custom:tier")
        .cloned()
        .unwrap_or_else(|| "free".to_owned())
}
#[cognito_trigger(PreTokenGenerationV1)]
fn token_v1(event: &PreTokenGenerationV1Event<'_>) -> PreTokenGenerationV1Response {
    PreTokenGenerationV1Response::new().add_claim("tier", tier(&event.request.user_attributes))
}
#[cognito_trigger(PreTokenGenerationV2)]
fn token_v2(event: &PreTokenGenerationV2Event<'_>) -> PreTokenGenerationV2Response {
    PreTokenGenerationV2Response::new()
        .add_access_token_claim("tier", tier(&event.request.user_attributes))
}
#[cognito_trigger(PreTokenGenerationV3)]
fn token_v3(event: &PreTokenGenerationV3Event<'_>) -> PreTokenGenerationV2Response {
    PreTokenGenerationV2Response::new()
        .add_access_token_claim("tier", tier(&event.request.user_attributes))
}
#[cognito_trigger(UserMigration)]
fn migration(event: &UserMigrationEvent<'_>) -> UserMigrationResponse {
    UserMigrationResponse::new()
        .attribute("email", event.user_name.to_string())
        .status(FinalUserStatus::Confirmed)
}
#[cognito_trigger(CustomMessage)]
fn custom_message(event: &CustomMessageEvent<'_>) -> CustomMessageResponse {
    CustomMessageResponse::new().sms(format!("Your code is {}", event.request.code_parameter))
}
#[cognito_trigger(CustomEmailSender)]
fn email_sender(_event: &CustomEmailSenderEvent<'_>) {}
#[cognito_trigger(CustomSmsSender)]
fn sms_sender(_event: &CustomSmsSenderEvent<'_>) {}
#[cognito_trigger(InboundFederation)]
fn federation(event: &InboundFederationEvent<'_>) -> InboundFederationResponse {
    match event.request.attributes.claim("email") {
        Some(email) => InboundFederationResponse::map([("email", email)]),
        None => InboundFederationResponse::keep_all(),
    }
}

// ---------------------------------------------------------------------------------------
// The same decisions, written the way Rust triggers are written today

/// Decodes the whole typed event, decides, encodes the whole event; `None` when
/// `aws_lambda_events` cannot parse the event (or has no type for the trigger).
fn baseline(kind: TriggerKind, bytes: &[u8]) -> Option<Vec<u8>> {
    fn round_trip<T: serde::de::DeserializeOwned + serde::Serialize>(
        bytes: &[u8],
        decide: impl FnOnce(&mut T),
    ) -> Option<Vec<u8>> {
        let mut event: T = serde_json::from_slice(bytes).ok()?;
        decide(&mut event);
        serde_json::to_vec(&event).ok()
    }
    match kind {
        TriggerKind::PreSignUp => round_trip::<aws::CognitoEventUserPoolsPreSignup>(bytes, |e| {
            if e.request
                .user_attributes
                .get("email")
                .is_some_and(|v| v.ends_with("@example.com"))
            {
                e.response.auto_confirm_user = true;
            }
        }),
        TriggerKind::PostConfirmation => {
            round_trip::<aws::CognitoEventUserPoolsPostConfirmation>(bytes, |_| {})
        }
        TriggerKind::PreAuthentication => {
            round_trip::<aws::CognitoEventUserPoolsPreAuthentication>(bytes, |e| {
                let _ = black_box(
                    e.request
                        .user_attributes
                        .get("custom:blocked")
                        .is_some_and(|v| v == "true"),
                );
            })
        }
        TriggerKind::PostAuthentication => {
            round_trip::<aws::CognitoEventUserPoolsPostAuthentication>(bytes, |_| {})
        }
        TriggerKind::DefineAuthChallenge => {
            round_trip::<aws::CognitoEventUserPoolsDefineAuthChallenge>(bytes, |e| {
                let passed = e
                    .request
                    .session
                    .last()
                    .and_then(|s| s.as_ref())
                    .is_some_and(|s| s.challenge_result);
                e.response.issue_tokens = passed;
                e.response.fail_authentication = false;
                if !passed {
                    e.response.challenge_name = Some("CUSTOM_CHALLENGE".to_owned());
                }
            })
        }
        TriggerKind::CreateAuthChallenge => {
            round_trip::<aws::CognitoEventUserPoolsCreateAuthChallenge>(bytes, |e| {
                e.response
                    .private_challenge_parameters
                    .insert("answer".to_owned(), "482913".to_owned());
            })
        }
        TriggerKind::VerifyAuthChallengeResponse => {
            round_trip::<aws::CognitoEventUserPoolsVerifyAuthChallenge>(bytes, |e| {
                let expected = e
                    .request
                    .private_challenge_parameters
                    .get("answer")
                    .cloned();
                e.response.answer_correct = expected.as_deref()
                    == e.request.challenge_answer.as_ref().and_then(|a| a.as_str());
            })
        }
        TriggerKind::PreTokenGenerationV1 => {
            round_trip::<aws::CognitoEventUserPoolsPreTokenGen>(bytes, |e| {
                let tier = baseline_tier(&e.request.user_attributes);
                e.response
                    .claims_override_details
                    .get_or_insert_with(Default::default)
                    .claims_to_add_or_override
                    .insert("tier".to_owned(), tier);
            })
        }
        TriggerKind::PreTokenGenerationV2 | TriggerKind::PreTokenGenerationV3 => {
            round_trip::<aws::CognitoEventUserPoolsPreTokenGenV2>(bytes, |e| {
                let tier = baseline_tier(&e.request.user_attributes);
                let details = e
                    .response
                    .claims_and_scope_override_details
                    .get_or_insert_with(Default::default);
                let access = details
                    .access_token_generation
                    .get_or_insert_with(Default::default);
                access
                    .claims_to_add_or_override
                    .insert("tier".to_owned(), tier.into());
            })
        }
        TriggerKind::UserMigration => {
            round_trip::<aws::CognitoEventUserPoolsMigrateUser>(bytes, |e| {
                let name = e
                    .cognito_event_user_pools_header
                    .user_name
                    .clone()
                    .unwrap_or_default();
                e.cognito_event_user_pools_migrate_user_response
                    .user_attributes
                    .insert("email".to_owned(), name);
                e.cognito_event_user_pools_migrate_user_response
                    .final_user_status = Some("CONFIRMED".to_owned());
            })
        }
        TriggerKind::CustomMessage => {
            round_trip::<aws::CognitoEventUserPoolsCustomMessage>(bytes, |e| {
                let code = e.request.code_parameter.clone().unwrap_or_default();
                e.response.sms_message = Some(format!("Your code is {code}"));
            })
        }
        _ => None,
    }
}

// ---------------------------------------------------------------------------------------

fn pool() -> Pool {
    pool![
        pre_sign_up,
        post_confirmation,
        pre_authentication,
        post_authentication,
        define_auth,
        create_auth,
        verify_auth,
        token_v1,
        token_v2,
        token_v3,
        migration,
        custom_message,
        email_sender,
        sms_sender,
        federation,
    ]
}

fn limit(bytes: &[u8]) -> Vec<u8> {
    serde_json::from_slice::<serde::de::IgnoredAny>(bytes).unwrap();
    bytes.to_vec()
}

fn triggers(c: &mut Criterion) {
    let pool = pool();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    // A deadline far away: the timeout is armed on every invocation, as on Lambda.
    let context = Context::new("bench").with_remaining(Duration::from_secs(3600));
    // The repository's events, and the peer corpus when it is there (the counts written to
    // `target/bench/bench-events.json` say how many events each trigger had).
    let mut fixtures = repo_events();
    fixtures.extend(peer_corpus().unwrap_or_default());
    let events: Vec<(TriggerKind, Vec<u8>)> = fixtures
        .into_iter()
        .filter_map(|f| Some((decode(&f.bytes).ok()?.kind()?, f.bytes)))
        .collect();
    // How many events each trigger's iteration answers, for `cargo xtask bench` to divide by.
    let mut counts = serde_json::Map::new();
    let mut alternated = serde_json::Map::new();
    for &kind in TriggerKind::ALL {
        let all: Vec<&Vec<u8>> = events
            .iter()
            .filter(|(k, _)| *k == kind)
            .map(|(_, b)| b)
            .collect();
        let parsed: Vec<&Vec<u8>> = all
            .iter()
            .copied()
            .filter(|b| baseline(kind, b).is_some())
            .collect();
        let measured = if parsed.is_empty() {
            all.clone()
        } else {
            parsed.clone()
        };
        counts.insert(
            format!("{kind:?}"),
            serde_json::json!({"events": all.len(), "measured": measured.len(), "baseline_parses": parsed.len()}),
        );
        let mut group = c.benchmark_group(format!("{kind:?}"));
        // Every variant answers every measured event once per iteration; the report divides.
        // One runtime entry per iteration, as on Lambda, where the runtime is already running.
        group.bench_function("ours", |b| {
            b.iter(|| {
                runtime.block_on(async {
                    for event in &measured {
                        black_box(pool.invoke(black_box(event), &context).await.ok());
                    }
                });
            });
        });
        if !parsed.is_empty() {
            group.bench_function("baseline", |b| {
                b.iter(|| {
                    for event in &measured {
                        black_box(baseline(kind, black_box(event)));
                    }
                });
            });
        }
        group.bench_function("limit", |b| {
            b.iter(|| {
                for event in &measured {
                    black_box(limit(black_box(event)));
                }
            });
        });
        group.finish();
        let timings = alternating(
            &measured,
            |events| {
                runtime.block_on(async {
                    for event in events {
                        black_box(pool.invoke(black_box(event), &context).await.ok());
                    }
                });
            },
            (!parsed.is_empty()).then_some(|events: &[&Vec<u8>]| {
                for event in events {
                    black_box(baseline(kind, black_box(event)));
                }
            }),
            |events| {
                for event in events {
                    black_box(limit(black_box(event)));
                }
            },
        );
        alternated.insert(format!("{kind:?}"), timings);
    }
    let out = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/bench");
    std::fs::create_dir_all(&out).unwrap();
    std::fs::write(
        out.join("alternating.json"),
        serde_json::to_vec_pretty(&alternated).unwrap(),
    )
    .unwrap();
    std::fs::write(
        out.join("bench-events.json"),
        serde_json::to_vec_pretty(&counts).unwrap(),
    )
    .unwrap();
}

/// Rounds of the alternating measurement.
const ROUNDS: usize = 31;
/// Least time one variant's turn in a round takes: long enough for the clock, short enough
/// that the three turns of a round see the same machine.
const TURN: Duration = Duration::from_millis(10);

/// Ours, the baseline and the limit measured in turns, round after round (the order
/// rotating each round), so that drift moves all three alike: per variant the median time
/// per event, and per round the ratios, whose median and extremes are the figures to read.
fn alternating(
    events: &[&Vec<u8>],
    ours: impl Fn(&[&Vec<u8>]),
    baseline: Option<impl Fn(&[&Vec<u8>])>,
    limit: impl Fn(&[&Vec<u8>]),
) -> serde_json::Value {
    // Passes over the events per turn, so that ours' turn takes about `TURN`.
    let started = std::time::Instant::now();
    ours(events);
    let one_pass = started.elapsed().max(Duration::from_nanos(1));
    let passes = (TURN.as_nanos() / one_pass.as_nanos()).max(1);
    let per_event = |run: &dyn Fn(&[&Vec<u8>])| {
        let started = std::time::Instant::now();
        for _ in 0..passes {
            run(events);
        }
        started.elapsed().as_secs_f64() * 1e9 / (passes as f64 * events.len() as f64)
    };
    let mut times: [Vec<f64>; 3] = Default::default();
    for round in 0..ROUNDS {
        for turn in 0..3 {
            let variant = (round + turn) % 3;
            let ns = match (variant, &baseline) {
                (0, _) => per_event(&ours),
                (1, Some(baseline)) => per_event(baseline),
                (1, None) => continue,
                _ => per_event(&limit),
            };
            times[variant].push(ns);
        }
    }
    let median = |values: &[f64]| -> Option<f64> {
        let mut sorted = values.to_vec();
        sorted.sort_by(f64::total_cmp);
        sorted.get(sorted.len() / 2).copied()
    };
    let ratios = |other: &[f64]| -> serde_json::Value {
        if other.is_empty() {
            return serde_json::Value::Null;
        }
        let mut per_round: Vec<f64> = times[0].iter().zip(other).map(|(o, b)| o / b).collect();
        per_round.sort_by(f64::total_cmp);
        serde_json::json!({
            "median": median(&per_round),
            "min": per_round.first(),
            "max": per_round.last(),
            "p25": per_round[per_round.len() / 4],
            "p75": per_round[per_round.len() * 3 / 4],
        })
    };
    serde_json::json!({
        "rounds": ROUNDS,
        "turn_ms": TURN.as_secs_f64() * 1e3,
        "passes_per_turn": passes,
        "ours_ns": median(&times[0]),
        "baseline_ns": median(&times[1]),
        "limit_ns": median(&times[2]),
        "ours_over_baseline": ratios(&times[1]),
        "ours_over_limit": ratios(&times[2]),
    })
}

criterion_group! {
    name = benches;
    config = Criterion::default().warm_up_time(Duration::from_millis(500)).measurement_time(Duration::from_secs(2)).sample_size(30);
    targets = triggers
}
criterion_main!(benches);
