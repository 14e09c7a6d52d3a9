//! The analysis a translation is quoted on and the project overview,
//! against a real project file, a real TMX memory and the `verso` binary.
//! The expected counts below were worked out by hand from the rules in
//! `src/analysis.rs`; every band is hit at least once. (About 1 s.)

use std::path::Path;
use std::process::Command;

use verso::analysis::{Analysis, Band};
use verso::revision::{Decision, ErrorCategory};
use verso::session::{ReportFormat, Session};
use verso::{DocumentId, Status, TranslationEdit};

/// Translated and confirmed: its units, with their neighbours, are the
/// project memory the second document is analysed against.
const EARLIER: &str = "Prices rose in May. The central bank raised interest rates on Monday. Markets fell sharply.";

const ANALYSED: &str = "Prices rose in May. The central bank raised interest rates on Monday. Markets fell sharply. \
The ministers met in Brussels on Tuesday to discuss the new budget for next year! \
The ministers met in Brussels on Monday to discuss the new budget for next year. \
The ministers met in Paris on Monday to discuss the new budget for this year. \
The ministers met in Paris on Monday to discuss the old plan for this year. \
Completely unrelated words appear here. Markets fell sharply.";

const TMX: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4"><header srclang="en" datatype="plaintext" segtype="sentence" adminlang="en" o-tmf="x" creationtool="x" creationtoolversion="1"/>
<body><tu><tuv xml:lang="en"><seg>The ministers met in Brussels on Tuesday to discuss the new budget for next year.</seg></tuv>
<tuv xml:lang="es"><seg>Los ministros se reunieron en Bruselas el martes para debatir el nuevo presupuesto del año que viene.</seg></tuv></tu></body></tmx>
"#;

fn project(dir: &Path) -> (Session, DocumentId, DocumentId) {
    let mut session = Session::new(dir.join("config"), "Ana".into());
    session.create_project(&dir.join("news.verso")).expect("project");
    let (earlier, analysed, tmx) = (dir.join("earlier.txt"), dir.join("analysed.txt"), dir.join("agency.tmx"));
    std::fs::write(&earlier, EARLIER).expect("write");
    std::fs::write(&analysed, ANALYSED).expect("write");
    std::fs::write(&tmx, TMX).expect("write");
    let first = session.import(&earlier, "en", "es", None).expect("import").id;
    let second = session.import(&analysed, "en", "es", None).expect("import").id;
    for (row, text) in session.segments(first).expect("rows").into_iter().zip([
        "Los precios subieron en mayo.",
        "El banco central subió los tipos el lunes.",
        "Los mercados cayeron con fuerza.",
    ]) {
        let edit = TranslationEdit {
            segment: row.id,
            text: text.into(),
            status: Status::Translated,
            base: None,
            origin: None,
        };
        session.save_translation(&edit).expect("confirm");
    }
    session.import_memory(&tmx, Some(second), &mut |_, _| true).expect("tmx");
    (session, first, second)
}

fn band(analysis: &Analysis, band: Band) -> (u32, u32, u32) {
    let count = analysis.bands.iter().find(|b| b.band == band).expect("every band is listed");
    (count.segments, count.words, count.characters)
}

#[test]
fn every_band_is_counted_as_worked_out_by_hand() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (session, _, second) = project(dir.path());
    let analysis = session.analyse(Some(second), &mut |_, _| true).expect("analyse").expect("not cancelled");
    assert_eq!((analysis.scope.as_str(), analysis.documents), ("analysed", 1));
    // Same sentence and neighbours as in the first document: 101%. The
    // first sentence has no previous one, so it is 100% at most, and
    // "Markets fell sharply." is followed by another sentence here.
    assert_eq!(band(&analysis, Band::InContext), (1, 8, 42));
    assert_eq!(band(&analysis, Band::Exact), (2, 7, 35));
    // Against the TMX unit: "!" for "." 96%, Monday for Tuesday 93%,
    // Paris + Monday + this year 80%, and the old plan besides 67%.
    assert_eq!(band(&analysis, Band::From95).0, 1);
    assert_eq!(band(&analysis, Band::From85).0, 1);
    assert_eq!(band(&analysis, Band::From75).0, 1);
    assert_eq!(band(&analysis, Band::From50).0, 1);
    assert_eq!(band(&analysis, Band::From95).1 + band(&analysis, Band::From50).1, 30);
    assert_eq!(band(&analysis, Band::NoMatch), (1, 5, 35));
    // The second "Markets fell sharply." is a repetition, not a 100% match.
    assert_eq!(band(&analysis, Band::Repetition), (1, 3, 19));
    assert_eq!((analysis.segments, analysis.words), (9, 83));

    // The whole project: the first document's own units are not matches
    // for it, and the second's first three sentences repeat it.
    let whole = session.analyse(None, &mut |_, _| true).expect("analyse").expect("not cancelled");
    assert_eq!((whole.documents, whole.segments, whole.words), (2, 12, 98));
    assert_eq!(band(&whole, Band::Repetition), (4, 18, 96));
    assert_eq!(band(&whole, Band::NoMatch).0, 4);
    assert_eq!(band(&whole, Band::InContext).0 + band(&whole, Band::Exact).0, 0);

    // Cancelled, there is no analysis.
    assert!(session.analyse(None, &mut |_, _| false).expect("analyse").is_none());
}

