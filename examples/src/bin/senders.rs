//! The custom email and SMS senders as a function of their own, delivering for real:
//! each code is decrypted with `cognito_trigger::kms::CodeDecryptor` (the AWS Encryption
//! SDK and a KMS keyring), the email goes out through Amazon SES (v2 API), the SMS through
//! Amazon SNS. Built only with the `kms` feature:
//!
//! ```sh
//! cargo build --release -p examples --features kms --bin senders
//! ```
//!
//! A function of its own because Cognito invokes the senders asynchronously (nothing waits
//! for them) and their dependencies weigh several times the whole pool (README, "Custom
//! senders"): the pool answering the synchronous triggers stays small and quick to start.
//!
//! Configuration, read once at cold start (when the function first serves an event:
//! `senders --template`, `--lambda-config` and `--help` need none of it):
//! - `KEY_ARN`: the ARN of the pool's custom sender KMS key (its `KMSKeyID`); the
//!   function's role needs `kms:Decrypt` on it;
//! - `FROM_ADDRESS`: the SES identity emails are sent from (`ses:SendEmail`);
//! - SNS needs `sns:Publish` to phone numbers;
//! - `ALLOW_MISSING_POOL_CONTEXT=true` only behind an emulator (cognito-local encrypts its
//!   codes without the `userpool-id` context real Cognito always records);
//! - the usual AWS SDK variables (`AWS_REGION`, `AWS_ENDPOINT_URL` for a local KMS, SES and
//!   SNS such as moto_server).
//!
//! The code never reaches a log: only where a message went (masked) and which source.

use cognito_trigger::kms::{CodeDecryptor, aws_config};
use cognito_trigger::{
    CustomEmailSenderEvent, CustomEmailSenderSource, CustomSmsSenderEvent, TriggerError,
    cognito_trigger, pool,
};
use examples::app::mask_email;
use examples::delivery::{self, Delivered};

/// Built once at cold start (`senders_from_env`) and lent to both handlers.
struct Senders {
    decryptor: CodeDecryptor,
    ses: aws_sdk_sesv2::Client,
    sns: aws_sdk_sns::Client,
    from: String,
    delivered: Delivered,
}

/// Sends the email Cognito handed over.
#[cognito_trigger(CustomEmailSender)]
async fn send_email(
    event: &CustomEmailSenderEvent<'_>,
    senders: &Senders,
) -> Result<(), TriggerError> {
    let encrypted = event.request.code.as_ref().map_or("", |code| code.expose());
    let key = Delivered::key(event.trigger_source.as_str(), &event.user_name, encrypted);
    if senders.delivered.contains(key) {
        tracing::info!(source = %event.trigger_source, "already delivered; skipped");
        return Ok(());
    }
    let Some(to) = event.request.user_attributes.get("email") else {
        return Err(TriggerError::internal("the event has no email attribute"));
    };
    let code = match event.trigger_source {
        CustomEmailSenderSource::AccountTakeOverNotification => None,
        _ => Some(senders.decryptor.decrypt(event).await?),
    };
    let mail = delivery::email(
        &event.trigger_source,
        &event.user_name,
        code.as_ref().map(|code| code.expose()),
        &event.request.user_attributes,
    );
    let text = |data: String| {
        aws_sdk_sesv2::types::Content::builder()
            .data(data)
            .charset("UTF-8")
            .build()
    };
    let message = aws_sdk_sesv2::types::Message::builder()
        .subject(text(mail.subject)?)
        .body(
            aws_sdk_sesv2::types::Body::builder()
                .text(text(mail.body)?)
                .build(),
        )
        .build();
    senders
        .ses
        .send_email()
        .from_email_address(&senders.from)
        .destination(
            aws_sdk_sesv2::types::Destination::builder()
                .to_addresses(to)
                .build(),
        )
        .content(
            aws_sdk_sesv2::types::EmailContent::builder()
                .simple(message)
                .build(),
        )
        .send()
        .await
        .map_err(TriggerError::internal)?;
    senders.delivered.insert(key);
    tracing::info!(to = %mask_email(to), source = %event.trigger_source, "email sent");
    Ok(())
}

/// Sends the SMS Cognito handed over.
#[cognito_trigger(CustomSmsSender)]
async fn send_sms(event: &CustomSmsSenderEvent<'_>, senders: &Senders) -> Result<(), TriggerError> {
    let encrypted = event.request.code.as_ref().map_or("", |code| code.expose());
    let key = Delivered::key(event.trigger_source.as_str(), &event.user_name, encrypted);
    if senders.delivered.contains(key) {
        tracing::info!(source = %event.trigger_source, "already delivered; skipped");
        return Ok(());
    }
    let Some(phone) = event.request.user_attributes.get("phone_number") else {
        return Err(TriggerError::internal(
            "the event has no phone_number attribute",
        ));
    };
    let code = senders.decryptor.decrypt(event).await?;
    let text = delivery::sms(&event.trigger_source, &event.user_name, code.expose());
    senders
        .sns
        .publish()
        .phone_number(phone)
        .message(text)
        .send()
        .await
        .map_err(TriggerError::internal)?;
    senders.delivered.insert(key);
    let last: String = phone
        .chars()
        .skip(phone.chars().count().saturating_sub(2))
        .collect();
    tracing::info!(to = %format!("***{last}"), source = %event.trigger_source, "SMS sent");
    Ok(())
}

/// Reads the configuration and builds the clients: run once, when the function first
/// serves an event (at cold start on Lambda), never for `--template`, `--lambda-config` or
/// `--help`, which need none of it.
async fn senders_from_env() -> Result<Senders, cognito_trigger::lambda_runtime::Error> {
    let sdk = aws_config::load_defaults(aws_config::BehaviorVersion::latest()).await;
    let mut decryptor = CodeDecryptor::from_env(&sdk).await?;
    if std::env::var("ALLOW_MISSING_POOL_CONTEXT").is_ok_and(|v| v == "true") {
        decryptor = decryptor.allow_missing_pool_context();
    }
    Ok(Senders {
        decryptor,
        ses: aws_sdk_sesv2::Client::new(&sdk),
        sns: aws_sdk_sns::Client::new(&sdk),
        from: std::env::var("FROM_ADDRESS")
            .map_err(|_| "FROM_ADDRESS is not set: the SES identity to send email from")?,
        delivered: Delivered::new(10_000),
    })
}

#[tokio::main]
async fn main() -> Result<(), cognito_trigger::lambda_runtime::Error> {
    cognito_trigger::init_logging();
    pool!(state_from = senders_from_env; send_email, send_sms)
        .run()
        .await
}
