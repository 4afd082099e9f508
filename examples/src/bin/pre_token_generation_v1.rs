//! One function for the pre token generation (V1_0) trigger; the handler is in `examples::triggers::tokens`.

#[tokio::main]
async fn main() -> Result<(), cognito_trigger::lambda_runtime::Error> {
    examples::serve(cognito_trigger::handler!(
        examples::triggers::tokens::id_token_claims
    ))
    .await
}
