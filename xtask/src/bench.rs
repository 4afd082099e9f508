//! `cargo xtask bench`: what the framework costs, measured side by side in one run.
//!
//! - Per trigger (criterion, `tests/benches/triggers.rs`): ours (pool dispatch → generated
//!   handler → answer bytes), the baseline (`aws_lambda_events` + `serde_json`, the same
//!   decision), and the limit (validate the JSON, copy the bytes), per event.
//!   Then the same three again, alternately, round by round, so that a machine that drifts
//!   moves all of them: the ratios and their spread come from these rounds.
//! - Whole process: the example `pool` (every trigger) and the one-trigger example against
//!   `baseline_pre_sign_up` (one trigger, `lambda_runtime` + `aws_lambda_events`): cold
//!   start measured directly against a Runtime API of our own (process start → first `next`
//!   request, → first response; alternating runs), peak RSS, stripped release binary size
//!   (and what weighs in it), clean release build time.
//!
//! Writes `target/bench/summary.json` and `BENCHMARKS.md`.

use std::fmt::Write as _;
use std::path::Path;
use std::process::Command;
use std::time::Instant;

use serde_json::{Value, json};

use crate::runtime_api::{Function, cold_start};

/// The two cold-start phases measured: their `summary.json` keys and their names.
const COLD_START_PHASES: [(&str, &str); 2] = [
    ("init", "start → first `next`"),
    ("first_response", "start → first answer"),
];

/// Fresh starts per program, alternating between the programs. A start takes about 2 ms
/// and varies by a quarter from run to run, so many runs are cheap and narrow the ratios.
const COLD_START_TRIALS: usize = 101;

/// One program of the whole-process comparison.
struct Program {
    /// The key in `summary.json`.
    key: &'static str,
    binary: &'static str,
}

/// The example pool: one function serving every trigger, with the examples' logic.
const POOL: Program = Program {
    key: "ours_pool",
    binary: "pool",
};
/// The single-trigger example for pre sign-up: like for like with the baseline.
const ONE_TRIGGER: Program = Program {
    key: "ours_one_trigger",
    binary: "pre_sign_up",
};
/// Pre sign-up written the usual way, on `lambda_runtime` + `aws_lambda_events`.
const BASELINE: Program = Program {
    key: "baseline",
    binary: "baseline_pre_sign_up",
};

