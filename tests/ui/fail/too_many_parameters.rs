use cognito_trigger::{cognito_trigger, Context, PreSignUpEvent};

struct State;

#[cognito_trigger(PreSignUp)]
fn handler(_event: &PreSignUpEvent<'_>, _context: &Context, _state: &State, _extra: &u32) {}

fn main() {}
