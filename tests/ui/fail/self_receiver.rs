use cognito_trigger::{cognito_trigger, PreSignUpEvent};

struct Triggers;

impl Triggers {
    #[cognito_trigger(PreSignUp)]
    fn handler(&self, _event: &PreSignUpEvent<'_>) {}
}

fn main() {}
