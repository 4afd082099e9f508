//! The deployment each example binary writes for itself (`--template`): a CloudFormation
//! template that cfn-lint accepts with no finding at all (errors, warnings, informational
//! and experimental checks), for the pool, every single-trigger binary, and the custom
//! senders in a function of their own; and that wires each trigger the binary serves to the
//! function that serves it; and the SAM template of the README's Deploying section passes too.

// Test code: a panic with the value is the clearest failure.
#![allow(clippy::unwrap_used)]

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use cognito_trigger::TriggerKind;
use serde_json::Value;

/// Every binary of the examples package (one per file in `src/bin`) that cargo built for
/// this test, next to `pool` (a binary that needs a feature left off is not built).
fn binaries() -> Vec<(String, PathBuf)> {
    let built = Path::new(env!("CARGO_BIN_EXE_pool")).parent().unwrap();
    let sources = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/bin");
    let mut binaries: Vec<(String, PathBuf)> = std::fs::read_dir(sources)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|e| e == "rs"))
        .map(|path| {
            let name = path.file_stem().unwrap().to_str().unwrap().to_owned();
            let binary = built.join(format!("{name}{}", std::env::consts::EXE_SUFFIX));
            (name, binary)
        })
        .filter(|(_, binary)| binary.exists())
        // A binary this build's features leave out (`senders` needs `kms`) may still be in
        // the target directory from another build: it is not this build's.
        .filter(|(name, _)| name != "senders" || cfg!(feature = "kms"))
        .collect();
    binaries.sort();
    assert!(binaries.len() >= 16, "{binaries:?}");
    binaries
}

