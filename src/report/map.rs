//! Choropleth maps of the 355 gemeenten of 2019, drawn from the built-in boundaries
//! (`data/gemeente-2019.topojson`, CBS/PDOK generalised boundaries, Bron: CBS / PDOK,
//! CC BY 4.0; data/SOURCES.md) as SVG or PNG, without scripts or network.
//!
//! The boundaries are TopoJSON: rings are lists of shared arcs, so an arc used by two
//! gemeenten of different regions is a region boundary, and the region overlay needs no other
//! file (and follows this project's region of West Betuwe and Vijfheerenlanden).

use super::chart::{ChartError, ensure_font, render_png, render_svg, tick_label};
use super::results::Results;
use crate::error::Error;
use plotters::prelude::*;
use std::sync::OnceLock;

/// Size of a map, pixels (width, height): the Netherlands is taller than wide.
pub const MAP_SIZE: (u32, u32) = (760, 700);

/// The built-in boundaries.
const TOPOJSON: &str = include_str!("../../data/gemeente-2019.topojson");

/// The gemeenten's boundaries, in projected map units (x east, y south).
#[derive(Debug)]
pub struct Shapes {
    /// CBS code of each gemeente, in the file's order.
    pub codes: Vec<String>,
    /// Each gemeente's rings (outer and holes alike; drawn filled in order).
    rings: Vec<Vec<Vec<(f64, f64)>>>,
    /// Each arc's points.
    arcs: Vec<Vec<(f64, f64)>>,
    /// Each arc's gemeenten (one: the coast or border; two: a boundary between them).
    owners: Vec<Vec<usize>>,
    /// Bounding box: min x, min y, max x, max y.
    bounds: [f64; 4],
}

/// The projection: longitude scaled by the cosine of the Netherlands' mean latitude (52.2°),
/// latitude flipped, so shapes keep their proportions.
fn project(lon: f64, lat: f64) -> (f64, f64) {
    (lon * 52.2f64.to_radians().cos(), -lat)
}

fn parse() -> Shapes {
    let t: serde_json::Value =
        serde_json::from_str(TOPOJSON).expect("the built-in topojson is JSON (tested)");
    let tr = &t["transform"];
    let (sx, sy) = (
        tr["scale"][0].as_f64().unwrap_or(1.0),
        tr["scale"][1].as_f64().unwrap_or(1.0),
    );
    let (tx, ty) = (
        tr["translate"][0].as_f64().unwrap_or(0.0),
        tr["translate"][1].as_f64().unwrap_or(0.0),
    );
    let arcs: Vec<Vec<(f64, f64)>> = t["arcs"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|arc| {
                    let (mut x, mut y) = (0i64, 0i64);
                    arc.as_array()
                        .map(|pts| {
                            pts.iter()
                                .map(|p| {
                                    x += p[0].as_i64().unwrap_or(0);
                                    y += p[1].as_i64().unwrap_or(0);
                                    project(x as f64 * sx + tx, y as f64 * sy + ty)
                                })
                                .collect()
                        })
                        .unwrap_or_default()
                })
                .collect()
        })
        .unwrap_or_default();
    let mut owners = vec![Vec::new(); arcs.len()];
    let mut codes = Vec::new();
    let mut rings = Vec::new();
    let geometries = t["objects"]["gemeente_2019"]["geometries"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    for (g, geo) in geometries.iter().enumerate() {
        codes.push(
            geo["properties"]["statcode"]
                .as_str()
                .unwrap_or("")
                .to_string(),
        );
        let polygons: Vec<&serde_json::Value> = match geo["type"].as_str() {
            Some("Polygon") => vec![&geo["arcs"]],
            Some("MultiPolygon") => geo["arcs"]
                .as_array()
                .map(|a| a.iter().collect())
                .unwrap_or_default(),
            _ => vec![],
        };
        let mut own = Vec::new();
        for poly in polygons {
            for ring in poly.as_array().into_iter().flatten() {
                let mut pts = Vec::new();
                for a in ring.as_array().into_iter().flatten() {
                    let k = a.as_i64().unwrap_or(0);
                    // A negative index is the arc ~k, reversed.
                    let (i, rev) = if k < 0 {
                        ((!k) as usize, true)
                    } else {
                        (k as usize, false)
                    };
                    let Some(arc) = arcs.get(i) else { continue };
                    if !owners[i].contains(&g) {
                        owners[i].push(g);
                    }
                    let seq: Vec<(f64, f64)> = if rev {
                        arc.iter().rev().copied().collect()
                    } else {
                        arc.clone()
                    };
                    // Consecutive arcs share their end point.
                    let skip = usize::from(!pts.is_empty());
                    pts.extend(seq.into_iter().skip(skip));
                }
                own.push(pts);
            }
        }
        rings.push(own);
    }
    let mut bounds = [f64::MAX, f64::MAX, f64::MIN, f64::MIN];
    for &(x, y) in arcs.iter().flatten() {
        bounds = [
            bounds[0].min(x),
            bounds[1].min(y),
            bounds[2].max(x),
            bounds[3].max(y),
        ];
    }
    Shapes {
        codes,
        rings,
        arcs,
        owners,
        bounds,
    }
}

