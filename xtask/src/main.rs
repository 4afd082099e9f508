//! `cargo xtask <chore>`: the project's one front door for chores.
//!
//! - `cargo xtask ci`: everything CI checks, in the order that fails fastest: tools the
//!   tests need, formatting, lints, docs, the whole test suite, the test suite again in a
//!   copy with nothing beside it (no `../shared`), packaging, then the load and end-to-end
//!   tests. `.ci/run` runs this. The runtime's `kms` feature gets its own step (its tests
//!   against moto's KMS and its doc examples), the only one that builds the AWS Encryption
//!   SDK.
//! - `cargo xtask tools`: installs the tools the tests use (cfn-lint, from PyPI, into
//!   `target/tools/`), reusing what is already there.
//! - `cargo xtask codegen`: regenerates the macro crate's list of trigger kinds
//!   (`macros/src/table.rs`) from the runtime's trigger table, and the example pool's
//!   sample events (`examples/events/`) from the test kit's builders; a test fails while
//!   either is stale.
//! - `cargo xtask bless`: regenerates the compile-fail tests' `.stderr` files
//!   (`tests/ui/fail`); review the result with `git diff` before committing.
//! - `cargo xtask e2e`: the example pool, and the `senders` function as the custom email
//!   sender, behind a real Cognito emulator (cognito-local), driven with the AWS CLI;
//!   installs what it needs (cargo-lambda, cognito-local, awscli, moto) when missing.
//! - `cargo xtask kms`: the `kms` step of `ci` alone: the custom senders' code decryption
//!   and the `senders` example against moto, with clippy on every feature.
//! - `cargo xtask record`: the end-to-end flows with a recorder in front of the functions;
//!   writes every event cognito-local sent to `tests/events/e2e.jsonl`.
//! - `cargo xtask bench`: benchmarks against a hand-written baseline and the least any
//!   handler must do; writes `BENCHMARKS.md` and `target/bench/summary.json`.
//! - `cargo xtask cold-start BINARY...`: starts each function binary against a Runtime API
//!   of our own, alternately, and prints its init and first-response times, and the median
//!   of each run's ratio to the last binary's run (the reference), init then first answer.
//! - `cargo xtask load`: 10,000 invocations of the example pool through `cargo lambda
//!   watch`, with concurrency; fails on any lost or failed invocation
//!   (latencies in `target/bench/load.json`).
//! - `cargo xtask artifact`: the example pool built with `cargo lambda build --release` for
//!   arm64 and x86-64 (Zig from PyPI cross-compiles), each `bootstrap` checked for its ELF
//!   machine and for needing no glibc newer than Amazon Linux 2023's 2.34.
//! - `cargo xtask template`: projects generated from the `cargo lambda new` template
//!   (`templates/cognito-pool`) with every trigger, the default answers, one trigger and a
//!   misspelt trigger, pointed at this checkout: all but the last are rustfmt- and
//!   clippy-clean and pass their tests (the first also writes a template cfn-lint accepts),
//!   the last fails to compile, naming the mistake.
//! - `cargo xtask stack`: the example pool's `--template` deployed for an existing user
//!   pool on moto's CloudFormation (as one function, and with the senders in a second one),
//!   its outputs and permissions checked through the AWS CLI.
//! - `cargo xtask cdk`: the README's CDK snippet compiled with TypeScript against
//!   aws-cdk-lib (npm), synthesized, its `LambdaConfig` checked, and linted with cfn-lint.
//! - `cargo xtask package`: packages the two published crates as `cargo publish` would,
//!   builds them from the packaged sources, and lists what each package holds.
//! - `cargo xtask standalone`: the test suite in a copy of the repository with nothing
//!   beside it, where the peer-corpus suite must report that it did not run.
//!
//! Kept free of dependencies so it builds in seconds.

// A command-line tool: its usage message belongs on stderr.
#![allow(clippy::print_stderr)]

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

mod artifact;
mod bench;
mod cdk;
mod chart;
mod e2e;
mod kms;
mod load;
mod package;
mod record;
mod runtime_api;
mod stack;
mod standalone;
mod template;
mod watch;

/// The cfn-lint release the LambdaConfig test validates with (pinned: its schema decides).
const CFN_LINT_VERSION: &str = "1.58.0";

/// One step of a chore.
enum Step {
    /// `cargo <args>`, with extra environment.
    Cargo {
        what: &'static str,
        args: &'static [&'static str],
        env: &'static [(&'static str, &'static str)],
    },
    /// A chore written here.
    Task {
        what: &'static str,
        run: fn(&Path) -> Result<(), String>,
    },
}

