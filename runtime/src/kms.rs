//! The custom senders' `code`, decrypted (contract §15.4): [`CodeDecryptor`], behind the
//! `kms` cargo feature.
//!
//! Cognito encrypts each code (or temporary password) with the AWS Encryption SDK under the
//! pool's KMS key; calling KMS `Decrypt` on it fails, because only the data key inside the
//! message is KMS-encrypted. [`CodeDecryptor`] decrypts it with the official `aws-esdk` crate
//! and a KMS keyring on the key's ARN, checks that the message was made for the event's user
//! pool, and hands back the plaintext as a [`Secret`].
//!
//! The feature is heavy: it builds the AWS Encryption SDK, the KMS client and aws-lc (minutes
//! of clean build time and tens of megabytes of binary, see the README's "Custom senders").
//! Enable it only in the function that serves the custom senders, a function of its own:
//! Cognito invokes the senders asynchronously, so nothing is gained by putting them in the
//! pool that answers the synchronous triggers, and that pool would carry the weight.
//!
//! ```no_run
//! use cognito_trigger::kms::{aws_config, CodeDecryptor};
//! use cognito_trigger::{cognito_trigger, pool, CustomEmailSenderEvent, TriggerError};
//!
//! #[cognito_trigger(CustomEmailSender)]
//! async fn send_email(
//!     event: &CustomEmailSenderEvent<'_>,
//!     decryptor: &CodeDecryptor,
//! ) -> Result<(), TriggerError> {
//!     let code = decryptor.decrypt(event).await?;
//!     let _message = format!("Your code is {}", code.expose()); // hand it to SES, SMTP, ...
//!     Ok(())
//! }
//!
//! #[tokio::main]
//! async fn main() -> Result<(), cognito_trigger::lambda_runtime::Error> {
//!     let sdk = aws_config::load_defaults(aws_config::BehaviorVersion::latest()).await;
//!     let decryptor = CodeDecryptor::from_env(&sdk).await?; // the key ARN from `KEY_ARN`
//!     pool!(state = decryptor; send_email).run().await
//! }
//! ```

use std::fmt;

use aws_esdk::com_amazonaws_kms::types::error::Error as KmsError;
use aws_esdk::material_providers::client::Client as MaterialProviders;
use aws_esdk::material_providers::types::EsdkCommitmentPolicy;
use aws_esdk::material_providers::types::MaterialProvidersConfig;
use aws_esdk::material_providers::types::error::Error as MaterialsError;
use aws_esdk::material_providers::types::keyring::KeyringRef;
use aws_esdk::types::error::Error as EsdkError;

use crate::event::Event;
use crate::kinds::{CustomEmailSender, CustomSmsSender};
use crate::triggers::{CustomEmailSenderSource, CustomSmsSenderSource};
use crate::wire::Secret;

/// The AWS SDK's configuration loader, the version [`CodeDecryptor`] takes an
/// [`SdkConfig`](aws_config::SdkConfig) of.
pub use aws_config;

/// The environment variable [`CodeDecryptor::from_env`] reads the key ARN from.
///
/// ```
/// assert_eq!(cognito_trigger::kms::KEY_ARN_VAR, "KEY_ARN");
/// ```
pub const KEY_ARN_VAR: &str = crate::deploy::SENDER_KEY_ARN_VAR;

/// The encryption context key under which Cognito records the user pool a code was made
/// for.
///
/// ```
/// assert_eq!(cognito_trigger::kms::USER_POOL_CONTEXT_KEY, "userpool-id");
/// ```
pub const USER_POOL_CONTEXT_KEY: &str = "userpool-id";

/// The provider ID of a KMS-encrypted data key in an AWS Encryption SDK message.
const KMS_PROVIDER: &[u8] = b"aws-kms";

/// The most encrypted data keys a message may carry (Cognito's carry one).
const MAX_DATA_KEYS: i64 = 8;

/// How much of an AWS Encryption SDK error's text goes into ours.
const DETAIL_LIMIT: usize = 600;