/// The built-in boundaries, parsed once per process.
pub fn netherlands() -> &'static Shapes {
    static SHAPES: OnceLock<Shapes> = OnceLock::new();
    SHAPES.get_or_init(parse)
}

/// What a map shows.
#[derive(Clone, Debug)]
pub struct MapSpec {
    /// Title above the map.
    pub title: String,
    /// The unit of the values (legend).
    pub unit: String,
    /// The value of each gemeente of [`Shapes::codes`], in that order (`None`: no value).
    pub values: Vec<Option<f64>>,
    /// A difference: classes symmetric around 0 (blue below, red above).
    pub diverging: bool,
    /// Each gemeente's region (same order), whose boundaries are drawn over the map.
    pub regions: Option<Vec<String>>,
}

/// Colour classes of a sequential map (light to dark).
const SEQUENTIAL: [RGBColor; 6] = [
    RGBColor(255, 255, 204),
    RGBColor(199, 233, 180),
    RGBColor(127, 205, 187),
    RGBColor(65, 182, 196),
    RGBColor(44, 127, 184),
    RGBColor(37, 52, 148),
];
/// Colour classes of a difference (blue: lower, red: higher).
const DIVERGING: [RGBColor; 7] = [
    RGBColor(33, 102, 172),
    RGBColor(103, 169, 207),
    RGBColor(209, 229, 240),
    RGBColor(247, 247, 247),
    RGBColor(253, 219, 199),
    RGBColor(239, 138, 98),
    RGBColor(178, 24, 43),
];
/// A gemeente without a value.
const MISSING: RGBColor = RGBColor(200, 200, 200);

/// Class boundaries: quantiles of the values (sequential) or symmetric steps of the largest
/// absolute value (diverging); `n` classes have `n - 1` inner boundaries.
fn breaks(values: &[Option<f64>], diverging: bool) -> Vec<f64> {
    let mut v: Vec<f64> = values
        .iter()
        .flatten()
        .copied()
        .filter(|x| x.is_finite())
        .collect();
    if v.is_empty() {
        return Vec::new();
    }
    v.sort_by(f64::total_cmp);
    if diverging {
        let m = v.iter().fold(0.0f64, |a, x| a.max(x.abs()));
        if m == 0.0 {
            return vec![0.0; DIVERGING.len() - 1];
        }
        // Seven classes: the middle one holds the values within a tenth of the largest.
        [-0.6, -0.3, -0.1, 0.1, 0.3, 0.6]
            .iter()
            .map(|f| f * m)
            .collect()
    } else {
        (1..SEQUENTIAL.len())
            .map(|k| crate::output::quantile(&v, k as f64 / SEQUENTIAL.len() as f64))
            .collect()
    }
}

