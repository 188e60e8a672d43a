//! `sociaal report`: one self-contained HTML file (inline CSS and SVG, no scripts, fonts or
//! network) with the scenario, its variants and their parameter differences, a chart per
//! headline indicator with p05-p95 bands, a difference chart against the reference variant,
//! and the validation targets checked on these results.

use super::chart::{self, ChartSpec, Series};
use super::compare::{CORE_INDICATORS, human};
use super::results::{Results, band};
use super::validate::{self, Check, Target};
use crate::error::Error;
use crate::model::gemeente::LAW_NAMES;
use crate::model::indicators::{INDICATORS, Kind};
use std::fmt::Write as _;
use std::path::Path;

/// How many indicators beyond the core set the report adds: those the variants change most.
pub const MOST_CHANGED: usize = 6;

/// Chart size in the report and in exported files, pixels.
pub const CHART_SIZE: (u32, u32) = (760, 380);

/// Report choices; `None` takes the defaults.
#[derive(Clone, Debug, Default)]
pub struct ReportOptions {
    /// The reference variant (default: the first).
    pub against: Option<String>,
    /// Indicators to chart (default: core set plus the most changed).
    pub indicators: Option<Vec<String>>,
    /// A gemeente in focus (name or CBS code): its own figures and where it sits among the
    /// gemeenten.
    pub gemeente: Option<String>,
}

/// One chart of the report.
#[derive(Clone, Debug)]
pub struct Chart {
    /// File stem for exports: `<indicator>` or `<indicator>-difference`.
    pub id: String,
    /// What to draw.
    pub spec: ChartSpec,
}

/// A built report.
#[derive(Clone, Debug)]
pub struct Report {
    /// The HTML document.
    pub html: String,
    /// Its charts, in order.
    pub charts: Vec<Chart>,
    /// The validation checks it shows.
    pub checks: Vec<Check>,
}

/// Chart file formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// PNG image.
    Png,
    /// SVG image.
    Svg,
}

/// Escapes text for HTML.
pub fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            _ => o.push(c),
        }
    }
    o
}

/// Unit and definition of an indicator's yearly value: flows are summed over the year, so
/// "per month" becomes "per year".
fn meta(name: &str) -> (String, &'static str) {
    INDICATORS
        .iter()
        .find(|i| i.name == name)
        .map(|i| {
            let unit = if i.kind == Kind::Flow {
                i.unit.replace("per month", "per year")
            } else {
                i.unit.to_string()
            };
            (unit, i.definition)
        })
        .unwrap_or_default()
}

/// Plain labels of the indicators a reader meets first (the headline set); others are named
/// by the first clause of their definition.
const LABELS: [(&str, &str); 14] = [
    ("wmo_users", "Wmo maatwerk users"),
    ("wmo_spending_eur", "Wmo spending"),
    ("wmo_waiting", "Waiting for Wmo help"),
    ("wmo_copay_eur", "Wmo co-payments"),
    ("jeugdhulp_users_year", "Youths with jeugdhulp in the year"),
    ("jeugdhulp_users", "Youths with jeugdhulp"),
    ("jeugd_spending_eur", "Youth-care spending"),
    ("bijstand_persons", "People on bijstand"),
    ("wsw_employees", "Wsw employees"),
    ("carers_overloaded", "Overloaded carers"),
    (
        "stacked_households_2plus",
        "Households using two or more laws",
    ),
    (
        "gemeente_result_eur",
        "Gemeenten's result (budget minus spending)",
    ),
    ("gemeente_reserves_eur", "Gemeenten's reserves"),
    ("population", "Inhabitants"),
];

/// A plain label for an indicator: from a table of the headline ones, else the first clause
/// of its definition, else its name.
pub fn label(name: &str) -> String {
    if let Some((_, l)) = LABELS.iter().find(|(n, _)| *n == name) {
        return l.to_string();
    }
    if let Some(base) = name.strip_suffix("_real_eur") {
        return format!("{}, in 2015 euros", label(&format!("{base}_eur")));
    }
    let (_, def) = meta(name);
    let clause = def
        .split([';', '(', ':'])
        .next()
        .unwrap_or("")
        .trim()
        .trim_end_matches(['.', ',']);
    if clause.is_empty() || clause.chars().count() > 70 {
        return name.to_string();
    }
    let mut c = clause.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => name.to_string(),
    }
}

