//! [`TestEvent`]: an event as Cognito sends it, built in one line, and run in one more.

use std::fmt;
use std::marker::PhantomData;

use serde::Serialize;
use serde_json::{Map, Value};

use super::templates;
use crate::event::{Trigger, TriggerSource};
use crate::handler::{Context, Handler};
use crate::invoke::{InvocationError, ResponseChecks, invoke_checked};
use crate::kinds::*;
use crate::pool::{DEFAULT_BUDGET, Pool};
use crate::rules::{Rule, Settings};
use crate::table::{TriggerKind, for_each_trigger};

/// Declares the table's `template` column as one function per kind.
macro_rules! templates {
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
        /// What Cognito sends for `kind` and `source`: request, pre-filled response and the
        /// envelope fields that differ by source.
        fn specific(kind: TriggerKind, source: &str) -> Value {
            match kind {
                $( TriggerKind::$marker => $template(source), )*
            }
        }
    };
}

for_each_trigger!(templates);

/// The whole event Cognito sends for `kind` and `source`.
pub(super) fn template(kind: TriggerKind, source: &str) -> Value {
    let mut event = templates::envelope(kind.event_version(), source);
    if let (Value::Object(event), Value::Object(specific)) = (&mut event, specific(kind, source)) {
        event.extend(specific);
    }
    event
}

/// One change a test asked for, applied to the template in order.
#[derive(Clone, Debug)]
enum Edit {
    Set(Vec<String>, Value),
    Remove(Vec<String>),
    Push(Vec<String>, Value),
}

/// An event of trigger `T`, as Cognito really sends it, for a test: the envelope, the
/// `callerContext`, the request with its nulls and absences, and the response as Cognito
/// pre-fills it (contract §4 and the trigger's section). One user, Ada
/// (`ada@example.com`), in pool `eu-west-1_Ex4mPle1`, unless a setter says otherwise.
///
/// Setters change what a test cares about; the ones every trigger has are here, the
/// trigger's own (groups and scopes, the session of a custom challenge, the migration
/// password, ...) are on `TestEvent<ThatTrigger>`. The run methods give the handler's
/// answer typed, with Cognito's response rules applied strictly (a rule the answer breaks
/// fails the run, see [`crate::rules`]).
///
/// ```
/// use cognito_trigger::testing::TestEvent;
/// use cognito_trigger::{cognito_trigger, handler, PreSignUp, PreSignUpEvent, PreSignUpResponse, Reject};
///
/// #[cognito_trigger(PreSignUp)]
/// fn staff_only(event: &PreSignUpEvent<'_>) -> Result<PreSignUpResponse, Reject> {
///     match event.request.user_attributes.get("email") {
///         Some(email) if email.ends_with("@example.com") => Ok(PreSignUpResponse::new().confirm_user()),
///         _ => Err(Reject::new("Staff only")),
///     }
/// }
///
/// let response = TestEvent::<PreSignUp>::new().run(&handler!(staff_only)).unwrap();
/// assert_eq!(response.auto_confirm_user, Some(true));
///
/// let stranger = TestEvent::<PreSignUp>::new().attribute("email", "eve@example.net");
/// assert_eq!(stranger.run(&handler!(staff_only)).unwrap_err().error_message(), "Staff only");
/// ```
pub struct TestEvent<T: Trigger> {
    source: String,
    edits: Vec<Edit>,
    allowed: Vec<Rule>,
    trigger: PhantomData<fn() -> T>,
}

impl<T: Trigger> Clone for TestEvent<T> {
    fn clone(&self) -> Self {
        Self {
            source: self.source.clone(),
            edits: self.edits.clone(),
            allowed: self.allowed.clone(),
            trigger: PhantomData,
        }
    }
}

impl<T: Trigger> fmt::Debug for TestEvent<T> {
    /// The event itself, so an assertion failure shows what the handler was given, with
    /// the trigger's secrets (a migration password, a sender's code) redacted.
    ///
    /// ```
    /// use cognito_trigger::testing::TestEvent;
    /// use cognito_trigger::UserMigration;
    ///
    /// let shown = format!("{:?}", TestEvent::<UserMigration>::new().password("hunter2"));
    /// assert!(shown.contains("[redacted]") && !shown.contains("hunter2"), "{shown}");
    /// ```
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut event = self.to_value();
        let bytes = event.to_string();
        let secrets: Vec<String> = crate::Event::<T>::from_slice(bytes.as_bytes())
            .map(|decoded| {
                T::secrets(&decoded.request)
                    .into_iter()
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default();
        redact(&mut event, &secrets);
        f.debug_struct("TestEvent").field("event", &event).finish()
    }
}

/// Replaces every string in `value` that is one of `secrets` with `[redacted]`.
fn redact(value: &mut Value, secrets: &[String]) {
    match value {
        Value::String(text) if secrets.iter().any(|secret| secret == text) => {
            *text = "[redacted]".to_owned();
        }
        Value::Array(items) => items.iter_mut().for_each(|item| redact(item, secrets)),
        Value::Object(fields) => fields.values_mut().for_each(|field| redact(field, secrets)),
        _ => {}
    }
}

impl<T: Trigger> Default for TestEvent<T> {
    fn default() -> Self {
        Self::new()
    }
}

impl<T: Trigger> TestEvent<T> {
    /// The event of the trigger's first source (`PreSignUp_SignUp`,
    /// `TokenGeneration_HostedAuth`, ...), as Cognito sends it.
    ///
    /// ```
    /// use cognito_trigger::testing::TestEvent;
    /// use cognito_trigger::{PostConfirmation, PostConfirmationEvent, PostConfirmationSource};
    ///
    /// let bytes = TestEvent::<PostConfirmation>::new().to_bytes();
    /// let event = PostConfirmationEvent::from_slice(&bytes).unwrap();
    /// assert_eq!(event.trigger_source, PostConfirmationSource::ConfirmSignUp);
    /// assert_eq!(event.request.user_attributes.get("email"), Some("ada@example.com"));
    /// ```
    #[must_use]
    pub fn new() -> Self {
        let first = T::KIND.sources().first().copied().unwrap_or_default();
        Self {
            source: first.to_owned(),
            edits: Vec::new(),
            allowed: Vec::new(),
            trigger: PhantomData,
        }
    }

