//! Example Cognito trigger functions built with `cognito-trigger`.
//!
//! Each module is a small, realistic handler set for one family of triggers, meant to be
//! read and copied: [`triggers::sign_up`], [`triggers::authentication`],
//! [`triggers::challenge`] (a one-time code by email), [`triggers::tokens`],
//! [`triggers::migration`], [`triggers::messages`], [`triggers::senders`] and
//! [`triggers::federation`]; the stores they read and write are in [`store`] (DynamoDB and
//! the Cognito API, or memory). [`pool()`] registers them all in one function; the `pool` binary
//! serves it, and one binary per trigger (`pre_sign_up`, `user_migration`, ...) serves one
//! handler each, for teams that deploy one function per trigger.

use cognito_trigger::{Handler, Pool, Trigger, TriggerKind, pool};

pub mod app;
pub mod delivery;
pub mod store;
pub mod triggers;

pub use app::App;

include!(concat!(env!("OUT_DIR"), "/samples.rs"));

/// Every example handler in one pool, with the samples the local run mode replays.
///
/// Pre token generation is registered in every version (`V1_0` is what cognito-local and
/// pools without a version send); events are routed by their `version`, and
/// `--lambda-config` configures the highest, `V3_0`.
#[must_use]
pub fn pool(app: App) -> Pool<App> {
    use triggers::{authentication::*, challenge::*, federation::*, messages::*};
    use triggers::{migration::*, senders::*, sign_up::*, tokens::*};
    pool!(
        state = app;
        pre_sign_up,
        post_confirmation,
        pre_authentication,
        post_authentication,
        define_auth_challenge,
        create_auth_challenge,
        verify_auth_challenge,
        id_token_claims,
        user_token_claims_v2,
        access_token_claims,
        migrate_user,
        custom_message,
        custom_email_sender,
        custom_sms_sender,
        inbound_federation,
    )
    .samples(SAMPLE_EVENTS)
    .deployment(store::deployment)
}

/// Serves one handler as its own function (with the samples of its trigger for the local
/// run mode): the `main` of every single-trigger example.
///
/// # Errors
/// When the Lambda Runtime API cannot be reached.
pub async fn serve<H: Handler<App>>(
    handler: H,
) -> Result<(), cognito_trigger::lambda_runtime::Error> {
    cognito_trigger::init_logging();
    let kind = <H::Trigger as Trigger>::KIND;
    // Only the local run mode reads the samples: on Lambda (where `AWS_LAMBDA_RUNTIME_API`
    // is set, as `Pool::run` checks) reading each of them would only slow the cold start.
    let on_lambda = std::env::var_os("AWS_LAMBDA_RUNTIME_API").is_some();
    // Leaked once at start-up: the samples live as long as the process.
    let samples: &'static [(&'static str, &'static [u8])] = if on_lambda {
        &[]
    } else {
        Box::leak(
            SAMPLE_EVENTS
                .iter()
                .copied()
                .filter(|(_, event)| sample_kind(event) == Some(kind))
                .collect(),
        )
    };
    Pool::with_state(App::from_env().await)
        .handler(handler)
        .samples(samples)
        .run()
        .await
}

/// The sample's trigger, from its envelope alone: decoding whole events here would link
/// every trigger's decoder into every single-trigger binary.
fn sample_kind(event: &[u8]) -> Option<TriggerKind> {
    cognito_trigger::RawEvent::parse(event)
        .ok()
        .and_then(|raw| raw.kind().ok().flatten())
}
