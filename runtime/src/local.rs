//! The local run mode: what a trigger function does when it is started outside AWS Lambda
//! (no `AWS_LAMBDA_RUNTIME_API` in the environment).
//!
//! ```text
//! my-function [FILE ...]                one event per file
//! my-function [-]                       JSON Lines on stdin, one event per line
//! my-function --samples                 replay the sample events given to `Pool::samples`
//! my-function --lambda-config ARN       print the user pool's LambdaConfig for this function
//! my-function --template [--senders-function KIND,...]
//!                                       print a CloudFormation template deploying it
//! my-function --help
//! ```
//!
//! For each event it writes exactly one line to stdout: the answer Cognito would get (the
//! whole event, on one line), or `{"errorType":"…","errorMessage":"…"}`. The exit status is
//! 0 when every event was answered, 1 otherwise (2 for a usage error). Started from a
//! terminal without arguments, it replays the samples. It never panics, whatever the input:
//! a handler's panic is an error line like any other failure.

use std::ffi::OsString;
use std::io::{BufRead as _, IsTerminal as _, Write as _};

use serde_json::Value;

use crate::event::RawEvent;
use crate::handler::Context;
use crate::invoke::InvocationError;
use crate::pool::Pool;
use crate::table::TriggerKind;

const USAGE: &str = "\
usage: FUNCTION [FILE ...]            answer the event in each file (a JSON document)
       FUNCTION [-]                   answer JSON Lines on stdin, one event per line
       FUNCTION --samples             replay the sample events given to Pool::samples
       FUNCTION --lambda-config ARN   print the user pool's LambdaConfig for this function
       FUNCTION --template [--senders-function KIND,...]
                                      print a CloudFormation template that deploys this
                                      function and wires it to a user pool; with
                                      --senders-function, the custom sender triggers named
                                      (as #[cognito_trigger] names them) run in a second
                                      function of their own

Outside AWS Lambda (no AWS_LAMBDA_RUNTIME_API), each event gets exactly one line on stdout:
the answer Cognito would get, or {\"errorType\":...,\"errorMessage\":...}. Exit status 0 when
every event was answered, 1 otherwise.";

/// What the command line asks for.
#[derive(Debug, PartialEq)]
enum Mode {
    Help,
    LambdaConfig(String),
    /// A CloudFormation template; the custom senders named run in a function of their own.
    Template {
        senders_function: Vec<TriggerKind>,
    },
    Samples,
    Events(Vec<Input>),
}

#[derive(Debug, PartialEq)]
enum Input {
    File(OsString),
    Stdin,
}

/// Runs the local mode for `pool` and returns the process exit status.
pub(crate) async fn run<S: Send + Sync + 'static>(pool: &Pool<S>) -> i32 {
    let stdin_is_terminal = std::io::stdin().is_terminal();
    let mut out = std::io::stdout().lock();
    run_with(
        pool,
        std::env::args_os().skip(1),
        stdin_is_terminal,
        &mut out,
    )
    .await
}

/// The local mode for the command line `args`, writing to `out`: the exit status.
async fn run_with<S: Send + Sync + 'static>(
    pool: &Pool<S>,
    args: impl Iterator<Item = OsString>,
    stdin_is_terminal: bool,
    out: &mut impl std::io::Write,
) -> i32 {
    let mode = match parse_args(args, stdin_is_terminal, !pool.sample_events().is_empty()) {
        Ok(mode) => mode,
        Err(problem) => {
            let _ = writeln!(std::io::stderr(), "{problem}\n\n{USAGE}");
            return 2;
        }
    };
    // Only events need the pool's state: a state built on demand
    // (`Pool::with_state_from`) is not built for the help, the LambdaConfig or the template.
    match mode {
        Mode::Help => {
            let _ = writeln!(out, "{USAGE}");
            0
        }
        Mode::LambdaConfig(arn) => {
            let config = pool.lambda_config(&arn);
            let _ = writeln!(
                out,
                "{}",
                serde_json::to_string_pretty(&config).unwrap_or_default()
            );
            0
        }
        Mode::Template { senders_function } => {
            let template = pool.cloudformation().senders_function(senders_function);
            let _ = writeln!(
                out,
                "{}",
                serde_json::to_string_pretty(&template.to_json()).unwrap_or_default()
            );
            0
        }
        Mode::Samples => {
            let built = build_state(pool).await;
            replay_samples(pool, out).await.max(i32::from(!built))
        }
        Mode::Events(inputs) => {
            let built = build_state(pool).await;
            answer_events(pool, inputs, out)
                .await
                .max(i32::from(!built))
        }
    }
}

