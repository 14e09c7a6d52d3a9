//! Summaries out: an approved summary as a news article with citations —
//! Markdown (from the project's article template), self-contained HTML,
//! DOCX with real footnotes, and JSON for other programs.
//!
//! Every claim sentence with a link carries a numbered note quoting the
//! passages that support it, in the original language and in translation,
//! and naming the source. Markdown is the hub: the template renders it, and
//! HTML and DOCX are built from its events, so all three say the same.
//! Text from documents never becomes markup: it is escaped for Markdown,
//! and raw HTML in the Markdown (even from a template) is written as text.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::document::{DocumentId, DocumentSummary, SegmentId};
use crate::provenance::Flag;
use crate::revision::{SegmentRow, Status};
use crate::summary::{
    Approval, CITE_AUTOMATIC_FROM, LinkOrigin, LinkView, Reference, SentenceKind, SentenceView, SummaryView,
};

#[derive(Debug, thiserror::Error)]
pub enum ArticleError {
    #[error("summary \"{title}\" is not approved ({reason}); approve it first, or export a draft")]
    NotApproved { title: String, reason: String },
    #[error("the article template does not work: {0}")]
    Template(String),
    #[error("cannot build the DOCX file: {0}")]
    Docx(String),
    #[error("the summary cites {0}, which was not looked up in the project")]
    Missing(String),
}

/// What an article quotes from the project, looked up by the session: the
/// summary's source documents and the passages its claims cite.
#[derive(Debug, Default)]
pub struct Cited {
    pub documents: HashMap<DocumentId, DocumentSummary>,
    pub passages: HashMap<SegmentId, SegmentRow>,
}

impl Cited {
    /// The passages an article of `view` quotes: the links of claim
    /// sentences it cites (see [`cites`]).
    pub fn passages_of(view: &SummaryView) -> impl Iterator<Item = SegmentId> + '_ {
        view.sections
            .iter()
            .flat_map(|s| &s.sentences)
            .filter(|s| s.kind == SentenceKind::Claim && !s.text.trim().is_empty())
            .flat_map(|s| s.links.iter().filter(|l| cites(l)).map(|l| l.segment))
    }
}

/// Whether a link is cited: a person confirmed it (and the sentence has
/// not been rewritten since), or it was found with at least
/// [`CITE_AUTOMATIC_FROM`] support. Weaker automatic links are evidence for
/// the writer, not citations for the reader.
pub fn cites(link: &LinkView) -> bool {
    confirmed(link) || link.support >= CITE_AUTOMATIC_FROM
}

fn confirmed(link: &LinkView) -> bool {
    link.origin == LinkOrigin::Confirmed && !link.stale
}

/// What readers are told about the citations, in the export dialog too.
pub fn citation_rule() -> String {
    format!(
        "Cites the passages people confirmed, and passages found automatically only where they cover at least {:.0}% \
         of the claim, marked \"found automatically\"; a claim approved by override is marked \"not verified against \
         the source\".",
        CITE_AUTOMATIC_FROM * 100.0
    )
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
pub enum SummaryFormat {
    Markdown,
    Html,
    Docx,
    Json,
}

impl SummaryFormat {
    pub fn extension(self) -> &'static str {
        match self {
            SummaryFormat::Markdown => "md",
            SummaryFormat::Html => "html",
            SummaryFormat::Docx => "docx",
            SummaryFormat::Json => "json",
        }
    }
}

/// The line readers see first.
pub const DISCLAIMER: &str = "This is a translated summary of a news item or official statement, with our commentary. \
Please verify the original source: each cited sentence is linked to the passage that supports it.";

/// The default article template (minijinja, rendering Markdown). Projects
/// may store their own (`verso summary template`); it receives the
/// [`Article`] with each sentence and section already in Markdown.
pub const DEFAULT_TEMPLATE: &str = r#"{% if draft %}> **DRAFT — not approved. Do not publish.**

{% endif %}*{{ disclaimer }}*

