//! XLIFF 2 constraints beyond structure: fragment identifiers, editing
//! hints on inline codes (copy, delete, reorder), sub-flows, extension ids,
//! and the modules' own rules (matches, glossary, metadata, resource data,
//! size restriction, validation, change tracking).

use std::collections::HashSet;

use super::v2::is_nmtoken;
use crate::formats::xml::dom::{Element, XML_NS};

const FS: &str = "urn:oasis:names:tc:xliff:fs:2.0";
const MTC: &str = "urn:oasis:names:tc:xliff:matches:2.0";
const GLS: &str = "urn:oasis:names:tc:xliff:glossary:2.0";
const MDA: &str = "urn:oasis:names:tc:xliff:metadata:2.0";
const RES: &str = "urn:oasis:names:tc:xliff:resourcedata:2.0";
const CTR: &str = "urn:oasis:names:tc:xliff:changetracking:2.0";
const SLR: &str = "urn:oasis:names:tc:xliff:sizerestriction:2.0";
const VAL: &str = "urn:oasis:names:tc:xliff:validation:2.0";

/// A rule broken: the line and what is wrong.
pub type Broken = (usize, String);

fn fail<T>(e: &Element, message: impl Into<String>) -> Result<T, Broken> {
    Err((e.line, message.into()))
}

/// Selector prefixes a fragment identifier may use: the core's and the
/// modules', plus TBX, which the OASIS suites register.
const PREFIXES: &[&str] = &["f", "g", "u", "n", "d", "t", "mtc", "gls", "mda", "res", "ctr", "slr", "val", "tbx"];

/// Checks a fragment identifier (`#/f=f1/u=1/n=n1`, `#m1`).
pub fn fragment(value: &str) -> Result<(), String> {
    let body = value.strip_prefix('#').ok_or_else(|| format!("\"{value}\" is not a fragment identifier"))?;
    let body = body.strip_prefix('/').unwrap_or(body);
    let parts: Vec<&str> = body.split('/').collect();
    let rank = |prefix: &str| match prefix {
        "f" => 0,
        "g" => 1,
        "u" => 2,
        _ => 3,
    };
    let mut last_rank = 0;
    let mut seen = HashSet::new();
    for (index, part) in parts.iter().enumerate() {
        let is_last = index + 1 == parts.len();
        let (prefix, id) = match part.split_once('=') {
            Some((prefix, id)) => (Some(prefix), id),
            None => (None, *part),
        };
        if id.is_empty() || !is_nmtoken(id) {
            return Err(format!("\"{value}\": \"{part}\" is not a valid selector"));
        }
        match prefix {
            None if !is_last => return Err(format!("\"{value}\": only the last selector may be a bare id")),
            None => {}
            Some(prefix) => {
                if !PREFIXES.contains(&prefix) {
                    return Err(format!("\"{value}\": unknown prefix \"{prefix}\""));
                }
                let r = rank(prefix);
                if r < last_rank || (prefix != "g" && !seen.insert(prefix)) {
                    return Err(format!("\"{value}\": selectors out of order or repeated"));
                }
                if r == 3 && !is_last {
                    return Err(format!("\"{value}\": \"{prefix}=\" must be the last selector"));
                }
                last_rank = r;
            }
        }
    }
    Ok(())
}

fn yes(e: &Element, name: &str) -> bool {
    e.attr(name) != Some("no")
}

fn is_code(e: &Element, core: &str) -> bool {
    e.ns == core && matches!(e.name.as_ref(), "ph" | "pc" | "sc" | "ec")
}

/// The key a code is matched by between source and target: its id, or
/// for a paired end code its start's id.
fn code_key(e: &Element) -> Option<String> {
    e.attr("id").map(str::to_string).or_else(|| e.attr("startRef").map(|s| format!("/{s}")))
}

