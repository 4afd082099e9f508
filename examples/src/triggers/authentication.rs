//! Pre authentication (blocking) and post authentication (auditing).

use cognito_trigger::{
    Context, PostAuthenticationEvent, PreAuthenticationEvent, Reject, cognito_trigger,
};

use crate::App;
use crate::store::time_left;

/// Refuses sign-in to users on the store's deny list (by `sub`, email address or username:
/// in a pool that signs in by email, the username Cognito sends is a UUID), and to users
/// whose `custom:blocked` attribute is true.
///
/// Fails closed: when the deny list cannot be read in time, nobody signs in, with a
/// message the user may read (a denied user must not slip through an outage).
///
/// # Errors
/// A rejection for a denied user, or while the deny list cannot be read.
#[cognito_trigger(PreAuthentication)]
pub async fn pre_authentication(
    event: &PreAuthenticationEvent<'_>,
    app: &App,
    context: &Context,
) -> Result<(), Reject> {
    let attributes = &event.request.user_attributes;
    if attributes.is_true("custom:blocked") {
        return Err(Reject::new("This account is blocked. Contact support."));
    }
    let identities = [
        attributes.get("sub").unwrap_or_default(),
        attributes.get("email").unwrap_or_default(),
        &event.user_name,
    ];
    match app.store.is_denied(&identities, time_left(context)).await {
        Ok(false) => Ok(()),
        Ok(true) => Err(Reject::new("This account is blocked. Contact support.")),
        Err(error) => {
            tracing::error!(%error, "deny list unavailable; sign-in refused");
            Err(Reject::new(
                "Sign-in is unavailable right now. Try again in a few minutes.",
            ))
        }
    }
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
