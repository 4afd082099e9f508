//! The `cargo lambda new` template (`templates/cognito-pool`) offers exactly the triggers
//! the runtime's table has, everywhere it lists them: a trigger added to the table and not
//! to the template fails here. (`cargo xtask template` generates projects from it and runs
//! their tests.)

use std::path::Path;

use cognito_trigger::TriggerKind;

fn template_file(path: &str) -> String {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../templates/cognito-pool");
    std::fs::read_to_string(root.join(path)).expect("a template file")
}

/// The comma-separated names after `marker` on the line that holds it, up to `end`.
fn listed_after(text: &str, marker: &str, end: char) -> Vec<String> {
    let start = text.find(marker).map(|at| at + marker.len());
    let rest = &text[start.expect("the list's marker")..];
    rest[..rest.find(end).expect("the list's end")]
        .split(',')
        .map(|name| name.trim().to_owned())
        .collect()
}

fn markers() -> Vec<String> {
    TriggerKind::ALL
        .iter()
        .map(|kind| kind.marker_name().to_owned())
        .collect()
}

#[test]
fn the_template_offers_every_trigger_of_the_table() {
    let config = template_file("CargoLambda.toml");
    assert_eq!(listed_after(&config, "help = \"Any of: ", '"'), markers());

    let library = template_file("template/src/lib.rs");
    assert_eq!(listed_after(&library, "assign known = \"", '"'), markers());
    let tests = template_file("template/tests/handlers.rs");
    for marker in markers() {
        // A handler, a test and a pool entry for each.
        let condition = format!("{{%- if chosen contains \"{marker}\" %}}");
        assert!(library.contains(&condition), "no handler for {marker}");
        assert!(tests.contains(&condition), "no test for {marker}");
        assert!(
            library.contains(&format!("#[cognito_trigger({marker})]")),
            "{marker}"
        );
        assert!(
            library.contains(&format!("when \"{marker}\"")),
            "{marker} not in the pool"
        );
    }
}