// Steps that more than one command runs.
const CARGO_LAMBDA: Step = Step::Task {
    what: "cargo-lambda",
    run: watch::ensure_cargo_lambda,
};
const ARTIFACT: Step = Step::Task {
    what: "artifact: cargo lambda build --release of the pool for arm64 and x86-64, each bootstrap checked",
    run: artifact::run,
};
const PROJECT_TEMPLATE: Step = Step::Task {
    what: "template: projects from the cargo lambda new template, built and tested against this checkout",
    run: template::run,
};
const STACK: Step = Step::Task {
    what: "stack: the pool's CloudFormation template deployed on moto",
    run: stack::run,
};
const CDK: Step = Step::Task {
    what: "cdk: the README's CDK snippet compiled, synthesized and linted",
    run: cdk::run,
};
const LOAD_TEST: Step = Step::Task {
    what: "load: 10,000 invocations through cargo lambda watch",
    run: load::run,
};
const END_TO_END: Step = Step::Task {
    what: "end to end: cognito-local -> cargo lambda -> pool, senders",
    run: e2e::run,
};
const STANDALONE_TESTS: Step = Step::Task {
    what: "standalone: the tests again in a copy with nothing beside it (no ../shared)",
    run: standalone::run,
};
const KMS_TESTS: Step = Step::Task {
    what: "kms: the custom senders' codes decrypted against moto's KMS, and delivered (feature `kms`)",
    run: kms::run,
};
const PACKAGE: Step = Step::Task {
    what: "package: the published crates, built from their packaged sources",
    run: package::run,
};

const CI: &[Step] = &[
    Step::Task {
        what: "tools",
        run: install_tools,
    },
    Step::Cargo {
        what: "formatting",
        args: &["fmt", "--all", "--", "--check"],
        env: &[],
    },
    Step::Cargo {
        what: "lints",
        args: &[
            "clippy",
            "--workspace",
            "--all-targets",
            "--locked",
            "--",
            "-D",
            "warnings",
        ],
        env: &[],
    },
    Step::Cargo {
        what: "documentation",
        args: &[
            "doc",
            "--workspace",
            "--no-deps",
            "--locked",
            "--all-features",
        ],
        env: &[("RUSTDOCFLAGS", "-D warnings")],
    },
    Step::Cargo {
        what: "tests (unit, integration, compile-fail, doc)",
        args: &["test", "--workspace", "--locked"],
        env: &[],
    },
    KMS_TESTS,
    STANDALONE_TESTS,
    PACKAGE,
    CARGO_LAMBDA,
    ARTIFACT,
    PROJECT_TEMPLATE,
    CDK,
    LOAD_TEST,
    END_TO_END,
    STACK,
];

const TOOLS_STEP: Step = Step::Task {
    what: "tools",
    run: install_tools,
};

const TOOLS: &[Step] = &[TOOLS_STEP];

const LOAD: &[Step] = &[CARGO_LAMBDA, LOAD_TEST];

const E2E: &[Step] = &[END_TO_END];

const RECORD: &[Step] = &[Step::Task {
    what: "record: the end-to-end flows, keeping the events cognito-local sends",
    run: record::run,
}];

const PACKAGING: &[Step] = &[PACKAGE];

const ARTIFACTS: &[Step] = &[CARGO_LAMBDA, ARTIFACT];

const TEMPLATE: &[Step] = &[TOOLS_STEP, CARGO_LAMBDA, PROJECT_TEMPLATE];

const STACKS: &[Step] = &[STACK];

const CDK_APP: &[Step] = &[TOOLS_STEP, CDK];

const KMS: &[Step] = &[KMS_TESTS];

const STANDALONE: &[Step] = &[STANDALONE_TESTS];

const BENCH: &[Step] = &[
    CARGO_LAMBDA,
    Step::Task {
        what: "bench",
        run: bench::run,
    },
];

const CODEGEN: &[Step] = &[
    Step::Cargo {
        what: "the macro crate's trigger list, from the runtime's table",
        args: &["test", "--package", "cognito-trigger", "--lib", "codegen"],
        env: &[("COGNITO_TRIGGER_CODEGEN", "write")],
    },
    Step::Cargo {
        what: "the example pool's sample events, from the test kit's builders",
        args: &["test", "--package", "examples", "--test", "samples"],
        env: &[("COGNITO_TRIGGER_CODEGEN", "write")],
    },
];

