//! The stores the example handlers read and write, behind one type:
//!
//! - **users table** (`USERS_TABLE`, DynamoDB, partition key `pk` of type string): one
//!   profile per user, `pk = "user#<sub>"`, written once by post confirmation and holding
//!   the user's entitlements (`tier`, `tenant`, `roles`) that pre token generation puts in
//!   the tokens; and the deny list pre authentication reads, `pk = "deny#<username>"`.
//! - **legacy user store** (`LEGACY_USERS_TABLE`, DynamoDB, partition key `username`):
//!   the system users migrate from, with a `name` and an Argon2 `password_hash` (PHC string).
//! - **the user pool** (the Cognito API): post confirmation adds new users to the group named
//!   by `DEFAULT_GROUP`.
//!
//! Every call takes a time limit (what is left of Cognito's budget, see [`time_left`]) and
//! fails with [`StoreError::Timeout`] past it, so a slow store never makes Cognito give up
//! on the whole trigger. The handlers decide what a failure means to the user.
//!
//! [`Store::from_env`] builds the DynamoDB and Cognito clients once, at cold start, from the
//! standard AWS SDK configuration (so `AWS_ENDPOINT_URL` points the same binary at local
//! servers). Built without the `store` feature, or without `USERS_TABLE`, the store is an
//! empty [`MemoryStore`]: no profiles (every token gets [`Entitlements::default`]), nobody
//! denied, no legacy users. Tests fill a [`MemoryStore`] themselves.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use argon2::password_hash::{PasswordHashString, SaltString};
use argon2::{Argon2, PasswordHasher as _, PasswordVerifier as _};
use cognito_trigger::{CloudFormation, Context};
use serde_json::json;

/// The longest a store call may take: a slow store fails fast rather than hold every
/// sign-in for the whole of Cognito's 5 seconds.
const CALL_LIMIT: Duration = Duration::from_secs(2);
/// Kept back from the deadline to build and send the answer.
const ANSWER_MARGIN: Duration = Duration::from_millis(250);

/// How long a store call may take in this invocation: what is left before the deadline
/// (the earlier of Lambda's and Cognito's) less a margin for answering, and at most 2
/// seconds.
///
/// ```
/// use std::time::Duration;
/// use cognito_trigger::Context;
/// use examples::store::time_left;
///
/// let plenty = Context::new("r1").with_remaining(Duration::from_secs(5));
/// assert_eq!(time_left(&plenty), Duration::from_secs(2));
/// let late = Context::new("r2").with_remaining(Duration::from_secs(1));
/// assert!(time_left(&late) < Duration::from_secs(1));
/// assert_eq!(time_left(&Context::new("r3")), Duration::from_secs(2));
/// ```
#[must_use]
pub fn time_left(context: &Context) -> Duration {
    context.remaining().map_or(CALL_LIMIT, |left| {
        left.saturating_sub(ANSWER_MARGIN).min(CALL_LIMIT)
    })
}

/// The stores in the pool's deployment template (`pool --template`): the users table and
/// the legacy users table (kept when the stack is deleted, as the pool is), the `members`
/// group in a pool the stack creates (give an existing pool that group, or change
/// `DEFAULT_GROUP`), the function's permissions (`dynamodb:GetItem` and `BatchGetItem` on
/// the users table, `PutItem` there for profiles only, `GetItem` on the legacy table,
/// `cognito-idp:AdminAddUserToGroup` on the pool), and the variables that name them.
///
/// ```
/// let template = examples::pool(examples::App::in_memory()).cloudformation().to_json();
/// let variables = &template["Resources"]["TriggerFunction"]["Properties"]["Environment"]["Variables"];
/// assert_eq!(variables["USERS_TABLE"], serde_json::json!({"Ref": "UsersTable"}));
/// assert_eq!(template["Resources"]["UsersTable"]["Type"], "AWS::DynamoDB::Table");
/// ```
#[must_use]
pub fn deployment(template: CloudFormation) -> CloudFormation {
    // Users' data outlives the stack, as the user pool does.
    let kept = |resource: serde_json::Value| {
        let mut resource = resource;
        resource["DeletionPolicy"] = json!("Retain");
        resource["UpdateReplacePolicy"] = json!("Retain");
        resource
    };
    let table = |key: &str, why: &str| {
        kept(json!({
            "Type": "AWS::DynamoDB::Table",
            "Metadata": {"com.aws.cloudformation.Context": {"why": why}},
            "Properties": {
                "BillingMode": "PAY_PER_REQUEST",
                "AttributeDefinitions": [{"AttributeName": key, "AttributeType": "S"}],
                "KeySchema": [{"AttributeName": key, "KeyType": "HASH"}],
                "PointInTimeRecoverySpecification": {"PointInTimeRecoveryEnabled": true},
                "SSESpecification": {"SSEEnabled": true},
            },
        }))
    };
    let arn = |table: &str| json!({"Fn::GetAtt": [table, "Arn"]});
    template
        .resource(
            "UsersTable",
            table("pk", "User profiles with their entitlements, and the deny list"),
        )
        .resource(
            "LegacyUsersTable",
            table("username", "The legacy user store users migrate from"),
        )
        .resource(
            "MembersGroup",
            kept(json!({
                "Type": "AWS::Cognito::UserPoolGroup",
                "Condition": "CreateUserPool",
                "Metadata": {"com.aws.cloudformation.Context": {"why": "The default group post confirmation adds new users to (DEFAULT_GROUP)"}},
                "Properties": {
                    "UserPoolId": {"Ref": "UserPool"},
                    "GroupName": "members",
                    "Description": "Every confirmed user (post confirmation adds them)",
                },
            })),
        )
        .allow(
            &["dynamodb:GetItem", "dynamodb:BatchGetItem"],
            arn("UsersTable"),
        )
        // Profiles only: the function cannot put anyone on (or take anyone off) the deny list.
        .statement(json!({
            "Effect": "Allow",
            "Action": "dynamodb:PutItem",
            "Resource": arn("UsersTable"),
            "Condition": {"ForAllValues:StringLike": {"dynamodb:LeadingKeys": ["user#*"]}},
        }))
        .allow(&["dynamodb:GetItem"], arn("LegacyUsersTable"))
        .allow(
            &["cognito-idp:AdminAddUserToGroup"],
            CloudFormation::user_pool_arn(),
        )
        .environment("USERS_TABLE", json!({"Ref": "UsersTable"}))
        .environment("LEGACY_USERS_TABLE", json!({"Ref": "LegacyUsersTable"}))
        .environment("DEFAULT_GROUP", json!("members"))
}

