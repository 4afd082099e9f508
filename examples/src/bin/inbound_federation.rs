//! One function for the inbound federation trigger; the handler is in `examples::triggers::federation`.

#[tokio::main]
async fn main() -> Result<(), cognito_trigger::lambda_runtime::Error> {
    examples::serve(cognito_trigger::handler!(
        examples::triggers::federation::inbound_federation
    ))
    .await
}
