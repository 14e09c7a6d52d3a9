//! Translation memory, glossary and QA on real files: the Okapi TMX and TBX
//! samples, NTREX news for match quality, crafted broken files for errors.

use std::path::{Path, PathBuf};

use verso::session::{self, SessionError};
use verso::store::TmError;
use verso::tm::{self, MemoryId, SearchIn};
use verso::{LangTag, Project, Status, TranslationEdit};

fn data_dir() -> PathBuf {
    let dir = std::env::var_os("VERSO_TEST_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/data"));
    assert!(dir.is_dir(), "test data not found at {}: set VERSO_TEST_DATA", dir.display());
    dir
}

fn okapi(relative: &str) -> PathBuf {
    data_dir().join("xliff_tmx_tbx").join(relative)
}

fn lang(tag: &str) -> LangTag {
    tag.parse().expect("language tag")
}

fn import(project: &mut Project, path: &Path, pair: Option<(&str, &str)>) -> Result<tm::Memory, TmError> {
    let langs = pair.map(|(s, t)| (lang(s), lang(t)));
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    project.import_tmx(path, &name, 50, langs.as_ref().map(|(s, t)| (s, t)), &mut |_, _| true).map(|(m, _)| m)
}

fn units(project: &Project) -> u64 {
    project.memories().expect("memories").iter().map(|m| m.units).sum()
}

fn every_tmx() -> Vec<PathBuf> {
    let mut files = Vec::new();
    for dir in ["okapi-tmx", "okapi-tmx/compkit", "okapi-tmx/integration"] {
        for entry in std::fs::read_dir(okapi(dir)).expect("dir").flatten() {
            if entry.path().extension().is_some_and(|e| e == "tmx") {
                files.push(entry.path());
            }
        }
    }
    files.sort();
    files
}

#[test]
fn every_okapi_tmx_sample_imports_with_encodings_whitespace_and_codes_kept() {
    let dir = tempfile::tempdir().expect("dir");
    let mut project = Project::create(&dir.path().join("p.verso")).expect("create");
    let files = every_tmx();
    assert_eq!(files.len(), 28, "the Okapi TMX samples");
    for file in &files {
        let memory = import(&mut project, file, None).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        let confusion = file.ends_with("okapi-confusion.tmx");
        assert!(memory.units > 0 || confusion, "{} gave no units", file.display());
    }
    // UTF-16 LE with a BOM and CRLF, tabs and spaces inside the segment.
    let hits = project.concordance("First segment with", SearchIn::Both, 50).expect("concordance");
    let utf16 = hits.iter().find(|h| h.target_lang == "fr-ca").expect("ImportTest1A unit");
    assert_eq!(utf16.source, "First segment with [\t\t   ]");
    assert_eq!(utf16.target, "Premier segment avec [\t\t   ]");
    // Ideographic spaces survive.
    let ja = project.concordance("English segment with", SearchIn::Both, 50).expect("concordance");
    assert!(ja.iter().any(|h| h.target.contains("[\u{3000}\u{3000}]")), "{ja:?}");
    // Codes become placeholders with their own markers; native code is dropped.
    let coded = project.concordance("Click", SearchIn::Both, 50).expect("concordance");
    let click = coded.iter().find(|h| h.source.contains("Click")).expect("a_small_test2 unit");
    assert!(click.source.contains('⟦') && !click.source.contains("IMG"), "{}", click.source);
}