    /// The event of another source, with what Cognito sends for it (an admin-created
    /// user has no app client, a federated user's name has the provider's prefix, ...).
    /// Changes made before are kept.
    ///
    /// ```
    /// use cognito_trigger::testing::TestEvent;
    /// use cognito_trigger::{PreSignUp, PreSignUpEvent, PreSignUpSource};
    ///
    /// let event = TestEvent::<PreSignUp>::new().source(PreSignUpSource::AdminCreateUser).to_value();
    /// assert_eq!(event["triggerSource"], "PreSignUp_AdminCreateUser");
    /// assert_eq!(event["callerContext"]["clientId"], "CLIENT_ID_NOT_APPLICABLE");
    /// ```
    ///
    /// # Panics
    /// For a documented source Cognito never sends to this trigger
    /// (`TokenGeneration_ClientCredentials` to pre token generation V1_0 or V2_0). A source
    /// this crate does not know (`Other`) is taken as it is.
    #[must_use]
    pub fn source(mut self, source: T::Source) -> Self {
        let name = source.as_str();
        assert!(
            source.position().is_none() || T::KIND.sources().contains(&name),
            "Cognito never sends {name} to {}",
            T::KIND
        );
        name.clone_into(&mut self.source);
        self
    }

    /// Sets `userName`.
    ///
    /// ```
    /// use cognito_trigger::testing::TestEvent;
    /// use cognito_trigger::PreAuthentication;
    ///
    /// let event = TestEvent::<PreAuthentication>::new().user_name("grace").to_value();
    /// assert_eq!(event["userName"], "grace");
    /// ```
    #[must_use]
    pub fn user_name(self, user_name: &str) -> Self {
        self.set(&["userName"], user_name)
    }

    /// Sets `userPoolId`, and `region` from it (the part before `_`).
    ///
    /// ```
    /// use cognito_trigger::testing::TestEvent;
    /// use cognito_trigger::PreAuthentication;
    ///
    /// let event = TestEvent::<PreAuthentication>::new().user_pool_id("us-east-2_Other").to_value();
    /// assert_eq!(event["userPoolId"], "us-east-2_Other");
    /// assert_eq!(event["region"], "us-east-2");
    /// ```
    #[must_use]
    pub fn user_pool_id(self, user_pool_id: &str) -> Self {
        let region = user_pool_id.split('_').next().unwrap_or_default();
        self.set(&["region"], region)
            .set(&["userPoolId"], user_pool_id)
    }

    /// Sets `callerContext.clientId`, the app client.
    ///
    /// ```
    /// use cognito_trigger::testing::TestEvent;
    /// use cognito_trigger::PreAuthentication;
    ///
    /// let event = TestEvent::<PreAuthentication>::new().client_id("mobile-app").to_value();
    /// assert_eq!(event["callerContext"]["clientId"], "mobile-app");
    /// ```
    #[must_use]
    pub fn client_id(self, client_id: &str) -> Self {
        self.set(&["callerContext", "clientId"], client_id)
    }

    /// Sets any field of `request`, for what no setter covers (a field Cognito added
    /// after this crate, an odd value to test leniency).
    ///
    /// ```
    /// use cognito_trigger::testing::TestEvent;
    /// use cognito_trigger::PostAuthentication;
    ///
    /// let event = TestEvent::<PostAuthentication>::new().request("newDeviceUsed", true).to_value();
    /// assert_eq!(event["request"]["newDeviceUsed"], true);
    /// ```
    #[must_use]
    pub fn request(self, field: &str, value: impl Serialize) -> Self {
        self.set(&["request", field], value)
    }

    /// Sets any field of the pre-filled `response`, as Cognito would send it.
    ///
    /// ```
    /// use cognito_trigger::testing::TestEvent;
    /// use cognito_trigger::PreSignUp;
    ///
    /// let event = TestEvent::<PreSignUp>::new().response("autoVerifyEmail", serde_json::Value::Null).to_value();
    /// assert!(event["response"]["autoVerifyEmail"].is_null());
    /// ```
    #[must_use]
    pub fn response(self, field: &str, value: impl Serialize) -> Self {
        self.set(&["response", field], value)
    }

    /// Lets the run methods accept an answer that breaks `rule` (and still check every
    /// other rule).
    ///
    /// ```
    /// use cognito_trigger::rules::Rule;
    /// use cognito_trigger::testing::TestEvent;
    /// use cognito_trigger::{cognito_trigger, handler, PreTokenGenerationV2, PreTokenGenerationV2Event, PreTokenGenerationV2Response};
    ///
    /// #[cognito_trigger(PreTokenGenerationV2)]
    /// fn tokens(_event: &PreTokenGenerationV2Event<'_>) -> PreTokenGenerationV2Response {
    ///     PreTokenGenerationV2Response::new().add_access_token_claim("tier", "gold").suppress_access_token_claim("tier")
    /// }
    ///
    /// let event = TestEvent::<PreTokenGenerationV2>::new();
    /// assert!(event.run(&handler!(tokens)).unwrap_err().error_message().contains("claim-added-and-suppressed"));
    /// assert!(event.allowing(Rule::ClaimAddedAndSuppressed).run(&handler!(tokens)).is_ok());
    /// ```
    #[must_use]
    pub fn allowing(mut self, rule: Rule) -> Self {
        self.allowed.push(rule);
        self
    }

