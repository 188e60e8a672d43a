//! Scenario files: TOML in, a validated [`Scenario`] out.
//!
//! Two stages, as in ripgrep's low/high arguments:
//! 1. **Raw**: each file is read and parsed on its own (syntax, non-UTF-8), `extends` chains are
//!    followed (cycles and missing files rejected), and the layers are merged over the built-in
//!    `scenarios/reference.toml`. The merged table is read into [`Params`], which rejects
//!    unknown keys, wrong types and values out of range, each reported at the file, line and
//!    key where it was written.
//! 2. **Validated**: cross-field checks (end after start, shares summing to 1, dated values
//!    covering the start, regions fewer than gemeenten) and references to other files (the
//!    geography CSV) are resolved. After this the model cannot receive an invalid scenario.
//!
//! Architecture invariant: this module reads files but never writes, prints or exits.

pub mod branch;
pub mod error;
pub mod geography_csv;
pub mod netherlands;
pub mod params;
pub mod types;

pub use error::InputError;
pub use geography_csv::GemeenteRow;
pub use params::Params;

use crate::engine::Month;
use params::{GeographyKind, Purchasing, SYNTHETIC_GEOGRAPHY_KEYS};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use toml::de::{DeTable, DeValue};
use toml::{Spanned, Table, Value};

/// The built-in defaults: every scenario extends these.
pub const REFERENCE_TOML: &str = include_str!("../../scenarios/reference.toml");
const REFERENCE_NAME: &str = "scenarios/reference.toml (built-in defaults)";

/// Each key of `reference.toml` (dotted) with the comment that documents it: the comment block
/// right above it, or above the group of keys it belongs to (keys on consecutive lines share
/// the comment above the first).
pub fn reference_notes() -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let (mut table, mut comment, mut group) = (String::new(), String::new(), String::new());
    let mut in_array = false;
    for line in REFERENCE_TOML.lines() {
        let t = line.trim();
        if in_array {
            in_array = !t.starts_with(']');
            continue;
        }
        if t.is_empty() {
            comment.clear();
            group.clear();
        } else if let Some(c) = t.strip_prefix('#') {
            comment.push_str(c.trim());
            comment.push(' ');
        } else if t.starts_with('[') {
            table = t.trim_matches(['[', ']']).trim().to_string();
            comment.clear();
            group.clear();
        } else if let Some((k, v)) = t.split_once('=') {
            if !comment.is_empty() {
                group = std::mem::take(&mut comment);
            }
            let k = k.trim().trim_matches('"');
            let key = if table.is_empty() {
                k.to_string()
            } else {
                format!("{table}.{k}")
            };
            out.insert(key, group.trim().to_string());
            let v = v.trim();
            in_array = v.starts_with('[') && !v.ends_with(']');
        }
    }
    out
}

/// Keys that belong to the whole scenario and may not differ between variants, because
/// variants are compared replication by replication with the same seeds.
pub const RUN_KEYS: [&str; 7] = [
    "seed",
    "replications",
    "start",
    "end",
    "warmup_months",
    "scale",
    "name",
];

/// A validated scenario: run settings shared by all variants, and the variants.
#[derive(Clone, Debug)]
pub struct Scenario {
    /// The file it was read from.
    pub file: PathBuf,
    /// Name (results directory).
    pub name: String,
    /// One-line description.
    pub description: String,
    /// Seed of replication 0.
    pub seed: u64,
    /// Replications per variant.
    pub replications: u32,
    /// First month simulated.
    pub start: Month,
    /// Last month simulated.
    pub end: Month,
    /// Months simulated before `start` (the warm-up; nothing recorded).
    pub warmup_months: u32,
    /// Agents per inhabitant.
    pub scale: f64,
    /// At least one; the first is the reference variant.
    pub variants: Vec<Variant>,
}

/// One variant: a name and its fully resolved parameters.
#[derive(Clone, Debug)]
pub struct Variant {
    /// `default` when the file declares no variants or a variant has no name.
    pub name: String,
    /// Description of the variant.
    pub description: String,
    /// The resolved parameters (run settings included, equal across variants).
    pub params: Params,
    /// Where the gemeenten come from.
    pub geography: GeographySource,
    /// The month from which this variant runs with its own parameters; before it, with the
    /// reference variant's (the first). `None` for the reference and for variants whose
    /// parameters equal it in every simulated month. See [`branch`].
    pub branch: Option<Month>,
    /// The variant whose starting state (population, limitation histories, warm-up) this one
    /// shares, and whose run it leaves at `branch`: 0, the scenario's first, for the variants of
    /// a scenario file; a design point's own first variant in a sensitivity or calibration
    /// design ([`crate::design`]), so that each point starts from its own parameters.
    pub group: usize,
}

/// Where a variant's gemeenten come from.
#[derive(Clone, Debug)]
pub enum GeographySource {
    /// The built-in 355 gemeenten of 2019 with their CBS profiles (`geography.kind =
    /// "netherlands-2019"`, the default), inhabitants scaled to `geography.population`.
    Netherlands {
        /// One row per gemeente (shared: the variants of a scenario and the points of a design
        /// hold one copy).
        rows: std::sync::Arc<Vec<GemeenteRow>>,
    },
    /// The synthetic Netherlands described by `[geography]`.
    Synthetic,
    /// Rows read from a CSV file.
    File {
        /// The resolved path.
        path: PathBuf,
        /// One row per gemeente (shared, as above).
        rows: std::sync::Arc<Vec<GemeenteRow>>,
    },
}

/// Settings given on the command line that replace the file's.
#[derive(Clone, Copy, Debug, Default)]
pub struct Overrides {
    /// `--scale`.
    pub scale: Option<f64>,
    /// `--seed`.
    pub seed: Option<u64>,
    /// `--reps`.
    pub replications: Option<u32>,
}

impl Scenario {
    /// Every month simulated, in order.
    pub fn months(&self) -> impl Iterator<Item = Month> {
        self.start.range_inclusive(self.end)
    }

