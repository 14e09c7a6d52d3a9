//! Seeded mutation fuzzing of every reader a user can hand a file to: plain
//! text, Markdown, HTML, Word, XLIFF (1.2 and 2), TMX, TBX, CSV glossaries
//! and SRX rules. Valid files (Okapi's and OASIS's samples from
//! `$VERSO_TEST_DATA/xliff_tmx_tbx`, and small ones written here) are
//! mutated — bytes flipped, inserted, cut or repeated, markup and control
//! characters spliced in, tags nested deep — and fed to the session as a
//! user would import them. For every input: no panic, an answer within a
//! few seconds, a refusal that names the file in under 2,000 characters,
//! and a refused import that adds nothing to the project.
//!
//! Bounded by time: `VERSO_FUZZ_SECONDS` (default 40, as `./verso.sh test`
//! runs it); `VERSO_FUZZ_SEED` picks the first seed. A long run:
//! `VERSO_FUZZ_SECONDS=1800 cargo test --release --test fuzz -- --nocapture`.
//! A failing input is saved under `target/fuzz-failures/` with its seed.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

#[path = "support/rng.rs"]
mod rng;

use rng::Rng;
use verso::DocumentId;
use verso::session::Session;

#[derive(Debug, Clone, Copy, PartialEq)]
enum Reader {
    Text,
    Markdown,
    Html,
    Word,
    Xliff,
    Tmx,
    Tbx,
    Csv,
    Srx,
}

impl Reader {
    const ALL: [Reader; 9] = [
        Reader::Text,
        Reader::Markdown,
        Reader::Html,
        Reader::Word,
        Reader::Xliff,
        Reader::Tmx,
        Reader::Tbx,
        Reader::Csv,
        Reader::Srx,
    ];

    fn extension(self) -> &'static str {
        match self {
            Reader::Text => "txt",
            Reader::Markdown => "md",
            Reader::Html => "html",
            Reader::Word => "docx",
            Reader::Xliff => "xlf",
            Reader::Tmx => "tmx",
            Reader::Tbx => "tbx",
            Reader::Csv => "csv",
            Reader::Srx => "srx",
        }
    }
}

const WORD_DOCUMENT: &str = r#"<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:pPr><w:pStyle w:val="Heading1"/></w:pPr><w:r><w:t>Water plan</w:t></w:r></w:p><w:p><w:r><w:t xml:space="preserve">The ministry spoke on Tuesday. </w:t></w:r><w:r><w:rPr><w:b/></w:rPr><w:t>It gave figures &amp; dates.</w:t></w:r></w:p><w:tbl><w:tr><w:tc><w:p><w:r><w:t>Cost: $1.2 billion</w:t></w:r></w:p></w:tc></w:tr></w:tbl></w:body></w:document>"#;

const SRX: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<srx xmlns="http://www.lisa.org/srx20" version="2.0"><header segmentsubflows="yes" cascade="yes"/><body>
<languagerules><languagerule languagerulename="English">
<rule break="no"><beforebreak>\b(?:Mr|Dr)\.</beforebreak><afterbreak>\s</afterbreak></rule>
<rule break="yes"><beforebreak>[.?!]+</beforebreak><afterbreak>\s+\p{Lu}</afterbreak></rule>
</languagerule></languagerules>
<maprules><languagemap languagepattern=".*" languagerulename="English"/></maprules></body></srx>
"#;

fn data() -> PathBuf {
    let dir = std::env::var_os("VERSO_TEST_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..").join("shared").join("data"));
    let dir = dir.join("xliff_tmx_tbx");
    assert!(dir.is_dir(), "TEST DATA MISSING: {} (set VERSO_TEST_DATA to ../shared/data)", dir.display());
    dir
}

fn files_in(dir: &Path, extension: &str, out: &mut Vec<Vec<u8>>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir).into_iter().flatten().flatten().map(|e| e.path()).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            files_in(&path, extension, out);
        } else if path.extension().is_some_and(|e| e == extension)
            && let Ok(bytes) = std::fs::read(&path)
            && bytes.len() < 200_000
        {
            out.push(bytes);
        }
    }
}

