//! The framework as the part that never fails: Cognito's deadline and the timeout policies,
//! oversized and over-nested input, and logs that carry the invocation's context but never
//! its secrets.

// Test code: a panic with the value is the clearest failure.
#![allow(clippy::unwrap_used)]

use std::io::Write as _;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use cognito_trigger::*;
use serde_json::Value;

fn event(source: &str, request: &str) -> Vec<u8> {
    format!(
        r#"{{"version":"1","triggerSource":"{source}","region":"eu-west-1","userPoolId":"eu-west-1_Pool42",
        "userName":"ada","callerContext":{{"awsSdkVersion":"x","clientId":"client-7"}},"request":{request},"response":{{}}}}"#
    )
    .into_bytes()
}

const SLOW: Duration = Duration::from_secs(3);
const BUDGET: Duration = Duration::from_millis(100);

#[cognito_trigger(PreSignUp)]
async fn slow_sign_up(_event: &PreSignUpEvent<'_>) -> PreSignUpResponse {
    tokio::time::sleep(SLOW).await;
    PreSignUpResponse::new().confirm_user()
}

#[cognito_trigger(PreSignUp, on_timeout = fail_open)]
async fn slow_sign_up_open(_event: &PreSignUpEvent<'_>) -> PreSignUpResponse {
    tokio::time::sleep(SLOW).await;
    PreSignUpResponse::new().confirm_user()
}

#[cognito_trigger(PostConfirmation)]
async fn slow_welcome(_event: &PostConfirmationEvent<'_>) {
    tokio::time::sleep(SLOW).await;
}

#[cognito_trigger(PostConfirmation, on_timeout = fail_closed)]
async fn slow_welcome_closed(_event: &PostConfirmationEvent<'_>) {
    tokio::time::sleep(SLOW).await;
}

async fn with_budget<S: Send + Sync + 'static>(
    pool: Pool<S>,
    event: &[u8],
) -> (Result<Vec<u8>, InvocationError>, Duration) {
    let started = Instant::now();
    let answer = pool
        .budget(BUDGET)
        .invoke(event, &Context::new("slow-1"))
        .await;
    (answer, started.elapsed())
}

#[tokio::test]
async fn an_overrunning_handler_is_cut_off_and_answered_by_its_policy() {
    let sign_up = event("PreSignUp_SignUp", "{}");
    let welcome = event("PostConfirmation_ConfirmSignUp", "{}");

    // Guarding access: fail closed, with a message for the user.
    let (answer, elapsed) =
        with_budget(Pool::new().handler(handler!(slow_sign_up)), &sign_up).await;
    let error = answer.unwrap_err();
    assert_eq!(
        (error.error_type(), error.error_message()),
        ("Timeout", "The request took too long. Please try again")
    );
    assert!(elapsed < SLOW, "not cut off: {elapsed:?}");

    // Observe-only: fail open, Cognito's defaults.
    let (answer, elapsed) =
        with_budget(Pool::new().handler(handler!(slow_welcome)), &welcome).await;
    assert_eq!(answer.unwrap(), welcome);
    assert!(elapsed < SLOW, "not cut off: {elapsed:?}");

    // Each default can be turned around per handler.
    let (answer, _) = with_budget(Pool::new().handler(handler!(slow_sign_up_open)), &sign_up).await;
    assert_eq!(answer.unwrap(), sign_up);
    let (answer, _) =
        with_budget(Pool::new().handler(handler!(slow_welcome_closed)), &welcome).await;
    assert_eq!(answer.unwrap_err().error_type(), "Timeout");
}

#[cognito_trigger(PreSignUp)]
async fn blocks_then_waits(_event: &PreSignUpEvent<'_>) -> PreSignUpResponse {
    // Work that blocks the thread past the deadline, then an await.
    std::thread::sleep(BUDGET * 2);
    tokio::task::yield_now().await;
    PreSignUpResponse::new().confirm_user()
}

#[tokio::test]
async fn a_handler_past_its_deadline_is_not_polled_again() {
    // Its answer would come after Cognito stopped waiting: the policy answers instead.
    let sign_up = event("PreSignUp_SignUp", "{}");
    let (answer, _) = with_budget(Pool::new().handler(handler!(blocks_then_waits)), &sign_up).await;
    assert_eq!(answer.unwrap_err().error_type(), "Timeout");
}

#[cognito_trigger(CustomEmailSender)]
async fn slow_sender(_event: &CustomEmailSenderEvent<'_>) {
    tokio::time::sleep(BUDGET * 3).await;
}

