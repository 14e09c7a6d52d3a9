//! XLIFF 1.2: files from the tools that still write it (Trados, memoQ,
//! Okapi, Typo3…), read with the rules that matter for importing —
//! required attributes, unique unit ids, one source, known states — and
//! written for tools that read nothing newer.

use std::collections::HashSet;
use std::path::Path;

use super::v2::keep;
use super::{Bitext, ExportSegment, Segment, Unit, Version, XliffError, content, escape};
use crate::formats::xml::dom::{Element, Node};
use crate::revision::Status;

pub const NS: &str = "urn:oasis:names:tc:xliff:document:1.2";
/// XLIFF 1.1 differs from 1.2 in nothing this reader uses.
pub const NS_11: &str = "urn:oasis:names:tc:xliff:document:1.1";

const STATES: &[&str] = &[
    "final",
    "needs-adaptation",
    "needs-l10n",
    "needs-review-adaptation",
    "needs-review-l10n",
    "needs-review-translation",
    "needs-translation",
    "new",
    "signed-off",
    "translated",
];

fn fail<T>(path: &Path, line: usize, message: impl Into<String>) -> Result<T, XliffError> {
    Err(XliffError::at(path, line, message))
}

pub fn read(path: &Path, root: &Element) -> Result<Bitext, XliffError> {
    if root.name != "xliff" {
        return fail(path, root.line, format!("the root element is <{}>, not <xliff>", root.name));
    }
    match root.attr("version") {
        Some("1.0" | "1.1" | "1.2") => {}
        Some(other) => return fail(path, root.line, format!("version {other} is not XLIFF 1.x")),
        None => return fail(path, root.line, "<xliff> has no version"),
    }
    let ns = root.ns.as_ref();
    let files: Vec<&Element> = root.children_named(ns, "file").collect();
    if files.is_empty() {
        return fail(path, root.line, "<xliff> has no <file>");
    }
    let (mut source_lang, mut target_lang) = (None, None);
    let mut units = Vec::new();
    for (index, file) in files.iter().enumerate() {
        for required in ["original", "source-language", "datatype"] {
            if file.attr(required).is_none() {
                return fail(path, file.line, format!("<file> has no {required}"));
            }
        }
        let lang = file.attr("source-language").unwrap_or_default();
        if !super::v2::is_language_tag(lang) {
            return fail(path, file.line, format!("source-language \"{lang}\" is not a well-formed language tag"));
        }
        source_lang.get_or_insert_with(|| lang.to_string());
        if let Some(target) = file.attr("target-language") {
            target_lang.get_or_insert_with(|| target.to_string());
        }
        let body = file
            .children_named(ns, "body")
            .next()
            .ok_or_else(|| XliffError::at(path, file.line, "<file> has no <body>"))?;
        let mut ids = HashSet::new();
        let prefix = if files.len() > 1 { format!("{}/", index + 1) } else { String::new() };
        for e in body.descendants().into_iter().filter(|e| e.ns == ns && e.name == "trans-unit") {
            let id = e.attr("id").ok_or_else(|| XliffError::at(path, e.line, "<trans-unit> has no id"))?;
            if !ids.insert(id) {
                return fail(path, e.line, format!("trans-unit id \"{id}\" is used twice in this file"));
            }
            units.push(trans_unit(path, e, ns, &prefix)?);
        }
    }
    Ok(Bitext { version: Version::V12, source_lang: source_lang.unwrap_or_default(), target_lang, units })
}

