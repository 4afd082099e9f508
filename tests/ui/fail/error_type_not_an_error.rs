use cognito_trigger::{cognito_trigger, PreSignUpEvent, PreSignUpResponse};

// An HTTP status code is not an error a handler can return.
#[cognito_trigger(PreSignUp)]
fn handler(_event: &PreSignUpEvent<'_>) -> Result<PreSignUpResponse, u16> {
    Err(503)
}

fn main() {}
