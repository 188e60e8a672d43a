//! Line charts with uncertainty bands, as SVG (inline in the HTML report) or PNG.
//!
//! A [`ChartSpec`] holds one or more [`Series`] over a common x axis of years. Each series
//! is drawn as a 2 px line for its mean and, when `lo`/`hi` differ from the mean, a
//! translucent band (p05–p95) in the same colour. Colours come from the colour-blind-safe
//! Okabe–Ito palette. [`svg`] returns a self-contained `<svg>` element for inlining in HTML;
//! [`png`] writes a PNG file.
//!
//! Rendering uses `plotters` with pure-Rust backends only. Text is laid out with the DejaVu
//! Sans font embedded from `assets/fonts/` (see `assets/fonts/LICENSE-DejaVu.txt`); it is
//! registered with plotters once, on first use.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};

use plotters::coord::Shift;
use plotters::coord::types::{RangedCoordf64, RangedCoordi32};
use plotters::prelude::*;
use plotters::style::{FontStyle, register_font};

/// DejaVu Sans, embedded so that chart text renders identically everywhere.
static FONT_BYTES: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");

/// Okabe–Ito colour-blind-safe palette, ordered so that the first colours contrast most
/// (yellow, hard to see on white, comes last). Series beyond eight reuse the palette.
const PALETTE: [RGBColor; 8] = [
    RGBColor(0x00, 0x72, 0xB2), // blue
    RGBColor(0xD5, 0x5E, 0x00), // vermillion
    RGBColor(0x00, 0x9E, 0x73), // bluish green
    RGBColor(0xCC, 0x79, 0xA7), // reddish purple
    RGBColor(0xE6, 0x9F, 0x00), // orange
    RGBColor(0x56, 0xB4, 0xE9), // sky blue
    RGBColor(0x00, 0x00, 0x00), // black
    RGBColor(0xF0, 0xE4, 0x42), // yellow
];

/// Colour of titles, labels and legend text.
const TEXT: RGBColor = RGBColor(0x22, 0x22, 0x22);
/// Colour of the "shaded band" legend swatch.
const BAND_KEY: RGBColor = RGBColor(0x70, 0x70, 0x70);
/// Opacity of the p05–p95 band fill.
const BAND_ALPHA: f64 = 0.2;
/// Smallest image size accepted; below this the axis labels cannot be laid out.
const MIN_WIDTH: u32 = 160;
/// Smallest image height accepted.
const MIN_HEIGHT: u32 = 120;
/// Font family name the embedded font is registered under.
pub(crate) const FONT: &str = "sans-serif";

/// One line on a chart: a mean with an optional uncertainty band, one value per x.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    /// Legend label, e.g. the variant name.
    pub name: String,
    /// Central value (mean over runs) per x. Non-finite values leave a gap in the line.
    pub mean: Vec<f64>,
    /// Lower edge of the band (p05) per x; equal to `mean` for no band.
    pub lo: Vec<f64>,
    /// Upper edge of the band (p95) per x; equal to `mean` for no band.
    pub hi: Vec<f64>,
}

/// Everything needed to draw one chart.
#[derive(Debug, Clone, PartialEq)]
pub struct ChartSpec {
    /// Title drawn above the plot, e.g. `"wmo_users: Wmo maatwerk users"`.
    pub title: String,
    /// Y axis label (the unit), e.g. `"persons"` or `"euros per month"`.
    pub y_label: String,
    /// X values (years), ascending.
    pub x: Vec<i32>,
    /// One series per variant; each vector must have `x.len()` values.
    pub series: Vec<Series>,
    /// Draw a horizontal line at y = 0 and make sure 0 is inside the y range (difference charts).
    pub zero_line: bool,
}

/// Why a chart could not be drawn or written.
#[derive(Debug, thiserror::Error)]
pub enum ChartError {
    /// The spec has no x values.
    #[error("chart {title:?}: no x values to plot")]
    EmptyX {
        /// Chart title.
        title: String,
    },
    /// A series vector does not have one value per x.
    #[error(
        "chart {title:?}: series {series:?} has {len} {field} values but there are {expected} x values"
    )]
    LengthMismatch {
        /// Chart title.
        title: String,
        /// Series name.
        series: String,
        /// Which vector: `"mean"`, `"lo"` or `"hi"`.
        field: &'static str,
        /// Its length.
        len: usize,
        /// The length of `x`.
        expected: usize,
    },
    /// The values are finite but too large to compute an axis range from.
    #[error("chart {title:?}: y values too large to plot")]
    ValueRange {
        /// Chart title.
        title: String,
    },
    /// The requested image is too small to lay out.
    #[error(
        "chart {title:?}: size {width}x{height} px is too small (minimum {MIN_WIDTH}x{MIN_HEIGHT})"
    )]
    TooSmall {
        /// Chart title.
        title: String,
        /// Requested width in pixels.
        width: u32,
        /// Requested height in pixels.
        height: u32,
    },
    /// The embedded font could not be registered with plotters.
    #[error("registering the embedded DejaVu Sans chart font failed")]
    Font,
    /// Plotters failed while drawing the SVG.
    #[error("drawing chart {title:?} as SVG failed: {message}")]
    Svg {
        /// Chart title.
        title: String,
        /// The plotters error.
        message: String,
    },
    /// Plotters failed while drawing or encoding the PNG.
    #[error("drawing chart {title:?} as PNG {path} failed: {message}")]
    Png {
        /// Chart title.
        title: String,
        /// Destination file.
        path: PathBuf,
        /// The plotters / image encoder error.
        message: String,
    },
    /// Moving the finished PNG into place failed.
    #[error("writing chart PNG {path} failed: {source}")]
    Io {
        /// Destination file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
}

