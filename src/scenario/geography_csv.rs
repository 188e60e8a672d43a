//! Reading a user's geography CSV: `name,population,jeugdregio,arbeidsmarktregio`, and an
//! optional `code` (the CBS gemeente code, such as GM0363, carried into every per-gemeente
//! output).

use super::error::{InputError, nearest};
use serde::Serialize;
use std::collections::BTreeSet;
use std::path::Path;

/// One gemeente as given in a geography CSV.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct GemeenteRow {
    /// CBS gemeente code (unique), empty where the file has no `code` column.
    pub code: String,
    /// Gemeente name (unique).
    pub name: String,
    /// Inhabitants.
    pub population: u64,
    /// Name of its jeugdregio.
    pub jeugdregio: String,
    /// Name of its arbeidsmarktregio.
    pub arbeidsmarktregio: String,
    /// Its make-up from CBS (the built-in Netherlands only; a user's CSV has none, and its
    /// gemeenten get the scenario's national make-up).
    #[serde(skip)]
    pub profile: Option<super::netherlands::Profile>,
}

const COLUMNS: [&str; 4] = ["name", "population", "jeugdregio", "arbeidsmarktregio"];

/// At most this many gemeenten, as for a synthetic geography (`geography.gemeenten`).
pub const MAX_GEMEENTEN: usize = 2000;
/// At most this many inhabitants in all, as for a synthetic geography (`geography.population`).
pub const MAX_POPULATION: u64 = 100_000_000;

/// Largest geography CSV read, bytes.
pub const MAX_CSV_BYTES: u64 = 16 << 20;

/// Reads and checks a geography CSV. Extra columns are ignored; rows are numbered as lines
/// of the file (the header is line 1).
pub fn read(path: &Path) -> Result<Vec<GemeenteRow>, InputError> {
    let bytes = super::read_limited(path, "a readable geography CSV", MAX_CSV_BYTES)?;
    parse(path, &bytes)
}

/// Parses geography CSV bytes (see [`read`]).
pub fn parse(path: &Path, bytes: &[u8]) -> Result<Vec<GemeenteRow>, InputError> {
    super::error::utf8(path, bytes)?;
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(true)
        .trim(csv::Trim::All)
        .flexible(false)
        .from_reader(bytes);
    let headers = rdr
        .headers()
        .map_err(|e| {
            InputError::new(path, "a CSV header line")
                .found(e.to_string())
                .at(1, 1)
        })?
        .clone();
    let idx = column_indices(path, &headers)?;
    let code_col = headers.iter().position(|h| h == "code");
    let mut rows = Vec::new();
    let mut names = BTreeSet::new();
    let mut codes = BTreeSet::new();
    for rec in rdr.records() {
        let rec = rec.map_err(|e| {
            let line = e.position().map_or(0, |p| p.line() as usize);
            let found = match e.kind() {
                csv::ErrorKind::UnequalLengths {
                    expected_len, len, ..
                } => format!("{len} field(s) where the header has {expected_len}"),
                _ => e.to_string(),
            };
            InputError::new(path, "rows with as many fields as the header")
                .found(found)
                .at(line, 1)
        })?;
        let mut row = read_row(path, &rec, &idx, rows.len(), &mut names)?;
        if let Some(c) = code_col {
            let line = rec.position().map_or(0, |p| p.line() as usize);
            let code = rec.get(c).unwrap_or("");
            let ok = !code.is_empty()
                && code.len() <= 16
                && code.chars().all(|ch| ch.is_ascii_alphanumeric());
            if !ok {
                return Err(InputError::new(
                    path,
                    "a gemeente code of 1-16 ASCII letters and digits, such as GM0363 (or no `code` column)",
                )
                .key("code")
                .found(format!("\"{code}\" for gemeente \"{}\"", row.name))
                .at(line, 1));
            }
            if !codes.insert(code.to_string()) {
                return Err(InputError::new(path, "each gemeente code once")
                    .key("code")
                    .found(format!(
                        "\"{code}\" a second time (gemeente \"{}\")",
                        row.name
                    ))
                    .at(line, 1));
            }
            row.code = code.to_string();
        }
        rows.push(row);
    }
    let total: u64 = rows.iter().map(|r| r.population).sum();
    if total > MAX_POPULATION {
        return Err(InputError::new(
            path,
            "at most 100 000 000 inhabitants in all gemeenten together",
        )
        .key("population")
        .found(format!("{total} in {} rows", rows.len()))
        .at(1, 1));
    }
    if rows.is_empty() {
        return Err(
            InputError::new(path, "at least one gemeente row after the header")
                .found("no rows")
                .at(2, 1),
        );
    }
    Ok(rows)
}