fn trans_unit(path: &Path, e: &Element, ns: &str, prefix: &str) -> Result<Unit, XliffError> {
    let id = e.attr("id").unwrap_or_default();
    let sources: Vec<&Element> = e.children_named(ns, "source").collect();
    if sources.len() != 1 {
        return fail(path, e.line, format!("trans-unit \"{id}\" must have exactly one <source>"));
    }
    let target = e.children_named(ns, "target").next();
    let state = target.and_then(|t| t.attr("state"));
    if let Some(state) = state
        && !STATES.contains(&state)
        && !state.starts_with("x-")
    {
        return fail(path, target.map_or(e.line, |t| t.line), format!("state=\"{state}\" is not an XLIFF 1.2 state"));
    }
    let status = state.map(status_of).or_else(|| e.attr("approved").filter(|a| *a == "yes").map(|_| Status::Approved));
    // Segmented units (<seg-source> with <mrk mtype="seg">) give one
    // segment per marker; the rest give one segment per unit.
    let marks = |side: Option<&Element>| -> Vec<(String, String)> {
        side.map(|s| {
            s.descendants()
                .into_iter()
                .filter(|m| m.name == "mrk" && m.attr("mtype") == Some("seg"))
                .map(|m| (m.attr("mid").unwrap_or_default().to_string(), text(m, &mut Vec::new())))
                .collect()
        })
        .unwrap_or_default()
    };
    let source_marks = marks(e.children_named(ns, "seg-source").next());
    let segments = if source_marks.is_empty() {
        let mut codes = Vec::new();
        let source = text(sources[0], &mut codes);
        let target = target.map(|t| text(t, &mut codes));
        vec![Segment { id: None, source, target, status, codes }]
    } else {
        let target_marks = marks(target);
        source_marks
            .into_iter()
            .map(|(mid, source)| Segment {
                target: target_marks.iter().find(|(m, _)| *m == mid).map(|(_, t)| t.clone()),
                id: Some(mid),
                source,
                status,
                codes: Vec::new(),
            })
            .collect()
    };
    let notes = e.children_named(ns, "note").map(|n| text(n, &mut Vec::new())).collect();
    Ok(Unit { id: format!("{prefix}{id}"), segments, notes })
}

/// Text with inline codes as placeholders (`⟦id⟧`, `⟦/id⟧`) and their
/// original XML collected in `codes`; `mrk` markers keep only their text.
fn text(e: &Element, codes: &mut Vec<(String, String)>) -> String {
    let mut out = String::new();
    for child in &e.children {
        match child {
            Node::Text(t) => out.push_str(t),
            Node::Element(c) if c.name == "mrk" => out.push_str(&text(c, codes)),
            Node::Element(c) if c.name == "g" => {
                let id = c.attr("id").unwrap_or_default().to_string();
                keep(codes, &mut out, id.clone(), c.start_tag(false));
                let inner = text(c, codes);
                out.push_str(&inner);
                keep(codes, &mut out, format!("/{id}"), "</g>".into());
            }
            Node::Element(c) => {
                let id = c.attr("id").or_else(|| c.attr("rid")).unwrap_or_default();
                let marker = if matches!(c.name.as_ref(), "ex" | "ept") { format!("/{id}") } else { id.to_string() };
                keep(codes, &mut out, marker, c.to_xml());
            }
        }
    }
    out
}

fn status_of(state: &str) -> Status {
    match state {
        "translated" => Status::Translated,
        "signed-off" => Status::Reviewed,
        "final" => Status::Approved,
        "new" => Status::New,
        "x-verso-rejected" => Status::Rejected,
        _ => Status::Draft,
    }
}

fn state_of(status: Status) -> &'static str {
    match status {
        Status::New => "new",
        Status::Draft => "needs-review-translation",
        Status::Translated => "translated",
        Status::Reviewed => "signed-off",
        Status::Approved => "final",
        Status::Rejected => "x-verso-rejected",
    }
}

pub fn write(original: &str, source_lang: &str, target_lang: &str, segments: &[ExportSegment<'_>]) -> String {
    let mut out = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<xliff xmlns=\"{NS}\" version=\"1.2\">\n <file original=\"{}\" source-language=\"{}\" target-language=\"{}\" datatype=\"plaintext\">\n  <body>\n",
        escape(original),
        escape(source_lang),
        escape(target_lang)
    );
    for segment in segments {
        let approved = if segment.status == Status::Approved { " approved=\"yes\"" } else { "" };
        out.push_str(&format!(
            "   <trans-unit id=\"{}\"{approved}>\n    <source xml:space=\"preserve\">{}</source>\n",
            segment.id,
            content(segment.source, &segment.codes, Version::V12)
        ));
        if let Some(target) = segment.target {
            out.push_str(&format!(
                "    <target xml:space=\"preserve\" state=\"{}\">{}</target>\n",
                state_of(segment.status),
                content(target, &segment.codes, Version::V12)
            ));
        }
        for comment in &segment.comments {
            out.push_str(&format!("    <note from=\"reviewer\">{}</note>\n", escape(comment)));
        }
        out.push_str("   </trans-unit>\n");
    }
    out.push_str("  </body>\n </file>\n</xliff>\n");
    out
}
