//! The example pool's handlers in Cognito's flows, through the test kit's simulated user
//! pool: what a client observes (status, messages, token claims, errors).
//!
//! `simulated_e2e_flows` runs the same flows as `cargo xtask e2e` runs through
//! cognito-local, with the same configuration and assertions. With
//! `COGNITO_TRIGGER_SIMULATED_FLOWS=<file>` it writes each flow's outcome and trigger
//! sources there, and the e2e checks that cognito-local agrees.

// Test code: a panic with the value is the clearest failure.
#![allow(clippy::unwrap_used)]

use std::collections::BTreeMap;

use cognito_trigger::testing::{Cognito, UserStatus};
use cognito_trigger::{CustomEmailSender, CustomSmsSender, PreTokenGenerationV1, Trigger};
use examples::App;

/// The example pool as the e2e configures it.
fn app() -> App {
    let mut app = App::from_env();
    app.allowed_domains = vec!["example.com".to_owned(), "example.org".to_owned()];
    app.auto_confirm_domains = vec!["example.com".to_owned()];
    app.custom_email = true;
    app
}

/// A user pool whose `LambdaConfig` names every trigger but the custom senders, with
/// pre token generation in V1_0 (what cognito-local sends).
fn cognito() -> Cognito<App> {
    Cognito::new(examples::pool(app()))
        .without(CustomEmailSender::KIND)
        .without(CustomSmsSender::KIND)
        .pre_token_generation(PreTokenGenerationV1::KIND)
}

#[test]
fn custom_auth_wrong_code_then_right_code() {
    let mut cognito = cognito();
    cognito.add_confirmed_user(
        "ada@example.com",
        "Passw0rd!",
        &[("email", "ada@example.com")],
    );
    let challenge = cognito
        .custom_auth("ada@example.com")
        .unwrap()
        .challenge()
        .unwrap();
    assert_eq!(challenge.parameters["deliveredTo"], "a***@example.com");
    let retry = cognito
        .answer_challenge(challenge, "000000")
        .unwrap()
        .challenge()
        .unwrap();
    let code = retry.private_parameter("code").unwrap().to_owned();
    let tokens = cognito
        .answer_challenge(retry, &code)
        .unwrap()
        .tokens()
        .unwrap();
    assert_eq!(tokens.id_token["email"], "ada@example.com");
}

#[test]
fn custom_auth_fails_after_three_wrong_codes() {
    let mut cognito = cognito();
    cognito.add_confirmed_user(
        "ada@example.com",
        "Passw0rd!",
        &[("email", "ada@example.com")],
    );
    let mut challenge = cognito
        .custom_auth("ada@example.com")
        .unwrap()
        .challenge()
        .unwrap();
    for _ in 0..2 {
        challenge = cognito
            .answer_challenge(challenge, "000000")
            .unwrap()
            .challenge()
            .unwrap();
    }
    let error = cognito.answer_challenge(challenge, "000000").unwrap_err();
    assert_eq!(error.exception(), "NotAuthorizedException");
}

#[test]
fn a_blocked_user_cannot_sign_in() {
    let mut cognito = cognito();
    cognito.add_confirmed_user(
        "mallory@example.com",
        "Passw0rd!",
        &[("email", "mallory@example.com")],
    );
    let error = cognito
        .sign_in("mallory@example.com", "Passw0rd!")
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "UserLambdaValidationException: PreAuthentication failed with error This account is blocked. Contact support."
    );
}

#[test]
fn v3_tokens_carry_the_tier_in_both_tokens_and_admins_get_the_reports_scope() {
    let mut cognito = Cognito::new(examples::pool(app()));
    cognito.add_confirmed_user(
        "ada@example.com",
        "Passw0rd!",
        &[("email", "ada@example.com"), ("custom:tier", "gold")],
    );
    cognito
        .admin_add_user_to_group("ada@example.com", "admins")
        .unwrap();
    let tokens = cognito
        .sign_in("ada@example.com", "Passw0rd!")
        .unwrap()
        .tokens()
        .unwrap();
    assert_eq!(tokens.id_token["tier"], "gold");
    assert_eq!(tokens.access_token["tier"], "gold");
    assert_eq!(tokens.access_token["groups"], serde_json::json!(["admins"]));
    assert_eq!(
        tokens.scopes(),
        ["aws.cognito.signin.user.admin", "reports/admin"]
    );
}