/// Renders `spec` as a self-contained `<svg …>…</svg>` element of `width`×`height` px,
/// suitable for inlining in HTML (it has a `viewBox`, so CSS may rescale it).
pub fn svg(spec: &ChartSpec, width: u32, height: u32) -> Result<String, ChartError> {
    let layout = prepare(spec, width, height)?;
    render_svg(&spec.title, width, height, |root| draw(root, spec, &layout))
}

/// Draws with `f` on a `width`×`height` px SVG canvas and returns the `<svg …>` element
/// (charts and maps alike).
pub(crate) fn render_svg<F>(
    title: &str,
    width: u32,
    height: u32,
    f: F,
) -> Result<String, ChartError>
where
    F: FnOnce(
        &DrawingArea<SVGBackend<'_>, plotters::coord::Shift>,
    ) -> Result<
        (),
        DrawingAreaErrorKind<<SVGBackend<'static> as DrawingBackend>::ErrorType>,
    >,
{
    let mut out = String::new();
    {
        let root = SVGBackend::with_string(&mut out, (width, height)).into_drawing_area();
        f(&root)
            .and_then(|()| root.present())
            .map_err(|e| ChartError::Svg {
                title: title.to_owned(),
                message: e.to_string(),
            })?;
    }
    // plotters writes no XML prolog today; strip one should a future version add it.
    if let Some(start) = out.find("<svg") {
        out.drain(..start);
    }
    Ok(out)
}

/// Renders `spec` as a `width`×`height` px PNG file at `path`.
///
/// The image is first written to a hidden sibling file and then renamed into place, so
/// `path` never holds a half-written image and need not end in `.png`.
pub fn png(spec: &ChartSpec, width: u32, height: u32, path: &Path) -> Result<(), ChartError> {
    let layout = prepare(spec, width, height)?;
    render_png(&spec.title, width, height, path, |root| {
        draw(root, spec, &layout)
    })
}

/// Draws with `f` on a `width`×`height` px bitmap and writes it as a PNG to `path`, by way of
/// a hidden sibling file renamed into place (charts and maps alike).
pub(crate) fn render_png<F>(
    title: &str,
    width: u32,
    height: u32,
    path: &Path,
    f: F,
) -> Result<(), ChartError>
where
    F: FnOnce(
        &DrawingArea<BitMapBackend<'_>, plotters::coord::Shift>,
    ) -> Result<
        (),
        DrawingAreaErrorKind<<BitMapBackend<'static> as DrawingBackend>::ErrorType>,
    >,
{
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "chart".to_owned());
    // plotters picks the image format from the extension, so the temporary file ends in .png.
    // Unique per process and call, so concurrent exports never share a temporary file.
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let tmp = path.with_file_name(format!(".{file_name}.{}-{n}.tmp.png", std::process::id()));
    let png_err = |message: String| ChartError::Png {
        title: title.to_owned(),
        path: path.to_owned(),
        message,
    };
    let drawn = {
        let root = BitMapBackend::new(&tmp, (width, height)).into_drawing_area();
        f(&root).and_then(|()| root.present())
    };
    let result = drawn.map_err(|e| png_err(e.to_string())).and_then(|()| {
        std::fs::rename(&tmp, path).map_err(|source| ChartError::Io {
            path: path.to_owned(),
            source,
        })
    });
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// Registers the embedded font with plotters, once per process.
pub(crate) fn ensure_font() -> Result<(), ChartError> {
    static REGISTERED: OnceLock<bool> = OnceLock::new();
    let ok = *REGISTERED.get_or_init(|| register_font(FONT, FontStyle::Normal, FONT_BYTES).is_ok());
    if ok { Ok(()) } else { Err(ChartError::Font) }
}

/// Validated spec plus the derived axis ranges and sizes.
struct Layout {
    /// X axis range (inclusive ends map to the plot edges).
    x_range: (i32, i32),
    /// Y axis range after padding.
    y_range: (f64, f64),
    /// Maximum number of y tick labels.
    y_ticks: usize,
    /// Distance between y ticks, for formatting them consistently.
    y_step: Option<f64>,
    /// Size multiplier for fonts, line widths and margins.
    scale: f64,
    /// Whether any series has a visible band.
    any_band: bool,
}

