//! XLIFF conformance, measured on the OASIS XLIFF 2.1 and 2.2 test suites
//! and Okapi's XLIFF 1.2 samples (`$VERSO_TEST_DATA/xliff_tmx_tbx`): every
//! valid file must be read, every invalid one refused with the file, line
//! and rule named. Pass rates are printed per folder.

use std::path::{Path, PathBuf};

use verso::TranslationEdit;
use verso::formats::xliff;

fn data_dir() -> PathBuf {
    let dir = std::env::var_os("VERSO_TEST_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/data"))
        .join("xliff_tmx_tbx");
    assert!(dir.is_dir(), "XLIFF test suites not found at {}: set VERSO_TEST_DATA", dir.display());
    dir
}

fn files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "xlf"))
        .collect();
    files.sort();
    files
}

/// Files the suites list as valid that are not well-formed XML, so no
/// XML reader can read them (text and an unclosed <target> between
/// segments, an undeclared `pgs:` prefix): counted, reported, not required.
const SUITE_DEFECTS: &[&str] = &["Good-pgs_plural.xlf"];

/// (accepted, total) for the files of one folder.
fn accepted(dir: &Path, show: bool) -> (usize, usize) {
    let all = files(dir);
    let mut ok = 0;
    for file in &all {
        match xliff::read(file) {
            Ok(_) => {
                ok += 1;
                if show {
                    println!("    accepted {}", file.file_name().unwrap_or_default().to_string_lossy());
                }
            }
            Err(error) => {
                let message = error.to_string();
                assert!(message.contains(&file.display().to_string()), "the error names the file: {message}");
                if show {
                    println!("    refused  {message}");
                }
            }
        }
    }
    (ok, all.len())
}

#[test]
fn oasis_suites_valid_files_are_read_and_invalid_ones_refused() {
    let root = data_dir();
    let show = std::env::var_os("VERSO_XLIFF_DEBUG").is_some();
    let mut valid = (0, 0);
    let mut invalid = (0, 0);
    // Valid files must import as documents, not just read; a file that
    // names no target language gets the one the user picks (here French).
    let dir = tempfile::tempdir().expect("tempdir");
    let mut session = verso::session::Session::new(dir.path().join("config"), "Eva".into());
    session.create_project(&dir.path().join("suites.verso")).expect("project");
    let mut imported = 0;
    for suite in ["oasis-xliff-2.1-test-suite", "oasis-xliff-2.2-test-suite"] {
        for part in ["core", "modules"] {
            for file in files(&root.join(suite).join(part).join("valid")) {
                match session.import_xliff(&file, None, Some("fr")) {
                    Ok(_) => imported += 1,
                    Err(error) if show => println!("    not imported: {error}"),
                    Err(_) => {}
                }
            }
            let (ok, total) = accepted(&root.join(suite).join(part).join("valid"), show);
            println!("{suite}/{part}/valid: {ok}/{total} read ({:.1}%)", 100.0 * ok as f64 / total as f64);
            valid = (valid.0 + ok, valid.1 + total);
            let (ok, total) = accepted(&root.join(suite).join(part).join("invalid"), show);
            let refused = total - ok;
            println!(
                "{suite}/{part}/invalid: {refused}/{total} refused ({:.1}%)",
                100.0 * refused as f64 / total as f64
            );
            invalid = (invalid.0 + refused, invalid.1 + total);
        }
    }
    println!(
        "OASIS XLIFF 2 suites: valid read {}/{}, invalid refused {}/{} ({:.1}%)",
        valid.0,
        valid.1,
        invalid.0,
        invalid.1,
        100.0 * invalid.0 as f64 / invalid.1 as f64
    );
    assert_eq!(valid.0 + SUITE_DEFECTS.len(), valid.1, "every valid suite file must be read");
    assert_eq!(imported, valid.0, "every file read is imported as a document");
    // The goal: at least 95% of the invalid files refused.
    assert!(invalid.0 * 100 >= invalid.1 * 95, "invalid files refused fell to {}/{}", invalid.0, invalid.1);
}

