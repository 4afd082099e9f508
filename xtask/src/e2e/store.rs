//! The example pool's stores in the e2e (`examples/src/store.rs`, feature `store`): the
//! users table and the legacy users table on moto's DynamoDB, the default group through
//! cognito-local's Cognito API. The flows check what the client observes and what the
//! store holds afterwards.

use argon2::PasswordHasher as _;
use argon2::password_hash::SaltString;
use serde_json::{Value, json};

use super::{CognitoLocal, E2e, Flow, MOTO_PORT, Tools, WATCH_PORT, expect};

/// The example pool with its stores on AWS (DynamoDB, the Cognito API).
pub(super) const POOL_WITH_STORE: crate::watch::Function = crate::watch::Function {
    features: &["store"],
    ..crate::watch::POOL
};

pub(super) const USERS_TABLE: &str = "e2e-users";
pub(super) const LEGACY_USERS_TABLE: &str = "e2e-legacy-users";
pub(super) const DEFAULT_GROUP: &str = "members";

/// The legacy store's user, and the password she had there.
pub(super) const LEGACY_USER: (&str, &str) = ("carol@example.com", "Migr4ted!pw");
/// The user on the deny list.
pub(super) const DENIED_USER: &str = "mallory@example.com";

fn moto() -> String {
    format!("http://127.0.0.1:{MOTO_PORT}")
}

/// The pool's environment for its stores: DynamoDB on moto, the Cognito API on the plain
/// cognito-local (service-specific endpoints of the AWS SDK configuration).
pub(super) fn pool_environment(cognito_port: u16) -> Vec<(&'static str, String)> {
    vec![
        ("USERS_TABLE", USERS_TABLE.to_owned()),
        ("LEGACY_USERS_TABLE", LEGACY_USERS_TABLE.to_owned()),
        ("DEFAULT_GROUP", DEFAULT_GROUP.to_owned()),
        ("AWS_ENDPOINT_URL_DYNAMODB", moto()),
        (
            "AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER",
            format!("http://127.0.0.1:{cognito_port}"),
        ),
        ("AWS_REGION", "us-east-1".to_owned()),
        ("AWS_ACCESS_KEY_ID", "local".to_owned()),
        ("AWS_SECRET_ACCESS_KEY", "local".to_owned()),
    ]
}

/// Creates both tables on moto and what the e2e starts from: the legacy user (with an
/// Argon2 hash of her password, as the legacy store keeps it) and the denied user.
pub(super) fn seed(tools: &Tools) -> Result<(), String> {
    let moto = moto();
    for (table, key) in [(USERS_TABLE, "pk"), (LEGACY_USERS_TABLE, "username")] {
        let definition = format!("AttributeName={key},AttributeType=S");
        let schema = format!("AttributeName={key},KeyType=HASH");
        tools.aws(
            &moto,
            &[
                "dynamodb",
                "create-table",
                "--table-name",
                table,
                "--attribute-definitions",
                &definition,
                "--key-schema",
                &schema,
                "--billing-mode",
                "PAY_PER_REQUEST",
            ],
        )?;
    }
    let (username, password) = LEGACY_USER;
    let mut salt = [0_u8; 16];
    getrandom::fill(&mut salt).map_err(|e| e.to_string())?;
    let salt = SaltString::encode_b64(&salt).map_err(|e| e.to_string())?;
    let hash = argon2::Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map_err(|e| e.to_string())?
        .to_string();
    let legacy = json!({"username": {"S": username}, "name": {"S": "Carol"},
        "email": {"S": username}, "password_hash": {"S": hash}});
    let denied = json!({"pk": {"S": format!("deny#{DENIED_USER}")}, "reason": {"S": "e2e"}});
    for (table, item) in [(LEGACY_USERS_TABLE, legacy), (USERS_TABLE, denied)] {
        tools.aws(
            &moto,
            &[
                "dynamodb",
                "put-item",
                "--table-name",
                table,
                "--item",
                &item.to_string(),
            ],
        )?;
    }
    Ok(())
}