/// Rules within one unit: editing hints, copies, comments, sub-flows.
pub fn unit(core: &str, unit: &Element, unit_ids: &HashSet<String>) -> Result<(), Broken> {
    let segments: Vec<&Element> =
        unit.elements().filter(|e| e.ns == core && matches!(e.name.as_ref(), "segment" | "ignorable")).collect();
    let note_ids: HashSet<&str> = unit
        .children_named(core, "notes")
        .flat_map(|n| n.children_named(core, "note"))
        .filter_map(|n| n.attr("id"))
        .collect();
    let side = |name: &'static str| -> Vec<&Element> {
        segments.iter().flat_map(|s| s.children_named(core, name)).flat_map(|x| x.descendants()).collect()
    };
    let (source, target) = (side("source"), side("target"));
    let has_target = segments.iter().any(|s| s.children_named(core, "target").next().is_some());
    // Every id in the unit, for references.
    let ids: HashSet<&str> = segments
        .iter()
        .filter_map(|s| s.attr("id"))
        .chain(source.iter().chain(&target).filter_map(|e| e.attr("id")))
        .collect();
    for codes in [&source, &target] {
        let by_id: std::collections::HashMap<&str, &Element> =
            codes.iter().filter(|e| is_code(e, core)).filter_map(|e| e.attr("id").map(|id| (id, *e))).collect();
        for e in codes.iter().filter(|e| e.ns == core) {
            if let Some(original) = e.attr("copyOf") {
                match by_id.get(original) {
                    None => return fail(e, format!("copyOf=\"{original}\" names no code in this unit")),
                    Some(o) if !yes(o, "canCopy") => {
                        return fail(e, format!("copyOf=\"{original}\" copies a code that may not be copied"));
                    }
                    _ => {}
                }
            }
            if e.name == "ec" && e.attr("isolated") != Some("yes") && e.attributes.iter().any(|a| a.ns == FS) {
                return fail(e, "Format Style attributes go on a paired code's <sc>, not its <ec>");
            }
            if let (Some(start), "ec") = (e.attr("startRef"), e.name.as_ref())
                && let Some(sc) = by_id.get(start)
            {
                for hint in ["canCopy", "canDelete", "canOverlap"] {
                    if yes(sc, hint) != yes(e, hint) {
                        return fail(e, format!("{hint} differs between <sc id=\"{start}\"> and its <ec>"));
                    }
                }
                let start_reorder = sc.attr("canReorder").unwrap_or("yes");
                let end_reorder = e.attr("canReorder").unwrap_or("yes");
                let expected = if start_reorder == "firstNo" { "no" } else { start_reorder };
                if end_reorder != expected {
                    return fail(e, format!("canReorder on <ec> must be \"{expected}\" to match its <sc>"));
                }
            }
            if is_code(e, core)
                && e.name != "ec"
                && matches!(e.attr("canReorder"), Some("no" | "firstNo"))
                && (yes(e, "canCopy") || yes(e, "canDelete"))
            {
                return fail(e, "a code that cannot be reordered must have canCopy=\"no\" and canDelete=\"no\"");
            }
            for name in ["subFlows", "subFlowsStart", "subFlowsEnd"] {
                if let Some(flows) = e.attr(name) {
                    for flow in flows.split_whitespace() {
                        if !unit_ids.contains(flow) {
                            return fail(e, format!("{name} names \"{flow}\", which is no unit of this file"));
                        }
                    }
                }
            }
            if matches!(e.name.as_ref(), "mrk" | "sm")
                && e.attr("type") == Some("comment")
                && let Some(reference) = e.attr("ref")
            {
                let selectors: Vec<&str> =
                    reference.trim_start_matches('#').trim_start_matches('/').split('/').collect();
                let note = selectors.last().and_then(|s| s.strip_prefix("n="));
                let through_unit =
                    selectors.len() == 1 || selectors.iter().any(|s| s.strip_prefix("u=") == unit.attr("id"));
                if !(through_unit && note.is_some_and(|n| note_ids.contains(n))) {
                    return fail(e, format!("comment ref=\"{reference}\" must point to a note of this unit"));
                }
            }
        }
        // Reorder sequences: firstNo starts one, "no" continues it.
        let sequenced: Vec<&Element> = codes.iter().filter(|e| is_code(e, core) && e.name != "ec").copied().collect();
        let mut open = false;
        for e in &sequenced {
            match e.attr("canReorder") {
                Some("firstNo") => open = true,
                Some("no") if !open => return fail(e, "canReorder=\"no\" without a firstNo code before it"),
                Some("no") => {}
                _ => open = false,
            }
        }
    }
    if has_target {
        // Codes that cannot be deleted must be in the target, and
        // sequences that cannot be reordered must stay whole and in order.
        let target_keys: Vec<String> = target.iter().filter(|e| is_code(e, core)).filter_map(|e| code_key(e)).collect();
        for e in source.iter().filter(|e| is_code(e, core) && !yes(e, "canDelete")) {
            if let Some(key) = code_key(e)
                && !target_keys.contains(&key)
            {
                return fail(e, format!("code \"{key}\" cannot be deleted but the target lacks it"));
            }
        }
        let mut sequences: Vec<Vec<String>> = Vec::new();
        for e in source.iter().filter(|e| is_code(e, core) && e.name != "ec") {
            match e.attr("canReorder") {
                Some("firstNo") => sequences.push(code_key(e).into_iter().collect()),
                Some("no") => {
                    if let (Some(last), Some(key)) = (sequences.last_mut(), code_key(e)) {
                        last.push(key);
                    }
                }
                _ => {}
            }
        }
        let target_order: Vec<&String> = target_keys.iter().filter(|k| !k.starts_with('/')).collect();
        for sequence in sequences.iter().filter(|s| s.len() > 1) {
            let positions: Vec<Option<usize>> =
                sequence.iter().map(|k| target_order.iter().position(|t| *t == k)).collect();
            let contiguous = positions.windows(2).all(|w| matches!(w, [Some(a), Some(b)] if *b == a + 1));
            let same_parent = sequence.windows(2).all(|w| {
                let parent = |key: &String| source.iter().position(|e| code_key(e).as_ref() == Some(key));
                parent(&w[0]).is_some() && parent(&w[1]).is_some()
            });
            if !contiguous || !same_parent {
                return fail(
                    unit,
                    format!(
                        "codes {} cannot be reordered but are not kept together in the target",
                        sequence.join(", ")
                    ),
                );
            }
        }
        // A sequence inside a paired code must stay inside it.
        for t in segments.iter().flat_map(|s| s.children_named(core, "target")) {
            for pc in t.descendants().into_iter().filter(|e| e.ns == core && e.name == "pc") {
                if let Some(source_pc) = source.iter().find(|e| e.name == "pc" && e.attr("id") == pc.attr("id")) {
                    let inside = |e: &Element| -> Vec<String> {
                        e.descendants()
                            .into_iter()
                            .filter(|c| is_code(c, core) && !yes(c, "canDelete"))
                            .filter_map(code_key)
                            .collect()
                    };
                    if inside(source_pc) != inside(pc) {
                        return fail(pc, "codes that cannot move left or entered a paired code in the target");
                    }
                }
            }
        }
    }
    // Change tracking: revisions of one of several notes say which.
    let unit_notes: Vec<&str> = note_ids.iter().copied().collect();
    for revisions in unit
        .elements()
        .filter(|e| e.ns == CTR && e.name == "changeTrack")
        .flat_map(|c| c.children_named(CTR, "revisions"))
        .filter(|r| r.attr("appliesTo") == Some("note"))
    {
        match revisions.attr("ref") {
            None if unit_notes.len() > 1 => {
                return fail(revisions, "revisions of one of several notes must name it (ref)");
            }
            Some(reference) if !unit_notes.contains(&reference) => {
                return fail(revisions, format!("ref=\"{reference}\" names no note of this unit"));
            }
            _ => {}
        }
    }
    // Matches module: refs point into this unit.
    for matches in unit.elements().filter(|e| e.ns == MTC && e.name == "matches") {
        let mut seen = HashSet::new();
        for m in matches.children_named(MTC, "match") {
            if let Some(id) = m.attr("id") {
                if !is_nmtoken(id) {
                    return fail(m, format!("match id \"{id}\" is not an NMTOKEN"));
                }
                if !seen.insert(id) {
                    return fail(m, format!("match id \"{id}\" is used twice"));
                }
            }
            if m.xml_attr("lang").is_some() {
                return fail(m, "xml:lang must not be set on <mtc:match>");
            }
            if m.attr("subType").is_some() && m.attr("type").is_none() {
                return fail(m, "subType without type on <mtc:match>");
            }
            if let Some(t) = m.attr("type")
                && !matches!(t, "am" | "mt" | "icm" | "idm" | "tb" | "tm" | "other")
            {
                return fail(m, format!("match type=\"{t}\" is not one of am, mt, icm, idm, tb, tm, other"));
            }
            let reference = m.attr("ref").unwrap_or_default();
            let Some(target) = reference.strip_prefix('#') else {
                return fail(m, format!("match ref=\"{reference}\" must be a fragment identifier (#…)"));
            };
            if !target.contains('=') && !ids.contains(target) {
                return fail(m, format!("match ref=\"{reference}\" points to nothing in this unit"));
            }
        }
    }
    Ok(())
}

