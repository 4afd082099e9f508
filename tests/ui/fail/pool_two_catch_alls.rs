use cognito_trigger::{cognito_trigger, pool, PreTokenGenerationV2Event};

#[cognito_trigger(PreTokenGenerationV2)]
fn claims(_event: &PreTokenGenerationV2Event<'_>) {}

#[cognito_trigger(PreTokenGenerationV2, sources(RefreshTokens))]
fn refresh(_event: &PreTokenGenerationV2Event<'_>) {}

fn main() {
    let _ = pool![claims, refresh];
}
