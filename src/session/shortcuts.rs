//! Keyboard shortcuts a user changed, kept in the settings folder
//! (`shortcuts.json`): only the changes, command id → keys, so new
//! defaults reach everyone who did not change that command.

use std::collections::BTreeMap;
use std::path::PathBuf;

use super::{Session, SessionError};

/// Command id → keys ("Ctrl+Shift+K").
pub type Shortcuts = BTreeMap<String, String>;

/// Longest keys text taken (a few modifiers and a key name).
const KEYS_CHARS: usize = 40;

impl Session {
    fn shortcuts_path(&self) -> PathBuf {
        self.config_dir.join("shortcuts.json")
    }

    /// The shortcuts this user changed; none when the file is absent.
    pub fn shortcuts(&self) -> Result<Shortcuts, SessionError> {
        let path = self.shortcuts_path();
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Shortcuts::new()),
            Err(source) => return Err(SessionError::Write { path, source }),
        };
        serde_json::from_str(&text).map_err(|e| {
            SessionError::Shortcut(format!("{}: not a shortcuts file ({e}); delete it to start again", path.display()))
        })
    }

    /// Keeps `changed` as the user's shortcuts, refusing two commands on
    /// the same keys (the other command is named). Written whole and then
    /// moved into place, so a crash leaves the old file or the new one.
    pub fn set_shortcuts(&mut self, changed: &Shortcuts) -> Result<Shortcuts, SessionError> {
        let mut seen: BTreeMap<&str, &str> = BTreeMap::new();
        for (command, keys) in changed {
            let keys = keys.trim();
            if keys.is_empty() || keys.chars().count() > KEYS_CHARS || keys.chars().any(char::is_control) {
                return Err(SessionError::Shortcut(format!("“{keys}” is not a key combination for {command}")));
            }
            if let Some(other) = seen.insert(keys, command) {
                return Err(SessionError::Shortcut(format!("{keys} is already the shortcut of {other}")));
            }
        }
        let path = self.shortcuts_path();
        let write = |path: &std::path::Path, bytes: &[u8]| {
            std::fs::create_dir_all(&self.config_dir)
                .and_then(|_| std::fs::write(path, bytes))
                .map_err(|source| SessionError::Write { path: path.to_path_buf(), source })
        };
        let temporary = path.with_extension("json.new");
        let bytes = serde_json::to_vec_pretty(changed).expect("a map of strings serialises");
        write(&temporary, &bytes)?;
        std::fs::rename(&temporary, &path).map_err(|source| SessionError::Write { path: path.clone(), source })?;
        self.shortcuts()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changed_shortcuts_are_kept_and_a_clash_is_refused_by_name() {
        let dir = tempfile::tempdir().expect("dir");
        let mut session = Session::for_command(dir.path().to_path_buf(), None);
        assert!(session.shortcuts().expect("none yet").is_empty());
        let mut changed = Shortcuts::new();
        changed.insert("open-concordance".into(), "Ctrl+Shift+Y".into());
        session.set_shortcuts(&changed).expect("saved");
        let again = Session::for_command(dir.path().to_path_buf(), None);
        assert_eq!(again.shortcuts().expect("read"), changed);
        changed.insert("find".into(), "Ctrl+Shift+Y".into());
        let error = session.set_shortcuts(&changed).expect_err("a clash").to_string();
        assert!(error.contains("Ctrl+Shift+Y is already the shortcut of find"), "{error}");
        std::fs::write(dir.path().join("shortcuts.json"), "{").expect("write");
        let error = session.shortcuts().expect_err("broken file").to_string();
        assert!(error.contains("shortcuts.json") && error.contains("delete it"), "{error}");
    }
}