    /// The event as JSON.
    ///
    /// ```
    /// use cognito_trigger::testing::TestEvent;
    /// use cognito_trigger::PreTokenGenerationV3;
    ///
    /// let event = TestEvent::<PreTokenGenerationV3>::new().to_value();
    /// assert_eq!(event["version"], "3");
    /// assert_eq!(event["triggerSource"], "TokenGeneration_HostedAuth");
    /// ```
    #[must_use]
    pub fn to_value(&self) -> Value {
        let mut event = template(T::KIND, &self.source);
        for edit in &self.edits {
            edit.apply(&mut event);
        }
        event
    }

    /// The event as bytes, as Lambda hands them to the function.
    ///
    /// ```
    /// use cognito_trigger::testing::TestEvent;
    /// use cognito_trigger::{decode, AnyEvent, UserMigration};
    ///
    /// let bytes = TestEvent::<UserMigration>::new().to_bytes();
    /// assert!(matches!(decode(&bytes).unwrap(), AnyEvent::UserMigration(_)));
    /// ```
    #[must_use]
    pub fn to_bytes(&self) -> Vec<u8> {
        self.to_value().to_string().into_bytes()
    }

    /// The event as indented JSON, as the bundled sample files are written.
    ///
    /// ```
    /// use cognito_trigger::testing::TestEvent;
    /// use cognito_trigger::PreSignUp;
    ///
    /// let text = TestEvent::<PreSignUp>::new().to_pretty_json();
    /// assert!(text.starts_with("{\n  \"version\": \"1\",\n  \"triggerSource\": \"PreSignUp_SignUp\""));
    /// ```
    #[must_use]
    pub fn to_pretty_json(&self) -> String {
        /// The envelope first, in the order Cognito writes it; nested keys sorted.
        #[derive(Serialize)]
        #[serde(rename_all = "camelCase")]
        struct InCognitosOrder {
            version: Value,
            trigger_source: Value,
            region: Value,
            user_pool_id: Value,
            user_name: Value,
            caller_context: Value,
            request: Value,
            response: Value,
            #[serde(flatten)]
            others: Map<String, Value>,
        }
        let mut fields = match self.to_value() {
            Value::Object(fields) => fields,
            _ => Map::new(),
        };
        let mut take = |key: &str| fields.remove(key).unwrap_or(Value::Null);
        let ordered = InCognitosOrder {
            version: take("version"),
            trigger_source: take("triggerSource"),
            region: take("region"),
            user_pool_id: take("userPoolId"),
            user_name: take("userName"),
            caller_context: take("callerContext"),
            request: take("request"),
            response: take("response"),
            others: fields,
        };
        let mut text =
            serde_json::to_string_pretty(&ordered).expect("a JSON value always serializes");
        text.push('\n');
        text
    }

    /// Runs `handler` (one that takes no state) on this event, as Lambda would, and returns
    /// the response it decided, typed; or the Lambda error, typed. Cognito's response
    /// rules are applied strictly: an answer that breaks one is an `InvalidResponse` error
    /// naming every violation (see [`TestEvent::allowing`]).
    ///
    /// Call it from a plain `#[test]`; inside an async test use [`TestEvent::invoke`].
    ///
    /// ```
    /// use cognito_trigger::testing::TestEvent;
    /// use cognito_trigger::{cognito_trigger, handler, VerifyAuthChallengeResponse, VerifyAuthChallengeResponseEvent, VerifyAuthChallengeResponseResponse};
    ///
    /// #[cognito_trigger(VerifyAuthChallengeResponse)]
    /// fn verify(event: &VerifyAuthChallengeResponseEvent<'_>) -> VerifyAuthChallengeResponseResponse {
    ///     let expected = event.request.private_challenge_parameters.get("answer");
    ///     VerifyAuthChallengeResponseResponse::answer(expected == Some(&*event.request.challenge_answer))
    /// }
    ///
    /// let event = TestEvent::<VerifyAuthChallengeResponse>::new().expected_answer("482913");
    /// assert_eq!(event.clone().challenge_answer("482913").run(&handler!(verify)).unwrap().answer_correct, Some(true));
    /// assert_eq!(event.challenge_answer("000000").run(&handler!(verify)).unwrap().answer_correct, Some(false));
    /// ```
    ///
    /// # Errors
    /// The handler's rejection (`Rejected`) or failure (`InternalError`), or an answer
    /// Cognito would refuse (`InvalidResponse`).
    ///
    /// # Panics
    /// When called from inside an async runtime.
    pub fn run<H: Handler<(), Trigger = T>>(
        &self,
        handler: &H,
    ) -> Result<T::Response, InvocationError> {
        self.run_with(handler, &())
    }

    /// [`TestEvent::run`] for a handler that takes shared state.
    ///
    /// ```
    /// use cognito_trigger::testing::TestEvent;
    /// use cognito_trigger::{cognito_trigger, handler, PreAuthentication, PreAuthenticationEvent, Reject};
    ///
    /// struct DenyList(Vec<&'static str>);
    ///
    /// #[cognito_trigger(PreAuthentication)]
    /// fn deny(event: &PreAuthenticationEvent<'_>, denied: &DenyList) -> Result<(), Reject> {
    ///     if denied.0.iter().any(|name| *name == event.user_name) {
    ///         return Err(Reject::new("This account is suspended"));
    ///     }
    ///     Ok(())
    /// }
    ///
    /// let denied = DenyList(vec!["mallory"]);
    /// let event = TestEvent::<PreAuthentication>::new();
    /// assert!(event.run_with(&handler!(deny), &denied).is_ok());
    /// let error = event.user_name("mallory").run_with(&handler!(deny), &denied).unwrap_err();
    /// assert_eq!(error.error_message(), "This account is suspended");
    /// ```
    ///
    /// # Errors
    /// As for [`TestEvent::run`].
    ///
    /// # Panics
    /// As for [`TestEvent::run`].
    pub fn run_with<S, H: Handler<S, Trigger = T>>(
        &self,
        handler: &H,
        state: &S,
    ) -> Result<T::Response, InvocationError> {
        block_on(self.invoke(handler, state))
    }