fn class(x: f64, breaks: &[f64]) -> usize {
    breaks.iter().take_while(|b| x > **b).count()
}

/// Renders `spec` as an inline `<svg …>` element of `width`×`height` px.
pub fn svg(spec: &MapSpec, width: u32, height: u32) -> Result<String, ChartError> {
    ensure_font()?;
    render_svg(&spec.title, width, height, |root| draw(root, spec))
}

/// Renders `spec` as a `width`×`height` px PNG file at `path` (written beside it and renamed
/// into place).
pub fn png(
    spec: &MapSpec,
    width: u32,
    height: u32,
    path: &std::path::Path,
) -> Result<(), ChartError> {
    ensure_font()?;
    render_png(&spec.title, width, height, path, |root| draw(root, spec))
}

type DrawResult<DB> = Result<(), DrawingAreaErrorKind<<DB as DrawingBackend>::ErrorType>>;

fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, plotters::coord::Shift>,
    spec: &MapSpec,
) -> DrawResult<DB> {
    let shapes = netherlands();
    root.fill(&WHITE)?;
    let (w, h) = root.dim_in_pixel();
    let (w, h) = (f64::from(w), f64::from(h));
    let font = super::chart::FONT;
    let title_size = (w / 38.0).max(11.0);
    root.draw(&Text::new(
        spec.title.clone(),
        (10, 6),
        (font, title_size).into_font().color(&BLACK),
    ))?;
    // The map on the left three quarters, the legend on the right.
    let top = title_size * 2.0;
    let (mw, mh) = (w * 0.68, h - top - 8.0);
    let [x0, y0, x1, y1] = shapes.bounds;
    let s = (mw / (x1 - x0)).min(mh / (y1 - y0));
    let px = |(x, y): (f64, f64)| -> (i32, i32) {
        ((8.0 + (x - x0) * s) as i32, (top + (y - y0) * s) as i32)
    };
    let cuts = breaks(&spec.values, spec.diverging);
    let palette: &[RGBColor] = if spec.diverging {
        &DIVERGING
    } else {
        &SEQUENTIAL
    };
    for (g, rings) in shapes.rings.iter().enumerate() {
        let colour = match spec.values.get(g).copied().flatten() {
            Some(v) if v.is_finite() && !cuts.is_empty() => {
                palette[class(v, &cuts).min(palette.len() - 1)]
            }
            _ => MISSING,
        };
        for ring in rings {
            let pts: Vec<(i32, i32)> = ring.iter().map(|&p| px(p)).collect();
            root.draw(&Polygon::new(pts, colour.filled()))?;
        }
    }
    // Gemeente boundaries thin, region boundaries (and the coast) thick.
    for (k, arc) in shapes.arcs.iter().enumerate() {
        let owners = &shapes.owners[k];
        let region_edge = match &spec.regions {
            Some(r) => owners.len() == 1 || owners.windows(2).any(|o| r.get(o[0]) != r.get(o[1])),
            None => owners.len() == 1,
        };
        let style = if region_edge {
            RGBColor(40, 40, 40).stroke_width(2)
        } else {
            RGBColor(255, 255, 255).stroke_width(1)
        };
        root.draw(&PathElement::new(
            arc.iter().map(|&p| px(p)).collect::<Vec<_>>(),
            style,
        ))?;
    }
    // Legend.
    let lx = (w * 0.71) as i32;
    let size = (w / 52.0).max(9.0);
    let mut y = (top + 10.0) as i32;
    // The unit on lines of its own ("difference," / "per 1 000 inhabitants").
    for part in spec.unit.split(", ") {
        root.draw(&Text::new(
            part.to_string(),
            (lx, y),
            (font, size).into_font().color(&BLACK),
        ))?;
        y += (size * 1.3) as i32;
    }
    y += (size * 0.5) as i32;
    let n = palette.len();
    for k in (0..n).rev() {
        if cuts.is_empty() {
            break;
        }
        let label = match k {
            0 => format!("below {}", tick_label(cuts[0])),
            k if k == n - 1 => format!("{} or more", tick_label(cuts[k - 1])),
            k => format!("{} to {}", tick_label(cuts[k - 1]), tick_label(cuts[k])),
        };
        let box_h = (size * 1.3) as i32;
        root.draw(&Rectangle::new(
            [(lx, y), (lx + box_h, y + box_h)],
            palette[k].filled(),
        ))?;
        root.draw(&Rectangle::new(
            [(lx, y), (lx + box_h, y + box_h)],
            RGBColor(120, 120, 120),
        ))?;
        root.draw(&Text::new(
            label,
            (lx + box_h + 6, y + 2),
            (font, size).into_font().color(&BLACK),
        ))?;
        y += box_h + 6;
    }
    let box_h = (size * 1.3) as i32;
    root.draw(&Rectangle::new(
        [(lx, y), (lx + box_h, y + box_h)],
        MISSING.filled(),
    ))?;
    root.draw(&Text::new(
        "no value",
        (lx + box_h + 6, y + 2),
        (font, size).into_font().color(&BLACK),
    ))?;
    y += box_h + 16;
    if spec.regions.is_some() {
        root.draw(&Text::new(
            "thick lines: regions",
            (lx, y),
            (font, size * 0.9).into_font().color(&RGBColor(60, 60, 60)),
        ))?;
        y += (size * 1.4) as i32;
    }
    root.draw(&Text::new(
        "Bron: CBS / PDOK",
        (lx, y),
        (font, size * 0.8)
            .into_font()
            .color(&RGBColor(100, 100, 100)),
    ))?;
    Ok(())
}

