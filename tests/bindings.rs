//! The TypeScript declarations in `ui/src/lib/bindings.ts` are generated from
//! the Rust types that cross into the UI. This test fails when they are
//! stale; run it with `VERSO_WRITE_BINDINGS=1` to regenerate them.
#![cfg(feature = "bindings")]

use ts_rs::{Config, TS};
use verso::diff::{DiffSpan, DiffStats, DocumentDiff, Granularity, SegmentChange, SpanKind, TextDiff};
use verso::document::{DocumentId, DocumentKind, DocumentSummary, PassageKind, SegmentId, SourceFormat};
use verso::formats::export::article::SummaryFormat;
use verso::glossary::{Term, TermHit};
use verso::mt::keys::KeySource;
use verso::mt::{Estimate, Profile, ProviderKind};
use verso::provenance::{Flag, FlagKind, LinkReason};
use verso::qa::{Acceptance, QaCheck, QaIssue, QaReport, QaStage};
use verso::recent::RecentProject;
use verso::revision::{
    BulkOutcome, CategoryCount, Comment, Decision, ErrorCategory, Revision, RevisionId, SegmentRow, Status,
    TranslationEdit, Version, VersionId,
};
use verso::search::{FindIn, FindOptions};
use verso::session::find::{FindHit, FindQuery, FindResult, ReplaceOutcome, ReplacePreview, UndoOutcome};
use verso::session::spelling::SpellingView;
use verso::session::{
    ConflictReply, DocumentExport, ErrorKind, ErrorReply, ExportPreview, HistoryEntry, Progress, ProjectInfo,
};
use verso::session::{ConflictSide, ConflictView, Joined, Keep, SyncReport, TeamStatus};
use verso::session::{ImportPreview, JudgeReport, MtSuggestion, ProfileView};
use verso::spelling::Misspelling;
use verso::store::Pretranslated;
use verso::summary::{
    Approval, Coverage, LinkDecision, LinkOrigin, LinkView, ModelVerdict, Reference, SectionView, SentenceKind,
    SentenceView, SourceDocument, SummaryView,
};
use verso::text::Span;
use verso::tm::{ConcordanceHit, Memory, MemoryId, TmMatch};

fn generated() -> String {
    // IDs and counts stay far below 2^53, so JavaScript numbers hold them.
    let cfg = Config::new().with_large_int("number");
    let declarations = [
        DocumentId::decl(&cfg),
        SegmentId::decl(&cfg),
        RevisionId::decl(&cfg),
        DocumentKind::decl(&cfg),
        PassageKind::decl(&cfg),
        SourceFormat::decl(&cfg),
        Status::decl(&cfg),
        DocumentSummary::decl(&cfg),
        SegmentRow::decl(&cfg),
        Revision::decl(&cfg),
        TranslationEdit::decl(&cfg),
        RecentProject::decl(&cfg),
        ProjectInfo::decl(&cfg),
        ErrorKind::decl(&cfg),
        ConflictReply::decl(&cfg),
        ErrorReply::decl(&cfg),
        Decision::decl(&cfg),
        ErrorCategory::decl(&cfg),
        verso::analysis::Band::decl(&cfg),
        verso::analysis::BandCount::decl(&cfg),
        verso::analysis::Analysis::decl(&cfg),
        verso::overview::StatusCount::decl(&cfg),
        verso::overview::DocumentProgress::decl(&cfg),
        verso::overview::DayActivity::decl(&cfg),
        verso::overview::PersonDay::decl(&cfg),
        verso::overview::CheckCount::decl(&cfg),
        verso::overview::SummaryProgress::decl(&cfg),
        verso::overview::Overview::decl(&cfg),
        verso::session::ReportFormat::decl(&cfg),
        verso::tm::SearchIn::decl(&cfg),
        verso::qa::QaWhen::decl(&cfg),
        verso::qa::QaCheckSetting::decl(&cfg),
        verso::qa::QaProfile::decl(&cfg),
        verso::document::Publication::decl(&cfg),
        CategoryCount::decl(&cfg),
        BulkOutcome::decl(&cfg),
        Comment::decl(&cfg),
        VersionId::decl(&cfg),
        Version::decl(&cfg),
        Granularity::decl(&cfg),
        SpanKind::decl(&cfg),
        DiffSpan::decl(&cfg),
        TextDiff::decl(&cfg),
        SegmentChange::decl(&cfg),
        DiffStats::decl(&cfg),
        DocumentDiff::decl(&cfg),
        HistoryEntry::decl(&cfg),
        FlagKind::decl(&cfg),
        Flag::decl(&cfg),
        SentenceKind::decl(&cfg),
        LinkDecision::decl(&cfg),
        LinkOrigin::decl(&cfg),
        LinkReason::decl(&cfg),
        Span::decl(&cfg),
        Misspelling::decl(&cfg),
        SpellingView::decl(&cfg),
        FindIn::decl(&cfg),
        FindOptions::decl(&cfg),
        FindQuery::decl(&cfg),
        FindHit::decl(&cfg),
        FindResult::decl(&cfg),
        ReplacePreview::decl(&cfg),
        ReplaceOutcome::decl(&cfg),
        UndoOutcome::decl(&cfg),
        LinkView::decl(&cfg),
        SentenceView::decl(&cfg),
        SectionView::decl(&cfg),
        Coverage::decl(&cfg),
        SourceDocument::decl(&cfg),
        Reference::decl(&cfg),
        Approval::decl(&cfg),
        SummaryView::decl(&cfg),
        ModelVerdict::decl(&cfg),
        JudgeReport::decl(&cfg),
        ImportPreview::decl(&cfg),
        SummaryFormat::decl(&cfg),
        DocumentExport::decl(&cfg),
        ExportPreview::decl(&cfg),
        Progress::decl(&cfg),
        MemoryId::decl(&cfg),
        Memory::decl(&cfg),
        TmMatch::decl(&cfg),
        ConcordanceHit::decl(&cfg),
        Pretranslated::decl(&cfg),
        Term::decl(&cfg),
        TermHit::decl(&cfg),
        QaCheck::decl(&cfg),
        Acceptance::decl(&cfg),
        QaIssue::decl(&cfg),
        QaReport::decl(&cfg),
        QaStage::decl(&cfg),
        ProviderKind::decl(&cfg),
        Profile::decl(&cfg),
        KeySource::decl(&cfg),
        ProfileView::decl(&cfg),
        MtSuggestion::decl(&cfg),
        TeamStatus::decl(&cfg),
        SyncReport::decl(&cfg),
        Joined::decl(&cfg),
        ConflictSide::decl(&cfg),
        ConflictView::decl(&cfg),
        Keep::decl(&cfg),
        Estimate::decl(&cfg),
    ];
    let mut out = String::from("// Generated from the Rust core by tests/bindings.rs. Do not edit.\n\n");
    for declaration in declarations {
        out.push_str("export ");
        out.push_str(&declaration);
        out.push_str("\n\n");
    }
    out
}

#[test]
fn typescript_bindings_match_the_rust_types() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("ui/src/lib/bindings.ts");
    let expected = generated();
    if std::env::var_os("VERSO_WRITE_BINDINGS").is_some() {
        std::fs::write(&path, &expected).expect("write bindings");
    }
    let current = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        current == expected,
        "ui/src/lib/bindings.ts is stale: run `VERSO_WRITE_BINDINGS=1 cargo test --features bindings --test bindings`"
    );
}
