//! The `pool` binary, run as a user runs it.

// Test code: a panic with the value is the clearest failure.
#![allow(clippy::unwrap_used)]

use std::process::Command;

fn pool(args: &[&str]) -> (i32, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_pool"))
        .args(args)
        .output()
        .expect("pool runs");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
    )
}

#[test]
fn replays_every_bundled_sample_successfully() {
    let (code, stdout) = pool(&[]);
    assert_eq!(code, 0, "{stdout}");
    let samples = examples::SAMPLE_EVENTS.len();
    assert!(samples >= 51, "only {samples} samples");
    assert!(
        stdout.contains(&format!("{samples} events, {samples} decoded, 0 refused")),
        "{stdout}"
    );
    // Secrets in the samples are never printed.
    assert!(!stdout.contains("Legacy-Passw0rd!"), "{stdout}");
}

#[test]
fn refuses_bad_input_with_a_clear_line_and_exit_status_1() {
    let dir = std::env::temp_dir().join(format!("pool-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let bad = dir.join("bad.json");
    std::fs::write(&bad, br#"{"version":"1","request":{}}"#).unwrap();
    let good = concat!(env!("CARGO_MANIFEST_DIR"), "/events/PreSignUp_SignUp.json");
    let (code, stdout) = pool(&[bad.to_str().unwrap(), good]);
    assert_eq!(code, 1, "{stdout}");
    assert!(
        stdout.contains("not a Cognito trigger event: missing triggerSource"),
        "{stdout}"
    );
    assert!(
        stdout.contains("2 events, 1 decoded, 1 refused"),
        "{stdout}"
    );
    std::fs::remove_dir_all(&dir).ok();
}
