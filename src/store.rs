//! The project file: one SQLite database (`*.verso`) holding documents,
//! segments and their revisions. Only this module writes SQL.
//!
//! Invariants it keeps: every public write is one transaction; revisions are
//! append-only (a trigger refuses updates); a file written by a newer Verso
//! is refused untouched; an older file is backed up before it is migrated.

use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags, OptionalExtension, Transaction, params};

mod checks;
pub mod lock;
mod memory;
mod overview;
mod replace;
mod structure;
mod summary;
mod team;
mod words;

pub use replace::Replacement;

pub use lock::Wait;
pub use memory::{Pretranslated, TmError, Untranslated};
pub use team::{Incoming, SegmentConflict};

use crate::diff::SegmentState;
use crate::document::{
    DocumentId, DocumentKind, DocumentSummary, NewDocument, PassageKind, Publication, SegmentId, SourceFormat,
};
use crate::lang::LangTag;
use crate::qa::QaProfile;
use crate::revision::{
    BulkOutcome, CategoryCount, Comment, Decision, ErrorCategory, Revision, RevisionId, SegmentRow, Status,
    TranslationEdit, Version, VersionId,
};

/// Marks a SQLite file as a Verso project ("VERS").
const APPLICATION_ID: i64 = 0x5645_5253;

/// Append-only: a released migration is never edited, only followed.
/// Where the QA profile is kept in `meta`.
const QA_PROFILE_KEY: &str = "qa.profile";

const MIGRATIONS: &[&str] = &[
    r#"
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;

CREATE TABLE documents (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    title       TEXT NOT NULL,
    source_lang TEXT NOT NULL,
    target_lang TEXT NOT NULL,
    origin      TEXT NOT NULL,
    format      TEXT NOT NULL,
    imported_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
) STRICT;

CREATE TABLE passages (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('heading', 'paragraph', 'list_item', 'quote')),
    level       INTEGER NOT NULL DEFAULT 0,
    UNIQUE (document_id, position)
) STRICT;