/// What a user may do, as the tokens carry it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entitlements {
    /// The plan: `free` until the profile says otherwise.
    pub tier: String,
    /// The customer the user belongs to, once an operator has said so: no tenant is
    /// guessed (an email domain is not proof of membership).
    pub tenant: Option<String>,
    /// Application roles; each becomes an access token scope `app/<role>`.
    pub roles: Vec<String>,
}

impl Default for Entitlements {
    /// What a user without a profile gets: the `free` tier, no tenant, no roles. The least
    /// a token can grant (no tenant is not another tenant), so it is also what tokens carry
    /// when the store cannot be read.
    ///
    /// ```
    /// let defaults = examples::store::Entitlements::default();
    /// assert_eq!(defaults.tier, "free");
    /// assert_eq!(defaults.tenant, None);
    /// assert!(defaults.roles.is_empty());
    /// ```
    fn default() -> Self {
        Self {
            tier: "free".to_owned(),
            tenant: None,
            roles: Vec::new(),
        }
    }
}

/// A user's profile, written once when the user is confirmed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Profile {
    /// The user's `sub`, the key: usernames can be reused after a user is deleted.
    pub sub: String,
    /// The username at confirmation.
    pub username: String,
    /// The email address at confirmation.
    pub email: String,
    /// Seconds since the Unix epoch when the profile was written.
    pub created_at: u64,
    /// What the tokens carry.
    pub entitlements: Entitlements,
}

/// A user of the legacy store. The password hash stays out of `Debug`.
#[derive(Clone)]
pub struct LegacyUser {
    /// The user's display name.
    pub name: String,
    /// The user's email address in the legacy store, if it has one.
    pub email: Option<String>,
    password_hash: PasswordHashString,
}

impl LegacyUser {
    /// A legacy user with an Argon2 hash of `password`, as the legacy store would keep it
    /// (the salt is random).
    ///
    /// ```
    /// use examples::store::LegacyUser;
    ///
    /// let carol = LegacyUser::with_password("Carol", "Migr4ted!pw");
    /// assert!(carol.password_hash().starts_with("$argon2id$"));
    /// assert!(!format!("{carol:?}").contains("argon2"));
    /// ```
    #[must_use]
    pub fn with_password(name: &str, password: &str) -> Self {
        Self {
            name: name.to_owned(),
            email: None,
            password_hash: hash_password(password),
        }
    }

    /// The same user, with an email address.
    ///
    /// ```
    /// use examples::store::LegacyUser;
    ///
    /// let carol = LegacyUser::with_password("Carol", "pw").with_email("carol@example.com");
    /// assert_eq!(carol.email.as_deref(), Some("carol@example.com"));
    /// ```
    #[must_use]
    pub fn with_email(mut self, email: &str) -> Self {
        self.email = Some(email.to_owned());
        self
    }

    /// A legacy user as the store holds it: `password_hash` is an Argon2 PHC string.
    ///
    /// ```
    /// use examples::store::LegacyUser;
    ///
    /// let hash = LegacyUser::with_password("Carol", "pw").password_hash().to_owned();
    /// assert!(LegacyUser::from_hash("Carol", &hash).is_ok());
    /// assert!(LegacyUser::from_hash("Carol", "plain text").is_err());
    /// // Another algorithm: this code cannot check it, so it is not a user to let in.
    /// let bcrypt = "$2b$12$R9h/cIPz0gi.URNNX3kh2OPST9/PgBkqquzi.Ss7KIUgO2t0jWMUW";
    /// assert!(LegacyUser::from_hash("Carol", bcrypt).is_err());
    /// ```
    ///
    /// # Errors
    /// When `password_hash` is not an Argon2 PHC string.
    pub fn from_hash(name: &str, password_hash: &str) -> Result<Self, StoreError> {
        let password_hash = PasswordHashString::new(password_hash)
            .map_err(|_| StoreError::Corrupt("a legacy password hash is not a PHC string"))?;
        if !password_hash.algorithm().as_str().starts_with("argon2") {
            return Err(StoreError::Corrupt("a legacy password hash is not Argon2"));
        }
        Ok(Self {
            name: name.to_owned(),
            email: None,
            password_hash,
        })
    }

