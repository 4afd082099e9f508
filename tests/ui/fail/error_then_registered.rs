// One mistake, one message: after the attribute reports an error, the function can still be
// registered and run, so `handler!`, `pool!` and `run` add no errors of their own.
use cognito_trigger::{cognito_trigger, handler, pool, PreSignUpEvent};

#[cognito_trigger(PreSignUp, on_timeout = sometimes)]
fn sign_up(_event: &PreSignUpEvent<'_>) {}

#[cognito_trigger(PreSignUpp)]
fn welcome(_event: &PreSignUpEvent<'_>) {}

fn main() {
    let _ = cognito_trigger::run(handler!(sign_up));
    let _ = pool![sign_up, welcome];
}
