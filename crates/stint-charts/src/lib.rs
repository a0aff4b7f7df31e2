//! Charts rendered on the server as SVG, for reports that must read without
//! JavaScript and print cleanly. Two shapes cover Stint's reports: columns
//! over ordered categories (months), one per series side by side, and
//! horizontal bars over named groups. The SVG scales to its container; the
//! page gives each chart a caption and the same numbers as a table, so the
//! image carries an `aria-label` and is not the only way to read them.

use plotters::coord::ranged1d::SegmentValue;
use plotters::prelude::*;

/// Canvas sizes in SVG units; each scales down to the width of its
/// container (a phone shows text at about two thirds of its size).
const WIDTH: u32 = 640;
const HEIGHT: u32 = 300;
const BARS_WIDTH: u32 = 520;
const FONT: &str = "sans-serif";
const TEXT: RGBColor = RGBColor(0x1f, 0x29, 0x33);
/// Series colours: the brand's teal, amber and indigo (each at least 4.5:1
/// against white).
const PALETTE: [RGBColor; 3] = [
    RGBColor(0x0d, 0x6b, 0x62),
    RGBColor(0xa1, 0x4a, 0x06),
    RGBColor(0x43, 0x38, 0xca),
];

/// How values read on the axis.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scale {
    /// Whole numbers.
    Count,
    /// Shares from 0 to 1, shown as percentages.
    Share,
}

impl Scale {
    fn top(self, max: f64) -> f64 {
        match self {
            Scale::Share => 1.0,
            Scale::Count => nice_top(max),
        }
    }

    fn format(self, v: f64) -> String {
        match self {
            Scale::Share => format!("{:.0}%", v * 100.0),
            Scale::Count => {
                if v.fract().abs() < 1e-9 {
                    format!("{v:.0}")
                } else {
                    format!("{v:.1}")
                }
            }
        }
    }
}

/// A round number a little above `max`, so the axis ends on a label.
fn nice_top(max: f64) -> f64 {
    if max <= 0.0 || max.is_nan() {
        return 1.0;
    }
    let magnitude = 10f64.powf(max.log10().floor());
    for step in [1.0, 1.2, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0] {
        let top = step * magnitude;
        if top >= max * 1.05 {
            return top.max(1.0);
        }
    }
    (10.0 * magnitude).max(1.0)
}

/// One named row of values, one value per category.
#[derive(Debug, Clone)]
pub struct Series<'a> {
    pub name: &'a str,
    pub values: &'a [f64],
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Makes the SVG scale with its container and names it for assistive
/// technology.
fn finish(svg: String, label: &str, width: u32, height: u32) -> String {
    let head = format!("<svg width=\"{width}\" height=\"{height}\" ");
    let attrs = format!(
        "<svg class=\"chart-svg\" role=\"img\" aria-label=\"{}\" style=\"max-width:{width}px\" preserveAspectRatio=\"xMidYMid meet\" ",
        escape(label)
    );
    svg.replacen(&head, &attrs, 1)
}

