//! One function for the custom email sender trigger; the handler is in `examples::triggers::senders`.

#[tokio::main]
async fn main() -> Result<(), cognito_trigger::lambda_runtime::Error> {
    examples::serve(cognito_trigger::handler!(
        examples::triggers::senders::custom_email_sender
    ))
    .await
}
