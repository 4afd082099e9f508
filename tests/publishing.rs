//! What the published crates (`cognito-trigger` and `cognito-trigger-macros`) carry and
//! promise, checked from the manifests as `cargo metadata` reads them:
//! - each packages its README and both licences, and its licence files are the root's;
//! - the runtime's README (its registry page) shows the root README's first example;
//! - the minimum supported Rust version covers the edition and every dependency a user
//!   builds, and is the one the READMEs state.
//!
//! `cargo xtask package` proves the packages build from their packaged sources;
//! `cargo package --list` shows what they hold.

// Test code: a panic with the value is the clearest failure.
#![allow(clippy::unwrap_used)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::LazyLock;

use cognito_trigger_tests::workspace_root;
use serde_json::Value;

/// Runs `cargo <args>` in the workspace and returns its stdout.
fn cargo(args: &[&str]) -> String {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let output = Command::new(cargo)
        .args(args)
        .current_dir(workspace_root())
        .output()
        .expect("cargo runs");
    assert!(
        output.status.success(),
        "cargo {} failed: {}",
        args.join(" "),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("cargo prints UTF-8")
}

/// `cargo metadata` for the workspace, as the registry would read the manifests.
static METADATA: LazyLock<Value> = LazyLock::new(|| {
    let json = cargo(&["metadata", "--format-version", "1", "--locked"]);
    serde_json::from_str(&json).expect("cargo metadata prints JSON")
});

/// The workspace's packages that can be published (no `publish = false`).
fn published() -> Vec<&'static Value> {
    let members: BTreeSet<&str> = METADATA["workspace_members"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(Value::as_str)
        .collect();
    let published: Vec<&Value> = METADATA["packages"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| members.contains(p["id"].as_str().unwrap()))
        .filter(|p| p["publish"].is_null())
        .collect();
    let names: BTreeSet<&str> = published
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        BTreeSet::from(["cognito-trigger", "cognito-trigger-macros"]),
        "the published crates changed: update this test, the README and `cargo xtask package`"
    );
    published
}

fn package_dir(package: &Value) -> PathBuf {
    Path::new(package["manifest_path"].as_str().unwrap())
        .parent()
        .unwrap()
        .to_path_buf()
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

/// A version such as `1.88` or `1.84.0`, comparable.
fn version(text: &str) -> (u32, u32, u32) {
    let mut parts = text.split('.').map(|part| {
        part.parse::<u32>()
            .unwrap_or_else(|_| panic!("version {text}"))
    });
    let major = parts.next().unwrap();
    (major, parts.next().unwrap_or(0), parts.next().unwrap_or(0))
}

/// The body of the first ```rust block after `heading` (or from the start, without one).
fn first_rust_block<'t>(markdown: &'t str, heading: Option<&str>) -> &'t str {
    let from = heading.map_or(0, |h| {
        markdown
            .find(h)
            .unwrap_or_else(|| panic!("no heading {h:?}"))
    });
    let text = &markdown[from..];
    let open = text.find("```rust").expect("a ```rust block");
    let body = &text[open..];
    let body = &body[body.find('\n').unwrap() + 1..];
    &body[..body.find("```").expect("the block ends")]
}

#[test]
fn each_published_crate_packages_its_readme_and_the_root_licences() {
    let root = workspace_root();
    for package in published() {
        let name = package["name"].as_str().unwrap();
        let dir = package_dir(package);
        assert_eq!(package["license"], "MIT OR Apache-2.0", "{name}");
        // Copies, not symlinks: a package holds files, and a Windows checkout may not
        // have symlinks. They must not drift from the root's.
        for licence in ["LICENSE-MIT", "LICENSE-APACHE"] {
            assert_eq!(
                read(&dir.join(licence)),
                read(&root.join(licence)),
                "{name}/{licence} differs from the root's: copy the root's over it"
            );
        }
        // The registry page shows the `readme`; `cargo package` must also carry it.
        assert_eq!(package["readme"], "README.md", "{name}: `readme` field");
        // What `cargo package` would put in the package.
        let listed = cargo(&["package", "--list", "--allow-dirty", "--package", name]);
        for file in [
            "README.md",
            "LICENSE-MIT",
            "LICENSE-APACHE",
            "Cargo.toml",
            "src/lib.rs",
        ] {
            assert!(
                listed.lines().any(|line| line == file),
                "{name}: the package lacks {file}:\n{listed}"
            );
        }
        let readme = read(&dir.join("README.md"));
        assert!(
            readme.starts_with(&format!("# {name}\n")),
            "{name}: README title"
        );
        assert!(
            readme.contains("https://docs.rs/cognito-trigger"),
            "{name}: README links no docs"
        );
    }
}