/// Valid inputs to start from, per reader (for Word: the document part).
fn seeds(reader: Reader) -> Vec<Vec<u8>> {
    let mut seeds = Vec::new();
    match reader {
        Reader::Text => seeds.push(b"The minister spoke on Tuesday.\nIt gave figures: 1,250 homes.\n\nA second paragraph, with \"quotes\" and Dr. Li.\n".to_vec()),
        Reader::Markdown => seeds.push(b"# Water plan\n\nThe ministry *spoke* on Tuesday.\n\n- one\n- two\n\n> We cannot wait.\n\n| a | b |\n|---|---|\n| 1 | 2 |\n".to_vec()),
        Reader::Html => seeds.push(b"<!doctype html><html><head><title>Plan</title><script>alert(1)</script></head><body><h1>Water plan</h1><p>The ministry spoke on <b>Tuesday</b>. It gave figures &amp; dates.</p><ul><li>One.</li></ul></body></html>".to_vec()),
        Reader::Word => seeds.push(WORD_DOCUMENT.as_bytes().to_vec()),
        Reader::Xliff => {
            files_in(&data().join("okapi-xliff-2"), "xlf", &mut seeds);
            files_in(&data().join("okapi-xliff-1.2"), "xlf", &mut seeds);
            files_in(&data().join("oasis-xliff-2.1-test-suite/core/valid"), "xlf", &mut seeds);
        }
        Reader::Tmx => files_in(&data().join("okapi-tmx"), "tmx", &mut seeds),
        Reader::Tbx => files_in(&data().join("okapi-tbx"), "tbx", &mut seeds),
        Reader::Csv => seeds.push("en,es,note\nminister,ministro,\nbudget,presupuesto;presupuestos,a note\n\"quoted, term\",\"término\",\n".as_bytes().to_vec()),
        Reader::Srx => seeds.push(SRX.as_bytes().to_vec()),
    }
    assert!(!seeds.is_empty(), "no seeds for {reader:?}");
    seeds
}

/// Pieces worth splicing in: markup, references, controls, encodings.
const SPLICES: &[&str] = &[
    "<",
    ">",
    "&",
    "</",
    "/>",
    "\"",
    "'",
    "&amp;",
    "&#x0;",
    "&#xFFFE;",
    "&#x1F;",
    "&#x85;",
    "&#99999999;",
    "&bogus;",
    "<![CDATA[",
    "]]>",
    "<!DOCTYPE x [<!ENTITY e \"e\">]>",
    "<?xml version=\"1.0\" encoding=\"UTF-16\"?>",
    "\u{0}",
    "\u{85}",
    "\u{9F}",
    "\u{FEFF}",
    "\u{2028}",
    "\r",
    "\t",
    "\n\n",
    "\u{1F600}",
    "日本語",
    "ü",
    "<a>",
    "<g id=\"1\">",
    "</g>",
    "<ph/>",
    "xml:lang=\"\"",
    "srcLang=\"zz\"",
    ",",
    ";",
    "\"\"",
    "# ",
    "* ",
    "| a |",
    "(?=x)",
    "\\1(a)",
    "[",
];

fn mutate(rng: &mut Rng, seed: &[u8]) -> Vec<u8> {
    let mut bytes = seed.to_vec();
    for _ in 0..1 + rng.below(4) {
        let at = rng.below(bytes.len() + 1);
        match rng.below(8) {
            0 if !bytes.is_empty() => {
                let at = at.min(bytes.len() - 1);
                bytes[at] ^= 1 << rng.below(8);
            }
            1 => bytes.insert(at, [0x00, 0x85, 0xC2, 0xFF, 0xFE, 0xEF, b'<', b'&'][rng.below(8)]),
            2 | 3 => {
                let splice = SPLICES[rng.below(SPLICES.len())].as_bytes();
                bytes.splice(at..at, splice.iter().copied());
            }
            4 => {
                let end = (at + rng.below(64)).min(bytes.len());
                bytes.drain(at..end);
            }
            5 => bytes.truncate(at),
            6 => {
                // A slice repeated: long runs, deep nesting.
                let end = (at + 1 + rng.below(16)).min(bytes.len());
                let piece = bytes[at.min(end)..end].to_vec();
                let times = [2, 10, 1_000, 20_000][rng.below(4)];
                let repeated: Vec<u8> = piece.iter().copied().cycle().take(piece.len() * times).collect();
                bytes.splice(at..at, repeated);
            }
            _ => {
                let open = ["<g>", "<a>", "<w:p>", "<tu>", "<termEntry>", "> "][rng.below(6)];
                let nested = open.repeat(1 + rng.below(5_000));
                bytes.splice(at..at, nested.bytes());
            }
        }
    }
    bytes
}

fn write_docx(path: &Path, document: &[u8]) {
    let mut zip = zip::ZipWriter::new(std::fs::File::create(path).expect("create"));
    let options = zip::write::SimpleFileOptions::default();
    zip.start_file("[Content_Types].xml", options).expect("entry");
    zip.write_all(
        b"<?xml version=\"1.0\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"/>",
    )
    .expect("write");
    zip.start_file("word/document.xml", options).expect("entry");
    zip.write_all(document).expect("write");
    zip.finish().expect("finish");
}

