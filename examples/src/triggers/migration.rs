//! User migration from a legacy store.

use cognito_trigger::{
    FinalUserStatus, TriggerError, UserMigrationEvent, UserMigrationResponse, UserMigrationSource,
    cognito_trigger,
};

use crate::App;

/// Moves a user from the legacy store on their first sign-in (checking the password they
/// typed) or password reset; anyone else gets the same answer as a wrong password.
///
/// # Errors
/// A rejection for an unknown user or a wrong password.
#[cognito_trigger(UserMigration)]
pub async fn migrate_user(
    event: &UserMigrationEvent<'_>,
    app: &App,
) -> Result<UserMigrationResponse, TriggerError> {
    let refused = || TriggerError::reject("Incorrect username or password.");
    let user = app
        .legacy_users
        .get(&event.user_name.to_ascii_lowercase())
        .ok_or_else(refused)?;
    let response = UserMigrationResponse::new()
        .attribute("email", event.user_name.to_string())
        .attribute("email_verified", "true")
        .attribute("name", user.name.clone())
        .suppress_welcome_message();
    match event.trigger_source {
        UserMigrationSource::Authentication => {
            let typed = event.request.password.as_ref().map(|p| p.expose());
            if typed != Some(user.password.as_str()) {
                return Err(refused());
            }
            Ok(response.status(FinalUserStatus::Confirmed))
        }
        // A reset needs a verified address to send the code to; the user then sets a password.
        _ => Ok(response.status(FinalUserStatus::ResetRequired)),
    }
}
