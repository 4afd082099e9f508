//! One function for the pre token generation (V2_0) trigger; the handler is in `examples::triggers::tokens`.

#[tokio::main]
async fn main() -> Result<(), cognito_trigger::lambda_runtime::Error> {
    examples::serve(cognito_trigger::handler!(
        examples::triggers::tokens::user_token_claims_v2
    ))
    .await
}