/// The indicators the report charts: up to [`MOST_CHANGED`] whose paired difference from the
/// reference is largest relative to the reference (and whose 90% interval excludes zero), in
/// any year, then the core set that exists.
pub fn headline(r: &Results, against: usize) -> Vec<usize> {
    let out: Vec<usize> = CORE_INDICATORS
        .iter()
        .filter_map(|n| r.indicator(n))
        .collect();
    if r.variants.len() < 2 {
        return out;
    }
    let mut scored: Vec<(f64, usize)> = Vec::new();
    for ii in 0..r.indicators.len() {
        if out.contains(&ii) {
            continue;
        }
        // Counts (persons, euros) below this are too small a base for a relative score.
        let scaled = INDICATORS
            .iter()
            .find(|i| i.name == r.indicators[ii])
            .is_some_and(|i| i.scaled);
        let min_reference = if scaled { 1000.0 } else { 1e-9 };
        let mut best = 0.0f64;
        for vi in 0..r.variants.len() {
            if vi == against {
                continue;
            }
            for &y in &r.years {
                let [m, lo, hi] = r.paired_band(against, vi, ii, y);
                let reference = band(r.reps(against, ii, y))[0].abs();
                // Small reference values (a ratio near zero, a count of a handful) would
                // dominate a relative score; require some substance.
                if !(m.is_finite() && reference >= min_reference) || (lo <= 0.0 && hi >= 0.0) {
                    continue;
                }
                let rel = (m / reference.max(1e-6)).abs().min(10.0);
                best = best.max(rel);
            }
        }
        if best > 0.01 {
            scored.push((best, ii));
        }
    }
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    // What the variants change most comes first; the core set follows.
    let mut first: Vec<usize> = scored.iter().take(MOST_CHANGED).map(|x| x.1).collect();
    first.extend(out);
    first
}

fn level_chart(r: &Results, ii: usize) -> ChartSpec {
    let name = &r.indicators[ii];
    let (unit, _) = meta(name);
    ChartSpec {
        title: label(name),
        y_label: unit,
        x: r.years.iter().map(|&y| y as i32).collect(),
        series: r
            .variants
            .iter()
            .enumerate()
            .map(|(vi, v)| {
                let bands: Vec<[f64; 3]> = r.years.iter().map(|&y| r.band(vi, ii, y)).collect();
                Series {
                    name: v.name.clone(),
                    mean: bands.iter().map(|b| b[0]).collect(),
                    lo: bands.iter().map(|b| b[1]).collect(),
                    hi: bands.iter().map(|b| b[2]).collect(),
                }
            })
            .collect(),
        zero_line: false,
    }
}

fn difference_chart(r: &Results, ii: usize, against: usize) -> ChartSpec {
    let name = &r.indicators[ii];
    let (unit, _) = meta(name);
    ChartSpec {
        title: format!(
            "{}: difference from {}",
            label(name),
            r.variants[against].name
        ),
        y_label: format!("difference, {unit}"),
        x: r.years.iter().map(|&y| y as i32).collect(),
        series: r
            .variants
            .iter()
            .enumerate()
            .filter(|(vi, _)| *vi != against)
            .map(|(vi, v)| {
                let bands: Vec<[f64; 3]> = r
                    .years
                    .iter()
                    .map(|&y| r.paired_band(against, vi, ii, y))
                    .collect();
                Series {
                    name: format!("{} - {}", v.name, r.variants[against].name),
                    mean: bands.iter().map(|b| b[0]).collect(),
                    lo: bands.iter().map(|b| b[1]).collect(),
                    hi: bands.iter().map(|b| b[2]).collect(),
                }
            })
            .collect(),
        zero_line: true,
    }
}

const STYLE: &str = "body{font-family:'DejaVu Sans',Verdana,Arial,sans-serif;margin:2em auto;max-width:980px;color:#222;line-height:1.45;padding:0 1em}\
h1{font-size:1.7em;margin-bottom:.2em}h2{margin-top:2em;border-bottom:1px solid #ccc;padding-bottom:.2em}\
table{border-collapse:collapse;margin:.6em 0;font-size:.9em}td,th{border:1px solid #ccc;padding:.25em .5em;vertical-align:top}\
th{background:#f2f2f2;text-align:left}td.num{text-align:right;font-variant-numeric:tabular-nums}\
figure.chart{margin:1.2em 0;padding:.5em;border:1px solid #e3e3e3;border-radius:4px}\
figure.chart svg{display:block;max-width:100%;height:auto}figcaption{font-size:.9em;color:#444;margin-top:.4em}\
.pass{color:#1a7f37;font-weight:bold}.fail{color:#b3261e;font-weight:bold}.na{color:#777}\
.muted{color:#666;font-size:.9em}code{background:#f5f5f5;padding:0 .2em}\
table.inner{margin:0;font-size:.95em}\
figure.map{margin:1.2em 0;padding:.5em;border:1px solid #e3e3e3;border-radius:4px}figure.map svg{display:block;max-width:100%;height:auto}";

/// Dutch terms used in indicator names, explained.
const GLOSSARY: [(&str, &str); 12] = [
    (
        "Wmo",
        "Wet maatschappelijke ondersteuning 2015: social support for adults, run by the gemeente",
    ),
    (
        "maatwerk(voorziening)",
        "individual provision after an assessment (household help, support at home, aids, sheltered housing)",
    ),
    (
        "algemene voorziening",
        "open provision without an assessment (odd-jobs service, meals, social transport)",
    ),
    (
        "jeugdhulp",
        "youth care under the Jeugdwet; jeugdbescherming and jeugdreclassering are court-ordered measures",
    ),
    (
        "bijstand",
        "social assistance under the Participatiewet, means-tested on the household",
    ),
    (
        "Wsw",
        "sheltered employment; closed to new entrants from 2015",
    ),
    (
        "beschut werk",
        "sheltered work places gemeenten must offer from 2017",
    ),
    (
        "Wajong",
        "disability benefit for the young disabled (UWV); closed to those able to work from 2015",
    ),
    (
        "nugger",
        "niet-uitkeringsgerechtigde: registered jobseeker without a benefit",
    ),
    (
        "mantelzorger (carer)",
        "informal carer: partner, family, friend or neighbour",
    ),
    (
        "wijkteam",
        "neighbourhood team: the gemeente's access point for support",
    ),
    (
        "stacked",
        "using provisions of two or more of the three laws in the same year",
    ),
];