/// Decrypts the `code` of custom email and SMS sender events.
///
/// Build it once, at cold start, and hold it in the function's state: it holds the AWS
/// Encryption SDK client and a KMS keyring on the pool's key (`KMSKeyID` of the pool's
/// `LambdaConfig`). It talks to whatever KMS endpoint the [`SdkConfig`](aws_config::SdkConfig)
/// names, so a local KMS works as well as AWS's.
///
/// Decryption accepts what Cognito sends: message format 1 with the non-committing suite
/// `0x0378` (real Cognito) and format 2 with `0x0578` (cognito-local); the commitment
/// policy is `REQUIRE_ENCRYPT_ALLOW_DECRYPT`. The message must carry a data key encrypted
/// under this key, and its encryption context's `userpool-id` must be the event's
/// `userPoolId` (see [`allow_missing_pool_context`](Self::allow_missing_pool_context) for
/// emulators that record no context). For `_AdminCreateUser` events the plaintext, a temporary password that
/// Cognito HTML-escapes before encrypting, is unescaped.
///
/// The function's role needs `kms:Decrypt` on the key. `Debug` shows the key ARN only.
///
/// ```no_run
/// use cognito_trigger::kms::{aws_config, CodeDecryptor};
///
/// #[tokio::main]
/// async fn main() -> Result<(), cognito_trigger::kms::SetupError> {
///     let sdk = aws_config::load_defaults(aws_config::BehaviorVersion::latest()).await;
///     let decryptor = CodeDecryptor::new(
///         "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
///         &sdk,
///     )
///     .await?;
///     assert!(decryptor.key_arn().ends_with("1234567890ab"));
///     Ok(())
/// }
/// ```
pub struct CodeDecryptor {
    esdk: aws_esdk::Client,
    keyring: KeyringRef,
    key_arn: String,
    require_pool_context: bool,
}

impl fmt::Debug for CodeDecryptor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CodeDecryptor")
            .field("key_arn", &self.key_arn)
            .field("require_pool_context", &self.require_pool_context)
            .finish_non_exhaustive()
    }
}

impl CodeDecryptor {
    /// A decryptor for the key whose ARN is in the environment variable `KEY_ARN`
    /// ([`KEY_ARN_VAR`]), calling KMS as `sdk` says (region, credentials, endpoint).
    ///
    /// # Errors
    /// [`SetupError::NoKeyArn`] when `KEY_ARN` is unset or empty, and the errors of
    /// [`CodeDecryptor::new`].
    ///
    /// ```no_run
    /// use cognito_trigger::kms::{aws_config, CodeDecryptor};
    ///
    /// #[tokio::main]
    /// async fn main() -> Result<(), cognito_trigger::kms::SetupError> {
    ///     let sdk = aws_config::load_defaults(aws_config::BehaviorVersion::latest()).await;
    ///     let decryptor = CodeDecryptor::from_env(&sdk).await?;
    ///     println!("decrypting with {}", decryptor.key_arn());
    ///     Ok(())
    /// }
    /// ```
    pub async fn from_env(sdk: &aws_config::SdkConfig) -> Result<Self, SetupError> {
        let key_arn = std::env::var(KEY_ARN_VAR).unwrap_or_default();
        if key_arn.trim().is_empty() {
            return Err(SetupError::NoKeyArn);
        }
        Self::new(key_arn.trim(), sdk).await
    }