CREATE TABLE segments (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    passage_id  INTEGER NOT NULL REFERENCES passages(id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    source      TEXT NOT NULL,
    UNIQUE (document_id, position)
) STRICT;

CREATE TABLE revisions (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    segment_id INTEGER NOT NULL REFERENCES segments(id) ON DELETE CASCADE,
    parent_id  INTEGER REFERENCES revisions(id),
    text       TEXT NOT NULL,
    status     TEXT NOT NULL CHECK (status IN ('new', 'draft', 'translated', 'reviewed', 'approved', 'rejected')),
    author     TEXT NOT NULL,
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
) STRICT;

CREATE INDEX revisions_by_segment ON revisions (segment_id, id);
CREATE INDEX segments_by_passage ON segments (passage_id);

CREATE TRIGGER revisions_are_append_only BEFORE UPDATE ON revisions
BEGIN
    SELECT RAISE(ABORT, 'revisions are append-only');
END;
"#,
    r#"
-- A segment joined into its predecessor is hidden, never deleted, so its
-- revisions stay. Hidden segments park at positions below -1e9.
ALTER TABLE segments ADD COLUMN merged_into INTEGER REFERENCES segments(id);

CREATE TABLE segment_edits (
    id                  INTEGER PRIMARY KEY AUTOINCREMENT,
    kind                TEXT NOT NULL CHECK (kind IN ('split', 'join')),
    segment_id          INTEGER NOT NULL REFERENCES segments(id),
    other_id            INTEGER NOT NULL REFERENCES segments(id),
    source_before       TEXT NOT NULL,
    other_source_before TEXT,
    author              TEXT NOT NULL,
    created_at          TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
) STRICT;
"#,
    r#"
-- A version is the set of current revision ids at a moment: no text copied.
CREATE TABLE versions (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    name        TEXT NOT NULL,
    author      TEXT NOT NULL,
    created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    UNIQUE (document_id, name)
) STRICT;

CREATE TABLE version_revisions (
    version_id  INTEGER NOT NULL REFERENCES versions(id) ON DELETE CASCADE,
    segment_id  INTEGER NOT NULL REFERENCES segments(id),
    revision_id INTEGER REFERENCES revisions(id),
    PRIMARY KEY (version_id, segment_id)
) STRICT, WITHOUT ROWID;

CREATE TABLE comments (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    segment_id  INTEGER NOT NULL REFERENCES segments(id) ON DELETE CASCADE,
    revision_id INTEGER REFERENCES revisions(id),
    author      TEXT NOT NULL,
    text        TEXT NOT NULL,
    created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
) STRICT;

CREATE INDEX comments_by_segment ON comments (segment_id);
"#,
    r#"
-- Where a revision's text came from ("aligned" for an imported translation),
-- how sure the aligner was of a segment's pairing, and the translation
-- memory that confirmed pairs go into.
ALTER TABLE revisions ADD COLUMN origin TEXT;
ALTER TABLE segments ADD COLUMN alignment_confidence REAL;

CREATE TABLE translation_units (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    source_lang TEXT NOT NULL,
    target_lang TEXT NOT NULL,
    source      TEXT NOT NULL,
    target      TEXT NOT NULL,
    origin      TEXT NOT NULL,
    document_id INTEGER REFERENCES documents(id) ON DELETE SET NULL,
    author      TEXT NOT NULL,
    created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
) STRICT;
"#,
    r#"
-- Summaries are documents too: their sections are passages (with a title),
-- their sentences segments whose words live in revisions, so statuses,
-- versions and diffs work on them unchanged.
ALTER TABLE documents ADD COLUMN kind TEXT NOT NULL DEFAULT 'translation'
    CHECK (kind IN ('translation', 'summary'));
ALTER TABLE passages ADD COLUMN title TEXT;
ALTER TABLE segments ADD COLUMN sentence_kind TEXT CHECK (sentence_kind IN ('claim', 'commentary'));

CREATE TABLE summary_sources (
    summary_id  INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    document_id INTEGER NOT NULL REFERENCES documents(id),
    position    INTEGER NOT NULL,
    PRIMARY KEY (summary_id, document_id)
) STRICT, WITHOUT ROWID;

CREATE TABLE summary_references (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    summary_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    title      TEXT NOT NULL,
    url        TEXT
) STRICT;

-- People's decisions on links, append-only: the newest per pair counts.
-- The sentence's text at the time tells when a decision has gone stale.
CREATE TABLE link_decisions (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    sentence_id    INTEGER NOT NULL REFERENCES segments(id),
    source_id      INTEGER NOT NULL REFERENCES segments(id),
    decision       TEXT NOT NULL CHECK (decision IN ('confirmed', 'rejected', 'cleared')),
    sentence_text  TEXT NOT NULL,
    author         TEXT NOT NULL,
    created_at     TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
) STRICT;
CREATE INDEX link_decisions_by_sentence ON link_decisions (sentence_id, source_id, id);

CREATE TABLE summary_approvals (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    summary_id      INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    open_flags      INTEGER NOT NULL,
    override_reason TEXT,
    author          TEXT NOT NULL,
    created_at      TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
) STRICT;
"#,
    r#"
-- The original XML of inline codes in segments that came from XLIFF:
-- segment text holds placeholders (⟦1⟧, ⟦/1⟧); exports write these back.
CREATE TABLE inline_codes (
    segment_id INTEGER NOT NULL REFERENCES segments(id) ON DELETE CASCADE,
    marker     TEXT NOT NULL,
    xml        TEXT NOT NULL,
    -- Which XLIFF the code's XML belongs to ('1' or '2'): each writer uses
    -- only its own and writes a generic code for the other's.
    family     TEXT NOT NULL CHECK (family IN ('1', '2')),
    PRIMARY KEY (segment_id, marker)
) STRICT, WITHOUT ROWID;
"#,
    r#"
-- The original Word or HTML file of a document, so its translation can be
-- written back into the same file with its markup and formatting.
CREATE TABLE source_files (
    document_id INTEGER PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
    bytes       BLOB NOT NULL
) STRICT;
"#,
    r#"
-- Translation memories: the project memory (id 1), fed by every segment
-- confirmed as translated or better, and reference memories imported from
-- TMX files, read-only, each with a priority for ranking equal matches.
CREATE TABLE memories (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    name       TEXT NOT NULL,
    priority   INTEGER NOT NULL DEFAULT 50,
    read_only  INTEGER NOT NULL DEFAULT 1 CHECK (read_only IN (0, 1)),
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
) STRICT;
INSERT INTO memories (id, name, priority, read_only) VALUES (1, 'Project memory', 100, 0);

-- A unit from a segment keeps the segment's id, so confirming it again
-- updates its unit instead of piling up versions; the hashes of the
-- previous and next source sentences mark in-context matches.
CREATE TABLE tm_units (
    id             INTEGER PRIMARY KEY,
    memory_id      INTEGER NOT NULL REFERENCES memories(id) ON DELETE CASCADE,
    source_lang    TEXT NOT NULL,
    target_lang    TEXT NOT NULL,
    source         TEXT NOT NULL,
    target         TEXT NOT NULL,
    origin         TEXT NOT NULL,
    status         TEXT,
    document_id    INTEGER REFERENCES documents(id) ON DELETE SET NULL,
    segment_id     INTEGER UNIQUE REFERENCES segments(id) ON DELETE SET NULL,
    context_before INTEGER,
    context_after  INTEGER,
    author         TEXT NOT NULL,
    created_at     TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
) STRICT;
CREATE INDEX tm_units_by_memory ON tm_units (memory_id);
INSERT INTO tm_units (id, memory_id, source_lang, target_lang, source, target, origin, document_id, author, created_at)
    SELECT id, 1, source_lang, target_lang, source, target, origin, document_id, author, created_at
    FROM translation_units;
DROP TABLE translation_units;

-- Word index over both sides for fuzzy candidates and concordance.
CREATE VIRTUAL TABLE tm_index USING fts5(
    source, target, content = 'tm_units', content_rowid = 'id', tokenize = 'unicode61 remove_diacritics 0'
);
CREATE TRIGGER tm_units_indexed AFTER INSERT ON tm_units BEGIN
    INSERT INTO tm_index (rowid, source, target) VALUES (new.id, new.source, new.target);
END;
CREATE TRIGGER tm_units_unindexed AFTER DELETE ON tm_units BEGIN
    INSERT INTO tm_index (tm_index, rowid, source, target) VALUES ('delete', old.id, old.source, old.target);
END;
CREATE TRIGGER tm_units_reindexed AFTER UPDATE OF source, target ON tm_units BEGIN
    INSERT INTO tm_index (tm_index, rowid, source, target) VALUES ('delete', old.id, old.source, old.target);
    INSERT INTO tm_index (rowid, source, target) VALUES (new.id, new.source, new.target);
END;
-- New words gather in memory up to 32 MB before a segment is written, and
-- segments merge in larger steps, so a big import writes and merges less
-- (measured: 7% faster imports, lookups unchanged).
INSERT INTO tm_index (tm_index, rank) VALUES ('hashsize', 33554432);
INSERT INTO tm_index (tm_index, rank) VALUES ('automerge', 8);
INSERT INTO tm_index (tm_index) VALUES ('rebuild');

-- How many units' sources hold each word: lookups read the rarest words'
-- postings first. Kept by the code that adds and removes units.
CREATE TABLE tm_terms (
    term TEXT PRIMARY KEY,
    docs INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
CREATE VIRTUAL TABLE temp.tm_vocab USING fts5vocab(main, tm_index, col);
INSERT INTO tm_terms (term, docs) SELECT term, doc FROM temp.tm_vocab WHERE col = 'source';
DROP TABLE temp.tm_vocab;

-- Glossary: one row per source term and target term of a concept; a
-- forbidden row is a target variant translators must not use.
CREATE TABLE glossary_terms (
    id          INTEGER PRIMARY KEY,
    source_lang TEXT NOT NULL,
    target_lang TEXT NOT NULL,
    source      TEXT NOT NULL,
    target      TEXT NOT NULL,
    note        TEXT,
    forbidden   INTEGER NOT NULL DEFAULT 0 CHECK (forbidden IN (0, 1)),
    origin      TEXT NOT NULL,
    created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
) STRICT;

-- QA warnings a reviewer accepted, with who and why.
CREATE TABLE qa_accepted (
    segment_id INTEGER NOT NULL REFERENCES segments(id) ON DELETE CASCADE,
    check_name TEXT NOT NULL,
    detail     TEXT NOT NULL,
    author     TEXT NOT NULL,
    reason     TEXT NOT NULL,
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    PRIMARY KEY (segment_id, check_name, detail)
) STRICT;
"#,
    r#"
-- Team projects: the shared id (`W-N`: a clone's writer id and its row id)
-- of every record that travels between clones. A record made here gets one
-- when it is first shared; a record from another clone keeps its own.
CREATE TABLE shared_ids (
    kind      TEXT NOT NULL CHECK (kind IN ('document', 'segment', 'revision', 'comment')),
    local_id  INTEGER NOT NULL,
    shared_id TEXT NOT NULL,
    PRIMARY KEY (kind, local_id),
    UNIQUE (kind, shared_id)
) STRICT, WITHOUT ROWID;

-- The other heads a person chose between when resolving a conflict (the
-- revision's parent is the first): they stop being heads.
CREATE TABLE revision_merges (
    revision_id INTEGER NOT NULL REFERENCES revisions(id) ON DELETE CASCADE,
    merged_id   INTEGER NOT NULL REFERENCES revisions(id),
    PRIMARY KEY (revision_id, merged_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX revision_merges_by_merged ON revision_merges (merged_id);

-- Heads are revisions no other revision continues: found by parent.
CREATE INDEX revisions_by_parent ON revisions (parent_id);
"#,
    r#"
-- Team projects share summaries, people's link decisions, approvals,
-- versions, glossary terms and accepted QA warnings too: more kinds of
-- shared id (SQLite cannot widen a CHECK, so the table is rebuilt).
CREATE TABLE shared_ids_wider (
    kind      TEXT NOT NULL CHECK (kind IN ('document', 'segment', 'revision', 'comment', 'section',
                                            'sentence_change', 'link', 'approval', 'version', 'term',
                                            'accepted')),
    local_id  INTEGER NOT NULL,
    shared_id TEXT NOT NULL,
    PRIMARY KEY (kind, local_id),
    UNIQUE (kind, shared_id)
) STRICT, WITHOUT ROWID;
INSERT INTO shared_ids_wider (kind, local_id, shared_id) SELECT kind, local_id, shared_id FROM shared_ids;
DROP TABLE shared_ids;
ALTER TABLE shared_ids_wider RENAME TO shared_ids;

-- What happened to a summary sentence after it was written (taken out,
-- brought back, its kind changed), append-only, so another clone can
-- replay it; the segment row holds the outcome.
CREATE TABLE sentence_changes (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    segment_id INTEGER NOT NULL REFERENCES segments(id),
    change     TEXT NOT NULL CHECK (change IN ('removed', 'restored', 'claim', 'commentary')),
    author     TEXT NOT NULL,
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
) STRICT;
CREATE INDEX sentence_changes_by_segment ON sentence_changes (segment_id, id);
-- A sentence's kind and whether it is shown are its newest changes, so
-- the sentences written before carry theirs.
INSERT INTO sentence_changes (segment_id, change, author, created_at)
    SELECT s.id, s.sentence_kind,
           coalesce((SELECT author FROM revisions WHERE segment_id = s.id ORDER BY id LIMIT 1), 'Verso'),
           coalesce((SELECT min(created_at) FROM revisions WHERE segment_id = s.id), d.imported_at)
      FROM segments s JOIN documents d ON d.id = s.document_id
     WHERE d.kind = 'summary' AND s.sentence_kind IS NOT NULL ORDER BY s.id;
INSERT INTO sentence_changes (segment_id, change, author)
    SELECT s.id, 'removed', 'Verso' FROM segments s JOIN documents d ON d.id = s.document_id
     WHERE d.kind = 'summary' AND s.merged_into = s.id ORDER BY s.id;

-- When a summary's section was added: sections from several people are
-- ordered by it.
ALTER TABLE passages ADD COLUMN created_at TEXT;
"#,
    r#"
-- Team projects share imported reference memories and their removal too.
CREATE TABLE shared_ids_wider (
    kind      TEXT NOT NULL CHECK (kind IN ('document', 'segment', 'revision', 'comment', 'section',
                                            'sentence_change', 'link', 'approval', 'version', 'term',
                                            'accepted', 'memory', 'memory_removal')),
    local_id  INTEGER NOT NULL,
    shared_id TEXT NOT NULL,
    PRIMARY KEY (kind, local_id),
    UNIQUE (kind, shared_id)
) STRICT, WITHOUT ROWID;
INSERT INTO shared_ids_wider (kind, local_id, shared_id) SELECT kind, local_id, shared_id FROM shared_ids;
DROP TABLE shared_ids;
ALTER TABLE shared_ids_wider RENAME TO shared_ids;

-- A shared reference memory someone removed: its shared id, so every
-- clone removes it and none takes it in again from the repository.
CREATE TABLE memory_removals (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    memory     TEXT NOT NULL UNIQUE,
    author     TEXT NOT NULL,
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
) STRICT;

-- A glossary import skips pairs already there: found by this index, not by
-- reading the whole glossary once per term (quadratic: a 280,000-entry TBX
-- ran for more than ten minutes).
CREATE INDEX glossary_terms_by_pair ON glossary_terms (source_lang, target_lang, source, target);
"#,
    r#"
-- Machine translations of source passages nobody has translated, made only
-- to link summaries to them: never revisions, never shared with a team.
-- One per passage, profile, model and language; `source` is the text that
-- was sent, so a passage whose text changed is translated again.
CREATE TABLE link_translations (
    segment_id  INTEGER NOT NULL REFERENCES segments(id) ON DELETE CASCADE,
    profile     TEXT NOT NULL,
    model       TEXT NOT NULL,
    target_lang TEXT NOT NULL,
    source      TEXT NOT NULL,
    text        TEXT NOT NULL,
    PRIMARY KEY (segment_id, profile, model, target_lang)
) STRICT;

-- Verdicts of the user's own model on summary claims: asked once per claim
-- text, evidence, profile, model and prompt version, so an unchanged
-- sentence is never asked again. Local, like the translations above.
CREATE TABLE claim_checks (
    profile        TEXT NOT NULL,
    model          TEXT NOT NULL,
    prompt_version INTEGER NOT NULL,
    claim          TEXT NOT NULL,
    evidence       TEXT NOT NULL,
    supported      INTEGER NOT NULL CHECK (supported IN (0, 1)),
    PRIMARY KEY (profile, model, prompt_version, claim, evidence)
) STRICT, WITHOUT ROWID;

-- Segments locked against change (a headline the client fixed, a quote
-- that must stay as published): no new translation until unlocked.
CREATE TABLE segment_locks (
    segment_id INTEGER PRIMARY KEY REFERENCES segments(id) ON DELETE CASCADE,
    author     TEXT NOT NULL,
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
) STRICT;
"#,
    r#"
-- The kind of error a reviewer rejected a translation for (after MQM), on
-- the rejection's comment, so rejections can be counted per document.
ALTER TABLE comments ADD COLUMN category TEXT
    CHECK (category IN ('accuracy', 'fluency', 'terminology', 'style', 'locale', 'numbers'));

-- A summary sentence can move to another section: `moved:FROM:TO` (passage
-- ids), so the change log is rebuilt with that kind allowed.
CREATE TABLE sentence_changes_moved (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    segment_id INTEGER NOT NULL REFERENCES segments(id),
    change     TEXT NOT NULL
        CHECK (change IN ('removed', 'restored', 'claim', 'commentary') OR change GLOB 'moved:[0-9]*:[0-9]*'),
    author     TEXT NOT NULL,
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
) STRICT;
INSERT INTO sentence_changes_moved (id, segment_id, change, author, created_at)
    SELECT id, segment_id, change, author, created_at FROM sentence_changes;
DROP TABLE sentence_changes;
ALTER TABLE sentence_changes_moved RENAME TO sentence_changes;
CREATE INDEX sentence_changes_by_segment ON sentence_changes (segment_id, id);

-- Where a source text was published, for the Source line of the articles
-- made from it: the outlet, the address and the date, as the user gave them.
-- Append-only, the newest per document counting, so team clones can share
-- each change as a record.
CREATE TABLE document_sources (
    id          INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    outlet      TEXT NOT NULL,
    url         TEXT NOT NULL,
    published   TEXT NOT NULL,
    author      TEXT NOT NULL,
    created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
) STRICT;
CREATE INDEX document_sources_by_document ON document_sources (document_id, created_at);

-- Team projects share those records too.
CREATE TABLE shared_ids_wider (
    kind      TEXT NOT NULL CHECK (kind IN ('document', 'segment', 'revision', 'comment', 'section',
                                            'sentence_change', 'link', 'approval', 'version', 'term',
                                            'accepted', 'memory', 'memory_removal', 'publication')),
    local_id  INTEGER NOT NULL,
    shared_id TEXT NOT NULL,
    PRIMARY KEY (kind, local_id),
    UNIQUE (kind, shared_id)
) STRICT, WITHOUT ROWID;
INSERT INTO shared_ids_wider (kind, local_id, shared_id) SELECT kind, local_id, shared_id FROM shared_ids;
DROP TABLE shared_ids;
ALTER TABLE shared_ids_wider RENAME TO shared_ids;
"#,
    r#"
-- The project's own dictionary: words the spell checker must accept in a
-- language (names, the outlet's house spellings), added by translators and
-- shared with the team like glossary terms.
CREATE TABLE project_words (
    id         INTEGER PRIMARY KEY,
    lang       TEXT NOT NULL,
    word       TEXT NOT NULL,
    author     TEXT NOT NULL,
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    UNIQUE (lang, word)
) STRICT;

-- A split or join remembers the segment's translation before it, so the
-- edit can be undone with the translation it had.
ALTER TABLE segment_edits ADD COLUMN revision_before INTEGER REFERENCES revisions(id);
-- An undo is an edit of the other kind that names the edit it takes back.
ALTER TABLE segment_edits ADD COLUMN undoes INTEGER REFERENCES segment_edits(id);

-- The memory's word index reads Chinese and Japanese as overlapping
-- character pairs (the application's verso_index_text), so their
-- sentences find fuzzy candidates; indexed again once, words counted again.
DROP TRIGGER tm_units_indexed;
DROP TRIGGER tm_units_unindexed;
DROP TRIGGER tm_units_reindexed;
CREATE TRIGGER tm_units_indexed AFTER INSERT ON tm_units BEGIN
    INSERT INTO tm_index (rowid, source, target) VALUES (new.id, verso_index_text(new.source), verso_index_text(new.target));
END;
CREATE TRIGGER tm_units_unindexed AFTER DELETE ON tm_units BEGIN
    INSERT INTO tm_index (tm_index, rowid, source, target)
        VALUES ('delete', old.id, verso_index_text(old.source), verso_index_text(old.target));
END;
CREATE TRIGGER tm_units_reindexed AFTER UPDATE OF source, target ON tm_units BEGIN
    INSERT INTO tm_index (tm_index, rowid, source, target)
        VALUES ('delete', old.id, verso_index_text(old.source), verso_index_text(old.target));
    INSERT INTO tm_index (rowid, source, target) VALUES (new.id, verso_index_text(new.source), verso_index_text(new.target));
END;
INSERT INTO tm_index (tm_index) VALUES ('delete-all');
INSERT INTO tm_index (rowid, source, target) SELECT id, verso_index_text(source), verso_index_text(target) FROM tm_units;
DELETE FROM tm_terms;
CREATE VIRTUAL TABLE temp.tm_vocab USING fts5vocab(main, tm_index, col);
INSERT INTO tm_terms (term, docs) SELECT term, doc FROM temp.tm_vocab WHERE col = 'source';
DROP TABLE temp.tm_vocab;

CREATE TABLE shared_ids_words (
    kind      TEXT NOT NULL CHECK (kind IN ('document', 'segment', 'revision', 'comment', 'section',
                                            'sentence_change', 'link', 'approval', 'version', 'term',
                                            'accepted', 'memory', 'memory_removal', 'publication', 'word')),
    local_id  INTEGER NOT NULL,
    shared_id TEXT NOT NULL,
    PRIMARY KEY (kind, local_id),
    UNIQUE (kind, shared_id)
) STRICT, WITHOUT ROWID;
INSERT INTO shared_ids_words (kind, local_id, shared_id) SELECT kind, local_id, shared_id FROM shared_ids;
DROP TABLE shared_ids;
ALTER TABLE shared_ids_words RENAME TO shared_ids;
"#,
];

/// What changed under an editor, in words: which saved version it started
/// from and which one is there now.
fn conflict_detail(expected: Option<RevisionId>, found: Option<RevisionId>) -> String {
    let version = |r: Option<RevisionId>| match r {
        Some(r) => format!("saved version {}", r.0),
        None => "no translation yet".to_string(),
    };
    format!("you started from {}, it now has {}", version(expected), version(found))
}

/// Prepared statements kept per connection.
const STATEMENT_CACHE: usize = 64;

/// SQLite's page cache per connection, in KiB (32 MB): keeps a large
/// memory's index pages warm between lookups.
const PAGE_CACHE_KIB: i64 = 32_768;

/// Where a hidden (joined) segment's position goes: out of the way of the
/// visible ones and of the temporary negatives used while renumbering.
pub(crate) const HIDDEN_POSITION_BASE: i64 = -1_000_000_000;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{path}: no such project file")]
    NotFound { path: PathBuf },
    #[error("{path}: a file already exists there; choose another name or open it instead")]
    AlreadyExists { path: PathBuf },
    #[error("{path}: not a Verso project file")]
    NotAProject { path: PathBuf },
    #[error(
        "{path}: written by a newer Verso (schema {found}, this version reads up to {supported}); \
         update Verso to open it. The file was not changed."
    )]
    NewerSchema { path: PathBuf, found: i64, supported: i64 },
    #[error("{path}: could not back up the project before upgrading it: {source}")]
    Backup { path: PathBuf, source: rusqlite::Error },
    #[error("no document with id {0} in this project")]
    NoSuchDocument(DocumentId),
    #[error("no segment with id {0} in this project")]
    NoSuchSegment(i64),
    #[error("segment {segment} cannot be split at character {at}: both parts must keep some text")]
    SplitOutOfRange { segment: i64, at: usize },
    #[error("segment {0} is the last of its document; there is no next segment to join it with")]
    NothingToJoin(i64),
    #[error("segment {0} has no split or join to undo, or was split or joined again since")]
    NothingToUndo(i64),
    #[error("there is no translated sentence to move across the boundary after segment {0}")]
    NothingToShift(i64),
    #[error("segment {0} has no translation yet; only a translated segment can be reviewed, approved or rejected")]
    NothingToReview(i64),
    #[error("rejecting segment {0} needs a comment saying what is wrong")]
    RejectNeedsComment(i64),
    #[error("a comment cannot be empty")]
    EmptyComment,
    #[error("this document already has a version named \"{0}\"")]
    VersionExists(String),
    #[error("no version \"{0}\" in this document")]
    NoSuchVersion(String),
    #[error("revision {revision} does not belong to segment {segment}")]
    ForeignRevision { segment: i64, revision: i64 },
    #[error(
        "segment {segment} was changed elsewhere while you were editing ({}); your text was not saved over it",
        conflict_detail(*expected, *found)
    )]
    Conflict { segment: i64, expected: Option<RevisionId>, found: Option<RevisionId>, their_text: Option<String> },
    #[error("segment {0} is not in conflict")]
    NotInConflict(i64),
    #[error("segment {0} is locked; unlock it (Ctrl+L) to change its translation")]
    Locked(i64),
    #[error("segment {0}: an error category goes with a rejection only")]
    CategoryWithoutReject(i64),
    #[error("document {0} is not a summary")]
    NotASummary(DocumentId),
    #[error("document {0} is a summary; a summary's sources must be documents with source text")]
    NotASource(DocumentId),
    #[error("the summary has no section {0}")]
    NoSuchSection(u32),
    #[error("a summary needs at least one source document")]
    NoSources,
    #[error("{path}: {source}")]
    Sqlite { path: PathBuf, source: rusqlite::Error },
    #[error("{path}: stored data is damaged: {detail}")]
    Corrupt { path: PathBuf, detail: String },
    #[error(transparent)]
    Lock(#[from] lock::LockError),
}

impl std::fmt::Display for DocumentId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

/// An open project file, owned by this process while it is open (see
/// [`lock`]).
pub struct Project {
    // Declared before the ownership so the connection closes (and SQLite
    // checkpoints) while this process still owns the file.
    conn: Connection,
    path: PathBuf,
    _ownership: std::sync::Arc<lock::Ownership>,
}

impl Project {
    /// Creates a new, empty project file; refuses to touch an existing file.
    pub fn create(path: &Path) -> Result<Project, StoreError> {
        let ownership = lock::acquire(path, Wait::No)?;
        if path.exists() {
            return Err(StoreError::AlreadyExists { path: path.to_path_buf() });
        }
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(path, flags).map_err(|source| sqlite(path, source))?;
        let mut project = Project { conn, path: path.to_path_buf(), _ownership: ownership };
        project.configure()?;
        project.migrate_from(0)?;
        Ok(project)
    }

    /// Opens an existing project, upgrading an older schema after a backup;
    /// refused at once while another process has it open.
    pub fn open(path: &Path) -> Result<Project, StoreError> {
        Project::open_waiting(path, Wait::No)
    }

    /// [`Project::open`], waiting as told for another process to close the
    /// project first.
    pub fn open_waiting(path: &Path, wait: Wait) -> Result<Project, StoreError> {
        if !path.is_file() {
            return Err(StoreError::NotFound { path: path.to_path_buf() });
        }
        let ownership = lock::acquire(path, wait)?;
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(path, flags).map_err(|source| sqlite(path, source))?;
        let mut project = Project { conn, path: path.to_path_buf(), _ownership: ownership };
        let not_a_project = || StoreError::NotAProject { path: path.to_path_buf() };
        // Reading a pragma is the first access; a non-SQLite file fails here.
        let app_id: i64 =
            project.conn.query_row("PRAGMA application_id", [], |row| row.get(0)).map_err(|_| not_a_project())?;
        let version: i64 =
            project.conn.query_row("PRAGMA user_version", [], |row| row.get(0)).map_err(|_| not_a_project())?;
        if app_id != APPLICATION_ID {
            return Err(not_a_project());
        }
        let supported = MIGRATIONS.len() as i64;
        if version > supported {
            return Err(StoreError::NewerSchema { path: path.to_path_buf(), found: version, supported });
        }
        project.configure()?;
        if version < supported {
            project.backup_before_migration(version)?;
            project.migrate_from(version)?;
        }
        Ok(project)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    fn configure(&mut self) -> Result<(), StoreError> {
        let path = self.path.clone();
        self.conn
            .execute_batch(
                "PRAGMA journal_mode = WAL;
                 PRAGMA synchronous = NORMAL;
                 PRAGMA foreign_keys = ON;
                 PRAGMA busy_timeout = 5000;",
            )
            .map_err(|source| sqlite(&path, source))?;
        // The word index reads Chinese and Japanese as character pairs:
        // its triggers call this on every connection that writes units.
        self.conn
            .create_scalar_function(
                "verso_index_text",
                1,
                rusqlite::functions::FunctionFlags::SQLITE_UTF8
                    | rusqlite::functions::FunctionFlags::SQLITE_DETERMINISTIC,
                |ctx| Ok(crate::tm::index_text(&ctx.get::<String>(0)?).into_owned()),
            )
            .map_err(|source| sqlite(&path, source))?;
        // Taking in a team's records cycles through some 20 statements per
        // record; rusqlite's default of 16 cached statements had every one
        // parsed again each time.
        self.conn.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
        self.set_page_cache(PAGE_CACHE_KIB)
    }

    /// Pragmas take no bound parameters; `kib` is one of our constants.
    pub(crate) fn set_page_cache(&self, kib: i64) -> Result<(), StoreError> {
        self.conn.execute_batch(&format!("PRAGMA cache_size = -{kib}")).map_err(self.err())
    }

    /// Copies the file with SQLite's online backup, so the copy is consistent
    /// even while WAL frames are pending.
    fn backup_before_migration(&self, version: i64) -> Result<(), StoreError> {
        let target = backup_path(&self.path, version);
        let mut dest =
            Connection::open(&target).map_err(|source| StoreError::Backup { path: target.clone(), source })?;
        let backup = rusqlite::backup::Backup::new(&self.conn, &mut dest)
            .map_err(|source| StoreError::Backup { path: target.clone(), source })?;
        backup
            .run_to_completion(256, std::time::Duration::ZERO, None)
            .map_err(|source| StoreError::Backup { path: target.clone(), source })
    }

    fn migrate_from(&mut self, version: i64) -> Result<(), StoreError> {
        let path = self.path.clone();
        for (index, sql) in MIGRATIONS.iter().enumerate().skip(version as usize) {
            let tx = self.conn.transaction().map_err(|source| sqlite(&path, source))?;
            tx.execute_batch(sql).map_err(|source| sqlite(&path, source))?;
            // Pragmas cannot take bound parameters; both values are our constants.
            tx.execute_batch(&format!(
                "PRAGMA user_version = {}; PRAGMA application_id = {APPLICATION_ID};",
                index + 1
            ))
            .map_err(|source| sqlite(&path, source))?;
            tx.commit().map_err(|source| sqlite(&path, source))?;
        }
        Ok(())
    }

    /// The schema version this build writes.
    pub fn schema_version() -> i64 {
        MIGRATIONS.len() as i64
    }

    fn tx(&mut self) -> Result<Transaction<'_>, StoreError> {
        let path = self.path.clone();
        self.conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(|source| sqlite(&path, source))
    }

    /// A project setting kept in `meta` (the article template, the
    /// profiles summaries are linked and checked through).
    /// The project's QA profile (which checks run, and when).
    pub fn qa_profile(&self) -> Result<QaProfile, StoreError> {
        Ok(QaProfile::from_setting(&self.setting(QA_PROFILE_KEY)?.unwrap_or_default()))
    }

    pub fn set_qa_profile(&mut self, profile: &QaProfile) -> Result<(), StoreError> {
        let stored = profile.to_setting();
        self.set_setting(QA_PROFILE_KEY, Some(&stored).filter(|s| !s.is_empty()).map(String::as_str))
    }

    fn setting(&self, key: &str) -> Result<Option<String>, StoreError> {
        self.conn
            .query_row("SELECT value FROM meta WHERE key = ?1", [key], |row| row.get(0))
            .optional()
            .map_err(self.err())
    }

    /// Sets a project setting, or removes it with `None`.
    fn set_setting(&mut self, key: &str, value: Option<&str>) -> Result<(), StoreError> {
        let path = self.path.clone();
        let e = |source| sqlite(&path, source);
        let tx = self.tx()?;
        match value {
            Some(value) => tx.execute(
                "INSERT INTO meta (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                [key, value],
            ),
            None => tx.execute("DELETE FROM meta WHERE key = ?1", [key]),
        }
        .map_err(e)?;
        tx.commit().map_err(e)
    }

    fn err(&self) -> impl Fn(rusqlite::Error) -> StoreError + '_ {
        move |source| sqlite(&self.path, source)
    }

    /// Stores a parsed document with all its passages and segments, atomically.
    pub fn add_document(&mut self, doc: &NewDocument) -> Result<DocumentId, StoreError> {
        let path = self.path.clone();
        let e = |source| sqlite(&path, source);
        let tx = self.tx()?;
        let (id, _) = insert_document(&tx, doc).map_err(e)?;
        tx.commit().map_err(e)?;
        Ok(id)
    }

    /// Stores a document together with the file it was read from, in one
    /// transaction (for formats whose translation is written back into it).
    pub fn add_document_with_source(&mut self, doc: &NewDocument, original: &[u8]) -> Result<DocumentId, StoreError> {
        let path = self.path.clone();
        let e = |source| sqlite(&path, source);
        let tx = self.tx()?;
        let (id, _) = insert_document(&tx, doc).map_err(e)?;
        tx.execute("INSERT INTO source_files (document_id, bytes) VALUES (?1, ?2)", params![id.0, original])
            .map_err(e)?;
        tx.commit().map_err(e)?;
        Ok(id)
    }

    /// The file a document was read from, when it was kept.
    pub fn source_file(&self, document: DocumentId) -> Result<Option<Vec<u8>>, StoreError> {
        self.conn
            .query_row("SELECT bytes FROM source_files WHERE document_id = ?1", [document.0], |r| r.get(0))
            .optional()
            .map_err(self.err())
    }

    /// Stores a document together with its existing translation, as the
    /// aligner paired them: one draft revision per segment (origin
    /// `aligned`) and the aligner's confidence, in one transaction.
    pub fn add_aligned_document(
        &mut self,
        doc: &NewDocument,
        pairs: &[(Option<String>, f32)],
        author: &str,
    ) -> Result<DocumentId, StoreError> {
        let path = self.path.clone();
        let e = |source| sqlite(&path, source);
        let tx = self.tx()?;
        let (id, segments) = insert_document(&tx, doc).map_err(e)?;
        for (segment, (translation, confidence)) in segments.iter().zip(pairs) {
            tx.execute(
                "UPDATE segments SET alignment_confidence = ?1 WHERE id = ?2",
                params![f64::from(*confidence), segment.0],
            )
            .map_err(e)?;
            if let Some(text) = translation {
                insert_revision_from(&tx, *segment, None, text, Status::Draft, author, Some("aligned")).map_err(e)?;
            }
        }
        tx.commit().map_err(e)?;
        Ok(id)
    }

    /// Stores a document read from an XLIFF file of `family` ('1' or '2')
    /// with what came with it: one revision per translated segment (its
    /// status, origin `origin`), notes as comments, inline codes' XML, all
    /// in one transaction.
    pub fn add_translated_document(
        &mut self,
        imported: &crate::formats::xliff::Imported,
        family: char,
        author: &str,
        origin: &str,
    ) -> Result<DocumentId, StoreError> {
        let crate::formats::xliff::Imported { document: doc, translations, codes, notes } = imported;
        let path = self.path.clone();
        let e = |source| sqlite(&path, source);
        let tx = self.tx()?;
        let (id, segments) = insert_document(&tx, doc).map_err(e)?;
        // Into the project memory at once: unit by unit, 117,000 translated
        // segments took 13.5 s.
        let mut confirmed = Vec::new();
        for (segment, translation) in segments.iter().zip(translations) {
            if let Some((text, status)) = translation {
                insert_revision_row(&tx, *segment, None, text, *status, author, Some(origin)).map_err(e)?;
                if status.is_translated() && !text.trim().is_empty() {
                    confirmed.push(memory::Confirmed {
                        segment: *segment,
                        text,
                        status: *status,
                        author,
                        origin: Some(origin),
                    });
                }
            }
        }
        memory::record_all(&tx, confirmed.into_iter()).map_err(e)?;
        for (segment, notes) in segments.iter().zip(notes) {
            for note in notes.iter().filter(|n| !n.trim().is_empty()) {
                insert_comment(&tx, *segment, None, note, None, author).map_err(e)?;
            }
        }
        for (segment, codes) in segments.iter().zip(codes) {
            for (marker, xml) in codes {
                tx.execute(
                    "INSERT OR IGNORE INTO inline_codes (segment_id, marker, xml, family) VALUES (?1, ?2, ?3, ?4)",
                    params![segment.0, marker, xml, family.to_string()],
                )
                .map_err(e)?;
            }
        }
        tx.commit().map_err(e)?;
        Ok(id)
    }

    /// Applies translations edited elsewhere (an XLIFF file coming back)
    /// to segments of `document`: a new revision where the text or status
    /// differs. All or nothing; returns how many segments changed.
    pub fn apply_translations(
        &mut self,
        document: DocumentId,
        updates: &[(SegmentId, String, Status)],
        author: &str,
        origin: &str,
    ) -> Result<u32, StoreError> {
        let path = self.path.clone();
        let e = |source| sqlite(&path, source);
        let tx = self.tx()?;
        let mut changed = 0;
        for (segment, text, status) in updates {
            let owner: Option<i64> = tx
                .query_row("SELECT document_id FROM segments WHERE id = ?1 AND merged_into IS NULL", [segment.0], |r| {
                    r.get(0)
                })
                .optional()
                .map_err(e)?;
            if owner != Some(document.0) {
                return Err(StoreError::NoSuchSegment(segment.0));
            }
            let head = current_revision(&tx, *segment).map_err(e)?;
            if head.as_ref().is_some_and(|(_, t, s)| t == text && s == status.as_str()) {
                continue;
            }
            insert_revision_from(&tx, *segment, head.map(|h| h.0), text, *status, author, Some(origin)).map_err(e)?;
            changed += 1;
        }
        tx.commit().map_err(e)?;
        Ok(changed)
    }

    /// The stored inline codes of a document's segments, by placeholder,
    /// for one XLIFF family ('1' or '2').
    pub fn inline_codes(
        &self,
        document: DocumentId,
        family: char,
    ) -> Result<std::collections::HashMap<SegmentId, std::collections::HashMap<String, String>>, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT c.segment_id, c.marker, c.xml FROM inline_codes c
                   JOIN segments s ON s.id = c.segment_id WHERE s.document_id = ?1 AND c.family = ?2",
            )
            .map_err(self.err())?;
        let rows = stmt
            .query_map(params![document.0, family.to_string()], |r| {
                Ok((SegmentId(r.get(0)?), r.get::<_, String>(1)?, r.get::<_, String>(2)?))
            })
            .map_err(self.err())?;
        let mut codes: std::collections::HashMap<SegmentId, std::collections::HashMap<String, String>> =
            std::collections::HashMap::new();
        for row in rows {
            let (segment, marker, xml) = row.map_err(self.err())?;
            codes.entry(segment).or_default().insert(marker, xml);
        }
        Ok(codes)
    }

    /// Every document with its progress, oldest first.
    pub fn documents(&self) -> Result<Vec<DocumentSummary>, StoreError> {
        self.query_documents(None)
    }

    pub fn document(&self, id: DocumentId) -> Result<DocumentSummary, StoreError> {
        self.query_documents(Some(id))?.into_iter().next().ok_or(StoreError::NoSuchDocument(id))
    }

    fn query_documents(&self, only: Option<DocumentId>) -> Result<Vec<DocumentSummary>, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT d.id, d.title, d.source_lang, d.target_lang, d.origin, d.format, d.imported_at,
                        (SELECT count(*) FROM segments s WHERE s.document_id = d.id AND s.merged_into IS NULL),
                        (SELECT count(*) FROM segments s
                           JOIN revisions r ON r.id = (SELECT max(id) FROM revisions WHERE segment_id = s.id)
                          WHERE s.document_id = d.id AND s.merged_into IS NULL
                            AND r.status IN ('translated', 'reviewed', 'approved')),
                        (SELECT count(*) FROM segments s
                           JOIN revisions r ON r.id = (SELECT max(id) FROM revisions WHERE segment_id = s.id)
                          WHERE s.document_id = d.id AND s.merged_into IS NULL AND r.status = 'approved'),
                        d.kind, coalesce(p.outlet, ''), coalesce(p.url, ''), coalesce(p.published, '')
                   FROM documents d
                   LEFT JOIN document_sources p ON p.id = (SELECT id FROM document_sources WHERE document_id = d.id
                                                            ORDER BY created_at DESC, id DESC LIMIT 1)
                  WHERE ?1 IS NULL OR d.id = ?1
                  ORDER BY d.id",
            )
            .map_err(self.err())?;
        let rows = stmt
            .query_map(params![only.map(|id| id.0)], |row| {
                Ok((
                    row.get::<_, i64>(0)?,
                    row.get::<_, String>(1)?,
                    row.get::<_, String>(2)?,
                    row.get::<_, String>(3)?,
                    row.get::<_, String>(4)?,
                    row.get::<_, String>(5)?,
                    row.get::<_, String>(6)?,
                    row.get::<_, i64>(7)?,
                    row.get::<_, i64>(8)?,
                    row.get::<_, i64>(9)?,
                    row.get::<_, String>(10)?,
                    Publication { outlet: row.get(11)?, url: row.get(12)?, date: row.get(13)? },
                ))
            })
            .map_err(self.err())?;
        let mut documents = Vec::new();
        for row in rows {
            let (
                id,
                title,
                source,
                target,
                origin,
                format,
                imported_at,
                segments,
                translated,
                approved,
                kind,
                publication,
            ) = row.map_err(self.err())?;
            documents.push(DocumentSummary {
                id: DocumentId(id),
                kind: DocumentKind::parse(&kind)
                    .ok_or_else(|| self.corrupt(format!("unknown document kind {kind:?}")))?,
                title,
                source_lang: self.stored_lang(&source)?,
                target_lang: self.stored_lang(&target)?,
                origin,
                format: SourceFormat::parse(&format)
                    .ok_or_else(|| self.corrupt(format!("unknown format {format:?}")))?,
                imported_at,
                segments: segments as u64,
                translated: translated as u64,
                approved: approved as u64,
                publication,
            });
        }
        Ok(documents)
    }

    /// Records where a document's source was published (all fields empty:
    /// not known any more).
    pub fn set_publication(
        &mut self,
        document: DocumentId,
        publication: &Publication,
        author: &str,
    ) -> Result<(), StoreError> {
        self.document(document)?;
        let path = self.path.clone();
        let e = |source| sqlite(&path, source);
        let tx = self.tx()?;
        tx.execute(
            "INSERT INTO document_sources (document_id, outlet, url, published, author) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![document.0, publication.outlet, publication.url, publication.date, author],
        )
        .map_err(e)?;
        tx.commit().map_err(e)?;
        Ok(())
    }

    /// The document's target language; also a cheap check that it exists.
    pub fn target_language(&self, doc: DocumentId) -> Result<LangTag, StoreError> {
        Ok(self.languages(doc)?.1)
    }

    /// Source and target language, without the progress counts that
    /// [`Project::document`] computes.
    pub fn languages(&self, doc: DocumentId) -> Result<(LangTag, LangTag), StoreError> {
        let tags: Option<(String, String)> = self
            .conn
            .query_row("SELECT source_lang, target_lang FROM documents WHERE id = ?1", [doc.0], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .optional()
            .map_err(self.err())?;
        let (source, target) = tags.ok_or(StoreError::NoSuchDocument(doc))?;
        Ok((self.stored_lang(&source)?, self.stored_lang(&target)?))
    }

    /// The visible segment after `row` in its document, if any.
    fn next_segment(&self, row: &SegmentRow) -> Result<Option<SegmentRow>, StoreError> {
        let id: Option<i64> = self
            .conn
            .query_row(
                "SELECT id FROM segments WHERE document_id = ?1 AND position = ?2 AND merged_into IS NULL",
                params![row.document_id.0, i64::from(row.position) + 1],
                |r| r.get(0),
            )
            .optional()
            .map_err(self.err())?;
        id.map(|id| self.segment(SegmentId(id))).transpose()
    }

    fn stored_lang(&self, tag: &str) -> Result<LangTag, StoreError> {
        tag.parse().map_err(|_| self.corrupt(format!("invalid language tag {tag:?}")))
    }

    fn corrupt(&self, detail: String) -> StoreError {
        StoreError::Corrupt { path: self.path.clone(), detail }
    }

    /// The editor rows of a document, in reading order.
    pub fn segments(&self, doc: DocumentId) -> Result<Vec<SegmentRow>, StoreError> {
        self.target_language(doc)?;
        self.query_segments("s.document_id = ?1 AND s.merged_into IS NULL", doc.0, -1)
    }

    /// The first `limit` rows of a document: a first screen, sent before
    /// the rest of a long document.
    pub fn segments_head(&self, doc: DocumentId, limit: u32) -> Result<Vec<SegmentRow>, StoreError> {
        self.target_language(doc)?;
        self.query_segments("s.document_id = ?1 AND s.merged_into IS NULL", doc.0, i64::from(limit))
    }

    pub fn segment(&self, id: SegmentId) -> Result<SegmentRow, StoreError> {
        self.query_segments("s.id = ?1 AND s.merged_into IS NULL", id.0, 1)?
            .into_iter()
            .next()
            .ok_or(StoreError::NoSuchSegment(id.0))
    }

    /// Rows matching `filter`, at most `limit` of them (-1: all).
    fn query_segments(&self, filter: &'static str, key: i64, limit: i64) -> Result<Vec<SegmentRow>, StoreError> {
        // `filter` is one of two constant strings above, never user input.
        let sql = format!(
            "SELECT s.id, s.document_id, p.position, p.kind, p.level, s.position, s.source, r.id, r.text, r.status,
                    (SELECT count(*) FROM comments c WHERE c.segment_id = s.id), r.origin, s.alignment_confidence,
                    EXISTS (SELECT 1 FROM segment_locks l WHERE l.segment_id = s.id)
               FROM segments s
               JOIN passages p ON p.id = s.passage_id
               LEFT JOIN revisions r ON r.id = (SELECT max(id) FROM revisions WHERE segment_id = s.id)
              WHERE {filter}
              ORDER BY s.document_id, s.position
              LIMIT ?2"
        );
        let mut stmt = self.conn.prepare_cached(&sql).map_err(self.err())?;
        let rows = stmt
            .query_map([key, limit], |row| {
                Ok((
                    row.get::<_, i64>(0)?,
                    row.get::<_, i64>(1)?,
                    row.get::<_, i64>(2)?,
                    row.get::<_, String>(3)?,
                    row.get::<_, i64>(4)?,
                    row.get::<_, i64>(5)?,
                    row.get::<_, String>(6)?,
                    row.get::<_, Option<i64>>(7)?,
                    row.get::<_, Option<String>>(8)?,
                    row.get::<_, Option<String>>(9)?,
                    row.get::<_, i64>(10)?,
                    row.get::<_, Option<String>>(11)?,
                    row.get::<_, Option<f64>>(12)?,
                    row.get::<_, bool>(13)?,
                ))
            })
            .map_err(self.err())?;
        let mut segments = Vec::new();
        for row in rows {
            let (
                id,
                doc,
                passage,
                kind,
                level,
                position,
                source,
                revision,
                text,
                status,
                comments,
                origin,
                confidence,
                locked,
            ) = row.map_err(self.err())?;
            let status = match status {
                Some(name) => Status::parse(&name).ok_or_else(|| self.corrupt(format!("unknown status {name:?}")))?,
                None => Status::New,
            };
            segments.push(SegmentRow {
                id: SegmentId(id),
                document_id: DocumentId(doc),
                passage: passage as u32,
                passage_kind: PassageKind::parse(&kind)
                    .ok_or_else(|| self.corrupt(format!("unknown passage kind {kind:?}")))?,
                passage_level: level.clamp(0, 255) as u8,
                position: position as u32,
                source,
                translation: text,
                status,
                revision: revision.map(RevisionId),
                comments: comments as u32,
                origin,
                confidence: confidence.map(|c| c as f32),
                locked,
            });
        }
        Ok(segments)
    }

    /// Appends a revision to a segment, refusing if the segment moved on
    /// since `edit.base` (see [`TranslationEdit`]).
    pub fn save_translation(&mut self, edit: &TranslationEdit, author: &str) -> Result<Revision, StoreError> {
        let path = self.path.clone();
        let e = |source| sqlite(&path, source);
        let tx = self.tx()?;
        let exists: bool = tx
            .query_row("SELECT EXISTS (SELECT 1 FROM segments WHERE id = ?1)", [edit.segment.0], |row| row.get(0))
            .map_err(e)?;
        if !exists {
            return Err(StoreError::NoSuchSegment(edit.segment.0));
        }
        if is_locked(&tx, edit.segment).map_err(e)? {
            return Err(StoreError::Locked(edit.segment.0));
        }
        let head: Option<(i64, String)> = tx
            .query_row(
                "SELECT id, text FROM revisions WHERE segment_id = ?1 ORDER BY id DESC LIMIT 1",
                [edit.segment.0],
                |row| Ok((row.get(0)?, row.get(1)?)),
            )
            .optional()
            .map_err(e)?;
        let head_id = head.as_ref().map(|(id, _)| RevisionId(*id));
        if head_id != edit.base {
            return Err(StoreError::Conflict {
                segment: edit.segment.0,
                expected: edit.base,
                found: head_id,
                their_text: head.map(|(_, text)| text),
            });
        }
        let revision =
            insert_revision_from(&tx, edit.segment, head_id, &edit.text, edit.status, author, edit.origin.as_deref())
                .map_err(e)?;
        tx.commit().map_err(e)?;
        Ok(revision)
    }

    /// Locks a segment against new translations, or unlocks it.
    pub fn set_locked(&mut self, segment: SegmentId, locked: bool, author: &str) -> Result<SegmentRow, StoreError> {
        self.segment(segment)?;
        let path = self.path.clone();
        let e = |source| sqlite(&path, source);
        let tx = self.tx()?;
        if locked {
            tx.execute(
                "INSERT OR IGNORE INTO segment_locks (segment_id, author) VALUES (?1, ?2)",
                params![segment.0, author],
            )
        } else {
            tx.execute("DELETE FROM segment_locks WHERE segment_id = ?1", [segment.0])
        }
        .map_err(e)?;
        tx.commit().map_err(e)?;
        self.segment(segment)
    }

    /// Fills the untranslated repetitions of a confirmed segment (the same
    /// source text elsewhere in its document) with its translation, each
    /// as a revision of its own with the origin `repetition`, in one
    /// transaction. Segments someone has translated are left alone.
    /// Returns the segments filled.
    pub fn fill_repetitions(&mut self, segment: SegmentId, author: &str) -> Result<Vec<SegmentId>, StoreError> {
        let row = self.segment(segment)?;
        let Some(text) = row.translation.filter(|t| !t.trim().is_empty() && row.status.is_translated()) else {
            return Ok(Vec::new());
        };
        let path = self.path.clone();
        let e = |source| sqlite(&path, source);
        let tx = self.tx()?;
        let repetitions: Vec<i64> = {
            let mut stmt = tx
                .prepare(
                    "SELECT s.id FROM segments s
                      WHERE s.document_id = ?1 AND s.id <> ?2 AND s.merged_into IS NULL AND trim(s.source) = trim(?3)
                        AND NOT EXISTS (SELECT 1 FROM revisions r WHERE r.segment_id = s.id AND trim(r.text) <> '')
                        AND NOT EXISTS (SELECT 1 FROM segment_locks l WHERE l.segment_id = s.id)
                      ORDER BY s.position",
                )
                .map_err(e)?;
            stmt.query_map(params![row.document_id.0, segment.0, row.source], |r| r.get(0))
                .map_err(e)?
                .collect::<Result<_, _>>()
                .map_err(e)?
        };
        for &id in &repetitions {
            let head: Option<i64> =
                tx.query_row("SELECT max(id) FROM revisions WHERE segment_id = ?1", [id], |r| r.get(0)).map_err(e)?;
            insert_revision_from(
                &tx,
                SegmentId(id),
                head.map(RevisionId),
                &text,
                Status::Translated,
                author,
                Some("repetition"),
            )
            .map_err(e)?;
        }
        tx.commit().map_err(e)?;
        Ok(repetitions.into_iter().map(SegmentId).collect())
    }

    /// Splits a segment's source at character `at`: the first part keeps
    /// the segment (id and history) and the second becomes a new segment
    /// right after it. The current translation stays with the first part as
    /// a new `draft` revision, since its source changed under it.
    pub fn split_segment(&mut self, segment: SegmentId, at: usize, author: &str) -> Result<SegmentId, StoreError> {
        let row = self.segment(segment)?;
        let split_at = row.source.char_indices().nth(at).map(|(byte, _)| byte);
        let (left, right) = match split_at {
            Some(byte) => (row.source[..byte].trim_end(), row.source[byte..].trim_start()),
            None => ("", ""),
        };
        if left.is_empty() || right.is_empty() {
            return Err(StoreError::SplitOutOfRange { segment: segment.0, at });
        }
        let path = self.path.clone();
        let e = |source| sqlite(&path, source);
        let tx = self.tx()?;
        let position = i64::from(row.position);
        shift_positions(&tx, row.document_id.0, position, 1).map_err(e)?;
        let passage_id: i64 =
            tx.query_row("SELECT passage_id FROM segments WHERE id = ?1", [segment.0], |r| r.get(0)).map_err(e)?;
        tx.execute("UPDATE segments SET source = ?1 WHERE id = ?2", params![left, segment.0]).map_err(e)?;
        tx.execute(
            "INSERT INTO segments (document_id, passage_id, position, source) VALUES (?1, ?2, ?3, ?4)",
            params![row.document_id.0, passage_id, position + 1, right],
        )
        .map_err(e)?;
        let new_id = tx.last_insert_rowid();
        if let (Some(text), Some(head)) = (&row.translation, row.revision) {
            insert_revision(&tx, segment, Some(head), text, Status::Draft, author).map_err(e)?;
        }
        tx.execute(
            "INSERT INTO segment_edits (kind, segment_id, other_id, source_before, author, revision_before)
             VALUES ('split', ?1, ?2, ?3, ?4, ?5)",
            params![segment.0, new_id, row.source, author, row.revision.map(|r| r.0)],
        )
        .map_err(e)?;
        tx.commit().map_err(e)?;
        Ok(SegmentId(new_id))
    }

    /// Joins a segment with the one after it. The next segment is hidden
    /// (its revisions are kept), the sources are joined, and the two
    /// translations, if any, are joined into a new `draft` revision.
    pub fn join_with_next(&mut self, segment: SegmentId, author: &str) -> Result<(), StoreError> {
        let row = self.segment(segment)?;
        let next = self.next_segment(&row)?.ok_or(StoreError::NothingToJoin(segment.0))?;
        let (lang, _) = self.languages(row.document_id)?;
        let separator = lang.facts().sentence_joiner;
        let source = format!("{}{separator}{}", row.source, next.source);
        let translation = match (&row.translation, &next.translation) {
            (None, None) => None,
            (a, b) => Some(joined_translations(a.as_deref().unwrap_or(""), b.as_deref().unwrap_or(""), separator)),
        };
        let path = self.path.clone();
        let e = |source| sqlite(&path, source);
        let tx = self.tx()?;
        tx.execute(
            "UPDATE segments SET merged_into = ?1, position = ?2 WHERE id = ?3",
            params![segment.0, HIDDEN_POSITION_BASE - next.id.0, next.id.0],
        )
        .map_err(e)?;
        tx.execute("UPDATE segments SET source = ?1 WHERE id = ?2", params![source, segment.0]).map_err(e)?;
        shift_positions(&tx, row.document_id.0, i64::from(next.position), -1).map_err(e)?;
        if let Some(text) = translation {
            insert_revision(&tx, segment, row.revision, &text, Status::Draft, author).map_err(e)?;
        }
        tx.execute(
            "INSERT INTO segment_edits (kind, segment_id, other_id, source_before, other_source_before, author, revision_before)
             VALUES ('join', ?1, ?2, ?3, ?4, ?5, ?6)",
            params![segment.0, next.id.0, row.source, next.source, author, row.revision.map(|r| r.0)],
        )
        .map_err(e)?;
        tx.commit().map_err(e)?;
        Ok(())
    }

    /// Records a reviewer's decision as a new revision with the same text.
    /// Approving or reviewing needs a translation; rejecting needs a comment,
    /// which is stored against the new revision.
    pub fn review(
        &mut self,
        segment: SegmentId,
        decision: Decision,
        comment: Option<&str>,
        category: Option<ErrorCategory>,
        author: &str,
    ) -> Result<Revision, StoreError> {
        let path = self.path.clone();
        let e = |source| sqlite(&path, source);
        let tx = self.tx()?;
        let revision = review_in(&tx, segment, decision, comment, category, author)?;
        tx.commit().map_err(e)?;
        Ok(revision)
    }

    /// Applies one decision to many segments in one transaction; segments
    /// with nothing to review are skipped and counted.
    pub fn bulk_review(
        &mut self,
        segments: &[SegmentId],
        decision: Decision,
        author: &str,
    ) -> Result<BulkOutcome, StoreError> {
        if decision == Decision::Rejected {
            return Err(StoreError::RejectNeedsComment(segments.first().map_or(0, |s| s.0)));
        }
        let path = self.path.clone();
        let e = |source| sqlite(&path, source);
        let tx = self.tx()?;
        let mut outcome = BulkOutcome { changed: 0, skipped: 0 };
        for &segment in segments {
            match review_in(&tx, segment, decision, None, None, author) {
                Ok(_) => outcome.changed += 1,
                Err(StoreError::NothingToReview(_)) => outcome.skipped += 1,
                Err(other) => return Err(other),
            }
        }
        tx.commit().map_err(e)?;
        Ok(outcome)
    }

    /// Brings back an earlier revision's text as a new draft revision.
    pub fn restore_revision(
        &mut self,
        segment: SegmentId,
        revision: RevisionId,
        author: &str,
    ) -> Result<Revision, StoreError> {
        let path = self.path.clone();
        let e = |source| sqlite(&path, source);
        let tx = self.tx()?;
        let text: Option<String> = tx
            .query_row(
                "SELECT text FROM revisions WHERE id = ?1 AND segment_id = ?2",
                params![revision.0, segment.0],
                |r| r.get(0),
            )
            .optional()
            .map_err(e)?;
        let text = text.ok_or(StoreError::ForeignRevision { segment: segment.0, revision: revision.0 })?;
        let head = current_revision(&tx, segment).map_err(e)?.map(|(id, _, _)| id);
        let restored = insert_revision(&tx, segment, head, &text, Status::Draft, author).map_err(e)?;
        tx.commit().map_err(e)?;
        Ok(restored)
    }

    pub fn add_comment(&mut self, segment: SegmentId, text: &str, author: &str) -> Result<Comment, StoreError> {
        if text.trim().is_empty() {
            return Err(StoreError::EmptyComment);
        }
        self.segment(segment)?;
        let path = self.path.clone();
        let e = |source| sqlite(&path, source);
        let tx = self.tx()?;
        let head = current_revision(&tx, segment).map_err(e)?.map(|(id, _, _)| id);
        let comment = insert_comment(&tx, segment, head, text, None, author).map_err(e)?;
        tx.commit().map_err(e)?;
        Ok(comment)
    }

    pub fn comments(&self, segment: SegmentId) -> Result<Vec<Comment>, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT id, revision_id, author, text, created_at, category FROM comments WHERE segment_id = ?1 ORDER BY id",
            )
            .map_err(self.err())?;
        let rows = stmt
            .query_map([segment.0], |row| {
                Ok(Comment {
                    id: row.get(0)?,
                    segment,
                    revision: row.get::<_, Option<i64>>(1)?.map(RevisionId),
                    author: row.get(2)?,
                    text: row.get(3)?,
                    category: row.get::<_, Option<String>>(5)?.as_deref().and_then(ErrorCategory::parse),
                    created_at: row.get(4)?,
                })
            })
            .map_err(self.err())?;
        rows.collect::<Result<Vec<_>, _>>().map_err(self.err())
    }

    /// Rejections in a document by error category, every category listed.
    pub fn rejections(&self, document: DocumentId) -> Result<Vec<CategoryCount>, StoreError> {
        self.document(document)?;
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT c.category, count(*) FROM comments c JOIN segments s ON s.id = c.segment_id
                  WHERE s.document_id = ?1 AND c.category IS NOT NULL GROUP BY c.category",
            )
            .map_err(self.err())?;
        let counted: std::collections::HashMap<String, u32> = stmt
            .query_map([document.0], |row| Ok((row.get(0)?, row.get(1)?)))
            .map_err(self.err())?
            .collect::<Result<_, _>>()
            .map_err(self.err())?;
        Ok(ErrorCategory::ALL
            .into_iter()
            .map(|category| CategoryCount { category, count: counted.get(category.as_str()).copied().unwrap_or(0) })
            .collect())
    }

    /// Names the document's current state: the current revision of every
    /// visible segment, in one statement.
    pub fn create_version(&mut self, document: DocumentId, name: &str, author: &str) -> Result<Version, StoreError> {
        self.document(document)?;
        let path = self.path.clone();
        let e = |source| sqlite(&path, source);
        let tx = self.tx()?;
        let exists: bool = tx
            .query_row(
                "SELECT EXISTS (SELECT 1 FROM versions WHERE document_id = ?1 AND name = ?2)",
                params![document.0, name],
                |r| r.get(0),
            )
            .map_err(e)?;
        if exists {
            return Err(StoreError::VersionExists(name.into()));
        }
        tx.execute(
            "INSERT INTO versions (document_id, name, author) VALUES (?1, ?2, ?3)",
            params![document.0, name, author],
        )
        .map_err(e)?;
        let id = tx.last_insert_rowid();
        tx.execute(
            "INSERT INTO version_revisions (version_id, segment_id, revision_id)
             SELECT ?1, s.id, (SELECT max(id) FROM revisions WHERE segment_id = s.id)
               FROM segments s WHERE s.document_id = ?2 AND s.merged_into IS NULL",
            params![id, document.0],
        )
        .map_err(e)?;
        tx.commit().map_err(e)?;
        self.versions(document)?.into_iter().find(|v| v.id.0 == id).ok_or(StoreError::NoSuchVersion(name.into()))
    }

    pub fn versions(&self, document: DocumentId) -> Result<Vec<Version>, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT v.id, v.name, v.author, v.created_at, (SELECT count(*) FROM version_revisions r WHERE r.version_id = v.id)
                   FROM versions v WHERE v.document_id = ?1 ORDER BY v.id",
            )
            .map_err(self.err())?;
        let rows = stmt
            .query_map([document.0], |row| {
                Ok(Version {
                    id: VersionId(row.get(0)?),
                    document,
                    name: row.get(1)?,
                    author: row.get(2)?,
                    created_at: row.get(3)?,
                    segments: row.get::<_, i64>(4)? as u32,
                })
            })
            .map_err(self.err())?;
        rows.collect::<Result<Vec<_>, _>>().map_err(self.err())
    }

    /// A version by its name, or by its id written as a number.
    pub fn find_version(&self, document: DocumentId, name_or_id: &str) -> Result<Version, StoreError> {
        self.versions(document)?
            .into_iter()
            .find(|v| v.name == name_or_id || v.id.0.to_string() == name_or_id)
            .ok_or_else(|| StoreError::NoSuchVersion(name_or_id.into()))
    }

    /// The document as it was at `version`, or as it is now (`None`).
    pub fn snapshot(&self, document: DocumentId, version: Option<VersionId>) -> Result<Vec<SegmentState>, StoreError> {
        let rows = self.segments(document)?;
        self.snapshot_of(&rows, version)
    }

    /// Two snapshots from one read of the document's rows, for comparing.
    pub fn snapshots(
        &self,
        document: DocumentId,
        from: Option<VersionId>,
        to: Option<VersionId>,
    ) -> Result<(Vec<SegmentState>, Vec<SegmentState>), StoreError> {
        let rows = self.segments(document)?;
        Ok((self.snapshot_of(&rows, from)?, self.snapshot_of(&rows, to)?))
    }

    fn snapshot_of(&self, rows: &[SegmentRow], version: Option<VersionId>) -> Result<Vec<SegmentState>, StoreError> {
        let state = |r: &SegmentRow, revision, text, status| SegmentState {
            segment: r.id,
            position: r.position,
            source: r.source.clone(),
            text,
            status,
            revision,
        };
        let Some(version) = version else {
            return Ok(rows.iter().map(|r| state(r, r.revision, r.translation.clone(), r.status)).collect());
        };
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT v.segment_id, r.id, r.text, r.status FROM version_revisions v
                   LEFT JOIN revisions r ON r.id = v.revision_id WHERE v.version_id = ?1",
            )
            .map_err(self.err())?;
        let mut at_version = std::collections::HashMap::with_capacity(rows.len());
        let found = stmt
            .query_map([version.0], |row| {
                Ok((
                    row.get::<_, i64>(0)?,
                    row.get::<_, Option<i64>>(1)?,
                    row.get::<_, Option<String>>(2)?,
                    row.get::<_, Option<String>>(3)?,
                ))
            })
            .map_err(self.err())?;
        for item in found {
            let (segment, revision, text, status) = item.map_err(self.err())?;
            let status = status.as_deref().map_or(Some(Status::New), Status::parse).unwrap_or(Status::New);
            at_version.insert(segment, (revision.map(RevisionId), text, status));
        }
        Ok(rows
            .iter()
            .map(|r| {
                let (revision, text, status) = at_version.remove(&r.id.0).unwrap_or((None, None, Status::New));
                state(r, revision, text, status)
            })
            .collect())
    }

    /// Confirms an aligned document: every segment whose translation is
    /// still a draft becomes `translated`, and every pair with both sides
    /// goes into the project's translation memory. Returns the pairs added.
    pub fn confirm_alignment(&mut self, document: DocumentId, author: &str) -> Result<u32, StoreError> {
        let rows = self.segments(document)?;
        let path = self.path.clone();
        let e = |source| sqlite(&path, source);
        let tx = self.tx()?;
        let mut added = 0;
        for row in &rows {
            let Some(text) = row.translation.as_deref().filter(|t| !t.trim().is_empty()) else { continue };
            if row.status == Status::Draft {
                insert_revision_from(
                    &tx,
                    row.id,
                    row.revision,
                    text,
                    Status::Translated,
                    author,
                    row.origin.as_deref(),
                )
                .map_err(e)?;
            }
            // A translated revision puts the pair into the project memory.
            added += 1;
        }
        tx.commit().map_err(e)?;
        Ok(added)
    }

    /// Translation-memory pairs for a language pair, newest first, at most
    /// `limit`: what the aligner learns a dictionary from.
    pub fn translation_pairs(
        &self,
        source: &LangTag,
        target: &LangTag,
        limit: usize,
    ) -> Result<Vec<(String, String)>, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT source, target FROM tm_units WHERE source_lang = ?1 AND target_lang = ?2 ORDER BY id DESC LIMIT ?3",
            )
            .map_err(self.err())?;
        let rows = stmt
            .query_map(params![source.as_str(), target.as_str(), limit as i64], |r| Ok((r.get(0)?, r.get(1)?)))
            .map_err(self.err())?;
        rows.collect::<Result<Vec<_>, _>>().map_err(self.err())
    }

    /// Units in the project's translation memory.
    pub fn translation_unit_count(&self) -> Result<u64, StoreError> {
        self.conn
            .query_row("SELECT count(*) FROM tm_units", [], |r| r.get::<_, i64>(0))
            .map(|n| n as u64)
            .map_err(self.err())
    }

    /// Moves one translated sentence across the boundary between a segment
    /// and the next: `down` moves this segment's last sentence to the start
    /// of the next one's translation, otherwise the next one's first
    /// sentence moves up. Both changes are draft revisions of one action.
    pub fn shift_translation(&mut self, segment: SegmentId, down: bool, author: &str) -> Result<(), StoreError> {
        let row = self.segment(segment)?;
        let next = self.next_segment(&row)?.ok_or(StoreError::NothingToShift(segment.0))?;
        let lang = self.target_language(row.document_id)?;
        let separator = lang.facts().sentence_joiner;
        let sentences = |text: &Option<String>| -> Vec<String> {
            text.as_deref()
                .map(|t| crate::segment::split_text(t, &lang).map(str::to_string).collect())
                .unwrap_or_default()
        };
        let (mut mine, mut theirs) = (sentences(&row.translation), sentences(&next.translation));
        if down {
            let moved = mine.pop().ok_or(StoreError::NothingToShift(segment.0))?;
            theirs.insert(0, moved);
        } else {
            if theirs.is_empty() {
                return Err(StoreError::NothingToShift(next.id.0));
            }
            mine.push(theirs.remove(0));
        }
        let path = self.path.clone();
        let e = |source| sqlite(&path, source);
        let tx = self.tx()?;
        insert_revision_from(
            &tx,
            row.id,
            row.revision,
            &mine.join(separator),
            Status::Draft,
            author,
            row.origin.as_deref(),
        )
        .map_err(e)?;
        insert_revision_from(
            &tx,
            next.id,
            next.revision,
            &theirs.join(separator),
            Status::Draft,
            author,
            next.origin.as_deref(),
        )
        .map_err(e)?;
        tx.commit().map_err(e)?;
        Ok(())
    }

    /// Every revision of a segment, oldest first.
    pub fn revisions(&self, segment: SegmentId) -> Result<Vec<Revision>, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT id, parent_id, text, status, author, created_at, origin FROM revisions WHERE segment_id = ?1 ORDER BY id",
            )
            .map_err(self.err())?;
        let rows = stmt
            .query_map([segment.0], |row| {
                Ok((
                    row.get::<_, i64>(0)?,
                    row.get::<_, Option<i64>>(1)?,
                    row.get::<_, String>(2)?,
                    row.get::<_, String>(3)?,
                    row.get::<_, String>(4)?,
                    row.get::<_, String>(5)?,
                    row.get::<_, Option<String>>(6)?,
                ))
            })
            .map_err(self.err())?;
        let mut revisions = Vec::new();
        for row in rows {
            let (id, parent, text, status, author, created_at, origin) = row.map_err(self.err())?;
            revisions.push(Revision {
                id: RevisionId(id),
                segment,
                parent: parent.map(RevisionId),
                text,
                status: Status::parse(&status).ok_or_else(|| self.corrupt(format!("unknown status {status:?}")))?,
                author,
                created_at,
                origin,
            });
        }
        Ok(revisions)
    }

    /// The name recorded as author of this user's revisions in this project.
    pub fn author(&self) -> Result<Option<String>, StoreError> {
        self.conn
            .query_row("SELECT value FROM meta WHERE key = 'author'", [], |row| row.get(0))
            .optional()
            .map_err(self.err())
    }

    pub fn set_author(&mut self, name: &str) -> Result<(), StoreError> {
        let path = self.path.clone();
        let tx = self.tx()?;
        tx.execute("INSERT INTO meta (key, value) VALUES ('author', ?1) ON CONFLICT (key) DO UPDATE SET value = excluded.value", [name])
            .map_err(|source| sqlite(&path, source))?;
        tx.commit().map_err(|source| sqlite(&path, source))
    }

    /// Runs SQLite's own consistency check; `Ok(())` means the file is sound.
    pub fn integrity_check(&self) -> Result<(), StoreError> {
        let verdict: String =
            self.conn.query_row("PRAGMA integrity_check", [], |row| row.get(0)).map_err(self.err())?;
        if verdict == "ok" { Ok(()) } else { Err(self.corrupt(verdict)) }
    }
}

