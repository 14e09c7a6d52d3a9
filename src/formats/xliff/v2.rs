//! XLIFF 2.0, 2.1 and 2.2: the core's structure and constraints (element
//! and attribute placement, required attributes, unique ids, value lists,
//! inline-code pairing, data references, languages), the Format Style
//! module's and a few other modules' simplest rules, reading and writing.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use super::{Bitext, ExportSegment, Segment, Unit, Version, XliffError, content, escape};
use crate::formats::xml::dom::{Element, Node, XML_NS};
use crate::revision::Status;

pub const NS_20: &str = "urn:oasis:names:tc:xliff:document:2.0";
pub const NS_22: &str = "urn:oasis:names:tc:xliff:document:2.2";
const FS: &str = "urn:oasis:names:tc:xliff:fs:2.0";
const SLR: &str = "urn:oasis:names:tc:xliff:sizerestriction:2.0";
const ITS: &str = "http://www.w3.org/2005/11/its";
const ITSM: &str = "urn:oasis:names:tc:xliff:itsm:2.1";

/// The key under which a unit's `<originalData>` is kept with its codes.
pub(super) const ORIGINAL_DATA: &str = "#originalData";

/// Namespaces of the XLIFF 2 modules (not free extensions).
pub(super) fn is_module(ns: &str) -> bool {
    ns.starts_with("urn:oasis:names:tc:xliff:") && ns != NS_20 && ns != NS_22 || ns == ITS
}

/// Inline elements that may appear in `source`, `target`, `pc` and `mrk`.
const INLINE: &[&str] = &["cp", "ph", "pc", "sc", "ec", "mrk", "sm", "em"];

/// For each core element: its attributes (without namespace), the core
/// children it may have, whether extension elements and attributes from
/// other namespaces may appear, and whether it holds text.
struct Model {
    attributes: &'static [&'static str],
    children: &'static [&'static str],
    extension_elements: bool,
    extension_attributes: bool,
    text: bool,
}

fn model(name: &str) -> Option<Model> {
    const CODE: &[&str] = &[
        "canCopy",
        "canDelete",
        "canReorder",
        "copyOf",
        "disp",
        "equiv",
        "id",
        "dataRef",
        "subFlows",
        "subType",
        "type",
    ];
    Some(match name {
        "xliff" => Model {
            attributes: &["version", "srcLang", "trgLang"],
            // 2.2 adds notes and module metadata for the whole document.
            children: &["file", "notes"],
            extension_elements: false,
            extension_attributes: true,
            text: false,
        },
        "file" => Model {
            attributes: &["id", "canResegment", "original", "translate", "srcDir", "trgDir"],
            children: &["skeleton", "notes", "unit", "group"],
            extension_elements: true,
            extension_attributes: true,
            text: false,
        },
        "skeleton" => Model {
            attributes: &["href"],
            children: &[],
            extension_elements: true,
            extension_attributes: false,
            text: true,
        },
        "group" => Model {
            attributes: &["id", "name", "canResegment", "translate", "srcDir", "trgDir", "type"],
            children: &["notes", "unit", "group"],
            extension_elements: true,
            extension_attributes: true,
            text: false,
        },
        "unit" => Model {
            attributes: &["id", "name", "canResegment", "translate", "srcDir", "trgDir", "type"],
            children: &["notes", "originalData", "segment", "ignorable"],
            extension_elements: true,
            extension_attributes: true,
            text: false,
        },
        "segment" => Model {
            attributes: &["id", "canResegment", "state", "subState"],
            children: &["source", "target"],
            extension_elements: false,
            extension_attributes: false,
            text: false,
        },
        "ignorable" => Model {
            attributes: &["id"],
            children: &["source", "target"],
            extension_elements: false,
            extension_attributes: false,
            text: false,
        },
        "notes" => Model {
            attributes: &[],
            children: &["note"],
            extension_elements: false,
            extension_attributes: false,
            text: false,
        },
        "note" => Model {
            // `ref` (to a segment or code the note is about) came with 2.2.
            attributes: &["id", "appliesTo", "category", "priority", "ref"],
            children: &[],
            extension_elements: false,
            extension_attributes: true,
            text: true,
        },
        "originalData" => Model {
            attributes: &[],
            children: &["data"],
            extension_elements: false,
            extension_attributes: false,
            text: false,
        },
        "data" => Model {
            attributes: &["id", "dir"],
            children: &["cp"],
            extension_elements: false,
            extension_attributes: false,
            text: true,
        },
        "source" => Model {
            attributes: &[],
            children: INLINE,
            extension_elements: false,
            extension_attributes: false,
            text: true,
        },
        "target" => Model {
            attributes: &["order"],
            children: INLINE,
            extension_elements: false,
            extension_attributes: false,
            text: true,
        },
        "cp" => Model {
            attributes: &["hex"],
            children: &[],
            extension_elements: false,
            extension_attributes: false,
            text: false,
        },
        "ph" => Model {
            attributes: CODE,
            children: &[],
            extension_elements: false,
            extension_attributes: false,
            text: false,
        },
        "pc" => Model {
            attributes: &[
                "canCopy",
                "canDelete",
                "canOverlap",
                "canReorder",
                "copyOf",
                "dispEnd",
                "dispStart",
                "equivEnd",
                "equivStart",
                "id",
                "dataRefEnd",
                "dataRefStart",
                "subFlowsEnd",
                "subFlowsStart",
                "subType",
                "type",
                "dir",
            ],
            children: INLINE,
            extension_elements: false,
            extension_attributes: false,
            text: true,
        },
        "sc" => Model {
            attributes: &[
                "canCopy",
                "canDelete",
                "canOverlap",
                "canReorder",
                "copyOf",
                "dataRef",
                "dir",
                "disp",
                "equiv",
                "id",
                "isolated",
                "subFlows",
                "subType",
                "type",
            ],
            children: &[],
            extension_elements: false,
            extension_attributes: false,
            text: false,
        },
        "ec" => Model {
            attributes: &[
                "canCopy",
                "canDelete",
                "canOverlap",
                "canReorder",
                "copyOf",
                "dataRef",
                "dir",
                "disp",
                "equiv",
                "id",
                "isolated",
                "startRef",
                "subFlows",
                "subType",
                "type",
            ],
            children: &[],
            extension_elements: false,
            extension_attributes: false,
            text: false,
        },
        "mrk" => Model {
            attributes: &["id", "translate", "type", "ref", "value"],
            children: INLINE,
            extension_elements: false,
            extension_attributes: true,
            text: true,
        },
        "sm" => Model {
            attributes: &["id", "translate", "type", "ref", "value"],
            children: &[],
            extension_elements: false,
            extension_attributes: true,
            text: false,
        },
        "em" => Model {
            attributes: &["startRef"],
            children: &[],
            extension_elements: false,
            extension_attributes: false,
            text: false,
        },
        _ => return None,
    })
}