/// Builds the report (charts rendered as inline SVG).
pub fn build(r: &Results, opts: &ReportOptions, targets: &[Target]) -> Result<Report, Error> {
    let against = r.variant_or_err(opts.against.as_deref())?;
    let indicators = chosen_indicators(r, opts, against)?;
    if r.years.is_empty() {
        return Err(Error::Results(format!(
            "{}: the results hold no years",
            r.dir.display()
        )));
    }
    let checks = validate::check(r, targets);
    let mut h = String::new();
    scenario_section(&mut h, r);
    glance_section(&mut h, r, against);
    cost_section(&mut h, r, against);
    if let Some(who) = &opts.gemeente {
        gemeente_section(&mut h, r, against, who)?;
    }
    maps_section(&mut h, r, against)?;
    variants_section(&mut h, r, against);
    let charts = charts_section(&mut h, r, &indicators, against)?;
    books_section(&mut h, r);
    validation_section(&mut h, &checks);
    glossary_section(&mut h);
    Ok(Report {
        html: h,
        charts,
        checks,
    })
}

/// The indicators to chart: those asked for (each must exist), else [`headline`].
fn chosen_indicators(
    r: &Results,
    opts: &ReportOptions,
    against: usize,
) -> Result<Vec<usize>, Error> {
    match &opts.indicators {
        None => Ok(headline(r, against)),
        Some(names) => names
            .iter()
            .map(|n| {
                r.indicator(n).ok_or_else(|| {
                    Error::Results(format!(
                        "{}: no indicator `{n}`; `sociaal indicators` lists them",
                        r.dir.display()
                    ))
                })
            })
            .collect(),
    }
}

/// The document's head and the scenario: name, description, period, replications, scale,
/// file and build.
fn scenario_section(h: &mut String, r: &Results) {
    let s = &r.scenario;
    let field = |k: &str| {
        s.get(k)
            .map(|v| match v {
                serde_json::Value::String(x) => x.clone(),
                other => other.to_string(),
            })
            .unwrap_or_default()
    };
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>sociaal report: {name}</title><style>{STYLE}</style></head><body>\n\
         <h1>Scenario <code>{name}</code></h1>\n<p>{desc}</p>\n\
         <table><tr><th>simulated</th><td>{start} to {end}</td></tr>\
         <tr><th>replications</th><td>{reps} per variant, seeds {seed} + replication (the same seeds for every variant: differences are paired)</td></tr>\
         <tr><th>scale</th><td>{scale} agents per inhabitant; counts are national figures</td></tr>\
         <tr><th>scenario file</th><td><code>{file}</code> (hash {hash})</td></tr>\
         <tr><th>made by</th><td>sociaal {ver}, commit {commit}</td></tr></table>\n",
        name = esc(&r.name),
        desc = esc(&r.description),
        start = esc(&field("start")),
        end = esc(&field("end")),
        reps = esc(&field("replications")),
        seed = esc(&field("seed")),
        scale = esc(&field("scale")),
        file = esc(&field("file")),
        hash = esc(&field("scenario_hash")),
        ver = esc(&field("crate_version")),
        commit = esc(&field("git_commit")),
    );
}

/// Years the at-a-glance table shows: up to three of [`DEFAULT_YEARS`] in the results (else
/// the last).
fn key_years(r: &Results) -> Vec<u32> {
    let mut ys: Vec<u32> = super::compare::DEFAULT_YEARS
        .iter()
        .copied()
        .filter(|y| r.years.contains(y))
        .take(3)
        .collect();
    if ys.is_empty() {
        ys.extend(r.years.last());
    }
    ys
}

/// "At a glance": per variant, each core indicator on one line with its plain label and
/// unit, the reference's value and the variant's paired difference with its 90% interval,
/// for the key years.
fn glance_section(h: &mut String, r: &Results, against: usize) {
    h.push_str("<h2>At a glance</h2>\n");
    glance_tables(h, r, against, &CORE_INDICATORS);
    h.push_str("<p class=\"muted\">The reference's mean over replications, then the variant minus the reference, replication by replication (the same seeds: common random numbers), with the 5th-95th percentile of those paired differences. Counts are national figures; euros of each year.</p>\n");
}

/// What a variant costs gemeenten: their spending on all laws and on the Wmo (net of
/// co-payments), the co-payments and the Wmo care bought, each against the reference.
pub const COST_INDICATORS: [&str; 4] = [
    "gemeente_spending_eur",
    "gemeente_spending_wmo_eur",
    "wmo_copay_eur",
    "wmo_spending_eur",
];

