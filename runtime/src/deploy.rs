//! The deployment a pool describes for itself: its user pool `LambdaConfig`, and a complete
//! CloudFormation template (`--template` in the local mode).
//!
//! Everything per trigger comes from the trigger table (`config_key`, `lambda_version`,
//! `needs_kms_key`, `cognito_waits`); this module only lays those facts out as
//! CloudFormation wants them.

use serde_json::{Map, Value, json};

use crate::table::TriggerKind;

/// The environment variable a sender function finds its key's ARN in (what
/// `kms::CodeDecryptor::from_env` reads).
pub(crate) const SENDER_KEY_ARN_VAR: &str = "KEY_ARN";

/// The `LambdaConfig` entries for `kinds`, each pointing at the ARN `arn_of` gives for it
/// (a string, or an intrinsic function), with `kms_key` as `KMSKeyID` when a custom sender
/// is among them.
pub(crate) fn lambda_config(
    kinds: impl IntoIterator<Item = TriggerKind>,
    arn_of: impl Fn(TriggerKind) -> Value,
    kms_key: &Value,
) -> Map<String, Value> {
    let mut kinds: Vec<TriggerKind> = kinds.into_iter().collect();
    // In table order, so that of several pre token generation versions the highest,
    // written last, is the one configured.
    kinds.sort_unstable();
    kinds.dedup();
    let mut config = Map::new();
    for kind in kinds {
        let value = match kind.lambda_version() {
            None => arn_of(kind),
            Some(version) => json!({"LambdaArn": arn_of(kind), "LambdaVersion": version}),
        };
        config.insert(kind.config_key().to_owned(), value);
        if kind.needs_kms_key() {
            config.insert("KMSKeyID".to_owned(), kms_key.clone());
        }
    }
    config
}

/// Memory for a trigger function: the CPU share that comes with it keeps a cold start well
/// inside Cognito's 5 seconds.
const MEMORY_MB: u32 = 256;
/// Timeout of a function Cognito waits for: its 5 seconds (the pool answers by its budget,
/// 4.8 s by default, before that).
const SYNCHRONOUS_TIMEOUT_SECONDS: u32 = 5;
/// Timeout of a function that serves a custom sender: Cognito invokes those
/// asynchronously, and delivering a message through a provider may take longer.
const ASYNCHRONOUS_TIMEOUT_SECONDS: u32 = 30;

/// The administrative KMS actions the account keeps on the custom senders' key: everything
/// but using it (`Encrypt`, `Decrypt`, `GenerateDataKey`, `CreateGrant`), which the key
/// policy gives to Cognito, the sender function and grants for this user pool only.
const KEY_ADMINISTRATION: &[&str] = &[
    "kms:CancelKeyDeletion",
    "kms:DescribeKey",
    "kms:DisableKey",
    "kms:DisableKeyRotation",
    "kms:EnableKey",
    "kms:EnableKeyRotation",
    "kms:GetKeyPolicy",
    "kms:GetKeyRotationStatus",
    "kms:ListGrants",
    "kms:ListKeyPolicies",
    "kms:ListResourceTags",
    "kms:PutKeyPolicy",
    "kms:RetireGrant",
    "kms:RevokeGrant",
    "kms:ScheduleKeyDeletion",
    "kms:TagResource",
    "kms:UntagResource",
    "kms:UpdateKeyDescription",
];

/// The metadata key CloudFormation (and cfn-lint) read a resource's purpose from.
const CONTEXT: &str = "com.aws.cloudformation.Context";

/// A resource's `Metadata` saying why it is there.
fn why(purpose: &str) -> Value {
    json!({CONTEXT: {"why": purpose}})
}

/// The function serving the triggers Cognito waits for (and every trigger, unless the
/// senders are split out).
const MAIN_FUNCTION: &str = "TriggerFunction";

/// The policy with what the handlers need beyond the triggers ([`CloudFormation::allow`]).
const DEPENDENCIES_POLICY: &str = "TriggerFunctionDependencies";

/// One Lambda function of the template, and the triggers it serves.
#[derive(Clone, Debug)]
struct Function {
    /// Its logical ID; its role, permission and outputs are named after it.
    logical_id: &'static str,
    /// The template parameter holding the S3 key of its code.
    code_key: &'static str,
    kinds: Vec<TriggerKind>,
}

