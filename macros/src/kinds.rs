//! The trigger kinds the attribute accepts, and each one's trigger sources.
//!
//! The list itself (`table.rs`) is generated from the runtime's trigger table by `cargo
//! xtask codegen`: the macro crate cannot depend on the runtime. A runtime test fails when
//! the generated list is stale, and the UI test `tests/ui/pass/every_kind_and_source.rs`
//! names every kind and source through the runtime's types.

/// One kind: the word in `#[cognito_trigger(Word)]`.
pub(crate) struct Kind {
    /// The attribute word, also the runtime's marker type.
    pub(crate) name: &'static str,
    /// The runtime's marker type, when it differs from `name` (an alias).
    pub(crate) marker: &'static str,
    /// The runtime's event alias, for messages.
    pub(crate) event: &'static str,
    /// The runtime's trigger-source enum.
    pub(crate) source_enum: &'static str,
    /// The source enum's variants.
    pub(crate) sources: &'static [&'static str],
}

pub(crate) use crate::table::KINDS;

/// The kind named `name`.
pub(crate) fn find(name: &str) -> Option<&'static Kind> {
    KINDS.iter().find(|kind| kind.name == name)
}

/// The closest of `candidates` to `wrong`, if one is close enough to be a likely typo.
pub(crate) fn did_you_mean<'a>(
    wrong: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let wrong_lower = wrong.to_ascii_lowercase();
    candidates
        .into_iter()
        .map(|candidate| {
            (
                strsim::jaro_winkler(&wrong_lower, &candidate.to_ascii_lowercase()),
                candidate,
            )
        })
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, candidate)| candidate)
}

/// `a`, `b` and `c`, in backticks, for messages.
pub(crate) fn list(names: &[&str]) -> String {
    let quoted: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
    match quoted.as_slice() {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}
