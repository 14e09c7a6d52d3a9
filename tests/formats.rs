//! Word and HTML sources in, translations and review tables out, on real
//! files; crafted bad archives refused with the file named and the project
//! unchanged.

use std::io::Write;
use std::path::{Path, PathBuf};

use verso::formats::import::{self, ImportRequest};
use verso::session::{DocumentExport, Session};
use verso::{PassageKind, Status, TranslationEdit};

fn docx(path: &Path, parts: &[(&str, &[u8])]) {
    let mut zip = zip::ZipWriter::new(std::fs::File::create(path).expect("create"));
    let options = zip::write::SimpleFileOptions::default();
    for (name, content) in parts {
        zip.start_file(*name, options).expect("entry");
        zip.write_all(content).expect("write");
    }
    zip.finish().expect("finish");
}

const STYLES: &str = r#"<?xml version="1.0"?><w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
<w:style w:type="paragraph" w:styleId="Titre1"><w:name w:val="heading 1"/></w:style>
<w:style w:type="paragraph" w:styleId="Citation"><w:name w:val="Quote"/></w:style></w:styles>"#;

const DOCUMENT: &str = r#"<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>
<w:p><w:pPr><w:pStyle w:val="Titre1"/><w:tabs><w:tab w:val="left" w:pos="720"/></w:tabs></w:pPr><w:r><w:t>Water plan</w:t></w:r><w:r><w:t xml:space="preserve"> announced</w:t></w:r></w:p>
<w:p><w:r><w:t>The ministry spoke on Tuesday. It gave figures &amp; dates.</w:t></w:r></w:p>
<w:p><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr></w:pPr><w:r><w:t>Three plants.</w:t></w:r></w:p>
<w:p><w:pPr><w:pStyle w:val="Citation"/></w:pPr><w:r><w:t>We cannot wait.</w:t></w:r></w:p>
<w:tbl><w:tr><w:tc><w:p><w:r><w:t>Cost: $1.2 billion</w:t></w:r></w:p></w:tc></w:tr></w:tbl>
</w:body></w:document>"#;

fn request(path: PathBuf) -> ImportRequest {
    ImportRequest {
        path,
        source_lang: "en".parse().expect("tag"),
        target_lang: "es".parse().expect("tag"),
        title: None,
    }
}

#[test]
fn a_word_document_imports_with_headings_lists_quotes_and_tables() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("statement.docx");
    docx(&path, &[("word/document.xml", DOCUMENT.as_bytes()), ("word/styles.xml", STYLES.as_bytes())]);
    let document = import::read_document(&request(path)).expect("import");
    let passages: Vec<(PassageKind, u8, Vec<String>)> =
        document.passages.into_iter().map(|p| (p.kind, p.level, p.sentences)).collect();
    assert_eq!(
        passages,
        [
            (PassageKind::Heading, 1, vec!["Water plan announced".to_string()]),
            (
                PassageKind::Paragraph,
                0,
                vec!["The ministry spoke on Tuesday.".into(), "It gave figures & dates.".into()]
            ),
            (PassageKind::ListItem, 1, vec!["Three plants.".into()]),
            (PassageKind::Quote, 0, vec!["We cannot wait.".into()]),
            (PassageKind::Paragraph, 0, vec!["Cost: $1.2 billion".into()]),
        ]
    );
    assert_eq!(document.title, "Water plan announced");
}