/// `xml:` attributes each core element accepts.
fn xml_attributes(name: &str) -> &'static [&'static str] {
    match name {
        "xliff" | "file" | "group" | "unit" => &["space", "lang"],
        "data" => &["space"],
        "source" | "target" | "note" => &["lang", "space"],
        _ => &[],
    }
}

/// Module attributes allowed on inline codes (the Format Style, Size and
/// Length Restriction and ITS modules); other extensions are not.
fn module_attribute_on_code(ns: &str) -> bool {
    ns == FS || ns == SLR || ns == ITS || ns == ITSM
}

struct Check<'a> {
    path: &'a Path,
    ns: &'a str,
}

impl Check<'_> {
    fn fail<T>(&self, line: usize, message: impl Into<String>) -> Result<T, XliffError> {
        Err(XliffError::at(self.path, line, message))
    }

    /// Structure: every core element in its place with its attributes.
    fn structure(&self, e: &Element) -> Result<(), XliffError> {
        let Some(m) = model(&e.name) else {
            return self.fail(e.line, format!("<{}> is not an XLIFF 2 core element", e.name));
        };
        for a in &e.attributes {
            let allowed = if a.ns.is_empty() {
                m.attributes.contains(&a.name.as_ref())
            } else if a.ns == XML_NS {
                xml_attributes(&e.name).contains(&a.name.as_ref())
            } else if matches!(e.name.as_ref(), "ph" | "pc" | "sc" | "ec") {
                module_attribute_on_code(&a.ns)
            } else if matches!(e.name.as_ref(), "segment" | "source" | "target" | "ignorable") {
                false
            } else {
                m.extension_attributes || is_module(&a.ns)
            };
            if !allowed {
                return self.fail(e.line, format!("attribute {} is not allowed on <{}>", a.name, e.name));
            }
        }
        if !m.text && e.has_text() {
            return self.fail(e.line, format!("<{}> cannot contain text", e.name));
        }
        for child in e.elements() {
            if child.ns == self.ns {
                if !m.children.contains(&child.name.as_ref()) {
                    return self.fail(child.line, format!("<{}> is not allowed inside <{}>", child.name, e.name));
                }
                self.structure(child)?;
            } else if !(m.extension_elements
                || (is_module(&child.ns) && matches!(e.name.as_ref(), "xliff" | "file" | "group" | "unit")))
            {
                return self.fail(
                    child.line,
                    format!("extension element <{}> is not allowed inside <{}>", child.name, e.name),
                );
            }
        }
        Ok(())
    }
}

