//! A small element tree with resolved namespaces and line numbers, built
//! with bounded depth and no entity expansion beyond XML's predefined five.

use quick_xml::events::{BytesStart, Event};
use quick_xml::name::ResolveResult;

/// Deeper nesting than this is refused (no real XLIFF comes close).
pub const MAX_DEPTH: usize = 200;

pub const XML_NS: &str = "http://www.w3.org/XML/1998/namespace";

/// A namespace name: the ones Verso reads are shared statics, so a large
/// file does not hold a copy of the same URI in every element.
pub type Namespace = std::borrow::Cow<'static, str>;

/// Namespaces common enough to share.
const KNOWN_NAMESPACES: [&str; 12] = [
    XML_NS,
    "urn:oasis:names:tc:xliff:document:2.0",
    "urn:oasis:names:tc:xliff:document:2.1",
    "urn:oasis:names:tc:xliff:document:2.2",
    "urn:oasis:names:tc:xliff:document:1.2",
    "urn:oasis:names:tc:xliff:document:1.1",
    "urn:oasis:names:tc:xliff:matches:2.0",
    "urn:oasis:names:tc:xliff:metadata:2.0",
    "urn:oasis:names:tc:xliff:fs:2.0",
    "urn:oasis:names:tc:xliff:sizerestriction:2.0",
    "urn:oasis:names:tc:xliff:validation:2.0",
    "urn:iso:std:iso:30042:ed-2",
];

fn namespace(uri: &str) -> Namespace {
    match KNOWN_NAMESPACES.iter().find(|known| **known == uri) {
        Some(known) => Namespace::Borrowed(known),
        None => Namespace::Owned(uri.to_string()),
    }
}

/// Element and attribute names the XLIFF and TBX readers meet in every
/// unit, shared like namespaces.
const KNOWN_NAMES: [&str; 24] = [
    "unit",
    "segment",
    "source",
    "target",
    "trans-unit",
    "id",
    "state",
    "group",
    "ignorable",
    "note",
    "notes",
    "ph",
    "pc",
    "mrk",
    "g",
    "x",
    "bx",
    "ex",
    "sc",
    "ec",
    "approved",
    "lang",
    "space",
    "type",
];

fn name(local: &str) -> Namespace {
    match KNOWN_NAMES.iter().find(|known| **known == local) {
        Some(known) => Namespace::Borrowed(known),
        None => Namespace::Owned(local.to_string()),
    }
}

#[derive(Debug, Clone)]
pub struct Attribute {
    pub ns: Namespace,
    pub name: Namespace,
    pub value: String,
}

/// Elements are boxed: a node is then the size of a string, not of an
/// element, in every parent's list of children (the tree of a large XLIFF
/// file took twelve times the file before).
#[derive(Debug, Clone)]
pub enum Node {
    Element(Box<Element>),
    Text(String),
}

#[derive(Debug, Clone)]
pub struct Element {
    pub ns: Namespace,
    pub name: Namespace,
    pub attributes: Vec<Attribute>,
    pub children: Vec<Node>,
    pub line: usize,
}

impl Element {
    /// An attribute without a namespace (XLIFF's own), by name.
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attributes.iter().find(|a| a.ns.is_empty() && a.name == name).map(|a| a.value.as_str())
    }

    pub fn xml_attr(&self, name: &str) -> Option<&str> {
        self.attributes.iter().find(|a| a.ns == XML_NS && a.name == name).map(|a| a.value.as_str())
    }

    pub fn elements(&self) -> impl Iterator<Item = &Element> {
        self.children.iter().filter_map(|n| match n {
            Node::Element(e) => Some(&**e),
            Node::Text(_) => None,
        })
    }

    /// Child elements in `ns` named `name`.
    pub fn children_named<'a>(&'a self, ns: &'a str, name: &'a str) -> impl Iterator<Item = &'a Element> + 'a {
        self.elements().filter(move |e| e.ns == ns && e.name == name)
    }

    /// Every element below this one, depth first.
    pub fn descendants(&self) -> Vec<&Element> {
        let mut out = Vec::new();
        let mut stack: Vec<&Element> = self.elements().collect::<Vec<_>>().into_iter().rev().collect();
        while let Some(e) = stack.pop() {
            out.push(e);
            stack.extend(e.elements().collect::<Vec<_>>().into_iter().rev());
        }
        out
    }

    pub fn has_text(&self) -> bool {
        self.children.iter().any(|n| matches!(n, Node::Text(t) if !t.trim().is_empty()))
    }
}

