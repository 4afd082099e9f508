use cognito_trigger::{cognito_trigger, PostConfirmationEvent};

#[cognito_trigger(PreSignUp)]
fn handler(_event: &PostConfirmationEvent<'_>) {}

fn main() {}
