//! Text checks shared by the rules: lengths in characters and Cognito's message pattern.

use std::ops::RangeInclusive;

use super::{Rule, Violation, flag};

/// How many characters (Unicode scalar values) `text` has: the contract's limits count
/// characters, not bytes.
fn char_count(text: &str) -> usize {
    text.chars().count()
}

/// Flags `text` when its length in characters is outside `range`.
pub(super) fn check_length(
    out: &mut Vec<Violation>,
    rule: Rule,
    field: &str,
    text: &str,
    range: RangeInclusive<usize>,
) {
    let count = char_count(text);
    if !range.contains(&count) {
        let (min, max) = (range.start(), range.end());
        flag(
            out,
            rule,
            field,
            format!("is {count} characters long; Cognito accepts {min} to {max}"),
        );
    }
}

/// Flags `text` when it is longer than `max` characters. The path is built only then: this
/// runs on every value of an answer.
pub(super) fn check_max_length(
    out: &mut Vec<Violation>,
    rule: Rule,
    field: impl FnOnce() -> String,
    text: &str,
    max: usize,
) {
    // A text of at most `max` bytes has at most `max` characters.
    if text.len() <= max {
        return;
    }
    let count = char_count(text);
    if count > max {
        flag(
            out,
            rule,
            field(),
            format!("is {count} characters long; Cognito accepts at most {max}"),
        );
    }
}

/// Whether Cognito's message pattern (§14: `[\p{L}\p{M}\p{S}\p{N}\p{P}\s*]`, where `\s` is
/// ASCII whitespace) rejects `c`. Everything outside the letter, mark, symbol, number and
/// punctuation categories is rejected: control (Cc), format (Cf), private-use (Co) and
/// unassigned (Cn, of which the noncharacters are recognised) characters, and separators
/// (Zs, Zl, Zp) other than the ASCII space.
fn rejected_by_pattern(c: char) -> Option<&'static str> {
    if matches!(c, ' ' | '\t' | '\n' | '\u{0B}' | '\u{0C}' | '\r') {
        None
    } else if c.is_control() {
        Some("a control character")
    } else if c.is_whitespace() {
        // White_Space minus Cc is exactly Zs, Zl and Zp.
        Some("a space or line separator other than ASCII whitespace")
    } else if is_format(c) {
        Some("an invisible format character")
    } else if is_private_use(c) {
        Some("a private-use character")
    } else if is_noncharacter(c) {
        Some("a noncharacter")
    } else {
        None
    }
}

/// General category Cf (format), Unicode 15.
fn is_format(c: char) -> bool {
    matches!(
        c,
        '\u{AD}'
            | '\u{600}'..='\u{605}'
            | '\u{61C}'
            | '\u{6DD}'
            | '\u{70F}'
            | '\u{890}'..='\u{891}'
            | '\u{8E2}'
            | '\u{180E}'
            | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{206F}'
            | '\u{FEFF}'
            | '\u{FFF9}'..='\u{FFFB}'
            | '\u{110BD}'
            | '\u{110CD}'
            | '\u{13430}'..='\u{1343F}'
            | '\u{1BCA0}'..='\u{1BCA3}'
            | '\u{1D173}'..='\u{1D17A}'
            | '\u{E0001}'
            | '\u{E0020}'..='\u{E007F}'
    )
}

/// General category Co (private use).
fn is_private_use(c: char) -> bool {
    matches!(c, '\u{E000}'..='\u{F8FF}' | '\u{F0000}'..='\u{FFFFD}' | '\u{100000}'..='\u{10FFFD}')
}

/// The 66 noncharacters (category Cn): U+FDD0..U+FDEF and the last two code points of
/// every plane.
fn is_noncharacter(c: char) -> bool {
    matches!(c, '\u{FDD0}'..='\u{FDEF}') || (c as u32) & 0xFFFE == 0xFFFE
}

/// Flags `text` when it holds a character Cognito's message pattern rejects, naming the
/// first one by code point and position (never quoting the text around it).
pub(super) fn check_characters(out: &mut Vec<Violation>, rule: Rule, field: &str, text: &str) {
    let mut rejected = text
        .chars()
        .enumerate()
        .filter_map(|(position, c)| rejected_by_pattern(c).map(|kind| (position, c, kind)));
    let Some((position, c, kind)) = rejected.next() else {
        return;
    };
    let more = rejected.count();
    let others = match more {
        0 => String::new(),
        1 => " and 1 more such character".to_owned(),
        n => format!(" and {n} more such characters"),
    };
    flag(
        out,
        rule,
        field,
        format!(
            "contains U+{:04X} ({kind}) at character {}{others}; Cognito's pattern allows \
             only letters, marks, numbers, symbols, punctuation and ASCII whitespace",
            c as u32,
            position + 1,
        ),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_pattern_allows_text_and_rejects_invisible_characters() {
        for allowed in [
            'a', 'é', '\u{301}', '€', '7', '½', '*', '{', '#', '<', ' ', '\n', '\t',
        ] {
            assert_eq!(rejected_by_pattern(allowed), None, "{allowed:?}");
        }
        for rejected in [
            '\u{A0}', '\u{0}', '\u{7F}', '\u{85}', '\u{200B}', '\u{FEFF}', '\u{2028}', '\u{3000}',
            '\u{E000}', '\u{FFFF}', '\u{AD}',
        ] {
            assert!(rejected_by_pattern(rejected).is_some(), "{rejected:?}");
        }
    }
}
