//! Summaries against a real project file, through the same session the
//! desktop window uses: a Spanish statement partly translated into English,
//! an English summary of it, links, flags, people's decisions, approval.

#[path = "support/loopback.rs"]
#[allow(dead_code)]
mod loopback;

use std::sync::atomic::AtomicBool;

use verso::document::Publication;
use verso::provenance::FlagKind;
use verso::session::{ErrorKind, ErrorReply, Session};
use verso::summary::{LinkDecision, LinkOrigin, SentenceKind, SentenceView, SummaryView};
use verso::{DocumentId, DocumentKind, Status, TranslationEdit};

const STATEMENT: &str = "El Gobierno aprobó el martes un plan de vivienda de 3.000 millones de euros. \
El plan prevé construir 40.000 viviendas sociales hasta 2030. \
El desempleo juvenil bajó al 27% en octubre. \
La oposición criticó que el plan llega tarde.";

const TRANSLATIONS: [&str; 3] = [
    "The Government approved on Tuesday a housing plan worth 3 billion euros.",
    "The plan foresees building 40,000 social homes by 2030.",
    "Youth unemployment fell to 27% in October.",
];

struct Fixture {
    session: Session,
    source: DocumentId,
    summary: DocumentId,
    _dir: tempfile::TempDir,
}

fn fixture() -> Fixture {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut session = Session::new(dir.path().join("config"), "Sam".into());
    session.create_project(&dir.path().join("news.verso")).expect("project");
    let file = dir.path().join("comunicado.txt");
    std::fs::write(&file, STATEMENT).expect("write");
    let source = session.import(&file, "es", "en", Some("Comunicado".into())).expect("import").id;
    let rows = session.segments(source).expect("rows");
    assert_eq!(rows.len(), 4, "the statement has four sentences");
    for (row, text) in rows.iter().zip(TRANSLATIONS) {
        let edit = TranslationEdit {
            segment: row.id,
            text: text.into(),
            status: Status::Translated,
            base: None,
            origin: None,
        };
        session.save_translation(&edit).expect("translate");
    }
    let summary = session.create_summary("Housing plan", "en", &[source], None).expect("summary");
    assert_eq!(summary.kind, DocumentKind::Summary);
    Fixture { session, source, summary: summary.id, _dir: dir }
}

fn sentences(view: &SummaryView) -> Vec<&SentenceView> {
    view.sections.iter().flat_map(|s| &s.sentences).collect()
}

fn flags(sentence: &SentenceView) -> Vec<FlagKind> {
    sentence.flags.iter().map(|f| f.kind).collect()
}

fn write(f: &mut Fixture, text: &str) -> SummaryView {
    f.session.add_summary_text(f.summary, 0, text, SentenceKind::Claim).expect("add")
}

fn edit(f: &mut Fixture, sentence: &SentenceView, text: &str) {
    let edit = TranslationEdit {
        segment: sentence.id,
        text: text.into(),
        status: Status::Draft,
        base: sentence.revision,
        origin: None,
    };
    f.session.save_translation(&edit).expect("edit");
}

const THREE: &str = "The Government approved a 3 billion euro housing plan on Tuesday. \
The plan will build 40,000 social homes by 2030. Youth unemployment fell to 22% in October.";

#[test]
fn each_sentence_links_to_its_passage_with_evidence_and_a_wrong_percentage_is_flagged() {
    let mut f = fixture();
    let view = write(&mut f, THREE);
    let rows = f.session.segments(f.source).expect("rows");
    let all = sentences(&view);
    assert_eq!(all.len(), 3, "pasted text is split into sentences");
    for (sentence, row) in all.iter().zip(&rows) {
        let link = sentence.links.first().unwrap_or_else(|| panic!("no link for {:?}", sentence.text));
        assert_eq!(link.segment, row.id, "{:?}", sentence.text);
        assert_eq!(link.origin, LinkOrigin::Found);
        assert!(link.in_translation, "an English summary finds a Spanish passage through its translation");
        assert!(!link.sentence_spans.is_empty() && !link.passage_spans.is_empty());
    }
    assert_eq!(flags(all[0]), [], "{:?}", all[0].flags);
    assert_eq!(flags(all[1]), [], "{:?}", all[1].flags);
    assert_eq!(flags(all[2]), [FlagKind::NumberMismatch]);
    assert!(all[2].flags[0].detail.contains("22%") && all[2].flags[0].detail.contains("27%"));
    // The evidence spans point at the matched words, counted in characters.
    let link = &all[2].links[0];
    let chars: Vec<char> = TRANSLATIONS[2].chars().collect();
    let words: Vec<String> =
        link.passage_spans.iter().map(|s| chars[s.start as usize..s.end as usize].iter().collect()).collect();
    assert!(words.contains(&"unemployment".to_string()), "{words:?}");
    assert_eq!(
        (view.coverage.claims, view.coverage.supported, view.coverage.passages, view.coverage.cited),
        (3, 3, 4, 3)
    );
    assert_eq!(view.blocking, 1);
}

#[test]
fn approval_is_blocked_by_flags_until_fixed_or_overridden_with_a_reason() {
    let mut f = fixture();
    let view = write(&mut f, THREE);
    let blocked = f.session.approve_summary(f.summary, None).expect_err("blocked");
    let reply = ErrorReply::from(&blocked);
    assert_eq!(reply.kind, ErrorKind::Blocked);
    assert!(reply.message.contains("22%"), "{}", reply.message);
    assert!(!f.session.summary(f.summary).expect("view").approved);
    // Overridden with a reason: approved, and the reason is on record.
    let approved = f.session.approve_summary(f.summary, Some("The 22% is from the ministry's own update")).expect("ok");
    assert!(approved.approved);
    let approval = approved.approval.expect("approval");
    assert_eq!((approval.open_flags, approval.author.as_str()), (1, "Sam"));
    assert_eq!(approval.override_reason.as_deref(), Some("The 22% is from the ministry's own update"));
    // Editing a sentence takes the approval away; fixing the number frees it.
    let wrong = sentences(&view)[2].clone();
    let current = sentences(&f.session.summary(f.summary).expect("view"))[2].revision;
    edit(&mut f, &SentenceView { revision: current, ..wrong }, "Youth unemployment fell to 27% in October.");
    let fixed = f.session.summary(f.summary).expect("view");
    assert!(!fixed.approved);
    assert_eq!(fixed.blocking, 0);
    let approved = f.session.approve_summary(f.summary, None).expect("approve");
    assert!(approved.approved && sentences(&approved).iter().all(|s| s.status == Status::Approved));
    assert_eq!(approved.approval.expect("approval").override_reason, None);
}

