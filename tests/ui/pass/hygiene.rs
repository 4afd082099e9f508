//! The expansion names nothing through the prelude or relative paths: a crate without the
//! implicit prelude, with local items named like every std item the expansion could use,
//! still compiles, warning-free.

#![no_implicit_prelude]
#![deny(warnings)]

#[allow(dead_code)]
mod traps {
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
}
#[allow(unused_imports)]
use traps::*;

struct State;

#[::cognito_trigger::cognito_trigger(PreSignUp)]
async fn with_everything(
    event: &::cognito_trigger::PreSignUpEvent<'_>,
    _context: &::cognito_trigger::Context,
    _state: &State,
) -> ::core::result::Result<::cognito_trigger::PreSignUpResponse, ::cognito_trigger::Reject> {
    let _ = event;
    ::core::result::Result::Ok(::cognito_trigger::PreSignUpResponse::new())
}

#[::cognito_trigger::cognito_trigger(CustomMessage, sources(SignUp, ForgotPassword))]
fn narrowed(_event: &::cognito_trigger::CustomMessageEvent<'_>) {}

fn main() {
    let _ = ::cognito_trigger::handler!(with_everything);
    let _ = ::cognito_trigger::handler!(narrowed);
}
