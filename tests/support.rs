//! Shared helpers for the integration tests: the events they run on.
//!
//! The repository's own events, always there (a clone with nothing beside it passes):
//! - `tests/events/*.jsonl`: events cognito-local sent to a pool, one per line
//!   (`tests/events/README.md` says how each file was made);
//! - `examples/events/*.json`: this project's bundled samples, one per triggerSource;
//! - events built from those by [`with`], where a test needs one variation.
//!
//! The peer corpus, an extra compatibility suite: events from peer projects, in
//! `peers/*/*.json` under the shared fixtures directory (`../shared/fixtures` beside the
//! workspace, or `COGNITO_TRIGGER_SHARED_FIXTURES`). Its tests are named `peer_corpus_*`
//! and get the events from [`peer_corpus`], which decides what a missing corpus means:
//! see [`PeerCorpus`].

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Once;

use serde_json::Value;

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

fn json_lines(path: &Path, name: &str) -> Vec<Fixture> {
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let events: Vec<Fixture> = text
        .lines()
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty())
        .map(|(index, line)| Fixture {
            name: format!("{name}:{}", index + 1),
            bytes: line.as_bytes().to_vec(),
        })
        .collect();
    assert!(!events.is_empty(), "no events in {}", path.display());
    events
}

/// The directory of the repository's recorded events.
#[must_use]
pub fn events_dir() -> PathBuf {
    workspace_root().join("tests/events")
}

/// Every event cognito-local sent, one per line of `tests/events/cognito-local.jsonl`.
#[must_use]
pub fn cognito_local_events() -> Vec<Fixture> {
    json_lines(
        &events_dir().join("cognito-local.jsonl"),
        "cognito-local.jsonl",
    )
}

/// Every event of every `tests/events/*.jsonl` file, file by file.
#[must_use]
pub fn recorded_events() -> Vec<Fixture> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(events_dir())
        .expect("tests/events exists")
        .map(|entry| entry.expect("directory entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "jsonl"))
        .collect();
    files.sort();
    files
        .iter()
        .flat_map(|path| {
            let name = path.file_name().unwrap_or_default().to_string_lossy();
            json_lines(path, &name)
        })
        .collect()
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

/// Every event the repository holds: the recorded ones, then the bundled samples.
#[must_use]
pub fn repo_events() -> Vec<Fixture> {
    let mut all = recorded_events();
    all.extend(sample_events());
    all
}

/// The bundled sample named `name` (`PreSignUp_SignUp.json`).
///
/// # Panics
/// When there is no such sample.
#[must_use]
pub fn sample(name: &str) -> Fixture {
    sample_events()
        .into_iter()
        .find(|f| f.name == name)
        .unwrap_or_else(|| panic!("no sample named {name}"))
}

/// `base` with the value at the JSON Pointer `pointer` set to `value` (the parent must
/// exist): an event a test needs, built from a real one. Written back compact, keys
/// sorted.
///
/// # Panics
/// When `base` is not JSON, or the pointer's parent does not exist.
#[must_use]
pub fn with(base: &Fixture, pointer: &str, value: Value) -> Fixture {
    let mut event: Value = serde_json::from_slice(&base.bytes).expect("the base event is JSON");
    let (parent, key) = pointer
        .rsplit_once('/')
        .unwrap_or_else(|| panic!("{pointer} is not a JSON Pointer"));
    let parent = event
        .pointer_mut(parent)
        .and_then(Value::as_object_mut)
        .unwrap_or_else(|| panic!("{}: no object at {parent}", base.name));
    parent.insert(key.to_owned(), value.clone());
    Fixture {
        name: format!("{} with {pointer} = {value}", base.name),
        bytes: serde_json::to_vec(&event).expect("JSON encodes"),
    }
}

// ---------------------------------------------------------------------------------------
// The peer corpus

/// Where the shared fixtures are: `COGNITO_TRIGGER_SHARED_FIXTURES`, or `../shared/fixtures`
/// beside the workspace.
#[must_use]
pub fn shared_fixtures() -> PathBuf {
    std::env::var_os("COGNITO_TRIGGER_SHARED_FIXTURES").map_or_else(
        || {
            let root = workspace_root();
            root.parent().unwrap_or(&root).join("shared/fixtures")
        },
        PathBuf::from,
    )
}

/// Whether the peer-corpus suite must run, from the environment.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PeerCorpus {
    /// A missing corpus fails the suite's tests. The default when `CI` is set (CI always
    /// has the corpus, so its absence there is a broken set-up, not a choice), or with
    /// `COGNITO_TRIGGER_PEER_CORPUS=required`.
    Required,
    /// A missing corpus is reported once per test program, on stderr, and the suite's
    /// tests pass without checking anything. The default elsewhere, or with
    /// `COGNITO_TRIGGER_PEER_CORPUS=optional` (what the standalone CI step sets: it hides
    /// the corpus on purpose).
    Optional,
}

impl PeerCorpus {
    /// What the environment asks for.
    ///
    /// # Panics
    /// When `COGNITO_TRIGGER_PEER_CORPUS` is set to anything but `required` or `optional`.
    #[must_use]
    pub fn from_env() -> Self {
        match std::env::var("COGNITO_TRIGGER_PEER_CORPUS").as_deref() {
            Ok("required") => Self::Required,
            Ok("optional") => Self::Optional,
            Ok(other) => {
                panic!("COGNITO_TRIGGER_PEER_CORPUS={other}: expected `required` or `optional`")
            }
            Err(_) if on_ci() => Self::Required,
            Err(_) => Self::Optional,
        }
    }
}

/// Whether this runs on CI: `CI` set to anything but empty, `false` or `0`.
fn on_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| !matches!(v.as_str(), "" | "false" | "0"))
}

