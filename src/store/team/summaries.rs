//! Summaries in a team project: their sections, sentences and the changes
//! to them, people's link decisions and approvals, as records.
//!
//! Several people add sections and sentences to one summary, so its order
//! cannot be "whoever came first here": every clone orders sections by
//! when they were added and sentences by when they were written (or last
//! brought back or moved), ties broken by shared id, and renumbers a summary after
//! taking in others' records. A sentence's kind and whether it is shown
//! are its newest changes.

use std::collections::{BTreeSet, HashMap};

use rusqlite::{OptionalExtension, Transaction, params};

use super::{Ids, Incoming, Local, map_ids, remember};
use crate::formats::team::{
    SharedApproval, SharedLink, SharedProject, SharedSection, SharedSentence, SharedSentenceChange, writer_of,
};
use crate::store::HIDDEN_POSITION_BASE;

/// Adds the summary records of the project to `project`.
pub(super) fn read(
    tx: &Transaction<'_>,
    ids: &Ids,
    segment_document: &HashMap<i64, String>,
    project: &mut SharedProject,
) -> rusqlite::Result<()> {
    let mut stmt = tx.prepare(
        "SELECT p.id, p.document_id, coalesce(p.title, ''), coalesce(p.created_at, d.imported_at)
           FROM passages p JOIN documents d ON d.id = p.document_id WHERE d.kind = 'summary' ORDER BY p.id",
    )?;
    let rows = stmt.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?, r.get(2)?, r.get(3)?)))?;
    for row in rows {
        let (id, document, title, at) = row?;
        let (Some(shared), Some(document)) = (ids.of("section", id), ids.of("document", document)) else { continue };
        project.sections.entry(document.clone()).or_default().push(SharedSection { id: shared.clone(), title, at });
    }
    let mut stmt = tx.prepare(&format!(
        "SELECT s.id, s.document_id, s.passage_id, {WRITTEN_AT}
           FROM segments s JOIN documents d ON d.id = s.document_id WHERE d.kind = 'summary' ORDER BY s.id"
    ))?;
    let rows =
        stmt.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?, r.get::<_, i64>(2)?, r.get(3)?)))?;
    // A moved sentence is shared with the section it was written in; its
    // moves follow as changes.
    let mut stmt = tx.prepare(
        "SELECT segment_id, change FROM sentence_changes WHERE change LIKE 'moved:%' ORDER BY created_at DESC, id DESC",
    )?;
    let mut written_in = HashMap::new();
    for row in stmt.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))? {
        let (segment, change) = row?;
        if let Some(from) = moved(&change).and_then(|(from, _)| from.parse::<i64>().ok()) {
            written_in.insert(segment, from);
        }
    }
    for row in rows {
        let (id, document, section, at) = row?;
        let section = written_in.get(&id).copied().unwrap_or(section);
        let (Some(shared), Some(document), Some(section)) =
            (ids.of("segment", id), ids.of("document", document), ids.of("section", section))
        else {
            continue;
        };
        project.sentences.entry(document.clone()).or_default().push(SharedSentence {
            id: shared.clone(),
            section: section.clone(),
            at,
        });
    }
    let mut stmt = tx.prepare("SELECT id, segment_id, change, author, created_at FROM sentence_changes ORDER BY id")?;
    let rows =
        stmt.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?, r.get(2)?, r.get(3)?, r.get(4)?)))?;
    for row in rows {
        let (id, segment, change, author, at): (i64, i64, String, String, String) = row?;
        let (Some(shared), Some(document), Some(sentence)) =
            (ids.of("sentence_change", id), segment_document.get(&segment), ids.of("segment", segment))
        else {
            continue;
        };
        // Moves name sections by passage id here and by shared id in the team.
        let change = match moved(&change) {
            Some((from, to)) => {
                let shared_section = |local: &str| local.parse::<i64>().ok().and_then(|l| ids.of("section", l));
                let (Some(from), Some(to)) = (shared_section(from), shared_section(to)) else { continue };
                format!("moved:{from}:{to}")
            }
            None => change,
        };
        project.sentence_changes.entry(document.clone()).or_default().push(SharedSentenceChange {
            id: shared.clone(),
            sentence: sentence.clone(),
            change,
            author,
            at,
        });
    }
    let mut stmt = tx.prepare(
        "SELECT id, sentence_id, source_id, decision, sentence_text, author, created_at FROM link_decisions ORDER BY id",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?, r.get::<_, i64>(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?))
    })?;
    for row in rows {
        let (id, sentence, source, decision, text, author, at) = row?;
        let (Some(shared), Some(document), Some(sentence), Some(source)) = (
            ids.of("link", id),
            segment_document.get(&sentence),
            ids.of("segment", sentence),
            ids.of("segment", source),
        ) else {
            continue;
        };
        project.links.entry(document.clone()).or_default().push(SharedLink {
            id: shared.clone(),
            sentence: sentence.clone(),
            source: source.clone(),
            decision,
            text,
            author,
            at,
        });
    }
    let mut stmt = tx.prepare(
        "SELECT id, summary_id, open_flags, override_reason, author, created_at FROM summary_approvals ORDER BY id",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?, r.get::<_, i64>(2)?, r.get(3)?, r.get(4)?, r.get(5)?))
    })?;
    for row in rows {
        let (id, summary, open_flags, reason, author, at) = row?;
        let (Some(shared), Some(document)) = (ids.of("approval", id), ids.of("document", summary)) else { continue };
        project.approvals.entry(document.clone()).or_default().push(SharedApproval {
            id: shared.clone(),
            open_flags: open_flags.clamp(0, i64::from(u32::MAX)) as u32,
            reason,
            author,
            at,
        });
    }
    Ok(())
}

