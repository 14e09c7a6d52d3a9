//! Undo of project actions on a real project file: splits and joins (a
//! seeded random series undone in reverse order leaves the document as it
//! was), a pre-translation and a review decision. Each undo is new
//! history, never a rewrite. Under a second.

use verso::revision::Decision;
use verso::session::Session;
use verso::{DocumentId, Status, TranslationEdit};

type Rows = Vec<(String, Option<String>, Status)>;

fn rows(session: &Session, document: DocumentId) -> Rows {
    // An empty new segment is untranslated, however it came to be.
    session
        .segments(document)
        .expect("rows")
        .into_iter()
        .map(|r| (r.source, r.translation.filter(|t| !t.is_empty() || r.status != Status::New), r.status))
        .collect()
}

fn project(dir: &std::path::Path) -> (Session, DocumentId) {
    let source = dir.join("statement.txt");
    // No figures: a translation whose figures differ waits outside the memory.
    let names = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel"];
    let sentences: Vec<String> =
        names.iter().map(|n| format!("Sentence {n} says something. It has a tail called {n}.")).collect();
    std::fs::write(&source, sentences.join("\n\n")).expect("source");
    let mut session = Session::for_command(dir.join("config"), Some("Ana".into()));
    session.create_project(&dir.join("p.verso")).expect("create");
    let document = session.import(&source, "en", "es", None).expect("import").id;
    for row in session.segments(document).expect("rows").into_iter().filter(|r| r.position % 3 != 2) {
        let status = if row.position % 2 == 0 { Status::Translated } else { Status::Draft };
        let edit = TranslationEdit {
            segment: row.id,
            text: format!("Traducción {}.", ["uno", "dos", "tres", "cuatro", "cinco"][row.position as usize % 5]),
            status,
            base: row.revision,
            origin: None,
        };
        session.save_translation(&edit).expect("save");
    }
    (session, document)
}

/// A small deterministic generator (xorshift), so a failure replays.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }
}

#[test]
fn random_splits_and_joins_undone_in_reverse_leave_the_document_as_it_was() {
    for seed in 1..=12u64 {
        let dir = tempfile::tempdir().expect("dir");
        let (mut session, document) = project(dir.path());
        let before = rows(&session, document);
        let mut rng = Rng(seed * 7919);
        let mut done = Vec::new();
        for _ in 0..10 {
            let current = session.segments(document).expect("rows");
            let row = &current[rng.below(current.len())];
            if rng.below(2) == 0 && row.source.chars().count() > 4 {
                let at = 1 + rng.below(row.source.chars().count() - 2);
                if session.split_segment(row.id, at).is_ok() {
                    done.push(row.id);
                }
            } else if session.join_with_next(row.id).is_ok() {
                done.push(row.id);
            }
        }
        assert!(!done.is_empty(), "seed {seed}: something was edited");
        for segment in done.iter().rev() {
            session.undo_structure(*segment).unwrap_or_else(|e| panic!("seed {seed}: undo: {e}"));
        }
        assert_eq!(rows(&session, document), before, "seed {seed}: {} edits undone", done.len());
    }
}

#[test]
fn an_undone_split_comes_back_with_a_second_undo_and_a_translated_part_is_kept() {
    let dir = tempfile::tempdir().expect("dir");
    let (mut session, document) = project(dir.path());
    let before = rows(&session, document);
    let first = session.segments(document).expect("rows")[0].clone();
    session.split_segment(first.id, 10).expect("split");
    let after_split = rows(&session, document);
    session.undo_structure(first.id).expect("undo");
    assert_eq!(rows(&session, document), before);
    assert!(session.undo_structure(first.id).is_err(), "the split was the only edit");
    let split = session.split_segment(first.id, 10).expect("split again");
    assert_eq!(rows(&session, document), after_split);
    // The second part translated since: undoing keeps both translations.
    let part = split[1].clone();
    let edit = TranslationEdit {
        segment: part.id,
        text: "Segunda parte.".into(),
        status: Status::Draft,
        base: part.revision,
        origin: None,
    };
    session.save_translation(&edit).expect("save");
    session.undo_structure(first.id).expect("undo");
    let joined = &rows(&session, document)[0];
    assert_eq!(joined.1.as_deref(), Some("Traducción uno. Segunda parte."));
    assert_eq!(joined.2, Status::Draft);
    let history = session.history(first.id).expect("history");
    assert!(history.iter().any(|h| h.revision.origin.as_deref() == Some("undo")), "recorded, not rewritten");
    assert!(session.undo_structure(session.segments(document).expect("rows")[5].id).is_err(), "nothing to undo there");
}

#[test]
fn a_pretranslation_and_a_review_decision_are_undone() {
    let dir = tempfile::tempdir().expect("dir");
    let (mut session, document) = project(dir.path());
    // The memory knows the first segment; the second document repeats it.
    let source = dir.path().join("again.txt");
    let first = session.segments(document).expect("rows")[0].source.clone();
    std::fs::write(&source, format!("{first}\n\nSomething new entirely.")).expect("source");
    let again = session.import(&source, "en", "es", None).expect("import").id;
    let before = rows(&session, again);
    let outcome = session.pretranslate(again, 70, &mut |_, _| true).expect("pretranslate");
    assert_eq!(outcome.filled, 1);
    assert_ne!(rows(&session, again), before);
    let undone = session
        .undo_pretranslation(outcome.first_revision.expect("first"), outcome.last_revision.expect("last"))
        .expect("undo");
    assert_eq!((undone.restored, undone.left), (1, 0));
    assert_eq!(rows(&session, again), before);

    let row = session.segments(document).expect("rows")[0].clone();
    let approved = session.review(row.id, Decision::Approved, None, None).expect("approve");
    assert_eq!(approved.status, Status::Approved);
    let back = session.undo_review(row.id, approved.revision.expect("revision")).expect("undo");
    assert_eq!((back.status, back.translation.as_deref()), (Status::Translated, Some("Traducción uno.")));
    assert!(session.undo_review(row.id, approved.revision.expect("revision")).is_err(), "only the newest decision");
}