/// Builds the pool's state before the first event; when that fails, logs why, once, and
/// returns false (every event then gets an internal error).
async fn build_state<S: Send + Sync + 'static>(pool: &Pool<S>) -> bool {
    match pool.build_state().await {
        Ok(_) => true,
        Err(error) => {
            tracing::error!("{error}; every event is answered with an internal error");
            false
        }
    }
}

fn parse_args(
    args: impl Iterator<Item = OsString>,
    stdin_is_terminal: bool,
    has_samples: bool,
) -> Result<Mode, String> {
    let mut args = args.peekable();
    let mut inputs = Vec::new();
    let mut template = false;
    let mut senders_function = None;
    while let Some(arg) = args.next() {
        match arg.to_str() {
            Some("-h" | "--help") => return Ok(Mode::Help),
            Some("--template") => template = true,
            Some("--senders-function") => {
                let names = args.next().and_then(|names| names.into_string().ok());
                senders_function = Some(parse_senders(names.as_deref().unwrap_or_default())?);
            }
            Some(flag) if flag.starts_with("--senders-function=") => {
                senders_function = Some(parse_senders(&flag["--senders-function=".len()..])?);
            }
            Some("--samples") if has_samples => return Ok(Mode::Samples),
            Some("--samples") => {
                return Err(
                    "this function has no sample events (register them with Pool::samples)"
                        .to_owned(),
                );
            }
            Some("--lambda-config") => {
                return match args.next().and_then(|arn| arn.into_string().ok()) {
                    Some(arn) if !arn.starts_with('-') => {
                        function_arn(&arn).map(|()| Mode::LambdaConfig(arn))
                    }
                    _ => Err("--lambda-config needs the function's ARN".to_owned()),
                };
            }
            Some(flag) if flag.starts_with("--lambda-config=") => {
                let arn = &flag["--lambda-config=".len()..];
                return function_arn(arn).map(|()| Mode::LambdaConfig(arn.to_owned()));
            }
            Some("-") => inputs.push(Input::Stdin),
            Some(flag) if flag.starts_with('-') => return Err(format!("unknown option {flag}")),
            _ => inputs.push(Input::File(arg)),
        }
    }
    match (template, senders_function) {
        (true, senders) if inputs.is_empty() => {
            return Ok(Mode::Template {
                senders_function: senders.unwrap_or_default(),
            });
        }
        (true, _) => return Err("--template takes no event files".to_owned()),
        (false, Some(_)) => return Err("--senders-function goes with --template".to_owned()),
        (false, None) => {}
    }
    Ok(match (inputs.is_empty(), stdin_is_terminal, has_samples) {
        (false, _, _) => Mode::Events(inputs),
        (true, false, _) => Mode::Events(vec![Input::Stdin]),
        (true, true, true) => Mode::Samples,
        (true, true, false) => Mode::Help,
    })
}

/// The custom sender triggers named in `names` (comma-separated marker names, such as
/// `CustomEmailSender,CustomSmsSender`).
fn parse_senders(names: &str) -> Result<Vec<TriggerKind>, String> {
    let senders = || TriggerKind::ALL.iter().filter(|kind| kind.needs_kms_key());
    let expected = || {
        let names: Vec<&str> = senders().map(|kind| kind.marker_name()).collect();
        format!(
            "--senders-function takes custom sender triggers, comma-separated: {}",
            names.join(", ")
        )
    };
    let mut kinds = Vec::new();
    for name in names.split(',').map(str::trim) {
        let kind = senders()
            .find(|kind| kind.marker_name().eq_ignore_ascii_case(name))
            .ok_or_else(|| format!("{}; not `{name}`", expected()))?;
        kinds.push(*kind);
    }
    Ok(kinds)
}

async fn answer_events<S: Send + Sync + 'static>(
    pool: &Pool<S>,
    inputs: Vec<Input>,
    out: &mut impl std::io::Write,
) -> i32 {
    let mut failed = false;
    let mut number = 0;
    for input in inputs {
        match input {
            Input::File(path) => {
                number += 1;
                let answer = match std::fs::read(&path) {
                    Ok(bytes) => answer_one(pool, &bytes, number).await,
                    Err(error) => Err(InvocationError::new(
                        "UnreadableInput",
                        format!(
                            "cannot read {}: {error}",
                            std::path::Path::new(&path).display()
                        ),
                    )),
                };
                failed |= write_answer(out, answer);
            }
            Input::Stdin => {
                for line in std::io::stdin().lock().split(b'\n') {
                    let answer = match line {
                        Ok(line) if line.iter().all(u8::is_ascii_whitespace) => continue,
                        Ok(line) => {
                            number += 1;
                            answer_one(pool, &line, number).await
                        }
                        Err(error) => Err(InvocationError::new(
                            "UnreadableInput",
                            format!("cannot read stdin: {error}"),
                        )),
                    };
                    failed |= write_answer(out, answer);
                }
            }
        }
    }
    i32::from(failed)
}

