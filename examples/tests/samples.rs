//! The bundled sample events (`events/`) are made by the test kit's builders, so they
//! cannot drift from what `TestEvent` (and so every test written with it) sends.
//! `cargo xtask codegen` rewrites them; this test fails while they are stale.

// Test code: a panic with the value is the clearest failure.
#![allow(clippy::unwrap_used)]

use std::collections::BTreeMap;
use std::path::Path;

use cognito_trigger::testing::TestEvent;
use cognito_trigger::*;

/// One sample per documented source of `T`, the event made by `build` from the source's
/// template; files are named `<triggerSource><suffix>.json`.
fn every_source<T: Trigger>(
    suffix: &str,
    build: impl Fn(TestEvent<T>) -> TestEvent<T>,
    samples: &mut BTreeMap<String, String>,
) {
    for source in T::KIND.sources() {
        let event = build(TestEvent::<T>::new().source(T::Source::parse(source)));
        samples.insert(format!("{source}{suffix}.json"), event.to_pretty_json());
    }
}

/// The samples: Ada in every trigger, with what each handler of the example pool looks at.
fn samples() -> BTreeMap<String, String> {
    let mut samples = BTreeMap::new();
    let roles = "arn:aws:iam::123456789012:role/readers";
    every_source::<PreSignUp>(
        "",
        |event| {
            if event.to_value()["triggerSource"] == "PreSignUp_SignUp" {
                event.client_metadata("campaign", "spring")
            } else {
                event
            }
        },
        &mut samples,
    );
    every_source::<PostConfirmation>("", |e| e.client_metadata("origin", "web"), &mut samples);
    every_source::<PreAuthentication>("", |e| e.validation_data("device", "mobile"), &mut samples);
    every_source::<PostAuthentication>("", TestEvent::new_device_used, &mut samples);
    let after_password = |e: TestEvent<DefineAuthChallenge>| {
        e.challenge("SRP_A", true)
            .challenge("PASSWORD_VERIFIER", true)
    };
    every_source::<DefineAuthChallenge>("", after_password, &mut samples);
    every_source::<CreateAuthChallenge>(
        "",
        |e| {
            e.challenge("SRP_A", true)
                .challenge("PASSWORD_VERIFIER", true)
        },
        &mut samples,
    );
    every_source::<VerifyAuthChallengeResponse>(
        "",
        |e| e.expected_answer("482913").challenge_answer("482913"),
        &mut samples,
    );
    every_source::<PreTokenGenerationV1>(
        ".v1",
        |e| {
            e.groups(["readers", "editors"])
                .iam_roles([roles], Some(roles))
        },
        &mut samples,
    );
    every_source::<PreTokenGenerationV2>(
        ".v2",
        |e| {
            e.groups(["readers", "editors"])
                .iam_roles([roles], Some(roles))
        },
        &mut samples,
    );
    every_source::<PreTokenGenerationV3>(
        ".v3",
        |e| {
            if e.to_value()["triggerSource"] == "TokenGeneration_ClientCredentials" {
                e.scopes(["reports/read"]).client_metadata("tenant", "acme")
            } else {
                e.groups(["readers", "editors"])
                    .iam_roles([roles], Some(roles))
            }
        },
        &mut samples,
    );
    every_source::<UserMigration>(
        "",
        |e| {
            if e.to_value()["triggerSource"] == "UserMigration_ForgotPassword" {
                e.client_metadata("origin", "forgot-password")
            } else {
                e
            }
        },
        &mut samples,
    );
    every_source::<CustomMessage>("", |e| e, &mut samples);
    every_source::<CustomEmailSender>("", |e| e, &mut samples);
    every_source::<CustomSmsSender>("", |e| e, &mut samples);
    every_source::<InboundFederation>(
        "",
        |e| e.id_token_claim("groups", r#"["engineering","admins"]"#),
        &mut samples,
    );
    samples
}

#[test]
fn bundled_samples_are_the_builders_events() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("events");
    let fresh = samples();
    if std::env::var_os("COGNITO_TRIGGER_CODEGEN").is_some_and(|v| v == "write") {
        for (name, text) in &fresh {
            std::fs::write(dir.join(name), text).unwrap();
        }
    }
    let mut on_disk = BTreeMap::new();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "json") {
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            on_disk.insert(name, std::fs::read_to_string(&path).unwrap());
        }
    }
    let names = |samples: &BTreeMap<String, String>| samples.keys().cloned().collect::<Vec<_>>();
    assert_eq!(names(&on_disk), names(&fresh), "run `cargo xtask codegen`");
    for (name, text) in &fresh {
        assert_eq!(
            &on_disk[name], text,
            "{name} differs from its builder: run `cargo xtask codegen`"
        );
    }
    // One per documented source of every trigger (and version).
    let expected: usize = TriggerKind::ALL.iter().map(|k| k.sources().len()).sum();
    assert_eq!(fresh.len(), expected);
}
