//! Writing a document's translation back out as plain text or Markdown.
//!
//! Untranslated segments fall back to their source text so the output is
//! always whole; the returned [`Export`] says how many did, so callers can
//! warn that the result is incomplete.

use std::fmt::Write as _;

pub mod article;
mod docx;
pub mod report;

use std::collections::HashMap;

use crate::document::{PassageKind, SegmentId};
use crate::lang::LangTag;
use crate::revision::SegmentRow;
use crate::revision::Status;

/// Markdown events with any raw HTML turned into text: nothing written
/// from a document becomes markup its author did not write as Markdown.
pub(crate) fn safe_events(markdown: &str) -> impl Iterator<Item = pulldown_cmark::Event<'_>> {
    use pulldown_cmark::{Event, Options};
    pulldown_cmark::Parser::new_ext(markdown, Options::ENABLE_FOOTNOTES | Options::ENABLE_TABLES).map(|event| {
        match event {
            Event::Html(html) | Event::InlineHtml(html) => Event::Text(html),
            other => other,
        }
    })
}

/// Markdown rendered into a self-contained HTML page (inline styles, light
/// and dark, print-friendly), with a DRAFT banner when asked.
pub(crate) fn html_page(title: &str, lang: &str, body: &str, draft: bool) -> String {
    let title = escape_markup(title);
    let lang = escape_markup(lang);
    let draft = if draft { r#"<div class="draft" role="note">DRAFT — not approved</div>"# } else { "" };
    format!(
        r#"<!DOCTYPE html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="Verso">
<title>{title}</title>
<style>
:root {{ color-scheme: light dark; --text: #1d2330; --muted: #5b6472; --bg: #ffffff; --accent: #1f4e8c; --rule: #d7dce3; }}
@media (prefers-color-scheme: dark) {{ :root {{ --text: #e6e9ef; --muted: #a3acb9; --bg: #161a21; --accent: #8fb7ff; --rule: #343b47; }} }}
body {{ font: 17px/1.6 Georgia, "Noto Serif", serif; color: var(--text); background: var(--bg); max-width: 52rem; margin: 2rem auto; padding: 0 1rem; }}
h1, h2, h3 {{ font-family: system-ui, sans-serif; line-height: 1.25; }}
h1 {{ color: var(--accent); }}
a {{ color: var(--accent); }}
blockquote {{ margin: 0; padding: 0.4rem 1rem; border-left: 4px solid #b3261e; }}
table {{ border-collapse: collapse; width: 100%; font-size: 0.95em; }}
th, td {{ border: 1px solid var(--rule); padding: 0.35rem 0.5rem; vertical-align: top; text-align: left; }}
.footnote-reference a {{ text-decoration: none; }}
.footnote-definition {{ font-size: 0.9em; color: var(--muted); border-top: 1px solid var(--rule); padding-top: 0.4rem; margin-top: 0.4rem; }}
.footnote-definition p {{ display: inline; }}
.draft {{ position: sticky; top: 0; background: #b3261e; color: #fff; font: 700 0.9rem system-ui, sans-serif; letter-spacing: 0.1em; text-align: center; padding: 0.3rem; }}
@media print {{ body {{ max-width: none; margin: 0; color: #000; background: #fff; }} a {{ color: #000; }} .draft {{ position: static; }} }}
</style>
</head>
<body>
{draft}
<article>
{body}</article>
</body>
</html>
"#
    )
}

/// A translation in the format of its source, or as a review table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TargetFormat {
    Text,
    Markdown,
    Html,
    Docx,
    /// Source | target | status | comments, as a web page.
    BilingualHtml,
    /// The same table in a Word document.
    BilingualDocx,
}

/// Writes a document's translation (or review table) as bytes; the
/// [`Export`] counts untranslated segments written in the source language.
pub fn target_file(
    title: &str,
    (source_lang, target_lang): (&LangTag, &LangTag),
    rows: &[SegmentRow],
    comments: &HashMap<SegmentId, Vec<String>>,
    format: TargetFormat,
) -> Result<(Vec<u8>, Export), docx::DocxError> {
    // Markdown is the hub (and counts what is untranslated); web pages and
    // Word files are rendered from it, or from the review table's Markdown.
    let languages = (source_lang, target_lang);
    let lang = target_lang.as_str();
    let markdown = translation(rows, languages, TextFormat::Markdown);
    let hub = match format {
        TargetFormat::BilingualHtml | TargetFormat::BilingualDocx => bilingual_markdown(title, rows, comments),
        _ => markdown.content.clone(),
    };
    let bytes = match format {
        TargetFormat::Text => translation(rows, languages, TextFormat::Text).content.into_bytes(),
        TargetFormat::Markdown => hub.into_bytes(),
        TargetFormat::Html | TargetFormat::BilingualHtml => {
            let mut body = String::new();
            pulldown_cmark::html::push_html(&mut body, safe_events(&hub));
            html_page(title, lang, &body, false).into_bytes()
        }
        TargetFormat::Docx | TargetFormat::BilingualDocx => docx::write(title, lang, false, safe_events(&hub))?,
    };
    Ok((bytes, markdown))
}

/// The review table as Markdown: one row per segment.
fn bilingual_markdown(title: &str, rows: &[SegmentRow], comments: &HashMap<SegmentId, Vec<String>>) -> String {
    let cell = |text: &str| article::escape_markdown(&text.split_whitespace().collect::<Vec<_>>().join(" "));
    let mut out = format!(
        "# {}

| # | Source | Target | Status | Comments |
|---|---|---|---|---|
",
        cell(title)
    );
    for row in rows {
        let status = match row.status {
            Status::New => "new",
            other => other.as_str(),
        };
        let notes = comments.get(&row.id).map(|c| c.join(" · ")).unwrap_or_default();
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} |",
            row.position + 1,
            cell(&row.source),
            cell(row.translation.as_deref().unwrap_or("")),
            status,
            cell(&notes)
        );
    }
    out
}

use crate::diff::{DocumentDiff, Granularity, SpanKind};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextFormat {
    Text,
    Markdown,
}

/// An exported translation and how complete it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Export {
    pub content: String,
    pub segments: usize,
    /// Segments written in their source language for want of a translation.
    pub untranslated: usize,
}

impl Export {
    pub fn is_complete(&self) -> bool {
        self.untranslated == 0
    }
}

/// Renders the current translation of `rows` (one document, in order).
/// Passages are separated by a blank line, except items of one list;
/// sentences are joined as their language writes them (no space in Chinese
/// and Japanese), an untranslated one standing in its source language.
pub fn translation(
    rows: &[SegmentRow],
    (source_lang, target_lang): (&LangTag, &LangTag),
    format: TextFormat,
) -> Export {
    let mut content = String::new();
    let mut untranslated = 0;
    let mut previous_kind = None;
    for passage in rows.chunk_by(|a, b| a.passage == b.passage) {
        let kind = passage[0].passage_kind;
        let level = passage[0].passage_level;
        let body = passage_text(passage, (source_lang, target_lang), &mut untranslated);
        if let Some(previous) = previous_kind {
            let same_list = previous == PassageKind::ListItem && kind == PassageKind::ListItem;
            content.push_str(if same_list { "\n" } else { "\n\n" });
        }
        previous_kind = Some(kind);
        if format == TextFormat::Markdown {
            match kind {
                PassageKind::Heading => {
                    content.push_str(&"#".repeat(usize::from(level.clamp(1, 6))));
                    content.push(' ');
                }
                PassageKind::ListItem => {
                    content.push_str(&"  ".repeat(usize::from(level.saturating_sub(1))));
                    content.push_str("- ");
                }
                PassageKind::Quote => content.push_str("> "),
                PassageKind::Paragraph => {}
            }
        }
        content.push_str(&body);
    }
    if !content.is_empty() {
        content.push('\n');
    }
    Export { content, segments: rows.len(), untranslated }
}

/// One passage's current text: each sentence's translation, or its source
/// where it has none (counted in `untranslated`), joined as their languages
/// write them: a space where either neighbour's language puts one.
pub fn passage_text(
    passage: &[SegmentRow],
    (source_lang, target_lang): (&LangTag, &LangTag),
    untranslated: &mut usize,
) -> String {
    let mut body = String::new();
    let mut previous_joiner: Option<&str> = None;
    for row in passage {
        let (text, lang) = match row.translation.as_deref().filter(|t| !t.trim().is_empty()) {
            Some(text) => (text, target_lang),
            None => {
                *untranslated += 1;
                (row.source.as_str(), source_lang)
            }
        };
        let joiner = lang.facts().sentence_joiner;
        if let Some(previous) = previous_joiner {
            body.push_str(if previous.is_empty() && joiner.is_empty() { "" } else { " " });
        }
        body.push_str(text);
        previous_joiner = Some(joiner);
    }
    body
}

/// What a change report is about, for its heading.
pub struct ReportContext<'a> {
    pub document_title: &'a str,
    pub source_lang: &'a str,
    pub target_lang: &'a str,
}

/// Writes through a temporary file and a rename, so an interrupted write
/// never leaves half a file where a good one was.
pub fn write_atomically(path: &std::path::Path, content: &[u8]) -> std::io::Result<()> {
    let temporary = path.with_extension("verso-tmp");
    std::fs::write(&temporary, content)?;
    std::fs::rename(&temporary, path)
}

/// Escapes text for XML and HTML content and attribute values, dropping
/// the characters XML 1.0 cannot hold at all.
pub(crate) fn escape_markup(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            c if ((c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r')) || matches!(c, '\u{fffe}' | '\u{ffff}') => {}
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// A self-contained HTML track-changes report of a document diff: inline
/// styles only, deletions struck through and insertions underlined so the
/// marks survive printing in black and white.
/// "1 word", "3 words".
fn words(count: u32) -> String {
    if count == 1 { "1 word".to_string() } else { format!("{count} words") }
}

pub fn change_report_html(diff: &DocumentDiff, context: &ReportContext<'_>) -> String {
    let mut out = String::new();
    let title = escape_markup(&format!("Changes in “{}”: {} → {}", context.document_title, diff.from, diff.to));
    let _ = write!(
        out,
        "<!doctype html>\n<html lang=\"{}\"><head><meta charset=\"utf-8\"><title>{title}</title>\n\
         <style>body{{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1d2125;background:#fff}}\
         table{{border-collapse:collapse;width:100%}}td,th{{border-top:1px solid #ccc;padding:.4rem;vertical-align:top;text-align:left}}\
         del{{color:#a4161a;background:#fde8e8;text-decoration:line-through}}ins{{color:#1f6f3f;background:#e6f4ea;text-decoration:underline}}\
         .n{{color:#666;width:3rem}}.st{{white-space:nowrap;color:#444}}\
         @media (prefers-color-scheme:dark){{body{{background:#16191c;color:#e6e8ea}}del{{background:#3d1f1c;color:#ffb4a9}}ins{{background:#1c3324;color:#7fd19b}}.n,.st{{color:#aaa}}}}</style>\n\
         </head><body>\n<h1>{title}</h1>\n",
        escape_markup(context.target_lang)
    );
    let stats = &diff.stats;
    let _ = writeln!(
        out,
        "<p>{} of {} segments changed · {} inserted · {} deleted · mean edit {:.0}% · {} → {} · compared by {}</p>",
        stats.segments_changed,
        stats.segments,
        words(stats.words_inserted),
        words(stats.words_deleted),
        stats.mean_edit_percent,
        escape_markup(context.source_lang),
        escape_markup(context.target_lang),
        if diff.granularity == Granularity::Character { "character" } else { "word" }
    );
    out.push_str("<table><thead><tr><th class=\"n\">#</th><th>Source</th><th>Translation (changes)</th><th>Status</th><th>Edit</th></tr></thead><tbody>\n");
    for change in diff.segments.iter().filter(|c| c.is_changed) {
        let _ = write!(
            out,
            "<tr><td class=\"n\">{}</td><td>{}</td><td>",
            change.position + 1,
            escape_markup(&change.source)
        );
        for span in &change.diff.spans {
            let text = escape_markup(&span.text);
            match span.kind {
                SpanKind::Equal => out.push_str(&text),
                SpanKind::Delete => {
                    let _ = write!(out, "<del>{text}</del>");
                }
                SpanKind::Insert => {
                    let _ = write!(out, "<ins>{text}</ins>");
                }
            }
        }
        let _ = writeln!(
            out,
            "</td><td class=\"st\">{} → {}</td><td class=\"st\">{:.0}%</td></tr>",
            change.old_status.as_str(),
            change.new_status.as_str(),
            change.diff.edit_percent
        );
    }
    out.push_str("</tbody></table>\n</body></html>\n");
    out
}

/// The same report in Markdown: deletions as `~~struck~~`, insertions as
/// `**bold**`, one numbered entry per changed segment.
pub fn change_report_markdown(diff: &DocumentDiff, context: &ReportContext<'_>) -> String {
    let mut out = String::new();
    let stats = &diff.stats;
    let _ = writeln!(out, "# Changes in “{}”: {} → {}\n", context.document_title, diff.from, diff.to);
    let _ = writeln!(
        out,
        "{} of {} segments changed · {} inserted · {} deleted · mean edit {:.0}%\n",
        stats.segments_changed,
        stats.segments,
        words(stats.words_inserted),
        words(stats.words_deleted),
        stats.mean_edit_percent
    );
    let mark = |text: &str, marker: &str| -> String {
        // Markers must hug the text: keep surrounding spaces outside them.
        let trimmed = text.trim();
        if trimmed.is_empty() {
            return text.to_string();
        }
        let lead = &text[..text.len() - text.trim_start().len()];
        let tail = &text[text.trim_end().len()..];
        format!("{lead}{marker}{}{marker}{tail}", trimmed.replace(marker, "\\*"))
    };
    for change in diff.segments.iter().filter(|c| c.is_changed) {
        let text: String = change
            .diff
            .spans
            .iter()
            .map(|span| match span.kind {
                SpanKind::Equal => span.text.clone(),
                SpanKind::Delete => mark(&span.text, "~~"),
                SpanKind::Insert => mark(&span.text, "**"),
            })
            .collect();
        let _ = writeln!(
            out,
            "{}. {}  \n   → {}  \n   *{} → {}, edit {:.0}%*\n",
            change.position + 1,
            change.source,
            text,
            change.old_status.as_str(),
            change.new_status.as_str(),
            change.diff.edit_percent
        );
    }
    out
}

/// A document's QA report as a self-contained HTML page: one table row per
/// warning, accepted ones with who accepted them and why.
pub fn qa_report_html(report: &crate::qa::QaReport) -> String {
    let mut body = format!(
        "<h1>QA report: {}</h1>\n<p>{} → {}, {} segments, {} open warnings, {} accepted.</p>\n",
        escape_markup(&report.document_title),
        escape_markup(&report.source_lang),
        escape_markup(&report.target_lang),
        report.segments,
        report.open().count(),
        report.issues.len() - report.open().count()
    );
    body.push_str(
        "<table>\n<thead><tr><th>Segment</th><th>Check</th><th>Warning</th><th>Accepted</th></tr></thead>\n<tbody>\n",
    );
    for issue in &report.issues {
        let accepted = issue
            .accepted
            .as_ref()
            .map_or_else(String::new, |a| format!("{}: {}", escape_markup(&a.author), escape_markup(&a.reason)));
        let _ = writeln!(
            body,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{accepted}</td></tr>",
            issue.position + 1,
            issue.check.label(),
            escape_markup(&issue.message)
        );
    }
    body.push_str("</tbody>\n</table>\n");
    html_page(&format!("QA report: {}", report.document_title), "en", &body, false)
}