    /// Number of months simulated.
    pub fn n_months(&self) -> u32 {
        self.start.months_until(self.end) + 1
    }

    /// Applies command-line overrides, checking their ranges.
    pub fn apply(&mut self, o: Overrides) -> Result<(), InputError> {
        let cli = Path::new("<command line>");
        if let Some(s) = o.scale {
            if !(s.is_finite() && s > 0.0 && s <= 1.0) {
                return Err(InputError::new(cli, types::Scale::EXPECTED)
                    .key("--scale")
                    .found(s.to_string()));
            }
            if let Err(expected) = self.check_scale(s) {
                return Err(InputError::new(cli, expected)
                    .key("--scale")
                    .found(s.to_string()));
            }
            self.scale = s;
        }
        if let Some(s) = o.seed {
            self.seed = s;
        }
        if let Some(r) = o.replications {
            if !(1..=10_000).contains(&r) {
                return Err(
                    InputError::new(cli, "a number of replications between 1 and 10000")
                        .key("--reps")
                        .found(r.to_string()),
                );
            }
            check_runs(self.variants.len(), r, cli, "--reps")?;
            self.replications = r;
        }
        for v in &mut self.variants {
            v.params.scale = types::Scale(self.scale);
            v.params.seed = self.seed;
            v.params.replications = self.replications;
        }
        Ok(())
    }

    /// The resolved scenario as JSON (every variant's parameters), for manifests.
    pub fn resolved_json(&self) -> serde_json::Value {
        let mut j = self.settings_json();
        j["variants"] = self
            .variants
            .iter()
            .map(|v| {
                serde_json::json!({
                    "name": v.name,
                    "description": v.description,
                    "params": serde_json::to_value(&v.params).unwrap_or(serde_json::Value::Null),
                    "geography_rows": match &v.geography {
                        GeographySource::Synthetic | GeographySource::Netherlands { .. } => serde_json::Value::Null,
                        GeographySource::File { rows, .. } => serde_json::to_value(&**rows).unwrap_or(serde_json::Value::Null),
                    },
                })
            })
            .collect();
        j
    }

    /// [`Scenario::resolved_json`] with no variants (`"variants": []`).
    fn settings_json(&self) -> serde_json::Value {
        serde_json::json!({
            "name": self.name,
            "description": self.description,
            "file": self.file.display().to_string(),
            "seed": self.seed,
            "replications": self.replications,
            "start": self.start.to_string(),
            "end": self.end.to_string(),
            "scale": self.scale,
            "variants": [],
        })
    }

    /// A stable 64-bit hash (FNV-1a, hex) of the resolved scenario, excluding the file path.
    /// Two runs with equal hashes simulated the same thing.
    ///
    /// The hashed text is [`Scenario::resolved_json`] less `file`, as compact JSON, but it is
    /// made variant by variant (in parallel, each geography's rows written once), so that a
    /// design of thousands of points is hashed in a moment and without holding its whole JSON.
    pub fn hash(&self) -> String {
        use rayon::prelude::*;
        let mut settings = self.settings_json();
        if let Some(o) = settings.as_object_mut() {
            o.remove("file");
        }
        let settings = settings.to_string();
        // Keys are written in order, and `variants` comes last.
        let head = settings
            .strip_suffix("[]}")
            .expect("`variants` is the last key of the scenario's JSON");
        let mut rows: Vec<(&std::sync::Arc<Vec<GemeenteRow>>, String)> = Vec::new();
        for v in &self.variants {
            if let GeographySource::File { rows: r, .. } = &v.geography
                && !rows.iter().any(|(p, _)| std::sync::Arc::ptr_eq(p, r))
            {
                let text = serde_json::to_value(&**r)
                    .unwrap_or(serde_json::Value::Null)
                    .to_string();
                rows.push((r, text));
            }
        }
        let rows_of = |v: &Variant| match &v.geography {
            GeographySource::File { rows: r, .. } => rows
                .iter()
                .find(|(p, _)| std::sync::Arc::ptr_eq(p, r))
                .map_or("null", |(_, t)| t.as_str()),
            _ => "null",
        };
        let text = |s: &str| serde_json::Value::from(s).to_string();
        let variants: Vec<String> = self
            .variants
            .par_iter()
            .map(|v| {
                format!(
                    "{{\"description\":{},\"geography_rows\":{},\"name\":{},\"params\":{}}}",
                    text(&v.description),
                    rows_of(v),
                    text(&v.name),
                    serde_json::to_value(&v.params).unwrap_or(serde_json::Value::Null)
                )
            })
            .collect();
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        let mut feed = |s: &str| {
            for b in s.bytes() {
                h ^= u64::from(b);
                h = h.wrapping_mul(0x0100_0000_01b3);
            }
        };
        feed(head);
        feed("[");
        for (i, v) in variants.iter().enumerate() {
            if i > 0 {
                feed(",");
            }
            feed(v);
        }
        feed("]}");
        format!("{h:016x}")
    }
}

/// Where a key was written: for error messages.
#[derive(Clone, Debug)]
struct Origin {
    file: PathBuf,
    key_pos: (usize, usize),
    value_pos: (usize, usize),
    /// The key as the user wrote it (`variant[1].demography.x` for a variant key).
    shown: String,
    /// Whether the value is a table: tables merge key by key, so writing one leaves the
    /// origins of the keys below it (the defaults it does not set) in place.
    table: bool,
}

impl Origin {
    /// Whether this is a built-in default (reference.toml), not a key of the user's files.
    fn is_default(&self) -> bool {
        self.file == Path::new(REFERENCE_NAME)
    }
}

/// Key path -> where it was last written.
#[derive(Clone, Debug, Default)]
struct Provenance {
    map: BTreeMap<String, Origin>,
}

