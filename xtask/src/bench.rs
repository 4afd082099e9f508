//! `cargo xtask bench`: what the framework costs, measured side by side in one run.
//!
//! - Per trigger (criterion, `tests/benches/triggers.rs`): ours (pool dispatch → generated
//!   handler → answer bytes), the baseline (`aws_lambda_events` + `serde_json`, the same
//!   decision), and the limit (validate the JSON, copy the bytes), per event.
//! - Whole process: the example `pool` (every trigger) against `baseline_pre_sign_up` (one
//!   trigger, `lambda_runtime` + `aws_lambda_events`): cold start (first invocation through
//!   `cargo lambda watch`), peak RSS, stripped release binary size, clean release build time.
//!
//! Writes `target/bench/summary.json` and `BENCHMARKS.md`.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::watch::{Watch, agent, invoke};

const COLD_START_TRIALS: usize = 5;
const PORT: u16 = 9124;

/// One program of the whole-process comparison.
struct Program {
    /// The key in `summary.json`.
    key: &'static str,
    package_dir: &'static str,
    binary: &'static str,
}

/// The example pool: one function serving every trigger, with the examples' logic.
const POOL: Program = Program {
    key: "ours_pool",
    package_dir: "examples",
    binary: "pool",
};
/// The single-trigger example for pre sign-up: like for like with the baseline.
const ONE_TRIGGER: Program = Program {
    key: "ours_one_trigger",
    package_dir: "examples",
    binary: "pre_sign_up",
};
/// Pre sign-up written the usual way, on `lambda_runtime` + `aws_lambda_events`.
const BASELINE: Program = Program {
    key: "baseline",
    package_dir: "tests/baseline",
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

    // Each package is built once, clean, in its own target directory; the cold starts run
    // from that same build, so nothing is compiled twice.
    println!("    clean release builds, binary sizes, cold starts, peak RSS");
    let mut build_time = serde_json::Map::new();
    let mut whole = [
        serde_json::Map::new(),
        serde_json::Map::new(),
        serde_json::Map::new(),
    ];
    for (package, programs) in [
        ("examples", &[&POOL, &ONE_TRIGGER][..]),
        ("baseline-trigger", &[&BASELINE][..]),
    ] {
        let target = out.join(format!("clean-{package}"));
        let seconds = clean_build(root, package, &target)?;
        build_time.insert(programs[0].key.to_owned(), json!(seconds));
        for program in programs {
            let size = stripped_size(&target, program.binary)?;
            let (cold_ms, rss_kib) = cold_start_and_rss(root, program, &target, &out)?;
            let [sizes, colds, rsses] = &mut whole;
            sizes.insert(program.key.to_owned(), json!(size));
            colds.insert(program.key.to_owned(), json!(cold_ms));
            rsses.insert(program.key.to_owned(), json!(rss_kib));
        }
        // The build directories are large and only needed for these numbers.
        let _ = std::fs::remove_dir_all(&target);
    }
    let [binary_size, cold_start, peak_rss] = whole;

    let summary = json!({
        "per_trigger": per_trigger,
        "cold_start": ratio_table(cold_start, "ms"),
        "peak_rss": ratio_table(peak_rss, "kib"),
        "binary_size": ratio_table(binary_size, "bytes"),
        "build_time": ratio_table(build_time, "seconds"),
        "load": std::fs::read(out.join("load.json")).ok().and_then(|b| serde_json::from_slice::<Value>(&b).ok()),
        "machine": machine(),
        "wall_clock_minutes": started.elapsed().as_secs_f64() / 60.0,
    });
    std::fs::write(
        out.join("summary.json"),
        serde_json::to_vec_pretty(&summary).unwrap_or_default(),
    )
    .map_err(|e| e.to_string())?;
    std::fs::write(root.join("BENCHMARKS.md"), markdown(&summary)).map_err(|e| e.to_string())?;
    println!("    wrote target/bench/summary.json and BENCHMARKS.md");
    Ok(())
}

/// Median nanoseconds per event, per trigger and variant, from criterion's estimates.
fn per_trigger(root: &Path) -> Result<Value, String> {
    let counts: Value = read_json(&root.join("target/bench/bench-events.json"))?;
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
            }),
        );
    }
    Ok(Value::Object(table))
}

/// A clean release build of `package` (every binary in it, with everything they depend on)
/// in `target`, in seconds.
fn clean_build(root: &Path, package: &str, target: &Path) -> Result<f64, String> {
    let _ = std::fs::remove_dir_all(target);
    let started = Instant::now();
    crate::exec(
        Command::new("cargo")
            .args(["build", "--release", "--locked", "--package", package])
            .env("CARGO_TARGET_DIR", target)
            .current_dir(root),
    )?;
    Ok(started.elapsed().as_secs_f64())
}

/// The size in bytes of `binary` from `target`'s release build, stripped.
fn stripped_size(target: &Path, binary: &str) -> Result<u64, String> {
    let stripped = target.join(format!("{binary}.stripped"));
    crate::exec(
        Command::new("strip")
            .arg("-o")
            .arg(&stripped)
            .arg(target.join("release").join(binary)),
    )?;
    Ok(std::fs::metadata(&stripped)
        .map_err(|e| e.to_string())?
        .len())
}