pub(crate) fn run(root: &Path) -> Result<(), String> {
    let started = Instant::now();
    let out = root.join("target/bench");
    std::fs::create_dir_all(&out).map_err(|e| e.to_string())?;

    println!("    per trigger (criterion)");
    crate::exec(
        Command::new("cargo")
            .args([
                "bench",
                "--package",
                "cognito-trigger-tests",
                "--bench",
                "triggers",
            ])
            .current_dir(root),
    )?;
    let per_trigger = per_trigger(root)?;

    // Each package is built once, clean, in its own target directory; its binaries are
    // kept in `target/bench/bin` for the process measurements.
    println!("    clean release builds, binary sizes");
    let bin = out.join("bin");
    std::fs::create_dir_all(&bin).map_err(|e| e.to_string())?;
    let mut build_time = serde_json::Map::new();
    let mut binary_size = serde_json::Map::new();
    let mut weights = Value::Null;
    for (package, programs) in [
        ("examples", &[&POOL, &ONE_TRIGGER][..]),
        ("baseline-trigger", &[&BASELINE][..]),
    ] {
        let target = out.join(format!("clean-{package}"));
        let seconds = clean_build(root, package, &target, &[])?;
        build_time.insert(programs[0].key.to_owned(), json!(seconds));
        for program in programs {
            let built = target.join("release").join(program.binary);
            if program.key == POOL.key {
                weights = symbol_weights(&built)?;
            }
            let size = stripped_size(&built, &bin.join(program.binary))?;
            binary_size.insert(program.key.to_owned(), json!(size));
        }
        // The build directories are large and only needed for these numbers.
        let _ = std::fs::remove_dir_all(&target);
    }
    // A user's crate: one handler on this runtime, like for like with the baseline crate.
    let target = out.join("clean-minimal");
    let minimal = clean_build(root, "minimal-trigger", &target, &[])?;
    // The same crate with the custom senders' decryption (the runtime's `kms` feature).
    let minimal_kms = clean_build(
        root,
        "minimal-trigger",
        &target,
        &["--features", "cognito-trigger/kms"],
    )?;
    let _ = std::fs::remove_dir_all(&target);
    println!("    cold starts ({COLD_START_TRIALS} alternating runs each) and peak RSS");
    let event = std::fs::read(root.join("examples/events/PreSignUp_SignUp.json"))
        .map_err(|e| e.to_string())?;
    let (init, first_response) = cold_starts(&bin, &event)?;
    let mut peak_rss = serde_json::Map::new();
    for program in [&POOL, &ONE_TRIGGER, &BASELINE] {
        peak_rss.insert(
            program.key.to_owned(),
            json!(rss_after(&bin.join(program.binary), &event)?),
        );
    }
    let cold_start = init_and_first(&first_response);

    let baseline_build = build_time.get(BASELINE.key).and_then(Value::as_f64);
    let summary = json!({
        "per_trigger": per_trigger,
        "cold_start": ratio_table(cold_start, "ms"),
        "cold_start_init": ratio_table(init_and_first(&init), "ms"),
        "cold_start_spread": json!({"init": spread_table(&init), "first_response": spread_table(&first_response)}),
        "cold_start_paired": json!({"init": paired_ratios(&init), "first_response": paired_ratios(&first_response)}),
        "symbol_weights": weights,
        "peak_rss": ratio_table(peak_rss, "kib"),
        "binary_size": ratio_table(binary_size, "bytes"),
        "build_time": ratio_table(build_time, "seconds"),
        "user_crate_build": {
            "unit": "seconds",
            "ours_minimal_crate": minimal,
            "baseline": baseline_build,
            "ours_minimal_crate_over_baseline": baseline_build.map(|b| minimal / b),
            "ours_minimal_crate_with_kms": minimal_kms,
            "ours_minimal_crate_with_kms_over_baseline": baseline_build.map(|b| minimal_kms / b),
        },
        "load": std::fs::read(out.join("load.json")).ok().and_then(|b| serde_json::from_slice::<Value>(&b).ok()),
        "machine": machine(),
        "wall_clock_minutes": started.elapsed().as_secs_f64() / 60.0,
    });
    let summary = with_targets(summary);
    std::fs::write(
        out.join("summary.json"),
        serde_json::to_vec_pretty(&summary).unwrap_or_default(),
    )
    .map_err(|e| e.to_string())?;
    std::fs::write(root.join("BENCHMARKS.md"), markdown(&summary)).map_err(|e| e.to_string())?;
    crate::chart::per_trigger(&summary["per_trigger"], &root.join("BENCHMARKS.svg"))?;
    println!("    wrote target/bench/summary.json, BENCHMARKS.md and BENCHMARKS.svg");
    Ok(())
}

/// Median nanoseconds per event, per trigger and variant, from criterion's estimates.
fn per_trigger(root: &Path) -> Result<Value, String> {
    let counts: Value = read_json(&root.join("target/bench/bench-events.json"))?;
    let alternating: Value = read_json(&root.join("target/bench/alternating.json"))?;
    let mut table = serde_json::Map::new();
    for (trigger, count) in counts.as_object().into_iter().flatten() {
        let measured = count["measured"].as_f64().unwrap_or(1.0).max(1.0);
        let median = |variant: &str| -> Option<f64> {
            let path = root.join(format!(
                "target/criterion/{trigger}/{variant}/new/estimates.json"
            ));
            read_json(&path).ok()?["median"]["point_estimate"]
                .as_f64()
                .map(|ns| ns / measured)
        };
        let (ours, baseline, limit) = (median("ours"), median("baseline"), median("limit"));
        table.insert(
            trigger.clone(),
            json!({
                "ours_ns": ours,
                "baseline_ns": baseline,
                "limit_ns": limit,
                "ours_over_baseline": ours.zip(baseline).map(|(o, b)| o / b),
                "ours_over_limit": ours.zip(limit).map(|(o, l)| o / l),
                "events": count["events"],
                "baseline_parses": count["baseline_parses"],
                "alternating": alternating[trigger],
            }),
        );
    }
    Ok(Value::Object(table))
}