impl Provenance {
    fn insert(&mut self, path: String, o: Origin) {
        if o.table {
            self.map.insert(path, o);
            return;
        }
        // A new value replaces everything below the old one (an array replaced by a scalar).
        let stale: Vec<String> = self
            .map
            .range(path.clone()..)
            .take_while(|(k, _)| k.starts_with(&path))
            .filter(|(k, _)| k.len() > path.len() && (k[path.len()..].starts_with(['.', '['])))
            .map(|(k, _)| k.clone())
            .collect();
        for k in stale {
            self.map.remove(&k);
        }
        self.map.insert(path, o);
    }

    fn overlay(&mut self, other: &Provenance) {
        for (k, o) in &other.map {
            self.insert(k.clone(), o.clone());
        }
    }

    /// The origin of `path`, or of its nearest written ancestor, or of a written descendant
    /// (preferring files over the built-in reference).
    fn find(&self, path: &str) -> Option<&Origin> {
        if let Some(o) = self.map.get(path) {
            return Some(o);
        }
        let below: Vec<&Origin> = self
            .map
            .range(path.to_string()..)
            .take_while(|(k, _)| k.starts_with(path))
            .map(|(_, o)| o)
            .collect();
        if let Some(o) = below.iter().find(|o| !o.is_default()).or(below.first()) {
            return Some(o);
        }
        let mut p = path;
        while let Some(i) = p.rfind(['.', '[']) {
            p = &p[..i];
            if let Some(o) = self.map.get(p) {
                return Some(o);
            }
        }
        None
    }
}

/// One parsed file of an `extends` chain.
#[derive(Clone)]
struct Layer {
    file: PathBuf,
    table: Table,
    prov: Provenance,
    variants: Vec<(Table, Provenance)>,
}

/// Reads, merges and validates a scenario file.
pub fn load(path: &Path) -> Result<Scenario, InputError> {
    load_from(path, None)
}

/// Like [`load`], with the scenario file's contents given as `bytes` instead of read from
/// `path`; files it names (`extends`, `geography.file`) are still read relative to `path`.
/// Used by the fuzz targets (fuzz/) and by anything that holds a scenario in memory.
pub fn load_bytes(path: &Path, bytes: &[u8]) -> Result<Scenario, InputError> {
    load_from(path, Some(bytes))
}

/// The built-in `reference.toml`, parsed once per process.
fn reference_layer() -> Layer {
    static REFERENCE: std::sync::OnceLock<Layer> = std::sync::OnceLock::new();
    REFERENCE
        .get_or_init(|| {
            parse_layer(Path::new(REFERENCE_NAME), REFERENCE_TOML.to_string())
                .unwrap_or_else(|e| panic!("the built-in reference.toml must parse: {e}"))
        })
        .clone()
}

fn load_from(path: &Path, bytes: Option<&[u8]>) -> Result<Scenario, InputError> {
    let reference = reference_layer();
    let mut chain = Vec::new();
    load_chain(path, bytes, &mut Vec::new(), &mut chain)?;

    let mut merged = reference.table;
    let mut prov = reference.prov;
    for layer in &chain {
        deep_merge(&mut merged, &layer.table);
        prov.overlay(&layer.prov);
    }
    let base = read_params(&merged, &prov, path)?;
    let file = path.to_path_buf();
    // The name is the file's own, never inherited through `extends` (a file that extends the
    // baseline without a name would write into the baseline's results); else its file name.
    let own_name = chain
        .last()
        .and_then(|l| l.table.get("name"))
        .and(base.name.as_ref());
    let name = match own_name {
        Some(n) => n.clone(),
        None => path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| "scenario".into()),
    };
    check_name(&name, &prov, "name", path)?;
    let start = base.start.0;
    let end = base.end.0;

    // Variants come from the nearest file that declares any.
    let declared = chain
        .iter()
        .rev()
        .find(|l| !l.variants.is_empty())
        .map(|l| (l.file.clone(), &l.variants));
    let mut variants = Vec::new();
    match declared {
        None => {
            validate(&base, &merged, &prov, path)?;
            let geography = load_geography(&base, &prov)?;
            check_local(&base, &geography, &prov, path)?;
            variants.push(Variant {
                name: "default".into(),
                description: base.description.clone(),
                params: base.clone(),
                geography,
                branch: None,
                group: 0,
            });
        }
        Some((vfile, vs)) => {
            if vs.len() > MAX_VARIANTS {
                return Err(InputError::new(
                    &vfile,
                    format!("at most {MAX_VARIANTS} variants in a scenario"),
                )
                .key("variant")
                .found(format!("{} variants", vs.len())));
            }
            for (i, (vt, vprov)) in vs.iter().enumerate() {
                let base = (&merged, &prov, base.description.as_str());
                let mut v = read_variant(i, vt, vprov, &vfile, base, &variants)?;
                // Every variant starts from the reference's (the first's) state and leaves it
                // in its branch month.
                if let Some(first) = variants.first() {
                    let d = branch::divergences(&first.params, &v.params);
                    same_start(&d, i, vprov, &vfile)?;
                    v.branch = branch::branch(&d, start, end);
                }
                variants.push(v);
            }
        }
    }
    check_runs(variants.len(), base.replications, &file, "replications")?;
    let scenario = Scenario {
        file,
        name,
        description: base.description.clone(),
        seed: base.seed,
        replications: base.replications,
        start,
        end,
        warmup_months: base.warmup_months,
        scale: base.scale.get(),
        variants,
    };
    if let Err(expected) = scenario.check_scale(scenario.scale) {
        return Err(
            at(prov.find("scale"), path, &expected, "scale").found(scenario.scale.to_string())
        );
    }
    Ok(scenario)
}

/// Fewest agents a scenario's geography may have at its scale: with fewer, most gemeenten hold
/// nobody and national figures are sampling noise (issue #20: 1e-9 gave 732 000 000 000
/// inhabitants, 1e-320 NaN).
pub const MIN_AGENTS: f64 = 5_000.0;

impl Scenario {
    /// Inhabitants of the scenario's geography (all variants share it).
    pub fn inhabitants(&self) -> u64 {
        match self.variants.first().map(|v| &v.geography) {
            Some(GeographySource::File { rows, .. } | GeographySource::Netherlands { rows }) => {
                rows.iter().map(|r| r.population).sum()
            }
            Some(GeographySource::Synthetic) => self.variants[0].params.geography.population,
            None => 0,
        }
    }

