//! The project report a project manager sends on: the overview's figures
//! and the analysis, as one self-contained HTML page whose charts are SVG
//! drawn here (each with its numbers in a table beside it), or as CSV.
//!
//! CSV is long-form (`section,item,measure,value`) so every figure has one
//! row whatever the project holds, and a cell that a spreadsheet would take
//! for a formula starts with an apostrophe.

use std::fmt::Write as _;

use super::{escape_markup, html_page};
use crate::analysis::{Analysis, Band};
use crate::overview::Overview;
use crate::revision::Status;

/// Colours of the statuses and bands, readable on light and dark pages.
fn status_colour(status: Status) -> &'static str {
    match status {
        Status::New => "#b9c0ca",
        Status::Draft => "#e0a526",
        Status::Translated => "#4c8bd6",
        Status::Reviewed => "#7b61c9",
        Status::Approved => "#2f8f55",
        Status::Rejected => "#c0392b",
    }
}

fn band_colour(band: Band) -> &'static str {
    match band {
        Band::Repetition => "#7b61c9",
        Band::InContext => "#1f6f3f",
        Band::Exact => "#2f8f55",
        Band::From95 => "#6fb36f",
        Band::From85 => "#a9c95f",
        Band::From75 => "#e0c341",
        Band::From50 => "#e0a526",
        Band::NoMatch => "#b9c0ca",
    }
}

