//! Every shipped scenario parses; reference.toml documents every key; docs stay true.

use crate::{load, read, root, sociaal};

#[test]
fn every_shipped_scenario_is_valid() {
    let mut n = 0;
    for e in std::fs::read_dir(root().join("scenarios")).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|x| x == "toml") {
            let rel = p
                .strip_prefix(root())
                .unwrap()
                .to_str()
                .unwrap()
                .to_string();
            let s = load(&rel);
            assert!(!s.variants.is_empty());
            let out = sociaal(&["check", &rel]);
            assert!(
                out.status.success(),
                "{rel}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            n += 1;
        }
    }
    assert!(n >= 2, "baseline and reference at least");
}

fn leaf_keys(v: &serde_json::Value, prefix: &str, out: &mut Vec<String>) {
    match v {
        serde_json::Value::Object(m) => {
            for (k, x) in m {
                leaf_keys(x, &format!("{prefix}{k}."), out);
            }
        }
        _ => out.push(prefix.trim_end_matches('.').to_string()),
    }
}

#[test]
fn reference_toml_lists_every_key_with_a_comment() {
    let s = load("scenarios/reference.toml");
    let params = serde_json::to_value(&s.variants[0].params).unwrap();
    let mut keys = Vec::new();
    leaf_keys(&params, "", &mut keys);
    // Optional keys are listed commented out.
    keys.push("name".into());
    keys.push("geography.file".into());
    let text = read(&root().join("scenarios/reference.toml"));
    let lines: Vec<&str> = text.lines().collect();
    for key in &keys {
        let (table, leaf) = match key.rsplit_once('.') {
            Some((t, l)) => (format!("[{t}]"), l),
            None => (String::new(), key.as_str()),
        };
        // Find the key inside its table (or before any table for top-level keys).
        let mut in_table = table.is_empty();
        let mut found = None;
        for (i, l) in lines.iter().enumerate() {
            let t = l.trim();
            if t.starts_with('[') {
                in_table = t == table;
                continue;
            }
            let bare = t.trim_start_matches("# ");
            if in_table
                && (bare.starts_with(&format!("{leaf} =")) || bare.starts_with(&format!("{leaf}=")))
            {
                found = Some(i);
                break;
            }
        }
        let i = found.unwrap_or_else(|| panic!("reference.toml does not list `{key}`"));
        // A comment above the key, within its table or just above the table header (a
        // shared comment for a table of similar keys), documents it.
        let header = (0..i)
            .rev()
            .find(|&j| lines[j].trim_start().starts_with('['));
        let from = header.map_or(0, |h| h.saturating_sub(12));
        let documented = (from..i).any(|j| lines[j].trim_start().starts_with('#'));
        assert!(
            documented,
            "reference.toml: `{key}` has no comment above it"
        );
    }
}

#[test]
fn docs_indicators_md_is_current() {
    let md = read(&root().join("docs/indicators.md"));
    assert_eq!(
        md,
        sociaal::model::indicators::markdown(),
        "regenerate with `sociaal indicators --markdown > docs/indicators.md`"
    );
    let out = sociaal(&["indicators"]);
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    for i in sociaal::model::indicators::INDICATORS {
        assert!(text.contains(i.name), "{}", i.name);
    }
}

#[test]
fn architecture_md_names_every_module() {
    let arch = read(&root().join("ARCHITECTURE.md"));
    let mut missing = Vec::new();
    let mut stack = vec![root().join("src")];
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "rs") {
                let rel = p
                    .strip_prefix(root())
                    .unwrap()
                    .to_str()
                    .unwrap()
                    .to_string();
                if !arch.contains(&rel) {
                    missing.push(rel.clone());
                }
                let text = read(&p);
                assert!(
                    text.starts_with("//!"),
                    "{rel} must start with a //! module doc"
                );
            }
        }
    }
    assert!(
        missing.is_empty(),
        "ARCHITECTURE.md does not mention: {missing:?}"
    );
}

#[test]
fn readme_starts_with_the_two_commands() {
    let readme = read(&root().join("README.md"));
    let head: String = readme.lines().take(30).collect::<Vec<_>>().join("\n");
    assert!(
        head.contains("cargo run --release -- run scenarios/baseline.toml"),
        "README must start with the run command"
    );
    assert!(
        head.contains("cargo test"),
        "README must start with the test command"
    );
}

#[test]
fn validation_targets_name_real_indicators() {
    let text = read(&root().join("validation/targets.toml"));
    let t: toml::Table = toml::from_str(&text).unwrap();
    let targets = t["target"].as_array().unwrap();
    assert!(targets.len() >= 8);
    for target in targets {
        let ind = target["indicator"].as_str().unwrap();
        let cohort = target.get("file").and_then(|f| f.as_str()) == Some("cohorts");
        for name in ind.split(" / ") {
            let known = if cohort {
                sociaal::model::cohorts::COHORT_INDICATORS.contains(&name.trim())
            } else {
                sociaal::model::indicators::by_name(name.trim()).is_some()
            };
            assert!(known, "unknown indicator {name}");
        }
        if let Some(s) = target.get("scenario").and_then(|s| s.as_str()) {
            let scenario = crate::load(&format!("scenarios/{s}.toml"));
            if let Some(v) = target.get("variant").and_then(|v| v.as_str()) {
                assert!(
                    scenario.variants.iter().any(|x| x.name == v),
                    "{ind}: scenario {s} has no variant {v}"
                );
            }
        }
        for key in ["id", "year", "value", "tolerance", "kind", "source"] {
            assert!(target.get(key).is_some(), "{ind}: no {key}");
        }
    }
}
