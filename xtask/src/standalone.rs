//! The standalone step of `cargo xtask ci`: the test suite in a copy of the repository with
//! nothing beside it, so a clone that has no `../shared` is known to pass.
//!
//! The copy is the working tree's tracked files (`git stash create`, or `HEAD` when nothing
//! is modified, exported with `git archive`) in a directory of its own under the system's
//! temporary directory, outside any git repository: on CI that is the commit; on a
//! workstation it is what the other steps test, minus files not yet added to git, which a
//! clone would not have either.
//!
//! It builds into `target/standalone`, not the workspace's target directory: artifacts are
//! named the same for both checkouts, and some bake in their checkout's path
//! (`env!("CARGO_MANIFEST_DIR")`, e.g. the examples' build script) without cargo rebuilding
//! them when the path changes, so a shared directory would leave the workspace's builds
//! reading the copy's files. The first run builds the dependencies there once; on CI
//! (`CI` set), where nothing reuses them, they are removed once the step has passed.
//!
//! The peer corpus is hidden on purpose (`COGNITO_TRIGGER_PEER_CORPUS=optional`, and no
//! `COGNITO_TRIGGER_SHARED_FIXTURES`), so this step also checks the path a clone takes:
//! the suite reports that it did not run, and the step fails if that report is missing.

use std::io::{BufRead as _, BufReader, Read};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::mpsc;

/// What a test program prints when the peer-corpus suite did not run
/// (`PEER_CORPUS_NOT_RUN` in `tests/support.rs`).
const PEER_CORPUS_NOT_RUN: &str = "the peer-corpus suite did not run";

pub(crate) fn run(root: &Path) -> Result<(), String> {
    // One directory per workspace, so that checkouts side by side do not share it.
    let mut hasher = std::hash::DefaultHasher::new();
    std::hash::Hash::hash(root, &mut hasher);
    let dir = std::env::temp_dir().join(format!(
        "cognito-trigger-standalone-{:016x}",
        std::hash::Hasher::finish(&hasher)
    ));
    let copy = dir.join("cognito-trigger");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&copy).map_err(|e| format!("cannot create {}: {e}", copy.display()))?;
    let result = export(root, &copy).and_then(|()| test(root, &copy));
    match &result {
        Ok(()) => {
            let _ = std::fs::remove_dir_all(&dir);
            // A second build of everything; on CI nothing reuses it and the disk is shared.
            if std::env::var_os("CI").is_some() {
                let _ = std::fs::remove_dir_all(root.join("target/standalone"));
            }
        }
        Err(_) => println!("    the copy is kept for a look: {}", copy.display()),
    }
    result
}

/// Writes the working tree's tracked files into `copy`.
fn export(root: &Path, copy: &Path) -> Result<(), String> {
    let stash = git(root, &["stash", "create"])?;
    let commit = if stash.is_empty() {
        "HEAD".to_owned()
    } else {
        println!("    uncommitted changes included (tracked files only)");
        stash
    };
    let mut archive = Command::new("git")
        .args(["archive", "--format=tar", &commit])
        .current_dir(root)
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run git archive: {e}"))?;
    let tar = archive.stdout.take().ok_or("git archive has no stdout")?;
    crate::exec(Command::new("tar").arg("-x").arg("-C").arg(copy).stdin(tar))?;
    let status = archive.wait().map_err(|e| e.to_string())?;
    if !status.success() {
        return Err(format!("git archive {commit} failed ({status})"));
    }
    let beside = copy.parent().map(|p| p.join("shared"));
    if beside.as_deref().is_some_and(Path::exists) {
        return Err(format!(
            "{} exists beside the copy",
            beside.unwrap_or_default().display()
        ));
    }
    println!(
        "    {commit} copied to {}, with nothing beside it",
        copy.display()
    );
    Ok(())
}

/// Runs the README's test command in `copy`, showing its output, and checks it passed and
/// said the peer-corpus suite did not run.
fn test(root: &Path, copy: &Path) -> Result<(), String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let mut child = Command::new(cargo)
        .args(["test", "--workspace", "--locked"])
        .current_dir(copy)
        .env("CARGO_TARGET_DIR", root.join("target/standalone"))
        // The tools `cargo xtask tools` installed in the workspace.
        .env("CFN_LINT", crate::cfn_lint_path(root))
        // The shared corpus is hidden on purpose: its absence is expected, also on CI.
        .env("COGNITO_TRIGGER_PEER_CORPUS", "optional")
        .env_remove("COGNITO_TRIGGER_SHARED_FIXTURES")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run cargo test: {e}"))?;
    let (sender, lines) = mpsc::channel();
    let readers: Vec<_> = [
        child
            .stdout
            .take()
            .map(|s| Box::new(s) as Box<dyn Read + Send>),
        child
            .stderr
            .take()
            .map(|s| Box::new(s) as Box<dyn Read + Send>),
    ]
    .into_iter()
    .flatten()
    .map(|stream| {
        let sender = sender.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stream).lines().map_while(Result::ok) {
                let _ = sender.send(line);
            }
        })
    })
    .collect();
    drop(sender);
    let mut notices = 0;
    for line in lines {
        println!("{line}");
        if line.contains(PEER_CORPUS_NOT_RUN) {
            notices += 1;
        }
    }
    for reader in readers {
        let _ = reader.join();
    }
    let status = child.wait().map_err(|e| e.to_string())?;
    if !status.success() {
        return Err(format!(
            "the tests failed in a copy with nothing beside it ({status})"
        ));
    }
    if notices == 0 {
        return Err(format!(
            "the tests passed, but no test program said \"{PEER_CORPUS_NOT_RUN}\": \
             the peer corpus was found, or the notice is gone"
        ));
    }
    println!(
        "    passed with nothing beside it; {notices} test programs said the peer-corpus suite did not run"
    );
    Ok(())
}

/// `git <args>` in `dir`: its trimmed stdout.
fn git(dir: &Path, args: &[&str]) -> Result<String, String> {
    let output = Command::new("git")
        .args(args)
        .current_dir(dir)
        .output()
        .map_err(|e| format!("cannot run git: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "git {} failed: {}",
            args.join(" "),
            String::from_utf8_lossy(&output.stderr).trim()
        ));
    }
    Ok(String::from_utf8_lossy(&output.stdout).trim().to_owned())
}
