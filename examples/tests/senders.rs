//! The `senders` binary run as a user runs it (the local run mode, JSON Lines on stdin)
//! against moto_server as KMS, SES and SNS: the codes are made with the AWS Encryption SDK
//! as Cognito makes them (format 1, suite 0x0378), and what moto received is read back from
//! its `/moto-api/data.json`. Built and run only with the `kms` feature:
//! `cargo test -p examples --features kms --test senders`.
//!
//! moto_server is `MOTO_SERVER`, or looked for in `target/tools/e2e` and on `PATH`; without
//! it the tests say so on stderr and pass, except on CI (`CI` set) or with
//! `COGNITO_TRIGGER_MOTO=required`, where they fail.

// Test code: a panic with the value is the clearest failure.
#![allow(clippy::unwrap_used)]

use std::collections::HashMap;
use std::io::Write as _;
use std::process::{Command, Output, Stdio};

use aws_esdk::material_providers::client::Client as MaterialProviders;
use aws_esdk::material_providers::types::{
    EsdkAlgorithmSuiteId, EsdkCommitmentPolicy, MaterialProvidersConfig,
};
use cognito_trigger::kms::aws_config;
use serde_json::{Value, json};

const POOL: &str = "us-east-1_Senders01";
const FROM: &str = "no-reply@example.com";

#[path = "support/moto.rs"]
mod support_moto;

use support_moto::Moto;

fn moto() -> Option<Moto> {
    Moto::start("senders")
}

async fn sdk(moto: &Moto) -> aws_config::SdkConfig {
    aws_config::defaults(aws_config::BehaviorVersion::latest())
        .endpoint_url(moto.endpoint())
        .region(aws_config::Region::new("us-east-1"))
        .credentials_provider(aws_sdk_kms::config::Credentials::new(
            "testing", "testing", None, None, "moto",
        ))
        .load()
        .await
}

/// `plaintext` encrypted as real Cognito does (format 1, suite 0x0378), base64.
async fn encrypt(sdk: &aws_config::SdkConfig, key_arn: &str, plaintext: &str) -> String {
    let config = aws_esdk::AwsEncryptionSdkConfig::builder()
        .commitment_policy(EsdkCommitmentPolicy::ForbidEncryptAllowDecrypt)
        .build()
        .unwrap();
    let esdk = aws_esdk::Client::from_conf(config).unwrap();
    let materials =
        MaterialProviders::from_conf(MaterialProvidersConfig::builder().build().unwrap()).unwrap();
    let keyring = materials
        .create_aws_kms_keyring()
        .kms_key_id(key_arn)
        .kms_client(aws_sdk_kms::Client::new(sdk))
        .send()
        .await
        .unwrap();
    let output = esdk
        .encrypt()
        .plaintext(aws_smithy_types::Blob::new(plaintext.as_bytes()))
        .keyring(keyring)
        .encryption_context(HashMap::from([("userpool-id".to_owned(), POOL.to_owned())]))
        .algorithm_suite_id(EsdkAlgorithmSuiteId::AlgAes256GcmIv12Tag16HkdfSha384EcdsaP384)
        .send()
        .await
        .unwrap();
    aws_smithy_types::base64::encode(output.ciphertext.unwrap().into_inner())
}

fn event(trigger_source: &str, user: &str, code: &str, attributes: Value) -> String {
    let request_type = if trigger_source.starts_with("CustomEmailSender") {
        "customEmailSenderRequestV1"
    } else {
        "customSMSSenderRequestV1"
    };
    json!({
        "version": "1", "triggerSource": trigger_source, "region": "us-east-1",
        "userPoolId": POOL, "userName": user,
        "callerContext": {"awsSdkVersion": "aws-sdk-unknown-unknown", "clientId": "client"},
        "request": {"type": request_type, "code": code, "userAttributes": attributes,
                    "clientMetadata": null},
        "response": {}
    })
    .to_string()
}

