//! One function for the post confirmation trigger; the handler is in `examples::triggers::sign_up`.

#[tokio::main]
async fn main() -> Result<(), cognito_trigger::lambda_runtime::Error> {
    examples::serve(cognito_trigger::handler!(
        examples::triggers::sign_up::post_confirmation
    ))
    .await
}