    /// Refuses a scale at which the geography has fewer than [`MIN_AGENTS`] agents; the
    /// error says what is expected, naming the smallest usable scale.
    pub fn check_scale(&self, scale: f64) -> Result<(), String> {
        let inhabitants = self.inhabitants() as f64;
        if scale * inhabitants >= MIN_AGENTS {
            return Ok(());
        }
        let smallest = (MIN_AGENTS / inhabitants).min(1.0);
        Err(format!(
            "a scale of at least {smallest:.2e} for this geography of {inhabitants:.0} inhabitants (at least {MIN_AGENTS:.0} agents; fewer leave most gemeenten empty and national figures noise)"
        ))
    }
}

/// Most variants one scenario may declare.
pub const MAX_VARIANTS: usize = 1000;
/// Most runs (variants times replications) one scenario may plan: checked before a plan is
/// made, so that a mistyped count is refused instead of allocating gigabytes.
pub const MAX_RUNS: u64 = 100_000;

/// Refuses a plan of more than [`MAX_RUNS`] runs (`key`: where the replications were set).
fn check_runs(
    variants: usize,
    replications: u32,
    file: &Path,
    key: &str,
) -> Result<(), InputError> {
    let runs = variants as u64 * u64::from(replications);
    if runs > MAX_RUNS {
        return Err(InputError::new(
            file,
            format!("at most {MAX_RUNS} runs (variants times replications)"),
        )
        .key(key)
        .found(format!(
            "{replications} replications of {variants} variants: {runs} runs"
        )));
    }
    Ok(())
}

/// Refuses a variant `i` whose `divergences` from the reference variant (the first) include a
/// key that only shapes the starting state: all variants start from the reference's state.
fn same_start(
    divergences: &[branch::Divergence],
    i: usize,
    vprov: &Provenance,
    vfile: &Path,
) -> Result<(), InputError> {
    match divergences.iter().find(|d| d.is_setup_only()) {
        None => Ok(()),
        Some(d) => Err(at(
            vprov.find(&d.key),
            vfile,
            "the same value as the first variant: this key only shapes the starting state, and every variant of a replication starts from the first variant's state (put a different starting state in a scenario of its own)",
            format!("variant[{i}].{}", d.key),
        )),
    }
}

/// Variant `i` (table `vt`, written in `vfile`) over the merged scenario `(table, provenance,
/// description)`: its name (not one of the `earlier` variants') and description, no run
/// settings, its parameters read and validated, its geography.
fn read_variant(
    i: usize,
    vt: &Table,
    vprov: &Provenance,
    vfile: &Path,
    (merged, prov, base_description): (&Table, &Provenance, &str),
    earlier: &[Variant],
) -> Result<Variant, InputError> {
    let mut vt = vt.clone();
    let name = match vt.remove("name") {
        None => "default".to_string(),
        Some(Value::String(s)) => s,
        Some(other) => {
            let o = vprov.find("name");
            return Err(
                at(o, vfile, "a string", format!("variant[{i}].name")).found(describe(&other))
            );
        }
    };
    check_name(&name, vprov, "name", vfile)?;
    let description = match vt.remove("description") {
        None => base_description.to_string(),
        Some(Value::String(s)) => s,
        Some(other) => {
            let o = vprov.find("description");
            return Err(
                at(o, vfile, "a string", format!("variant[{i}].description"))
                    .found(describe(&other)),
            );
        }
    };
    for k in RUN_KEYS {
        if vt.contains_key(k) {
            return Err(at(
                vprov.find(k),
                vfile,
                "only model tables in a variant; run settings (seed, replications, start, end, warmup_months, scale, name of the scenario) are shared by all variants so that their replications are paired",
                format!("variant[{i}].{k}"),
            ));
        }
    }
    if earlier.iter().any(|v| v.name == name) {
        return Err(at(
            vprov.find("name"),
            vfile,
            "a variant name used only once",
            format!("variant[{i}].name"),
        )
        .found(format!("\"{name}\" a second time")));
    }
    let mut m = merged.clone();
    deep_merge(&mut m, &vt);
    let mut p = prov.clone();
    p.overlay(vprov);
    let params = read_params(&m, &p, vfile)?;
    validate(&params, &m, &p, vfile)?;
    let geography = load_geography(&params, &p)?;
    check_local(&params, &geography, &p, vfile)?;
    Ok(Variant {
        name,
        description,
        params,
        geography,
        branch: None,
        group: 0,
    })
}

/// Largest scenario file read, bytes.
pub const MAX_SCENARIO_BYTES: u64 = 4 << 20;

/// Reads an input file of at most `max` bytes: a regular file (not a directory, a device or a
/// FIFO, which could block or never end), named with its size limit when it is larger.
/// `what` says what was expected ("a readable scenario file").
pub fn read_limited(path: &Path, what: &str, max: u64) -> Result<Vec<u8>, InputError> {
    use std::io::Read;
    let fail = |found: String| InputError::new(path, what).found(found);
    let meta = std::fs::metadata(path).map_err(|e| fail(format!("an error: {e}")))?;
    if !meta.is_file() {
        let kind = if meta.is_dir() {
            "a directory"
        } else {
            "not a regular file (a device, FIFO or socket)"
        };
        return Err(fail(kind.to_string()));
    }
    let file = std::fs::File::open(path).map_err(|e| fail(format!("an error: {e}")))?;
    let mut bytes = Vec::new();
    file.take(max + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| fail(format!("an error: {e}")))?;
    if bytes.len() as u64 > max {
        return Err(
            InputError::new(path, format!("a file of at most {} MiB", max >> 20))
                .found(format!("{} bytes or more", max + 1)),
        );
    }
    Ok(bytes)
}

