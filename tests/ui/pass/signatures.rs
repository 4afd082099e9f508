//! The shapes a handler may take: sync or async; the event alone or with the context
//! and shared state in either order; every return form.

use cognito_trigger::{
    cognito_trigger, handler, Context, Handler, HandlerInfo, PostAuthenticationEvent, PreSignUpEvent,
    PreSignUpResponse, Reject, TriggerError, UserMigrationEvent, UserMigrationResponse,
};

struct Directory {
    allowed_domain: &'static str,
}

#[cognito_trigger(PreSignUp)]
fn unit(_event: &PreSignUpEvent<'_>) {}

#[cognito_trigger(PreSignUp)]
async fn async_unit(_event: &PreSignUpEvent<'_>) {}

// A sync signature may leave the event's lifetime implicit.
#[cognito_trigger(PreSignUp)]
fn implicit_lifetime(_event: &PreSignUpEvent) {}

#[cognito_trigger(PreSignUp)]
fn response(_event: &PreSignUpEvent<'_>) -> PreSignUpResponse {
    PreSignUpResponse::new().confirm_user()
}

#[cognito_trigger(PreSignUp)]
async fn with_state_and_context(
    event: &PreSignUpEvent<'_>,
    directory: &Directory,
    context: &Context,
) -> Result<PreSignUpResponse, Reject> {
    let _ = context.request_id();
    match event.request.user_attributes.get("email") {
        Some(email) if email.ends_with(directory.allowed_domain) => Ok(PreSignUpResponse::new()),
        _ => Err(Reject::new("Sign-up is closed.")),
    }
}

#[cognito_trigger(PreSignUp)]
fn context_then_state(_event: &PreSignUpEvent<'_>, _context: &Context, _directory: &Directory) {}

#[cognito_trigger(PreSignUp)]
fn lambda_context(_event: &PreSignUpEvent<'_>, context: &cognito_trigger::lambda_runtime::Context) {
    let _ = &context.invoked_function_arn;
}

#[cognito_trigger(PostAuthentication)]
fn unit_result(_event: &PostAuthenticationEvent<'_>) -> Result<(), TriggerError> {
    Ok(())
}

#[cognito_trigger(PostAuthentication)]
fn any_std_error(_event: &PostAuthenticationEvent<'_>) -> Result<(), std::io::Error> {
    Ok(())
}

#[cognito_trigger(UserMigration)]
pub(crate) async fn lifetimes_and_patterns<'a, 'b>(
    UserMigrationEvent { user_name, .. }: &'a UserMigrationEvent<'b>,
) -> Result<UserMigrationResponse, TriggerError> {
    Ok(UserMigrationResponse::new().attribute("email", user_name.to_string()))
}

mod nested {
    use cognito_trigger::{cognito_trigger, PreSignUpEvent};

    #[cognito_trigger(PreSignUp, sources(SignUp))]
    pub fn in_a_module(_event: &PreSignUpEvent<'_>) {}
}

fn runs_with<S, H: Handler<S>>(_: &H) {}

fn main() {
    // The functions stay plain functions.
    let _: fn(&PreSignUpEvent<'_>) -> PreSignUpResponse = response;
    // Without state a handler runs with any state; with state, with its own.
    runs_with::<(), _>(&handler!(unit));
    runs_with::<Directory, _>(&handler!(unit));
    runs_with::<Directory, _>(&handler!(with_state_and_context));
    runs_with::<Directory, _>(&handler!(context_then_state));
    let _ = (
        handler!(async_unit),
        handler!(implicit_lifetime),
        handler!(lambda_context),
        handler!(unit_result),
        handler!(any_std_error),
        handler!(lifetimes_and_patterns),
        handler!(nested::in_a_module),
    );
    assert_eq!(<nested::in_a_module as HandlerInfo>::NAME, "in_a_module");
}
