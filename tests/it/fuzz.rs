//! The fuzz targets' bodies (`sociaal::fuzzing`) on stable: every kept input (the seed files
//! and `fuzz/regressions/`) and a few thousand deterministic mutations of valid files. The
//! coverage-guided runs themselves need nightly and cargo-fuzz (fuzz/README.md).

use crate::root;
use sociaal::fuzzing;
use std::path::{Path, PathBuf};

fn files(dir: &Path, ext: Option<&str>) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| rd.map(|e| e.unwrap().path()).collect())
        .unwrap_or_default();
    v.retain(|p| p.is_file() && ext.is_none_or(|x| p.extension().is_some_and(|e| e == x)));
    v.sort();
    v
}

fn read(p: &Path) -> Vec<u8> {
    std::fs::read(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

#[test]
fn kept_fuzz_inputs_are_accepted_or_refused_without_panic() {
    let dir = fuzzing::workspace();
    let mut n = 0;
    for p in files(&root().join("fuzz/regressions/scenario"), None) {
        fuzzing::scenario(&dir, &read(&p));
        n += 1;
    }
    for p in files(&root().join("fuzz/regressions/geography"), None) {
        fuzzing::geography(&read(&p));
        n += 1;
    }
    // The shipped scenarios read as the fuzzer's input are accepted where they do not
    // depend on their own directory.
    assert!(fuzzing::scenario(
        &dir,
        &read(&root().join("scenarios/baseline.toml"))
    ));
    assert!(n >= 1, "fuzz/regressions holds no kept inputs");
}

/// A small deterministic mutator (xorshift): flips, deletes, duplicates and splices bytes and
/// lines, the kinds of damage hand edits and truncated copies do.
struct Mutator(u64);

impl Mutator {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn mutate(&mut self, src: &[u8], tokens: &[&[u8]]) -> Vec<u8> {
        let mut v = src.to_vec();
        for _ in 0..1 + self.below(4) {
            let at = self.below(v.len() + 1);
            match self.below(7) {
                0 if !v.is_empty() => {
                    let i = at.min(v.len() - 1);
                    v[i] = self.next() as u8;
                }
                1 => {
                    let end = (at + self.below(16)).min(v.len());
                    v.drain(at..end);
                }
                2 => {
                    let t = tokens[self.below(tokens.len())];
                    v.splice(at..at, t.iter().copied());
                }
                3 if !v.is_empty() => {
                    // duplicate a line
                    let s = v[..at.min(v.len())]
                        .iter()
                        .rposition(|&b| b == b'\n')
                        .map_or(0, |i| i + 1);
                    let e = v[s..]
                        .iter()
                        .position(|&b| b == b'\n')
                        .map_or(v.len(), |i| s + i + 1);
                    let line = v[s..e].to_vec();
                    v.splice(e..e, line);
                }
                4 => v.truncate(at),
                5 => {
                    let digits = b"0123456789-.e+";
                    v.insert(at, digits[self.below(digits.len())]);
                }
                _ => v.insert(at, self.next() as u8),
            }
        }
        v
    }
}

#[test]
fn mutated_scenarios_are_accepted_or_refused_without_panic() {
    let dir = fuzzing::workspace();
    let seeds: Vec<Vec<u8>> = [
        "fuzz/workspace/base.toml",
        "tests/data/tiny.toml",
        "tests/bad_scenarios/share_above_one.toml",
        "tests/bad_scenarios/variant_typo.toml",
    ]
    .iter()
    .map(|p| read(&root().join(p)))
    .collect();
    let tokens: &[&[u8]] = &[
        b"\n[[variant]]\nname = \"x\"\n",
        b"\nextends = \"base.toml\"\n",
        b"\n[geography]\nfile = \"gemeenten.csv\"\n",
        b"\n[demography]\ntotal_fertility = ",
        b"\nend = \"2014-12\"\n",
        b"1e308",
        b"-1",
        b"\"",
        b"[",
        b"{ a = 1 }",
        b"\xff\xfe",
        "é".as_bytes(),
    ];
    mutate_and_feed(0x5eed_f00d, 4000, &seeds, tokens, |input| {
        fuzzing::scenario(&dir, input)
    });
}

/// Feeds `n` mutations of the `seeds` (in turn) to `target`; both outcomes must occur, or
/// the mutator tests nothing.
fn mutate_and_feed(
    seed: u64,
    n: usize,
    seeds: &[Vec<u8>],
    tokens: &[&[u8]],
    target: impl Fn(&[u8]) -> bool,
) {
    let mut m = Mutator(seed);
    let (mut accepted, mut refused) = (0, 0);
    for i in 0..n {
        if target(&m.mutate(&seeds[i % seeds.len()], tokens)) {
            accepted += 1;
        } else {
            refused += 1;
        }
    }
    assert!(
        accepted > 10 && refused > 10,
        "{accepted} accepted, {refused} refused"
    );
}

#[test]
fn mutated_geography_files_are_accepted_or_refused_without_panic() {
    let seed = read(&root().join("fuzz/workspace/gemeenten.csv"));
    let tokens: &[&[u8]] = &[
        b",",
        b"\n",
        b"\"",
        b"99999999999",
        b"0",
        b"\r\n",
        b"\xc3",
        b"A,1,J,R\n",
    ];
    mutate_and_feed(0xc0ff_ee11, 20000, &[seed], tokens, fuzzing::geography);
}
