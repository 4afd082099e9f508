//! Any error type works as a handler's error, and a `Reject` anywhere in it is what the end
//! user reads: `anyhow::Error` (bare, with context, or a message), `Box<dyn Error>`, and
//! plain text, which is always an internal failure.

// A test's unwraps are its assertions.
#![allow(clippy::unwrap_used)]

use anyhow::Context as _;
use cognito_trigger::{PreSignUpEvent, Reject, cognito_trigger, handler, testing};

const SIGN_UP: &[u8] =
    br#"{"version":"1","triggerSource":"PreSignUp_SignUp","request":{"userAttributes":{}},"response":{}}"#;

#[cognito_trigger(PreSignUp)]
fn anyhow_reject(_event: &PreSignUpEvent<'_>) -> anyhow::Result<()> {
    Err(Reject::new("Sign-up is closed").into())
}

#[cognito_trigger(PreSignUp)]
fn anyhow_reject_with_context(_event: &PreSignUpEvent<'_>) -> anyhow::Result<()> {
    Err::<(), _>(Reject::new("Sign-up is closed")).context("checking the invitation list")
}

#[cognito_trigger(PreSignUp)]
fn anyhow_reject_as_context(event: &PreSignUpEvent<'_>) -> anyhow::Result<()> {
    let _email = event
        .request
        .user_attributes
        .get("email")
        .context(Reject::new("Sign-up is closed"))?;
    Ok(())
}

#[cognito_trigger(PreSignUp)]
fn anyhow_message(_event: &PreSignUpEvent<'_>) -> anyhow::Result<()> {
    anyhow::bail!("the directory is down")
}

#[cognito_trigger(PreSignUp)]
fn boxed_reject(
    _event: &PreSignUpEvent<'_>,
) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    Err(Box::new(Reject::new("Sign-up is closed")))
}

#[cognito_trigger(PreSignUp)]
fn text(_event: &PreSignUpEvent<'_>) -> Result<(), String> {
    Err("the directory is down".to_owned())
}

#[test]
fn a_reject_inside_anyhow_is_what_the_user_reads() {
    for error in [
        testing::answer(&handler!(anyhow_reject), &(), SIGN_UP).unwrap_err(),
        testing::answer(&handler!(anyhow_reject_with_context), &(), SIGN_UP).unwrap_err(),
        testing::answer(&handler!(anyhow_reject_as_context), &(), SIGN_UP).unwrap_err(),
        testing::answer(&handler!(boxed_reject), &(), SIGN_UP).unwrap_err(),
    ] {
        assert_eq!(error.error_type(), "Rejected");
        assert_eq!(error.error_message(), "Sign-up is closed");
    }
}

#[test]
fn anything_else_is_an_internal_failure_the_user_never_reads() {
    for error in [
        testing::answer(&handler!(anyhow_message), &(), SIGN_UP).unwrap_err(),
        testing::answer(&handler!(text), &(), SIGN_UP).unwrap_err(),
    ] {
        assert_eq!(error.error_type(), "InternalError");
        assert!(!error.error_message().contains("directory"), "{error}");
    }
}