# {{ title }}{% if draft %} (DRAFT){% endif %}
{% for section in sections if section.role == "lead" and section.sentences %}
## {{ section.title }}{% if draft %} (DRAFT){% endif %}

{{ section.markdown }}
{% endfor %}
**Source:** {% for source in sources %}{{ source.markdown }}{% if not loop.last %}; {% endif %}{% endfor %}
{% set commentary = sections | selectattr("role", "equalto", "commentary") | selectattr("sentences") | list %}{% if commentary %}
## Our Commentary
{% for section in commentary %}
### {{ section.title }}{% if draft %} (DRAFT){% endif %}

{{ section.markdown }}
{% endfor %}{% endif %}{% for section in sections if section.role == "closing" and section.sentences %}
## {{ section.title }}{% if draft %} (DRAFT){% endif %}

{{ section.markdown }}
{% endfor %}{% if references %}
**References:** {% for reference in references %}{{ reference.markdown }}{% if not loop.last %}; {% endif %}{% endfor %}
{% endif %}{% for note in notes %}
[^{{ note.number }}]: {{ note.markdown }}
{% endfor %}"#;

/// A summary as an article: what the template and the JSON export see.
#[derive(Debug, Clone, Serialize)]
pub struct Article {
    /// Identifies the JSON export (`docs/summary-json.md`).
    pub format: &'static str,
    pub schema: u32,
    pub summary: DocumentId,
    pub title: String,
    pub lang: String,
    pub draft: bool,
    pub approved: bool,
    pub approval: Option<Approval>,
    pub disclaimer: &'static str,
    pub sources: Vec<ArticleSource>,
    pub references: Vec<ArticleReference>,
    pub sections: Vec<ArticleSection>,
    pub notes: Vec<Note>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ArticleSource {
    pub id: DocumentId,
    pub title: String,
    /// The outlet that published it, when the user gave one.
    pub outlet: Option<String>,
    /// The address given for it, or the one it was imported from.
    pub url: Option<String>,
    /// When it was published (`YYYY-MM-DD`), when the user gave it.
    pub date: Option<String>,
    pub markdown: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct ArticleReference {
    #[serde(flatten)]
    pub reference: Reference,
    pub markdown: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct ArticleSection {
    pub title: String,
    /// `lead` (the first section), `closing` (a last section named
    /// "Summary") or `commentary` (everything between).
    pub role: &'static str,
    /// Written as a bulleted list ("Key points").
    pub bullets: bool,
    pub sentences: Vec<ArticleSentence>,
    pub markdown: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct ArticleSentence {
    pub id: SegmentId,
    pub text: String,
    pub kind: SentenceKind,
    pub status: Status,
    pub support: f32,
    pub flags: Vec<Flag>,
    pub links: Vec<LinkView>,
    /// The note citing its sources, if it has one.
    pub note: Option<u32>,
    /// False for a claim approved by override while its flags stood.
    pub verified: bool,
    pub markdown: String,
}

/// A citation: the passages that support one sentence.
#[derive(Debug, Clone, Serialize)]
pub struct Note {
    pub number: u32,
    pub sentence: SegmentId,
    pub quotes: Vec<Quote>,
    pub markdown: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Quote {
    pub document: DocumentId,
    pub segment: SegmentId,
    pub source: String,
    pub url: Option<String>,
    pub original: String,
    pub translation: Option<String>,
    /// Found by Verso, not confirmed by a person.
    pub automatic: bool,
    pub support: f32,
}

/// Escapes text so Markdown shows it as written: inline markup characters
/// anywhere, and what would open a block (a list, a heading, a quote) at
/// the start.
pub fn escape_markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if matches!(c, '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '~' | '#') {
            out.push('\\');
        }
        out.push(c);
    }
    let digits = out.chars().take_while(char::is_ascii_digit).count();
    let after_digits = out[digits..].chars().next();
    if (digits > 0 && matches!(after_digits, Some('.' | ')')))
        || (digits == 0 && matches!(after_digits, Some('-' | '+' | '=')))
    {
        out.insert(digits, '\\');
    }
    out
}

fn web_address(origin: &str) -> Option<String> {
    (origin.starts_with("https://") || origin.starts_with("http://")).then(|| origin.to_string())
}

/// A source as the Source line names it: "Outlet — Title, 2025-09-03
/// (<address>)", each part only when known.
fn source_line(outlet: Option<&str>, title: &str, date: Option<&str>, url: Option<&str>) -> String {
    let mut named = match outlet {
        Some(outlet) => format!("{outlet} — {title}"),
        None => title.to_string(),
    };
    if let Some(date) = date {
        named.push_str(&format!(", {date}"));
    }
    cited(&named, url)
}

fn cited(title: &str, url: Option<&str>) -> String {
    match url {
        Some(url) => format!("{} (<{}>)", escape_markdown(title), url.replace(['<', '>', ' '], "")),
        None => escape_markdown(title),
    }
}

/// Why a summary may not be exported as final, or `None` when it may.
fn unapproved_reason(view: &SummaryView) -> Option<String> {
    if view.approved {
        return None;
    }
    let sentences: Vec<_> =
        view.sections.iter().flat_map(|s| &s.sentences).filter(|s| !s.text.trim().is_empty()).collect();
    let waiting = sentences.iter().filter(|s| s.status != Status::Approved).count();
    let mut reason = if sentences.is_empty() {
        "it has no sentences".to_string()
    } else {
        format!("{waiting} of {} sentences not approved", sentences.len())
    };
    if view.blocking > 0 {
        reason.push_str(&format!(", {} claim sentence(s) with open flags", view.blocking));
    }
    Some(reason)
}

/// Whether a claim stands only by an override: the summary was approved
/// with a reason while this claim's flags were open.
fn overridden(view: &SummaryView, sentence: &SentenceView) -> bool {
    sentence.blocking && view.approval.as_ref().is_some_and(|a| a.override_reason.is_some())
}

/// Builds the article for a checked summary. Refuses an unapproved one
/// unless `draft`.
pub fn article(view: &SummaryView, quoted: &Cited, draft: bool) -> Result<Article, ArticleError> {
    if let (Some(reason), false) = (unapproved_reason(view), draft) {
        return Err(ArticleError::NotApproved { title: view.title.clone(), reason });
    }
    let mut titles: HashMap<DocumentId, (String, Option<String>)> = HashMap::new();
    let mut sources = Vec::new();
    for source in &view.sources {
        let document = quoted
            .documents
            .get(&source.id)
            .cloned()
            .ok_or_else(|| ArticleError::Missing(format!("document {}", source.id)))?;
        let given = |field: &str| Some(field.to_string()).filter(|f| !f.is_empty());
        let publication = &document.publication;
        let url = given(&publication.url).or_else(|| web_address(&document.origin));
        let (outlet, date) = (given(&publication.outlet), given(&publication.date));
        titles.insert(source.id, (document.title.clone(), url.clone()));
        sources.push(ArticleSource {
            id: source.id,
            markdown: source_line(outlet.as_deref(), &document.title, date.as_deref(), url.as_deref()),
            title: document.title,
            outlet,
            url,
            date,
        });
    }
    let mut notes = Vec::new();
    let mut sections = Vec::new();
    let last = view.sections.len().saturating_sub(1);
    for (index, section) in view.sections.iter().enumerate() {
        let role = if index == 0 {
            "lead"
        } else if index == last && section.title.trim().eq_ignore_ascii_case("summary") {
            "closing"
        } else {
            "commentary"
        };
        let bullets = section.title.trim().eq_ignore_ascii_case("key points");
        let mut sentences = Vec::new();
        for sentence in section.sentences.iter().filter(|s| !s.text.trim().is_empty()) {
            let links: Vec<&LinkView> = sentence.links.iter().filter(|l| cites(l)).collect();
            let note = if sentence.kind == SentenceKind::Claim && !links.is_empty() {
                let mut quotes = Vec::new();
                for link in links {
                    let row = quoted
                        .passages
                        .get(&link.segment)
                        .cloned()
                        .ok_or_else(|| ArticleError::Missing(format!("segment {}", link.segment.0)))?;
                    let (source, url) = titles.get(&link.document).cloned().unwrap_or_default();
                    quotes.push(Quote {
                        document: link.document,
                        segment: link.segment,
                        source,
                        url,
                        original: row.source,
                        translation: row.translation.filter(|t| !t.trim().is_empty()),
                        automatic: !confirmed(link),
                        support: link.support,
                    });
                }
                let number = notes.len() as u32 + 1;
                let markdown = quotes
                    .iter()
                    .map(|q| {
                        let translation = q
                            .translation
                            .as_deref()
                            .map(|t| format!(" — “{}”", escape_markdown(t)))
                            .unwrap_or_default();
                        let automatic = if q.automatic { " *(found automatically)*" } else { "" };
                        format!(
                            "“{}”{translation} ({}){automatic}",
                            escape_markdown(&q.original),
                            cited(&q.source, q.url.as_deref())
                        )
                    })
                    .collect::<Vec<_>>()
                    .join(" ");
                notes.push(Note { number, sentence: sentence.id, quotes, markdown });
                Some(number)
            } else {
                None
            };
            let verified = !overridden(view, sentence);
            let mut markdown = escape_markdown(sentence.text.trim());
            if sentence.kind == SentenceKind::Commentary {
                markdown.push_str(" *(commentary)*");
            }
            if !verified {
                markdown.push_str(" *(not verified against the source)*");
            }
            if let Some(number) = note {
                markdown.push_str(&format!("[^{number}]"));
            }
            sentences.push(ArticleSentence {
                id: sentence.id,
                text: sentence.text.clone(),
                kind: sentence.kind,
                status: sentence.status,
                support: sentence.support,
                flags: sentence.flags.clone(),
                links: sentence.links.clone(),
                note,
                verified,
                markdown,
            });
        }
        let markdown = if bullets {
            sentences.iter().map(|s| format!("- {}", s.markdown)).collect::<Vec<_>>().join("\n")
        } else {
            sentences.iter().map(|s| s.markdown.as_str()).collect::<Vec<_>>().join(" ")
        };
        sections.push(ArticleSection { title: section.title.clone(), role, bullets, sentences, markdown });
    }
    Ok(Article {
        format: "verso-summary",
        schema: 1,
        summary: view.id,
        title: view.title.clone(),
        lang: view.lang.clone(),
        draft: unapproved_reason(view).is_some(),
        approved: view.approved,
        approval: view.approval.clone(),
        disclaimer: DISCLAIMER,
        sources,
        references: view
            .references
            .iter()
            .map(|r| ArticleReference { markdown: cited(&r.title, r.url.as_deref()), reference: r.clone() })
            .collect(),
        sections,
        notes,
    })
}

/// Renders the article through a template (the project's or the default).
pub fn markdown(article: &Article, template: &str) -> Result<String, ArticleError> {
    let mut env = minijinja::Environment::new();
    env.set_undefined_behavior(minijinja::UndefinedBehavior::Strict);
    env.add_template("article", template).map_err(|e| ArticleError::Template(describe(&e)))?;
    let rendered = env
        .get_template("article")
        .and_then(|t| t.render(article))
        .map_err(|e| ArticleError::Template(describe(&e)))?;
    // Templates leave runs of blank lines where sections are empty.
    let mut out = String::with_capacity(rendered.len());
    let mut blank = 0;
    for line in rendered.lines() {
        blank = if line.trim().is_empty() { blank + 1 } else { 0 };
        if blank <= 1 {
            out.push_str(line.trim_end());
            out.push('\n');
        }
    }
    Ok(out.trim_start_matches('\n').to_string())
}

/// Checks that a template parses, before a project stores it.
pub fn check_template(template: &str) -> Result<(), ArticleError> {
    let mut env = minijinja::Environment::new();
    env.add_template("article", template).map(|_| ()).map_err(|e| ArticleError::Template(describe(&e)))
}

fn describe(error: &minijinja::Error) -> String {
    match error.line() {
        Some(line) => format!("line {line}: {error}"),
        None => error.to_string(),
    }
}

use super::safe_events;

/// A self-contained HTML page (inline styles, light and dark, print-friendly).
pub fn html(article: &Article, markdown: &str) -> String {
    let mut body = String::new();
    pulldown_cmark::html::push_html(&mut body, safe_events(markdown));
    super::html_page(&article.title, &article.lang, &body, article.draft)
}

/// The article as JSON (schema in `docs/summary-json.md`).
pub fn json(article: &Article) -> String {
    let mut text = serde_json::to_string_pretty(article).unwrap_or_default();
    text.push('\n');
    text
}

/// The article as a Word document with footnotes.
pub fn docx(article: &Article, markdown: &str) -> Result<Vec<u8>, ArticleError> {
    super::docx::write(&article.title, &article.lang, article.draft, safe_events(markdown))
        .map_err(|e| ArticleError::Docx(e.to_string()))
}

/// Exports a checked summary with `template` (the project's, or the
/// default); refused when not approved unless `draft`.
pub fn export(
    view: &SummaryView,
    quoted: &Cited,
    template: Option<&str>,
    format: SummaryFormat,
    draft: bool,
) -> Result<Vec<u8>, ArticleError> {
    let article = article(view, quoted, draft)?;
    render(&article, template.unwrap_or(DEFAULT_TEMPLATE), format)
}

/// Renders the article in `format` with `template`.
pub fn render(article: &Article, template: &str, format: SummaryFormat) -> Result<Vec<u8>, ArticleError> {
    Ok(match format {
        SummaryFormat::Json => json(article).into_bytes(),
        SummaryFormat::Markdown => markdown(article, template)?.into_bytes(),
        SummaryFormat::Html => html(article, &markdown(article, template)?).into_bytes(),
        SummaryFormat::Docx => docx(article, &markdown(article, template)?)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An approved article with nothing in it but a title.
    fn empty_article(title: &str) -> Article {
        Article {
            format: "verso-summary",
            schema: 1,
            summary: DocumentId(1),
            title: title.into(),
            lang: "en".into(),
            draft: false,
            approved: true,
            approval: None,
            disclaimer: DISCLAIMER,
            sources: Vec::new(),
            references: Vec::new(),
            sections: Vec::new(),
            notes: Vec::new(),
        }
    }

    #[test]
    fn markdown_shows_text_as_written() {
        assert_eq!(escape_markdown("*not bold* <b>x</b> [a](b)"), r"\*not bold\* \<b\>x\</b\> \[a\](b)");
        assert_eq!(escape_markdown("2023. A year"), r"2023\. A year");
        assert_eq!(escape_markdown("- not a list"), r"\- not a list");
        assert_eq!(escape_markdown("# not a heading"), r"\# not a heading");
        assert_eq!(escape_markdown("Plain, 31% in 2023."), "Plain, 31% in 2023.");
    }

    #[test]
    fn raw_html_in_markdown_never_reaches_the_page() {
        let article = empty_article("<script>alert(1)</script>");
        let page = html(&article, "Text <img src=x onerror=alert(1)> and <script>alert(2)</script>\n");
        assert!(!page.contains("<script>") && !page.contains("<img"), "{page}");
        assert!(page.contains("&lt;img src=x onerror=alert(1)&gt;"));
    }

    #[test]
    fn a_broken_template_names_the_line() {
        let article = empty_article("T");
        let error = markdown(&article, "# {{ title }}\n{% for x in %}").expect_err("broken");
        assert!(error.to_string().contains("line 2"), "{error}");
        assert!(markdown(&article, "{{ no_such_field }}").is_err(), "unknown names are errors, not blanks");
    }
}
