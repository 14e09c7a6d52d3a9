//! Named provider profiles, kept in the user's settings folder
//! (`mt-profiles.json`), in the order their suggestions are shown. A
//! profile holds no key: see [`super::keys`].

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::MtError;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
pub enum ProviderKind {
    Deepl,
    Google,
    Libretranslate,
    /// Any endpoint speaking OpenAI's chat completions.
    Openai,
}

impl ProviderKind {
    pub fn parse(name: &str) -> Option<ProviderKind> {
        match name.to_ascii_lowercase().as_str() {
            "deepl" => Some(ProviderKind::Deepl),
            "google" => Some(ProviderKind::Google),
            "libretranslate" => Some(ProviderKind::Libretranslate),
            "openai" | "ollama" | "llama.cpp" | "vllm" => Some(ProviderKind::Openai),
            _ => None,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ProviderKind::Deepl => "DeepL",
            ProviderKind::Google => "Google Cloud Translation",
            ProviderKind::Libretranslate => "LibreTranslate",
            ProviderKind::Openai => "OpenAI-compatible",
        }
    }

    /// The documented public endpoint (DeepL Pro; the free plan's is
    /// `https://api-free.deepl.com`).
    pub fn default_url(self) -> &'static str {
        match self {
            ProviderKind::Deepl => "https://api.deepl.com",
            ProviderKind::Google => "https://translation.googleapis.com",
            ProviderKind::Libretranslate => "http://localhost:5000",
            ProviderKind::Openai => "http://localhost:11434/v1",
        }
    }

    /// DeepL and Google refuse requests without a key; LibreTranslate and
    /// local LLM servers often need none.
    pub fn needs_key(self) -> bool {
        matches!(self, ProviderKind::Deepl | ProviderKind::Google)
    }
}

/// One configured service.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
pub struct Profile {
    pub name: String,
    pub kind: ProviderKind,
    pub url: String,
    /// The model, for OpenAI-compatible endpoints.
    #[serde(default)]
    pub model: Option<String>,
    /// DeepL's `formality` (`more`, `less`, `prefer_more`, `prefer_less`).
    #[serde(default)]
    pub formality: Option<String>,
    /// The system prompt for OpenAI-compatible endpoints, with
    /// `{source_lang}`, `{target_lang}`, `{glossary}`, `{before}` and
    /// `{after}` filled in.
    #[serde(default)]
    pub prompt: Option<String>,
    pub enabled: bool,
    pub timeout_secs: u32,
}

impl Profile {
    pub fn new(name: &str, kind: ProviderKind) -> Profile {
        Profile {
            name: name.trim().to_string(),
            kind,
            url: kind.default_url().to_string(),
            model: None,
            formality: None,
            prompt: None,
            enabled: false,
            timeout_secs: 30,
        }
    }

    fn check(&self) -> Result<(), MtError> {
        let name_ok = !self.name.is_empty()
            && self.name.chars().count() <= 40
            && self.name.chars().all(|c| c.is_alphanumeric() || matches!(c, ' ' | '-' | '_' | '.'));
        if !name_ok {
            return Err(MtError::Invalid(format!(
                "profile name {:?}: use 1–40 letters, digits, spaces, '-', '_' or '.'",
                self.name
            )));
        }
        let url = self.url.trim();
        if !(url.starts_with("https://") || url.starts_with("http://")) {
            return Err(MtError::Invalid(format!("{}: the URL must start with https:// or http://", self.name)));
        }
        if self.kind == ProviderKind::Openai && self.model.as_deref().is_none_or(|m| m.trim().is_empty()) {
            return Err(MtError::Invalid(format!("{}: an OpenAI-compatible profile needs a model name", self.name)));
        }
        if let Some(f) = &self.formality
            && !matches!(f.as_str(), "default" | "more" | "less" | "prefer_more" | "prefer_less")
        {
            return Err(MtError::Invalid(format!(
                "{}: formality is one of default, more, less, prefer_more, prefer_less",
                self.name
            )));
        }
        Ok(())
    }
}

/// The profiles of one user, read from and written to their settings folder.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
pub struct Settings {
    pub profiles: Vec<Profile>,
}

impl Settings {
    pub fn path(config_dir: &Path) -> PathBuf {
        config_dir.join("mt-profiles.json")
    }