#[tokio::test]
async fn custom_senders_are_held_to_lambdas_deadline_not_cognitos() {
    // Cognito invokes the senders asynchronously (contract §3): its 5 seconds do not apply.
    let delivery = event(
        "CustomEmailSender_SignUp",
        r#"{"type":"customEmailSenderRequestV1","code":"AYADeHl0ZXN0","userAttributes":{}}"#,
    );
    let (answer, elapsed) =
        with_budget(Pool::new().handler(handler!(slow_sender)), &delivery).await;
    assert_eq!(answer.unwrap(), delivery);
    assert!(elapsed >= BUDGET * 3, "cut off early: {elapsed:?}");

    // Also when the context arrives with Cognito's budget already set, as `run` sets it.
    let pool = Pool::new().handler(handler!(slow_sender));
    let budgeted = Context::new("sender-2").with_budget(BUDGET);
    assert_eq!(pool.invoke(&delivery, &budgeted).await.unwrap(), delivery);

    // Lambda's own deadline still cuts it off, by its fail-closed default.
    let lambda = Context::new("sender-3").with_remaining(BUDGET);
    let error = pool.invoke(&delivery, &lambda).await.unwrap_err();
    assert_eq!(error.error_type(), "Timeout");
}

#[cognito_trigger(PreAuthentication)]
fn report_budget(
    _event: &PreAuthenticationEvent<'_>,
    context: &Context,
    seen: &Mutex<Option<Duration>>,
) {
    *seen.lock().unwrap() = context.remaining();
}

#[tokio::test]
async fn handlers_read_the_remaining_budget_the_earlier_of_cognitos_and_lambdas() {
    let seen = Mutex::new(None);
    let pool = Pool::with_state(seen).handler(handler!(report_budget));
    let sign_in = event("PreAuthentication_Authentication", "{}");

    pool.invoke(&sign_in, &Context::new("r")).await.unwrap();
    let remaining = pool.state().lock().unwrap().take().unwrap();
    assert!(
        remaining <= DEFAULT_BUDGET && remaining > DEFAULT_BUDGET / 2,
        "{remaining:?}"
    );

    // A Lambda deadline sooner than Cognito's budget wins.
    let lambda = Context::new("r").with_remaining(Duration::from_millis(300));
    pool.invoke(&sign_in, &lambda).await.unwrap();
    let remaining = pool.state().lock().unwrap().take().unwrap();
    assert!(remaining <= Duration::from_millis(300), "{remaining:?}");
}