#[test]
fn crafted_archives_and_impostors_are_refused_and_add_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut session = Session::new(dir.path().join("config"), "Ana".into());
    session.create_project(&dir.path().join("p.verso")).expect("project");
    let try_import = |session: &mut Session, name: &str| {
        session.import(&dir.path().join(name), "en", "es", None).expect_err(name).to_string()
    };
    // A zip bomb: a part that inflates past the size limit.
    let huge = vec![b' '; (verso::formats::import::MAX_SOURCE_BYTES + 1) as usize];
    docx(&dir.path().join("bomb.docx"), &[("word/document.xml", &huge)]);
    let on_disk = std::fs::metadata(dir.path().join("bomb.docx")).expect("size").len();
    assert!(on_disk < 1_000_000, "a small archive ({on_disk} bytes) that inflates past the limit");
    let message = try_import(&mut session, "bomb.docx");
    assert!(message.contains("bomb.docx") && message.contains("limit"), "{message}");
    // An entry that climbs out of the archive.
    docx(&dir.path().join("traversal.docx"), &[("../../evil.xml", b"x"), ("word/document.xml", DOCUMENT.as_bytes())]);
    let message = try_import(&mut session, "traversal.docx");
    assert!(message.contains("traversal.docx") && message.contains("outside"), "{message}");
    // Entities in the document part.
    let entity = r#"<?xml version="1.0"?><!DOCTYPE w [<!ENTITY x SYSTEM "file:///etc/passwd">]><w:document xmlns:w="urn:w"><w:body><w:p><w:r><w:t>&x;</w:t></w:r></w:p></w:body></w:document>"#;
    docx(&dir.path().join("xxe.docx"), &[("word/document.xml", entity.as_bytes())]);
    assert!(try_import(&mut session, "xxe.docx").contains("DOCTYPE"));
    // A document part cut off inside its elements is broken, not blank.
    let cut = r#"<?xml version="1.0"?><w:document xmlns:w="urn:w"><w:body><w:p><w:r><w:t>Half a sen"#;
    docx(&dir.path().join("cut.docx"), &[("word/document.xml", cut.as_bytes())]);
    let message = try_import(&mut session, "cut.docx");
    assert!(message.ends_with("cut.docx: word/document.xml ends before its elements are closed"), "{message}");
    // Not what the extension says.
    std::fs::write(dir.path().join("letter.docx"), "Dear reader, this is plain text.").expect("write");
    let message = try_import(&mut session, "letter.docx");
    assert!(message.contains("letter.docx") && message.contains("not a Word document"), "{message}");
    std::fs::write(dir.path().join("page.html"), b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR").expect("write");
    assert!(try_import(&mut session, "page.html").contains("binary"));
    assert!(session.documents().expect("docs").is_empty());
}