    /// Runs this event through `pool`, as its Lambda function would (routing, the pool's
    /// settings and budget), and returns the typed response or error, rules applied
    /// strictly. An event no handler of the pool takes answers with Cognito's defaults.
    ///
    /// ```
    /// use cognito_trigger::testing::TestEvent;
    /// use cognito_trigger::{cognito_trigger, pool, PreSignUp, PreSignUpEvent, PreSignUpResponse, PreSignUpSource};
    ///
    /// #[cognito_trigger(PreSignUp, sources(SignUp))]
    /// fn sign_up(_event: &PreSignUpEvent<'_>) -> PreSignUpResponse {
    ///     PreSignUpResponse::new().confirm_user()
    /// }
    ///
    /// let pool = pool![sign_up];
    /// let event = TestEvent::<PreSignUp>::new();
    /// assert_eq!(event.run_pool(&pool).unwrap().auto_confirm_user, Some(true));
    /// let admin = event.source(PreSignUpSource::AdminCreateUser);
    /// assert_eq!(admin.run_pool(&pool).unwrap().auto_confirm_user, Some(false));
    /// ```
    ///
    /// # Errors
    /// As for [`TestEvent::run`], and `UnhandledTrigger` from a pool that refuses events
    /// it has no handler for.
    ///
    /// # Panics
    /// As for [`TestEvent::run`].
    pub fn run_pool<S: Send + Sync + 'static>(
        &self,
        pool: &Pool<S>,
    ) -> Result<T::Response, InvocationError> {
        block_on(self.invoke_pool(pool))
    }

    /// [`TestEvent::run_with`], from an async test.
    ///
    /// ```
    /// use cognito_trigger::testing::TestEvent;
    /// use cognito_trigger::{cognito_trigger, handler, PreSignUp, PreSignUpEvent, PreSignUpResponse};
    ///
    /// #[cognito_trigger(PreSignUp)]
    /// async fn sign_up(_event: &PreSignUpEvent<'_>) -> PreSignUpResponse {
    ///     PreSignUpResponse::new().verify_email()
    /// }
    ///
    /// #[tokio::main(flavor = "current_thread")]
    /// async fn main() {
    ///     let response = TestEvent::<PreSignUp>::new().invoke(&handler!(sign_up), &()).await.unwrap();
    ///     assert_eq!(response.auto_verify_email, Some(true));
    /// }
    /// ```
    ///
    /// # Errors
    /// As for [`TestEvent::run`].
    pub async fn invoke<S, H: Handler<S, Trigger = T>>(
        &self,
        handler: &H,
        state: &S,
    ) -> Result<T::Response, InvocationError> {
        let settings = Settings::new();
        let checks = self.checks(&settings);
        let answer =
            invoke_checked(handler, &self.to_bytes(), &test_context(), state, &checks).await?;
        Ok(typed_response::<T>(&answer))
    }

    /// [`TestEvent::run_pool`], from an async test.
    ///
    /// ```
    /// use cognito_trigger::testing::TestEvent;
    /// use cognito_trigger::{cognito_trigger, pool, PostConfirmation, PostConfirmationEvent};
    ///
    /// #[cognito_trigger(PostConfirmation)]
    /// fn welcome(_event: &PostConfirmationEvent<'_>) {}
    ///
    /// #[tokio::main(flavor = "current_thread")]
    /// async fn main() {
    ///     let pool = pool![welcome];
    ///     assert!(TestEvent::<PostConfirmation>::new().invoke_pool(&pool).await.is_ok());
    /// }
    /// ```
    ///
    /// # Errors
    /// As for [`TestEvent::run_pool`].
    pub async fn invoke_pool<S: Send + Sync + 'static>(
        &self,
        pool: &Pool<S>,
    ) -> Result<T::Response, InvocationError> {
        let answer = self.answer_from_pool(pool, true).await?;
        Ok(typed_response::<T>(&answer))
    }

    /// The bytes `pool` answers this event with: `strict`, a broken rule of either
    /// severity fails; otherwise as on Lambda, only a refused answer does.
    pub(super) async fn answer_from_pool<S: Send + Sync + 'static>(
        &self,
        pool: &Pool<S>,
        strict: bool,
    ) -> Result<Vec<u8>, InvocationError> {
        let checks = ResponseChecks {
            strict,
            ..self.checks(pool.settings_of())
        };
        pool.invoke_checked(&self.to_bytes(), &test_context(), &checks)
            .await
    }

    fn checks<'a>(&'a self, settings: &'a Settings) -> ResponseChecks<'a> {
        ResponseChecks {
            settings,
            strict: true,
            allowed: &self.allowed,
        }
    }

    /// Sets the value at `at` (object keys from the event's root).
    pub(super) fn set(mut self, at: &[&str], value: impl Serialize) -> Self {
        let value = serde_json::to_value(value).expect("a test value serializes to JSON");
        self.edits.push(Edit::Set(path(at), value));
        self
    }

    /// Appends `value` to the list at `at`.
    pub(super) fn push(mut self, at: &[&str], value: Value) -> Self {
        self.edits.push(Edit::Push(path(at), value));
        self
    }
}

/// The context every test invocation runs with: request ID `test-request`, and Cognito's
/// budget.
pub(super) fn test_context() -> Context {
    Context::new("test-request").with_budget(DEFAULT_BUDGET)
}

