//! `cargo xtask stack`: the example pool's `--template`, deployed for an existing user pool
//! on moto's CloudFormation (PyPI, on 127.0.0.1), as one function and with the senders in a
//! function of their own. Each stack must be created; its `LambdaConfig` output must be
//! accepted by `UpdateUserPool` (the AWS CLI checks it against Cognito's API model) and read
//! back unchanged; Cognito's permission on each function must name the pool; and the key
//! policy must let the sender function's role, and no other, decrypt.
//!
//! moto's CloudFormation has no `AWS::Cognito::UserPool`, so the variant that creates the
//! pool is checked by cfn-lint only (`examples/tests/deploy.rs`).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::e2e::Service;

const MOTO_PORT: u16 = 5056;
const REGION: &str = "us-east-1";

/// The two deployments: the pool alone, and with the custom senders in a second function.
const VARIANTS: &[(&str, &[&str])] = &[
    ("one-function", &["--template"]),
    (
        "senders-function",
        &[
            "--template",
            "--senders-function",
            "CustomEmailSender,CustomSmsSender",
        ],
    ),
];

struct Aws {
    cli: PathBuf,
    endpoint: String,
}

impl Aws {
    /// Runs the AWS CLI against moto: its JSON output, or its error text.
    fn call(&self, args: &[&str]) -> Result<Value, String> {
        let output = Command::new(&self.cli)
            .args(args)
            .args(["--endpoint-url", &self.endpoint, "--output", "json"])
            .env("AWS_ACCESS_KEY_ID", "testing")
            .env("AWS_SECRET_ACCESS_KEY", "testing")
            .env("AWS_DEFAULT_REGION", REGION)
            .env("AWS_CONFIG_FILE", "/dev/null")
            .output()
            .map_err(|e| format!("cannot run aws: {e}"))?;
        if !output.status.success() {
            return Err(format!(
                "aws {}: {}",
                args.join(" "),
                String::from_utf8_lossy(&output.stderr).trim()
            ));
        }
        let text = String::from_utf8_lossy(&output.stdout);
        if text.trim().is_empty() {
            Ok(Value::Null)
        } else {
            serde_json::from_str(&text).map_err(|e| format!("aws {}: {e}: {text}", args.join(" ")))
        }
    }
}

pub(crate) fn run(root: &Path) -> Result<(), String> {
    let (cli, moto_server) = crate::e2e::python_tools(root)?;
    let dir = root.join("target/stack");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    crate::exec(
        Command::new("cargo")
            .args(["build", "--quiet", "--package", "examples", "--bin", "pool"])
            .current_dir(root),
    )?;
    let target_dir =
        std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| root.join("target"), PathBuf::from);
    let pool = target_dir.join("debug/pool");

    // moto stores the code but never runs it: any zip will do.
    std::fs::write(dir.join("bootstrap"), "#!/bin/sh\n").map_err(|e| e.to_string())?;
    crate::exec(
        Command::new("python3")
            .args(["-m", "zipfile", "-c", "bootstrap.zip", "bootstrap"])
            .current_dir(&dir),
    )?;

    let _moto = Service::start(
        Command::new(&moto_server).args(["-H", "127.0.0.1", "-p", &MOTO_PORT.to_string()]),
        &dir.join("moto.log"),
        MOTO_PORT,
    )?;
    let aws = Aws {
        cli,
        endpoint: format!("http://127.0.0.1:{MOTO_PORT}"),
    };
    aws.call(&["s3api", "create-bucket", "--bucket", "code"])?;
    let zip = dir.join("bootstrap.zip").display().to_string();
    aws.call(&[
        "s3api",
        "put-object",
        "--bucket",
        "code",
        "--key",
        "bootstrap.zip",
        "--body",
        &zip,
    ])?;

    for (name, args) in VARIANTS {
        let output = Command::new(&pool)
            .args(*args)
            .env_remove("AWS_LAMBDA_RUNTIME_API")
            .output()
            .map_err(|e| format!("cannot run {}: {e}", pool.display()))?;
        if !output.status.success() {
            return Err(format!("pool {args:?} failed"));
        }
        let template = dir.join(format!("{name}.json"));
        std::fs::write(&template, &output.stdout).map_err(|e| e.to_string())?;
        deploy(&aws, name, &template)?;
    }
    Ok(())
}

