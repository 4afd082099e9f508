use cognito_trigger::{cognito_trigger, PreSignUpEvent};

#[cognito_trigger(Banana)]
fn handler(_event: &PreSignUpEvent<'_>) {}

fn main() {}
