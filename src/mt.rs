//! Machine translation and LLM assistance over HTTP: DeepL, Google Cloud
//! Translation (v2), LibreTranslate and any OpenAI-compatible chat endpoint
//! (Ollama, llama.cpp server, vLLM, hosted services).
//!
//! Nothing is sent unless the user created and enabled a profile for the
//! service; keys come from the OS keyring or `VERSO_<PROFILE>_KEY`
//! ([`keys`]), never from the project file or settings, and no error
//! message carries a key (Google's goes in a header, not the URL).

pub mod keys;
pub mod profile;
mod providers;

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use serde::{Deserialize, Serialize};

pub use profile::{Profile, ProviderKind, Settings};

#[derive(Debug, thiserror::Error)]
pub enum MtError {
    #[error("no machine-translation profile named \"{0}\"")]
    NoSuchProfile(String),
    #[error("the profile \"{0}\" is switched off; enable it in Settings before sending text to it")]
    Disabled(String),
    #[error("{0}")]
    Invalid(String),
    #[error(
        "\"{profile}\" needs an API key: set it in Settings (stored in the system keyring) or in the environment variable {variable}"
    )]
    NoKey { profile: String, variable: String },
    #[error("{profile}: the service refused the API key (HTTP {status}); check it in Settings")]
    Auth { profile: String, status: u16 },
    #[error("{profile}: the account's quota or character limit is used up (HTTP {status})")]
    Quota { profile: String, status: u16 },
    #[error("{profile}: HTTP {status} from {url}: {detail}")]
    Http { profile: String, status: u16, url: String, detail: String },
    #[error("{profile}: could not reach {url}: {detail}")]
    Network { profile: String, url: String, detail: String },
    #[error("{profile}: the answer from {url} is not what the service documents: {detail}")]
    Malformed { profile: String, url: String, detail: String },
    #[error("cancelled; nothing was written")]
    Cancelled,
    #[error("the system keyring: {0}")]
    Keyring(String),
    #[error("{path}: {detail}")]
    Settings { path: std::path::PathBuf, detail: String },
}

/// What is to be translated, with what helps: glossary terms (for
/// providers that take them in a prompt) and neighbouring sentences.
#[derive(Debug, Clone, Default)]
pub struct Request {
    pub source_lang: String,
    pub target_lang: String,
    pub texts: Vec<String>,
    /// (source term, target term) pairs found in the texts.
    pub glossary: Vec<(String, String)>,
    /// The sentence before and after each text, for LLM prompts.
    pub context: Vec<(Option<String>, Option<String>)>,
}

/// What a batch would send, shown before it starts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
pub struct Estimate {
    pub profile: String,
    pub provider: ProviderKind,
    /// Where the text goes.
    pub url: String,
    pub segments: u32,
    pub characters: u32,
    pub requests: u32,
}

/// How requests are retried: on 429 and 5xx, waiting `Retry-After` when the
/// service says (capped), else doubling from `first_wait`.
#[derive(Debug, Clone, Copy)]
pub struct RetryPolicy {
    pub attempts: u32,
    pub first_wait: Duration,
    pub longest_wait: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy { attempts: 4, first_wait: Duration::from_millis(500), longest_wait: Duration::from_secs(30) }
    }
}

/// A client for one profile: the HTTP client (with the profile's timeout),
/// the key, the retry policy.
pub struct Client {
    http: reqwest::Client,
    profile: Profile,
    key: Option<String>,
    retry: RetryPolicy,
}

