//! The state every example handler shares, built once at cold start.

use std::collections::{HashMap, HashSet};

/// Configuration and stores the example handlers use. In a real function these would be
/// clients (a database, SES, a legacy identity store) built once at cold start.
#[derive(Debug)]
pub struct App {
    /// Email domains that may sign up (`ALLOWED_DOMAINS`, comma-separated).
    pub allowed_domains: Vec<String>,
    /// Allowed domains whose users are confirmed without a code (`AUTO_CONFIRM_DOMAINS`,
    /// comma-separated; by default every allowed domain).
    pub auto_confirm_domains: Vec<String>,
    /// Usernames that may not sign in.
    pub blocked_users: HashSet<String>,
    /// The legacy user store that user migration reads: username → record.
    pub legacy_users: HashMap<String, LegacyUser>,
    /// Whether custom messages may set email text (`CUSTOM_EMAIL=true`): only when the pool
    /// sends email through SES (`EmailSendingAccount` = `DEVELOPER`), otherwise Cognito
    /// refuses the answer.
    pub custom_email: bool,
}

/// A user in the legacy store.
#[derive(Clone)]
pub struct LegacyUser {
    /// The user's password in the legacy store (an example: a real store keeps a hash).
    pub password: String,
    /// The user's display name.
    pub name: String,
}

impl std::fmt::Debug for LegacyUser {
    // The password stays out of every log and assertion message.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LegacyUser")
            .field("password", &"[redacted]")
            .field("name", &self.name)
            .finish()
    }
}

impl App {
    /// The example configuration, with overrides from the environment.
    #[must_use]
    pub fn from_env() -> Self {
        let domains = |variable: &str, default: &str| -> Vec<String> {
            std::env::var(variable)
                .unwrap_or_else(|_| default.to_owned())
                .split(',')
                .map(|domain| domain.trim().to_ascii_lowercase())
                .filter(|domain| !domain.is_empty())
                .collect()
        };
        let allowed = std::env::var("ALLOWED_DOMAINS").unwrap_or_else(|_| "example.com".to_owned());
        let allowed_domains = domains("ALLOWED_DOMAINS", "example.com");
        let auto_confirm_domains = domains("AUTO_CONFIRM_DOMAINS", &allowed);
        let legacy_users = HashMap::from([
            (
                "carol@example.com".to_owned(),
                LegacyUser {
                    password: "Migr4ted!pw".to_owned(),
                    name: "Carol".to_owned(),
                },
            ),
            (
                "ada@example.com".to_owned(),
                LegacyUser {
                    password: "Legacy-Passw0rd!".to_owned(),
                    name: "Ada Lovelace".to_owned(),
                },
            ),
        ]);
        Self {
            allowed_domains,
            auto_confirm_domains,
            blocked_users: HashSet::from(["mallory@example.com".to_owned()]),
            legacy_users,
            custom_email: std::env::var("CUSTOM_EMAIL").is_ok_and(|v| v == "true" || v == "1"),
        }
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
