//! The smallest user crate: one pre sign-up handler, written as the README shows. The
//! benchmarks build it clean, like the baseline crate, to weigh what this runtime adds to a
//! user's build.

use cognito_trigger::{PreSignUpEvent, PreSignUpResponse, Reject, cognito_trigger, handler};

/// Confirms company addresses, refuses the rest.
#[cognito_trigger(PreSignUp)]
fn sign_up(event: &PreSignUpEvent<'_>) -> Result<PreSignUpResponse, Reject> {
    match event.request.user_attributes.get("email") {
        Some(email) if email.ends_with("@example.com") => {
            Ok(PreSignUpResponse::new().confirm_user())
        }
        _ => Err(Reject::new(
            "Sign-up is open to example.com addresses only.",
        )),
    }
}

#[tokio::main]
async fn main() -> Result<(), cognito_trigger::lambda_runtime::Error> {
    cognito_trigger::run(handler!(sign_up)).await
}
