//! Inbound federation.

use std::borrow::Cow;

use serde_json::{Map, Value};

use super::trigger_source;
use crate::wire::{StringMap, open_enum, wire_struct};

trigger_source! {
    /// Why inbound federation ran.
    ///
    /// ```
    /// use cognito_trigger::InboundFederationSource;
    ///
    /// let source = InboundFederationSource::parse("InboundFederation_ExternalProvider");
    /// assert_eq!(source, InboundFederationSource::ExternalProvider);
    /// assert_eq!(source.as_str(), "InboundFederation_ExternalProvider");
    /// ```
    pub enum InboundFederationSource {
        /// A federated sign-in (new or returning user).
        ExternalProvider = "InboundFederation_ExternalProvider",
    }
}

open_enum! {
    /// The kind of identity provider.
    ///
    /// ```
    /// use cognito_trigger::ProviderType;
    ///
    /// assert_eq!(ProviderType::parse("OIDC"), ProviderType::Oidc);
    /// assert_eq!(ProviderType::SignInWithApple.as_str(), "SignInWithApple");
    /// assert!(!ProviderType::parse("Twitter").is_known());
    /// ```
    pub enum ProviderType {
        /// An OpenID Connect provider.
        Oidc = "OIDC",
        /// A SAML 2.0 provider.
        Saml = "SAML",
        /// Facebook.
        Facebook = "Facebook",
        /// Google.
        Google = "Google",
        /// Sign in with Apple.
        SignInWithApple = "SignInWithApple",
        /// Login with Amazon.
        LoginWithAmazon = "LoginWithAmazon",
    }
}

wire_struct! {
    /// The request of an inbound federation event. The envelope's `user_name` reads
    /// `<Provider>_<id>`. There are no `userAttributes`: these are the provider's data
    /// before attribute mapping.
    ///
    /// ```
    /// use cognito_trigger::{InboundFederationEvent, ProviderType};
    ///
    /// let bytes = br#"{"version":"1","triggerSource":"InboundFederation_ExternalProvider",
    ///   "userName":"Okta_00u1","request":{"providerName":"Okta","providerType":"OIDC",
    ///   "attributes":{"idToken":{"email":"ada@example.com"}}},"response":{}}"#;
    /// let event = InboundFederationEvent::from_slice(bytes)?;
    /// assert_eq!(event.user_name, "Okta_00u1");
    /// assert_eq!(event.request.provider_name, "Okta");
    /// assert_eq!(event.request.provider_type, Some(ProviderType::Oidc));
    /// Ok::<(), cognito_trigger::DecodeError>(())
    /// ```
    pub struct InboundFederationRequest<'a> {
        /// The identity provider's name in the pool.
        "providerName" => provider_name: Cow<'a, str>,
        /// The kind of provider.
        "providerType" => provider_type: Option<ProviderType>,
        /// What the provider sent; which parts are present depends on `providerType`.
        "attributes" => attributes: IdpAttributes<'a>,
    }
}

wire_struct! {
    /// The identity provider's data. Values are JSON values: the examples show strings,
    /// but OIDC claims such as `email_verified` or groups need not be.
    ///
    /// ```
    /// use cognito_trigger::IdpAttributes;
    ///
    /// let json = r#"{"idToken":{"email":"ada@example.com","email_verified":true}}"#;
    /// let attributes: IdpAttributes = serde_json::from_str(json).unwrap();
    /// let id_token = attributes.id_token.as_ref().unwrap();
    /// assert_eq!(id_token["email_verified"], serde_json::json!(true));
    /// assert!(attributes.saml_response.is_none());
    /// ```
    pub struct IdpAttributes<'a> {
        /// OIDC/social: the token endpoint's response (`access_token`, `expires_in`, ...).
        "tokenResponse" => token_response: Option<Map<String, Value>>,
        /// OIDC/social: the validated ID token's claims.
        "idToken" => id_token: Option<Map<String, Value>>,
        /// OIDC/social: the UserInfo endpoint's profile (may be empty).
        "userInfo" => user_info: Option<Map<String, Value>>,
        /// SAML: the assertion's attributes, keyed by their SAML names.
        "samlResponse" => saml_response: Option<Map<String, Value>>,
    }
}

