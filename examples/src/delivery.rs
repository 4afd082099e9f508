//! What the `senders` function delivers: the message text per trigger source, and the
//! memory that makes delivery idempotent per event (Cognito may invoke a sender twice for
//! one message, contract §15.1).
//!
//! Plain functions on plain text, so they are tested without KMS, SES or SNS; the
//! `senders` binary (feature `kms`) decrypts the code and hands the text to SES or SNS.

use std::collections::{HashSet, VecDeque};
use std::hash::{DefaultHasher, Hash, Hasher};
use std::sync::Mutex;

use cognito_trigger::{CustomEmailSenderSource, CustomSmsSenderSource, StringMap};

/// An email to send: subject and plain-text body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email {
    /// The subject line.
    pub subject: String,
    /// The plain-text body.
    pub body: String,
}

/// The email for `source`, with the decrypted `code` (`None` for the account takeover
/// notice, which has none). `user_name` is what an invitation tells the user to sign in
/// with.
#[must_use]
pub fn email(
    source: &CustomEmailSenderSource,
    user_name: &str,
    code: Option<&str>,
    attributes: &StringMap<'_>,
) -> Email {
    let code = code.unwrap_or_default();
    let (subject, body) = match source {
        CustomEmailSenderSource::SignUp | CustomEmailSenderSource::ResendCode => (
            "Confirm your account".to_owned(),
            format!("Welcome! Your confirmation code is {code}."),
        ),
        CustomEmailSenderSource::ForgotPassword => (
            "Reset your password".to_owned(),
            format!(
                "Your password reset code is {code}. If you did not ask for it, ignore this email."
            ),
        ),
        CustomEmailSenderSource::UpdateUserAttribute
        | CustomEmailSenderSource::VerifyUserAttribute => (
            "Verify your email address".to_owned(),
            format!("Your verification code is {code}."),
        ),
        CustomEmailSenderSource::AdminCreateUser => (
            "Your new account".to_owned(),
            format!("Sign in as {user_name} with the temporary password {code}"),
        ),
        CustomEmailSenderSource::Authentication => (
            "Your sign-in code".to_owned(),
            format!("Your sign-in code is {code}. It expires in a few minutes."),
        ),
        CustomEmailSenderSource::AccountTakeOverNotification => {
            let field = |name: &str| attributes.get(name).unwrap_or("unknown");
            (
                "Unusual sign-in to your account".to_owned(),
                format!(
                    "We noticed a risky sign-in to your account at {} from {} ({}, {}). \
                     Action taken: {}. If this was not you, reset your password.",
                    field("LOGIN_TIME"),
                    field("IP_ADDRESS"),
                    field("CITY"),
                    field("COUNTRY"),
                    field("ACCOUNT_TAKE_OVER_ACTION"),
                ),
            )
        }
        // A source Cognito adds later: still deliver the code rather than lose it.
        _ => ("Your code".to_owned(), format!("Your code is {code}.")),
    };
    Email { subject, body }
}

/// The SMS text for `source`, with the decrypted `code`.
#[must_use]
pub fn sms(source: &CustomSmsSenderSource, user_name: &str, code: &str) -> String {
    match source {
        CustomSmsSenderSource::SignUp | CustomSmsSenderSource::ResendCode => {
            format!("Your confirmation code is {code}")
        }
        CustomSmsSenderSource::ForgotPassword => format!("Your password reset code is {code}"),
        CustomSmsSenderSource::UpdateUserAttribute | CustomSmsSenderSource::VerifyUserAttribute => {
            format!("Your verification code is {code}")
        }
        CustomSmsSenderSource::AdminCreateUser => {
            format!("Sign in as {user_name} with the temporary password {code}")
        }
        CustomSmsSenderSource::Authentication => format!("Your sign-in code is {code}"),
        _ => format!("Your code is {code}"),
    }
}

/// The events already delivered by this function instance, so a duplicate invocation is
/// not sent twice. An event is known by a hash of its trigger source, user and encrypted
/// code (each encryption is unique), never by the code itself.
///
/// It remembers the last `capacity` events of one warm instance; across instances (Lambda
/// may run several), use a shared store instead, such as a DynamoDB conditional write on
/// the same key.
#[derive(Debug)]
pub struct Delivered {
    capacity: usize,
    seen: Mutex<(HashSet<u64>, VecDeque<u64>)>,
}

