//! A Word document (Office Open XML) written from Markdown events:
//! headings, paragraphs, bulleted lists, emphasis, block quotes and real
//! footnotes, plus a "DRAFT" header on every page when asked. Only what
//! summary articles need; the XML is written directly (with every text
//! escaped) and zipped.

use std::collections::HashMap;
use std::io::Write;

use pulldown_cmark::{Event, HeadingLevel, Tag, TagEnd};

#[derive(Debug, thiserror::Error)]
pub enum DocxError {
    #[error("zip: {0}")]
    Zip(#[from] zip::result::ZipError),
    #[error("{0}")]
    Io(#[from] std::io::Error),
}

/// Text for a `w:t` run: tabs and line breaks are elements of their own in
/// Word, so here they become spaces; the rest is escaped as any markup.
fn xml_text(text: &str) -> String {
    super::escape_markup(&text.replace(['\t', '\n', '\r'], " "))
}

#[derive(Default)]
struct Writer {
    body: String,
    footnotes: String,
    /// Footnote labels in the order they are first referenced.
    numbers: HashMap<String, u32>,
    /// Inside a footnote definition: paragraphs go to `footnotes`.
    in_note: Option<u32>,
    note_started: bool,
    paragraph_open: bool,
    style: Option<&'static str>,
    bold: u32,
    italic: u32,
    list_depth: u32,
    link: Option<String>,
}

impl Writer {
    fn out(&mut self) -> &mut String {
        if self.in_note.is_some() { &mut self.footnotes } else { &mut self.body }
    }

    fn open(&mut self, style: Option<&'static str>) {
        self.close();
        let style = style.or(self.style).or(if self.in_note.is_some() { Some("FootnoteText") } else { None });
        let mut p = String::from("<w:p>");
        if let Some(style) = style {
            p.push_str(&format!("<w:pPr><w:pStyle w:val=\"{style}\"/></w:pPr>"));
        }
        self.out().push_str(&p);
        self.paragraph_open = true;
        if self.in_note.is_some() && !self.note_started {
            self.note_started = true;
            self.out().push_str(
                "<w:r><w:rPr><w:rStyle w:val=\"FootnoteReference\"/><w:vertAlign w:val=\"superscript\"/></w:rPr>\
                 <w:footnoteRef/></w:r><w:r><w:t xml:space=\"preserve\"> </w:t></w:r>",
            );
        }
        if style == Some("ListBullet") {
            self.out().push_str("<w:r><w:t xml:space=\"preserve\">•\u{a0}</w:t></w:r>");
        }
    }

    fn close(&mut self) {
        if self.paragraph_open {
            self.out().push_str("</w:p>");
            self.paragraph_open = false;
        }
    }

    fn text(&mut self, text: &str) {
        if !self.paragraph_open {
            self.open(None);
        }
        let mut props = String::new();
        if self.bold > 0 {
            props.push_str("<w:b/>");
        }
        if self.italic > 0 {
            props.push_str("<w:i/>");
        }
        let run = if props.is_empty() {
            format!("<w:r><w:t xml:space=\"preserve\">{}</w:t></w:r>", xml_text(text))
        } else {
            format!("<w:r><w:rPr>{props}</w:rPr><w:t xml:space=\"preserve\">{}</w:t></w:r>", xml_text(text))
        };
        self.out().push_str(&run);
    }

    fn number_for(&mut self, label: &str) -> u32 {
        let next = self.numbers.len() as u32 + 1;
        *self.numbers.entry(label.to_string()).or_insert(next)
    }

    fn event(&mut self, event: Event<'_>) {
        match event {
            Event::Start(Tag::Heading { level, .. }) => {
                let style = match level {
                    HeadingLevel::H1 => "Title",
                    HeadingLevel::H2 => "Heading1",
                    HeadingLevel::H3 => "Heading2",
                    _ => "Heading3",
                };
                self.open(Some(style));
            }
            // A tight list item already opened its paragraph.
            Event::Start(Tag::Paragraph) if !(self.paragraph_open && self.list_depth > 0) => self.open(None),
            Event::Start(Tag::Item) => self.open(Some("ListBullet")),
            Event::Start(Tag::List(_)) => self.list_depth += 1,
            Event::End(TagEnd::List(_)) => {
                self.list_depth = self.list_depth.saturating_sub(1);
                self.close();
            }
            Event::Start(Tag::BlockQuote(_)) => self.style = Some("Quote"),
            Event::End(TagEnd::BlockQuote(_)) => {
                self.close();
                self.style = None;
            }
            Event::End(TagEnd::Heading(_) | TagEnd::Paragraph | TagEnd::Item) => self.close(),
            Event::Start(Tag::Emphasis) => self.italic += 1,
            Event::End(TagEnd::Emphasis) => self.italic = self.italic.saturating_sub(1),
            Event::Start(Tag::Strong) => self.bold += 1,
            Event::End(TagEnd::Strong) => self.bold = self.bold.saturating_sub(1),
            Event::Start(Tag::Link { dest_url, .. }) => self.link = Some(dest_url.to_string()),
            Event::End(TagEnd::Link) => {
                if let Some(url) = self.link.take() {
                    self.text(&format!(" ({url})"));
                }
            }
            Event::Text(text) | Event::Code(text) | Event::Html(text) | Event::InlineHtml(text) => self.text(&text),
            Event::SoftBreak => self.text(" "),
            Event::HardBreak if self.paragraph_open => self.out().push_str("<w:r><w:br/></w:r>"),
            Event::FootnoteReference(label) => {
                let number = self.number_for(&label);
                if !self.paragraph_open {
                    self.open(None);
                }
                self.out().push_str(&format!(
                    "<w:r><w:rPr><w:rStyle w:val=\"FootnoteReference\"/><w:vertAlign w:val=\"superscript\"/></w:rPr>\
                     <w:footnoteReference w:id=\"{number}\"/></w:r>"
                ));
            }
            Event::Start(Tag::FootnoteDefinition(label)) => {
                self.close();
                let number = self.number_for(&label);
                self.in_note = Some(number);
                self.note_started = false;
                self.footnotes.push_str(&format!("<w:footnote w:id=\"{number}\">"));
            }
            Event::End(TagEnd::FootnoteDefinition) => {
                self.close();
                self.footnotes.push_str("</w:footnote>");
                self.in_note = None;
            }
            Event::Start(Tag::Table(_)) => {
                self.close();
                self.out().push_str(
                    "<w:tbl><w:tblPr><w:tblW w:w=\"5000\" w:type=\"pct\"/><w:tblBorders>\
                     <w:top w:val=\"single\" w:sz=\"4\" w:color=\"A0A7B2\"/><w:left w:val=\"single\" w:sz=\"4\" w:color=\"A0A7B2\"/>\
                     <w:bottom w:val=\"single\" w:sz=\"4\" w:color=\"A0A7B2\"/><w:right w:val=\"single\" w:sz=\"4\" w:color=\"A0A7B2\"/>\
                     <w:insideH w:val=\"single\" w:sz=\"4\" w:color=\"A0A7B2\"/><w:insideV w:val=\"single\" w:sz=\"4\" w:color=\"A0A7B2\"/>\
                     </w:tblBorders></w:tblPr>",
                );
            }
            Event::End(TagEnd::Table) => self.out().push_str("</w:tbl><w:p/>"),
            Event::Start(Tag::TableHead) => {
                self.bold += 1;
                self.out().push_str("<w:tr><w:trPr><w:tblHeader/></w:trPr>");
            }
            Event::End(TagEnd::TableHead) => {
                self.bold = self.bold.saturating_sub(1);
                self.out().push_str("</w:tr>");
            }
            Event::Start(Tag::TableRow) => self.out().push_str("<w:tr>"),
            Event::End(TagEnd::TableRow) => self.out().push_str("</w:tr>"),
            Event::Start(Tag::TableCell) => {
                self.out().push_str("<w:tc>");
                self.open(None);
            }
            Event::End(TagEnd::TableCell) => {
                if !self.paragraph_open {
                    self.open(None);
                }
                self.close();
                self.out().push_str("</w:tc>");
            }
            Event::Rule => {
                self.close();
                self.out().push_str("<w:p/>");
            }
            _ => {}
        }
    }
}

const NS: &str = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships""#;

const STYLES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
<w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="Liberation Serif" w:hAnsi="Liberation Serif" w:cs="Liberation Serif"/><w:sz w:val="24"/></w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:spacing w:after="160" w:line="276" w:lineRule="auto"/></w:pPr></w:pPrDefault></w:docDefaults>
<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style>
<w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:pPr><w:spacing w:before="240" w:after="240"/></w:pPr><w:rPr><w:rFonts w:ascii="Liberation Sans" w:hAnsi="Liberation Sans"/><w:b/><w:color w:val="1F4E8C"/><w:sz w:val="40"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:pPr><w:keepNext/><w:spacing w:before="360" w:after="120"/><w:outlineLvl w:val="0"/></w:pPr><w:rPr><w:rFonts w:ascii="Liberation Sans" w:hAnsi="Liberation Sans"/><w:b/><w:sz w:val="32"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="Heading2"><w:name w:val="heading 2"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:pPr><w:keepNext/><w:spacing w:before="240" w:after="80"/><w:outlineLvl w:val="1"/></w:pPr><w:rPr><w:rFonts w:ascii="Liberation Sans" w:hAnsi="Liberation Sans"/><w:b/><w:sz w:val="28"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="Heading3"><w:name w:val="heading 3"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:pPr><w:keepNext/><w:outlineLvl w:val="2"/></w:pPr><w:rPr><w:b/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="ListBullet"><w:name w:val="List Bullet"/><w:basedOn w:val="Normal"/><w:pPr><w:ind w:left="360" w:hanging="240"/><w:spacing w:after="60"/></w:pPr></w:style>
<w:style w:type="paragraph" w:styleId="Quote"><w:name w:val="Quote"/><w:basedOn w:val="Normal"/><w:pPr><w:ind w:left="360"/></w:pPr><w:rPr><w:b/><w:color w:val="B3261E"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="FootnoteText"><w:name w:val="footnote text"/><w:basedOn w:val="Normal"/><w:pPr><w:spacing w:after="40" w:line="240" w:lineRule="auto"/></w:pPr><w:rPr><w:sz w:val="19"/></w:rPr></w:style>
<w:style w:type="character" w:styleId="FootnoteReference"><w:name w:val="footnote reference"/><w:rPr><w:vertAlign w:val="superscript"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="Header"><w:name w:val="header"/><w:basedOn w:val="Normal"/><w:pPr><w:jc w:val="center"/></w:pPr><w:rPr><w:b/><w:color w:val="B3261E"/></w:rPr></w:style>
</w:styles>
"#;

/// Writes the document; `events` are Markdown events (raw HTML already
/// turned into text by the caller).
pub fn write<'a>(
    title: &str,
    lang: &str,
    draft: bool,
    events: impl Iterator<Item = Event<'a>>,
) -> Result<Vec<u8>, DocxError> {
    let mut writer = Writer::default();
    for event in events {
        writer.event(event);
    }
    writer.close();
    let header_ref = if draft { r#"<w:headerReference w:type="default" r:id="rIdHeader"/>"# } else { "" };
    let document = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document {NS}><w:body>{}<w:sectPr>{header_ref}<w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1440" w:right="1440" w:bottom="1440" w:left="1440" w:header="708" w:footer="708" w:gutter="0"/></w:sectPr></w:body></w:document>
"#,
        writer.body
    );
    let footnotes = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:footnotes {NS}><w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote><w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>{}</w:footnotes>
"#,
        writer.footnotes
    );
    let settings = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:settings {NS}><w:footnotePr><w:footnote w:id="-1"/><w:footnote w:id="0"/></w:footnotePr><w:themeFontLang w:val="{}"/></w:settings>
"#,
        xml_text(lang)
    );
    let header = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:hdr {NS}><w:p><w:pPr><w:pStyle w:val="Header"/></w:pPr><w:r><w:t>DRAFT — not approved. Do not publish.</w:t></w:r></w:p></w:hdr>
