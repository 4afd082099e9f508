//! `cargo xtask ci`'s `kms` step: the runtime's `kms` feature (the custom senders' codes,
//! decrypted with the AWS Encryption SDK) tested against moto's KMS, its unit tests and doc
//! examples, and the example `senders` function delivering through moto's SES and SNS; the
//! example pool's stores (feature `store`) on moto's DynamoDB; and clippy with every
//! feature on.
//! A step of its own because the feature builds the AWS Encryption SDK, which the rest of
//! the suite does not need.

use std::path::Path;
use std::process::Command;

pub(crate) fn run(root: &Path) -> Result<(), String> {
    let (_aws, moto_server) = crate::e2e::python_tools(root)?;
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    for args in [
        // The lints step builds without features; this one lints the `kms` code too (after
        // the documentation step, which built the same dependencies for checking).
        &[
            "clippy",
            "--workspace",
            "--all-targets",
            "--all-features",
            "--locked",
            "--",
            "-D",
            "warnings",
        ][..],
        // One package selection and one feature set for every test command below, so that
        // the AWS stack is built once for all of them.
        &[
            "test",
            "--workspace",
            "--all-features",
            "--locked",
            "--test",
            "kms",
            "--test",
            "senders",
            "--test",
            "store",
        ][..],
        &[
            "test",
            "--workspace",
            "--all-features",
            "--locked",
            "--lib",
            "--",
            "kms",
        ][..],
        &[
            "test",
            "--workspace",
            "--all-features",
            "--locked",
            "--doc",
            "--",
            "kms",
            // The README's "Custom senders" example, with the feature on.
            "ReadmeDoctests",
            // The example stores' examples that need the `store` feature.
            "store::Store::aws",
        ][..],
    ] {
        println!("    cargo {}", args.join(" "));
        crate::exec(
            Command::new(&cargo)
                .args(args)
                .env("MOTO_SERVER", &moto_server)
                // A missing moto_server fails here, whatever the environment says.
                .env("COGNITO_TRIGGER_MOTO", "required")
                .current_dir(root),
        )?;
    }
    Ok(())
}
