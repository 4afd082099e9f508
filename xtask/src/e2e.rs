//! `cargo xtask e2e`: the example functions against a real Cognito emulator.
//!
//! cognito-local (npm) → Lambda Invoke API → `cargo lambda watch` → the `pool` binary, with
//! moto's KMS for the custom email sender. Flows are driven with the AWS CLI (and HTTP for
//! managed login), and each asserts what the client observes. Everything listens on
//! 127.0.0.1 and is stopped by PID when the run ends, also when a flow fails.
//!
//! Two cognito-local instances: with a custom email sender configured, cognito-local stops
//! calling custom message, so message texts are checked on one ("plain", fixed `CODE`) and
//! the custom email sender on the other ("sender"). The sender instance's
//! `CustomEmailSender` is the real `senders` function (release, `--features kms`, a second
//! `cargo lambda watch` on its own port and log), the other triggers the pool; a relay
//! ([`Recorder`], not recording) routes each invocation by function name. cognito-local
//! encrypts each code with moto's KMS key; `senders` decrypts it with `KEY_ARN` and sends
//! the mail through moto's SES from a verified identity. cognito-local runs without `CODE`
//! there, so its codes are random: a flow passes only with the code read from the mail
//! moto received (`/moto-api/data.json`), that is, through the decryption. The sender flows:
//! sign-up confirmed with the mailed code; forgot password reset with it (the new password
//! signs in, the old one is refused); the temporary password of an invitation signs in to
//! the new-password challenge; an attribute verified with the mailed code; and the function
//! given a code encrypted under another key (invoked directly through the Invoke API)
//! answers an internal error, sends nothing and logs neither the code nor its ciphertext.
//! No flow prints a code or a password, and each checks that the senders' log shows none.

use std::collections::BTreeSet;
use std::io::{Read as _, Seek as _, SeekFrom};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use base64::Engine as _;
use serde_json::{Value, json};
use sha2::Digest as _;

use crate::record::Recorder;
use crate::watch::{self, Watch};

mod store;

const WATCH_PORT: u16 = 9010;
/// The senders function's `cargo lambda watch`.
const SENDERS_PORT: u16 = 9011;
const MOTO_PORT: u16 = 5055;
const COGNITO_PLAIN_PORT: u16 = 9229;
const COGNITO_SENDER_PORT: u16 = 9230;
/// The plain cognito-local sends every code as this (its `CODE` setting); the sender
/// instance has no `CODE`, so its codes are random.
const CODE: &str = "123456";
/// The SES identity the senders function sends from, verified in moto first.
const FROM_ADDRESS: &str = "no-reply@example.com";
const COGNITO_LOCAL_VERSION: &str = "5.3.0";

pub(crate) fn run(root: &Path) -> Result<(), String> {
    flows(root, false).map(drop)
}

/// The flows with every invocation of both cognito-local instances relayed by a
/// [`Recorder`]: once every flow passed, the events cognito-local sent, in order (`cargo
/// xtask record`).
pub(crate) fn run_recording(root: &Path) -> Result<Vec<Vec<u8>>, String> {
    flows(root, true)
}

/// Starts everything and runs the flows; the plain cognito-local invokes the pool through
/// the relay when `record`ing (the sender instance always does: it routes by function);
/// the events the relay passed on.
fn flows(root: &Path, record: bool) -> Result<Vec<Vec<u8>>, String> {
    let dir = root.join("target/e2e");
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let tools = Tools::install(root, &dir)?;

    let pool_log = dir.join("pool.log");
    let store_environment = store::pool_environment(COGNITO_PLAIN_PORT);
    let mut environment = vec![
        ("ALLOWED_DOMAINS", "example.com,example.org"),
        ("AUTO_CONFIRM_DOMAINS", "example.com"),
        ("CUSTOM_EMAIL", "true"),
        ("AWS_LAMBDA_LOG_FORMAT", "JSON"),
        ("AWS_LAMBDA_LOG_LEVEL", "DEBUG"),
    ];
    environment.extend(
        store_environment
            .iter()
            .map(|(name, value)| (*name, value.as_str())),
    );
    let started = Instant::now();
    let _watch = Watch::start(
        root,
        &store::POOL_WITH_STORE,
        WATCH_PORT,
        &pool_log,
        &environment,
    )?;
    println!("    pool ready after {} s", started.elapsed().as_secs());
    let _moto = Service::start(
        Command::new(&tools.moto_server).args(["-H", "127.0.0.1", "-p", &MOTO_PORT.to_string()]),
        &dir.join("moto.log"),
        MOTO_PORT,
    )?;
    store::seed(&tools)?;
    let moto = format!("http://127.0.0.1:{MOTO_PORT}");
    let (key_id, key_arn) = tools.create_key(&moto, "cognito custom sender")?;
    tools.aws(
        &moto,
        &[
            "kms",
            "create-alias",
            "--alias-name",
            "alias/cognito-e2e",
            "--target-key-id",
            &key_id,
        ],
    )?;
    let alias_arn = key_arn.replacen(&format!("key/{key_id}"), "alias/cognito-e2e", 1);
    // A key the senders function is not given, for the wrong-key flow.
    let (_, other_key_arn) = tools.create_key(&moto, "not the pool's key")?;
    tools.aws(
        &moto,
        &[
            "sesv2",
            "create-email-identity",
            "--email-identity",
            FROM_ADDRESS,
        ],
    )?;

    let senders_log = dir.join("senders.log");
    let started = Instant::now();
    let _senders = Watch::start(
        root,
        &watch::SENDERS,
        SENDERS_PORT,
        &senders_log,
        &[
            ("KEY_ARN", key_arn.as_str()),
            ("FROM_ADDRESS", FROM_ADDRESS),
            ("AWS_ENDPOINT_URL", moto.as_str()),
            ("AWS_REGION", "us-east-1"),
            ("AWS_ACCESS_KEY_ID", "local"),
            ("AWS_SECRET_ACCESS_KEY", "local"),
            ("AWS_EC2_METADATA_DISABLED", "true"),
            // cognito-local encrypts without the `userpool-id` context.
            ("ALLOW_MISSING_POOL_CONTEXT", "true"),
            ("AWS_LAMBDA_LOG_FORMAT", "JSON"),
            // Not DEBUG: the AWS SDK's own debug lines are not the function's to vouch for.
            ("AWS_LAMBDA_LOG_LEVEL", "INFO"),
        ],
    )?;
    println!("    senders ready after {} s", started.elapsed().as_secs());

    let listener = std::net::TcpListener::bind("127.0.0.1:0")
        .map_err(|e| format!("cannot listen for the relay: {e}"))?;
    let relay = Recorder::start(
        listener,
        ([127, 0, 0, 1], WATCH_PORT).into(),
        &[(watch::SENDERS.binary, ([127, 0, 0, 1], SENDERS_PORT).into())],
    )?;
    let relay_port = relay.address().port();

    let triggers = [
        "PreSignUp",
        "PostConfirmation",
        "PostAuthentication",
        "PreTokenGeneration",
        "UserMigration",
        "CustomMessage",
    ];
    let to_pool: Vec<(&str, &str)> = triggers.iter().map(|t| (*t, "pool")).collect();
    let plain = CognitoLocal::start(
        &tools,
        &dir.join("cognito-plain"),
        COGNITO_PLAIN_PORT,
        if record { relay_port } else { WATCH_PORT },
        &to_pool,
        None,
        Some(CODE),
    )?;
    let kms_config = json!({"KMSKeyId": key_arn, "KMSKeyAlias": alias_arn, "endpoint": moto, "region": "us-east-1",
        "credentials": {"accessKeyId": "local", "secretAccessKey": "local"}});
    let mut sender_triggers = to_pool.clone();
    sender_triggers.push(("CustomEmailSender", watch::SENDERS.binary));
    let sender = CognitoLocal::start(
        &tools,
        &dir.join("cognito-sender"),
        COGNITO_SENDER_PORT,
        relay_port,
        &sender_triggers,
        Some(kms_config),
        None,
    )?;

    let mut e2e = E2e {
        tools: &tools,
        pool_log,
        senders_log,
        moto,
        other_key_arn,
        dir: dir.clone(),
        flows: Vec::new(),
        pending: std::cell::RefCell::default(),
        deliveries: Vec::new(),
    };
    let (pool_id, client_id) = e2e.create_pool(&plain)?;
    e2e.create_default_group(&plain, &pool_id)?;
    e2e.flows_on_plain(&plain, &pool_id, &client_id);
    e2e.flows_on_store(&plain, &pool_id, &client_id);
    e2e.check_deliveries(&plain);
    let agreement = e2e.simulator_agrees(root, &dir, &triggers);
    e2e.flows
        .push(Flow::checked("test kit's simulated pool agrees", agreement));
    match e2e.create_pool(&sender) {
        Ok((pool_id, client_id)) => e2e.flows_on_sender(&sender, &pool_id, &client_id),
        Err(error) => e2e
            .flows
            .push(Flow::failed("custom email sender setup", error)),
    }
    e2e.wrong_key_flow();
    e2e.report()?;
    Ok(relay.events())
}

