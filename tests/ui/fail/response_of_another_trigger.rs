use cognito_trigger::{cognito_trigger, CustomMessageResponse, PreSignUpEvent};

#[cognito_trigger(PreSignUp)]
async fn handler(_event: &PreSignUpEvent<'_>) -> CustomMessageResponse {
    CustomMessageResponse::new()
}

fn main() {}