/// "Cost to gemeenten" (with two or more variants): per variant, for the last key year, what
/// it costs the gemeenten a year against the reference, split into co-payments not collected
/// and more Wmo care bought (issue #24: the abonnementstarief's cost), each with the 90%
/// interval of the paired differences; then the tables of [`COST_INDICATORS`].
fn cost_section(h: &mut String, r: &Results, against: usize) {
    let (Some(net), Some(copay), Some(care)) = (
        r.indicator("gemeente_spending_wmo_eur"),
        r.indicator("wmo_copay_eur"),
        r.indicator("wmo_spending_eur"),
    ) else {
        return;
    };
    let others: Vec<usize> = (0..r.variants.len()).filter(|&v| v != against).collect();
    let Some(&year) = key_years(r).last() else {
        return;
    };
    if others.is_empty() {
        return;
    }
    h.push_str("<h2>Cost to gemeenten</h2>\n<ul>\n");
    let eur = |b: [f64; 3]| {
        format!(
            "EUR {} mln [{}, {}]",
            human(b[0] / 1e6),
            human(b[1] / 1e6),
            human(b[2] / 1e6)
        )
    };
    for vi in others {
        let cost = r.paired_band(against, vi, net, year);
        let c = r.paired_band(against, vi, copay, year);
        let lost = [-c[0], -c[2], -c[1]];
        let more = r.paired_band(against, vi, care, year);
        let _ = writeln!(
            h,
            "<li><b>{}</b> against <b>{}</b>, {year}: the gemeenten' Wmo spending net of co-payments changes by {} a year; co-payments not collected {}, Wmo care bought {}.</li>",
            esc(&r.variants[vi].name),
            esc(&r.variants[against].name),
            eur(cost),
            eur(lost),
            eur(more),
        );
    }
    h.push_str("</ul>\n");
    glance_tables(h, r, against, &COST_INDICATORS);
    h.push_str("<p class=\"muted\">Mean over replications of the variant minus the reference, replication by replication, with the 5th-95th percentile of those paired differences (90% interval); euros of each year. The net Wmo spending also counts algemene voorzieningen, wijkteams and the Wmo's share of coordination, so it is not exactly the sum of its two parts.</p>\n");
}

/// The at-a-glance tables of `names` (those `r` has): one per variant against the reference.
fn glance_tables(h: &mut String, r: &Results, against: usize, names: &[&str]) {
    let years = key_years(r);
    let core: Vec<usize> = names.iter().filter_map(|n| r.indicator(n)).collect();
    let others: Vec<usize> = (0..r.variants.len()).filter(|&v| v != against).collect();
    if others.is_empty() {
        let _ = writeln!(
            h,
            "<p class=\"muted\">One variant: its values, mean [5th-95th percentile] over replications.</p>"
        );
    }
    let head = |h: &mut String, what: &str| {
        let _ = write!(
            h,
            "<table class=\"glance\"><tr><th>indicator</th><th>unit</th>"
        );
        for y in &years {
            let _ = write!(h, "<th>{y}: {what}</th>");
        }
        h.push_str("</tr>\n");
    };
    let cells = |vi: Option<usize>, ii: usize| -> String {
        let mut c = String::new();
        for &y in &years {
            let reference = r.band(against, ii, y);
            let text = match vi {
                None => format!(
                    "{} [{}, {}]",
                    human(reference[0]),
                    human(reference[1]),
                    human(reference[2])
                ),
                Some(vi) => {
                    let d = r.paired_band(against, vi, ii, y);
                    let rel = if reference[0] != 0.0 {
                        format!(" ({:+.1}%)", 100.0 * d[0] / reference[0])
                    } else {
                        String::new()
                    };
                    format!(
                        "{} &rarr; <b>{}</b><br>[{}, {}]{rel}",
                        human(reference[0]),
                        esc(&signed(d[0])),
                        esc(&signed(d[1])),
                        esc(&signed(d[2]))
                    )
                }
            };
            let _ = write!(c, "<td class=\"num\">{text}</td>");
        }
        c
    };
    // One line per core indicator: label, unit, then the key years' cells.
    let lines = |h: &mut String, vi: Option<usize>| {
        for &ii in &core {
            let name = &r.indicators[ii];
            let _ = writeln!(
                h,
                "<tr><td>{}</td><td>{}</td>{}</tr>",
                esc(&label(name)),
                esc(&meta(name).0),
                cells(vi, ii)
            );
        }
        h.push_str("</table>\n");
    };
    if others.is_empty() {
        head(h, "value");
        lines(h, None);
        return;
    }
    for vi in others {
        let v = &r.variants[vi];
        let _ = writeln!(
            h,
            "<h3><code>{}</code> against <code>{}</code></h3><p>{}</p>",
            esc(&v.name),
            esc(&r.variants[against].name),
            esc(&v.description)
        );
        head(h, "reference &rarr; difference [90% interval]");
        lines(h, Some(vi));
    }
}