/// Runs a binary in the local mode and parses the JSON it prints.
fn json_from(binary: &Path, args: &[&str]) -> Value {
    let output = Command::new(binary)
        .args(args)
        .env_remove("AWS_LAMBDA_RUNTIME_API")
        .output()
        .unwrap();
    assert_eq!(
        output.status.code(),
        Some(0),
        "{} {args:?}: {}",
        binary.display(),
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap()
}

const SENDERS: &str = "CustomEmailSender,CustomSmsSender";

/// The templates to check: each binary's own, and with the custom senders in a function of
/// their own (for a binary without senders, that adds the senders function beside it).
fn templates() -> Vec<(String, Value)> {
    let mut templates = Vec::new();
    for (name, binary) in binaries() {
        templates.push((name.clone(), json_from(&binary, &["--template"])));
        templates.push((
            format!("{name}+senders-function"),
            json_from(&binary, &["--template", "--senders-function", SENDERS]),
        ));
    }
    templates
}

fn sender_kinds() -> Vec<TriggerKind> {
    TriggerKind::ALL
        .iter()
        .copied()
        .filter(|kind| kind.needs_kms_key())
        .collect()
}

/// The function the `LambdaConfig` entry `value` points at (`Fn::GetAtt` of a function).
fn target(value: &Value) -> &str {
    let arn = value.get("LambdaArn").unwrap_or(value);
    arn["Fn::GetAtt"][0].as_str().unwrap()
}

#[test]
fn every_template_passes_cfn_lint_with_no_finding() {
    let cfn_lint = cfn_lint();
    let dir = std::env::temp_dir().join(format!("deploy-templates-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut paths = Vec::new();
    for (name, template) in templates() {
        let path = dir.join(format!("{name}.json"));
        std::fs::write(&path, serde_json::to_vec_pretty(&template).unwrap()).unwrap();
        paths.push(path);
    }
    let (status, report) = lint(&cfn_lint, &paths);
    assert_eq!((status, report.as_str()), (0, ""), "{}", dir.display());

    // The linter does read these templates: a wrong runtime, a pre token generation version
    // Cognito does not have and a KMS action that does not exist are all found.
    let mut broken = json_from(Path::new(env!("CARGO_BIN_EXE_pool")), &["--template"]);
    let resources = &mut broken["Resources"];
    resources["TriggerFunction"]["Properties"]["Runtime"] = "provided.al2".into();
    resources["UserPool"]["Properties"]["LambdaConfig"]["PreTokenGenerationConfig"]["LambdaVersion"] =
        "V4_0".into();
    resources["SenderKey"]["Properties"]["KeyPolicy"]["Statement"][3]["Action"] =
        "kms:Decrypts".into();
    let path = dir.join("broken.json");
    std::fs::write(&path, serde_json::to_vec_pretty(&broken).unwrap()).unwrap();
    let (status, report) = lint(&cfn_lint, &[path]);
    assert_ne!(status, 0, "cfn-lint accepted a broken template");
    for finding in ["provided.al2", "V4_0", "decrypts"] {
        assert!(
            report.contains(finding),
            "{finding} not reported:\n{report}"
        );
    }
    std::fs::remove_dir_all(&dir).ok();
}

/// The pool's templates, linted with the parameters of each deployment: a new user pool on
/// arm64, and an existing pool on x86-64 (cfn-lint then resolves the conditions and checks
/// the values).
#[test]
fn the_pool_templates_pass_cfn_lint_for_a_new_and_an_existing_pool() {
    let cfn_lint = cfn_lint();
    let pool = Path::new(env!("CARGO_BIN_EXE_pool"));
    let dir = std::env::temp_dir().join(format!("deploy-parameters-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let deployments = [
        ["UserPoolId=", "Architecture=arm64"],
        ["UserPoolId=eu-west-1_EXAMPLE", "Architecture=x86_64"],
    ];
    let mut runs = Vec::new();
    for (name, args) in [
        ("one-function", &["--template"][..]),
        (
            "senders-function",
            &["--template", "--senders-function", SENDERS][..],
        ),
    ] {
        let template = json_from(pool, args);
        let path = dir.join(format!("{name}.json"));
        std::fs::write(&path, serde_json::to_vec_pretty(&template).unwrap()).unwrap();
        let declared = template["Parameters"].as_object().unwrap();
        for deployment in &deployments {
            let mut parameters: Vec<String> = deployment.iter().map(|p| (*p).to_owned()).collect();
            parameters.push("CodeBucket=my-code-bucket".to_owned());
            for code_key in declared.keys().filter(|key| key.ends_with("CodeKey")) {
                parameters.push(format!("{code_key}=functions/bootstrap.zip"));
            }
            runs.push((path.clone(), parameters));
        }
    }
    // cfn-lint takes parameters for one template at a time: the runs go side by side.
    let linter = &cfn_lint;
    let reports: Vec<(String, i32, String)> = std::thread::scope(|scope| {
        let handles: Vec<_> = runs
            .iter()
            .map(|(path, parameters)| {
                scope.spawn(move || {
                    let output = Command::new(linter)
                        .args([
                            "--include-checks",
                            "I",
                            "--include-experimental",
                            "--parameters",
                        ])
                        .args(parameters)
                        .arg("--")
                        .arg(path)
                        .output()
                        .unwrap();
                    (
                        format!("{} {parameters:?}", path.display()),
                        output.status.code().unwrap_or(-1),
                        String::from_utf8_lossy(&output.stdout).into_owned(),
                    )
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    for (run, status, report) in &reports {
        assert_eq!((*status, report.as_str()), (0, ""), "{run}");
    }
    assert_eq!(reports.len(), 4);

    // The parameters are read: a value the template does not allow is found.
    let (path, _) = &runs[0];
    let output = Command::new(&cfn_lint)
        .args([
            "--parameters",
            "Architecture=sparc",
            "CodeBucket=my-code-bucket",
        ])
        .args(["CodeKey=k", "UserPoolId=", "--"])
        .arg(path)
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&output.stdout).contains("sparc"));
    std::fs::remove_dir_all(&dir).ok();
}

/// The template's user pool configures exactly what `--lambda-config` prints for the same
/// binary, each entry pointing at the function that serves the trigger.
#[test]
fn each_trigger_is_wired_to_the_function_that_serves_it() {
    let senders = sender_kinds();
    let arn = "arn:aws:lambda:eu-west-1:123456789012:function:f";
    for (name, binary) in binaries() {
        let expected = json_from(&binary, &["--lambda-config", arn]);
        let expected_keys: BTreeSet<&str> = expected
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        for split in [false, true] {
            let mut args = vec!["--template"];
            if split {
                args.extend(["--senders-function", SENDERS]);
            }
            let template = json_from(&binary, &args);
            let resources = template["Resources"].as_object().unwrap();
            let config = resources["UserPool"]["Properties"]["LambdaConfig"]
                .as_object()
                .unwrap();
            let keys: BTreeSet<&str> = config.keys().map(String::as_str).collect();
            let mut expected_keys = expected_keys.clone();
            if split {
                // The senders function serves both senders, whatever the binary serves.
                expected_keys.extend(senders.iter().map(|kind| kind.config_key()));
                expected_keys.insert("KMSKeyID");
            }
            assert_eq!(keys, expected_keys, "{name} {args:?}");

            for kind in TriggerKind::ALL {
                let Some(entry) = config.get(kind.config_key()) else {
                    continue;
                };
                let function = if split && senders.contains(kind) {
                    "SenderFunction"
                } else {
                    "TriggerFunction"
                };
                assert_eq!(target(entry), function, "{name} {args:?}: {kind}");
                let version = match expected.get(kind.config_key()) {
                    Some(printed) => printed["LambdaVersion"].clone(),
                    None => kind.lambda_version().into(),
                };
                assert_eq!(entry["LambdaVersion"], version, "{name} {args:?}: {kind}");
            }

            // The key, and the right to decrypt with it, only where a sender is served.
            let serves_sender = config.keys().any(|key| key == "KMSKeyID");
            assert_eq!(resources.contains_key("SenderKey"), serves_sender, "{name}");
            // (The example pool's own policy, for its stores, is another IAM policy.)
            let decrypts = |policy: &Value| {
                policy["Properties"]["PolicyDocument"]["Statement"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|statement| statement["Action"] == "kms:Decrypt")
            };
            let decrypting_roles: Vec<&Value> = resources
                .values()
                .filter(|resource| resource["Type"] == "AWS::IAM::Policy" && decrypts(resource))
                .flat_map(|policy| policy["Properties"]["Roles"].as_array().unwrap())
                .collect();
            if serves_sender {
                let sender = if split {
                    "SenderFunction"
                } else {
                    "TriggerFunction"
                };
                assert_eq!(
                    decrypting_roles,
                    [&serde_json::json!({"Ref": format!("{sender}Role")})],
                    "{name} {args:?}"
                );
                let statements = resources["SenderKey"]["Properties"]["KeyPolicy"]["Statement"]
                    .as_array()
                    .unwrap();
                let decrypters: Vec<&Value> = statements
                    .iter()
                    .filter(|s| s["Action"] == "kms:Decrypt")
                    .flat_map(|s| s["Principal"]["AWS"].as_array().unwrap())
                    .map(|principal| &principal["Fn::GetAtt"][0])
                    .collect();
                assert_eq!(decrypters, [&Value::from(format!("{sender}Role"))]);
            } else {
                assert!(decrypting_roles.is_empty(), "{name} {args:?}");
            }

            // Every function may be invoked by Cognito, for this pool only.
            for (id, resource) in resources {
                if resource["Type"] != "AWS::Lambda::Function" {
                    continue;
                }
                let permission = &resources[&format!("{id}CognitoPermission")]["Properties"];
                assert_eq!(permission["Principal"], "cognito-idp.amazonaws.com");
                assert_eq!(permission["FunctionName"]["Fn::GetAtt"][0], id.as_str());
                let arn = &permission["SourceArn"]["Fn::If"];
                assert_eq!(arn[1]["Fn::GetAtt"], serde_json::json!(["UserPool", "Arn"]));
                assert!(
                    arn[2]["Fn::Sub"]
                        .as_str()
                        .unwrap()
                        .ends_with(":userpool/${UserPoolId}")
                );
            }
        }
    }
}

/// When both functions serve a sender (one in the binary, the other moved out), both roles
/// may decrypt, and the template still passes cfn-lint.
#[test]
fn both_functions_may_serve_a_sender() {
    let binary = Path::new(env!("CARGO_BIN_EXE_custom_sms_sender"));
    let email = TriggerKind::ALL
        .iter()
        .find(|kind| kind.needs_kms_key() && kind.config_key() != "CustomSMSSender")
        .unwrap()
        .marker_name();
    let template = json_from(binary, &["--template", "--senders-function", email]);
    let resources = &template["Resources"];
    let statements = resources["SenderKey"]["Properties"]["KeyPolicy"]["Statement"]
        .as_array()
        .unwrap();
    let decrypters: Vec<&Value> = statements
        .iter()
        .filter(|s| s["Action"] == "kms:Decrypt")
        .flat_map(|s| s["Principal"]["AWS"].as_array().unwrap())
        .map(|principal| &principal["Fn::GetAtt"][0])
        .collect();
    assert_eq!(decrypters, ["TriggerFunctionRole", "SenderFunctionRole"]);
    for function in ["TriggerFunction", "SenderFunction"] {
        let policy = &resources[format!("{function}DecryptPolicy")]["Properties"];
        assert_eq!(policy["Roles"][0]["Ref"], format!("{function}Role"));
    }
    let path = std::env::temp_dir().join(format!("deploy-both-{}.json", std::process::id()));
    std::fs::write(&path, serde_json::to_vec_pretty(&template).unwrap()).unwrap();
    let (status, report) = lint(&cfn_lint(), std::slice::from_ref(&path));
    assert_eq!((status, report.as_str()), (0, ""));
    std::fs::remove_file(&path).ok();
}

/// For an existing pool, the `LambdaConfig` output is the same configuration as the one the
/// new pool gets, as a JSON string with the ARNs substituted.
#[test]
fn the_lambda_config_to_merge_matches_the_new_pools() {
    let template = json_from(
        Path::new(env!("CARGO_BIN_EXE_pool")),
        &["--template", "--senders-function", SENDERS],
    );
    let arn_of =
        |function: &str| format!("arn:aws:lambda:eu-west-1:123456789012:function:{function}");
    let key = "arn:aws:kms:eu-west-1:123456789012:key/1example";
    let output = &template["Outputs"]["LambdaConfig"];
    assert_eq!(output["Condition"], "UseExistingUserPool");
    let substituted = output["Value"]["Fn::Sub"]
        .as_str()
        .unwrap()
        .replace("${TriggerFunction.Arn}", &arn_of("TriggerFunction"))
        .replace("${SenderFunction.Arn}", &arn_of("SenderFunction"))
        .replace("${SenderKey.Arn}", key);
    assert!(!substituted.contains("${"), "{substituted}");
    let merged: Value = serde_json::from_str(&substituted).unwrap();

    let mut resolved = template["Resources"]["UserPool"]["Properties"]["LambdaConfig"].clone();
    for (_, value) in resolved.as_object_mut().unwrap() {
        let slot = match value.get_mut("LambdaArn") {
            Some(arn) => arn,
            None => value,
        };
        let name = slot["Fn::GetAtt"][0].as_str().unwrap().to_owned();
        *slot = if name == "SenderKey" {
            key.into()
        } else {
            arn_of(&name).into()
        };
    }
    assert_eq!(merged, resolved);
    assert_eq!(merged.as_object().unwrap().len(), 14, "{merged:#}");
}

/// cfn-lint, as `cargo xtask tools` installs it (`CFN_LINT`), or from the PATH.
fn cfn_lint() -> PathBuf {
    let candidates = [
        std::env::var_os("CFN_LINT").map(PathBuf::from),
        Some(Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/tools/cfn-lint/bin/cfn-lint")),
        Some(PathBuf::from("cfn-lint")),
    ];
    candidates
        .into_iter()
        .flatten()
        .find(|path| {
            Command::new(path)
                .arg("--version")
                .output()
                .is_ok_and(|o| o.status.success())
        })
        .expect("cfn-lint is not installed: run `cargo xtask tools` (cargo xtask ci does)")
}

/// Lints templates with every check cfn-lint has: (exit status, report).
fn lint(cfn_lint: &Path, templates: &[PathBuf]) -> (i32, String) {
    let output = Command::new(cfn_lint)
        .args(["--include-checks", "I", "--include-experimental", "--"])
        .args(templates)
        .output()
        .unwrap();
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
    )
}

/// The fenced block of the README's Deploying section whose text holds `needle`.
fn readme_block(fence: &str, needle: &str) -> String {
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../README.md"))
            .unwrap();
    let section = &readme[readme
        .find("\n## Deploying\n")
        .expect("a Deploying section")..];
    section
        .split(&format!("```{fence}\n"))
        .skip(1)
        .map(|block| &block[..block.find("```").unwrap()])
        .find(|block| block.contains(needle))
        .unwrap_or_else(|| panic!("no ```{fence} block with {needle} in README.md"))
        .to_owned()
}

/// The README's SAM template passes cfn-lint (which expands the SAM transform) with no
/// finding, informational ones included; and the linter does read it.
#[test]
fn the_readme_sam_template_passes_cfn_lint() {
    let cfn_lint = cfn_lint();
    let sam = readme_block("yaml", "Transform: AWS::Serverless-2016-10-31");
    assert!(sam.contains("BuildMethod: rust-cargolambda"), "{sam}");
    let dir = std::env::temp_dir().join(format!("deploy-sam-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("template.yaml");
    std::fs::write(&path, &sam).unwrap();
    let output = Command::new(&cfn_lint)
        .args(["--include-checks", "I", "--"])
        .arg(&path)
        .output()
        .unwrap();
    let report = String::from_utf8_lossy(&output.stdout);
    assert_eq!((output.status.code(), report.as_ref()), (Some(0), ""));

    let broken = sam.replace("LambdaVersion: V2_0", "LambdaVersion: V4_0");
    std::fs::write(&path, broken).unwrap();
    let output = Command::new(&cfn_lint).arg(&path).output().unwrap();
    let report = String::from_utf8_lossy(&output.stdout);
    assert_ne!(
        output.status.code(),
        Some(0),
        "cfn-lint accepted a broken SAM template"
    );
    assert!(report.contains("V4_0"), "{report}");
    std::fs::remove_dir_all(&dir).ok();
}
