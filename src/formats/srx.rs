//! SRX 2.0 files, the segmentation rules other CAT tools use: read into
//! `segment::srx`'s rules and written back, parsed without DTDs or
//! entities.

use std::fmt::Write as _;
use std::path::Path;

use quick_xml::events::{BytesStart, Event};

use crate::formats::export::escape_markup;
use crate::segment::srx::{SrxDocument, SrxError, SrxLanguageMap, SrxLanguageRule, SrxRule};

/// Line numbers of positions met in order, counted once: counting from the
/// start for every rule made a large file quadratic (8 MB took 148 s).
struct LineCounter<'t> {
    text: &'t [u8],
    byte: usize,
    line: usize,
}

impl<'t> LineCounter<'t> {
    fn new(text: &'t str) -> LineCounter<'t> {
        LineCounter { text: text.as_bytes(), byte: 0, line: 1 }
    }

    fn line_of(&mut self, byte: usize) -> usize {
        let byte = byte.min(self.text.len());
        if byte < self.byte {
            (self.byte, self.line) = (0, 1);
        }
        self.line += self.text[self.byte..byte].iter().filter(|&&b| b == b'\n').count();
        self.byte = byte;
        self.line
    }
}

fn attribute(element: &BytesStart<'_>, name: &str) -> Option<String> {
    element
        .attributes()
        .flatten()
        .find(|a| a.key.local_name().as_ref() == name)
        .and_then(|a| a.normalized_value(quick_xml::XmlVersion::Implicit1_0).ok().map(|v| v.into_owned()))
}

/// Reads an SRX 2.0 file (decoded as every XML file is: a byte-order mark,
/// then the declared encoding; no DTD, no entities).
pub fn read(path: &Path) -> Result<SrxDocument, SrxError> {
    let bytes = std::fs::read(path).map_err(|source| SrxError::Unreadable { path: path.to_path_buf(), source })?;
    let text = crate::formats::xml::decode(&bytes).map_err(|e| SrxError::Malformed {
        path: path.to_path_buf(),
        line: e.line(),
        message: e.to_string(),
    })?;
    parse(path, &text)
}

/// Reads SRX text; `path` names it in errors.
pub fn parse(path: &Path, xml: &str) -> Result<SrxDocument, SrxError> {
    let lines = std::cell::RefCell::new(LineCounter::new(xml));
    let line_of = |byte: usize| lines.borrow_mut().line_of(byte);
    let malformed =
        |byte: usize, message: String| SrxError::Malformed { path: path.to_path_buf(), line: line_of(byte), message };
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut document =
        SrxDocument { cascade: true, language_rules: Vec::new(), maps: Vec::new(), path: path.to_path_buf() };
    let mut saw_root = false;
    // The element whose text we are collecting, and the rule being built.
    let mut collecting: Option<(&'static str, String)> = None;
    let mut rule: Option<SrxRule> = None;
    loop {
        let at = reader.buffer_position() as usize;
        let event = reader.read_event().map_err(|e| malformed(at, e.to_string()))?;
        match event {
            Event::DocType(_) => return Err(malformed(at, "DOCTYPE declarations are not allowed".into())),
            Event::Start(e) | Event::Empty(e) => {
                let name = e.local_name().as_ref().to_string();
                match name.as_str() {
                    "srx" => saw_root = true,
                    "header" => document.cascade = attribute(&e, "cascade").is_none_or(|v| v != "no"),
                    "languagerule" => {
                        let name = attribute(&e, "languagerulename")
                            .ok_or_else(|| malformed(at, "languagerule without languagerulename".into()))?;
                        document.language_rules.push(SrxLanguageRule { name, rules: Vec::new() });
                    }
                    "rule" => {
                        rule = Some(SrxRule {
                            is_break: attribute(&e, "break").is_none_or(|v| v != "no"),
                            before: String::new(),
                            after: String::new(),
                            line: line_of(at),
                        });
                    }
                    "beforebreak" => collecting = Some(("before", String::new())),
                    "afterbreak" => collecting = Some(("after", String::new())),
                    "languagemap" => {
                        let pattern = attribute(&e, "languagepattern")
                            .ok_or_else(|| malformed(at, "languagemap without languagepattern".into()))?;
                        let rule_name = attribute(&e, "languagerulename")
                            .ok_or_else(|| malformed(at, "languagemap without languagerulename".into()))?;
                        document.maps.push(SrxLanguageMap { pattern, rule_name, line: line_of(at) });
                    }
                    _ => {}
                }
            }
            Event::Text(t) => {
                if let Some((_, buffer)) = collecting.as_mut() {
                    buffer.push_str(&t.xml10_content());
                }
            }
            Event::CData(c) => {
                if let Some((_, buffer)) = collecting.as_mut() {
                    buffer.push_str(c.as_ref());
                }
            }
            Event::GeneralRef(r) => {
                let c = crate::formats::xml::reference(&r).map_err(|m| malformed(at, m))?;
                if let Some((_, buffer)) = collecting.as_mut() {
                    buffer.push(c);
                }
            }
            Event::End(e) => match e.local_name().as_ref() {
                "beforebreak" | "afterbreak" => {
                    if let (Some((which, text)), Some(rule)) = (collecting.take(), rule.as_mut()) {
                        if which == "before" { rule.before = text } else { rule.after = text }
                    }
                }
                "rule" => {
                    let finished = rule.take().ok_or_else(|| malformed(at, "</rule> without <rule>".into()))?;
                    let owner = document
                        .language_rules
                        .last_mut()
                        .ok_or_else(|| malformed(at, "rule outside a languagerule".into()))?;
                    owner.rules.push(finished);
                }
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
    }
    if !saw_root {
        return Err(malformed(0, "no <srx> root element".into()));
    }
    for map in &document.maps {
        if !document.language_rules.iter().any(|r| r.name == map.rule_name) {
            return Err(SrxError::Malformed {
                path: path.to_path_buf(),
                line: map.line,
                message: format!("languagemap names an unknown languagerule \"{}\"", map.rule_name),
            });
        }
    }
    Ok(document)
}

/// The document as SRX 2.0 XML.
pub fn write(document: &SrxDocument) -> String {
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<srx xmlns=\"http://www.lisa.org/srx20\" version=\"2.0\">\n",
    );
    let cascade = if document.cascade { "yes" } else { "no" };
    let _ = writeln!(out, "  <header segmentsubflows=\"yes\" cascade=\"{cascade}\"/>\n  <body>\n    <languagerules>");
    for language in &document.language_rules {
        let _ = writeln!(out, "      <languagerule languagerulename=\"{}\">", escape_markup(&language.name));
        for rule in &language.rules {
            let kind = if rule.is_break { "yes" } else { "no" };
            let _ = writeln!(
                out,
                "        <rule break=\"{kind}\"><beforebreak>{}</beforebreak><afterbreak>{}</afterbreak></rule>",
                escape_markup(&rule.before),
                escape_markup(&rule.after)
            );
        }
        out.push_str("      </languagerule>\n");
    }
    out.push_str("    </languagerules>\n    <maprules>\n");
    for map in &document.maps {
        let _ = writeln!(
            out,
            "      <languagemap languagepattern=\"{}\" languagerulename=\"{}\"/>",
            escape_markup(&map.pattern),
            escape_markup(&map.rule_name)
        );
    }
    out.push_str("    </maprules>\n  </body>\n</srx>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lang::LangTag;

    const RULES: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<srx xmlns="http://www.lisa.org/srx20" version="2.0">
  <header segmentsubflows="yes" cascade="yes"/>
  <body>
    <languagerules>
      <languagerule languagerulename="English">
        <rule break="no"><beforebreak>\b(?:Mr|Dr)\.</beforebreak><afterbreak>\s</afterbreak></rule>
        <rule break="no"><beforebreak>(?&lt;=\bU\.S)\.</beforebreak><afterbreak>\s+Secretary</afterbreak></rule>
      </languagerule>
      <languagerule languagerulename="Default">
        <rule break="yes"><beforebreak>[.?!]+</beforebreak><afterbreak>\s+\p{Lu}</afterbreak></rule>
        <rule break="yes"><beforebreak>\n</beforebreak><afterbreak></afterbreak></rule>
      </languagerule>
    </languagerules>
    <maprules>
      <languagemap languagepattern="en.*" languagerulename="English"/>
      <languagemap languagepattern=".*" languagerulename="Default"/>
    </maprules>
  </body>
</srx>
"#;

    fn split(doc: &SrxDocument, lang: &str, text: &str) -> Vec<String> {
        let segmenter = doc.segmenter(&lang.parse().expect("tag")).expect("compiles");
        segmenter.sentence_ranges(text).into_iter().map(|r| text[r].to_string()).collect()
    }

    #[test]
    fn rules_cascade_and_look_behind_rules_are_kept() {
        let doc = parse(Path::new("rules.srx"), RULES).expect("parse");
        let text = "Mr. Smith met the U.S. Secretary. Then Dr. Li left. Fine.";
        assert_eq!(split(&doc, "en-GB", text), ["Mr. Smith met the U.S. Secretary.", "Then Dr. Li left.", "Fine."]);
        // German maps only to the default rules: "Dr." ends nothing special there.
        assert_eq!(split(&doc, "de", "Dr. Li kam. Gut."), ["Dr.", "Li kam.", "Gut."]);
    }

    #[test]
    fn a_utf16_file_with_a_byte_order_mark_reads_as_the_other_xml_formats_do() {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("rules.srx");
        let utf16: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain(RULES.replace("UTF-8", "UTF-16").encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        std::fs::write(&path, utf16).expect("write");
        let doc = read(&path).expect("UTF-16 with a BOM");
        assert_eq!(split(&doc, "en", "Mr. Smith left. Fine."), ["Mr. Smith left.", "Fine."]);
    }

    #[test]
    fn a_file_with_more_rules_for_a_language_than_verso_compiles_is_refused_before_compiling() {
        let rule = r#"<rule break="no"><beforebreak>\bAbc\.</beforebreak><afterbreak>\s</afterbreak></rule>"#;
        let many = RULES.replace(
            r#"<languagerule languagerulename="English">"#,
            &format!(r#"<languagerule languagerulename="English">{}"#, rule.repeat(crate::segment::srx::MAX_RULES)),
        );
        let doc = parse(Path::new("many.srx"), &many).expect("parses");
        let started = std::time::Instant::now();
        let error = doc.segmenter(&"en".parse().expect("tag")).err().expect("too many").to_string();
        assert_eq!(error, "many.srx: 2004 rules apply to \"en\"; Verso compiles up to 2000 for one language");
        assert!(started.elapsed().as_secs() < 2, "refused before compiling");
        assert!(doc.segmenter(&"de".parse().expect("tag")).is_ok(), "German gets the default rules only");
    }

    #[test]
    fn an_overlong_pattern_is_refused_before_compiling_and_rule_lines_are_counted_forward() {
        let long = "(?:ab)".repeat(crate::segment::srx::MAX_PATTERN_CHARS / 6 + 1);
        let doc = parse(Path::new("long.srx"), &RULES.replace(r"\b(?:Mr|Dr)\.", &long)).expect("parses");
        let error = doc.segmenter(&"en".parse().expect("tag")).err().expect("refused").to_string();
        assert!(error.ends_with("it is 20004 characters long; Verso compiles patterns of up to 20000"), "{error}");

        // Lines are counted once, forward (from the start for each rule, a
        // file this size took minutes; `verso bench readers` measures it).
        let rule = r#"<rule break="no"><beforebreak>\bAbc\.</beforebreak><afterbreak>\s</afterbreak></rule>"#;
        let many = RULES.replace(
            "<languagerule languagerulename=\"Default\">",
            &format!("<languagerule languagerulename=\"Default\">{}", format!("{rule}\n").repeat(40_000)),
        );
        let doc = parse(Path::new("many.srx"), &many).expect("parses");
        let lines: Vec<usize> = doc.language_rules[1].rules.iter().map(|r| r.line).collect();
        assert_eq!(lines[..3], [10, 11, 12]);
        assert_eq!(lines[39_999..], [40_009, 40_011, 40_012], "a blank line before the file's own rules");
    }

    #[test]
    fn writing_and_reading_back_gives_the_same_rules() {
        let doc = parse(Path::new("rules.srx"), RULES).expect("parse");
        let again = parse(Path::new("rules.srx"), &write(&doc)).expect("reparse");
        let strip = |d: &SrxDocument| {
            d.language_rules
                .iter()
                .flat_map(|l| l.rules.iter().map(|r| (l.name.clone(), r.is_break, r.before.clone(), r.after.clone())))
                .collect::<Vec<_>>()
        };
        assert_eq!(strip(&doc), strip(&again));
        assert_eq!(
            doc.maps.iter().map(|m| &m.pattern).collect::<Vec<_>>(),
            again.maps.iter().map(|m| &m.pattern).collect::<Vec<_>>()
        );
    }

    #[test]
    fn malformed_files_and_bad_patterns_name_file_and_line() {
        let broken =
            RULES.replace("</languagerule>\n      <languagerule languagerulename=\"Default\">", "</languagerul>");
        let error = parse(Path::new("broken.srx"), &broken).expect_err("malformed");
        assert!(error.to_string().starts_with("broken.srx, line "), "{error}");

        let bad = RULES.replace(r"\b(?:Mr|Dr)\.", r"[unclosed");
        let doc = parse(Path::new("bad.srx"), &bad).expect("parses as XML");
        let error = doc.segmenter(&"en".parse().expect("tag")).err().expect("pattern error");
        assert!(error.to_string().starts_with("bad.srx, line 7: rule pattern \"[unclosed\""), "{error}");

        let entity = "<!DOCTYPE srx [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><srx>&x;</srx>";
        let error = parse(Path::new("xxe.srx"), entity).expect_err("doctype refused");
        assert!(error.to_string().contains("DOCTYPE"), "{error}");
    }

    #[test]
    fn a_backreference_before_its_group_is_refused_and_one_after_it_works() {
        let forward = RULES.replace(r"\b(?:Mr|Dr)\.", r"\1(a)\.");
        let doc = parse(Path::new("forward.srx"), &forward).expect("parses as XML");
        let error = doc.segmenter(&"en".parse().expect("tag")).err().expect("refused").to_string();
        assert_eq!(
            error,
            "forward.srx, line 7: rule pattern \"\\\\1(a)\\\\.\" does not compile: backreference \\1 at \
             character 1 comes before group 1 is opened; it could never match"
        );
        // A bracket in a class opens no group, an escaped `\` makes no
        // reference, and after its group a reference is fine.
        for pattern in [r"[(]x(a)\1\.", r"\\1(a)\.", r"\b(M)(?:r|\1)\."] {
            let doc = parse(Path::new("ok.srx"), &RULES.replace(r"\b(?:Mr|Dr)\.", pattern)).expect("parse");
            assert!(doc.segmenter(&"en".parse().expect("tag")).is_ok(), "{pattern}");
        }
        let doc = parse(Path::new("ok.srx"), &RULES.replace(r"\b(?:Mr|Dr)\.", r"\b(M)(?:r|\1)\.")).expect("parse");
        assert_eq!(split(&doc, "en", "Mr. Smith left. MM. Fine."), ["Mr. Smith left.", "MM. Fine."]);
    }

    #[test]
    fn built_in_rules_export_as_working_srx() {
        let lang: LangTag = "en".parse().expect("tag");
        let doc = parse(Path::new("verso-en.srx"), &write(&SrxDocument::from_builtin(&lang))).expect("parse");
        assert_eq!(
            split(&doc, "en", "Mr. Smith went home. He slept well. See p. 5 now."),
            ["Mr. Smith went home.", "He slept well.", "See p. 5 now."]
        );
    }
}