impl Function {
    fn serves_a_sender(&self) -> bool {
        self.kinds.iter().any(|kind| kind.needs_kms_key())
    }

    fn role(&self) -> String {
        format!("{}Role", self.logical_id)
    }
}

/// A complete CloudFormation template (JSON) that deploys trigger functions and wires them
/// to a user pool: what `FUNCTION --template` prints.
///
/// The template has, for each function: the function (`provided.al2023`, handler
/// `bootstrap`, its code in S3), its execution role (CloudWatch logs), and the
/// `AWS::Lambda::Permission` that lets Cognito invoke it, for this user pool only. When a
/// custom sender is served it adds the KMS key Cognito encrypts codes with (its key policy
/// lets Cognito encrypt and grant for this pool, and the sender's role decrypt) and a policy
/// giving that role `kms:Decrypt` on it.
///
/// Its parameters choose the rest: `CodeBucket` and `CodeKey` (the `bootstrap.zip` that
/// `cargo lambda build --release --output-format zip` makes), `Architecture` (`arm64` by
/// default, or `x86_64`), and `UserPoolId`: empty, the stack creates a user pool with the
/// `LambdaConfig`; the ID of an existing pool, the stack leaves that pool alone, scopes the
/// permission to it, and gives the `LambdaConfig` to merge into it as the `LambdaConfig`
/// output (`UpdateUserPool` replaces the whole configuration: merge, do not overwrite).
///
/// The custom senders can run in a function of their own
/// ([`senders_function`](Self::senders_function)): the template then describes both
/// functions, each `LambdaConfig` entry points at the one that serves it, and only the
/// sender function's role may decrypt.
///
/// ```
/// use cognito_trigger::{CloudFormation, TriggerKind};
///
/// let template = CloudFormation::new([TriggerKind::PreSignUp, TriggerKind::PreTokenGenerationV2])
///     .to_json();
/// let pool = &template["Resources"]["UserPool"]["Properties"]["LambdaConfig"];
/// assert_eq!(pool["PreSignUp"], serde_json::json!({"Fn::GetAtt": ["TriggerFunction", "Arn"]}));
/// assert_eq!(pool["PreTokenGenerationConfig"]["LambdaVersion"], "V2_0");
/// assert_eq!(template["Resources"]["TriggerFunction"]["Properties"]["Runtime"], "provided.al2023");
/// assert!(template["Resources"].get("SenderKey").is_none());
/// ```
#[derive(Clone, Debug)]
pub struct CloudFormation {
    kinds: Vec<TriggerKind>,
    senders: Vec<TriggerKind>,
    /// What the handlers need beyond the triggers: resources, IAM statements and
    /// environment variables for `TriggerFunction`.
    resources: Map<String, Value>,
    statements: Vec<Value>,
    environment: Map<String, Value>,
}

impl CloudFormation {
    /// A template for one function serving `kinds`.
    ///
    /// ```
    /// use cognito_trigger::{CloudFormation, TriggerKind};
    ///
    /// let template = CloudFormation::new([TriggerKind::CustomSmsSender]).to_json();
    /// assert_eq!(template["Resources"]["SenderKey"]["Type"], "AWS::KMS::Key");
    /// assert_eq!(template["Resources"]["TriggerFunction"]["Properties"]["Timeout"], 30);
    /// ```
    #[must_use]
    pub fn new(kinds: impl IntoIterator<Item = TriggerKind>) -> Self {
        Self {
            kinds: kinds.into_iter().collect(),
            senders: Vec::new(),
            resources: Map::new(),
            statements: Vec::new(),
            environment: Map::new(),
        }
    }