pub(super) fn is_nmtoken(value: &str) -> bool {
    !value.is_empty() && value.chars().all(|c| c.is_alphanumeric() || matches!(c, '.' | '-' | '_' | ':'))
}

/// BCP 47 syntax (not the registry): letters, digits and hyphens in
/// subtags of 1–8, the first alphabetic.
pub(super) fn is_language_tag(tag: &str) -> bool {
    let mut parts = tag.split('-');
    let first = parts.next().unwrap_or_default();
    (2..=8).contains(&first.len())
        && first.chars().all(|c| c.is_ascii_alphabetic())
        && parts.all(|p| (1..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric()))
}

fn yes_no(value: &str) -> bool {
    matches!(value, "yes" | "no")
}

/// `prefix:value` with an NMTOKEN-like prefix; the `xlf` prefix is reserved.
fn prefixed(value: &str) -> bool {
    value.split_once(':').is_some_and(|(p, v)| !p.is_empty() && !v.is_empty() && is_nmtoken(p))
}

pub fn read(path: &Path, root: &Element) -> Result<Bitext, XliffError> {
    let check = Check { path, ns: root.ns.as_ref() };
    if root.name != "xliff" {
        return check.fail(root.line, format!("the root element is <{}>, not <xliff>", root.name));
    }
    let version = root.attr("version").ok_or_else(|| XliffError::at(path, root.line, "<xliff> has no version"))?;
    let minor = match (version, root.ns.as_ref()) {
        ("2.0", NS_20) => 0,
        ("2.1", NS_20) => 1,
        ("2.1" | "2.2", NS_22) => 2,
        (v, ns) => return check.fail(root.line, format!("version {v} does not match namespace {ns}")),
    };
    let source_lang =
        root.attr("srcLang").ok_or_else(|| XliffError::at(path, root.line, "<xliff> has no srcLang"))?.to_string();
    if !is_language_tag(&source_lang) {
        return check.fail(root.line, format!("srcLang \"{source_lang}\" is not a well-formed language tag"));
    }
    let target_lang = root.attr("trgLang").map(str::to_string);
    if let Some(tag) = &target_lang
        && !is_language_tag(tag)
    {
        return check.fail(root.line, format!("trgLang \"{tag}\" is not a well-formed language tag"));
    }
    check.structure(root)?;
    let files: Vec<&Element> = root.children_named(check.ns, "file").collect();
    if files.is_empty() {
        return check.fail(root.line, "<xliff> has no <file>");
    }
    let mut file_ids = HashSet::new();
    let mut units = Vec::new();
    for file in &files {
        let id = file.attr("id").ok_or_else(|| XliffError::at(path, file.line, "<file> has no id"))?;
        if !file_ids.insert(id) {
            return check.fail(file.line, format!("file id \"{id}\" is used twice"));
        }
        check_ids_and_values(&check, file)?;
        let unit_ids: HashSet<String> = file
            .descendants()
            .into_iter()
            .filter(|e| e.ns == check.ns && e.name == "unit")
            .filter_map(|e| e.attr("id").map(str::to_string))
            .collect();
        for e in std::iter::once(*file).chain(file.descendants()) {
            let broken = super::rules::element(check.ns, e, &source_lang).err().or_else(|| {
                (e.ns == check.ns && e.name == "unit")
                    .then(|| super::rules::unit(check.ns, e, &unit_ids).err())
                    .flatten()
            });
            if let Some((line, message)) = broken {
                return check.fail(line, message);
            }
        }
        if !file.elements().any(|e| e.ns == check.ns && matches!(e.name.as_ref(), "unit" | "group")) {
            return check.fail(file.line, "<file> has no <unit> or <group>");
        }
        let prefix = if files.len() > 1 { format!("{id}/") } else { String::new() };
        let top = Inherited { lang: root.xml_attr("lang"), space: root.xml_attr("space").unwrap_or("default") };
        collect_units(&check, file, &prefix, (&source_lang, target_lang.as_deref()), top, &mut units)?;
    }
    Ok(Bitext { version: Version::V2 { minor }, source_lang, target_lang, units })
}

