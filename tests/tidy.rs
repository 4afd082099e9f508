//! Tidy checks on the sources, run as tests (rust-analyzer's `tidy.rs` is the model): the
//! runtime's layers point one way, every public item has rustdoc, and no per-trigger fact
//! lives outside the trigger table.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the tests crate sits in the workspace")
        .to_path_buf()
}

/// Every `.rs` file under `dir`, with its text.
fn sources(dir: &Path) -> Vec<(PathBuf, String)> {
    let mut files = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir).expect("readable source directory") {
            let path = entry.expect("directory entry").path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).expect("readable source file");
                files.push((path, text));
            }
        }
    }
    files.sort();
    files
}

/// The code of a file: comments and doc comments dropped, and everything from the first
/// `#[cfg(test)]` on (unit tests may use any layer).
fn code(text: &str) -> String {
    text.lines()
        .take_while(|line| line.trim() != "#[cfg(test)]")
        .filter(|line| !line.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The runtime's top-level module a file belongs to (`handler/params.rs` is `handler`).
fn top_module(src: &Path, file: &Path) -> Option<String> {
    let relative = file.strip_prefix(src).ok()?;
    let first = relative.components().next()?.as_os_str().to_str()?;
    match first {
        "lib.rs" => None,
        name => Some(name.trim_end_matches(".rs").to_owned()),
    }
}

/// Which top-level modules each top-level module refers to through `crate::`.
fn module_graph() -> BTreeMap<String, BTreeSet<String>> {
    let src = workspace().join("runtime/src");
    let files = sources(&src);
    let modules: BTreeSet<String> = files
        .iter()
        .filter_map(|(path, _)| top_module(&src, path))
        .collect();
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (path, text) in &files {
        let Some(from) = top_module(&src, path) else {
            continue;
        };
        let code = code(text);
        let edges = graph.entry(from.clone()).or_default();
        // `crate::a::b`, `use crate::{a::b, c}` and `$crate::a` all name module `a`.
        for (start, _) in code.match_indices("crate::") {
            let rest = &code[start + "crate::".len()..];
            let targets: Vec<&str> = match rest.strip_prefix('{') {
                Some(group) => group
                    .split(['}', ';'])
                    .next()
                    .unwrap_or_default()
                    .split(',')
                    .map(|item| item.trim())
                    .collect(),
                None => vec![rest],
            };
            for target in targets {
                let name: String = target
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                if modules.contains(&name) && name != from {
                    edges.insert(name);
                }
            }
        }
    }
    graph
}

/// A cycle in `graph`, if there is one, as the modules along it.
fn find_cycle(graph: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        node: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(at) = path.iter().position(|n| n == node) {
            let mut cycle = path[at..].to_vec();
            cycle.push(node.to_owned());
            return Some(cycle);
        }
        if done.contains(node) {
            return None;
        }
        path.push(node.to_owned());
        for next in graph.get(node).into_iter().flatten() {
            if let Some(cycle) = visit(next, graph, path, done) {
                return Some(cycle);
            }
        }
        path.pop();
        done.insert(node.to_owned());
        None
    }
    let mut done = BTreeSet::new();
    graph
        .keys()
        .find_map(|node| visit(node, graph, &mut Vec::new(), &mut done))
}

#[test]
fn runtime_modules_have_no_import_cycle() {
    let graph = module_graph();
    // The check must see the layers it guards, or it proves nothing.
    assert!(graph["pool"].contains("invoke"), "{graph:?}");
    assert!(graph["event"].contains("table"), "{graph:?}");
    if let Some(cycle) = find_cycle(&graph) {
        panic!(
            "runtime modules import each other in a cycle: {}",
            cycle.join(" -> ")
        );
    }
}

#[test]
fn cycle_finder_finds_cycles() {
    let graph: BTreeMap<String, BTreeSet<String>> = [
        ("a", vec!["b"]),
        ("b", vec!["c"]),
        ("c", vec!["a"]),
        ("d", vec!["a"]),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.into_iter().map(str::to_owned).collect()))
    .collect();
    assert_eq!(
        find_cycle(&graph),
        Some(
            vec!["a", "b", "c", "a"]
                .into_iter()
                .map(str::to_owned)
                .collect()
        )
    );
}