#[test]
fn the_custom_email_sender_gets_the_sign_up_code() {
    let mut cognito = Cognito::new(examples::pool(app()));
    cognito
        .sign_up(
            "bob@example.org",
            "Passw0rd!",
            &[("email", "bob@example.org")],
        )
        .unwrap();
    let delivery = cognito.last_delivery().unwrap();
    assert_eq!(delivery.trigger_source, "CustomEmailSender_SignUp");
    assert_eq!(delivery.sender_error, None);
    assert!(
        cognito
            .invocations()
            .contains(&"CustomEmailSender_SignUp".to_owned())
    );
}

/// One flow's outcome: `Ok` or what went wrong.
type Outcome = Result<(), String>;

fn expect(condition: bool, what: impl std::fmt::Display) -> Outcome {
    if condition {
        Ok(())
    } else {
        Err(what.to_string())
    }
}

/// The e2e's flows (those a simulated pool can run: not managed login), in its order,
/// on one pool, each asserting what the e2e asserts.
#[test]
fn simulated_e2e_flows() {
    let mut cognito = cognito();
    let password = "Passw0rd!e2e";
    let mut flows: Vec<(&str, Outcome, Vec<String>)> = Vec::new();
    let mut run = |name: &'static str,
                   cognito: &mut Cognito<App>,
                   flow: &dyn Fn(&mut Cognito<App>) -> Outcome| {
        let before = cognito.invocations().len();
        let outcome = flow(cognito);
        let sources = cognito.invocations()[before..].to_vec();
        flows.push((name, outcome, sources));
    };
    run(
        "sign-up, auto-confirmed by pre sign-up",
        &mut cognito,
        &|c| {
            let attributes = [
                ("email", "ada@example.com"),
                ("custom:tier", "gold"),
                ("custom:internal_notes", "vip"),
            ];
            let status = c
                .sign_up("ada@example.com", password, &attributes)
                .map_err(|e| e.to_string())?;
            expect(status == UserStatus::Confirmed, format!("ada is {status}"))
        },
    );
    run(
        "sign-up, then confirmed with the code",
        &mut cognito,
        &|c| {
            let status = c
                .sign_up("bob@example.org", password, &[("email", "bob@example.org")])
                .map_err(|e| e.to_string())?;
            expect(
                status == UserStatus::Unconfirmed,
                format!("bob is {status}"),
            )?;
            let delivery = c.last_delivery().ok_or("no message")?.clone();
            expect(
                delivery.message.as_deref()
                    == Some(&*format!(
                        "<p>Welcome! Your confirmation code is {}.</p>",
                        delivery.code
                    )),
                format!("message: {:?}", delivery.message),
            )?;
            c.confirm_sign_up("bob@example.org", &delivery.code)
                .map_err(|e| e.to_string())?;
            let status = c.user("bob@example.org").ok_or("bob is gone")?.status;
            expect(
                status == UserStatus::Confirmed,
                format!("bob is {status} after confirming"),
            )
        },
    );
    run("sign-up rejected by pre sign-up", &mut cognito, &|c| {
        let refused = c.sign_up("eve@evil.test", password, &[("email", "eve@evil.test")]);
        expect(
            refused.as_ref().is_err_and(|e| {
                e.to_string()
                    == "UserLambdaValidationException: PreSignUp failed with error Sign-up is open to company addresses only."
            }),
            format!("sign-up was not refused as Cognito would: {refused:?}"),
        )?;
        expect(c.user("eve@evil.test").is_none(), "eve exists")
    });
    run(
        "password sign-in: claims added and suppressed",
        &mut cognito,
        &|c| {
            let tokens = c
                .sign_in("ada@example.com", password)
                .map_err(|e| e.to_string())?
                .tokens()
                .ok_or("a challenge")?;
            expect(
                tokens.id_token["tier"] == "gold",
                format!("no tier claim: {:?}", tokens.id_token),
            )?;
            expect(
                tokens.id_token.get("custom:internal_notes").is_none(),
                "custom:internal_notes not suppressed",
            )?;
            expect(
                tokens.id_token["email"] == "ada@example.com",
                "email claim missing",
            )
        },
    );
    run("refresh", &mut cognito, &|c| {
        let tokens = c
            .sign_in("ada@example.com", password)
            .map_err(|e| e.to_string())?
            .tokens()
            .ok_or("a challenge")?;
        let refreshed = c.refresh(&tokens).map_err(|e| e.to_string())?;
        expect(
            refreshed.id_token["tier"] == "gold",
            "no tier claim after refresh",
        )
    });
    run(
        "admin create user, new password challenge",
        &mut cognito,
        &|c| {
            c.admin_create_user(
                "frank@example.com",
                "Temp0rary!pw",
                &[("email", "frank@example.com")],
            )
            .map_err(|e| e.to_string())?;
            let message = c
                .last_delivery()
                .and_then(|d| d.message.clone())
                .unwrap_or_default();
            expect(
                message.contains("with the temporary password Temp0rary!pw"),
                format!("invitation: {message}"),
            )?;
            let challenge = c
                .sign_in("frank@example.com", "Temp0rary!pw")
                .map_err(|e| e.to_string())?
                .challenge()
                .ok_or("no challenge")?;
            expect(
                challenge.name == "NEW_PASSWORD_REQUIRED",
                format!("challenge {}", challenge.name),
            )?;
            let answered = c
                .answer_challenge(challenge, "Perm4nent!pw")
                .map_err(|e| e.to_string())?;
            expect(
                answered.tokens().is_some(),
                "no tokens after the new password",
            )
        },
    );
    run("forgot password", &mut cognito, &|c| {
        // Bob's email was verified by his confirmation code.
        c.forgot_password("bob@example.org")
            .map_err(|e| e.to_string())?;
        let delivery = c.last_delivery().ok_or("no message")?.clone();
        expect(
            delivery.message.as_deref()
                == Some(&*format!(
                    "<p>Your password reset code is {}.</p>",
                    delivery.code
                )),
            format!("message: {:?}", delivery.message),
        )?;
        c.confirm_forgot_password("bob@example.org", &delivery.code, "N3wPassw0rd!")
            .map_err(|e| e.to_string())?;
        c.sign_in("bob@example.org", "N3wPassw0rd!")
            .map(drop)
            .map_err(|e| e.to_string())
    });
    run("attribute update and verification", &mut cognito, &|c| {
        c.sign_in("ada@example.com", password)
            .map_err(|e| e.to_string())?;
        let update = [
            ("custom:tier", "platinum"),
            ("email", "ada.new@example.com"),
        ];
        c.update_user_attributes("ada@example.com", &update)
            .map_err(|e| e.to_string())?;
        c.get_user_attribute_verification_code("ada@example.com", "email")
            .map_err(|e| e.to_string())?;
        let delivery = c.last_delivery().ok_or("no message")?.clone();
        expect(
            delivery.message.as_deref()
                == Some(&*format!(
                    "<p>Your verification code is {}.</p>",
                    delivery.code
                )),
            format!("message: {:?}", delivery.message),
        )?;
        c.verify_user_attribute("ada@example.com", "email", &delivery.code)
            .map_err(|e| e.to_string())
    });
    run("unknown user migrated at sign-in", &mut cognito, &|c| {
        let signed_in = c
            .sign_in("carol@example.com", "Migr4ted!pw")
            .map_err(|e| e.to_string())?;
        expect(
            signed_in.tokens().is_some(),
            "no tokens for the migrated user",
        )?;
        let status = c
            .user("carol@example.com")
            .ok_or("carol was not created")?
            .status;
        expect(
            status == UserStatus::Confirmed,
            format!("carol is {status}"),
        )
    });
    run(
        "migrated user signs in without migration",
        &mut cognito,
        &|c| {
            let before = c.invocations().len();
            c.sign_in("carol@example.com", "Migr4ted!pw")
                .map_err(|e| e.to_string())?;
            let again = &c.invocations()[before..];
            expect(
                !again.iter().any(|s| s.starts_with("UserMigration_")),
                format!("migration ran again: {again:?}"),
            )
        },
    );
    let failed: Vec<String> = flows
        .iter()
        .filter_map(|(name, outcome, _)| outcome.as_ref().err().map(|e| format!("{name}: {e}")))
        .collect();
    if let Some(path) = std::env::var_os("COGNITO_TRIGGER_SIMULATED_FLOWS") {
        let report: BTreeMap<&str, serde_json::Value> = flows
            .iter()
            .map(|(name, outcome, sources)| {
                (
                    *name,
                    serde_json::json!({"passed": outcome.is_ok(), "sources": sources}),
                )
            })
            .collect();
        std::fs::write(path, serde_json::to_vec_pretty(&report).unwrap()).unwrap();
    }
    assert!(failed.is_empty(), "{failed:#?}");
}
