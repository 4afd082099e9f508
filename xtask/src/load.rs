//! `cargo xtask load`: 10,000 invocations of the example pool, every sample in turn, from
//! several threads at once, through `cargo lambda watch`. Every invocation must be
//! answered: the event back, or a rejection the handler decided (without a store, user
//! migration refuses its samples); the latencies go to `target/bench/load.json`.

use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use crate::watch::{Watch, agent, invoke};

const INVOCATIONS: usize = 10_000;
const CONCURRENCY: usize = 8;
const PORT: u16 = 9123;

pub(crate) fn run(root: &Path) -> Result<(), String> {
    let samples = samples(root)?;
    let out = root.join("target/bench");
    std::fs::create_dir_all(&out).map_err(|e| e.to_string())?;
    let watch = Watch::start(
        root,
        &crate::watch::POOL,
        PORT,
        &out.join("load-watch.log"),
        &[],
    )?;

    let next = AtomicUsize::new(0);
    let rejections = AtomicUsize::new(0);
    let started = Instant::now();
    let results: Vec<Result<Duration, String>> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..CONCURRENCY)
            .map(|_| {
                scope.spawn(|| {
                    let agent = agent(Duration::from_secs(30));
                    let mut mine = Vec::new();
                    loop {
                        let n = next.fetch_add(1, Ordering::Relaxed);
                        if n >= INVOCATIONS {
                            return mine;
                        }
                        let (name, event) = &samples[n % samples.len()];
                        let sent = Instant::now();
                        let outcome = match invoke(&agent, &watch.endpoint, "pool", event) {
                            Ok((200, body)) if answers(&body, event) => Ok(sent.elapsed()),
                            Ok((_, body)) if rejected(&body) => {
                                rejections.fetch_add(1, Ordering::Relaxed);
                                Ok(sent.elapsed())
                            }
                            Ok((status, body)) => Err(format!(
                                "{name}: HTTP {status}: {}",
                                String::from_utf8_lossy(&body)
                            )),
                            Err(error) => Err(format!("{name}: {error}")),
                        };
                        mine.push(outcome);
                    }
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|worker| worker.join().unwrap_or_default())
            .collect()
    });
    let elapsed = started.elapsed();
    drop(watch);

    let failures: Vec<&String> = results.iter().filter_map(|r| r.as_ref().err()).collect();
    let mut latencies: Vec<Duration> = results
        .iter()
        .filter_map(|r| r.as_ref().ok().copied())
        .collect();
    latencies.sort();
    let percentile = |p: f64| {
        latencies
            .get(((latencies.len() as f64 - 1.0) * p).round() as usize)
            .copied()
            .unwrap_or_default()
    };
    let summary = serde_json::json!({
        "invocations": INVOCATIONS,
        "concurrency": CONCURRENCY,
        "answered": latencies.len(),
        "of_which_rejected": rejections.load(Ordering::Relaxed),
        "failed": failures.len(),
        "lost": INVOCATIONS - results.len(),
        "seconds": elapsed.as_secs_f64(),
        "per_second": results.len() as f64 / elapsed.as_secs_f64(),
        "p50_ms": percentile(0.50).as_secs_f64() * 1e3,
        "p90_ms": percentile(0.90).as_secs_f64() * 1e3,
        "p99_ms": percentile(0.99).as_secs_f64() * 1e3,
        "max_ms": latencies.last().copied().unwrap_or_default().as_secs_f64() * 1e3,
    });
    std::fs::write(
        out.join("load.json"),
        serde_json::to_vec_pretty(&summary).unwrap_or_default(),
    )
    .map_err(|e| e.to_string())?;
    println!("    {summary}");
    if failures.is_empty() && results.len() == INVOCATIONS {
        Ok(())
    } else {
        Err(format!(
            "{} of {INVOCATIONS} invocations failed or were lost; first: {:?}",
            INVOCATIONS - latencies.len(),
            failures.first()
        ))
    }
}

/// Whether `body` is a handler's rejection (cargo lambda watch answers it with HTTP 500).
fn rejected(body: &[u8]) -> bool {
    serde_json::from_slice::<serde_json::Value>(body)
        .is_ok_and(|answer| answer["errorType"] == "Rejected")
}

/// Whether `body` is the pool's answer to `event`: the same event, as JSON.
fn answers(body: &[u8], event: &[u8]) -> bool {
    let answer: Result<serde_json::Value, _> = serde_json::from_slice(body);
    let sent: Result<serde_json::Value, _> = serde_json::from_slice(event);
    matches!((answer, sent), (Ok(a), Ok(s)) if a["triggerSource"] == s["triggerSource"] && a["request"] == s["request"])
}

/// The bundled samples: (file name, bytes).
fn samples(root: &Path) -> Result<Vec<(String, Vec<u8>)>, String> {
    let dir = root.join("examples/events");
    let mut samples = Vec::new();
    for entry in std::fs::read_dir(&dir).map_err(|e| format!("{}: {e}", dir.display()))? {
        let path = entry.map_err(|e| e.to_string())?.path();
        let bytes = std::fs::read(&path).map_err(|e| e.to_string())?;
        samples.push((
            path.file_name()
                .unwrap_or_default()
                .to_string_lossy()
                .into_owned(),
            bytes,
        ));
    }
    samples.sort();
    Ok(samples)
}