    /// Adds a resource the handlers use (a table, a queue, a user pool group) under
    /// `logical_id`, as CloudFormation defines it.
    ///
    /// # Panics
    /// When `logical_id` is one the template already uses for its own resources
    /// ([`RESERVED_LOGICAL_IDS`](Self::RESERVED_LOGICAL_IDS)).
    ///
    /// ```
    /// use cognito_trigger::{CloudFormation, TriggerKind};
    /// use serde_json::json;
    ///
    /// let template = CloudFormation::new([TriggerKind::PostConfirmation])
    ///     .resource("Profiles", json!({
    ///         "Type": "AWS::DynamoDB::Table",
    ///         "Properties": {
    ///             "BillingMode": "PAY_PER_REQUEST",
    ///             "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}],
    ///             "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
    ///         },
    ///     }))
    ///     .to_json();
    /// assert_eq!(template["Resources"]["Profiles"]["Type"], "AWS::DynamoDB::Table");
    /// ```
    #[must_use]
    pub fn resource(mut self, logical_id: &str, definition: Value) -> Self {
        assert!(
            !Self::RESERVED_LOGICAL_IDS.contains(&logical_id),
            "`{logical_id}` is a resource of the template itself; give yours another name"
        );
        self.resources.insert(logical_id.to_owned(), definition);
        self
    }