/// The two sections of a move, `moved:FROM:TO`.
fn moved(change: &str) -> Option<(&str, &str)> {
    change.strip_prefix("moved:")?.split_once(':')
}

/// When a sentence (`s`, of a summary `d`) was written: its first revision.
const WRITTEN_AT: &str = "coalesce((SELECT min(created_at) FROM revisions WHERE segment_id = s.id), d.imported_at)";

/// Takes in others' sections, sentences and changes to sentences; returns
/// the summaries whose order may have changed.
pub(super) fn apply_structure(
    tx: &Transaction<'_>,
    shared: &SharedProject,
    local: &mut Local,
    incoming: &mut Incoming,
) -> rusqlite::Result<BTreeSet<i64>> {
    let mut touched = BTreeSet::new();
    let mut sections = map_ids(tx, "section")?;
    for (document, list) in &shared.sections {
        let Some(&summary) = local.documents.get(document) else { continue };
        for section in list {
            if sections.contains_key(&section.id) {
                continue;
            }
            tx.execute(
                "INSERT INTO passages (document_id, position, kind, level, title, created_at)
                 SELECT ?1, coalesce(max(position), -1) + 1, 'paragraph', 0, ?2, ?3 FROM passages WHERE document_id = ?1",
                params![summary, section.title, section.at],
            )?;
            let id = tx.last_insert_rowid();
            remember(tx, "section", id, &section.id)?;
            sections.insert(section.id.clone(), id);
            touched.insert(summary);
        }
    }
    let mut sentences = 0;
    for (document, list) in &shared.sentences {
        let Some(&summary) = local.documents.get(document) else { continue };
        for sentence in list {
            if local.segments.contains_key(&sentence.id) {
                continue;
            }
            let Some(&section) = sections.get(&sentence.section) else { continue };
            // Its kind comes with its first change, below.
            tx.execute(
                "INSERT INTO segments (document_id, passage_id, position, source, sentence_kind)
                 SELECT ?1, ?2, coalesce(max(position), -1) + 1, '', 'claim' FROM segments
                  WHERE document_id = ?1 AND merged_into IS NULL",
                params![summary, section],
            )?;
            let id = tx.last_insert_rowid();
            remember(tx, "segment", id, &sentence.id)?;
            local.segments.insert(sentence.id.clone(), id);
            touched.insert(summary);
            sentences += 1;
        }
    }
    let known = map_ids(tx, "sentence_change")?;
    let mut changed = BTreeSet::new();
    for change in shared.sentence_changes.values().flatten().filter(|c| !known.contains_key(&c.id)) {
        let Some(&segment) = local.segments.get(&change.sentence) else { continue };
        let recorded = match moved(&change.change) {
            Some((from, to)) => {
                let (Some(from), Some(to)) = (sections.get(from), sections.get(to)) else { continue };
                format!("moved:{from}:{to}")
            }
            None if matches!(change.change.as_str(), "removed" | "restored" | "claim" | "commentary") => {
                change.change.clone()
            }
            None => continue,
        };
        tx.execute(
            "INSERT INTO sentence_changes (segment_id, change, author, created_at) VALUES (?1, ?2, ?3, ?4)",
            params![segment, recorded, change.author, change.at],
        )?;
        remember(tx, "sentence_change", tx.last_insert_rowid(), &change.id)?;
        if !matches!(change.change.as_str(), "claim" | "commentary") {
            sentences += 1;
        }
        changed.insert(segment);
    }
    for segment in changed {
        let newest = |changes: &str| -> rusqlite::Result<Option<String>> {
            tx.query_row(
                &format!(
                    "SELECT change FROM sentence_changes WHERE segment_id = ?1 AND change IN ({changes})
                      ORDER BY created_at DESC, id DESC LIMIT 1"
                ),
                [segment],
                |r| r.get(0),
            )
            .or_else(|e| if e == rusqlite::Error::QueryReturnedNoRows { Ok(None) } else { Err(e) })
        };
        let kind = newest("'claim', 'commentary'")?;
        let moved_to = tx
            .query_row(
                "SELECT change FROM sentence_changes WHERE segment_id = ?1 AND change LIKE 'moved:%'
                  ORDER BY created_at DESC, id DESC LIMIT 1",
                [segment],
                |r| r.get::<_, String>(0),
            )
            .optional()?
            .and_then(|change| moved(&change).and_then(|(_, to)| to.parse::<i64>().ok()));
        if let Some(section) = moved_to {
            tx.execute("UPDATE segments SET passage_id = ?2 WHERE id = ?1", params![segment, section])?;
        }
        let removed = newest("'removed', 'restored'")?.as_deref() == Some("removed");
        let (summary, hidden): (i64, bool) =
            tx.query_row("SELECT document_id, merged_into IS NOT NULL FROM segments WHERE id = ?1", [segment], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })?;
        if let Some(kind) = kind {
            tx.execute("UPDATE segments SET sentence_kind = ?2 WHERE id = ?1", params![segment, kind])?;
        }
        if removed && !hidden {
            tx.execute(
                "UPDATE segments SET merged_into = id, position = ?2 WHERE id = ?1",
                params![segment, HIDDEN_POSITION_BASE - segment],
            )?;
        } else if !removed && hidden {
            tx.execute(
                "UPDATE segments SET merged_into = NULL,
                        position = (SELECT coalesce(max(position), -1) + 1 FROM segments
                                     WHERE document_id = ?2 AND merged_into IS NULL)
                  WHERE id = ?1",
                params![segment, summary],
            )?;
        }
        touched.insert(summary);
    }
    incoming.sentences += sentences;
    Ok(touched)
}

