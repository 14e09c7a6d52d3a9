//! Reference memories in a team project: a memory someone imported travels
//! once, with its units; removing a shared memory is a record every clone
//! follows. The project memory is not among them: each clone builds it
//! from the shared translations.

use std::collections::HashSet;

use rusqlite::{Transaction, params};

use super::{Ids, Incoming, map_ids, remember};
use crate::formats::team::{SharedMemory, SharedProject, SharedRemoval, SharedUnit};
use crate::store::memory::{apply_counts, delete_memory, in_bulk};
use crate::tm::{self, MemoryId};

/// This clone's shared memories (headers only) and removals.
pub(super) fn read(tx: &Transaction<'_>, ids: &Ids, project: &mut SharedProject) -> rusqlite::Result<()> {
    let mut stmt = tx.prepare("SELECT id, name, priority, created_at FROM memories WHERE read_only = 1 ORDER BY id")?;
    let rows = stmt.query_map([], |r| {
        Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?, r.get::<_, i64>(2)?, r.get::<_, String>(3)?))
    })?;
    for row in rows {
        let (local, name, priority, at) = row?;
        if let Some(id) = ids.of("memory", local) {
            project.memories.push(SharedMemory { id: id.clone(), name, priority, at });
        }
    }
    let mut stmt = tx.prepare("SELECT id, memory, author, created_at FROM memory_removals ORDER BY id")?;
    let rows = stmt.query_map([], |r| {
        Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?, r.get::<_, String>(3)?))
    })?;
    for row in rows {
        let (local, memory, author, at) = row?;
        if let Some(id) = ids.of("memory_removal", local) {
            project.memory_removals.push(SharedRemoval { id: id.clone(), memory, author, at });
        }
    }
    Ok(())
}

/// The units of the shared memory `memory`, in the order they were
/// imported; empty when this clone does not have it.
pub(super) fn units(tx: &Transaction<'_>, memory: &str) -> rusqlite::Result<Vec<SharedUnit>> {
    let mut stmt = tx.prepare(
        "SELECT u.source_lang, u.target_lang, u.source, u.target, u.origin, u.author, u.created_at
           FROM tm_units u JOIN shared_ids i ON i.kind = 'memory' AND i.local_id = u.memory_id
          WHERE i.shared_id = ?1 ORDER BY u.id",
    )?;
    stmt.query_map([memory], |r| {
        Ok(SharedUnit {
            source_lang: r.get(0)?,
            target_lang: r.get(1)?,
            source: r.get(2)?,
            target: r.get(3)?,
            origin: r.get(4)?,
            author: r.get(5)?,
            at: r.get(6)?,
        })
    })?
    .collect()
}

/// Memories of `shared` this clone has neither taken in nor removed.
pub(super) fn lacking(tx: &Transaction<'_>, shared: &SharedProject) -> rusqlite::Result<Vec<String>> {
    let known = map_ids(tx, "memory")?;
    let removed = removed(tx, shared)?;
    Ok(shared
        .memories
        .iter()
        .filter(|m| !known.contains_key(&m.id) && !removed.contains(&m.id))
        .map(|m| m.id.clone())
        .collect())
}

/// Shared ids of memories removed here or by anyone in `shared`.
fn removed(tx: &Transaction<'_>, shared: &SharedProject) -> rusqlite::Result<HashSet<String>> {
    let mut stmt = tx.prepare("SELECT memory FROM memory_removals")?;
    let mut removed: HashSet<String> = stmt.query_map([], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
    removed.extend(shared.memory_removals.iter().map(|r| r.memory.clone()));
    Ok(removed)
}

/// Removals first (a memory removed by anyone is gone everywhere and never
/// taken in again), then the memories this clone lacks whose units came.
pub(super) fn apply(tx: &Transaction<'_>, shared: &SharedProject, incoming: &mut Incoming) -> rusqlite::Result<()> {
    let known_removals = map_ids(tx, "memory_removal")?;
    let known = map_ids(tx, "memory")?;
    for removal in shared.memory_removals.iter().filter(|r| !known_removals.contains_key(&r.id)) {
        // Two people may remove one memory: the first removal here stands.
        let inserted = tx.execute(
            "INSERT OR IGNORE INTO memory_removals (memory, author, created_at) VALUES (?1, ?2, ?3)",
            params![removal.memory, removal.author, removal.at],
        )?;
        if inserted == 1 {
            remember(tx, "memory_removal", tx.last_insert_rowid(), &removal.id)?;
        }
        if let Some(&local) = known.get(&removal.memory)
            && tx.query_row("SELECT EXISTS (SELECT 1 FROM memories WHERE id = ?1)", [local], |r| r.get(0))?
        {
            delete_memory(tx, MemoryId(local))?;
            incoming.memories_removed += 1;
        }
    }
    let removed = removed(tx, shared)?;
    let arriving: Vec<(&SharedMemory, &Vec<SharedUnit>)> = shared
        .memories
        .iter()
        .filter(|m| !known.contains_key(&m.id) && !removed.contains(&m.id))
        .filter_map(|m| shared.memory_units.get(&m.id).map(|units| (m, units)))
        .collect();
    let mut counts = std::collections::HashMap::new();
    in_bulk(tx, arriving.iter().map(|(_, units)| units.len()).sum(), || {
        for (memory, units) in &arriving {
            tx.execute(
                "INSERT INTO memories (name, priority, read_only, created_at) VALUES (?1, ?2, 1, ?3)",
                params![memory.name, memory.priority, memory.at],
            )?;
            let local = tx.last_insert_rowid();
            remember(tx, "memory", local, &memory.id)?;
            let mut insert = tx.prepare_cached(
                "INSERT INTO tm_units (memory_id, source_lang, target_lang, source, target, origin, author, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            )?;
            for unit in units.iter() {
                insert.execute(params![
                    local,
                    unit.source_lang,
                    unit.target_lang,
                    unit.source,
                    unit.target,
                    unit.origin,
                    unit.author,
                    unit.at
                ])?;
                tm::count_words(&mut counts, &unit.source, 1);
            }
            incoming.memories.push(memory.name.clone());
        }
        Ok(())
    })?;
    apply_counts(tx, &counts)?;
    Ok(())
}