/// The regions whose boundaries a map draws.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Regions {
    /// Jeugdregio's (youth care bought together).
    Jeugdregio,
    /// Arbeidsmarktregio's (labour-market regions).
    Arbeidsmarktregio,
    /// Gemeenten only.
    None,
}

/// What to map from a scenario's results.
#[derive(Clone, Debug)]
pub struct MapRequest {
    /// The indicator (a column of gemeenten.csv).
    pub indicator: String,
    /// The year.
    pub year: u32,
    /// The variant shown.
    pub variant: usize,
    /// Show the variant minus this variant instead of its level.
    pub difference_from: Option<usize>,
    /// Region boundaries drawn over the gemeenten.
    pub regions: Regions,
}

/// How a count is shown per gemeente: per 1 000 inhabitants (persons, households), per
/// inhabitant (euros), or as it is.
fn per_capita(indicator: &str) -> (f64, &'static str) {
    let unit = crate::model::indicators::INDICATORS
        .iter()
        .find(|i| i.name == indicator)
        .map_or("", |i| i.unit);
    if unit.starts_with("persons") || unit.starts_with("households") {
        (1000.0, "per 1 000 inhabitants")
    } else if unit.starts_with("euros") {
        (1.0, "euros per inhabitant")
    } else {
        (0.0, "")
    }
}