/// Checks `spec` and computes axis ranges; the only fallible step before drawing.
fn prepare(spec: &ChartSpec, width: u32, height: u32) -> Result<Layout, ChartError> {
    let title = || spec.title.clone();
    if spec.x.is_empty() {
        return Err(ChartError::EmptyX { title: title() });
    }
    if width < MIN_WIDTH || height < MIN_HEIGHT {
        return Err(ChartError::TooSmall {
            title: title(),
            width,
            height,
        });
    }
    let n = spec.x.len();
    for s in &spec.series {
        for (field, v) in [("mean", &s.mean), ("lo", &s.lo), ("hi", &s.hi)] {
            if v.len() != n {
                return Err(ChartError::LengthMismatch {
                    title: title(),
                    series: s.name.clone(),
                    field,
                    len: v.len(),
                    expected: n,
                });
            }
        }
    }
    ensure_font()?;

    let x_min = *spec.x.iter().min().unwrap_or(&0);
    let x_max = *spec.x.iter().max().unwrap_or(&0);
    let x_range = if x_min == x_max {
        (x_min.saturating_sub(1), x_max.saturating_add(1))
    } else {
        (x_min, x_max)
    };

    let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
    for s in &spec.series {
        for &v in s.lo.iter().chain(&s.mean).chain(&s.hi) {
            if v.is_finite() {
                lo = lo.min(v);
                hi = hi.max(v);
            }
        }
    }
    if !lo.is_finite() {
        // No finite data at all: an empty unit range keeps the axes drawable.
        (lo, hi) = (0.0, 1.0);
    }
    let (data_lo, data_hi) = (lo, hi);
    if spec.zero_line {
        lo = lo.min(0.0);
        hi = hi.max(0.0);
    }
    let span = hi - lo;
    if !span.is_finite() {
        return Err(ChartError::ValueRange { title: title() });
    }
    let pad = if span > 0.0 {
        0.05 * span
    } else if lo != 0.0 {
        0.05 * lo.abs()
    } else {
        1.0
    };
    let (mut y_lo, mut y_hi) = (lo - pad, hi + pad);
    // Do not let padding push an all-positive (all-negative) chart across zero.
    if data_lo >= 0.0 && y_lo < 0.0 && !spec.zero_line {
        y_lo = 0.0;
    }
    if data_hi < 0.0 && y_hi > 0.0 && !spec.zero_line {
        y_hi = 0.0;
    }
    if y_lo >= y_hi || !(y_hi - y_lo).is_finite() {
        return Err(ChartError::ValueRange { title: title() });
    }

    let scale = (f64::from(width) / 800.0)
        .min(f64::from(height) / 450.0)
        .clamp(0.6, 3.0);
    let y_ticks = ((f64::from(height) / (45.0 * scale)) as usize).clamp(3, 10);
    let key = RangedCoordf64::from(y_lo..y_hi).key_points(y_ticks);
    let y_step = key.windows(2).map(|w| w[1] - w[0]).find(|d| *d > 0.0);
    let any_band = spec.series.iter().any(has_band);
    Ok(Layout {
        x_range,
        y_range: (y_lo, y_hi),
        y_ticks,
        y_step,
        scale,
        any_band,
    })
}

/// Whether `s` has a band noticeably different from its mean line.
fn has_band(s: &Series) -> bool {
    s.lo.iter().zip(&s.hi).any(|(lo, hi)| {
        lo.is_finite() && hi.is_finite() && (hi - lo).abs() > 1e-12 * hi.abs().max(1.0)
    })
}

/// Maximal runs of consecutive indices `0..n` for which `ok` holds.
fn runs(n: usize, ok: impl Fn(usize) -> bool) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    let mut start = None;
    for i in 0..=n {
        match (start, i < n && ok(i)) {
            (None, true) => start = Some(i),
            (Some(s), false) => {
                out.push(s..i);
                start = None;
            }
            _ => {}
        }
    }
    out
}

/// Text style in the embedded font at `size` (plotters units) in the text colour.
fn text_style(size: f64) -> TextStyle<'static> {
    TextStyle::from((FONT, size).into_font()).color(&TEXT)
}

/// The chart's coordinates: years across, values up.
type Plot = Cartesian2d<RangedCoordi32, RangedCoordf64>;

/// What drawing on a backend `DB` returns.
type Drawn<T, DB> = Result<T, DrawingAreaErrorKind<<DB as DrawingBackend>::ErrorType>>;

/// The chart's fonts.
struct Fonts {
    /// The title, shrunk to fit the width.
    title: TextStyle<'static>,
    /// Tick labels.
    tick: TextStyle<'static>,
    /// Axis descriptions.
    desc: TextStyle<'static>,
    /// The legend.
    legend: TextStyle<'static>,
}

/// `v` plotters units at the layout's scale, in pixels.
fn px(layout: &Layout, v: f64) -> i32 {
    (v * layout.scale).round() as i32
}

/// Text shrinks less than the rest on small canvases, so it stays legible.
fn font_scale(layout: &Layout) -> f64 {
    layout.scale.max(0.85)
}