#[test]
fn a_memory_exports_as_valid_tmx_and_comes_back_the_same() {
    let dir = tempfile::tempdir().expect("dir");
    let mut project = Project::create(&dir.path().join("p.verso")).expect("create");
    let memory = import(&mut project, &okapi("okapi-tmx/html_test.tmx"), None).expect("import");
    let out = dir.path().join("out.tmx");
    assert_eq!(project.export_memory(memory.id, &out).expect("export"), memory.units);
    let output = std::process::Command::new("xmllint")
        .args(["--noout", "--nonet", "--dtdvalid"])
        .arg(okapi("schemas-okapi/tmx14.dtd"))
        .arg(&out)
        .output()
        .expect("xmllint is needed for this test: ./verso.sh test installs libxml2-utils");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let again = import(&mut project, &out, None).expect("reimport");
    assert_eq!(again.units, memory.units);
    let first = project.concordance("header", SearchIn::Both, 50).expect("concordance");
    let pairs = |m: MemoryId| {
        let mut p: Vec<(String, String)> = first
            .iter()
            .filter(|h| project.memories().expect("m").iter().any(|x| x.id == m && x.name == h.memory_name))
            .map(|h| (h.source.clone(), h.target.clone()))
            .collect();
        p.sort();
        p
    };
    assert!(!pairs(memory.id).is_empty());
    assert_eq!(pairs(memory.id), pairs(again.id));
}

#[test]
fn broken_tmx_files_are_refused_with_file_and_line_and_add_nothing() {
    let dir = tempfile::tempdir().expect("dir");
    let mut project = Project::create(&dir.path().join("p.verso")).expect("create");
    import(&mut project, &okapi("okapi-tmx/sampleTMX2.tmx"), None).expect("a good one first");
    let before = (project.memories().expect("m").len(), units(&project));
    let good = "<tu><tuv xml:lang=\"en\"><seg>Fine.</seg></tuv><tuv xml:lang=\"es\"><seg>Bien.</seg></tuv></tu>\n";
    let cases: Vec<(&str, Vec<u8>, &str, Option<usize>)> = vec![
        (
            "mismatched.tmx",
            format!("<tmx version=\"1.4\"><body>\n{good}{good}<tu><tuv xml:lang=\"en\"><seg>x</tuv></tu></body></tmx>")
                .into_bytes(),
            "not well-formed",
            Some(4),
        ),
        ("truncated.tmx", format!("<tmx version=\"1.4\"><body>\n{good}{good}<tu><tuv").into_bytes(), "", None),
        (
            "entity.tmx",
            format!(
                "<tmx version=\"1.4\"><body>\n{good}<tu><tuv xml:lang=\"en\"><seg>&ext;</seg></tuv></tu></body></tmx>"
            )
            .into_bytes(),
            "&ext;",
            Some(3),
        ),
        (
            "internal-subset.tmx",
            b"<!DOCTYPE tmx [<!ENTITY a \"aaaa\">]>\n<tmx><body/></tmx>".to_vec(),
            "DOCTYPE",
            Some(1),
        ),
        ("photo.tmx", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\x01\0".to_vec(), "", None),
        ("empty.tmx", Vec::new(), "empty", None),
        ("other.tmx", b"<?xml version=\"1.0\"?>\n<xliff version=\"1.2\"/>".to_vec(), "not a TMX file", Some(2)),
        (
            "latin1.tmx",
            b"<tmx><body><tu><tuv xml:lang=\"en\"><seg>caf\xe9</seg></tuv></tu></body></tmx>".to_vec(),
            "",
            Some(1),
        ),
    ];
    for (name, bytes, needle, line) in cases {
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).expect("write");
        let error = import(&mut project, &path, None).expect_err(name);
        let message = error.to_string();
        assert!(message.contains(name), "{name}: {message}");
        assert!(message.contains(needle), "{name}: {message}");
        if let Some(line) = line {
            assert!(message.contains(&format!("line {line}:")), "{name}: {message}");
        }
        assert_eq!((project.memories().expect("m").len(), units(&project)), before, "{name} left something behind");
    }
    // The wrong language pair is named, and nothing is kept.
    let error =
        import(&mut project, &okapi("okapi-tmx/compkit/ImportTest1A.tmx"), Some(("de", "it"))).expect_err("pair");
    assert!(error.to_string().contains("en-us → fr-ca"), "{error}");
    assert_eq!((project.memories().expect("m").len(), units(&project)), before);
}