fn load_chain(
    path: &Path,
    given: Option<&[u8]>,
    stack: &mut Vec<(PathBuf, PathBuf)>,
    out: &mut Vec<Layer>,
) -> Result<(), InputError> {
    let bytes = match given {
        Some(b) => b.to_vec(),
        None => read_limited(path, "a readable scenario file", MAX_SCENARIO_BYTES)?,
    };
    let text = error::utf8(path, &bytes)?.to_owned();
    let canon = path.canonicalize().unwrap_or_else(|_| path.to_path_buf());
    if stack.iter().any(|(c, _)| *c == canon) {
        let chain: Vec<String> = stack
            .iter()
            .map(|(_, shown)| shown.display().to_string())
            .chain(std::iter::once(path.display().to_string()))
            .collect();
        return Err(InputError::new(path, "an `extends` chain without cycles")
            .key("extends")
            .found(format!("the cycle {}", chain.join(" -> "))));
    }
    stack.push((canon, path.to_path_buf()));
    let mut layer = parse_layer(path, text)?;
    if let Some(ext) = layer.table.remove("extends") {
        let origin = layer.prov.find("extends").cloned();
        let Value::String(rel) = ext else {
            return Err(
                at(origin.as_ref(), path, "a file path string", "extends").found(describe(&ext))
            );
        };
        let base = path.parent().unwrap_or(Path::new("")).join(&rel);
        let problem = match std::fs::metadata(&base) {
            Ok(m) if m.is_file() => None,
            Ok(m) if m.is_dir() => Some("is a directory"),
            Ok(_) => Some("is not a regular file"),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Some("does not exist"),
            Err(_) => Some("cannot be read (a symlink loop or no permission)"),
        };
        if let Some(problem) = problem {
            return Err(at(
                origin.as_ref(),
                path,
                "the path of an existing scenario file, relative to this file",
                "extends",
            )
            .found(format!("\"{rel}\" ({} {problem})", base.display())));
        }
        load_chain(&base, None, stack, out)?;
    }
    stack.pop();
    out.push(layer);
    Ok(())
}

/// The 1-based line with the most nesting characters (`.`, `[`, `{`).
fn deepest_line(text: &str) -> usize {
    text.lines()
        .enumerate()
        .max_by_key(|(i, l)| {
            (
                l.chars().filter(|c| matches!(c, '.' | '[' | '{')).count(),
                usize::MAX - i,
            )
        })
        .map_or(1, |(i, _)| i + 1)
}

fn parse_layer(path: &Path, text: String) -> Result<Layer, InputError> {
    let doc = DeTable::parse(&text).map_err(|e| {
        let mut err = InputError::new(path, "valid TOML").found(first_line(e.message()));
        if let Some(span) = e.span() {
            err = err.at_offset(&text, span.start);
        } else {
            err = err.at(deepest_line(&text), 1);
        }
        err
    })?;
    let mut table: Table = toml::from_str(&text).map_err(|e| {
        let mut err = InputError::new(path, "valid TOML").found(first_line(e.message()));
        if let Some(span) = e.span() {
            err = err.at_offset(&text, span.start);
        } else {
            // Without a span (nesting past the parser's recursion limit): the most deeply
            // nested line is the likely place.
            err = err.at(deepest_line(&text), 1);
        }
        err
    })?;
    let mut prov = Provenance::default();
    let mut variant_provs = Vec::new();
    for (k, v) in doc.get_ref() {
        if k.get_ref() == "variant" {
            match v.get_ref() {
                DeValue::Array(items) => {
                    for (i, item) in items.iter().enumerate() {
                        let mut vp = Provenance::default();
                        if let DeValue::Table(t) = item.get_ref() {
                            walk_table(t, "", &format!("variant[{i}]."), path, &text, &mut vp);
                        }
                        variant_provs.push(vp);
                    }
                }
                _ => {
                    let o = origin(path, &text, k, v, "variant");
                    return Err(at(
                        Some(&o),
                        path,
                        "an array of [[variant]] tables",
                        "variant",
                    ));
                }
            }
            continue;
        }
        record(k, v, "", "", path, &text, &mut prov);
    }
    let variants = match table.remove("variant") {
        None => Vec::new(),
        Some(Value::Array(items)) => {
            let mut out = Vec::new();
            for (i, (item, vp)) in items.into_iter().zip(variant_provs).enumerate() {
                match item {
                    Value::Table(t) => out.push((t, vp)),
                    other => {
                        return Err(InputError::new(path, "a [[variant]] table")
                            .key(format!("variant[{i}]"))
                            .found(describe(&other)));
                    }
                }
            }
            out
        }
        Some(other) => {
            return Err(InputError::new(path, "an array of [[variant]] tables")
                .key("variant")
                .found(describe(&other)));
        }
    };
    Ok(Layer {
        file: path.to_path_buf(),
        table,
        prov,
        variants,
    })
}

fn origin(
    file: &Path,
    text: &str,
    k: &Spanned<std::borrow::Cow<'_, str>>,
    v: &Spanned<DeValue<'_>>,
    shown: &str,
) -> Origin {
    Origin {
        file: file.to_path_buf(),
        key_pos: error::line_col(text, k.span().start),
        value_pos: error::line_col(text, v.span().start),
        shown: shown.to_string(),
        table: matches!(v.get_ref(), DeValue::Table(_)),
    }
}

fn record(
    k: &Spanned<std::borrow::Cow<'_, str>>,
    v: &Spanned<DeValue<'_>>,
    prefix: &str,
    shown_prefix: &str,
    file: &Path,
    text: &str,
    prov: &mut Provenance,
) {
    let path = format!("{prefix}{}", k.get_ref());
    let shown = format!("{shown_prefix}{path}");
    prov.insert(path.clone(), origin(file, text, k, v, &shown));
    match v.get_ref() {
        DeValue::Table(t) => walk_table(t, &format!("{path}."), shown_prefix, file, text, prov),
        DeValue::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                let ip = format!("{path}[{i}]");
                let pos = error::line_col(text, item.span().start);
                prov.insert(
                    ip.clone(),
                    Origin {
                        file: file.to_path_buf(),
                        key_pos: pos,
                        value_pos: pos,
                        shown: format!("{shown_prefix}{ip}"),
                        table: false,
                    },
                );
                if let DeValue::Table(t) = item.get_ref() {
                    walk_table(t, &format!("{ip}."), shown_prefix, file, text, prov);
                }
            }
        }
        _ => {}
    }
}