/// Creates the stack for a fresh existing pool and checks what it wired.
fn deploy(aws: &Aws, name: &str, template: &Path) -> Result<(), String> {
    let created = aws.call(&["cognito-idp", "create-user-pool", "--pool-name", name])?;
    let pool_id = created["UserPool"]["Id"]
        .as_str()
        .ok_or("no pool ID")?
        .to_owned();
    let pool_arn = created["UserPool"]["Arn"]
        .as_str()
        .ok_or("no pool ARN")?
        .to_owned();
    let body = format!("file://{}", template.display());
    let text = std::fs::read_to_string(template).map_err(|e| e.to_string())?;
    let declared: Value = serde_json::from_str(&text).map_err(|e| e.to_string())?;
    let mut parameters = vec![
        "ParameterKey=CodeBucket,ParameterValue=code".to_owned(),
        format!("ParameterKey=UserPoolId,ParameterValue={pool_id}"),
    ];
    for code_key in ["CodeKey", "SenderCodeKey"] {
        if declared["Parameters"].get(code_key).is_some() {
            parameters.push(format!(
                "ParameterKey={code_key},ParameterValue=bootstrap.zip"
            ));
        }
    }
    let mut create = vec![
        "cloudformation",
        "create-stack",
        "--stack-name",
        name,
        "--template-body",
        &body,
        "--capabilities",
        "CAPABILITY_IAM",
        "--parameters",
    ];
    create.extend(parameters.iter().map(String::as_str));
    aws.call(&create)?;
    let outputs = wait_for(aws, name)?;
    let output = |key: &str| -> Result<String, String> {
        outputs
            .iter()
            .find(|o| o["OutputKey"] == key)
            .and_then(|o| o["OutputValue"].as_str())
            .map(str::to_owned)
            .ok_or_else(|| format!("{name}: no {key} output in {outputs:?}"))
    };
    if output("UserPoolId")? != pool_id {
        return Err(format!("{name}: the UserPoolId output is not {pool_id}"));
    }

    // The LambdaConfig to merge: accepted by UpdateUserPool, and read back as written.
    let lambda_config = output("LambdaConfig")?;
    aws.call(&[
        "cognito-idp",
        "update-user-pool",
        "--user-pool-id",
        &pool_id,
        "--lambda-config",
        &lambda_config,
    ])?;
    let described = aws.call(&[
        "cognito-idp",
        "describe-user-pool",
        "--user-pool-id",
        &pool_id,
    ])?;
    let merged: Value = serde_json::from_str(&lambda_config).map_err(|e| e.to_string())?;
    if described["UserPool"]["LambdaConfig"] != merged {
        return Err(format!(
            "{name}: the pool's LambdaConfig is {}, not the output's {merged}",
            described["UserPool"]["LambdaConfig"]
        ));
    }

    // Cognito may invoke each function, for this pool only.
    let functions: Vec<String> = outputs
        .iter()
        .filter(|o| {
            o["OutputKey"]
                .as_str()
                .is_some_and(|k| k.ends_with("FunctionArn"))
        })
        .filter_map(|o| o["OutputValue"].as_str().map(str::to_owned))
        .collect();
    for function in &functions {
        let policy = aws.call(&["lambda", "get-policy", "--function-name", function])?;
        let policy: Value = serde_json::from_str(policy["Policy"].as_str().unwrap_or("{}"))
            .map_err(|e| e.to_string())?;
        let statement = &policy["Statement"][0];
        let source = &statement["Condition"]["ArnLike"]["AWS:SourceArn"];
        if statement["Principal"]["Service"] != "cognito-idp.amazonaws.com" || *source != *pool_arn
        {
            return Err(format!(
                "{name}: {function} is not invocable by {pool_arn} alone: {policy}"
            ));
        }
    }

    // The key policy lets the role of the function that serves the senders decrypt.
    let key = output("SenderKeyArn")?;
    let key_policy = aws.call(&[
        "kms",
        "get-key-policy",
        "--key-id",
        &key,
        "--policy-name",
        "default",
    ])?;
    // KMS gives the policy as a JSON string; moto keeps the template's object as it was.
    let key_policy = match &key_policy["Policy"] {
        Value::String(text) => serde_json::from_str(text).map_err(|e| e.to_string())?,
        policy => policy.clone(),
    };
    let decrypters: Vec<&Value> = key_policy["Statement"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|s| s["Action"] == "kms:Decrypt")
        .flat_map(|s| match &s["Principal"]["AWS"] {
            Value::Array(principals) => principals.iter().collect(),
            principal => vec![principal],
        })
        .collect();
    // Cognito's grant on the key, and its own use of it, are for this pool only.
    let statements = key_policy["Statement"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let grant = statements.iter().find(|s| s["Action"] == "kms:CreateGrant");
    let granted_for =
        grant.map(|s| &s["Condition"]["StringLike"]["kms:EncryptionContext:userpool-id"]);
    let encrypt = statements
        .iter()
        .find(|s| s["Principal"]["Service"] == "cognito-idp.amazonaws.com");
    let encrypts_for = encrypt.map(|s| &s["Condition"]["ArnLike"]["aws:SourceArn"]);
    if granted_for != Some(&Value::from(pool_id.as_str()))
        || encrypts_for != Some(&Value::from(pool_arn.as_str()))
    {
        return Err(format!(
            "{name}: the key is not for {pool_id} alone: {key_policy}"
        ));
    }
    let sender = if functions.len() == 2 {
        "SenderFunction"
    } else {
        "TriggerFunction"
    };
    let resources = aws.call(&[
        "cloudformation",
        "describe-stack-resources",
        "--stack-name",
        name,
    ])?;
    let role = resources["StackResources"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|r| r["LogicalResourceId"] == format!("{sender}Role"))
        .and_then(|r| r["PhysicalResourceId"].as_str())
        .ok_or_else(|| format!("{name}: no {sender}Role"))?;
    let role_arn = aws.call(&["iam", "get-role", "--role-name", role])?["Role"]["Arn"].clone();
    if decrypters != [&role_arn] {
        return Err(format!(
            "{name}: {decrypters:?} may decrypt, not {role_arn} alone: {key_policy}"
        ));
    }
    let tables = check_store_tables(aws, name, &resources)?;
    println!(
        "    {name}: stack created for {pool_id}; function(s) invocable by that pool alone: {}; its LambdaConfig ({} entries) accepted by UpdateUserPool and read back; the key's grant and encryption for that pool alone, {role} alone decrypts; {tables}",
        functions.len(),
        merged.as_object().map_or(0, serde_json::Map::len),
    );
    Ok(())
}

/// Waits until the stack is created; its outputs.
fn wait_for(aws: &Aws, name: &str) -> Result<Vec<Value>, String> {
    let started = Instant::now();
    loop {
        let stacks = aws.call(&["cloudformation", "describe-stacks", "--stack-name", name])?;
        let stack = &stacks["Stacks"][0];
        match stack["StackStatus"].as_str() {
            Some("CREATE_COMPLETE") => {
                return Ok(stack["Outputs"].as_array().cloned().unwrap_or_default());
            }
            Some(status) if !status.ends_with("IN_PROGRESS") => {
                return Err(format!("{name}: {status}: {}", stack["StackStatusReason"]));
            }
            _ if started.elapsed() > Duration::from_secs(120) => {
                return Err(format!("{name}: not created after 2 minutes"));
            }
            _ => std::thread::sleep(Duration::from_millis(500)),
        }
    }
}

/// The example pool's stores (`examples::store::deployment`): each table the stack created
/// exists, and the trigger function's environment names it.
fn check_store_tables(aws: &Aws, name: &str, resources: &Value) -> Result<String, String> {
    let physical = |logical: &str| {
        resources["StackResources"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|r| r["LogicalResourceId"] == logical)
            .and_then(|r| r["PhysicalResourceId"].as_str())
            .map(str::to_owned)
            .ok_or_else(|| format!("{name}: no {logical}"))
    };
    let function = physical("TriggerFunction")?;
    let configuration = aws.call(&[
        "lambda",
        "get-function-configuration",
        "--function-name",
        &function,
    ])?;
    let variables = &configuration["Environment"]["Variables"];
    let mut checked = Vec::new();
    for (logical, variable) in [
        ("UsersTable", "USERS_TABLE"),
        ("LegacyUsersTable", "LEGACY_USERS_TABLE"),
    ] {
        let table = physical(logical)?;
        aws.call(&["dynamodb", "describe-table", "--table-name", &table])?;
        if variables[variable] != table.as_str() {
            return Err(format!(
                "{name}: {variable} is {}, not the stack's table {table}",
                variables[variable]
            ));
        }
        checked.push(variable);
    }
    Ok(format!(
        "tables created and named by {}",
        checked.join(" and ")
    ))
}