    /// The stored hash (a PHC string; not the password).
    ///
    /// ```
    /// use examples::store::LegacyUser;
    ///
    /// let carol = LegacyUser::with_password("Carol", "Migr4ted!pw");
    /// assert!(!carol.password_hash().contains("Migr4ted"));
    /// ```
    #[must_use]
    pub fn password_hash(&self) -> &str {
        self.password_hash.as_str()
    }

    /// Whether `password` is the user's legacy password. Argon2 is slow on purpose, so it
    /// runs on a blocking thread, off the async workers.
    ///
    /// ```
    /// use examples::store::LegacyUser;
    ///
    /// let runtime = tokio::runtime::Builder::new_current_thread().build().unwrap();
    /// let carol = LegacyUser::with_password("Carol", "Migr4ted!pw");
    /// assert!(runtime.block_on(carol.verify("Migr4ted!pw")));
    /// assert!(!runtime.block_on(carol.verify("migr4ted!pw")));
    /// ```
    pub async fn verify(&self, password: &str) -> bool {
        self.verify_within(password, Duration::MAX)
            .await
            .unwrap_or(false)
    }

    /// Checks `password` against `user`'s hash, or against a stand-in hash when there is no
    /// such user: an unknown username then takes as long as a wrong password, so timing
    /// does not tell which usernames the legacy store has. `false` for no user.
    ///
    /// ```
    /// use std::time::Duration;
    /// use examples::store::LegacyUser;
    ///
    /// let runtime = tokio::runtime::Builder::new_current_thread().enable_time().build().unwrap();
    /// let carol = LegacyUser::with_password("Carol", "Migr4ted!pw");
    /// let limit = Duration::from_secs(5);
    /// assert!(runtime.block_on(LegacyUser::check(Some(&carol), "Migr4ted!pw", limit)).unwrap());
    /// assert!(!runtime.block_on(LegacyUser::check(None, "Migr4ted!pw", limit)).unwrap());
    /// ```
    ///
    /// # Errors
    /// [`StoreError::Timeout`] when the check takes longer than `limit`.
    pub async fn check(
        user: Option<&Self>,
        password: &str,
        limit: Duration,
    ) -> Result<bool, StoreError> {
        static NOBODY: std::sync::LazyLock<LegacyUser> = std::sync::LazyLock::new(|| {
            LegacyUser::with_password("", "the stand-in for users the store does not have")
        });
        match user {
            Some(user) => user.verify_within(password, limit).await,
            None => NOBODY.verify_within(password, limit).await.map(|_| false),
        }
    }

    async fn verify_within(&self, password: &str, limit: Duration) -> Result<bool, StoreError> {
        let checked = self.verify_blocking(password);
        match tokio::time::timeout(limit, checked).await {
            Ok(matches) => Ok(matches),
            Err(_) => Err(StoreError::Timeout(limit)),
        }
    }

    async fn verify_blocking(&self, password: &str) -> bool {
        let hash = self.password_hash.clone();
        let password = password.to_owned();
        tokio::task::spawn_blocking(move || {
            Argon2::default()
                .verify_password(password.as_bytes(), &hash.password_hash())
                .is_ok()
        })
        .await
        .unwrap_or(false)
    }
}

impl std::fmt::Debug for LegacyUser {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LegacyUser")
            .field("name", &self.name)
            .field("email", &self.email)
            .field("password_hash", &"[redacted]")
            .finish_non_exhaustive()
    }
}

/// An Argon2id PHC string for `password` with a random salt.
fn hash_password(password: &str) -> PasswordHashString {
    let mut salt = [0_u8; 16];
    // The operating system's generator failing is not something to recover from.
    getrandom::fill(&mut salt).expect("the operating system's random generator works");
    let salt = SaltString::encode_b64(&salt).expect("16 bytes are a valid salt");
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .expect("Argon2's default parameters hash any password")
        .serialize()
}

/// Whether [`Store::create_profile`] wrote the profile.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Created {
    /// Written now.
    Now,
    /// The user had a profile already (a confirmation delivered twice); left unchanged.
    Before,
}

/// Why a store call failed.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The call did not finish within its time limit.
    #[error("the store did not answer within {0:?}")]
    Timeout(Duration),
    /// The service refused or could not be reached: what it said, with the whole chain of
    /// causes (the AWS SDK's own errors say only "service error" at the top).
    #[error("the store failed: {0}")]
    Service(String),
    /// An item is not in the shape this code writes.
    #[error("the store holds an item it cannot read: {0}")]
    Corrupt(&'static str),
}

