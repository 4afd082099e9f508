use cognito_trigger::{cognito_trigger, PreSignUpEvent};

#[cognito_trigger(PreSignUp, timeout = 3, crate = "cognito_trigger", crate = "other")]
fn handler(_event: &PreSignUpEvent<'_>) {}

fn main() {}
