//! What every XML reader in Verso does the same way: decoding (a byte-order
//! mark, then the declared encoding), XML 1.0's character rules (with
//! `text`'s rule for control characters on top), and entity references.
//! Only the five predefined entities and character references are
//! resolved; any other entity is refused, never looked up (no XXE).

pub mod dom;

use quick_xml::events::BytesRef;

/// The character an entity or character reference stands for, or why it
/// is refused.
pub fn reference(r: &BytesRef<'_>) -> Result<char, String> {
    if r.is_char_ref() {
        let c = r.resolve_char_ref().map_err(|e| e.to_string())?.ok_or("invalid character reference")?;
        if !is_xml_char(c) {
            return Err(format!("character reference to U+{:04X}, which XML 1.0 forbids", c as u32));
        }
        if crate::text::forbidden_control(c.encode_utf8(&mut [0; 4])).is_some() {
            return Err(format!("character reference to control character U+{:04X}, which is not text", c as u32));
        }
        return Ok(if c == '\u{85}' { '\n' } else { c });
    }
    match r.xml10_content().as_ref() {
        "amp" => Ok('&'),
        "lt" => Ok('<'),
        "gt" => Ok('>'),
        "quot" => Ok('"'),
        "apos" => Ok('\''),
        other => Err(format!("unknown entity &{other}; (entities are not resolved)")),
    }
}

/// How much of a reader's complaint a message keeps: complaints quote
/// names and values from the file, which may be of any length, so every
/// reader's error cuts its message to this where it is displayed.
pub const MESSAGE_CHARS: usize = 240;

/// XML 1.0's `Char`: tab, line feed, carriage return and everything from
/// U+0020 except surrogates and U+FFFE/U+FFFF.
pub fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// Why a file's bytes could not be turned into text.
#[derive(Debug, thiserror::Error)]
pub enum DecodeError {
    #[error("the XML declaration names encoding {0:?}, which Verso does not know")]
    UnknownEncoding(String),
    #[error("line {line}: the bytes are not valid {encoding}")]
    Malformed { encoding: &'static str, line: usize },
    #[error("line {line}, column {column}: U+{code:04X} is not allowed in XML")]
    Character { line: usize, column: usize, code: u32 },
}

impl DecodeError {
    /// The line the problem is on, when there is one.
    pub fn line(&self) -> usize {
        match self {
            DecodeError::UnknownEncoding(_) => 1,
            DecodeError::Malformed { line, .. } | DecodeError::Character { line, .. } => *line,
        }
    }
}

/// The encoding an XML file is written in: a byte-order mark wins, then the
/// declaration's `encoding`, then UTF-8 (XML's default).
pub fn encoding_of(head: &[u8]) -> Result<&'static encoding_rs::Encoding, DecodeError> {
    if let Some((encoding, _)) = encoding_rs::Encoding::for_bom(head) {
        return Ok(encoding);
    }
    let declaration = head.strip_prefix(b"<?xml").map(|rest| &rest[..rest.len().min(200)]);
    let Some(declaration) = declaration.map(String::from_utf8_lossy) else { return Ok(encoding_rs::UTF_8) };
    let declaration = declaration.split("?>").next().unwrap_or_default();
    let Some(at) = declaration.find("encoding") else { return Ok(encoding_rs::UTF_8) };
    let value = declaration[at + "encoding".len()..].trim_start().trim_start_matches('=').trim_start();
    let quote = value.chars().next().filter(|c| matches!(c, '"' | '\''));
    let label = match quote {
        Some(q) => value[1..].split(q).next().unwrap_or_default(),
        None => return Ok(encoding_rs::UTF_8),
    };
    encoding_rs::Encoding::for_label(label.as_bytes()).ok_or_else(|| DecodeError::UnknownEncoding(label.to_string()))
}