/// `pub` items (not `pub(crate)`, not `#[doc(hidden)]`) without rustdoc above them
/// (attributes may stand between). Items a macro declares (`pub struct $name`) get their
/// docs through the macro's `$(#[$meta])*`, and `pub mod x;` has its docs inside `x`.
fn undocumented_public_items(text: &str) -> Vec<String> {
    const ITEMS: &[&str] = &[
        "fn ",
        "async fn ",
        "const fn ",
        "struct ",
        "enum ",
        "trait ",
        "type ",
        "const ",
        "static ",
        "mod ",
    ];
    let lines: Vec<&str> = text.lines().map(str::trim_start).collect();
    let mut missing = Vec::new();
    for (index, line) in lines.iter().enumerate() {
        let Some(item) = line.strip_prefix("pub ") else {
            continue;
        };
        let Some(kind) = ITEMS.iter().find(|kind| item.starts_with(**kind)) else {
            continue;
        };
        let name = &item[kind.len()..];
        if name.starts_with('$') || (*kind == "mod " && line.ends_with(';')) {
            continue;
        }
        // Walk up over attributes (a multi-line one ends with `)]`) to what stands above.
        let mut above = index;
        let mut hidden = false;
        while above > 0 {
            above -= 1;
            let previous = lines[above];
            if previous.ends_with(")]") && !previous.starts_with("#[") {
                while above > 0 && !lines[above].starts_with("#[") {
                    above -= 1;
                }
            }
            let previous = lines[above];
            hidden |= previous.contains("doc(hidden)");
            if !(previous.starts_with("#[") || previous.starts_with("$(#[")) {
                break;
            }
        }
        let documented = lines[above].starts_with("///") || lines[above].starts_with("$(#[");
        if !documented && !hidden {
            missing.push(format!("line {}: {line}", index + 1));
        }
    }
    missing
}

/// Fails with every finding of `check` in the sources under `dirs`, `what` saying what
/// they lack.
fn assert_no_finding(dirs: &[&str], check: fn(&str) -> Vec<String>, what: &str) {
    let mut findings = Vec::new();
    for dir in dirs {
        for (path, text) in sources(&workspace().join(dir)) {
            for finding in check(&text) {
                findings.push(format!("{}: {finding}", path.display()));
            }
        }
    }
    assert!(findings.is_empty(), "{what}:\n{}", findings.join("\n"));
}

#[test]
fn public_items_have_rustdoc() {
    assert_no_finding(
        &["runtime/src", "macros/src"],
        undocumented_public_items,
        "public items without rustdoc",
    );
}

#[test]
fn undocumented_item_is_found() {
    let text = "/// Documented.\npub fn a() {}\n\npub fn b() {}\n#[doc(hidden)]\npub fn c() {}\n\
                /// Documented.\n#[diagnostic::on_unimplemented(\n    message = \"x\"\n)]\npub trait D {}\n\
                #[derive(Debug)]\npub struct E;\n";
    assert_eq!(
        undocumented_public_items(text),
        ["line 4: pub fn b() {}", "line 13: pub struct E;"]
    );
}

/// Each trigger kind's variant name, as `TriggerKind::X` would name it in code.
fn kind_variants() -> Vec<String> {
    cognito_trigger::TriggerKind::ALL
        .iter()
        .map(|kind| format!("TriggerKind::{}", kind.marker_name()))
        .collect()
}

