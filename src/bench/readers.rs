//! `verso bench readers`: every reader fed a large valid file and a large
//! hostile one, each in a process of its own so that its peak memory is
//! its own. The bound the figures are held to (issue 21): no reader takes
//! more than four times its input, or 256 MB, whichever is larger.
//!
//! The files are generated (no test data needed), written one at a time
//! and removed after use, so the bench needs disk for one file only.

use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use super::BenchError;
use crate::document::DocumentId;
use crate::session::Session;

/// Names the child's task: `READER PATH`.
pub const CHILD_ENV: &str = "VERSO_BENCH_READ";

/// A case no reader may take longer than (then it is reported, not waited
/// for).
const CASE_LIMIT: Duration = Duration::from_secs(600);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Reader {
    Text,
    Markdown,
    Html,
    Word,
    Xliff2,
    Xliff12,
    Tmx,
    Tbx,
    Csv,
    Srx,
}

impl Reader {
    const ALL: [Reader; 10] = [
        Reader::Text,
        Reader::Markdown,
        Reader::Html,
        Reader::Word,
        Reader::Xliff2,
        Reader::Xliff12,
        Reader::Tmx,
        Reader::Tbx,
        Reader::Csv,
        Reader::Srx,
    ];

    fn name(self) -> &'static str {
        match self {
            Reader::Text => "text",
            Reader::Markdown => "markdown",
            Reader::Html => "html",
            Reader::Word => "docx",
            Reader::Xliff2 => "xliff2",
            Reader::Xliff12 => "xliff12",
            Reader::Tmx => "tmx",
            Reader::Tbx => "tbx",
            Reader::Csv => "csv",
            Reader::Srx => "srx",
        }
    }

    fn extension(self) -> &'static str {
        match self {
            Reader::Text => "txt",
            Reader::Markdown => "md",
            Reader::Html => "html",
            Reader::Word => "docx",
            Reader::Xliff2 | Reader::Xliff12 => "xlf",
            Reader::Tmx => "tmx",
            Reader::Tbx => "tbx",
            Reader::Csv => "csv",
            Reader::Srx => "srx",
        }
    }

    fn from_name(name: &str) -> Option<Reader> {
        Reader::ALL.into_iter().find(|r| r.name() == name)
    }
}

/// One sentence of generated news, about 90 bytes, different for each `i`.
fn sentence(i: usize) -> String {
    format!(
        "The ministry said on Tuesday that {} homes in region {} would have water by {}.",
        i * 7 + 13,
        i % 97,
        2020 + i % 10
    )
}

/// Writes `size` bytes or a little more: `head`, then `item(i)` until the
/// size is reached, then `tail`.
fn generate(
    path: &Path,
    size: usize,
    head: &str,
    mut item: impl FnMut(usize) -> String,
    tail: &str,
) -> std::io::Result<()> {
    let mut out = BufWriter::new(std::fs::File::create(path)?);
    out.write_all(head.as_bytes())?;
    let (mut written, mut i) = (head.len(), 0);
    while written < size {
        let piece = item(i);
        out.write_all(piece.as_bytes())?;
        written += piece.len();
        i += 1;
    }
    out.write_all(tail.as_bytes())?;
    out.flush()
}

/// The same run of bytes, `size` long: one giant name, value or word.
fn run_of(size: usize) -> impl FnMut(usize) -> String {
    let chunk = "a".repeat(64 * 1024);
    move |i| if (i + 1) * chunk.len() > size { "a".into() } else { chunk.clone() }
}

const XML: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";

/// Writes the case's file and says what it holds; a Word file's input is
/// its document part uncompressed (the archive is a small fraction).
fn write_case(reader: Reader, hostile: bool, path: &Path, size: usize) -> std::io::Result<(&'static str, u64)> {
    let described = write_file(reader, hostile, path, size)?;
    let input = match reader {
        Reader::Word => size as u64,
        _ => std::fs::metadata(path)?.len(),
    };
    Ok((described, input))
}