fn walk_table(
    t: &DeTable<'_>,
    prefix: &str,
    shown_prefix: &str,
    file: &Path,
    text: &str,
    prov: &mut Provenance,
) {
    for (k, v) in t {
        record(k, v, prefix, shown_prefix, file, text, prov);
    }
}

/// Tables merge key by key; any other value replaces the old one whole.
fn deep_merge(into: &mut Table, from: &Table) {
    for (k, v) in from {
        match (into.get_mut(k), v) {
            (Some(Value::Table(a)), Value::Table(b)) => deep_merge(a, b),
            _ => {
                into.insert(k.clone(), v.clone());
            }
        }
    }
}

fn describe(v: &Value) -> String {
    match v {
        Value::String(s) => format!("the string \"{s}\""),
        Value::Integer(i) => format!("the integer {i}"),
        Value::Float(f) => format!("the number {f}"),
        Value::Boolean(b) => format!("the boolean {b}"),
        Value::Datetime(d) => format!("the date {d}"),
        Value::Array(_) => "an array".into(),
        Value::Table(_) => "a table".into(),
    }
}

fn first_line(s: &str) -> String {
    s.lines().next().unwrap_or("").trim().to_string()
}

/// An error located at `o` (or just in `fallback` when the key was not found).
fn at(o: Option<&Origin>, fallback: &Path, expected: &str, key: impl Into<String>) -> InputError {
    let key = key.into();
    match o {
        Some(o) => InputError::new(&o.file, expected)
            .key(if key.contains('[') || o.shown.is_empty() {
                key
            } else {
                o.shown.clone()
            })
            .at(o.value_pos.0, o.value_pos.1),
        None => InputError::new(fallback, expected).key(key),
    }
}

fn path_string(p: &serde_path_to_error::Path) -> String {
    let mut s = String::new();
    for seg in p.iter() {
        match seg {
            serde_path_to_error::Segment::Seq { index } => s.push_str(&format!("[{index}]")),
            serde_path_to_error::Segment::Map { key } => {
                if !s.is_empty() {
                    s.push('.');
                }
                s.push_str(key);
            }
            serde_path_to_error::Segment::Enum { variant } => {
                if !s.is_empty() {
                    s.push('.');
                }
                s.push_str(variant);
            }
            serde_path_to_error::Segment::Unknown => s.push_str(".?"),
        }
    }
    s
}

/// Reads the merged table into [`Params`], turning serde's message into a located error.
fn read_params(merged: &Table, prov: &Provenance, file: &Path) -> Result<Params, InputError> {
    let res: Result<Params, _> = serde_path_to_error::deserialize(merged.clone());
    res.map_err(|e| {
        let path = path_string(e.path());
        let msg = e.inner().message().to_string();
        located(&path, &msg, prov, file)
    })
}

fn located(path: &str, msg: &str, prov: &Provenance, file: &Path) -> InputError {
    if let Some(rest) = msg.strip_prefix("unknown field `") {
        let field = rest.split('`').next().unwrap_or("");
        let candidates: Vec<&str> = rest
            .split_once("expected")
            .map(|(_, e)| e.split('`').skip(1).step_by(2).collect())
            .unwrap_or_default();
        let full = if path.is_empty() || path.ends_with(field) {
            path.to_string()
        } else {
            format!("{path}.{field}")
        };
        let full = if full.is_empty() {
            field.to_string()
        } else {
            full
        };
        let o = prov.find(&full);
        let mut err = match o {
            Some(o) => InputError::new(&o.file, "a known key")
                .key(o.shown.clone())
                .at(o.key_pos.0, o.key_pos.1),
            None => InputError::new(file, "a known key").key(full.clone()),
        };
        err = err.found(format!("unknown key `{field}`"));
        let mut valid: Vec<&str> = candidates.clone();
        if !full.contains('.') {
            valid.extend(["extends", "variant"]);
        }
        err.help = Some(match error::nearest(field, valid.iter().copied()) {
            Some(n) => format!("did you mean `{n}`? Valid keys here: {}", valid.join(", ")),
            None if valid.is_empty() => "this table takes no keys".to_string(),
            None => format!("valid keys here: {}", valid.join(", ")),
        });
        return err;
    }
    let o = prov.find(path);
    let mut err = match o {
        Some(o) => InputError::new(&o.file, "")
            .key(o.shown.clone())
            .at(o.value_pos.0, o.value_pos.1),
        None => InputError::new(file, "").key(path.to_string()),
    };
    // serde: "invalid type: string \"x\", expected a share between 0 and 1"
    for prefix in ["invalid type: ", "invalid value: ", "invalid length "] {
        if let Some(rest) = msg.strip_prefix(prefix)
            && let Some((found, expected)) = rest.split_once(", expected ")
        {
            err.expected = match expected {
                "u8" | "u16" | "u32" | "u64" => "a whole number >= 0".to_string(),
                "i64" => "a whole number".to_string(),
                "f64" => "a number".to_string(),
                other if other.starts_with("struct ") => "a table".to_string(),
                other => other.to_string(),
            };
            err.found = Some(found.to_string());
            return err;
        }
    }
    if let Some(f) = msg.strip_prefix("missing field `") {
        let f = f.trim_end_matches('`');
        err.expected = format!("the key `{f}` in this table");
        err.found = Some("nothing".into());
        err.key = Some(if path.is_empty() {
            f.to_string()
        } else {
            format!("{path}.{f}")
        });
        return err;
    }
    err.expected = msg.to_string();
    err
}