/// What a test program prints when the peer-corpus suite did not run (once per program).
pub const PEER_CORPUS_NOT_RUN: &str = "the peer-corpus suite did not run";

static NOTICE: Once = Once::new();

/// Every peer-project fixture, one event per file, or `None` when the corpus is missing and
/// [`PeerCorpus::Optional`] (after saying so once on stderr, past the test harness's
/// capture, so a plain `cargo test` shows it).
///
/// # Panics
/// When the corpus is missing and [`PeerCorpus::Required`], or holds no events.
#[must_use]
pub fn peer_corpus() -> Option<Vec<Fixture>> {
    let root = shared_fixtures();
    let peers = root.join("peers");
    if peers.is_dir() {
        let fixtures = json_files(&peers, &root);
        assert!(
            !fixtures.is_empty(),
            "no peer fixtures in {}",
            peers.display()
        );
        return Some(fixtures);
    }
    match PeerCorpus::from_env() {
        PeerCorpus::Required => panic!(
            "the peer corpus is required here (CI, or COGNITO_TRIGGER_PEER_CORPUS=required) \
             and there is none at {}: put the shared fixtures at ../shared/fixtures or set \
             COGNITO_TRIGGER_SHARED_FIXTURES=/path/to/shared/fixtures",
            peers.display()
        ),
        PeerCorpus::Optional => {
            NOTICE.call_once(|| {
                let program = std::env::current_exe()
                    .ok()
                    .and_then(|exe| exe.file_stem().map(|s| s.to_string_lossy().into_owned()))
                    .map(|stem| {
                        stem.rsplit_once('-')
                            .map_or(stem.clone(), |(n, _)| n.into())
                    })
                    .unwrap_or_default();
                // Straight to stderr: the harness captures `eprintln!` of passing tests.
                let _ = writeln!(
                    std::io::stderr(),
                    "note ({program}): {PEER_CORPUS_NOT_RUN}: no peer fixtures at {}; its \
                     `peer_corpus_*` tests passed without checking anything. To run it, set \
                     COGNITO_TRIGGER_SHARED_FIXTURES=/path/to/shared/fixtures (CI always runs it).",
                    peers.display()
                );
            });
            None
        }
    }
}

/// The runtime crate's README, its registry page, compiled as doc tests (the way
/// `runtime/src/lib.rs` compiles the root README) so its example cannot rot.
#[doc = include_str!("../runtime/README.md")]
#[cfg(doctest)]
pub struct RuntimeReadmeDoctests;
