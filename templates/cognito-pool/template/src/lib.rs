{%- assign chosen = triggers | remove: " " | split: "," -%}
{%- assign known = "PreSignUp,PostConfirmation,PreAuthentication,PostAuthentication,DefineAuthChallenge,CreateAuthChallenge,VerifyAuthChallengeResponse,PreTokenGenerationV1,PreTokenGenerationV2,PreTokenGenerationV3,UserMigration,CustomMessage,CustomEmailSender,CustomSmsSender,InboundFederation" | split: "," -%}
//! {{ project_name }}: Amazon Cognito user pool triggers, built with `cognito-trigger`.
//!
//! One module per trigger, each with its `#[cognito_trigger]` handler; [`pool`] registers
//! them all, and `src/main.rs` serves the pool as one Lambda function. Each handler stays a
//! plain function: `tests/handlers.rs` runs it on events the way Lambda would.
{%- for name in chosen %}{% unless known contains name %}

compile_error!("`{{ name }}` is not a trigger: the template's `triggers` takes {{ known | join: ", " }}");
{%- endunless %}{% endfor %}

use cognito_trigger::Pool;
{%- if chosen contains "PreSignUp" %}

/// Pre sign-up: runs before Cognito creates a user.
pub mod pre_sign_up {
    use cognito_trigger::{PreSignUpEvent, PreSignUpResponse, cognito_trigger};

    /// Confirms users from `example.com` without a code (and marks their email verified);
    /// everyone else confirms with the code Cognito sends.
    #[cognito_trigger(PreSignUp)]
    pub fn pre_sign_up(event: &PreSignUpEvent<'_>) -> PreSignUpResponse {
        let email = event
            .request
            .user_attributes
            .get("email")
            .unwrap_or_default();
        if email.ends_with("@example.com") {
            PreSignUpResponse::new().confirm_user().verify_email()
        } else {
            PreSignUpResponse::new()
        }
    }
}
{%- endif %}
{%- if chosen contains "PostConfirmation" %}

/// Post confirmation: runs after a user confirms sign-up or a password reset.
pub mod post_confirmation {
    use cognito_trigger::{PostConfirmationEvent, cognito_trigger};

    /// Welcomes a new user (here, a log line: send the welcome email or create the profile).
    #[cognito_trigger(PostConfirmation)]
    pub async fn post_confirmation(event: &PostConfirmationEvent<'_>) {
        let sub = event.request.user_attributes.get("sub").unwrap_or_default();
        tracing::info!(sub, "user confirmed");
    }
}
{%- endif %}
{%- if chosen contains "PreAuthentication" %}

/// Pre authentication: runs before a sign-in; an error denies it.
pub mod pre_authentication {
    use cognito_trigger::{PreAuthenticationEvent, Reject, cognito_trigger};

    /// Denies sign-in to users whose `custom:blocked` attribute is `true`.
    #[cognito_trigger(PreAuthentication)]
    pub fn pre_authentication(event: &PreAuthenticationEvent<'_>) -> Result<(), Reject> {
        match event.request.user_attributes.get("custom:blocked") {
            Some("true") => Err(Reject::new("This account is blocked.")),
            _ => Ok(()),
        }
    }
}
{%- endif %}
{%- if chosen contains "PostAuthentication" %}

/// Post authentication: runs after a successful sign-in.
pub mod post_authentication {
    use cognito_trigger::{PostAuthenticationEvent, cognito_trigger};

    /// Records the sign-in (here, a log line).
    #[cognito_trigger(PostAuthentication)]
    pub async fn post_authentication(event: &PostAuthenticationEvent<'_>) {
        let sub = event.request.user_attributes.get("sub").unwrap_or_default();
        tracing::info!(sub, "user signed in");
    }
}
{%- endif %}
{%- if chosen contains "DefineAuthChallenge" %}

/// Define auth challenge: decides the next step of a custom authentication flow.
pub mod define_auth_challenge {
    use cognito_trigger::{
        ChallengeName, DefineAuthChallengeEvent, DefineAuthChallengeResponse, cognito_trigger,
    };

    /// Wrong answers allowed before the sign-in fails.
    const MAX_ATTEMPTS: usize = 3;

    /// One custom challenge: tokens once it is answered right, failure after three misses.
    #[cognito_trigger(DefineAuthChallenge)]
    pub fn define_auth_challenge(
        event: &DefineAuthChallengeEvent<'_>,
    ) -> DefineAuthChallengeResponse {
        let request = &event.request;
        if request
            .last_challenge()
            .is_some_and(|step| step.passed(&ChallengeName::CustomChallenge))
        {
            DefineAuthChallengeResponse::succeed()
        } else if request.custom_challenge_attempts() >= MAX_ATTEMPTS {
            DefineAuthChallengeResponse::fail()
        } else {
            DefineAuthChallengeResponse::next_challenge(ChallengeName::CustomChallenge)
        }
    }
}
{%- endif %}
{%- if chosen contains "CreateAuthChallenge" %}

