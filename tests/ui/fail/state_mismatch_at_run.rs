use cognito_trigger::{cognito_trigger, handler, PreSignUpEvent};

struct Db;

#[cognito_trigger(PreSignUp)]
fn needs_db(_event: &PreSignUpEvent<'_>, _db: &Db) {}

fn main() {
    // A handler with shared state must be run with that state.
    let _ = cognito_trigger::run(handler!(needs_db));
}