// ---------------------------------------------------------------------------------------
// Tools and services

/// The AWS CLI and moto's server (`aws`, `moto_server`), from PyPI into `target/tools/e2e`
/// when missing.
pub(crate) fn python_tools(root: &Path) -> Result<(PathBuf, PathBuf), String> {
    let venv = root.join("target/tools/e2e");
    // moto_server has no --version; its --help answers with success.
    let found = |name: &str, probe: &str| -> Option<PathBuf> {
        [venv.join("bin").join(name), PathBuf::from(name)]
            .into_iter()
            .find(|p| {
                Command::new(p)
                    .arg(probe)
                    .output()
                    .is_ok_and(|o| o.status.success())
            })
    };
    Ok(
        match (found("aws", "--version"), found("moto_server", "--help")) {
            (Some(aws), Some(moto)) => (aws, moto),
            _ => {
                println!(
                    "    installing awscli and moto[server] from PyPI into {}",
                    venv.display()
                );
                crate::exec(Command::new("python3").args(["-m", "venv"]).arg(&venv))?;
                crate::exec(Command::new(venv.join("bin/pip")).args([
                    "install",
                    "--quiet",
                    "awscli",
                    "moto[server]",
                ]))?;
                (venv.join("bin/aws"), venv.join("bin/moto_server"))
            }
        },
    )
}

/// The programs the flows need, installed when missing.
struct Tools {
    aws: PathBuf,
    moto_server: PathBuf,
    cognito_local: PathBuf,
    aws_config: PathBuf,
}

impl Tools {
    fn install(root: &Path, dir: &Path) -> Result<Self, String> {
        crate::watch::ensure_cargo_lambda(root)?;
        let (aws, moto_server) = python_tools(root)?;
        let npm_dir = dir.join("cognito-local");
        let cognito_local = npm_dir.join("node_modules/.bin/cognito-local");
        if !cognito_local.exists() {
            println!("    installing cognito-local {COGNITO_LOCAL_VERSION} from npm");
            std::fs::create_dir_all(&npm_dir).map_err(|e| e.to_string())?;
            crate::exec(
                Command::new("npm")
                    .args(["init", "-y"])
                    .current_dir(&npm_dir)
                    .stdout(Stdio::null()),
            )?;
            crate::exec(
                Command::new("npm")
                    .args(["install", "--no-audit", "--no-fund"])
                    .arg(format!("cognito-local@{COGNITO_LOCAL_VERSION}"))
                    .current_dir(&npm_dir),
            )?;
        }
        // awscli v1 would fetch any parameter that starts with http:// (callback URLs).
        let aws_config = dir.join("aws-config");
        std::fs::write(
            &aws_config,
            "[default]\nregion = us-east-1\ncli_follow_urlparam = false\n",
        )
        .map_err(|e| e.to_string())?;
        Ok(Self {
            aws,
            moto_server,
            cognito_local,
            aws_config,
        })
    }

    /// Creates a KMS key in moto: (key id, key ARN).
    fn create_key(&self, moto: &str, description: &str) -> Result<(String, String), String> {
        let key = self.aws(moto, &["kms", "create-key", "--description", description])?;
        let field = |name: &str| {
            key["KeyMetadata"][name]
                .as_str()
                .map(str::to_owned)
                .ok_or(format!("no KMS key {name}"))
        };
        Ok((field("KeyId")?, field("Arn")?))
    }

    /// Runs the AWS CLI against `endpoint`: its JSON output, or its error text.
    fn aws(&self, endpoint: &str, args: &[&str]) -> Result<Value, String> {
        let output = Command::new(&self.aws)
            .args(args)
            .args(["--endpoint-url", endpoint, "--output", "json"])
            .env("AWS_CONFIG_FILE", &self.aws_config)
            .env("AWS_ACCESS_KEY_ID", "local")
            .env("AWS_SECRET_ACCESS_KEY", "local")
            .env("AWS_DEFAULT_REGION", "us-east-1")
            .output()
            .map_err(|e| format!("cannot run aws: {e}"))?;
        if !output.status.success() {
            return Err(String::from_utf8_lossy(&output.stderr).trim().to_owned());
        }
        let text = String::from_utf8_lossy(&output.stdout);
        if text.trim().is_empty() {
            Ok(Value::Null)
        } else {
            serde_json::from_str(&text).map_err(|e| e.to_string())
        }
    }
}

/// A background process, stopped by PID when dropped.
pub(crate) struct Service {
    child: Child,
}

impl Service {
    pub(crate) fn start(command: &mut Command, log: &Path, port: u16) -> Result<Self, String> {
        let log = std::fs::File::create(log).map_err(|e| e.to_string())?;
        std::os::unix::process::CommandExt::process_group(command, 0);
        let child = command
            .stdin(Stdio::null())
            .stdout(log.try_clone().map_err(|e| e.to_string())?)
            .stderr(log)
            .spawn()
            .map_err(|e| format!("cannot start {command:?}: {e}"))?;
        let service = Self { child };
        let started = Instant::now();
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            if started.elapsed() > Duration::from_secs(60) {
                return Err(format!("nothing listens on port {port}"));
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        Ok(service)
    }
}

impl Drop for Service {
    fn drop(&mut self) {
        let group = format!("-{}", self.child.id());
        let _ = Command::new("kill").args(["-TERM", "--", &group]).status();
        let _ = self.child.wait();
    }
}

/// One cognito-local instance, with its own configuration and database.
struct CognitoLocal {
    endpoint: String,
    log: PathBuf,
    _service: Service,
}

impl CognitoLocal {
    /// Starts cognito-local on `port`, invoking the Lambda Invoke API on `lambda_port`:
    /// `triggers` are (trigger, function) pairs; with no `code`, its codes are random.
    fn start(
        tools: &Tools,
        dir: &Path,
        port: u16,
        lambda_port: u16,
        triggers: &[(&str, &str)],
        kms: Option<Value>,
        code: Option<&str>,
    ) -> Result<Self, String> {
        let _ = std::fs::remove_dir_all(dir);
        std::fs::create_dir_all(dir.join(".cognito")).map_err(|e| e.to_string())?;
        let functions: serde_json::Map<String, Value> = triggers
            .iter()
            .map(|(trigger, function)| ((*trigger).to_owned(), json!(function)))
            .collect();
        let mut config = json!({
            "LambdaClient": {"endpoint": format!("http://127.0.0.1:{lambda_port}"), "region": "us-east-1", "maxRetries": 0,
                "credentials": {"accessKeyId": "local", "secretAccessKey": "local"}},
            "TriggerFunctions": functions,
        });
        if let Some(kms) = kms {
            config["KMSConfig"] = kms;
        }
        std::fs::write(dir.join(".cognito/config.json"), config.to_string())
            .map_err(|e| e.to_string())?;
        let log = dir.join("cognito-local.log");
        let mut command = Command::new(&tools.cognito_local);
        command
            .current_dir(dir)
            .env("HOST", "127.0.0.1")
            .env("PORT", port.to_string())
            // Its debug level would log each code before it encrypts it.
            .env_remove("DEBUG");
        match code {
            Some(code) => command.env("CODE", code),
            None => command.env_remove("CODE"),
        };
        let service = Service::start(&mut command, &log, port)?;
        Ok(Self {
            endpoint: format!("http://127.0.0.1:{port}"),
            log,
            _service: service,
        })
    }