#[test]
fn a_cancelled_import_adds_nothing() {
    let dir = tempfile::tempdir().expect("dir");
    let mut project = Project::create(&dir.path().join("p.verso")).expect("create");
    let path = dir.path().join("big.tmx");
    let mut xml = String::from("<tmx version=\"1.4\"><header srclang=\"en\"/><body>\n");
    for i in 0..3000 {
        xml.push_str(&format!(
            "<tu><tuv xml:lang=\"en\"><seg>Line {i}.</seg></tuv><tuv xml:lang=\"es\"><seg>Línea {i}.</seg></tuv></tu>\n"
        ));
    }
    xml.push_str("</body></tmx>\n");
    std::fs::write(&path, xml).expect("write");
    let mut calls = 0;
    let error = project
        .import_tmx(&path, "big", 50, None, &mut |done, total| {
            calls += 1;
            assert!(done <= total);
            calls < 2
        })
        .expect_err("cancelled");
    assert!(matches!(error, TmError::Cancelled), "{error}");
    assert_eq!(project.memories().expect("m").len(), 1);
    assert_eq!(units(&project), 0);
    let (memory, stats) = project.import_tmx(&path, "big", 50, None, &mut |_, _| true).expect("import");
    assert_eq!((memory.units, stats.units), (3000, 3000));
}

fn translate(project: &mut Project, segment: verso::SegmentId, text: &str, status: Status) {
    let base = project.segment(segment).expect("segment").revision;
    let edit = TranslationEdit { segment, text: text.into(), status, base, origin: None };
    project.save_translation(&edit, "ana").expect("save");
}

#[test]
fn confirmed_segments_feed_the_project_memory_with_their_context() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("p.verso");
    let text = "The talks ended. The minister spoke on Monday. Prices rose.";
    let source = dir.path().join("a.txt");
    std::fs::write(&source, text).expect("write");
    let mut project = Project::create(&path).expect("create");
    let request = verso::formats::import::ImportRequest {
        path: source.clone(),
        source_lang: lang("en"),
        target_lang: lang("es"),
        title: None,
    };
    let first = project.add_document(&verso::formats::import::read_document(&request).expect("read")).expect("add");
    let second = project.add_document(&verso::formats::import::read_document(&request).expect("read")).expect("add");
    let rows = project.segments(first).expect("rows");
    translate(&mut project, rows[1].id, "La ministra habló el lunes.", Status::Draft);
    assert_eq!(units(&project), 0, "a draft is not memory");
    translate(&mut project, rows[1].id, "El ministro habló el lunes.", Status::Translated);
    translate(&mut project, rows[1].id, "El ministro habló el lunes por la mañana.", Status::Approved);
    assert_eq!(units(&project), 1, "one unit per segment, updated");

    let other = project.segments(second).expect("rows");
    let matches = project.segment_matches(other[1].id, 70, 5).expect("matches");
    assert_eq!(matches.len(), 1);
    assert_eq!((matches[0].percent, matches[0].in_context), (100, true));
    assert_eq!(matches[0].target, "El ministro habló el lunes por la mañana.");
    assert!(project.segment_matches(rows[1].id, 70, 5).expect("own").is_empty(), "a segment is not its own match");

    // A different neighbour: still 100%, no longer in context.
    let changed = dir.path().join("b.txt");
    std::fs::write(&changed, "Talks went on. The minister spoke on Monday. Prices rose.").expect("write");
    let request = verso::formats::import::ImportRequest {
        path: changed,
        source_lang: lang("en"),
        target_lang: lang("es"),
        title: None,
    };
    let third = project.add_document(&verso::formats::import::read_document(&request).expect("read")).expect("add");
    let rows3 = project.segments(third).expect("rows");
    let matches = project.segment_matches(rows3[1].id, 70, 5).expect("matches");
    assert_eq!((matches[0].percent, matches[0].in_context), (100, false));

    // Pre-translation: cancelled writes nothing, then fills the match as a draft.
    let before = project.segments(third).expect("rows");
    let outcome = project.pretranslate(third, 70, "ana", &mut |_, _| false).expect("cancel");
    assert!(outcome.cancelled);
    assert_eq!(project.segments(third).expect("rows"), before);
    let outcome = project.pretranslate(third, 70, "ana", &mut |_, _| true).expect("run");
    assert_eq!((outcome.examined, outcome.filled, outcome.exact), (3, 1, 1));
    let row = &project.segments(third).expect("rows")[1];
    assert_eq!((row.status, row.origin.as_deref()), (Status::Draft, Some("tm:100")));
}

