//! User migration from the legacy user store (see [`crate::store`]).

use cognito_trigger::{
    Context, FinalUserStatus, TriggerError, UserMigrationEvent, UserMigrationResponse,
    UserMigrationSource, cognito_trigger,
};

use crate::App;
use crate::store::time_left;

/// Moves a user from the legacy store on their first sign-in (when the password they
/// typed matches the stored Argon2 hash) or password reset; anyone else gets the same
/// answer as a wrong password. The password is never logged.
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
        .await?
        .ok_or_else(refused)?;
    let response = UserMigrationResponse::new()
        .attribute("email", event.user_name.to_string())
        .attribute("email_verified", "true")
        .attribute("name", user.name.clone())
        .suppress_welcome_message();
    match event.trigger_source {
        UserMigrationSource::Authentication => {
            let typed = event.request.password.as_ref().map_or("", |p| p.expose());
            if typed.is_empty() || !user.verify(typed).await {
                return Err(refused());
            }
            Ok(response.status(FinalUserStatus::Confirmed))
        }
        // A reset needs a verified address to send the code to; the user then sets a password.
        _ => Ok(response.status(FinalUserStatus::ResetRequired)),
    }
}