    /// Everything cognito-local delivered so far, without its boxes and with whitespace
    /// collapsed (it draws each delivery in a box that wraps long lines).
    ///
    /// Its log reaches the file late (an asynchronous pretty-printer), so first it is made to
    /// log more: requests that fail are logged (successes are not).
    fn deliveries(&self, tools: &Tools) -> String {
        for _ in 0..30 {
            let _ = tools.aws(
                &self.endpoint,
                &[
                    "cognito-idp",
                    "admin-get-user",
                    "--user-pool-id",
                    "local_NoSuchPool",
                    "--username",
                    "nobody",
                ],
            );
        }
        std::thread::sleep(Duration::from_millis(500));
        let log = std::fs::read_to_string(&self.log).unwrap_or_default();
        normalize(&log)
    }
}

/// Text without cognito-local's box drawing, whitespace collapsed.
fn normalize(text: &str) -> String {
    let unboxed: String = text.chars().filter(|c| !"│╭╮╰╯─".contains(*c)).collect();
    unboxed.split_whitespace().collect::<Vec<_>>().join(" ")
}

// ---------------------------------------------------------------------------------------
// Logs

/// How long a log is now: where to read what comes next.
fn log_length(log: &Path) -> u64 {
    std::fs::metadata(log).map(|m| m.len()).unwrap_or(0)
}

/// What a function logged after `offset`.
fn log_since(log: &Path, offset: u64) -> String {
    let mut text = String::new();
    if let Ok(mut file) = std::fs::File::open(log) {
        let _ = file.seek(SeekFrom::Start(offset));
        let _ = file.read_to_string(&mut text);
    }
    text
}

/// The triggerSources of the invocations a function logged after `offset`.
fn sources_since(log: &Path, offset: u64) -> BTreeSet<String> {
    log_since(log, offset)
        .lines()
        .filter_map(|line| serde_json::from_str::<Value>(line.get(line.find('{')?..)?).ok())
        .filter_map(|line| line["span"]["trigger_source"].as_str().map(str::to_owned))
        .collect()
}

/// Whether `log` shows `secret`. A secret of digits only counts where it stands alone: not
/// inside a longer number, nor as the fraction of a timestamp's seconds.
fn shows(log: &str, secret: &str) -> bool {
    if !secret.bytes().all(|b| b.is_ascii_digit()) {
        return log.contains(secret);
    }
    log.match_indices(secret).any(|(at, _)| {
        let before = log[..at].chars().next_back();
        let after = log[at + secret.len()..].chars().next();
        !before.is_some_and(|c| c.is_ascii_digit() || c == '.')
            && !after.is_some_and(|c| c.is_ascii_digit())
    })
}

/// The code of `digits` digits that follows `marker` in a mail. Errors never show the mail
/// or the code.
fn code_after(body: &str, marker: &str, digits: usize) -> Result<String, String> {
    let (_, rest) = body
        .split_once(marker)
        .ok_or(format!("the mail has no `{marker}`"))?;
    let code: String = rest.chars().take_while(char::is_ascii_digit).collect();
    expect(
        code.len() == digits,
        format!("no {digits}-digit code after `{marker}` in the mail"),
    )?;
    Ok(code)
}

// ---------------------------------------------------------------------------------------
// Flows

struct Flow {
    name: &'static str,
    outcome: Result<(), String>,
    sources: BTreeSet<String>,
}

impl Flow {
    fn failed(name: &'static str, error: String) -> Self {
        Self::checked(name, Err(error))
    }

    /// A check that is not a flow of its own: no trigger sources.
    fn checked(name: &'static str, outcome: Result<(), String>) -> Self {
        Self {
            name,
            outcome,
            sources: BTreeSet::new(),
        }
    }
}

struct E2e<'t> {
    tools: &'t Tools,
    pool_log: PathBuf,
    /// The senders function's log (`cargo lambda watch` and the function).
    senders_log: PathBuf,
    /// moto_server: KMS, and SES's mailbox.
    moto: String,
    /// A KMS key the senders function is not given.
    other_key_arn: String,
    /// `target/e2e`.
    dir: PathBuf,
    flows: Vec<Flow>,
    /// Message texts the running flow expects cognito-local to deliver.
    pending: std::cell::RefCell<Vec<String>>,
    /// (flow index, text): every delivery expected so far, checked at the end.
    deliveries: Vec<(usize, String)>,
}

/// A client-observable check.
fn expect(condition: bool, what: impl std::fmt::Display) -> Result<(), String> {
    if condition {
        Ok(())
    } else {
        Err(what.to_string())
    }
}

