//! Hunspell dictionaries on disk: where a language's `.aff`/`.dic` pair
//! is found, and reading it in the encoding its `.aff` declares. Verso
//! ships none (the common ones are GPL): the system's packages
//! (`hunspell-en-us`, `hunspell-es`, …) and any pair a user drops into the
//! settings folder's `dictionaries`.

use std::path::{Path, PathBuf};

use crate::lang::LangTag;
use crate::spelling::{Speller, SpellingError};

#[derive(Debug, thiserror::Error)]
pub enum HunspellError {
    #[error("{path}: cannot read the dictionary: {source}")]
    Read { path: PathBuf, source: std::io::Error },
    #[error("{path}: {source}")]
    Invalid { path: PathBuf, source: SpellingError },
    #[error("{path}: the dictionary declares encoding “{name}”, which Verso cannot read")]
    Encoding { path: PathBuf, name: String },
}

/// Where dictionaries are looked for, first match wins:
/// `VERSO_DICTIONARIES` (folders separated by `:`), the user's own folder,
/// then the system's.
pub fn folders(user: Option<&Path>) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> =
        std::env::var_os("VERSO_DICTIONARIES").map(|v| std::env::split_paths(&v).collect()).unwrap_or_default();
    out.extend(user.map(Path::to_path_buf));
    out.extend(["/usr/share/hunspell", "/usr/share/myspell/dicts", "/usr/share/myspell"].map(PathBuf::from));
    out
}

/// The `.aff` file for `lang` in `folders`: its own region first
/// (`es-MX` → `es_MX`), then the language's usual one (`es` → `es_ES`),
/// then the language alone, then any region of it.
pub fn find(lang: &LangTag, folders: &[PathBuf]) -> Option<PathBuf> {
    let primary = lang.primary().to_lowercase();
    let region = lang.as_str().split(['-', '_']).nth(1).filter(|r| r.len() == 2).map(str::to_uppercase);
    let usual = match primary.as_str() {
        "en" => "US",
        "pt" => "PT",
        "zh" => "CN",
        _ => "",
    };
    let usual = if usual.is_empty() { primary.to_uppercase() } else { usual.to_string() };
    let mut names: Vec<String> = region.iter().map(|r| format!("{primary}_{r}")).collect();
    names.extend([format!("{primary}_{usual}"), primary.clone()]);
    for name in &names {
        for folder in folders {
            let aff = folder.join(format!("{name}.aff"));
            if aff.is_file() && aff.with_extension("dic").is_file() {
                return Some(aff);
            }
        }
    }
    // Any region: "de" finds de_AT when de_DE is not installed.
    folders.iter().find_map(|folder| {
        let mut found: Vec<PathBuf> = std::fs::read_dir(folder)
            .ok()?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| {
                p.extension().is_some_and(|e| e == "aff")
                    && p.file_stem().is_some_and(|s| s.to_string_lossy().starts_with(&format!("{primary}_")))
                    && p.with_extension("dic").is_file()
            })
            .collect();
        found.sort();
        found.into_iter().next()
    })
}

/// Reads the pair whose `.aff` is `aff`.
pub fn load(aff: &Path) -> Result<Speller, HunspellError> {
    let dic = aff.with_extension("dic");
    let aff_text = read(aff, None)?;
    let encoding = aff_text.lines().find_map(|l| l.trim().strip_prefix("SET ")).map(|e| e.trim().to_string());
    let aff_text = match encoding.as_deref() {
        Some(name) if !name.eq_ignore_ascii_case("UTF-8") => read(aff, Some(name))?,
        _ => aff_text,
    };
    let dic_text = read(&dic, encoding.as_deref())?;
    Speller::new(&aff_text, &dic_text).map_err(|source| HunspellError::Invalid { path: aff.to_path_buf(), source })
}

/// A file's text in `encoding` (UTF-8 when none is declared).
fn read(path: &Path, encoding: Option<&str>) -> Result<String, HunspellError> {
    let bytes = std::fs::read(path).map_err(|source| HunspellError::Read { path: path.to_path_buf(), source })?;
    let label = encoding.unwrap_or("UTF-8");
    let Some(encoding) = encoding_rs::Encoding::for_label(label.as_bytes()) else {
        return Err(HunspellError::Encoding { path: path.to_path_buf(), name: label.to_string() });
    };
    Ok(encoding.decode_with_bom_removal(&bytes).0.into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_language_finds_its_region_its_usual_region_or_any() {
        let dir = tempfile::tempdir().expect("dir");
        let pair = |name: &str| {
            std::fs::write(dir.path().join(format!("{name}.aff")), "SET UTF-8\n").expect("aff");
            std::fs::write(dir.path().join(format!("{name}.dic")), "1\nhola\n").expect("dic");
        };
        pair("es_ES");
        pair("es_MX");
        pair("de_AT");
        let folders = [dir.path().to_path_buf()];
        let found = |tag: &str| {
            find(&tag.parse().expect("tag"), &folders).map(|p| p.file_stem().expect("stem").to_string_lossy().into())
        };
        assert_eq!(found("es-MX"), Some("es_MX".to_string()));
        assert_eq!(found("es"), Some("es_ES".to_string()));
        assert_eq!(found("es-AR"), Some("es_ES".to_string()));
        assert_eq!(found("de"), Some("de_AT".to_string()));
        assert_eq!(found("fr"), None::<String>);
    }

    #[test]
    fn a_declared_latin1_dictionary_is_decoded() {
        let dir = tempfile::tempdir().expect("dir");
        let aff = dir.path().join("xx_XX.aff");
        std::fs::write(&aff, "SET ISO8859-1\n").expect("aff");
        std::fs::write(aff.with_extension("dic"), b"1\nacci\xf3n\n").expect("dic");
        assert!(load(&aff).expect("load").knows("acción"));
        std::fs::write(&aff, "SET KOI-9\n").expect("aff");
        let error = load(&aff).err().map(|e| e.to_string()).expect("unknown encoding");
        assert!(error.contains("xx_XX.aff") && error.contains("KOI-9"), "{error}");
    }
}