#[test]
fn memory_entries_are_searched_by_side_corrected_and_deleted_and_reference_memories_stay_as_delivered() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("p.verso");
    let source = dir.path().join("a.txt");
    std::fs::write(&source, "The minister spoke on Monday. The talks ended in Paris.").expect("write");
    let mut project = Project::create(&path).expect("create");
    let request = verso::formats::import::ImportRequest {
        path: source,
        source_lang: lang("en"),
        target_lang: lang("es"),
        title: None,
    };
    let document = project.add_document(&verso::formats::import::read_document(&request).expect("read")).expect("add");
    let rows = project.segments(document).expect("rows");
    translate(&mut project, rows[0].id, "El ministro habló el lunes.", Status::Translated);
    translate(&mut project, rows[1].id, "Las conversaciones terminaron en París.", Status::Translated);

    // "Paris" is in a source, "París" in a translation: each side alone.
    let sides = |project: &Project, query: &str, within| -> Vec<String> {
        project.concordance(query, within, 50).expect("concordance").into_iter().map(|h| h.source).collect()
    };
    assert_eq!(sides(&project, "Paris", SearchIn::Source), ["The talks ended in Paris."]);
    assert!(sides(&project, "Paris", SearchIn::Target).is_empty());
    assert_eq!(sides(&project, "ministro", SearchIn::Target), ["The minister spoke on Monday."]);
    assert!(sides(&project, "ministro", SearchIn::Source).is_empty());
    assert_eq!(sides(&project, "ministro", SearchIn::Both).len(), 1);

    // A correction is found by its new words, not its old ones, and fuzzy
    // matches follow it.
    let unit = project.concordance("Monday", SearchIn::Source, 50).expect("hit")[0].unit;
    project.edit_unit(unit, "The minister spoke on Tuesday.", "El ministro habló el martes.", "eve").expect("edit");
    assert!(sides(&project, "Monday", SearchIn::Both).is_empty());
    let hit = &project.concordance("martes", SearchIn::Target, 50).expect("hit")[0];
    assert_eq!((hit.unit, hit.source.as_str()), (unit, "The minister spoke on Tuesday."));
    let query = tm::Query {
        source: "The minister spoke on Tuesday.",
        source_lang: &lang("en"),
        target_lang: &lang("es"),
        before: None,
        after: None,
    };
    let best = project.lookup(&query, 70, 1).expect("lookup");
    assert_eq!((best[0].percent, best[0].target.as_str()), (100, "El ministro habló el martes."));
    assert!(matches!(project.edit_unit(unit, " ", "x", "eve"), Err(TmError::EmptyUnit)));
    project.delete_unit(unit).expect("delete");
    assert!(project.lookup(&query, 50, 1).expect("lookup").is_empty(), "the deleted entry is no match");
    assert!(matches!(project.delete_unit(unit), Err(TmError::NoSuchUnit(_))));

    // A reference memory is read-only.
    let tmx = dir.path().join("delivered.tmx");
    std::fs::write(
        &tmx,
        r#"<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4"><header srclang="en" datatype="plaintext" segtype="sentence" adminlang="en" o-tmf="x" creationtool="x" creationtoolversion="1"/>
<body><tu><tuv xml:lang="en"><seg>The delivered sentence stays.</seg></tuv><tuv xml:lang="es"><seg>La frase entregada se queda.</seg></tuv></tu></body></tmx>
"#,
    )
    .expect("write");
    import(&mut project, &tmx, None).expect("import");
    let unit = project.concordance("delivered sentence", SearchIn::Source, 50).expect("hit")[0].unit;
    let refused = project.edit_unit(unit, "a", "b", "eve").expect_err("read-only");
    assert!(refused.to_string().contains("is a reference memory and read-only"), "{refused}");
    assert!(matches!(project.delete_unit(unit), Err(TmError::ReadOnly(_))));
}

