//! The process front end: serving a [`Pool`] (or one handler) on AWS Lambda through the
//! Lambda Runtime API, or anywhere else in the local run mode ([`crate::local`]), whose
//! exit status ends the process. The pool itself knows nothing of processes.

use crate::handler::{Context, Handler};
use crate::invoke::{InvocationError, internal_error_message};
use crate::pool::Pool;

impl<S: Send + Sync + 'static> Pool<S> {
    /// Serves the pool: on AWS Lambda (when `AWS_LAMBDA_RUNTIME_API` is set) through the
    /// Lambda runtime; anywhere else in the local run mode (see the `local` module docs),
    /// which then ends the process with its exit status.
    ///
    /// ```no_run
    /// use cognito_trigger::{cognito_trigger, handler, Pool, PostConfirmationEvent, PreSignUpEvent};
    ///
    /// #[cognito_trigger(PreSignUp)]
    /// fn sign_up(_event: &PreSignUpEvent<'_>) {}
    /// #[cognito_trigger(PostConfirmation)]
    /// fn welcome(_event: &PostConfirmationEvent<'_>) {}
    ///
    /// #[tokio::main]
    /// async fn main() -> Result<(), cognito_trigger::lambda_runtime::Error> {
    ///     Pool::new().handler(handler!(sign_up)).handler(handler!(welcome)).run().await
    /// }
    /// ```
    ///
    /// # Errors
    /// A conflict between handlers, a state that could not be built
    /// ([`Pool::with_state_from`]), or a Lambda Runtime API that cannot be reached.
    pub async fn run(self) -> Result<(), lambda_runtime::Error> {
        self.check()?;
        // Warnings, rejections and internal failures must reach Lambda's log even when
        // `main` set up no logging; a subscriber the user installed is kept.
        if !tracing::dispatcher::has_been_set() {
            crate::init_logging();
        }
        if std::env::var_os("AWS_LAMBDA_RUNTIME_API").is_none() {
            let status = crate::local::run(&self).await;
            std::process::exit(status);
        }
        // A state built on demand (`Pool::with_state_from`) is built now, at cold start: its
        // failure fails the cold start, with its error.
        if let Err(error) = self.build_state().await {
            return Err(error.into());
        }
        let pool = &self;
        let service = lambda_runtime::service_fn(
            move |event: lambda_runtime::LambdaEvent<Box<serde_json::value::RawValue>>| async move {
                let context = Context::from(event.context).with_budget(pool.budget_of());
                let answer = pool
                    .invoke(event.payload.get().as_bytes(), &context)
                    .await?;
                raw_json(answer, &context)
            },
        );
        lambda_runtime::run(service).await
    }
}

/// The answer as the raw JSON the Lambda runtime sends back.
fn raw_json(
    answer: Vec<u8>,
    context: &Context,
) -> Result<Box<serde_json::value::RawValue>, InvocationError> {
    let internal = || {
        InvocationError::new(
            "InternalError",
            internal_error_message(context.request_id()),
        )
    };
    // `invoke` answers with the input's bytes and a serialized response: valid JSON.
    let answer = String::from_utf8(answer).map_err(|_| internal())?;
    serde_json::value::RawValue::from_string(answer).map_err(|_| internal())
}

/// Serves one handler: a pool of one. On AWS Lambda it runs the Lambda runtime; anywhere
/// else, the local run mode.
///
/// ```no_run
/// use cognito_trigger::{cognito_trigger, handler, PreSignUpEvent, PreSignUpResponse};
///
/// #[cognito_trigger(PreSignUp)]
/// fn auto_confirm(_event: &PreSignUpEvent<'_>) -> PreSignUpResponse {
///     PreSignUpResponse::new().confirm_user()
/// }
///
/// #[tokio::main]
/// async fn main() -> Result<(), cognito_trigger::lambda_runtime::Error> {
///     cognito_trigger::run(handler!(auto_confirm)).await
/// }
/// ```
///
/// # Errors
/// When the Lambda Runtime API cannot be reached.
pub async fn run<H: Handler<()>>(handler: H) -> Result<(), lambda_runtime::Error> {
    Pool::new().handler(handler).run().await
}

/// Serves one handler, lending it `state` (built once, at cold start) on every invocation.
///
/// ```no_run
/// use cognito_trigger::{cognito_trigger, handler, PreSignUpEvent, PreSignUpResponse};
///
/// struct Config { allowed_domain: String }
///
/// #[cognito_trigger(PreSignUp)]
/// fn sign_up(event: &PreSignUpEvent<'_>, config: &Config) -> PreSignUpResponse {
///     let email = event.request.user_attributes.get("email").unwrap_or_default();
///     if email.ends_with(&config.allowed_domain) {
///         PreSignUpResponse::new().confirm_user()
///     } else {
///         PreSignUpResponse::new()
///     }
/// }
///
/// #[tokio::main]
/// async fn main() -> Result<(), cognito_trigger::lambda_runtime::Error> {
///     let config = Config { allowed_domain: "@example.com".to_owned() };
///     cognito_trigger::run_with_state(handler!(sign_up), config).await
/// }
/// ```
///
/// # Errors
/// When the Lambda Runtime API cannot be reached.
pub async fn run_with_state<S: Send + Sync + 'static, H: Handler<S>>(
    handler: H,
    state: S,
) -> Result<(), lambda_runtime::Error> {
    Pool::with_state(state).handler(handler).run().await
}