#[test]
fn the_runtime_readme_shows_the_root_readme_example_and_links() {
    let root = workspace_root();
    let runtime = read(&root.join("runtime/README.md"));
    assert_eq!(
        first_rust_block(&runtime, None),
        first_rust_block(&read(&root.join("README.md")), Some("## Writing a trigger")),
        "runtime/README.md's example must be the root README's \"Writing a trigger\" example"
    );
    let repository = published()
        .iter()
        .find(|p| p["name"] == "cognito-trigger")
        .unwrap()["repository"]
        .as_str()
        .unwrap();
    assert!(
        runtime.contains(&format!("({repository})")),
        "runtime/README.md does not link the repository {repository}"
    );
}

/// The lowest Rust each edition compiles with.
fn edition_minimum(edition: &str) -> (u32, u32, u32) {
    match edition {
        "2015" => (1, 0, 0),
        "2018" => (1, 31, 0),
        "2021" => (1, 56, 0),
        "2024" => (1, 85, 0),
        other => panic!("an edition this test does not know: {other}"),
    }
}

#[test]
fn minimum_rust_version_covers_the_edition_and_every_dependency() {
    let published = published();
    let declared: BTreeSet<&str> = published
        .iter()
        .map(|p| p["rust_version"].as_str().expect("a rust-version"))
        .collect();
    assert_eq!(
        declared.len(),
        1,
        "the published crates declare different rust-versions: {declared:?}"
    );
    let ours_text = *declared.first().unwrap();
    let ours = version(ours_text);
    for package in &published {
        let edition = package["edition"].as_str().unwrap();
        assert!(
            edition_minimum(edition) <= ours,
            "{}: edition {edition} needs a newer Rust than {ours_text}",
            package["name"]
        );
    }

    // Walk what a user builds: normal and build dependencies (not dev), on every platform.
    let packages: BTreeMap<&str, &Value> = METADATA["packages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["id"].as_str().unwrap(), p))
        .collect();
    let nodes: BTreeMap<&str, &Value> = METADATA["resolve"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| (n["id"].as_str().unwrap(), n))
        .collect();
    // Package id -> the chain of names that brought it in, for messages.
    let mut reached: BTreeMap<&str, String> = BTreeMap::new();
    let mut queue: Vec<(&str, String)> = published
        .iter()
        .map(|p| {
            (
                p["id"].as_str().unwrap(),
                p["name"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    while let Some((id, chain)) = queue.pop() {
        if reached.contains_key(id) {
            continue;
        }
        for dep in nodes[id]["deps"].as_array().unwrap() {
            let user_builds = dep["dep_kinds"]
                .as_array()
                .unwrap()
                .iter()
                .any(|k| k["kind"].is_null() || k["kind"] == "build");
            if user_builds {
                let dep_id = dep["pkg"].as_str().unwrap();
                let name = packages[dep_id]["name"].as_str().unwrap();
                queue.push((dep_id, format!("{chain} -> {name}")));
            }
        }
        reached.insert(id, chain);
    }
    assert!(
        reached.len() > 20,
        "only {} packages reached",
        reached.len()
    );

    let mut needs: Vec<((u32, u32, u32), String)> = Vec::new();
    let mut undeclared = 0;
    for (id, chain) in &reached {
        let package = packages[id];
        if !package["source"].is_string() {
            continue; // Our own crates: their rust-version is ours.
        }
        match package["rust_version"].as_str() {
            Some(rust) => needs.push((
                version(rust),
                format!(
                    "{rust:<7} {} {}  ({chain})",
                    package["name"].as_str().unwrap(),
                    package["version"].as_str().unwrap()
                ),
            )),
            None => undeclared += 1,
        }
    }
    needs.sort();
    println!(
        "rust-version {ours_text}; the highest of {} dependencies that declare one \
         ({undeclared} declare none):",
        needs.len()
    );
    for (_, line) in needs.iter().rev().take(8) {
        println!("  {line}");
    }
    let too_new: Vec<&str> = needs
        .iter()
        .filter(|(needed, _)| *needed > ours)
        .map(|(_, line)| line.as_str())
        .collect();
    assert!(
        too_new.is_empty(),
        "these dependencies need a newer Rust than our rust-version {ours_text}:\n  {}",
        too_new.join("\n  ")
    );
}

#[test]
fn the_readmes_state_the_minimum_rust_version() {
    let rust = published()[0]["rust_version"].as_str().unwrap();
    let statement = format!("Minimum supported Rust version: {rust}");
    for readme in ["README.md", "runtime/README.md"] {
        assert!(
            read(&workspace_root().join(readme)).contains(&statement),
            "{readme} does not say \"{statement}\""
        );
    }
}