#[test]
fn a_web_page_imports_as_text_and_exports_in_every_target_format() {
    let dir = tempfile::tempdir().expect("tempdir");
    let page = dir.path().join("news.html");
    std::fs::write(
        &page,
        r#"<!doctype html><html><head><title>x</title><script>alert('no')</script></head>
        <body><h1>Reservoirs at 31%</h1><p onmouseover="steal()">Levels fell in August. <b>Rain</b> is late.</p>
        <ul><li>Plants: three</li></ul></body></html>"#,
    )
    .expect("write");
    let mut session = Session::new(dir.path().join("config"), "Ana".into());
    session.create_project(&dir.path().join("p.verso")).expect("project");
    let doc = session.import(&page, "en", "es", None).expect("import");
    assert_eq!(doc.format, verso::SourceFormat::Html);
    let rows = session.segments(doc.id).expect("rows");
    let sources: Vec<&str> = rows.iter().map(|r| r.source.as_str()).collect();
    assert_eq!(sources, ["Reservoirs at 31%", "Levels fell in August.", "Rain is late.", "Plants: three"]);
    for (row, text) in rows.iter().zip(["Embalses al 31 %", "Los niveles cayeron en agosto.", "La lluvia <tarda>."]) {
        let edit = TranslationEdit {
            segment: row.id,
            text: text.into(),
            status: Status::Translated,
            base: None,
            origin: None,
        };
        session.save_translation(&edit).expect("save");
    }
    session.add_comment(rows[2].id, "Tone down?").expect("comment");

    let html = dir.path().join("out.html");
    assert_eq!(session.export_document(doc.id, DocumentExport::Html, &html).expect("html").untranslated, 1);
    let written = std::fs::read_to_string(&html).expect("read");
    assert!(written.contains("<h1>Embalses al 31 %</h1>") && written.contains("<li>Plants: three</li>"), "{written}");
    assert!(written.contains("La lluvia &lt;tarda&gt;.") && !written.contains("<tarda>"));
    // The page's own markup is kept around the translated text.
    assert!(
        written.contains(r#"<p onmouseover="steal()">Los niveles cayeron en agosto. La lluvia &lt;tarda&gt;.<b></b>"#),
        "{written}"
    );

    let review = dir.path().join("review.html");
    session.export_document(doc.id, DocumentExport::ReviewHtml, &review).expect("review");
    let table = std::fs::read_to_string(&review).expect("read");
    assert!(table.contains("<th>Source</th>") && table.contains("<td>Rain is late.</td>"), "{table}");
    assert!(table.contains("Ana: Tone down?") && table.contains("<td>translated</td>"));

    // Word: the translation and the review table open in LibreOffice.
    let target = dir.path().join("out.docx");
    session.export_document(doc.id, DocumentExport::Docx, &target).expect("docx");
    let review_docx = dir.path().join("review.docx");
    session.export_document(doc.id, DocumentExport::ReviewDocx, &review_docx).expect("review docx");
    let preview = session.preview_document(doc.id, DocumentExport::ReviewDocx).expect("preview");
    assert!(preview.text.contains("Rain is late."), "the preview shows the content");
    let profile = format!("-env:UserInstallation=file://{}", dir.path().join("lo").display());
    let status = std::process::Command::new("soffice")
        .args([profile.as_str(), "--headless", "--convert-to", "pdf", "--outdir"])
        .arg(dir.path())
        .arg(&target)
        .arg(&review_docx)
        .output()
        .expect("LibreOffice (soffice) is needed: ./verso.sh test installs libreoffice-writer-nogui");
    assert!(status.status.success(), "{}", String::from_utf8_lossy(&status.stderr));
    let text = |pdf: &str| {
        let out =
            std::process::Command::new("pdftotext").arg(dir.path().join(pdf)).arg("-").output().expect("pdftotext");
        String::from_utf8_lossy(&out.stdout).replace('\n', " ")
    };
    assert!(text("out.pdf").contains("Embalses al 31 %") && text("out.pdf").contains("Los niveles cayeron en agosto."));
    let review_text = text("review.pdf");
    assert!(review_text.contains("Rain is late.") && review_text.contains("Tone down?"), "{review_text}");
}

#[test]
fn a_word_source_gets_its_translation_written_back_into_the_same_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let source = dir.path().join("statement.docx");
    docx(
        &source,
        &[
            ("word/document.xml", DOCUMENT.as_bytes()),
            ("word/styles.xml", STYLES.as_bytes()),
            ("word/media/logo.png", b"PNG"),
        ],
    );
    let mut session = Session::new(dir.path().join("config"), "Ana".into());
    session.create_project(&dir.path().join("p.verso")).expect("project");
    let doc = session.import(&source, "en", "es", None).expect("import");
    assert_eq!(doc.format, verso::SourceFormat::Docx);
    let rows = session.segments(doc.id).expect("rows");
    let spanish = [
        "Plan del agua anunciado",
        "El ministerio habló el martes.",
        "Dio cifras y fechas.",
        "Tres plantas.",
        "No podemos esperar.",
    ];
    translate(&mut session, &rows, &spanish);
    let out = dir.path().join("statement.es.docx");
    let written = session.export_document(doc.id, DocumentExport::Docx, &out).expect("export");
    assert_eq!(written.untranslated, 1, "the table cell is still in English");
    let mut archive = zip::ZipArchive::new(std::fs::File::open(&out).expect("open")).expect("zip");
    let mut xml = String::new();
    std::io::Read::read_to_string(&mut archive.by_name("word/document.xml").expect("part"), &mut xml).expect("read");
    assert!(
        xml.contains(r#"<w:pStyle w:val="Titre1"/>"#) && xml.contains(r#"<w:numPr><w:ilvl w:val="0"/>"#),
        "styles and numbering kept"
    );
    assert!(
        xml.contains("<w:t>Plan del agua anunciado</w:t>") && xml.contains(r#"<w:t xml:space="preserve"></w:t>"#),
        "{xml}"
    );
    assert!(xml.contains("El ministerio habló el martes. Dio cifras y fechas.") && xml.contains("Cost: $1.2 billion"));
    assert!(archive.by_name("word/media/logo.png").is_ok(), "other parts of the file are copied as they were");
    // It reads back as a Word source with the same structure.
    let again = import::read_document(&request(out)).expect("reimport");
    assert_eq!(again.passages.len(), 5);
    assert_eq!(again.passages[0].kind, PassageKind::Heading);
}

/// Saves `texts` as the translations of `rows`, in order.
fn translate(session: &mut Session, rows: &[verso::SegmentRow], texts: &[&str]) {
    for (row, text) in rows.iter().zip(texts) {
        let edit = TranslationEdit {
            segment: row.id,
            text: text.to_string(),
            status: Status::Translated,
            base: None,
            origin: None,
        };
        session.save_translation(&edit).expect("save");
    }
}

fn verso(args: &[&std::ffi::OsStr]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_verso")).args(args).output().expect("run verso")
}

#[test]
fn the_command_line_keeps_a_word_original_as_the_desktop_does() {
    let dir = tempfile::tempdir().expect("tempdir");
    let source = dir.path().join("statement.docx");
    docx(&source, &[("word/document.xml", DOCUMENT.as_bytes()), ("word/styles.xml", STYLES.as_bytes())]);
    let project = dir.path().join("p.verso");
    let out = dir.path().join("statement.es.docx");
    let arg = |s: &str| std::ffi::OsString::from(s);
    for args in [
        vec![arg("init"), project.clone().into()],
        vec![
            arg("import"),
            project.clone().into(),
            source.clone().into(),
            arg("--from"),
            arg("en"),
            arg("--to"),
            arg("es"),
        ],
        vec![
            arg("set"),
            project.clone().into(),
            arg("2"),
            arg("El ministerio habló el martes."),
            arg("--status"),
            arg("translated"),
        ],
        vec![
            arg("export"),
            project.clone().into(),
            arg("1"),
            arg("--format"),
            arg("target"),
            arg("-o"),
            out.clone().into(),
        ],
    ] {
        let args: Vec<&std::ffi::OsStr> = args.iter().map(|a| a.as_os_str()).collect();
        let output = verso(&args);
        assert!(output.status.success(), "{:?}: {}", args, String::from_utf8_lossy(&output.stderr));
    }
    let mut archive = zip::ZipArchive::new(std::fs::File::open(&out).expect("open")).expect("zip");
    assert!(archive.by_name("word/styles.xml").is_ok(), "the original's styles part is in the output");
    let mut xml = String::new();
    std::io::Read::read_to_string(&mut archive.by_name("word/document.xml").expect("part"), &mut xml).expect("read");
    assert!(xml.contains(r#"<w:pStyle w:val="Titre1"/>"#), "the original's paragraph styles are kept: {xml}");
    assert!(xml.contains("El ministerio habló el martes."), "{xml}");
}

#[test]
fn chinese_and_japanese_export_without_spaces_between_sentences() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut session = Session::new(dir.path().join("config"), "Ana".into());
    session.create_project(&dir.path().join("p.verso")).expect("project");
    let english = dir.path().join("hello.txt");
    std::fs::write(&english, "Hello. How are you? Fine.").expect("write");
    let to_japanese = session.import(&english, "en", "ja", None).expect("import");
    let rows = session.segments(to_japanese.id).expect("rows");
    translate(&mut session, &rows, &["こんにちは。", "お元気ですか。"]);
    let out = dir.path().join("ja.txt");
    session.export_document(to_japanese.id, DocumentExport::Text, &out).expect("export");
    // The untranslated last sentence stands in English, after a space.
    assert_eq!(std::fs::read_to_string(&out).expect("read"), "こんにちは。お元気ですか。 Fine.\n");

    let chinese = dir.path().join("news.txt");
    std::fs::write(&chinese, "我们明天去北京。我们后天去上海。").expect("write");
    let from_chinese = session.import(&chinese, "zh", "en", None).expect("import");
    let out = dir.path().join("zh.md");
    session.export_document(from_chinese.id, DocumentExport::Markdown, &out).expect("export");
    assert_eq!(std::fs::read_to_string(&out).expect("read"), "我们明天去北京。我们后天去上海。\n");
}

#[test]
fn a_huge_malformed_tag_is_quoted_as_a_short_excerpt_by_every_xml_reader() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut session = Session::new(dir.path().join("config"), "Ana".into());
    session.create_project(&dir.path().join("p.verso")).expect("project");
    let long = "x".repeat(2_000_000);
    let tmx = format!(r#"<tmx version="1.4"><header srclang="en"/><body><tu></tu{long}></body></tmx>"#);
    std::fs::write(dir.path().join("m.tmx"), &tmx).expect("tmx");
    let xliff = format!(
        r#"<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" srcLang="en" trgLang="es"><file id="f"></fil{long}></xliff>"#
    );
    std::fs::write(dir.path().join("t.xlf"), &xliff).expect("xliff");
    let document = format!(r#"<w:document xmlns:w="urn:w"><w:body></w:bod{long}></w:document>"#);
    docx(&dir.path().join("d.docx"), &[("word/document.xml", document.as_bytes())]);
    let errors = [
        session.import_memory(&dir.path().join("m.tmx"), None, &mut |_, _| true).expect_err("tmx").to_string(),
        session.import(&dir.path().join("t.xlf"), "en", "es", None).expect_err("xliff").to_string(),
        session.import(&dir.path().join("d.docx"), "en", "es", None).expect_err("docx").to_string(),
    ];
    for (error, name) in errors.iter().zip(["m.tmx", "t.xlf", "d.docx"]) {
        assert!(error.contains(name), "{error:.300}");
        assert!(error.len() < 500, "{name}: a {}-byte message: {:.300}…", error.len(), error);
    }
    assert!(session.documents().expect("docs").is_empty());
}

#[test]
fn next_line_breaks_lines_in_every_reader_of_plain_text() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("nel.txt");
    std::fs::write(&path, "The minister spoke.\u{85}The plan starts in May.\n").expect("write");
    let passages = import::read_document(&request(path)).expect("NEXT LINE is text").passages;
    let sentences: Vec<&str> = passages.iter().flat_map(|p| p.sentences.iter().map(String::as_str)).collect();
    assert_eq!(sentences, ["The minister spoke.", "The plan starts in May."]);
}

/// A file declared in one language that reads as another is imported as
/// declared, with a warning that names both; the preview the import dialog
/// shows says the same and gives the title.
#[test]
fn a_file_that_reads_as_another_language_is_named_on_import() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("nota.md");
    std::fs::write(
        &file,
        "# Plan de vivienda\n\nEl Gobierno aprobó el martes un plan de vivienda de 3.000 millones de euros. \
         El plan prevé construir 40.000 viviendas sociales hasta 2030, según informó el ministerio.\n",
    )
    .expect("write");
    let session = verso::session::Session::for_command(dir.path().join("config"), None);
    let preview = session.preview_import(&file).expect("preview");
    assert_eq!((preview.lang.as_deref(), preview.title.as_str()), (Some("es"), "Plan de vivienda"));
    let project = dir.path().join("p.verso");
    assert!(verso(&["init".as_ref(), project.as_os_str()]).status.success());
    let import = |from: &str| {
        verso(&[
            "import".as_ref(),
            project.as_os_str(),
            file.as_os_str(),
            "--from".as_ref(),
            from.as_ref(),
            "--to".as_ref(),
            "fr".as_ref(),
        ])
    };
    let wrong = import("en");
    assert!(wrong.status.success(), "imported as declared");
    let said = String::from_utf8_lossy(&wrong.stderr);
    assert!(said.contains("nota.md reads as es, not en"), "{said}");
    let right = import("es-ES");
    assert!(String::from_utf8_lossy(&right.stderr).is_empty(), "{right:?}");
}
