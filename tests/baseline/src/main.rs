//! The benchmarks' baseline: a pre sign-up trigger as Rust users write one today, with
//! `lambda_runtime` and `aws_lambda_events`, making the same decision as the benchmark's
//! `cognito-trigger` handler (auto-confirm `@example.com` addresses).

use aws_lambda_events::event::cognito::CognitoEventUserPoolsPreSignup;
use lambda_runtime::{Error, LambdaEvent, service_fn};

async fn pre_sign_up(
    event: LambdaEvent<CognitoEventUserPoolsPreSignup>,
) -> Result<CognitoEventUserPoolsPreSignup, Error> {
    let mut event = event.payload;
    if event
        .request
        .user_attributes
        .get("email")
        .is_some_and(|email| email.ends_with("@example.com"))
    {
        event.response.auto_confirm_user = true;
    }
    Ok(event)
}

#[tokio::main]
async fn main() -> Result<(), Error> {
    // As `cargo lambda new` writes it, and as the pool logs: Lambda's log format.
    lambda_runtime::tracing::init_default_subscriber();
    lambda_runtime::run(service_fn(pre_sign_up)).await
}
