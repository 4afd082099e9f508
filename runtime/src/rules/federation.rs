//! Inbound federation (§16).

use super::{ResponseRules, Rule, Settings, Violation, check_max_length, member, sealed};
use crate::{Event, InboundFederation};

/// §16: keep `userAttributesToMap` values at most 2,048 characters.
const MAX_VALUE_CHARS: usize = 2048;

impl sealed::Sealed for InboundFederation {}

impl ResponseRules for InboundFederation {
    fn check_response(event: &Event<'_, Self>, _: &Settings, out: &mut Vec<Violation>) {
        for (name, value) in event.response.user_attributes_to_map.iter() {
            let field = || member("response.userAttributesToMap", name);
            check_max_length(
                out,
                Rule::FederationValueLength,
                field,
                value,
                MAX_VALUE_CHARS,
            );
        }
    }
}
