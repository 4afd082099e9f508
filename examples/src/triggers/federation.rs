//! Inbound federation: attribute mapping from OIDC and SAML providers.

use cognito_trigger::{
    InboundFederationEvent, InboundFederationResponse, ProviderType, cognito_trigger,
};

/// SAML's attribute names for email, given and family name.
const SAML_EMAIL: &str = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress";
const SAML_GIVEN_NAME: &str = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/givenname";
const SAML_SURNAME: &str = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/surname";

/// Maps the provider's email and names, marking the email verified (the provider checked
/// it). When the provider sent no email, every attribute is kept as it came.
#[cognito_trigger(InboundFederation)]
pub fn inbound_federation(event: &InboundFederationEvent<'_>) -> InboundFederationResponse {
    let attributes = &event.request.attributes;
    let saml = event.request.provider_type == Some(ProviderType::Saml);
    let (email, given, family) = if saml {
        (
            attributes.claim(SAML_EMAIL),
            attributes.claim(SAML_GIVEN_NAME),
            attributes.claim(SAML_SURNAME),
        )
    } else {
        (
            attributes.claim("email"),
            attributes.claim("given_name"),
            attributes.claim("family_name"),
        )
    };
    let Some(email) = email else {
        return InboundFederationResponse::keep_all();
    };
    let mut mapped = vec![("email", email), ("email_verified", "true")];
    mapped.extend(given.map(|name| ("given_name", name)));
    mapped.extend(family.map(|name| ("family_name", name)));
    InboundFederationResponse::map(mapped)
}
