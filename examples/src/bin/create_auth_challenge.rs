//! One function for the create auth challenge trigger; the handler is in `examples::triggers::challenge`.

#[tokio::main]
async fn main() -> Result<(), cognito_trigger::lambda_runtime::Error> {
    examples::serve(cognito_trigger::handler!(
        examples::triggers::challenge::create_auth_challenge
    ))
    .await
}
