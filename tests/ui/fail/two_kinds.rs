use cognito_trigger::{cognito_trigger, PreSignUpEvent};

#[cognito_trigger(PreSignUp, PostConfirmation)]
fn handler(_event: &PreSignUpEvent<'_>) {}

fn main() {}