/// Draws the whole chart onto `root`.
fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    spec: &ChartSpec,
    layout: &Layout,
) -> Drawn<(), DB> {
    root.fill(&WHITE)?;
    let fonts = fonts(root, spec, layout)?;
    let mut chart = axes(root, spec, layout, &fonts)?;
    if spec.zero_line {
        let (x_lo, x_hi) = layout.x_range;
        chart.draw_series(std::iter::once(PathElement::new(
            vec![(x_lo, 0.0), (x_hi, 0.0)],
            BLACK.mix(0.6).stroke_width(px(layout, 1.0).max(1) as u32),
        )))?;
    }
    // Bands first so every mean line lies on top of every band.
    bands(&mut chart, spec)?;
    lines(&mut chart, spec, layout)?;
    if !spec.series.is_empty() {
        legend(root, &mut chart, spec, layout, &fonts.legend)?;
    }
    Ok(())
}

/// The chart's fonts at the layout's scale; the title shrunk to fit the width.
fn fonts<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    spec: &ChartSpec,
    layout: &Layout,
) -> Drawn<Fonts, DB> {
    let fs = font_scale(layout);
    let (width, _) = root.dim_in_pixel();
    let mut title_size = 22.0 * fs;
    let title_w = f64::from(
        root.estimate_text_size(&spec.title, &text_style(title_size))?
            .0,
    );
    let avail = f64::from(width) * 0.94 - 24.0 * layout.scale;
    if title_w > avail && title_w > 0.0 {
        title_size = (title_size * avail / title_w).max(9.0);
    }
    Ok(Fonts {
        title: text_style(title_size),
        tick: text_style(13.0 * fs),
        desc: text_style(15.0 * fs),
        legend: text_style(13.0 * fs),
    })
}

/// The caption, the label areas (sized from the text they will hold, so nothing is
/// clipped), the axes and the horizontal grid.
fn axes<'a, DB: DrawingBackend>(
    root: &'a DrawingArea<DB, Shift>,
    spec: &ChartSpec,
    layout: &Layout,
    fonts: &Fonts,
) -> Drawn<ChartContext<'a, DB, Plot>, DB> {
    let (width, _) = root.dim_in_pixel();
    let (y_lo, y_hi) = layout.y_range;
    let (x_lo, x_hi) = layout.x_range;
    let y_fmt = |v: &f64| format_tick(*v, layout.y_step);

    let mut tick_w = 0u32;
    let mut tick_h = 0u32;
    for v in RangedCoordf64::from(y_lo..y_hi).key_points(layout.y_ticks) {
        let (w, h) = root.estimate_text_size(&y_fmt(&v), &fonts.tick)?;
        tick_w = tick_w.max(w);
        tick_h = tick_h.max(h);
    }
    let (year_w, year_h) = root.estimate_text_size(&x_hi.to_string(), &fonts.tick)?;
    tick_h = tick_h.max(year_h);
    let desc_h = root.estimate_text_size("year", &fonts.desc)?.1;
    let y_area = tick_w as i32 + desc_h as i32 + px(layout, 22.0);
    let x_area = tick_h as i32 + desc_h as i32 + px(layout, 20.0);
    // Leave at least one label width of space between year labels.
    let plot_w = f64::from(width) - f64::from(y_area.max(0) as u32) - 20.0 * layout.scale;
    let x_ticks = ((plot_w / (2.2 * f64::from(year_w.max(1)))) as usize).clamp(2, 12);

    let mut chart = ChartBuilder::on(root)
        .caption(&spec.title, fonts.title.clone())
        .margin_top(px(layout, 10.0))
        .margin_left(px(layout, 10.0))
        .margin_bottom(px(layout, 6.0))
        .margin_right((year_w as i32 / 2 + px(layout, 8.0)).max(px(layout, 16.0)))
        .x_label_area_size(x_area)
        .y_label_area_size(y_area)
        .build_cartesian_2d(x_lo..x_hi, y_lo..y_hi)?;

    let grid = BLACK.mix(0.1);
    let axis = BLACK.mix(0.55);
    chart
        .configure_mesh()
        .disable_x_mesh()
        .bold_line_style(grid)
        .light_line_style(TRANSPARENT)
        .axis_style(axis)
        .x_labels(x_ticks)
        .y_labels(layout.y_ticks)
        .x_label_formatter(&|x: &i32| x.to_string())
        .y_label_formatter(&y_fmt)
        .label_style(fonts.tick.clone())
        .axis_desc_style(fonts.desc.clone())
        .x_desc("year")
        .y_desc(spec.y_label.as_str())
        .draw()?;
    Ok(chart)
}

/// Each series' p05-p95 band, as polygons over its runs of finite values.
fn bands<DB: DrawingBackend>(
    chart: &mut ChartContext<'_, DB, Plot>,
    spec: &ChartSpec,
) -> Drawn<(), DB> {
    for (i, series) in spec.series.iter().enumerate() {
        let colour = PALETTE[i % PALETTE.len()];
        let band_ok = |j: usize| series.lo[j].is_finite() && series.hi[j].is_finite();
        let polygons = runs(spec.x.len(), band_ok)
            .into_iter()
            .filter(|r| r.len() >= 2 && has_band_in(series, r.clone()))
            .map(|r| {
                let upper = r.clone().map(|j| (spec.x[j], series.hi[j]));
                let lower = r.rev().map(|j| (spec.x[j], series.lo[j]));
                Polygon::new(
                    upper.chain(lower).collect::<Vec<_>>(),
                    colour.mix(BAND_ALPHA).filled(),
                )
            });
        chart.draw_series(polygons)?;
    }
    Ok(())
}