#[test]
fn decisions_survive_relinking_and_go_stale_when_the_sentence_is_rewritten() {
    let mut f = fixture();
    let rows = f.session.segments(f.source).expect("rows");
    let view = write(&mut f, "The opposition said the plan comes too late.");
    let sentence = sentences(&view)[0].clone();
    assert!(flags(&sentence).contains(&FlagKind::Unsupported), "{:?}", sentence);
    // A person links the untranslated passage: the sentence is supported.
    let view = f.session.decide_link(sentence.id, rows[3].id, LinkDecision::Confirmed).expect("confirm");
    let linked = sentences(&view)[0];
    assert_eq!(linked.links[0].segment, rows[3].id);
    assert_eq!(linked.links[0].origin, LinkOrigin::Confirmed);
    assert!(!flags(linked).contains(&FlagKind::Unsupported));
    assert_eq!(view.blocking, 0);
    // A small edit keeps the decision; a rewrite leaves it stale, and the
    // sentence is unsupported again.
    edit(&mut f, linked, "The opposition said that the plan comes too late.");
    let kept = f.session.summary(f.summary).expect("view");
    assert!(!sentences(&kept)[0].links[0].stale);
    edit(&mut f, sentences(&kept)[0], "Critics fear that building costs will keep rising next year.");
    let stale = f.session.summary(f.summary).expect("view");
    let rewritten = sentences(&stale)[0];
    assert!(rewritten.links.iter().any(|l| l.segment == rows[3].id && l.stale), "{:?}", rewritten.links);
    assert!(flags(rewritten).contains(&FlagKind::Unsupported));
    // A rejected link stays rejected after edits.
    let view = write(&mut f, "Youth unemployment fell to 27% in October.");
    let third = sentences(&view)[1].clone();
    assert_eq!(third.links[0].segment, rows[2].id);
    let view = f.session.decide_link(third.id, rows[2].id, LinkDecision::Rejected).expect("reject");
    assert!(sentences(&view)[1].links.iter().all(|l| l.segment != rows[2].id));
    assert_eq!(sentences(&view)[1].rejected, [rows[2].id]);
    edit(&mut f, sentences(&view)[1], "Youth unemployment fell to 27 per cent in October.");
    let after = f.session.summary(f.summary).expect("view");
    assert!(sentences(&after)[1].links.iter().all(|l| l.segment != rows[2].id));
    // Cleared, the linker's choice comes back.
    let view = f.session.decide_link(third.id, rows[2].id, LinkDecision::Cleared).expect("clear");
    assert_eq!(sentences(&view)[1].links[0].segment, rows[2].id);
    // Only the summary's own passages can be linked.
    let foreign = f.session.decide_link(third.id, third.id, LinkDecision::Confirmed).expect_err("not a source");
    assert_eq!(ErrorReply::from(&foreign).kind, ErrorKind::InvalidInput);
}

#[test]
fn commentary_does_not_block_and_removed_sentences_keep_their_history() {
    let mut f = fixture();
    write(&mut f, "The plan will build 40,000 social homes by 2030.");
    let view = f
        .session
        .add_summary_text(f.summary, 2, "This looks like an election promise.", SentenceKind::Claim)
        .expect("add");
    assert_eq!(view.sections[2].title, "Expert Analysis");
    let opinion = view.sections[2].sentences[0].clone();
    assert!(opinion.blocking && flags(&opinion).contains(&FlagKind::Unsupported));
    let view = f.session.set_sentence_kind(opinion.id, SentenceKind::Commentary).expect("kind");
    let opinion = &view.sections[2].sentences[0];
    assert_eq!((opinion.kind, opinion.blocking), (SentenceKind::Commentary, false));
    assert_eq!((view.blocking, view.coverage.claims), (0, 1));
    // Removing hides the sentence; its revisions stay in the file.
    let view = f.session.remove_summary_sentence(opinion.id).expect("remove");
    assert!(view.sections[2].sentences.is_empty());
    assert_eq!(f.session.history(opinion.id).err().map(|e| ErrorReply::from(&e).kind), Some(ErrorKind::NotFound));
    assert_eq!(f.session.documents().expect("docs")[1].segments, 1);
    // Undo: the sentence comes back at the end of its section, history intact.
    let view = f.session.restore_summary_sentence(f.summary, opinion.id).expect("restore");
    assert_eq!(view.sections[2].sentences[0].text, "This looks like an election promise.");
    assert_eq!(f.session.history(opinion.id).expect("history").len(), 1);
    assert!(f.session.restore_summary_sentence(f.summary, opinion.id).is_err(), "not removed any more");
}

#[test]
fn a_summary_links_through_new_translations_and_shares_versions_and_diffs() {
    let mut f = fixture();
    let rows = f.session.segments(f.source).expect("rows");
    let view = write(&mut f, "The opposition criticised that the plan comes late.");
    assert!(sentences(&view)[0].links.iter().all(|l| !l.in_translation));
    // Translating the last passage is seen by the next check (the index is rebuilt).
    let edit = TranslationEdit {
        segment: rows[3].id,
        text: "The opposition criticised that the plan comes late.".into(),
        status: Status::Translated,
        base: None,
        origin: None,
    };
    f.session.save_translation(&edit).expect("translate");
    let view = f.session.summary(f.summary).expect("view");
    let link = &sentences(&view)[0].links[0];
    assert_eq!((link.segment, link.in_translation), (rows[3].id, true));
    assert!(sentences(&view)[0].flags.is_empty());
    // Versions and diffs are the translation machinery, unchanged.
    f.session.create_version(f.summary, "draft 1").expect("version");
    let sentence = sentences(&view)[0].clone();
    let edit = TranslationEdit {
        segment: sentence.id,
        text: "The opposition said the plan comes late.".into(),
        status: Status::Draft,
        base: sentence.revision,
        origin: None,
    };
    f.session.save_translation(&edit).expect("edit");
    let version = f.session.versions(f.summary).expect("versions")[0].id;
    let diff = f.session.diff_document(f.summary, Some(version), None, false).expect("diff");
    assert_eq!(diff.stats.segments_changed, 1);
}

