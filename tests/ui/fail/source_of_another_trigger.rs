use cognito_trigger::{cognito_trigger, PreSignUpEvent};

#[cognito_trigger(PreSignUp, sources(SignUp, ForgotPassword))]
fn handler(_event: &PreSignUpEvent<'_>) {}

fn main() {}
