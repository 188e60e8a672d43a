//! Compare, report and validate as a user meets them, and the report rendered in a real
//! headless Chromium: every chart must be in the rendered DOM with drawn paths, and the
//! screenshot must not be blank.

use crate::{read, root, run_ok, sociaal};
use std::path::{Path, PathBuf};
use std::process::Command;

fn ok(args: &[&str]) -> String {
    let o = sociaal(args);
    assert!(
        o.status.success(),
        "sociaal {args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn fails(args: &[&str]) -> String {
    let o = sociaal(args);
    assert_eq!(o.status.code(), Some(2), "sociaal {args:?} should fail");
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Runs tests/data/tiny.toml (two variants, two replications) into a temporary directory.
fn tiny() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    run_ok("tests/data/tiny.toml", dir.path(), &[]);
    let res = dir.path().join("tiny");
    (dir, res)
}

#[test]
fn compare_pairs_replications_and_names_what_exists() {
    let (_d, res) = tiny();
    let r = res.to_str().unwrap();
    let out = ok(&[
        "compare",
        r,
        "--indicators",
        "births,population",
        "--years",
        "2015-2016",
    ]);
    assert!(out.contains("| high-fertility | births | 2015 |"), "{out}");
    let csv = read(&res.join("compare.csv"));
    let mut lines = csv.lines();
    assert!(
        lines
            .next()
            .unwrap()
            .starts_with("variant,against,indicator,year")
    );
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();
    assert_eq!(rows.len(), 4, "2 indicators x 2 years x 1 variant");
    // Higher fertility: more births, every replication (paired interval above zero).
    let births = rows
        .iter()
        .find(|r| r[2] == "births" && r[3] == "2016")
        .unwrap();
    let p05: f64 = births[7].parse().unwrap();
    assert!(p05 > 0.0, "{births:?}");
    // The paired difference equals the difference of the per-replication values.
    let yearly = read(&res.join("yearly.csv"));
    let value = |v: &str, rep: &str| -> f64 {
        yearly
            .lines()
            .find(|l| l.starts_with(&format!("{v},{rep},2016,births,")))
            .unwrap()
            .rsplit(',')
            .next()
            .unwrap()
            .parse()
            .unwrap()
    };
    let mean = ((value("high-fertility", "0") - value("reference", "0"))
        + (value("high-fertility", "1") - value("reference", "1")))
        / 2.0;
    let got: f64 = births[6].parse().unwrap();
    assert!(
        (got - mean).abs() < 1e-6 * mean.abs().max(1.0),
        "{got} vs {mean}"
    );

    let e = fails(&["compare", r, "--against", "nope"]);
    assert!(
        e.contains("no variant `nope`") && e.contains("reference, high-fertility"),
        "{e}"
    );
    let e = fails(&["compare", r, "--indicators", "wmo_user"]);
    assert!(
        e.contains("no indicator `wmo_user`") && e.contains("wmo_users"),
        "{e}"
    );
    let e = fails(&["compare", r, "--years", "2031"]);
    assert!(e.contains("no year 2031") && e.contains("2015-2016"), "{e}");
    let e = fails(&["compare", "/nonexistent/results/x"]);
    assert!(e.contains("no such results directory"), "{e}");
}

/// `compare --gemeente`: one gemeente by name or code, beside its jeugdregio and the nation,
/// with its own CSV; a misspelt name is refused with the nearest one.
#[test]
fn compare_focuses_on_one_gemeente() {
    let (_d, res) = tiny();
    let r = res.to_str().unwrap();
    let out = ok(&["compare", r, "--gemeente", "gm0363", "--years", "2016"]);
    assert!(out.contains("in Amsterdam (GM0363)"), "{out}");
    assert!(
        out.contains("Its jeugdregio, Amsterdam-Amstelland ("),
        "{out}"
    );
    assert!(out.contains("\nNederland:"), "{out}");
    assert!(
        out.contains("| high-fertility | wmo_users | 2016 |"),
        "{out}"
    );
    let csv = read(&res.join("compare-GM0363.csv"));
    let mut lines = csv.lines();
    assert!(
        lines
            .next()
            .unwrap()
            .starts_with("scope,variant,against,indicator,year")
    );
    let scopes: std::collections::BTreeSet<&str> =
        lines.map(|l| l.split(',').next().unwrap()).collect();
    assert_eq!(
        scopes.into_iter().collect::<Vec<_>>(),
        [
            "Amsterdam (GM0363)",
            "Nederland",
            "jeugdregio Amsterdam-Amstelland"
        ]
    );
    // Amsterdam's births are part of its region's, and the region's of the nation's.
    let births = |scope: &str| -> f64 {
        let text = read(&res.join("compare-GM0363.csv"));
        let line = text
            .lines()
            .find(|l| l.starts_with(scope) && l.contains(",births,2016,"))
            .unwrap_or_else(|| panic!("{scope} births in {text}"));
        line.split(',').nth(5).unwrap().parse().unwrap()
    };
    let _ = ok(&[
        "compare",
        r,
        "--gemeente",
        "Amsterdam",
        "--indicators",
        "births",
        "--years",
        "2016",
    ]);
    let (a, j, n) = (
        births("Amsterdam"),
        births("jeugdregio"),
        births("Nederland"),
    );
    assert!(0.0 < a && a < j && j < n, "{a} {j} {n}");
    // The report can focus on it too: its own at-a-glance lines and where it sits.
    let out = ok(&["report", r, "--gemeente", "Amsterdam"]);
    assert!(out.contains("report with"), "{out}");
    let html = read(&res.join("report.html"));
    assert!(
        html.contains("<h2>Gemeente Amsterdam (GM0363)</h2>"),
        "a section for the gemeente"
    );
    assert_eq!(
        html.matches("<figure class=\"spread\"").count(),
        3,
        "three spreads"
    );
    assert!(
        html.contains(">Amsterdam "),
        "the gemeente marked in its spread"
    );
    // What the variant costs the gemeenten, split into co-payments and care (issue #24).
    assert!(html.contains("<h2>Cost to gemeenten</h2>"));
    assert!(
        html.contains("<b>high-fertility</b> against <b>reference</b>, 2016: the gemeenten' Wmo spending net of co-payments changes by EUR "),
        "a cost line per variant"
    );
    assert!(
        html.contains("co-payments not collected EUR ") && html.contains("Wmo care bought EUR ")
    );
    let e = fails(&["report", r, "--gemeente", "Amsterdm"]);
    assert!(e.contains("did you mean `Amsterdam`"), "{e}");
    let e = fails(&["compare", r, "--gemeente", "Amsterdm"]);
    assert!(
        e.contains("no gemeente `Amsterdm`") && e.contains("did you mean `Amsterdam`"),
        "{e}"
    );
}

/// `sociaal map`: a choropleth of the gemeenten as SVG or PNG, a level or a difference; results
/// of another geography are refused with the reason.
#[test]
fn map_draws_the_gemeenten() {
    let (_d, res) = tiny();
    let r = res.to_str().unwrap();
    let out = ok(&[
        "map",
        r,
        "--indicator",
        "bijstand_persons",
        "--year",
        "2016",
    ]);
    assert!(out.contains("People on bijstand, 2016: reference"), "{out}");
    let svg = read(&res.join("maps/bijstand_persons-2016-reference.svg"));
    assert!(svg.starts_with("<svg") && svg.matches("<polygon").count() >= 355);
    let png = res.join("m.png");
    ok(&[
        "map",
        r,
        "--indicator",
        "wmo_users",
        "--difference",
        "--format",
        "png",
        "--regions",
        "arbeidsmarktregio",
        "--out",
        png.to_str().unwrap(),
    ]);
    let bytes = std::fs::read(&png).unwrap();
    assert!(bytes.starts_with(b"\x89PNG\r\n\x1a\n") && bytes.len() > 10_000);
    let e = fails(&["map", r, "--indicator", "wmo_user"]);
    assert!(
        e.contains("no per-gemeente figure `wmo_user`") && e.contains("wmo_users"),
        "{e}"
    );
    // A user's geography has no boundaries to draw.
    let village = tempfile::tempdir().unwrap();
    run_ok(
        "tests/data/village.toml",
        village.path(),
        &["--reps", "1", "--scale", "0.2"],
    );
    let e = fails(&[
        "map",
        village.path().join("village").to_str().unwrap(),
        "--indicator",
        "wmo_users",
    ]);
    assert!(
        e.contains("maps need results of the built-in Netherlands"),
        "{e}"
    );
}

#[test]
fn trends_tabulate_the_main_stocks_with_their_causes() {
    let (_d, res) = tiny();
    let r = res.to_str().unwrap();
    let out = ok(&["trends", r, "--years", "2015,2016,2030"]);
    assert!(
        out.contains(&format!(
            "Made by `sociaal trends {r} --years 2015,2016,2030`"
        )),
        "{out}"
    );
    assert!(
        out.contains("| indicator | 2015 | 2016 | change | cause in the model |"),
        "{out}"
    );
    let row = out
        .lines()
        .find(|l| l.starts_with("| `population_0_17` |"))
        .unwrap_or_else(|| panic!("{out}"));
    assert!(row.contains("emigration_family_factor"), "{row}");
    // Years the results do not hold.
    let err = fails(&["trends", r, "--years", "2030,2031"]);
    assert!(
        err.contains("--years") && err.contains("2015-2016"),
        "{err}"
    );
}

#[test]
fn validate_reads_matching_results_and_reports_pass_and_fail() {
    let dir = tempfile::tempdir().unwrap();
    let targets = dir.path().join("targets.toml");
    std::fs::write(
        &targets,
        r#"
[[target]]
id = "T-pop"
indicator = "population"
year = 2016
value = 17000000
tolerance = 0.10
kind = "level"
scenario = "tiny"
source = "CBS: about 17 miljoen inhabitants in 2016"

[[target]]
id = "T-impossible"
indicator = "population"
year = 2016
value = 1000
tolerance = 0.10
kind = "level"
scenario = "tiny"
source = "a figure the model cannot meet"

[[target]]
id = "T-pop-up"
indicator = "population"
from_year = 2015
year = 2016
value = 1
tolerance = 0.0
kind = "direction"
scenario = "tiny"
variant = "high-fertility"
source = "CBS: the population grew in 2016"

[[target]]
id = "T-growth"
indicator = "population"
from_year = 2015
year = 2016
value = 100000
tolerance = 1.0
kind = "change"
scenario = "tiny"
source = "CBS: the population grew by about 100 000 in 2016"

[[target]]
id = "T-shrink"
indicator = "population"
from_year = 2015
year = 2016
value = -100000
tolerance = 0.5
kind = "change"
scenario = "tiny"
source = "a change the model cannot meet"
"#,
    )
    .unwrap();
    let out = dir.path().join("results");
    let args = |extra: &[&str]| -> Vec<String> {
        let mut a: Vec<String> = [
            "validate",
            "tests/data/tiny.toml",
            "--targets",
            targets.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
            "--quiet",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        a.extend(extra.iter().map(|s| s.to_string()));
        a
    };
    let a = args(&[]);
    let a: Vec<&str> = a.iter().map(String::as_str).collect();
    // First call: no results, so it runs the scenario; exit 0 although a target fails.
    let o = sociaal(&a);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(stdout.contains("| T-pop | tiny / reference |"), "{stdout}");
    assert!(
        stdout.contains("3 passed, 2 failed, 0 not checked"),
        "{stdout}"
    );
    let csv = read(&out.join("tiny/validation.csv"));
    assert!(
        csv.lines()
            .any(|l| l.starts_with("T-impossible,") && l.contains(",FAIL,"))
    );
    assert!(
        csv.lines()
            .any(|l| l.starts_with("T-pop-up,") && l.contains(",pass,"))
    );
    // A change: the model's growth from from_year to year against the figure.
    assert!(
        csv.lines().any(|l| l.starts_with("T-growth,")
            && l.contains(",change,2015,2016,")
            && l.contains(",pass,")),
        "{csv}"
    );
    assert!(
        csv.lines()
            .any(|l| l.starts_with("T-shrink,") && l.contains(",FAIL,"))
    );
    assert!(stdout.contains("| +100,000 from 2015 ±100% |"), "{stdout}");
    // Second call reads the same results (same scenario hash) instead of running again.
    let stamp = std::fs::metadata(out.join("tiny/yearly.csv"))
        .unwrap()
        .modified()
        .unwrap();
    let o = sociaal(&a);
    assert!(String::from_utf8_lossy(&o.stderr).contains("read "));
    let again = std::fs::metadata(out.join("tiny/yearly.csv"))
        .unwrap()
        .modified()
        .unwrap();
    assert_eq!(stamp, again, "results were read, not rewritten");
    // --strict: a failed target is a failure.
    let s = args(&["--strict"]);
    let s: Vec<&str> = s.iter().map(String::as_str).collect();
    assert_eq!(sociaal(&s).status.code(), Some(1));
    // A typo in the targets file names the file and line.
    std::fs::write(&targets, "[[target]]\nid = \"x\"\nindicatr = \"births\"\n").unwrap();
    let e = fails(&a);
    assert!(
        e.contains("targets.toml:3") && e.contains("indicatr"),
        "{e}"
    );
}

/// Where Chromium is, if installed (`CHROMIUM` overrides).
fn chromium() -> Option<PathBuf> {
    if let Ok(p) = std::env::var("CHROMIUM") {
        return Some(PathBuf::from(p));
    }
    [
        "/usr/bin/chromium",
        "/usr/bin/chromium-browser",
        "/usr/bin/google-chrome",
    ]
    .iter()
    .map(PathBuf::from)
    .find(|p| p.is_file())
}

fn headless(browser: &Path, profile: &Path, extra: &[&str], page: &Path) -> std::process::Output {
    Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--hide-scrollbars",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(extra)
        .arg(format!("file://{}", page.display()))
        .output()
        .expect("start chromium")
}

#[test]
fn report_is_self_contained_and_renders_in_a_browser() {
    let (_d, res) = tiny();
    let r = res.to_str().unwrap();
    let charts = res.join("charts");
    let out = ok(&[
        "report",
        r,
        "--indicators",
        "population,births,wmo_users",
        "--format",
        "png",
        "--outdir",
        charts.to_str().unwrap(),
    ]);
    assert!(out.contains("report with 6 chart(s)"), "{out}");
    let html_path = res.join("report.html");
    let html = read(&html_path);
    // Self-contained: no scripts, no external resources.
    for bad in [
        "<script",
        "src=\"http",
        "href=\"http",
        "@import",
        "url(http",
        "<link",
    ] {
        assert!(!html.contains(bad), "report contains {bad}");
    }
    assert_eq!(html.matches("<figure class=\"chart\"").count(), 6);
    assert!(
        html.contains("Total fertility 2.1 from 2015."),
        "variant description"
    );
    assert!(
        html.contains("<td><code>demography.total_fertility</code></td><td>1.6"),
        "parameter difference as a table row: key, reference value, variant value, from"
    );
    // At a glance: each variant against the reference, each core indicator on one line with
    // its plain label and unit, before the charts; chart titles are labels, not identifiers.
    let glance = &html[html
        .find("<h2>At a glance</h2>")
        .expect("an at-a-glance section")
        ..html.find("<h2>Variants</h2>").unwrap()];
    assert!(glance.contains("<code>high-fertility</code> against <code>reference</code>"));
    assert!(
        glance.contains("<tr><td>Wmo maatwerk users</td><td>persons</td>"),
        "{glance}"
    );
    assert!(glance.contains("[90% interval]"), "{glance}");
    assert!(html.find("<h2>At a glance</h2>") < html.find("<h2>Headline indicators</h2>"));
    assert!(
        html.contains("<b>Inhabitants</b>"),
        "a chart titled by its label"
    );
    // Maps: the reference's Wmo use per gemeente and the variant's difference, a shape per
    // gemeente, before the charts.
    assert_eq!(html.matches("<figure class=\"map\"").count(), 2, "two maps");
    let first_map = &html[html.find("<figure class=\"map\"").unwrap()..];
    let first_map = &first_map[..first_map.find("</figure>").unwrap()];
    assert!(
        first_map.matches("<polygon").count() >= 355,
        "a shape per gemeente"
    );
    assert!(first_map.contains("per 1 000 inhabitants") && first_map.contains("Bron: CBS / PDOK"));
    assert!(html.find("<h2>Maps</h2>") < html.find("<h2>Headline indicators</h2>"));
    for f in ["population.png", "births-difference.png", "wmo_users.png"] {
        let bytes = std::fs::read(charts.join(f)).unwrap();
        assert!(
            bytes.starts_with(b"\x89PNG\r\n\x1a\n") && bytes.len() > 2000,
            "{f}"
        );
    }
    let e = fails(&["report", r, "--against", "nope"]);
    assert!(e.contains("no variant `nope`"), "{e}");

    // The browser part: CI installs Chromium and sets SOCIAAL_REQUIRE_BROWSER=1.
    let Some(browser) = chromium() else {
        assert!(
            std::env::var("SOCIAAL_REQUIRE_BROWSER").is_err(),
            "SOCIAAL_REQUIRE_BROWSER is set but no Chromium was found (install the Debian package `chromium` or set CHROMIUM)"
        );
        eprintln!("report test: no Chromium found; the browser check was skipped");
        return;
    };
    let profile = tempfile::tempdir().unwrap();
    let dom = headless(&browser, profile.path(), &["--dump-dom"], &html_path);
    assert!(
        dom.status.success(),
        "{}",
        String::from_utf8_lossy(&dom.stderr)
    );
    let dom = String::from_utf8_lossy(&dom.stdout);
    let maps: Vec<&str> = dom.split("<figure class=\"map\"").skip(1).collect();
    assert_eq!(maps.len(), 2, "maps in the rendered DOM");
    for m in &maps {
        let m = &m[..m.find("</figure>").unwrap()];
        assert!(
            m.contains("<svg") && m.matches("<polygon").count() >= 355,
            "a map without shapes"
        );
    }
    let figures: Vec<&str> = dom.split("<figure class=\"chart\"").skip(1).collect();
    assert_eq!(figures.len(), 6, "charts in the rendered DOM");
    for f in &figures {
        let f = &f[..f.find("</figure>").unwrap()];
        assert!(f.contains("<svg"), "a chart without svg");
        let drawn = f.split("<path").skip(1).any(|p| {
            p.split_once(" d=\"")
                .map(|(_, d)| d.split('"').next().unwrap_or("").len() > 10)
                .unwrap_or(false)
        }) || f.split("<polyline").skip(1).any(|p| {
            p.split_once("points=\"")
                .map(|(_, d)| d.split('"').next().unwrap_or("").len() > 10)
                .unwrap_or(false)
        });
        assert!(drawn, "a chart whose lines are empty");
    }
    let shot = profile.path().join("shot.png");
    let o = headless(
        &browser,
        profile.path(),
        &[
            &format!("--screenshot={}", shot.display()),
            "--window-size=1000,2400",
        ],
        &html_path,
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let (w, h, px) = decode_png(&shot);
    assert_eq!((w, h), (1000, 2400));
    // Not blank: many non-white pixels and many distinct colours (text, lines, bands).
    let non_white = px
        .iter()
        .filter(|p| p[0] < 240 || p[1] < 240 || p[2] < 240)
        .count();
    let colours: std::collections::BTreeSet<[u8; 3]> = px.iter().copied().collect();
    assert!(
        non_white > px.len() / 50,
        "screenshot nearly blank: {non_white} non-white pixels"
    );
    assert!(
        colours.len() > 50,
        "screenshot has {} colours",
        colours.len()
    );
    // Keep a copy for people to look at.
    let keep = root().join("target/report-screenshot.png");
    let _ = std::fs::copy(&shot, keep);
}

/// RGB pixels of a PNG.
fn decode_png(path: &Path) -> (u32, u32, Vec<[u8; 3]>) {
    let decoder = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(path).unwrap()));
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut buf).unwrap();
    let ch = info.color_type.samples();
    let px = buf[..info.buffer_size()]
        .chunks(ch)
        .map(|c| {
            if ch >= 3 {
                [c[0], c[1], c[2]]
            } else {
                [c[0]; 3]
            }
        })
        .collect();
    (info.width, info.height, px)
}

