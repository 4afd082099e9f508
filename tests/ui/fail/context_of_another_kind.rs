use cognito_trigger::{cognito_trigger, PreSignUpEvent};

mod mine {
    pub struct Context;
}

#[cognito_trigger(PreSignUp)]
fn handler(_event: &PreSignUpEvent<'_>, _context: &mine::Context) {}

fn main() {}