/// The documented match percentage, computed directly: tokens by the rules
/// in `tm::score`, weighted Levenshtein, floor of the percentage.
fn reference_percent(a: &str, b: &str) -> u8 {
    if a == b {
        return 100;
    }
    reference_distance(&reference_tokens(a), &reference_tokens(b))
}

/// (text, weight, is a number) per token.
type RefToken = (String, f64, bool);

fn reference_tokens(text: &str) -> Vec<RefToken> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
        } else if c.is_alphanumeric() {
            let start = i;
            while i < chars.len()
                && (chars[i].is_alphanumeric()
                    || (matches!(chars[i], '.' | ',')
                        && chars[start..i].iter().all(|c| c.is_numeric())
                        && chars.get(i + 1).is_some_and(char::is_ascii_digit)))
            {
                i += 1;
            }
            let word: String = chars[start..i].iter().collect();
            let number = word.chars().all(|c| c.is_numeric() || c == '.' || c == ',');
            out.push((word, 1.0, number));
        } else {
            out.push((c.to_string(), 0.5, false));
            i += 1;
        }
    }
    out
}

fn reference_distance(a: &[RefToken], b: &[RefToken]) -> u8 {
    let mut d = vec![vec![0.0f64; b.len() + 1]; a.len() + 1];
    for i in 1..=a.len() {
        d[i][0] = d[i - 1][0] + a[i - 1].1;
    }
    for j in 1..=b.len() {
        d[0][j] = d[0][j - 1] + b[j - 1].1;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let (x, y) = (&a[i - 1], &b[j - 1]);
            let swap = if x.0 == y.0 {
                0.0
            } else if x.2 && y.2 {
                0.5
            } else if x.1 == y.1 && x.0.to_lowercase() == y.0.to_lowercase() {
                0.1
            } else {
                x.1.max(y.1)
            };
            d[i][j] = (d[i - 1][j - 1] + swap).min(d[i - 1][j] + x.1).min(d[i][j - 1] + y.1);
        }
    }
    let longest = a.iter().map(|t| t.1).sum::<f64>().max(b.iter().map(|t| t.1).sum::<f64>());
    if longest == 0.0 {
        return 99;
    }
    ((100.0 * (1.0 - d[a.len()][b.len()] / longest) + 1e-9).floor()).clamp(0.0, 99.0) as u8
}