fn legend<DB: DrawingBackend>(
    area: &DrawingArea<DB, plotters::coord::Shift>,
    series: &[Series<'_>],
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let style = (FONT, 15).into_font().color(&TEXT);
    let mut x = 60;
    for (k, s) in series.iter().enumerate() {
        let colour = PALETTE[k % PALETTE.len()];
        area.draw(&Rectangle::new([(x, 8), (x + 14, 22)], colour.filled()))?;
        area.draw(&Text::new(s.name.to_string(), (x + 20, 8), style.clone()))?;
        x += 40 + (s.name.chars().count() as i32) * 8;
    }
    Ok(())
}

/// Columns over ordered categories, the series side by side in each.
/// `None` when there is nothing to draw or the drawing failed (the page's
/// table still has the numbers).
pub fn columns(
    label: &str,
    categories: &[String],
    series: &[Series<'_>],
    scale: Scale,
) -> Option<String> {
    let n = categories.len();
    if n == 0 || series.is_empty() || series.iter().any(|s| s.values.len() != n) {
        return None;
    }
    let max = series
        .iter()
        .flat_map(|s| s.values.iter().copied())
        .fold(0.0, f64::max);
    let top = scale.top(max);
    // Label every category while they fit, else every k-th.
    let every = n.div_ceil(12).max(1);
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, HEIGHT)).into_drawing_area();
        root.fill(&WHITE).ok()?;
        let legend_height = if series.len() > 1 { 30 } else { 4 };
        let (head, body) = root.split_vertically(legend_height);
        if series.len() > 1 {
            legend(&head, series).ok()?;
        }
        let mut chart = ChartBuilder::on(&body)
            .margin_right(12)
            .margin_top(6)
            .x_label_area_size(34)
            .y_label_area_size(56)
            .build_cartesian_2d((0..n as i32 - 1).into_segmented(), 0f64..top)
            .ok()?;
        let text = (FONT, 16).into_font().color(&TEXT);
        let x_fmt = |v: &SegmentValue<i32>| match v {
            SegmentValue::CenterOf(i) if (*i as usize).is_multiple_of(every) => {
                categories.get(*i as usize).cloned().unwrap_or_default()
            }
            _ => String::new(),
        };
        let y_fmt = |v: &f64| scale.format(*v);
        chart
            .configure_mesh()
            .disable_x_mesh()
            .light_line_style(WHITE)
            .bold_line_style(BLACK.mix(0.12))
            .axis_style(BLACK.mix(0.5))
            .x_labels(n)
            .y_labels(6)
            .x_label_formatter(&x_fmt)
            .y_label_formatter(&y_fmt)
            .label_style(text)
            .draw()
            .ok()?;
        let (width, _) = chart.plotting_area().dim_in_pixel();
        let slot = width as f64 / n as f64;
        let pad = (slot * 0.15).max(1.0);
        let bar = ((slot - 2.0 * pad) / series.len() as f64).max(1.0);
        for (k, s) in series.iter().enumerate() {
            let colour = PALETTE[k % PALETTE.len()];
            let left = (pad + bar * k as f64).round() as u32;
            let right = (slot - pad - bar * (k + 1) as f64).max(0.0).round() as u32;
            chart
                .draw_series(s.values.iter().enumerate().map(|(i, v)| {
                    let i = i as i32;
                    let mut r = Rectangle::new(
                        [
                            (SegmentValue::Exact(i), 0.0),
                            (SegmentValue::Exact(i + 1), v.clamp(0.0, top)),
                        ],
                        colour.filled(),
                    );
                    r.set_margin(0, 0, left, right);
                    r
                }))
                .ok()?;
        }
        root.present().ok()?;
    }
    Some(finish(svg, label, WIDTH, HEIGHT))
}