/// Rules that hold anywhere: fragment identifiers, extension ids, module
/// elements and attributes.
pub fn element(core: &str, e: &Element, src_lang: &str) -> Result<(), Broken> {
    if let Some(reference) = e.attr("ref").filter(|r| r.starts_with('#'))
        && let Err(message) = fragment(reference)
    {
        return fail(e, message);
    }
    // Ids of extension elements are unique among their siblings.
    let mut sibling_ids = HashSet::new();
    for child in e.elements().filter(|c| c.ns != core) {
        let id = child
            .attr("id")
            .or_else(|| child.attributes.iter().find(|a| a.ns == XML_NS && a.name == "id").map(|a| a.value.as_str()));
        if let Some(id) = id
            && !sibling_ids.insert(id)
        {
            return fail(child, format!("id \"{id}\" is used twice among these extension elements"));
        }
    }
    let known: &[&str] = match e.ns.as_ref() {
        MTC => &["matches", "match"],
        GLS => &["glossary", "glossEntry", "term", "translation", "definition"],
        MDA => &["metadata", "metaGroup", "meta"],
        RES => &["resourceData", "resourceItemRef", "resourceItem", "source", "target", "reference"],
        CTR => &["changeTrack", "revisions", "revision", "item"],
        SLR => &["profiles", "normalization", "data"],
        VAL => &["validation", "rule"],
        _ => return slr_attributes(e),
    };
    if !known.contains(&e.name.as_ref()) {
        return fail(e, format!("<{}> is not an element of its module", e.name));
    }
    match (e.ns.as_ref(), e.name.as_ref()) {
        (GLS, "glossary") => {
            let mut ids = HashSet::new();
            for entry in e.children_named(GLS, "glossEntry") {
                if entry.children_named(GLS, "translation").next().is_none()
                    && entry.children_named(GLS, "definition").next().is_none()
                {
                    return fail(entry, "a glossary entry needs a translation or a definition");
                }
                for item in std::iter::once(entry).chain(entry.children_named(GLS, "translation")) {
                    if let Some(id) = item.attr("id")
                        && !ids.insert(id)
                    {
                        return fail(item, format!("id \"{id}\" is used twice in this glossary"));
                    }
                }
            }
        }
        (GLS, _) => {
            if let Some(module) = e.elements().find(|c| super::v2::is_module(&c.ns) && c.ns != GLS) {
                return fail(module, "another module's element is not allowed inside the glossary");
            }
            if e.name == "glossEntry"
                && e.children_named(GLS, "translation").next().is_none()
                && e.children_named(GLS, "definition").next().is_none()
            {
                return fail(e, "a glossary entry needs a translation or a definition");
            }
        }
        (MDA, "metadata") => {
            if e.children_named(MDA, "metaGroup").next().is_none() {
                return fail(e, "<mda:metadata> needs a <mda:metaGroup>");
            }
            let mut ids = HashSet::new();
            for item in std::iter::once(e).chain(e.descendants().into_iter().filter(|d| d.ns == MDA)) {
                if let Some(id) = item.attr("id") {
                    if !is_nmtoken(id) {
                        return fail(item, format!("id \"{id}\" is not an NMTOKEN"));
                    }
                    if !ids.insert(id) {
                        return fail(item, format!("id \"{id}\" is used twice in this metadata"));
                    }
                }
            }
        }
        (MDA, "metaGroup") => {
            if let Some(v) = e.attr("appliesTo")
                && !matches!(v, "source" | "target" | "ignorable")
            {
                return fail(e, format!("appliesTo=\"{v}\" must be source, target or ignorable"));
            }
        }
        (MDA, "meta") => {
            if e.attr("type").is_none() {
                return fail(e, "<mda:meta> needs a type");
            }
            if e.attr("appliesTo").is_some() {
                return fail(e, "appliesTo is not allowed on <mda:meta>");
            }
        }
        (RES, "resourceData") => {
            let mut ids = HashSet::new();
            for item in e.elements().filter(|c| c.ns == RES) {
                if let Some(id) = item.attr("id")
                    && !ids.insert(id)
                {
                    return fail(item, format!("id \"{id}\" is used twice among the resource items"));
                }
            }
        }
        (RES, "source" | "target") => {
            let empty = !e.has_text() && e.elements().next().is_none();
            if empty != e.attr("href").is_some() {
                return fail(e, "href is required exactly when the resource's source or target is empty");
            }
            if e.name == "source"
                && let Some(lang) = e.xml_attr("lang")
                && lang != src_lang
            {
                return fail(e, format!("xml:lang \"{lang}\" differs from srcLang \"{src_lang}\""));
            }
        }
        (VAL, "rule") => {
            let kinds = ["isPresent", "isNotPresent", "startsWith", "endsWith"];
            let given = kinds.iter().filter(|k| e.attr(k).is_some()).count()
                + usize::from(e.attributes.iter().any(|a| !a.ns.is_empty() && a.ns != XML_NS));
            if given != 1 {
                return fail(
                    e,
                    "a validation rule needs exactly one of isPresent, isNotPresent, startsWith, endsWith or a custom rule",
                );
            }
            if e.attr("existsInSource").is_some() && e.attr("isNotPresent").is_some() {
                return fail(e, "existsInSource does not go with isNotPresent");
            }
            if let Some(v) = e.attr("caseSensitive")
                && !matches!(v, "yes" | "no")
            {
                return fail(e, format!("caseSensitive=\"{v}\" must be yes or no"));
            }
            if let Some(v) = e.attr("normalization")
                && !matches!(v, "none" | "nfc" | "nfd")
            {
                return fail(e, format!("normalization=\"{v}\" must be none, nfc or nfd"));
            }
            if let Some(v) = e.attr("occurs")
                && (e.attr("isPresent").is_none() || !v.parse::<u32>().is_ok_and(|n| n >= 1))
            {
                return fail(e, format!("occurs=\"{v}\" must be a number of at least 1, with isPresent"));
            }
        }

        (CTR, "item") => {
            let property = e.attr("property").unwrap_or_default();
            if !matches!(
                property,
                "content"
                    | "id"
                    | "appliesTo"
                    | "category"
                    | "priority"
                    | "translate"
                    | "state"
                    | "subState"
                    | "name"
                    | "type"
                    | "order"
                    | "canResegment"
            ) {
                return fail(e, format!("property=\"{property}\" is neither content nor an attribute name"));
            }
        }
        _ => {}
    }
    slr_attributes(e)
}