async fn answer_one<S: Send + Sync + 'static>(
    pool: &Pool<S>,
    event: &[u8],
    number: usize,
) -> Result<Vec<u8>, InvocationError> {
    let context = Context::new(format!("local-{number}")).with_budget(pool.budget_of());
    pool.invoke(event, &context).await
}

/// Writes one line for one event; returns whether it was a failure.
fn write_answer(out: &mut impl std::io::Write, answer: Result<Vec<u8>, InvocationError>) -> bool {
    let (line, failed) = match answer {
        Ok(bytes) => (one_line(&bytes), false),
        Err(error) => (error.to_json().into_bytes(), true),
    };
    let _ = out.write_all(&line).and_then(|()| out.write_all(b"\n"));
    failed
}

/// The JSON in `bytes` without the whitespace between tokens, so it fits on one line.
/// (The answer keeps the input's bytes, and an event file may be pretty-printed.)
fn one_line(bytes: &[u8]) -> Vec<u8> {
    let mut compact = Vec::with_capacity(bytes.len());
    let (mut in_string, mut escaped) = (false, false);
    for &byte in bytes {
        if in_string {
            compact.push(byte);
            match (escaped, byte) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_string = false,
                _ => {}
            }
        } else if !byte.is_ascii_whitespace() {
            in_string = byte == b'"';
            compact.push(byte);
        }
    }
    compact
}

// ---------------------------------------------------------------------------------------
// The sample report

async fn replay_samples<S: Send + Sync + 'static>(
    pool: &Pool<S>,
    out: &mut impl std::io::Write,
) -> i32 {
    let samples = pool.sample_events();
    let _ = writeln!(
        out,
        "{:<31} {:<46} {:<10} what the handler changed",
        "trigger", "triggerSource", "outcome"
    );
    let (mut changed, mut unchanged, mut rejected, mut failed) = (0, 0, 0, 0);
    for (number, (name, event)) in samples.iter().enumerate() {
        let input: Value = serde_json::from_slice(event).unwrap_or(Value::Null);
        let source = input["triggerSource"].as_str().unwrap_or(name);
        // The envelope says which trigger; decoding the whole event here would link the
        // decoder of every trigger into every binary.
        let kind = RawEvent::parse(event)
            .ok()
            .and_then(|raw| raw.kind().ok().flatten());
        let served = pool.handler_for(kind, source).is_some();
        let trigger = kind.map_or("(unknown trigger)", TriggerKind::name);
        let (outcome, detail) = match answer_one(pool, event, number + 1).await {
            Ok(answer) => {
                let output: Value = serde_json::from_slice(&answer).unwrap_or(Value::Null);
                let changes = describe_changes(&input["response"], &output["response"]);
                if !served {
                    unchanged += 1;
                    (
                        "defaults",
                        "(not handled here: Cognito's defaults)".to_owned(),
                    )
                } else if changes.is_empty() {
                    unchanged += 1;
                    ("defaults", "(Cognito's defaults)".to_owned())
                } else {
                    changed += 1;
                    ("answered", changes.join("; "))
                }
            }
            Err(error)
                if error.error_type() == "Rejected" || error.error_type() == "UnhandledTrigger" =>
            {
                rejected += 1;
                ("rejected", error.error_message().to_owned())
            }
            Err(error) => {
                failed += 1;
                (
                    "FAILED",
                    format!("{}: {}", error.error_type(), error.error_message()),
                )
            }
        };
        let _ = writeln!(out, "{trigger:<31} {source:<46} {outcome:<10} {detail}");
    }
    let _ = writeln!(
        out,
        "\n{} sample events: {changed} answered, {unchanged} left to Cognito's defaults, {rejected} rejected, {failed} failed",
        samples.len()
    );
    i32::from(failed > 0)
}

/// Response fields that hold secrets (a challenge's expected answer): their values are
/// not shown in the report.
const SECRET_FIELDS: &[&str] = &["privateChallengeParameters"];