    /// The logical IDs the template gives its own resources, which
    /// [`resource`](Self::resource) refuses.
    ///
    /// ```
    /// use cognito_trigger::CloudFormation;
    ///
    /// assert!(CloudFormation::RESERVED_LOGICAL_IDS.contains(&"UserPool"));
    /// ```
    pub const RESERVED_LOGICAL_IDS: &'static [&'static str] = &[
        "TriggerFunction",
        "TriggerFunctionRole",
        "TriggerFunctionCognitoPermission",
        "TriggerFunctionDecryptPolicy",
        DEPENDENCIES_POLICY,
        "SenderFunction",
        "SenderFunctionRole",
        "SenderFunctionCognitoPermission",
        "SenderFunctionDecryptPolicy",
        "SenderKey",
        "UserPool",
    ];

    /// Lets `TriggerFunction` (the function serving the triggers Cognito waits for) do
    /// `actions` on `resource` (an ARN: a string or an intrinsic function such as
    /// `{"Fn::GetAtt": [id, "Arn"]}`, or [`user_pool_arn`](Self::user_pool_arn)), in the
    /// policy `TriggerFunctionDependencies` attached to its role.
    ///
    /// ```
    /// use cognito_trigger::{CloudFormation, TriggerKind};
    /// use serde_json::json;
    ///
    /// let template = CloudFormation::new([TriggerKind::PostConfirmation])
    ///     .allow(&["dynamodb:PutItem"], json!({"Fn::GetAtt": ["Profiles", "Arn"]}))
    ///     .to_json();
    /// let policy = &template["Resources"]["TriggerFunctionDependencies"]["Properties"];
    /// assert_eq!(policy["PolicyDocument"]["Statement"][0]["Action"], json!(["dynamodb:PutItem"]));
    /// assert_eq!(policy["Roles"], json!([{"Ref": "TriggerFunctionRole"}]));
    /// ```
    #[must_use]
    pub fn allow(self, actions: &[&str], resource: Value) -> Self {
        self.statement(json!({
            "Effect": "Allow",
            "Action": actions,
            "Resource": resource,
        }))
    }

    /// Adds an IAM policy statement as written (with a `Condition`, say) to the policy
    /// [`allow`](Self::allow) fills.
    ///
    /// ```
    /// use cognito_trigger::{CloudFormation, TriggerKind};
    /// use serde_json::json;
    ///
    /// let only_profiles = json!({
    ///     "Effect": "Allow",
    ///     "Action": "dynamodb:PutItem",
    ///     "Resource": {"Fn::GetAtt": ["Users", "Arn"]},
    ///     "Condition": {"ForAllValues:StringLike": {"dynamodb:LeadingKeys": ["user#*"]}},
    /// });
    /// let template = CloudFormation::new([TriggerKind::PostConfirmation])
    ///     .statement(only_profiles.clone())
    ///     .to_json();
    /// let policy = &template["Resources"]["TriggerFunctionDependencies"]["Properties"];
    /// assert_eq!(policy["PolicyDocument"]["Statement"][0], only_profiles);
    /// ```
    #[must_use]
    pub fn statement(mut self, statement: Value) -> Self {
        self.statements.push(statement);
        self
    }

    /// Sets the environment variable `name` of `TriggerFunction` to `value` (a string or an
    /// intrinsic function such as `{"Ref": id}`).
    ///
    /// # Panics
    /// For `KEY_ARN`, which the template sets itself for a function that serves a custom
    /// sender.
    ///
    /// ```
    /// use cognito_trigger::{CloudFormation, TriggerKind};
    /// use serde_json::json;
    ///
    /// let template = CloudFormation::new([TriggerKind::PostConfirmation])
    ///     .environment("PROFILES_TABLE", json!({"Ref": "Profiles"}))
    ///     .to_json();
    /// let variables = &template["Resources"]["TriggerFunction"]["Properties"]["Environment"]["Variables"];
    /// assert_eq!(variables["PROFILES_TABLE"], json!({"Ref": "Profiles"}));
    /// ```
    #[must_use]
    pub fn environment(mut self, name: &str, value: Value) -> Self {
        assert!(
            name != SENDER_KEY_ARN_VAR,
            "`{name}` is set by the template itself (the custom senders' key)"
        );
        self.environment.insert(name.to_owned(), value);
        self
    }

    /// The ARN of the user pool the template wires (the one it creates, or the existing
    /// one its `UserPoolId` parameter names), for [`allow`](Self::allow) with Cognito API
    /// actions. The policy [`allow`](Self::allow) fills is a resource of its own, so naming
    /// the pool there makes no dependency cycle (the pool names the function).
    ///
    /// ```
    /// use cognito_trigger::CloudFormation;
    ///
    /// let arn = CloudFormation::user_pool_arn();
    /// assert_eq!(arn["Fn::If"][0], "CreateUserPool");
    /// ```
    #[must_use]
    pub fn user_pool_arn() -> Value {
        pool_arn()
    }

    /// Serves `senders` (meant for the custom email and SMS senders) from a second function,
    /// `SenderFunction`, with its own code (parameter `SenderCodeKey`) and role; they are
    /// taken out of the first function if it serves them too.
    ///
    /// ```
    /// use cognito_trigger::{CloudFormation, TriggerKind};
    ///
    /// let template = CloudFormation::new([TriggerKind::PreSignUp, TriggerKind::CustomEmailSender])
    ///     .senders_function([TriggerKind::CustomEmailSender])
    ///     .to_json();
    /// let config = &template["Resources"]["UserPool"]["Properties"]["LambdaConfig"];
    /// assert_eq!(config["PreSignUp"]["Fn::GetAtt"][0], "TriggerFunction");
    /// assert_eq!(config["CustomEmailSender"]["LambdaArn"]["Fn::GetAtt"][0], "SenderFunction");
    /// assert!(template["Parameters"].get("SenderCodeKey").is_some());
    /// ```
    #[must_use]
    pub fn senders_function(mut self, senders: impl IntoIterator<Item = TriggerKind>) -> Self {
        self.senders.extend(senders);
        self
    }

    fn functions(&self) -> Vec<Function> {
        let main = Function {
            logical_id: MAIN_FUNCTION,
            code_key: "CodeKey",
            kinds: (self.kinds.iter())
                .filter(|kind| !self.senders.contains(kind))
                .copied()
                .collect(),
        };
        let senders = Function {
            logical_id: "SenderFunction",
            code_key: "SenderCodeKey",
            kinds: self.senders.clone(),
        };
        [main, senders]
            .into_iter()
            .filter(|function| !function.kinds.is_empty())
            .collect()
    }

    /// The resources, IAM statements and environment variables given for the main function.
    fn add_dependencies(&self, resources: &mut Map<String, Value>) {
        for (id, definition) in &self.resources {
            resources.insert(id.clone(), definition.clone());
        }
        if !self.statements.is_empty() {
            resources.insert(
                DEPENDENCIES_POLICY.to_owned(),
                json!({
                    "Type": "AWS::IAM::Policy",
                    "Properties": {
                        "PolicyName": "trigger-dependencies",
                        "Roles": [{"Ref": format!("{MAIN_FUNCTION}Role")}],
                        "PolicyDocument": {"Version": "2012-10-17", "Statement": self.statements},
                    },
                }),
            );
        }
        if !self.environment.is_empty() {
            let properties = &mut resources[MAIN_FUNCTION]["Properties"];
            let variables = &mut properties["Environment"]["Variables"];
            if !variables.is_object() {
                *variables = Value::Object(Map::new());
            }
            for (name, value) in &self.environment {
                variables[name] = value.clone();
            }
        }
    }

    /// The template, as JSON.
    ///
    /// ```
    /// use cognito_trigger::{CloudFormation, TriggerKind};
    ///
    /// let template = CloudFormation::new([TriggerKind::PostConfirmation]).to_json();
    /// assert_eq!(template["AWSTemplateFormatVersion"], "2010-09-09");
    /// assert_eq!(template["Parameters"]["Architecture"]["Default"], "arm64");
    /// assert_eq!(
    ///     template["Resources"]["TriggerFunctionCognitoPermission"]["Properties"]["Principal"],
    ///     "cognito-idp.amazonaws.com",
    /// );
    /// ```
    #[must_use]
    pub fn to_json(&self) -> Value {
        let functions = self.functions();
        let mut resources = Map::new();
        let mut outputs = Map::new();
        for function in &functions {
            add_function(function, &mut resources, &mut outputs);
            if function.logical_id == MAIN_FUNCTION {
                self.add_dependencies(&mut resources);
            }
        }
        let decrypting: Vec<&Function> = functions.iter().filter(|f| f.serves_a_sender()).collect();
        if !decrypting.is_empty() {
            add_sender_key(&decrypting, &mut resources, &mut outputs);
        }
        add_user_pool(&functions, &mut resources, &mut outputs);
        json!({
            "AWSTemplateFormatVersion": "2010-09-09",
            "Description": "Amazon Cognito user pool triggers built with cognito-trigger: the functions, their roles, Cognito's permission to invoke them, and the user pool (or the LambdaConfig to merge into an existing one)",
            "Metadata": {CONTEXT: {"arch": "Cognito invokes the trigger functions (Lambda permission scoped to the user pool); each function logs to CloudWatch; when a custom sender is served, Cognito encrypts codes with the KMS key and the sender function decrypts them"}},
            "Parameters": parameters(&functions),
            "Conditions": {
                "CreateUserPool": {"Fn::Equals": [{"Ref": "UserPoolId"}, ""]},
                "UseExistingUserPool": {"Fn::Not": [{"Condition": "CreateUserPool"}]},
            },
            "Resources": resources,
            "Outputs": outputs,
        })
    }
}

