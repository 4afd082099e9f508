//! Pre sign-up (§7).

use super::{Rule, Settings, Violation, flag};
use crate::{Event, PreSignUp, PreSignUpSource};

/// The rules of a PreSignUp response (the trigger table's `rules` column).
pub(crate) fn pre_sign_up(event: &Event<'_, PreSignUp>, _: &Settings, out: &mut Vec<Violation>) {
    let response = &event.response;
    let flags = [
        ("autoConfirmUser", response.auto_confirm_user, None),
        ("autoVerifyEmail", response.auto_verify_email, Some("email")),
        (
            "autoVerifyPhone",
            response.auto_verify_phone,
            Some("phone_number"),
        ),
    ];
    for (name, value, attribute) in flags {
        if value != Some(true) {
            continue;
        }
        // Named only when flagged: the rules run on every answer.
        let field = || format!("response.{name}");
        match event.trigger_source {
            // §7: without the attribute, sign-up fails. (For `_ExternalProvider` the
            // flags' effect is unconfirmed, §18; it is not checked.)
            PreSignUpSource::SignUp => {
                if let Some(attribute) = attribute
                    && event.request.user_attributes.get(attribute).is_none()
                {
                    flag(
                        out,
                        Rule::AutoVerifyWithoutAttribute,
                        field(),
                        format!(
                            "is true, but the request's userAttributes has no \
                             `{attribute}`; Cognito fails the sign-up. Set it only \
                             when the attribute is present"
                        ),
                    );
                }
            }
            // §7: Cognito ignores all three flags for admin-created users.
            PreSignUpSource::AdminCreateUser => flag(
                out,
                Rule::SignUpFlagsIgnored,
                field(),
                "is true, but Cognito ignores it for PreSignUp_AdminCreateUser; the \
                 administrator's request decides",
            ),
            _ => {}
        }
    }
}
