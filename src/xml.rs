//! What every XML reader in Verso does the same way: entity references.
//! Only the five predefined entities and character references are
//! resolved; any other entity is refused, never looked up (no XXE).

use quick_xml::events::BytesRef;

/// The character an entity or character reference stands for, or why it
/// is refused.
pub fn reference(r: &BytesRef<'_>) -> Result<char, String> {
    if r.is_char_ref() {
        let c = r.resolve_char_ref().map_err(|e| e.to_string())?.ok_or("invalid character reference")?;
        if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') {
            return Err(format!("character reference to U+{:04X}, which XML 1.0 forbids", c as u32));
        }
        return Ok(c);
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