    /// A decryptor for the KMS key `key_arn`, calling KMS as `sdk` says.
    ///
    /// The key is given by its full key ARN (`arn:aws:kms:<region>:<account>:key/<id>`):
    /// that is what Cognito records in each message, and what the keyring matches. An alias
    /// or a bare key ID would match nothing. Nothing is sent to KMS yet.
    ///
    /// # Errors
    /// [`SetupError::NotAKeyArn`] when `key_arn` is not a key ARN,
    /// [`SetupError::EncryptionSdk`] when the AWS Encryption SDK refuses its configuration.
    ///
    /// ```no_run
    /// use cognito_trigger::kms::{aws_config, CodeDecryptor, SetupError};
    ///
    /// #[tokio::main]
    /// async fn main() -> Result<(), SetupError> {
    ///     // A local KMS (moto_server) works as well: any endpoint the SDK config names.
    ///     let sdk = aws_config::defaults(aws_config::BehaviorVersion::latest())
    ///         .endpoint_url("http://127.0.0.1:5055")
    ///         .region(aws_config::Region::new("us-east-1"))
    ///         .load()
    ///         .await;
    ///     let key = "arn:aws:kms:us-east-1:123456789012:key/0b8d5e4f-6f2a-4c1e-9b1e-2f3a4b5c6d7e";
    ///     let decryptor = CodeDecryptor::new(key, &sdk).await?;
    ///     assert_eq!(decryptor.key_arn(), key);
    ///     assert!(matches!(
    ///         CodeDecryptor::new("alias/cognito", &sdk).await,
    ///         Err(SetupError::NotAKeyArn(_)),
    ///     ));
    ///     Ok(())
    /// }
    /// ```
    pub async fn new(
        key_arn: impl Into<String>,
        sdk: &aws_config::SdkConfig,
    ) -> Result<Self, SetupError> {
        let key_arn = key_arn.into();
        if !is_key_arn(&key_arn) {
            return Err(SetupError::NotAKeyArn(key_arn));
        }
        let setup = |error: EsdkError| SetupError::EncryptionSdk(detail(&error));
        let setup_materials = |error: MaterialsError| SetupError::EncryptionSdk(detail(&error));
        let config = aws_esdk::AwsEncryptionSdkConfig::builder()
            // Real Cognito's messages are non-committing (suite 0x0378); this policy
            // decrypts those and committing ones, and would only ever encrypt committing.
            .commitment_policy(EsdkCommitmentPolicy::RequireEncryptAllowDecrypt)
            // Cognito's messages carry one data key; a message listing many would cost a
            // KMS call for each one under our key.
            .max_encrypted_data_keys(MAX_DATA_KEYS)
            .build()
            .map_err(|e| SetupError::EncryptionSdk(e.to_string()))?;
        let esdk = aws_esdk::Client::from_conf(config).map_err(setup)?;
        let materials = MaterialProviders::from_conf(
            MaterialProvidersConfig::builder()
                .build()
                .map_err(|e| SetupError::EncryptionSdk(e.to_string()))?,
        )
        .map_err(setup_materials)?;
        let keyring = materials
            .create_aws_kms_keyring()
            .kms_key_id(key_arn.clone())
            .kms_client(aws_sdk_kms::Client::new(sdk))
            .send()
            .await
            .map_err(setup_materials)?;
        Ok(Self {
            esdk,
            keyring,
            key_arn,
            require_pool_context: true,
        })
    }

    /// Also accepts messages whose encryption context has no `userpool-id` at all, for
    /// emulators: cognito-local 5.3.0 encrypts its codes without any encryption context.
    /// Real Cognito always records the pool, so leave this off in production; a message
    /// made for *another* pool is refused either way.
    ///
    /// ```no_run
    /// use cognito_trigger::kms::{aws_config, CodeDecryptor};
    ///
    /// async fn decryptor(
    ///     sdk: &aws_config::SdkConfig,
    /// ) -> Result<CodeDecryptor, cognito_trigger::kms::SetupError> {
    ///     let decryptor = CodeDecryptor::from_env(sdk).await?;
    ///     Ok(if std::env::var("COGNITO_EMULATOR").is_ok() {
    ///         decryptor.allow_missing_pool_context()
    ///     } else {
    ///         decryptor
    ///     })
    /// }
    /// ```
    #[must_use]
    pub fn allow_missing_pool_context(mut self) -> Self {
        self.require_pool_context = false;
        self
    }

    /// The ARN of the key this decryptor uses.
    ///
    /// ```no_run
    /// fn show(decryptor: &cognito_trigger::kms::CodeDecryptor) {
    ///     println!("decrypting with {}", decryptor.key_arn());
    /// }
    /// ```
    #[must_use]
    pub fn key_arn(&self) -> &str {
        &self.key_arn
    }

