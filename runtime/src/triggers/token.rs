//! Pre token generation, versions V1_0, V2_0 and V3_0.

use std::borrow::Cow;
use std::fmt;

use serde::de::{self, Deserializer, SeqAccess, Visitor};
use serde::{Deserialize, Serialize, Serializer};
use serde_json::{Map, Value};

use super::trigger_source;
use crate::wire::{StringMap, WireDecode, WireField, wire_struct};

trigger_source! {
    /// Why pre token generation ran. The same values appear in every version, except
    /// `ClientCredentials`, which only V3_0 sends.
    ///
    /// ```
    /// use cognito_trigger::TokenGenerationSource;
    ///
    /// let source = TokenGenerationSource::parse("TokenGeneration_ClientCredentials");
    /// assert_eq!(source, TokenGenerationSource::ClientCredentials);
    /// assert_eq!(TokenGenerationSource::RefreshTokens.as_str(), "TokenGeneration_RefreshTokens");
    /// ```
    pub enum TokenGenerationSource {
        /// Sign-in through managed login (including every federated sign-in).
        HostedAuth = "TokenGeneration_HostedAuth",
        /// An authentication flow completed through the API.
        Authentication = "TokenGeneration_Authentication",
        /// An admin-created user set a new password in place of the temporary one.
        NewPasswordChallenge = "TokenGeneration_NewPasswordChallenge",
        /// Device authentication completed.
        AuthenticateDevice = "TokenGeneration_AuthenticateDevice",
        /// Tokens were refreshed.
        RefreshTokens = "TokenGeneration_RefreshTokens",
        /// A machine-to-machine client-credentials grant (V3_0 only); there is no user.
        ClientCredentials = "TokenGeneration_ClientCredentials",
    }
}

wire_struct! {
    /// The request of a pre token generation event (the same for every version; `scopes`
    /// is sent from V2_0 on).
    ///
    /// ```
    /// use cognito_trigger::PreTokenGenerationV1Event;
    ///
    /// let bytes = br#"{"version":"1","triggerSource":"TokenGeneration_HostedAuth",
    ///   "request":{"userAttributes":{"sub":"42"},"groupConfiguration":{
    ///     "groupsToOverride":["admins"],"iamRolesToOverride":[],"preferredRole":null}},
    ///   "response":{}}"#;
    /// let event = PreTokenGenerationV1Event::from_slice(bytes)?;
    /// assert_eq!(event.request.user_attributes.get("sub"), Some("42"));
    /// assert!(event.request.group_configuration.is_some());
    /// assert_eq!(event.request.scopes, None); // V1_0 sends no scopes
    /// Ok::<(), cognito_trigger::DecodeError>(())
    /// ```
    pub struct PreTokenGenerationRequest<'a> {
        /// The user's attributes (absent or empty for client credentials).
        "userAttributes" => user_attributes: StringMap<'a>,
        /// The user's groups and their roles. Cognito can send `null` here (V2_0).
        "groupConfiguration" => group_configuration: Option<GroupConfiguration<'a>>,
        /// `ClientMetadata`: from `(Admin)RespondToAuthChallenge` and
        /// `GetTokensFromRefreshToken`, or `aws_client_metadata` for client credentials.
        "clientMetadata" => client_metadata: StringMap<'a>,
        /// The access token's scopes (V2_0 and V3_0).
        "scopes" => scopes: Option<Vec<Cow<'a, str>>>,
    }
}