/// The template's parameters: where each function's code is, its architecture, and the
/// user pool (none: create one).
fn parameters(functions: &[Function]) -> Map<String, Value> {
    let mut parameters = Map::new();
    parameters.insert(
        "CodeBucket".to_owned(),
        json!({
            "Type": "String",
            "Description": "The S3 bucket holding the functions' code (bootstrap.zip, from cargo lambda build --release --output-format zip)",
            "MinLength": 3,
        }),
    );
    for function in functions {
        parameters.insert(
            function.code_key.to_owned(),
            json!({
                "Type": "String",
                "Description": format!("The S3 key of {}'s bootstrap.zip", function.logical_id),
                "MinLength": 1,
            }),
        );
    }
    parameters.insert(
        "Architecture".to_owned(),
        json!({
            "Type": "String",
            "Description": "The instruction set the code was built for (cargo lambda build --arm64 or --x86-64)",
            "AllowedValues": ["arm64", "x86_64"],
            "Default": "arm64",
        }),
    );
    parameters.insert(
        "UserPoolId".to_owned(),
        json!({
            "Type": "String",
            "Description": "Empty: create a user pool with these triggers. Otherwise the ID of an existing user pool: the stack allows it to invoke the functions, and the LambdaConfig output is what to merge into that pool's configuration",
            "AllowedPattern": "^([\\w-]+_[0-9a-zA-Z]+)?$",
            "Default": "",
        }),
    );
    parameters
}

/// The user pool's ARN: the one the stack creates, or the existing one named.
fn pool_arn() -> Value {
    json!({"Fn::If": [
        "CreateUserPool",
        {"Fn::GetAtt": ["UserPool", "Arn"]},
        {"Fn::Sub": "arn:${AWS::Partition}:cognito-idp:${AWS::Region}:${AWS::AccountId}:userpool/${UserPoolId}"},
    ]})
}

