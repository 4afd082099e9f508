//! One function for the user migration trigger; the handler is in `examples::triggers::migration`.

#[tokio::main]
async fn main() -> Result<(), cognito_trigger::lambda_runtime::Error> {
    examples::serve(cognito_trigger::handler!(
        examples::triggers::migration::migrate_user
    ))
    .await
}