/// A clean release build of `package` (every binary in it, with everything they depend on)
/// in `target`, in seconds.
fn clean_build(root: &Path, package: &str, target: &Path, extra: &[&str]) -> Result<f64, String> {
    let _ = std::fs::remove_dir_all(target);
    let started = Instant::now();
    crate::exec(
        Command::new("cargo")
            .args(["build", "--release", "--locked", "--package", package])
            .args(extra)
            .env("CARGO_TARGET_DIR", target)
            .current_dir(root),
    )?;
    Ok(started.elapsed().as_secs_f64())
}

/// `cargo xtask cold-start BINARY...`: each binary started `COLD_START_TRIALS` times,
/// taking turns, on a pre sign-up sample; prints the medians and quartiles, and the median
/// of each run's ratio to the last binary's run (init, first answer).
pub(crate) fn report_cold_starts(binaries: &[String]) -> Result<(), String> {
    let root = crate::workspace_root();
    let event = std::fs::read(root.join("examples/events/PreSignUp_SignUp.json"))
        .map_err(|e| e.to_string())?;
    let mut init: Vec<Vec<f64>> = vec![Vec::new(); binaries.len()];
    let mut first = init.clone();
    for trial in 0..COLD_START_TRIALS {
        for turn in 0..binaries.len() {
            let which = (trial + turn) % binaries.len();
            let started = cold_start(Path::new(&binaries[which]), &event)?;
            init[which].push(started.init.as_secs_f64() * 1e3);
            first[which].push(started.first_response.as_secs_f64() * 1e3);
        }
    }
    println!(
        "{:<40} {:>22} {:>22} {:>10} {:>11}",
        "binary", "init ms (p25-p75)", "first answer ms", "init/last", "answer/last"
    );
    let last = binaries.len() - 1;
    for (which, binary) in binaries.iter().enumerate() {
        let cell = |values: &[f64]| {
            format!(
                "{:.2} ({:.2}-{:.2})",
                quantile(values, 0.5),
                quantile(values, 0.25),
                quantile(values, 0.75)
            )
        };
        // Each run's ratio to the last binary's run in the same trial.
        let over_last = |samples: &[Vec<f64>]| -> Vec<f64> {
            samples[which]
                .iter()
                .zip(&samples[last])
                .map(|(o, b)| o / b)
                .collect()
        };
        println!(
            "{binary:<40} {:>22} {:>22} {:>10} {:>11}",
            cell(&init[which]),
            cell(&first[which]),
            format!("{:.3}", quantile(&over_last(&init), 0.5)),
            format!("{:.3}", quantile(&over_last(&first), 0.5)),
        );
    }
    Ok(())
}

/// Strips `built` into `kept` and returns the stripped size in bytes.
fn stripped_size(built: &Path, kept: &Path) -> Result<u64, String> {
    crate::exec(Command::new("strip").arg("-o").arg(kept).arg(built))?;
    Ok(std::fs::metadata(kept).map_err(|e| e.to_string())?.len())
}

/// Milliseconds per program (by `summary.json` key), one per run.
type Samples = std::collections::BTreeMap<&'static str, Vec<f64>>;

/// Every program started `COLD_START_TRIALS` times, the programs taking turns (in a
/// rotating order), so that a machine that drifts moves them all alike: init times (start
/// → first `next`) and first-response times (start → first answer).
fn cold_starts(bin: &Path, event: &[u8]) -> Result<(Samples, Samples), String> {
    let programs = [&POOL, &ONE_TRIGGER, &BASELINE];
    let (mut init, mut first) = (Samples::new(), Samples::new());
    for trial in 0..COLD_START_TRIALS {
        for turn in 0..programs.len() {
            let program = programs[(trial + turn) % programs.len()];
            let started = cold_start(&bin.join(program.binary), event)?;
            init.entry(program.key)
                .or_default()
                .push(started.init.as_secs_f64() * 1e3);
            first
                .entry(program.key)
                .or_default()
                .push(started.first_response.as_secs_f64() * 1e3);
        }
    }
    Ok((init, first))
}

