//! Pre sign-up (a domain allow-list that auto-confirms) and post confirmation.

use cognito_trigger::{
    PostConfirmationEvent, PreSignUpEvent, PreSignUpResponse, PreSignUpSource, Reject,
    cognito_trigger,
};

use crate::App;

/// Lets only allowed email domains sign up, and confirms the trusted ones without a code.
/// Federated users are confirmed by their provider already.
///
/// # Errors
/// A rejection for an address outside the allowed domains.
#[cognito_trigger(PreSignUp)]
pub fn pre_sign_up(event: &PreSignUpEvent<'_>, app: &App) -> Result<PreSignUpResponse, Reject> {
    if event.trigger_source == PreSignUpSource::ExternalProvider {
        return Ok(PreSignUpResponse::new());
    }
    let email = event
        .request
        .user_attributes
        .get("email")
        .unwrap_or_default();
    if !app.allows(email) {
        return Err(Reject::new("Sign-up is open to company addresses only."));
    }
    Ok(match event.trigger_source {
        // Cognito ignores auto-confirmation for admin-created users.
        PreSignUpSource::AdminCreateUser => PreSignUpResponse::new(),
        _ if app.auto_confirms(email) => PreSignUpResponse::new().confirm_user().verify_email(),
        _ => PreSignUpResponse::new(),
    })
}

/// Welcomes a confirmed user (here: a log line; in real life, a CRM record or an email).
#[cognito_trigger(PostConfirmation)]
pub async fn post_confirmation(event: &PostConfirmationEvent<'_>) {
    let sub = event
        .request
        .user_attributes
        .get("sub")
        .unwrap_or("(no sub)");
    tracing::info!(sub, source = %event.trigger_source, "user confirmed");
}