/// One bar of a horizontal chart: its label and its parts.
struct Bar {
    label: String,
    parts: Vec<(u32, &'static str, String)>,
}

/// A round step for an axis up to `max`: 1, 2 or 5 times a power of ten.
fn step(max: u32) -> u32 {
    let rough = (max.max(1) as f64 / 4.0).max(1.0);
    let power = 10f64.powf(rough.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0].into_iter().map(|m| m * power).find(|s| *s >= rough).unwrap_or(rough);
    step as u32
}

/// A horizontal (stacked) bar chart with an axis, a legend and a tooltip
/// on every part.
fn bar_chart(id: &str, title: &str, unit: &str, bars: &[Bar], legend: &[(&'static str, String)]) -> String {
    let (label_width, plot, row, top) = (190.0, 420.0, 24.0, 8.0);
    let max = bars.iter().map(|b| b.parts.iter().map(|p| p.0).sum::<u32>()).max().unwrap_or(0).max(1);
    let step = step(max);
    let ticks = max.div_ceil(step).max(1);
    let scale = plot / f64::from(ticks * step);
    let height = top + row * bars.len() as f64 + 40.0 + 18.0 * legend.len().div_ceil(3) as f64;
    let mut svg = format!(
        r#"<svg id="{id}" role="img" aria-labelledby="{id}-title" viewBox="0 0 {w} {height}" width="{w}" height="{height}" font-family="system-ui, sans-serif" font-size="12"><title id="{id}-title">{title}</title>"#,
        w = label_width + plot + 20.0,
        title = escape_markup(title)
    );
    for (i, bar) in bars.iter().enumerate() {
        let y = top + row * i as f64;
        let _ = write!(
            svg,
            r#"<text x="{x}" y="{ty}" text-anchor="end" fill="currentColor">{label}</text>"#,
            x = label_width - 8.0,
            ty = y + 15.0,
            label = escape_markup(&shorten(&bar.label, 28))
        );
        let mut x = label_width;
        for (value, colour, name) in bar.parts.iter().filter(|p| p.0 > 0) {
            let width = f64::from(*value) * scale;
            let _ = write!(
                svg,
                r#"<rect x="{x:.1}" y="{y:.1}" width="{width:.1}" height="{h}" fill="{colour}" tabindex="0"><title>{label}: {name} {value} {unit}</title></rect>"#,
                h = row - 6.0,
                label = escape_markup(&bar.label),
                name = escape_markup(name),
            );
            x += width;
        }
    }
    let axis = top + row * bars.len() as f64;
    let _ = write!(
        svg,
        r#"<line x1="{label_width}" y1="{axis}" x2="{end}" y2="{axis}" stroke="currentColor" stroke-opacity="0.5"/>"#,
        end = label_width + plot
    );
    for tick in 0..=ticks {
        let x = label_width + f64::from(tick * step) * scale;
        let _ = write!(
            svg,
            r#"<line x1="{x:.1}" y1="{axis}" x2="{x:.1}" y2="{t}" stroke="currentColor" stroke-opacity="0.5"/><text x="{x:.1}" y="{ty}" text-anchor="middle" fill="currentColor">{v}</text>"#,
            t = axis + 4.0,
            ty = axis + 16.0,
            v = tick * step
        );
    }
    let _ = write!(
        svg,
        r#"<text x="{x}" y="{y}" text-anchor="end" fill="currentColor">{unit}</text>"#,
        x = label_width + plot,
        y = axis + 30.0
    );
    for (i, (colour, name)) in legend.iter().enumerate() {
        let (x, y) = (label_width + 140.0 * (i % 3) as f64, axis + 42.0 + 18.0 * (i / 3) as f64);
        let _ = write!(
            svg,
            r#"<rect x="{x}" y="{y}" width="10" height="10" fill="{colour}"/><text x="{tx}" y="{ty}" fill="currentColor">{name}</text>"#,
            tx = x + 14.0,
            ty = y + 9.0,
            name = escape_markup(name)
        );
    }
    svg.push_str("</svg>");
    svg
}

fn shorten(text: &str, chars: usize) -> String {
    if text.chars().count() <= chars {
        return text.to_string();
    }
    let mut short: String = text.chars().take(chars - 1).collect();
    short.push('…');
    short
}

/// A table of `rows` under `head`, every cell escaped.
fn table(head: &[&str], rows: &[Vec<String>]) -> String {
    let mut html = String::from("<details><summary>Numbers</summary><table><thead><tr>");
    for cell in head {
        let _ = write!(html, "<th>{}</th>", escape_markup(cell));
    }
    html.push_str("</tr></thead><tbody>");
    for row in rows {
        html.push_str("<tr>");
        for cell in row {
            let _ = write!(html, "<td>{}</td>", escape_markup(cell));
        }
        html.push_str("</tr>");
    }
    html.push_str("</tbody></table></details>\n");
    html
}

fn analysis_section(analysis: &Analysis) -> String {
    let bar = Bar {
        label: analysis.scope.clone(),
        parts: analysis.bands.iter().map(|b| (b.words, band_colour(b.band), b.band.label().to_string())).collect(),
    };
    let legend: Vec<_> = Band::ALL.iter().map(|&b| (band_colour(b), b.label().to_string())).collect();
    let mut html = format!(
        "<h2>Analysis</h2>\n<p>{} words in {} segments of {} {}, against every memory of the project.</p>\n",
        analysis.words,
        analysis.segments,
        analysis.documents,
        if analysis.documents == 1 { "document" } else { "documents" }
    );
    html.push_str(&bar_chart("analysis", "Words by match band", "words", &[bar], &legend));
    let rows: Vec<Vec<String>> = analysis
        .bands
        .iter()
        .map(|b| vec![b.band.label().into(), b.segments.to_string(), b.words.to_string(), b.characters.to_string()])
        .chain([vec![
            "Total".into(),
            analysis.segments.to_string(),
            analysis.words.to_string(),
            analysis.characters.to_string(),
        ]])
        .collect();
    html.push_str(&table(&["Band", "Segments", "Words", "Characters"], &rows));
    html
}

/// The analysis alone, as a web page.
pub fn analysis_html(analysis: &Analysis) -> String {
    let body = format!("<h1>Analysis: {}</h1>\n{}", escape_markup(&analysis.scope), analysis_section(analysis));
    html_page(&format!("Analysis: {}", analysis.scope), "en", &body, false)
}

/// The overview (and the analysis, when made) as a self-contained page.
pub fn overview_html(overview: &Overview, analysis: Option<&Analysis>) -> String {
    let mut body = format!("<h1>Project report: {}</h1>\n", escape_markup(&overview.project));

    body.push_str("<h2>Progress</h2>\n");
    let bars: Vec<Bar> = overview
        .documents
        .iter()
        .map(|d| Bar {
            label: d.title.clone(),
            parts: d
                .statuses
                .iter()
                .map(|s| (s.count, status_colour(s.status), s.status.as_str().to_string()))
                .collect(),
        })
        .collect();
    let legend: Vec<_> = Status::ALL.iter().map(|&s| (status_colour(s), s.as_str().to_string())).collect();
    body.push_str(&bar_chart("progress", "Segments by status, per document", "segments", &bars, &legend));
    let mut head = vec!["Document"];
    head.extend(Status::ALL.iter().map(|s| s.as_str()));
    head.push("in conflict");
    let rows: Vec<Vec<String>> = overview
        .documents
        .iter()
        .map(|d| {
            let mut row = vec![d.title.clone()];
            row.extend(d.statuses.iter().map(|s| s.count.to_string()));
            row.push(d.conflicts.to_string());
            row
        })
        .collect();
    body.push_str(&table(&head, &rows));

    if let Some(analysis) = analysis {
        body.push_str(&analysis_section(analysis));
    }

    body.push_str("<h2>Review activity</h2>\n");
    let days: Vec<Bar> = overview
        .activity
        .iter()
        .map(|d| Bar {
            label: d.date.clone(),
            parts: vec![
                (d.approved, status_colour(Status::Approved), "approved".into()),
                (d.reviewed, status_colour(Status::Reviewed), "reviewed".into()),
                (d.rejected, status_colour(Status::Rejected), "rejected".into()),
            ],
        })
        .collect();
    let legend = [
        (status_colour(Status::Approved), "approved".to_string()),
        (status_colour(Status::Reviewed), "reviewed".to_string()),
        (status_colour(Status::Rejected), "rejected".to_string()),
    ];
    body.push_str(&bar_chart("activity", "Review decisions per day", "segments", &days, &legend));
    let rows: Vec<Vec<String>> = overview
        .activity
        .iter()
        .map(|d| vec![d.date.clone(), d.approved.to_string(), d.reviewed.to_string(), d.rejected.to_string()])
        .collect();
    body.push_str(&table(&["Day", "Approved", "Reviewed", "Rejected"], &rows));

    body.push_str("<h2>People</h2>\n");
    let people: Vec<Bar> = overview
        .people
        .iter()
        .map(|p| Bar {
            label: format!("{} {}", p.author, p.date),
            parts: vec![
                (p.translated_words, status_colour(Status::Translated), "translated".into()),
                (p.reviewed_words, status_colour(Status::Reviewed), "reviewed".into()),
            ],
        })
        .collect();
    let legend = [
        (status_colour(Status::Translated), "words translated".to_string()),
        (status_colour(Status::Reviewed), "words reviewed".to_string()),
    ];
    body.push_str(&bar_chart(
        "people",
        "Source words translated and reviewed, per person and day",
        "words",
        &people,
        &legend,
    ));
    let rows: Vec<Vec<String>> = overview
        .people
        .iter()
        .map(|p| vec![p.author.clone(), p.date.clone(), p.translated_words.to_string(), p.reviewed_words.to_string()])
        .collect();
    body.push_str(&table(&["Person", "Day", "Words translated", "Words reviewed"], &rows));

    body.push_str("<h2>Open checks</h2>\n");
    let colour = "#e0a526";
    let qa: Vec<Bar> = overview
        .qa
        .iter()
        .filter(|c| c.count > 0)
        .map(|c| Bar { label: c.check.label().into(), parts: vec![(c.count, colour, "open".into())] })
        .collect();
    body.push_str(&bar_chart("qa", "Open QA warnings by check", "warnings", &qa, &[]));
    let rows: Vec<Vec<String>> =
        overview.qa.iter().map(|c| vec![c.check.label().into(), c.count.to_string()]).collect();
    body.push_str(&table(&["Check", "Open warnings"], &rows));
    let rejected: Vec<Bar> = overview
        .rejections
        .iter()
        .filter(|c| c.count > 0)
        .map(|c| Bar {
            label: c.category.as_str().into(),
            parts: vec![(c.count, status_colour(Status::Rejected), "rejections".into())],
        })
        .collect();
    body.push_str(&bar_chart("rejections", "Rejections by error category", "rejections", &rejected, &[]));
    let rows: Vec<Vec<String>> =
        overview.rejections.iter().map(|c| vec![c.category.as_str().into(), c.count.to_string()]).collect();
    body.push_str(&table(&["Category", "Rejections"], &rows));

    if !overview.summaries.is_empty() {
        body.push_str("<h2>Summaries</h2>\n");
        let bars: Vec<Bar> = overview
            .summaries
            .iter()
            .map(|s| Bar {
                label: s.title.clone(),
                parts: vec![
                    (s.supported, status_colour(Status::Approved), "supported claims".into()),
                    (
                        s.claims - s.supported.min(s.claims),
                        status_colour(Status::Rejected),
                        "unsupported claims".into(),
                    ),
                ],
            })
            .collect();
        let legend = [
            (status_colour(Status::Approved), "supported claims".to_string()),
            (status_colour(Status::Rejected), "unsupported claims".to_string()),
        ];
        body.push_str(&bar_chart("summaries", "Summary claims supported by their sources", "claims", &bars, &legend));
        let rows: Vec<Vec<String>> = overview
            .summaries
            .iter()
            .map(|s| {
                vec![
                    s.title.clone(),
                    format!("{}/{}", s.supported, s.claims),
                    format!("{}/{}", s.cited, s.passages),
                    s.open_flags.to_string(),
                    if s.approved { "yes".into() } else { "no".into() },
                ]
            })
            .collect();
        body.push_str(&table(&["Summary", "Claims supported", "Passages cited", "Open flags", "Approved"], &rows));
    }
    html_page(&format!("Project report: {}", overview.project), "en", &body, false)
}

/// One CSV cell: quoted when it must be, and never read as a formula.
fn cell(text: &str) -> String {
    let text = if text.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{text}") } else { text.to_string() };
    if text.contains([',', '"', '\n', '\r']) { format!("\"{}\"", text.replace('"', "\"\"")) } else { text }
}

fn line(csv: &mut String, section: &str, item: &str, measure: &str, value: impl ToString) {
    let _ = writeln!(csv, "{},{},{},{}", cell(section), cell(item), cell(measure), cell(&value.to_string()));
}

fn analysis_lines(csv: &mut String, analysis: &Analysis) {
    for band in &analysis.bands {
        let label = band.band.label();
        line(csv, "analysis", label, "segments", band.segments);
        line(csv, "analysis", label, "words", band.words);
        line(csv, "analysis", label, "characters", band.characters);
    }
    line(csv, "analysis", "Total", "segments", analysis.segments);
    line(csv, "analysis", "Total", "words", analysis.words);
    line(csv, "analysis", "Total", "characters", analysis.characters);
}

/// The analysis alone, as CSV.
pub fn analysis_csv(analysis: &Analysis) -> String {
    let mut csv = String::from("section,item,measure,value\n");
    analysis_lines(&mut csv, analysis);
    csv
}

/// The overview (and the analysis, when made) as CSV.
pub fn overview_csv(overview: &Overview, analysis: Option<&Analysis>) -> String {
    let mut csv = String::from("section,item,measure,value\n");
    for document in &overview.documents {
        for status in &document.statuses {
            line(&mut csv, "progress", &document.title, status.status.as_str(), status.count);
        }
        line(&mut csv, "progress", &document.title, "in conflict", document.conflicts);
    }
    if let Some(analysis) = analysis {
        analysis_lines(&mut csv, analysis);
    }
    for day in &overview.activity {
        line(&mut csv, "activity", &day.date, "approved", day.approved);
        line(&mut csv, "activity", &day.date, "reviewed", day.reviewed);
        line(&mut csv, "activity", &day.date, "rejected", day.rejected);
    }
    for person in &overview.people {
        let item = format!("{} {}", person.author, person.date);
        line(&mut csv, "people", &item, "words translated", person.translated_words);
        line(&mut csv, "people", &item, "words reviewed", person.reviewed_words);
    }
    for check in &overview.qa {
        line(&mut csv, "open QA warnings", check.check.label(), "warnings", check.count);
    }
    for category in &overview.rejections {
        line(&mut csv, "rejections", category.category.as_str(), "rejections", category.count);
    }
    for summary in &overview.summaries {
        line(&mut csv, "summaries", &summary.title, "claims", summary.claims);
        line(&mut csv, "summaries", &summary.title, "supported", summary.supported);
        line(&mut csv, "summaries", &summary.title, "passages", summary.passages);
        line(&mut csv, "summaries", &summary.title, "cited", summary.cited);
        line(&mut csv, "summaries", &summary.title, "open flags", summary.open_flags);
        line(&mut csv, "summaries", &summary.title, "approved", summary.approved);
    }
    csv
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn axis_steps_are_round_and_cells_never_formulas() {
        assert_eq!([step(1), step(7), step(40), step(130), step(9_000)], [1, 2, 10, 50, 5_000]);
        assert_eq!(cell("=SUM(A1)"), "'=SUM(A1)");
        assert_eq!(cell("Plan, \"final\""), "\"Plan, \"\"final\"\"\"");
        assert_eq!(cell("plain"), "plain");
    }
}
