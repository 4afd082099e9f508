//! The trigger table's types: a marker type per trigger with its [`Trigger`] impl and event
//! alias, [`AnyEvent`], and the one decoding entry point, [`decode`].

use std::borrow::Cow;

use serde::{Serialize, Serializer};

use crate::error::DecodeError;
use crate::event::{Event, EventVersion, Head, RawEvent, Trigger, TriggerSource, private};
use crate::table::{MAX_SOURCES_PER_TRIGGER, TriggerKind, for_each_trigger};
use crate::triggers::*;

/// A response left as Cognito pre-filled it: the `settle` of triggers without fail-safe
/// defaults.
fn keep_cognito_defaults<R>(_response: &mut R) {}

/// The `secrets` of triggers whose request carries none.
fn no_secrets<Q>(_request: &Q) -> Vec<&str> {
    Vec::new()
}

/// Declares each trigger's marker type and event alias, and [`AnyEvent`], from the table.
macro_rules! trigger_types {
    ($(
        $(#[$meta:meta])*
        $marker:ident {
            name: $name:literal,
            source_prefix: $prefix:literal,
            event_versions: $versions:expr,
            config_key: $config_key:literal,
            lambda_version: $lambda_version:expr,
            kms_key: $kms_key:literal,
            cognito_waits: $waits:literal,
            on_timeout: $on_timeout:ident,
            aliases: [$($alias:ident),*],
            source: $source:ty,
            never_sent: [$($never_sent:ident),*],
            request: $request:ident,
            response: $response:ty,
            event: $event:ident,
            settle: $settle:path,
            secrets: $secrets:path,
            rules: $rules:path,
            template: $template:path,
        }
    )*) => {
        $(
            $(#[$meta])*
            #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
            pub struct $marker;

            impl private::Sealed for $marker {}

            impl Trigger for $marker {
                const KIND: TriggerKind = TriggerKind::$marker;
                type Source = $source;
                type Request<'a> = $request<'a>;
                type Response = $response;
                fn settle(response: &mut Self::Response) {
                    $settle(response)
                }
                fn secrets<'r>(request: &'r Self::Request<'_>) -> Vec<&'r str> {
                    $secrets(request)
                }
            }

            const _: () = ::std::assert!(
                <$source as TriggerSource>::COUNT <= MAX_SOURCES_PER_TRIGGER,
                "a handler's claim holds at most MAX_SOURCES_PER_TRIGGER sources",
            );

            #[doc = concat!("A ", $name, " event: [`Event`] of [`", stringify!($marker), "`].")]
            pub type $event<'a> = Event<'a, $marker>;
        )*

        impl TriggerKind {
            /// The position of `trigger_source` among this trigger's documented sources.
            ///
            /// ```
            /// use cognito_trigger::TriggerKind;
            ///
            /// assert_eq!(TriggerKind::PostConfirmation.source_position("PostConfirmation_ConfirmForgotPassword"), Some(1));
            /// assert_eq!(TriggerKind::PostConfirmation.source_position("PostConfirmation_Tomorrow"), None);
            /// ```
            #[must_use]
            pub fn source_position(self, trigger_source: &str) -> Option<usize> {
                match self {
                    $( Self::$marker => <$source>::KNOWN.iter().position(|s| s.as_str() == trigger_source), )*
                }
            }

            /// The documented `triggerSource` values Cognito sends to this trigger, as on the
            /// wire.
            ///
            /// ```
            /// use cognito_trigger::TriggerKind;
            ///
            /// assert_eq!(TriggerKind::PostConfirmation.sources(), [
            ///     "PostConfirmation_ConfirmSignUp",
            ///     "PostConfirmation_ConfirmForgotPassword",
            /// ]);
            /// ```
            #[must_use]
            pub fn sources(self) -> Vec<&'static str> {
                match self {
                    $( Self::$marker => <$source>::KNOWN
                        .iter()
                        .filter(|source| ![$(<$source>::$never_sent),*].contains(*source))
                        .map(|source| source.as_str())
                        .collect(), )*
                }
            }

            /// The names of the Rust types the attribute macro refers to: the marker, the
            /// event alias, the source enum and its variants. Read by the macro crate's
            /// code generator.
            #[cfg(test)]
            pub(crate) fn type_names(self) -> (&'static str, &'static str, &'static str, Vec<&'static str>) {
                match self {
                    $( Self::$marker => (
                        stringify!($marker),
                        stringify!($event),
                        stringify!($source),
                        <$source>::VARIANT_NAMES
                            .iter()
                            .copied()
                            .filter(|name| ![$(stringify!($never_sent)),*].contains(name))
                            .collect(),
                    ), )*
                }
            }
        }

        /// An event of any trigger, as [`decode`] returns it.
        ///
        /// ```
        /// use cognito_trigger::{decode, AnyEvent};
        ///
        /// let event = decode(br#"{"version":"1","triggerSource":"PostConfirmation_ConfirmSignUp",
        ///   "request":{"userAttributes":{"sub":"42"}},"response":{}}"#)?;
        /// match event {
        ///     AnyEvent::PostConfirmation(event) => assert_eq!(event.request.user_attributes.get("sub"), Some("42")),
        ///     other => panic!("unexpected {:?}", other.kind()),
        /// }
        /// Ok::<(), cognito_trigger::DecodeError>(())
        /// ```
        #[derive(Clone, Debug, PartialEq)]
        #[non_exhaustive]
        pub enum AnyEvent<'a> {
            $( $(#[$meta])* $marker($event<'a>), )*
            /// A well-formed event of a trigger, or a pre token generation version, that
            /// this version of the crate does not know. Kept whole, so it can be answered
            /// by echoing it back.
            Unrecognized(UnrecognizedEvent<'a>),
        }

        impl<'a> AnyEvent<'a> {
            /// Which trigger the event belongs to; `None` when unrecognized.
            ///
            /// ```
            /// use cognito_trigger::{decode, TriggerKind};
            ///
            /// let sign_up = decode(br#"{"version":"1","triggerSource":"PreSignUp_SignUp","request":{},"response":{}}"#)?;
            /// assert_eq!(sign_up.kind(), Some(TriggerKind::PreSignUp));
            /// let newer = decode(br#"{"version":"1","triggerSource":"NewTrigger_Something"}"#)?;
            /// assert_eq!(newer.kind(), None);
            /// Ok::<(), cognito_trigger::DecodeError>(())
            /// ```
            #[must_use]
            pub fn kind(&self) -> Option<TriggerKind> {
                match self {
                    $( Self::$marker(_) => Some(TriggerKind::$marker), )*
                    Self::Unrecognized(_) => None,
                }
            }

            /// The event's `triggerSource`.
            ///
            /// ```
            /// use cognito_trigger::decode;
            ///
            /// let event = decode(br#"{"version":"1","triggerSource":"CustomMessage_ResendCode","request":{},"response":{}}"#)?;
            /// assert_eq!(event.trigger_source(), "CustomMessage_ResendCode");
            /// Ok::<(), cognito_trigger::DecodeError>(())
            /// ```
            #[must_use]
            pub fn trigger_source(&self) -> &str {
                match self {
                    $( Self::$marker(event) => event.trigger_source.as_str(), )*
                    Self::Unrecognized(event) => &event.trigger_source,
                }
            }

            /// The event's `version`.
            ///
            /// ```
            /// use cognito_trigger::{decode, TriggerKind};
            ///
            /// let event = decode(br#"{"version":"2","triggerSource":"TokenGeneration_Authentication",
            ///   "request":{},"response":{}}"#)?;
            /// assert_eq!(event.version().as_str(), "2");
            /// assert_eq!(event.kind(), Some(TriggerKind::PreTokenGenerationV2));
            /// Ok::<(), cognito_trigger::DecodeError>(())
            /// ```
            #[must_use]
            pub fn version(&self) -> &EventVersion<'a> {
                match self {
                    $( Self::$marker(event) => &event.version, )*
                    Self::Unrecognized(event) => &event.version,
                }
            }

            #[inline]
            fn from_raw(raw: RawEvent<'a>, kind: Option<TriggerKind>) -> Result<Self, DecodeError> {
                Ok(match kind {
                    $( Some(TriggerKind::$marker) => Self::$marker(Event::from_raw_unchecked(raw)?), )*
                    None => Self::Unrecognized(UnrecognizedEvent::new(raw)),
                })
            }

            /// The event that `head` routes to, in one scan of `bytes`
            /// ([`Event::decode_in_one_pass`]).
            #[inline]
            fn decode_in_one_pass(bytes: &'a [u8], head: &Head<'_>) -> Option<Self> {
                Some(match head.kind().ok()?? {
                    $( TriggerKind::$marker => Self::$marker(Event::decode_in_one_pass(bytes, head)?.0), )*
                })
            }
        }

        impl Serialize for AnyEvent<'_> {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                match self {
                    $( Self::$marker(event) => event.serialize(serializer), )*
                    Self::Unrecognized(event) => event.raw.serialize(serializer),
                }
            }
        }
    };
}

