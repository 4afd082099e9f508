//! Shared helpers for the integration tests: where the event fixtures live and how to
//! load them.
//!
//! Fixtures come from three places:
//! - `../shared/fixtures/peers/*/*.json`: events from peer projects (one per file);
//! - `../shared/fixtures/cognito-local/events.jsonl`: events the cognito-local emulator
//!   sent (one per line);
//! - `examples/events/*.json`: this project's bundled samples, one per triggerSource.
//!
//! `COGNITO_TRIGGER_SHARED_FIXTURES` overrides where the shared fixtures are.

use std::path::{Path, PathBuf};

/// One event to test with.
#[derive(Clone, Debug)]
pub struct Fixture {
    /// Where it came from, for messages: a path relative to its root, with `:line` for
    /// JSON Lines files.
    pub name: String,
    /// The event's bytes, as stored.
    pub bytes: Vec<u8>,
}

/// The workspace root.
#[must_use]
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the tests package sits inside the workspace")
        .to_path_buf()
}

/// The shared fixtures directory (`../shared/fixtures` beside the workspace).
///
/// # Panics
/// When it does not exist: the fixture tests must not pass by testing nothing.
#[must_use]
pub fn shared_fixtures() -> PathBuf {
    let dir = std::env::var_os("COGNITO_TRIGGER_SHARED_FIXTURES").map_or_else(
        || workspace_root().join("../shared/fixtures"),
        PathBuf::from,
    );
    assert!(
        dir.is_dir(),
        "shared fixtures not found at {}; set COGNITO_TRIGGER_SHARED_FIXTURES",
        dir.display()
    );
    dir
}

fn json_files(dir: &Path, root: &Path) -> Vec<Fixture> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .map(|entry| entry.expect("directory entry").path())
        .collect();
    files.sort();
    let mut fixtures = Vec::new();
    for path in files {
        if path.is_dir() {
            fixtures.extend(json_files(&path, root));
        } else if path.extension().is_some_and(|ext| ext == "json") {
            fixtures.push(Fixture {
                name: path
                    .strip_prefix(root)
                    .unwrap_or(&path)
                    .display()
                    .to_string(),
                bytes: std::fs::read(&path).expect("fixture is readable"),
            });
        }
    }
    fixtures
}

/// Every peer-project fixture, one event per file.
#[must_use]
pub fn peer_fixtures() -> Vec<Fixture> {
    let root = shared_fixtures();
    let fixtures = json_files(&root.join("peers"), &root);
    assert!(!fixtures.is_empty(), "no peer fixtures found");
    fixtures
}

/// Every event cognito-local sent, one per line of `events.jsonl`.
#[must_use]
pub fn cognito_local_events() -> Vec<Fixture> {
    let root = shared_fixtures();
    let path = root.join("cognito-local/events.jsonl");
    let text = std::fs::read_to_string(&path).expect("cognito-local events are readable");
    let events: Vec<Fixture> = text
        .lines()
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty())
        .map(|(index, line)| Fixture {
            name: format!("cognito-local/events.jsonl:{}", index + 1),
            bytes: line.as_bytes().to_vec(),
        })
        .collect();
    assert!(!events.is_empty(), "no cognito-local events found");
    events
}

/// The project's bundled sample events, one per triggerSource (and per pre token
/// generation version).
#[must_use]
pub fn sample_events() -> Vec<Fixture> {
    let root = workspace_root().join("examples/events");
    let fixtures = json_files(&root, &root);
    assert!(!fixtures.is_empty(), "no sample events found");
    fixtures
}

/// Every fixture: peers, cognito-local and the bundled samples.
#[must_use]
pub fn all_fixtures() -> Vec<Fixture> {
    let mut all = peer_fixtures();
    all.extend(cognito_local_events());
    all.extend(sample_events());
    all
}

/// The runtime crate's README, its registry page, compiled as doc tests (the way
/// `runtime/src/lib.rs` compiles the root README) so its example cannot rot.
#[doc = include_str!("../runtime/README.md")]
#[cfg(doctest)]
pub struct RuntimeReadmeDoctests;