const BLESS: &[Step] = &[Step::Cargo {
    what: "compile-fail snapshots",
    args: &["test", "--package", "cognito-trigger-tests", "--test", "ui"],
    env: &[("TRYBUILD", "overwrite")],
}];

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let root = workspace_root();
    match args.first().map(String::as_str) {
        Some("ci") => run(&root, CI),
        Some("tools") => run(&root, TOOLS),
        Some("bless") => run(&root, BLESS),
        Some("codegen") => run(&root, CODEGEN),
        Some("load") => run(&root, LOAD),
        Some("bench") => run(&root, BENCH),
        Some("e2e") => run(&root, E2E),
        Some("kms") => run(&root, KMS),
        Some("package") => run(&root, PACKAGING),
        Some("artifact") => run(&root, ARTIFACTS),
        Some("template") => run(&root, TEMPLATE),
        Some("stack") => run(&root, STACKS),
        Some("cdk") => run(&root, CDK_APP),
        Some("standalone") => run(&root, STANDALONE),
        Some("record") => run(&root, RECORD),
        Some("cold-start") if args.len() > 1 => match bench::report_cold_starts(&args[1..]) {
            Ok(()) => ExitCode::SUCCESS,
            Err(error) => {
                eprintln!("==> {error}");
                ExitCode::FAILURE
            }
        },
        _ => {
            eprintln!(
                "usage: cargo xtask <ci|tools|codegen|bless|load|bench|e2e|kms|record|package|artifact|template|stack|cdk|standalone|cold-start BINARY...>"
            );
            ExitCode::from(2)
        }
    }
}

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf)
}

fn run(root: &Path, steps: &[Step]) -> ExitCode {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    for (number, step) in steps.iter().enumerate() {
        let result = match step {
            Step::Cargo { what, args, env } => {
                println!(
                    "==> [{}/{}] {what}: cargo {}",
                    number + 1,
                    steps.len(),
                    args.join(" ")
                );
                let status = Command::new(&cargo)
                    .args(*args)
                    .envs(env.iter().copied())
                    // Where the tests find the tools `install_tools` put in place.
                    .env("CFN_LINT", cfn_lint_path(root))
                    .current_dir(root)
                    .status();
                match status {
                    Ok(status) if status.success() => Ok(()),
                    Ok(status) => Err(format!("{what} failed ({status})")),
                    Err(error) => Err(format!("could not run cargo for {what}: {error}")),
                }
            }
            Step::Task { what, run } => {
                println!("==> [{}/{}] {what}", number + 1, steps.len());
                run(root)
            }
        };
        if let Err(problem) = result {
            println!("==> {problem}");
            return ExitCode::FAILURE;
        }
    }
    println!("==> all {} steps passed", steps.len());
    ExitCode::SUCCESS
}

pub(crate) fn cfn_lint_path(root: &Path) -> PathBuf {
    root.join("target/tools/cfn-lint/bin/cfn-lint")
}

/// Installs cfn-lint into its own virtual environment under `target/tools`, unless the
/// pinned version is already there.
fn install_tools(root: &Path) -> Result<(), String> {
    let cfn_lint = cfn_lint_path(root);
    let installed = Command::new(&cfn_lint).arg("--version").output();
    if installed.is_ok_and(|out| String::from_utf8_lossy(&out.stdout).contains(CFN_LINT_VERSION)) {
        println!("    cfn-lint {CFN_LINT_VERSION} already installed");
        return Ok(());
    }
    let venv = root.join("target/tools/cfn-lint");
    let python = std::env::var("PYTHON").unwrap_or_else(|_| "python3".to_owned());
    exec(Command::new(&python).args(["-m", "venv"]).arg(&venv))?;
    exec(
        Command::new(venv.join("bin/pip"))
            .args(["install", "--quiet", "--disable-pip-version-check"])
            .arg(format!("cfn-lint=={CFN_LINT_VERSION}")),
    )?;
    println!(
        "    installed cfn-lint {CFN_LINT_VERSION} in {}",
        venv.display()
    );
    Ok(())
}

pub(crate) fn exec(command: &mut Command) -> Result<(), String> {
    let shown = format!("{command:?}");
    match command.status() {
        Ok(status) if status.success() => Ok(()),
        Ok(status) => Err(format!("{shown} failed ({status})")),
        Err(error) => Err(format!("could not run {shown}: {error}")),
    }
}