#[test]
fn okapi_xliff_12_samples_are_read() {
    let root = data_dir().join("okapi-xliff-1.2");
    let mut total = (0, 0);
    for dir in
        [root.clone(), root.join("Balancing"), root.join("integration"), root.join("iwsxliff"), root.join("xtmxliff")]
    {
        let (ok, n) = accepted(&dir, std::env::var_os("VERSO_XLIFF_DEBUG").is_some());
        println!("{}: {ok}/{n} read", dir.strip_prefix(&root).unwrap_or(&dir).display());
        total = (total.0 + ok, total.1 + n);
    }
    // Refused, rightly: illegal control characters, and two files with no
    // encoding declaration (so UTF-8) that hold Latin-1 bytes.
    let bad = xliff::read(&root.join("invalid_xml_entity.xlf")).expect_err("illegal control characters");
    assert!(bad.to_string().contains("byte 560"), "{bad}");
    let latin1 = xliff::read(&root.join("integration/simple.xlf").with_file_name("generalstructure.xlf"))
        .expect_err("not UTF-8");
    assert!(latin1.to_string().contains("line 17, column 23"), "{latin1}");
    assert_eq!(total.0 + 3, total.1, "every other sample is read");
}

/// Runs xmllint with `args` on `file`; the export must validate.
fn xmllint(args: &[&str], file: &Path) {
    let output = std::process::Command::new("xmllint")
        .args(["--noout", "--nonet"])
        .args(args)
        .arg(file)
        .output()
        .expect("xmllint is needed for this test: ./verso.sh test installs libxml2-utils");
    assert!(
        output.status.success(),
        "{} does not validate: {}",
        file.display(),
        String::from_utf8_lossy(&output.stderr)
    );
}

fn sample_session(dir: &Path) -> (verso::session::Session, verso::DocumentId) {
    let mut session = verso::session::Session::new(dir.join("config"), "Eva".into());
    session.open_sample().expect("sample");
    (session, verso::DocumentId(1))
}

#[test]
fn xliff_21_round_trip_updates_the_right_segments_and_validates() {
    use verso::session::DocumentExport;
    let dir = tempfile::tempdir().expect("tempdir");
    let (mut session, doc) = sample_session(dir.path());
    let rows = session.segments(doc).expect("rows");
    session.add_comment(rows[2].id, "Check \"costa norte\" & <tone>").expect("comment");
    let file = dir.path().join("out.xlf");
    let units = session.export_document(doc, DocumentExport::Xliff2, &file).expect("export").units;
    assert_eq!(units as usize, rows.len());
    let schemas = data_dir().join("oasis-xliff-2.1-schemas");
    xmllint(&["--schema", &schemas.join("xliff_core_2.0.xsd").display().to_string()], &file);
    let read = xliff::read(&file).expect("our own export reads back");
    assert_eq!(read.units.len(), rows.len());
    assert_eq!(read.units[2].notes, ["Eva: Check \"costa norte\" & <tone>"]);
    // Imported as a new document, the notes become comments again.
    let copy = session.import_xliff(&file, Some("Copy".into()), None).expect("import copy");
    let copied = session.segments(copy.id).expect("rows");
    assert_eq!(copied.iter().map(|r| r.comments).sum::<u32>(), 1);
    assert_eq!(session.comments(copied[2].id).expect("comments")[0].text, "Eva: Check \"costa norte\" & <tone>");

    // Another tool translates segment 5 and marks segment 4 final.
    let text = std::fs::read_to_string(&file).expect("read");
    let seventh = format!("<segment id=\"s{}\">\n    <source>", rows[4].id.0);
    assert!(text.contains(&seventh), "untranslated segments have no state");
    let edited = text
        .replace(
            &format!("{seventh}{}</source>", rows[4].source),
            &format!(
                "<segment id=\"s{}\" state=\"translated\">\n    <source>{}</source>\n    <target>El programa costará 1.200 millones de dólares.</target>",
                rows[4].id.0, rows[4].source
            ),
        )
        .replace(
            &format!("<segment id=\"s{}\" state=\"initial\" subState=\"verso:draft\">", rows[3].id.0),
            &format!("<segment id=\"s{}\" state=\"final\">", rows[3].id.0),
        );
    assert_ne!(edited, text);
    std::fs::write(&file, edited).expect("write");
    let changed = session.update_from_xliff(doc, &file).expect("update");
    assert_eq!(changed, 2);
    let after = session.segments(doc).expect("rows");
    assert_eq!(after[4].translation.as_deref(), Some("El programa costará 1.200 millones de dólares."));
    assert_eq!((after[4].status, after[4].origin.as_deref()), (verso::Status::Translated, Some("xliff")));
    assert_eq!(after[3].status, verso::Status::Approved);
    for (before, now) in rows.iter().zip(&after).filter(|(r, _)| r.position != 3 && r.position != 4) {
        assert_eq!((before.revision, before.status), (now.revision, now.status), "segment {} untouched", before.id.0);
    }
    // Again: nothing changes.
    assert_eq!(session.update_from_xliff(doc, &file).expect("again"), 0);

    // A file from another document is refused whole.
    let foreign = data_dir().join("oasis-xliff-2.1-test-suite/core/valid/sample1.xlf");
    let refused = session.update_from_xliff(doc, &foreign).expect_err("not ours");
    assert!(refused.to_string().contains("not a segment of this document"), "{refused}");
    assert_eq!(session.segments(doc).expect("rows"), after);
}

