//! Custom email and SMS senders: Cognito hands every message to these functions.
//!
//! The `code` is an AWS Encryption SDK message under the pool's KMS key; a real sender
//! decrypts it with a KMS keyring and delivers the message through its own provider. These
//! examples log the delivery, never the code.

use cognito_trigger::{
    CustomEmailSenderEvent, CustomEmailSenderSource, CustomSmsSenderEvent, cognito_trigger,
};

use crate::app::mask_email;

/// Delivers an email (here: logs where it would go).
#[cognito_trigger(CustomEmailSender)]
pub async fn custom_email_sender(event: &CustomEmailSenderEvent<'_>) {
    let attributes = &event.request.user_attributes;
    if event.trigger_source == CustomEmailSenderSource::AccountTakeOverNotification {
        tracing::warn!(
            action = attributes
                .get("ACCOUNT_TAKE_OVER_ACTION")
                .unwrap_or_default(),
            "account takeover notice"
        );
        return;
    }
    let to = mask_email(attributes.get("email").unwrap_or_default());
    tracing::info!(%to, source = %event.trigger_source, has_code = event.request.code.is_some(), "delivering email");
}

/// Delivers an SMS (here: logs where it would go).
#[cognito_trigger(CustomSmsSender)]
pub async fn custom_sms_sender(event: &CustomSmsSenderEvent<'_>) {
    let phone = event
        .request
        .user_attributes
        .get("phone_number")
        .unwrap_or_default();
    let last_digits: String = phone
        .chars()
        .rev()
        .take(2)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    tracing::info!(to = %format!("***{last_digits}"), source = %event.trigger_source, "delivering SMS");
}