#[test]
fn bad_requests_are_refused_and_change_nothing() {
    let mut f = fixture();
    let kind = |e: verso::session::SessionError| ErrorReply::from(&e).kind;
    assert_eq!(f.session.create_summary("x", "en", &[], None).map_err(kind).err(), Some(ErrorKind::InvalidInput));
    assert_eq!(
        f.session.create_summary("x", "en", &[f.summary], None).map_err(kind).err(),
        Some(ErrorKind::InvalidInput)
    );
    assert_eq!(
        f.session.add_summary_text(f.summary, 40, "Text.", SentenceKind::Claim).map_err(kind).err(),
        Some(ErrorKind::InvalidInput)
    );
    assert_eq!(f.session.summary(f.source).map_err(kind).err(), Some(ErrorKind::InvalidInput));
    assert_eq!(f.session.approve_summary(f.summary, None).map_err(kind).err(), Some(ErrorKind::InvalidInput));
    assert_eq!(f.session.documents().expect("docs").len(), 2);
}

/// Runs the `verso` command line in `dir`.
fn verso_in(dir: &std::path::Path, args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_verso")).args(args).current_dir(dir).output().expect("run")
}

#[test]
fn the_command_line_writes_checks_and_approves_a_summary() {
    let dir = tempfile::tempdir().expect("tempdir");
    let verso = |args: &[&str]| verso_in(dir.path(), args);
    assert!(verso(&["sample", "p.verso"]).status.success());
    std::fs::write(
        dir.path().join("s.md"),
        "Reservoir levels fell to 13% in August.\n\n## Key points\n- The plants will supply 450,000 households.\n",
    )
    .expect("write");
    let added = verso(&["summary", "add", "p.verso", "s.md", "--source", "1", "--lang", "en", "--json"]);
    assert!(added.status.success(), "{}", String::from_utf8_lossy(&added.stderr));
    let id = serde_json::from_slice::<serde_json::Value>(&added.stdout).expect("json")["id"].to_string();
    let check = verso(&["summary", "check", "p.verso", &id, "--json"]);
    assert!(!check.status.success(), "open flags make `check` fail");
    let view: SummaryView = serde_json::from_slice(&check.stdout).expect("view");
    assert_eq!(view.sections[3].title, "Key points");
    let wrong = sentences(&view)[0];
    assert_eq!(flags(wrong), [FlagKind::NumberMismatch]);
    let refused = verso(&["summary", "approve", "p.verso", &id]);
    assert!(String::from_utf8_lossy(&refused.stderr).contains("13%"), "{refused:?}");
    let approved = verso(&["summary", "approve", "p.verso", &id, "--override", "checked with the ministry"]);
    assert!(approved.status.success());
    let after: SummaryView =
        serde_json::from_slice(&verso(&["summary", "check", "p.verso", &id, "--json"]).stdout).expect("view");
    assert!(after.approved);
    assert_eq!(after.approval.and_then(|a| a.override_reason).as_deref(), Some("checked with the ministry"));
}

