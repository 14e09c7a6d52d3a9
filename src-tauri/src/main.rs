//! Verso's desktop shell: starts the window and hands UI requests to the
//! core's [`Session`]. No translation logic lives here.

mod commands;

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Mutex;

use tauri::Manager;
use verso::session::Session;

/// State shared by the commands: the session and a project named on the
/// command line, opened once when the UI asks for it.
pub struct AppState {
    session: Mutex<Session>,
    startup_project: Mutex<Option<PathBuf>>,
    /// Set by the Cancel button of a long piece of work; each one clears
    /// it when it starts.
    cancel: std::sync::atomic::AtomicBool,
    /// When the process started, for `VERSO_TIMING` (see `first_rows`).
    started: std::time::Instant,
}

fn main() -> ExitCode {
    let started = std::time::Instant::now();
    // The first argument is the program itself; a `.verso` path after it
    // opens that project (`verso-desktop news.verso`).
    let startup_project =
        std::env::args_os().skip(1).map(PathBuf::from).find(|arg| arg.extension().is_some_and(|e| e == "verso"));
    let result = tauri::Builder::default()
        .plugin(tauri_plugin_dialog::init())
        .setup(move |app| {
            // VERSO_CONFIG_DIR lets tests and portable installs keep settings apart.
            let config_dir = match std::env::var_os("VERSO_CONFIG_DIR") {
                Some(dir) => PathBuf::from(dir),
                None => app.path().app_config_dir()?,
            };
            let author = verso::session::default_author();
            app.manage(AppState {
                session: Mutex::new(Session::new(config_dir, author)),
                startup_project: Mutex::new(startup_project.clone()),
                cancel: std::sync::atomic::AtomicBool::new(false),
                started,
            });
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            commands::startup_project,
            commands::first_rows,
            commands::document_segments_head,
            commands::team_join,
            commands::team_share,
            commands::team_sync,
            commands::team_token,
            commands::team_status,
            commands::team_conflicts,
            commands::team_resolve,
            commands::tm_matches,
            commands::mt_profiles,
            commands::save_mt_profile,
            commands::remove_mt_profile,
            commands::move_mt_profile,
            commands::set_mt_key,
            commands::test_mt_profile,
            commands::mt_suggestions,
            commands::mt_estimate,
            commands::mt_pretranslate,
            commands::summary_draft,
            commands::preview_import,
            commands::add_term,
            commands::fill_repetitions,
            commands::set_locked,
            commands::set_link_mt,
            commands::summary_link_mt,
            commands::set_judge,
            commands::judge_claims,
            commands::concordance,
            commands::edit_memory_unit,
            commands::delete_memory_unit,
            commands::memories,
            commands::import_memory,
            commands::export_memory,
            commands::remove_memory,
            commands::set_memory_priority,
            commands::pretranslate,
            commands::cancel_work,
            commands::import_glossary,
            commands::export_glossary,
            commands::glossary,
            commands::term_hits,
            commands::spelling,
            commands::shortcuts,
            commands::undo_structure,
            commands::undo_pretranslation,
            commands::undo_review,
            commands::set_shortcuts,
            commands::find,
            commands::replace_preview,
            commands::replace_all,
            commands::undo_change,
            commands::spelling_suggestions,
            commands::add_project_word,
            commands::qa_report,
            commands::accept_warning,
            commands::recent_projects,
            commands::open_project,
            commands::create_project,
            commands::open_sample,
            commands::close_project,
            commands::list_documents,
            commands::import_document,
            commands::document_segments,
            commands::save_translation,
            commands::split_segment,
            commands::join_segments,
            commands::set_author,
            commands::review_segment,
            commands::rejection_counts,
            commands::overview,
            commands::analyse,
            commands::write_report,
            commands::qa_profile,
            commands::set_qa_profile,
            commands::set_publication,
            commands::bulk_review,
            commands::segment_comments,
            commands::add_comment,
            commands::segment_history,
            commands::restore_revision,
            commands::list_versions,
            commands::create_version,
            commands::diff_document,
            commands::export_change_report,
            commands::import_with_translation,
            commands::confirm_alignment,
            commands::shift_translation,
            commands::create_summary,
            commands::summary_view,
            commands::add_summary_text,
            commands::remove_summary_sentence,
            commands::move_summary_sentence,
            commands::restore_summary_sentence,
            commands::set_sentence_kind,
            commands::decide_link,
            commands::approve_summary,
            commands::preview_summary,
            commands::export_summary,
            commands::import_xliff,
            commands::update_from_xliff,
            commands::preview_document,
            commands::export_document,
        ])
        .run(tauri::generate_context!());
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("Verso could not start: {error}");
            ExitCode::FAILURE
        }
    }
}
