//! The `pool` binary (and a single-trigger one), run as a user runs them: the local run
//! mode's output lines and exit status, whatever the input, and the `LambdaConfig` it
//! prints, validated by cfn-lint.

// Test code: a panic with the value is the clearest failure.
#![allow(clippy::unwrap_used)]

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use cognito_trigger::testing::TestEvent;
use cognito_trigger::{PreAuthentication, PreSignUp, UserMigration};
use serde_json::Value;

/// Runs a binary in the local mode (never on Lambda) with `stdin` as its input.
fn run(binary: &str, args: &[&str], stdin: &[u8]) -> Output {
    let mut child = Command::new(binary)
        .args(args)
        .env_remove("AWS_LAMBDA_RUNTIME_API")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // The binary may stop reading early (bad arguments); a broken pipe is fine.
    let _ = child.stdin.take().unwrap().write_all(stdin);
    child.wait_with_output().unwrap()
}

fn pool(args: &[&str], stdin: &[u8]) -> Output {
    run(env!("CARGO_BIN_EXE_pool"), args, stdin)
}

fn lines(output: &Output) -> Vec<String> {
    String::from_utf8(output.stdout.clone())
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect()
}

fn events_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("events")
}

#[test]
fn replays_every_bundled_sample_with_a_report() {
    let output = pool(&["--samples"], b"");
    let stdout = String::from_utf8(output.stdout.clone()).unwrap();
    assert_eq!(output.status.code(), Some(0), "{stdout}");
    let samples = examples::SAMPLE_EVENTS.len();
    assert!(samples >= 51, "only {samples} samples");
    for (name, _) in examples::SAMPLE_EVENTS {
        let source = name.split('.').next().unwrap();
        assert!(stdout.contains(source), "{source} missing from the report");
    }
    assert!(
        stdout.contains(&format!("{samples} sample events: ")),
        "{stdout}"
    );
    assert!(stdout.contains(" 0 failed"), "{stdout}");
    // Secrets in the samples, and the one-time code the challenge creates, are not shown.
    assert!(!stdout.contains("Legacy-Passw0rd!"), "{stdout}");
    assert!(
        stdout.contains("privateChallengeParameters: null → [redacted]"),
        "{stdout}"
    );
}

/// `pool --samples` in a terminal (a pseudo-terminal from util-linux's `script`): the
/// report is not interleaved with the handlers' INFO lines unless `RUST_LOG` asks for them,
/// and the missing store is said once.
#[test]
fn in_a_terminal_the_report_shows_only_warnings_unless_rust_log_asks() {
    let in_terminal = |rust_log: Option<&str>| {
        let mut command = Command::new("script");
        command
            .args(["--quiet", "--return", "--command"])
            .arg(format!("{} --samples", env!("CARGO_BIN_EXE_pool")))
            .arg("/dev/null")
            .env_remove("AWS_LAMBDA_RUNTIME_API")
            .env_remove("AWS_LAMBDA_LOG_LEVEL")
            .env_remove("RUST_LOG")
            .env_remove("USERS_TABLE")
            .stdin(Stdio::null());
        if let Some(level) = rust_log {
            command.env("RUST_LOG", level);
        }
        let output = command.output().expect("util-linux's script runs");
        assert_eq!(output.status.code(), Some(0));
        String::from_utf8_lossy(&output.stdout).into_owned()
    };
    let quiet = in_terminal(None);
    assert!(quiet.contains("sample events: "), "{quiet}");
    assert!(!quiet.contains(" INFO "), "{quiet}");
    assert_eq!(quiet.matches("no USERS_TABLE").count(), 1, "{quiet}");
    let verbose = in_terminal(Some("info"));
    assert!(verbose.contains(" INFO "), "{verbose}");
}