/// What the store on AWS works on ([`Store::aws`]): the environment's `USERS_TABLE`,
/// `LEGACY_USERS_TABLE` and `DEFAULT_GROUP` in [`Store::from_env`].
#[cfg(feature = "store")]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoreNames {
    /// The users table: profiles (`pk = "user#<sub>"`) and the deny list
    /// (`pk = "deny#<username>"`).
    pub users_table: String,
    /// The legacy users table (key `username`); without it nobody migrates.
    pub legacy_users_table: Option<String>,
    /// The group confirmed users join; without it they join none.
    pub default_group: Option<String>,
}

/// The example handlers' stores: DynamoDB and the Cognito API, or memory.
#[derive(Debug, Clone)]
pub struct Store {
    backend: Backend,
}

#[derive(Debug, Clone)]
enum Backend {
    Memory(MemoryStore),
    #[cfg(feature = "store")]
    Aws(aws::AwsStore),
}

impl Store {
    /// The store the environment names, built once at cold start: DynamoDB tables
    /// `USERS_TABLE` and `LEGACY_USERS_TABLE` and the Cognito API (with the `store` feature
    /// and `USERS_TABLE` set); otherwise an empty [`MemoryStore`]. Says once, in the log,
    /// which it is.
    ///
    /// ```
    /// let runtime = tokio::runtime::Builder::new_current_thread().build().unwrap();
    /// // Without USERS_TABLE: an empty store in memory.
    /// let store = runtime.block_on(examples::store::Store::from_env());
    /// assert!(store.memory().is_some());
    /// ```
    pub async fn from_env() -> Self {
        let users_table = std::env::var("USERS_TABLE").ok().filter(|t| !t.is_empty());
        #[cfg(feature = "store")]
        if let Some(users_table) = users_table {
            let optional = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
            let names = StoreNames {
                users_table,
                legacy_users_table: optional("LEGACY_USERS_TABLE"),
                default_group: optional("DEFAULT_GROUP"),
            };
            tracing::info!(
                users_table = names.users_table,
                legacy_users_table = names.legacy_users_table.as_deref(),
                default_group = names.default_group.as_deref(),
                "stores: DynamoDB and the Cognito API"
            );
            let sdk = aws_config::load_defaults(aws_config::BehaviorVersion::latest()).await;
            return Self::aws(&sdk, names);
        }
        #[cfg(not(feature = "store"))]
        if users_table.is_some() {
            tracing::warn!(
                "USERS_TABLE is set but this binary was built without the `store` feature: \
                 it is ignored"
            );
        }
        tracing::warn!(
            "no USERS_TABLE: no profiles (every token gets tier `free`), no deny list, \
             no legacy users to migrate"
        );
        Self::from(MemoryStore::default())
    }

    /// The store on AWS: DynamoDB tables and the Cognito API, through clients built here
    /// from `sdk` (once: build the store at cold start).
    ///
    /// ```
    /// use examples::store::{Store, StoreNames};
    ///
    /// let sdk = aws_config::SdkConfig::builder()
    ///     .behavior_version(aws_config::BehaviorVersion::latest())
    ///     .region(aws_config::Region::new("eu-west-1"))
    ///     .build();
    /// let names = StoreNames { users_table: "users".into(), legacy_users_table: None, default_group: None };
    /// let store = Store::aws(&sdk, names);
    /// assert!(store.memory().is_none());
    /// ```
    #[cfg(feature = "store")]
    #[must_use]
    pub fn aws(sdk: &aws_config::SdkConfig, names: StoreNames) -> Self {
        Self {
            backend: Backend::Aws(aws::AwsStore::new(sdk, names)),
        }
    }

    /// The memory store behind this store, if that is what it is.
    ///
    /// ```
    /// use examples::store::{MemoryStore, Store};
    ///
    /// assert!(Store::from(MemoryStore::default()).memory().is_some());
    /// ```
    #[must_use]
    pub fn memory(&self) -> Option<&MemoryStore> {
        match &self.backend {
            Backend::Memory(memory) => Some(memory),
            #[cfg(feature = "store")]
            Backend::Aws(_) => None,
        }
    }

    /// Writes `profile` unless the user has one already (a conditional write: a
    /// confirmation Cognito delivers twice neither duplicates nor overwrites it).
    ///
    /// ```
    /// use std::time::Duration;
    /// use examples::store::{Created, Entitlements, MemoryStore, Profile, Store};
    ///
    /// let runtime = tokio::runtime::Builder::new_current_thread().enable_time().build().unwrap();
    /// let store = Store::from(MemoryStore::default());
    /// let profile = Profile { sub: "8f1e".into(), username: "ada".into(), email: "ada@example.com".into(),
    ///     created_at: 1, entitlements: Entitlements::default() };
    /// let limit = Duration::from_secs(1);
    /// assert_eq!(runtime.block_on(store.create_profile(&profile, limit)).unwrap(), Created::Now);
    /// let again = Profile { created_at: 2, ..profile };
    /// assert_eq!(runtime.block_on(store.create_profile(&again, limit)).unwrap(), Created::Before);
    /// assert_eq!(store.memory().unwrap().profile("8f1e").unwrap().created_at, 1);
    /// ```
    ///
    /// # Errors
    /// The store failed or did not answer within `limit`.
    pub async fn create_profile(
        &self,
        profile: &Profile,
        limit: Duration,
    ) -> Result<Created, StoreError> {
        match &self.backend {
            Backend::Memory(memory) => {
                within(limit, async { Ok(memory.create_profile(profile)) }).await
            }
            #[cfg(feature = "store")]
            Backend::Aws(aws) => within(limit, aws.create_profile(profile)).await,
        }
    }

