//! One simulated month at two scales, reported as citizen-months per second (criterion's
//! "elements/s"), plus generating the starting population.
//!
//! Run with `cargo bench --bench month`. Scale 0.001 is about 17 000 citizens, 0.01 about
//! 170 000.

use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use sociaal::engine::{Model, Month, PhaseTimer};
use sociaal::model::Simulation;
use std::hint::black_box;
use std::path::Path;

fn scenario(scale: f64) -> sociaal::scenario::Scenario {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/baseline.toml");
    let mut s = sociaal::scenario::load(&path).expect("baseline.toml is valid");
    s.scale = scale;
    s
}

fn month(c: &mut Criterion) {
    let mut group = c.benchmark_group("month");
    group.sample_size(20);
    for scale in [0.001, 0.01] {
        let s = scenario(scale);
        let sim = Simulation::new(&s, &s.variants[0], s.seed);
        let agents = sim.world.population() as u64;
        group.throughput(Throughput::Elements(agents));
        group.bench_function(format!("scale_{scale}"), |b| {
            b.iter_batched(
                || sim.clone(),
                |mut sim| {
                    let mut t = PhaseTimer::new();
                    black_box(sim.step_month(Month::new(2015, 6), &mut t))
                },
                BatchSize::LargeInput,
            )
        });
    }
    group.finish();
}

fn population(c: &mut Criterion) {
    let mut group = c.benchmark_group("population");
    group.sample_size(10);
    let s = scenario(0.01);
    let agents = Simulation::new(&s, &s.variants[0], s.seed)
        .world
        .population() as u64;
    group.throughput(Throughput::Elements(agents));
    group.bench_function("generate_scale_0.01", |b| {
        b.iter(|| black_box(Simulation::new(&s, &s.variants[0], s.seed)))
    });
    group.finish();
}

criterion_group!(benches, month, population);
criterion_main!(benches);
