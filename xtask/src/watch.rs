//! `cargo lambda watch` serving an example function (the pool, or the custom senders) on
//! 127.0.0.1: the Lambda Runtime API emulation the load test (and the end-to-end test)
//! invoke.

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The cargo-lambda release the project uses.
pub(crate) const CARGO_LAMBDA_VERSION: &str = "1.9.2";

/// Installs cargo-lambda unless some version already answers (a fresh machine takes about
/// 13 minutes on 2 cores).
pub(crate) fn ensure_cargo_lambda(_root: &Path) -> Result<(), String> {
    let installed = Command::new("cargo").args(["lambda", "--version"]).output();
    if let Some(output) = installed.ok().filter(|o| o.status.success()) {
        println!("    {}", String::from_utf8_lossy(&output.stdout).trim());
        return Ok(());
    }
    println!("    installing cargo-lambda {CARGO_LAMBDA_VERSION} (about 13 minutes on 2 cores)");
    crate::exec(
        Command::new("cargo")
            .args(["install", "--locked"])
            .arg(format!("cargo-lambda@{CARGO_LAMBDA_VERSION}")),
    )
}

/// A binary that `cargo lambda watch` can serve, and how to tell that it answers.
pub(crate) struct Function {
    /// The package's directory, from the workspace root.
    pub(crate) package: &'static str,
    /// The binary, which is also the function's name in the Invoke API.
    pub(crate) binary: &'static str,
    /// The package features the binary needs.
    pub(crate) features: &'static [&'static str],
    /// An event the function answers with success once it is built and started (its state
    /// built too).
    pub(crate) probe: &'static [u8],
}

/// The example pool, serving every trigger.
pub(crate) const POOL: Function = Function {
    package: "examples",
    binary: "pool",
    features: &[],
    probe: br#"{"version":"1","triggerSource":"PostConfirmation_ConfirmSignUp","request":{},"response":{}}"#,
};

/// The example custom senders (decrypting with KMS, delivering through SES and SNS).
pub(crate) const SENDERS: Function = Function {
    package: "examples",
    binary: "senders",
    features: &["kms"],
    // A trigger it does not serve, answered with Cognito's defaults: no KMS, SES or SNS
    // call, but only once its state (configuration and clients) is built.
    probe: br#"{"version":"1","triggerSource":"PreSignUp_SignUp","request":{},"response":{}}"#,
};

/// A running `cargo lambda watch`; stopped (with the function it started) when dropped,
/// also when a step fails.
pub(crate) struct Watch {
    child: Child,
    /// The Invoke API address, `http://127.0.0.1:PORT`.
    pub(crate) endpoint: String,
}

impl Watch {
    /// Starts `cargo lambda watch` on `function`, in release mode, and waits until it
    /// answers its probe.
    pub(crate) fn start(
        root: &Path,
        function: &Function,
        port: u16,
        log: &Path,
        env: &[(&str, &str)],
    ) -> Result<Self, String> {
        let watch = Self::listen(&root.join(function.package), function, port, log, env)?;
        watch.wait_until_ready(function, log, Duration::from_secs(1800))?;
        Ok(watch)
    }

    /// Starts `cargo lambda watch` in `package_dir` and waits until it listens; the
    /// function itself starts on the first invocation.
    pub(crate) fn listen(
        package_dir: &Path,
        function: &Function,
        port: u16,
        log: &Path,
        env: &[(&str, &str)],
    ) -> Result<Self, String> {
        let log_file = std::fs::File::create(log)
            .map_err(|e| format!("cannot create {}: {e}", log.display()))?;
        let mut command = Command::new("cargo");
        command
            .args([
                "lambda",
                "watch",
                "--release",
                "--ignore-changes",
                "--bin",
                function.binary,
            ])
            .args(if function.features.is_empty() {
                Vec::new()
            } else {
                vec!["--features".to_owned(), function.features.join(",")]
            })
            .args(["-A", "127.0.0.1", "-P"])
            .arg(port.to_string())
            .current_dir(package_dir)
            .stdin(Stdio::null())
            .stdout(log_file.try_clone().map_err(|e| e.to_string())?)
            .stderr(log_file);
        for (name, value) in env {
            command.env(name, value);
        }
        // Its own process group, so the function it spawns stops with it.
        std::os::unix::process::CommandExt::process_group(&mut command, 0);
        let child = command
            .spawn()
            .map_err(|e| format!("cannot start cargo lambda watch: {e}"))?;
        let watch = Self {
            child,
            endpoint: format!("http://127.0.0.1:{port}"),
        };
        let started = Instant::now();
        // A TCP connect, not an HTTP request: any other path would invoke the function.
        while std::net::TcpStream::connect(watch.endpoint.trim_start_matches("http://")).is_err() {
            if started.elapsed() > Duration::from_secs(120) {
                return Err("cargo lambda watch did not start listening".to_owned());
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        Ok(watch)
    }

    /// Waits until the function answers its probe (the first invocation builds and starts
    /// it). A function that answers with an error (its state could not be built) fails at
    /// once.
    fn wait_until_ready(
        &self,
        function: &Function,
        log: &Path,
        limit: Duration,
    ) -> Result<(), String> {
        let started = Instant::now();
        let agent = agent(Duration::from_secs(1800));
        loop {
            match invoke(&agent, &self.endpoint, function.binary, function.probe) {
                Ok((200, _)) => return Ok(()),
                Ok((_, body)) if body.starts_with(br#"{"errorType""#) => {
                    return Err(format!(
                        "{} answered its probe with {} (see {})",
                        function.binary,
                        String::from_utf8_lossy(&body),
                        log.display()
                    ));
                }
                _ if started.elapsed() > limit => {
                    return Err(format!("{} never answered", function.binary));
                }
                _ => std::thread::sleep(Duration::from_millis(500)),
            }
        }
    }
}

impl Drop for Watch {
    fn drop(&mut self) {
        // The whole group: cargo lambda watch and the function binary it runs.
        let group = format!("-{}", self.child.id());
        let _ = Command::new("kill").args(["-TERM", "--", &group]).status();
        let _ = self.child.wait();
    }
}

/// An HTTP agent for the Invoke API.
pub(crate) fn agent(timeout: Duration) -> ureq::Agent {
    ureq::Agent::config_builder()
        .timeout_global(Some(timeout))
        .http_status_as_error(false)
        .build()
        .into()
}

/// Invokes `function` through the Lambda Invoke API: (HTTP status, body).
pub(crate) fn invoke(
    agent: &ureq::Agent,
    endpoint: &str,
    function: &str,
    event: &[u8],
) -> Result<(u16, Vec<u8>), String> {
    let url = format!("{endpoint}/2015-03-31/functions/{function}/invocations");
    let mut response = agent.post(&url).send(event).map_err(|e| e.to_string())?;
    let status = response.status().as_u16();
    let body = response
        .body_mut()
        .read_to_vec()
        .map_err(|e| e.to_string())?;
    Ok((status, body))
}