#[test]
fn xliff_12_and_tmx_exports_validate_and_xliff_12_comes_back() {
    use verso::session::DocumentExport;
    let dir = tempfile::tempdir().expect("tempdir");
    let (mut session, doc) = sample_session(dir.path());
    let file = dir.path().join("out12.xlf");
    session.export_document(doc, DocumentExport::Xliff12, &file).expect("export");
    // The 1.2 schema imports xml.xsd from its own folder; put the W3C copy
    // from the 2.1 schema folder beside it, in a scratch folder.
    let schemas = data_dir().join("schemas-okapi");
    let scratch = dir.path().join("schemas");
    std::fs::create_dir_all(&scratch).expect("scratch");
    std::fs::copy(schemas.join("xliff-core-1.2-strict.xsd"), scratch.join("xliff-core-1.2-strict.xsd")).expect("copy");
    std::fs::copy(
        data_dir().join("oasis-xliff-2.1-schemas/informativeCopiesOf3rdPartySchemas/w3c/xml.xsd"),
        scratch.join("xml.xsd"),
    )
    .expect("copy");
    xmllint(&["--schema", &scratch.join("xliff-core-1.2-strict.xsd").display().to_string()], &file);
    let rows = session.segments(doc).expect("rows");
    let text = std::fs::read_to_string(&file).expect("read");
    let edited = text.replace(
        "Las plantas abastecerán a 450.000 hogares en 2028.</target>",
        "Las plantas abastecerán a 450.000 hogares para 2028.</target>",
    );
    std::fs::write(&file, edited).expect("write");
    assert_eq!(session.update_from_xliff(doc, &file).expect("update"), 1);
    let row = &session.segments(doc).expect("rows")[3];
    assert_eq!(row.translation.as_deref(), Some("Las plantas abastecerán a 450.000 hogares para 2028."));
    assert_eq!(row.status, rows[3].status, "the state comes back as it went out");

    let tmx = dir.path().join("approved.tmx");
    let pairs = session.export_document(doc, DocumentExport::Tmx, &tmx).expect("tmx").units;
    assert_eq!(pairs, 1, "only approved pairs");
    xmllint(&["--dtdvalid", &schemas.join("tmx14.dtd").display().to_string()], &tmx);
}

#[test]
fn a_foreign_xliff_file_becomes_a_document_with_its_translations() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (mut session, _) = sample_session(dir.path());
    let file = data_dir().join("okapi-xliff-1.2/Typo3Draft.xlf");
    let bitext = xliff::read(&file).expect("read");
    let document = session.import_xliff(&file, None, None).expect("import");
    assert_eq!(document.format, verso::SourceFormat::Xliff);
    let rows = session.segments(document.id).expect("rows");
    let sources: usize = bitext.units.iter().flat_map(|u| &u.segments).filter(|s| !s.source.trim().is_empty()).count();
    assert_eq!(rows.len(), sources);
    let translated = bitext
        .units
        .iter()
        .flat_map(|u| &u.segments)
        .filter(|s| s.target.as_ref().is_some_and(|t| !t.trim().is_empty()))
        .count();
    assert_eq!(rows.iter().filter(|r| r.translation.is_some()).count(), translated);
    // A broken file adds nothing.
    let before = session.documents().expect("docs").len();
    let broken = dir.path().join("broken.xlf");
    std::fs::write(&broken, "<xliff xmlns=\"urn:oasis:names:tc:xliff:document:2.0\" version=\"2.1\" srcLang=\"en\"><file id=\"f\"><unit id=\"1\"><segment><source>a</source></segment></unit><unit id=\"1\"><segment><source>b</source></segment></unit></file></xliff>").expect("write");
    let error = session.import_xliff(&broken, None, None).expect_err("duplicate unit id");
    assert!(error.to_string().contains("broken.xlf: line 1") && error.to_string().contains("\"1\""), "{error}");
    assert_eq!(session.documents().expect("docs").len(), before);
}