/// An approved summary of an imported statement in all four formats, with
/// citations that work: Markdown footnotes, HTML anchors, JSON notes, and
/// real Word footnotes that LibreOffice renders into a PDF.
#[test]
fn an_approved_summary_exports_with_citations_in_every_format() {
    use verso::formats::export::article::SummaryFormat;
    let mut f = fixture();
    let view =
        write(&mut f, "The plan will build 40,000 social homes by 2030. Youth unemployment fell to 27% in October.");
    f.session
        .add_summary_text(
            f.summary,
            2,
            "The plan may come too late for <b>young</b> families.",
            SentenceKind::Commentary,
        )
        .expect("commentary");
    let dir = tempfile::tempdir().expect("tempdir");
    let path = |ext: &str| dir.path().join(format!("summary.{ext}"));
    // Not approved: refused, and nothing is written.
    let refused = f.session.export_summary(f.summary, SummaryFormat::Markdown, &path("md"), false).expect_err("draft");
    assert_eq!(ErrorReply::from(&refused).kind, ErrorKind::Blocked);
    assert!(!path("md").exists());
    assert!(sentences(&view).iter().all(|s| s.flags.is_empty()));
    f.session.approve_summary(f.summary, None).expect("approve");
    let published = Publication {
        outlet: "La Moncloa".into(),
        url: "https://www.lamoncloa.gob.es/comunicado".into(),
        date: "2025-10-14".into(),
    };
    f.session.set_publication(f.source, &published).expect("publication");
    for format in [SummaryFormat::Markdown, SummaryFormat::Html, SummaryFormat::Docx, SummaryFormat::Json] {
        f.session.export_summary(f.summary, format, &path(format.extension()), false).expect("export");
    }

    let markdown = std::fs::read_to_string(path("md")).expect("md");
    assert!(markdown.contains("Please verify the original source"), "{markdown}");
    assert!(markdown.contains("# Housing plan") && markdown.contains("## News Summary"));
    assert!(
        markdown
            .contains("**Source:** La Moncloa — Comunicado, 2025-10-14 (<https://www.lamoncloa.gob.es/comunicado>)"),
        "{markdown}"
    );
    assert!(markdown.contains("by 2030.[^1]") && markdown.contains("in October.[^2]"), "{markdown}");
    assert!(
        markdown.contains("[^1]: “El plan prevé construir 40.000 viviendas sociales hasta 2030.” — “The plan foresees")
    );
    assert!(
        markdown.contains("### Expert Analysis") && markdown.contains(r"\<b\>young\</b\> families. *(commentary)*")
    );
    assert!(!markdown.contains("DRAFT"));

    let html = std::fs::read_to_string(path("html")).expect("html");
    assert!(html.contains(r##"<a href="#1">1</a>"##) && html.contains(r#"id="1""#), "citations link to their notes");
    assert!(html.contains("&lt;b&gt;young&lt;/b&gt;") && !html.contains("<b>young"), "text stays text");
    assert!(html.contains("prefers-color-scheme: dark") && !html.contains("<link") && !html.contains("<script"));
    assert!(
        html.contains(r#"La Moncloa — Comunicado, 2025-10-14 (<a href="https://www.lamoncloa.gob.es/comunicado">"#),
        "{html}"
    );

    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path("json")).expect("json")).expect("parse");
    assert_eq!(json["format"], "verso-summary");
    assert_eq!(
        (&json["sources"][0]["outlet"], &json["sources"][0]["date"], &json["sources"][0]["url"]),
        (
            &serde_json::json!("La Moncloa"),
            &serde_json::json!("2025-10-14"),
            &serde_json::json!("https://www.lamoncloa.gob.es/comunicado")
        )
    );
    assert_eq!(json["notes"][1]["quotes"][0]["original"], "El desempleo juvenil bajó al 27% en octubre.");
    assert_eq!(json["sections"][0]["sentences"][1]["note"], 2);
    assert!(
        json["sections"][0]["sentences"][0]["links"][0]["sentence_spans"].as_array().is_some_and(|s| !s.is_empty())
    );
    assert_eq!(json["sections"][2]["sentences"][0]["kind"], "commentary");

    // The DOCX opens in LibreOffice and its PDF shows the footnotes.
    let pdf_dir = dir.path().join("pdf");
    let profile = format!("-env:UserInstallation=file://{}", dir.path().join("lo-profile").display());
    let converted = std::process::Command::new("soffice")
        .args([profile.as_str(), "--headless", "--convert-to", "pdf", "--outdir"])
        .arg(&pdf_dir)
        .arg(path("docx"))
        .output()
        .expect("LibreOffice (soffice) is needed for this test: ./verso.sh test installs libreoffice-writer-nogui");
    assert!(converted.status.success(), "{}", String::from_utf8_lossy(&converted.stderr));
    let text = std::process::Command::new("pdftotext")
        .arg(pdf_dir.join("summary.pdf"))
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils)");
    let text = String::from_utf8_lossy(&text.stdout).replace('\n', " ");
    assert!(text.contains("Housing plan") && text.contains("Our Commentary") && text.contains("La Moncloa"), "{text}");
    assert!(
        text.contains("El desempleo juvenil bajó al 27% en octubre."),
        "the second footnote is on the page: {text}"
    );
    assert!(text.contains("<b>young</b> families"), "{text}");

    // A draft exports anyway, marked.
    let edit = sentences(&f.session.summary(f.summary).expect("view"))[0].clone();
    let change = TranslationEdit {
        segment: edit.id,
        text: "The plan will build 40,000 homes by 2030.".into(),
        status: Status::Draft,
        base: edit.revision,
        origin: None,
    };
    f.session.save_translation(&change).expect("edit");
    let draft = f.session.preview_summary(f.summary, SummaryFormat::Markdown, true).expect("preview");
    assert!(draft.starts_with("> **DRAFT") && draft.contains("## News Summary (DRAFT)"), "{draft}");
}