/// Runs the `senders` binary locally on JSON Lines, with `key_arn` and moto as AWS.
fn senders(moto: &Moto, key_arn: &str, lines: &[String]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_senders"))
        .env_remove("AWS_LAMBDA_RUNTIME_API")
        .env("KEY_ARN", key_arn)
        .env("FROM_ADDRESS", FROM)
        .env("AWS_ENDPOINT_URL", moto.endpoint())
        .env("AWS_REGION", "us-east-1")
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let input = lines.join("\n") + "\n";
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn codes_are_decrypted_and_delivered_once_through_ses_and_sns() {
    let Some(moto) = moto() else { return };
    let sdk = sdk(&moto).await;
    let kms = aws_sdk_kms::Client::new(&sdk);
    let key = kms.create_key().send().await.unwrap();
    let key = key.key_metadata.unwrap().arn.unwrap();
    aws_sdk_sesv2::Client::new(&sdk)
        .create_email_identity()
        .email_identity(FROM)
        .send()
        .await
        .unwrap();

    let sign_up = encrypt(&sdk, &key, "482916").await;
    let invitation = encrypt(&sdk, &key, "Tmp&lt;pw&gt;&amp;1").await;
    let reset = encrypt(&sdk, &key, "730155").await;
    let email = json!({"email": "ada@example.com"});
    let sign_up_event = event("CustomEmailSender_SignUp", "ada", &sign_up, email.clone());
    let lines = [
        sign_up_event.clone(),
        // Cognito may invoke twice for one message: it is delivered once.
        sign_up_event,
        event(
            "CustomEmailSender_AdminCreateUser",
            "bob",
            &invitation,
            json!({"email": "bob@example.com"}),
        ),
        event(
            "CustomSMSSender_ForgotPassword",
            "ada",
            &reset,
            json!({"phone_number": "+15555550100"}),
        ),
    ];
    let output = senders(&moto, &key, &lines);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    for secret in ["482916", "Tmp", "730155", &sign_up, &invitation, &reset] {
        assert!(!stderr.contains(secret), "the log shows a secret: {stderr}");
    }

    let data = moto.data();
    let mails = data["ses"]["Message"].as_array().unwrap();
    assert_eq!(mails.len(), 2, "{mails:?}");
    assert_eq!(
        mails[0]["destinations"]["ToAddresses"][0],
        "ada@example.com"
    );
    assert_eq!(mails[0]["source"], FROM);
    assert!(
        mails[0]["body"].as_str().unwrap().contains("482916"),
        "{mails:?}"
    );
    let invite = mails[1]["body"].as_str().unwrap();
    assert!(
        invite.contains("bob") && invite.contains("Tmp<pw>&1"),
        "{invite}"
    );
    let sms = data["sns"]["SMS"].as_array().unwrap();
    assert_eq!(sms.len(), 1, "{sms:?}");
    assert_eq!(sms[0]["phone_number"], "+15555550100");
    assert!(
        sms[0]["message"].as_str().unwrap().contains("730155"),
        "{sms:?}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_sender_given_the_wrong_key_logs_an_internal_error_and_no_secret() {
    let Some(moto) = moto() else { return };
    let sdk = sdk(&moto).await;
    let kms = aws_sdk_kms::Client::new(&sdk);
    let pool_key = kms.create_key().send().await.unwrap();
    let pool_key = pool_key.key_metadata.unwrap().arn.unwrap();
    let wrong_key = kms.create_key().send().await.unwrap();
    let wrong_key = wrong_key.key_metadata.unwrap().arn.unwrap();
    let code = encrypt(&sdk, &pool_key, "915372").await;
    let line = event(
        "CustomEmailSender_ForgotPassword",
        "ada",
        &code,
        json!({"email": "ada@example.com"}),
    );

    let output = senders(&moto, &wrong_key, &[line]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stdout}\n{stderr}");
    let answer: Value = serde_json::from_str(stdout.trim()).unwrap();
    assert_eq!(answer["errorType"], "InternalError", "{stdout}");
    // The log says why (the key), and shows neither the code nor its plaintext.
    assert!(
        stderr.contains(&wrong_key) && stderr.contains(&pool_key),
        "{stderr}"
    );
    assert!(
        !stderr.contains("915372") && !stderr.contains(&code),
        "{stderr}"
    );
    assert!(
        !stdout.contains("915372") && !stdout.contains(&code),
        "{stdout}"
    );
    assert!(
        moto.data()["ses"]["Message"]
            .as_array()
            .is_none_or(Vec::is_empty)
    );
}

/// The deployment needs none of the configuration: `senders --template`, `--lambda-config`
/// and `--help` work with no environment at all (the state is built on the first event).
#[test]
fn the_deployment_needs_no_configuration() {
    let arn = "arn:aws:lambda:us-east-1:123456789012:function:senders";
    for args in [&["--template"][..], &["--lambda-config", arn], &["--help"]] {
        let output = Command::new(env!("CARGO_BIN_EXE_senders"))
            .args(args)
            .env_clear()
            .stdin(Stdio::null())
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(0), "{args:?}: {stderr}");
        assert!(stderr.is_empty(), "{args:?}: {stderr}");
        if args[0] != "--help" {
            let json: Value = serde_json::from_slice(&output.stdout).unwrap();
            let config = if args[0] == "--template" {
                json["Resources"]["UserPool"]["Properties"]["LambdaConfig"].clone()
            } else {
                json
            };
            assert_eq!(
                config["CustomEmailSender"]["LambdaVersion"], "V1_0",
                "{config}"
            );
            assert!(config["CustomSMSSender"].is_object(), "{config}");
        }
    }
}

/// Without its configuration, the function answers each event with an internal error (no
/// code reaches the answer or the log) and says once, on stderr, what is missing.
#[test]
fn an_event_without_configuration_is_an_internal_error() {
    let line = event(
        "CustomEmailSender_SignUp",
        "ada",
        "bm90LWEtY29kZQ==",
        json!({"email": "ada@example.com"}),
    );
    let mut child = Command::new(env!("CARGO_BIN_EXE_senders"))
        .env_clear()
        .env("AWS_REGION", "us-east-1")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let input = format!("{line}\n{line}\n");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    let output = child.wait_with_output().unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stdout}\n{stderr}");
    let answers: Vec<Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(answers.len(), 2, "{stdout}");
    for answer in &answers {
        assert_eq!(answer["errorType"], "InternalError", "{stdout}");
    }
    assert!(!stdout.contains("KEY_ARN"), "{stdout}");
    assert_eq!(stderr.matches("KEY_ARN").count(), 1, "{stderr}");
    assert!(!stderr.contains("bm90LWEtY29kZQ"), "{stderr}");
}