impl PreTokenGenerationRequest<'_> {
    /// The user's groups, roles and preferred role as they are, to change and send back;
    /// no groups when Cognito sent `groupConfiguration: null`.
    ///
    /// ```
    /// use cognito_trigger::PreTokenGenerationV2Event;
    ///
    /// let bytes = br#"{"version":"2","triggerSource":"TokenGeneration_Authentication",
    ///   "request":{"userAttributes":{},"groupConfiguration":null},"response":{}}"#;
    /// let event = PreTokenGenerationV2Event::from_slice(bytes)?;
    /// assert_eq!(event.request.current_groups().groups_to_override, Some(vec![]));
    /// Ok::<(), cognito_trigger::DecodeError>(())
    /// ```
    #[must_use]
    pub fn current_groups(&self) -> GroupOverrideDetails {
        self.group_configuration.as_ref().map_or_else(
            || GroupOverrideDetails::groups(std::iter::empty::<String>()),
            GroupOverrideDetails::from_request,
        )
    }

    /// The user's groups; empty when Cognito sent none.
    ///
    /// ```
    /// use cognito_trigger::PreTokenGenerationV2Event;
    ///
    /// let bytes = br#"{"version":"2","triggerSource":"TokenGeneration_Authentication",
    ///   "request":{"userAttributes":{},"groupConfiguration":{
    ///     "groupsToOverride":["admins","readers"],"iamRolesToOverride":[],"preferredRole":null}},
    ///   "response":{}}"#;
    /// let event = PreTokenGenerationV2Event::from_slice(bytes)?;
    /// assert_eq!(event.request.groups().collect::<Vec<_>>(), ["admins", "readers"]);
    /// Ok::<(), cognito_trigger::DecodeError>(())
    /// ```
    pub fn groups(&self) -> impl Iterator<Item = &str> + '_ {
        self.group_configuration
            .iter()
            .flat_map(|c| c.groups_to_override.iter().map(AsRef::as_ref))
    }

    /// Whether the user is in `group`.
    ///
    /// ```
    /// use cognito_trigger::PreTokenGenerationV2Event;
    ///
    /// let bytes = br#"{"version":"2","triggerSource":"TokenGeneration_Authentication",
    ///   "request":{"userAttributes":{},"groupConfiguration":{"groupsToOverride":["admins"]}},
    ///   "response":{}}"#;
    /// let event = PreTokenGenerationV2Event::from_slice(bytes)?;
    /// assert!(event.request.is_member_of("admins"));
    /// assert!(!event.request.is_member_of("readers"));
    /// Ok::<(), cognito_trigger::DecodeError>(())
    /// ```
    #[must_use]
    pub fn is_member_of(&self, group: &str) -> bool {
        self.groups().any(|g| g == group)
    }

    /// The access token's scopes; empty for V1_0 events.
    ///
    /// ```
    /// use cognito_trigger::{PreTokenGenerationV1Event, PreTokenGenerationV2Event};
    ///
    /// let bytes = br#"{"version":"2","triggerSource":"TokenGeneration_Authentication",
    ///   "request":{"userAttributes":{},"scopes":["openid","email"]},"response":{}}"#;
    /// let event = PreTokenGenerationV2Event::from_slice(bytes)?;
    /// assert_eq!(event.request.scopes(), ["openid", "email"]);
    ///
    /// let bytes = br#"{"version":"1","triggerSource":"TokenGeneration_Authentication",
    ///   "request":{"userAttributes":{}},"response":{}}"#;
    /// assert!(PreTokenGenerationV1Event::from_slice(bytes)?.request.scopes().is_empty());
    /// Ok::<(), cognito_trigger::DecodeError>(())
    /// ```
    #[must_use]
    pub fn scopes(&self) -> &[Cow<'_, str>] {
        self.scopes.as_deref().unwrap_or_default()
    }
}

wire_struct! {
    /// The user's group membership as Cognito would put it in the tokens.
    ///
    /// ```
    /// use cognito_trigger::GroupConfiguration;
    ///
    /// let json = r#"{"groupsToOverride":["admins"],
    ///   "iamRolesToOverride":["arn:aws:iam::123456789012:role/admin"],
    ///   "preferredRole":"arn:aws:iam::123456789012:role/admin"}"#;
    /// let configuration: GroupConfiguration = serde_json::from_str(json).unwrap();
    /// assert_eq!(configuration.groups_to_override, ["admins"]);
    /// assert_eq!(
    ///     configuration.preferred_role.as_deref(),
    ///     Some("arn:aws:iam::123456789012:role/admin"),
    /// );
    /// ```
    pub struct GroupConfiguration<'a> {
        /// Group names.
        "groupsToOverride" => groups_to_override: Vec<Cow<'a, str>>,
        /// IAM role ARNs of those groups.
        "iamRolesToOverride" => iam_roles_to_override: Vec<Cow<'a, str>>,
        /// The role of the highest-precedence group, if any. (AWS examples show a list
        /// here; its first element is taken.)
        "preferredRole" => preferred_role: Option<Cow<'a, str>> as PreferredRole<'a>,
    }
}

/// `preferredRole` as sent: a string, `null`, or (in AWS examples) a list.
///
/// You never build one: it is how `GroupConfiguration::preferred_role` is decoded, and a
/// list keeps its first element.
///
/// ```
/// use cognito_trigger::GroupConfiguration;
///
/// let json = r#"{"preferredRole":["arn:aws:iam::123456789012:role/admin","arn:aws:iam::123456789012:role/reader"]}"#;
/// let configuration: GroupConfiguration = serde_json::from_str(json).unwrap();
/// assert_eq!(
///     configuration.preferred_role.as_deref(),
///     Some("arn:aws:iam::123456789012:role/admin"),
/// );
///
/// let configuration: GroupConfiguration = serde_json::from_str(r#"{"preferredRole":null}"#).unwrap();
/// assert_eq!(configuration.preferred_role, None);
/// ```
pub struct PreferredRole<'a>(Option<Cow<'a, str>>);

impl<'a> From<PreferredRole<'a>> for Option<Cow<'a, str>> {
    fn from(role: PreferredRole<'a>) -> Self {
        role.0
    }
}

impl<'de> WireDecode<'de> for PreferredRole<'de> {
    fn decode<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct RoleVisitor;
        impl<'de> Visitor<'de> for RoleVisitor {
            type Value = PreferredRole<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a role ARN")
            }
            fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(PreferredRole(None))
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(PreferredRole(Some(Cow::Borrowed(v))))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(PreferredRole(Some(Cow::Owned(v.to_owned()))))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                let first =
                    seq.next_element_seed(crate::wire::Wire::<Option<Cow<'de, str>>>::new())?;
                while seq.next_element::<de::IgnoredAny>()?.is_some() {}
                Ok(PreferredRole(first.flatten()))
            }
        }
        deserializer.deserialize_any(RoleVisitor)
    }
}