/// Takes in others' link decisions and approvals.
pub(super) fn apply_decisions(
    tx: &Transaction<'_>,
    shared: &SharedProject,
    local: &Local,
    incoming: &mut Incoming,
) -> rusqlite::Result<()> {
    let known = map_ids(tx, "link")?;
    for link in shared.links.values().flatten().filter(|l| !known.contains_key(&l.id)) {
        let (Some(&sentence), Some(&source)) = (local.segments.get(&link.sentence), local.segments.get(&link.source))
        else {
            continue;
        };
        if !matches!(link.decision.as_str(), "confirmed" | "rejected" | "cleared") {
            continue;
        }
        tx.execute(
            "INSERT INTO link_decisions (sentence_id, source_id, decision, sentence_text, author, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![sentence, source, link.decision, link.text, link.author, link.at],
        )?;
        remember(tx, "link", tx.last_insert_rowid(), &link.id)?;
        incoming.link_decisions += 1;
    }
    let known = map_ids(tx, "approval")?;
    for (document, approvals) in &shared.approvals {
        let Some(&summary) = local.documents.get(document) else { continue };
        for approval in approvals.iter().filter(|a| !known.contains_key(&a.id)) {
            tx.execute(
                "INSERT INTO summary_approvals (summary_id, open_flags, override_reason, author, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                params![summary, approval.open_flags, approval.reason, approval.author, approval.at],
            )?;
            remember(tx, "approval", tx.last_insert_rowid(), &approval.id)?;
            let title = local.titles.get(document).cloned().unwrap_or_default();
            incoming.approvals.push((title, approval.author.clone()));
        }
    }
    Ok(())
}