/// Median first-invocation time over several fresh starts, and the function's peak RSS
/// after 500 warm invocations, running the release build in `target`.
fn cold_start_and_rss(
    root: &Path,
    program: &Program,
    target: &Path,
    out: &Path,
) -> Result<(f64, u64), String> {
    let event = std::fs::read(root.join("examples/events/PreSignUp_SignUp.json"))
        .map_err(|e| e.to_string())?;
    let target_dir = target.to_str().ok_or("the target directory is not UTF-8")?;
    let agent = agent(Duration::from_secs(600));
    let mut cold = Vec::new();
    let mut rss = 0;
    for trial in 0..COLD_START_TRIALS {
        let log = out.join(format!("watch-{}-{trial}.log", program.binary));
        let watch = Watch::listen(
            &root.join(program.package_dir),
            program.binary,
            PORT,
            &log,
            &[("CARGO_TARGET_DIR", target_dir)],
        )?;
        let started = Instant::now();
        let (status, _) = invoke(&agent, &watch.endpoint, program.binary, &event)?;
        if status != 200 {
            return Err(format!(
                "{} answered HTTP {status} on its first invocation",
                program.binary
            ));
        }
        cold.push(started.elapsed().as_secs_f64() * 1e3);
        if trial == 0 {
            for _ in 0..500 {
                invoke(&agent, &watch.endpoint, program.binary, &event)?;
            }
            rss = peak_rss_kib(program.binary).unwrap_or(0);
        }
    }
    cold.sort_by(f64::total_cmp);
    Ok((cold[cold.len() / 2], rss))
}

/// `VmHWM` of the running process whose executable is named `binary`.
fn peak_rss_kib(binary: &str) -> Option<u64> {
    std::fs::read_dir("/proc")
        .ok()?
        .flatten()
        .find_map(|entry| {
            let exe: PathBuf = std::fs::read_link(entry.path().join("exe")).ok()?;
            if exe.file_name()? != binary {
                return None;
            }
            let status = std::fs::read_to_string(entry.path().join("status")).ok()?;
            let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
            line.split_whitespace().nth(1)?.parse().ok()
        })
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
    md.push_str(
        "## Per invocation\n\n\
         Median time per event, over every fixture and bundled sample of the trigger that\n\
         `aws_lambda_events` can parse (all of the trigger's events where it has no type).\n\
         **ours**: raw bytes → `Pool` dispatch → `#[cognito_trigger]` handler → answer bytes\n\
         (on a Tokio runtime, with the deadline armed); **baseline**: `aws_lambda_events` +\n\
         `serde_json`, same decision, whole event decoded and encoded; **limit**: validate the JSON\n\
         (`IgnoredAny`) and copy the bytes.\n\n\
         | trigger | events (baseline parses) | ours ns | baseline ns | limit ns | ours/baseline | ours/limit |\n\
         |---|---|---|---|---|---|---|\n",
    );
    for (trigger, row) in summary["per_trigger"].as_object().into_iter().flatten() {
        let _ = writeln!(
            md,
            "| {trigger} | {} ({}) | {} | {} | {} | {} | {} |",
            row["events"],
            row["baseline_parses"],
            number(&row["ours_ns"], 0),
            number(&row["baseline_ns"], 0),
            number(&row["limit_ns"], 0),
            number(&row["ours_over_baseline"], 2),
            number(&row["ours_over_limit"], 2),
        );
    }
    md.push_str(
        "\n`n/a` in the baseline columns: `aws_lambda_events` 1.2.1 has no type for the trigger\n\
         (custom email and SMS senders, inbound federation), or parses none of its events\n\
         (it rejects cognito-local's pre token events: `missing field groupsToOverride`).\n\n\
         Where ours spends its time: the request is scanned twice, once to read the envelope\n\
         and keep every value it does not model as raw JSON, once to decode the typed request;\n\
         the answer is the whole event re-encoded, with the response merged in; each call runs\n\
         on the Tokio runtime under a deadline timer. The limit scans once and copies.\n\n\
         ## Whole process\n\n\
         Three release binaries: the example `pool` (every trigger, with the examples' logic),\n\
         the single-trigger example `pre_sign_up` (like for like with the baseline), and\n\
         `baseline_pre_sign_up` (`tests/baseline`: pre sign-up on `lambda_runtime` +\n\
         `aws_lambda_events`, logging through `lambda_runtime`'s default subscriber as the\n\
         `cargo lambda new` template does; the pool logs the same way).\n\n\
         | measure | pool | one trigger | baseline | pool/baseline | one trigger/baseline |\n\
         |---|---|---|---|---|---|\n",
    );
    for (key, label, digits) in [
        (
            "cold_start",
            "cold start: first invocation through `cargo lambda watch` (median of 5)",
            1,
        ),
        ("peak_rss", "peak RSS after 500 invocations", 0),
        ("binary_size", "stripped release binary", 0),
        (
            "build_time",
            "clean release build of the crate (`examples`: all 16 binaries)",
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
        "\nThe cold start is the time from the first invocation request to its answer on a freshly\n\
         started `cargo lambda watch`: it includes starting the function process and its\n\
         initialisation, and the emulator's own check that the binary is built (the same for all).\n\
         The one-trigger build time is `n/a`: its binary is built with the rest of `examples`.\n",
    );
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