impl E2e<'_> {
    /// Runs one flow, recording its outcome and the trigger sources the functions answered.
    fn flow(
        &mut self,
        name: &'static str,
        expected: &[&str],
        body: impl FnOnce(&Self) -> Result<(), String>,
    ) {
        let offsets = (log_length(&self.pool_log), log_length(&self.senders_log));
        let mut outcome = body(self);
        let mut sources = sources_since(&self.pool_log, offsets.0);
        sources.extend(sources_since(&self.senders_log, offsets.1));
        if outcome.is_ok()
            && let Some(missing) = expected.iter().find(|s| !sources.contains(**s))
        {
            outcome = Err(format!("no function handled {missing}"));
        }
        let index = self.flows.len();
        let expected_deliveries = self.pending.take();
        self.deliveries
            .extend(expected_deliveries.into_iter().map(|text| (index, text)));
        println!(
            "    {:<44} {}",
            name,
            if outcome.is_ok() { "pass" } else { "FAIL" }
        );
        self.flows.push(Flow {
            name,
            outcome,
            sources,
        });
    }

    /// Notes that cognito-local must deliver a message containing `text` (checked at the
    /// end of the run, see `CognitoLocal::deliveries`).
    fn expect_delivery(&self, text: &str) {
        self.pending.borrow_mut().push(text.to_owned());
    }

    /// Fails the flows whose expected messages cognito-local did not deliver.
    fn check_deliveries(&mut self, cognito: &CognitoLocal) {
        let delivered = cognito.deliveries(self.tools);
        for (index, text) in std::mem::take(&mut self.deliveries) {
            let flow = &mut self.flows[index];
            if flow.outcome.is_ok() && !delivered.contains(&normalize(&text)) {
                flow.outcome = Err(format!("cognito-local did not deliver our text `{text}`"));
            }
        }
    }

    /// The client's call failed with `client_error`, and the pool logged, after `offset`,
    /// that its handler rejected it with `rejection` (not that anything else failed).
    fn refused_by_pool(
        &self,
        outcome: &Result<Value, String>,
        client_error: &str,
        offset: u64,
        rejection: &str,
    ) -> Result<(), String> {
        expect(
            outcome.as_ref().is_err_and(|m| m.contains(client_error)),
            format!("not refused with {client_error}: {outcome:?}"),
        )?;
        expect(
            log_since(&self.pool_log, offset).contains(&format!("rejected: {rejection}")),
            format!("the pool did not log its rejection `{rejection}`"),
        )
    }

    fn aws(&self, cognito: &CognitoLocal, args: &[&str]) -> Result<Value, String> {
        self.tools.aws(&cognito.endpoint, args)
    }

    fn create_pool(&self, cognito: &CognitoLocal) -> Result<(String, String), String> {
        let pool = self.aws(
            cognito,
            &[
                "cognito-idp",
                "create-user-pool",
                "--pool-name",
                "e2e",
                "--auto-verified-attributes",
                "email",
                "--schema",
                "Name=tier,AttributeDataType=String",
                "Name=internal_notes,AttributeDataType=String",
            ],
        )?;
        let pool_id = pool["UserPool"]["Id"]
            .as_str()
            .ok_or("no pool id")?
            .to_owned();
        let client = self.aws(
            cognito,
            &[
                "cognito-idp",
                "create-user-pool-client",
                "--user-pool-id",
                &pool_id,
                "--client-name",
                "app",
                "--explicit-auth-flows",
                "ALLOW_USER_PASSWORD_AUTH",
                "ALLOW_REFRESH_TOKEN_AUTH",
                "--callback-urls",
                "http://localhost/callback",
                "--allowed-o-auth-flows",
                "code",
                "--allowed-o-auth-scopes",
                "openid",
                "email",
                "--allowed-o-auth-flows-user-pool-client",
            ],
        )?;
        let client_id = client["UserPoolClient"]["ClientId"]
            .as_str()
            .ok_or("no client id")?
            .to_owned();
        Ok((pool_id, client_id))
    }

    fn sign_up(
        &self,
        cognito: &CognitoLocal,
        client: &str,
        email: &str,
        extra: &[&str],
    ) -> Result<Value, String> {
        let email_attribute = format!("Name=email,Value={email}");
        let mut args = vec![
            "cognito-idp",
            "sign-up",
            "--client-id",
            client,
            "--username",
            email,
            "--password",
            "Passw0rd!e2e",
            "--user-attributes",
            &email_attribute,
        ];
        args.extend_from_slice(extra);
        self.aws(cognito, &args)
    }

    /// What `admin-get-user` says of `username`.
    fn admin_get_user(
        &self,
        cognito: &CognitoLocal,
        pool: &str,
        username: &str,
    ) -> Result<Value, String> {
        self.aws(
            cognito,
            &[
                "cognito-idp",
                "admin-get-user",
                "--user-pool-id",
                pool,
                "--username",
                username,
            ],
        )
    }

    fn status(&self, cognito: &CognitoLocal, pool: &str, username: &str) -> Result<String, String> {
        let user = self.admin_get_user(cognito, pool, username)?;
        Ok(user["UserStatus"].as_str().unwrap_or_default().to_owned())
    }

    fn password_sign_in(
        &self,
        cognito: &CognitoLocal,
        client: &str,
        username: &str,
        password: &str,
    ) -> Result<Value, String> {
        let parameters = format!("USERNAME={username},PASSWORD={password}");
        self.aws(
            cognito,
            &[
                "cognito-idp",
                "initiate-auth",
                "--client-id",
                client,
                "--auth-flow",
                "USER_PASSWORD_AUTH",
                "--auth-parameters",
                &parameters,
            ],
        )
    }

    fn flows_on_plain(&mut self, plain: &CognitoLocal, pool: &str, client: &str) {
        self.flow(
            "sign-up, auto-confirmed by pre sign-up",
            &["PreSignUp_SignUp"],
            |e| {
                e.sign_up(
                    plain,
                    client,
                    "ada@example.com",
                    &["Name=custom:internal_notes,Value=vip"],
                )?;
                let status = e.status(plain, pool, "ada@example.com")?;
                expect(
                    status == "CONFIRMED",
                    format!("ada is {status}, not CONFIRMED"),
                )?;
                let sub = e.sub_of(plain, pool, "ada@example.com")?;
                expect(
                    e.profile(&sub)?.is_some(),
                    "no profile for ada in the users table",
                )
            },
        );
        self.flow(
            "sign-up, then confirmed with the code",
            &[
                "PreSignUp_SignUp",
                "CustomMessage_SignUp",
                "PostConfirmation_ConfirmSignUp",
            ],
            |e| {
                let offset = log_length(&e.pool_log);
                e.sign_up(plain, client, "bob@example.org", &[])?;
                let status = e.status(plain, pool, "bob@example.org")?;
                expect(
                    status == "UNCONFIRMED",
                    format!("bob is {status}, not UNCONFIRMED"),
                )?;
                e.expect_delivery(&format!("Welcome! Your confirmation code is {CODE}."));
                e.aws(
                    plain,
                    &[
                        "cognito-idp",
                        "confirm-sign-up",
                        "--client-id",
                        client,
                        "--username",
                        "bob@example.org",
                        "--confirmation-code",
                        CODE,
                    ],
                )?;
                let status = e.status(plain, pool, "bob@example.org")?;
                expect(
                    status == "CONFIRMED",
                    format!("bob is {status} after confirming"),
                )?;
                let sub = e.sub_of(plain, pool, "bob@example.org")?;
                let profile = e.profile(&sub)?.ok_or("no profile for bob")?;
                expect(
                    profile["email"]["S"] == "bob@example.org"
                        && profile["tier"]["S"] == "free"
                        && profile.get("tenant").is_none(),
                    format!("bob's profile: {profile}"),
                )?;
                expect(
                    !log_since(&e.pool_log, offset).contains("not added to the default group"),
                    "the pool could not add bob to the default group",
                )?;
                let groups = e.groups_of(plain, pool, &sub)?;
                expect(
                    groups == [store::DEFAULT_GROUP],
                    format!("bob's groups: {groups:?}"),
                )
            },
        );
        self.flow(
            "sign-up rejected by pre sign-up",
            &["PreSignUp_SignUp"],
            |e| {
                let offset = log_length(&e.pool_log);
                let refused = e.sign_up(plain, client, "eve@evil.test", &[]);
                // cognito-local reports every trigger failure this way; Cognito would show the text.
                e.refused_by_pool(
                    &refused,
                    "UnexpectedLambdaException",
                    offset,
                    "Sign-up is open to company addresses only.",
                )?;
                let lookup = e.status(plain, pool, "eve@evil.test");
                expect(
                    lookup
                        .as_ref()
                        .is_err_and(|m| m.contains("UserNotFoundException")),
                    format!("eve exists: {lookup:?}"),
                )
            },
        );
        self.flow(
            "password sign-in: claims added and suppressed",
            &[
                "TokenGeneration_Authentication",
                "PostAuthentication_Authentication",
            ],
            |e| {
                let auth = e.password_sign_in(plain, client, "ada@example.com", "Passw0rd!e2e")?;
                let claims = jwt_claims(&auth["AuthenticationResult"]["IdToken"])?;
                // The profile post confirmation wrote: the free tier, no tenant yet.
                expect(
                    claims["tier"] == "free" && claims.get("tenant").is_none(),
                    format!("not the stored entitlements: {claims}"),
                )?;
                expect(
                    claims.get("custom:internal_notes").is_none(),
                    format!("custom:internal_notes not suppressed: {claims}"),
                )?;
                expect(
                    claims["email"] == "ada@example.com",
                    format!("email claim missing: {claims}"),
                )
            },
        );
        self.flow(
            "entitlements changed in the store, then refresh",
            &[
                "TokenGeneration_Authentication",
                "TokenGeneration_RefreshTokens",
            ],
            |e| {
                let sub = e.sub_of(plain, pool, "ada@example.com")?;
                e.set_entitlements(&sub, "gold", "acme", &["editor"])?;
                let auth = e.password_sign_in(plain, client, "ada@example.com", "Passw0rd!e2e")?;
                let claims = jwt_claims(&auth["AuthenticationResult"]["IdToken"])?;
                expect(
                    claims["tier"] == "gold"
                        && claims["tenant"] == "acme"
                        && claims["roles"] == "editor",
                    format!("the change did not reach the token: {claims}"),
                )?;
                let token = auth["AuthenticationResult"]["RefreshToken"]
                    .as_str()
                    .ok_or("no refresh token")?
                    .to_owned();
                let parameters = format!("REFRESH_TOKEN={token}");
                let refreshed = e.aws(
                    plain,
                    &[
                        "cognito-idp",
                        "initiate-auth",
                        "--client-id",
                        client,
                        "--auth-flow",
                        "REFRESH_TOKEN_AUTH",
                        "--auth-parameters",
                        &parameters,
                    ],
                )?;
                let claims = jwt_claims(&refreshed["AuthenticationResult"]["IdToken"])?;
                expect(
                    claims["tier"] == "gold",
                    format!("no tier claim after refresh: {claims}"),
                )
            },
        );
        self.flow(
            "admin create user, new password challenge",
            &["CustomMessage_AdminCreateUser"],
            |e| {
                e.aws(
                    plain,
                    &[
                        "cognito-idp",
                        "admin-create-user",
                        "--user-pool-id",
                        pool,
                        "--username",
                        "frank@example.com",
                        "--temporary-password",
                        "Temp0rary!pw",
                        "--user-attributes",
                        "Name=email,Value=frank@example.com",
                        "--desired-delivery-mediums",
                        "EMAIL",
                    ],
                )?;
                e.expect_delivery("with the temporary password");
                let challenge =
                    e.password_sign_in(plain, client, "frank@example.com", "Temp0rary!pw")?;
                expect(
                    challenge["ChallengeName"] == "NEW_PASSWORD_REQUIRED",
                    format!("no new-password challenge: {challenge}"),
                )?;
                let session = challenge["Session"].as_str().unwrap_or_default();
                let responses = "USERNAME=frank@example.com,NEW_PASSWORD=Perm4nent!pw".to_owned();
                let mut args = vec![
                    "cognito-idp",
                    "respond-to-auth-challenge",
                    "--client-id",
                    client,
                    "--challenge-name",
                    "NEW_PASSWORD_REQUIRED",
                    "--challenge-responses",
                    &responses,
                ];
                if !session.is_empty() {
                    args.extend_from_slice(&["--session", session]);
                }
                let answered = e.aws(plain, &args)?;
                expect(
                    answered["AuthenticationResult"]["IdToken"].is_string(),
                    format!("no tokens after the new password: {answered}"),
                )
            },
        );
        self.flow(
            "forgot password",
            &[
                "CustomMessage_ForgotPassword",
                "PostConfirmation_ConfirmForgotPassword",
            ],
            |e| {
                e.aws(
                    plain,
                    &[
                        "cognito-idp",
                        "forgot-password",
                        "--client-id",
                        client,
                        "--username",
                        "bob@example.org",
                    ],
                )?;
                e.expect_delivery(&format!("Your password reset code is {CODE}."));
                e.aws(
                    plain,
                    &[
                        "cognito-idp",
                        "confirm-forgot-password",
                        "--client-id",
                        client,
                        "--username",
                        "bob@example.org",
                        "--confirmation-code",
                        CODE,
                        "--password",
                        "N3wPassw0rd!",
                    ],
                )?;
                e.password_sign_in(plain, client, "bob@example.org", "N3wPassw0rd!")
                    .map(drop)
            },
        );
        self.flow(
            "attribute update and verification",
            &[
                "CustomMessage_UpdateUserAttribute",
                "CustomMessage_VerifyUserAttribute",
            ],
            |e| {
                let auth = e.password_sign_in(plain, client, "ada@example.com", "Passw0rd!e2e")?;
                let access = auth["AuthenticationResult"]["AccessToken"]
                    .as_str()
                    .ok_or("no access token")?
                    .to_owned();
                e.aws(
                    plain,
                    &[
                        "cognito-idp",
                        "update-user-attributes",
                        "--access-token",
                        &access,
                        "--user-attributes",
                        "Name=custom:tier,Value=platinum",
                        "Name=email,Value=ada.new@example.com",
                    ],
                )?;
                e.aws(
                    plain,
                    &[
                        "cognito-idp",
                        "get-user-attribute-verification-code",
                        "--access-token",
                        &access,
                        "--attribute-name",
                        "email",
                    ],
                )?;
                e.expect_delivery(&format!("Your verification code is {CODE}."));
                e.aws(
                    plain,
                    &[
                        "cognito-idp",
                        "verify-user-attribute",
                        "--access-token",
                        &access,
                        "--attribute-name",
                        "email",
                        "--code",
                        CODE,
                    ],
                )
                .map(drop)
            },
        );
        self.flow(
            "migration refuses a wrong legacy password",
            &["UserMigration_Authentication"],
            |e| {
                let (username, password) = store::LEGACY_USER;
                let offset = log_length(&e.pool_log);
                let refused = e.password_sign_in(plain, client, username, &password.to_lowercase());
                // cognito-local reports any migration failure this way: the pool's log says
                // it was the password, not a store that failed.
                e.refused_by_pool(
                    &refused,
                    "NotAuthorizedException",
                    offset,
                    "Incorrect username or password",
                )?;
                let lookup = e.status(plain, pool, username);
                expect(
                    lookup
                        .as_ref()
                        .is_err_and(|m| m.contains("UserNotFoundException")),
                    format!("carol was created: {lookup:?}"),
                )
            },
        );
        self.flow(
            "unknown user migrated at sign-in",
            &["UserMigration_Authentication"],
            |e| {
                let auth = e.password_sign_in(plain, client, "carol@example.com", "Migr4ted!pw")?;
                expect(
                    auth["AuthenticationResult"]["IdToken"].is_string(),
                    format!("no tokens for the migrated user: {auth}"),
                )?;
                let status = e.status(plain, pool, "carol@example.com")?;
                expect(status == "CONFIRMED", format!("carol is {status}"))
            },
        );
        self.flow(
            "migrated user signs in without migration",
            &["TokenGeneration_Authentication"],
            |e| {
                let offset = log_length(&e.pool_log);
                e.password_sign_in(plain, client, "carol@example.com", "Migr4ted!pw")?;
                let again = sources_since(&e.pool_log, offset);
                expect(
                    !again.iter().any(|s| s.starts_with("UserMigration_")),
                    format!("migration ran again: {again:?}"),
                )
            },
        );
        self.flow(
            "managed login: code and refresh grants",
            &[
                "TokenGeneration_HostedAuth",
                "TokenGeneration_RefreshTokens",
            ],
            |_| managed_login(&plain.endpoint, client, "bob@example.org", "N3wPassw0rd!").map(drop),
        );
    }

    /// The messages moto's SES sent so far, oldest first.
    fn mailbox(&self) -> Result<Vec<Value>, String> {
        let mut response = watch::agent(Duration::from_secs(30))
            .get(&format!("{}/moto-api/data.json", self.moto))
            .call()
            .map_err(|e| format!("cannot read moto's mailbox: {e}"))?;
        let data: Value = response
            .body_mut()
            .read_json()
            .map_err(|e| format!("cannot read moto's mailbox: {e}"))?;
        Ok(data["ses"]["Message"]
            .as_array()
            .cloned()
            .unwrap_or_default())
    }

    /// Runs `action`, which must make the senders function send exactly one mail, from
    /// [`FROM_ADDRESS`] to `to`: its body. (cognito-local waits for the function, which
    /// waits for SES.)
    fn one_mail(
        &self,
        to: &str,
        action: impl FnOnce() -> Result<(), String>,
    ) -> Result<String, String> {
        let before = self.mailbox()?.len();
        action()?;
        let mails = self.mailbox()?;
        let new = mails.get(before..).unwrap_or_default();
        let [mail] = new else {
            return Err(format!("{} mails sent, not one", new.len()));
        };
        let address = mail["destinations"]["ToAddresses"][0]
            .as_str()
            .unwrap_or_default();
        expect(
            address == to,
            format!("the mail went to {address}, not {to}"),
        )?;
        expect(
            mail["source"] == FROM_ADDRESS,
            format!("the mail came from {}", mail["source"]),
        )?;
        Ok(mail["body"].as_str().unwrap_or_default().to_owned())
    }

    /// Fails when the senders' log (after `offset`) shows one of `secrets`.
    fn senders_log_keeps(&self, offset: u64, secrets: &[&str]) -> Result<(), String> {
        let log = log_since(&self.senders_log, offset);
        expect(
            !secrets.iter().any(|secret| shows(&log, secret)),
            format!(
                "the senders' log shows a code or password (see {})",
                self.senders_log.display()
            ),
        )
    }

    fn flows_on_sender(&mut self, sender: &CognitoLocal, pool: &str, client: &str) {
        self.flow(
            "email sender: sign-up, mailed code confirms",
            &["CustomEmailSender_SignUp", "PostConfirmation_ConfirmSignUp"],
            |e| {
                let offset = log_length(&e.senders_log);
                let mail = e.one_mail("erin@example.org", || {
                    e.sign_up(sender, client, "erin@example.org", &[]).map(drop)
                })?;
                let code = code_after(&mail, "Your confirmation code is ", 6)?;
                e.senders_log_keeps(offset, &[code.as_str()])?;
                let status = e.status(sender, pool, "erin@example.org")?;
                expect(
                    status == "UNCONFIRMED",
                    format!("erin is {status} before confirming"),
                )?;
                e.aws(
                    sender,
                    &[
                        "cognito-idp",
                        "confirm-sign-up",
                        "--client-id",
                        client,
                        "--username",
                        "erin@example.org",
                        "--confirmation-code",
                        &code,
                    ],
                )?;
                let status = e.status(sender, pool, "erin@example.org")?;
                expect(
                    status == "CONFIRMED",
                    format!("erin is {status} after confirming with the mailed code"),
                )
            },
        );
        self.flow(
            "email sender: password reset, mailed code",
            &[
                "CustomEmailSender_ForgotPassword",
                "PostConfirmation_ConfirmForgotPassword",
            ],
            |e| {
                // Independent of the flow before: erin is confirmed either way.
                if e.status(sender, pool, "erin@example.org")? != "CONFIRMED" {
                    e.aws(
                        sender,
                        &[
                            "cognito-idp",
                            "admin-confirm-sign-up",
                            "--user-pool-id",
                            pool,
                            "--username",
                            "erin@example.org",
                        ],
                    )?;
                }
                let offset = log_length(&e.senders_log);
                let mail = e.one_mail("erin@example.org", || {
                    e.aws(
                        sender,
                        &[
                            "cognito-idp",
                            "forgot-password",
                            "--client-id",
                            client,
                            "--username",
                            "erin@example.org",
                        ],
                    )
                    .map(drop)
                })?;
                let code = code_after(&mail, "Your password reset code is ", 6)?;
                e.senders_log_keeps(offset, &[code.as_str()])?;
                e.aws(
                    sender,
                    &[
                        "cognito-idp",
                        "confirm-forgot-password",
                        "--client-id",
                        client,
                        "--username",
                        "erin@example.org",
                        "--confirmation-code",
                        &code,
                        "--password",
                        "R3setPassw0rd!",
                    ],
                )?;
                let new =
                    e.password_sign_in(sender, client, "erin@example.org", "R3setPassw0rd!")?;
                expect(
                    new["AuthenticationResult"]["IdToken"].is_string(),
                    "the new password gave no tokens",
                )?;
                // Cognito refuses it with NotAuthorizedException, cognito-local 5.3.0 with
                // InvalidPasswordException.
                let old = e.password_sign_in(sender, client, "erin@example.org", "Passw0rd!e2e");
                expect(
                    old.as_ref().is_err_and(|m| {
                        m.contains("NotAuthorizedException")
                            || m.contains("InvalidPasswordException")
                    }),
                    match &old {
                        Ok(_) => "the old password still signs in".to_owned(),
                        Err(m) => format!("the old password is refused otherwise: {m}"),
                    },
                )
            },
        );
        self.flow(
            "email sender: mailed temporary password",
            &["CustomEmailSender_AdminCreateUser"],
            |e| {
                // cognito-local encrypts the temporary password as given, where Cognito
                // HTML-escapes it first (and the decryptor unescapes it): `&` and `<` here
                // are not entities, so unescaping leaves them as they are.
                let temporary = "Tmp&Pw<1a!";
                let offset = log_length(&e.senders_log);
                let mail = e.one_mail("grace@example.com", || {
                    e.aws(
                        sender,
                        &[
                            "cognito-idp",
                            "admin-create-user",
                            "--user-pool-id",
                            pool,
                            "--username",
                            "grace@example.com",
                            "--temporary-password",
                            temporary,
                            "--user-attributes",
                            "Name=email,Value=grace@example.com",
                            "--desired-delivery-mediums",
                            "EMAIL",
                        ],
                    )
                    .map(drop)
                })?;
                e.senders_log_keeps(offset, &[temporary])?;
                let (_, mailed) = mail
                    .split_once("with the temporary password ")
                    .ok_or("the mail gives no temporary password")?;
                let mailed = mailed.trim();
                expect(
                    mailed == temporary,
                    "the mailed temporary password is not the one given",
                )?;
                let challenge = e.password_sign_in(sender, client, "grace@example.com", mailed)?;
                expect(
                    challenge["ChallengeName"] == "NEW_PASSWORD_REQUIRED",
                    format!(
                        "the mailed temporary password led to no new-password challenge: {}",
                        challenge["ChallengeName"]
                    ),
                )
            },
        );
        self.flow(
            "email sender: attribute verified by mail",
            &[
                "CustomEmailSender_UpdateUserAttribute",
                "CustomEmailSender_VerifyUserAttribute",
            ],
            |e| {
                // Pre sign-up confirms heidi (example.com); cognito-local mails a sign-up
                // code anyway.
                e.one_mail("heidi@example.com", || {
                    e.sign_up(sender, client, "heidi@example.com", &[])
                        .map(drop)
                })?;
                let auth =
                    e.password_sign_in(sender, client, "heidi@example.com", "Passw0rd!e2e")?;
                let access = auth["AuthenticationResult"]["AccessToken"]
                    .as_str()
                    .ok_or("no access token")?
                    .to_owned();
                let offset = log_length(&e.senders_log);
                let updated = e.one_mail("heidi.new@example.com", || {
                    e.aws(
                        sender,
                        &[
                            "cognito-idp",
                            "update-user-attributes",
                            "--access-token",
                            &access,
                            "--user-attributes",
                            "Name=email,Value=heidi.new@example.com",
                        ],
                    )
                    .map(drop)
                })?;
                let first = code_after(&updated, "Your verification code is ", 6)?;
                let mail = e.one_mail("heidi.new@example.com", || {
                    e.aws(
                        sender,
                        &[
                            "cognito-idp",
                            "get-user-attribute-verification-code",
                            "--access-token",
                            &access,
                            "--attribute-name",
                            "email",
                        ],
                    )
                    .map(drop)
                })?;
                let code = code_after(&mail, "Your verification code is ", 6)?;
                e.senders_log_keeps(offset, &[first.as_str(), code.as_str()])?;
                e.aws(
                    sender,
                    &[
                        "cognito-idp",
                        "verify-user-attribute",
                        "--access-token",
                        &access,
                        "--attribute-name",
                        "email",
                        "--code",
                        &code,
                    ],
                )?;
                // As heidi sees herself (cognito-local's admin lookup by that username fails
                // once the email attribute changed).
                let user = e.aws(
                    sender,
                    &["cognito-idp", "get-user", "--access-token", &access],
                )?;
                let verified = user["UserAttributes"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .any(|a| a["Name"] == "email_verified" && a["Value"] == "true");
                expect(verified, "email_verified is not true after verifying")
            },
        );
    }

    /// The senders function given a code encrypted under a key that is not its own,
    /// invoked directly through the Invoke API (as cognito-local would, which swallows the
    /// answer): an internal error, no mail, and a log that says why without the code.
    fn wrong_key_flow(&mut self) {
        self.flow(
            "email sender: wrong key, internal error",
            &["CustomEmailSender_SignUp"],
            |e| {
                let nanos = std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map(|d| d.subsec_nanos())
                    .unwrap_or_default();
                let plaintext = format!("{:06}", nanos % 1_000_000);
                let encrypted = e.encrypt(&e.other_key_arn, &plaintext)?;
                let event = json!({
                    "version": "1", "triggerSource": "CustomEmailSender_SignUp",
                    "region": "us-east-1", "userPoolId": "local_WrongKey", "userName": "mallory",
                    "callerContext": {"awsSdkVersion": "aws-sdk-unknown-unknown", "clientId": "client"},
                    "request": {"type": "customEmailSenderRequestV1", "code": encrypted,
                        "userAttributes": {"email": "mallory@example.com"}, "clientMetadata": null},
                    "response": {}
                });
                let offset = log_length(&e.senders_log);
                let before = e.mailbox()?.len();
                let (status, body) = watch::invoke(
                    &watch::agent(Duration::from_secs(60)),
                    &format!("http://127.0.0.1:{SENDERS_PORT}"),
                    watch::SENDERS.binary,
                    event.to_string().as_bytes(),
                )?;
                let answer: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
                // cargo lambda watch answers a function error with 500 (Lambda: 200 and
                // `X-Amz-Function-Error`).
                expect(
                    status == 500 && answer["errorType"] == "InternalError",
                    format!("answered {status} {}", answer["errorType"]),
                )?;
                expect(
                    answer["errorMessage"]
                        .as_str()
                        .is_some_and(|m| m.starts_with("An internal error occurred")),
                    format!("the error message says more: {}", answer["errorMessage"]),
                )?;
                expect(
                    !shows(&String::from_utf8_lossy(&body), &plaintext),
                    "the answer shows the code",
                )?;
                expect(e.mailbox()?.len() == before, "a mail was sent")?;
                let log = log_since(&e.senders_log, offset);
                expect(
                    log.contains("internal failure") && log.contains(&e.other_key_arn),
                    "the senders' log does not say the code was encrypted under another key",
                )?;
                e.senders_log_keeps(offset, &[plaintext.as_str(), encrypted.as_str()])
            },
        );
    }

    /// `plaintext` encrypted under `key_arn` as cognito-local encrypts a custom sender's code
    /// (its own `CryptoService`, with moto's KMS), base64.
    fn encrypt(&self, key_arn: &str, plaintext: &str) -> Result<String, String> {
        let npm_dir = self.dir.join("cognito-local");
        let script = npm_dir.join("encrypt-code.js");
        std::fs::write(&script, ENCRYPT_SCRIPT).map_err(|e| e.to_string())?;
        let mut child = Command::new("node")
            .arg(&script)
            .args([key_arn, &self.moto])
            .current_dir(&npm_dir)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("cannot run node: {e}"))?;
        // On stdin: a command line is visible to every process.
        if let Some(mut stdin) = child.stdin.take() {
            std::io::Write::write_all(&mut stdin, plaintext.as_bytes())
                .map_err(|e| e.to_string())?;
        }
        let output = child.wait_with_output().map_err(|e| e.to_string())?;
        let encrypted = String::from_utf8_lossy(&output.stdout).trim().to_owned();
        expect(
            output.status.success() && !encrypted.is_empty(),
            format!(
                "cognito-local's CryptoService did not encrypt ({})",
                output.status
            ),
        )?;
        Ok(encrypted)
    }

    /// Where cognito-local 5.3.0 departs from Cognito's contract, and the simulated pool
    /// follows the contract: (flow, triggerSource, sent by cognito-local only?, why). Any
    /// other difference fails the comparison, and so does a listed one that went away.
    const COGNITO_LOCAL_DEVIATIONS: &'static [(&'static str, &'static str, bool, &'static str)] = &[
        (
            "sign-up, auto-confirmed by pre sign-up",
            "CustomMessage_SignUp",
            true,
            "cognito-local sends a confirmation code to a user pre sign-up confirmed; Cognito sends none",
        ),
        (
            "admin create user, new password challenge",
            "PreSignUp_AdminCreateUser",
            false,
            "cognito-local does not run pre sign-up for AdminCreateUser (contract §7)",
        ),
        (
            "admin create user, new password challenge",
            "TokenGeneration_Authentication",
            true,
            "cognito-local answers the new-password challenge as a plain authentication",
        ),
        (
            "admin create user, new password challenge",
            "TokenGeneration_NewPasswordChallenge",
            false,
            "Cognito's source for the tokens after the new-password challenge (contract §12.2)",
        ),
    ];

    /// Runs the same flows through the test kit's simulated user pool
    /// (`examples/tests/flows.rs`) and compares, flow by flow, the outcome and the
    /// trigger sources the pool was given, restricted to the triggers cognito-local is
    /// configured with (`configured`, `LambdaConfig` keys).
    fn simulator_agrees(&self, root: &Path, dir: &Path, configured: &[&str]) -> Result<(), String> {
        let report = dir.join("simulated-flows.json");
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
        let status = Command::new(cargo)
            .current_dir(root)
            .args([
                "test",
                "--quiet",
                "--package",
                "examples",
                "--test",
                "flows",
                "simulated_e2e_flows",
            ])
            .env("COGNITO_TRIGGER_SIMULATED_FLOWS", &report)
            .status()
            .map_err(|e| format!("cannot run the simulated flows: {e}"))?;
        let simulated: Value = std::fs::read(&report)
            .map_err(|e| format!("the simulated flows wrote no report ({status}): {e}"))
            .and_then(|bytes| serde_json::from_slice(&bytes).map_err(|e| e.to_string()))?;
        // `PreTokenGeneration` is configured under that key; its sources start `TokenGeneration_`.
        let prefixes: Vec<String> = configured
            .iter()
            .map(|key| key.replace("PreTokenGeneration", "TokenGeneration") + "_")
            .collect();
        let mut disagreements = Vec::new();
        let mut compared = 0;
        for flow in &self.flows {
            let Some(theirs) = simulated.get(flow.name) else {
                continue;
            };
            compared += 1;
            let passed = theirs["passed"] == true;
            if passed != flow.outcome.is_ok() {
                disagreements.push(format!(
                    "{}: {} through cognito-local, {} simulated",
                    flow.name,
                    if flow.outcome.is_ok() {
                        "passes"
                    } else {
                        "fails"
                    },
                    if passed { "passes" } else { "fails" },
                ));
            }
            let simulated_sources: BTreeSet<String> = theirs["sources"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .filter(|source| prefixes.iter().any(|p| source.starts_with(p.as_str())))
                .map(str::to_owned)
                .collect();
            let differences = flow
                .sources
                .symmetric_difference(&simulated_sources)
                .map(|source| (source.as_str(), flow.sources.contains(source)));
            for (source, cognito_local_only) in differences {
                let side = if cognito_local_only {
                    "cognito-local"
                } else {
                    "the simulated pool"
                };
                match Self::COGNITO_LOCAL_DEVIATIONS
                    .iter()
                    .find(|(f, s, only, _)| {
                        *f == flow.name && *s == source && *only == cognito_local_only
                    }) {
                    Some((.., why)) => {
                        println!("    known difference, {}: {source} ({why})", flow.name)
                    }
                    None => disagreements.push(format!("{}: only {side} sent {source}", flow.name)),
                }
            }
            for (f, source, cognito_local_only, _) in Self::COGNITO_LOCAL_DEVIATIONS {
                let seen = if *cognito_local_only {
                    &flow.sources
                } else {
                    &simulated_sources
                };
                if *f == flow.name && !seen.contains(*source) {
                    disagreements.push(format!("{f}: the known difference on {source} is gone"));
                }
            }
        }
        println!("    {:<44} {compared} flows compared", "simulated pool");
        if compared == 0 {
            return Err("no flow in common with the simulated pool".to_owned());
        }
        if disagreements.is_empty() {
            Ok(())
        } else {
            Err(disagreements.join("; "))
        }
    }

    fn report(&self) -> Result<(), String> {
        println!(
            "\n    {:<50} {:<6} triggerSources the functions handled",
            "flow", "result"
        );
        for flow in &self.flows {
            let sources: Vec<&str> = flow.sources.iter().map(String::as_str).collect();
            let result = if flow.outcome.is_ok() { "pass" } else { "FAIL" };
            println!("    {:<50} {result:<6} {}", flow.name, sources.join(" "));
            if let Err(why) = &flow.outcome {
                println!("        {why}");
            }
        }
        let failed = self.flows.iter().filter(|f| f.outcome.is_err()).count();
        println!(
            "    {} flows, {} passed, {failed} failed",
            self.flows.len(),
            self.flows.len() - failed
        );
        if failed == 0 {
            Ok(())
        } else {
            Err(format!("{failed} end-to-end flows failed"))
        }
    }
}

