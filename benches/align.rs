//! Aligning two 20,000-sentence documents, printed as figures. Run with
//! `cargo bench --bench align`. The documents are NTREX English and
//! Spanish news repeated to 20,000 lines, with every 37th Spanish sentence
//! deleted and every 23rd pair merged, aligned by the release CLI so that
//! its peak memory can be read.

mod common;

use std::io::Write;

fn main() {
    let read = |f: &str| common::lines(&format!("ntrex_en_es_news/{f}"));
    let english = read("newstest2019-src.eng.txt");
    let spanish = read("newstest2019-ref.spa.txt");
    let out = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench");
    std::fs::create_dir_all(&out).expect("bench dir");
    let (source_path, target_path) = (out.join("align-20k.en"), out.join("align-20k.es"));
    let mut source = std::io::BufWriter::new(std::fs::File::create(&source_path).expect("create"));
    let mut target = std::io::BufWriter::new(std::fs::File::create(&target_path).expect("create"));
    let (mut lines_out, mut i) = (0usize, 0usize);
    while lines_out < 20_000 {
        let k = i % english.len();
        writeln!(source, "{}", english[k]).expect("write");
        if i % 37 != 5 {
            if i % 23 == 7 {
                let next = (k + 1) % english.len();
                writeln!(source, "{}", english[next]).expect("write");
                writeln!(target, "{} {}", spanish[k], spanish[next]).expect("write");
                i += 1;
                lines_out += 1;
            } else {
                writeln!(target, "{}", spanish[k]).expect("write");
            }
        }
        i += 1;
        lines_out += 1;
    }
    drop((source, target));
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_verso"))
        .args(["align", &source_path.display().to_string(), &target_path.display().to_string()])
        .args(["--from", "en", "--to", "es", "--lines", "--stats"])
        .output()
        .expect("run verso align");
    let beads = String::from_utf8_lossy(&output.stdout).lines().count();
    println!(
        "align 20,000-sentence documents: {} ({beads} beads written)",
        String::from_utf8_lossy(&output.stderr).trim()
    );
}
