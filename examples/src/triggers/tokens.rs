//! Pre token generation: the user's entitlements from the store (see [`crate::store`]) in
//! the V1_0 form (ID token only) and the V2_0/V3_0 form (ID and access tokens, scopes), and
//! machine-to-machine tokens in V3_0.
//!
//! Fails open, to the least a token can grant: when the store cannot be read within the
//! time left, the tokens carry [`Entitlements::default`] (tier `free`, no tenant, no roles)
//! and the failure is logged. Refusing every sign-in while the store is down would be
//! worse, and a token with fewer rights than the user has is safe.

use cognito_trigger::{
    Context, PreTokenGenerationRequest, PreTokenGenerationV1Event, PreTokenGenerationV1Response,
    PreTokenGenerationV2Event, PreTokenGenerationV2Response, PreTokenGenerationV3Event,
    TokenGenerationSource, cognito_trigger,
};

use crate::App;
use crate::store::{Entitlements, time_left};

/// The entitlements of the user the request is for: the stored ones, or the defaults for a
/// user without a profile (or when the store cannot be read in time: failing open).
async fn entitlements(
    request: &PreTokenGenerationRequest<'_>,
    app: &App,
    context: &Context,
) -> Entitlements {
    let Some(sub) = request.user_attributes.get("sub") else {
        return Entitlements::default();
    };
    match app.store.entitlements(sub, time_left(context)).await {
        Ok(stored) => stored.unwrap_or_default(),
        Err(error) => {
            tracing::warn!(sub, %error, "entitlements unavailable; tokens get the defaults");
            Entitlements::default()
        }
    }
}

/// V1_0: the tier, the roles (space-separated) and the tenant (once assigned) as ID token
/// claims, the internal notes attribute hidden, and verified users in a `verified` group
/// (keeping their other groups).
#[cognito_trigger(PreTokenGeneration)]
pub async fn id_token_claims(
    event: &PreTokenGenerationV1Event<'_>,
    app: &App,
    context: &Context,
) -> PreTokenGenerationV1Response {
    let entitlements = entitlements(&event.request, app, context).await;
    let mut response = PreTokenGenerationV1Response::new()
        .add_claim("tier", entitlements.tier.as_str())
        .add_claim("roles", scoped_roles(&entitlements.roles).join(" "))
        .suppress_claim("custom:internal_notes");
    if let Some(tenant) = entitlements.tenant {
        response = response.add_claim("tenant", tenant);
    }
    if event.request.user_attributes.is_true("email_verified") {
        response.add_group(&event.request, "verified")
    } else {
        response
    }
}

/// V3_0: for users, as [`user_token_claims_v2`]; for machine-to-machine clients, the tenant
/// they sent in `aws_client_metadata`.
#[cognito_trigger(PreTokenGenerationV3)]
pub async fn access_token_claims(
    event: &PreTokenGenerationV3Event<'_>,
    app: &App,
    context: &Context,
) -> PreTokenGenerationV2Response {
    let request = &event.request;
    if event.trigger_source == TokenGenerationSource::ClientCredentials {
        let tenant = request.client_metadata.get("tenant").unwrap_or("default");
        return PreTokenGenerationV2Response::new().add_access_token_claim("tenant", tenant);
    }
    user_token_claims(request, entitlements(request, app, context).await)
}

/// V2_0: the tier and the tenant (once assigned) in both tokens; in the access token the
/// roles and groups as claims, no email, a scope `app/<role>` per role and `reports/admin`
/// for the admins group.
#[cognito_trigger(PreTokenGenerationV2)]
pub async fn user_token_claims_v2(
    event: &PreTokenGenerationV2Event<'_>,
    app: &App,
    context: &Context,
) -> PreTokenGenerationV2Response {
    user_token_claims(
        &event.request,
        entitlements(&event.request, app, context).await,
    )
}

fn user_token_claims(
    request: &PreTokenGenerationRequest<'_>,
    entitlements: Entitlements,
) -> PreTokenGenerationV2Response {
    let groups: Vec<&str> = request.groups().collect();
    let roles = scoped_roles(&entitlements.roles);
    let mut response = PreTokenGenerationV2Response::new()
        .add_id_token_claim("tier", entitlements.tier.as_str())
        .add_access_token_claim("tier", entitlements.tier.as_str())
        .add_access_token_claim("roles", roles.clone())
        .add_access_token_claim("groups", groups)
        .suppress_access_token_claim("email");
    if let Some(tenant) = &entitlements.tenant {
        response = response
            .add_id_token_claim("tenant", tenant.as_str())
            .add_access_token_claim("tenant", tenant.as_str());
    }
    for role in roles {
        response = response.add_scope(format!("app/{role}"));
    }
    if request.is_member_of("admins") {
        response = response.add_scope("reports/admin");
    }
    response
}

/// The stored roles that can be scopes: letters, digits, `_`, `.` and `-`, 1 to 64 of them.
/// Anything else (a space would make two scopes of one) is left out and logged: the table
/// is an operator's to edit, not a way around the scopes a client may be given.
fn scoped_roles(roles: &[String]) -> Vec<&str> {
    roles
        .iter()
        .map(String::as_str)
        .filter(|role| {
            let usable = (1..=64).contains(&role.len())
                && role
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'));
            if !usable {
                tracing::warn!(role, "a stored role that cannot be a scope; left out");
            }
            usable
        })
        .collect()
}