/// Gives the sections and shown sentences of each summary in `summaries`
/// the order every clone agrees on.
pub(super) fn renumber(tx: &Transaction<'_>, summaries: &BTreeSet<i64>) -> rusqlite::Result<()> {
    if summaries.is_empty() {
        return Ok(());
    }
    let ids = Ids::read_kinds(tx, &["section", "segment"])?;
    let key = |at: String, kind: &str, local: i64| {
        let shared = ids.of(kind, local).cloned().unwrap_or_default();
        let counter = shared.rsplit_once('-').and_then(|(_, n)| n.parse::<u64>().ok()).unwrap_or(local as u64);
        (at, writer_of(&shared).to_string(), counter)
    };
    for &summary in summaries {
        let mut stmt = tx.prepare_cached(
            "SELECT p.id, coalesce(p.created_at, d.imported_at) FROM passages p JOIN documents d ON d.id = p.document_id
              WHERE p.document_id = ?1",
        )?;
        let mut sections = stmt
            .query_map([summary], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        sections.sort_by_cached_key(|(id, at)| key(at.clone(), "section", *id));
        tx.execute("UPDATE passages SET position = -position - 1 WHERE document_id = ?1", [summary])?;
        let mut order = HashMap::new();
        for (position, (id, _)) in sections.iter().enumerate() {
            tx.execute("UPDATE passages SET position = ?2 WHERE id = ?1", params![id, position as i64])?;
            order.insert(*id, position);
        }
        let mut stmt = tx.prepare_cached(&format!(
            "SELECT s.id, s.passage_id,
                    coalesce((SELECT max(created_at) FROM sentence_changes
                               WHERE segment_id = s.id AND (change = 'restored' OR change LIKE 'moved:%')),
                             {WRITTEN_AT})
               FROM segments s JOIN documents d ON d.id = s.document_id
              WHERE s.document_id = ?1 AND s.merged_into IS NULL"
        ))?;
        let mut sentences = stmt
            .query_map([summary], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?, r.get::<_, String>(2)?)))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        sentences.sort_by_cached_key(|(id, section, at)| {
            (order.get(section).copied().unwrap_or(usize::MAX), key(at.clone(), "segment", *id))
        });
        tx.execute(
            "UPDATE segments SET position = -position - 1 WHERE document_id = ?1 AND merged_into IS NULL",
            [summary],
        )?;
        for (position, (id, _, _)) in sentences.iter().enumerate() {
            tx.execute("UPDATE segments SET position = ?2 WHERE id = ?1", params![id, position as i64])?;
        }
    }
    Ok(())
}