#[test]
fn answers_one_line_per_file_and_fails_on_bad_input() {
    let dir = std::env::temp_dir().join(format!("pool-files-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let missing_source = dir.join("missing-source.json");
    std::fs::write(&missing_source, br#"{"version":"1","request":{}}"#).unwrap();
    let sign_up = events_dir().join("PreSignUp_SignUp.json");
    let confirmation = events_dir().join("PostConfirmation_ConfirmSignUp.json");
    let missing_file = dir.join("no-such-file.json");
    let output = pool(
        &[
            sign_up.to_str().unwrap(),
            missing_source.to_str().unwrap(),
            confirmation.to_str().unwrap(),
            missing_file.to_str().unwrap(),
        ],
        b"",
    );
    let lines = lines(&output);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(lines.len(), 4, "{lines:?}");
    // The pretty-printed sample comes back as one line, answered.
    let answer: Value = serde_json::from_str(&lines[0]).unwrap();
    assert_eq!(answer["response"]["autoConfirmUser"], true);
    assert_eq!(
        lines[1],
        r#"{"errorType":"InvalidEvent","errorMessage":"missing triggerSource"}"#
    );
    // An observe-only trigger answers with the event itself.
    let sent: Value = serde_json::from_slice(&std::fs::read(&confirmation).unwrap()).unwrap();
    assert_eq!(serde_json::from_str::<Value>(&lines[2]).unwrap(), sent);
    let unreadable: Value = serde_json::from_str(&lines[3]).unwrap();
    assert_eq!(unreadable["errorType"], "UnreadableInput");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn answers_json_lines_on_stdin_and_never_panics() {
    let hostile: Vec<Vec<u8>> = vec![
        TestEvent::<PreAuthentication>::new().to_bytes(),
        b"this is not json".to_vec(),
        b"[]".to_vec(),
        b"\xff\xfe\x00garbage".to_vec(),
        "[".repeat(100_000).into_bytes(),
        format!(r#"{{"triggerSource":"{}"}}"#, "A_".repeat(50_000)).into_bytes(),
        TestEvent::<UserMigration>::new().user_name("nobody@example.com").password("x").to_bytes(),
        br#"{"version":"1","triggerSource":"DefineAuthChallenge_Authentication","request":{"session":"oops"}}"#.to_vec(),
    ];
    let mut stdin = Vec::new();
    for line in &hostile {
        stdin.extend_from_slice(line);
        stdin.extend_from_slice(b"\n\n");
    }
    let output = pool(&[], &stdin);
    assert_eq!(
        output.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let lines = lines(&output);
    assert_eq!(lines.len(), hostile.len(), "one line per event: {lines:?}");
    let parsed: Vec<Value> = lines
        .iter()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(
        parsed[0]["triggerSource"],
        "PreAuthentication_Authentication"
    );
    let error_types: Vec<&str> = parsed[1..]
        .iter()
        .map(|v| v["errorType"].as_str().unwrap())
        .collect();
    assert_eq!(
        error_types,
        [
            "InvalidEvent",
            "InvalidEvent",
            "InvalidEvent",
            "InvalidEvent",
            "InvalidEvent",
            "Rejected",
            "InvalidEvent"
        ]
    );
    assert_eq!(parsed[6]["errorMessage"], "Incorrect username or password");
    for message in parsed[1..]
        .iter()
        .map(|v| v["errorMessage"].as_str().unwrap())
    {
        assert!(
            message.len() < 300,
            "a message quotes too much input: {} bytes",
            message.len()
        );
    }
}

#[test]
fn every_answered_event_exits_zero() {
    // Without USERS_TABLE the legacy store is empty: user migration rejects its samples
    // (`migration_without_a_store_is_a_rejection_and_exits_one`).
    let answered: Vec<_> = examples::SAMPLE_EVENTS
        .iter()
        .filter(|(name, _)| !name.starts_with("UserMigration_"))
        .collect();
    let mut stdin = Vec::new();
    for (_, event) in &answered {
        let value: Value = serde_json::from_slice(event).unwrap();
        stdin.extend(serde_json::to_vec(&value).unwrap());
        stdin.push(b'\n');
    }
    let output = pool(&["-"], &stdin);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stdout)
    );
    assert_eq!(lines(&output).len(), answered.len());
}

#[test]
fn migration_without_a_store_is_a_rejection_and_exits_one() {
    let event = TestEvent::<UserMigration>::new()
        .user_name("carol@example.com")
        .password("Migr4ted!pw")
        .to_bytes();
    let output = pool(&["-"], &[&event[..], b"\n"].concat());
    assert_eq!(output.status.code(), Some(1));
    let answer: Value = serde_json::from_str(&lines(&output)[0]).unwrap();
    // Cognito ends the message with a full stop of its own, so the runtime drops ours.
    assert_eq!(answer["errorMessage"], "Incorrect username or password");
}

#[test]
fn logs_are_json_lines_with_the_invocation_when_lambda_asks() {
    let event = TestEvent::<PreSignUp>::new().to_bytes();
    let mut child = Command::new(env!("CARGO_BIN_EXE_pool"))
        .env_remove("AWS_LAMBDA_RUNTIME_API")
        .env("AWS_LAMBDA_LOG_FORMAT", "JSON")
        .env("AWS_LAMBDA_LOG_LEVEL", "DEBUG")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // An event of a trigger the pool leaves to Cognito's defaults logs a warning.
    let unhandled = br#"{"version":"9","triggerSource":"TokenGeneration_HostedAuth","userPoolId":"p1","callerContext":{"clientId":"c1"},"request":{}}"#;
    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all(&event).unwrap();
    stdin.write_all(b"\n").unwrap();
    stdin.write_all(unhandled).unwrap();
    drop(stdin);
    let output = child.wait_with_output().unwrap();
    assert_eq!(output.status.code(), Some(0));
    let logs = String::from_utf8(output.stderr).unwrap();
    let lines: Vec<Value> = logs
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON log line"))
        .collect();
    let warning = lines
        .iter()
        .find(|l| l["level"] == "WARN" && l.get("span").is_some())
        .expect("a warning in an invocation's span");
    assert_eq!(
        warning["span"]["trigger_source"], "TokenGeneration_HostedAuth",
        "{logs}"
    );
    assert_eq!(warning["span"]["user_pool_id"], "p1");
    assert_eq!(warning["span"]["client_id"], "c1");
    assert_eq!(warning["span"]["request_id"], "local-2");
}

#[test]
fn usage_mistakes_exit_two() {
    let output = pool(&["--frobnicate"], b"");
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("unknown option --frobnicate"));
    assert!(output.stdout.is_empty());
}

#[test]
fn a_single_trigger_function_replays_only_its_samples() {
    let output = run(env!("CARGO_BIN_EXE_pre_sign_up"), &["--samples"], b"");
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert_eq!(output.status.code(), Some(0), "{stdout}");
    assert!(stdout.contains("3 sample events: "), "{stdout}");
    assert!(!stdout.contains("CustomMessage_"), "{stdout}");
}

/// The pool's `LambdaConfig`, in a template that a CloudFormation linter must accept.
#[test]
fn lambda_config_is_valid_cloudformation() {
    let arn = "arn:aws:lambda:eu-west-1:123456789012:function:cognito-pool";
    let output = pool(&["--lambda-config", arn], b"");
    assert_eq!(output.status.code(), Some(0));
    let config: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(config["PreTokenGenerationConfig"]["LambdaVersion"], "V3_0");
    assert_eq!(config["CustomSMSSender"]["LambdaVersion"], "V1_0");
    assert_eq!(config.as_object().unwrap().len(), 14, "{config:#}");

    let cfn_lint = cfn_lint();
    assert_eq!(lint(&cfn_lint, &config), (0, String::new()));

    // The linter does check LambdaConfig: a wrong version and an unknown key are errors.
    let mut broken = config.clone();
    broken["PreTokenGenerationConfig"]["LambdaVersion"] = "V4_0".into();
    broken["PreTokenGen"] = arn.into();
    let (status, report) = lint(&cfn_lint, &broken);
    assert_ne!(
        status & 2,
        0,
        "cfn-lint accepted a broken LambdaConfig:\n{report}"
    );
    assert!(
        report.contains("V4_0") && report.contains("PreTokenGen"),
        "{report}"
    );
}

/// cfn-lint, as `cargo xtask tools` installs it (`CFN_LINT`), or from the PATH.
fn cfn_lint() -> PathBuf {
    let candidates = [
        std::env::var_os("CFN_LINT").map(PathBuf::from),
        Some(Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/tools/cfn-lint/bin/cfn-lint")),
        Some(PathBuf::from("cfn-lint")),
    ];
    candidates
        .into_iter()
        .flatten()
        .find(|path| {
            Command::new(path)
                .arg("--version")
                .output()
                .is_ok_and(|o| o.status.success())
        })
        .expect("cfn-lint is not installed: run `cargo xtask tools` (cargo xtask ci does)")
}

/// Lints a template holding `config` as a user pool's LambdaConfig: (exit status, report).
fn lint(cfn_lint: &Path, config: &Value) -> (i32, String) {
    let template = serde_json::json!({
        "AWSTemplateFormatVersion": "2010-09-09",
        "Parameters": {"KMSKeyID": {"Type": "String", "Description": "KMS key for the custom senders"}},
        "Resources": {"UserPool": {"Type": "AWS::Cognito::UserPool", "Properties": {"LambdaConfig": config}}},
    });
    let path = std::env::temp_dir().join(format!(
        "pool-template-{}-{}.json",
        std::process::id(),
        config.to_string().len()
    ));
    std::fs::write(&path, serde_json::to_vec_pretty(&template).unwrap()).unwrap();
    let output = Command::new(cfn_lint).arg(&path).output().unwrap();
    std::fs::remove_file(&path).ok();
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
    )
}