/// Prefixes for namespaces an inline code's attributes may use when it is
/// written back on its own.
fn prefix_for(ns: &str) -> &str {
    match ns {
        XML_NS => "xml",
        "urn:oasis:names:tc:xliff:fs:2.0" => "fs",
        "urn:oasis:names:tc:xliff:sizerestriction:2.0" => "slr",
        "http://www.w3.org/2005/11/its" => "its",
        "urn:oasis:names:tc:xliff:itsm:2.1" => "itsm",
        _ => "ext",
    }
}

use crate::formats::export::escape_markup as escape;

impl Element {
    /// The element's start tag (or whole empty element when `empty`), with
    /// any namespace it needs declared on itself, so it stands alone.
    pub fn start_tag(&self, empty: bool) -> String {
        let mut out = format!("<{}", self.name);
        let mut declared: Vec<&str> = Vec::new();
        for a in &self.attributes {
            if a.ns.is_empty() {
                out.push_str(&format!(" {}=\"{}\"", a.name, escape(&a.value)));
            } else {
                let prefix = prefix_for(&a.ns);
                if a.ns != XML_NS && !declared.contains(&&*a.ns) {
                    out.push_str(&format!(" xmlns:{prefix}=\"{}\"", escape(&a.ns)));
                    declared.push(&a.ns);
                }
                out.push_str(&format!(" {prefix}:{}=\"{}\"", a.name, escape(&a.value)));
            }
        }
        out.push_str(if empty { "/>" } else { ">" });
        out
    }

    /// The element written out whole (text escaped), children included.
    pub fn to_xml(&self) -> String {
        if self.children.is_empty() {
            return self.start_tag(true);
        }
        let mut out = self.start_tag(false);
        for child in &self.children {
            match child {
                Node::Text(t) => out.push_str(&escape(t)),
                Node::Element(e) => out.push_str(&e.to_xml()),
            }
        }
        out.push_str(&format!("</{}>", self.name));
        out
    }
}

fn line_of(text: &str, byte: usize) -> usize {
    text.as_bytes()[..byte.min(text.len())].iter().filter(|&&b| b == b'\n').count() + 1
}

fn element(reader: &quick_xml::NsReader<&[u8]>, start: &BytesStart<'_>, line: usize) -> Result<Element, String> {
    let (resolved, _) = reader.resolver().resolve_element(start.name());
    let ns = match resolved {
        ResolveResult::Bound(ns) => namespace(ns.as_ref()),
        ResolveResult::Unbound => Namespace::Borrowed(""),
        ResolveResult::Unknown(prefix) => {
            return Err(format!("undeclared namespace prefix {prefix}"));
        }
    };
    let mut attributes = Vec::new();
    for attribute in start.attributes().with_checks(true) {
        let attribute = attribute.map_err(|e| e.to_string())?;
        let key = attribute.key;
        if key.as_ref() == "xmlns" || key.prefix().is_some_and(|p| p.as_ref() == "xmlns") {
            continue;
        }
        let (resolved, local) = reader.resolver().resolve_attribute(key);
        let ns = match resolved {
            ResolveResult::Bound(ns) => namespace(ns.as_ref()),
            ResolveResult::Unbound => Namespace::Borrowed(""),
            ResolveResult::Unknown(prefix) if prefix == "xml" => Namespace::Borrowed(XML_NS),
            ResolveResult::Unknown(prefix) => {
                return Err(format!("undeclared namespace prefix {prefix}"));
            }
        };
        let value = attribute
            .normalized_value(quick_xml::XmlVersion::Implicit1_0)
            .map_err(|e| format!("attribute {}: {e}", local.as_ref()))?
            .into_owned();
        attributes.push(Attribute { ns, name: name(local.as_ref()), value });
    }
    attributes.shrink_to_fit();
    Ok(Element { ns, name: name(start.local_name().as_ref()), attributes, children: Vec::new(), line })
}

/// Parses a whole document into its root element; errors carry a line.
/// Any DOCTYPE is refused (XLIFF has none).
pub fn parse(xml: &str) -> Result<Element, (usize, String)> {
    parse_with(xml, false)
}

/// Like [`parse`], but lets a DOCTYPE that only *names* an external DTD
/// through, as TBX and TMX files carry one. The DTD is never read, and a
/// DOCTYPE with an internal subset (where entities would be declared) is
/// still refused.
pub fn parse_naming_dtd(xml: &str) -> Result<Element, (usize, String)> {
    parse_with(xml, true)
}

/// Whether a DOCTYPE may pass: it names a DTD but declares nothing.
pub fn names_dtd_only(doctype: &[u8]) -> bool {
    !doctype.contains(&b'[')
}