/// Runs `future` to completion on a fresh single-threaded runtime.
pub(super) fn block_on<F: Future>(future: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .expect("a single-threaded runtime for the test")
        .block_on(future)
}

/// The `response` of an answer `invoke` produced: always an event of trigger `T`.
fn typed_response<T: Trigger>(answer: &[u8]) -> T::Response {
    #[derive(serde::Deserialize)]
    struct Answer<R> {
        #[serde(default)]
        response: Option<R>,
    }
    let answer: Answer<T::Response> = serde_json::from_slice(answer)
        .expect("the framework answers with an event whose response it wrote");
    answer.response.unwrap_or_default()
}

fn path(segments: &[&str]) -> Vec<String> {
    segments.iter().map(|s| (*s).to_owned()).collect()
}

impl Edit {
    fn apply(&self, event: &mut Value) {
        match self {
            Self::Set(path, value) => *slot(event, path) = value.clone(),
            Self::Remove(path) => {
                if let Some((last, parents)) = path.split_last() {
                    if let Some(object) = slot(event, parents).as_object_mut() {
                        object.remove(last);
                    }
                }
            }
            Self::Push(path, value) => {
                let list = slot(event, path);
                if !list.is_array() {
                    *list = Value::Array(Vec::new());
                }
                if let Value::Array(list) = list {
                    list.push(value.clone());
                }
            }
        }
    }
}

/// The value at `path`, creating objects on the way (over a `null` too, as a test that
/// sets a field of a null map means).
fn slot<'v>(mut value: &'v mut Value, path: &[String]) -> &'v mut Value {
    for segment in path {
        if !value.is_object() {
            *value = Value::Object(Map::new());
        }
        value = value
            .as_object_mut()
            .expect("made an object above")
            .entry(segment.clone())
            .or_insert(Value::Null);
    }
    value
}

// What each trigger's tests care about. Names follow the request fields they set.

/// `userAttributes` setters, for the triggers whose request has the user's attributes
/// (not user migration or inbound federation: the user does not exist yet).
macro_rules! attribute_setters {
    ($($marker:ident),+) => {$(
        impl TestEvent<$marker> {
            /// Sets one of `request.userAttributes` (for a custom sender's account-takeover
            /// notice, one of the notice's fields).
            ///
            /// ```
            /// use cognito_trigger::testing::TestEvent;
            #[doc = concat!("use cognito_trigger::", stringify!($marker), ";")]
            ///
            #[doc = concat!("let event = TestEvent::<", stringify!($marker), ">::new().attribute(\"custom:plan\", \"pro\").to_value();")]
            /// assert_eq!(event["request"]["userAttributes"]["custom:plan"], "pro");
            /// ```
            #[must_use]
            pub fn attribute(self, name: &str, value: &str) -> Self {
                self.set(&["request", "userAttributes", name], value)
            }

            /// Removes one of `request.userAttributes`.
            ///
            /// ```
            /// use cognito_trigger::testing::TestEvent;
            #[doc = concat!("use cognito_trigger::", stringify!($marker), ";")]
            ///
            #[doc = concat!("let event = TestEvent::<", stringify!($marker), ">::new().without_attribute(\"email\").to_value();")]
            /// assert!(event["request"]["userAttributes"].get("email").is_none());
            /// ```
            #[must_use]
            pub fn without_attribute(mut self, name: &str) -> Self {
                self.edits.push(Edit::Remove(path(&["request", "userAttributes", name])));
                self
            }
        }
    )+};
}

attribute_setters!(
    PreSignUp,
    PostConfirmation,
    PreAuthentication,
    PostAuthentication,
    DefineAuthChallenge,
    CreateAuthChallenge,
    VerifyAuthChallengeResponse,
    PreTokenGenerationV1,
    PreTokenGenerationV2,
    PreTokenGenerationV3,
    CustomMessage,
    CustomEmailSender,
    CustomSmsSender
);

/// `clientMetadata`, for the triggers Cognito passes an API call's `ClientMetadata` to
/// (contract §5.3: pre authentication gets it as `validationData`, inbound federation not
/// at all).
macro_rules! client_metadata_setters {
    ($($marker:ident),+) => {$(
        impl TestEvent<$marker> {
            /// Sets one entry of `request.clientMetadata`, the `ClientMetadata` of the API
            /// call (contract §5.3 says which calls pass it to which trigger).
            ///
            /// ```
            /// use cognito_trigger::testing::TestEvent;
            #[doc = concat!("use cognito_trigger::", stringify!($marker), ";")]
            ///
            #[doc = concat!("let event = TestEvent::<", stringify!($marker), ">::new().client_metadata(\"origin\", \"web\").to_value();")]
            /// assert_eq!(event["request"]["clientMetadata"]["origin"], "web");
            /// ```
            #[must_use]
            pub fn client_metadata(self, key: &str, value: &str) -> Self {
                self.set(&["request", "clientMetadata", key], value)
            }
        }
    )+};
}

client_metadata_setters!(
    PreSignUp,
    PostConfirmation,
    PostAuthentication,
    DefineAuthChallenge,
    CreateAuthChallenge,
    VerifyAuthChallengeResponse,
    PreTokenGenerationV1,
    PreTokenGenerationV2,
    PreTokenGenerationV3,
    UserMigration,
    CustomMessage,
    CustomEmailSender,
    CustomSmsSender
);

impl TestEvent<PreSignUp> {
    /// Sets one entry of `request.validationData` (`ValidationData` of `SignUp`).
    ///
    /// ```
    /// use cognito_trigger::testing::TestEvent;
    /// use cognito_trigger::PreSignUp;
    ///
    /// let event = TestEvent::<PreSignUp>::new().validation_data("invite", "XK2").to_value();
    /// assert_eq!(event["request"]["validationData"]["invite"], "XK2");
    /// ```
    #[must_use]
    pub fn validation_data(self, key: &str, value: &str) -> Self {
        self.set(&["request", "validationData", key], value)
    }
}