for_each_trigger!(trigger_types);

/// An event this version of the crate cannot type: its trigger, or its pre token
/// generation version, is newer than the crate. It is kept whole.
///
/// ```
/// use cognito_trigger::{decode, AnyEvent};
///
/// let bytes = br#"{"version":"9","triggerSource":"TokenGeneration_Authentication","request":{}}"#;
/// let AnyEvent::Unrecognized(event) = decode(bytes)? else { unreachable!() };
/// assert_eq!(event.trigger_source, "TokenGeneration_Authentication");
/// assert_eq!(event.version.as_str(), "9");
/// assert_eq!(event.raw.request.unwrap().get(), "{}");
/// Ok::<(), cognito_trigger::DecodeError>(())
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct UnrecognizedEvent<'a> {
    /// The event's `triggerSource`.
    pub trigger_source: Cow<'a, str>,
    /// The event's `version`.
    pub version: EventVersion<'a>,
    /// The whole event, with its envelope decoded.
    pub raw: RawEvent<'a>,
}

impl<'a> UnrecognizedEvent<'a> {
    fn new(raw: RawEvent<'a>) -> Self {
        Self {
            trigger_source: raw.trigger_source.clone().unwrap_or_default(),
            version: raw.version.clone(),
            raw,
        }
    }
}