#[test]
fn where_a_source_was_published_is_checked_kept_and_shown_by_the_cli() {
    let mut f = fixture();
    let refused = |f: &mut Fixture, outlet: &str, url: &str, date: &str| -> String {
        let publication = Publication { outlet: outlet.into(), url: url.into(), date: date.into() };
        f.session.set_publication(f.source, &publication).expect_err("refused").to_string()
    };
    assert_eq!(
        refused(&mut f, "", "www.example.org", ""),
        "“www.example.org” is not a web address (http://… or https://…)"
    );
    assert_eq!(refused(&mut f, "", "https://", ""), "“https://” is not a web address (http://… or https://…)");
    assert_eq!(refused(&mut f, "", "", "14/10/2025"), "“14/10/2025” is not a date written YYYY-MM-DD");
    assert_eq!(refused(&mut f, "", "", "2025-02-29"), "“2025-02-29” is not a date written YYYY-MM-DD");
    assert!(refused(&mut f, &"x".repeat(201), "", "").contains("longer than 200 characters"));
    assert_eq!(f.session.document(f.source).expect("doc").publication, Publication::default(), "nothing was stored");
    let given =
        Publication { outlet: " El País ".into(), url: "https://elpais.com/a".into(), date: "2025-10-14".into() };
    let stored = f.session.set_publication(f.source, &given).expect("stored").publication;
    assert_eq!((stored.outlet.as_str(), stored.url.as_str()), ("El País", "https://elpais.com/a"));
    // A newer record counts; the CLI shows and changes one field at a time.
    let path = std::path::PathBuf::from(f.session.info().expect("info").path);
    drop(f.session);
    let dir = path.parent().expect("dir");
    let doc = f.source.0.to_string();
    let out = verso_in(dir, &["published", path.to_str().expect("utf-8"), &doc, "--date", "2025-10-15", "--json"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(json, serde_json::json!({ "outlet": "El País", "url": "https://elpais.com/a", "date": "2025-10-15" }));
    let bad = verso_in(dir, &["published", path.to_str().expect("utf-8"), &doc, "--url", "elpais.com"]);
    assert!(!bad.status.success());
    assert!(
        String::from_utf8_lossy(&bad.stderr).contains("“elpais.com” is not a web address"),
        "{}",
        String::from_utf8_lossy(&bad.stderr)
    );
}

/// The fourth sentence of the statement has no translation: an English
/// sentence about it shares no word with it until the project's glossary
/// says what "oposición" is in English. The open summary notices the
/// glossary import without being reopened.
#[test]
fn a_glossary_links_a_sentence_to_an_untranslated_passage() {
    let mut f = fixture();
    let view = write(&mut f, "The opposition criticised the timing.");
    let untranslated = f.session.segments(f.source).expect("rows")[3].clone();
    assert!(untranslated.translation.is_none());
    let sentence = sentences(&view)[0].clone();
    assert!(sentence.links.iter().all(|l| l.segment != untranslated.id), "no dictionary yet: {:?}", sentence.links);

    let csv = f._dir.path().join("glosario.csv");
    std::fs::write(&csv, "es,en\noposición,opposition\n").expect("write");
    f.session.import_glossary(&csv, f.source).expect("glossary");
    let view = f.session.summary(f.summary).expect("view");
    let sentence = sentences(&view)[0];
    let link = sentence.links.first().expect("linked through the glossary");
    assert_eq!(link.segment, untranslated.id);
    assert!(!link.in_translation);
    let text: Vec<char> = sentence.text.chars().collect();
    let passage: Vec<char> = untranslated.source.chars().collect();
    let cut =
        |chars: &[char], s: &verso::text::Span| chars[s.start as usize..s.end as usize].iter().collect::<String>();
    assert_eq!(link.sentence_spans.iter().map(|s| cut(&text, s)).collect::<Vec<_>>(), ["opposition"]);
    assert_eq!(link.passage_spans.iter().map(|s| cut(&passage, s)).collect::<Vec<_>>(), ["oposición"]);
}

/// `verso check-summary` on two plain files takes a glossary as its
/// dictionary, and names a glossary it cannot read.
#[test]
fn check_summary_on_plain_files_uses_a_glossary() {
    let dir = tempfile::tempdir().expect("tempdir");
    let verso = |args: &[&str]| verso_in(dir.path(), args);
    std::fs::write(
        dir.path().join("fuente.txt"),
        "La ministra visitó el hospital.\n\nLa oposición criticó el calendario.\n",
    )
    .expect("write");
    std::fs::write(dir.path().join("summary.txt"), "The opposition criticised the timing.\n").expect("write");
    std::fs::write(dir.path().join("g.csv"), "es,en\noposición,opposition\n").expect("write");
    let check = ["check-summary", "summary.txt", "--source", "fuente.txt", "--from", "es", "--lang", "en", "--json"];
    let links = |output: std::process::Output| -> Vec<u64> {
        assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
        let json: serde_json::Value = serde_json::from_slice(&output.stdout).expect("json");
        json[0]["links"].as_array().expect("links").iter().filter_map(|l| l["segment"].as_u64()).collect()
    };
    assert_eq!(links(verso(&check)), Vec::<u64>::new());
    let with_glossary = [&check[..], &["--glossary", "g.csv"]].concat();
    assert_eq!(links(verso(&with_glossary)), [1]);
    // A memory teaches the same pair: "oposición" and "opposition" go together twice.
    std::fs::write(
        dir.path().join("m.tmx"),
        r#"<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4"><header srclang="es" datatype="plaintext" segtype="sentence" adminlang="en" o-tmf="test" creationtool="test" creationtoolversion="1"/><body>
<tu><tuv xml:lang="es"><seg>La oposición votó en contra.</seg></tuv><tuv xml:lang="en"><seg>The opposition voted against.</seg></tuv></tu>
<tu><tuv xml:lang="es"><seg>La oposición pidió explicaciones.</seg></tuv><tuv xml:lang="en"><seg>The opposition asked for explanations.</seg></tuv></tu>
<tu><tuv xml:lang="es"><seg>El ministro dimitió.</seg></tuv><tuv xml:lang="en"><seg>The minister resigned.</seg></tuv></tu>
</body></tmx>"#,
    )
    .expect("write");
    let with_memory = [&check[..], &["--memory", "m.tmx"]].concat();
    assert_eq!(links(verso(&with_memory)), [1]);
    let plain = verso(&[&check[..check.len() - 1], &["--memory", "m.tmx"]].concat());
    assert!(String::from_utf8_lossy(&plain.stdout).contains("(memory pair)"), "{plain:?}");
    let wrong_pair = verso(&[
        "check-summary",
        "summary.txt",
        "--source",
        "fuente.txt",
        "--from",
        "es",
        "--lang",
        "de",
        "--memory",
        "m.tmx",
    ]);
    assert!(String::from_utf8_lossy(&wrong_pair.stderr).contains("m.tmx: no translation unit between es and de"));
    let missing = verso(&[&check[..], &["--glossary", "nowhere.csv"]].concat());
    assert!(!missing.status.success());
    let message = String::from_utf8_lossy(&missing.stderr);
    assert!(message.contains("nowhere.csv") && message.matches("No such file").count() == 1, "{message}");
}

/// A prepared English translation for each Spanish sentence of
/// [`STATEMENT`], as a LibreTranslate server on loopback answers them.
fn prepared(spanish: &str) -> String {
    let table = [
        ("El Gobierno aprobó", TRANSLATIONS[0]),
        ("El plan prevé", TRANSLATIONS[1]),
        ("El desempleo juvenil", TRANSLATIONS[2]),
        ("La oposición criticó", "The opposition criticised that the plan comes late."),
    ];
    table
        .iter()
        .find(|(start, _)| spanish.starts_with(start))
        .map_or_else(|| format!("?? {spanish}"), |(_, en)| en.to_string())
}

/// LibreTranslate on loopback, answering with [`prepared`] translations.
async fn libre_translate() -> loopback::Server {
    loopback::serve(|request, _| {
        let texts: Vec<String> =
            request.json()["q"].as_array().into_iter().flatten().filter_map(|q| q.as_str()).map(prepared).collect();
        loopback::Reply::json(200, serde_json::json!({ "translatedText": texts }).to_string())
    })
    .await
}

/// A switched-on profile "Libre" for the service at `url`, in `config`.
fn libre_profile(config: &std::path::Path, url: &str) {
    let mut profile = verso::mt::Profile::new("Libre", verso::mt::ProviderKind::Libretranslate);
    profile.url = url.to_string();
    profile.enabled = true;
    verso::mt::Settings { profiles: vec![profile] }.save(config).expect("settings");
}

#[tokio::test(flavor = "multi_thread")]
async fn an_untranslated_source_links_through_machine_translation_kept_for_linking_only() {
    let server = libre_translate().await;
    let dir = tempfile::tempdir().expect("tempdir");
    let config = dir.path().join("config");
    libre_profile(&config, &server.url);
    let mut session = Session::new(config, "Sam".into());
    let path = dir.path().join("news.verso");
    session.create_project(&path).expect("project");
    let file = dir.path().join("comunicado.txt");
    std::fs::write(&file, STATEMENT).expect("write");
    let source = session.import(&file, "es", "en", Some("Comunicado".into())).expect("import").id;
    let summary = session.create_summary("Housing plan", "en", &[source], None).expect("summary").id;
    let text = "Youth unemployment fell to 27% in October. The opposition criticised the plan as late.";
    session.add_summary_text(summary, 0, text, SentenceKind::Claim).expect("add");

    // Off (the default), the rules alone find the figures but not the opposition.
    let before = session.summary(summary).expect("view");
    assert_eq!(before.link_mt, None);
    assert!(session.link_mt_job(summary).expect("job").is_none(), "nothing is sent while it is off");
    let opposition = |view: &SummaryView| sentences(view)[1].links.clone();
    assert!(
        opposition(&before).iter().all(|l| !l.reasons.contains(&verso::provenance::LinkReason::MachineTranslation))
    );

    // On: the four untranslated passages go to the service once.
    session.set_link_mt(summary, Some("Libre")).expect("switch on");
    let job = session.link_mt_job(summary).expect("job").expect("passages to translate");
    assert_eq!(job.passages.len(), 4);
    let texts = job.client.translate(&job.request, &AtomicBool::new(false), &mut |_, _| {}).await.expect("translate");
    let view = session.finish_link_mt(summary, Some(&job), Some(texts)).expect("relinked");
    assert_eq!(view.link_mt.as_deref(), Some("Libre"));
    for sentence in sentences(&view) {
        let link = sentence.links.first().unwrap_or_else(|| panic!("{} is linked", sentence.text));
        assert!(link.reasons.contains(&verso::provenance::LinkReason::MachineTranslation), "{link:?}");
        let machine = link.machine_translation.as_deref().expect("the machine translation is shown");
        assert!(!link.passage_spans.is_empty() && machine.chars().count() >= link.passage_spans[0].end as usize);
        assert!(sentence.flags.is_empty(), "{}: {:?}", sentence.text, sentence.flags);
    }
    let linked = sentences(&view)[1].links[0].segment;
    assert_eq!(session.segment(linked).expect("row").source, "La oposición criticó que el plan llega tarde.");
    let requests = server.requests();
    assert_eq!(requests.len(), 1);
    assert_eq!((requests[0].method.as_str(), requests[0].path.as_str()), ("POST", "/translate"));
    assert_eq!(
        (requests[0].json()["source"].as_str(), requests[0].json()["target"].as_str()),
        (Some("es"), Some("en"))
    );

    // Kept in the project: nothing is asked again, not even after reopening,
    // and no passage gained a translation or a revision.
    assert!(session.link_mt_job(summary).expect("job").is_none());
    drop(session);
    let mut session = Session::new(dir.path().join("config"), "Sam".into());
    session.open_project(&path).expect("reopen");
    let reopened = session.summary(summary).expect("view");
    assert_eq!(reopened.sections, view.sections);
    assert!(session.link_mt_job(summary).expect("job").is_none());
    assert_eq!(server.requests().len(), 1);
    for row in session.segments(source).expect("rows") {
        assert_eq!(row.translation, None);
        assert!(session.history(row.id).expect("history").is_empty(), "no revision for {}", row.source);
    }

    // Off again, the links through machine translation are gone.
    let off = session.set_link_mt(summary, None).expect("switch off");
    assert!(sentences(&off).iter().flat_map(|s| &s.links).all(|l| l.machine_translation.is_none()));
    assert!(session.set_link_mt(summary, Some("Nobody")).is_err(), "an unknown profile is refused");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_command_line_links_through_machine_translation_with_mt() {
    let server = libre_translate().await;
    let dir = tempfile::tempdir().expect("tempdir");
    let config = dir.path().join("config");
    libre_profile(&config, &server.url);
    std::fs::write(dir.path().join("comunicado.txt"), STATEMENT).expect("write");
    std::fs::write(dir.path().join("summary.txt"), "The opposition criticised the plan as late.").expect("write");
    let summary = {
        let mut session = Session::new(config.clone(), "Sam".into());
        session.create_project(&dir.path().join("news.verso")).expect("project");
        let source = session.import(&dir.path().join("comunicado.txt"), "es", "en", None).expect("import").id;
        let summary = session.create_summary("Housing plan", "en", &[source], None).expect("summary").id;
        session
            .add_summary_text(summary, 0, "The opposition criticised the plan as late.", SentenceKind::Claim)
            .expect("add");
        summary.0.to_string()
    };
    let verso = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_verso"))
            .args(args)
            .current_dir(dir.path())
            .env("VERSO_CONFIG_DIR", &config)
            .output()
            .expect("run")
    };
    let machine = |view: &SummaryView| {
        sentences(view)[0].links.iter().any(|l| l.reasons.contains(&verso::provenance::LinkReason::MachineTranslation))
    };
    let check = |extra: &[&str]| {
        let out = verso(&[&["summary", "check", "news.verso", &summary, "--json"], extra].concat());
        let view: SummaryView = serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
        (view, String::from_utf8_lossy(&out.stderr).into_owned())
    };
    let (view, _) = check(&[]);
    assert!(!machine(&view) && view.link_mt.is_none());
    let (view, said) = check(&["--mt", "Libre"]);
    assert!(machine(&view), "{view:?}");
    assert!(said.contains("translating 4 untranslated passage(s) with \"Libre\""), "{said}");
    // Kept on, and translated once.
    let (view, said) = check(&[]);
    assert!(machine(&view) && !said.contains("translating"), "{said}");
    assert_eq!(server.requests().len(), 1);
    let (view, _) = check(&["--mt", "off"]);
    assert!(!machine(&view) && view.link_mt.is_none());

    // The plain-file check translates for this run only.
    let out = verso(&[
        "check-summary",
        "summary.txt",
        "--source",
        "comunicado.txt",
        "--from",
        "es",
        "--lang",
        "en",
        "--mt",
        "Libre",
    ]);
    let printed = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(printed.contains("machine translation): La oposición criticó"), "{printed}");
    assert_eq!(server.requests().len(), 2);
    let refused = verso(&[
        "check-summary",
        "summary.txt",
        "--source",
        "comunicado.txt",
        "--from",
        "es",
        "--lang",
        "en",
        "--mt",
        "Nobody",
    ]);
    assert!(String::from_utf8_lossy(&refused.stderr).contains("no machine-translation profile named \"Nobody\""));
}

/// An article cites what a person confirmed, and automatic links only from
/// the stated support on, marked as automatic; a claim approved by
/// override says it was not verified.
#[test]
fn an_article_cites_confirmed_and_strong_automatic_links_and_marks_overridden_claims() {
    use verso::formats::export::article::SummaryFormat;
    use verso::summary::CITE_AUTOMATIC_FROM;
    let mut f = fixture();
    let view = write(
        &mut f,
        "Youth unemployment fell to 27% in October. \
         The government approved a housing plan. \
         Critics said the housing plan came late for tenants.",
    );
    let [found, confirmed, weak] = sentences(&view)[..] else { panic!("three sentences") };
    assert!(found.links[0].support >= CITE_AUTOMATIC_FROM, "{:?}", found.links);
    let passage = confirmed.links[0].segment;
    assert!(!weak.links.is_empty(), "{weak:?}");
    assert!(weak.links.iter().all(|l| l.support < CITE_AUTOMATIC_FROM), "{:?}", weak.links);
    assert!(weak.blocking, "{weak:?}");
    let (confirmed_id, weak_id) = (confirmed.id, weak.id);
    f.session.decide_link(confirmed_id, passage, LinkDecision::Confirmed).expect("confirm");
    f.session
        .approve_summary(f.summary, Some("checked by phone with the parliament's press office"))
        .expect("override");

    let markdown = f.session.preview_summary(f.summary, SummaryFormat::Markdown, false).expect("markdown");
    let notes: Vec<&str> = markdown.lines().filter(|l| l.starts_with("[^")).collect();
    assert_eq!(notes.len(), 2, "the weak link is not cited: {markdown}");
    assert!(notes[0].starts_with("[^1]: “El desempleo juvenil") && notes[0].ends_with("*(found automatically)*"));
    assert!(notes[1].starts_with("[^2]: “El Gobierno aprobó") && !notes[1].contains("automatically"), "{}", notes[1]);
    assert!(markdown.contains("came late for tenants. *(not verified against the source)*"), "{markdown}");
    assert!(!markdown.contains("housing plan. *(not verified"));

    let json: serde_json::Value =
        serde_json::from_str(&f.session.preview_summary(f.summary, SummaryFormat::Json, false).expect("json"))
            .expect("json");
    let quotes: Vec<bool> = json["notes"]
        .as_array()
        .expect("notes")
        .iter()
        .map(|n| n["quotes"][0]["automatic"].as_bool().expect("automatic"))
        .collect();
    assert_eq!(quotes, [true, false]);
    let verified: Vec<(i64, bool)> = json["sections"][0]["sentences"]
        .as_array()
        .expect("sentences")
        .iter()
        .map(|s| (s["id"].as_i64().expect("id"), s["verified"].as_bool().expect("verified")))
        .collect();
    assert!(verified.contains(&(weak_id.0, false)) && verified.contains(&(confirmed_id.0, true)), "{verified:?}");
    assert!(f.session.summary(f.summary).expect("view").citation_rule.contains("50%"));
}

/// An OpenAI-compatible model on loopback: "No" to claims about the
/// Government, an unclear answer to claims about the opposition, "Yes"
/// (in Markdown) to the rest.
async fn claim_checker() -> loopback::Server {
    loopback::serve(|request, _| {
        let user = request.json()["messages"][1]["content"].as_str().unwrap_or_default().to_string();
        let claim = user.rsplit("Claim: ").next().unwrap_or_default();
        let answer = if claim.contains("Government") {
            "No"
        } else if claim.contains("opposition") {
            "It is hard to say."
        } else {
            "**Yes**"
        };
        let reply =
            serde_json::json!({ "choices": [{ "index": 0, "message": { "role": "assistant", "content": answer } }] });
        loopback::Reply::json(200, reply.to_string())
    })
    .await
}

fn judge_profile(f: &Fixture, url: &str) {
    let mut judge = verso::mt::Profile::new("Judge", verso::mt::ProviderKind::Openai);
    judge.url = format!("{url}/v1");
    judge.model = Some("bespoke-minicheck".into());
    judge.enabled = true;
    let mut libre = verso::mt::Profile::new("Libre", verso::mt::ProviderKind::Libretranslate);
    libre.enabled = true;
    verso::mt::Settings { profiles: vec![judge, libre] }.save(&f._dir.path().join("config")).expect("settings");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_claim_check_asks_the_users_model_once_per_claim_and_its_no_blocks_approval() {
    let server = claim_checker().await;
    let mut f = fixture();
    judge_profile(&f, &server.url);
    write(
        &mut f,
        "Youth unemployment fell to 27% in October. The Government approved a housing plan worth 3 billion euros.",
    );
    assert!(f.session.set_judge(f.summary, Some("Libre")).is_err(), "a translation service cannot check claims");
    let view = f.session.set_judge(f.summary, Some("Judge")).expect("on");
    assert!(sentences(&view).iter().all(|s| s.flags.is_empty() && s.verdict.is_none()), "the rules find no fault");

    let job = f.session.judge_job(f.summary).expect("job").expect("two claims to ask about");
    assert_eq!(job.claims.len(), 2);
    let outcome = verso::session::run_judge(&job, &AtomicBool::new(false), &mut |_, _| {}).await.expect("run");
    let report = f.session.finish_judge(f.summary, Some(&job), outcome).expect("finish");
    assert_eq!((report.judged, report.errors.len()), (2, 0), "{:?}", report.errors);
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    assert!(requests.iter().all(|r| r.method == "POST" && r.path == "/v1/chat/completions"));
    let expected: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/mt/claim-check.request.json"),
        )
        .expect("fixture"),
    )
    .expect("json");
    assert_eq!(requests[0].json(), expected);

    let [fine, wrong] = sentences(&report.view)[..] else { panic!("two sentences") };
    assert_eq!(fine.verdict.as_ref().map(|v| (v.model.as_str(), v.supported)), Some(("bespoke-minicheck", true)));
    assert!(fine.flags.is_empty() && !fine.blocking);
    assert_eq!(flags(wrong), [FlagKind::ModelNotSupported]);
    assert!(wrong.blocking && wrong.flags[0].detail.contains("bespoke-minicheck"), "{wrong:?}");
    let refused = f.session.approve_summary(f.summary, None).expect_err("blocked by the model's verdict");
    assert_eq!(ErrorReply::from(&refused).kind, ErrorKind::Blocked);

    // Unchanged claims are never asked again, not even by a new session.
    assert!(f.session.judge_job(f.summary).expect("job").is_none());
    let path = std::path::PathBuf::from(f.session.info().expect("info").path);
    let mut again = Session::new(f._dir.path().join("config"), "Sam".into());
    drop(std::mem::replace(&mut f.session, Session::new(f._dir.path().join("other"), "Sam".into())));
    again.open_project(&path).expect("reopen");
    assert!(again.judge_job(f.summary).expect("job").is_none());
    f.session = again;

    // A rewritten claim is asked about anew; a cancelled run keeps nothing.
    let wrong = sentences(&f.session.summary(f.summary).expect("view"))[1].clone();
    edit(&mut f, &wrong, "The opposition criticised the housing plan as late.");
    let job = f.session.judge_job(f.summary).expect("job").expect("the rewritten claim");
    assert_eq!(job.claims.len(), 1);
    let cancel = AtomicBool::new(true);
    let cancelled = verso::session::run_judge(&job, &cancel, &mut |_, _| {}).await;
    assert!(matches!(cancelled, Err(verso::mt::MtError::Cancelled)));
    assert_eq!(f.session.judge_job(f.summary).expect("job").map(|j| j.claims.len()), Some(1), "nothing kept");

    // An unclear answer leaves the claim unjudged, says so, and the rules stand.
    let outcome = verso::session::run_judge(&job, &AtomicBool::new(false), &mut |_, _| {}).await.expect("run");
    let report = f.session.finish_judge(f.summary, Some(&job), outcome).expect("finish");
    assert_eq!(report.judged, 0);
    assert!(report.errors[0].contains("neither Yes nor No") && report.errors[0].contains("It is hard to say"));
    assert!(sentences(&report.view)[1].verdict.is_none());

    // Switched off, no verdict counts.
    let off = f.session.set_judge(f.summary, None).expect("off");
    assert!(
        sentences(&off).iter().all(|s| s.verdict.is_none() && !flags(s).contains(&FlagKind::ModelNotSupported)),
        "{off:?}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_refused_key_is_reported_in_words_and_the_rules_stand() {
    let server = loopback::serve(|_, _| loopback::Reply::json(401, r#"{"error":{"message":"bad key"}}"#)).await;
    let mut f = fixture();
    judge_profile(&f, &server.url);
    write(&mut f, "Youth unemployment fell to 72% in October. The plan foresees 40,000 social homes by 2030.");
    f.session.set_judge(f.summary, Some("Judge")).expect("on");
    let job = f.session.judge_job(f.summary).expect("job").expect("claims");
    let outcome = verso::session::run_judge(&job, &AtomicBool::new(false), &mut |_, _| {}).await.expect("run");
    assert_eq!(server.requests().len(), 1, "a refused key ends the run");
    let report = f.session.finish_judge(f.summary, Some(&job), outcome).expect("finish");
    assert!(report.errors[0].contains("refused the API key"), "{:?}", report.errors);
    assert_eq!(flags(sentences(&report.view)[0]), [FlagKind::NumberMismatch]);
}

/// `verso bench summedits --judge` asks the profile's model about every
/// summary sentence and reports it beside the rules; a model that always
/// says Yes flags nothing, so it scores 50.
#[tokio::test(flavor = "multi_thread")]
async fn the_summedits_bench_measures_a_judge_on_loopback() {
    let server = loopback::serve(|_, _| {
        let reply =
            serde_json::json!({ "choices": [{ "index": 0, "message": { "role": "assistant", "content": "Yes." } }] });
        loopback::Reply::json(200, reply.to_string())
    })
    .await;
    let dir = tempfile::tempdir().expect("tempdir");
    let mut judge = verso::mt::Profile::new("Judge", verso::mt::ProviderKind::Openai);
    judge.url = format!("{}/v1", server.url);
    judge.model = Some("always-yes".into());
    judge.enabled = true;
    verso::mt::Settings { profiles: vec![judge] }.save(dir.path()).expect("settings");
    let data = std::env::var_os("VERSO_TEST_DATA")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data"));
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_verso"))
        .args(["bench", "summedits", "--judge", "Judge", "--domain", "news", "--limit", "8"])
        .env("VERSO_CONFIG_DIR", dir.path())
        .env("VERSO_TEST_DATA", &data)
        .output()
        .expect("run");
    let printed = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(printed.contains("judge always-yes at") && printed.contains("prompt version 1"), "{printed}");
    assert!(printed.contains("news         items    8") && printed.contains("judge 50.0"), "{printed}");
    assert!(server.requests().len() >= 8, "every sentence is asked about");
}

#[test]
fn a_refused_approval_names_every_flagged_sentence() {
    let mut f = fixture();
    write(&mut f, "Youth unemployment fell to 72% in October. The plan foresees 90,000 social homes by 2030.");
    let blocked = f.session.approve_summary(f.summary, None).expect_err("blocked");
    let message = ErrorReply::from(&blocked).message;
    assert!(message.contains("2 claim sentence(s)"), "{message}");
    assert!(message.contains("“Youth unemployment fell to 72% in October.” (") && message.contains("72%"), "{message}");
    assert!(message.contains("“The plan foresees 90,000 social homes by 2030.” (") && message.contains("90,000"));
}
