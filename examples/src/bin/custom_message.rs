//! One function for the custom message trigger; the handler is in `examples::triggers::messages`.

#[tokio::main]
async fn main() -> Result<(), cognito_trigger::lambda_runtime::Error> {
    examples::serve(cognito_trigger::handler!(
        examples::triggers::messages::custom_message
    ))
    .await
}