/// Inserts a document, its passages and segments; returns the document id
/// and the segment ids in reading order.
fn insert_document(tx: &Transaction<'_>, doc: &NewDocument) -> rusqlite::Result<(DocumentId, Vec<SegmentId>)> {
    tx.execute(
        "INSERT INTO documents (title, source_lang, target_lang, origin, format) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![doc.title, doc.source_lang.as_str(), doc.target_lang.as_str(), doc.origin, doc.format.as_str()],
    )?;
    let doc_id = tx.last_insert_rowid();
    let mut segments = Vec::new();
    let mut insert_passage =
        tx.prepare("INSERT INTO passages (document_id, position, kind, level) VALUES (?1, ?2, ?3, ?4)")?;
    let mut insert_segment =
        tx.prepare("INSERT INTO segments (document_id, passage_id, position, source) VALUES (?1, ?2, ?3, ?4)")?;
    let mut position = 0i64;
    for (index, passage) in doc.passages.iter().enumerate() {
        insert_passage.execute(params![doc_id, index as i64, passage.kind.as_str(), passage.level])?;
        let passage_id = tx.last_insert_rowid();
        for sentence in &passage.sentences {
            insert_segment.execute(params![doc_id, passage_id, position, sentence])?;
            segments.push(SegmentId(tx.last_insert_rowid()));
            position += 1;
        }
    }
    Ok((DocumentId(doc_id), segments))
}