/// The value at `quantile` (0 to 1) of `values`, which must not be empty.
fn quantile(values: &[f64], quantile: f64) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    // Truncation is the point: the index of the quantile in the sorted values.
    #[allow(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        clippy::cast_precision_loss
    )]
    let index = ((sorted.len() - 1) as f64 * quantile).round() as usize;
    sorted[index]
}

/// Each program's median.
fn init_and_first(samples: &Samples) -> serde_json::Map<String, Value> {
    samples
        .iter()
        .map(|(key, values)| ((*key).to_owned(), json!(quantile(values, 0.5))))
        .collect()
}

/// Each program's median, quartiles, least and most, and the number of runs.
fn spread_table(samples: &Samples) -> Value {
    samples
        .iter()
        .map(|(key, values)| ((*key).to_owned(), spread(values)))
        .collect::<serde_json::Map<_, _>>()
        .into()
}

/// The number of `values`, their median, quartiles, least and most.
fn spread(values: &[f64]) -> Value {
    json!({
        "runs": values.len(),
        "median": quantile(values, 0.5),
        "p25": quantile(values, 0.25),
        "p75": quantile(values, 0.75),
        "min": quantile(values, 0.0),
        "max": quantile(values, 1.0),
    })
}

/// Per program, the ratio to the baseline run by run (each trial starts every program once,
/// in turn): median, quartiles, least and most. Drift between trials moves both sides of a
/// ratio alike, as in the per-invocation rounds; these medians are the cold-start targets.
fn paired_ratios(samples: &Samples) -> Value {
    let Some(baseline) = samples.get(BASELINE.key) else {
        return Value::Null;
    };
    [&POOL, &ONE_TRIGGER]
        .into_iter()
        .filter_map(|program| {
            let ours = samples.get(program.key)?;
            let ratios: Vec<f64> = ours.iter().zip(baseline).map(|(o, b)| o / b).collect();
            let key = format!("{}_over_baseline", program.key);
            Some((key, spread(&ratios)))
        })
        .collect::<serde_json::Map<_, _>>()
        .into()
}

/// The function's peak RSS after 500 warm invocations.
fn rss_after(binary: &Path, event: &[u8]) -> Result<u64, String> {
    let mut function = Function::start(binary)?;
    for _ in 0..500 {
        function.invoke(event)?;
    }
    function
        .peak_rss_kib()
        .ok_or_else(|| format!("no VmHWM for {}", binary.display()))
}

