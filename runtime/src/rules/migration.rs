//! User migration (§13).

use super::{Rule, Settings, Violation, check_max_length, element, flag, member};
use crate::{
    DeliveryMedium, Event, FinalUserStatus, MessageAction, Trigger, UserMigration,
    UserMigrationSource,
};

/// §3: attribute values are at most 2,048 characters (`AttributeValueType`).
const MAX_ATTRIBUTE_CHARS: usize = 2048;

/// The rules of a UserMigration response (the trigger table's `rules` column).
pub(crate) fn user_migration(
    event: &Event<'_, UserMigration>,
    _: &Settings,
    out: &mut Vec<Violation>,
) {
    let response = &event.response;
    let attributes = &response.user_attributes;
    let shown =
        |value: &str| shown_value(value, &<UserMigration as Trigger>::secrets(&event.request));

    // §13 and §17.3: without attributes nobody is migrated ("not found"), so anything
    // else the answer sets is lost.
    if attributes.is_empty() {
        let set: Vec<&str> = [
            ("finalUserStatus", response.final_user_status.is_some()),
            ("messageAction", response.message_action.is_some()),
            (
                "desiredDeliveryMediums",
                response.desired_delivery_mediums.is_some(),
            ),
            (
                "forceAliasCreation",
                response.force_alias_creation == Some(true),
            ),
            ("enableSMSMFA", response.enable_sms_mfa == Some(true)),
        ]
        .into_iter()
        .filter_map(|(name, set)| set.then_some(name))
        .collect();
        if !set.is_empty() {
            flag(
                out,
                Rule::MigrationWithoutAttributes,
                "response.userAttributes",
                format!(
                    "is empty while {} is set; without userAttributes Cognito migrates \
                     nobody and ignores the rest. Add the user's attributes, or reject \
                     with an error",
                    set.join(", ")
                ),
            );
        }
    }

    // §13 values; anything else makes the response invalid for the trigger (§6.2).
    if let Some(FinalUserStatus::Other(value)) = &response.final_user_status {
        flag(
            out,
            Rule::MigrationFinalUserStatus,
            "response.finalUserStatus",
            format!(
                "is {}; Cognito accepts CONFIRMED or RESET_REQUIRED",
                shown(value)
            ),
        );
    }
    match &response.message_action {
        Some(MessageAction::Other(value)) => flag(
            out,
            Rule::MigrationMessageAction,
            "response.messageAction",
            format!("is {}; Cognito documents only SUPPRESS", shown(value)),
        ),
        // §13, §18: documented for AdminCreateUser, unconfirmed for migration.
        Some(MessageAction::Resend) => flag(
            out,
            Rule::MigrationResend,
            "response.messageAction",
            "is RESEND, which Cognito documents for AdminCreateUser only; whether user \
             migration accepts it is unconfirmed. Use SUPPRESS or leave it unset",
        ),
        _ => {}
    }
    for (index, medium) in response
        .desired_delivery_mediums
        .iter()
        .flatten()
        .enumerate()
    {
        if let DeliveryMedium::Other(value) = medium {
            flag(
                out,
                Rule::MigrationDeliveryMedium,
                element("response.desiredDeliveryMediums", index),
                format!("is {}; Cognito accepts EMAIL or SMS", shown(value)),
            );
        }
    }

    if attributes.is_empty() {
        return;
    }

    // §13: SMS MFA needs a phone number, or the migration fails.
    if response.enable_sms_mfa == Some(true) && attributes.get("phone_number").is_none() {
        flag(
            out,
            Rule::MigrationSmsMfaPhone,
            "response.enableSMSMFA",
            "is true, but userAttributes has no `phone_number`; Cognito fails the \
             migration. Add the phone number or leave SMS MFA off",
        );
    }

    // §13: `username` equals what the user typed, or is omitted, unless the user signed
    // in with an alias, whose attribute then holds what they typed. Compared without
    // regard to case: the pool's case sensitivity is not in the event.
    let typed = event.user_name.as_ref();
    if let Some(username) = attributes.get("username")
        && !typed.is_empty()
        && !same_username(username, typed)
        && !attributes
            .iter()
            .any(|(name, value)| name != "username" && same_username(value, typed))
    {
        flag(
            out,
            Rule::MigrationUsername,
            "response.userAttributes.username",
            format!(
                "differs from the {}-character username the user typed, and no other \
                 attribute holds what they typed (as an alias would); omit `username` \
                 or set it to the event's userName",
                typed.chars().count()
            ),
        );
    }

    // §13: a reset code needs a verified address to go to.
    if event.trigger_source == UserMigrationSource::ForgotPassword {
        let verified = |attribute: &str, verified_flag: &str| {
            attributes.get(attribute).is_some() && attributes.is_true(verified_flag)
        };
        if !verified("email", "email_verified")
            && !verified("phone_number", "phone_number_verified")
        {
            flag(
                out,
                Rule::MigrationResetUnverified,
                "response.userAttributes",
                "has no verified `email` (with email_verified \"true\") or `phone_number` \
                 (with phone_number_verified \"true\"); Cognito has nowhere to send the \
                 reset code",
            );
        }
    }

    for (name, value) in attributes.iter() {
        let field = || member("response.userAttributes", name);
        check_max_length(
            out,
            Rule::MigrationAttributeLength,
            field,
            value,
            MAX_ATTRIBUTE_CHARS,
        );
    }
}

/// An undocumented enum value as a detail shows it: quoted when it looks like one (a short
/// word of letters, digits and `_`) and is none of the request's secrets, otherwise only
/// described by its length.
fn shown_value(value: &str, secrets: &[&str]) -> String {
    let word = value.len() <= 32 && value.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    let secret = secrets.iter().any(|s| !s.is_empty() && value.contains(s));
    if word && !secret {
        format!("{value:?}")
    } else {
        format!(
            "an undocumented value of {} characters",
            value.chars().count()
        )
    }
}

fn same_username(a: &str, b: &str) -> bool {
    a == b || a.to_lowercase() == b.to_lowercase()
}
