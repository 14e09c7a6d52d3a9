//! Segmentation throughput and memory, printed as figures (no assertions
//! on time). Run with `cargo bench --bench segment`.
//!
//! Corpus: NTREX English and Spanish news (grouped into paragraphs), the
//! Golden Rules inputs in 23 languages, and Bleualign German/French,
//! repeated to at least 10 MB. Verso is timed against a UAX #29 sentence
//! splitter (unicode-segmentation) on the same paragraphs, then the release
//! CLI streams a 100 MB file and reports its peak memory.

mod common;

use std::io::Write;
use std::time::Instant;

use unicode_segmentation::UnicodeSegmentation;
use verso::LangTag;
use verso::segment::{Rules, Segmenter};

/// (language, paragraphs) pairs read from the shared data.
fn corpus() -> Vec<(String, Vec<String>)> {
    let mut out = Vec::new();
    let lines = common::lines;
    let paragraphs = |lines: Vec<String>| -> Vec<String> { lines.chunks(6).map(|c| c.join(" ")).collect() };
    out.push(("en".into(), paragraphs(lines("ntrex_en_es_news/newstest2019-src.eng.txt"))));
    out.push(("es".into(), paragraphs(lines("ntrex_en_es_news/newstest2019-ref.spa.txt"))));
    for (file, lang) in [("bleualign_text_berg_de_fr/dev.de", "de"), ("bleualign_text_berg_de_fr/dev.fr", "fr")] {
        out.push((lang.into(), paragraphs(lines(file))));
    }
    let mut by_lang: std::collections::BTreeMap<String, Vec<String>> = Default::default();
    for file in ["golden_rules/pragmatic_segmenter_specs.jsonl", "golden_rules/pysbd_tests.jsonl"] {
        for line in lines(file) {
            let record: serde_json::Value = serde_json::from_str(&line).expect("json");
            let lang = record["lang"].as_str().unwrap_or("en").to_string();
            let text = record["text"].as_str().unwrap_or_default().replace("\n\n", "\n");
            by_lang.entry(lang).or_default().push(text);
        }
    }
    out.extend(by_lang);
    out
}

fn main() {
    let base = corpus();
    let base_bytes: usize = base.iter().flat_map(|(_, p)| p.iter().map(String::len)).sum();
    let repeat = (10_500_000 / base_bytes.max(1)) + 1;
    let corpus: Vec<(LangTag, Vec<String>)> = base
        .iter()
        .map(|(lang, paragraphs)| {
            let tag: LangTag = lang.parse().unwrap_or_else(|_| LangTag::english());
            (tag, paragraphs.iter().cycle().take(paragraphs.len() * repeat).cloned().collect())
        })
        .collect();
    let bytes: usize = corpus.iter().flat_map(|(_, p)| p.iter().map(String::len)).sum();
    let mb = bytes as f64 / 1e6;
    println!("segmentation corpus: {mb:.1} MB in {} languages ({}× the shared data)", corpus.len(), repeat);

    let mut best_verso = f64::MAX;
    let mut best_uax = f64::MAX;
    let mut sentences = (0, 0);
    for _ in 0..3 {
        let started = Instant::now();
        let mut count = 0;
        for (lang, paragraphs) in &corpus {
            let rules = Rules::Builtin(Segmenter::new(lang));
            for paragraph in paragraphs {
                count += rules.paragraph_ranges(paragraph).len();
            }
        }
        best_verso = best_verso.min(started.elapsed().as_secs_f64());
        let started = Instant::now();
        let mut uax = 0;
        for (_, paragraphs) in &corpus {
            for paragraph in paragraphs {
                uax += paragraph.unicode_sentences().count();
            }
        }
        best_uax = best_uax.min(started.elapsed().as_secs_f64());
        sentences = (count, uax);
    }
    println!("verso    : {:>7.1} MB/s  ({:.3} s, {} sentences)", mb / best_verso, best_verso, sentences.0);
    println!(
        "UAX #29  : {:>7.1} MB/s  ({:.3} s, {} sentences; unicode-segmentation, no abbreviation rules)",
        mb / best_uax,
        best_uax,
        sentences.1
    );
    println!("verso / UAX #29 throughput: {:.2}", best_uax / best_verso);

    // The English news corpus alone, saved for scripts/bench-pysbd.sh.
    let out_dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench");
    std::fs::create_dir_all(&out_dir).expect("bench dir");
    let english: String = base[0].1.join("\n\n");
    std::fs::write(out_dir.join("segment-en.txt"), &english).expect("write sample");

    // Memory: the release CLI streams a 100 MB file.
    let big = out_dir.join("segment-100mb.txt");
    {
        let mut file = std::io::BufWriter::new(std::fs::File::create(&big).expect("create"));
        let mut written = 0;
        while written < 100_000_000 {
            for (_, paragraphs) in &base {
                for paragraph in paragraphs {
                    file.write_all(paragraph.as_bytes()).expect("write");
                    file.write_all(b"\n\n").expect("write");
                    written += paragraph.len() + 2;
                }
            }
        }
    }
    let cli = env!("CARGO_BIN_EXE_verso");
    let output = std::process::Command::new(cli)
        .args(["segment", &big.display().to_string(), "--lang", "en", "--stats"])
        .output()
        .expect("run verso segment");
    let size = std::fs::metadata(&big).map(|m| m.len()).unwrap_or(0);
    println!(
        "streaming {:.0} MB with `verso segment --stats`: {}",
        size as f64 / 1e6,
        String::from_utf8_lossy(&output.stderr).trim()
    );
    let _ = std::fs::remove_file(&big);
}
