use cognito_trigger::{cognito_trigger, PreSignUpEvent};

#[cognito_trigger(PreSignUp)]
fn handler(_event: &mut PreSignUpEvent<'_>) {}

fn main() {}