#[test]
fn trigger_facts_live_in_the_table() {
    let src = workspace().join("runtime/src");
    let variants = kind_variants();
    let prefixes: Vec<String> = cognito_trigger::TriggerKind::ALL
        .iter()
        .map(|kind| format!("\"{}\"", kind.source_prefix()))
        .collect();
    let mut offenders = Vec::new();
    for (path, text) in sources(&src) {
        let name = path
            .strip_prefix(&src)
            .expect("under src")
            .to_string_lossy()
            .into_owned();
        // The table itself, and the types it names (their wire strings are theirs).
        if name == "table.rs" || name.starts_with("triggers/") || name.starts_with("rules") {
            continue;
        }
        let code = code(&text);
        for needle in variants.iter().chain(&prefixes) {
            if code.contains(needle.as_str()) {
                offenders.push(format!("{name}: {needle}"));
            }
        }
    }
    // The macro crate's list is generated from the table; nothing else there may name a kind.
    let macros = workspace().join("macros/src");
    for (path, text) in sources(&macros) {
        if path.ends_with("table.rs") {
            continue;
        }
        for kind in cognito_trigger::TriggerKind::ALL {
            let literal = format!("\"{}\"", kind.marker_name());
            if code(&text).contains(&literal) {
                offenders.push(format!("{}: {literal}", path.display()));
            }
        }
    }
    assert!(
        offenders.is_empty(),
        "per-trigger facts outside the trigger table (runtime/src/table.rs):\n{}",
        offenders.join("\n")
    );
}

#[test]
fn readme_lists_every_response_rule() {
    let readme = std::fs::read_to_string(workspace().join("README.md")).expect("README.md");
    let table =
        std::fs::read_to_string(workspace().join("runtime/src/rules.md")).expect("rules.md");
    assert!(
        readme.contains(&table),
        "README.md's table of response rules differs from runtime/src/rules.md: copy it over"
    );
}

/// Public items of the runtime whose rustdoc has no example (a fenced code block).
fn public_items_without_example(text: &str) -> Vec<String> {
    let lines: Vec<&str> = text.lines().map(str::trim_start).collect();
    let mut missing = Vec::new();
    for (index, line) in lines.iter().enumerate() {
        let Some(item) = line.strip_prefix("pub ") else {
            continue;
        };
        let item = item
            .trim_start_matches("async ")
            .trim_start_matches("const fn ");
        let kinds = [
            "fn ", "struct ", "enum ", "trait ", "type ", "const ", "static ",
        ];
        let is_item =
            line.starts_with("pub const fn ") || kinds.iter().any(|k| item.starts_with(k));
        // Items a macro declares get their docs (and examples) from the macro's caller;
        // a sealed trait lives in a private module, out of users' reach.
        if !is_item || item.contains('$') || item.starts_with("trait Sealed") {
            continue;
        }
        let doc: Vec<&str> = lines[..index]
            .iter()
            .rev()
            .take_while(|l| {
                l.starts_with("///")
                    || l.starts_with("#[")
                    || l.starts_with(")]")
                    || l.starts_with("message =")
                    || l.starts_with("label =")
                    || l.starts_with("note =")
            })
            .copied()
            .collect();
        // Hidden items and the README's doctest holder are not in the rendered docs.
        if doc
            .iter()
            .any(|l| l.contains("doc(hidden)") || l.contains("cfg(doctest)"))
        {
            continue;
        }
        if !doc
            .iter()
            .any(|l| l.starts_with("/// ```") || l.contains("\\n```"))
        {
            missing.push(format!("line {}: {line}", index + 1));
        }
    }
    missing
}

#[test]
fn public_items_have_an_example() {
    assert_no_finding(
        &["runtime/src"],
        public_items_without_example,
        "public items without an example in their rustdoc",
    );
}

#[test]
fn item_without_example_is_found() {
    let text = "/// With one.\n///\n/// ```\n/// assert!(true);\n/// ```\npub fn a() {}\n/// Words only.\npub fn b() {}\n";
    assert_eq!(
        public_items_without_example(text),
        ["line 8: pub fn b() {}"]
    );
}