impl IdpAttributes<'_> {
    /// The first string value for `claim`, looked up in the ID token, then UserInfo, then
    /// the SAML assertion.
    ///
    /// ```
    /// use cognito_trigger::IdpAttributes;
    ///
    /// let json = r#"{"idToken":{"email":"ada@example.com","email_verified":true},
    ///                "userInfo":{"email":"other@example.com","name":"Ada"}}"#;
    /// let attributes: IdpAttributes = serde_json::from_str(json).unwrap();
    /// assert_eq!(attributes.claim("email"), Some("ada@example.com")); // the ID token comes first
    /// assert_eq!(attributes.claim("name"), Some("Ada"));
    /// assert_eq!(attributes.claim("email_verified"), None); // not a string
    /// ```
    #[must_use]
    pub fn claim(&self, claim: &str) -> Option<&str> {
        [&self.id_token, &self.user_info, &self.saml_response]
            .into_iter()
            .flatten()
            .find_map(|map| map.get(claim).and_then(Value::as_str))
    }
}

wire_struct! {
    /// The attributes Cognito maps for the user.
    ///
    /// A non-empty map **replaces** the provider's attribute set: anything left out is
    /// dropped. An empty map that is present (`{}`) keeps every attribute, as if the trigger
    /// had not run.
    ///
    /// ```
    /// use cognito_trigger::InboundFederationResponse;
    ///
    /// let response = InboundFederationResponse::keep_all();
    /// assert_eq!(serde_json::to_string(&response).unwrap(), r#"{"userAttributesToMap":{}}"#);
    /// ```
    pub struct InboundFederationResponse {
        /// The attribute set to map, keyed as the provider names them.
        "userAttributesToMap" => user_attributes_to_map: StringMap<'static>,
    }
}

impl InboundFederationResponse {
    /// An unset map becomes `{}`: Cognito documents `{}` as "keep every attribute" and
    /// leaves absence and `null` undefined.
    pub(crate) fn settle(&mut self) {
        if self.user_attributes_to_map.is_empty() {
            self.user_attributes_to_map =
                std::mem::take(&mut self.user_attributes_to_map).present();
        }
    }

    /// Keep every attribute the provider sent: `{"userAttributesToMap": {}}`.
    ///
    /// ```
    /// use cognito_trigger::InboundFederationResponse;
    ///
    /// let response = InboundFederationResponse::keep_all();
    /// assert!(response.user_attributes_to_map.is_empty());
    /// assert_eq!(serde_json::to_string(&response).unwrap(), r#"{"userAttributesToMap":{}}"#);
    /// ```
    #[must_use]
    pub fn keep_all() -> Self {
        Self {
            user_attributes_to_map: StringMap::new().present(),
            ..Self::default()
        }
    }

    /// Map exactly these attributes.
    ///
    /// ```
    /// use cognito_trigger::InboundFederationResponse;
    ///
    /// let response = InboundFederationResponse::map([("email", "ada@example.com")]);
    /// assert_eq!(
    ///     serde_json::to_string(&response).unwrap(),
    ///     r#"{"userAttributesToMap":{"email":"ada@example.com"}}"#,
    /// );
    /// ```
    pub fn map<I, K, V>(attributes: I) -> Self
    where
        I: IntoIterator<Item = (K, V)>,
        K: Into<String>,
        V: Into<String>,
    {
        Self {
            user_attributes_to_map: attributes
                .into_iter()
                .map(|(k, v)| (k.into(), v.into()))
                .collect(),
            ..Self::default()
        }
    }
}