    /// The plaintext of a custom email or SMS sender event's `code`: the verification code,
    /// or for `_AdminCreateUser` the temporary password (HTML escaping undone).
    ///
    /// # Errors
    /// A [`DecryptError`] saying why, never holding the code or the plaintext. Returned from a
    /// handler, it is an internal failure: logged with the request ID, and Lambda retries the
    /// asynchronous invocation.
    ///
    /// ```no_run
    /// use cognito_trigger::kms::{CodeDecryptor, DecryptError};
    /// use cognito_trigger::{CustomSmsSenderEvent, Secret};
    ///
    /// async fn code_of(
    ///     event: &CustomSmsSenderEvent<'_>,
    ///     decryptor: &CodeDecryptor,
    /// ) -> Result<Secret<'static>, DecryptError> {
    ///     decryptor.decrypt(event).await
    /// }
    /// ```
    pub async fn decrypt<E: SenderEvent>(
        &self,
        event: &E,
    ) -> Result<Secret<'static>, DecryptError> {
        let code = event.code().filter(|code| !code.is_empty());
        let code = code.ok_or(DecryptError::NoCode)?;
        let bytes = aws_smithy_types::base64::decode(code.trim())
            .map_err(|_| DecryptError::Malformed("the code is not base64"))?;
        let header = header::parse(&bytes).map_err(DecryptError::Malformed)?;

        // Refuse what cannot be ours before asking KMS: the message's data keys and its
        // (not yet authenticated) encryption context are in the header.
        let keys = header.kms_keys();
        if !keys.iter().any(|key| *key == self.key_arn) {
            return Err(DecryptError::WrongKey {
                expected: self.key_arn.clone(),
                found: keys.into_iter().map(str::to_owned).collect(),
            });
        }
        let pool = event.user_pool_id();
        let check_pool = |found: Option<&str>| match found {
            Some(found) if found == pool => Ok(()),
            None if !self.require_pool_context => Ok(()),
            found => Err(DecryptError::WrongPool {
                expected: pool.to_owned(),
                found: found.map(str::to_owned),
            }),
        };
        check_pool(header.context(USER_POOL_CONTEXT_KEY))?;

        let output = self
            .esdk
            .decrypt()
            .ciphertext(aws_smithy_types::Blob::new(bytes))
            .keyring(self.keyring.clone())
            .send()
            .await
            .map_err(|error| self.refusal(&error))?;
        // The context the message authenticated is the one that counts.
        let context = output.encryption_context.as_ref();
        check_pool(
            context
                .and_then(|c| c.get(USER_POOL_CONTEXT_KEY))
                .map(String::as_str),
        )?;
        let plaintext = output
            .plaintext
            .map(aws_smithy_types::Blob::into_inner)
            .unwrap_or_default();
        let text = String::from_utf8(plaintext).map_err(|_| DecryptError::NotText)?;
        Ok(Secret::new(if event.is_temporary_password() {
            html_escape::decode_html_entities(&text).into_owned()
        } else {
            text
        }))
    }

    /// What an AWS Encryption SDK error on decrypt means: KMS refused the data key, or the
    /// message failed its checks.
    fn refusal(&self, error: &EsdkError) -> DecryptError {
        match kms_error_in(error) {
            Some(kms) => DecryptError::KeyRefused {
                key: self.key_arn.clone(),
                reason: match kms {
                    // What the KMS client said, as text: an error KMS's model does not
                    // list for `Decrypt` (AccessDeniedException), or no answer at all.
                    KmsError::OpaqueWithText { objMessage, .. } => detail(objMessage),
                    modelled => detail(&format!("{modelled:?}")),
                },
            },
            None => DecryptError::Tampered {
                detail: detail(error),
            },
        }
    }
}

/// Whether `text` is a KMS key ARN: `arn:<partition>:kms:<region>:<account>:key/<id>`.
fn is_key_arn(text: &str) -> bool {
    let parts: Vec<&str> = text.splitn(6, ':').collect();
    matches!(
        parts.as_slice(),
        ["arn", partition, "kms", region, account, resource]
            if !partition.is_empty() && !region.is_empty() && !account.is_empty()
                && resource.strip_prefix("key/").is_some_and(|id| !id.is_empty())
    )
}

/// The first KMS error inside an AWS Encryption SDK error, however deeply the keyring
/// wrapped it.
fn kms_error_in(error: &EsdkError) -> Option<&KmsError> {
    fn in_materials(error: &MaterialsError) -> Option<&KmsError> {
        match error {
            MaterialsError::TrentServiceError { error } => Some(error),
            MaterialsError::CollectionOfErrors { list, .. } => list.iter().find_map(in_materials),
            _ => None,
        }
    }
    match error {
        EsdkError::AwsCryptographicMaterialProvidersError { error } => in_materials(error),
        EsdkError::CollectionOfErrors { list, .. } => list.iter().find_map(kms_error_in),
        _ => None,
    }
}