/// What to do with the user's groups in the tokens (`groupOverrideDetails`).
///
/// The three states matter: Cognito keeps the groups when the key is absent, but reads
/// `null` (or `{}`) as "no groups". Decoding keeps whichever came in.
///
/// ```
/// use cognito_trigger::{GroupOverride, GroupOverrideDetails};
///
/// assert_eq!(GroupOverride::default(), GroupOverride::Keep);
/// let admins = GroupOverride::Replace(GroupOverrideDetails::groups(["admins"]));
/// assert_eq!(serde_json::to_string(&admins).unwrap(), r#"{"groupsToOverride":["admins"]}"#);
/// assert_eq!(serde_json::to_string(&GroupOverride::Suppress).unwrap(), "null");
/// ```
#[derive(Clone, Debug, Default, PartialEq)]
pub enum GroupOverride {
    /// Leave the groups as they are: the key is not sent.
    #[default]
    Keep,
    /// Remove every group (and role) from the tokens: sent as `null`.
    Suppress,
    /// Put exactly these groups and roles in the tokens. To keep the user's groups while
    /// changing roles, start from [`GroupOverrideDetails::from_request`].
    Replace(GroupOverrideDetails),
}

impl WireField for GroupOverride {
    fn is_unset(&self) -> bool {
        matches!(self, Self::Keep)
    }
}

impl Serialize for GroupOverride {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::Keep | Self::Suppress => serializer.serialize_unit(),
            Self::Replace(details) => details.serialize(serializer),
        }
    }
}

impl<'de> Deserialize<'de> for GroupOverride {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(
            match Option::<GroupOverrideDetails>::deserialize(deserializer)? {
                None => Self::Suppress,
                Some(details) => Self::Replace(details),
            },
        )
    }
}

wire_struct! {
    /// The groups and roles to put in the tokens.
    ///
    /// ```
    /// use cognito_trigger::GroupOverrideDetails;
    ///
    /// let details = GroupOverrideDetails::groups(["admins"])
    ///     .preferred_role("arn:aws:iam::123456789012:role/admin");
    /// assert_eq!(
    ///     serde_json::to_string(&details).unwrap(),
    ///     r#"{"groupsToOverride":["admins"],"preferredRole":"arn:aws:iam::123456789012:role/admin"}"#,
    /// );
    /// ```
    pub struct GroupOverrideDetails {
        /// Group names for `cognito:groups` (ID and access token).
        "groupsToOverride" => groups_to_override: Option<Vec<String>>,
        /// Role ARNs for `cognito:roles` (ID token).
        "iamRolesToOverride" => iam_roles_to_override: Option<Vec<String>>,
        /// The role for `cognito:preferred_role` (ID token).
        "preferredRole" => preferred_role: Option<String>,
    }
}

impl GroupOverrideDetails {
    /// Exactly these groups, and no roles.
    ///
    /// ```
    /// use cognito_trigger::GroupOverrideDetails;
    ///
    /// let details = GroupOverrideDetails::groups(["admins"])
    ///     .iam_roles(["arn:aws:iam::123456789012:role/admin"])
    ///     .preferred_role("arn:aws:iam::123456789012:role/admin");
    /// assert_eq!(details.groups_to_override, Some(vec!["admins".to_owned()]));
    /// assert!(details.preferred_role.is_some());
    /// ```
    pub fn groups<I: IntoIterator<Item = S>, S: Into<String>>(groups: I) -> Self {
        Self {
            groups_to_override: Some(groups.into_iter().map(Into::into).collect()),
            ..Self::default()
        }
    }

    /// Sets the IAM roles (`cognito:roles` in the ID token).
    ///
    /// ```
    /// use cognito_trigger::GroupOverrideDetails;
    ///
    /// let details = GroupOverrideDetails::groups(["admins"])
    ///     .iam_roles(["arn:aws:iam::123456789012:role/admin"]);
    /// assert_eq!(
    ///     details.iam_roles_to_override,
    ///     Some(vec!["arn:aws:iam::123456789012:role/admin".to_owned()]),
    /// );
    /// ```
    #[must_use]
    pub fn iam_roles<I: IntoIterator<Item = S>, S: Into<String>>(mut self, roles: I) -> Self {
        self.iam_roles_to_override = Some(roles.into_iter().map(Into::into).collect());
        self
    }

    /// Sets the preferred role (`cognito:preferred_role` in the ID token).
    ///
    /// ```
    /// use cognito_trigger::GroupOverrideDetails;
    ///
    /// let details = GroupOverrideDetails::groups(["admins"])
    ///     .preferred_role("arn:aws:iam::123456789012:role/admin");
    /// assert_eq!(details.preferred_role.as_deref(), Some("arn:aws:iam::123456789012:role/admin"));
    /// assert_eq!(details.iam_roles_to_override, None);
    /// ```
    #[must_use]
    pub fn preferred_role(mut self, role: impl Into<String>) -> Self {
        self.preferred_role = Some(role.into());
        self
    }