/// Where each of [`COLUMNS`] is in the header (a missing one is an error, with the nearest
/// header name as a hint).
fn column_indices(path: &Path, headers: &csv::StringRecord) -> Result<[usize; 4], InputError> {
    if headers.iter().all(|h| h.is_empty()) {
        return Err(InputError::new(
            path,
            "a header line `name,population,jeugdregio,arbeidsmarktregio`",
        )
        .found("an empty file")
        .at(1, 1));
    }
    let mut idx = [0usize; 4];
    for (i, col) in COLUMNS.iter().enumerate() {
        match headers.iter().position(|h| h == *col) {
            Some(p) => idx[i] = p,
            None => {
                let mut e = InputError::new(
                    path,
                    "the columns name, population, jeugdregio, arbeidsmarktregio",
                )
                .key(*col)
                .found(format!(
                    "no column `{col}` in the header ({})",
                    headers.iter().collect::<Vec<_>>().join(",")
                ))
                .at(1, 1);
                if let Some(n) = nearest(col, headers.iter()) {
                    e = e.help(format!("is `{n}` meant to be `{col}`?"));
                }
                return Err(e);
            }
        }
    }
    Ok(idx)
}

/// One gemeente row, checked: a new non-empty name (`before` rows came first, their names in
/// `names`), a population in range, region names.
fn read_row(
    path: &Path,
    rec: &csv::StringRecord,
    idx: &[usize; 4],
    before: usize,
    names: &mut BTreeSet<String>,
) -> Result<GemeenteRow, InputError> {
    let line = rec.position().map_or(0, |p| p.line() as usize);
    let field = |i: usize| rec.get(idx[i]).unwrap_or("");
    let name = field(0).to_string();
    if name.is_empty() {
        return Err(InputError::new(path, "a non-empty gemeente name")
            .key("name")
            .found("an empty field")
            .at(line, 1));
    }
    if before == MAX_GEMEENTEN {
        return Err(
            InputError::new(path, format!("at most {MAX_GEMEENTEN} gemeente rows"))
                .key("name")
                .found(format!("a row {} (gemeente \"{name}\")", MAX_GEMEENTEN + 1))
                .at(line, 1),
        );
    }
    if !names.insert(name.clone()) {
        return Err(InputError::new(path, "each gemeente name once")
            .key("name")
            .found(format!("\"{name}\" a second time"))
            .at(line, 1));
    }
    let pop_s = field(1);
    let population: u64 = match pop_s.parse() {
        Ok(p) if (1..=MAX_POPULATION).contains(&p) => p,
        _ => {
            return Err(InputError::new(
                path,
                "a whole number of inhabitants between 1 and 100 000 000",
            )
            .key("population")
            .found(format!("\"{pop_s}\" for gemeente \"{name}\""))
            .at(line, 1));
        }
    };
    for (i, col) in [(2, "jeugdregio"), (3, "arbeidsmarktregio")] {
        if field(i).is_empty() {
            return Err(InputError::new(path, "a region name")
                .key(col)
                .found(format!("an empty field for gemeente \"{name}\""))
                .at(line, 1));
        }
    }
    Ok(GemeenteRow {
        code: String::new(),
        name,
        population,
        jeugdregio: field(2).to_string(),
        arbeidsmarktregio: field(3).to_string(),
        profile: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> Result<Vec<GemeenteRow>, InputError> {
        parse(Path::new("g.csv"), s.as_bytes())
    }

    #[test]
    fn reads_rows_and_ignores_extra_columns() {
        let r = p(
            "code,name,population,jeugdregio,arbeidsmarktregio\n1,A,100,J1,R1\n2,B, 200 ,J1,R2\n",
        )
        .unwrap();
        assert_eq!(r.len(), 2);
        assert_eq!(r[1].population, 200);
        assert_eq!((r[0].code.as_str(), r[1].code.as_str()), ("1", "2"));
        let r = p("name,population,jeugdregio,arbeidsmarktregio\nA,100,J1,R1\n").unwrap();
        assert_eq!(r[0].code, "", "no code column, no code");
    }

    #[test]
    fn codes_are_unique_and_plain() {
        let h = "code,name,population,jeugdregio,arbeidsmarktregio\n";
        let e = p(&format!("{h}GM1,A,100,J,R\nGM1,B,100,J,R\n")).unwrap_err();
        assert!(e.to_string().contains("\"GM1\" a second time"), "{e}");
        assert_eq!((e.key.as_deref(), e.line), (Some("code"), Some(3)));
        let e = p(&format!("{h},A,100,J,R\n")).unwrap_err();
        assert!(e.to_string().contains("gemeente code"), "{e}");
        assert!(p(&format!("{h}GM 1,A,100,J,R\n")).is_err());
    }

    #[test]
    fn bad_rows_name_their_line() {
        let e =
            p("name,population,jeugdregio,arbeidsmarktregio\nA,100,J,R\nB,-5,J,R\n").unwrap_err();
        assert_eq!(e.line, Some(3));
        assert_eq!(e.key.as_deref(), Some("population"));
        let e =
            p("name,population,jeugdregio,arbeidsmarktregio\nA,100,J,R\nA,5,J,R\n").unwrap_err();
        assert!(e.to_string().contains("\"A\" a second time"), "{e}");
        let e = p("name,populaton,jeugdregio,arbeidsmarktregio\nA,100,J,R\n").unwrap_err();
        assert!(e.to_string().contains("`populaton`"), "{e}");
        let e = p("").unwrap_err();
        assert!(e.to_string().contains("empty file"), "{e}");
        let e = p("name,population,jeugdregio,arbeidsmarktregio\nA,100,,R\n").unwrap_err();
        assert_eq!(e.key.as_deref(), Some("jeugdregio"));
    }
}
