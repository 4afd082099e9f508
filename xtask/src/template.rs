//! `cargo xtask template`: the `cargo lambda new` template in `templates/cognito-pool`, used
//! as a user would use it. It generates projects non-interactively (every trigger; the
//! default answers; a trigger name that does not exist), points each one's `cognito-trigger`
//! dependency at this checkout, and runs its tests (or, for the wrong name, checks that it
//! fails to compile with a message that names it).
//!
//! The projects live in a directory of their own under the system's temporary directory and
//! build into the workspace's target directory: their packages have names of their own, and
//! the dependencies they share with the workspace are built once.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

/// The template, from the workspace root.
const TEMPLATE: &str = "templates/cognito-pool";

/// The dependency line the template writes, which the step points at this checkout.
const PUBLISHED_DEPENDENCY: &str = "cognito-trigger = \"0.1\"";

/// Every trigger the template offers, as its `triggers` prompt takes them.
const EVERY_TRIGGER: &str = "PreSignUp,PostConfirmation,PreAuthentication,PostAuthentication,\
DefineAuthChallenge,CreateAuthChallenge,VerifyAuthChallengeResponse,PreTokenGenerationV1,\
PreTokenGenerationV2,PreTokenGenerationV3,UserMigration,CustomMessage,CustomEmailSender,\
CustomSmsSender,InboundFederation";

