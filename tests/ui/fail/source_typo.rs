use cognito_trigger::{cognito_trigger, CustomMessageEvent};

#[cognito_trigger(CustomMessage, sources(ForgotPasword))]
fn handler(_event: &CustomMessageEvent<'_>) {}

fn main() {}