#[test]
fn ntrex_matches_agree_with_a_direct_edit_distance_computation() {
    let news = data_dir().join("ntrex_en_es_news");
    let read = |name: &str| std::fs::read_to_string(news.join(name)).expect("NTREX file");
    let (english, spanish, ids) =
        (read("newstest2019-src.eng.txt"), read("newstest2019-ref.spa.txt"), read("DOCUMENT_IDS.tsv"));
    let (english, spanish): (Vec<&str>, Vec<&str>) = (english.lines().collect(), spanish.lines().collect());
    let mut order: Vec<&str> = Vec::new();
    let document: Vec<usize> = ids
        .lines()
        .map(|id| {
            if order.last() != Some(&id) {
                order.push(id);
            }
            order.len()
        })
        .collect();
    assert_eq!(order.len(), 123, "NTREX has 123 documents");
    let memory: Vec<usize> = (0..english.len()).filter(|&i| document[i] <= 100).collect();
    let dir = tempfile::tempdir().expect("dir");
    let tmx_path = dir.path().join("docs-1-100.tmx");
    let mut xml = String::from("<tmx version=\"1.4\"><header srclang=\"en\"/><body>\n");
    let escape = |s: &str| s.replace('&', "&amp;").replace('<', "&lt;");
    for &i in &memory {
        xml.push_str(&format!(
            "<tu><tuv xml:lang=\"en\"><seg>{}</seg></tuv><tuv xml:lang=\"es\"><seg>{}</seg></tuv></tu>\n",
            escape(english[i]),
            escape(spanish[i])
        ));
    }
    xml.push_str("</body></tmx>\n");
    std::fs::write(&tmx_path, xml).expect("write");
    let mut project = Project::create(&dir.path().join("p.verso")).expect("create");
    import(&mut project, &tmx_path, Some(("en", "es"))).expect("import");

    // Sentences of documents 101–123, and every fifth memory sentence with
    // one word changed, so the 70–99% range is exercised too.
    let mut queries: Vec<String> =
        (0..english.len()).filter(|&i| document[i] > 100).map(|i| english[i].to_string()).collect();
    for &i in memory.iter().step_by(5) {
        let mut words: Vec<&str> = english[i].split(' ').collect();
        let at = (i * 7) % words.len();
        words[at] = "changed";
        queries.push(words.join(" "));
    }
    let (en, es) = (lang("en"), lang("es"));
    let memory_tokens: Vec<(usize, Vec<RefToken>)> =
        memory.iter().map(|&i| (i, reference_tokens(english[i]))).collect();
    let (mut returned, mut reachable, mut found) = (0, 0, 0);
    for query in &queries {
        let q = tm::Query { source: query, source_lang: &en, target_lang: &es, before: None, after: None };
        let matches = project.lookup(&q, 50, 5).expect("lookup");
        for m in &matches {
            assert_eq!(m.percent, reference_percent(&m.source, query), "{query:?} vs {:?}", m.source);
            returned += 1;
        }
        let query_tokens = reference_tokens(query);
        let weight = |t: &[RefToken]| t.iter().map(|t| t.1).sum::<f64>();
        let query_weight = weight(&query_tokens);
        let best = memory_tokens
            .iter()
            .filter(|(_, t)| {
                let w = weight(t);
                100.0 * w.min(query_weight) / w.max(query_weight) >= 70.0
            })
            .map(|(i, t)| if english[*i] == query.as_str() { 100 } else { reference_distance(t, &query_tokens) })
            .max()
            .unwrap_or(0);
        if best >= 70 {
            reachable += 1;
            if matches.first().is_some_and(|m| m.percent == best) {
                found += 1;
            }
        }
    }
    println!(
        "NTREX: {} queries, {returned} matches ≥ 50% checked against the direct computation; \
         best match ≥ 70% found for {found} of {reachable} queries that have one",
        queries.len()
    );
    assert!(returned > 100);
    assert!(reachable > 100);
    assert_eq!(found, reachable, "the index must find every best match a full scan finds");
}

#[test]
fn okapi_tbx_samples_import_including_a_windows_1254_file() {
    let dir = tempfile::tempdir().expect("dir");
    let mut project = Project::create(&dir.path().join("p.verso")).expect("create");
    let cases = [
        ("ibm_tbx.tbx", "fr", 6),
        ("maryland.tbx", "es", 8),
        ("medtronic_TBX.tbx", "es", 6),
        ("oracle_TBX.tbx", "pt", 5),
        ("sdl_tbx.tbx", "de", 255),
        ("test01.tbx", "hu", 1),
        ("test02_win1254.tbx", "tr", 1),
    ];
    for (file, target, expected) in cases {
        let (read, _) =
            session::import_glossary(&mut project, &okapi(&format!("okapi-tbx/{file}")), &lang("en"), &lang(target))
                .unwrap_or_else(|e| panic!("{file}: {e}"));
        assert_eq!(read, expected, "{file}");
    }
    let turkish = project.glossary(&lang("en"), &lang("tr")).expect("terms");
    assert_eq!(turkish[0].source, "term with: éá and İı");
    assert_eq!(turkish[0].target, "tr term with: éá and İı");
    // Export, then read back the same pairs.
    let out = dir.path().join("de.tbx");
    assert_eq!(session::export_glossary(&project, &lang("en"), &lang("de"), &out).expect("export"), 255);
    let mut again = Project::create(&dir.path().join("q.verso")).expect("create");
    let (read, added) = session::import_glossary(&mut again, &out, &lang("en"), &lang("de")).expect("reimport");
    assert_eq!((read, added), (255, 255));
    let pairs = |p: &Project| {
        let mut v: Vec<(String, String, bool)> = p
            .glossary(&lang("en"), &lang("de"))
            .expect("terms")
            .into_iter()
            .map(|t| (t.source, t.target, t.forbidden))
            .collect();
        v.sort();
        v
    };
    assert_eq!(pairs(&project), pairs(&again));
}