/// Size and Length Restriction attributes: integers, and where they may be.
fn slr_attributes(e: &Element) -> Result<(), Broken> {
    let slr = |name: &str| e.attributes.iter().find(|a| a.ns == SLR && a.name == name).map(|a| a.value.as_str());
    // slr:sizeInfo is not checked: the core suite's valid files give it
    // free text ("some info") while the module suite wants an integer.
    for name in ["equivStorage"] {
        if let Some(v) = slr(name)
            && v.parse::<u32>().is_err()
        {
            return fail(e, format!("slr:{name}=\"{v}\" is not an integer"));
        }
    }
    for name in ["sizeRestriction", "storageRestriction"] {
        if let Some(v) = slr(name) {
            let parts: Vec<&str> = v.split(',').collect();
            let number = |n: &str| n.trim().parse::<u32>().is_ok();
            let fits = match parts.as_slice() {
                ["*"] => true,
                [n] => number(n),
                [min, max] => number(min) && (number(max) || max.trim() == "*"),
                _ => false,
            };
            if !fits {
                return fail(e, format!("slr:{name}=\"{v}\" must be *, a number, min,max or min,*"));
            }
        }
    }
    if slr("sizeInfo").is_some() && slr("sizeInfoRef").is_some() {
        return fail(e, "slr:sizeInfo and slr:sizeInfoRef cannot both be set");
    }
    if e.name == "ec"
        && e.attr("isolated") != Some("yes")
        && (slr("equivStorage").is_some() || slr("sizeInfo").is_some() || slr("sizeInfoRef").is_some())
    {
        return fail(e, "size attributes go on an <ec> only when it is isolated");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fragment_identifiers_follow_the_selector_grammar() {
        for good in ["#m1", "#n=n1", "#/f=f1/u=u1/n=n1", "#f=f1/g=g1/g=g2/u=1/t=m3", "#f=f1/res=r1"] {
            assert!(fragment(good).is_ok(), "{good}");
        }
        for bad in ["m1", "#c1/c2", "#/u=1/f=f1", "#/u=1/u=2", "#f=f1/d=d1/u=1", "#/f=f1/zz=x", "#/f=f1/z=x", "#n="] {
            assert!(fragment(bad).is_err(), "{bad}");
        }
    }
}
