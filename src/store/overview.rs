//! The queries behind the project overview: segments by status, review
//! decisions by day, and the revisions the per-person figures read.

use std::collections::HashMap;

use super::{Project, StoreError};
use crate::document::DocumentId;
use crate::overview::{DayActivity, RevisionFact, StatusCount};
use crate::revision::Status;

impl Project {
    /// Each translation's visible segments by current status (a segment
    /// with no revision is new), every status listed.
    pub fn status_counts(&self) -> Result<HashMap<DocumentId, Vec<StatusCount>>, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT s.document_id, coalesce(r.status, 'new'), count(*)
                   FROM segments s JOIN documents d ON d.id = s.document_id
                   LEFT JOIN revisions r ON r.id = (SELECT max(id) FROM revisions WHERE segment_id = s.id)
                  WHERE d.kind = 'translation' AND s.merged_into IS NULL
                  GROUP BY 1, 2",
            )
            .map_err(self.err())?;
        let rows = stmt
            .query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?, r.get::<_, u32>(2)?)))
            .map_err(self.err())?;
        let mut counts: HashMap<DocumentId, Vec<StatusCount>> = HashMap::new();
        for row in rows {
            let (document, status, count) = row.map_err(self.err())?;
            let status = Status::parse(&status).ok_or_else(|| self.corrupt(format!("unknown status {status:?}")))?;
            let statuses = counts
                .entry(DocumentId(document))
                .or_insert_with(|| Status::ALL.iter().map(|&status| StatusCount { status, count: 0 }).collect());
            if let Some(entry) = statuses.iter_mut().find(|c| c.status == status) {
                entry.count += count;
            }
        }
        Ok(counts)
    }

    /// Review decisions in translations by day (UTC), oldest first.
    pub fn review_activity(&self) -> Result<Vec<DayActivity>, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT substr(r.created_at, 1, 10), sum(r.status = 'reviewed'), sum(r.status = 'approved'),
                        sum(r.status = 'rejected')
                   FROM revisions r JOIN segments s ON s.id = r.segment_id JOIN documents d ON d.id = s.document_id
                  WHERE d.kind = 'translation' AND r.status IN ('reviewed', 'approved', 'rejected')
                  GROUP BY 1 ORDER BY 1",
            )
            .map_err(self.err())?;
        let rows = stmt
            .query_map([], |r| {
                Ok(DayActivity { date: r.get(0)?, reviewed: r.get(1)?, approved: r.get(2)?, rejected: r.get(3)? })
            })
            .map_err(self.err())?;
        rows.collect::<Result<_, _>>().map_err(self.err())
    }

    /// Every revision of a translation with its parent's status and its
    /// segment's source, for the per-person figures.
    pub fn revision_facts(&self) -> Result<Vec<RevisionFact>, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT r.author, r.created_at, r.status, p.status, s.source
                   FROM revisions r JOIN segments s ON s.id = r.segment_id JOIN documents d ON d.id = s.document_id
                   LEFT JOIN revisions p ON p.id = r.parent_id
                  WHERE d.kind = 'translation'
                  ORDER BY r.id",
            )
            .map_err(self.err())?;
        let rows = stmt
            .query_map([], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, Option<String>>(3)?,
                    r.get::<_, String>(4)?,
                ))
            })
            .map_err(self.err())?;
        let mut facts = Vec::new();
        for row in rows {
            let (author, at, status, parent, source) = row.map_err(self.err())?;
            let status = Status::parse(&status).ok_or_else(|| self.corrupt(format!("unknown status {status:?}")))?;
            facts.push(RevisionFact { author, at, status, parent: parent.as_deref().and_then(Status::parse), source });
        }
        Ok(facts)
    }
}
