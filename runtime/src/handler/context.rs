//! [`Context`]: the invocation's request ID and deadlines.

use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// What the invocation knows beyond the event: the Lambda request ID and deadline.
///
/// ```
/// use cognito_trigger::Context;
/// use std::time::Duration;
///
/// let context = Context::new("8f1e-local").with_remaining(Duration::from_secs(3));
/// assert_eq!(context.request_id(), "8f1e-local");
/// assert!(context.remaining().unwrap() <= Duration::from_secs(3));
/// ```
#[derive(Clone, Debug, Default)]
pub struct Context {
    // Shared: the pool gives each invocation a copy with Cognito's deadline, and Lambda's
    // context (request ID, ARN, trace ID, client context, identity) is not copied for it.
    lambda: Arc<lambda_runtime::Context>,
    /// When Lambda stops the invocation.
    lambda_deadline: Option<SystemTime>,
    /// When Cognito stops waiting, for the triggers it waits for (see [`Pool::budget`](crate::Pool::budget)).
    cognito_deadline: Option<SystemTime>,
}

impl Context {
    /// A context for an invocation outside Lambda (tests, local runs).
    ///
    /// ```
    /// use cognito_trigger::Context;
    ///
    /// let context = Context::new("8f1e-local");
    /// assert_eq!(context.request_id(), "8f1e-local");
    /// assert_eq!(context.deadline(), None);
    /// ```
    pub fn new(request_id: impl Into<String>) -> Self {
        // lambda_runtime's Context is non-exhaustive: start from its default.
        let mut lambda = lambda_runtime::Context::default();
        lambda.request_id = request_id.into();
        Self {
            lambda: Arc::new(lambda),
            ..Self::default()
        }
    }

    /// The same context, with Lambda's deadline `remaining` from now.
    ///
    /// ```
    /// use cognito_trigger::Context;
    /// use std::time::Duration;
    ///
    /// let context = Context::new("r1").with_remaining(Duration::from_secs(3));
    /// assert!(context.remaining().unwrap() <= Duration::from_secs(3));
    /// assert!(context.remaining().unwrap() > Duration::from_secs(2));
    /// ```
    #[must_use]
    pub fn with_remaining(mut self, remaining: Duration) -> Self {
        self.lambda_deadline = SystemTime::now().checked_add(remaining);
        self
    }

    /// The same context, with Cognito's deadline `budget` from now: the deadline becomes the
    /// earlier of it and Lambda's (Cognito's 5 seconds come before Lambda's timeout).
    ///
    /// ```
    /// use cognito_trigger::Context;
    /// use std::time::Duration;
    ///
    /// let context = Context::new("r1")
    ///     .with_remaining(Duration::from_secs(30))
    ///     .with_budget(Duration::from_secs(5));
    /// assert!(context.remaining().unwrap() <= Duration::from_secs(5));
    /// ```
    #[must_use]
    pub fn with_budget(mut self, budget: Duration) -> Self {
        self.cognito_deadline = SystemTime::now().checked_add(budget);
        self
    }

    /// The same context without Cognito's deadline: for the custom senders, which Cognito
    /// invokes asynchronously and does not wait for.
    pub(crate) fn without_budget(mut self) -> Self {
        self.cognito_deadline = None;
        self
    }

    /// Whether Cognito's deadline has been set.
    pub(crate) fn has_budget(&self) -> bool {
        self.cognito_deadline.is_some()
    }

    /// The Lambda request ID (the reference to quote when a user reports a failure).
    ///
    /// ```
    /// use cognito_trigger::Context;
    ///
    /// assert_eq!(Context::new("c0ffee").request_id(), "c0ffee");
    /// ```
    #[must_use]
    pub fn request_id(&self) -> &str {
        &self.lambda.request_id
    }

    /// When Lambda stops the invocation, if known.
    ///
    /// ```
    /// use cognito_trigger::Context;
    /// use std::time::{Duration, SystemTime};
    ///
    /// let before = SystemTime::now();
    /// let context = Context::new("r1").with_remaining(Duration::from_secs(2));
    /// assert!(context.deadline().unwrap() >= before + Duration::from_secs(2));
    /// assert_eq!(Context::new("r1").deadline(), None);
    /// ```
    #[must_use]
    pub fn deadline(&self) -> Option<SystemTime> {
        match (self.lambda_deadline, self.cognito_deadline) {
            (Some(lambda), Some(cognito)) => Some(lambda.min(cognito)),
            (lambda, cognito) => lambda.or(cognito),
        }
    }

    /// The time left before the deadline (the earlier of Lambda's and Cognito's), if known.
    ///
    /// ```
    /// use cognito_trigger::Context;
    /// use std::time::Duration;
    ///
    /// assert_eq!(Context::new("r1").remaining(), None);
    /// // Past the deadline, nothing is left (never a negative duration).
    /// let late = Context::new("r1").with_remaining(Duration::ZERO);
    /// assert_eq!(late.remaining(), Some(Duration::ZERO));
    /// ```
    #[must_use]
    pub fn remaining(&self) -> Option<Duration> {
        self.deadline()
            .map(|d| d.duration_since(SystemTime::now()).unwrap_or_default())
    }

    /// Everything the Lambda runtime says about the invocation.
    ///
    /// ```
    /// use cognito_trigger::Context;
    ///
    /// let context = Context::new("8f1e-local");
    /// assert_eq!(context.lambda().request_id, "8f1e-local");
    /// ```
    #[must_use]
    pub fn lambda(&self) -> &lambda_runtime::Context {
        &self.lambda
    }
}

impl From<lambda_runtime::Context> for Context {
    fn from(lambda: lambda_runtime::Context) -> Self {
        // A deadline already past when the event arrives is not Lambda's (Lambda's is the
        // arrival plus the function's timeout): `cargo lambda watch` 1.9.2 sends 600000
        // (1970) with every event. Taken as it is, it would time out every handler that
        // waits for anything; the deadline is unknown instead.
        let lambda_deadline = (lambda.deadline > 0)
            .then(|| UNIX_EPOCH.checked_add(Duration::from_millis(lambda.deadline)))
            .flatten()
            .filter(|deadline| *deadline > SystemTime::now());
        Self {
            lambda: Arc::new(lambda),
            lambda_deadline,
            cognito_deadline: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn arriving_with_deadline(deadline_ms: u64) -> Context {
        let mut lambda = lambda_runtime::Context::default();
        lambda.deadline = deadline_ms;
        Context::from(lambda)
    }

    #[test]
    fn lambdas_deadline_is_kept() {
        let in_a_minute = SystemTime::now() + Duration::from_secs(60);
        let ms = in_a_minute
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(0));
        let deadline = arriving_with_deadline(ms).deadline();
        assert!(
            deadline.is_some_and(|d| d > SystemTime::now()),
            "{deadline:?}"
        );
    }

    #[test]
    fn a_deadline_past_on_arrival_is_unknown() {
        // What `cargo lambda watch` 1.9.2 sends with every event.
        let context = arriving_with_deadline(600_000);
        assert_eq!(context.deadline(), None);
        assert_eq!(context.remaining(), None);
        // Cognito's budget still applies.
        let budgeted = context.with_budget(Duration::from_secs(2));
        assert!(budgeted.deadline().is_some_and(|d| d > SystemTime::now()));
    }
}
