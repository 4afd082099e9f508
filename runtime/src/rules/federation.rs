//! Inbound federation (§16).

use super::{Rule, Settings, Violation, check_max_length, member};
use crate::{Event, InboundFederation};

/// §16: keep `userAttributesToMap` values at most 2,048 characters.
const MAX_VALUE_CHARS: usize = 2048;

/// The rules of a InboundFederation response (the trigger table's `rules` column).
pub(crate) fn inbound_federation(
    event: &Event<'_, InboundFederation>,
    _: &Settings,
    out: &mut Vec<Violation>,
) {
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
