//! `verso bench summedits`: the summary check measured on SummEdits
//! (summaries labelled consistent or inconsistent with their source), for
//! the rules alone, a claim-check model alone, and both together (an item
//! is flagged when either flags it). Balanced accuracy per domain, the
//! measure the SummEdits paper reports.
//!
//! The rules flag an item when a sentence carries a flag other than
//! *unsupported*, or when its least supported sentence falls below a
//! threshold chosen on the evaluation split ([`tune`]), as
//! `tests/provenance.rs` reports them. The judge is any function from
//! (item, claim, evidence) to a verdict, so the metric itself is tested
//! with synthetic judges; the command passes one that asks the user's
//! model as the summary check does.

use std::collections::{BTreeMap, HashMap};
use std::io::Write;
use std::path::Path;

use super::BenchError;
use crate::lang::LangTag;
use crate::provenance::{FlagKind, Linker, SourceSegment, judge};
use crate::segment;

/// One labelled summary.
#[derive(Debug, Clone)]
pub struct Item {
    pub domain: String,
    pub split: String,
    pub doc: String,
    pub summary: String,
    pub consistent: bool,
}

/// Balanced accuracy (0–100) per domain.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Scores {
    pub rules: BTreeMap<String, f64>,
    /// `None` where the judge answered nothing.
    pub judge: BTreeMap<String, Option<f64>>,
    pub both: BTreeMap<String, Option<f64>>,
    pub items: BTreeMap<String, usize>,
    /// Claims the judge left unjudged (an unclear answer, an error).
    pub unjudged: usize,
}

/// The SummEdits items of `split` (all domains, or one), at most `limit`
/// per domain, and the documents they summarise, by id.
pub fn load(
    data: &Path,
    split: &str,
    domain: Option<&str>,
    limit: Option<usize>,
) -> Result<(HashMap<String, String>, Vec<Item>), BenchError> {
    let dir = data.join("summedits");
    if !dir.is_dir() {
        return Err(BenchError::NoData { path: dir });
    }
    let read = |name: &str| -> Result<Vec<serde_json::Value>, BenchError> {
        let path = dir.join(name);
        let text = std::fs::read_to_string(&path).map_err(|source| BenchError::Read { path: path.clone(), source })?;
        text.lines()
            .filter(|l| !l.trim().is_empty())
            .map(|l| {
                serde_json::from_str(l).map_err(|e| BenchError::Read {
                    path: path.clone(),
                    source: std::io::Error::new(std::io::ErrorKind::InvalidData, e),
                })
            })
            .collect()
    };
    let docs = read("docs.jsonl")?
        .into_iter()
        .map(|d| (d["doc_id"].to_string(), d["text"].as_str().unwrap_or_default().to_string()))
        .collect();
    let mut per_domain: HashMap<String, usize> = HashMap::new();
    let mut items = Vec::new();
    for item in read("items.jsonl")? {
        let item = Item {
            domain: item["domain"].as_str().unwrap_or_default().to_string(),
            split: item["split"].as_str().unwrap_or_default().to_string(),
            doc: item["doc_id"].to_string(),
            summary: item["summary"].as_str().unwrap_or_default().to_string(),
            consistent: item["label"].as_i64() == Some(1),
        };
        if item.split != split || domain.is_some_and(|d| d != item.domain) {
            continue;
        }
        let taken = per_domain.entry(item.domain.clone()).or_default();
        if limit.is_some_and(|limit| *taken >= limit) {
            continue;
        }
        *taken += 1;
        items.push(item);
    }
    Ok((docs, items))
}

/// 50 × (share of inconsistent items flagged + share of consistent ones not).
fn balanced_accuracy(outcomes: &[(bool, bool)]) -> f64 {
    let rate = |consistent: bool| {
        let group: Vec<bool> = outcomes.iter().filter(|(c, _)| *c == consistent).map(|(_, f)| *f).collect();
        let right = group.iter().filter(|&&flagged| flagged != consistent).count();
        right as f64 / group.len().max(1) as f64
    };
    50.0 * (rate(false) + rate(true))
}

/// The support threshold that serves the rules best on `items` (the
/// evaluation split): the best mean balanced accuracy over domains.
pub fn tune(docs: &HashMap<String, String>, items: &[Item]) -> f32 {
    let outcomes = rule_outcomes(docs, items);
    let mean = |threshold: f32| -> f64 {
        let mut per_domain: BTreeMap<&str, Vec<(bool, bool)>> = BTreeMap::new();
        for (item, (min_support, other)) in items.iter().zip(&outcomes) {
            per_domain.entry(&item.domain).or_default().push((item.consistent, *other || *min_support < threshold));
        }
        per_domain.values().map(|o| balanced_accuracy(o)).sum()
    };
    (4..=18).map(|k| k as f32 * 0.05).max_by(|a, b| mean(*a).total_cmp(&mean(*b))).unwrap_or(0.5)
}

/// Per item: the support of its least supported sentence, and whether a
/// flag other than *unsupported* fired.
fn rule_outcomes(docs: &HashMap<String, String>, items: &[Item]) -> Vec<(f32, bool)> {
    let en = LangTag::english();
    let mut linkers: HashMap<&str, Linker> = HashMap::new();
    items
        .iter()
        .map(|item| {
            let linker = linkers.entry(&item.doc).or_insert_with(|| linker(docs, &item.doc, &en));
            segment::split_text(&item.summary, &en).map(|s| linker.check(s, &en)).fold((1.0, false), |(m, o), c| {
                (c.support.min(m), o || c.flags.iter().any(|f| f.kind != FlagKind::Unsupported))
            })
        })
        .collect()
}

