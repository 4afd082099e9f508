use cognito_trigger::{cognito_trigger, pool, CustomMessageEvent, PreSignUpEvent};

#[cognito_trigger(PreSignUp)]
fn sign_up(_event: &PreSignUpEvent<'_>) {}

#[cognito_trigger(CustomMessage, sources(SignUp, ForgotPassword))]
fn codes(_event: &CustomMessageEvent<'_>) {}

#[cognito_trigger(CustomMessage, sources(ForgotPassword))]
fn reset_text(_event: &CustomMessageEvent<'_>) {}

fn main() {
    // `codes` and `reset_text` both claim CustomMessage_ForgotPassword.
    let _ = pool![sign_up, codes, reset_text];
}