/// Decodes the bytes of any Cognito trigger event into the typed event of whichever
/// trigger its `triggerSource` (and, for pre token generation, `version`) names.
///
/// ```
/// use cognito_trigger::{decode, AnyEvent};
///
/// let bytes = br#"{"version":"1","triggerSource":"CustomMessage_ForgotPassword",
///   "region":"eu-west-1","userPoolId":"eu-west-1_EXAMPLE","userName":"ada",
///   "callerContext":{"awsSdkVersion":"x","clientId":"1example"},
///   "request":{"userAttributes":{},"codeParameter":"{####}","usernameParameter":null},
///   "response":{"smsMessage":null,"emailMessage":null,"emailSubject":null}}"#;
/// match decode(bytes)? {
///     AnyEvent::CustomMessage(event) => assert_eq!(event.request.code_parameter, "{####}"),
///     other => panic!("unexpected {:?}", other.kind()),
/// }
/// Ok::<(), cognito_trigger::DecodeError>(())
/// ```
///
/// # Errors
/// When the bytes are not a Cognito trigger event; the error says what is wrong.
#[inline]
pub fn decode(bytes: &[u8]) -> Result<AnyEvent<'_>, DecodeError> {
    // `#[inline]` here and on the two `AnyEvent` decoders this calls: compiled in the crate
    // that calls them, not in this library. They instantiate every trigger's decoders, which
    // was two thirds of this library's release build (17.7 s -> 6.8 s without them), paid
    // by every user, most of whom serve their triggers through handlers and never call this.
    //
    // Routed by its head and read once where it can be; the two steps below take an event
    // whose head was guessed wrong (a nested `triggerSource` in front) and say what is
    // wrong with anything else.
    if let Some(head) = Head::peek(bytes)
        && let Some(event) = AnyEvent::decode_in_one_pass(bytes, &head)
    {
        return Ok(event);
    }
    let raw = RawEvent::parse(bytes)?;
    let kind = raw.kind()?;
    AnyEvent::from_raw(raw, kind)
}

/// The macro crate's list of kinds (`macros/src/table.rs`), generated from the table: the
/// macro crate cannot depend on this one. `cargo xtask codegen` writes it; this test fails
/// when it is stale, whichever side changed.
#[cfg(test)]
mod codegen {
    use std::fmt::Write as _;

    use crate::table::TriggerKind;

    fn generate() -> String {
        let mut out = String::from(
            "//! @generated by `cargo xtask codegen` from the runtime's trigger table\n\
             //! (`runtime/src/table.rs`). Do not edit: a runtime test fails when this is stale.\n\
             \n\
             use crate::kinds::Kind;\n\
             \n\
             /// Every kind the attribute accepts, in the runtime's order; an alias comes before\n\
             /// the kind it names.\n\
             pub(crate) const KINDS: &[Kind] = &[\n",
        );
        for &kind in TriggerKind::ALL {
            let (marker, event, source_enum, sources) = kind.type_names();
            let sources: Vec<String> = sources.iter().map(|s| format!("{s:?}")).collect();
            for name in kind.aliases().iter().chain([&marker]) {
                writeln!(
                    out,
                    "    Kind {{\n        name: {name:?},\n        marker: {marker:?},\n        \
                     event: {event:?},\n        source_enum: {source_enum:?},\n        \
                     sources: &[{}],\n    }},",
                    sources.join(", ")
                )
                .expect("writing to a String cannot fail");
            }
        }
        out.push_str("];\n");
        out
    }