/// Create auth challenge: builds the challenge the client must answer.
pub mod create_auth_challenge {
    use cognito_trigger::{CreateAuthChallengeEvent, CreateAuthChallengeResponse, cognito_trigger};

    /// Asks a question and keeps its answer where only verify auth challenge sees it.
    /// Replace it with a one-time code you generate and send to the user.
    #[cognito_trigger(CreateAuthChallenge)]
    pub fn create_auth_challenge(
        _event: &CreateAuthChallengeEvent<'_>,
    ) -> CreateAuthChallengeResponse {
        CreateAuthChallengeResponse::new()
            .public_parameter("question", "What is 6 times 7?")
            .private_parameter("answer", "42")
            .metadata("QUESTION")
    }
}
{%- endif %}
{%- if chosen contains "VerifyAuthChallengeResponse" %}

/// Verify auth challenge response: checks the client's answer.
pub mod verify_auth_challenge_response {
    use cognito_trigger::{
        VerifyAuthChallengeResponseEvent, VerifyAuthChallengeResponseResponse, cognito_trigger,
    };

    /// Compares the answer with the one create auth challenge kept.
    #[cognito_trigger(VerifyAuthChallengeResponse)]
    pub fn verify_auth_challenge_response(
        event: &VerifyAuthChallengeResponseEvent<'_>,
    ) -> VerifyAuthChallengeResponseResponse {
        let expected = event.request.private_challenge_parameters.get("answer");
        let answer = event.request.challenge_answer.trim();
        VerifyAuthChallengeResponseResponse::answer(expected == Some(answer))
    }
}
{%- endif %}
{%- if chosen contains "PreTokenGenerationV1" %}

/// Pre token generation, `V1_0`: the ID token's claims and the user's groups.
pub mod pre_token_generation_v1 {
    use cognito_trigger::{
        PreTokenGenerationV1Event, PreTokenGenerationV1Response, cognito_trigger,
    };

    /// Adds a `tier` claim to the ID token, from the `custom:tier` attribute.
    #[cognito_trigger(PreTokenGenerationV1)]
    pub fn pre_token_generation_v1(
        event: &PreTokenGenerationV1Event<'_>,
    ) -> PreTokenGenerationV1Response {
        let tier = event
            .request
            .user_attributes
            .get("custom:tier")
            .unwrap_or("free");
        PreTokenGenerationV1Response::new().add_claim("tier", tier)
    }
}
{%- endif %}
{%- if chosen contains "PreTokenGenerationV2" %}

/// Pre token generation, `V2_0`: ID and access token claims and scopes, for user sign-in.
pub mod pre_token_generation_v2 {
    use cognito_trigger::{
        PreTokenGenerationV2Event, PreTokenGenerationV2Response, cognito_trigger,
    };

    /// Adds a `tier` claim to the access token, from the `custom:tier` attribute.
    #[cognito_trigger(PreTokenGenerationV2)]
    pub fn pre_token_generation_v2(
        event: &PreTokenGenerationV2Event<'_>,
    ) -> PreTokenGenerationV2Response {
        let tier = event
            .request
            .user_attributes
            .get("custom:tier")
            .unwrap_or("free");
        PreTokenGenerationV2Response::new().add_access_token_claim("tier", tier)
    }
}
{%- endif %}
{%- if chosen contains "PreTokenGenerationV3" %}

/// Pre token generation, `V3_0`: as `V2_0`, and for machine-to-machine tokens too.
pub mod pre_token_generation_v3 {
    use cognito_trigger::{
        PreTokenGenerationV2Response, PreTokenGenerationV3Event, cognito_trigger,
    };

    /// Adds a `tier` claim to every access token (`free` for machine clients, which have no
    /// user attributes).
    #[cognito_trigger(PreTokenGenerationV3)]
    pub fn pre_token_generation_v3(
        event: &PreTokenGenerationV3Event<'_>,
    ) -> PreTokenGenerationV2Response {
        let tier = event
            .request
            .user_attributes
            .get("custom:tier")
            .unwrap_or("free");
        PreTokenGenerationV2Response::new().add_access_token_claim("tier", tier)
    }
}
{%- endif %}
{%- if chosen contains "UserMigration" %}

/// User migration: creates a user from a legacy store at their first sign-in.
pub mod user_migration {
    use cognito_trigger::{Reject, UserMigrationEvent, UserMigrationResponse, cognito_trigger};

    /// Looks the user up in the legacy store. There is none yet: every lookup fails, and
    /// Cognito answers as for an unknown user. Check `event.request.password` against your
    /// store and answer `UserMigrationResponse::new().attribute(...)`.
    #[cognito_trigger(UserMigration)]
    pub async fn user_migration(
        event: &UserMigrationEvent<'_>,
    ) -> Result<UserMigrationResponse, Reject> {
        tracing::info!(user = %event.user_name, "no legacy store to migrate from");
        Err(Reject::new("Incorrect username or password."))
    }
}
{%- endif %}
{%- if chosen contains "CustomMessage" %}