#[cognito_trigger(PreSignUp)]
fn sign_up(_event: &PreSignUpEvent<'_>) {}

#[tokio::test]
async fn oversized_and_over_nested_events_are_refused_plainly() {
    let pool = Pool::new().handler(handler!(sign_up));
    let padding = "x".repeat(MAX_EVENT_BYTES);
    let oversized = event(
        "PreSignUp_SignUp",
        &format!(r#"{{"userAttributes":{{"bio":"{padding}"}}}}"#),
    );
    let error = pool
        .invoke(&oversized, &Context::new("r"))
        .await
        .unwrap_err();
    assert_eq!(error.error_type(), "InvalidEvent");
    assert_eq!(
        error.error_message(),
        format!(
            "the event is {} bytes, more than Lambda's limit of 6291456 bytes",
            oversized.len()
        )
    );

    let nested = event(
        "PreSignUp_SignUp",
        &format!("{{\"deep\":{}{}}}", "[".repeat(5_000), "]".repeat(5_000)),
    );
    let error = pool.invoke(&nested, &Context::new("r")).await.unwrap_err();
    assert_eq!(
        error.error_message(),
        "the event is nested deeper than any Cognito event"
    );
}

// ---------------------------------------------------------------------------------------
// Logs

/// Everything the subscriber writes, shared with the test.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().write(bytes)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for Captured {
    type Writer = Captured;
    fn make_writer(&'a self) -> Self::Writer {
        self.clone()
    }
}

const PASSWORD: &str = "hunter2-Migration-Pass";
const SMS_CODE: &str = "AYADeSMSCODEciphertext0123456789";
const TEMPORARY_PASSWORD_CODE: &str = "AYADeTEMPORARYpasswordBLOB987654";

#[cognito_trigger(UserMigration)]
fn careless_migration(
    event: &UserMigrationEvent<'_>,
) -> Result<UserMigrationResponse, TriggerError> {
    let password = event
        .request
        .password
        .as_ref()
        .map(|p| p.expose())
        .unwrap_or_default();
    // User code that puts the secret in its own error and rejection messages.
    match event.user_name.as_ref() {
        "reject" => Err(TriggerError::reject(format!(
            "password {password} is not accepted"
        ))),
        "fail" => Err(TriggerError::internal(format!(
            "legacy store refused login with {password}"
        ))),
        _ => Ok(UserMigrationResponse::new().attribute("email", "ada@example.com")),
    }
}

#[cognito_trigger(CustomSmsSender)]
fn careless_sender(event: &CustomSmsSenderEvent<'_>) {
    let code = event
        .request
        .code
        .as_ref()
        .map(|c| c.expose())
        .unwrap_or_default();
    tracing::debug!(?event, "the handler logs the whole event");
    if event.user_name == "fail" {
        panic!("could not decrypt {code}");
    }
}

#[cognito_trigger(CustomEmailSender)]
fn careless_email_sender(event: &CustomEmailSenderEvent<'_>) {
    tracing::info!(request = ?event.request, "sending");
}

#[test]
fn logs_carry_the_invocation_and_never_a_secret() {
    let captured = Captured::default();
    let subscriber = tracing_subscriber::fmt()
        .json()
        .with_max_level(tracing::Level::TRACE)
        .with_current_span(true)
        .with_writer(captured.clone())
        .finish();
    let pool = Pool::new()
        .handler(handler!(careless_migration))
        .handler(handler!(careless_sender))
        .handler(handler!(careless_email_sender));
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let migrate = |user: &str| {
        format!(
            r#"{{"version":"1","triggerSource":"UserMigration_Authentication","userPoolId":"eu-west-1_Pool42",
            "userName":"{user}","callerContext":{{"clientId":"client-7"}},"request":{{"password":"{PASSWORD}"}},"response":{{}}}}"#
        )
    };
    let sms = |user: &str| {
        format!(
            r#"{{"version":"1","triggerSource":"CustomSMSSender_AdminCreateUser","userPoolId":"eu-west-1_Pool42",
            "userName":"{user}","callerContext":{{"clientId":"client-7"}},"request":{{"type":"customSMSSenderRequestV1","code":"{SMS_CODE}"}}}}"#
        )
    };
    let email = format!(
        r#"{{"version":"1","triggerSource":"CustomEmailSender_AdminCreateUser","userPoolId":"eu-west-1_Pool42",
        "userName":"frank","callerContext":{{"clientId":"client-7"}},"request":{{"type":"customEmailSenderRequestV1","code":"{TEMPORARY_PASSWORD_CODE}"}}}}"#
    );
    let outcomes = tracing::subscriber::with_default(subscriber, || {
        runtime.block_on(async {
            let mut outcomes = Vec::new();
            for input in [
                migrate("ada"),
                migrate("reject"),
                migrate("fail"),
                sms("ada"),
                sms("fail"),
                email,
            ] {
                let answer = pool
                    .invoke(input.as_bytes(), &Context::new("req-secret-test"))
                    .await;
                outcomes.push(answer.map(|_| ()).map_err(|e| e.error_type()));
            }
            outcomes
        })
    });
    assert_eq!(
        outcomes,
        [
            Ok(()),
            Err("Rejected"),
            Err("InternalError"),
            Ok(()),
            Err("InternalError"),
            Ok(())
        ]
    );

    let logs = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    for secret in [PASSWORD, SMS_CODE, TEMPORARY_PASSWORD_CODE] {
        assert!(!logs.contains(secret), "a secret reached the logs:\n{logs}");
    }
    let lines: Vec<Value> = logs
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    let rejected = lines
        .iter()
        .find(|l| {
            l["fields"]["message"]
                .as_str()
                .is_some_and(|m| m.starts_with("rejected"))
        })
        .unwrap();
    assert_eq!(rejected["level"], "INFO");
    assert_eq!(
        rejected["fields"]["message"],
        "rejected: password [redacted] is not accepted"
    );
    let failures: Vec<&Value> = lines
        .iter()
        .filter(|l| l["fields"]["message"] == "internal failure")
        .collect();
    assert_eq!(failures.len(), 2, "{logs}");
    assert!(failures.iter().all(|l| l["level"] == "ERROR"));
    assert_eq!(
        failures[0]["fields"]["error"],
        "legacy store refused login with [redacted]"
    );
    assert_eq!(
        failures[1]["fields"]["error"],
        "handler panicked: could not decrypt [redacted]"
    );
    // Every line written during an invocation carries its context.
    let span = &failures[0]["span"];
    assert_eq!(span["trigger"], "user migration");
    assert_eq!(span["trigger_source"], "UserMigration_Authentication");
    assert_eq!(span["user_pool_id"], "eu-west-1_Pool42");
    assert_eq!(span["client_id"], "client-7");
    assert_eq!(span["request_id"], "req-secret-test");
    assert_eq!(span["handler"], "careless_migration");
    let handler_line = lines
        .iter()
        .find(|l| l["fields"]["message"] == "sending")
        .unwrap();
    assert_eq!(handler_line["span"]["handler"], "careless_email_sender");
    let _ = std::io::stdout().flush();
}