"#
    );
    let header_type = if draft {
        r#"<Override PartName="/word/header1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"/>"#
    } else {
        ""
    };
    let content_types = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/><Override PartName="/word/settings.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"/><Override PartName="/word/footnotes.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"/><Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>{header_type}</Types>
"#
    );
    let header_rel = if draft {
        r#"<Relationship Id="rIdHeader" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/header" Target="header1.xml"/>"#
    } else {
        ""
    };
    let document_rels = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rIdStyles" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/><Relationship Id="rIdSettings" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings" Target="settings.xml"/><Relationship Id="rIdFootnotes" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes" Target="footnotes.xml"/>{header_rel}</Relationships>
"#
    );
    let root_rels = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/></Relationships>
"#;
    let core = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>{}</dc:title><dc:language>{}</dc:language><dc:creator>Verso</dc:creator></cp:coreProperties>
"#,
        xml_text(title),
        xml_text(lang)
    );
    let mut parts: Vec<(&str, String)> = vec![
        ("[Content_Types].xml", content_types),
        ("_rels/.rels", root_rels.to_string()),
        ("docProps/core.xml", core),
        ("word/document.xml", document),
        ("word/_rels/document.xml.rels", document_rels),
        ("word/styles.xml", STYLES.to_string()),
        ("word/settings.xml", settings),
        ("word/footnotes.xml", footnotes),
    ];
    if draft {
        parts.push(("word/header1.xml", header));
    }
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for (name, content) in parts {
        zip.start_file(name, options)?;
        zip.write_all(content.as_bytes())?;
    }
    Ok(zip.finish()?.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn part(docx: &[u8], name: &str) -> String {
        let mut archive = zip::ZipArchive::new(std::io::Cursor::new(docx)).expect("zip");
        let mut file = archive.by_name(name).expect("part");
        let mut text = String::new();
        std::io::Read::read_to_string(&mut file, &mut text).expect("read");
        text
    }

    #[test]
    fn footnotes_are_real_word_footnotes_and_text_is_escaped() {
        let markdown = "# Title & <more>\n\nA claim.[^1] Another.[^2]\n\n- point one\n- point two\n\n[^1]: “Quote one” (Source)\n[^2]: Quote two\n";
        let events = pulldown_cmark::Parser::new_ext(markdown, pulldown_cmark::Options::ENABLE_FOOTNOTES);
        let docx = write("T", "en", false, events).expect("docx");
        let document = part(&docx, "word/document.xml");
        assert!(document.contains("Title &amp; ") && document.contains("&lt;more&gt;"), "{document}");
        assert!(document.contains(r#"<w:footnoteReference w:id="1"/>"#) && document.contains(r#"w:id="2""#));
        assert_eq!(document.matches("ListBullet").count(), 2);
        let notes = part(&docx, "word/footnotes.xml");
        assert!(notes.contains(r#"<w:footnote w:id="1">"#) && notes.contains("“Quote one” (Source)"), "{notes}");
        assert!(zip::ZipArchive::new(std::io::Cursor::new(&docx)).expect("zip").by_name("word/header1.xml").is_err());
        let draft = write("T", "en", true, pulldown_cmark::Parser::new("x")).expect("docx");
        assert!(part(&draft, "word/header1.xml").contains("DRAFT"));
    }
}