    /// The user's current groups and roles, as the request gave them: the starting point
    /// for a change that keeps the rest.
    ///
    /// ```
    /// use cognito_trigger::{GroupConfiguration, GroupOverrideDetails};
    ///
    /// let json = r#"{"groupsToOverride":["admins"],
    ///   "iamRolesToOverride":["arn:aws:iam::123456789012:role/admin"],"preferredRole":null}"#;
    /// let configuration: GroupConfiguration = serde_json::from_str(json).unwrap();
    /// let details = GroupOverrideDetails::from_request(&configuration)
    ///     .preferred_role("arn:aws:iam::123456789012:role/admin");
    /// assert_eq!(details.groups_to_override, Some(vec!["admins".to_owned()]));
    /// let roles = details.iam_roles_to_override.unwrap();
    /// assert_eq!(roles, ["arn:aws:iam::123456789012:role/admin"]);
    /// ```
    #[must_use]
    pub fn from_request(configuration: &GroupConfiguration<'_>) -> Self {
        let owned = |items: &[Cow<'_, str>]| items.iter().map(|s| s.to_string()).collect();
        Self {
            groups_to_override: Some(owned(&configuration.groups_to_override)),
            iam_roles_to_override: Some(owned(&configuration.iam_roles_to_override)),
            preferred_role: configuration.preferred_role.as_ref().map(|r| r.to_string()),
            ..Self::default()
        }
    }

    /// These groups with `group` added (once: a group already there stays where it is).
    ///
    /// ```
    /// use cognito_trigger::GroupOverrideDetails;
    ///
    /// let details = GroupOverrideDetails::groups(["readers"]).with_group("beta").with_group("readers");
    /// assert_eq!(details.groups_to_override, Some(vec!["readers".to_owned(), "beta".to_owned()]));
    /// ```
    #[must_use]
    pub fn with_group(mut self, group: impl Into<String>) -> Self {
        let group = group.into();
        let groups = self.groups_to_override.get_or_insert_with(Vec::new);
        if !groups.contains(&group) {
            groups.push(group);
        }
        self
    }

    /// These groups without `group` (its roles, which Cognito does not tie to a group
    /// here, are left as they are).
    ///
    /// ```
    /// use cognito_trigger::GroupOverrideDetails;
    ///
    /// let details = GroupOverrideDetails::groups(["readers", "beta"]).without_group("beta");
    /// assert_eq!(details.groups_to_override, Some(vec!["readers".to_owned()]));
    /// ```
    #[must_use]
    pub fn without_group(mut self, group: &str) -> Self {
        if let Some(groups) = &mut self.groups_to_override {
            groups.retain(|kept| kept != group);
        }
        self
    }
}

/// The groups to send once `change` is applied: to those already decided, or else to the
/// user's current groups and roles (none when Cognito sent `groupConfiguration: null`).
fn changed_groups(
    decided: &GroupOverride,
    request: &PreTokenGenerationRequest<'_>,
    change: impl FnOnce(GroupOverrideDetails) -> GroupOverrideDetails,
) -> GroupOverride {
    let start = match decided {
        GroupOverride::Replace(details) => details.clone(),
        GroupOverride::Keep | GroupOverride::Suppress => request.current_groups(),
    };
    GroupOverride::Replace(change(start))
}

// ---------------------------------------------------------------------------------------
// V1_0

wire_struct! {
    /// What pre token generation V1_0 changes: ID token claims, and groups.
    ///
    /// ```
    /// use cognito_trigger::PreTokenGenerationV1Response;
    ///
    /// let response = PreTokenGenerationV1Response::new()
    ///     .add_claim("tenant", "acme")
    ///     .suppress_claim("email")
    ///     .override_groups(["readers"]);
    /// assert_eq!(
    ///     serde_json::to_string(&response).unwrap(),
    ///     r#"{"claimsOverrideDetails":{"claimsToAddOrOverride":{"tenant":"acme"},"claimsToSuppress":["email"],"groupOverrideDetails":{"groupsToOverride":["readers"]}}}"#,
    /// );
    /// ```
    pub struct PreTokenGenerationV1Response {
        /// The changes; `None` leaves the tokens as Cognito would issue them.
        "claimsOverrideDetails" => claims_override_details: Option<ClaimsOverrideDetails>,
    }
}

wire_struct! {
    /// V1_0 token changes.
    ///
    /// ```
    /// use cognito_trigger::{GroupOverride, PreTokenGenerationV1Response};
    ///
    /// let response = PreTokenGenerationV1Response::new().add_claim("tenant", "acme");
    /// let details = response.claims_override_details.unwrap();
    /// assert_eq!(details.claims_to_add_or_override.get("tenant"), Some("acme"));
    /// assert_eq!(details.claims_to_suppress, None);
    /// assert_eq!(details.group_override_details, GroupOverride::Keep);
    /// ```
    pub struct ClaimsOverrideDetails {
        /// ID token claims to add or replace (strings only in V1_0).
        "claimsToAddOrOverride" => claims_to_add_or_override: StringMap<'static>,
        /// ID token claims to remove; suppression wins over an add.
        "claimsToSuppress" => claims_to_suppress: Option<Vec<String>>,
        /// The groups to put in the tokens.
        "groupOverrideDetails" => group_override_details: GroupOverride,
    }
}

impl PreTokenGenerationV1Response {
    /// A response that changes nothing.
    ///
    /// ```
    /// use cognito_trigger::PreTokenGenerationV1Response;
    ///
    /// let response = PreTokenGenerationV1Response::new();
    /// assert_eq!(response.claims_override_details, None);
    /// assert_eq!(serde_json::to_string(&response).unwrap(), "{}");
    /// ```
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    fn details(&mut self) -> &mut ClaimsOverrideDetails {
        self.claims_override_details
            .get_or_insert_with(Default::default)
    }

