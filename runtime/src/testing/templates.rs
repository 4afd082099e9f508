//! What Cognito sends for each trigger and source: the starting point of every
//! [`TestEvent`](super::TestEvent). The trigger table's `template` column names these.
//!
//! Each template answers with the event's `request`, its pre-filled `response` (as
//! Cognito fills it, nulls included, contract §4), and the envelope fields that differ
//! from [`envelope`]'s for that source. The values are one consistent user, Ada, in one
//! pool, so the events of a flow fit together.

use serde_json::{Value, json};

/// The pool's region.
pub(crate) const REGION: &str = "eu-west-1";
/// The pool's ID.
pub(crate) const USER_POOL_ID: &str = "eu-west-1_Ex4mPle1";
/// The app client the events come through.
pub(crate) const CLIENT_ID: &str = "3n4b5urk1ft4fl3mwl2e3ajbm";
/// Ada's username: a UUID equal to her `sub`, as in pools that sign in by email (§5.2).
pub(crate) const USER_NAME: &str = "8f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0";
/// Ada's email address.
pub(crate) const EMAIL: &str = "ada@example.com";
/// The SDK the client used.
const SDK_VERSION: &str = "aws-sdk-js-3.473.0";
/// What a custom sender's `code` looks like: base64 of an Encryption SDK message.
const SENDER_CODE: &str = "AYADeEXAMPLEb2Rl";

/// What every event carries: `version`, `triggerSource` and the envelope (contract §4).
pub(crate) fn envelope(version: &str, source: &str) -> Value {
    json!({
        "version": version,
        "triggerSource": source,
        "region": REGION,
        "userPoolId": USER_POOL_ID,
        "userName": USER_NAME,
        "callerContext": {"awsSdkVersion": SDK_VERSION, "clientId": CLIENT_ID},
    })
}

/// The attributes of a user who does not exist yet (pre sign-up): no `sub`, no status.
fn new_user() -> Value {
    json!({"email": EMAIL, "name": "Ada Lovelace", "custom:tenant": "acme"})
}

/// The attributes of an existing, confirmed user, as Cognito lists them.
fn existing_user() -> Value {
    json!({
        "sub": USER_NAME,
        "email": EMAIL,
        "email_verified": "true",
        "name": "Ada Lovelace",
        "cognito:user_status": "CONFIRMED",
        "custom:tenant": "acme",
    })
}

/// A user an administrator just created: the invitation goes out before the first
/// sign-in, while the temporary password must still be changed.
fn invited_user() -> Value {
    json!({
        "sub": USER_NAME,
        "email": EMAIL,
        "name": "Ada Lovelace",
        "cognito:user_status": "FORCE_CHANGE_PASSWORD",
        "custom:tenant": "acme",
    })
}

/// An operation made by an administrator, without an app client (§4).
fn without_app_client() -> Value {
    json!({"awsSdkVersion": SDK_VERSION, "clientId": crate::CLIENT_ID_NOT_APPLICABLE})
}

fn is_admin_create(source: &str) -> bool {
    source.ends_with("_AdminCreateUser")
}

pub(crate) fn pre_sign_up(source: &str) -> Value {
    let mut event = json!({
        "request": {"userAttributes": new_user(), "validationData": null},
        "response": {"autoConfirmUser": false, "autoVerifyEmail": false, "autoVerifyPhone": false},
    });
    if is_admin_create(source) {
        event["callerContext"] = without_app_client();
    } else if source.ends_with("_ExternalProvider") {
        event["userName"] = json!("Google_109876543210987654321");
        event["request"]["userAttributes"] = json!({
            "email": EMAIL,
            "name": "Ada Lovelace",
            "cognito:user_status": "EXTERNAL_PROVIDER",
            "identities": r#"[{"userId":"109876543210987654321","providerName":"Google","providerType":"Google","primary":true}]"#,
        });
    }
    event
}

pub(crate) fn post_confirmation(_source: &str) -> Value {
    json!({"request": {"userAttributes": existing_user()}, "response": {}})
}

pub(crate) fn pre_authentication(_source: &str) -> Value {
    json!({
        "request": {"userAttributes": existing_user(), "validationData": null, "userNotFound": false},
        "response": {},
    })
}

pub(crate) fn post_authentication(_source: &str) -> Value {
    json!({
        // `newDeviceUsed` only comes with device remembering (§10): absent by default.
        "request": {"userAttributes": existing_user()},
        "response": {},
    })
}

pub(crate) fn define_auth_challenge(_source: &str) -> Value {
    json!({
        "request": {"userAttributes": existing_user(), "session": [], "userNotFound": false},
        "response": {"challengeName": null, "issueTokens": null, "failAuthentication": null},
    })
}

pub(crate) fn create_auth_challenge(_source: &str) -> Value {
    json!({
        "request": {
            "userAttributes": existing_user(),
            "challengeName": "CUSTOM_CHALLENGE",
            "session": [],
            "userNotFound": false,
        },
        "response": {
            "publicChallengeParameters": null,
            "privateChallengeParameters": null,
            "challengeMetadata": null,
        },
    })
}

pub(crate) fn verify_auth_challenge_response(_source: &str) -> Value {
    json!({
        "request": {
            "userAttributes": existing_user(),
            "privateChallengeParameters": {},
            "challengeAnswer": "",
            "userNotFound": false,
        },
        "response": {"answerCorrect": null},
    })
}