fn is_locked(tx: &Transaction<'_>, segment: SegmentId) -> rusqlite::Result<bool> {
    tx.query_row("SELECT EXISTS (SELECT 1 FROM segment_locks WHERE segment_id = ?1)", [segment.0], |r| r.get(0))
}

fn insert_revision(
    tx: &Transaction<'_>,
    segment: SegmentId,
    parent: Option<RevisionId>,
    text: &str,
    status: Status,
    author: &str,
) -> rusqlite::Result<Revision> {
    insert_revision_from(tx, segment, parent, text, status, author, None)
}

/// Inserts a revision noting where its text came from (`aligned`, …).
fn insert_revision_from(
    tx: &Transaction<'_>,
    segment: SegmentId,
    parent: Option<RevisionId>,
    text: &str,
    status: Status,
    author: &str,
    origin: Option<&str>,
) -> rusqlite::Result<Revision> {
    if status.is_translated() && !text.trim().is_empty() {
        memory::record(tx, segment, text, status, author, origin)?;
    }
    insert_revision_row(tx, segment, parent, text, status, author, origin)
}

/// [`insert_revision_from`] without putting the text into the project
/// memory, for callers that record many at once.
fn insert_revision_row(
    tx: &Transaction<'_>,
    segment: SegmentId,
    parent: Option<RevisionId>,
    text: &str,
    status: Status,
    author: &str,
    origin: Option<&str>,
) -> rusqlite::Result<Revision> {
    let revision = tx.query_row(
        "INSERT INTO revisions (segment_id, parent_id, text, status, author, origin) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         RETURNING id, created_at",
        params![segment.0, parent.map(|id| id.0), text, status.as_str(), author, origin],
        |row| {
            Ok(Revision {
                id: RevisionId(row.get(0)?),
                segment,
                parent,
                text: text.to_string(),
                status,
                author: author.to_string(),
                created_at: row.get(1)?,
                origin: origin.map(str::to_string),
            })
        },
    )?;
    if let Some(parent) = parent {
        // In a team project two people may have made the same change at
        // once (both approved one text): heads that read like the one this
        // revision continues are continued too, so they never surface as a
        // conflict later.
        tx.prepare_cached(
            "INSERT OR IGNORE INTO revision_merges (revision_id, merged_id)
             SELECT ?1, r.id FROM revisions r JOIN revisions p ON p.id = ?2
              WHERE r.segment_id = p.segment_id AND r.id NOT IN (?1, ?2) AND r.text = p.text AND r.status = p.status
                AND NOT EXISTS (SELECT 1 FROM revisions c WHERE c.parent_id = r.id)
                AND NOT EXISTS (SELECT 1 FROM revision_merges m WHERE m.merged_id = r.id)",
        )?
        .execute(params![revision.id.0, parent.0])?;
    }
    Ok(revision)
}

