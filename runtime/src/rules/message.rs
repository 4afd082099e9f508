//! Custom message (§14).

use std::ops::RangeInclusive;

use super::{EmailSendingAccount, Rule, Settings, Violation, check_characters, check_length, flag};
use crate::{CustomMessage, CustomMessageSource, Event};

/// §14: `smsMessage` is 6 to 140 characters, the placeholders counted as written
/// (`SmsVerificationMessageType`).
const SMS_MESSAGE_CHARS: RangeInclusive<usize> = 6..=140;
/// §14: `emailMessage` is 6 to 20,000 characters.
const EMAIL_MESSAGE_CHARS: RangeInclusive<usize> = 6..=20_000;
/// §14: `emailSubject` is 1 to 140 characters.
const EMAIL_SUBJECT_CHARS: RangeInclusive<usize> = 1..=140;

/// The rules of a CustomMessage response (the trigger table's `rules` column).
pub(crate) fn custom_message(
    event: &Event<'_, CustomMessage>,
    settings: &Settings,
    out: &mut Vec<Violation>,
) {
    let request = &event.request;
    let response = &event.response;
    // §14: an invitation must carry the username placeholder as well as the code.
    let username = match event.trigger_source {
        CustomMessageSource::AdminCreateUser => request
            .username_parameter
            .as_deref()
            .filter(|placeholder| !placeholder.is_empty()),
        _ => None,
    };
    let placeholders = Placeholders {
        code: &request.code_parameter,
        username,
    };

    if let Some(sms) = response.sms_message.as_deref() {
        let field = "response.smsMessage";
        check_length(out, Rule::SmsMessageLength, field, sms, SMS_MESSAGE_CHARS);
        placeholders.check(out, Rule::SmsMessageCode, field, sms);
    }
    if let Some(body) = response.email_message.as_deref() {
        let field = "response.emailMessage";
        check_length(
            out,
            Rule::EmailMessageLength,
            field,
            body,
            EMAIL_MESSAGE_CHARS,
        );
        placeholders.check(out, Rule::EmailMessageCode, field, body);
        check_characters(out, Rule::EmailMessageCharacters, field, body);
        check_sending_account(out, settings, field);
    }
    if let Some(subject) = response.email_subject.as_deref() {
        let field = "response.emailSubject";
        check_length(
            out,
            Rule::EmailSubjectLength,
            field,
            subject,
            EMAIL_SUBJECT_CHARS,
        );
        check_characters(out, Rule::EmailSubjectCharacters, field, subject);
        check_sending_account(out, settings, field);
    }
}

/// The placeholders a message must contain.
struct Placeholders<'r> {
    /// `request.codeParameter`, which Cognito replaces with the code or temporary password.
    code: &'r str,
    /// `request.usernameParameter`, required on `CustomMessage_AdminCreateUser` only.
    username: Option<&'r str>,
}

impl Placeholders<'_> {
    fn check(&self, out: &mut Vec<Violation>, code_rule: Rule, field: &str, text: &str) {
        // An event without a `codeParameter` gives nothing to look for.
        if !self.code.is_empty() && !text.contains(self.code) {
            flag(
                out,
                code_rule,
                field,
                format!(
                    "does not contain the code placeholder `{}` (request.codeParameter), \
                     which Cognito replaces with the code",
                    self.code
                ),
            );
        }
        if let Some(username) = self.username
            && !text.contains(username)
        {
            flag(
                out,
                Rule::InvitationUsername,
                field,
                format!(
                    "does not contain the username placeholder `{username}` \
                     (request.usernameParameter); an AdminCreateUser invitation must \
                     contain both the username and the code placeholders"
                ),
            );
        }
    }
}

/// §14: email text is refused unless the pool sends through SES; checked only when the
/// pool is known to use Cognito's own account.
fn check_sending_account(out: &mut Vec<Violation>, settings: &Settings, field: &str) {
    if settings.email_sending_account == EmailSendingAccount::CognitoDefault {
        flag(
            out,
            Rule::EmailSendingAccount,
            field,
            "is set, but the pool sends email with Cognito's default account; Cognito \
             accepts email text only when EmailSendingAccount is DEVELOPER (SES). Leave it \
             unset or send email through SES",
        );
    }
}
