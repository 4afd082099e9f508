use cognito_trigger::cognito_trigger;

#[cognito_trigger(PreSignUp)]
fn handler() {}

fn main() {}
