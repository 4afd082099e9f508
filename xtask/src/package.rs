//! `cargo xtask package`: the two published crates packaged as `cargo publish` would
//! upload them, and built from the packaged sources.

use std::path::Path;
use std::process::Command;

/// The crates this workspace publishes, each with the files its package must carry
/// (`tests/publishing.rs` checks the list against the manifests).
pub(crate) const PUBLISHED: &[&str] = &["cognito-trigger-macros", "cognito-trigger"];
const REQUIRED_FILES: &[&str] = &["README.md", "LICENSE-MIT", "LICENSE-APACHE"];

/// Packages both crates together (cargo resolves the runtime's `=0.1.0` dependency on the
/// macros to the macros package just made, so neither needs to be on crates.io yet), which
/// builds each from its `.crate` file; then shows what the runtime's package holds.
///
/// `--allow-dirty` packages the working tree, like every other step tests it: on CI the
/// tree is the commit; on a workstation, uncommitted changes are what you want checked.
pub(crate) fn run(root: &Path) -> Result<(), String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let mut package = Command::new(&cargo);
    package
        .args(["package", "--locked", "--allow-dirty"])
        .current_dir(root);
    for name in PUBLISHED {
        package.args(["--package", name]);
    }
    crate::exec(&mut package)?;
    for name in PUBLISHED {
        let output = Command::new(&cargo)
            .args(["package", "--list", "--allow-dirty", "--package", name])
            .current_dir(root)
            .output()
            .map_err(|e| format!("cannot run cargo package --list: {e}"))?;
        if !output.status.success() {
            return Err(format!(
                "cargo package --list --package {name} failed: {}",
                String::from_utf8_lossy(&output.stderr)
            ));
        }
        let listed = String::from_utf8_lossy(&output.stdout);
        println!("    cargo package --list --package {name}:");
        for line in listed.lines() {
            println!("      {line}");
        }
        if let Some(missing) = REQUIRED_FILES
            .iter()
            .find(|file| !listed.lines().any(|line| line == **file))
        {
            return Err(format!("the {name} package lacks {missing}"));
        }
    }
    Ok(())
}