impl Delivered {
    /// Remembers up to `capacity` events.
    #[must_use]
    pub fn new(capacity: usize) -> Self {
        Self {
            capacity,
            seen: Mutex::new((HashSet::new(), VecDeque::new())),
        }
    }

    /// The key of one event: its source, user and encrypted code.
    #[must_use]
    pub fn key(source: &str, user_name: &str, encrypted_code: &str) -> u64 {
        let mut hasher = DefaultHasher::new();
        (source, user_name, encrypted_code).hash(&mut hasher);
        hasher.finish()
    }

    /// Whether `key` was delivered already.
    #[must_use]
    pub fn contains(&self, key: u64) -> bool {
        self.seen
            .lock()
            .map(|seen| seen.0.contains(&key))
            .unwrap_or(false)
    }

    /// Records `key` as delivered (after the provider accepted it, so a failed send is
    /// retried).
    pub fn insert(&self, key: u64) {
        if let Ok(mut seen) = self.seen.lock() {
            let (set, order) = &mut *seen;
            if set.insert(key) {
                order.push_back(key);
                if order.len() > self.capacity {
                    if let Some(oldest) = order.pop_front() {
                        set.remove(&oldest);
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_email_carries_its_code_and_the_invitation_the_user_name() {
        let attributes = StringMap::default();
        for source in [
            CustomEmailSenderSource::SignUp,
            CustomEmailSenderSource::ResendCode,
            CustomEmailSenderSource::ForgotPassword,
            CustomEmailSenderSource::UpdateUserAttribute,
            CustomEmailSenderSource::VerifyUserAttribute,
            CustomEmailSenderSource::AdminCreateUser,
            CustomEmailSenderSource::Authentication,
        ] {
            let mail = email(&source, "ada", Some("482916"), &attributes);
            assert!(mail.body.contains("482916"), "{source:?}: {mail:?}");
            assert!(
                !mail.subject.contains("482916"),
                "{source:?}: the subject shows the code"
            );
        }
        let invitation = email(
            &CustomEmailSenderSource::AdminCreateUser,
            "ada",
            Some("Tmp<Pw>&1"),
            &attributes,
        );
        assert!(invitation.body.contains("ada") && invitation.body.contains("Tmp<Pw>&1"));
    }

    #[test]
    fn the_takeover_notice_reads_the_notification_fields() {
        let attributes: StringMap<'_> = [
            ("IP_ADDRESS", "192.0.2.1"),
            ("ACCOUNT_TAKE_OVER_ACTION", "BLOCK"),
            ("CITY", "Lyon"),
        ]
        .into_iter()
        .collect();
        let notice = email(
            &CustomEmailSenderSource::AccountTakeOverNotification,
            "ada",
            None,
            &attributes,
        );
        assert!(notice.body.contains("192.0.2.1") && notice.body.contains("BLOCK"));
        assert!(notice.body.contains("Lyon") && notice.body.contains("(Lyon, unknown)"));
    }

    #[test]
    fn every_sms_carries_its_code_within_one_message() {
        for source in [
            CustomSmsSenderSource::SignUp,
            CustomSmsSenderSource::ForgotPassword,
            CustomSmsSenderSource::VerifyUserAttribute,
            CustomSmsSenderSource::AdminCreateUser,
            CustomSmsSenderSource::Authentication,
        ] {
            let text = sms(&source, "ada", "482916");
            assert!(
                text.contains("482916") && text.len() <= 160,
                "{source:?}: {text}"
            );
        }
    }

    #[test]
    fn a_delivered_event_is_remembered_until_pushed_out() {
        let delivered = Delivered::new(2);
        let [a, b, c] =
            ["a", "b", "c"].map(|code| Delivered::key("CustomEmailSender_SignUp", "ada", code));
        assert!(!delivered.contains(a));
        delivered.insert(a);
        delivered.insert(a);
        delivered.insert(b);
        assert!(delivered.contains(a) && delivered.contains(b));
        delivered.insert(c);
        assert!(!delivered.contains(a) && delivered.contains(b) && delivered.contains(c));
        assert_ne!(a, Delivered::key("CustomEmailSender_SignUp", "bob", "a"));
    }
}
