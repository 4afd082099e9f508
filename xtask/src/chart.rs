//! The per-trigger chart of `BENCHMARKS.md`: ours, the baseline and the limit side by side
//! per trigger, drawn as SVG with `plotters`.

use std::path::Path;

use plotters::prelude::*;
use serde_json::Value;

/// The three variants, in the order of their bars, with their colours.
const VARIANTS: [(&str, RGBColor); 3] = [
    ("ours_ns", RGBColor(0x1f, 0x77, 0xb4)),
    ("baseline_ns", RGBColor(0xff, 0x7f, 0x0e)),
    ("limit_ns", RGBColor(0x2c, 0xa0, 0x2c)),
];

/// Draws `per_trigger` (the `summary.json` table) to `path`: per trigger, the median
/// nanoseconds per event of each variant from the alternating rounds.
pub(crate) fn per_trigger(per_trigger: &Value, path: &Path) -> Result<(), String> {
    let rows: Vec<(&String, &Value)> = per_trigger
        .as_object()
        .map(|table| table.iter().collect())
        .unwrap_or_default();
    let value = |row: &Value, key: &str| row["alternating"][key].as_f64();
    let highest = rows
        .iter()
        .flat_map(|(_, row)| VARIANTS.iter().filter_map(|(key, _)| value(row, key)))
        .fold(0.0_f64, f64::max);
    let width = 140 + 70 * u32::try_from(rows.len()).unwrap_or(0);
    let root = SVGBackend::new(path, (width, 480)).into_drawing_area();
    root.fill(&WHITE).map_err(|e| e.to_string())?;
    let slots = rows.len() * 4;
    let mut chart = ChartBuilder::on(&root)
        .caption(
            "Time per event (ns), median of the alternating rounds",
            ("sans-serif", 18),
        )
        .margin(10)
        .x_label_area_size(150)
        .y_label_area_size(60)
        .build_cartesian_2d(0..slots, 0.0..highest * 1.1)
        .map_err(|e| e.to_string())?;
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_labels(rows.len().max(1) * 4)
        .x_label_formatter(&|slot| {
            if slot % 4 == 1 {
                rows.get(slot / 4)
                    .map(|(name, _)| (*name).clone())
                    .unwrap_or_default()
            } else {
                String::new()
            }
        })
        .x_label_style(
            ("sans-serif", 12)
                .into_font()
                .transform(FontTransform::Rotate90),
        )
        .y_desc("ns per event")
        .draw()
        .map_err(|e| e.to_string())?;
    for (offset, (key, colour)) in VARIANTS.iter().enumerate() {
        let bars = rows.iter().enumerate().filter_map(|(index, (_, row))| {
            let ns = value(row, key)?;
            let slot = index * 4 + offset;
            Some(Rectangle::new(
                [(slot, 0.0), (slot + 1, ns)],
                colour.filled(),
            ))
        });
        chart
            .draw_series(bars)
            .map_err(|e| e.to_string())?
            .label(key.trim_end_matches("_ns"))
            .legend(move |(x, y)| Rectangle::new([(x, y - 5), (x + 10, y + 5)], colour.filled()));
    }
    chart
        .configure_series_labels()
        .border_style(BLACK)
        .background_style(WHITE)
        .draw()
        .map_err(|e| e.to_string())?;
    root.present().map_err(|e| e.to_string())
}
