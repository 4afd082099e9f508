use cognito_trigger::{cognito_trigger, PreSignUpEvent};

#[cognito_trigger(PreSignUp)]
const unsafe extern "C" fn handler(_event: &PreSignUpEvent<'_>) {}

fn main() {}
