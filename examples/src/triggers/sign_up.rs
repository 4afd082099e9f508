//! Pre sign-up (a domain allow-list that auto-confirms) and post confirmation (the user's
//! profile in the store, the default group).

use std::time::{SystemTime, UNIX_EPOCH};

use cognito_trigger::{
    Context, PostConfirmationEvent, PreSignUpEvent, PreSignUpResponse, PreSignUpSource, Reject,
    cognito_trigger,
};

use crate::App;
use crate::store::{Created, Entitlements, Profile, time_left};

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

/// Writes the user's profile (once: a confirmation Cognito delivers twice neither
/// duplicates nor overwrites it) and adds the user to the default group, if one is
/// configured. Also after a password reset: a user migrated by a reset is confirmed there,
/// and for anyone else the conditional write changes nothing. The profile starts on the
/// free tier with no tenant and no roles: an operator grants them (an email domain proves
/// no membership). Users confirmed otherwise (created by an administrator, migrated at
/// sign-in) have no profile, and their tokens carry the defaults.
///
/// A store that fails is logged as an error and the confirmation still succeeds: the user
/// is confirmed whatever this trigger answers, and a failure would only show them an
/// error. Without a profile, tokens carry the default entitlements until an operator
/// fixes it.
#[cognito_trigger(PostConfirmation)]
pub async fn post_confirmation(event: &PostConfirmationEvent<'_>, app: &App, context: &Context) {
    let attributes = &event.request.user_attributes;
    let Some(sub) = attributes.get("sub") else {
        tracing::error!("the confirmed user has no sub; no profile written");
        return;
    };
    let profile = Profile {
        sub: sub.to_owned(),
        username: event.user_name.to_string(),
        email: attributes.get("email").unwrap_or_default().to_owned(),
        created_at: SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |since| since.as_secs()),
        entitlements: Entitlements::default(),
    };
    match app.store.create_profile(&profile, time_left(context)).await {
        Ok(Created::Now) => tracing::info!(sub, "profile created"),
        Ok(Created::Before) => tracing::info!(sub, "profile exists already"),
        Err(error) => tracing::error!(sub, %error, "profile not created"),
    }
    if let Some(group) = app.store.default_group() {
        let added = app
            .store
            .add_to_group(
                &event.user_pool_id,
                &event.user_name,
                group,
                time_left(context),
            )
            .await;
        if let Err(error) = added {
            tracing::error!(sub, group, %error, "not added to the default group");
        }
    }
}
