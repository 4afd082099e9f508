//! Every trigger kind the attribute knows, each narrowed to every one of its sources: the
//! attribute's kind table and the runtime's types cannot drift apart without this failing.

use cognito_trigger::*;

#[cognito_trigger(PreSignUp, sources(SignUp, AdminCreateUser, ExternalProvider))]
fn pre_sign_up(_event: &PreSignUpEvent<'_>) {}

#[cognito_trigger(PostConfirmation, sources(ConfirmSignUp, ConfirmForgotPassword))]
fn post_confirmation(_event: &PostConfirmationEvent<'_>) {}

#[cognito_trigger(PreAuthentication, sources(Authentication))]
fn pre_authentication(_event: &PreAuthenticationEvent<'_>) {}

#[cognito_trigger(PostAuthentication, sources(Authentication))]
fn post_authentication(_event: &PostAuthenticationEvent<'_>) {}

#[cognito_trigger(DefineAuthChallenge, sources(Authentication))]
fn define_auth_challenge(_event: &DefineAuthChallengeEvent<'_>) {}

#[cognito_trigger(CreateAuthChallenge, sources(Authentication))]
fn create_auth_challenge(_event: &CreateAuthChallengeEvent<'_>) {}

#[cognito_trigger(VerifyAuthChallengeResponse, sources(Authentication))]
fn verify_auth_challenge_response(_event: &VerifyAuthChallengeResponseEvent<'_>) {}

#[cognito_trigger(
    PreTokenGeneration,
    sources(HostedAuth, Authentication, NewPasswordChallenge, AuthenticateDevice, RefreshTokens)
)]
fn pre_token_generation(_event: &PreTokenGenerationV1Event<'_>) {}

#[cognito_trigger(
    PreTokenGenerationV1,
    sources(HostedAuth, Authentication, NewPasswordChallenge, AuthenticateDevice, RefreshTokens)
)]
fn pre_token_generation_v1(_event: &PreTokenGenerationV1Event<'_>) {}

#[cognito_trigger(
    PreTokenGenerationV2,
    sources(HostedAuth, Authentication, NewPasswordChallenge, AuthenticateDevice, RefreshTokens)
)]
fn pre_token_generation_v2(_event: &PreTokenGenerationV2Event<'_>) {}

#[cognito_trigger(
    PreTokenGenerationV3,
    sources(
        HostedAuth,
        Authentication,
        NewPasswordChallenge,
        AuthenticateDevice,
        RefreshTokens,
        ClientCredentials
    )
)]
fn pre_token_generation_v3(_event: &PreTokenGenerationV3Event<'_>) {}

#[cognito_trigger(UserMigration, sources(Authentication, ForgotPassword))]
fn user_migration(_event: &UserMigrationEvent<'_>) {}

#[cognito_trigger(
    CustomMessage,
    sources(
        SignUp,
        AdminCreateUser,
        ResendCode,
        ForgotPassword,
        UpdateUserAttribute,
        VerifyUserAttribute,
        Authentication
    )
)]
fn custom_message(_event: &CustomMessageEvent<'_>) {}

#[cognito_trigger(
    CustomEmailSender,
    sources(
        SignUp,
        ResendCode,
        ForgotPassword,
        UpdateUserAttribute,
        VerifyUserAttribute,
        AdminCreateUser,
        Authentication,
        AccountTakeOverNotification
    )
)]
fn custom_email_sender(_event: &CustomEmailSenderEvent<'_>) {}

#[cognito_trigger(
    CustomSmsSender,
    sources(
        SignUp,
        ResendCode,
        ForgotPassword,
        UpdateUserAttribute,
        VerifyUserAttribute,
        AdminCreateUser,
        Authentication
    )
)]
fn custom_sms_sender(_event: &CustomSmsSenderEvent<'_>) {}

#[cognito_trigger(InboundFederation, sources(ExternalProvider))]
fn inbound_federation(_event: &InboundFederationEvent<'_>) {}

fn kind_of<H: HandlerInfo>(_: &H) -> TriggerKind {
    <H::Trigger as Trigger>::KIND
}

fn main() {
    let kinds = [
        kind_of(&handler!(pre_sign_up)),
        kind_of(&handler!(post_confirmation)),
        kind_of(&handler!(pre_authentication)),
        kind_of(&handler!(post_authentication)),
        kind_of(&handler!(define_auth_challenge)),
        kind_of(&handler!(create_auth_challenge)),
        kind_of(&handler!(verify_auth_challenge_response)),
        kind_of(&handler!(pre_token_generation_v1)),
        kind_of(&handler!(pre_token_generation_v2)),
        kind_of(&handler!(pre_token_generation_v3)),
        kind_of(&handler!(user_migration)),
        kind_of(&handler!(custom_message)),
        kind_of(&handler!(custom_email_sender)),
        kind_of(&handler!(custom_sms_sender)),
        kind_of(&handler!(inbound_federation)),
    ];
    assert_eq!(kinds, TriggerKind::ALL);
    assert_eq!(kind_of(&handler!(pre_token_generation)), TriggerKind::PreTokenGenerationV1);
}