    /// The entitlements in the profile of the user with this `sub`; `None` for a user
    /// without a profile.
    ///
    /// ```
    /// use std::time::Duration;
    /// use examples::store::{Entitlements, MemoryStore, Store};
    ///
    /// let runtime = tokio::runtime::Builder::new_current_thread().enable_time().build().unwrap();
    /// let memory = MemoryStore::default();
    /// let gold = Entitlements { tier: "gold".into(), ..Entitlements::default() };
    /// memory.set_entitlements("8f1e", "ada", gold.clone());
    /// let store = Store::from(memory);
    /// let limit = Duration::from_secs(1);
    /// assert_eq!(runtime.block_on(store.entitlements("8f1e", limit)).unwrap(), Some(gold));
    /// assert_eq!(runtime.block_on(store.entitlements("0000", limit)).unwrap(), None);
    /// ```
    ///
    /// # Errors
    /// The store failed, holds a profile it cannot read, or did not answer within `limit`.
    pub async fn entitlements(
        &self,
        sub: &str,
        limit: Duration,
    ) -> Result<Option<Entitlements>, StoreError> {
        match &self.backend {
            Backend::Memory(memory) => {
                let profile = memory.profile(sub);
                within(limit, async { Ok(profile.map(|p| p.entitlements)) }).await
            }
            #[cfg(feature = "store")]
            Backend::Aws(aws) => within(limit, aws.entitlements(sub)).await,
        }
    }

    /// Whether any of `identities` (the user's `sub`, email address, username: whatever an
    /// operator may have put on the list) is on the deny list, compared without case.
    /// Empty identities are skipped. Read consistently: a user denied a moment ago is
    /// refused now.
    ///
    /// ```
    /// use std::time::Duration;
    /// use examples::store::{MemoryStore, Store};
    ///
    /// let runtime = tokio::runtime::Builder::new_current_thread().enable_time().build().unwrap();
    /// let memory = MemoryStore::default();
    /// memory.deny("Mallory@example.com");
    /// let store = Store::from(memory);
    /// let limit = Duration::from_secs(1);
    /// // A pool that signs in by email sends a UUID as the username: the email still matches.
    /// let mallory = ["5f0c…-uuid", "mallory@example.com"];
    /// assert!(runtime.block_on(store.is_denied(&mallory, limit)).unwrap());
    /// assert!(!runtime.block_on(store.is_denied(&["ada@example.com"], limit)).unwrap());
    /// ```
    ///
    /// # Errors
    /// The store failed or did not answer within `limit`.
    pub async fn is_denied(
        &self,
        identities: &[&str],
        limit: Duration,
    ) -> Result<bool, StoreError> {
        let mut keys: Vec<String> = identities
            .iter()
            .filter(|identity| !identity.is_empty())
            .map(|identity| identity.to_lowercase())
            .collect();
        keys.sort_unstable();
        keys.dedup();
        if keys.is_empty() {
            return Ok(false);
        }
        match &self.backend {
            Backend::Memory(memory) => {
                let denied = keys.iter().any(|key| memory.is_denied(key));
                within(limit, async { Ok(denied) }).await
            }
            #[cfg(feature = "store")]
            Backend::Aws(aws) => within(limit, aws.is_denied(&keys)).await,
        }
    }

    /// The legacy store's user `username` (case-insensitive), if there is one.
    ///
    /// ```
    /// use std::time::Duration;
    /// use examples::store::{LegacyUser, MemoryStore, Store};
    ///
    /// let runtime = tokio::runtime::Builder::new_current_thread().enable_time().build().unwrap();
    /// let memory = MemoryStore::default();
    /// memory.add_legacy_user("carol@example.com", LegacyUser::with_password("Carol", "Migr4ted!pw"));
    /// let store = Store::from(memory);
    /// let carol = runtime.block_on(store.legacy_user("Carol@example.com", Duration::from_secs(1)));
    /// assert_eq!(carol.unwrap().unwrap().name, "Carol");
    /// ```
    ///
    /// # Errors
    /// The store failed, holds a record it cannot read, or did not answer within `limit`.
    pub async fn legacy_user(
        &self,
        username: &str,
        limit: Duration,
    ) -> Result<Option<LegacyUser>, StoreError> {
        let username = username.to_lowercase();
        match &self.backend {
            Backend::Memory(memory) => {
                let user = memory.lock().legacy.get(&username).cloned();
                within(limit, async { Ok(user) }).await
            }
            #[cfg(feature = "store")]
            Backend::Aws(aws) => within(limit, aws.legacy_user(&username)).await,
        }
    }

