//! The custom senders' codes decrypted by `cognito_trigger::kms::CodeDecryptor` against a
//! real KMS: moto_server (PyPI), started on a free port for each test and stopped by its
//! handle. The codes are made with the AWS Encryption SDK itself, as Cognito makes them:
//! message format 1 with suite 0x0378 (real Cognito) and format 2 with 0x0578
//! (cognito-local), encryption context `userpool-id`.
//!
//! moto_server is `MOTO_SERVER`, or looked for in `target/tools/e2e` (where `cargo xtask
//! e2e` installs it) and on `PATH`. Without it each test says so loudly on stderr and passes without
//! checking anything, except on CI (`CI` set) or with `COGNITO_TRIGGER_MOTO=required`,
//! where it fails. Run with `cargo test -p cognito-trigger-tests --features kms --test kms`.

// Test code: a panic with the value is the clearest failure.
#![allow(clippy::unwrap_used, clippy::print_stderr)]

use std::collections::HashMap;
use std::process::Command;

use aws_esdk::material_providers::client::Client as MaterialProviders;
use aws_esdk::material_providers::types::{
    EsdkAlgorithmSuiteId, EsdkCommitmentPolicy, MaterialProvidersConfig,
};
use cognito_trigger::kms::{CodeDecryptor, DecryptError, SetupError, aws_config};
use cognito_trigger::{
    Context, CustomEmailSenderEvent, CustomSmsSenderEvent, TriggerError, cognito_trigger, handler,
    invoke,
};

const POOL: &str = "us-east-1_Pool0001";
const OTHER_POOL: &str = "us-east-1_Pool0002";

#[path = "../examples/tests/support/moto.rs"]
mod support_moto;

use support_moto::Moto;

fn moto() -> Option<Moto> {
    Moto::start("kms")
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

async fn create_key(kms: &aws_sdk_kms::Client) -> String {
    let key = kms.create_key().send().await.unwrap();
    key.key_metadata.unwrap().arn.unwrap()
}

/// How Cognito (or cognito-local) shapes the message.
#[derive(Clone, Copy)]
enum Format {
    /// Format 1, suite 0x0378: AES-256-GCM, HKDF-SHA384, ECDSA P-384, non-committing.
    RealCognito,
    /// Format 2, suite 0x0578: the committing suite with ECDSA P-384.
    CognitoLocal,
}

/// `plaintext` encrypted under `key_arn` with the AWS Encryption SDK, for `pool`, base64.
async fn encrypt(
    sdk: &aws_config::SdkConfig,
    key_arn: &str,
    pool: &str,
    plaintext: &str,
    format: Format,
) -> String {
    encrypt_with_context(sdk, key_arn, Some(pool), plaintext, format).await
}

/// `plaintext` encrypted with `userpool-id` = `pool` in the context, or no context at all
/// (what cognito-local 5.3.0 does).
async fn encrypt_with_context(
    sdk: &aws_config::SdkConfig,
    key_arn: &str,
    pool: Option<&str>,
    plaintext: &str,
    format: Format,
) -> String {
    let (policy, suite) = match format {
        Format::RealCognito => (
            EsdkCommitmentPolicy::ForbidEncryptAllowDecrypt,
            EsdkAlgorithmSuiteId::AlgAes256GcmIv12Tag16HkdfSha384EcdsaP384,
        ),
        Format::CognitoLocal => (
            EsdkCommitmentPolicy::RequireEncryptRequireDecrypt,
            EsdkAlgorithmSuiteId::AlgAes256GcmHkdfSha512CommitKeyEcdsaP384,
        ),
    };
    let config = aws_esdk::AwsEncryptionSdkConfig::builder()
        .commitment_policy(policy)
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
        .encryption_context(
            pool.map(|pool| HashMap::from([("userpool-id".to_owned(), pool.to_owned())]))
                .unwrap_or_default(),
        )
        .algorithm_suite_id(suite)
        .send()
        .await
        .unwrap();
    let bytes = output.ciphertext.unwrap().into_inner();
    // What the contract (§15.4) says Cognito sends, checked on the bytes.
    match format {
        Format::RealCognito => assert_eq!(bytes[..4], [0x01, 0x80, 0x03, 0x78]),
        Format::CognitoLocal => assert_eq!(bytes[..3], [0x02, 0x05, 0x78]),
    }
    aws_smithy_types::base64::encode(bytes)
}

fn email_event(source: &str, pool: &str, code: Option<&str>) -> Vec<u8> {
    serde_json::to_vec(&serde_json::json!({
        "version": "1", "triggerSource": format!("CustomEmailSender_{source}"),
        "region": "us-east-1", "userPoolId": pool, "userName": "ada",
        "callerContext": {"awsSdkVersion": "aws-sdk-unknown-unknown", "clientId": "client"},
        "request": {"type": "customEmailSenderRequestV1", "code": code,
                    "userAttributes": {"email": "ada@example.com"}, "clientMetadata": null},
        "response": {}
    }))
    .unwrap()
}

fn sms_event(source: &str, pool: &str, code: &str) -> Vec<u8> {
    serde_json::to_vec(&serde_json::json!({
        "version": "1", "triggerSource": format!("CustomSMSSender_{source}"),
        "region": "us-east-1", "userPoolId": pool, "userName": "ada",
        "callerContext": {"awsSdkVersion": "aws-sdk-unknown-unknown", "clientId": "client"},
        "request": {"type": "customSMSSenderRequestV1", "code": code,
                    "userAttributes": {"phone_number": "+15555550100"}, "clientMetadata": null},
        "response": {}
    }))
    .unwrap()
}

/// Decrypts the code of an email event.
async fn decrypt_email(
    decryptor: &CodeDecryptor,
    event: &[u8],
) -> Result<cognito_trigger::Secret<'static>, DecryptError> {
    let event = CustomEmailSenderEvent::from_slice(event).unwrap();
    decryptor.decrypt(&event).await
}