impl TestEvent<PreAuthentication> {
    /// Sets one entry of `request.validationData` (`ClientMetadata` of `InitiateAuth`).
    ///
    /// ```
    /// use cognito_trigger::testing::TestEvent;
    /// use cognito_trigger::PreAuthentication;
    ///
    /// let event = TestEvent::<PreAuthentication>::new().validation_data("device", "mobile").to_value();
    /// assert_eq!(event["request"]["validationData"]["device"], "mobile");
    /// ```
    #[must_use]
    pub fn validation_data(self, key: &str, value: &str) -> Self {
        self.set(&["request", "validationData", key], value)
    }

    /// Marks the user as unknown (`userNotFound: true`, PreventUserExistenceErrors).
    ///
    /// ```
    /// use cognito_trigger::testing::TestEvent;
    /// use cognito_trigger::PreAuthentication;
    ///
    /// assert_eq!(TestEvent::<PreAuthentication>::new().user_not_found().to_value()["request"]["userNotFound"], true);
    /// ```
    #[must_use]
    pub fn user_not_found(self) -> Self {
        // Cognito has no attributes to send for a user it does not have.
        self.set(&["request", "userNotFound"], true)
            .set(&["request", "userAttributes"], Map::new())
    }
}

impl TestEvent<PostAuthentication> {
    /// Sets `request.newDeviceUsed`.
    ///
    /// ```
    /// use cognito_trigger::testing::TestEvent;
    /// use cognito_trigger::PostAuthentication;
    ///
    /// assert_eq!(TestEvent::<PostAuthentication>::new().new_device_used().to_value()["request"]["newDeviceUsed"], true);
    /// ```
    #[must_use]
    pub fn new_device_used(self) -> Self {
        self.set(&["request", "newDeviceUsed"], true)
    }
}

/// The setters of the triggers that see a custom authentication flow's session.
macro_rules! challenge_session_setters {
    ($($marker:ident),+) => {$(
        impl TestEvent<$marker> {
            /// Appends a step to `request.session`: a challenge Cognito or create auth
            /// challenge presented, and whether the user passed it.
            ///
            /// ```
            /// use cognito_trigger::testing::TestEvent;
            #[doc = concat!("use cognito_trigger::", stringify!($marker), ";")]
            ///
            #[doc = concat!("let event = TestEvent::<", stringify!($marker), ">::new().challenge(\"PASSWORD_VERIFIER\", true).to_value();")]
            /// assert_eq!(event["request"]["session"][0]["challengeName"], "PASSWORD_VERIFIER");
            /// assert_eq!(event["request"]["session"][0]["challengeResult"], true);
            /// ```
            #[must_use]
            pub fn challenge(self, name: &str, passed: bool) -> Self {
                self.push(
                    &["request", "session"],
                    serde_json::json!({"challengeName": name, "challengeResult": passed, "challengeMetadata": null}),
                )
            }

            /// Appends a `CUSTOM_CHALLENGE` step with the metadata create auth challenge
            /// gave it, and whether the user answered it right.
            ///
            /// ```
            /// use cognito_trigger::testing::TestEvent;
            #[doc = concat!("use cognito_trigger::", stringify!($marker), ";")]
            ///
            #[doc = concat!("let event = TestEvent::<", stringify!($marker), ">::new().custom_challenge(\"EMAIL_CODE\", false).to_value();")]
            /// assert_eq!(event["request"]["session"][0]["challengeName"], "CUSTOM_CHALLENGE");
            /// assert_eq!(event["request"]["session"][0]["challengeMetadata"], "EMAIL_CODE");
            /// ```
            #[must_use]
            pub fn custom_challenge(self, metadata: &str, passed: bool) -> Self {
                self.push(
                    &["request", "session"],
                    serde_json::json!({"challengeName": "CUSTOM_CHALLENGE", "challengeResult": passed, "challengeMetadata": metadata}),
                )
            }
        }
    )+};
}

challenge_session_setters!(DefineAuthChallenge, CreateAuthChallenge);

/// `userNotFound` for the custom challenge triggers.
macro_rules! user_not_found_setter {
    ($($marker:ident),+) => {$(
        impl TestEvent<$marker> {
            /// Marks the user as unknown (`userNotFound: true`, PreventUserExistenceErrors).
            ///
            /// ```
            /// use cognito_trigger::testing::TestEvent;
            #[doc = concat!("use cognito_trigger::", stringify!($marker), ";")]
            ///
            #[doc = concat!("let event = TestEvent::<", stringify!($marker), ">::new().user_not_found().to_value();")]
            /// assert_eq!(event["request"]["userNotFound"], true);
            /// ```
            #[must_use]
            pub fn user_not_found(self) -> Self {
                // Cognito has no attributes to send for a user it does not have.
        self.set(&["request", "userNotFound"], true)
            .set(&["request", "userAttributes"], Map::new())
            }
        }
    )+};
}

user_not_found_setter!(
    DefineAuthChallenge,
    CreateAuthChallenge,
    VerifyAuthChallengeResponse
);

impl TestEvent<CreateAuthChallenge> {
    /// Sets `request.challengeName`, the challenge define auth challenge chose.
    ///
    /// ```
    /// use cognito_trigger::testing::TestEvent;
    /// use cognito_trigger::CreateAuthChallenge;
    ///
    /// let event = TestEvent::<CreateAuthChallenge>::new().challenge_name("PASSWORD_VERIFIER").to_value();
    /// assert_eq!(event["request"]["challengeName"], "PASSWORD_VERIFIER");
    /// ```
    #[must_use]
    pub fn challenge_name(self, name: &str) -> Self {
        self.set(&["request", "challengeName"], name)
    }
}