/// Constraints within one file: ids, attribute values, notes, skeletons.
fn check_ids_and_values(check: &Check<'_>, file: &Element) -> Result<(), XliffError> {
    let mut group_unit_ids = HashSet::new();
    for e in std::iter::once(file).chain(file.descendants()) {
        if e.ns != check.ns {
            continue;
        }
        for name in ["translate", "canResegment", "canCopy", "canDelete", "canOverlap", "isolated"] {
            if let Some(v) = e.attr(name)
                && !yes_no(v)
            {
                return check.fail(e.line, format!("{name}=\"{v}\" must be yes or no"));
            }
        }
        if let Some(v) = e.attr("canReorder")
            && !matches!(v, "yes" | "no" | "firstNo")
        {
            return check.fail(e.line, format!("canReorder=\"{v}\" must be yes, no or firstNo"));
        }
        for name in ["srcDir", "trgDir", "dir"] {
            if let Some(v) = e.attr(name)
                && !matches!(v, "ltr" | "rtl" | "auto")
            {
                return check.fail(e.line, format!("{name}=\"{v}\" must be ltr, rtl or auto"));
            }
        }
        if let Some(v) = e.xml_attr("space")
            && !matches!(v, "default" | "preserve")
        {
            return check.fail(e.line, format!("xml:space=\"{v}\" must be default or preserve"));
        }
        if let Some(v) = e.xml_attr("lang")
            && !is_language_tag(v)
        {
            return check.fail(e.line, format!("xml:lang \"{v}\" is not a well-formed language tag"));
        }
        if let Some(id) = e.attr("id")
            && !is_nmtoken(id)
        {
            return check.fail(e.line, format!("id \"{id}\" is not an NMTOKEN"));
        }
        match e.name.as_ref() {
            "group" | "unit" => {
                let id = e
                    .attr("id")
                    .ok_or_else(|| XliffError::at(check.path, e.line, format!("<{}> has no id", e.name)))?;
                if !group_unit_ids.insert(id) {
                    return check.fail(e.line, format!("id \"{id}\" is used by two groups or units in this file"));
                }
            }
            "notes" => {
                let mut ids = HashSet::new();
                for note in e.children_named(check.ns, "note") {
                    if let Some(id) = note.attr("id")
                        && !ids.insert(id)
                    {
                        return check.fail(note.line, format!("note id \"{id}\" is used twice"));
                    }
                    if let Some(v) = note.attr("appliesTo")
                        && !matches!(v, "source" | "target")
                    {
                        return check.fail(note.line, format!("appliesTo=\"{v}\" must be source or target"));
                    }
                    if let Some(v) = note.attr("priority")
                        && !v.parse::<u8>().is_ok_and(|p| (1..=10).contains(&p))
                    {
                        return check.fail(note.line, format!("priority=\"{v}\" must be 1 to 10"));
                    }
                }
                if ids.is_empty() && e.children_named(check.ns, "note").next().is_none() {
                    return check.fail(e.line, "<notes> holds no <note>");
                }
            }
            "skeleton" => {
                let has_content = e.has_text() || e.elements().next().is_some();
                match (e.attr("href"), has_content) {
                    (Some(_), true) => return check.fail(e.line, "<skeleton> has both an href and content"),
                    (None, false) => return check.fail(e.line, "<skeleton> has neither an href nor content"),
                    _ => {}
                }
            }
            "segment" => {
                if let Some(v) = e.attr("state")
                    && !matches!(v, "initial" | "translated" | "reviewed" | "final")
                {
                    return check.fail(e.line, format!("state=\"{v}\" must be initial, translated, reviewed or final"));
                }
                if let Some(v) = e.attr("subState") {
                    if e.attr("state").is_none() {
                        return check.fail(e.line, "subState without state");
                    }
                    if !prefixed(v) {
                        return check.fail(e.line, format!("subState=\"{v}\" must be prefix:value"));
                    }
                }
            }
            "ph" | "pc" | "sc" | "ec" => check_code_attributes(check, e)?,
            "mrk" | "sm" => {
                if let Some(v) = e.attr("type")
                    && !matches!(v, "generic" | "comment" | "term")
                    && !prefixed(v)
                {
                    return check
                        .fail(e.line, format!("marker type=\"{v}\" must be generic, comment, term or prefix:value"));
                }
                if e.attr("type") == Some("comment") {
                    let (value, reference) = (e.attr("value"), e.attr("ref"));
                    if value.is_some() == reference.is_some() {
                        return check.fail(e.line, "a comment annotation needs exactly one of value and ref");
                    }
                }
                if e.attr("id").is_none() {
                    return check.fail(e.line, format!("<{}> has no id", e.name));
                }
            }
            "cp" => {
                let hex = e.attr("hex").unwrap_or_default();
                let value = u32::from_str_radix(hex, 16).ok().filter(|_| (1..=6).contains(&hex.len()));
                let Some(value) = value else {
                    return check.fail(e.line, format!("hex=\"{hex}\" is not a hexadecimal code point"));
                };
                let allowed_in_xml =
                    matches!(value, 0x9 | 0xA | 0xD | 0x20..=0xD7FF | 0xE000..=0xFFFD | 0x10000..=0x10FFFF);
                if allowed_in_xml || value > 0x10FFFF || (0xD800..=0xDFFF).contains(&value) || value == 0 {
                    return check
                        .fail(e.line, format!("<cp hex=\"{hex}\"> must stand for a character XML cannot hold"));
                }
            }
            _ => {}
        }
        for a in &e.attributes {
            if a.ns == FS {
                check_fs(check, e, &a.name, &a.value)?;
            }
        }
    }
    Ok(())
}