    /// The group new users join (`DEFAULT_GROUP`), if one is configured.
    ///
    /// ```
    /// use examples::store::{MemoryStore, Store};
    ///
    /// let memory = MemoryStore::default().with_default_group("members");
    /// assert_eq!(Store::from(memory).default_group(), Some("members"));
    /// ```
    #[must_use]
    pub fn default_group(&self) -> Option<&str> {
        match &self.backend {
            Backend::Memory(memory) => memory.default_group.as_deref(),
            #[cfg(feature = "store")]
            Backend::Aws(aws) => aws.default_group.as_deref(),
        }
    }

    /// Adds `username` to `group` in the user pool `user_pool_id` (adding a member again
    /// changes nothing).
    ///
    /// ```
    /// use std::time::Duration;
    /// use examples::store::{MemoryStore, Store};
    ///
    /// let runtime = tokio::runtime::Builder::new_current_thread().enable_time().build().unwrap();
    /// let store = Store::from(MemoryStore::default());
    /// let limit = Duration::from_secs(1);
    /// runtime.block_on(store.add_to_group("us-east-1_Example", "ada", "members", limit)).unwrap();
    /// runtime.block_on(store.add_to_group("us-east-1_Example", "ada", "members", limit)).unwrap();
    /// assert_eq!(store.memory().unwrap().groups_of("ada"), ["members"]);
    /// ```
    ///
    /// # Errors
    /// The Cognito API refused (no such group, no permission) or did not answer within
    /// `limit`.
    pub async fn add_to_group(
        &self,
        user_pool_id: &str,
        username: &str,
        group: &str,
        limit: Duration,
    ) -> Result<(), StoreError> {
        match &self.backend {
            Backend::Memory(memory) => {
                // One pool per memory store.
                let _ = user_pool_id;
                let member = (username.to_owned(), group.to_owned());
                memory.lock().groups.insert(member);
                within(limit, async { Ok(()) }).await
            }
            #[cfg(feature = "store")]
            Backend::Aws(aws) => {
                within(limit, aws.add_to_group(user_pool_id, username, group)).await
            }
        }
    }
}

impl From<MemoryStore> for Store {
    fn from(memory: MemoryStore) -> Self {
        Self {
            backend: Backend::Memory(memory),
        }
    }
}

/// `call`, failing with [`StoreError::Timeout`] after `limit`.
async fn within<T>(
    limit: Duration,
    call: impl Future<Output = Result<T, StoreError>>,
) -> Result<T, StoreError> {
    tokio::time::timeout(limit, call)
        .await
        .map_err(|_| StoreError::Timeout(limit))?
}

/// A store in memory: what the handlers use without `USERS_TABLE`, and what tests fill.
/// Clones share the same data, so a test keeps one to look inside after handing the other
/// to the pool.
///
/// ```
/// use examples::store::{MemoryStore, Store};
///
/// let memory = MemoryStore::default();
/// let store = Store::from(memory.clone());
/// memory.deny("mallory@example.com");
/// assert!(store.memory().unwrap().is_denied("mallory@example.com"));
/// ```
#[derive(Debug, Clone, Default)]
pub struct MemoryStore {
    data: Arc<Mutex<MemoryData>>,
    default_group: Option<String>,
}

#[derive(Debug, Default)]
struct MemoryData {
    profiles: HashMap<String, Profile>,
    denied: HashSet<String>,
    legacy: HashMap<String, LegacyUser>,
    groups: HashSet<(String, String)>,
    profile_writes: usize,
}

impl MemoryStore {
    fn lock(&self) -> MutexGuard<'_, MemoryData> {
        // A test that panicked while holding the lock left whole values behind.
        self.data
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn create_profile(&self, profile: &Profile) -> Created {
        let mut data = self.lock();
        data.profile_writes += 1;
        if data.profiles.contains_key(&profile.sub) {
            return Created::Before;
        }
        data.profiles.insert(profile.sub.clone(), profile.clone());
        Created::Now
    }

    /// The same store, with new users joining `group`.
    ///
    /// ```
    /// use examples::store::MemoryStore;
    ///
    /// let memory = MemoryStore::default().with_default_group("members");
    /// assert!(memory.groups_of("ada").is_empty());
    /// ```
    #[must_use]
    pub fn with_default_group(mut self, group: &str) -> Self {
        self.default_group = Some(group.to_owned());
        self
    }

    /// Puts `username` on the deny list.
    ///
    /// ```
    /// use examples::store::MemoryStore;
    ///
    /// let memory = MemoryStore::default();
    /// memory.deny("mallory@example.com");
    /// assert!(memory.is_denied("Mallory@example.com"));
    /// ```
    pub fn deny(&self, username: &str) {
        self.lock().denied.insert(username.to_lowercase());
    }