impl TestEvent<VerifyAuthChallengeResponse> {
    /// Sets `request.challengeAnswer`, what the user answered.
    ///
    /// ```
    /// use cognito_trigger::testing::TestEvent;
    /// use cognito_trigger::VerifyAuthChallengeResponse;
    ///
    /// let event = TestEvent::<VerifyAuthChallengeResponse>::new().challenge_answer("482913").to_value();
    /// assert_eq!(event["request"]["challengeAnswer"], "482913");
    /// ```
    #[must_use]
    pub fn challenge_answer(self, answer: &str) -> Self {
        self.set(&["request", "challengeAnswer"], answer)
    }

    /// Sets one of `request.privateChallengeParameters`, what create auth challenge
    /// kept for the check.
    ///
    /// ```
    /// use cognito_trigger::testing::TestEvent;
    /// use cognito_trigger::VerifyAuthChallengeResponse;
    ///
    /// let event = TestEvent::<VerifyAuthChallengeResponse>::new().private_challenge_parameter("code", "1234").to_value();
    /// assert_eq!(event["request"]["privateChallengeParameters"]["code"], "1234");
    /// ```
    #[must_use]
    pub fn private_challenge_parameter(self, key: &str, value: &str) -> Self {
        self.set(&["request", "privateChallengeParameters", key], value)
    }

    /// Sets `privateChallengeParameters.answer`, the common shape of a one-answer
    /// challenge.
    ///
    /// ```
    /// use cognito_trigger::testing::TestEvent;
    /// use cognito_trigger::VerifyAuthChallengeResponse;
    ///
    /// let event = TestEvent::<VerifyAuthChallengeResponse>::new().expected_answer("482913").to_value();
    /// assert_eq!(event["request"]["privateChallengeParameters"]["answer"], "482913");
    /// ```
    #[must_use]
    pub fn expected_answer(self, answer: &str) -> Self {
        self.private_challenge_parameter("answer", answer)
    }
}

/// The setters of every pre token generation version.
macro_rules! token_setters {
    ($($marker:ident),+) => {$(
        impl TestEvent<$marker> {
            /// Sets the user's groups (`groupConfiguration.groupsToOverride`).
            ///
            /// ```
            /// use cognito_trigger::testing::TestEvent;
            #[doc = concat!("use cognito_trigger::", stringify!($marker), ";")]
            ///
            #[doc = concat!("let event = TestEvent::<", stringify!($marker), ">::new().groups([\"admins\", \"readers\"]).to_value();")]
            /// assert_eq!(event["request"]["groupConfiguration"]["groupsToOverride"], serde_json::json!(["admins", "readers"]));
            /// ```
            #[must_use]
            pub fn groups<'g>(self, groups: impl IntoIterator<Item = &'g str>) -> Self {
                let groups: Vec<&str> = groups.into_iter().collect();
                self.set(&["request", "groupConfiguration", "groupsToOverride"], groups)
            }

            /// Sets the IAM roles of the user's groups (`iamRolesToOverride`) and the
            /// preferred one.
            ///
            /// ```
            /// use cognito_trigger::testing::TestEvent;
            #[doc = concat!("use cognito_trigger::", stringify!($marker), ";")]
            ///
            /// let role = "arn:aws:iam::123456789012:role/readers";
            #[doc = concat!("let event = TestEvent::<", stringify!($marker), ">::new().iam_roles([role], Some(role)).to_value();")]
            /// assert_eq!(event["request"]["groupConfiguration"]["preferredRole"], role);
            /// ```
            #[must_use]
            pub fn iam_roles<'r>(self, roles: impl IntoIterator<Item = &'r str>, preferred: Option<&str>) -> Self {
                let roles: Vec<&str> = roles.into_iter().collect();
                self.set(&["request", "groupConfiguration", "iamRolesToOverride"], roles)
                    .set(&["request", "groupConfiguration", "preferredRole"], preferred)
            }
        }
    )+};
}

token_setters!(
    PreTokenGenerationV1,
    PreTokenGenerationV2,
    PreTokenGenerationV3
);

/// `scopes`, which V2 and V3 see.
macro_rules! scope_setters {
    ($($marker:ident),+) => {$(
        impl TestEvent<$marker> {
            /// Sets the scopes of the access token (`request.scopes`).
            ///
            /// ```
            /// use cognito_trigger::testing::TestEvent;
            #[doc = concat!("use cognito_trigger::", stringify!($marker), ";")]
            ///
            #[doc = concat!("let event = TestEvent::<", stringify!($marker), ">::new().scopes([\"openid\", \"reports/read\"]).to_value();")]
            /// assert_eq!(event["request"]["scopes"], serde_json::json!(["openid", "reports/read"]));
            /// ```
            #[must_use]
            pub fn scopes<'s>(self, scopes: impl IntoIterator<Item = &'s str>) -> Self {
                let scopes: Vec<&str> = scopes.into_iter().collect();
                self.set(&["request", "scopes"], scopes)
            }
        }
    )+};
}

scope_setters!(PreTokenGenerationV2, PreTokenGenerationV3);

impl TestEvent<UserMigration> {
    /// Sets `request.password`, what the user typed at sign-in.
    ///
    /// ```
    /// use cognito_trigger::testing::TestEvent;
    /// use cognito_trigger::{UserMigration, UserMigrationEvent};
    ///
    /// let bytes = TestEvent::<UserMigration>::new().password("hunter2").to_bytes();
    /// let event = UserMigrationEvent::from_slice(&bytes).unwrap();
    /// assert_eq!(event.request.password.as_ref().map(|p| p.expose()), Some("hunter2"));
    /// ```
    #[must_use]
    pub fn password(self, password: &str) -> Self {
        self.set(&["request", "password"], password)
    }

