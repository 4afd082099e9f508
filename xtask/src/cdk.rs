//! `cargo xtask cdk`: the CDK snippet of the README's Deploying section, run as a user would
//! run it. It installs aws-cdk-lib, constructs and TypeScript from npm into
//! `target/tools/cdk` (pinned), compiles the snippet with `tsc --strict`, synthesizes it with
//! node, checks the user pool's `LambdaConfig` in the synthesized template, and lints that
//! template with cfn-lint: no error, and no finding beyond the ones CDK's own output draws.

use std::path::Path;
use std::process::{Command, Stdio};

use serde_json::Value;

/// The npm packages the snippet needs, pinned.
const PACKAGES: &[&str] = &[
    "aws-cdk-lib@2.276.0",
    "constructs@10.8.1",
    "typescript@5.9.3",
];

/// Findings cfn-lint makes on any CDK app's output, not on the snippet: CDK adds a
/// `DependsOn` a `GetAtt` already implies (W3005) and writes ARNs with `Fn::Join` (I1022).
const CDK_OWN_FINDINGS: &[&str] = &["W3005", "I1022"];

/// The `LambdaConfig` entries the snippet must produce, and the version of each that has one.
const EXPECTED: &[(&str, Option<&str>)] = &[
    ("PreSignUp", None),
    ("PostConfirmation", None),
    ("PreAuthentication", None),
    ("PostAuthentication", None),
    ("DefineAuthChallenge", None),
    ("CreateAuthChallenge", None),
    ("VerifyAuthChallengeResponse", None),
    ("UserMigration", None),
    ("CustomMessage", None),
    ("PreTokenGenerationConfig", Some("V3_0")),
    ("CustomEmailSender", Some("V1_0")),
    ("CustomSMSSender", Some("V1_0")),
];

pub(crate) fn run(root: &Path) -> Result<(), String> {
    let tools = root.join("target/tools/cdk");
    let installed = PACKAGES.iter().all(|package| {
        let (name, version) = package.rsplit_once('@').unwrap_or((package, ""));
        std::fs::read_to_string(tools.join("node_modules").join(name).join("package.json"))
            .is_ok_and(|manifest| manifest.contains(&format!("\"version\": \"{version}\"")))
    });
    if installed {
        println!("    {} already installed", PACKAGES.join(", "));
    } else {
        std::fs::create_dir_all(&tools).map_err(|e| e.to_string())?;
        std::fs::write(tools.join("package.json"), "{\"private\": true}\n")
            .map_err(|e| e.to_string())?;
        crate::exec(
            Command::new("npm")
                .args(["install", "--no-audit", "--no-fund", "--save-exact"])
                .args(PACKAGES)
                .current_dir(&tools)
                .stdout(Stdio::null()),
        )?;
    }

    let readme = std::fs::read_to_string(root.join("README.md")).map_err(|e| e.to_string())?;
    let snippet = snippet(&readme)?;
    // The app lives next to node_modules, so that its imports resolve there.
    let app = tools.join("app");
    let _ = std::fs::remove_dir_all(&app);
    std::fs::create_dir_all(app.join("target/lambda/pool")).map_err(|e| e.to_string())?;
    // `Code.fromAsset` needs the directory cargo lambda builds into; its content is not read.
    std::fs::write(app.join("target/lambda/pool/bootstrap"), "").map_err(|e| e.to_string())?;
    std::fs::write(app.join("app.ts"), snippet).map_err(|e| e.to_string())?;
    crate::exec(
        Command::new(tools.join("node_modules/.bin/tsc"))
            .args(["--strict", "--target", "es2020", "--module", "commonjs"])
            .args(["--esModuleInterop", "--skipLibCheck", "app.ts"])
            .current_dir(&app),
    )?;
    crate::exec(
        Command::new("node")
            .arg("app.js")
            .env("CDK_OUTDIR", "cdk.out")
            .current_dir(&app),
    )?;

    let template_path = app.join("cdk.out/CognitoTriggers.template.json");
    let text = std::fs::read_to_string(&template_path).map_err(|e| e.to_string())?;
    let template: Value = serde_json::from_str(&text).map_err(|e| e.to_string())?;
    check_lambda_config(&template)?;

    let output = Command::new(crate::cfn_lint_path(root))
        .args(["--include-checks", "I", "--format", "parseable", "--"])
        .arg(&template_path)
        .output()
        .map_err(|e| format!("cannot run cfn-lint: {e}"))?;
    let report = String::from_utf8_lossy(&output.stdout);
    // parseable: path:line:column:line:column:rule:message
    let unexpected: Vec<&str> = report
        .lines()
        .filter(|line| {
            let rule = line.split(':').nth(5).unwrap_or_default();
            !CDK_OWN_FINDINGS.contains(&rule)
        })
        .collect();
    if !unexpected.is_empty() || output.status.code().is_some_and(|code| code & 2 != 0) {
        return Err(format!("cfn-lint on the synthesized CDK app:\n{report}"));
    }
    println!(
        "    the README's CDK app compiles, synthesizes {} LambdaConfig entries and passes cfn-lint ({} findings, all CDK's own: {})",
        EXPECTED.len() + 1,
        report.lines().count(),
        CDK_OWN_FINDINGS.join(", ")
    );
    Ok(())
}

/// The ```ts block of the README's Deploying section.
fn snippet(readme: &str) -> Result<&str, String> {
    let section = readme
        .find("\n## Deploying\n")
        .map(|at| &readme[at..])
        .ok_or("README.md has no Deploying section")?;
    let start = section
        .find("```ts\n")
        .map(|at| at + "```ts\n".len())
        .ok_or("the Deploying section has no ```ts block")?;
    let end = section[start..]
        .find("```")
        .ok_or("an unclosed ```ts block")?;
    Ok(&section[start..start + end])
}

/// Every expected entry points at the one function (with its version), and `KMSKeyID` at
/// the key.
fn check_lambda_config(template: &Value) -> Result<(), String> {
    let resources = template["Resources"].as_object().ok_or("no Resources")?;
    let of_type = |kind: &str| -> Vec<(&String, &Value)> {
        resources
            .iter()
            .filter(|(_, r)| r["Type"] == kind)
            .collect()
    };
    let (pools, functions, keys) = (
        of_type("AWS::Cognito::UserPool"),
        of_type("AWS::Lambda::Function"),
        of_type("AWS::KMS::Key"),
    );
    let ([(_, pool)], [(function, _)], [(key, _)]) = (&pools[..], &functions[..], &keys[..]) else {
        return Err("expected one user pool, one function and one key".to_owned());
    };
    let config = pool["Properties"]["LambdaConfig"]
        .as_object()
        .ok_or("no LambdaConfig")?;
    for (entry, version) in EXPECTED {
        let value = config.get(*entry).ok_or_else(|| format!("no {entry}"))?;
        let arn = value.get("LambdaArn").unwrap_or(value);
        if arn["Fn::GetAtt"][0] != function.as_str()
            || value.get("LambdaVersion").and_then(Value::as_str) != *version
        {
            return Err(format!("{entry} is {value}"));
        }
    }
    if config["KMSKeyID"]["Fn::GetAtt"][0] != key.as_str() {
        return Err(format!("KMSKeyID is {}", config["KMSKeyID"]));
    }
    if config.len() != EXPECTED.len() + 1 {
        return Err(format!("unexpected entries in {config:?}"));
    }
    Ok(())
}