/// `field: before → after` for each response field the handler changed.
fn describe_changes(before: &Value, after: &Value) -> Vec<String> {
    let empty = serde_json::Map::new();
    let before_fields = before.as_object().unwrap_or(&empty);
    let after_fields = after.as_object().unwrap_or(&empty);
    after_fields
        .iter()
        .filter(|(key, value)| before_fields.get(*key) != Some(*value))
        .map(|(key, value)| {
            let shown = if SECRET_FIELDS.contains(&key.as_str()) {
                "[redacted]".to_owned()
            } else {
                value.to_string()
            };
            match before_fields.get(key) {
                Some(old) => format!("{key}: {old} → {shown}"),
                None => format!("{key}: {shown}"),
            }
        })
        .collect()
}

/// Checks that `arn` is a Lambda function's ARN, as `LambdaConfig` needs it:
/// `arn:<partition>:lambda:<region>:<account>:function:<name>[:<version or alias>]`.
fn function_arn(arn: &str) -> Result<(), String> {
    let parts: Vec<&str> = arn.split(':').collect();
    let word = |part: &str| {
        !part.is_empty()
            && part
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    };
    let well_formed = matches!(parts.len(), 7 | 8)
        && parts[0] == "arn"
        && parts[1].starts_with("aws")
        && parts[2] == "lambda"
        && word(parts[3])
        && parts[4].len() == 12
        && parts[4].chars().all(|c| c.is_ascii_digit())
        && parts[5] == "function"
        && word(parts[6])
        && parts[6].len() <= 64
        && parts.get(7).is_none_or(|qualifier| word(qualifier));
    if well_formed {
        Ok(())
    } else {
        Err(format!(
            "{} is not a Lambda function ARN \
             (arn:aws:lambda:REGION:ACCOUNT:function:NAME)",
            crate::error::quote(arn)
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> impl Iterator<Item = OsString> {
        list.iter()
            .map(OsString::from)
            .collect::<Vec<_>>()
            .into_iter()
    }

    #[test]
    fn command_lines() {
        assert_eq!(
            parse_args(args(&[]), false, true),
            Ok(Mode::Events(vec![Input::Stdin]))
        );
        assert_eq!(parse_args(args(&[]), true, true), Ok(Mode::Samples));
        assert_eq!(parse_args(args(&[]), true, false), Ok(Mode::Help));
        assert_eq!(
            parse_args(args(&["a.json", "-", "b.json"]), true, true),
            Ok(Mode::Events(vec![
                Input::File("a.json".into()),
                Input::Stdin,
                Input::File("b.json".into())
            ]))
        );
        let arn = "arn:aws:lambda:eu-west-1:123456789012:function:pool";
        assert_eq!(
            parse_args(args(&["--lambda-config", arn]), false, true),
            Ok(Mode::LambdaConfig(arn.into()))
        );
        let qualified = "arn:aws-cn:lambda:cn-north-1:123456789012:function:pool:live";
        assert_eq!(
            parse_args(
                args(&[&format!("--lambda-config={qualified}")]),
                false,
                true
            ),
            Ok(Mode::LambdaConfig(qualified.into()))
        );
        for malformed in [
            "arn:x",
            "arn:aws:lambda:eu-west-1:1234:function:pool",
            "arn:aws:s3:eu-west-1:123456789012:function:pool",
            "arn:aws:lambda:eu-west-1:123456789012:layer:pool",
            "arn:aws:lambda:eu-west-1:123456789012:function:",
            "arn:aws:lambda:eu-west-1:123456789012:function:a b",
        ] {
            let error = parse_args(args(&["--lambda-config", malformed]), false, true);
            assert!(
                error
                    .as_ref()
                    .is_err_and(|e| e.contains("not a Lambda function ARN")),
                "{malformed}: {error:?}"
            );
        }
        assert!(parse_args(args(&["--lambda-config"]), false, true).is_err());
        assert!(parse_args(args(&["--frobnicate"]), false, true).is_err());
        assert!(parse_args(args(&["--samples"]), false, false).is_err());
    }

    #[test]
    fn template_command_lines() {
        assert_eq!(
            parse_args(args(&["--template"]), true, true),
            Ok(Mode::Template {
                senders_function: vec![]
            })
        );
        let both: Vec<TriggerKind> = TriggerKind::ALL
            .iter()
            .copied()
            .filter(|kind| kind.needs_kms_key())
            .collect();
        let names: Vec<&str> = both.iter().map(|kind| kind.marker_name()).collect();
        let expected = Ok(Mode::Template {
            senders_function: both.clone(),
        });
        let joined = names.join(",");
        assert_eq!(
            parse_args(
                args(&["--template", "--senders-function", &joined]),
                false,
                true
            ),
            expected
        );
        let flag = format!("--senders-function={}", names.join(" , ").to_lowercase());
        assert_eq!(
            parse_args(args(&[&flag, "--template"]), false, true),
            expected
        );
        let not_a_sender = parse_args(
            args(&["--template", "--senders-function", "PreSignUp"]),
            false,
            true,
        );
        assert!(
            not_a_sender
                .as_ref()
                .is_err_and(|e| e.contains(names[0]) && e.contains("`PreSignUp`")),
            "{not_a_sender:?}"
        );
        assert!(parse_args(args(&["--template", "--senders-function"]), false, true).is_err());
        assert!(parse_args(args(&["--senders-function", &joined]), false, true).is_err());
        assert!(parse_args(args(&["--template", "event.json"]), false, true).is_err());
    }

    /// A pool whose state is built on demand, counting the builds; `fail` makes them fail
    /// with an error whose text names a secret.
    fn deferred(
        fail: bool,
    ) -> (
        Pool<&'static str>,
        std::sync::Arc<std::sync::atomic::AtomicUsize>,
    ) {
        const SAMPLES: &[(&str, &[u8])] = &[
            (
                "sign-up",
                br#"{"version":"1","triggerSource":"PreSignUp_SignUp","request":{},"response":{}}"#,
            ),
            (
                "welcome",
                br#"{"version":"1","triggerSource":"PostConfirmation_ConfirmSignUp","request":{},"response":{}}"#,
            ),
        ];
        let builds = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let counted = builds.clone();
        let pool = Pool::with_state_from(move || async move {
            counted.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            if fail {
                Err("KEY_ARN is not set (s3cr3t-detail)")
            } else {
                Ok("state")
            }
        })
        .samples(SAMPLES);
        (pool, builds)
    }

    async fn run_args(pool: &Pool<&'static str>, list: &[&str]) -> (i32, String) {
        let mut out = Vec::new();
        let status = run_with(pool, args(list), false, &mut out).await;
        (status, String::from_utf8(out).unwrap_or_default())
    }

    #[tokio::test]
    async fn describing_the_function_builds_no_state() {
        let arn = "arn:aws:lambda:eu-west-1:123456789012:function:senders";
        for fail in [false, true] {
            let (pool, builds) = deferred(fail);
            for command in [
                &["--template"][..],
                &["--template", "--senders-function", "CustomEmailSender"],
                &["--lambda-config", arn],
                &["--help"],
            ] {
                let (status, out) = run_args(&pool, command).await;
                assert_eq!(status, 0, "{command:?}: {out}");
                assert!(!out.is_empty(), "{command:?}");
            }
            assert_eq!(builds.load(std::sync::atomic::Ordering::SeqCst), 0);
        }
    }

    #[tokio::test]
    async fn events_build_the_state_once() {
        let (pool, builds) = deferred(false);
        let (status, out) = run_args(&pool, &["--samples"]).await;
        assert_eq!(status, 0, "{out}");
        assert!(out.contains("2 sample events"), "{out}");
        assert_eq!(builds.load(std::sync::atomic::Ordering::SeqCst), 1);
        assert_eq!(*pool.state(), "state");
    }

    #[tokio::test]
    async fn a_state_that_cannot_be_built_fails_every_event_without_its_text() {
        let (pool, builds) = deferred(true);
        let (status, out) = run_args(&pool, &["--samples"]).await;
        assert_eq!(status, 1, "{out}");
        assert!(out.contains("0 answered"), "{out}");
        assert!(out.contains("2 failed"), "{out}");
        assert_eq!(
            out.matches("InternalError: An internal error occurred (reference local-")
                .count(),
            2,
            "{out}"
        );
        assert!(!out.contains("s3cr3t") && !out.contains("KEY_ARN"), "{out}");
        assert_eq!(builds.load(std::sync::atomic::Ordering::SeqCst), 1);
    }

    #[test]
    fn one_line_keeps_strings_intact() {
        let pretty = b"{\n  \"a\": \"x  y\\\" \\n }\",\n  \"b\" : [ 1 , 2 ]\n}";
        assert_eq!(
            one_line(pretty),
            br#"{"a":"x  y\" \n }","b":[1,2]}"#.to_vec()
        );
    }
}