/// The request of every pre token generation version; V2 and V3 add `scopes`.
fn token_request(source: &str, scopes: bool) -> Value {
    if source.ends_with("_ClientCredentials") {
        // Machine to machine: no user, no groups; the user name is the app client (§12).
        return json!({"userAttributes": {}, "groupConfiguration": null, "scopes": []});
    }
    let mut request = json!({
        "userAttributes": existing_user(),
        "groupConfiguration": {"groupsToOverride": [], "iamRolesToOverride": [], "preferredRole": null},
    });
    if scopes {
        let granted = if source.ends_with("_HostedAuth") {
            json!(["openid", "email", "profile"])
        } else {
            json!(["aws.cognito.signin.user.admin"])
        };
        request["scopes"] = granted;
    }
    request
}

pub(crate) fn pre_token_generation_v1(source: &str) -> Value {
    json!({"request": token_request(source, false), "response": {"claimsOverrideDetails": null}})
}

pub(crate) fn pre_token_generation_v2(source: &str) -> Value {
    json!({
        "request": token_request(source, true),
        "response": {"claimsAndScopeOverrideDetails": null},
    })
}

pub(crate) fn pre_token_generation_v3(source: &str) -> Value {
    let mut event = pre_token_generation_v2(source);
    if source.ends_with("_ClientCredentials") {
        event["userName"] = json!(CLIENT_ID);
    }
    event
}

pub(crate) fn user_migration(source: &str) -> Value {
    // The user does not exist yet: no attributes, and the name is what they typed (§13).
    let mut request = json!({"validationData": null});
    if source.ends_with("_Authentication") {
        request["password"] = json!("Legacy-Passw0rd!");
    }
    json!({
        "userName": EMAIL,
        "request": request,
        "response": {
            "userAttributes": null,
            "finalUserStatus": null,
            "messageAction": null,
            "desiredDeliveryMediums": null,
            "forceAliasCreation": null,
            "enableSMSMFA": null,
        },
    })
}

pub(crate) fn custom_message(source: &str) -> Value {
    let admin = is_admin_create(source);
    let mut event = json!({
        "request": {
            "userAttributes": if admin { invited_user() } else { existing_user() },
            "codeParameter": "{####}",
            // `linkParameter` comes only where the pool verifies by link (§14).
            "usernameParameter": if admin { json!("{username}") } else { Value::Null },
        },
        "response": {"smsMessage": null, "emailMessage": null, "emailSubject": null},
    });
    if admin {
        event["callerContext"] = without_app_client();
    }
    event
}

/// A custom sender's event: `type`, the encrypted `code`, the user (§15.3).
fn sender(request_type: &str, source: &str, attributes: Value) -> Value {
    if source.ends_with("_AccountTakeOverNotification") {
        // Not the user's profile: the notification's fields, and no code (§15.3).
        return json!({
            "request": {
                "type": request_type,
                "code": null,
                "clientMetadata": null,
                "userAttributes": {
                    "EVENT_ID": "a1b2c3",
                    "USER_NAME": USER_NAME,
                    "IP_ADDRESS": "192.0.2.1",
                    "ACCOUNT_TAKE_OVER_ACTION": "BLOCK",
                    "ONE_CLICK_LINK_VALID": "https://example.com/valid",
                    "ONE_CLICK_LINK_INVALID": "https://example.com/invalid",
                    "LOGIN_TIME": "Nov 22, 2026 4:40:34 AM",
                    "FEEDBACK_TOKEN": "f33db4ck",
                    "CITY": "Lisbon",
                    "COUNTRY": "Portugal",
                    "DEVICE_NAME": "Firefox",
                },
            },
            "response": {},
        });
    }
    let mut event = json!({
        "request": {
            "type": request_type,
            "code": SENDER_CODE,
            "userAttributes": attributes,
            "clientMetadata": null,
        },
        "response": {},
    });
    if is_admin_create(source) {
        // The invitation: no app client, a user who has not signed in yet.
        event["callerContext"] = without_app_client();
        event["request"]["userAttributes"]["cognito:user_status"] = json!("FORCE_CHANGE_PASSWORD");
    }
    event
}

pub(crate) fn custom_email_sender(source: &str) -> Value {
    sender("customEmailSenderRequestV1", source, existing_user())
}

pub(crate) fn custom_sms_sender(source: &str) -> Value {
    let mut attributes = existing_user();
    attributes["phone_number"] = json!("+351910000000");
    attributes["phone_number_verified"] = json!("true");
    sender("customSMSSenderRequestV1", source, attributes)
}

pub(crate) fn inbound_federation(_source: &str) -> Value {
    json!({
        "userName": "CorpOIDC_00u1a2b3c4",
        "request": {
            "providerName": "CorpOIDC",
            "providerType": "OIDC",
            "attributes": {
                "tokenResponse": {
                    "access_token": "eyJraWQiOi.EXAMPLE",
                    "token_type": "Bearer",
                    "expires_in": "3600",
                    "scope": "openid email",
                },
                "idToken": {
                    "sub": "00u1a2b3c4",
                    "email": EMAIL,
                    "email_verified": "true",
                    "name": "Ada Lovelace",
                },
                "userInfo": {"email": EMAIL, "given_name": "Ada", "family_name": "Lovelace"},
            },
        },
        "response": {"userAttributesToMap": {}},
    })
}
