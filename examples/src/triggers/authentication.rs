//! Pre authentication (blocking) and post authentication (auditing).

use cognito_trigger::{
    Context, PostAuthenticationEvent, PreAuthenticationEvent, Reject, cognito_trigger,
};

use crate::App;

/// Refuses sign-in to blocked users, by username or by the `custom:blocked` attribute.
///
/// # Errors
/// A rejection for a blocked user.
#[cognito_trigger(PreAuthentication)]
pub fn pre_authentication(event: &PreAuthenticationEvent<'_>, app: &App) -> Result<(), Reject> {
    let email = event
        .request
        .user_attributes
        .get("email")
        .unwrap_or_default();
    if app.blocked_users.contains(&*event.user_name)
        || app.blocked_users.contains(email)
        || event.request.user_attributes.is_true("custom:blocked")
    {
        return Err(Reject::new("This account is blocked. Contact support."));
    }
    Ok(())
}

/// Records each successful sign-in, with the Lambda request ID for correlation.
#[cognito_trigger(PostAuthentication)]
pub async fn post_authentication(event: &PostAuthenticationEvent<'_>, context: &Context) {
    tracing::info!(
        sub = event.request.user_attributes.get("sub").unwrap_or_default(),
        new_device = event.request.new_device_used.unwrap_or(false),
        request_id = context.request_id(),
        "signed in"
    );
}
