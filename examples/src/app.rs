//! The state every example handler shares, built once at cold start.

use crate::store::{MemoryStore, Store};

/// Configuration and stores the example handlers use, built once at cold start and lent to
/// every invocation.
#[derive(Debug, Clone)]
pub struct App {
    /// Email domains that may sign up (`ALLOWED_DOMAINS`, comma-separated; by default
    /// `example.com`).
    pub allowed_domains: Vec<String>,
    /// Allowed domains whose users are confirmed without a code (`AUTO_CONFIRM_DOMAINS`,
    /// comma-separated; by default every allowed domain).
    pub auto_confirm_domains: Vec<String>,
    /// Whether custom messages may set email text (`CUSTOM_EMAIL=true`): only when the pool
    /// sends email through SES (`EmailSendingAccount` = `DEVELOPER`), otherwise Cognito
    /// refuses the answer.
    pub custom_email: bool,
    /// Profiles and entitlements, the deny list, the legacy user store, the default group
    /// (see [`crate::store`]).
    pub store: Store,
}

impl App {
    /// The configuration from the environment, with the store it names
    /// ([`Store::from_env`]: DynamoDB and the Cognito API when `USERS_TABLE` is set and the
    /// `store` feature is on, otherwise an empty store in memory).
    ///
    /// ```
    /// let runtime = tokio::runtime::Builder::new_current_thread().build().unwrap();
    /// let app = runtime.block_on(examples::App::from_env());
    /// assert!(app.allows("ada@example.com"));
    /// ```
    pub async fn from_env() -> Self {
        Self::with_store(Store::from_env().await)
    }

    /// The configuration from the environment, with `store`; tests give an in-memory
    /// store they fill themselves.
    ///
    /// ```
    /// use examples::App;
    /// use examples::store::{MemoryStore, Store};
    ///
    /// let memory = MemoryStore::default();
    /// memory.deny("mallory@example.com");
    /// let app = App::with_store(Store::from(memory));
    /// assert!(app.store.memory().unwrap().is_denied("mallory@example.com"));
    /// ```
    #[must_use]
    pub fn with_store(store: Store) -> Self {
        let domains = |variable: &str, default: &str| -> Vec<String> {
            std::env::var(variable)
                .unwrap_or_else(|_| default.to_owned())
                .split(',')
                .map(|domain| domain.trim().to_ascii_lowercase())
                .filter(|domain| !domain.is_empty())
                .collect()
        };
        let allowed = std::env::var("ALLOWED_DOMAINS").unwrap_or_else(|_| "example.com".to_owned());
        Self {
            allowed_domains: domains("ALLOWED_DOMAINS", "example.com"),
            auto_confirm_domains: domains("AUTO_CONFIRM_DOMAINS", &allowed),
            custom_email: std::env::var("CUSTOM_EMAIL").is_ok_and(|v| v == "true" || v == "1"),
            store,
        }
    }

    /// The configuration from the environment with an empty store in memory, for a test
    /// that needs no stored data.
    ///
    /// ```
    /// let app = examples::App::in_memory();
    /// assert_eq!(app.store.memory().unwrap().profile_count(), 0);
    /// ```
    #[must_use]
    pub fn in_memory() -> Self {
        Self::with_store(Store::from(MemoryStore::default()))
    }

    /// Whether `email` belongs to an allowed domain.
    #[must_use]
    pub fn allows(&self, email: &str) -> bool {
        in_domains(email, &self.allowed_domains)
    }

    /// Whether `email` belongs to a domain whose users are confirmed without a code.
    #[must_use]
    pub fn auto_confirms(&self, email: &str) -> bool {
        in_domains(email, &self.auto_confirm_domains)
    }
}

fn in_domains(email: &str, domains: &[String]) -> bool {
    email
        .rsplit_once('@')
        .is_some_and(|(_, domain)| domains.iter().any(|d| d.eq_ignore_ascii_case(domain)))
}

/// `ada@example.com` as `a***@example.com`, for logs and challenge hints.
#[must_use]
pub fn mask_email(email: &str) -> String {
    match email.split_once('@') {
        Some((local, domain)) => format!("{}***@{domain}", local.chars().next().unwrap_or('*')),
        None => "***".to_owned(),
    }
}