    /// Adds (or replaces) an ID token claim.
    ///
    /// ```
    /// use cognito_trigger::PreTokenGenerationV1Response;
    ///
    /// let response = PreTokenGenerationV1Response::new().add_claim("tenant", "acme");
    /// assert_eq!(
    ///     serde_json::to_string(&response).unwrap(),
    ///     r#"{"claimsOverrideDetails":{"claimsToAddOrOverride":{"tenant":"acme"}}}"#,
    /// );
    /// ```
    #[must_use]
    pub fn add_claim(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.details()
            .claims_to_add_or_override
            .insert(name.into(), value.into());
        self
    }

    /// Removes an ID token claim.
    ///
    /// ```
    /// use cognito_trigger::PreTokenGenerationV1Response;
    ///
    /// let response = PreTokenGenerationV1Response::new()
    ///     .suppress_claim("email")
    ///     .suppress_claim("phone_number");
    /// let details = response.claims_override_details.unwrap();
    /// assert_eq!(details.claims_to_suppress.unwrap(), ["email", "phone_number"]);
    /// ```
    #[must_use]
    pub fn suppress_claim(mut self, name: impl Into<String>) -> Self {
        self.details()
            .claims_to_suppress
            .get_or_insert_with(Vec::new)
            .push(name.into());
        self
    }

    /// Puts exactly these groups in the tokens.
    ///
    /// ```
    /// use cognito_trigger::{GroupOverride, GroupOverrideDetails, PreTokenGenerationV1Response};
    ///
    /// let response = PreTokenGenerationV1Response::new().override_groups(["readers"]);
    /// let details = response.claims_override_details.unwrap();
    /// assert_eq!(
    ///     details.group_override_details,
    ///     GroupOverride::Replace(GroupOverrideDetails::groups(["readers"])),
    /// );
    /// ```
    #[must_use]
    pub fn override_groups<I: IntoIterator<Item = S>, S: Into<String>>(
        mut self,
        groups: I,
    ) -> Self {
        self.details().group_override_details =
            GroupOverride::Replace(GroupOverrideDetails::groups(groups));
        self
    }

    /// Sets what happens to the groups.
    ///
    /// ```
    /// use cognito_trigger::{GroupOverride, PreTokenGenerationV1Response};
    ///
    /// let response = PreTokenGenerationV1Response::new().group_override(GroupOverride::Suppress);
    /// assert_eq!(
    ///     serde_json::to_string(&response).unwrap(),
    ///     r#"{"claimsOverrideDetails":{"groupOverrideDetails":null}}"#,
    /// );
    /// ```
    #[must_use]
    pub fn group_override(mut self, group_override: GroupOverride) -> Self {
        self.details().group_override_details = group_override;
        self
    }

    /// Keeps the user's groups (or those already decided) and adds `group` to them.
    ///
    /// ```
    /// use cognito_trigger::{PreTokenGenerationV1Event, PreTokenGenerationV1Response};
    ///
    /// let bytes = br#"{"version":"1","triggerSource":"TokenGeneration_Authentication",
    ///   "request":{"userAttributes":{},"groupConfiguration":{"groupsToOverride":["readers"]}},"response":{}}"#;
    /// let event = PreTokenGenerationV1Event::from_slice(bytes)?;
    /// let response = PreTokenGenerationV1Response::new().add_group(&event.request, "beta");
    /// assert!(serde_json::to_string(&response).unwrap().contains(r#""groupsToOverride":["readers","beta"]"#));
    /// Ok::<(), cognito_trigger::DecodeError>(())
    /// ```
    #[must_use]
    pub fn add_group(
        mut self,
        request: &PreTokenGenerationRequest<'_>,
        group: impl Into<String>,
    ) -> Self {
        let details = self.details();
        details.group_override_details =
            changed_groups(&details.group_override_details, request, |d| {
                d.with_group(group)
            });
        self
    }