    #[test]
    fn macro_kind_list_is_fresh() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../macros/src/table.rs");
        let fresh = generate();
        if std::env::var_os("COGNITO_TRIGGER_CODEGEN").is_some_and(|v| v == "write") {
            std::fs::write(path, &fresh).expect("macros/src/table.rs is writable");
            return;
        }
        let committed = std::fs::read_to_string(path).unwrap_or_default();
        assert!(
            committed == fresh,
            "macros/src/table.rs is stale: run `cargo xtask codegen` and commit the result"
        );
    }
}

/// The one-pass decode ([`Event::decode_in_one_pass`]) against the two steps it stands in
/// for ([`RawEvent::parse`], [`Event::from_raw`]), on every event the workspace holds and,
/// when it is there, the shared corpus beside it.
#[cfg(test)]
mod one_pass {
    use std::path::{Path, PathBuf};

    use super::{AnyEvent, InboundFederation, PreSignUp, decode};
    use crate::error::DecodeError;
    use crate::event::{Event, Head, RawEvent, Trigger};

    /// Every event in the `.json` files and `.jsonl` lines under `dir`, with where it is from.
    fn events_under(dir: &Path, events: &mut Vec<(String, Vec<u8>)>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        let mut paths: Vec<PathBuf> = entries
            .map(|entry| entry.expect("directory entry").path())
            .collect();
        paths.sort();
        for path in paths {
            let name = path.display().to_string();
            match path.extension().and_then(|ext| ext.to_str()) {
                _ if path.is_dir() => events_under(&path, events),
                Some("json") => events.push((name, std::fs::read(&path).expect("readable"))),
                Some("jsonl") => {
                    let text = std::fs::read_to_string(&path).expect("readable");
                    for (line, event) in text
                        .lines()
                        .enumerate()
                        .filter(|(_, l)| !l.trim().is_empty())
                    {
                        events.push((format!("{name}:{}", line + 1), event.as_bytes().to_vec()));
                    }
                }
                _ => {}
            }
        }
    }

    /// The envelope's fields, other than the two that route an event.
    const ENVELOPE: [&str; 6] = [
        "region",
        "userPoolId",
        "userName",
        "callerContext",
        "request",
        "response",
    ];

