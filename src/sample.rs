//! A small sample project a newcomer can explore at once: a short
//! fictional ministry statement with part of its Spanish translation done.
//! The text is Verso's own, written for this purpose.

use std::path::Path;

use crate::document::{DocumentId, NewDocument, NewPassage, PassageKind, SourceFormat};
use crate::revision::{Status, TranslationEdit};
use crate::store::{Project, StoreError};
use crate::summary::{DEFAULT_SECTIONS, NewSummary, SentenceKind};

const STATEMENT: &[(PassageKind, u8, &[&str])] = &[
    (PassageKind::Heading, 1, &["Ministry of Water announces coastal desalination plan"]),
    (PassageKind::Paragraph, 0, &["Source: Ministry of Water, press office, Sept. 3, 2025"]),
    (
        PassageKind::Paragraph,
        0,
        &[
            "The Ministry of Water announced on Tuesday a plan to build three desalination plants on the northern coast.",
            "The plants will supply 450,000 households by 2028.",
            "The programme will cost $1.2 billion over five years, according to Minister Ana Ruiz.",
        ],
    ),
    (
        PassageKind::Paragraph,
        0,
        &[
            "Reservoir levels fell to 31% in August, the lowest figure since records began in 1962.",
            "\"We cannot wait for the rain,\" Ms. Ruiz told reporters in the capital.",
        ],
    ),
    (PassageKind::ListItem, 1, &["Construction of the first plant begins in March 2026."]),
    (PassageKind::ListItem, 1, &["Each plant will run partly on solar power."]),
    (PassageKind::Paragraph, 0, &["Environmental groups welcomed the plan but asked for studies on brine discharge."]),
];

/// A short news summary of the statement, for the summary writer's side:
/// sentences per section (by position in the default sections) and kind.
/// The last claim gets a year wrong on purpose, so the sample shows a flag.
const SUMMARY: &[(u32, SentenceKind, &str)] = &[
    (
        0,
        SentenceKind::Claim,
        "The Ministry of Water will build three desalination plants on the northern coast to supply 450,000 households by 2028.",
    ),
    (0, SentenceKind::Claim, "The programme will cost $1.2 billion over five years."),
    (0, SentenceKind::Claim, "Reservoirs fell to 31% in August, their lowest level since records began in 1962."),
    (0, SentenceKind::Claim, "Construction of the first plant begins in March 2027."),
    (2, SentenceKind::Commentary, "Desalination eases droughts but its energy use and brine need watching."),
];

/// Spanish translations of the first segments, so the sample shows every
/// state: approved, translated, draft and untranslated rows.
const TRANSLATIONS: &[(&str, Status)] = &[
    ("El Ministerio del Agua anuncia un plan de desalinización costera", Status::Approved),
    ("Fuente: Ministerio del Agua, oficina de prensa, 3 de septiembre de 2025", Status::Translated),
    (
        "El Ministerio del Agua anunció el martes un plan para construir tres plantas desalinizadoras en la costa norte.",
        Status::Translated,
    ),
    ("Las plantas abastecerán a 450.000 hogares en 2028.", Status::Draft),
];

const SPANISH_WORDS: &[&str] = &["desalinización", "desalinizadoras", "desalinizadora"];

fn passages(spec: &[(PassageKind, u8, &[&str])]) -> Vec<NewPassage> {
    spec.iter()
        .map(|(kind, level, sentences)| NewPassage {
            kind: *kind,
            level: *level,
            sentences: sentences.iter().map(|s| s.to_string()).collect(),
        })
        .collect()
}

/// Creates a new project at `path` holding the sample statement.
pub fn create_sample_project(path: &Path) -> Result<(Project, DocumentId), StoreError> {
    let mut project = Project::create(path)?;
    let document = NewDocument {
        title: "Coastal desalination plan (sample)".into(),
        source_lang: crate::lang::LangTag::english(),
        target_lang: crate::lang::LangTag::spanish(),
        origin: "Verso sample".into(),
        format: SourceFormat::Text,
        passages: passages(STATEMENT),
    };
    let id = project.add_document(&document)?;
    let summary = project.create_summary(&NewSummary {
        title: "News summary (sample)".into(),
        lang: crate::lang::LangTag::english(),
        sources: vec![id],
        sections: DEFAULT_SECTIONS.iter().map(|s| s.to_string()).collect(),
        references: Vec::new(),
    })?;
    for (section, kind, text) in SUMMARY {
        project.add_summary_sentences(summary, *section, &[text.to_string()], *kind, "Verso sample")?;
    }
    let rows = project.segments(id)?;
    for (row, (text, status)) in rows.iter().zip(TRANSLATIONS) {
        let edit =
            TranslationEdit { segment: row.id, text: text.to_string(), status: *status, base: None, origin: None };
        project.save_translation(&edit, "Verso sample")?;
    }
    // The project dictionary, as a team keeps it: words of the field the
    // general Spanish dictionary lacks.
    for word in SPANISH_WORDS {
        project.add_project_word(&crate::lang::LangTag::spanish(), word, "Verso sample")?;
    }
    Ok((project, id))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sample_project_shows_each_kind_of_row() {
        let dir = tempfile::tempdir().expect("tempdir");
        let (project, id) = create_sample_project(&dir.path().join("sample.verso")).expect("sample");
        let summary = project.document(id).expect("document");
        assert_eq!(summary.segments, 10);
        assert_eq!(summary.translated, 3);
        let statuses: Vec<Status> = project.segments(id).expect("rows").iter().map(|r| r.status).collect();
        assert!(
            statuses.contains(&Status::New)
                && statuses.contains(&Status::Draft)
                && statuses.contains(&Status::Approved)
        );
    }
}