    /// Keeps the user's groups (or those already decided) but `group`.
    ///
    /// ```
    /// use cognito_trigger::{PreTokenGenerationV1Event, PreTokenGenerationV1Response};
    ///
    /// let bytes = br#"{"version":"1","triggerSource":"TokenGeneration_Authentication",
    ///   "request":{"userAttributes":{},"groupConfiguration":{"groupsToOverride":["readers","beta"]}},"response":{}}"#;
    /// let event = PreTokenGenerationV1Event::from_slice(bytes)?;
    /// let response = PreTokenGenerationV1Response::new().remove_group(&event.request, "beta");
    /// assert!(serde_json::to_string(&response).unwrap().contains(r#""groupsToOverride":["readers"]"#));
    /// Ok::<(), cognito_trigger::DecodeError>(())
    /// ```
    #[must_use]
    pub fn remove_group(mut self, request: &PreTokenGenerationRequest<'_>, group: &str) -> Self {
        let details = self.details();
        details.group_override_details =
            changed_groups(&details.group_override_details, request, |d| {
                d.without_group(group)
            });
        self
    }
}

// ---------------------------------------------------------------------------------------
// V2_0 and V3_0

wire_struct! {
    /// What pre token generation V2_0/V3_0 changes: ID and access token claims (any JSON
    /// value), access token scopes, and groups.
    ///
    /// ```
    /// use cognito_trigger::PreTokenGenerationV2Response;
    /// use serde_json::json;
    ///
    /// let response = PreTokenGenerationV2Response::new()
    ///     .add_id_token_claim("tenant", "acme")
    ///     .add_access_token_claim("permissions", json!(["read", "write"]))
    ///     .add_scope("reports/read")
    ///     .suppress_scope("aws.cognito.signin.user.admin");
    /// let details = response.claims_and_scope_override_details.as_ref().unwrap();
    /// let access = details.access_token_generation.as_ref().unwrap();
    /// assert_eq!(access.scopes_to_add.as_deref(), Some(&["reports/read".to_owned()][..]));
    /// ```
    pub struct PreTokenGenerationV2Response {
        /// The changes; `None` leaves the tokens as Cognito would issue them.
        "claimsAndScopeOverrideDetails" => claims_and_scope_override_details: Option<ClaimsAndScopeOverrideDetails>,
    }
}

wire_struct! {
    /// V2_0/V3_0 token changes.
    ///
    /// ```
    /// use cognito_trigger::{GroupOverride, PreTokenGenerationV2Response};
    ///
    /// let response = PreTokenGenerationV2Response::new().add_id_token_claim("tenant", "acme");
    /// let details = response.claims_and_scope_override_details.unwrap();
    /// assert!(details.id_token_generation.is_some());
    /// assert!(details.access_token_generation.is_none());
    /// assert_eq!(details.group_override_details, GroupOverride::Keep);
    /// ```
    pub struct ClaimsAndScopeOverrideDetails {
        /// ID token changes.
        "idTokenGeneration" => id_token_generation: Option<IdTokenGeneration>,
        /// Access token changes.
        "accessTokenGeneration" => access_token_generation: Option<AccessTokenGeneration>,
        /// The groups to put in the tokens.
        "groupOverrideDetails" => group_override_details: GroupOverride,
    }
}

wire_struct! {
    /// ID token changes.
    ///
    /// ```
    /// use cognito_trigger::PreTokenGenerationV2Response;
    ///
    /// let response = PreTokenGenerationV2Response::new()
    ///     .add_id_token_claim("tenant", "acme")
    ///     .suppress_id_token_claim("email");
    /// let details = response.claims_and_scope_override_details.unwrap();
    /// let id_token = details.id_token_generation.unwrap();
    /// assert_eq!(id_token.claims_to_add_or_override.unwrap()["tenant"], "acme");
    /// assert_eq!(id_token.claims_to_suppress, Some(vec!["email".to_owned()]));
    /// ```
    pub struct IdTokenGeneration {
        /// Claims to add or replace; values may be any JSON (not for `email_verified`,
        /// `phone_number_verified`, `updated_at`, `address`).
        "claimsToAddOrOverride" => claims_to_add_or_override: Option<Map<String, Value>>,
        /// Claims to remove; suppression wins over an add.
        "claimsToSuppress" => claims_to_suppress: Option<Vec<String>>,
    }
}

wire_struct! {
    /// Access token changes.
    ///
    /// ```
    /// use cognito_trigger::PreTokenGenerationV2Response;
    ///
    /// let response = PreTokenGenerationV2Response::new()
    ///     .add_scope("reports/read")
    ///     .suppress_scope("aws.cognito.signin.user.admin");
    /// let details = response.claims_and_scope_override_details.unwrap();
    /// let access = details.access_token_generation.unwrap();
    /// assert_eq!(access.scopes_to_add, Some(vec!["reports/read".to_owned()]));
    /// assert_eq!(access.scopes_to_suppress.unwrap(), ["aws.cognito.signin.user.admin"]);
    /// assert_eq!(access.claims_to_add_or_override, None);
    /// ```
    pub struct AccessTokenGeneration {
        /// Claims to add or replace; values may be any JSON.
        "claimsToAddOrOverride" => claims_to_add_or_override: Option<Map<String, Value>>,
        /// Claims to remove; suppression wins over an add.
        "claimsToSuppress" => claims_to_suppress: Option<Vec<String>>,
        /// Scopes to add (no spaces, at most 256 characters each).
        "scopesToAdd" => scopes_to_add: Option<Vec<String>>,
        /// Scopes to remove. Removing `aws.cognito.signin.user.admin` blocks the user's
        /// self-service API calls.
        "scopesToSuppress" => scopes_to_suppress: Option<Vec<String>>,
    }
}

impl PreTokenGenerationV2Response {
    /// A response that changes nothing.
    ///
    /// ```
    /// use cognito_trigger::PreTokenGenerationV2Response;
    ///
    /// let response = PreTokenGenerationV2Response::new();
    /// assert_eq!(response.claims_and_scope_override_details, None);
    /// assert_eq!(serde_json::to_string(&response).unwrap(), "{}");
    /// ```
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    fn details(&mut self) -> &mut ClaimsAndScopeOverrideDetails {
        self.claims_and_scope_override_details
            .get_or_insert_with(Default::default)
    }