    /// The saved profiles; none when the file does not exist yet.
    pub fn load(config_dir: &Path) -> Result<Settings, MtError> {
        let path = Settings::path(config_dir);
        match std::fs::read(&path) {
            Ok(bytes) => serde_json::from_slice(&bytes)
                .map_err(|e| MtError::Settings { path, detail: format!("not a valid settings file: {e}") }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Settings::default()),
            Err(e) => Err(MtError::Settings { path, detail: e.to_string() }),
        }
    }

    pub fn save(&self, config_dir: &Path) -> Result<(), MtError> {
        let path = Settings::path(config_dir);
        let settings_error = |e: std::io::Error| MtError::Settings { path: path.clone(), detail: e.to_string() };
        std::fs::create_dir_all(config_dir).map_err(settings_error)?;
        let json = serde_json::to_vec_pretty(self).map_err(|e| MtError::Invalid(e.to_string()))?;
        crate::formats::export::write_atomically(&path, &json).map_err(settings_error)
    }

    pub fn get(&self, name: &str) -> Result<&Profile, MtError> {
        self.profiles
            .iter()
            .find(|p| p.name.eq_ignore_ascii_case(name))
            .ok_or_else(|| MtError::NoSuchProfile(name.into()))
    }

    /// Adds a profile, or replaces the one with its name (keeping its place).
    pub fn upsert(&mut self, profile: Profile) -> Result<(), MtError> {
        profile.check()?;
        match self.profiles.iter_mut().find(|p| p.name.eq_ignore_ascii_case(&profile.name)) {
            Some(existing) => *existing = profile,
            None => self.profiles.push(profile),
        }
        Ok(())
    }

    pub fn remove(&mut self, name: &str) -> Result<(), MtError> {
        let before = self.profiles.len();
        self.profiles.retain(|p| !p.name.eq_ignore_ascii_case(name));
        if self.profiles.len() == before { Err(MtError::NoSuchProfile(name.into())) } else { Ok(()) }
    }

    /// Moves a profile one place up (`up`) or down in the suggestion order.
    pub fn reorder(&mut self, name: &str, up: bool) -> Result<(), MtError> {
        let at = self.profiles.iter().position(|p| p.name.eq_ignore_ascii_case(name));
        let at = at.ok_or_else(|| MtError::NoSuchProfile(name.into()))?;
        let to = if up { at.checked_sub(1) } else { Some(at + 1).filter(|&t| t < self.profiles.len()) };
        if let Some(to) = to {
            self.profiles.swap(at, to);
        }
        Ok(())
    }

    pub fn enabled(&self) -> impl Iterator<Item = &Profile> {
        self.profiles.iter().filter(|p| p.enabled)
    }
}

/// Where settings live when no window chose: `VERSO_CONFIG_DIR`, else the
/// desktop app's folder (`$XDG_CONFIG_HOME` or `~/.config`, then the app id).
pub fn default_config_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("VERSO_CONFIG_DIR") {
        return PathBuf::from(dir);
    }
    let base = std::env::var_os("XDG_CONFIG_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".config")))
        .unwrap_or_else(|| PathBuf::from("."));
    base.join("org.verso.workbench")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn profiles_are_checked_saved_and_ordered() {
        let dir = tempfile::tempdir().expect("dir");
        let mut settings = Settings::load(dir.path()).expect("none yet");
        assert!(settings.profiles.is_empty());
        settings.upsert(Profile::new("DeepL pro", ProviderKind::Deepl)).expect("add");
        let mut local = Profile::new("Ollama llama3", ProviderKind::Openai);
        assert!(settings.upsert(local.clone()).is_err(), "a model is needed");
        local.model = Some("llama3".into());
        settings.upsert(local).expect("add");
        assert!(settings.upsert(Profile::new("bad/name", ProviderKind::Google)).is_err());
        settings.reorder("ollama LLAMA3", true).expect("move");
        settings.save(dir.path()).expect("save");
        let again = Settings::load(dir.path()).expect("load");
        assert_eq!(
            again.profiles.iter().map(|p| p.name.as_str()).collect::<Vec<_>>(),
            vec!["Ollama llama3", "DeepL pro"]
        );
        std::fs::write(Settings::path(dir.path()), "{").expect("write");
        assert!(Settings::load(dir.path()).expect_err("broken").to_string().contains("mt-profiles.json"));
    }
}
