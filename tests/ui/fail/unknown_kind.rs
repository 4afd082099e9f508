use cognito_trigger::{cognito_trigger, PreTokenGenerationV1Event};

#[cognito_trigger(PreTokenGen)]
fn handler(_event: &PreTokenGenerationV1Event<'_>) {}

fn main() {}