/// A function, its execution role, Cognito's permission to invoke it, and its ARN output.
fn add_function(
    function: &Function,
    resources: &mut Map<String, Value>,
    outputs: &mut Map<String, Value>,
) {
    let id = function.logical_id;
    resources.insert(
        function.role(),
        json!({
            "Type": "AWS::IAM::Role",
            "Metadata": why(&format!("{id}'s execution role: CloudWatch logs")),
            "Properties": {
                "AssumeRolePolicyDocument": {
                    "Version": "2012-10-17",
                    "Statement": [{
                        "Effect": "Allow",
                        "Principal": {"Service": "lambda.amazonaws.com"},
                        "Action": "sts:AssumeRole",
                    }],
                },
                "ManagedPolicyArns": [
                    {"Fn::Sub": "arn:${AWS::Partition}:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"},
                ],
            },
        }),
    );
    let waits_for_none = function.kinds.iter().any(|kind| !kind.cognito_waits());
    let mut properties = json!({
        "Description": format!("Amazon Cognito user pool triggers ({} kinds, listed in this resource's Metadata)", function.kinds.len()),
        "Runtime": "provided.al2023",
        "Handler": "bootstrap",
        "Architectures": [{"Ref": "Architecture"}],
        "Code": {"S3Bucket": {"Ref": "CodeBucket"}, "S3Key": {"Ref": function.code_key}},
        "MemorySize": MEMORY_MB,
        "Timeout": if waits_for_none { ASYNCHRONOUS_TIMEOUT_SECONDS } else { SYNCHRONOUS_TIMEOUT_SECONDS },
        "Role": {"Fn::GetAtt": [function.role(), "Arn"]},
        // cognito_trigger::init_logging writes JSON lines when Lambda says so.
        "LoggingConfig": {"LogFormat": "JSON"},
    });
    if function.serves_a_sender() {
        // The key the sender decrypts codes with (the AWS Encryption SDK's keyring).
        properties["Environment"] =
            json!({"Variables": {(SENDER_KEY_ARN_VAR): {"Fn::GetAtt": ["SenderKey", "Arn"]}}});
    }
    let triggers: Vec<&str> = function.kinds.iter().map(|k| k.marker_name()).collect();
    resources.insert(
        id.to_owned(),
        json!({
            "Type": "AWS::Lambda::Function",
            "Metadata": {
                CONTEXT: {"why": format!("Serves the user pool's triggers: {}", triggers.join(", "))},
                "cognito-trigger": {"triggers": triggers},
            },
            "Properties": properties,
        }),
    );
    resources.insert(
        format!("{id}CognitoPermission"),
        json!({
            "Type": "AWS::Lambda::Permission",
            "Properties": {
                "Action": "lambda:InvokeFunction",
                "FunctionName": {"Fn::GetAtt": [id, "Arn"]},
                "Principal": "cognito-idp.amazonaws.com",
                "SourceAccount": {"Ref": "AWS::AccountId"},
                "SourceArn": pool_arn(),
            },
        }),
    );
    outputs.insert(
        format!("{id}Arn"),
        json!({"Description": format!("The ARN of {id}"), "Value": {"Fn::GetAtt": [id, "Arn"]}}),
    );
}