fn parse_with(xml: &str, dtd_name_allowed: bool) -> Result<Element, (usize, String)> {
    let mut reader = quick_xml::NsReader::from_str(xml);
    reader.config_mut().check_end_names = true;
    let mut stack: Vec<Element> = Vec::new();
    let mut root: Option<Element> = None;
    // Lines are counted as the reader advances, not from the start each time.
    let (mut counted_to, mut line) = (0usize, 1usize);
    loop {
        let at = (reader.buffer_position() as usize).min(xml.len());
        line += xml.as_bytes()[counted_to.min(at)..at].iter().filter(|&&b| b == b'\n').count();
        counted_to = counted_to.max(at);
        let event = reader.read_event().map_err(|e| (line, format!("not well-formed XML: {e}")))?;
        let push_text = |stack: &mut Vec<Element>, text: String| -> Result<(), (usize, String)> {
            match stack.last_mut() {
                Some(parent) => {
                    if let Some(Node::Text(previous)) = parent.children.last_mut() {
                        previous.push_str(&text);
                    } else {
                        parent.children.push(Node::Text(text));
                    }
                    Ok(())
                }
                None if text.trim().is_empty() => Ok(()),
                None => Err((line, "text outside the root element".into())),
            }
        };
        match event {
            Event::DocType(doctype) if dtd_name_allowed && names_dtd_only(doctype.as_ref().as_bytes()) => {}
            Event::DocType(_) => {
                return Err((line, "DOCTYPE declarations are not allowed (entities are never expanded)".into()));
            }
            Event::Start(start) => {
                if stack.len() >= MAX_DEPTH {
                    return Err((line, format!("elements nested deeper than {MAX_DEPTH} levels")));
                }
                if root.is_some() {
                    return Err((line, "more than one root element".into()));
                }
                let e = element(&reader, &start, line).map_err(|m| (line, m))?;
                stack.push(e);
            }
            Event::Empty(start) => {
                if root.is_some() {
                    return Err((line, "more than one root element".into()));
                }
                let e = element(&reader, &start, line).map_err(|m| (line, m))?;
                match stack.last_mut() {
                    Some(parent) => parent.children.push(Node::Element(Box::new(e))),
                    None => root = Some(e),
                }
            }
            Event::End(_) => {
                let mut done = stack.pop().ok_or((line, "closing tag without an opening one".to_string()))?;
                // Closed: it grows no more, so it gives back what it reserved.
                done.children.shrink_to_fit();
                match stack.last_mut() {
                    Some(parent) => parent.children.push(Node::Element(Box::new(done))),
                    None => root = Some(done),
                }
            }
            Event::Text(text) => {
                let text = text.xml10_content().into_owned();
                push_text(&mut stack, text)?;
            }
            Event::CData(data) => {
                let text = data.as_ref().to_string();
                push_text(&mut stack, text)?;
            }
            Event::GeneralRef(reference) => {
                let c = crate::formats::xml::reference(&reference).map_err(|m| (line, m))?;
                push_text(&mut stack, c.to_string())?;
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if !stack.is_empty() {
        return Err((line_of(xml, xml.len()), format!("<{}> is never closed", stack[stack.len() - 1].name)));
    }
    root.ok_or((1, "no root element".into()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn namespaces_resolve_and_entities_are_refused() {
        let root = parse(r#"<a xmlns="urn:x" xmlns:m="urn:m" m:k="v" xml:lang="en"><m:b>t &amp; &#65;</m:b></a>"#)
            .expect("parse");
        assert_eq!((root.ns.as_ref(), root.name.as_ref()), ("urn:x", "a"));
        assert_eq!(root.xml_attr("lang"), Some("en"));
        let b = root.elements().next().expect("b");
        assert_eq!(b.ns, "urn:m");
        assert!(matches!(&b.children[0], Node::Text(t) if t == "t & A"));
        let bomb = "<!DOCTYPE a [<!ENTITY x \"xxxxxxxx\"><!ENTITY y \"&x;&x;&x;&x;\">]><a>&y;</a>";
        assert!(parse(bomb).expect_err("doctype").1.contains("DOCTYPE"));
        let external = "<!DOCTYPE a [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><a>&x;</a>";
        assert!(parse(external).is_err());
        assert!(parse("<a>&x;</a>").expect_err("entity").1.contains("&x;"));
        let deep = format!("{}{}", "<a>".repeat(MAX_DEPTH + 1), "</a>".repeat(MAX_DEPTH + 1));
        assert!(parse(&deep).expect_err("deep").1.contains("deeper"));
        assert_eq!(parse("<a>\n<b></a>").expect_err("mismatch").0, 2);
    }
}