    /// Whether `username` is on the deny list.
    ///
    /// ```
    /// use examples::store::MemoryStore;
    ///
    /// assert!(!MemoryStore::default().is_denied("ada@example.com"));
    /// ```
    #[must_use]
    pub fn is_denied(&self, username: &str) -> bool {
        self.lock().denied.contains(&username.to_lowercase())
    }

    /// Adds `user` to the legacy store as `username`.
    ///
    /// ```
    /// use examples::store::{LegacyUser, MemoryStore};
    ///
    /// let memory = MemoryStore::default();
    /// memory.add_legacy_user("carol@example.com", LegacyUser::with_password("Carol", "Migr4ted!pw"));
    /// ```
    pub fn add_legacy_user(&self, username: &str, user: LegacyUser) {
        self.lock().legacy.insert(username.to_lowercase(), user);
    }

    /// Sets the entitlements of the user with this `sub`, creating the profile if needed
    /// (as an operator editing the table would).
    ///
    /// ```
    /// use examples::store::{Entitlements, MemoryStore};
    ///
    /// let memory = MemoryStore::default();
    /// memory.set_entitlements("8f1e", "ada", Entitlements { tier: "gold".into(), ..Entitlements::default() });
    /// assert_eq!(memory.profile("8f1e").unwrap().entitlements.tier, "gold");
    /// ```
    pub fn set_entitlements(&self, sub: &str, username: &str, entitlements: Entitlements) {
        let mut data = self.lock();
        let profile = data
            .profiles
            .entry(sub.to_owned())
            .or_insert_with(|| Profile {
                sub: sub.to_owned(),
                username: username.to_owned(),
                email: String::new(),
                created_at: 0,
                entitlements: Entitlements::default(),
            });
        profile.entitlements = entitlements;
    }

    /// The profile of the user with this `sub`.
    ///
    /// ```
    /// use examples::store::MemoryStore;
    ///
    /// assert!(MemoryStore::default().profile("8f1e").is_none());
    /// ```
    #[must_use]
    pub fn profile(&self, sub: &str) -> Option<Profile> {
        self.lock().profiles.get(sub).cloned()
    }

    /// How many profiles the store holds.
    ///
    /// ```
    /// use examples::store::MemoryStore;
    ///
    /// assert_eq!(MemoryStore::default().profile_count(), 0);
    /// ```
    #[must_use]
    pub fn profile_count(&self) -> usize {
        self.lock().profiles.len()
    }

    /// How many profile writes were attempted (written or not).
    ///
    /// ```
    /// use examples::store::MemoryStore;
    ///
    /// assert_eq!(MemoryStore::default().profile_writes(), 0);
    /// ```
    #[must_use]
    pub fn profile_writes(&self) -> usize {
        self.lock().profile_writes
    }

    /// The groups `username` was added to, sorted.
    ///
    /// ```
    /// use examples::store::MemoryStore;
    ///
    /// assert!(MemoryStore::default().groups_of("ada").is_empty());
    /// ```
    #[must_use]
    pub fn groups_of(&self, username: &str) -> Vec<String> {
        let mut groups: Vec<String> = self
            .lock()
            .groups
            .iter()
            .filter(|(user, _)| user == username)
            .map(|(_, group)| group.clone())
            .collect();
        groups.sort();
        groups
    }
}

#[cfg(feature = "store")]
mod aws {
    //! The stores on AWS: DynamoDB through the AWS SDK for Rust, and the Cognito API.

    use std::collections::HashMap;

    use aws_sdk_cognitoidentityprovider as cognito;
    use aws_sdk_dynamodb as dynamodb;
    use dynamodb::error::ProvideErrorMetadata;
    use dynamodb::types::AttributeValue;

    use super::{Created, Entitlements, LegacyUser, Profile, StoreError, StoreNames};

    /// The clients, built once at cold start, and the names they work on.
    #[derive(Debug, Clone)]
    pub(super) struct AwsStore {
        dynamodb: dynamodb::Client,
        cognito: cognito::Client,
        users_table: String,
        legacy_users_table: Option<String>,
        pub(super) default_group: Option<String>,
    }

    /// An AWS SDK error as an operator needs it: the service's error code and message
    /// (the error's own text is only "service error"), or the cause of a request that got
    /// no answer.
    fn service<E, R>(error: dynamodb::error::SdkError<E, R>) -> StoreError
    where
        E: ProvideErrorMetadata + std::error::Error + 'static,
        R: std::fmt::Debug,
    {
        let text = match error.as_service_error() {
            Some(refused) => format!(
                "{}: {}",
                refused.code().unwrap_or("an error without a code"),
                refused.message().unwrap_or("no message")
            ),
            None => dynamodb::error::DisplayErrorContext(&error).to_string(),
        };
        StoreError::Service(text)
    }

    fn string(item: &HashMap<String, AttributeValue>, name: &str) -> Option<String> {
        item.get(name)?.as_s().ok().cloned()
    }

    impl AwsStore {
        pub(super) fn new(sdk: &aws_config::SdkConfig, names: StoreNames) -> Self {
            Self {
                dynamodb: dynamodb::Client::new(sdk),
                cognito: cognito::Client::new(sdk),
                users_table: names.users_table,
                legacy_users_table: names.legacy_users_table,
                default_group: names.default_group,
            }
        }