#[test]
fn the_overview_counts_progress_reviews_and_people_and_the_report_draws_them() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (mut session, first, second) = project(dir.path());
    let rows = session.segments(first).expect("rows");
    session.set_author("Eve").expect("author");
    session.review(rows[0].id, Decision::Approved, None, None).expect("approve");
    session
        .review(rows[1].id, Decision::Rejected, Some("tipos de interés"), Some(ErrorCategory::Terminology))
        .expect("reject");
    let overview = session.overview().expect("overview");
    let statuses = |document: DocumentId| -> Vec<(Status, u32)> {
        let progress = overview.documents.iter().find(|d| d.document == document).expect("listed");
        progress.statuses.iter().filter(|s| s.count > 0).map(|s| (s.status, s.count)).collect()
    };
    assert_eq!(statuses(first), [(Status::Translated, 1), (Status::Approved, 1), (Status::Rejected, 1)]);
    assert_eq!(statuses(second), [(Status::New, 9)]);
    assert_eq!(overview.activity.len(), 1);
    assert_eq!(
        (overview.activity[0].approved, overview.activity[0].rejected, overview.activity[0].reviewed),
        (1, 1, 0)
    );
    // Ana translated the three sentences (4 + 8 + 3 words); Eve reviewed two (4 + 8).
    let person = |name: &str| overview.people.iter().find(|p| p.author == name).expect("a person");
    assert_eq!((person("Ana").translated_words, person("Ana").reviewed_words), (15, 0));
    assert_eq!((person("Eve").translated_words, person("Eve").reviewed_words), (0, 12));
    let terminology = overview.rejections.iter().find(|c| c.category == ErrorCategory::Terminology).expect("listed");
    assert_eq!(terminology.count, 1);

    // The report: a page with its charts as SVG and their numbers, and CSV.
    let html_path = dir.path().join("report.html");
    let analysis = session.analyse(None, &mut |_, _| true).expect("analyse");
    session.write_report(&html_path, ReportFormat::Html, analysis.as_ref()).expect("html");
    let html = std::fs::read_to_string(&html_path).expect("read");
    for chart in ["progress", "analysis", "activity", "people", "qa", "rejections"] {
        assert!(html.contains(&format!(r#"<svg id="{chart}""#)), "the {chart} chart is drawn");
    }
    assert!(html.contains("<title>earlier: approved 1 segments</title>"), "every bar has its tooltip");
    assert!(!html.contains("<script") && !html.contains("<link"), "self-contained, nothing runs");
    let csv_path = dir.path().join("report.csv");
    session.write_report(&csv_path, ReportFormat::Csv, None).expect("csv");
    let csv = std::fs::read_to_string(&csv_path).expect("read");
    assert!(csv.starts_with("section,item,measure,value\n"));
    assert!(
        csv.contains("progress,earlier,approved,1\n") && csv.contains("rejections,terminology,rejections,1\n"),
        "{csv}"
    );

    // The command line gives the same figures.
    let path = dir.path().join("news.verso");
    drop(session);
    let out = Command::new(env!("CARGO_BIN_EXE_verso"))
        .args(["analyse".as_ref(), path.as_os_str(), second.0.to_string().as_ref(), "--json".as_ref()])
        .output()
        .expect("verso");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!((json["words"].as_u64(), json["bands"][0]["band"].as_str()), (Some(83), Some("repetition")));
    let out = Command::new(env!("CARGO_BIN_EXE_verso"))
        .args(["overview".as_ref(), path.as_os_str()])
        .output()
        .expect("verso");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("earlier: 1 translated, 1 approved, 1 rejected"), "{text}");
}
