//! One function for the pre authentication trigger; the handler is in `examples::triggers::authentication`.

#[tokio::main]
async fn main() -> Result<(), cognito_trigger::lambda_runtime::Error> {
    examples::serve(cognito_trigger::handler!(
        examples::triggers::authentication::pre_authentication
    ))
    .await
}