/// Custom message: the text of the codes Cognito sends.
pub mod custom_message {
    use cognito_trigger::{
        CustomMessageEvent, CustomMessageResponse, CustomMessageSource, cognito_trigger,
    };

    /// Rewrites the SMS for a password reset; Cognito's own messages for the rest.
    #[cognito_trigger(CustomMessage)]
    pub fn custom_message(event: &CustomMessageEvent<'_>) -> CustomMessageResponse {
        match event.trigger_source {
            CustomMessageSource::ForgotPassword => CustomMessageResponse::new().sms(format!(
                "Your password reset code is {}",
                event.request.code_parameter
            )),
            _ => CustomMessageResponse::new(),
        }
    }
}
{%- endif %}
{%- if chosen contains "CustomEmailSender" %}

/// Custom email sender: delivers every email Cognito sends, with the code encrypted.
pub mod custom_email_sender {
    use cognito_trigger::{CustomEmailSenderEvent, cognito_trigger};

    /// Hands the email to your provider (here, a log line without the code). The code is
    /// an AWS Encryption SDK message under the pool's KMS key: decrypt it before sending.
    #[cognito_trigger(CustomEmailSender)]
    pub async fn custom_email_sender(event: &CustomEmailSenderEvent<'_>) {
        let has_code = event.request.code.is_some();
        tracing::info!(source = %event.trigger_source, has_code, "email to deliver");
    }
}
{%- endif %}
{%- if chosen contains "CustomSmsSender" %}

/// Custom SMS sender: delivers every SMS Cognito sends, with the code encrypted.
pub mod custom_sms_sender {
    use cognito_trigger::{CustomSmsSenderEvent, cognito_trigger};

    /// Hands the SMS to your provider (here, a log line without the code). The code is an
    /// AWS Encryption SDK message under the pool's KMS key: decrypt it before sending.
    #[cognito_trigger(CustomSmsSender)]
    pub async fn custom_sms_sender(event: &CustomSmsSenderEvent<'_>) {
        let has_code = event.request.code.is_some();
        tracing::info!(source = %event.trigger_source, has_code, "SMS to deliver");
    }
}
{%- endif %}
{%- if chosen contains "InboundFederation" %}

/// Inbound federation: sees the identity provider's data at every federated sign-in.
pub mod inbound_federation {
    use cognito_trigger::{InboundFederationEvent, InboundFederationResponse, cognito_trigger};

    /// Keeps the attributes Cognito maps from the provider; answer
    /// `InboundFederationResponse::map(...)` to replace them.
    #[cognito_trigger(InboundFederation)]
    pub fn inbound_federation(event: &InboundFederationEvent<'_>) -> InboundFederationResponse {
        tracing::info!(provider = %event.request.provider_name, "federated sign-in");
        InboundFederationResponse::keep_all()
    }
}
{%- endif %}
{%- capture paths -%}
{%- for name in chosen -%}{%- if known contains name -%}
,{%- case name -%}{%- when "PreSignUp" -%}pre_sign_up::pre_sign_up{%- when "PostConfirmation" -%}post_confirmation::post_confirmation{%- when "PreAuthentication" -%}pre_authentication::pre_authentication{%- when "PostAuthentication" -%}post_authentication::post_authentication{%- when "DefineAuthChallenge" -%}define_auth_challenge::define_auth_challenge{%- when "CreateAuthChallenge" -%}create_auth_challenge::create_auth_challenge{%- when "VerifyAuthChallengeResponse" -%}verify_auth_challenge_response::verify_auth_challenge_response{%- when "PreTokenGenerationV1" -%}pre_token_generation_v1::pre_token_generation_v1{%- when "PreTokenGenerationV2" -%}pre_token_generation_v2::pre_token_generation_v2{%- when "PreTokenGenerationV3" -%}pre_token_generation_v3::pre_token_generation_v3{%- when "UserMigration" -%}user_migration::user_migration{%- when "CustomMessage" -%}custom_message::custom_message{%- when "CustomEmailSender" -%}custom_email_sender::custom_email_sender{%- when "CustomSmsSender" -%}custom_sms_sender::custom_sms_sender{%- when "InboundFederation" -%}inbound_federation::inbound_federation{%- endcase -%}
{%- endif -%}{%- endfor -%}
{%- endcapture -%}
{%- assign paths = paths | remove_first: "," | split: "," %}

/// Every handler of this crate in one pool.
#[must_use]
pub fn pool() -> Pool {
{%- if paths.size == 1 %}
    cognito_trigger::pool![{{ paths[0] }}]
{%- else %}
    cognito_trigger::pool![
{%- for path in paths %}
        {{ path }},
{%- endfor %}
    ]
{%- endif %}
}