#[test]
fn broken_glossaries_name_the_file_and_line_and_add_nothing() {
    let dir = tempfile::tempdir().expect("dir");
    let mut project = Project::create(&dir.path().join("p.verso")).expect("create");
    session::import_glossary(&mut project, &okapi("okapi-tbx/ibm_tbx.tbx"), &lang("en"), &lang("fr"))
        .expect("good one");
    let before = project.glossary(&lang("en"), &lang("fr")).expect("terms").len();
    let cases: Vec<(&str, &[u8], Option<usize>)> = vec![
        ("bad.tbx", b"<martif>\n<text><body>\n<termEntry></langSet></termEntry></body></text></martif>", Some(3)),
        ("bad.csv", b"en,fr\nbank,banque\n\"unclosed,quote\nmore,rows\n", None),
        ("short.csv", b"en,fr\nbank,banque\nlonely\n", Some(3)),
        ("blank.csv", b"en,fr\nbank,banque\n,vide\n", Some(3)),
        ("latin1.csv", b"en,fr\ncoffee,caf\xe9\n", Some(2)),
        ("empty.tbx", b"", None),
        ("not.tbx", b"<tmx/>", Some(1)),
        ("photo.tbx", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR", None),
    ];
    for (name, bytes, line) in cases {
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).expect("write");
        let error = session::import_glossary(&mut project, &path, &lang("en"), &lang("fr")).expect_err(name);
        let message = error.to_string();
        assert!(message.contains(name), "{name}: {message}");
        if let Some(line) = line {
            assert!(message.contains(&format!("line {line}")), "{name}: {message}");
        }
        assert!(matches!(error, SessionError::Glossary(_)), "{name}: {message}");
        assert_eq!(project.glossary(&lang("en"), &lang("fr")).expect("terms").len(), before, "{name}");
    }
}

#[test]
fn the_cli_runs_qa_and_memory_commands() {
    let dir = tempfile::tempdir().expect("dir");
    let project_path = dir.path().join("p.verso");
    let source = dir.path().join("a.txt");
    std::fs::write(&source, "The budget is 46 billion. Why now?").expect("write");
    let verso =
        |args: &[&str]| std::process::Command::new(env!("CARGO_BIN_EXE_verso")).args(args).output().expect("run verso");
    let p = project_path.to_str().expect("utf8");
    assert!(verso(&["init", p]).status.success());
    assert!(verso(&["import", p, source.to_str().expect("utf8"), "--from", "en", "--to", "es"]).status.success());
    let mut project = Project::open(&project_path).expect("open");
    let doc = project.documents().expect("docs")[0].id;
    let rows = project.segments(doc).expect("rows");
    translate(&mut project, rows[0].id, "El presupuesto es de 64.000 millones.", Status::Translated);
    translate(&mut project, rows[1].id, "¿Por qué ahora?", Status::Translated);
    drop(project);

    let output = verso(&["qa", p, &doc.0.to_string(), "--json"]);
    assert!(!output.status.success(), "open warnings make it exit 1");
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).expect("json");
    let checks: Vec<&str> =
        report["issues"].as_array().expect("issues").iter().filter_map(|i| i["check"].as_str()).collect();
    assert_eq!(checks, vec!["numbers", "numbers"]);
    let html = dir.path().join("qa.html");
    let output = verso(&["qa", p, &doc.0.to_string(), "--html", html.to_str().expect("utf8")]);
    assert!(!output.status.success());
    let page = std::fs::read_to_string(&html).expect("html");
    assert!(page.contains("The figure 46 billion of the source is missing"), "{page}");

    // The project memory got the confirmed segment whose figures agree (the
    // other waits for its warning to be resolved); export and look up.
    let tmx_out = dir.path().join("project.tmx");
    let output = verso(&["tm", "export", p, "1", tmx_out.to_str().expect("utf8")]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert!(String::from_utf8_lossy(&output.stdout).contains("wrote 1 unit to"));
    let output =
        verso(&["tm", "lookup", p, "Why now, then?", "--from", "en", "--to", "es", "--threshold", "50", "--json"]);
    let matches: serde_json::Value = serde_json::from_slice(&output.stdout).expect("json");
    assert_eq!(matches[0]["target"], "¿Por qué ahora?");
    assert_eq!(matches[0]["percent"], reference_percent("Why now?", "Why now, then?"));
}