/// What weighs in `binary` (unstripped): its largest functions and data, and the total
/// per crate, from `nm`'s symbol sizes.
fn symbol_weights(binary: &Path) -> Result<Value, String> {
    let output = Command::new("nm")
        .args(["--print-size", "--size-sort", "--radix=d", "--demangle"])
        .arg(binary)
        .output()
        .map_err(|e| format!("nm: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "nm failed: {}",
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    let text = String::from_utf8_lossy(&output.stdout);
    let mut symbols: Vec<(u64, String)> = text
        .lines()
        .filter_map(|line| {
            let mut fields = line.splitn(4, ' ');
            let _address = fields.next()?;
            let size = fields.next()?.parse().ok()?;
            let _kind = fields.next()?;
            Some((size, fields.next()?.to_owned()))
        })
        .collect();
    symbols.sort_by_key(|symbol| std::cmp::Reverse(symbol.0));
    let mut per_crate: std::collections::BTreeMap<String, u64> = std::collections::BTreeMap::new();
    for (size, name) in &symbols {
        *per_crate.entry(crate_of(name)).or_default() += size;
    }
    let mut per_crate: Vec<(String, u64)> = per_crate.into_iter().collect();
    per_crate.sort_by_key(|entry| std::cmp::Reverse(entry.1));
    let total: u64 = symbols.iter().map(|(size, _)| size).sum();
    Ok(json!({
        "total_symbol_bytes": total,
        "largest_symbols": symbols.iter().take(15).map(|(size, name)| json!({"bytes": size, "symbol": name})).collect::<Vec<_>>(),
        "per_crate": per_crate.iter().take(15).map(|(name, size)| json!({"crate": name, "bytes": size})).collect::<Vec<_>>(),
    }))
}

/// The crate a demangled symbol belongs to: its path's first segment (inside `<…>` for
/// trait impls), or `(other)` for symbols without one (C, the allocator, data).
fn crate_of(symbol: &str) -> String {
    let path = symbol
        .trim_start_matches('<')
        .trim_start_matches('&')
        .trim_start_matches("dyn ");
    match path.split_once("::") {
        Some((first, _)) if first.chars().all(|c| c.is_alphanumeric() || c == '_') => {
            first.to_owned()
        }
        _ => "(other)".to_owned(),
    }
}

/// One figure of the targets: its value, the target, and whether it is met.
fn target(figure: &str, value: Option<f64>, at_most: f64) -> Value {
    json!({"figure": figure, "value": value, "at_most": at_most, "met": value.is_some_and(|v| v <= at_most)})
}

/// `summary` with `targets`: each figure the cost targets name, next to its target.
fn with_targets(mut summary: Value) -> Value {
    let rows: Vec<&Value> = summary["per_trigger"]
        .as_object()
        .into_iter()
        .flat_map(|t| t.values())
        .collect();
    let mut over_baseline: Vec<f64> = rows
        .iter()
        .filter_map(|row| row["alternating"]["ours_over_baseline"]["median"].as_f64())
        .collect();
    over_baseline.sort_by(f64::total_cmp);
    let over_limit_worst = rows
        .iter()
        .filter_map(|row| row["alternating"]["ours_over_limit"]["median"].as_f64())
        .max_by(f64::total_cmp);
    let figure = |key: &str, ratio: &str| summary[key][ratio].as_f64();
    let paired =
        |key: &str, ratio: &str| summary["cold_start_paired"][key][ratio]["median"].as_f64();
    let targets = vec![
        target(
            "per invocation, ours/baseline, median over triggers",
            (!over_baseline.is_empty()).then(|| quantile(&over_baseline, 0.5)),
            0.5,
        ),
        target(
            "per invocation, ours/baseline, worst trigger",
            over_baseline.last().copied(),
            0.6,
        ),
        target(
            "per invocation, ours/limit, worst trigger",
            over_limit_worst,
            3.0,
        ),
        target(
            "stripped binary, one trigger/baseline",
            figure("binary_size", "ours_one_trigger_over_baseline"),
            1.15,
        ),
        target(
            "stripped binary, pool/baseline",
            figure("binary_size", "ours_pool_over_baseline"),
            1.35,
        ),
        target(
            "cold start init, pool/baseline, median of per-run ratios",
            paired("init", "ours_pool_over_baseline"),
            1.05,
        ),
        target(
            "cold start init, one trigger/baseline, median of per-run ratios",
            paired("init", "ours_one_trigger_over_baseline"),
            1.05,
        ),
        target(
            "cold start to first answer, pool/baseline, median of per-run ratios",
            paired("first_response", "ours_pool_over_baseline"),
            1.05,
        ),
        target(
            "cold start to first answer, one trigger/baseline, median of per-run ratios",
            paired("first_response", "ours_one_trigger_over_baseline"),
            1.05,
        ),
        target(
            "clean build of a user's crate, ours/baseline",
            figure("user_crate_build", "ours_minimal_crate_over_baseline"),
            1.25,
        ),
    ];
    summary["targets"] = Value::Array(targets);
    summary
}

/// The targets as a Markdown section.
fn targets(summary: &Value) -> String {
    let mut md =
        String::from("\n## Targets\n\n| figure | measured | target | |\n|---|---|---|---|\n");
    for row in summary["targets"].as_array().into_iter().flatten() {
        let _ = writeln!(
            md,
            "| {} | {} | ≤ {} | {} |",
            row["figure"].as_str().unwrap_or_default(),
            number(&row["value"], 2),
            number(&row["at_most"], 2),
            if row["met"] == true {
                "met"
            } else {
                "**missed**"
            },
        );
    }
    md
}

/// Each program's value and its ratio to the baseline's.
fn ratio_table(values: serde_json::Map<String, Value>, unit: &str) -> Value {
    let value = |program: &Program| values.get(program.key).and_then(Value::as_f64);
    let baseline = value(&BASELINE);
    let over_baseline = |program: &Program| value(program).zip(baseline).map(|(o, b)| o / b);
    json!({
        "unit": unit,
        POOL.key: value(&POOL),
        ONE_TRIGGER.key: value(&ONE_TRIGGER),
        BASELINE.key: baseline,
        "ours_pool_over_baseline": over_baseline(&POOL),
        "ours_one_trigger_over_baseline": over_baseline(&ONE_TRIGGER),
    })
}

fn machine() -> Value {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|info| {
            info.lines()
                .find(|l| l.starts_with("model name"))
                .map(|l| l.split(':').nth(1).unwrap_or("").trim().to_owned())
        });
    let cores = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1);
    let rustc = Command::new("rustc")
        .arg("--version")
        .output()
        .ok()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned());
    json!({"cpu": cpu, "cores": cores, "rustc": rustc})
}

