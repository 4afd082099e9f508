use std::rc::Rc;

use cognito_trigger::{cognito_trigger, PreSignUpEvent};

async fn audit() {}

#[cognito_trigger(PreSignUp)]
async fn handler(_event: &PreSignUpEvent<'_>) {
    let not_send = Rc::new(());
    audit().await;
    drop(not_send);
}

fn main() {}