fn check_name(name: &str, prov: &Provenance, key: &str, file: &Path) -> Result<(), InputError> {
    let ok = !name.is_empty()
        && name.len() <= 64
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        && !name.starts_with(['-', '.']);
    if ok {
        Ok(())
    } else {
        Err(at(
            prov.find(key),
            file,
            "a name of 1-64 ASCII letters, digits, '-' or '_' (it becomes a directory name)",
            key,
        )
        .found(format!("\"{name}\"")))
    }
}

/// Cross-field checks on a resolved parameter set: each table's own `check` (ranges that
/// depend on the key, orders, sums; see [`Params::check`]), then dated values covering the
/// start. Errors are located at the key where it was written.
fn validate(p: &Params, merged: &Table, prov: &Provenance, file: &Path) -> Result<(), InputError> {
    p.check().map_err(|e| invalid_error(&e, prov, file))?;
    // Every dated value must say what holds from the start.
    check_dated(merged, "", p.start.0, prov, file)
}

/// The error for a cross-field check, located where the user wrote the key at fault; a key
/// the user never wrote (its built-in default broke a rule against one they did write) is
/// named in full, with where its value comes from.
fn invalid_error(e: &params::Invalid, prov: &Provenance, file: &Path) -> InputError {
    let is_default_key = |k: &str| prov.map.get(k).is_some_and(Origin::is_default);
    let (key, defaults): (&str, Vec<&str>) = if e.keys.is_empty() {
        let d = is_default_key(&e.key).then_some(e.key.as_str());
        (e.key.as_str(), d.into_iter().collect())
    } else {
        let defaults = (e.keys.iter().map(String::as_str))
            .filter(|k| is_default_key(k))
            .collect();
        // Blame a key of the rule the user wrote: a variant's before the file's (the variant
        // broke what held for the file), else the first; the table when none is found.
        let written: Vec<(&str, &Origin)> = (e.keys.iter())
            .filter_map(|k| prov.map.get(k).map(|o| (k.as_str(), o)))
            .filter(|(_, o)| !o.is_default())
            .collect();
        let blamed = written
            .iter()
            .find(|(_, o)| o.shown.starts_with("variant["))
            .or(written.first())
            .map_or(e.key.as_str(), |(k, _)| *k);
        (blamed, defaults)
    };
    // Located where the user wrote it; a default is named in the file without a position.
    let origin = prov.find(key).filter(|o| !o.is_default());
    let err = at(origin, file, &e.expected, key).found(e.found.clone());
    let f = file.display();
    match defaults.as_slice() {
        [] => err,
        [k] => err.help(format!(
            "`{k}` is not set in {f}: its value is the built-in default (scenarios/reference.toml); set it in your file to change it"
        )),
        ks => err.help(format!(
            "{} are not set in {f}: their values are the built-in defaults (scenarios/reference.toml); set them in your file to change them",
            ks.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(" and ")
        )),
    }
}

fn check_dated(
    t: &Table,
    prefix: &str,
    start: Month,
    prov: &Provenance,
    file: &Path,
) -> Result<(), InputError> {
    for (k, v) in t {
        let path = format!("{prefix}{k}");
        match v {
            Value::Table(sub) => check_dated(sub, &format!("{path}."), start, prov, file)?,
            Value::Array(items) => {
                let first = items
                    .first()
                    .and_then(|i| i.as_table())
                    .and_then(|t| t.get("from"));
                if let Some(Value::String(from)) = first
                    && let Some(m) = Month::parse(from)
                    && m > start
                {
                    let origin = prov.find(&format!("{path}[0].from"));
                    if origin.is_none_or(Origin::is_default) {
                        // Not the user's key: the user's start is what is too early.
                        return Err(at(
                            prov.find("start"),
                            file,
                            &format!(
                                "a start on or after {from}: the built-in default of {path} begins then (give your own dated value from your start to begin earlier)"
                            ),
                            "start",
                        )
                        .found(format!("\"{start}\"")));
                    }
                    return Err(at(
                                origin,
                                file,
                                &format!(
                                    "a first step from the start month \"{start}\" or earlier, so the value at the start is known"
                                ),
                                format!("{path}[0].from"),
                            )
                            .found(format!("\"{from}\"")));
                }
            }
            _ => {}
        }
    }
    Ok(())
}

/// The names (and CBS codes) of the gemeenten of a geography, for `[local."<gemeente>"]`.
fn gemeente_names(p: &Params, geography: &GeographySource) -> Vec<String> {
    match geography {
        GeographySource::Synthetic => (1..=p.geography.gemeenten)
            .map(|i| format!("gemeente-{i:03}"))
            .collect(),
        GeographySource::File { rows, .. } | GeographySource::Netherlands { rows } => rows
            .iter()
            .flat_map(|r| [r.name.clone(), r.code.clone()])
            .filter(|n| !n.is_empty())
            .collect(),
    }
}