/// An error's text, cut short: the AWS Encryption SDK prints its errors' structure, which
/// can be long. It holds no key material or plaintext.
fn detail(error: &dyn fmt::Display) -> String {
    let text = error.to_string();
    match text.char_indices().nth(DETAIL_LIMIT) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text,
    }
}

/// A custom sender event: [`CustomEmailSenderEvent`](crate::CustomEmailSenderEvent) or
/// [`CustomSmsSenderEvent`](crate::CustomSmsSenderEvent), what [`CodeDecryptor::decrypt`]
/// takes. The trait is sealed.
///
/// ```
/// use cognito_trigger::kms::SenderEvent;
/// use cognito_trigger::{CustomEmailSenderEvent, CustomSmsSenderEvent};
///
/// fn takes<E: SenderEvent>() {}
/// takes::<CustomEmailSenderEvent<'static>>();
/// takes::<CustomSmsSenderEvent<'static>>();
/// ```
pub trait SenderEvent: sealed::Sealed {}

mod sealed {
    /// What [`CodeDecryptor`](super::CodeDecryptor) reads of a sender event.
    pub trait Sealed {
        /// The encrypted code, when the event has one.
        fn code(&self) -> Option<&str>;
        /// The event's `userPoolId`.
        fn user_pool_id(&self) -> &str;
        /// Whether the code is a temporary password (`_AdminCreateUser`).
        fn is_temporary_password(&self) -> bool;
    }
}

impl SenderEvent for Event<'_, CustomEmailSender> {}
impl sealed::Sealed for Event<'_, CustomEmailSender> {
    fn code(&self) -> Option<&str> {
        self.request.code.as_ref().map(Secret::expose)
    }
    fn user_pool_id(&self) -> &str {
        &self.user_pool_id
    }
    fn is_temporary_password(&self) -> bool {
        self.trigger_source == CustomEmailSenderSource::AdminCreateUser
    }
}

impl SenderEvent for Event<'_, CustomSmsSender> {}
impl sealed::Sealed for Event<'_, CustomSmsSender> {
    fn code(&self) -> Option<&str> {
        self.request.code.as_ref().map(Secret::expose)
    }
    fn user_pool_id(&self) -> &str {
        &self.user_pool_id
    }
    fn is_temporary_password(&self) -> bool {
        self.trigger_source == CustomSmsSenderSource::AdminCreateUser
    }
}

/// Why a [`CodeDecryptor`] could not be built.
///
/// ```
/// use cognito_trigger::kms::SetupError;
///
/// assert_eq!(
///     SetupError::NoKeyArn.to_string(),
///     "KEY_ARN is not set: give it the ARN of the user pool's custom sender KMS key",
/// );
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SetupError {
    /// `KEY_ARN` is unset or empty.
    #[error("KEY_ARN is not set: give it the ARN of the user pool's custom sender KMS key")]
    NoKeyArn,
    /// The key is not given by its key ARN.
    #[error(
        "`{0}` is not a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>); an alias or key \
         ID cannot match the key ARN Cognito records in each message"
    )]
    NotAKeyArn(String),
    /// The AWS Encryption SDK refused its configuration.
    #[error("the AWS Encryption SDK refused its configuration: {0}")]
    EncryptionSdk(String),
}

