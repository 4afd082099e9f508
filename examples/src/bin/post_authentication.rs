//! One function for the post authentication trigger; the handler is in `examples::triggers::authentication`.

#[tokio::main]
async fn main() -> Result<(), cognito_trigger::lambda_runtime::Error> {
    examples::serve(cognito_trigger::handler!(
        examples::triggers::authentication::post_authentication
    ))
    .await
}