fn insert_comment(
    tx: &Transaction<'_>,
    segment: SegmentId,
    revision: Option<RevisionId>,
    text: &str,
    category: Option<ErrorCategory>,
    author: &str,
) -> rusqlite::Result<Comment> {
    tx.query_row(
        "INSERT INTO comments (segment_id, revision_id, author, text, category) VALUES (?1, ?2, ?3, ?4, ?5)
         RETURNING id, created_at",
        params![segment.0, revision.map(|r| r.0), author, text.trim(), category.map(ErrorCategory::as_str)],
        |row| {
            Ok(Comment {
                id: row.get(0)?,
                segment,
                revision,
                author: author.into(),
                text: text.trim().into(),
                category,
                created_at: row.get(1)?,
            })
        },
    )
}

/// The newest revision of a segment: id, text, status.
fn current_revision(
    tx: &Transaction<'_>,
    segment: SegmentId,
) -> rusqlite::Result<Option<(RevisionId, String, String)>> {
    tx.query_row(
        "SELECT id, text, status FROM revisions WHERE segment_id = ?1 ORDER BY id DESC LIMIT 1",
        [segment.0],
        |row| Ok((RevisionId(row.get(0)?), row.get(1)?, row.get(2)?)),
    )
    .optional()
}

fn review_in(
    tx: &Transaction<'_>,
    segment: SegmentId,
    decision: Decision,
    comment: Option<&str>,
    category: Option<ErrorCategory>,
    author: &str,
) -> Result<Revision, StoreError> {
    let path = tx.path().map(PathBuf::from).unwrap_or_default();
    let e = |source| sqlite(&path, source);
    let visible: bool = tx
        .query_row("SELECT EXISTS (SELECT 1 FROM segments WHERE id = ?1 AND merged_into IS NULL)", [segment.0], |r| {
            r.get(0)
        })
        .map_err(e)?;
    if !visible {
        return Err(StoreError::NoSuchSegment(segment.0));
    }
    let comment = comment.map(str::trim).filter(|c| !c.is_empty());
    let (head, text, _) = current_revision(tx, segment)
        .map_err(e)?
        .filter(|(_, text, _)| !text.trim().is_empty())
        .ok_or(StoreError::NothingToReview(segment.0))?;
    if decision == Decision::Rejected && comment.is_none() {
        return Err(StoreError::RejectNeedsComment(segment.0));
    }
    if decision != Decision::Rejected && category.is_some() {
        return Err(StoreError::CategoryWithoutReject(segment.0));
    }
    let revision = insert_revision(tx, segment, Some(head), &text, decision.status(), author).map_err(e)?;
    if let Some(comment) = comment {
        insert_comment(tx, segment, Some(revision.id), comment, category, author).map_err(e)?;
    }
    Ok(revision)
}

