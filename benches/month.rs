//! Engine speed: one simulated month at scales 0.01 and 0.1 (citizen-months per second,
//! criterion's "elements/s"), generating the starting population, building a simulation
//! (population plus the 120-month warm-up), and a memory-streaming baseline over an array as
//! large as the citizen state. The last item, `ratio`, times a month and the streaming pass
//! in the same run and prints the month's cost in streaming passes (issue #8): that ratio is
//! comparable across machines where seconds are not.
//!
//! Run with `cargo bench --bench month` (all) or e.g. `cargo bench --bench month -- ratio`.
//! Scale 0.01 is about 170 000 citizens, 0.1 about 1,7 million. Threads: rayon's default
//! (all cores), or `RAYON_NUM_THREADS`.

#![allow(clippy::print_stdout)] // The ratio's line is this benchmark's report.

use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use rayon::prelude::*;
use sociaal::engine::{Model, Month, PhaseTimer};
use sociaal::model::Simulation;
use std::hint::black_box;
use std::path::Path;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

const SCALES: [f64; 2] = [0.01, 0.1];
/// Bytes of state per citizen in `Citizens` (its 20 arrays), rounded to a 32-byte record:
/// the streaming baseline moves as many bytes as there are citizens times this.
const RECORD_BYTES: usize = 32;
/// The month stepped: mid-2015, after the warm-up.
const MONTH: (u32, u32) = (2015, 6);

fn scenario(scale: f64) -> sociaal::scenario::Scenario {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../scenarios/baseline.toml");
    let mut s = sociaal::scenario::load(&path).expect("baseline.toml is valid");
    s.scale = scale;
    s
}

/// A simulation built once per scale and process (building one at 0.1 takes seconds).
fn built(scale: f64) -> &'static Simulation {
    static SIMS: [OnceLock<Simulation>; 2] = [OnceLock::new(), OnceLock::new()];
    let k = SCALES
        .iter()
        .position(|&s| s == scale)
        .expect("a bench scale");
    SIMS[k].get_or_init(|| {
        let s = scenario(scale);
        Simulation::new(&s, &s.variants[0], s.seed)
    })
}

/// The streaming baseline: one read-modify-write pass over `n` 32-byte records.
fn stream_pass(records: &mut [[u64; 4]], parallel: bool) {
    let touch = |r: &mut [u64; 4]| {
        for x in r.iter_mut() {
            *x = x.wrapping_add(1);
        }
    };
    if parallel {
        records
            .par_chunks_mut(8192)
            .for_each(|c| c.iter_mut().for_each(touch));
    } else {
        records.iter_mut().for_each(touch);
    }
}

fn month(c: &mut Criterion) {
    let mut group = c.benchmark_group("month");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(20));
    for scale in SCALES {
        let sim = built(scale);
        group.throughput(Throughput::Elements(sim.world.population() as u64));
        group.bench_function(format!("scale_{scale}"), |b| {
            b.iter_batched(
                || sim.clone(),
                |mut sim| {
                    let mut t = PhaseTimer::new();
                    black_box(sim.step_month(Month::new(MONTH.0, MONTH.1), &mut t))
                },
                BatchSize::PerIteration,
            )
        });
    }
    group.finish();
}

fn stream(c: &mut Criterion) {
    let mut group = c.benchmark_group("stream");
    group.sample_size(20);
    for scale in SCALES {
        let n = built(scale).world.citizens.len();
        let mut records = vec![[0u64; 4]; n];
        group.throughput(Throughput::Bytes((n * RECORD_BYTES) as u64));
        for parallel in [false, true] {
            let name = if parallel {
                "all_threads"
            } else {
                "one_thread"
            };
            group.bench_function(format!("scale_{scale}_{name}"), |b| {
                b.iter(|| stream_pass(black_box(&mut records), parallel))
            });
        }
    }
    group.finish();
}

fn population(c: &mut Criterion) {
    let mut group = c.benchmark_group("population");
    group.sample_size(10);
    let s = scenario(0.01);
    let v = &s.variants[0];
    let p = &v.params;
    let geo = || sociaal::model::geography::Geography::of(&v.geography, &p.geography, s.seed);
    group.throughput(Throughput::Elements(built(0.01).world.population() as u64));
    group.bench_function("generate_scale_0.01", |b| {
        b.iter(|| {
            black_box(sociaal::model::population::generate(
                geo(),
                p,
                s.seed,
                s.scale,
                s.start,
            ))
        })
    });
    // Population, limitation histories and the 120-month warm-up.
    group.bench_function("simulation_new_scale_0.01", |b| {
        b.iter(|| black_box(Simulation::new(&s, &s.variants[0], s.seed)))
    });
    group.finish();
}

/// Median wall time of `f` over `n` runs.
fn median(n: usize, mut f: impl FnMut() -> Duration) -> Duration {
    let mut v: Vec<Duration> = (0..n).map(|_| f()).collect();
    v.sort();
    v[n / 2]
}

/// The engine against the streaming baseline, measured here and now: prints one line per
/// scale and threads, and writes them to target/criterion/ratio.txt.
fn ratio(_: &mut Criterion) {
    let threads = rayon::current_num_threads();
    let mut lines = vec![format!(
        "# month vs streaming baseline, {threads} thread(s); a pass = one read-modify-write over citizens x {RECORD_BYTES} B"
    )];
    for scale in SCALES {
        let sim = built(scale);
        let agents = sim.world.population();
        let month = median(5, || {
            let mut s = sim.clone();
            let t0 = Instant::now();
            black_box(s.step_month(Month::new(MONTH.0, MONTH.1), &mut PhaseTimer::new()));
            t0.elapsed()
        });
        let mut records = vec![[0u64; 4]; sim.world.citizens.len()];
        let pass = |parallel: bool, records: &mut Vec<[u64; 4]>| {
            median(21, || {
                let t0 = Instant::now();
                stream_pass(black_box(records), parallel);
                t0.elapsed()
            })
        };
        let one = pass(false, &mut records);
        let all = pass(true, &mut records);
        let line = format!(
            "scale {scale}: {agents} citizens, month {:.1} ms = {:.2e} citizen-months/s; stream pass {:.2} ms on one thread, {:.2} ms on {threads}; month = {:.1} one-thread passes = {:.1} {threads}-thread passes",
            month.as_secs_f64() * 1e3,
            agents as f64 / month.as_secs_f64(),
            one.as_secs_f64() * 1e3,
            all.as_secs_f64() * 1e3,
            month.as_secs_f64() / one.as_secs_f64(),
            month.as_secs_f64() / all.as_secs_f64(),
        );
        println!("{line}");
        lines.push(line);
    }
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/criterion");
    if std::fs::create_dir_all(&dir).is_ok() {
        let _ = std::fs::write(dir.join("ratio.txt"), lines.join("\n") + "\n");
    }
}

criterion_group!(benches, month, stream, population, ratio);
criterion_main!(benches);