/// The key Cognito encrypts the senders' codes with, and `kms:Decrypt` on it for the roles
/// of the functions that serve a sender (and no other).
fn add_sender_key(
    decrypting: &[&Function],
    resources: &mut Map<String, Value>,
    outputs: &mut Map<String, Value>,
) {
    let roles: Vec<String> = decrypting.iter().map(|f| f.role()).collect();
    // Kept when the stack goes, like the pool: a pool that outlives the stack still
    // encrypts its codes with this key.
    resources.insert(
        "SenderKey".to_owned(),
        json!({
            "Type": "AWS::KMS::Key",
            "Metadata": why("Cognito encrypts the codes it sends the custom senders with it; the sender function decrypts them"),
            "DeletionPolicy": "Retain",
            "UpdateReplacePolicy": "Retain",
            "Properties": {
                "Description": "Amazon Cognito encrypts the codes it gives the custom sender triggers with this key",
                "EnableKeyRotation": true,
                "KeyPolicy": key_policy(&roles),
            },
        }),
    );
    for function in decrypting {
        resources.insert(
            format!("{}DecryptPolicy", function.logical_id),
            json!({
                "Type": "AWS::IAM::Policy",
                "Properties": {
                    "PolicyName": "decrypt-sender-codes",
                    "Roles": [{"Ref": function.role()}],
                    "PolicyDocument": {
                        "Version": "2012-10-17",
                        "Statement": [{
                            "Effect": "Allow",
                            "Action": "kms:Decrypt",
                            "Resource": {"Fn::GetAtt": ["SenderKey", "Arn"]},
                        }],
                    },
                },
            }),
        );
    }
    outputs.insert(
        "SenderKeyArn".to_owned(),
        json!({"Description": "The KMS key the custom senders decrypt codes with", "Value": {"Fn::GetAtt": ["SenderKey", "Arn"]}}),
    );
}