    /// Sets one entry of `request.validationData` (`ClientMetadata` of `InitiateAuth`).
    ///
    /// ```
    /// use cognito_trigger::testing::TestEvent;
    /// use cognito_trigger::UserMigration;
    ///
    /// let event = TestEvent::<UserMigration>::new().validation_data("origin", "app").to_value();
    /// assert_eq!(event["request"]["validationData"]["origin"], "app");
    /// ```
    #[must_use]
    pub fn validation_data(self, key: &str, value: &str) -> Self {
        self.set(&["request", "validationData", key], value)
    }
}

impl TestEvent<CustomMessage> {
    /// Sets `request.codeParameter`, the placeholder Cognito replaces with the code.
    ///
    /// ```
    /// use cognito_trigger::testing::TestEvent;
    /// use cognito_trigger::CustomMessage;
    ///
    /// let event = TestEvent::<CustomMessage>::new().code_parameter("{####}").to_value();
    /// assert_eq!(event["request"]["codeParameter"], "{####}");
    /// ```
    #[must_use]
    pub fn code_parameter(self, placeholder: &str) -> Self {
        self.set(&["request", "codeParameter"], placeholder)
    }

    /// Sets `request.linkParameter`, the placeholder for a verification link (sent where
    /// the pool verifies by link, §14).
    ///
    /// ```
    /// use cognito_trigger::testing::TestEvent;
    /// use cognito_trigger::CustomMessage;
    ///
    /// let event = TestEvent::<CustomMessage>::new().link_parameter("{##Click Here##}").to_value();
    /// assert_eq!(event["request"]["linkParameter"], "{##Click Here##}");
    /// ```
    #[must_use]
    pub fn link_parameter(self, placeholder: &str) -> Self {
        self.set(&["request", "linkParameter"], placeholder)
    }

    /// Sets `request.usernameParameter` (sent for `CustomMessage_AdminCreateUser` only).
    ///
    /// ```
    /// use cognito_trigger::testing::TestEvent;
    /// use cognito_trigger::{CustomMessage, CustomMessageSource};
    ///
    /// let event = TestEvent::<CustomMessage>::new().source(CustomMessageSource::AdminCreateUser).to_value();
    /// assert_eq!(event["request"]["usernameParameter"], "{username}");
    /// ```
    #[must_use]
    pub fn username_parameter(self, placeholder: &str) -> Self {
        self.set(&["request", "usernameParameter"], placeholder)
    }
}

/// `code`, for both custom senders.
macro_rules! sender_setters {
    ($($marker:ident),+) => {$(
        impl TestEvent<$marker> {
            /// Sets `request.code`, the encrypted code (base64 of an AWS Encryption SDK
            /// message).
            ///
            /// ```
            /// use cognito_trigger::testing::TestEvent;
            #[doc = concat!("use cognito_trigger::", stringify!($marker), ";")]
            ///
            #[doc = concat!("let event = TestEvent::<", stringify!($marker), ">::new().code(\"AYADeEXAMPLE\").to_value();")]
            /// assert_eq!(event["request"]["code"], "AYADeEXAMPLE");
            /// ```
            #[must_use]
            pub fn code(self, ciphertext: &str) -> Self {
                self.set(&["request", "code"], ciphertext)
            }
        }
    )+};
}

sender_setters!(CustomEmailSender, CustomSmsSender);

impl TestEvent<InboundFederation> {
    /// Sets the identity provider (`providerName`, `providerType`).
    ///
    /// ```
    /// use cognito_trigger::testing::TestEvent;
    /// use cognito_trigger::InboundFederation;
    ///
    /// let event = TestEvent::<InboundFederation>::new().provider("CorpSAML", "SAML").to_value();
    /// assert_eq!(event["request"]["providerType"], "SAML");
    /// ```
    #[must_use]
    pub fn provider(self, name: &str, provider_type: &str) -> Self {
        self.set(&["request", "providerName"], name)
            .set(&["request", "providerType"], provider_type)
    }

    /// Sets one claim of the provider's ID token (`attributes.idToken`).
    ///
    /// ```
    /// use cognito_trigger::testing::TestEvent;
    /// use cognito_trigger::InboundFederation;
    ///
    /// let event = TestEvent::<InboundFederation>::new().id_token_claim("groups", "[\"admins\"]").to_value();
    /// assert_eq!(event["request"]["attributes"]["idToken"]["groups"], "[\"admins\"]");
    /// ```
    #[must_use]
    pub fn id_token_claim(self, claim: &str, value: &str) -> Self {
        self.set(&["request", "attributes", "idToken", claim], value)
    }

    /// Sets one field of the provider's user info (`attributes.userInfo`).
    ///
    /// ```
    /// use cognito_trigger::testing::TestEvent;
    /// use cognito_trigger::InboundFederation;
    ///
    /// let event = TestEvent::<InboundFederation>::new().user_info("locale", "pt-PT").to_value();
    /// assert_eq!(event["request"]["attributes"]["userInfo"]["locale"], "pt-PT");
    /// ```
    #[must_use]
    pub fn user_info(self, field: &str, value: &str) -> Self {
        self.set(&["request", "attributes", "userInfo", field], value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kinds::decode;

    /// Every template, for every source a kind takes, decodes as that kind and source, and
    /// in its own event version.
    #[test]
    fn every_source_of_every_kind_decodes_as_itself() {
        for &kind in TriggerKind::ALL {
            for source in kind.sources() {
                let bytes = template(kind, source).to_string();
                let decoded = decode(bytes.as_bytes()).unwrap_or_else(|e| panic!("{source}: {e}"));
                assert_eq!(decoded.kind(), Some(kind), "{source}");
                assert_eq!(decoded.trigger_source(), source);
            }
        }
    }
}
