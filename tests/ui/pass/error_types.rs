// Every error type a Lambda developer already uses works as a handler's error.
use cognito_trigger::{
    cognito_trigger, PostAuthenticationEvent, PreAuthenticationEvent, PreSignUpEvent,
    PreSignUpResponse, Reject, TriggerError,
};

#[cognito_trigger(PreSignUp)]
fn with_anyhow(_event: &PreSignUpEvent<'_>) -> Result<PreSignUpResponse, anyhow::Error> {
    anyhow::bail!("directory down")
}

#[cognito_trigger(PreAuthentication)]
fn with_a_box(_event: &PreAuthenticationEvent<'_>) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    Err(Box::new(Reject::new("Account locked")))
}

#[derive(Debug, thiserror::Error)]
enum DirectoryError {
    #[error("directory lookup failed")]
    Lookup(#[source] std::io::Error),
}

#[cognito_trigger(PostAuthentication)]
async fn with_thiserror(_event: &PostAuthenticationEvent<'_>) -> Result<(), DirectoryError> {
    Err(DirectoryError::Lookup(std::io::Error::other("timeout")))
}

#[cognito_trigger(PreSignUp)]
fn with_io(_event: &PreSignUpEvent<'_>) -> Result<(), std::io::Error> {
    Ok(())
}

#[cognito_trigger(PreAuthentication)]
fn with_trigger_error(_event: &PreAuthenticationEvent<'_>) -> Result<(), TriggerError> {
    Err(TriggerError::reject("Account locked"))
}

fn main() {
    let _ = (
        cognito_trigger::handler!(with_anyhow),
        cognito_trigger::handler!(with_a_box),
        cognito_trigger::handler!(with_thiserror),
        cognito_trigger::handler!(with_io),
        cognito_trigger::handler!(with_trigger_error),
    );
}
