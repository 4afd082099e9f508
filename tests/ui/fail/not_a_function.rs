use cognito_trigger::cognito_trigger;

#[cognito_trigger(PreSignUp)]
struct Handler;

fn main() {}