/// Horizontal bars, one per named group. Groups without a value (hidden or
/// empty) keep their row, with no bar.
pub fn bars(
    label: &str,
    groups: &[String],
    values: &[Option<f64>],
    scale: Scale,
) -> Option<String> {
    let n = groups.len();
    if n == 0 || values.len() != n {
        return None;
    }
    let max = values.iter().flatten().copied().fold(0.0, f64::max);
    let top = scale.top(max);
    let longest = groups.iter().map(|g| g.chars().count()).max().unwrap_or(0) as u32;
    let label_width = (longest * 9 + 16).clamp(60, 240);
    let height = (n as u32 * 34 + 50).max(120);
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (BARS_WIDTH, height)).into_drawing_area();
        root.fill(&WHITE).ok()?;
        let mut chart = ChartBuilder::on(&root)
            .margin_right(24)
            .margin_top(10)
            .x_label_area_size(32)
            .y_label_area_size(label_width)
            .build_cartesian_2d(0f64..top, (0..n as i32 - 1).into_segmented())
            .ok()?;
        let text = (FONT, 15).into_font().color(&TEXT);
        // Rows read top to bottom in the order given.
        let y_fmt = |v: &SegmentValue<i32>| match v {
            SegmentValue::CenterOf(i) => groups
                .get(n.wrapping_sub(1).wrapping_sub(*i as usize))
                .cloned()
                .unwrap_or_default(),
            _ => String::new(),
        };
        let x_fmt = |v: &f64| scale.format(*v);
        chart
            .configure_mesh()
            .disable_y_mesh()
            .light_line_style(WHITE)
            .bold_line_style(BLACK.mix(0.12))
            .axis_style(BLACK.mix(0.5))
            .y_labels(n)
            .x_labels(6)
            .x_label_formatter(&x_fmt)
            .y_label_formatter(&y_fmt)
            .label_style(text)
            .draw()
            .ok()?;
        let (_, plot_height) = chart.plotting_area().dim_in_pixel();
        let slot = plot_height as f64 / n as f64;
        let pad = (slot * 0.2).round() as u32;
        chart
            .draw_series(values.iter().enumerate().filter_map(|(i, v)| {
                let v = (*v)?;
                let row = (n - 1 - i) as i32;
                let mut r = Rectangle::new(
                    [
                        (0.0, SegmentValue::Exact(row)),
                        (v.clamp(0.0, top), SegmentValue::Exact(row + 1)),
                    ],
                    PALETTE[0].filled(),
                );
                r.set_margin(pad, pad, 0, 0);
                Some(r)
            }))
            .ok()?;
        root.present().ok()?;
    }
    Some(finish(svg, label, BARS_WIDTH, height))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn columns_draw_one_bar_per_value_and_label_the_image() {
        let months: Vec<String> = ["2026-01", "2026-02", "2026-03"].map(String::from).to_vec();
        let a = [3.0, 7.0, 0.0];
        let b = [1.0, 2.0, 4.0];
        let svg = columns(
            "Applications & hires",
            &months,
            &[
                Series {
                    name: "Applications",
                    values: &a,
                },
                Series {
                    name: "Hires",
                    values: &b,
                },
            ],
            Scale::Count,
        )
        .unwrap();
        assert!(svg.starts_with(
            "<svg class=\"chart-svg\" role=\"img\" aria-label=\"Applications &amp; hires\""
        ));
        assert!(svg.contains("viewBox=\"0 0 640 300\""));
        assert!(svg.contains("2026-02") && svg.contains("Hires"));
        // Two series of three values, plus the two legend keys.
        let teal = svg.matches("fill=\"#0D6B62\"").count();
        let amber = svg.matches("fill=\"#A14A06\"").count();
        assert_eq!((teal, amber), (4, 4), "{svg}");
        assert!(
            columns(
                "x",
                &months,
                &[Series {
                    name: "a",
                    values: &[1.0]
                }],
                Scale::Count
            )
            .is_none()
        );
        assert!(columns("x", &[], &[], Scale::Count).is_none());
    }

    #[test]
    fn bars_leave_hidden_groups_without_a_bar() {
        let groups: Vec<String> = ["Yes", "No", "Not answered"].map(String::from).to_vec();
        let svg = bars(
            "Hire rate",
            &groups,
            &[Some(0.4), None, Some(0.25)],
            Scale::Share,
        )
        .unwrap();
        assert!(svg.contains("aria-label=\"Hire rate\""));
        assert!(svg.contains("Not answered") && svg.contains("100%"));
        assert_eq!(svg.matches("fill=\"#0D6B62\"").count(), 2, "{svg}");
    }

    #[test]
    fn axis_tops_are_round() {
        assert_eq!(nice_top(0.0), 1.0);
        assert_eq!(nice_top(7.0), 8.0);
        assert_eq!(nice_top(57.0), 60.0);
        assert_eq!(nice_top(96.0), 100.0);
        assert_eq!(nice_top(101.0), 120.0);
        assert_eq!(nice_top(230.0), 250.0);
    }
}
