//! A moto_server (PyPI) of a test's own, on a free port: the real KMS, SES, SNS and
//! DynamoDB the tests run against. Shared by the tests that need one (`#[path]` module).
//!
//! moto_server is `MOTO_SERVER`, or looked for in `target/tools/e2e` (where `cargo xtask
//! e2e` installs it) and on `PATH`. Without it a test says so on stderr and passes, except
//! on CI (`CI` set) or with `COGNITO_TRIGGER_MOTO=required`, where it fails.

use std::io::{Read as _, Write as _};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

static NOTICE: std::sync::Once = std::sync::Once::new();

/// A running moto_server, stopped when dropped.
pub(crate) struct Moto {
    child: Child,
    port: u16,
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Moto {
    /// Starts moto_server, or returns `None` (after saying so) when it is not installed and
    /// not required. `test` names the caller in that message.
    pub(crate) fn start(test: &str) -> Option<Self> {
        let Some(program) = program() else {
            assert!(
                !required(),
                "moto_server is required here (CI, or COGNITO_TRIGGER_MOTO=required) and was \
                 not found: `pip install 'moto[server]'` or `cargo xtask e2e`"
            );
            // Once per test program, past the harness's capture, so `cargo test` shows it.
            NOTICE.call_once(|| {
                let _ = writeln!(
                    std::io::stderr(),
                    "note ({test}): moto_server not found (MOTO_SERVER, target/tools/e2e or \
                     PATH): these tests passed WITHOUT checking anything. Install it with \
                     `pip install 'moto[server]'` or `cargo xtask e2e`; CI always runs them."
                );
            });
            return None;
        };
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|listener| listener.local_addr())
            .map(|address| address.port())
            .expect("a free port");
        let child = Command::new(program)
            .args(["-H", "127.0.0.1", "-p", &port.to_string()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("moto_server starts");
        let moto = Self { child, port };
        let started = Instant::now();
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                started.elapsed() < Duration::from_secs(60),
                "moto_server did not listen on {port} within 60 s"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        Some(moto)
    }

    /// Its endpoint, `http://127.0.0.1:PORT`.
    pub(crate) fn endpoint(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// What moto's services hold (`/moto-api/data.json`): `service -> model -> [instances]`.
    #[allow(dead_code)]
    pub(crate) fn data(&self) -> serde_json::Value {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).expect("moto answers");
        write!(
            stream,
            "GET /moto-api/data.json HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n"
        )
        .expect("moto takes the request");
        let mut response = String::new();
        stream
            .read_to_string(&mut response)
            .expect("moto answers in UTF-8");
        let body = &response[response.find("\r\n\r\n").map_or(0, |at| at + 4)..];
        serde_json::from_str(body).expect("moto's data is JSON")
    }
}

/// Whether a missing moto_server fails the tests: on CI, or when asked.
fn required() -> bool {
    match std::env::var("COGNITO_TRIGGER_MOTO").as_deref() {
        Ok("required") => true,
        Ok("optional") => false,
        _ => std::env::var("CI").is_ok_and(|v| !matches!(v.as_str(), "" | "false" | "0")),
    }
}

/// The moto_server program that answers `--help`.
fn program() -> Option<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .find(|dir| dir.join("Cargo.lock").exists())
        .map(Path::to_path_buf)
        .unwrap_or_default();
    std::env::var_os("MOTO_SERVER")
        .map(PathBuf::from)
        .into_iter()
        .chain([
            root.join("target/tools/e2e/bin/moto_server"),
            PathBuf::from("moto_server"),
        ])
        .find(|program| {
            Command::new(program)
                .arg("--help")
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status()
                .is_ok_and(|status| status.success())
        })
}