    fn id_token(&mut self) -> &mut IdTokenGeneration {
        self.details()
            .id_token_generation
            .get_or_insert_with(Default::default)
    }

    fn access_token(&mut self) -> &mut AccessTokenGeneration {
        self.details()
            .access_token_generation
            .get_or_insert_with(Default::default)
    }

    /// Adds (or replaces) an ID token claim.
    ///
    /// ```
    /// use cognito_trigger::PreTokenGenerationV2Response;
    ///
    /// let response = PreTokenGenerationV2Response::new().add_id_token_claim("tenant", "acme");
    /// assert_eq!(
    ///     serde_json::to_string(&response).unwrap(),
    ///     r#"{"claimsAndScopeOverrideDetails":{"idTokenGeneration":{"claimsToAddOrOverride":{"tenant":"acme"}}}}"#,
    /// );
    /// ```
    #[must_use]
    pub fn add_id_token_claim(mut self, name: impl Into<String>, value: impl Into<Value>) -> Self {
        self.id_token()
            .claims_to_add_or_override
            .get_or_insert_with(Map::new)
            .insert(name.into(), value.into());
        self
    }

    /// Adds (or replaces) an access token claim.
    ///
    /// ```
    /// use cognito_trigger::PreTokenGenerationV2Response;
    /// use serde_json::json;
    ///
    /// let response = PreTokenGenerationV2Response::new()
    ///     .add_access_token_claim("permissions", json!(["read", "write"]));
    /// let value = serde_json::to_value(&response).unwrap();
    /// let access = &value["claimsAndScopeOverrideDetails"]["accessTokenGeneration"];
    /// assert_eq!(
    ///     access["claimsToAddOrOverride"],
    ///     json!({"permissions": ["read", "write"]}),
    /// );
    /// ```
    #[must_use]
    pub fn add_access_token_claim(
        mut self,
        name: impl Into<String>,
        value: impl Into<Value>,
    ) -> Self {
        self.access_token()
            .claims_to_add_or_override
            .get_or_insert_with(Map::new)
            .insert(name.into(), value.into());
        self
    }

    /// Removes an ID token claim.
    ///
    /// ```
    /// use cognito_trigger::PreTokenGenerationV2Response;
    ///
    /// let response = PreTokenGenerationV2Response::new().suppress_id_token_claim("email");
    /// assert_eq!(
    ///     serde_json::to_string(&response).unwrap(),
    ///     r#"{"claimsAndScopeOverrideDetails":{"idTokenGeneration":{"claimsToSuppress":["email"]}}}"#,
    /// );
    /// ```
    #[must_use]
    pub fn suppress_id_token_claim(mut self, name: impl Into<String>) -> Self {
        self.id_token()
            .claims_to_suppress
            .get_or_insert_with(Vec::new)
            .push(name.into());
        self
    }

    /// Removes an access token claim.
    ///
    /// ```
    /// use cognito_trigger::PreTokenGenerationV2Response;
    ///
    /// let response = PreTokenGenerationV2Response::new().suppress_access_token_claim("username");
    /// let details = response.claims_and_scope_override_details.unwrap();
    /// let access = details.access_token_generation.unwrap();
    /// assert_eq!(access.claims_to_suppress, Some(vec!["username".to_owned()]));
    /// assert!(details.id_token_generation.is_none());
    /// ```
    #[must_use]
    pub fn suppress_access_token_claim(mut self, name: impl Into<String>) -> Self {
        self.access_token()
            .claims_to_suppress
            .get_or_insert_with(Vec::new)
            .push(name.into());
        self
    }

