//! The example pool binary.
//!
//! With no arguments it decodes every bundled sample event (one per triggerSource) and
//! prints what it found; with file arguments it decodes each file (one event per file).
//! Exit status 0 when every event decoded, 1 otherwise.

use std::process::ExitCode;

use cognito_trigger::{AnyEvent, Event, decode};
use examples::SAMPLE_EVENTS;

fn main() -> ExitCode {
    let files: Vec<String> = std::env::args().skip(1).collect();
    let inputs: Vec<(String, std::io::Result<Vec<u8>>)> = if files.is_empty() {
        SAMPLE_EVENTS
            .iter()
            .map(|(name, bytes)| ((*name).to_owned(), Ok(bytes.to_vec())))
            .collect()
    } else {
        files
            .into_iter()
            .map(|path| {
                let bytes = std::fs::read(&path);
                (path, bytes)
            })
            .collect()
    };

    println!(
        "{:<32} {:<46} {:<7} summary",
        "trigger", "triggerSource", "version"
    );
    let mut failures = 0;
    for (name, bytes) in &inputs {
        let bytes = match bytes {
            Ok(bytes) => bytes,
            Err(error) => {
                failures += 1;
                println!("{name}: cannot read: {error}");
                continue;
            }
        };
        match decode(bytes) {
            Ok(event) => println!(
                "{:<32} {:<46} {:<7} {}",
                event
                    .kind()
                    .map_or("(unrecognized trigger)", |kind| kind.name()),
                event.trigger_source(),
                event.version(),
                summary(&event)
            ),
            Err(error) => {
                failures += 1;
                println!("{name}: not a Cognito trigger event: {error}");
            }
        }
    }
    println!(
        "\n{} events, {} decoded, {failures} refused",
        inputs.len(),
        inputs.len() - failures
    );
    if failures == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

/// One line on what the event carries, from its typed request.
fn summary(event: &AnyEvent<'_>) -> String {
    match event {
        AnyEvent::PreSignUp(e) => format!("{} attributes", e.request.user_attributes.len()),
        AnyEvent::PostConfirmation(e) => format!("{} attributes", e.request.user_attributes.len()),
        AnyEvent::PreAuthentication(e) => {
            format!("user found: {}", !e.request.is_user_not_found())
        }
        AnyEvent::PostAuthentication(e) => {
            format!("new device: {}", e.request.new_device_used.unwrap_or(false))
        }
        AnyEvent::DefineAuthChallenge(e) => format!("{} steps so far", e.request.session.len()),
        AnyEvent::CreateAuthChallenge(e) => format!(
            "challenge {}",
            e.request
                .challenge_name
                .as_ref()
                .map_or("(none)", |c| c.as_str())
        ),
        AnyEvent::VerifyAuthChallengeResponse(e) => {
            format!("answer of {} characters", e.request.challenge_answer.len())
        }
        AnyEvent::PreTokenGenerationV1(e) => format!("groups: {}", groups(&e.request)),
        AnyEvent::PreTokenGenerationV2(Event { request, .. })
        | AnyEvent::PreTokenGenerationV3(Event { request, .. }) => {
            format!(
                "groups: {}; scopes: {}",
                groups(request),
                request.scopes().join(" ")
            )
        }
        AnyEvent::UserMigration(e) => format!(
            "user {:?}, password {}",
            e.user_name,
            e.request
                .password
                .as_ref()
                .map_or("absent".to_owned(), ToString::to_string)
        ),
        AnyEvent::CustomMessage(e) => format!("code placeholder {}", e.request.code_parameter),
        AnyEvent::CustomEmailSender(Event { request, .. })
        | AnyEvent::CustomSmsSender(Event { request, .. }) => format!(
            "{}, code {}",
            request.request_type,
            request
                .code
                .as_ref()
                .map_or("absent".to_owned(), ToString::to_string)
        ),
        AnyEvent::InboundFederation(e) => format!(
            "{} via {}",
            e.request.attributes.claim("email").unwrap_or("(no email)"),
            e.request.provider_name
        ),
        _ => "kept whole".to_owned(),
    }
}

fn groups(request: &cognito_trigger::PreTokenGenerationRequest<'_>) -> String {
    let groups: Vec<&str> = request.groups().collect();
    if groups.is_empty() {
        "(none)".to_owned()
    } else {
        groups.join(",")
    }
}