fn write_file(reader: Reader, hostile: bool, path: &Path, size: usize) -> std::io::Result<&'static str> {
    let tmx_head = "<tmx version=\"1.4\"><header srclang=\"en\" datatype=\"plaintext\" segtype=\"sentence\" \
                    adminlang=\"en\" creationtool=\"bench\" creationtoolversion=\"1\" o-tmf=\"bench\"/><body>";
    let tbx_head = "<tbx type=\"TBX-Basic\" style=\"dca\" xml:lang=\"en\" xmlns=\"urn:iso:std:iso:30042:ed-2\">\
                    <text><body>";
    let xliff2_head = "<xliff xmlns=\"urn:oasis:names:tc:xliff:document:2.0\" version=\"2.1\" srcLang=\"en\" \
                       trgLang=\"es\"><file id=\"f\">";
    let xliff12_head = "<xliff xmlns=\"urn:oasis:names:tc:xliff:document:1.2\" version=\"1.2\"><file \
                        original=\"x\" source-language=\"en\" target-language=\"es\" datatype=\"plaintext\"><body>";
    let srx_head = "<srx xmlns=\"http://www.lisa.org/srx20\" version=\"2.0\"><header segmentsubflows=\"yes\" \
                    cascade=\"yes\"/><body><languagerules>";
    let srx_tail = "</languagerules><maprules><languagemap languagepattern=\"en.*\" languagerulename=\"L0\"/>\
                    </maprules></body></srx>";
    let head = |h: &str| format!("{XML}{h}");
    match (reader, hostile) {
        (Reader::Text, false) => {
            generate(path, size, "", |i| format!("{}{}", sentence(i), if i % 5 == 4 { "\n\n" } else { " " }), "")?;
            Ok("news paragraphs")
        }
        (Reader::Text, true) => {
            generate(path, size, "", |i| format!("word{} ", i % 1000), "")?;
            Ok("one sentence: no full stop, no line break")
        }
        (Reader::Markdown, false) => {
            let item = |i: usize| match i % 12 {
                0 => format!("## Section {i}\n\n"),
                11 => format!("- {}\n\n", sentence(i)),
                _ => format!("{}{}", sentence(i), if i % 4 == 3 { "\n\n" } else { " " }),
            };
            generate(path, size, "# Report\n\n", item, "")?;
            Ok("headings, paragraphs, lists")
        }
        (Reader::Markdown, true) => {
            let deep = format!("{}x\n", "> ".repeat(5_000));
            generate(path, size, "", |_| deep.clone(), "")?;
            Ok("lines quoted 5,000 levels deep")
        }
        (Reader::Html, false) => {
            let item = |i: usize| format!("<p>{} {} <b>{}</b></p>\n", sentence(i), sentence(i + 1), sentence(i + 2));
            generate(path, size, "<!doctype html><html><body><h1>Report</h1>\n", item, "</body></html>")?;
            Ok("paragraphs")
        }
        (Reader::Html, true) => {
            generate(path, size, "<!doctype html><html><body><p>", |_| "<b><i>x ".into(), "</p></body></html>")?;
            Ok("formatting tags never closed")
        }
        (Reader::Word, hostile) => {
            let xml = path.with_extension("xml");
            let described = if hostile {
                generate(&xml, size, &head("<w:document xmlns:w=\"w\"><w:body><w:p><w:"), run_of(size), ">")?;
                "one tag name the size of the file"
            } else {
                let item = |i: usize| format!("<w:p><w:r><w:t>{} {}</w:t></w:r></w:p>", sentence(i), sentence(i + 1));
                let head = head(
                    "<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>",
                );
                generate(&xml, size, &head, item, "</w:body></w:document>")?;
                "paragraphs"
            };
            let file = std::fs::File::create(path)?;
            let mut zip = zip::ZipWriter::new(BufWriter::new(file));
            let options = zip::write::SimpleFileOptions::default().large_file(true);
            let io = |e: zip::result::ZipError| std::io::Error::other(e.to_string());
            zip.start_file("[Content_Types].xml", options).map_err(io)?;
            zip.write_all(
                b"<?xml version=\"1.0\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"/>",
            )?;
            zip.start_file("word/document.xml", options).map_err(io)?;
            std::io::copy(&mut std::fs::File::open(&xml)?, &mut zip)?;
            zip.finish().map_err(io)?;
            std::fs::remove_file(&xml)?;
            Ok(described)
        }
        (Reader::Xliff2, false) => {
            let item = |i: usize| {
                format!(
                    "<unit id=\"u{i}\"><segment state=\"translated\"><source>{}</source><target>{}</target></segment></unit>\n",
                    sentence(i),
                    sentence(i + 1)
                )
            };
            generate(path, size, &head(xliff2_head), item, "</file></xliff>")?;
            Ok("translated units")
        }
        (Reader::Xliff2, true) => {
            generate(path, size, &head(&format!("{xliff2_head}<unit id=\"u\"></")), run_of(size), ">")?;
            Ok("one closing tag name the size of the file")
        }
        (Reader::Xliff12, false) => {
            let item = |i: usize| {
                format!(
                    "<trans-unit id=\"t{i}\"><source>{}</source><target state=\"translated\">{}</target></trans-unit>\n",
                    sentence(i),
                    sentence(i + 1)
                )
            };
            generate(path, size, &head(xliff12_head), item, "</body></file></xliff>")?;
            Ok("translated units")
        }
        (Reader::Xliff12, true) => {
            generate(path, size, &head(&format!("{xliff12_head}<trans-unit id=\"")), run_of(size), "\"/>")?;
            Ok("one attribute value the size of the file, never closed")
        }
        (Reader::Tmx, false) => {
            let item = |i: usize| {
                format!(
                    "<tu><tuv xml:lang=\"en\"><seg>{}</seg></tuv><tuv xml:lang=\"es\"><seg>{}</seg></tuv></tu>\n",
                    sentence(i),
                    sentence(i + 3)
                )
            };
            generate(path, size, &head(tmx_head), item, "</body></tmx>")?;
            Ok("translation units")
        }
        (Reader::Tmx, true) => {
            let open = format!("{tmx_head}<tu><tuv xml:lang=\"en\"><seg>");
            let close = "</seg></tuv><tuv xml:lang=\"es\"><seg>x</seg></tuv></tu></body></tmx>";
            generate(path, size, &head(&open), |i| format!("word{} ", i % 1000), close)?;
            Ok("one segment the size of the file")
        }
        (Reader::Tbx, false) => {
            let item = |i: usize| {
                format!(
                    "<conceptEntry id=\"c{i}\"><langSec xml:lang=\"en\"><termSec><term>term {i} en</term></termSec></langSec>\
                     <langSec xml:lang=\"es\"><termSec><term>término {i}</term></termSec></langSec></conceptEntry>\n"
                )
            };
            generate(path, size, &head(tbx_head), item, "</body></text></tbx>")?;
            Ok("concept entries")
        }
        (Reader::Tbx, true) => {
            let open = format!("{tbx_head}<conceptEntry id=\"c\"><langSec xml:lang=\"en\"><termSec><term>");
            let close = "</term></termSec></langSec><langSec xml:lang=\"es\"><termSec><term>x</term></termSec>\
                         </langSec></conceptEntry></body></text></tbx>";
            generate(path, size, &head(&open), |i| format!("word{} ", i % 1000), close)?;
            Ok("one term the size of the file")
        }
        (Reader::Csv, false) => {
            generate(path, size, "en,es,note\n", |i| format!("term {i},término {i},from the bench\n"), "")?;
            Ok("term pairs")
        }
        (Reader::Csv, true) => {
            generate(path, size, "en,es\nminister,\"", |i| format!("word{} ", i % 1000), "")?;
            Ok("a quoted field never closed")
        }
        (Reader::Srx, false) => {
            // Many languages, each within the rule limit.
            let item = |i: usize| {
                let rules: String = (0..20)
                    .map(|r| {
                        format!(
                            "<rule break=\"no\"><beforebreak>\\b(?:Abc{i}x{r})\\.</beforebreak><afterbreak>\\s</afterbreak></rule>"
                        )
                    })
                    .collect();
                format!("<languagerule languagerulename=\"L{i}\">{rules}</languagerule>\n")
            };
            generate(path, size, &head(srx_head), item, srx_tail)?;
            Ok("languages of 20 rules each")
        }
        (Reader::Srx, true) => {
            let open = format!("{srx_head}<languagerule languagerulename=\"L0\"><rule break=\"no\"><beforebreak>");
            let close = format!("</beforebreak><afterbreak>\\s</afterbreak></rule></languagerule>{srx_tail}");
            generate(path, size, &head(&open), |i| format!("(?:a{})", i % 10), &close)?;
            Ok("one rule pattern the size of the file")
        }
    }
}