fn linker(docs: &HashMap<String, String>, doc: &str, en: &LangTag) -> Linker {
    let text = docs.get(doc).map_or("", String::as_str);
    let sources = segment::split_text(text, en)
        .map(|s| SourceSegment { text: s.to_string(), translation: None, machine: false })
        .collect();
    Linker::new(sources, en.clone(), None)
}

/// Scores the rules (with `threshold`, see [`tune`]) and, sentence by
/// sentence, the judge: the judge gets
/// each summary sentence with its evidence (its linked passages, or the
/// best-ranked one, with their neighbours) and says whether it is
/// supported; `None` leaves the sentence unjudged. `progress` gets items
/// done.
pub fn measure(
    docs: &HashMap<String, String>,
    items: &[Item],
    threshold: f32,
    judge: &mut dyn FnMut(&Item, &str, &str) -> Option<bool>,
    progress: &mut dyn FnMut(usize),
) -> Scores {
    let en = LangTag::english();
    let mut linkers: HashMap<&str, Linker> = HashMap::new();
    // Per domain: (consistent, rules flag, judge flag if judged at all).
    let mut outcomes: BTreeMap<String, Vec<(bool, bool, Option<bool>)>> = BTreeMap::new();
    let mut unjudged = 0;
    for (done, item) in items.iter().enumerate() {
        let linker = linkers.entry(&item.doc).or_insert_with(|| linker(docs, &item.doc, &en));
        let mut rules = false;
        let mut verdicts = Vec::new();
        for sentence in segment::split_text(&item.summary, &en) {
            let check = linker.check(sentence, &en);
            rules |= check.support < threshold || check.flags.iter().any(|f| f.kind != FlagKind::Unsupported);
            let mut linked: Vec<usize> = check.links.iter().map(|l| l.segment).collect();
            if linked.is_empty() {
                linked = linker.ranked(sentence, &en, 1);
            }
            let evidence = judge::evidence(linker.sources(), &linked);
            match judge(item, sentence, &evidence) {
                Some(supported) => verdicts.push(supported),
                None => unjudged += 1,
            }
        }
        let judged = (!verdicts.is_empty()).then(|| verdicts.iter().any(|supported| !supported));
        outcomes.entry(item.domain.clone()).or_default().push((item.consistent, rules, judged));
        progress(done + 1);
    }
    let mut scores = Scores { unjudged, ..Scores::default() };
    for (domain, results) in outcomes {
        let rules: Vec<(bool, bool)> = results.iter().map(|(c, r, _)| (*c, *r)).collect();
        let judged: Vec<(bool, bool, bool)> = results.iter().filter_map(|(c, r, j)| j.map(|j| (*c, *r, j))).collect();
        scores.items.insert(domain.clone(), results.len());
        scores.rules.insert(domain.clone(), balanced_accuracy(&rules));
        let (judge_only, both) = if judged.is_empty() {
            (None, None)
        } else {
            let alone: Vec<(bool, bool)> = judged.iter().map(|(c, _, j)| (*c, *j)).collect();
            let either: Vec<(bool, bool)> = judged.iter().map(|(c, r, j)| (*c, *r || *j)).collect();
            (Some(balanced_accuracy(&alone)), Some(balanced_accuracy(&either)))
        };
        scores.judge.insert(domain.clone(), judge_only);
        scores.both.insert(domain, both);
    }
    scores
}

/// Prints the scores, one line per domain.
pub fn report(
    scores: &Scores,
    threshold: f32,
    judge_name: Option<&str>,
    out: &mut impl Write,
) -> Result<(), BenchError> {
    let rules = format!("rules (support below {threshold:.2}, chosen on the evaluation split, or another flag)");
    match judge_name {
        Some(name) => writeln!(
            out,
            "SummEdits, balanced accuracy: {rules} alone, judge {name} (prompt version {}) alone, rules + judge",
            judge::PROMPT_VERSION
        )?,
        None => writeln!(out, "SummEdits, balanced accuracy of the {rules}")?,
    }
    let figure = |v: Option<f64>| v.map_or_else(|| "—".to_string(), |v| format!("{v:.1}"));
    for (domain, rules) in &scores.rules {
        let items = scores.items.get(domain).copied().unwrap_or_default();
        write!(out, "  {domain:<12} items {items:>4}  rules {rules:.1}")?;
        if judge_name.is_some() {
            let judge = scores.judge.get(domain).copied().flatten();
            let both = scores.both.get(domain).copied().flatten();
            write!(out, "  judge {}  rules + judge {}", figure(judge), figure(both))?;
        }
        writeln!(out)?;
    }
    if judge_name.is_some() && scores.unjudged > 0 {
        writeln!(out, "  {} sentence(s) left unjudged (unclear answers or errors)", scores.unjudged)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn balanced_accuracy_weighs_both_classes_alike() {
        // 3 inconsistent (2 flagged), 1 consistent (not flagged).
        let outcomes = [(false, true), (false, true), (false, false), (true, false)];
        assert!((balanced_accuracy(&outcomes) - 50.0 * (2.0 / 3.0 + 1.0)).abs() < 1e-9);
        assert_eq!(balanced_accuracy(&[(true, true), (false, false)]), 0.0);
    }
}