#[test]
fn variants_share_seeds_per_replication() {
    // Common random numbers: two variants with the same parameters give the same numbers
    // replication by replication, so every paired difference is exactly zero, while the
    // replications themselves differ.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("crn.toml");
    std::fs::write(
        &file,
        format!(
            "extends = \"{}\"\nname = \"crn\"\nend = \"2015-12\"\n[[variant]]\nname = \"a\"\n[[variant]]\nname = \"b\"\ndescription = \"the same parameters\"\n",
            root().join("tests/data/tiny.toml").display()
        ),
    )
    .unwrap();
    run_ok(file.to_str().unwrap(), dir.path(), &[]);
    let res = dir.path().join("crn");
    let r = sociaal::report::results::Results::load(&res).unwrap();
    let mut differs = false;
    for ii in 0..r.indicators.len() {
        let (a, b) = (r.reps(0, ii, 2015), r.reps(1, ii, 2015));
        assert_eq!(a, b, "{}", r.indicators[ii]);
        differs |= a[0] != a[1];
    }
    assert!(differs, "replications 0 and 1 should differ");
    let out = ok(&[
        "compare",
        res.to_str().unwrap(),
        "--indicators",
        "population,births",
    ]);
    assert!(out.contains("| b | population | 2015 |"), "{out}");
    assert!(out.contains("| 0 [0, 0] |"), "{out}");
}