/// Each series' mean line (a dot where a value stands alone) with its legend entry, and the
/// band's legend entry when there are bands.
fn lines<'a, DB: DrawingBackend + 'a>(
    chart: &mut ChartContext<'a, DB, Plot>,
    spec: &ChartSpec,
    layout: &Layout,
) -> Drawn<(), DB> {
    let line_w = px(layout, 2.0).max(2) as u32;
    let (sw, sh) = (px(layout, 24.0), px(layout, 6.0));
    for (i, series) in spec.series.iter().enumerate() {
        let colour = PALETTE[i % PALETTE.len()];
        let line = colour.stroke_width(line_w);
        let mut dots = Vec::new();
        let mut paths = Vec::new();
        for r in runs(spec.x.len(), |j| series.mean[j].is_finite()) {
            let pts: Vec<(i32, f64)> = r.map(|j| (spec.x[j], series.mean[j])).collect();
            if pts.len() == 1 {
                dots.push(pts[0]);
            } else {
                paths.push(PathElement::new(pts, line));
            }
        }
        chart.draw_series(paths)?;
        let band = if has_band(series) {
            colour.mix(BAND_ALPHA).filled()
        } else {
            TRANSPARENT.filled()
        };
        let dot = px(layout, 3.0).max(2) as u32;
        chart
            .draw_series(
                dots.into_iter()
                    .map(|p| Circle::new(p, dot, colour.filled())),
            )?
            .label(series.name.as_str())
            .legend(move |(x, y)| {
                EmptyElement::at((x, y))
                    + Rectangle::new([(0, -sh), (sw, sh)], band)
                    + PathElement::new(vec![(0, 0), (sw, 0)], line)
            });
    }
    if layout.any_band {
        chart
            .draw_series(std::iter::empty::<PathElement<(i32, f64)>>())?
            .label("shaded: p05–p95")
            .legend(move |(x, y)| {
                EmptyElement::at((x, y))
                    + Rectangle::new([(0, -sh), (sw, sh)], BAND_KEY.mix(0.35).filled())
            });
    }
    Ok(())
}

/// The legend box, in the corner where it covers the least data.
fn legend<'a, DB: DrawingBackend + 'a>(
    root: &DrawingArea<DB, Shift>,
    chart: &mut ChartContext<'a, DB, Plot>,
    spec: &ChartSpec,
    layout: &Layout,
    font: &TextStyle<'static>,
) -> Drawn<(), DB> {
    let labels: Vec<&str> = spec
        .series
        .iter()
        .map(|s| s.name.as_str())
        .chain(layout.any_band.then_some("shaded: p05–p95"))
        .collect();
    let mut label_w = 0u32;
    for l in &labels {
        label_w = label_w.max(root.estimate_text_size(l, font)?.0);
    }
    let margin = px(layout, 8.0);
    let swatch_area = px(layout, 32.0);
    let box_w = label_w as i32 + swatch_area + 2 * margin;
    let box_h =
        (labels.len() as f64 * 13.0 * font_scale(layout) * 1.25).round() as i32 + 2 * margin;
    let position = legend_corner(
        spec,
        layout,
        chart.plotting_area().dim_in_pixel(),
        box_w,
        box_h,
    );
    chart
        .configure_series_labels()
        .position(position)
        .margin(margin)
        .legend_area_size(swatch_area)
        .label_font(font.clone())
        .background_style(WHITE.mix(0.85))
        .border_style(BLACK.mix(0.25))
        .draw()?;
    Ok(())
}

/// Whether `s` has a visible band anywhere in `r`.
fn has_band_in(s: &Series, r: std::ops::Range<usize>) -> bool {
    r.into_iter().any(|j| {
        let (lo, hi) = (s.lo[j], s.hi[j]);
        (hi - lo).abs() > 1e-12 * hi.abs().max(1.0)
    })
}