/// Why a custom sender's code could not be decrypted. None of them holds the code or the
/// plaintext; key ARNs and pool IDs are not secret.
///
/// A handler that returns it (or converts it with `?`) fails the invocation as an internal
/// failure: it is logged with the request ID and never shown to anyone.
///
/// ```
/// use cognito_trigger::TriggerError;
/// use cognito_trigger::kms::DecryptError;
///
/// let error = DecryptError::WrongPool {
///     expected: "eu-west-1_EXAMPLE".into(),
///     found: Some("eu-west-1_OTHER".into()),
/// };
/// assert_eq!(
///     error.to_string(),
///     "the code was encrypted for user pool eu-west-1_OTHER, not for the event's pool eu-west-1_EXAMPLE",
/// );
/// assert_eq!(TriggerError::from(error).rejection(), None);
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DecryptError {
    /// The event has no code (`null` or empty): account takeover notices, for one.
    #[error("the event has no code to decrypt")]
    NoCode,
    /// The code is not an AWS Encryption SDK message.
    #[error("the code is not an AWS Encryption SDK message: {0}")]
    Malformed(&'static str),
    /// No data key in the message is encrypted under this decryptor's key: the pool's
    /// `KMSKeyID` and the function's `KEY_ARN` differ.
    #[error("the code was encrypted under {}, not under this function's key {expected}", list(.found))]
    WrongKey {
        /// The key this decryptor uses.
        expected: String,
        /// The KMS keys the message's data keys are encrypted under.
        found: Vec<String>,
    },
    /// The message was made for another user pool than the event's (or for none).
    #[error(
        "the code was encrypted for user pool {}, not for the event's pool {expected}",
        .found.as_deref().unwrap_or("(none)")
    )]
    WrongPool {
        /// The event's `userPoolId`.
        expected: String,
        /// The `userpool-id` of the message's encryption context.
        found: Option<String>,
    },
    /// KMS would not decrypt the data key: no `kms:Decrypt` permission, a disabled or
    /// deleted key, or KMS unreachable.
    #[error("KMS refused to decrypt the code's data key under {key}: {reason}")]
    KeyRefused {
        /// The key this decryptor uses.
        key: String,
        /// What KMS (or the way to it) answered.
        reason: String,
    },
    /// The message failed the AWS Encryption SDK's checks: altered, truncated, or its
    /// signature does not verify.
    #[error("the code failed the AWS Encryption SDK's checks (altered or truncated): {detail}")]
    Tampered {
        /// What the AWS Encryption SDK said.
        detail: String,
    },
    /// The plaintext is not UTF-8 text.
    #[error("the decrypted code is not text")]
    NotText,
}

/// `found` for a message: the keys, or that there were none.
fn list(found: &[String]) -> String {
    if found.is_empty() {
        "no KMS key".to_owned()
    } else {
        found.join(", ")
    }
}

