//! User migration from the legacy user store (see [`crate::store`]).

use cognito_trigger::{
    Context, FinalUserStatus, TriggerError, UserMigrationEvent, UserMigrationResponse,
    UserMigrationSource, cognito_trigger,
};

use crate::App;
use crate::store::{LegacyUser, time_left};

/// Moves a user from the legacy store on their first sign-in (when the password they
/// typed matches the stored Argon2 hash) or password reset; anyone else gets the same
/// answer as a wrong password, after the same work (an unknown username is checked
/// against a stand-in hash). The password is never logged. Legacy usernames are stored in
/// lower case.
///
/// A legacy store that fails or is too slow is an internal failure: logged, and the user
/// sees Cognito's generic error, never the store's.
///
/// # Errors
/// A rejection for an unknown user or a wrong password; an internal failure when the
/// legacy store cannot be read.
#[cognito_trigger(UserMigration)]
pub async fn migrate_user(
    event: &UserMigrationEvent<'_>,
    app: &App,
    context: &Context,
) -> Result<UserMigrationResponse, TriggerError> {
    let refused = || TriggerError::reject("Incorrect username or password.");
    let user = app
        .store
        .legacy_user(&event.user_name, time_left(context))
        .await?;
    if event.trigger_source == UserMigrationSource::Authentication {
        let typed = event.request.password.as_ref().map_or("", |p| p.expose());
        let matches = LegacyUser::check(user.as_ref(), typed, time_left(context)).await?;
        if typed.is_empty() || !matches {
            return Err(refused());
        }
    }
    let user = user.ok_or_else(refused)?;
    let mut response = UserMigrationResponse::new()
        .attribute("name", user.name.clone())
        .suppress_welcome_message();
    // The legacy store's address, verified there; a user without one resets by username.
    if let Some(email) = &user.email {
        response = response
            .attribute("email", email.clone())
            .attribute("email_verified", "true");
    }
    match event.trigger_source {
        UserMigrationSource::Authentication => Ok(response.status(FinalUserStatus::Confirmed)),
        // A reset needs a verified address to send the code to; the user then sets a password.
        _ => Ok(response.status(FinalUserStatus::ResetRequired)),
    }
}