fn check_code_attributes(check: &Check<'_>, e: &Element) -> Result<(), XliffError> {
    if let Some(t) = e.attr("type")
        && !matches!(t, "fmt" | "ui" | "quote" | "link" | "image" | "other")
    {
        return check.fail(e.line, format!("type=\"{t}\" must be fmt, ui, quote, link, image or other"));
    }
    if let Some(sub) = e.attr("subType") {
        let Some(t) = e.attr("type") else {
            return check.fail(e.line, "subType without type");
        };
        if !prefixed(sub) {
            return check.fail(e.line, format!("subType=\"{sub}\" must be prefix:value"));
        }
        let fits = match sub {
            "xlf:lb" | "xlf:pb" => t == "fmt",
            "xlf:b" | "xlf:i" | "xlf:u" => t == "fmt",
            "xlf:var" => t == "ui",
            s if s.starts_with("xlf:") => false,
            _ => true,
        };
        if !fits {
            return check.fail(e.line, format!("subType=\"{sub}\" does not go with type=\"{t}\""));
        }
    }
    let isolated = e.attr("isolated") == Some("yes");
    if e.name == "ec" {
        match (e.attr("startRef"), e.attr("id"), isolated) {
            (Some(_), _, true) => return check.fail(e.line, "an isolated <ec> cannot have startRef"),
            (None, None, _) => return check.fail(e.line, "<ec> needs startRef, or isolated=\"yes\" with an id"),
            (None, Some(_), false) => return check.fail(e.line, "<ec> with an id must be isolated=\"yes\""),
            (Some(_), Some(_), false) => return check.fail(e.line, "a paired <ec> has startRef, not an id"),
            _ => {}
        }
    } else if e.attr("id").is_none() {
        return check.fail(e.line, format!("<{}> has no id", e.name));
    }
    if e.attr("copyOf").is_some() && (e.attr("dataRef").is_some() || e.attr("dataRefStart").is_some()) {
        return check.fail(e.line, format!("<{}> has both copyOf and original data", e.name));
    }
    Ok(())
}

/// The Format Style module: fs:fs names an HTML element, fs:subFs needs fs:fs.
fn check_fs(check: &Check<'_>, e: &Element, name: &str, value: &str) -> Result<(), XliffError> {
    const HTML: &[&str] = &[
        "a",
        "abbr",
        "address",
        "area",
        "article",
        "aside",
        "audio",
        "b",
        "base",
        "bdi",
        "bdo",
        "blockquote",
        "body",
        "br",
        "button",
        "canvas",
        "caption",
        "cite",
        "code",
        "col",
        "colgroup",
        "data",
        "datalist",
        "dd",
        "del",
        "details",
        "dfn",
        "dialog",
        "div",
        "dl",
        "dt",
        "em",
        "embed",
        "fieldset",
        "figcaption",
        "figure",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "head",
        "header",
        "hr",
        "html",
        "i",
        "iframe",
        "img",
        "input",
        "ins",
        "kbd",
        "label",
        "legend",
        "li",
        "link",
        "main",
        "map",
        "mark",
        "meta",
        "meter",
        "nav",
        "noscript",
        "object",
        "ol",
        "optgroup",
        "option",
        "output",
        "p",
        "param",
        "pre",
        "progress",
        "q",
        "rp",
        "rt",
        "ruby",
        "s",
        "samp",
        "script",
        "section",
        "select",
        "small",
        "source",
        "span",
        "strong",
        "style",
        "sub",
        "summary",
        "sup",
        "table",
        "tbody",
        "td",
        "template",
        "textarea",
        "tfoot",
        "th",
        "thead",
        "time",
        "title",
        "tr",
        "track",
        "u",
        "ul",
        "var",
        "video",
        "wbr",
    ];
    match name {
        "fs" if !HTML.contains(&value) => check.fail(e.line, format!("fs:fs=\"{value}\" is not an HTML element")),
        "subFs" if !e.attributes.iter().any(|a| a.ns == FS && a.name == "fs") => {
            check.fail(e.line, "fs:subFs without fs:fs")
        }
        "fs" | "subFs" => Ok(()),
        other => check.fail(e.line, format!("fs:{other} is not a Format Style attribute")),
    }
}

/// What `xml:lang` and `xml:space` an element inherits from above.
#[derive(Clone, Copy)]
struct Inherited<'a> {
    lang: Option<&'a str>,
    space: &'a str,
}

