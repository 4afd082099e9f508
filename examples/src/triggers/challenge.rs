//! A passwordless sign-in with a one-time code by email: define, create and verify auth
//! challenge working together.

use cognito_trigger::{
    ChallengeName, CreateAuthChallengeEvent, CreateAuthChallengeResponse, DefineAuthChallengeEvent,
    DefineAuthChallengeResponse, TriggerError, VerifyAuthChallengeResponseEvent,
    VerifyAuthChallengeResponseResponse, cognito_trigger,
};

use crate::app::mask_email;

/// How many codes a user may try before the sign-in fails.
const MAX_ATTEMPTS: usize = 3;

/// Asks for a code until one is right (tokens), or the attempts run out (failure).
#[cognito_trigger(DefineAuthChallenge)]
pub fn define_auth_challenge(event: &DefineAuthChallengeEvent<'_>) -> DefineAuthChallengeResponse {
    let request = &event.request;
    if request
        .last_challenge()
        .is_some_and(|step| step.passed(&ChallengeName::CustomChallenge))
    {
        DefineAuthChallengeResponse::succeed()
    } else if request.custom_challenge_attempts() >= MAX_ATTEMPTS {
        DefineAuthChallengeResponse::fail()
    } else {
        // Unknown users (PreventUserExistenceErrors) get a challenge too, so the client
        // cannot tell; they will never answer it right.
        DefineAuthChallengeResponse::next_challenge(ChallengeName::CustomChallenge)
    }
}

/// Creates a fresh six-digit code, sends it by email, and tells the client where it went.
///
/// # Errors
/// An internal failure when no random number is available.
#[cognito_trigger(CreateAuthChallenge)]
pub fn create_auth_challenge(
    event: &CreateAuthChallengeEvent<'_>,
) -> Result<CreateAuthChallengeResponse, TriggerError> {
    let email = event
        .request
        .user_attributes
        .get("email")
        .unwrap_or_default();
    let code = one_time_code()?;
    // A real function hands the code to SES here. The log names the address, never the code.
    tracing::info!(to = %mask_email(email), "sending a sign-in code");
    Ok(CreateAuthChallengeResponse::new()
        .public_parameter("deliveredTo", mask_email(email))
        .private_parameter("code", code)
        .metadata("EMAIL_CODE"))
}

/// Checks the client's answer against the code create auth challenge kept.
#[cognito_trigger(VerifyAuthChallengeResponse)]
pub fn verify_auth_challenge(
    event: &VerifyAuthChallengeResponseEvent<'_>,
) -> VerifyAuthChallengeResponseResponse {
    let expected = event.request.private_challenge_parameters.get("code");
    let answer = event.request.challenge_answer.trim();
    VerifyAuthChallengeResponseResponse::answer(expected.is_some_and(|code| code == answer))
}

/// A six-digit code from the operating system's random number generator.
fn one_time_code() -> Result<String, TriggerError> {
    let mut bytes = [0u8; 8];
    getrandom::fill(&mut bytes)
        .map_err(|e| TriggerError::internal(format!("no randomness: {e}")))?;
    Ok(format!("{:06}", u64::from_le_bytes(bytes) % 1_000_000))
}
