//! The example pool's stores on real services: `examples::store::Store` on moto's DynamoDB
//! (written and read as the handlers do, with the items an operator may leave behind), and
//! what the handlers answer when the store does not answer at all. Built and run only with
//! the `store` feature: `cargo test -p examples --features store --test store`.

// Test code: a panic with the value is the clearest failure.
#![allow(clippy::unwrap_used)]

#[path = "support/moto.rs"]
mod moto;

use std::net::TcpListener;
use std::time::Duration;

use aws_sdk_dynamodb::types::{
    AttributeDefinition, AttributeValue, BillingMode, KeySchemaElement, KeyType,
    ScalarAttributeType,
};
use cognito_trigger::testing::TestEvent;
use cognito_trigger::{Context, PreAuthentication, PreTokenGenerationV1, UserMigration};
use examples::App;
use examples::store::{Created, Entitlements, LegacyUser, Profile, Store, StoreError, StoreNames};
use moto::Moto;
use serde_json::Value;

const USERS: &str = "users";
const LEGACY: &str = "legacy-users";
const LIMIT: Duration = Duration::from_secs(5);

async fn sdk(endpoint: &str) -> aws_config::SdkConfig {
    aws_config::defaults(aws_config::BehaviorVersion::latest())
        .endpoint_url(endpoint)
        .region(aws_config::Region::new("us-east-1"))
        .credentials_provider(aws_sdk_dynamodb::config::Credentials::new(
            "testing", "testing", None, None, "moto",
        ))
        .load()
        .await
}

fn names() -> StoreNames {
    StoreNames {
        users_table: USERS.to_owned(),
        legacy_users_table: Some(LEGACY.to_owned()),
        default_group: None,
    }
}

/// moto with both tables, the store on it, and a DynamoDB client to look inside.
async fn store_on_moto(test: &str) -> Option<(Moto, Store, aws_sdk_dynamodb::Client)> {
    let moto = Moto::start(test)?;
    let sdk = sdk(&moto.endpoint()).await;
    let dynamodb = aws_sdk_dynamodb::Client::new(&sdk);
    for (table, key) in [(USERS, "pk"), (LEGACY, "username")] {
        dynamodb
            .create_table()
            .table_name(table)
            .billing_mode(BillingMode::PayPerRequest)
            .attribute_definitions(
                AttributeDefinition::builder()
                    .attribute_name(key)
                    .attribute_type(ScalarAttributeType::S)
                    .build()
                    .unwrap(),
            )
            .key_schema(
                KeySchemaElement::builder()
                    .attribute_name(key)
                    .key_type(KeyType::Hash)
                    .build()
                    .unwrap(),
            )
            .send()
            .await
            .unwrap();
    }
    let store = Store::aws(&sdk, names());
    Some((moto, store, dynamodb))
}

fn profile(sub: &str, created_at: u64) -> Profile {
    Profile {
        sub: sub.to_owned(),
        username: "ada@example.com".to_owned(),
        email: "ada@example.com".to_owned(),
        created_at,
        entitlements: Entitlements {
            tier: "gold".to_owned(),
            tenant: Some("example.com".to_owned()),
            roles: vec!["editor".to_owned(), "billing".to_owned()],
        },
    }
}

async fn put(dynamodb: &aws_sdk_dynamodb::Client, table: &str, item: &[(&str, AttributeValue)]) {
    let mut request = dynamodb.put_item().table_name(table);
    for (name, value) in item {
        request = request.item(*name, value.clone());
    }
    request.send().await.unwrap();
}

fn s(text: &str) -> AttributeValue {
    AttributeValue::S(text.to_owned())
}

#[tokio::test]
async fn a_profile_is_written_once_and_its_entitlements_read_back() {
    let Some((_moto, store, dynamodb)) = store_on_moto("store").await else {
        return;
    };
    assert_eq!(store.entitlements("8f1e", LIMIT).await.unwrap(), None);
    let first = profile("8f1e", 1_700_000_000);
    assert_eq!(
        store.create_profile(&first, LIMIT).await.unwrap(),
        Created::Now
    );
    // A confirmation delivered again writes nothing, even with other values.
    let again = Profile {
        created_at: 1_800_000_000,
        entitlements: Entitlements::default(),
        ..first.clone()
    };
    assert_eq!(
        store.create_profile(&again, LIMIT).await.unwrap(),
        Created::Before
    );
    assert_eq!(
        store.entitlements("8f1e", LIMIT).await.unwrap(),
        Some(first.entitlements.clone())
    );
    let items = dynamodb.scan().table_name(USERS).send().await.unwrap();
    assert_eq!(items.count(), 1);
    let item = &items.items()[0];
    assert_eq!(item["pk"], s("user#8f1e"));
    assert_eq!(
        item["created_at"],
        AttributeValue::N("1700000000".to_owned())
    );
    assert_eq!(item["email"], s("ada@example.com"));
}

#[tokio::test]
async fn entitlements_an_operator_wrote_are_read_and_a_broken_item_is_a_clear_error() {
    let Some((_moto, store, dynamodb)) = store_on_moto("store").await else {
        return;
    };
    // Written by hand: roles as a string set, no tenant.
    put(
        &dynamodb,
        USERS,
        &[
            ("pk", s("user#by-hand")),
            ("tier", s("silver")),
            ("roles", AttributeValue::Ss(vec!["admin".to_owned()])),
        ],
    )
    .await;
    let read = store.entitlements("by-hand", LIMIT).await.unwrap().unwrap();
    assert_eq!(read.tier, "silver");
    assert_eq!(read.tenant, Entitlements::default().tenant);
    assert_eq!(read.roles, ["admin"]);

    put(
        &dynamodb,
        USERS,
        &[
            ("pk", s("user#broken")),
            ("roles", AttributeValue::N("3".to_owned())),
        ],
    )
    .await;
    let error = store.entitlements("broken", LIMIT).await.unwrap_err();
    assert!(matches!(error, StoreError::Corrupt(_)), "{error:?}");
    assert_eq!(
        error.to_string(),
        "the store holds an item it cannot read: a profile's roles are not a list"
    );
}