impl<'a> Inherited<'a> {
    fn below(self, e: &'a Element) -> Inherited<'a> {
        Inherited { lang: e.xml_attr("lang").or(self.lang), space: e.xml_attr("space").unwrap_or(self.space) }
    }
}

fn collect_units(
    check: &Check<'_>,
    parent: &Element,
    prefix: &str,
    langs: (&str, Option<&str>),
    inherited: Inherited<'_>,
    out: &mut Vec<Unit>,
) -> Result<(), XliffError> {
    let inherited = inherited.below(parent);
    check_order(check, parent)?;
    for e in parent.elements().filter(|e| e.ns == check.ns) {
        match e.name.as_ref() {
            "group" => collect_units(check, e, prefix, langs, inherited, out)?,
            "unit" => {
                check_order(check, e)?;
                out.push(unit(check, e, prefix, langs, inherited.below(e))?);
            }
            _ => {}
        }
    }
    Ok(())
}

/// The order of a container's children: skeleton, extensions, notes,
/// original data, then content.
fn check_order(check: &Check<'_>, e: &Element) -> Result<(), XliffError> {
    let rank = |c: &Element| -> u8 {
        if c.ns != check.ns {
            return 1;
        }
        match c.name.as_ref() {
            "skeleton" => 0,
            "notes" => 2,
            "originalData" => 3,
            _ => 4,
        }
    };
    let mut highest = 0;
    for child in e.elements() {
        let r = rank(child);
        if r < highest {
            return check.fail(child.line, format!("<{}> is out of place inside <{}>", child.name, e.name));
        }
        highest = r;
    }
    Ok(())
}

fn unit(
    check: &Check<'_>,
    e: &Element,
    prefix: &str,
    (source_lang, target_lang): (&str, Option<&str>),
    inherited: Inherited<'_>,
) -> Result<Unit, XliffError> {
    let id = e.attr("id").unwrap_or_default();
    let parts: Vec<&Element> =
        e.elements().filter(|c| c.ns == check.ns && matches!(c.name.as_ref(), "segment" | "ignorable")).collect();
    if !parts.iter().any(|p| p.name == "segment") {
        return check.fail(e.line, format!("unit \"{id}\" has no <segment>"));
    }
    // Ids shared by segments, ignorables and inline elements of a unit.
    let mut ids = HashSet::new();
    for part in &parts {
        if let Some(pid) = part.attr("id")
            && !ids.insert(pid.to_string())
        {
            return check.fail(part.line, format!("id \"{pid}\" is used twice in unit \"{id}\""));
        }
    }
    let data: HashMap<&str, usize> = {
        let mut data = HashMap::new();
        for original in e.children_named(check.ns, "originalData") {
            if original.children_named(check.ns, "data").next().is_none() {
                return check.fail(original.line, "<originalData> holds no <data>");
            }
            for d in original.children_named(check.ns, "data") {
                let did = d.attr("id").ok_or_else(|| XliffError::at(check.path, d.line, "<data> has no id"))?;
                if data.insert(did, d.line).is_some() {
                    return check.fail(d.line, format!("data id \"{did}\" is used twice"));
                }
            }
        }
        data
    };
    let mut orders = HashSet::new();
    let mut segments = Vec::new();
    // Codes and markers may open in one segment and close in a later one.
    let (mut source_pairs, mut target_pairs) = (Pairing::default(), Pairing::default());
    for part in &parts {
        let sources: Vec<&Element> = part.children_named(check.ns, "source").collect();
        let targets: Vec<&Element> = part.children_named(check.ns, "target").collect();
        if sources.len() != 1 {
            return check.fail(part.line, format!("<{}> must have exactly one <source>", part.name));
        }
        if targets.len() > 1 {
            return check.fail(part.line, format!("<{}> has more than one <target>", part.name));
        }
        if let Some(first) = part.elements().next()
            && first.name != "source"
        {
            return check.fail(first.line, "<source> must come before <target>");
        }
        let source_inherits = inherited.below(sources[0]);
        if let Some(lang) = source_inherits.lang
            && lang != source_lang
        {
            return check
                .fail(sources[0].line, format!("source xml:lang \"{lang}\" differs from srcLang \"{source_lang}\""));
        }
        if let Some(target) = targets.first() {
            let Some(trg) = target_lang else {
                return check.fail(target.line, "a <target> needs trgLang on <xliff>");
            };
            let target_inherits = inherited.below(target);
            if let Some(lang) = target.xml_attr("lang").or(inherited.lang)
                && lang != trg
            {
                return check.fail(target.line, format!("target xml:lang \"{lang}\" differs from trgLang \"{trg}\""));
            }
            if target_inherits.space != source_inherits.space {
                return check.fail(target.line, "source and target have different xml:space");
            }
            let implicit = parts.iter().position(|p| std::ptr::eq(*p, *part)).unwrap_or(0) + 1;
            let order = match target.attr("order") {
                Some(order) => {
                    order.parse::<usize>().ok().filter(|o| (1..=parts.len()).contains(o)).ok_or_else(|| {
                        XliffError::at(
                            check.path,
                            target.line,
                            format!("order=\"{order}\" is outside 1–{}", parts.len()),
                        )
                    })?
                }
                None => implicit,
            };
            if !orders.insert(order) {
                return check.fail(target.line, format!("two targets of this unit take place {order}"));
            }
        }
        check_inline(check, sources[0], &mut ids, &data, &mut source_pairs, false)?;
        if let Some(target) = targets.first() {
            check_inline(check, target, &mut ids, &data, &mut target_pairs, true)?;
        }
        if part.name == "segment" {
            let mut codes = Vec::new();
            segments.push(Segment {
                id: part.attr("id").map(str::to_string),
                source: inline_text(sources[0], &mut codes),
                target: targets.first().map(|t| inline_text(t, &mut codes)),
                codes,
                status: part.attr("subState").and_then(verso_status).or_else(|| part.attr("state").map(xliff_status)),
            });
        }
    }
    // Codes that point into <originalData> need it back on export, where
    // each segment becomes a unit of its own: every segment carries it.
    if let Some(original) = e.children_named(check.ns, "originalData").next() {
        let xml = original.to_xml();
        for segment in &mut segments {
            segment.codes.push((ORIGINAL_DATA.to_string(), xml.clone()));
        }
    }
    source_pairs.finish(check, e.line)?;
    target_pairs.finish(check, e.line)?;
    let notes = e
        .children_named(check.ns, "notes")
        .flat_map(|n| n.children_named(check.ns, "note"))
        .map(|n| inline_text(n, &mut Vec::new()))
        .collect();
    Ok(Unit { id: format!("{prefix}{id}"), segments, notes })
}

/// Inline codes: unique ids, start/end pairing, references to data.
/// Start and end codes and markers still open, across a unit's segments.
#[derive(Default)]
struct Pairing {
    open_sc: HashMap<String, usize>,
    seen_sc: HashSet<String>,
    open_sm: HashMap<String, usize>,
}

impl Pairing {
    fn finish(self, check: &Check<'_>, unit_line: usize) -> Result<(), XliffError> {
        if let Some((id, line)) = self.open_sc.into_iter().next() {
            return check.fail(line, format!("<sc id=\"{id}\"> is never closed and not isolated"));
        }
        if let Some((id, line)) = self.open_sm.into_iter().next() {
            return check.fail(line.max(unit_line), format!("<sm id=\"{id}\"> has no <em>"));
        }
        Ok(())
    }
}

fn check_inline(
    check: &Check<'_>,
    side: &Element,
    ids: &mut HashSet<String>,
    data: &HashMap<&str, usize>,
    pairs: &mut Pairing,
    is_target: bool,
) -> Result<(), XliffError> {
    let Pairing { open_sc, seen_sc, open_sm } = pairs;
    for e in side.descendants() {
        if e.ns != check.ns {
            continue;
        }
        if let Some(id) = e.attr("id")
            && matches!(e.name.as_ref(), "ph" | "pc" | "sc" | "ec" | "mrk" | "sm")
            && !ids.insert(id.to_string())
            && !is_target
        {
            return check.fail(e.line, format!("id \"{id}\" is used twice in this unit"));
        }
        for name in ["dataRef", "dataRefStart", "dataRefEnd"] {
            if let Some(reference) = e.attr(name)
                && !data.contains_key(reference)
            {
                return check.fail(e.line, format!("{name}=\"{reference}\" names no <data> in this unit"));
            }
        }
        match e.name.as_ref() {
            "sc" => {
                let id = e.attr("id").unwrap_or_default().to_string();
                if e.attr("isolated") != Some("yes") {
                    open_sc.insert(id.clone(), e.line);
                }
                seen_sc.insert(id);
            }
            "ec" => {
                if let Some(start) = e.attr("startRef")
                    && open_sc.remove(start).is_none()
                {
                    let message = if seen_sc.contains(start) {
                        format!("<ec startRef=\"{start}\"> refers to an isolated <sc>")
                    } else {
                        format!("<ec startRef=\"{start}\"> comes before, or without, its <sc>")
                    };
                    return check.fail(e.line, message);
                }
            }
            "sm" => {
                open_sm.insert(e.attr("id").unwrap_or_default().to_string(), e.line);
            }
            "em" => {
                let start = e.attr("startRef").unwrap_or_default();
                if open_sm.remove(start).is_none() {
                    return check.fail(e.line, format!("<em startRef=\"{start}\"> has no <sm> before it"));
                }
            }
            _ => {}
        }
    }
    Ok(())
}

/// The text of a source or target with each inline code as a placeholder
/// (`⟦id⟧`, `⟦/id⟧` for ends) and its original XML collected in `codes`.
fn inline_text(e: &Element, codes: &mut Vec<(String, String)>) -> String {
    let mut out = String::new();
    for child in &e.children {
        match child {
            Node::Text(t) => out.push_str(t),
            Node::Element(c) if c.name == "cp" => {
                if let Some(ch) = c.attr("hex").and_then(|h| u32::from_str_radix(h, 16).ok()).and_then(char::from_u32) {
                    out.push(ch);
                }
            }
            Node::Element(c) if matches!(c.name.as_ref(), "pc" | "mrk") => {
                let id = c.attr("id").unwrap_or_default().to_string();
                keep(codes, &mut out, id.clone(), c.start_tag(false));
                let inner = inline_text(c, codes);
                out.push_str(&inner);
                keep(codes, &mut out, format!("/{id}"), format!("</{}>", c.name));
            }
            Node::Element(c) => {
                let marker = match (c.attr("startRef"), c.attr("id")) {
                    (Some(start), _) => format!("/{start}"),
                    (None, Some(id)) => id.to_string(),
                    (None, None) => continue,
                };
                keep(codes, &mut out, marker, c.to_xml());
            }
        }
    }
    out
}

/// Writes a placeholder and remembers its code's XML (the first seen wins).
pub(super) fn keep(codes: &mut Vec<(String, String)>, out: &mut String, marker: String, xml: String) {
    out.push_str(&crate::text::placeholder(&marker));
    if !codes.iter().any(|(m, _)| *m == marker) {
        codes.push((marker, xml));
    }
}

fn xliff_status(state: &str) -> Status {
    match state {
        "translated" => Status::Translated,
        "reviewed" => Status::Reviewed,
        "final" => Status::Approved,
        _ => Status::Draft,
    }
}

/// Verso's exact status, kept in `subState="verso:…"` on export.
fn verso_status(sub: &str) -> Option<Status> {
    sub.strip_prefix("verso:").and_then(Status::parse)
}

fn state_of(status: Status) -> &'static str {
    match status {
        Status::New | Status::Draft | Status::Rejected => "initial",
        Status::Translated => "translated",
        Status::Reviewed => "reviewed",
        Status::Approved => "final",
    }
}