#[test]
fn inline_codes_survive_a_round_trip_through_verso() {
    use verso::session::DocumentExport;
    let dir = tempfile::tempdir().expect("tempdir");
    let (mut session, _) = sample_session(dir.path());
    let original = dir.path().join("codes.xlf");
    std::fs::write(
        &original,
        r#"<?xml version="1.0" encoding="UTF-8"?>
<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.1" srcLang="en" trgLang="fr" xmlns:fs="urn:oasis:names:tc:xliff:fs:2.0">
 <file id="f1">
  <unit id="1">
   <originalData><data id="d1">&lt;br/&gt;</data></originalData>
   <segment><source>Press <pc id="1" fs:fs="b">Save</pc> now.<ph id="2" dataRef="d1"/></source></segment>
  </unit>
 </file>
</xliff>
"#,
    )
    .expect("write");
    let document = session.import_xliff(&original, None, None).expect("import").id;
    let row = session.segments(document).expect("rows").remove(0);
    assert_eq!(row.source, "Press ⟦1⟧Save⟦/1⟧ now.⟦2⟧");
    // The translator keeps the placeholders; the export writes the codes back.
    let edit = TranslationEdit {
        segment: row.id,
        text: "Appuyez maintenant sur ⟦1⟧Enregistrer⟦/1⟧.⟦2⟧".into(),
        status: verso::Status::Translated,
        base: None,
        origin: None,
    };
    session.save_translation(&edit).expect("translate");
    let out = dir.path().join("back.xlf");
    session.export_document(document, DocumentExport::Xliff2, &out).expect("export");
    let text = std::fs::read_to_string(&out).expect("read");
    assert!(
        text.contains(r#"<source>Press <pc id="1" xmlns:fs="urn:oasis:names:tc:xliff:fs:2.0" fs:fs="b">Save</pc> now.<ph id="2" dataRef="d1"/></source>"#),
        "{text}"
    );
    assert!(text.contains(r#"<target>Appuyez maintenant sur <pc id="1" xmlns:fs="urn:oasis:names:tc:xliff:fs:2.0" fs:fs="b">Enregistrer</pc>.<ph id="2" dataRef="d1"/></target>"#), "{text}");
    // Our export reads back with the same placeholders.
    let again = xliff::read(&out).expect("read back");
    assert_eq!(again.units[0].segments[0].target.as_deref(), Some("Appuyez maintenant sur ⟦1⟧Enregistrer⟦/1⟧.⟦2⟧"));
    // XLIFF 1.2 from Okapi: g and x codes come in as placeholders and go out as they were.
    let okapi = data_dir().join("okapi-xliff-1.2/RB-12-Test02.xlf");
    let document = session.import_xliff(&okapi, None, None).expect("import 1.2").id;
    let rows = session.segments(document).expect("rows");
    assert!(rows.iter().any(|r| r.source.contains("⟦1⟧") && r.source.contains("⟦/1⟧")), "{rows:?}");
    let out12 = dir.path().join("back12.xlf");
    session.export_document(document, DocumentExport::Xliff12, &out12).expect("export 1.2");
    let text = std::fs::read_to_string(&out12).expect("read");
    assert!(text.contains(r#"Text with <g id="1">code</g> and <g id="2">bold</g>."#), "{text}");
    assert!(text.contains(r#"Text with a footnote<x id="1"/> and more text"#), "{text}");
    let segments =
        |b: xliff::Bitext| b.units.iter().flat_map(|u| &u.segments).filter(|s| !s.source.trim().is_empty()).count();
    assert_eq!(segments(xliff::read(&out12).expect("read back")), segments(xliff::read(&okapi).expect("read")));
}
