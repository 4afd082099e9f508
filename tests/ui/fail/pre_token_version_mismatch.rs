use cognito_trigger::{cognito_trigger, PreTokenGenerationV2Event, PreTokenGenerationV2Response};

// `PreTokenGeneration` is Cognito's default version, V1_0.
#[cognito_trigger(PreTokenGeneration)]
fn handler(_event: &PreTokenGenerationV2Event<'_>) -> PreTokenGenerationV2Response {
    PreTokenGenerationV2Response::new()
}

fn main() {}
