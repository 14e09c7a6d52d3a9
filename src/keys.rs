//! Secrets in the operating system's keyring: machine-translation API keys
//! and team projects' Git tokens. On Linux the desktop's Secret Service
//! (GNOME Keyring, KWallet) over D-Bus, which keeps them across logins;
//! where there is no session bus, the kernel's key retention service
//! (keyutils), which needs no daemon but forgets at logout. Secrets are
//! never written anywhere else and never put into messages; callers fall
//! back to environment variables for headless machines and CI.

use std::sync::OnceLock;

/// Why a secret could not be stored.
#[derive(Debug, Clone, thiserror::Error)]
#[error("the system keyring: {0}")]
pub struct KeyringError(pub String);

/// Which store keeps secrets on this machine.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Store {
    /// The desktop's Secret Service (GNOME Keyring, KWallet): kept across
    /// logins and restarts.
    Desktop,
    /// The kernel's key retention service: forgotten at logout.
    Kernel,
}

impl Store {
    /// Where a secret is kept, in words for the settings and the command line.
    pub fn describe(self) -> &'static str {
        match self {
            Store::Desktop => "the desktop keyring (Secret Service), kept across restarts",
            Store::Kernel => "the kernel keyring, forgotten at logout (no desktop keyring is running)",
        }
    }
}

/// The store in use, set up once; `Err` says why there is none.
pub fn store() -> Result<Store, KeyringError> {
    keyring()
}

/// Sets up the keyring store once; `Err` says why there is none.
fn keyring() -> Result<Store, KeyringError> {
    static READY: OnceLock<Result<Store, String>> = OnceLock::new();
    READY
        .get_or_init(|| {
            #[cfg(target_os = "linux")]
            {
                match zbus_secret_service_keyring_store::Store::new() {
                    Ok(store) => {
                        keyring_core::set_default_store(store);
                        Ok(Store::Desktop)
                    }
                    Err(_) => {
                        keyring_core::set_default_store(
                            linux_keyutils_keyring_store::Store::new().map_err(|e| e.to_string())?,
                        );
                        Ok(Store::Kernel)
                    }
                }
            }
            #[cfg(not(target_os = "linux"))]
            {
                Err("no keyring store is built in for this system".to_string())
            }
        })
        .clone()
        .map_err(KeyringError)
}

fn entry(service: &str, account: &str) -> Result<keyring_core::Entry, KeyringError> {
    keyring()?;
    keyring_core::Entry::new(service, account).map_err(|e| KeyringError(e.to_string()))
}

/// The secret stored for `account` of `service`, if there is one.
pub fn get(service: &str, account: &str) -> Option<String> {
    let secret = entry(service, account).ok()?.get_password().ok()?;
    (!secret.is_empty()).then_some(secret)
}

/// Stores a secret, replacing any earlier one.
pub fn set(service: &str, account: &str, secret: &str) -> Result<(), KeyringError> {
    entry(service, account)?.set_password(secret).map_err(|e| KeyringError(e.to_string()))
}

/// Forgets a secret; forgetting one that is not there is not an error.
pub fn remove(service: &str, account: &str) {
    if let Ok(entry) = entry(service, account) {
        let _ = entry.delete_credential();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_secret_set_is_read_back_and_forgotten() {
        let account = format!("verso-test-{}", std::process::id());
        let service = "org.verso.workbench.test";
        if let Err(error) = set(service, &account, "s3cret") {
            // Containers may forbid the keyutils system calls.
            println!("SKIPPED: no usable keyring on this machine ({error})");
            return;
        }
        assert_eq!(get(service, &account).as_deref(), Some("s3cret"));
        assert_eq!(get("org.verso.workbench.other", &account), None, "services are apart");
        remove(service, &account);
        assert_eq!(get(service, &account), None);
    }
}