/// Moves the visible segments of a document at or after `from` by `delta`
/// positions. Two steps through negative numbers keep the positions unique
/// at every moment, as the UNIQUE constraint requires.
/// Two segments' translations as one, the empty ones left out (a join,
/// and a split undone after its second part was translated).
fn joined_translations(first: &str, second: &str, separator: &str) -> String {
    [first, second].into_iter().filter(|t| !t.is_empty()).collect::<Vec<_>>().join(separator)
}

fn shift_positions(tx: &Transaction<'_>, document: i64, from: i64, delta: i64) -> rusqlite::Result<()> {
    let from = if delta > 0 { from + 1 } else { from };
    tx.execute(
        "UPDATE segments SET position = -(position + ?3) - 1
          WHERE document_id = ?1 AND position >= ?2 AND merged_into IS NULL",
        params![document, from, delta],
    )?;
    tx.execute(
        "UPDATE segments SET position = -position - 1
          WHERE document_id = ?1 AND position < 0 AND position > ?2 AND merged_into IS NULL",
        params![document, HIDDEN_POSITION_BASE],
    )?;
    Ok(())
}

fn sqlite(path: &Path, source: rusqlite::Error) -> StoreError {
    StoreError::Sqlite { path: path.to_path_buf(), source }
}

/// Where the pre-migration copy of a project goes: beside it, named after
/// the schema it holds, never overwriting an earlier backup.
fn backup_path(path: &Path, version: i64) -> PathBuf {
    let mut candidate = path.with_extension(format!("v{version}.bak.verso"));
    let mut n = 1;
    while candidate.exists() {
        candidate = path.with_extension(format!("v{version}.bak{n}.verso"));
        n += 1;
    }
    candidate
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::NewPassage;

    fn sample_doc() -> NewDocument {
        NewDocument {
            title: "Statement".into(),
            source_lang: "en".parse().expect("tag"),
            target_lang: "es".parse().expect("tag"),
            origin: "statement.txt".into(),
            format: SourceFormat::Text,
            passages: vec![
                NewPassage { kind: PassageKind::Heading, level: 1, sentences: vec!["Title".into()] },
                NewPassage { kind: PassageKind::Paragraph, level: 0, sentences: vec!["One.".into(), "Two.".into()] },
            ],
        }
    }

    #[test]
    fn a_conflict_is_told_in_words_not_in_debug_formatting() {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut project = Project::create(&dir.path().join("p.verso")).expect("create");
        let doc = project.add_document(&sample_doc()).expect("add");
        let segment = project.segments(doc).expect("segments")[0].id;
        let edit = TranslationEdit { segment, text: "Título".into(), status: Status::Draft, base: None, origin: None };
        let first = project.save_translation(&edit, "ana").expect("save");
        let stale = TranslationEdit { text: "Otro".into(), ..edit.clone() };
        let message = project.save_translation(&stale, "bo").expect_err("a stale base").to_string();
        assert_eq!(
            message,
            format!(
                "segment {} was changed elsewhere while you were editing (you started from no translation yet, it \
                 now has saved version {}); your text was not saved over it",
                segment.0, first.id.0
            )
        );
    }

    #[test]
    fn revisions_cannot_be_rewritten_even_with_raw_sql() {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut project = Project::create(&dir.path().join("p.verso")).expect("create");
        let doc = project.add_document(&sample_doc()).expect("add");
        let segment = project.segments(doc).expect("segments")[0].id;
        let edit = TranslationEdit { segment, text: "Título".into(), status: Status::Draft, base: None, origin: None };
        project.save_translation(&edit, "ana").expect("save");
        let result = project.conn.execute("UPDATE revisions SET text = 'x'", []);
        assert!(result.is_err(), "update must be refused by the trigger");
    }

    #[test]
    fn stale_base_is_a_conflict_carrying_the_other_text() {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut project = Project::create(&dir.path().join("p.verso")).expect("create");
        let doc = project.add_document(&sample_doc()).expect("add");
        let segment = project.segments(doc).expect("segments")[1].id;
        let first = project
            .save_translation(
                &TranslationEdit { segment, text: "Uno.".into(), status: Status::Draft, base: None, origin: None },
                "ana",
            )
            .expect("first save");
        let stale = TranslationEdit { segment, text: "Uno!".into(), status: Status::Draft, base: None, origin: None };
        match project.save_translation(&stale, "ben") {
            Err(StoreError::Conflict { found, their_text, .. }) => {
                assert_eq!(found, Some(first.id));
                assert_eq!(their_text.as_deref(), Some("Uno."));
            }
            other => panic!("expected a conflict, got {other:?}"),
        }
        assert_eq!(project.revisions(segment).expect("revisions").len(), 1);
    }

    #[test]
    fn split_then_join_restores_the_source_and_keeps_every_revision() {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut project = Project::create(&dir.path().join("p.verso")).expect("create");
        let doc = project.add_document(&sample_doc()).expect("add");
        let rows = project.segments(doc).expect("segments");
        let one = rows[1].id;
        let edit =
            TranslationEdit { segment: one, text: "Uno.".into(), status: Status::Translated, base: None, origin: None };
        project.save_translation(&edit, "ana").expect("save");
        let err = project.split_segment(one, 0, "ana").expect_err("nothing on the left");
        assert!(matches!(err, StoreError::SplitOutOfRange { .. }));

        let second = project.split_segment(one, 2, "ana").expect("split");
        let sources: Vec<_> =
            project.segments(doc).expect("rows").into_iter().map(|r| (r.position, r.source)).collect();
        assert_eq!(sources, [(0, "Title".into()), (1, "On".into()), (2, "e.".into()), (3, "Two.".into())]);
        let first = project.segment(one).expect("first");
        assert_eq!((first.translation.as_deref(), first.status), (Some("Uno."), Status::Draft));
        assert_eq!(project.segment(second).expect("second").translation, None);

        project.join_with_next(one, "ben").expect("join");
        let rows = project.segments(doc).expect("rows");
        assert_eq!(rows.iter().map(|r| r.source.as_str()).collect::<Vec<_>>(), ["Title", "On e.", "Two."]);
        assert_eq!(rows.iter().map(|r| r.position).collect::<Vec<_>>(), [0, 1, 2]);
        assert_eq!(project.revisions(one).expect("history").len(), 3, "save, split draft, join draft");
        let last = rows[2].id;
        assert!(matches!(project.join_with_next(last, "ben"), Err(StoreError::NothingToJoin(_))));
        assert!(matches!(project.segment(second), Err(StoreError::NoSuchSegment(_))), "joined segment is hidden");
        project.integrity_check().expect("integrity");
    }

    /// zed-style randomized history: random splits and joins against a
    /// plain list of sources as the reference model.
    #[test]
    fn random_splits_and_joins_match_a_reference_model() {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut project = Project::create(&dir.path().join("p.verso")).expect("create");
        let mut doc = sample_doc();
        doc.passages[1].sentences = (0..8).map(|i| format!("Sentence number {i} here.")).collect();
        let id = project.add_document(&doc).expect("add");
        let mut model: Vec<String> = project.segments(id).expect("rows").into_iter().map(|r| r.source).collect();
        let mut seed: u64 = 0x5eed_1234;
        let mut next = |bound: usize| {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            ((seed >> 33) as usize) % bound.max(1)
        };
        for _ in 0..200 {
            let rows = project.segments(id).expect("rows");
            let index = next(rows.len());
            if next(2) == 0 {
                let chars = rows[index].source.chars().count();
                let at = next(chars + 1);
                let (left, right) =
                    model[index].split_at(model[index].char_indices().nth(at).map_or(model[index].len(), |c| c.0));
                let (left, right) = (left.trim_end().to_string(), right.trim_start().to_string());
                match project.split_segment(rows[index].id, at, "rnd") {
                    Ok(_) => {
                        assert!(!left.is_empty() && !right.is_empty());
                        model[index] = left;
                        model.insert(index + 1, right);
                    }
                    Err(StoreError::SplitOutOfRange { .. }) => assert!(left.is_empty() || right.is_empty()),
                    Err(other) => panic!("{other}"),
                }
            } else {
                match project.join_with_next(rows[index].id, "rnd") {
                    Ok(()) => {
                        let tail = model.remove(index + 1);
                        model[index] = format!("{} {tail}", model[index]);
                    }
                    Err(StoreError::NothingToJoin(_)) => assert_eq!(index + 1, model.len()),
                    Err(other) => panic!("{other}"),
                }
            }
            let rows = project.segments(id).expect("rows");
            assert_eq!(rows.iter().map(|r| r.source.clone()).collect::<Vec<_>>(), model);
            assert!(rows.iter().enumerate().all(|(i, r)| r.position as usize == i));
        }
        project.integrity_check().expect("integrity");
    }
}