/// Runs in the child: reads one file as a user would import it into a new
/// project, then prints `OUTCOME\tSECONDS\tPEAK_KB`.
pub fn read_one(task: &str, out: &mut impl Write) -> Result<(), BenchError> {
    let (name, path) = task.split_once(' ').unwrap_or((task, ""));
    let reader = Reader::from_name(name).unwrap_or(Reader::Text);
    let path = PathBuf::from(path);
    let dir = path.with_extension("project");
    std::fs::create_dir_all(&dir).map_err(|source| BenchError::Read { path: dir.clone(), source })?;
    let mut session = Session::new(dir.join("config"), "bench".into());
    session.create_project(&dir.join("bench.verso"))?;
    if matches!(reader, Reader::Tbx | Reader::Csv) {
        let base = dir.join("base.txt");
        std::fs::write(&base, "The minister spoke.")
            .map_err(|source| BenchError::Read { path: base.clone(), source })?;
        session.import(&base, "en", "es", None)?;
    }
    let started = Instant::now();
    let outcome = match reader {
        Reader::Text | Reader::Markdown | Reader::Html | Reader::Word | Reader::Xliff2 | Reader::Xliff12 => session
            .import(&path, "en", "es", None)
            .map(|d| format!("{} segments", d.segments))
            .map_err(|e| e.to_string()),
        Reader::Tmx => session
            .import_memory(&path, None, &mut |_, _| true)
            .map(|m| format!("{} units", m.units))
            .map_err(|e| e.to_string()),
        Reader::Tbx | Reader::Csv => session
            .import_glossary(&path, DocumentId(1))
            .map(|(read, _)| format!("{read} terms"))
            .map_err(|e| e.to_string()),
        Reader::Srx => crate::formats::srx::read(&path).map_err(|e| e.to_string()).and_then(|rules| {
            let segmenter = rules.segmenter(&"en".parse().expect("a valid tag")).map_err(|e| e.to_string())?;
            let sentences = segmenter.sentence_ranges("Mr. Smith met Dr. Li. Then they left. Fine.").len();
            Ok(format!("{} languages, {sentences} sentences", rules.language_rules.len()))
        }),
    };
    let seconds = started.elapsed().as_secs_f64();
    let outcome = match outcome {
        Ok(read) => format!("read: {read}"),
        Err(message) => format!("refused ({} chars): {}", message.chars().count(), message.replace(['\n', '\t'], " ")),
    };
    let peak = super::peak_memory_kb().unwrap_or(0);
    writeln!(out, "{outcome}\t{seconds:.2}\t{peak}")?;
    session.close_project();
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}

