//! API keys: the operating system's keyring first — on Linux the kernel's
//! key retention service (keyutils), which needs no desktop daemon and
//! keeps keys for the login session — then the environment variable
//! `VERSO_<PROFILE>_KEY` (profile name upper-cased, other characters as
//! `_`), for headless machines and CI. Keys are never written anywhere
//! else and never put into messages.

use std::sync::OnceLock;

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

/// Sets up the keyring store once; `Err` says why there is none.
fn keyring() -> Result<(), String> {
    static READY: OnceLock<Result<(), String>> = OnceLock::new();
    READY
        .get_or_init(|| {
            #[cfg(target_os = "linux")]
            {
                let store = linux_keyutils_keyring_store::Store::new().map_err(|e| e.to_string())?;
                keyring_core::set_default_store(store);
                Ok(())
            }
            #[cfg(not(target_os = "linux"))]
            {
                Err("no keyring store is built in for this system; use the environment variable".to_string())
            }
        })
        .clone()
}

fn entry(profile: &str) -> Result<keyring_core::Entry, String> {
    keyring()?;
    keyring_core::Entry::new(SERVICE, &profile.to_lowercase()).map_err(|e| e.to_string())
}

/// The key for a profile and where it came from.
pub fn get(profile: &str) -> (Option<String>, KeySource) {
    if let Ok(entry) = entry(profile)
        && let Ok(key) = entry.get_password()
        && !key.is_empty()
    {
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
    let unavailable = |reason: String| {
        MtError::Keyring(format!("{reason}; set the key in the environment variable {} instead", variable(profile)))
    };
    let entry = entry(profile).map_err(unavailable)?;
    entry.set_password(key).map_err(|e| unavailable(e.to_string()))
}

/// Forgets a profile's key in the keyring (the environment is untouched).
pub fn remove(profile: &str) {
    if let Ok(entry) = entry(profile) {
        let _ = entry.delete_credential();
    }
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
