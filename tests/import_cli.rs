//! The `junction import` command: exit codes, the exact summary line, dry runs.
#![allow(clippy::expect_used, clippy::unwrap_used)] // test helpers fail loudly by design

mod common;

use std::path::Path;
use std::process::Command;

use common::imports::{CHELTENHAM_2021, NORWICH, mapping_file, shared};

const BIN: &str = env!("CARGO_BIN_EXE_junction");

fn junction(data_dir: &Path, args: &[&str]) -> (Option<i32>, String, String) {
    let out = Command::new(BIN)
        .args(args)
        .env("JUNCTION_DATA_DIR", data_dir)
        .env_remove("DATABASE_URL")
        .env("JUNCTION_LOG", "warn")
        .output()
        .expect("run junction");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn summary_line(stdout: &str) -> &str {
    stdout.lines().last().unwrap_or_default()
}

fn is_summary(line: &str) -> bool {
    let words: Vec<&str> = line.split(", ").collect();
    let names = ["created", "updated", "unchanged", "flagged", "rejected"];
    words.len() == 5
        && words.iter().zip(names).all(|(w, name)| {
            w.split_once(' ')
                .is_some_and(|(n, count)| n == name && count.parse::<u64>().is_ok())
        })
}

#[test]
fn the_command_reports_exits_and_dry_runs() {
    let dir = tempfile::tempdir().unwrap();
    let file = shared(NORWICH);
    let file = file.to_str().unwrap();

    let (code, out, err) = junction(dir.path(), &["import", "osm", file, "--dry-run"]);
    assert_eq!(code, Some(0), "{err}");
    assert!(out.starts_with("Dry run"), "{out}");
    let dry = summary_line(&out).to_owned();
    assert!(is_summary(&dry), "{dry}");

    // --strict: the same import fails because rows are rejected, after reporting them.
    let (code, out, _) = junction(
        dir.path(),
        &["import", "osm", file, "--strict", "--dry-run"],
    );
    assert_ne!(code, Some(0));
    assert_eq!(summary_line(&out), dry);

    let (code, out, err) = junction(dir.path(), &["import", "osm", file]);
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(
        summary_line(&out),
        dry,
        "a dry run reports what the import does"
    );
    let (code, out, _) = junction(dir.path(), &["import", "osm", file]);
    assert_eq!(code, Some(0));
    let again = summary_line(&out);
    assert!(
        again.starts_with("created 0, updated 0, unchanged "),
        "{again}"
    );

    // Input that can't be read at all.
    let (code, _, err) = junction(dir.path(), &["import", "osm", "/nonexistent/places.csv"]);
    assert_ne!(code, Some(0));
    assert!(err.contains("nonexistent"), "{err}");
    let (code, _, _) = junction(dir.path(), &["import", "hsds", file]);
    assert_ne!(code, Some(0), "a CSV is not HSDS JSON");

    // The mapping example works from the command line, with its source.
    let mapping = mapping_file("cheltenham-land-and-assets-2021.toml");
    let (code, out, err) = junction(
        dir.path(),
        &[
            "import",
            "csv",
            shared(CHELTENHAM_2021).to_str().unwrap(),
            "--mapping",
            mapping.to_str().unwrap(),
        ],
    );
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(
        summary_line(&out),
        "created 490, updated 0, unchanged 0, flagged 2, rejected 6",
        "{out}"
    );
    let (code, out, _) = junction(dir.path(), &["import", "reviews", "--all"]);
    assert_eq!(code, Some(0));
    assert!(!out.is_empty());
}

#[test]
fn transparency_csv_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let file = shared("data/land-assets/cheltenham_land_and_assets_2023.csv");
    let file = file.to_str().unwrap();
    let rows = common::imports::csv_rows(Path::new(file));

    let (code, out, err) = junction(dir.path(), &["import", "transparency-csv", file]);
    assert_eq!(code, Some(0), "{err}");
    let summary = summary_line(&out).to_owned();
    assert!(is_summary(&summary), "{summary}");
    let total: usize = summary
        .split(", ")
        .map(|w| w.split_once(' ').unwrap().1.parse::<usize>().unwrap())
        .sum();
    assert_eq!(total, rows, "every row accounted for: {out}");
    // The empty rows are rejected with their reason; a chattel is reported, not guessed.
    assert!(out.contains(": rejected: an empty row"), "{out}");
    assert!(
        out.contains("[cheltenham borough council | 13/00034/STRUC]: note: tenure 'Chattel' is not freehold or leasehold"),
        "{out}"
    );

    // Again: the natural key finds every asset, and nothing changes.
    let (code, out, _) = junction(dir.path(), &["import", "transparency-csv", file]);
    assert_eq!(code, Some(0));
    assert!(
        summary_line(&out).starts_with("created 0, updated 0, "),
        "{out}"
    );

    // --organisation must name an organisation the register has.
    let (code, _, err) = junction(
        dir.path(),
        &[
            "import",
            "transparency-csv",
            file,
            "--organisation",
            "Nobody Council",
        ],
    );
    assert_ne!(code, Some(0));
    assert!(err.contains("no organisation 'Nobody Council'"), "{err}");
    let (code, out, err) = junction(
        dir.path(),
        &[
            "import",
            "transparency-csv",
            file,
            "--organisation",
            "cheltenham borough council",
            "--dry-run",
        ],
    );
    assert_eq!(code, Some(0), "{err}");
    assert!(out.starts_with("Dry run"), "{out}");
}
