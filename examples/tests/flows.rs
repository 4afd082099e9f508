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

use cognito_trigger::testing::{Cognito, Tokens, UserStatus};
use cognito_trigger::{CustomEmailSender, CustomSmsSender, PreTokenGenerationV1, Trigger};
use examples::App;
use examples::store::{Entitlements, LegacyUser, MemoryStore, Store};

/// What the e2e puts in its stores: one legacy user, one denied user.
fn store() -> MemoryStore {
    let store = MemoryStore::default().with_default_group("members");
    store.add_legacy_user(
        "carol@example.com",
        LegacyUser::with_password("Carol", "Migr4ted!pw").with_email("carol@example.com"),
    );
    store.deny("mallory@example.com");
    store
}

/// The example pool as the e2e configures it, on `store`.
fn app_with(store: &MemoryStore) -> App {
    let mut app = App::with_store(Store::from(store.clone()));
    app.allowed_domains = vec!["example.com".to_owned(), "example.org".to_owned()];
    app.auto_confirm_domains = vec!["example.com".to_owned()];
    app.custom_email = true;
    app
}

/// The example pool as the e2e configures it, on the e2e's store.
fn app() -> App {
    app_with(&store())
}

/// A user pool whose `LambdaConfig` names every trigger but the custom senders, with
/// pre token generation in V1_0 (what cognito-local sends).
fn cognito() -> Cognito<App> {
    cognito_on(&store())
}

