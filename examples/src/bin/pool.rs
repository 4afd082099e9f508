//! The example pool: one Lambda function serving every trigger of a user pool.
//!
//! On Lambda it serves events; anywhere else it runs locally: `pool --samples` replays the
//! bundled sample events with a report, `pool FILE...` or `pool < events.jsonl` answers
//! events, `pool --lambda-config ARN` prints the user pool's `LambdaConfig`.

#[tokio::main]
async fn main() -> Result<(), cognito_trigger::lambda_runtime::Error> {
    cognito_trigger::init_logging();
    examples::pool(examples::App::from_env().await).run().await
}
