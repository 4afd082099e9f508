use cognito_trigger::{cognito_trigger, PreSignUpEvent};

#[cognito_trigger(PreSignUp)]
fn handler<S: Sync>(_event: &PreSignUpEvent<'_>, _state: &S) {}

fn main() {}
