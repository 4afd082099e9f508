//! A user crate that makes `#[cognito_trigger]`'s expansion prove its hygiene: it compiles
//! without the implicit prelude, beside local items named like every std item the
//! expansion could reach for, with the runtime renamed in Cargo.toml (`crate = "..."`),
//! and with warnings denied. Building this crate is the test; the unit test below also
//! runs a handler.

#![no_implicit_prelude]
#![deny(warnings)]

/// Local items named like std's, so an unqualified path in the expansion would hit them.
#[allow(dead_code, missing_docs, unreachable_pub)]
pub mod traps {
    pub struct Result;
    pub struct Ok;
    pub struct Err;
    pub struct Option;
    pub struct Some;
    pub struct None;
    pub struct Error;
    pub struct Box;
    pub struct Send;
    pub struct Sync;
    pub struct Future;
    pub struct String;
    pub struct Vec;
    pub struct Default;
    pub mod core {}
    pub mod std {}
    pub mod cognito_trigger {}
    pub mod trigger_runtime {}
}
#[allow(unused_imports)]
use traps::*;

/// Shared state, to exercise the state parameter.
pub struct Allowlist {
    /// The one domain that may sign up.
    pub domain: &'static str,
}

/// Confirms sign-ups from the allowed domain; rejects the rest.
///
/// # Errors
/// A rejection for any other domain.
#[::trigger_runtime::cognito_trigger(PreSignUp, crate = "::trigger_runtime")]
pub async fn allow_domain(
    event: &::trigger_runtime::PreSignUpEvent<'_>,
    _context: &::trigger_runtime::Context,
    allowlist: &Allowlist,
) -> ::core::result::Result<::trigger_runtime::PreSignUpResponse, ::trigger_runtime::Reject> {
    match event.request.user_attributes.get("email") {
        ::core::option::Option::Some(email) if email.ends_with(allowlist.domain) => {
            ::core::result::Result::Ok(::trigger_runtime::PreSignUpResponse::new().confirm_user())
        }
        _ => ::core::result::Result::Err(::trigger_runtime::Reject::new("Domain not allowed.")),
    }
}

/// A narrowed, synchronous, observe-only handler.
#[::trigger_runtime::cognito_trigger(
    CustomMessage,
    sources(SignUp, ForgotPassword),
    crate = "::trigger_runtime"
)]
pub fn narrowed(_event: &::trigger_runtime::CustomMessageEvent<'_>) {}

#[cfg(test)]
mod tests {
    // The proof is about the expansions above; the test itself may use the prelude.
    use ::std::prelude::rust_2024::*;

    fn block_on<F: ::std::future::Future>(future: F) -> F::Output {
        let runtime = ::tokio::runtime::Builder::new_current_thread().build();
        runtime.expect("a current-thread runtime").block_on(future)
    }

    #[test]
    fn the_renamed_runtime_runs_the_handler() {
        let event = br#"{"version":"1","triggerSource":"PreSignUp_SignUp",
            "request":{"userAttributes":{"email":"ada@example.com"}},"response":{}}"#;
        let context = ::trigger_runtime::Context::new("hygiene-1");
        let handler = ::trigger_runtime::handler!(super::allow_domain);

        let allowlist = super::Allowlist {
            domain: "@example.com",
        };
        let answer = block_on(::trigger_runtime::invoke(
            &handler, event, &context, &allowlist,
        ));
        let answer: ::serde_json::Value =
            ::serde_json::from_slice(&answer.expect("answered")).expect("the answer is JSON");
        assert_eq!(answer["response"]["autoConfirmUser"], true);

        let stranger = super::Allowlist {
            domain: "@elsewhere.example",
        };
        let refusal = block_on(::trigger_runtime::invoke(
            &handler, event, &context, &stranger,
        ));
        assert_eq!(
            refusal.expect_err("rejected").error_message(),
            "Domain not allowed"
        );
    }
}