/// Chinese sentences (written for this test) in a reference memory: an
/// edited sentence finds its unit as a fuzzy match, a phrase is found by
/// the concordance, and the index lets go of them with their memory, in a
/// bulk import (the index rebuilt) and unit by unit.
#[test]
fn chinese_sentences_find_fuzzy_matches_and_concordance_hits() {
    let sentences = [
        ("政府今天宣布了一项新的经济计划。", "The government announced a new economic plan today."),
        ("该计划将在明年春天开始实施。", "The plan will take effect next spring."),
        ("财政部长表示，通货膨胀率已经下降。", "The finance minister said inflation has fallen."),
        ("这个城市的人口增长了百分之五。", "The city's population grew by five percent."),
        ("专家认为，出口将继续增加。", "Experts believe exports will keep rising."),
    ];
    for bulk in [false, true] {
        let dir = tempfile::tempdir().expect("dir");
        let tmx = dir.path().join("zh.tmx");
        // Over a thousand units rebuild the index in one go; a few are indexed one by one.
        let copies = if bulk { 250 } else { 1 };
        let tus: String = (0..copies)
            .flat_map(|copy| sentences.iter().map(move |(zh, en)| (copy, zh, en)))
            .map(|(copy, zh, en)| {
                let zh = if copy == 0 { zh.to_string() } else { format!("{zh}（{copy}）") };
                format!(
                    "<tu><tuv xml:lang=\"zh-CN\"><seg>{zh}</seg></tuv><tuv xml:lang=\"en\"><seg>{en}</seg></tuv></tu>"
                )
            })
            .collect();
        std::fs::write(&tmx, format!("<tmx version=\"1.4\"><header srclang=\"zh-CN\"/><body>{tus}</body></tmx>"))
            .expect("tmx");
        let mut project = Project::create(&dir.path().join("p.verso")).expect("create");
        import(&mut project, &tmx, Some(("zh", "en"))).expect("import");
        let (zh, en) = (lang("zh"), lang("en"));
        let query = tm::Query {
            source: "政府昨天宣布了一项新的经济计划。",
            source_lang: &zh,
            target_lang: &en,
            before: None,
            after: None,
        };
        let found = project.lookup(&query, 70, 3).expect("lookup");
        let best = found.first().unwrap_or_else(|| panic!("bulk {bulk}: no match for an edited Chinese sentence"));
        assert_eq!(best.target, "The government announced a new economic plan today.");
        assert!((80..100).contains(&best.percent), "{}", best.percent);
        let hits = project.concordance("通货膨胀", tm::SearchIn::Source, 10).expect("concordance");
        assert!(!hits.is_empty() && hits[0].source.contains("通货膨胀率"), "bulk {bulk}: {hits:?}");
        assert_eq!((hits[0].source_spans[0].start, hits[0].source_spans[0].end), (7, 11));
        // Removing the memory takes its words out of the index.
        let memory = project.memories().expect("memories").into_iter().find(|m| m.read_only).expect("the memory");
        project.remove_memory(memory.id, "Ana").expect("remove");
        assert!(project.concordance("通货膨胀", tm::SearchIn::Source, 10).expect("concordance").is_empty());
        assert!(project.lookup(&query, 70, 3).expect("lookup").is_empty());
    }
}