/// Every gemeente named in `[local]` exists in the geography (by name or CBS code), once; every
/// region named in `[jeugdregio]` or `[arbeidsmarktregio]` is one of the geography's; and
/// `youth_places` is set by whoever buys youth care (the jeugdregio, or under local purchasing
/// also the gemeente), never by an arbeidsmarktregio.
fn check_local(
    p: &Params,
    geography: &GeographySource,
    prov: &Provenance,
    file: &Path,
) -> Result<(), InputError> {
    if p.local.is_empty() && p.jeugdregio.is_empty() && p.arbeidsmarktregio.is_empty() {
        return Ok(());
    }
    let rows: &[GemeenteRow] = match geography {
        GeographySource::File { rows, .. } | GeographySource::Netherlands { rows } => rows,
        GeographySource::Synthetic => &[],
    };
    let regions = |kind: &str, of: fn(&GemeenteRow) -> &str, synthetic: u32| -> Vec<String> {
        if rows.is_empty() {
            (1..=synthetic).map(|i| format!("{kind}-{i:02}")).collect()
        } else {
            let mut names: Vec<String> = rows.iter().map(|r| of(r).to_string()).collect();
            names.sort();
            names.dedup();
            names
        }
    };
    let tables = [
        (
            "local",
            &p.local,
            gemeente_names(p, geography),
            "a gemeente",
        ),
        (
            "jeugdregio",
            &p.jeugdregio,
            regions(
                "jeugdregio",
                |r| r.jeugdregio.as_str(),
                p.geography.jeugdregios,
            ),
            "a jeugdregio",
        ),
        (
            "arbeidsmarktregio",
            &p.arbeidsmarktregio,
            regions(
                "arbeidsmarktregio",
                |r| r.arbeidsmarktregio.as_str(),
                p.geography.arbeidsmarktregios,
            ),
            "an arbeidsmarktregio",
        ),
    ];
    for (table, entries, names, what) in &tables {
        let mut seen: BTreeMap<String, &str> = BTreeMap::new();
        for (key, policy) in entries.iter() {
            let full = format!("{table}.{key}");
            let o = prov.find(&full);
            if !names.iter().any(|n| n == key) {
                let expected = if *table == "local" {
                    "the name or CBS code of a gemeente of the scenario's geography".to_string()
                } else {
                    format!("the name of {what} of the scenario's geography")
                };
                let mut e =
                    at(o, file, &expected, full).found(format!("\"{key}\", not {what} here"));
                let lower = key.to_lowercase();
                let near = names
                    .iter()
                    .map(String::as_str)
                    .find(|n| n.to_lowercase() == lower)
                    .or_else(|| error::nearest(key, names.iter().map(String::as_str)));
                if let Some(n) = near {
                    e = e.help(format!("did you mean \"{n}\"?"));
                }
                return Err(e);
            }
            if *table == "local" {
                // A name and its code are one gemeente.
                let one = rows
                    .iter()
                    .find(|r| r.name == *key || r.code == *key)
                    .map_or(key.clone(), |r| r.name.clone());
                if let Some(other) = seen.insert(one.clone(), key) {
                    return Err(at(o, file, "each gemeente once in [local]", full)
                        .found(format!("\"{key}\" and \"{other}\", both {one}")));
                }
            }
            let buys_youth_care = match *table {
                "jeugdregio" => true,
                "local" => p.jeugd.purchasing == Purchasing::Local,
                _ => false,
            };
            if policy.youth_places.is_some() && !buys_youth_care {
                let path = format!("{full}.youth_places");
                let expected = if *table == "local" {
                    "youth_places set by the jeugdregio that buys youth care (jeugd.purchasing = \"regional\"): under [jeugdregio.\"<its region>\"], or jeugd.purchasing = \"local\""
                } else {
                    "youth_places set by whoever buys youth care: a jeugdregio, or a gemeente under jeugd.purchasing = \"local\""
                };
                return Err(at(prov.find(&path), file, expected, path)
                    .found(format!("youth_places in [{table}.\"{key}\"]")));
            }
        }
    }
    Ok(())
}

fn load_geography(p: &Params, prov: &Provenance) -> Result<GeographySource, InputError> {
    let Some(rel) = &p.geography.file else {
        if p.geography.kind != GeographyKind::Synthetic {
            // A synthetic key the user set to another value than the default would be ignored
            // without a word: say so.
            let reference = reference_layer().table;
            let default = reference.get("geography");
            let now = Value::try_from(&p.geography).ok();
            for key in SYNTHETIC_GEOGRAPHY_KEYS {
                let full = format!("geography.{key}");
                let changed =
                    now.as_ref().and_then(|t| t.get(key)) != default.and_then(|t| t.get(key));
                if let Some(o) = prov.map.get(&full).filter(|o| !o.is_default() && changed) {
                    return Err(at(
                        Some(o),
                        &o.file,
                        "a key of a synthetic geography only: the default geography is the built-in Netherlands of 2019 (355 gemeenten, 42 jeugdregio's, 35 arbeidsmarktregio's)",
                        full,
                    )
                    .found(format!("`{key}` with geography.kind = \"netherlands-2019\""))
                    .help("set `kind = \"synthetic\"` in [geography] to draw gemeenten from these keys, or remove the key"));
                }
            }
        }
        return Ok(match p.geography.kind {
            GeographyKind::Synthetic => GeographySource::Synthetic,
            GeographyKind::Netherlands2019 => GeographySource::Netherlands {
                rows: std::sync::Arc::new(netherlands::rows(p.geography.population)),
            },
        });
    };
    let o = prov.find("geography.file");
    let dir = o
        .map(|o| o.file.parent().unwrap_or(Path::new("")).to_path_buf())
        .unwrap_or_default();
    let path = dir.join(rel);
    if !path.is_file() {
        let scen = o.map(|o| o.file.clone()).unwrap_or_default();
        return Err(at(
            o,
            &scen,
            "the path of an existing CSV file, relative to the scenario file",
            "geography.file",
        )
        .found(format!("\"{rel}\" ({} does not exist)", path.display())));
    }
    let rows = geography_csv::read(&path)?;
    Ok(GeographySource::File {
        path,
        rows: std::sync::Arc::new(rows),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The hash as it was first defined: FNV-1a of the resolved JSON less `file`.
    fn hash_of_whole_json(s: &Scenario) -> String {
        let mut j = s.resolved_json();
        j.as_object_mut().expect("an object").remove("file");
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for b in j.to_string().bytes() {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        format!("{h:016x}")
    }

    #[test]
    fn the_hash_is_that_of_the_whole_resolved_json() {
        for file in ["scenarios/baseline.toml", "fuzz/workspace/base.toml"] {
            let mut s = load(Path::new(file)).expect("a shipped scenario");
            assert_eq!(s.hash(), hash_of_whole_json(&s), "{file}");
            // Variants with their own rows and descriptions that need escaping.
            let mut v = s.variants[0].clone();
            v.name = "quote\"d \\ naam".into();
            v.description = "ü\n".into();
            if let GeographySource::File { rows, .. } = &mut v.geography {
                let mut own = (**rows).clone();
                own[0].population += 1;
                *rows = std::sync::Arc::new(own);
            }
            s.variants.push(v);
            assert_eq!(s.hash(), hash_of_whole_json(&s), "{file}, edited");
        }
    }
}