/// The user pool with the `LambdaConfig`, when the stack creates it; otherwise the same
/// configuration as an output to merge into the existing pool's.
fn add_user_pool(
    functions: &[Function],
    resources: &mut Map<String, Value>,
    outputs: &mut Map<String, Value>,
) {
    let served: Vec<(TriggerKind, &'static str)> = functions
        .iter()
        .flat_map(|f| f.kinds.iter().map(|kind| (*kind, f.logical_id)))
        .collect();
    let function_of = |kind: TriggerKind| {
        served
            .iter()
            .find(|(served, _)| *served == kind)
            .map_or("TriggerFunction", |(_, function)| function)
    };
    let kinds = served.iter().map(|(kind, _)| *kind);
    let attribute = |kind| json!({"Fn::GetAtt": [function_of(kind), "Arn"]});
    let key_arn = json!({"Fn::GetAtt": ["SenderKey", "Arn"]});
    let config = lambda_config(kinds.clone(), attribute, &key_arn);
    // Kept when the stack goes: deleting a user pool deletes its users.
    resources.insert(
        "UserPool".to_owned(),
        json!({
            "Type": "AWS::Cognito::UserPool",
            "Metadata": why("The user pool whose triggers the functions serve, when no existing pool is given"),
            "Condition": "CreateUserPool",
            "DeletionPolicy": "Retain",
            "UpdateReplacePolicy": "Retain",
            "Properties": {
                "UserPoolName": {"Ref": "AWS::StackName"},
                // `Ada` and `ada` are one user: `userName` follows the pool's case setting
                // (contract §5.2), and user migration keeps the name as typed (§13), so a
                // case-sensitive pool could migrate one legacy user twice.
                "UsernameConfiguration": {"CaseSensitive": false},
                "LambdaConfig": config,
            },
        }),
    );
    // The same entries as a JSON string, for an existing pool: `Fn::Sub` fills the ARNs.
    let placeholder = |kind| json!(format!("${{{}.Arn}}", function_of(kind)));
    let to_merge = lambda_config(kinds, placeholder, &json!("${SenderKey.Arn}"));
    outputs.insert(
        "LambdaConfig".to_owned(),
        json!({
            "Condition": "UseExistingUserPool",
            "Description": "The LambdaConfig to merge into the existing user pool's (UpdateUserPool replaces the whole configuration)",
            "Value": {"Fn::Sub": Value::Object(to_merge).to_string()},
        }),
    );
    outputs.insert(
        "UserPoolId".to_owned(),
        json!({
            "Description": "The user pool the triggers serve",
            "Value": {"Fn::If": ["CreateUserPool", {"Ref": "UserPool"}, {"Ref": "UserPoolId"}]},
        }),
    );
}

/// The custom senders' key policy: the account administers the key; Cognito encrypts with
/// it, and the deployer grants Cognito its use, for this user pool only (by the
/// `userpool-id` encryption context and the source ARN, as AWS documents it; a pool the
/// stack creates is not known when the key is, so any pool of the account in the region);
/// the roles of the functions that serve a sender decrypt.
fn key_policy(decrypting_roles: &[String]) -> Value {
    let this_pool_id = json!({"Fn::If": ["CreateUserPool", {"Fn::Sub": "${AWS::Region}_*"}, {"Ref": "UserPoolId"}]});
    let this_pool_arn = json!({"Fn::Sub": [
        "arn:${AWS::Partition}:cognito-idp:${AWS::Region}:${AWS::AccountId}:userpool/${Pool}",
        {"Pool": {"Fn::If": ["CreateUserPool", "*", {"Ref": "UserPoolId"}]}},
    ]});
    let account = json!({"Fn::Sub": "arn:${AWS::Partition}:iam::${AWS::AccountId}:root"});
    json!({
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "AccountAdministersTheKey",
                "Effect": "Allow",
                "Principal": {"AWS": account},
                "Action": KEY_ADMINISTRATION,
                "Resource": "*",
            },
            {
                "Sid": "DeployerGrantsCognitoForThisPool",
                "Effect": "Allow",
                "Principal": {"AWS": account},
                "Action": "kms:CreateGrant",
                "Resource": "*",
                "Condition": {"StringLike": {"kms:EncryptionContext:userpool-id": this_pool_id}},
            },
            {
                "Sid": "CognitoEncryptsCodesForThisPool",
                "Effect": "Allow",
                "Principal": {"Service": "cognito-idp.amazonaws.com"},
                "Action": ["kms:Encrypt", "kms:GenerateDataKey"],
                "Resource": "*",
                "Condition": {
                    "StringEquals": {"aws:SourceAccount": {"Ref": "AWS::AccountId"}},
                    "ArnLike": {"aws:SourceArn": this_pool_arn},
                },
            },
            {
                "Sid": "SenderFunctionDecryptsCodes",
                "Effect": "Allow",
                "Principal": {"AWS": decrypting_roles
                    .iter()
                    .map(|role| json!({"Fn::GetAtt": [role, "Arn"]}))
                    .collect::<Vec<_>>()},
                "Action": "kms:Decrypt",
                "Resource": "*",
            },
        ],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dependencies_go_to_the_main_function_beside_the_sender_key() {
        let template =
            CloudFormation::new([TriggerKind::PreSignUp, TriggerKind::CustomEmailSender])
                .environment("TABLE", json!({"Ref": "Table"}))
                .allow(
                    &["dynamodb:GetItem"],
                    json!({"Fn::GetAtt": ["Table", "Arn"]}),
                );
        let one = template.to_json();
        let variables =
            &one["Resources"]["TriggerFunction"]["Properties"]["Environment"]["Variables"];
        assert_eq!(variables["TABLE"], json!({"Ref": "Table"}));
        assert_eq!(
            variables[SENDER_KEY_ARN_VAR],
            json!({"Fn::GetAtt": ["SenderKey", "Arn"]})
        );

        let split = template
            .senders_function([TriggerKind::CustomEmailSender])
            .to_json();
        let resources = &split["Resources"];
        let policy = &resources[DEPENDENCIES_POLICY]["Properties"];
        assert_eq!(policy["Roles"], json!([{"Ref": "TriggerFunctionRole"}]));
        let sender = &resources["SenderFunction"]["Properties"]["Environment"]["Variables"];
        assert!(sender.get("TABLE").is_none());
    }

    #[test]
    fn without_dependencies_there_is_no_dependencies_policy() {
        let template = CloudFormation::new([TriggerKind::PreSignUp]).to_json();
        assert!(template["Resources"].get(DEPENDENCIES_POLICY).is_none());
        let function = &template["Resources"]["TriggerFunction"]["Properties"];
        assert!(function.get("Environment").is_none());
    }

    #[test]
    #[should_panic(expected = "`UserPool` is a resource of the template itself")]
    fn a_resource_may_not_replace_the_templates_own() {
        let _ = CloudFormation::new([TriggerKind::PreSignUp]).resource("UserPool", json!({}));
    }

    #[test]
    #[should_panic(expected = "`KEY_ARN` is set by the template itself")]
    fn the_sender_key_variable_is_the_templates() {
        let _ = CloudFormation::new([TriggerKind::PreSignUp]).environment("KEY_ARN", json!("x"));
    }
}