        pub(super) async fn create_profile(
            &self,
            profile: &Profile,
        ) -> Result<Created, StoreError> {
            let s = |value: &str| AttributeValue::S(value.to_owned());
            let roles = profile.entitlements.roles.iter().map(|r| s(r)).collect();
            let written = self
                .dynamodb
                .put_item()
                .table_name(&self.users_table)
                .item("pk", s(&format!("user#{}", profile.sub)))
                .item("username", s(&profile.username))
                .item("email", s(&profile.email))
                .item(
                    "created_at",
                    AttributeValue::N(profile.created_at.to_string()),
                )
                .item("tier", s(&profile.entitlements.tier))
                .item("roles", AttributeValue::L(roles))
                .condition_expression("attribute_not_exists(pk)");
            let written = match &profile.entitlements.tenant {
                Some(tenant) => written.item("tenant", s(tenant)),
                None => written,
            }
            .send()
            .await;
            match written {
                Ok(_) => Ok(Created::Now),
                Err(error)
                    if error
                        .as_service_error()
                        .is_some_and(|e| e.is_conditional_check_failed_exception()) =>
                {
                    Ok(Created::Before)
                }
                Err(error) => Err(service(error)),
            }
        }

        pub(super) async fn entitlements(
            &self,
            sub: &str,
        ) -> Result<Option<Entitlements>, StoreError> {
            let item = self
                .get(&self.users_table, "pk", &format!("user#{sub}"))
                .await?;
            let Some(item) = item else { return Ok(None) };
            let defaults = Entitlements::default();
            let roles = match item.get("roles") {
                None => Vec::new(),
                Some(AttributeValue::L(roles)) => roles
                    .iter()
                    .map(|role| role.as_s().cloned())
                    .collect::<Result<_, _>>()
                    .map_err(|_| StoreError::Corrupt("a profile's roles are not strings"))?,
                Some(AttributeValue::Ss(roles)) => roles.clone(),
                Some(_) => return Err(StoreError::Corrupt("a profile's roles are not a list")),
            };
            Ok(Some(Entitlements {
                tier: string(&item, "tier").unwrap_or(defaults.tier),
                tenant: string(&item, "tenant").or(defaults.tenant),
                roles,
            }))
        }

        /// One consistent batch read of `deny#<key>` for every key (distinct, at most 100).
        pub(super) async fn is_denied(&self, keys: &[String]) -> Result<bool, StoreError> {
            let wanted = keys.iter().map(|key| {
                HashMap::from([("pk".to_owned(), AttributeValue::S(format!("deny#{key}")))])
            });
            let request = dynamodb::types::KeysAndAttributes::builder()
                .set_keys(Some(wanted.collect()))
                .consistent_read(true)
                .projection_expression("pk")
                .build()
                .map_err(|e| StoreError::Service(e.to_string()))?;
            let read = self
                .dynamodb
                .batch_get_item()
                .request_items(&self.users_table, request)
                .send()
                .await
                .map_err(service)?;
            let found = read
                .responses()
                .and_then(|tables| tables.get(&self.users_table))
                .is_some_and(|items| !items.is_empty());
            // Keys DynamoDB did not get to (throttling) are not known to be allowed.
            let unread = read
                .unprocessed_keys()
                .is_some_and(|tables| !tables.is_empty());
            if unread && !found {
                return Err(StoreError::Service(
                    "the deny list was only partly read".to_owned(),
                ));
            }
            Ok(found)
        }

        pub(super) async fn legacy_user(
            &self,
            username: &str,
        ) -> Result<Option<LegacyUser>, StoreError> {
            let Some(table) = &self.legacy_users_table else {
                return Ok(None);
            };
            let Some(item) = self.get(table, "username", username).await? else {
                return Ok(None);
            };
            let hash = string(&item, "password_hash")
                .ok_or(StoreError::Corrupt("a legacy user has no password_hash"))?;
            let name = string(&item, "name").unwrap_or_default();
            let user = LegacyUser::from_hash(&name, &hash)?;
            Ok(Some(match string(&item, "email") {
                Some(email) => user.with_email(&email),
                None => user,
            }))
        }

        pub(super) async fn add_to_group(
            &self,
            user_pool_id: &str,
            username: &str,
            group: &str,
        ) -> Result<(), StoreError> {
            self.cognito
                .admin_add_user_to_group()
                .user_pool_id(user_pool_id)
                .username(username)
                .group_name(group)
                .send()
                .await
                .map_err(service)?;
            Ok(())
        }

        async fn get(
            &self,
            table: &str,
            key: &str,
            value: &str,
        ) -> Result<Option<HashMap<String, AttributeValue>>, StoreError> {
            let output = self
                .dynamodb
                .get_item()
                .table_name(table)
                .key(key, AttributeValue::S(value.to_owned()))
                // An operator's change shows in the next token, not eventually.
                .consistent_read(true)
                .send()
                .await
                .map_err(service)?;
            Ok(output.item)
        }
    }
}
