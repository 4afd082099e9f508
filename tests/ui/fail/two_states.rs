use cognito_trigger::{cognito_trigger, PreSignUpEvent};

struct Db;
struct Mailer;

#[cognito_trigger(PreSignUp)]
fn handler(_event: &PreSignUpEvent<'_>, _db: &Db, _mailer: &Mailer) {}

fn main() {}
