use cognito_trigger::{cognito_trigger, PreSignUpEvent, PreSignUpResponse};

#[cognito_trigger(PreSignUp)]
fn handler(_event: &PreSignUpEvent<'_>) -> Result<PreSignUpResponse, String> {
    Err("nope".to_owned())
}

fn main() {}