    /// Adds a scope to the access token.
    ///
    /// ```
    /// use cognito_trigger::PreTokenGenerationV2Response;
    ///
    /// let response = PreTokenGenerationV2Response::new().add_scope("reports/read");
    /// assert_eq!(
    ///     serde_json::to_string(&response).unwrap(),
    ///     r#"{"claimsAndScopeOverrideDetails":{"accessTokenGeneration":{"scopesToAdd":["reports/read"]}}}"#,
    /// );
    /// ```
    #[must_use]
    pub fn add_scope(mut self, scope: impl Into<String>) -> Self {
        self.access_token()
            .scopes_to_add
            .get_or_insert_with(Vec::new)
            .push(scope.into());
        self
    }

    /// Removes a scope from the access token.
    ///
    /// ```
    /// use cognito_trigger::PreTokenGenerationV2Response;
    ///
    /// let response =
    ///     PreTokenGenerationV2Response::new().suppress_scope("aws.cognito.signin.user.admin");
    /// assert_eq!(
    ///     serde_json::to_string(&response).unwrap(),
    ///     r#"{"claimsAndScopeOverrideDetails":{"accessTokenGeneration":{"scopesToSuppress":["aws.cognito.signin.user.admin"]}}}"#,
    /// );
    /// ```
    #[must_use]
    pub fn suppress_scope(mut self, scope: impl Into<String>) -> Self {
        self.access_token()
            .scopes_to_suppress
            .get_or_insert_with(Vec::new)
            .push(scope.into());
        self
    }

    /// Puts exactly these groups in the tokens.
    ///
    /// ```
    /// use cognito_trigger::PreTokenGenerationV2Response;
    ///
    /// let response = PreTokenGenerationV2Response::new().override_groups(["readers"]);
    /// assert_eq!(
    ///     serde_json::to_string(&response).unwrap(),
    ///     r#"{"claimsAndScopeOverrideDetails":{"groupOverrideDetails":{"groupsToOverride":["readers"]}}}"#,
    /// );
    /// ```
    #[must_use]
    pub fn override_groups<I: IntoIterator<Item = S>, S: Into<String>>(
        mut self,
        groups: I,
    ) -> Self {
        self.details().group_override_details =
            GroupOverride::Replace(GroupOverrideDetails::groups(groups));
        self
    }

    /// Sets what happens to the groups.
    ///
    /// ```
    /// use cognito_trigger::{GroupOverride, PreTokenGenerationV2Response};
    ///
    /// let response = PreTokenGenerationV2Response::new().group_override(GroupOverride::Suppress);
    /// assert_eq!(
    ///     serde_json::to_string(&response).unwrap(),
    ///     r#"{"claimsAndScopeOverrideDetails":{"groupOverrideDetails":null}}"#,
    /// );
    /// ```
    #[must_use]
    pub fn group_override(mut self, group_override: GroupOverride) -> Self {
        self.details().group_override_details = group_override;
        self
    }

    /// Keeps the user's groups (or those already decided) and adds `group` to them.
    ///
    /// ```
    /// use cognito_trigger::{PreTokenGenerationV2Event, PreTokenGenerationV2Response};
    ///
    /// let bytes = br#"{"version":"2","triggerSource":"TokenGeneration_Authentication",
    ///   "request":{"userAttributes":{},"groupConfiguration":{"groupsToOverride":["readers"]}},"response":{}}"#;
    /// let event = PreTokenGenerationV2Event::from_slice(bytes)?;
    /// let response = PreTokenGenerationV2Response::new().add_group(&event.request, "beta");
    /// assert!(serde_json::to_string(&response).unwrap().contains(r#""groupsToOverride":["readers","beta"]"#));
    /// Ok::<(), cognito_trigger::DecodeError>(())
    /// ```
    #[must_use]
    pub fn add_group(
        mut self,
        request: &PreTokenGenerationRequest<'_>,
        group: impl Into<String>,
    ) -> Self {
        let details = self.details();
        details.group_override_details =
            changed_groups(&details.group_override_details, request, |d| {
                d.with_group(group)
            });
        self
    }

    /// Keeps the user's groups (or those already decided) but `group`.
    ///
    /// ```
    /// use cognito_trigger::{PreTokenGenerationV2Event, PreTokenGenerationV2Response};
    ///
    /// let bytes = br#"{"version":"2","triggerSource":"TokenGeneration_Authentication",
    ///   "request":{"userAttributes":{},"groupConfiguration":{"groupsToOverride":["readers","beta"]}},"response":{}}"#;
    /// let event = PreTokenGenerationV2Event::from_slice(bytes)?;
    /// let response = PreTokenGenerationV2Response::new().remove_group(&event.request, "beta");
    /// assert!(serde_json::to_string(&response).unwrap().contains(r#""groupsToOverride":["readers"]"#));
    /// Ok::<(), cognito_trigger::DecodeError>(())
    /// ```
    #[must_use]
    pub fn remove_group(mut self, request: &PreTokenGenerationRequest<'_>, group: &str) -> Self {
        let details = self.details();
        details.group_override_details =
            changed_groups(&details.group_override_details, request, |d| {
                d.without_group(group)
            });
        self
    }
}
