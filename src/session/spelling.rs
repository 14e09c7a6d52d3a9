//! Spell checking for the editor, the summary and the QA check: which
//! dictionary a language uses, what the project already knows (its
//! dictionary and its glossary's words), and adding to the project
//! dictionary.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

use serde::Serialize;

use super::{Session, SessionError};
use crate::document::DocumentId;
use crate::formats::hunspell;
use crate::lang::LangTag;
use crate::spelling::{Misspelling, Speller, known_words, misspellings, source_words};
use crate::store::Project;

/// How many corrections the editor offers for a word.
const SUGGESTIONS: usize = 6;

/// The words of one text the dictionary does not know, and which
/// dictionary said so (`None`: none is installed for the language).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
pub struct SpellingView {
    pub misspellings: Vec<Misspelling>,
    pub dictionary: Option<String>,
}

/// A language's speller with what the project adds to it.
pub struct SpellCheck {
    speller: Arc<Speller>,
    known: HashSet<String>,
    pub dictionary: String,
}

impl SpellCheck {
    /// The misspelled words of `text`; `source_words` are the source's
    /// words as written ([`source_words`]).
    pub fn misspellings(&self, text: &str, source_words: &HashSet<String>) -> Vec<Misspelling> {
        misspellings(&self.speller, text, source_words, &self.known)
    }
}

/// A language's dictionary (its name and speller), `None` when none is
/// installed: looked for and read once per process and settings folder,
/// since the editor asks at every pause in typing. A dictionary installed
/// while Verso runs is found at its next start.
fn dictionary(lang: &LangTag, config_dir: &Path) -> Result<Option<(String, Arc<Speller>)>, SessionError> {
    type Found = Option<(String, Arc<Speller>)>;
    static FOUND: OnceLock<Mutex<HashMap<(String, PathBuf), Found>>> = OnceLock::new();
    let found = FOUND.get_or_init(Default::default);
    let key = (lang.as_str().to_string(), config_dir.to_path_buf());
    if let Some(known) = found.lock().unwrap_or_else(|e| e.into_inner()).get(&key) {
        return Ok(known.clone());
    }
    let folders = hunspell::folders(Some(&config_dir.join("dictionaries")));
    let dictionary = match hunspell::find(lang, &folders) {
        Some(aff) => {
            let name = aff.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
            Some((name, Arc::new(hunspell::load(&aff)?)))
        }
        None => None,
    };
    found.lock().unwrap_or_else(|e| e.into_inner()).insert(key, dictionary.clone());
    Ok(dictionary)
}

/// The spell check for `document`'s translations, `None` when no
/// dictionary for its target language is installed. `config_dir` holds the
/// user's own dictionaries (`dictionaries/`).
pub fn spell_check(
    project: &Project,
    config_dir: &Path,
    document: DocumentId,
) -> Result<Option<SpellCheck>, SessionError> {
    let (source, target) = project.languages(document)?;
    let Some((dictionary, speller)) = dictionary(&target, config_dir)? else { return Ok(None) };
    let mut known = known_words(project.glossary(&source, &target)?.iter().map(|t| t.target.as_str()));
    known.extend(project.project_words(&target)?.into_iter().map(|w| w.to_lowercase()));
    Ok(Some(SpellCheck { speller, known, dictionary }))
}

impl Session {
    /// The misspelled words of `text`, a translation (or summary sentence)
    /// in `document` of `source`.
    pub fn spelling(&self, document: DocumentId, text: &str, source: &str) -> Result<SpellingView, SessionError> {
        Ok(match spell_check(self.project()?, &self.config_dir, document)? {
            Some(check) => SpellingView {
                misspellings: check.misspellings(text, &source_words(source)),
                dictionary: Some(check.dictionary),
            },
            None => SpellingView { misspellings: Vec::new(), dictionary: None },
        })
    }

    /// Corrections for `word` from the dictionary of `document`'s target language.
    pub fn spelling_suggestions(&self, document: DocumentId, word: &str) -> Result<Vec<String>, SessionError> {
        let target = self.project()?.target_language(document)?;
        let found = dictionary(&target, &self.config_dir)?;
        Ok(found.map(|(_, speller)| speller.suggestions(word, SUGGESTIONS)).unwrap_or_default())
    }

    /// Adds `word` to the project dictionary of `document`'s target
    /// language; false when it was there already.
    pub fn add_project_word(&mut self, document: DocumentId, word: &str) -> Result<bool, SessionError> {
        let word = word.trim();
        if word.is_empty() || word.chars().any(char::is_whitespace) {
            return Err(SessionError::Spelling("the project dictionary takes one word at a time".into()));
        }
        let author = self.info()?.author;
        let project = self.project_mut()?;
        let (_, target) = project.languages(document)?;
        Ok(project.add_project_word(&target, word, &author)?)
    }

    pub fn project_words(&self, lang: &LangTag) -> Result<Vec<String>, SessionError> {
        Ok(self.project()?.project_words(lang)?)
    }
}