/// Maps of the gemeenten (results of the built-in Netherlands only): the reference's Wmo use
/// per 1 000 inhabitants in the last key year, and for each other variant (at most three) the
/// difference in the per-gemeente figure it changes most, with the jeugdregio's drawn over it.
fn maps_section(h: &mut String, r: &Results, against: usize) -> Result<(), Error> {
    use super::map::{self, MapRequest, Regions};
    if !map::mappable(r) {
        return Ok(());
    }
    let Some(&year) = key_years(r).last() else {
        return Ok(());
    };
    h.push_str("<h2>Maps</h2>\n<p class=\"muted\">Each gemeente's mean over replications, per 1 000 inhabitants where it is a count (euros: per inhabitant); thick lines are jeugdregio's. Gemeenten with few agents at this scale are mostly noise. Boundaries: CBS / PDOK (CC BY 4.0).</p>\n");
    let mut draw = |req: MapRequest| -> Result<(), Error> {
        let spec = map::spec(r, &req)?;
        let (w, ht) = map::MAP_SIZE;
        let svg = map::svg(&spec, w, ht).map_err(|e| Error::Results(e.to_string()))?;
        let _ = writeln!(
            h,
            "<figure class=\"map\" data-indicator=\"{}\">{svg}<figcaption>{}</figcaption></figure>",
            esc(&req.indicator),
            esc(&spec.title)
        );
        Ok(())
    };
    draw(MapRequest {
        indicator: "wmo_users".into(),
        year,
        variant: against,
        difference_from: None,
        regions: Regions::Jeugdregio,
    })?;
    for vi in (0..r.variants.len()).filter(|&v| v != against).take(3) {
        // The per-gemeente figure this variant changes most, nationally and relatively (not
        // the books' result and reserves, whose base can be near zero).
        let best = super::local::LOCAL_INDICATORS
            .iter()
            .filter(|n| !n.starts_with("gemeente_"))
            .filter_map(|n| r.indicator(n).map(|ii| (n, ii)))
            .map(|(n, ii)| {
                let d = r.paired_band(against, vi, ii, year)[0];
                let base = r.band(against, ii, year)[0].abs().max(1e-9);
                (n, (d / base).abs())
            })
            .filter(|(_, x)| x.is_finite())
            .max_by(|a, b| a.1.total_cmp(&b.1))
            .map_or("wmo_users", |(n, _)| *n);
        draw(MapRequest {
            indicator: best.to_string(),
            year,
            variant: vi,
            difference_from: Some(against),
            regions: Regions::Jeugdregio,
        })?;
    }
    Ok(())
}

/// One gemeente in focus: its at-a-glance tables (from every run's `gemeenten.csv`), and for
/// its main figures where it sits among all gemeenten (per 1 000 inhabitants, the reference
/// variant in the last key year).
fn gemeente_section(h: &mut String, r: &Results, against: usize, who: &str) -> Result<(), Error> {
    let f = super::local::focus(r, who)?;
    let label_of = if f.code.is_empty() {
        f.name.clone()
    } else {
        format!("{} ({})", f.name, f.code)
    };
    let _ = writeln!(
        h,
        "<h2>Gemeente {}</h2>\n<p class=\"muted\">Its own figures (counts scaled to its inhabitants), in jeugdregio {}. <code>sociaal compare DIR --gemeente {}</code> gives them beside the region's and the nation's.</p>",
        esc(&label_of),
        esc(&f.region),
        esc(if f.code.is_empty() { &f.name } else { &f.code })
    );
    glance_tables(h, &f.gemeente, against, &super::local::LOCAL_INDICATORS);
    let Some(&year) = key_years(r).last() else {
        return Ok(());
    };
    if let Some(p) = r.scenario["scale"]
        .as_f64()
        .and_then(|scale| super::local::precision(&f, against, year, scale).map(|p| (p, scale)))
    {
        let _ = writeln!(
            h,
            "<p class=\"muted\">{} ({year}).</p>",
            esc(&p.0.sentence(&f.name, p.1))
        );
    }
    let _ = writeln!(
        h,
        "<h3>Where {} sits among the gemeenten, {year}</h3>",
        esc(&f.name)
    );
    for ind in ["wmo_users", "jeugdhulp_users", "bijstand_persons"] {
        let Ok(values) = super::local::gemeente_values(r, ind, year) else {
            continue;
        };
        let per: Vec<(String, f64)> = values
            .iter()
            .filter(|g| g.population[against] > 0.0)
            .map(|g| {
                (
                    g.name.clone(),
                    1000.0 * g.value[against] / g.population[against],
                )
            })
            .collect();
        h.push_str(&spread_svg(&label(ind), &per, &f.name));
    }
    Ok(())
}

