//! Pre and post authentication.

use super::trigger_source;
use crate::wire::{StringMap, wire_struct};

trigger_source! {
    /// Why pre authentication ran.
    pub enum PreAuthenticationSource {
        /// A sign-in attempt (API, managed login, or a returning federated user).
        Authentication = "PreAuthentication_Authentication",
    }
}

wire_struct! {
    /// The request of a pre authentication event.
    pub struct PreAuthenticationRequest<'a> {
        /// The user's attributes (likely empty when `userNotFound`).
        "userAttributes" => user_attributes: StringMap<'a>,
        /// The `ClientMetadata` of `InitiateAuth`/`AdminInitiateAuth`, under this name.
        "validationData" => validation_data: StringMap<'a>,
        /// `true` when the username matched no user (app client with
        /// `PreventUserExistenceErrors` enabled).
        "userNotFound" => user_not_found: Option<bool>,
    }
}

impl PreAuthenticationRequest<'_> {
    /// Whether the username matched no user; see the `user_not_found` field.
    #[must_use]
    pub fn is_user_not_found(&self) -> bool {
        self.user_not_found == Some(true)
    }
}

trigger_source! {
    /// Why post authentication ran.
    pub enum PostAuthenticationSource {
        /// A successful sign-in.
        Authentication = "PostAuthentication_Authentication",
    }
}

wire_struct! {
    /// The request of a post authentication event.
    pub struct PostAuthenticationRequest<'a> {
        /// The user's attributes.
        "userAttributes" => user_attributes: StringMap<'a>,
        /// Whether the user signed in from a new device (sent only when device remembering
        /// is on).
        "newDeviceUsed" => new_device_used: Option<bool>,
        /// `ClientMetadata`, from `(Admin)RespondToAuthChallenge` only.
        "clientMetadata" => client_metadata: StringMap<'a>,
    }
}
