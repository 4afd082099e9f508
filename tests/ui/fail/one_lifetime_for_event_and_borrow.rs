use cognito_trigger::{cognito_trigger, PreSignUpEvent};

#[cognito_trigger(PreSignUp)]
fn handler<'a>(_event: &'a PreSignUpEvent<'a>) {}

fn main() {}
