use cognito_trigger::{cognito_trigger, PreSignUpEvent};

#[cognito_trigger(PreSignUp)]
fn handler(_event: &PreSignUpEvent<'_>, _table_name: String) {}

fn main() {}
