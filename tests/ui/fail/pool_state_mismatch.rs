use cognito_trigger::{cognito_trigger, pool, PreSignUpEvent, PostConfirmationEvent};

struct Db;
struct Mailer;

#[cognito_trigger(PreSignUp)]
fn sign_up(_event: &PreSignUpEvent<'_>, _db: &Db) {}

#[cognito_trigger(PostConfirmation)]
fn welcome(_event: &PostConfirmationEvent<'_>, _mailer: &Mailer) {}

fn main() {
    let _ = pool!(state = Db; sign_up, welcome);
}