/// A strip of dots, one per gemeente (value per 1 000 inhabitants), the focused gemeente in
/// red with its value, the median as a line: the spread across gemeenten at a glance.
fn spread_svg(title: &str, values: &[(String, f64)], focus: &str) -> String {
    let (w, ht, pad) = (760.0, 90.0, 40.0);
    let xs: Vec<f64> = values
        .iter()
        .map(|v| v.1)
        .filter(|x| x.is_finite())
        .collect();
    if xs.is_empty() {
        return String::new();
    }
    let (lo, hi) = xs
        .iter()
        .fold((f64::MAX, f64::MIN), |(a, b), &x| (a.min(x), b.max(x)));
    let span = (hi - lo).max(1e-9);
    let x = |v: f64| pad + (v - lo) / span * (w - 2.0 * pad);
    let mut sorted = xs.clone();
    sorted.sort_by(f64::total_cmp);
    let median = crate::output::quantile(&sorted, 0.5);
    let mut s = format!(
        "<figure class=\"spread\"><svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {w} {ht}\" width=\"{w}\" height=\"{ht}\"><text x=\"{pad}\" y=\"16\" font-size=\"13\">{} per 1 000 inhabitants</text>",
        esc(title)
    );
    let _ = write!(
        s,
        "<line x1=\"{pad}\" y1=\"50\" x2=\"{}\" y2=\"50\" stroke=\"#bbb\"/><line x1=\"{m:.1}\" y1=\"34\" x2=\"{m:.1}\" y2=\"66\" stroke=\"#666\" stroke-dasharray=\"3,2\"/>",
        w - pad,
        m = x(median)
    );
    for (name, v) in values.iter().filter(|v| v.1.is_finite() && v.0 != focus) {
        let _ = write!(
            s,
            "<circle cx=\"{:.1}\" cy=\"50\" r=\"3\" fill=\"#2c7fb8\" fill-opacity=\"0.35\"><title>{}: {}</title></circle>",
            x(*v),
            esc(name),
            human(*v)
        );
    }
    let _ = write!(
        s,
        "<text x=\"{pad}\" y=\"84\" font-size=\"11\" fill=\"#555\">{}</text><text x=\"{}\" y=\"84\" font-size=\"11\" fill=\"#555\" text-anchor=\"end\">{}</text><text x=\"{:.1}\" y=\"84\" font-size=\"11\" fill=\"#555\" text-anchor=\"middle\">median {}</text>",
        human(lo),
        w - pad,
        human(hi),
        x(median),
        human(median)
    );
    if let Some((_, v)) = values.iter().find(|v| v.0 == focus) {
        let _ = write!(
            s,
            "<circle cx=\"{cx:.1}\" cy=\"50\" r=\"6\" fill=\"#b3261e\"/><text x=\"{cx:.1}\" y=\"32\" font-size=\"12\" fill=\"#b3261e\" text-anchor=\"middle\">{} {}</text>",
            esc(focus),
            human(*v),
            cx = x(*v)
        );
    }
    s.push_str("</svg></figure>\n");
    s
}

/// A number with its sign, as [`human`] writes it.
fn signed(v: f64) -> String {
    let s = human(v);
    if v > 0.0 { format!("+{s}") } else { s }
}

/// The variants and how each differs from the reference.
fn variants_section(h: &mut String, r: &Results, against: usize) {
    h.push_str("<h2>Variants</h2>\n<table><tr><th>variant</th><th>description</th><th>differs from the reference in</th></tr>\n");
    for (vi, v) in r.variants.iter().enumerate() {
        let diffs = if vi == against {
            "<em>reference variant</em>".to_string()
        } else if v.differences.is_empty() {
            "no parameter".to_string()
        } else {
            let mut d = String::from(
                "<table class=\"inner\"><tr><th>parameter</th><th>reference</th><th>this variant</th><th>from</th></tr>",
            );
            for (k, a, b) in v.differences.iter().take(40) {
                let _ = write!(
                    d,
                    "<tr><td><code>{}</code></td><td>{}</td><td>{}</td><td>{}</td></tr>",
                    esc(k),
                    esc(&shorten(&plain(a))),
                    esc(&shorten(&plain(b))),
                    esc(&differs_from(a, b))
                );
            }
            if v.differences.len() > 40 {
                let _ = write!(
                    d,
                    "<tr><td colspan=\"4\">and {} more</td></tr>",
                    v.differences.len() - 40
                );
            }
            d.push_str("</table>");
            d
        };
        let _ = writeln!(
            h,
            "<tr><td><code>{}</code></td><td>{}</td><td>{}</td></tr>",
            esc(&v.name),
            esc(&v.description),
            diffs
        );
    }
    h.push_str("</table>\n");
    if against != 0 {
        let _ = writeln!(
            h,
            "<p class=\"muted\">Differences are shown against <code>{}</code>.</p>",
            esc(&r.variants[against].name)
        );
    }
}

