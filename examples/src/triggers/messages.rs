//! Custom message: the text of every code and invitation, per source.

use cognito_trigger::{
    CustomMessageEvent, CustomMessageResponse, CustomMessageSource, cognito_trigger,
};

use crate::App;

/// Writes each message for its purpose. Email text is set only when the pool sends email
/// through SES (`App::custom_email`); SMS text always.
#[cognito_trigger(CustomMessage)]
pub fn custom_message(event: &CustomMessageEvent<'_>, app: &App) -> CustomMessageResponse {
    let code = &event.request.code_parameter;
    let (subject, text) = match &event.trigger_source {
        CustomMessageSource::SignUp | CustomMessageSource::ResendCode => (
            "Confirm your account",
            format!("Welcome! Your confirmation code is {code}."),
        ),
        CustomMessageSource::AdminCreateUser => {
            let username = event
                .request
                .username_parameter
                .as_deref()
                .unwrap_or("{username}");
            (
                "Your new account",
                format!("Sign in as {username} with the temporary password {code}."),
            )
        }
        CustomMessageSource::ForgotPassword => (
            "Reset your password",
            format!("Your password reset code is {code}."),
        ),
        CustomMessageSource::UpdateUserAttribute | CustomMessageSource::VerifyUserAttribute => (
            "Confirm your new address",
            format!("Your verification code is {code}."),
        ),
        CustomMessageSource::Authentication => {
            ("Your sign-in code", format!("Your sign-in code is {code}."))
        }
        _ => return CustomMessageResponse::new(),
    };
    let response = CustomMessageResponse::new().sms(text.clone());
    if app.custom_email {
        response.email(subject, format!("<p>{text}</p>"))
    } else {
        response
    }
}