/// Picks the plot corner whose legend-sized box covers the least data (lines and bands).
fn legend_corner(
    spec: &ChartSpec,
    layout: &Layout,
    (area_w, area_h): (u32, u32),
    box_w: i32,
    box_h: i32,
) -> SeriesLabelPosition {
    let (area_w, area_h) = (f64::from(area_w).max(1.0), f64::from(area_h).max(1.0));
    // Box extent as fractions of the plot, including the 5 px offset plotters adds.
    let fw = ((f64::from(box_w) + 5.0) / area_w).min(1.0);
    let fh = ((f64::from(box_h) + 5.0) / area_h).min(1.0);
    let (x_lo, x_hi) = (f64::from(layout.x_range.0), f64::from(layout.x_range.1));
    let (y_lo, y_hi) = layout.y_range;
    let fy = |y: f64| (y - y_lo) / (y_hi - y_lo);
    let candidates = [
        (SeriesLabelPosition::UpperLeft, (0.0, fw), (1.0 - fh, 1.0)),
        (
            SeriesLabelPosition::UpperRight,
            (1.0 - fw, 1.0),
            (1.0 - fh, 1.0),
        ),
        (SeriesLabelPosition::LowerLeft, (0.0, fw), (0.0, fh)),
        (SeriesLabelPosition::LowerRight, (1.0 - fw, 1.0), (0.0, fh)),
    ];
    // Sample every series densely along x (interpolating between years).
    const SAMPLES: usize = 60;
    let mut best = (usize::MAX, SeriesLabelPosition::UpperLeft);
    for (pos, (bx0, bx1), (by0, by1)) in candidates {
        let mut hits = 0;
        for s in &spec.series {
            for k in 0..=SAMPLES {
                let t = k as f64 / SAMPLES as f64;
                if t < bx0 || t > bx1 {
                    continue;
                }
                let x = x_lo + t * (x_hi - x_lo);
                let vals = [&s.lo, &s.mean, &s.hi].map(|v| interpolate(&spec.x, v, x));
                let finite = vals.iter().flatten().map(|&v| fy(v));
                let (lo, hi) = finite.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| {
                    (a.min(v), b.max(v))
                });
                if lo <= by1 && hi >= by0 {
                    hits += 1;
                }
            }
        }
        if spec.zero_line {
            let z = fy(0.0);
            if z >= by0 && z <= by1 {
                hits += 1;
            }
        }
        if hits < best.0 {
            best = (hits, pos);
        }
    }
    best.1
}

/// Linear interpolation of `v` (paired with ascending `xs`) at `x`; `None` for gaps.
fn interpolate(xs: &[i32], v: &[f64], x: f64) -> Option<f64> {
    let i = xs.iter().position(|&xi| f64::from(xi) >= x)?;
    let (x1, v1) = (f64::from(xs[i]), v[i]);
    if i == 0 || x1 == x {
        return v1.is_finite().then_some(v1);
    }
    let (x0, v0) = (f64::from(xs[i - 1]), v[i - 1]);
    if !(v0.is_finite() && v1.is_finite()) || x1 <= x0 {
        return None;
    }
    Some(v0 + (v1 - v0) * (x - x0) / (x1 - x0))
}

/// Compact, readable label for a number on its own, as used for chart ticks:
/// `1234567` → `"1.2M"`, `45000` → `"45k"`, `250` → `"250"`, `12.5` → `"12.5"`,
/// `0.125` → `"0.125"`, `0.5` → `"0.50"`. Units above 1 000 are k, M and B (10⁹).
///
/// Charts themselves format ticks with the axis tick spacing taken into account, so that
/// neighbouring ticks never share a label.
pub fn tick_label(v: f64) -> String {
    format_tick(v, None)
}

/// [`tick_label`] with the axis tick spacing known, so neighbouring ticks never get the
/// same label (e.g. 1.05M vs 1.1M) and all ticks below 1 000 share one precision.
fn format_tick(v: f64, step: Option<f64>) -> String {
    if !v.is_finite() {
        return v.to_string();
    }
    let a = v.abs();
    let zero_eps = step.map_or(0.0, |s| s.abs() * 1e-6);
    if a <= zero_eps {
        return "0".to_owned();
    }
    // Decimals needed to tell ticks `step / div` apart.
    let needed = |div: f64| -> usize {
        step.map_or(0, |s| {
            let rel = (s.abs() / div).max(1e-12);
            (-rel.log10() - 1e-9).ceil().clamp(0.0, 4.0) as usize
        })
    };
    const UNITS: [(f64, &str); 3] = [(1e9, "B"), (1e6, "M"), (1e3, "k")];
    if a >= 999.5 {
        // Pick the largest unit whose rounded value is at least 1.
        for (idx, &(div, suffix)) in UNITS.iter().enumerate() {
            let decimals = needed(div).clamp(1, 3);
            let text = format!("{:.*}", decimals, v / div);
            let rounded: f64 = text.parse().unwrap_or(v / div);
            if rounded.abs() >= 1.0 || idx == UNITS.len() - 1 {
                // 999 950 rounds to "1000.0k": promote to the next unit up.
                if rounded.abs() >= 1000.0 && idx > 0 {
                    let (div, suffix) = UNITS[idx - 1];
                    let text = format!("{:.*}", decimals.max(1), v / div);
                    return format!("{}{suffix}", trim_zeros(&text));
                }
                return format!("{}{suffix}", trim_zeros(&text));
            }
        }
    }
    match step {
        Some(_) => {
            // Shares and other small-step axes get at least two decimals.
            let mut decimals = needed(1.0);
            if decimals == 1 {
                decimals = 2;
            }
            format!("{v:.decimals$}")
        }
        None if a >= 100.0 => format!("{v:.0}"),
        None if a >= 1.0 => trim_zeros(&format!("{v:.1}")).to_owned(),
        None if a >= 0.001 => {
            // 2-3 decimals: "0.50", "0.125", "0.05".
            let text = format!("{v:.3}");
            text.strip_suffix('0').unwrap_or(&text).to_owned()
        }
        None => format!("{v:.1e}"),
    }
}

