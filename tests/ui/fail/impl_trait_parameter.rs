use cognito_trigger::{cognito_trigger, PreSignUpEvent};

#[cognito_trigger(PreSignUp)]
fn handler(_event: &PreSignUpEvent<'_>, _state: &impl Sync) {}

fn main() {}