/// A whole XML file as text, decoded from whatever encoding it declares;
/// bytes that are not valid in it are refused with their line.
pub fn decode(bytes: &[u8]) -> Result<String, DecodeError> {
    let encoding = encoding_of(bytes)?;
    let (text, had_errors) = encoding.decode_with_bom_removal(bytes);
    if had_errors {
        let line = text.split('\u{FFFD}').next().map_or(1, |before| before.matches('\n').count() + 1);
        return Err(DecodeError::Malformed { encoding: encoding.name(), line });
    }
    checked(text.into_owned())
}

/// Like [`decode`], taking the bytes: a UTF-8 file (most are) becomes its
/// text in place instead of being copied, so a large file is held once.
pub fn decode_owned(mut bytes: Vec<u8>) -> Result<String, DecodeError> {
    if encoding_of(&bytes)? != encoding_rs::UTF_8 {
        return decode(&bytes);
    }
    if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
        bytes.drain(..3);
    }
    match String::from_utf8(bytes) {
        Ok(text) => checked(text),
        Err(error) => decode(error.as_bytes()),
    }
}

/// XML 1.0's characters and `text`'s rule for control characters.
fn checked(text: String) -> Result<String, DecodeError> {
    let bad = text.char_indices().find(|(_, c)| !is_xml_char(*c)).or_else(|| crate::text::forbidden_control(&text));
    if let Some((offset, c)) = bad {
        let (line, column) = crate::text::line_and_column(&text, offset);
        return Err(DecodeError::Character { line, column, code: u32::from(c) });
    }
    Ok(crate::text::unify_line_breaks(text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodings_come_from_the_bom_then_the_declaration() {
        assert_eq!(
            encoding_of(b"<?xml version='1.0' encoding='windows-1254'?><a/>").ok(),
            Some(encoding_rs::WINDOWS_1254)
        );
        assert_eq!(encoding_of(b"\xFF\xFE<\0").ok(), Some(encoding_rs::UTF_16LE));
        assert_eq!(encoding_of(b"<a/>").ok(), Some(encoding_rs::UTF_8));
        assert!(matches!(
            encoding_of(b"<?xml version=\"1.0\" encoding=\"klingon\"?>"),
            Err(DecodeError::UnknownEncoding(_))
        ));
        assert_eq!(
            decode(b"<?xml version='1.0' encoding='ISO-8859-9'?><a>\xFE</a>").ok().as_deref(),
            Some("<?xml version='1.0' encoding='ISO-8859-9'?><a>\u{15F}</a>")
        );
        assert!(matches!(decode(b"<a>\n\xFF</a>"), Err(DecodeError::Malformed { line: 2, .. })));
    }

    #[test]
    fn xml_characters_are_checked_in_the_text_and_in_references() {
        let error = decode(b"<a>\n<b\x00c/></a>").expect_err("NUL in a name").to_string();
        assert_eq!(error, "line 2, column 3: U+0000 is not allowed in XML");
        let error = decode("<a>\u{9F}</a>".as_bytes()).expect_err("a C1 control").to_string();
        assert_eq!(error, "line 1, column 4: U+009F is not allowed in XML");
        assert_eq!(decode("<a>x\u{85}y</a>".as_bytes()).expect("NEL"), "<a>x\ny</a>");
        let mut reader = quick_xml::Reader::from_str("<a>&#xFFFE;&#x1F;&#x85;&#xE9;</a>");
        let mut refs = Vec::new();
        loop {
            match reader.read_event().expect("event") {
                quick_xml::events::Event::GeneralRef(r) => refs.push(reference(&r)),
                quick_xml::events::Event::Eof => break,
                _ => {}
            }
        }
        assert_eq!(refs[0], Err("character reference to U+FFFE, which XML 1.0 forbids".into()));
        assert_eq!(refs[1], Err("character reference to U+001F, which XML 1.0 forbids".into()));
        assert_eq!(refs[2..], [Ok('\n'), Ok('é')]);
    }
}
