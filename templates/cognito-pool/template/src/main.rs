//! The Lambda function: every trigger of this crate, served by one pool.
//!
//! On Lambda it answers Cognito; anywhere else it runs locally (`--help` says how):
//! `cargo run -- --template` prints a CloudFormation template that deploys it.

#[tokio::main]
async fn main() -> Result<(), cognito_trigger::lambda_runtime::Error> {
    cognito_trigger::init_logging();
    {{ project_name | replace: "-", "_" }}::pool().run().await
}
