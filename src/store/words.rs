//! The project dictionary: words a language's spell checker accepts in
//! this project, kept in the project file so they travel with it (and, in
//! a team project, shared like glossary terms: added, never rewritten).

use rusqlite::params;

use super::{Project, StoreError};
use crate::lang::LangTag;

impl Project {
    /// The project dictionary's words for `lang`, sorted.
    pub fn project_words(&self, lang: &LangTag) -> Result<Vec<String>, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT word FROM project_words WHERE lang = ?1 ORDER BY word")
            .map_err(self.err())?;
        stmt.query_map([lang.as_str()], |r| r.get(0)).and_then(|rows| rows.collect()).map_err(self.err())
    }

    /// Adds `word`; adding it again changes nothing. Returns whether it was new.
    pub fn add_project_word(&mut self, lang: &LangTag, word: &str, author: &str) -> Result<bool, StoreError> {
        let added = self
            .conn
            .execute(
                "INSERT OR IGNORE INTO project_words (lang, word, author) VALUES (?1, ?2, ?3)",
                params![lang.as_str(), word, author],
            )
            .map_err(self.err())?;
        Ok(added == 1)
    }
}