/// [`cognito`], on `store`.
fn cognito_on(store: &MemoryStore) -> Cognito<App> {
    Cognito::new(examples::pool(app_with(store)))
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

/// The tokens `username` gets for signing in with `password` (no challenge expected).
fn tokens_of(cognito: &mut Cognito<App>, username: &str, password: &str) -> Tokens {
    cognito
        .sign_in(username, password)
        .unwrap()
        .tokens()
        .unwrap()
}

/// The `sub` the simulated pool gave `username`.
fn sub_of(cognito: &Cognito<App>, username: &str) -> String {
    cognito.user(username).unwrap().attributes["sub"].clone()
}

#[test]
fn v3_tokens_carry_the_stored_entitlements_and_admins_get_the_reports_scope() {
    let store = store();
    let mut cognito = Cognito::new(examples::pool(app_with(&store)));
    cognito.add_confirmed_user(
        "ada@example.com",
        "Passw0rd!",
        &[("email", "ada@example.com")],
    );
    let gold = Entitlements {
        tier: "gold".to_owned(),
        tenant: Some("acme".to_owned()),
        roles: vec!["editor".to_owned(), "not a scope".to_owned()],
    };
    store.set_entitlements(
        &sub_of(&cognito, "ada@example.com"),
        "ada@example.com",
        gold,
    );
    cognito
        .admin_add_user_to_group("ada@example.com", "admins")
        .unwrap();
    let tokens = tokens_of(&mut cognito, "ada@example.com", "Passw0rd!");
    assert_eq!(tokens.id_token["tier"], "gold");
    assert_eq!(tokens.id_token["tenant"], "acme");
    assert_eq!(tokens.access_token["tier"], "gold");
    assert_eq!(tokens.access_token["roles"], serde_json::json!(["editor"]));
    assert_eq!(tokens.access_token["groups"], serde_json::json!(["admins"]));
    assert_eq!(
        tokens.scopes(),
        [
            "aws.cognito.signin.user.admin",
            "app/editor",
            "reports/admin"
        ]
    );
}

#[test]
fn a_confirmed_user_gets_one_profile_and_the_default_group_and_changing_it_changes_the_next_token()
{
    let store = store();
    let mut cognito = cognito_on(&store);
    cognito
        .sign_up(
            "bob@example.org",
            "Passw0rd!",
            &[("email", "bob@example.org")],
        )
        .unwrap();
    let code = cognito.last_delivery().unwrap().code.clone();
    cognito.confirm_sign_up("bob@example.org", &code).unwrap();
    let sub = sub_of(&cognito, "bob@example.org");
    let profile = store.profile(&sub).unwrap();
    assert_eq!(profile.email, "bob@example.org");
    // Nothing an operator has not granted: no tenant, no roles.
    assert_eq!(profile.entitlements, Entitlements::default());
    assert_eq!(store.groups_of("bob@example.org"), ["members"]);

    let tokens = tokens_of(&mut cognito, "bob@example.org", "Passw0rd!");
    assert_eq!(tokens.id_token["tier"], "free");
    let gold = Entitlements {
        tier: "gold".to_owned(),
        tenant: Some("acme".to_owned()),
        roles: Vec::new(),
    };
    store.set_entitlements(&sub, "bob@example.org", gold);
    let tokens = tokens_of(&mut cognito, "bob@example.org", "Passw0rd!");
    assert_eq!(tokens.id_token["tier"], "gold");
    assert_eq!(tokens.id_token["tenant"], "acme");
}

#[test]
fn a_confirmation_delivered_twice_leaves_one_unchanged_profile() {
    use cognito_trigger::testing::TestEvent;
    use cognito_trigger::{PostConfirmation, PostConfirmationSource};

    let store = store();
    let pool = examples::pool(app_with(&store));
    let event = TestEvent::<PostConfirmation>::new()
        .source(PostConfirmationSource::ConfirmSignUp)
        .attribute("sub", "0d6b4f5e-1111-2222-3333-444455556666")
        .attribute("email", "erin@example.org");
    event.run_pool(&pool).unwrap();
    let first = store
        .profile("0d6b4f5e-1111-2222-3333-444455556666")
        .unwrap();
    event.run_pool(&pool).unwrap();
    assert_eq!(store.profile_writes(), 2);
    assert_eq!(store.profile_count(), 1);
    assert_eq!(
        store
            .profile("0d6b4f5e-1111-2222-3333-444455556666")
            .unwrap(),
        first
    );
}

#[test]
fn a_migrated_user_signs_in_with_the_legacy_password_and_a_wrong_one_is_refused() {
    let mut cognito = cognito();
    let error = cognito
        .sign_in("carol@example.com", "migr4ted!pw")
        .unwrap_err();
    assert!(
        error
            .to_string()
            .contains("Incorrect username or password."),
        "{error}"
    );
    assert!(cognito.user("carol@example.com").is_none());
    let signed_in = cognito.sign_in("carol@example.com", "Migr4ted!pw").unwrap();
    assert!(signed_in.tokens().is_some());
    assert_eq!(
        cognito.user("carol@example.com").unwrap().attributes["name"],
        "Carol"
    );
}

#[test]
fn without_stored_data_nobody_migrates_and_tokens_carry_the_defaults() {
    let mut cognito = cognito_on(&MemoryStore::default());
    assert!(cognito.sign_in("carol@example.com", "Migr4ted!pw").is_err());
    cognito.add_confirmed_user(
        "mallory@example.com",
        "Passw0rd!",
        &[("email", "mallory@example.com")],
    );
    let tokens = tokens_of(&mut cognito, "mallory@example.com", "Passw0rd!");
    assert_eq!(tokens.id_token["tier"], "free");
    // No tenant is not another tenant: the claim is left out.
    assert!(tokens.id_token.get("tenant").is_none());
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
    let store = store();
    let mut cognito = cognito_on(&store);
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
                ("custom:internal_notes", "vip"),
            ];
            let status = c
                .sign_up("ada@example.com", password, &attributes)
                .map_err(|e| e.to_string())?;
            expect(status == UserStatus::Confirmed, format!("ada is {status}"))?;
            let sub = &c.user("ada@example.com").ok_or("ada is gone")?.attributes["sub"];
            expect(store.profile(sub).is_some(), "no profile for ada")
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
            let bob = c.user("bob@example.org").ok_or("bob is gone")?;
            expect(
                bob.status == UserStatus::Confirmed,
                format!("bob is {} after confirming", bob.status),
            )?;
            let profile = store
                .profile(&bob.attributes["sub"])
                .ok_or("no profile for bob")?;
            expect(
                profile.email == "bob@example.org"
                    && profile.entitlements == Entitlements::default(),
                format!("bob's profile: {profile:?}"),
            )?;
            let groups = store.groups_of("bob@example.org");
            expect(groups == ["members"], format!("bob's groups: {groups:?}"))
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
            // The profile post confirmation wrote: the free tier, no tenant yet.
            expect(
                tokens.id_token["tier"] == "free" && tokens.id_token.get("tenant").is_none(),
                format!("not the stored entitlements: {:?}", tokens.id_token),
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
    run(
        "entitlements changed in the store, then refresh",
        &mut cognito,
        &|c| {
            let sub = c.user("ada@example.com").ok_or("ada is gone")?.attributes["sub"].clone();
            let gold = Entitlements {
                tier: "gold".to_owned(),
                tenant: Some("acme".to_owned()),
                roles: vec!["editor".to_owned()],
            };
            store.set_entitlements(&sub, "ada@example.com", gold);
            let tokens = c
                .sign_in("ada@example.com", password)
                .map_err(|e| e.to_string())?
                .tokens()
                .ok_or("a challenge")?;
            expect(
                tokens.id_token["tier"] == "gold"
                    && tokens.id_token["tenant"] == "acme"
                    && tokens.id_token["roles"] == "editor",
                format!("the change did not reach the token: {:?}", tokens.id_token),
            )?;
            let refreshed = c.refresh(&tokens).map_err(|e| e.to_string())?;
            expect(
                refreshed.id_token["tier"] == "gold",
                "no tier claim after refresh",
            )
        },
    );
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
    run(
        "migration refuses a wrong legacy password",
        &mut cognito,
        &|c| {
            let refused = c.sign_in("carol@example.com", "migr4ted!pw");
            expect(
                refused
                    .as_ref()
                    .is_err_and(|e| e.to_string().contains("Incorrect username or password")),
                format!("a wrong legacy password signed in: {refused:?}"),
            )?;
            expect(c.user("carol@example.com").is_none(), "carol was created")
        },
    );
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
