//! Pre sign-up (§7).

use super::{ResponseRules, Rule, Settings, Violation, flag, sealed};
use crate::{Event, PreSignUp, PreSignUpSource};

impl sealed::Sealed for PreSignUp {}

impl ResponseRules for PreSignUp {
    fn check_response(event: &Event<'_, Self>, _: &Settings, out: &mut Vec<Violation>) {
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
            let field = format!("response.{name}");
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
                            field,
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
                    field,
                    "is true, but Cognito ignores it for PreSignUp_AdminCreateUser; the \
                     administrator's request decides",
                ),
                _ => {}
            }
        }
    }
}
