//! API keys: the operating system's keyring first (`crate::keys`), then
//! the environment variable
//! `VERSO_<PROFILE>_KEY` (profile name upper-cased, other characters as
//! `_`), for headless machines and CI. Keys are never written anywhere
//! else and never put into messages.

use serde::{Deserialize, Serialize};

use super::MtError;

const SERVICE: &str = "org.verso.workbench.mt";

/// Where a profile's key comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
pub enum KeySource {
    Keyring,
    Environment,
    None,
}

/// The environment variable holding a profile's key.
pub fn variable(profile: &str) -> String {
    let name: String =
        profile.chars().map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_uppercase() } else { '_' }).collect();
    format!("VERSO_{name}_KEY")
}

fn account(profile: &str) -> String {
    profile.to_lowercase()
}

/// The key for a profile and where it came from.
pub fn get(profile: &str) -> (Option<String>, KeySource) {
    if let Some(key) = crate::keys::get(SERVICE, &account(profile)) {
        return (Some(key), KeySource::Keyring);
    }
    match std::env::var(variable(profile)) {
        Ok(key) if !key.trim().is_empty() => (Some(key.trim().to_string()), KeySource::Environment),
        _ => (None, KeySource::None),
    }
}

/// Stores a key in the keyring; when there is no keyring the error names
/// the environment variable to use instead.
pub fn set(profile: &str, key: &str) -> Result<(), MtError> {
    let key = key.trim();
    if key.is_empty() {
        return Err(MtError::Invalid("the key is empty".into()));
    }
    crate::keys::set(SERVICE, &account(profile), key).map_err(|e| {
        MtError::Keyring(format!("{}; set the key in the environment variable {} instead", e.0, variable(profile)))
    })
}

/// Where a key stored now would be kept, in words: the desktop keyring,
/// or the kernel's (forgotten at logout) or none, each naming the
/// environment variable that keeps a key across restarts instead.
pub fn store(profile: &str) -> String {
    match crate::keys::store() {
        Ok(store @ crate::keys::Store::Desktop) => store.describe().to_string(),
        Ok(store) => format!("{}; to keep it, set {}", store.describe(), variable(profile)),
        Err(e) => format!("no keyring ({}); set the key in {}", e.0, variable(profile)),
    }
}

/// Forgets a profile's key in the keyring (the environment is untouched).
pub fn remove(profile: &str) {
    crate::keys::remove(SERVICE, &account(profile));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_set_is_read_back_from_the_keyring() {
        let profile = format!("verso-test-{}", std::process::id());
        if let Err(error) = set(&profile, " s3cret-key ") {
            // Containers often forbid the keyutils system calls.
            println!("skipped: no usable keyring on this machine ({error})");
            assert!(error.to_string().contains(&variable(&profile)), "the error names the fallback");
            return;
        }
        assert_eq!(get(&profile), (Some("s3cret-key".to_string()), KeySource::Keyring));
        remove(&profile);
        assert_eq!(get(&profile), (None, KeySource::None));
    }

    #[test]
    fn variables_are_named_after_the_profile() {
        assert_eq!(variable("DeepL pro"), "VERSO_DEEPL_PRO_KEY");
        assert_eq!(variable("ollama-llama3.1"), "VERSO_OLLAMA_LLAMA3_1_KEY");
    }
}