impl E2e<'_> {
    /// Creates the default group in the pool, as an administrator would.
    pub(super) fn create_default_group(
        &self,
        cognito: &CognitoLocal,
        pool: &str,
    ) -> Result<(), String> {
        self.aws(
            cognito,
            &[
                "cognito-idp",
                "create-group",
                "--user-pool-id",
                pool,
                "--group-name",
                DEFAULT_GROUP,
            ],
        )
        .map(drop)
    }

    /// The `sub` cognito-local gave `username`.
    pub(super) fn sub_of(
        &self,
        cognito: &CognitoLocal,
        pool: &str,
        username: &str,
    ) -> Result<String, String> {
        let user = self.admin_get_user(cognito, pool, username)?;
        user["UserAttributes"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|a| a["Name"] == "sub")
            .and_then(|a| a["Value"].as_str())
            .map(str::to_owned)
            .ok_or_else(|| format!("{username} has no sub: {user}"))
    }

    /// The profile of the user with this `sub` in the users table, if any.
    pub(super) fn profile(&self, sub: &str) -> Result<Option<Value>, String> {
        let key = json!({"pk": {"S": format!("user#{sub}")}}).to_string();
        let found = self.tools.aws(
            &moto(),
            &[
                "dynamodb",
                "get-item",
                "--table-name",
                USERS_TABLE,
                "--key",
                &key,
                "--consistent-read",
            ],
        )?;
        Ok(found.get("Item").cloned())
    }

    /// How many profile items the users table has for `email`.
    pub(super) fn profiles_of(&self, email: &str) -> Result<usize, String> {
        let values = json!({":e": {"S": email}}).to_string();
        let scanned = self.tools.aws(
            &moto(),
            &[
                "dynamodb",
                "scan",
                "--table-name",
                USERS_TABLE,
                "--filter-expression",
                "email = :e",
                "--expression-attribute-values",
                &values,
            ],
        )?;
        Ok(scanned["Items"].as_array().map_or(0, Vec::len))
    }

    /// Changes the entitlements in the profile of the user with this `sub`, as an operator
    /// would.
    pub(super) fn set_entitlements(
        &self,
        sub: &str,
        tier: &str,
        tenant: &str,
        roles: &[&str],
    ) -> Result<(), String> {
        let key = json!({"pk": {"S": format!("user#{sub}")}}).to_string();
        let roles: Vec<Value> = roles.iter().map(|r| json!({"S": r})).collect();
        let values = json!({":t": {"S": tier}, ":n": {"S": tenant}, ":r": {"L": roles}});
        self.tools
            .aws(
                &moto(),
                &[
                    "dynamodb",
                    "update-item",
                    "--table-name",
                    USERS_TABLE,
                    "--key",
                    &key,
                    "--update-expression",
                    "SET tier = :t, tenant = :n, #roles = :r",
                    "--expression-attribute-names",
                    r##"{"#roles":"roles"}"##,
                    "--expression-attribute-values",
                    &values.to_string(),
                    "--condition-expression",
                    "attribute_exists(pk)",
                ],
            )
            .map(drop)
    }

    /// The groups the user `username` belongs to. cognito-local 5.3.0 matches the group's
    /// members against the name as given, not the user it finds: give the user's internal
    /// username, which in an email pool is the `sub` (what Cognito sends as `userName`).
    pub(super) fn groups_of(
        &self,
        cognito: &CognitoLocal,
        pool: &str,
        username: &str,
    ) -> Result<Vec<String>, String> {
        let groups = self.aws(
            cognito,
            &[
                "cognito-idp",
                "admin-list-groups-for-user",
                "--user-pool-id",
                pool,
                "--username",
                username,
            ],
        )?;
        Ok(groups["Groups"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|g| g["GroupName"].as_str().map(str::to_owned))
            .collect())
    }

    /// Invokes the pool directly through the Lambda Invoke API, as Cognito would for a
    /// trigger cognito-local does not run or a delivery it would repeat: (HTTP status,
    /// answer).
    fn invoke_pool(&self, event: &Value) -> Result<(u16, Value), String> {
        let agent = crate::watch::agent(std::time::Duration::from_secs(30));
        let endpoint = format!("http://127.0.0.1:{WATCH_PORT}");
        let (status, body) =
            crate::watch::invoke(&agent, &endpoint, "pool", event.to_string().as_bytes())?;
        let answer = serde_json::from_slice(&body).map_err(|e| e.to_string())?;
        Ok((status, answer))
    }

    /// The flows that need the store's view, or a trigger cognito-local does not run
    /// (pre authentication): each invokes the pool as Cognito would and checks the store.
    pub(super) fn flows_on_store(&mut self, plain: &CognitoLocal, pool: &str, client: &str) {
        let envelope = |source: &str, username: &str, request: Value| {
            json!({
                "version": "1", "triggerSource": source, "region": "us-east-1",
                "userPoolId": pool, "userName": username,
                "callerContext": {"awsSdkVersion": "aws-cli-e2e", "clientId": client},
                "request": request, "response": {},
            })
        };
        // Without the `store` feature or USERS_TABLE the pool falls back to memory, and
        // the flows here would test that instead.
        let on_dynamodb = expect(
            super::log_since(&self.pool_log, 0).contains("stores: DynamoDB and the Cognito API"),
            "the pool did not say it uses DynamoDB: it runs on an empty store in memory",
        );
        self.flows
            .push(Flow::checked("pool stores on DynamoDB", on_dynamodb));
        self.flow(
            "confirmation delivered twice: one profile, unchanged",
            &["PostConfirmation_ConfirmSignUp"],
            |e| {
                let username = "bob@example.org";
                let sub = e.sub_of(plain, pool, username)?;
                // An operator's grant, which a repeated confirmation must not undo.
                e.set_entitlements(&sub, "silver", "acme", &[])?;
                let before = e.profile(&sub)?.ok_or("bob has no profile")?;
                let event = envelope(
                    "PostConfirmation_ConfirmSignUp",
                    username,
                    json!({"userAttributes": {"sub": sub, "email": username, "email_verified": "true",
                        "cognito:user_status": "CONFIRMED"}, "clientMetadata": null}),
                );
                let (status, answer) = e.invoke_pool(&event)?;
                expect(
                    status == 200,
                    format!("the repeated confirmation failed: {answer}"),
                )?;
                let after = e.profile(&sub)?.ok_or("bob's profile is gone")?;
                expect(
                    after == before && after["tier"]["S"] == "silver",
                    format!("the profile changed: {before} became {after}"),
                )?;
                let count = e.profiles_of(username)?;
                expect(count == 1, format!("{count} profiles for bob"))?;
                let groups = e.groups_of(plain, pool, &sub)?;
                expect(
                    groups == [DEFAULT_GROUP],
                    format!("bob's groups: {groups:?}"),
                )
            },
        );
        self.flow(
            "deny list: a denied user is refused",
            &["PreAuthentication_Authentication"],
            |e| {
                // A pool that signs in by email sends a UUID as the username: the deny list
                // (which names the email) must still match.
                let event = |sub: &str, email: &str| {
                    envelope(
                        "PreAuthentication_Authentication",
                        sub,
                        json!({"userAttributes": {"sub": sub, "email": email},
                            "validationData": null, "userNotFound": false}),
                    )
                };
                let mallory = event("5f0c6a1e-0000-4000-8000-0000000000aa", DENIED_USER);
                let (status, answer) = e.invoke_pool(&mallory)?;
                expect(
                    status != 200
                        && answer["errorMessage"]
                            .as_str()
                            .is_some_and(|m| m.contains("This account is blocked")),
                    format!("{DENIED_USER} was not refused: {status} {answer}"),
                )?;
                let ada = event("5f0c6a1e-0000-4000-8000-0000000000bb", "ada@example.com");
                let (status, answer) = e.invoke_pool(&ada)?;
                expect(status == 200, format!("ada was refused: {status} {answer}"))
            },
        );
    }
}