impl Client {
    /// Refuses a disabled profile and one that needs a key without it.
    pub fn new(profile: &Profile, key: Option<String>) -> Result<Client, MtError> {
        if !profile.enabled {
            return Err(MtError::Disabled(profile.name.clone()));
        }
        if profile.kind.needs_key() && key.is_none() {
            return Err(MtError::NoKey { profile: profile.name.clone(), variable: keys::variable(&profile.name) });
        }
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(u64::from(profile.timeout_secs.max(1))))
            .user_agent(concat!("Verso/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| MtError::Invalid(format!("cannot set up HTTP: {}", e.without_url())))?;
        Ok(Client { http, profile: profile.clone(), key, retry: RetryPolicy::default() })
    }

    pub fn with_retry(mut self, retry: RetryPolicy) -> Client {
        self.retry = retry;
        self
    }

    pub fn profile(&self) -> &Profile {
        &self.profile
    }

    /// How many requests a batch of `texts` takes with this provider.
    pub fn requests_for(&self, texts: &[String]) -> u32 {
        providers::batches(&self.profile, texts).len() as u32
    }

    /// Translates every text, batch by batch within the provider's limits;
    /// `progress` gets (texts done, texts in all) and `cancel` is looked at
    /// between batches and while waiting to retry.
    pub async fn translate(
        &self,
        request: &Request,
        cancel: &AtomicBool,
        progress: &mut (dyn FnMut(usize, usize) + Send),
    ) -> Result<Vec<String>, MtError> {
        let mut out = Vec::with_capacity(request.texts.len());
        let total = request.texts.len();
        for range in providers::batches(&self.profile, &request.texts) {
            if cancel.load(Ordering::SeqCst) {
                return Err(MtError::Cancelled);
            }
            let texts = providers::translate_batch(self, request, range.clone(), cancel).await?;
            if texts.len() != range.len() {
                return Err(self.malformed(format!(
                    "{} texts sent, {} translations received",
                    range.len(),
                    texts.len()
                )));
            }
            out.extend(texts);
            progress(out.len(), total);
        }
        Ok(out)
    }

    /// Translates "Good morning." from English: proves URL, key and model.
    pub async fn test(&self, target_lang: &str) -> Result<String, MtError> {
        let request = Request {
            source_lang: "en".into(),
            target_lang: target_lang.into(),
            texts: vec!["Good morning.".into()],
            ..Request::default()
        };
        let texts = self.translate(&request, &AtomicBool::new(false), &mut |_, _| {}).await?;
        Ok(texts.into_iter().next().unwrap_or_default())
    }

    /// One chat completion (OpenAI-compatible profiles only): for drafts.
    pub async fn chat(&self, system: &str, user: &str, cancel: &AtomicBool) -> Result<String, MtError> {
        providers::chat(self, system, user, cancel).await
    }

    fn malformed(&self, detail: String) -> MtError {
        MtError::Malformed { profile: self.profile.name.clone(), url: self.profile.url.clone(), detail }
    }

    /// Sends a request built by `build`, retrying per the policy, and
    /// returns the body of a successful answer.
    async fn send(
        &self,
        build: impl Fn(&reqwest::Client) -> reqwest::RequestBuilder,
        cancel: &AtomicBool,
    ) -> Result<String, MtError> {
        let profile = &self.profile.name;
        let mut wait = self.retry.first_wait;
        for attempt in 1..=self.retry.attempts {
            let answer = build(&self.http).send().await;
            let retry_after = match answer {
                Err(error) => {
                    let transient = error.is_timeout() || error.is_connect();
                    let detail = if error.is_timeout() {
                        format!("no answer within {} s", self.profile.timeout_secs)
                    } else {
                        error.without_url().to_string()
                    };
                    if attempt == self.retry.attempts || !transient {
                        return Err(MtError::Network {
                            profile: profile.clone(),
                            url: self.profile.url.clone(),
                            detail,
                        });
                    }
                    None
                }
                Ok(response) => {
                    let status = response.status().as_u16();
                    let retry_after = response
                        .headers()
                        .get(reqwest::header::RETRY_AFTER)
                        .and_then(|v| v.to_str().ok())
                        .and_then(|v| v.trim().parse::<u64>().ok())
                        .map(Duration::from_secs);
                    let body = response.text().await.map_err(|e| MtError::Network {
                        profile: profile.clone(),
                        url: self.profile.url.clone(),
                        detail: e.without_url().to_string(),
                    })?;
                    match status {
                        200..=299 => return Ok(body),
                        401 | 403 if !body.to_ascii_lowercase().contains("quota") => {
                            return Err(MtError::Auth { profile: profile.clone(), status });
                        }
                        403 | 456 => return Err(MtError::Quota { profile: profile.clone(), status }),
                        429 | 500 | 502 | 503 | 504 if attempt < self.retry.attempts => retry_after,
                        _ => {
                            return Err(MtError::Http {
                                profile: profile.clone(),
                                status,
                                url: self.profile.url.clone(),
                                detail: excerpt(&body),
                            });
                        }
                    }
                }
            };
            let pause = retry_after.unwrap_or(wait).min(self.retry.longest_wait);
            wait = (wait * 2).min(self.retry.longest_wait);
            let until = tokio::time::Instant::now() + pause;
            while tokio::time::Instant::now() < until {
                if cancel.load(Ordering::SeqCst) {
                    return Err(MtError::Cancelled);
                }
                tokio::time::sleep(Duration::from_millis(50).min(until - tokio::time::Instant::now())).await;
            }
        }
        Err(MtError::Network { profile: profile.clone(), url: self.profile.url.clone(), detail: "gave up".into() })
    }
}

/// The start of an error body, on one line, for messages.
fn excerpt(body: &str) -> String {
    let line: String = body.split_whitespace().collect::<Vec<_>>().join(" ");
    if line.chars().count() > 200 { format!("{}…", line.chars().take(200).collect::<String>()) } else { line }
}