/// The map of `req` from the results `r`: each gemeente's mean over replications (per 1 000
/// inhabitants where it is a count), or the variant's difference from another.
pub fn spec(r: &Results, req: &MapRequest) -> Result<MapSpec, Error> {
    let values = super::local::gemeente_values(r, &req.indicator, req.year)?;
    let (factor, unit) = per_capita(&req.indicator);
    let of = |g: &super::local::GemeenteValue, v: usize| {
        if factor > 0.0 {
            factor * g.value[v] / g.population[v].max(1.0)
        } else {
            g.value[v]
        }
    };
    let shapes = netherlands();
    let find = |code: &str| values.iter().find(|g| g.code == code);
    let label = super::html::label(&req.indicator);
    let title = match req.difference_from {
        Some(a) => format!(
            "{label}, {}: {} minus {}",
            req.year, r.variants[req.variant].name, r.variants[a].name
        ),
        None => format!("{label}, {}: {}", req.year, r.variants[req.variant].name),
    };
    let unit = if unit.is_empty() {
        crate::model::indicators::INDICATORS
            .iter()
            .find(|i| i.name == req.indicator)
            .map_or(String::new(), |i| i.unit.to_string())
    } else {
        unit.to_string()
    };
    Ok(MapSpec {
        title,
        unit: match req.difference_from {
            Some(_) => format!("difference, {unit}"),
            None => unit,
        },
        values: shapes
            .codes
            .iter()
            .map(|c| {
                find(c).map(|g| match req.difference_from {
                    Some(a) => of(g, req.variant) - of(g, a),
                    None => of(g, req.variant),
                })
            })
            .collect(),
        diverging: req.difference_from.is_some(),
        regions: match req.regions {
            Regions::None => None,
            kind => Some(
                shapes
                    .codes
                    .iter()
                    .map(|c| {
                        find(c).map_or(String::new(), |g| match kind {
                            Regions::Arbeidsmarktregio => g.arbeidsmarktregio.clone(),
                            _ => g.jeugdregio.clone(),
                        })
                    })
                    .collect(),
            ),
        },
    })
}

/// True if the results are of the built-in Netherlands (their gemeenten carry the codes the
/// boundaries have), so that maps can be drawn.
pub fn mappable(r: &Results) -> bool {
    super::local::gemeente_values(r, "population", r.years.first().copied().unwrap_or(0))
        .map(|v| {
            let shapes = netherlands();
            v.len() == shapes.codes.len() && v.iter().all(|g| shapes.codes.contains(&g.code))
        })
        .unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_boundaries_are_the_355_gemeenten_and_their_rings_close() {
        let s = netherlands();
        assert_eq!(s.codes.len(), 355);
        assert!(s.codes.iter().any(|c| c == "GM0363"));
        for (g, rings) in s.rings.iter().enumerate() {
            assert!(!rings.is_empty(), "{}", s.codes[g]);
            for r in rings {
                let (a, b) = (r[0], r[r.len() - 1]);
                assert!(
                    (a.0 - b.0).abs() < 1e-9 && (a.1 - b.1).abs() < 1e-9,
                    "{}",
                    s.codes[g]
                );
            }
        }
        // Arcs are shared: most inner boundaries belong to two gemeenten.
        let shared = s.owners.iter().filter(|o| o.len() == 2).count();
        assert!(shared > s.arcs.len() / 2, "{shared} of {}", s.arcs.len());
    }

    #[test]
    fn classes_follow_quantiles_or_a_symmetric_scale() {
        let v: Vec<Option<f64>> = (0..60).map(|k| Some(f64::from(k))).chain([None]).collect();
        let b = breaks(&v, false);
        assert_eq!(b.len(), 5);
        assert_eq!(class(0.0, &b), 0);
        assert_eq!(class(59.0, &b), 5);
        let d = breaks(&[Some(-2.0), Some(1.0), None], true);
        assert_eq!(d.len(), 6);
        assert_eq!(class(0.0, &d), 3, "zero in the middle class");
        assert_eq!(class(-2.0, &d), 0);
        assert_eq!(class(2.0, &d), 6);
    }

    #[test]
    fn a_map_renders_as_svg_with_a_shape_per_gemeente() {
        let s = netherlands();
        let spec = MapSpec {
            title: "test".into(),
            unit: "per 1 000 inhabitants".into(),
            values: (0..s.codes.len()).map(|g| Some(g as f64)).collect(),
            diverging: false,
            regions: Some((0..s.codes.len()).map(|g| (g / 10).to_string()).collect()),
        };
        let svg = svg(&spec, 600, 700).unwrap();
        assert!(svg.starts_with("<svg"));
        assert!(
            svg.matches("<polygon").count() >= 355,
            "a polygon per gemeente"
        );
        assert!(svg.contains("Bron: CBS / PDOK"));
    }
}