/// `"45.0"` → `"45"`, `"1.20"` → `"1.2"`; leaves integers alone.
fn trim_zeros(text: &str) -> &str {
    if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.')
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn two_series() -> ChartSpec {
        let x: Vec<i32> = (2024..=2040).collect();
        let base: Vec<f64> = x
            .iter()
            .map(|&y| 41_000.0 + 900.0 * f64::from(y - 2024))
            .collect();
        let reform: Vec<f64> = x
            .iter()
            .map(|&y| 41_000.0 + 400.0 * f64::from(y - 2024))
            .collect();
        let band = |m: &[f64], w: f64| -> (Vec<f64>, Vec<f64>) {
            let lo = m
                .iter()
                .enumerate()
                .map(|(i, v)| v - w * (1.0 + i as f64))
                .collect();
            let hi = m
                .iter()
                .enumerate()
                .map(|(i, v)| v + w * (1.0 + i as f64))
                .collect();
            (lo, hi)
        };
        let (blo, bhi) = band(&base, 150.0);
        let (rlo, rhi) = band(&reform, 250.0);
        ChartSpec {
            title: "wmo_users: Wmo maatwerk users".into(),
            y_label: "persons".into(),
            x,
            series: vec![
                Series {
                    name: "baseline".into(),
                    mean: base,
                    lo: blo,
                    hi: bhi,
                },
                Series {
                    name: "eigen_bijdrage_hoog".into(),
                    mean: reform,
                    lo: rlo,
                    hi: rhi,
                },
            ],
            zero_line: false,
        }
    }

    #[test]
    fn svg_contains_title_names_and_lines() {
        let out = svg(&two_series(), 800, 450).unwrap();
        assert!(out.starts_with("<svg"), "{}", &out[..80.min(out.len())]);
        assert!(out.trim_end().ends_with("</svg>"));
        assert!(out.contains("wmo_users: Wmo maatwerk users"));
        assert!(out.contains("baseline"));
        assert!(out.contains("eigen_bijdrage_hoog"));
        assert!(out.contains("<polyline") || out.contains("<path"));
        assert!(out.contains("<polygon"), "bands are drawn as polygons");
        assert!(out.contains(">year") || out.contains("year\n"));
    }

    #[test]
    fn png_writes_a_png_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("chart.png");
        png(&two_series(), 900, 500, &path).unwrap();
        let bytes = std::fs::read(&path).unwrap();
        assert!(bytes.starts_with(b"\x89PNG\r\n\x1a\n"));
        assert!(bytes.len() > 1024, "only {} bytes", bytes.len());
        // No temporary file is left behind.
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn png_path_without_png_extension() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("chart.out");
        png(&two_series(), 400, 300, &path).unwrap();
        assert!(std::fs::read(&path).unwrap().starts_with(b"\x89PNG"));
    }

    #[test]
    fn png_into_missing_directory_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("missing").join("chart.png");
        let err = png(&two_series(), 400, 300, &path).unwrap_err();
        assert!(err.to_string().contains("chart.png"), "{err}");
    }

    #[test]
    fn flat_series_and_zero_line() {
        let x = vec![2024, 2025, 2026];
        let flat = Series {
            name: "flat".into(),
            mean: vec![5.0; 3],
            lo: vec![5.0; 3],
            hi: vec![5.0; 3],
        };
        let mut spec = ChartSpec {
            title: "flat".into(),
            y_label: "persons".into(),
            x,
            series: vec![flat],
            zero_line: false,
        };
        let out = svg(&spec, 640, 360).unwrap();
        assert!(out.contains("<polyline"));
        assert!(
            !out.contains("p05"),
            "no band legend for a series without band"
        );
        let layout = prepare(&spec, 640, 360).unwrap();
        assert!(layout.y_range.0 < 5.0 && layout.y_range.1 > 5.0);

        spec.zero_line = true;
        let layout = prepare(&spec, 640, 360).unwrap();
        assert!(layout.y_range.0 < 0.0 && layout.y_range.1 > 5.0);
        svg(&spec, 640, 360).unwrap();

        // All zero: flat at zero, with and without the zero line.
        for s in &mut spec.series {
            s.mean = vec![0.0; 3];
            s.lo = vec![0.0; 3];
            s.hi = vec![0.0; 3];
        }
        svg(&spec, 640, 360).unwrap();
        spec.zero_line = false;
        svg(&spec, 640, 360).unwrap();
    }

    #[test]
    fn nan_values_single_year_and_no_series() {
        let mut spec = two_series();
        spec.series[0].mean[3] = f64::NAN;
        spec.series[0].lo[5] = f64::NAN;
        spec.series[1].hi[0] = f64::INFINITY;
        svg(&spec, 800, 450).unwrap();

        for s in &mut spec.series {
            s.mean.fill(f64::NAN);
            s.lo.fill(f64::NAN);
            s.hi.fill(f64::NAN);
        }
        svg(&spec, 800, 450).unwrap();

        let single = ChartSpec {
            title: "one year".into(),
            y_label: "euros".into(),
            x: vec![2030],
            series: vec![Series {
                name: "a".into(),
                mean: vec![3.0],
                lo: vec![2.0],
                hi: vec![4.0],
            }],
            zero_line: true,
        };
        assert!(svg(&single, 400, 300).unwrap().contains("<circle"));

        let empty = ChartSpec {
            series: vec![],
            ..two_series()
        };
        svg(&empty, 400, 300).unwrap();
    }

    #[test]
    fn invalid_specs_are_errors() {
        let mut spec = two_series();
        spec.series[1].hi.pop();
        let err = svg(&spec, 800, 450).unwrap_err();
        assert!(matches!(
            err,
            ChartError::LengthMismatch { field: "hi", .. }
        ));
        assert!(err.to_string().contains("eigen_bijdrage_hoog"), "{err}");

        let empty = ChartSpec {
            x: vec![],
            series: vec![],
            ..two_series()
        };
        assert!(matches!(
            svg(&empty, 800, 450),
            Err(ChartError::EmptyX { .. })
        ));

        assert!(matches!(
            svg(&two_series(), 10, 10),
            Err(ChartError::TooSmall { .. })
        ));

        let mut huge = two_series();
        huge.series[0].hi[0] = f64::MAX;
        huge.series[0].lo[0] = -f64::MAX;
        assert!(matches!(
            svg(&huge, 800, 450),
            Err(ChartError::ValueRange { .. })
        ));
    }

    #[test]
    fn small_and_large_sizes_render() {
        let spec = two_series();
        svg(&spec, MIN_WIDTH, MIN_HEIGHT).unwrap();
        svg(&spec, 2400, 1350).unwrap();
        let long = ChartSpec {
            title: "a very long title that would never fit into a small chart at all, really"
                .into(),
            ..two_series()
        };
        svg(&long, 300, 200).unwrap();
    }

    #[test]
    fn tick_labels() {
        assert_eq!(tick_label(0.0), "0");
        assert_eq!(tick_label(1_234_567.0), "1.2M");
        assert_eq!(tick_label(2_000_000.0), "2M");
        assert_eq!(tick_label(45_000.0), "45k");
        assert_eq!(tick_label(1_500.0), "1.5k");
        assert_eq!(tick_label(-45_000.0), "-45k");
        assert_eq!(tick_label(3_400_000_000.0), "3.4B");
        assert_eq!(tick_label(999_960.0), "1M");
        assert_eq!(tick_label(250.0), "250");
        assert_eq!(tick_label(12.5), "12.5");
        assert_eq!(tick_label(3.0), "3");
        assert_eq!(tick_label(0.5), "0.50");
        assert_eq!(tick_label(0.125), "0.125");
        assert_eq!(tick_label(0.05), "0.05");
        assert_eq!(tick_label(0.0004), "4.0e-4");
    }

    #[test]
    fn tick_labels_with_step_stay_distinct() {
        let fmt = |vs: &[f64], step: f64| {
            vs.iter()
                .map(|&v| format_tick(v, Some(step)))
                .collect::<Vec<_>>()
        };
        assert_eq!(fmt(&[1.0e6, 1.05e6, 1.1e6], 5e4), ["1M", "1.05M", "1.1M"]);
        assert_eq!(fmt(&[0.0, 20_000.0, 40_000.0], 2e4), ["0", "20k", "40k"]);
        assert_eq!(fmt(&[0.4, 0.45, 0.5], 0.05), ["0.40", "0.45", "0.50"]);
        assert_eq!(fmt(&[0.1, 0.2], 0.1), ["0.10", "0.20"]);
        assert_eq!(fmt(&[0.012, 0.014], 0.002), ["0.012", "0.014"]);
        assert_eq!(fmt(&[100.0, 150.0, 200.0], 50.0), ["100", "150", "200"]);
        assert_eq!(fmt(&[-2.0e-17, 1.0], 0.5), ["0", "1.00"]);
    }

    /// Writes example charts to the temp dir for a visual check:
    /// `cargo test --release --lib report::chart -- --ignored`.
    #[test]
    #[ignore = "writes example files for manual inspection"]
    fn render_examples() {
        let dir = std::env::temp_dir();
        let spec = two_series();
        png(&spec, 1000, 560, &dir.join("chart_example.png")).unwrap();
        std::fs::write(dir.join("chart_example.svg"), svg(&spec, 800, 450).unwrap()).unwrap();

        let mut diff = two_series();
        diff.title = "wmo_users: difference from baseline".into();
        for s in &mut diff.series {
            for v in [&mut s.mean, &mut s.lo, &mut s.hi] {
                for (i, x) in v.iter_mut().enumerate() {
                    *x = (*x - 41_000.0 - 650.0 * i as f64) * 0.01;
                }
            }
        }
        diff.zero_line = true;
        png(&diff, 800, 450, &dir.join("chart_example_diff.png")).unwrap();

        // Falling shares on a small canvas: the legend should avoid the lines.
        let mut share = two_series();
        share.title = "bijstand_share: share of households on bijstand".into();
        share.y_label = "share".into();
        for s in &mut share.series {
            for v in [&mut s.mean, &mut s.lo, &mut s.hi] {
                for x in v.iter_mut() {
                    *x = 0.9 - (*x - 41_000.0) / 40_000.0;
                }
            }
        }
        png(&share, 420, 280, &dir.join("chart_example_small.png")).unwrap();
    }
}