/// Checks `error` is an internal failure (never a rejection) that shows none of `secrets`.
fn internal(error: DecryptError, secrets: &[&str]) {
    let shown = format!("{error} {error:?}");
    for secret in secrets {
        assert!(!shown.contains(secret), "{shown} shows a secret");
    }
    assert_eq!(TriggerError::from(error).rejection(), None, "{shown}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_real_cognito_message_format_1_suite_0378_decrypts() {
    let Some(moto) = moto() else { return };
    let sdk = sdk(&moto).await;
    let key = create_key(&aws_sdk_kms::Client::new(&sdk)).await;
    let code = encrypt(&sdk, &key, POOL, "123456", Format::RealCognito).await;
    let decryptor = CodeDecryptor::new(&key, &sdk).await.unwrap();
    let plaintext = decrypt_email(&decryptor, &email_event("SignUp", POOL, Some(&code))).await;
    assert_eq!(plaintext.unwrap().expose(), "123456");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_cognito_local_message_format_2_suite_0578_decrypts_for_sms() {
    let Some(moto) = moto() else { return };
    let sdk = sdk(&moto).await;
    let key = create_key(&aws_sdk_kms::Client::new(&sdk)).await;
    let code = encrypt(&sdk, &key, POOL, "654321", Format::CognitoLocal).await;
    let decryptor = CodeDecryptor::new(&key, &sdk).await.unwrap();
    let event = sms_event("Authentication", POOL, &code);
    let event = CustomSmsSenderEvent::from_slice(&event).unwrap();
    assert_eq!(decryptor.decrypt(&event).await.unwrap().expose(), "654321");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_key_is_given_by_its_arn_from_the_environment_or_explicitly() {
    let Some(moto) = moto() else { return };
    let sdk = sdk(&moto).await;
    let key = create_key(&aws_sdk_kms::Client::new(&sdk)).await;
    assert!(matches!(
        CodeDecryptor::new("alias/cognito-senders", &sdk).await,
        Err(SetupError::NotAKeyArn(_))
    ));
    let decryptor = CodeDecryptor::new(&key, &sdk).await.unwrap();
    assert_eq!(decryptor.key_arn(), key);
    assert_eq!(
        format!("{decryptor:?}"),
        format!("CodeDecryptor {{ key_arn: {key:?}, require_pool_context: true, .. }}")
    );
    // `from_env` reads KEY_ARN: run `decrypts_with_the_key_arn_from_the_environment` in a
    // child process with it set (this crate forbids the `unsafe` that `set_var` needs).
    let code = encrypt(&sdk, &key, POOL, "777777", Format::RealCognito).await;
    for (key_arn, expected) in [(key.as_str(), "decrypted"), ("", "no key")] {
        let output = Command::new(std::env::current_exe().unwrap())
            .args([
                "--ignored",
                "--exact",
                "decrypts_with_the_key_arn_from_the_environment",
            ])
            .env("KEY_ARN", key_arn)
            .env("TEST_KMS_ENDPOINT", moto.endpoint())
            .env("TEST_CODE", &code)
            .env("TEST_EXPECT", expected)
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert!(output.status.success(), "{stdout}");
        assert!(stdout.contains("1 passed"), "{stdout}");
    }
}

/// Run by the test above, in a child process with KEY_ARN set.
#[tokio::test(flavor = "multi_thread")]
#[ignore = "run by the_key_is_given_by_its_arn_from_the_environment_or_explicitly"]
async fn decrypts_with_the_key_arn_from_the_environment() {
    let endpoint = std::env::var("TEST_KMS_ENDPOINT").unwrap();
    let sdk = aws_config::defaults(aws_config::BehaviorVersion::latest())
        .endpoint_url(endpoint)
        .region(aws_config::Region::new("us-east-1"))
        .credentials_provider(aws_sdk_kms::config::Credentials::new(
            "testing", "testing", None, None, "moto",
        ))
        .load()
        .await;
    let decryptor = CodeDecryptor::from_env(&sdk).await;
    match std::env::var("TEST_EXPECT").unwrap().as_str() {
        "decrypted" => {
            let code = std::env::var("TEST_CODE").unwrap();
            let event = email_event("SignUp", POOL, Some(&code));
            let plaintext = decrypt_email(&decryptor.unwrap(), &event).await;
            assert_eq!(plaintext.unwrap().expose(), "777777");
        }
        _ => assert!(
            matches!(decryptor, Err(SetupError::NoKeyArn)),
            "{decryptor:?}"
        ),
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn an_invitation_s_temporary_password_is_unescaped() {
    let Some(moto) = moto() else { return };
    let sdk = sdk(&moto).await;
    let key = create_key(&aws_sdk_kms::Client::new(&sdk)).await;
    let decryptor = CodeDecryptor::new(&key, &sdk).await.unwrap();
    // Cognito HTML-escapes temporary passwords before encrypting them (§15.4).
    let escaped = "P&lt;a&gt;ss&amp;w&quot;rd&#39;1";
    for format in [Format::RealCognito, Format::CognitoLocal] {
        let code = encrypt(&sdk, &key, POOL, escaped, format).await;
        let invitation = email_event("AdminCreateUser", POOL, Some(&code));
        let password = decrypt_email(&decryptor, &invitation).await.unwrap();
        assert_eq!(password.expose(), "P<a>ss&w\"rd'1");
        let sms = sms_event("AdminCreateUser", POOL, &code);
        let sms = CustomSmsSenderEvent::from_slice(&sms).unwrap();
        assert_eq!(
            decryptor.decrypt(&sms).await.unwrap().expose(),
            "P<a>ss&w\"rd'1"
        );
        // Anything but an invitation is left as it decrypts.
        let reset = email_event("ForgotPassword", POOL, Some(&code));
        assert_eq!(
            decrypt_email(&decryptor, &reset).await.unwrap().expose(),
            escaped
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_code_for_another_pool_is_refused() {
    let Some(moto) = moto() else { return };
    let sdk = sdk(&moto).await;
    let key = create_key(&aws_sdk_kms::Client::new(&sdk)).await;
    let decryptor = CodeDecryptor::new(&key, &sdk).await.unwrap();
    for format in [Format::RealCognito, Format::CognitoLocal] {
        let code = encrypt(&sdk, &key, OTHER_POOL, "111111", format).await;
        let error = decrypt_email(&decryptor, &email_event("SignUp", POOL, Some(&code)))
            .await
            .unwrap_err();
        match &error {
            DecryptError::WrongPool { expected, found } => {
                assert_eq!(expected, POOL);
                assert_eq!(found.as_deref(), Some(OTHER_POOL));
            }
            other => panic!("{other:?}"),
        }
        internal(error, &["111111", &code]);
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_code_without_a_pool_is_refused_unless_allowed_for_emulators() {
    let Some(moto) = moto() else { return };
    let sdk = sdk(&moto).await;
    let key = create_key(&aws_sdk_kms::Client::new(&sdk)).await;
    let strict = CodeDecryptor::new(&key, &sdk).await.unwrap();
    let lenient = CodeDecryptor::new(&key, &sdk)
        .await
        .unwrap()
        .allow_missing_pool_context();
    // cognito-local 5.3.0 encrypts with no encryption context at all.
    let code = encrypt_with_context(&sdk, &key, None, "121212", Format::CognitoLocal).await;
    let event = email_event("SignUp", POOL, Some(&code));
    let error = decrypt_email(&strict, &event).await.unwrap_err();
    assert!(
        matches!(&error, DecryptError::WrongPool { found: None, .. }),
        "{error:?}"
    );
    internal(error, &["121212", &code]);
    assert_eq!(
        decrypt_email(&lenient, &event).await.unwrap().expose(),
        "121212"
    );
    // Another pool is refused all the same.
    let other = encrypt(&sdk, &key, OTHER_POOL, "343434", Format::CognitoLocal).await;
    let error = decrypt_email(&lenient, &email_event("SignUp", POOL, Some(&other)))
        .await
        .unwrap_err();
    assert!(
        matches!(&error, DecryptError::WrongPool { found: Some(_), .. }),
        "{error:?}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_code_under_another_key_is_refused() {
    let Some(moto) = moto() else { return };
    let sdk = sdk(&moto).await;
    let kms = aws_sdk_kms::Client::new(&sdk);
    let (ours, theirs) = (create_key(&kms).await, create_key(&kms).await);
    let decryptor = CodeDecryptor::new(&ours, &sdk).await.unwrap();
    let code = encrypt(&sdk, &theirs, POOL, "222222", Format::RealCognito).await;
    let error = decrypt_email(&decryptor, &email_event("SignUp", POOL, Some(&code)))
        .await
        .unwrap_err();
    match &error {
        DecryptError::WrongKey { expected, found } => {
            assert_eq!(expected, &ours);
            assert_eq!(found, std::slice::from_ref(&theirs));
        }
        other => panic!("{other:?}"),
    }
    internal(error, &["222222", &code]);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_tampered_or_malformed_code_is_refused() {
    let Some(moto) = moto() else { return };
    let sdk = sdk(&moto).await;
    let key = create_key(&aws_sdk_kms::Client::new(&sdk)).await;
    let decryptor = CodeDecryptor::new(&key, &sdk).await.unwrap();
    for format in [Format::RealCognito, Format::CognitoLocal] {
        let code = encrypt(&sdk, &key, POOL, "333333", format).await;
        let bytes = aws_smithy_types::base64::decode(&code).unwrap();
        // A flipped bit in the header's message ID, in the body, in the signature at the
        // very end, and a cut message.
        let middle = bytes.len() - 120;
        let last = bytes.len() - 1;
        for (what, altered) in [
            ("header", flip(&bytes, 10)),
            ("body", flip(&bytes, middle)),
            ("signature", flip(&bytes, last)),
            ("truncated", bytes[..bytes.len() - 40].to_vec()),
        ] {
            let altered = aws_smithy_types::base64::encode(&altered);
            let error = decrypt_email(&decryptor, &email_event("SignUp", POOL, Some(&altered)))
                .await
                .unwrap_err();
            assert!(
                matches!(error, DecryptError::Tampered { .. }),
                "{what}: {error:?}"
            );
            internal(error, &["333333", &altered]);
        }
    }
    for (what, code) in [
        ("not base64", "!!!not base64!!!"),
        ("not a message", "AAECAwQFBgcICQ=="),
    ] {
        let error = decrypt_email(&decryptor, &email_event("SignUp", POOL, Some(code)))
            .await
            .unwrap_err();
        assert!(
            matches!(error, DecryptError::Malformed(_)),
            "{what}: {error:?}"
        );
        internal(error, &[code]);
    }
}

fn flip(bytes: &[u8], at: usize) -> Vec<u8> {
    let mut altered = bytes.to_vec();
    altered[at] ^= 0x01;
    altered
}

#[tokio::test(flavor = "multi_thread")]
async fn an_event_without_a_code_is_refused() {
    let Some(moto) = moto() else { return };
    let sdk = sdk(&moto).await;
    let key = create_key(&aws_sdk_kms::Client::new(&sdk)).await;
    let decryptor = CodeDecryptor::new(&key, &sdk).await.unwrap();
    for event in [
        email_event("AccountTakeOverNotification", POOL, None),
        email_event("SignUp", POOL, Some("")),
    ] {
        let error = decrypt_email(&decryptor, &event).await.unwrap_err();
        assert!(matches!(error, DecryptError::NoCode), "{error:?}");
        internal(error, &[]);
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_data_key_kms_will_not_decrypt_with_this_key_is_refused() {
    let Some(moto) = moto() else { return };
    let sdk = sdk(&moto).await;
    let kms = aws_sdk_kms::Client::new(&sdk);
    let (ours, theirs) = (create_key(&kms).await, create_key(&kms).await);
    let decryptor = CodeDecryptor::new(&ours, &sdk).await.unwrap();
    // A message whose data key is encrypted under another key but labelled with ours: the
    // header check passes, and KMS, asked to decrypt the data key with our key, refuses
    // with AccessDeniedException, what it also answers a role without `kms:Decrypt`.
    let code = encrypt(&sdk, &theirs, POOL, "444444", Format::RealCognito).await;
    let mut bytes = aws_smithy_types::base64::decode(&code).unwrap();
    assert_eq!(ours.len(), theirs.len());
    let at = bytes
        .windows(theirs.len())
        .position(|w| w == theirs.as_bytes())
        .unwrap();
    bytes[at..at + ours.len()].copy_from_slice(ours.as_bytes());
    let relabelled = aws_smithy_types::base64::encode(&bytes);
    let event = email_event("SignUp", POOL, Some(&relabelled));
    let error = decrypt_email(&decryptor, &event).await.unwrap_err();
    match &error {
        DecryptError::KeyRefused { key, reason } => {
            assert_eq!(key, &ours);
            assert!(reason.contains("AccessDeniedException"), "{reason}");
        }
        other => panic!("{other:?}"),
    }
    internal(error, &["444444", &relabelled]);
}

/// A handler as a user writes it, run through the framework: a decryption failure is an
/// internal error whose message names only the request ID.
#[cognito_trigger(CustomEmailSender)]
async fn deliver(
    event: &CustomEmailSenderEvent<'_>,
    decryptor: &CodeDecryptor,
) -> Result<(), TriggerError> {
    let code = decryptor.decrypt(event).await?;
    assert_eq!(code.expose(), "555555");
    Ok(())
}

#[tokio::test(flavor = "multi_thread")]
async fn a_handler_s_decryption_failure_is_an_internal_error() {
    let Some(moto) = moto() else { return };
    let sdk = sdk(&moto).await;
    let key = create_key(&aws_sdk_kms::Client::new(&sdk)).await;
    let decryptor = CodeDecryptor::new(&key, &sdk).await.unwrap();
    let code = encrypt(&sdk, &key, POOL, "555555", Format::RealCognito).await;
    let good = email_event("SignUp", POOL, Some(&code));
    let answer = invoke(&handler!(deliver), &good, &Context::new("r1"), &decryptor).await;
    assert!(answer.is_ok(), "{answer:?}");
    let wrong_pool = email_event("SignUp", OTHER_POOL, Some(&code));
    let error = invoke(
        &handler!(deliver),
        &wrong_pool,
        &Context::new("r2"),
        &decryptor,
    )
    .await
    .unwrap_err();
    assert_eq!(error.error_type(), "InternalError");
    assert!(!error.error_message().contains("555555"));
    assert!(!error.error_message().contains(&code));
    assert!(
        error.error_message().contains("r2"),
        "{}",
        error.error_message()
    );
}