fn read_json(path: &Path) -> Result<Value, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
    serde_json::from_slice(&bytes).map_err(|e| format!("{}: {e}", path.display()))
}

fn number(value: &Value, digits: usize) -> String {
    value
        .as_f64()
        .map_or_else(|| "n/a".to_owned(), |v| format!("{v:.digits$}"))
}

fn markdown(summary: &Value) -> String {
    let mut md = String::from(
        "# Benchmarks\n\n\
         What `cognito-trigger` costs, measured side by side in one run of `cargo xtask bench`\n\
         (it rewrites this file and `target/bench/summary.json`).\n\n",
    );
    let machine = &summary["machine"];
    let _ = writeln!(
        md,
        "Machine: {} ({} cores), {}. This run took {} minutes.\n",
        machine["cpu"].as_str().unwrap_or("unknown CPU"),
        machine["cores"],
        machine["rustc"].as_str().unwrap_or("rustc"),
        number(&summary["wall_clock_minutes"], 1),
    );
    md.push_str(&targets(summary));
    md.push('\n');
    md.push_str(
        "## Per invocation\n\n\
         Median time per event, over every fixture and bundled sample of the trigger that\n\
         `aws_lambda_events` can parse (all of the trigger's events where it has no type).\n\
         **ours**: raw bytes → `Pool` dispatch → `#[cognito_trigger]` handler → answer bytes\n\
         (on a Tokio runtime, with the deadline armed); **baseline**: `aws_lambda_events` +\n\
         `serde_json`, same decision, whole event decoded and encoded; **limit**: validate the JSON\n\
         (`IgnoredAny`) and copy the bytes.\n\n\
         The three are measured in turns, round after round (the order rotating), so that a\n\
         machine that drifts moves all three alike; each ratio is the median of the rounds'\n\
         ratios, with the middle half of them (25th to 75th percentile) in brackets; the\n\
         least and the most are in `summary.json`, beside criterion's own estimates (each\n\
         variant measured on its own).\n\n",
    );
    if let Some(row) = summary["per_trigger"]
        .as_object()
        .and_then(|t| t.values().next())
    {
        let _ = writeln!(
            md,
            "Rounds per trigger: {}, turns of about {} ms.\n",
            row["alternating"]["rounds"],
            number(&row["alternating"]["turn_ms"], 0),
        );
    }
    md.push_str(
        "![ours, baseline and limit per trigger](BENCHMARKS.svg)\n\n\
         | trigger | events (baseline parses) | ours ns | baseline ns | limit ns | ours/baseline | ours/limit |\n\
         |---|---|---|---|---|---|---|\n",
    );
    let spread = |ratio: &Value| match ratio["median"].as_f64() {
        Some(_) => format!(
            "{} ({}–{})",
            number(&ratio["median"], 2),
            number(&ratio["p25"], 2),
            number(&ratio["p75"], 2)
        ),
        None => "n/a".to_owned(),
    };
    for (trigger, row) in summary["per_trigger"].as_object().into_iter().flatten() {
        let alternating = &row["alternating"];
        let _ = writeln!(
            md,
            "| {trigger} | {} ({}) | {} | {} | {} | {} | {} |",
            row["events"],
            row["baseline_parses"],
            number(&alternating["ours_ns"], 0),
            number(&alternating["baseline_ns"], 0),
            number(&alternating["limit_ns"], 0),
            spread(&alternating["ours_over_baseline"]),
            spread(&alternating["ours_over_limit"]),
        );
    }
    md.push_str(
        "\n`n/a` in the baseline columns: `aws_lambda_events` 1.2.1 has no type for the trigger\n\
         (custom email and SMS senders, inbound federation), or parses none of its events\n\
         (it rejects cognito-local's pre token events: `missing field groupsToOverride`).\n\n\
         Where ours spends its time: the event is routed by its head (`version` and\n\
         `triggerSource`, read from the front, or found in the text and confirmed when they\n\
         are not in front, as in cognito-local's sorted events), then read in one scan that\n\
         decodes the envelope and the typed request and keeps every value it does not model as\n\
         raw JSON; the response is decoded from its raw text (a second read of that part), and\n\
         the answer is the original bytes with the new response spliced in. Each call runs on\n\
         the Tokio runtime; the deadline timer is armed only for a handler that waits. The limit\n\
         scans once and copies.\n\n\
         ## Whole process\n\n\
         Three release binaries: the example `pool` (every trigger, with the examples' logic),\n\
         the single-trigger example `pre_sign_up` (like for like with the baseline), and\n\
         `baseline_pre_sign_up` (`tests/baseline`: pre sign-up on `lambda_runtime` +\n\
         `aws_lambda_events`, logging through `lambda_runtime`'s default subscriber as the\n\
         `cargo lambda new` template does; ours log through `cognito_trigger::init_logging`).\n\n\
         | measure | pool | one trigger | baseline | pool/baseline | one trigger/baseline |\n\
         |---|---|---|---|---|---|\n",
    );
    let runs = |what: &str| {
        format!(
            "cold start: process start → {what} (median of {COLD_START_TRIALS} alternating runs)"
        )
    };
    for (key, label, digits) in [
        ("cold_start_init", runs("first `next` request"), 2),
        ("cold_start", runs("first answer posted"), 2),
        ("peak_rss", "peak RSS after 500 invocations".to_owned(), 0),
        ("binary_size", "stripped release binary".to_owned(), 0),
        (
            "build_time",
            "clean release build of the crate (`examples`: all 16 binaries)".to_owned(),
            1,
        ),
    ] {
        let row = &summary[key];
        let unit = row["unit"].as_str().unwrap_or("");
        let cell = |value: &Value| match value.as_f64() {
            Some(_) => format!("{} {unit}", number(value, digits)),
            None => "n/a".to_owned(),
        };
        let _ = writeln!(
            md,
            "| {label} | {} | {} | {} | {} | {} |",
            cell(&row[POOL.key]),
            cell(&row[ONE_TRIGGER.key]),
            cell(&row[BASELINE.key]),
            number(&row["ours_pool_over_baseline"], 2),
            number(&row["ours_one_trigger_over_baseline"], 2)
        );
    }
    md.push_str(
        "\nThe cold start is measured directly: `cargo xtask bench` starts each stripped release\n\
         binary with Lambda's environment against a minimal Lambda Runtime API of its own\n\
         (`xtask/src/runtime_api.rs`, on 127.0.0.1), hands it a pre sign-up event on its first\n\
         `next` request and stops it once it has posted the answer; the programs take turns,\n\
         run after run. `cargo xtask cold-start BINARY...` does the same for any binaries.\n\
         The ratios above are ratios of the medians; the targets take the median of the\n\
         runs' own ratios (each run starts the three programs one after the other, so a\n\
         machine that drifts moves both sides of a ratio alike), in the table below the next.\n\
         The one-trigger build time is `n/a`: its binary is built with the rest of `examples`.\n",
    );
    let spread = &summary["cold_start_spread"];
    md.push_str(
        "\n| cold start, ms (p25–p75) | pool | one trigger | baseline |\n|---|---|---|---|\n",
    );
    for (key, label) in COLD_START_PHASES {
        let cell = |program: &Program| {
            let row = &spread[key][program.key];
            format!(
                "{} ({}–{})",
                number(&row["median"], 2),
                number(&row["p25"], 2),
                number(&row["p75"], 2)
            )
        };
        let _ = writeln!(
            md,
            "| {label} | {} | {} | {} |",
            cell(&POOL),
            cell(&ONE_TRIGGER),
            cell(&BASELINE)
        );
    }
    let paired = &summary["cold_start_paired"];
    md.push_str(
        "\n| cold start, ratio to the baseline run by run: median (p25–p75, least–most) | pool | one trigger |\n|---|---|---|\n",
    );
    for (key, label) in COLD_START_PHASES {
        let cell = |program: &Program| {
            let row = &paired[key][format!("{}_over_baseline", program.key)];
            format!(
                "{} ({}–{}, {}–{})",
                number(&row["median"], 2),
                number(&row["p25"], 2),
                number(&row["p75"], 2),
                number(&row["min"], 2),
                number(&row["max"], 2)
            )
        };
        let _ = writeln!(md, "| {label} | {} | {} |", cell(&POOL), cell(&ONE_TRIGGER));
    }
    let build = &summary["user_crate_build"];
    let _ = writeln!(
        md,
        "\nA user's crate (`tests/minimal`: one pre sign-up handler on this runtime, as the\n\
         README shows it) builds clean in release in {} s, against {} s for the baseline crate:\n\
         {} times. With the custom senders' decryption (`--features cognito-trigger/kms`: the\n\
         AWS Encryption SDK and the KMS client) it takes {} s, {} times the baseline.",
        number(&build["ours_minimal_crate"], 1),
        number(&build["baseline"], 1),
        number(&build["ours_minimal_crate_over_baseline"], 2),
        number(&build["ours_minimal_crate_with_kms"], 1),
        number(&build["ours_minimal_crate_with_kms_over_baseline"], 2),
    );
    let weights = &summary["symbol_weights"];
    let _ = writeln!(
        md,
        "\n### What weighs in the pool's binary\n\n\
         From `nm --print-size` on the unstripped release `pool` ({} bytes of sized symbols).\n\n\
         | crate | bytes |\n|---|---|",
        weights["total_symbol_bytes"],
    );
    for row in weights["per_crate"]
        .as_array()
        .into_iter()
        .flatten()
        .take(12)
    {
        let _ = writeln!(
            md,
            "| `{}` | {} |",
            row["crate"].as_str().unwrap_or_default(),
            row["bytes"]
        );
    }
    md.push_str("\n| largest symbols | bytes |\n|---|---|\n");
    for row in weights["largest_symbols"]
        .as_array()
        .into_iter()
        .flatten()
        .take(10)
    {
        let symbol: String = row["symbol"]
            .as_str()
            .unwrap_or_default()
            .chars()
            .take(110)
            .collect();
        let _ = writeln!(
            md,
            "| `{}` | {} |",
            symbol.replace('|', "\\|"),
            row["bytes"]
        );
    }
    if let Some(load) = summary["load"].as_object() {
        let _ = writeln!(
            md,
            "\n## Load (`cargo xtask load`, also run in CI)\n\n\
             {} invocations of the example pool, every bundled sample in turn, {} at a time,\n\
             through `cargo lambda watch`: {} answered, {} failed, {} lost, {} invocations/s.\n\n\
             | p50 | p90 | p99 | max |\n|---|---|---|---|\n| {} ms | {} ms | {} ms | {} ms |",
            load["invocations"],
            load["concurrency"],
            load["answered"],
            load["failed"],
            load["lost"],
            number(&load["per_second"], 0),
            number(&load["p50_ms"], 2),
            number(&load["p90_ms"], 2),
            number(&load["p99_ms"], 2),
            number(&load["max_ms"], 2),
        );
    }
    md
}