    fn two_steps(bytes: &[u8]) -> Option<AnyEvent<'_>> {
        let raw = RawEvent::parse(bytes).ok()?;
        let kind = raw.kind().ok()?;
        AnyEvent::from_raw(raw, kind).ok()
    }

    #[test]
    fn gives_the_events_the_two_steps_give() {
        let workspace = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let mut events = Vec::new();
        for dir in ["tests/events", "examples/events", "../shared/fixtures"] {
            events_under(&workspace.join(dir), &mut events);
        }
        // Each envelope field null, then absent: what Cognito may send, and where the
        // presence bits matter.
        let mut variants = Vec::new();
        for (name, bytes) in &events {
            let Ok(serde_json::Value::Object(event)) = serde_json::from_slice(bytes) else {
                continue;
            };
            for field in ENVELOPE {
                let mut nulled = event.clone();
                nulled.insert(field.into(), serde_json::Value::Null);
                let mut removed = event.clone();
                removed.remove(field);
                // In front of the head (keys are sorted here), a nested head of another
                // trigger, which the text's first `"triggerSource":` names.
                let mut decoy = event.clone();
                decoy.insert(
                    "aDecoy".into(),
                    serde_json::json!({"triggerSource": "PreTokenGeneration_Authentication", "version": "3"}),
                );
                for (how, variant) in [("null", nulled), ("absent", removed), ("decoyed", decoy)] {
                    let bytes = serde_json::to_vec(&variant).expect("serializes");
                    variants.push((format!("{name} with {field} {how}"), bytes));
                }
            }
        }
        events.extend(variants);
        assert!(
            events.len() > 50,
            "only {} events found under {}",
            events.len(),
            workspace.display()
        );
        let (mut typed, mut decoys_refused) = (0, 0);
        for (name, bytes) in &events {
            let Some(expected) = two_steps(bytes) else {
                continue;
            };
            let Some(kind) = expected.kind() else {
                continue;
            };
            typed += 1;
            let head = Head::peek(bytes).expect("a head");
            let one_pass = AnyEvent::decode_in_one_pass(bytes, &head);
            if head.kind() == Ok(Some(kind)) && head.trigger_source == expected.trigger_source() {
                assert_eq!(one_pass.as_ref(), Some(&expected), "{name}");
                assert_eq!(
                    serde_json::to_string(&one_pass).expect("serializes"),
                    serde_json::to_string(&Some(&expected)).expect("serializes"),
                    "{name}"
                );
            } else {
                // A decoy's head, guessed and not confirmed: routed again.
                assert!(
                    head.guessed && name.ends_with("decoyed"),
                    "{name}: {head:?}"
                );
                assert!(one_pass.is_none(), "{name}");
                decoys_refused += 1;
            }
            assert_eq!(decode(bytes).ok().as_ref(), Some(&expected), "{name}");
        }
        assert!(typed > 50, "only {typed} typed events");
        assert!(decoys_refused > 50, "only {decoys_refused} decoys refused");
    }

    /// What an invocation answers for an event the one pass refuses (`invoke::decode`).
    fn refusal<T: Trigger>(bytes: &[u8]) -> DecodeError {
        match RawEvent::parse(bytes) {
            Ok(raw) => Event::<T>::refusal(&raw),
            Err(refusal) => refusal,
        }
    }

    #[test]
    fn refuses_what_the_two_steps_refuse_and_says_the_same() {
        let too_deep = format!(
            r#"{{"version":"1","triggerSource":"PreSignUp_SignUp","x":{}{}}}"#,
            "[".repeat(40),
            "]".repeat(40)
        );
        let refused: [&[u8]; 6] = [
            br#"{"version":"1","triggerSource":"PreSignUp_SignUp","request":{},"request":{}}"#,
            br#"{"version":"1","triggerSource":"PreSignUp_SignUp","userName":1}"#,
            br#"{"version":"1","triggerSource":"PreSignUp_SignUp","request":{}} trailing"#,
            br#"{"version":"1","triggerSource":"PreSignUp_SignUp","response":{"autoConfirmUser":"yes"}}"#,
            br#"{"version":"1","triggerSource":"PreSignUp_SignUp","request":{"userAttributes":[1]}}"#,
            too_deep.as_bytes(),
        ];
        for bytes in refused {
            let text = String::from_utf8_lossy(bytes);
            assert!(two_steps(bytes).is_none(), "the two steps take {text}");
            let head = Head::peek(bytes).expect("a head");
            assert!(
                AnyEvent::decode_in_one_pass(bytes, &head).is_none(),
                "{text}"
            );
            let said = decode(bytes).expect_err("refused");
            assert_eq!(refusal::<PreSignUp>(bytes), said, "{text}");
            assert_ne!(
                said.to_string(),
                "invalid event: could not be decoded",
                "{text}"
            );
        }
    }

    /// Any-JSON fields (inbound federation's claims) nest alike whether the request is read
    /// within the event (the one pass) or alone (the two steps): serde_json's own depth
    /// limit, which counts from the top of what it reads, is never what decides.
    #[test]
    fn any_json_claims_nest_alike_read_whole_or_alone() {
        let mut taken = Vec::new();
        for depth in [1, 31, 32, 33, 120, 123, 124, 125, 126, 127, 130] {
            let claim = format!("{}0{}", "[".repeat(depth - 1), "]".repeat(depth - 1));
            let event = format!(
                r#"{{"version":"1","triggerSource":"InboundFederation_ExternalProvider","request":{{"providerName":"Okta","attributes":{{"idToken":{{"deep":{claim}}}}}}},"response":{{}}}}"#,
            );
            let bytes = event.as_bytes();
            let head = Head::peek(bytes).expect("a head");
            let one_pass = AnyEvent::decode_in_one_pass(bytes, &head);
            assert_eq!(one_pass, two_steps(bytes), "nested {depth}");
            assert_eq!(
                one_pass.as_ref(),
                decode(bytes).ok().as_ref(),
                "nested {depth}"
            );
            if one_pass.is_none() {
                assert_eq!(
                    refusal::<InboundFederation>(bytes),
                    DecodeError::TooDeep,
                    "nested {depth}"
                );
            }
            taken.push((depth, one_pass.is_some()));
        }
        // The claims map itself is one level: 32 levels in all are taken, 33 are not.
        assert!(
            taken.iter().all(|&(depth, ok)| ok == (depth <= 32)),
            "{taken:?}"
        );
        // Claims that are not an object are refused as before, in plain words.
        let not_an_object = br#"{"version":"1","triggerSource":"InboundFederation_ExternalProvider","request":{"attributes":{"idToken":"abc"}}}"#;
        let said = decode(not_an_object).expect_err("refused");
        assert_eq!(
            said.to_string(),
            r#"invalid `request.attributes.idToken`: expected a map, found string "abc""#
        );
        assert_eq!(refusal::<InboundFederation>(not_an_object), said);
    }
}