/// What the project holds that an import could add to.
fn holdings(session: &Session) -> (usize, usize, usize) {
    let documents = session.documents().expect("documents");
    let memories = session.memories().expect("memories");
    let units = memories.iter().map(|m| m.units as usize).sum();
    (documents.len(), memories.len(), units)
}

/// Hands the file to the session as a user would import it.
fn import(session: &mut Session, reader: Reader, path: &Path) -> Result<(), String> {
    let error = |e: verso::session::SessionError| e.to_string();
    match reader {
        Reader::Text | Reader::Markdown | Reader::Html | Reader::Word | Reader::Xliff => {
            session.import(path, "en", "es", None).map(|_| ()).map_err(error)
        }
        Reader::Tmx => session.import_memory(path, None, &mut |_, _| true).map(|_| ()).map_err(error),
        Reader::Tbx | Reader::Csv => session.import_glossary(path, DocumentId(1)).map(|_| ()).map_err(error),
        Reader::Srx => {
            let rules = verso::formats::srx::read(path).map_err(|e| e.to_string())?;
            let segmenter = rules.segmenter(&"en".parse().expect("tag")).map_err(|e| e.to_string())?;
            segmenter.sentence_ranges("Mr. Smith met Dr. Li. Then they left. Fine.");
            Ok(())
        }
    }
}

#[test]
fn every_reader_survives_mutated_input_and_refuses_it_in_words_without_changing_the_project() {
    let budget =
        Duration::from_secs(std::env::var("VERSO_FUZZ_SECONDS").ok().and_then(|s| s.parse().ok()).unwrap_or(40));
    let first_seed: u64 = std::env::var("VERSO_FUZZ_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or(1);
    let seeds: Vec<(Reader, Vec<Vec<u8>>)> = Reader::ALL.iter().map(|r| (*r, seeds(*r))).collect();
    let dir = tempfile::tempdir().expect("dir");
    let mut session = Session::new(dir.path().join("config"), "Fuzz".into());
    session.create_project(&dir.path().join("fuzz.verso")).expect("project");
    let base = dir.path().join("base.txt");
    std::fs::write(&base, "The minister spoke. The budget grew.").expect("write");
    session.import(&base, "en", "es", None).expect("a document for glossaries");

    let started = Instant::now();
    let mut tried = vec![(0usize, 0usize); Reader::ALL.len()];
    let mut seed = first_seed;
    while started.elapsed() < budget {
        let mut rng = Rng::new(seed);
        let index = (seed as usize) % seeds.len();
        let (reader, inputs) = &seeds[index];
        let start = rng.below(inputs.len());
        let input = mutate(&mut rng, &inputs[start]);
        let name = format!("input-{seed}.{}", reader.extension());
        let path = dir.path().join(&name);
        if *reader == Reader::Word {
            write_docx(&path, &input);
        } else {
            std::fs::write(&path, &input).expect("write input");
        }
        if std::env::var_os("VERSO_FUZZ_TRACE").is_some() {
            // A stack overflow aborts without unwinding: this names the input.
            eprintln!("{reader:?} seed {seed}: {} bytes", input.len());
        }
        let before = holdings(&session);
        let began = Instant::now();
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| import(&mut session, *reader, &path)));
        let took = began.elapsed();
        let keep = |why: &str| {
            let failures = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("fuzz-failures");
            std::fs::create_dir_all(&failures).expect("dir");
            std::fs::copy(&path, failures.join(&name)).expect("keep the input");
            panic!("{reader:?}, seed {seed}: {why} (input kept as {})", failures.join(&name).display());
        };
        match outcome {
            Err(_) => keep("the reader panicked"),
            Ok(_) if took > Duration::from_secs(10) => keep(&format!("took {took:?}")),
            Ok(Ok(())) => tried[index].0 += 1,
            Ok(Err(message)) => {
                tried[index].1 += 1;
                if tried[index].1 == 1 {
                    println!("{reader:?}, first refusal: {message:.200}");
                }
                if !message.contains(&name) && *reader != Reader::Srx {
                    keep(&format!("the refusal does not name the file: {message:.300}"));
                }
                if message.len() > 2_000 {
                    keep(&format!("a {}-byte message: {message:.300}", message.len()));
                }
                if holdings(&session) != before {
                    keep(&format!("refused ({message:.200}) but the project changed"));
                }
            }
        }
        let _ = std::fs::remove_file(&path);
        seed += 1;
    }
    for (reader, (accepted, refused)) in Reader::ALL.iter().zip(&tried) {
        println!("{reader:?}: {accepted} accepted, {refused} refused");
        assert!(accepted + refused > 0, "{reader:?} was never tried");
    }
    println!("seeds {first_seed}..{seed} in {:.0?}", started.elapsed());
}
