use cognito_trigger::{cognito_trigger, PreSignUpEvent};

#[cognito_trigger(PreSignUp, sources(SignUp, SignUp), sources(AdminCreateUser))]
fn handler(_event: &PreSignUpEvent<'_>) {}

fn main() {}