pub fn write(original: &str, source_lang: &str, target_lang: &str, segments: &[ExportSegment<'_>]) -> String {
    let mut out = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<xliff xmlns=\"{NS_20}\" version=\"2.1\" srcLang=\"{}\" trgLang=\"{}\">\n <file id=\"f1\" original=\"{}\">\n",
        escape(source_lang),
        escape(target_lang),
        escape(original)
    );
    for segment in segments {
        out.push_str(&format!("  <unit id=\"u{}\">\n", segment.id));
        if !segment.comments.is_empty() {
            out.push_str("   <notes>\n");
            for comment in &segment.comments {
                out.push_str(&format!("    <note category=\"comment\">{}</note>\n", escape(comment)));
            }
            out.push_str("   </notes>\n");
        }
        if let Some(original) = segment.codes.get(ORIGINAL_DATA) {
            out.push_str(&format!("   {original}\n"));
        }
        let state = match segment.target {
            Some(_) => {
                format!(" state=\"{}\" subState=\"verso:{}\"", state_of(segment.status), segment.status.as_str())
            }
            None => String::new(),
        };
        let version = Version::V2 { minor: 1 };
        out.push_str(&format!(
            "   <segment id=\"s{}\"{state}>\n    <source>{}</source>\n",
            segment.id,
            content(segment.source, &segment.codes, version)
        ));
        if let Some(target) = segment.target {
            out.push_str(&format!("    <target>{}</target>\n", content(target, &segment.codes, version)));
        }
        out.push_str("   </segment>\n  </unit>\n");
    }
    out.push_str(" </file>\n</xliff>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn language_tags_are_checked_for_syntax() {
        assert!(is_language_tag("en") && is_language_tag("zh-Hant-TW") && is_language_tag("de-CH-1996"));
        assert!(
            !is_language_tag("e") && !is_language_tag("en_US") && !is_language_tag("en-") && !is_language_tag("123")
        );
    }

    #[test]
    fn module_namespaces_are_not_free_extensions() {
        assert!(
            is_module(FS) && is_module(SLR) && is_module(ITSM) && is_module("urn:oasis:names:tc:xliff:matches:2.0")
        );
        assert!(!is_module("urn:my") && !is_module(NS_20));
    }
}
