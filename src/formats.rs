//! Every file format Verso reads or writes, in one layer: XML and its
//! bounded tree (`xml`), source documents in (`import`: text, Markdown,
//! Word, HTML), translations, review tables, reports and articles out
//! (`export`), XLIFF for other translation tools (`xliff`), and the text
//! form a team project keeps in Git (`team`).
//!
//! Formats know the model and the engines, never the store: a reader turns
//! bytes into core types, a writer turns core types into bytes.

pub mod export;
pub mod glossary;
pub mod hunspell;
pub mod import;
pub mod srx;
pub mod team;
pub mod tmx;
pub mod xliff;
pub mod xml;
