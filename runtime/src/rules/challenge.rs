//! Define auth challenge (§11.2).

use super::{Rule, Settings, Violation, flag};
use crate::{DefineAuthChallenge, Event};

/// The rules of a DefineAuthChallenge response (the trigger table's `rules` column).
pub(crate) fn define_auth_challenge(
    event: &Event<'_, DefineAuthChallenge>,
    _: &Settings,
    out: &mut Vec<Violation>,
) {
    let response = &event.response;
    let issue_tokens = response.issue_tokens == Some(true);
    let fail = response.fail_authentication == Some(true);
    if issue_tokens && fail {
        flag(
            out,
            Rule::IssueTokensAndFail,
            "response.issueTokens",
            "and response.failAuthentication are both true; Cognito documents no meaning \
             for that. Set exactly one of them",
        );
    }
    // The framework settles such a response to a failure before sending it (§17.3).
    if !issue_tokens && !fail && response.challenge_name.is_none() {
        flag(
            out,
            Rule::ChallengeUndecided,
            "response.challengeName",
            "is unset while neither issueTokens nor failAuthentication is true; Cognito \
             documents no default. Name the next challenge, issue tokens or fail",
        );
    }
}
