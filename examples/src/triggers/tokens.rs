//! Pre token generation: claims and groups in the V1_0 form (ID token only) and the V3_0
//! form (ID and access tokens, scopes, and machine-to-machine tokens).

use cognito_trigger::{
    PreTokenGenerationRequest, PreTokenGenerationV1Event, PreTokenGenerationV1Response,
    PreTokenGenerationV2Event, PreTokenGenerationV2Response, PreTokenGenerationV3Event,
    TokenGenerationSource, cognito_trigger,
};

/// V1_0: adds the user's tier as a claim, hides the internal notes attribute, and puts
/// verified users in a `verified` group (keeping their other groups).
#[cognito_trigger(PreTokenGeneration)]
pub fn id_token_claims(event: &PreTokenGenerationV1Event<'_>) -> PreTokenGenerationV1Response {
    let attributes = &event.request.user_attributes;
    let response = PreTokenGenerationV1Response::new()
        .add_claim("tier", attributes.get("custom:tier").unwrap_or("free"))
        .suppress_claim("custom:internal_notes");
    if attributes.is_true("email_verified") {
        response.add_group(&event.request, "verified")
    } else {
        response
    }
}

/// V3_0: for users, the tier in both tokens, the groups as an access token claim, no email
/// in the access token, and a reports scope for admins; for machine-to-machine clients,
/// the tenant they sent in `aws_client_metadata`.
#[cognito_trigger(PreTokenGenerationV3)]
pub fn access_token_claims(event: &PreTokenGenerationV3Event<'_>) -> PreTokenGenerationV2Response {
    let request = &event.request;
    if event.trigger_source == TokenGenerationSource::ClientCredentials {
        let tenant = request.client_metadata.get("tenant").unwrap_or("default");
        return PreTokenGenerationV2Response::new().add_access_token_claim("tenant", tenant);
    }
    user_token_claims(request)
}

/// V2_0: the same user token changes as [`access_token_claims`], for pools on V2_0.
#[cognito_trigger(PreTokenGenerationV2)]
pub fn user_token_claims_v2(event: &PreTokenGenerationV2Event<'_>) -> PreTokenGenerationV2Response {
    user_token_claims(&event.request)
}

fn user_token_claims(request: &PreTokenGenerationRequest<'_>) -> PreTokenGenerationV2Response {
    let tier = request.user_attributes.get("custom:tier").unwrap_or("free");
    let groups: Vec<&str> = request.groups().collect();
    let response = PreTokenGenerationV2Response::new()
        .add_id_token_claim("tier", tier)
        .add_access_token_claim("tier", tier)
        .add_access_token_claim("groups", groups)
        .suppress_access_token_claim("email");
    if request.is_member_of("admins") {
        response.add_scope("reports/admin")
    } else {
        response
    }
}