#[tokio::test]
async fn legacy_users_are_checked_against_their_argon2_hash() {
    let Some((_moto, store, dynamodb)) = store_on_moto("store").await else {
        return;
    };
    let carol = LegacyUser::with_password("Carol", "Migr4ted!pw");
    put(
        &dynamodb,
        LEGACY,
        &[
            ("username", s("carol@example.com")),
            ("name", s("Carol")),
            ("email", s("carol@legacy.example.com")),
            ("password_hash", s(carol.password_hash())),
        ],
    )
    .await;
    let found = store
        .legacy_user("Carol@Example.com", LIMIT)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(found.name, "Carol");
    assert_eq!(found.email.as_deref(), Some("carol@legacy.example.com"));
    assert!(found.verify("Migr4ted!pw").await);
    assert!(!found.verify("Migr4ted!pW").await);
    assert!(
        store
            .legacy_user("dave@example.com", LIMIT)
            .await
            .unwrap()
            .is_none()
    );

    // A record without a hash, or with a plain-text password, is not a user to let in.
    put(
        &dynamodb,
        LEGACY,
        &[
            ("username", s("eve@example.com")),
            ("password_hash", s("secret")),
        ],
    )
    .await;
    let error = store
        .legacy_user("eve@example.com", LIMIT)
        .await
        .unwrap_err();
    assert!(matches!(error, StoreError::Corrupt(_)), "{error:?}");
    assert!(!error.to_string().contains("secret"), "{error}");
}

#[tokio::test]
async fn the_deny_list_is_read_case_insensitively() {
    let Some((_moto, store, dynamodb)) = store_on_moto("store").await else {
        return;
    };
    put(&dynamodb, USERS, &[("pk", s("deny#mallory@example.com"))]).await;
    // By any of the user's identities; a UUID username does not hide the email.
    let mallory = [
        "5f0c6a1e-0000-4000-8000-00000000000a",
        "Mallory@example.com",
    ];
    assert!(store.is_denied(&mallory, LIMIT).await.unwrap());
    assert!(
        !store
            .is_denied(&["ada@example.com", "ada@example.com"], LIMIT)
            .await
            .unwrap()
    );
    assert!(!store.is_denied(&[], LIMIT).await.unwrap());
}

/// The answer of the pool, on `store`, to `event`, with `remaining` before Lambda's deadline.
async fn answer(
    store: &Store,
    event: Vec<u8>,
    remaining: Duration,
) -> Result<Value, (String, String)> {
    let pool = examples::pool(App::with_store(store.clone()));
    let context = Context::new("r1").with_remaining(remaining);
    pool.invoke(&event, &context)
        .await
        .map(|bytes| serde_json::from_slice(&bytes).unwrap())
        .map_err(|e| (e.error_type().to_owned(), e.error_message().to_owned()))
}

#[tokio::test]
async fn a_store_that_never_answers_times_out_and_each_handler_fails_as_documented() {
    // Accepts connections (the kernel's backlog) and never answers.
    let black_hole = TcpListener::bind("127.0.0.1:0").unwrap();
    let endpoint = format!("http://{}", black_hole.local_addr().unwrap());
    let store = Store::aws(&sdk(&endpoint).await, names());

    let error = store
        .is_denied(&["ada@example.com"], Duration::from_millis(200))
        .await
        .unwrap_err();
    assert!(matches!(error, StoreError::Timeout(_)), "{error:?}");

    let remaining = Duration::from_millis(900);
    let started = std::time::Instant::now();
    let (sign_in, tokens, migration) = tokio::join!(
        answer(
            &store,
            TestEvent::<PreAuthentication>::new().to_bytes(),
            remaining
        ),
        answer(
            &store,
            TestEvent::<PreTokenGenerationV1>::new().to_bytes(),
            remaining
        ),
        answer(
            &store,
            TestEvent::<UserMigration>::new()
                .user_name("carol@example.com")
                .password("Migr4ted!pw")
                .to_bytes(),
            remaining,
        ),
    );
    // Each answered before Lambda's deadline.
    assert!(started.elapsed() < remaining, "{:?}", started.elapsed());
    // Pre authentication fails closed, with a message the user may read.
    assert_eq!(
        sign_in.unwrap_err(),
        (
            "Rejected".to_owned(),
            "Sign-in is unavailable right now. Try again in a few minutes".to_owned()
        )
    );
    // Pre token generation fails open, to the default entitlements.
    let tokens = tokens.unwrap();
    let claims = &tokens["response"]["claimsOverrideDetails"]["claimsToAddOrOverride"];
    assert_eq!(claims["tier"], "free");
    assert!(claims.get("tenant").is_none(), "{claims}");
    // User migration fails as an internal error: the store's failure and the password stay
    // out of what the user reads.
    let (kind, message) = migration.unwrap_err();
    assert_eq!(kind, "InternalError");
    assert!(
        !message.contains("store") && !message.contains("Migr4ted"),
        "{message}"
    );
    drop(black_hole);
}