/// Encrypts stdin as cognito-local encrypts a custom sender's code (its `CryptoService`),
/// under the key ARN given, with the KMS at the endpoint given; prints it in base64.
/// cognito-local's debug logger is replaced by one that logs nothing.
const ENCRYPT_SCRIPT: &str = r#"const { CryptoService } = require(process.cwd() + "/node_modules/cognito-local/lib/services/crypto.js");
const [keyArn, endpoint] = process.argv.slice(2);
let plaintext = "";
process.stdin.on("data", (data) => (plaintext += data));
process.stdin.on("end", async () => {
  const crypto = new CryptoService({
    KMSKeyId: keyArn, KMSKeyAlias: keyArn, endpoint, region: "us-east-1",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
  });
  process.stdout.write(await crypto.encrypt({ logger: { debug() {} } }, plaintext));
});
"#;

/// The claims of a JWT (unverified: cognito-local signed it, the test reads it).
fn jwt_claims(token: &Value) -> Result<Value, String> {
    let token = token.as_str().ok_or("no token")?;
    let payload = token.split('.').nth(1).ok_or("not a JWT")?;
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload.trim_end_matches('='))
        .map_err(|e| e.to_string())?;
    serde_json::from_slice(&bytes).map_err(|e| e.to_string())
}

/// Managed login through cognito-local's OAuth endpoints: the sign-in form, the
/// authorization code (PKCE), then the code and refresh grants. Returns the final ID token.
fn managed_login(
    endpoint: &str,
    client: &str,
    username: &str,
    password: &str,
) -> Result<String, String> {
    let verifier = "e2e-verifier-0123456789-abcdefghijklmnopqrstuvwxyz-ABCDEFGHIJKLMNOP";
    let challenge = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .encode(sha2::Sha256::digest(verifier.as_bytes()));
    let redirect = "http://localhost/callback";
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .max_redirects(0)
        .http_status_as_error(false)
        .build()
        .into();
    let form = [
        ("client_id", client),
        ("redirect_uri", redirect),
        ("response_type", "code"),
        ("code_challenge", &challenge),
        ("code_challenge_method", "S256"),
        ("scope", "openid email"),
        ("state", "e2e"),
        ("username", username),
        ("password", password),
    ];
    let shown = agent
        .get(&format!("{endpoint}/oauth2/authorize"))
        .query_pairs(form[..7].iter().copied())
        .call()
        .map_err(|e| e.to_string())?;
    expect(
        shown.status() == 200,
        format!("the sign-in page answered {}", shown.status()),
    )?;
    let signed_in = agent
        .post(&format!("{endpoint}/oauth2/authorize"))
        .send_form(form.iter().copied())
        .map_err(|e| e.to_string())?;
    let location = signed_in
        .headers()
        .get("location")
        .and_then(|l| l.to_str().ok())
        .ok_or("no redirect after signing in")?
        .to_owned();
    let code = location
        .split(['?', '&'])
        .find_map(|pair| pair.strip_prefix("code="))
        .ok_or("no code in the redirect")?
        .to_owned();
    let mut tokens = agent
        .post(&format!("{endpoint}/oauth2/token"))
        .send_form([
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("redirect_uri", redirect),
            ("client_id", client),
            ("code_verifier", verifier),
        ])
        .map_err(|e| e.to_string())?;
    let tokens: Value = tokens.body_mut().read_json().map_err(|e| e.to_string())?;
    let refresh = tokens["refresh_token"]
        .as_str()
        .ok_or(format!("no tokens from the code grant: {tokens}"))?;
    let mut refreshed = agent
        .post(&format!("{endpoint}/oauth2/token"))
        .send_form([
            ("grant_type", "refresh_token"),
            ("refresh_token", refresh),
            ("client_id", client),
        ])
        .map_err(|e| e.to_string())?;
    let refreshed: Value = refreshed
        .body_mut()
        .read_json()
        .map_err(|e| e.to_string())?;
    let id_token = refreshed["id_token"]
        .as_str()
        .ok_or(format!("no tokens from the refresh grant: {refreshed}"))?;
    let claims = jwt_claims(&json!(id_token))?;
    expect(
        claims["tier"] == "free",
        format!("no tier claim from managed login: {claims}"),
    )?;
    Ok(id_token.to_owned())
}
