//! `cargo xtask <chore>`: the project's one front door for chores.
//!
//! - `cargo xtask ci`: everything CI checks (formatting, lints, docs, the whole test
//!   suite), in the order that fails fastest. `.ci/run` runs exactly this.
//! - `cargo xtask bless`: regenerates the compile-fail tests' `.stderr` files
//!   (`tests/ui/fail`); review the result with `git diff` before committing.
//!
//! Kept free of dependencies so it builds in seconds.

// A command-line tool: its usage message belongs on stderr.
#![allow(clippy::print_stderr)]

use std::process::{Command, ExitCode};

/// One step of a chore: a description and the cargo arguments that run it.
struct Step {
    what: &'static str,
    args: &'static [&'static str],
    env: &'static [(&'static str, &'static str)],
}

const CI: &[Step] = &[
    Step {
        what: "formatting",
        args: &["fmt", "--all", "--", "--check"],
        env: &[],
    },
    Step {
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
    Step {
        what: "documentation",
        args: &["doc", "--workspace", "--no-deps", "--locked"],
        env: &[("RUSTDOCFLAGS", "-D warnings")],
    },
    Step {
        what: "tests (unit, integration, doc)",
        args: &["test", "--workspace", "--locked"],
        env: &[],
    },
];

const BLESS: &[Step] = &[Step {
    what: "compile-fail snapshots",
    args: &["test", "--package", "cognito-trigger-tests", "--test", "ui"],
    env: &[("TRYBUILD", "overwrite")],
}];

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("ci") => run(CI),
        Some("bless") => run(BLESS),
        _ => {
            eprintln!("usage: cargo xtask <ci|bless>");
            ExitCode::from(2)
        }
    }
}

fn run(steps: &[Step]) -> ExitCode {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    for (number, step) in steps.iter().enumerate() {
        println!(
            "==> [{}/{}] {}: cargo {}",
            number + 1,
            steps.len(),
            step.what,
            step.args.join(" ")
        );
        let status = Command::new(&cargo)
            .args(step.args)
            .envs(step.env.iter().copied())
            .status();
        match status {
            Ok(status) if status.success() => {}
            Ok(status) => {
                println!("==> {} failed ({status})", step.what);
                return ExitCode::FAILURE;
            }
            Err(error) => {
                println!("==> could not run cargo for {}: {error}", step.what);
                return ExitCode::FAILURE;
            }
        }
    }
    println!("==> all {} steps passed", steps.len());
    ExitCode::SUCCESS
}