/// The parent: for every reader and both kinds of file, generates the file,
/// runs `exe` on it in a child, and prints a row.
pub fn readers(exe: &Path, megabytes: usize, out: &mut impl Write) -> Result<(), BenchError> {
    let dir = std::env::temp_dir().join(format!("verso-bench-readers-{}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|source| BenchError::Read { path: dir.clone(), source })?;
    let result = readers_in(&dir, exe, megabytes, out);
    let _ = std::fs::remove_dir_all(&dir);
    result
}

fn readers_in(dir: &Path, exe: &Path, megabytes: usize, out: &mut impl Write) -> Result<(), BenchError> {
    let size = megabytes * 1024 * 1024;
    writeln!(
        out,
        "readers, files of about {megabytes} MB (Word: its document part, uncompressed); bound: peak ≤ max(4 × file, 256 MB), valid XLIFF 10 × file:"
    )?;
    writeln!(out, "| reader | file | MB | outcome | s | s/MB | peak MB | × file | within bound |")?;
    writeln!(out, "|---|---|---|---|---|---|---|---|---|")?;
    let mut over = 0;
    for reader in Reader::ALL {
        for hostile in [false, true] {
            let path = dir.join(format!(
                "{}-{}.{}",
                reader.name(),
                if hostile { "hostile" } else { "valid" },
                reader.extension()
            ));
            // A web page is measured at its limit: a larger one is refused unread.
            let size = match reader {
                Reader::Html => size.min(crate::formats::import::MAX_PAGE_BYTES - 64 * 1024),
                _ => size,
            };
            let (described, input) = write_case(reader, hostile, &path, size)
                .map_err(|source| BenchError::Read { path: path.clone(), source })?;
            let file_mb = input as f64 / 1_048_576.0;
            let (outcome, seconds, peak_mb) = run_child(exe, reader, &path)?;
            let _ = std::fs::remove_file(&path);
            let bound = (stated_bound(reader, hostile) * file_mb).max(256.0);
            let within = peak_mb <= bound;
            over += usize::from(!within);
            let outcome: String = outcome.chars().take(110).collect();
            writeln!(
                out,
                "| {} | {described} | {file_mb:.0} | {outcome} | {seconds:.1} | {:.2} | {peak_mb:.0} | {:.1} | {} |",
                reader.name(),
                seconds / file_mb.max(f64::MIN_POSITIVE),
                peak_mb / file_mb.max(f64::MIN_POSITIVE),
                if within { "yes" } else { "**no**" }
            )?;
            out.flush()?;
        }
    }
    writeln!(out, "{over} of {} cases over the bound", Reader::ALL.len() * 2)?;
    Ok(())
}

/// The bound a reader is held to, as a multiple of its input (with 256 MB
/// allowed whatever the input): four times for every hostile file and
/// most valid ones; a valid XLIFF file is read as one tree for checks
/// that span the file, about ten times its size (and files are held to
/// the 64 MB limit of every source).
fn stated_bound(reader: Reader, hostile: bool) -> f64 {
    match (reader, hostile) {
        (Reader::Xliff2 | Reader::Xliff12, false) => 10.0,
        _ => 4.0,
    }
}

fn run_child(exe: &Path, reader: Reader, path: &Path) -> Result<(String, f64, f64), BenchError> {
    let read = |source| BenchError::Read { path: path.to_path_buf(), source };
    let mut child = Command::new(exe)
        .args(["bench", "readers"])
        .env(CHILD_ENV, format!("{} {}", reader.name(), path.display()))
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .map_err(read)?;
    let started = Instant::now();
    loop {
        if child.try_wait().map_err(read)?.is_some() {
            break;
        }
        if started.elapsed() > CASE_LIMIT {
            let _ = child.kill();
            let _ = child.wait();
            return Ok((format!("stopped after {} s", CASE_LIMIT.as_secs()), started.elapsed().as_secs_f64(), 0.0));
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let output = child.wait_with_output().map_err(read)?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    let mut fields = stdout.trim_end().rsplitn(3, '\t');
    let peak_kb: f64 = fields.next().and_then(|f| f.parse().ok()).unwrap_or(0.0);
    let seconds: f64 = fields.next().and_then(|f| f.parse().ok()).unwrap_or(0.0);
    let outcome = match fields.next() {
        Some(outcome) if output.status.success() => outcome.to_string(),
        _ => format!("crashed ({}): {}", output.status, String::from_utf8_lossy(&output.stderr).trim()),
    };
    Ok((outcome, seconds, peak_kb / 1024.0))
}
