//! Input errors: what was wrong, where (file, line, column, key) and what was expected.

use std::fmt;
use std::path::{Path, PathBuf};

/// A problem with something the user wrote: a scenario file, a geography CSV, a CLI value.
/// Displayed as a short block that names the file, position, key, expectation and a hint.
#[derive(Debug, Clone, PartialEq)]
pub struct InputError {
    /// The file at fault.
    pub file: PathBuf,
    /// 1-based line, where known.
    pub line: Option<usize>,
    /// 1-based column, where known.
    pub column: Option<usize>,
    /// The key path (`demography.total_fertility`) or CSV column, where known.
    pub key: Option<String>,
    /// What the problem is, or what was expected.
    pub expected: String,
    /// What was found instead, where known.
    pub found: Option<String>,
    /// A suggestion (for example the nearest valid key).
    pub help: Option<String>,
}

impl InputError {
    /// An error about `file` with only a message.
    pub fn new(file: &Path, expected: impl Into<String>) -> InputError {
        InputError {
            file: file.to_path_buf(),
            line: None,
            column: None,
            key: None,
            expected: expected.into(),
            found: None,
            help: None,
        }
    }

    /// Sets the key path.
    pub fn key(mut self, key: impl Into<String>) -> Self {
        self.key = Some(key.into());
        self
    }

    /// Sets what was found.
    pub fn found(mut self, found: impl Into<String>) -> Self {
        self.found = Some(found.into());
        self
    }

    /// Sets a hint.
    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Sets line and column.
    pub fn at(mut self, line: usize, column: usize) -> Self {
        self.line = Some(line);
        self.column = Some(column);
        self
    }

    /// Sets the position from a byte offset into `text`.
    pub fn at_offset(self, text: &str, offset: usize) -> Self {
        let (l, c) = line_col(text, offset);
        self.at(l, c)
    }
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if let Some(l) = self.line {
            write!(f, ":{l}")?;
            if let Some(c) = self.column {
                write!(f, ":{c}")?;
            }
        }
        match &self.key {
            Some(k) => write!(f, ": key `{k}`: ")?,
            None => write!(f, ": ")?,
        }
        write!(f, "expected {}", self.expected)?;
        if let Some(found) = &self.found {
            write!(f, ", found {found}")?;
        }
        if let Some(h) = &self.help {
            write!(f, "\n  help: {h}")?;
        }
        Ok(())
    }
}

impl std::error::Error for InputError {}

/// `bytes` read from `path` as text, or an error at the line and column of the first byte
/// that is not UTF-8.
pub fn utf8<'a>(path: &Path, bytes: &'a [u8]) -> Result<&'a str, InputError> {
    std::str::from_utf8(bytes).map_err(|e| {
        let off = e.valid_up_to();
        InputError::new(path, "UTF-8 text")
            .found(format!("bytes that are not UTF-8 at byte {off}"))
            .at_offset(&String::from_utf8_lossy(bytes), off)
    })
}

/// 1-based line and column (in characters) of a byte offset.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..floor_char_boundary(text, offset)];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Levenshtein edit distance.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.chars().enumerate() {
        cur[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != cb);
            cur[j + 1] = sub.min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

/// The candidate nearest to `word`, if it is close enough to be a likely typo.
pub fn nearest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let limit = (word.chars().count() / 3).max(2);
    candidates
        .into_iter()
        .map(|c| (edit_distance(word, c), c))
        .filter(|&(d, _)| d <= limit)
        .min_by_key(|&(d, c)| (d, c))
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distances_and_suggestions() {
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(
            nearest("demografy", ["geography", "demography", "population"]),
            Some("demography")
        );
        assert_eq!(nearest("zzzzzz", ["geography", "demography"]), None);
    }

    #[test]
    fn line_and_column() {
        let t = "a = 1\nbb = 2\n";
        assert_eq!(line_col(t, 0), (1, 1));
        assert_eq!(line_col(t, 6), (2, 1));
        assert_eq!(line_col(t, 11), (2, 6));
    }

    #[test]
    fn display_names_everything() {
        let e = InputError::new(Path::new("s.toml"), "a share between 0 and 1")
            .key("population.x")
            .found("1.5")
            .at(3, 7)
            .help("did you mean `y`?");
        assert_eq!(
            e.to_string(),
            "s.toml:3:7: key `population.x`: expected a share between 0 and 1, found 1.5\n  help: did you mean `y`?"
        );
    }
}