pub(crate) fn run(root: &Path) -> Result<(), String> {
    let mut hasher = std::hash::DefaultHasher::new();
    std::hash::Hash::hash(root, &mut hasher);
    let dir = std::env::temp_dir().join(format!(
        "cognito-trigger-template-{:016x}",
        std::hash::Hasher::finish(&hasher)
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;

    let every = generate(root, &dir, "every-trigger", Some(EVERY_TRIGGER))?;
    test(root, &every, 16)?;
    deploys(root, &every, "every-trigger", 14)?;
    let default = generate(root, &dir, "default-answers", None)?;
    test(root, &default, 5)?;
    let one = generate(root, &dir, "one-trigger", Some("CustomSmsSender"))?;
    test(root, &one, 2)?;
    let misspelt = generate(
        root,
        &dir,
        "misspelt-trigger",
        Some("PreSignUp,PreTokenGen"),
    )?;
    refused(root, &misspelt, "`PreTokenGen` is not a trigger")?;

    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}

/// `cargo lambda new` from the template (with `triggers` when given, else the defaults),
/// its dependency pointed at this checkout and its lock file seeded with the workspace's
/// (the versions the workspace is tested with).
fn generate(
    root: &Path,
    dir: &Path,
    name: &str,
    triggers: Option<&str>,
) -> Result<PathBuf, String> {
    let mut command = Command::new("cargo");
    command
        .args(["lambda", "new", "--no-interactive", "--template"])
        .arg(root.join(TEMPLATE))
        .current_dir(dir);
    if let Some(triggers) = triggers {
        command.args(["--render-var", &format!("triggers={triggers}")]);
    }
    crate::exec(command.arg(name))?;
    let project = dir.join(name);
    let manifest = project.join("Cargo.toml");
    let text = std::fs::read_to_string(&manifest)
        .map_err(|e| format!("cannot read {}: {e}", manifest.display()))?;
    if text.matches(PUBLISHED_DEPENDENCY).count() != 1 {
        return Err(format!(
            "{} does not depend on `{PUBLISHED_DEPENDENCY}` once",
            manifest.display()
        ));
    }
    let runtime = root.join("runtime");
    let local = format!(
        "cognito-trigger = {{ path = {:?} }}",
        runtime.display().to_string()
    );
    std::fs::write(&manifest, text.replace(PUBLISHED_DEPENDENCY, &local))
        .map_err(|e| format!("cannot write {}: {e}", manifest.display()))?;
    std::fs::copy(root.join("Cargo.lock"), project.join("Cargo.lock"))
        .map_err(|e| format!("cannot copy Cargo.lock: {e}"))?;
    println!(
        "    generated {} ({})",
        project.display(),
        triggers.unwrap_or("the default triggers")
    );
    Ok(project)
}

/// Checks the generated project as its user's CI would: formatted as rustfmt has it, no
/// clippy warning, and `tests` tests passing (one per handler and one for the pool).
fn test(root: &Path, project: &Path, tests: usize) -> Result<(), String> {
    let started = Instant::now();
    for args in [
        &["fmt", "--check"][..],
        &["clippy", "--all-targets", "--quiet", "--", "-D", "warnings"][..],
    ] {
        let output = cargo(root, project, args)?;
        if !output.status.success() {
            return Err(format!(
                "cargo {} in {}:\n{}{}",
                args.join(" "),
                project.display(),
                String::from_utf8_lossy(&output.stdout),
                String::from_utf8_lossy(&output.stderr)
            ));
        }
    }
    let output = cargo(root, project, &["test", "--test", "handlers"])?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    if !output.status.success() {
        return Err(format!(
            "the tests of {} failed:\n{stdout}{}",
            project.display(),
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    let summary = format!("test result: ok. {tests} passed; 0 failed");
    if !stdout.contains(&summary) {
        return Err(format!(
            "expected `{summary}` from {}:\n{stdout}",
            project.display()
        ));
    }
    println!(
        "    {}: {tests} tests passed ({:.0} s)",
        project.display(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// The generated function's `--template` passes cfn-lint, and its user pool gets `entries`
/// `LambdaConfig` entries.
fn deploys(root: &Path, project: &Path, binary: &str, entries: usize) -> Result<(), String> {
    let target_dir =
        std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| root.join("target"), PathBuf::from);
    let output = Command::new(target_dir.join("debug").join(binary))
        .arg("--template")
        .env_remove("AWS_LAMBDA_RUNTIME_API")
        .output()
        .map_err(|e| format!("cannot run {binary}: {e}"))?;
    let template: serde_json::Value =
        serde_json::from_slice(&output.stdout).map_err(|e| format!("{binary} --template: {e}"))?;
    let config = &template["Resources"]["UserPool"]["Properties"]["LambdaConfig"];
    if config.as_object().map(serde_json::Map::len) != Some(entries) {
        return Err(format!("{binary} --template configures {config}"));
    }
    let path = project.join("template.json");
    std::fs::write(&path, &output.stdout).map_err(|e| e.to_string())?;
    let lint = Command::new(crate::cfn_lint_path(root))
        .args(["--include-checks", "I", "--include-experimental", "--"])
        .arg(&path)
        .output()
        .map_err(|e| format!("cannot run cfn-lint: {e}"))?;
    if !lint.status.success() || !lint.stdout.is_empty() {
        return Err(format!(
            "cfn-lint on {}:\n{}",
            path.display(),
            String::from_utf8_lossy(&lint.stdout)
        ));
    }
    println!("    {binary} --template: {entries} LambdaConfig entries, no cfn-lint finding");
    Ok(())
}

/// Checks that the generated project does not compile, with `message` among the errors.
fn refused(root: &Path, project: &Path, message: &str) -> Result<(), String> {
    let output = cargo(root, project, &["check", "--quiet"])?;
    let stderr = String::from_utf8_lossy(&output.stderr);
    if output.status.success() || !stderr.contains(message) {
        return Err(format!(
            "{} should fail to compile with `{message}`:\n{stderr}",
            project.display()
        ));
    }
    println!(
        "    {}: refused, as it should be: {message}",
        project.display()
    );
    Ok(())
}

fn cargo(root: &Path, project: &Path, args: &[&str]) -> Result<std::process::Output, String> {
    let target_dir =
        std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| root.join("target"), PathBuf::from);
    Command::new("cargo")
        .args(args)
        .env("CARGO_TARGET_DIR", target_dir)
        .current_dir(project)
        .output()
        .map_err(|e| format!("could not run cargo in {}: {e}", project.display()))
}
