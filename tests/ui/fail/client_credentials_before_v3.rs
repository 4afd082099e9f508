use cognito_trigger::{cognito_trigger, PreTokenGenerationV2Event};

#[cognito_trigger(PreTokenGenerationV2, sources(ClientCredentials))]
fn handler(_event: &PreTokenGenerationV2Event<'_>) {}

fn main() {}