/// The gemeenten's books per law in the last year: budget, spending and result (means over
/// replications, EUR million) and how many gemeenten ended the year in deficit on that law.
/// Left out for results made before the books were kept per law.
fn books_section(h: &mut String, r: &Results) {
    let Some(&year) = r.years.last() else {
        return;
    };
    let Some(cols) = LAW_NAMES
        .iter()
        .map(|law| {
            ["budget", "spending", "result"]
                .map(|what| r.indicator(&format!("gemeente_{what}_{law}_eur")))
                .into_iter()
                .chain([r.indicator(&format!("gemeenten_in_deficit_{law}"))])
                .collect::<Option<Vec<usize>>>()
        })
        .collect::<Option<Vec<Vec<usize>>>>()
    else {
        return;
    };
    let _ = writeln!(
        h,
        "<h2>Books per law, {year}</h2>\n<p class=\"muted\">All gemeenten together: the year's budget, spending and result (budget minus spending) per law, EUR million of that year (nominal; the indicators `gemeente_*_real_eur` give real 2015 euros), mean over replications; and the gemeenten whose spending exceeded their budget on that law over the year. The Wsw subsidy passes through the gemeente from the Rijk and is in no law's books.</p>\n<table><tr><th>variant</th><th>law</th><th>budget</th><th>spending</th><th>result</th><th>gemeenten in deficit</th></tr>"
    );
    let million = |v: f64| format!("{:.0}", v / 1e6);
    for (vi, v) in r.variants.iter().enumerate() {
        for (law, c) in LAW_NAMES.iter().zip(&cols) {
            let mean = |i: usize| r.band(vi, c[i], year)[0];
            let _ = writeln!(
                h,
                "<tr><td><code>{}</code></td><td>{law}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{:.0}</td></tr>",
                esc(&v.name),
                million(mean(0)),
                million(mean(1)),
                million(mean(2)),
                mean(3)
            );
        }
    }
    h.push_str("</table>\n");
}

/// A chart per indicator (and its difference chart against the reference when there are
/// variants), inline SVG with a caption; returns the charts in order.
fn charts_section(
    h: &mut String,
    r: &Results,
    indicators: &[usize],
    against: usize,
) -> Result<Vec<Chart>, Error> {
    h.push_str("<h2>Headline indicators</h2>\n<p class=\"muted\">Lines: the mean over replications; shaded: the 5th to 95th percentile over replications. Difference charts: each variant minus the reference, replication by replication.</p>\n");
    let mut charts = Vec::new();
    for &ii in indicators {
        let name = &r.indicators[ii];
        let mut specs = vec![(name.clone(), level_chart(r, ii))];
        if r.variants.len() >= 2 {
            specs.push((
                format!("{name}-difference"),
                difference_chart(r, ii, against),
            ));
        }
        let _ = writeln!(
            h,
            "<h3 id=\"{}\">{} <span class=\"muted\"><code>{}</code></span></h3>",
            esc(name),
            esc(&label(name)),
            esc(name)
        );
        for (id, spec) in specs {
            figure(h, r, name, &id, &spec)?;
            charts.push(Chart { id, spec });
        }
    }
    Ok(charts)
}

/// One chart as a figure: the SVG and a caption with the unit, the definition and each
/// series' last value.
fn figure(
    h: &mut String,
    r: &Results,
    name: &str,
    id: &str,
    spec: &ChartSpec,
) -> Result<(), Error> {
    let (w, ht) = CHART_SIZE;
    let (unit, def) = meta(name);
    let svg = chart::svg(spec, w, ht)
        .map_err(|e| Error::Results(format!("chart of `{name}` could not be drawn: {e}")))?;
    let last = *r.years.last().unwrap_or(&0);
    let values: Vec<String> = spec
        .series
        .iter()
        .map(|s| {
            format!(
                "{} {}",
                esc(&s.name),
                human(*s.mean.last().unwrap_or(&f64::NAN))
            )
        })
        .collect();
    let _ = writeln!(
        h,
        "<figure class=\"chart\" data-indicator=\"{}\">{svg}<figcaption><b>{}</b> ({}): {} In {last}: {}.</figcaption></figure>",
        esc(id),
        esc(&spec.title),
        esc(&unit),
        esc(def),
        values.join("; ")
    );
    Ok(())
}

/// The validation targets checked on these results.
fn validation_section(h: &mut String, checks: &[Check]) {
    h.push_str("<h2>Validation</h2>\n");
    if checks.is_empty() {
        h.push_str("<p class=\"muted\">No validation targets name this scenario.</p>\n");
        return;
    }
    let (pass, fail, na) = validate::counts(checks);
    let _ = writeln!(
        h,
        "<p>{pass} of {} targets met, {fail} missed, {na} not checked. Targets are figures from facts.md; the model value is the mean [p05, p95] over replications.</p>",
        checks.len()
    );
    h.push_str("<table><tr><th>id</th><th>variant</th><th>indicator</th><th>year</th><th>target</th><th>model</th><th>result</th><th>source</th></tr>\n");
    for c in checks {
        let (class, word) = match (&c.problem, c.pass) {
            (Some(_), _) => ("na", "n/a"),
            (None, true) => ("pass", "pass"),
            (None, false) => ("fail", "FAIL"),
        };
        let model = match &c.problem {
            Some(p) => esc(p),
            None if c.target.kind == validate::TargetKind::Direction => format!(
                "{:+.1}% [{:+.1}%, {:+.1}%]",
                100.0 * c.model[0],
                100.0 * c.model[1],
                100.0 * c.model[2]
            ),
            None => format!(
                "{} [{}, {}]",
                human(c.model[0]),
                human(c.model[1]),
                human(c.model[2])
            ),
        };
        let _ = writeln!(
            h,
            "<tr><td>{}</td><td>{}</td><td><code>{}</code></td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"{class}\">{word}</td><td class=\"muted\">{}</td></tr>",
            esc(&c.target.id),
            esc(&c.variant),
            esc(&c.target.indicator),
            c.target.year,
            esc(&validate::target_text(&c.target)),
            model,
            esc(&c.target.source)
        );
    }
    h.push_str("</table>\n");
}