/// Just enough of an AWS Encryption SDK message header to see which keys and which user
/// pool it is for, before asking KMS: the format version, the encryption context and the
/// encrypted data keys' providers.
mod header {
    /// What the header says.
    pub(super) struct Header<'b> {
        context: Vec<(&'b str, &'b str)>,
        /// Provider ID and provider info of each encrypted data key.
        data_keys: Vec<(&'b [u8], &'b [u8])>,
    }

    impl<'b> Header<'b> {
        /// The value of `key` in the encryption context.
        pub(super) fn context(&self, key: &str) -> Option<&'b str> {
            self.context
                .iter()
                .find(|(k, _)| *k == key)
                .map(|(_, v)| *v)
        }

        /// The KMS keys (ARNs) the data keys are encrypted under.
        pub(super) fn kms_keys(&self) -> Vec<&'b str> {
            self.data_keys
                .iter()
                .filter(|(provider, _)| *provider == super::KMS_PROVIDER)
                .filter_map(|(_, info)| std::str::from_utf8(info).ok())
                .collect()
        }
    }

    struct Reader<'b> {
        bytes: &'b [u8],
    }

    const TRUNCATED: &str = "its header is truncated";

    impl<'b> Reader<'b> {
        fn take(&mut self, n: usize) -> Result<&'b [u8], &'static str> {
            if self.bytes.len() < n {
                return Err(TRUNCATED);
            }
            let (head, rest) = self.bytes.split_at(n);
            self.bytes = rest;
            Ok(head)
        }

        fn u8(&mut self) -> Result<u8, &'static str> {
            Ok(self.take(1)?[0])
        }

        fn u16(&mut self) -> Result<u16, &'static str> {
            let b = self.take(2)?;
            Ok(u16::from_be_bytes([b[0], b[1]]))
        }

        /// A field prefixed with its two-byte length.
        fn field(&mut self) -> Result<&'b [u8], &'static str> {
            let n = self.u16()?;
            self.take(usize::from(n))
        }

        fn text(&mut self) -> Result<&'b str, &'static str> {
            std::str::from_utf8(self.field()?).map_err(|_| "its encryption context is not UTF-8")
        }
    }

    /// Reads the header's start: version, type (format 1), suite, message ID, encryption
    /// context and encrypted data keys.
    pub(super) fn parse(bytes: &[u8]) -> Result<Header<'_>, &'static str> {
        let mut r = Reader { bytes };
        let message_id = match r.u8()? {
            1 => {
                if r.u8()? != 0x80 {
                    return Err("its message type is unknown");
                }
                16
            }
            2 => 32,
            _ => return Err("its format version is neither 1 nor 2"),
        };
        let _suite = r.u16()?;
        r.take(message_id)?;
        let context_bytes = r.field()?;
        let mut context = Vec::new();
        if !context_bytes.is_empty() {
            let mut c = Reader {
                bytes: context_bytes,
            };
            for _ in 0..c.u16()? {
                context.push((c.text()?, c.text()?));
            }
            if !c.bytes.is_empty() {
                return Err("its encryption context has trailing bytes");
            }
        }
        let count = r.u16()?;
        if count == 0 {
            return Err("it has no encrypted data key");
        }
        let mut data_keys = Vec::with_capacity(usize::from(count));
        for _ in 0..count {
            let provider = r.field()?;
            let info = r.field()?;
            r.field()?; // the encrypted data key itself
            data_keys.push((provider, info));
        }
        Ok(Header { context, data_keys })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A format-2 header start with `context` and one data key per `(provider, info)`.
    fn header_v2(context: &[(&str, &str)], keys: &[(&str, &str)]) -> Vec<u8> {
        fn field(out: &mut Vec<u8>, bytes: &[u8]) {
            out.extend_from_slice(&u16::try_from(bytes.len()).unwrap_or(0).to_be_bytes());
            out.extend_from_slice(bytes);
        }
        let mut out = vec![2, 0x05, 0x78];
        out.extend_from_slice(&[7; 32]);
        let mut aad = Vec::new();
        if !context.is_empty() {
            aad.extend_from_slice(&u16::try_from(context.len()).unwrap_or(0).to_be_bytes());
            for (k, v) in context {
                field(&mut aad, k.as_bytes());
                field(&mut aad, v.as_bytes());
            }
        }
        field(&mut out, &aad);
        out.extend_from_slice(&u16::try_from(keys.len()).unwrap_or(0).to_be_bytes());
        for (provider, info) in keys {
            field(&mut out, provider.as_bytes());
            field(&mut out, info.as_bytes());
            field(&mut out, &[1, 2, 3]);
        }
        out
    }

    #[test]
    fn the_header_gives_the_keys_and_the_pool() {
        let arn = "arn:aws:kms:us-east-1:123456789012:key/k";
        let bytes = header_v2(
            &[
                ("aws-crypto-public-key", "A1B2"),
                ("userpool-id", "us-east-1_X"),
            ],
            &[("aws-kms", arn), ("raw", "other")],
        );
        let header = header::parse(&bytes).map_err(|e| e.to_owned());
        let header = header.as_ref().map_err(String::as_str);
        assert_eq!(header.map(|h| h.kms_keys()), Ok(vec![arn]));
        assert_eq!(
            header.map(|h| h.context("userpool-id")),
            Ok(Some("us-east-1_X"))
        );
    }

    #[test]
    fn a_broken_header_is_refused() {
        let bytes = header_v2(&[("userpool-id", "p")], &[("aws-kms", "k")]);
        for cut in 0..bytes.len() {
            assert!(header::parse(&bytes[..cut]).is_err(), "cut at {cut}");
        }
        assert!(header::parse(&[3, 0, 0]).is_err());
        assert!(header::parse(&header_v2(&[], &[])).is_err());
    }

    #[test]
    fn key_arns_are_told_from_aliases_and_ids() {
        assert!(is_key_arn(
            "arn:aws:kms:eu-west-1:111122223333:key/1234abcd"
        ));
        assert!(is_key_arn(
            "arn:aws-cn:kms:cn-north-1:111122223333:key/1234abcd"
        ));
        for not in [
            "alias/cognito",
            "1234abcd",
            "arn:aws:kms:eu-west-1:111122223333:alias/cognito",
            "arn:aws:kms:eu-west-1:111122223333:key/",
            "arn:aws:s3:eu-west-1:111122223333:key/x",
        ] {
            assert!(!is_key_arn(not), "{not}");
        }
    }
}