/// The Dutch terms and the end of the document.
fn glossary_section(h: &mut String) {
    h.push_str("<h2>Dutch terms</h2>\n<table>");
    for (t, d) in GLOSSARY {
        let _ = write!(h, "<tr><th>{}</th><td>{}</td></tr>", esc(t), esc(d));
    }
    h.push_str("</table>\n<p class=\"muted\">Every indicator is defined in docs/indicators.md (<code>sociaal indicators</code>).</p>\n</body></html>\n");
}

/// A parameter value (as JSON text) for a reader: dated steps as "1 until 2016-12, 1.5
/// from 2017-01", text without quotes, an unset value as "(as drawn)".
fn plain(json: &str) -> String {
    let Ok(v) = serde_json::from_str::<serde_json::Value>(json) else {
        return json.to_string();
    };
    let one = |v: &serde_json::Value| match v {
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Null => "(not set)".to_string(),
        other => other.to_string(),
    };
    match dated_steps(&v) {
        Some(steps) => steps
            .iter()
            .enumerate()
            .map(|(k, (from, x))| {
                if k == 0 && steps.len() > 1 {
                    format!("{} from {from}", one(x))
                } else if k == 0 {
                    one(x)
                } else {
                    format!("{} from {from}", one(x))
                }
            })
            .collect::<Vec<_>>()
            .join(", "),
        None => one(&v),
    }
}

/// The steps of a dated value (`[{from, value}, ...]`), if `v` is one.
fn dated_steps(v: &serde_json::Value) -> Option<Vec<(String, serde_json::Value)>> {
    v.as_array()
        .filter(|a| !a.is_empty())?
        .iter()
        .map(|s| {
            let o = s.as_object().filter(|o| o.len() == 2)?;
            Some((
                o.get("from")?.as_str()?.to_string(),
                o.get("value")?.clone(),
            ))
        })
        .collect()
}

/// From which month the variant's value differs: the first step month at which the values in
/// force differ for dated values, else "the start".
fn differs_from(a: &str, b: &str) -> String {
    let parse = |t: &str| serde_json::from_str::<serde_json::Value>(t).ok();
    let (Some(a), Some(b)) = (parse(a), parse(b)) else {
        return "the start".into();
    };
    let steps =
        |v: &serde_json::Value| dated_steps(v).unwrap_or_else(|| vec![(String::new(), v.clone())]);
    let (sa, sb) = (steps(&a), steps(&b));
    let at = |s: &[(String, serde_json::Value)], m: &str| {
        s.iter()
            .rfind(|(f, _)| f.as_str() <= m)
            .unwrap_or(&s[0])
            .1
            .clone()
    };
    let mut months: Vec<&str> = sa.iter().chain(&sb).map(|(f, _)| f.as_str()).collect();
    months.sort();
    months.dedup();
    match months.into_iter().find(|m| at(&sa, m) != at(&sb, m)) {
        Some(m) if !m.is_empty() => m.to_string(),
        _ => "the start".into(),
    }
}

fn shorten(s: &str) -> String {
    if s.chars().count() > 80 {
        let t: String = s.chars().take(77).collect();
        format!("{t}...")
    } else {
        s.to_string()
    }
}

/// Writes every chart of `report` to `dir` as `<id>.png` or `<id>.svg`; returns how many.
pub fn write_charts(report: &Report, dir: &Path, format: Format) -> Result<usize, Error> {
    std::fs::create_dir_all(dir).map_err(|e| Error::io("create directory", dir, e))?;
    let (w, h) = CHART_SIZE;
    for c in &report.charts {
        match format {
            Format::Svg => {
                let svg = chart::svg(&c.spec, w, h)
                    .map_err(|e| Error::Results(format!("chart `{}`: {e}", c.id)))?;
                crate::output::write_file_atomic(
                    &dir.join(format!("{}.svg", c.id)),
                    svg.as_bytes(),
                )?;
            }
            Format::Png => {
                let path = dir.join(format!("{}.png", c.id));
                let tmp = dir.join(format!(".{}.png.tmp-{}", c.id, std::process::id()));
                chart::png(&c.spec, w, h, &tmp).map_err(|e| {
                    let _ = std::fs::remove_file(&tmp);
                    Error::Results(format!("chart `{}` as PNG: {e}", c.id))
                })?;
                std::fs::rename(&tmp, &path).map_err(|e| Error::io("write", &path, e))?;
            }
        }
    }
    Ok(report.charts.len())
}
