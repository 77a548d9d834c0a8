//! `junction import postcodes FILE` and `junction import boundaries FILE.geojson`: load
//! geography reference data, with a progress bar on stderr and a summary on stdout. Bad rows
//! and features are reported and skipped; the command fails only when the file can't be read
//! or isn't in a recognised layout. The record imports (`hsds`, `datapackage`, `geojson`,
//! `csv`, `osm`, `transparency-csv`) and their reviews are in `import_records`.

use std::{path::PathBuf, time::Instant};

use indicatif::{ProgressBar, ProgressStyle};

use super::import_records::{self, Format, ImportFlags};
use crate::Config;
use crate::geo::{boundary_import, postcode_import};
use crate::store::reviews::Resolution;

/// How many rejected rows the summary lists.
const SHOWN_REJECTIONS: usize = 20;

#[derive(Debug, clap::Subcommand)]
pub enum ImportCommand {
    /// Load postcode points, or outward-code centroids, from a CSV file. The layout is
    /// recognised from the header; re-importing replaces rows already loaded.
    #[command(after_help = format!("Accepted layouts:\n{}", postcode_import::ACCEPTED_LAYOUTS))]
    Postcodes {
        /// The CSV file.
        file: PathBuf,
    },
    /// Load area boundaries (wards, districts) from a GeoJSON FeatureCollection in WGS84,
    /// then place every location in them. Re-importing replaces boundaries with the same code.
    Boundaries {
        /// The GeoJSON file.
        file: PathBuf,
        /// The feature property holding each area's code, e.g. WD13CD.
        #[arg(long)]
        code_property: String,
        /// The feature property holding each area's name, e.g. WD13NM.
        #[arg(long)]
        name_property: String,
        /// What kind of area the file holds.
        #[arg(long = "type", default_value = "ward")]
        boundary_type: String,
    },
    /// Import services from HSDS 3.0 JSON: one service, an array of services, or an ORUK
    /// page (`{"contents": [...]}`); or from an ORUK API's URL (its base, such as
    /// `https://example.org/oruk`, or its `/services`), every page walked.
    Hsds {
        /// The file or http(s) URL.
        file: String,
        #[command(flatten)]
        flags: ImportFlags,
    },
    /// Import an HSDS 3.0 tabular datapackage: its datapackage.json or its folder.
    Datapackage {
        /// The datapackage.json, its folder, or the URL of either.
        path: String,
        #[command(flatten)]
        flags: ImportFlags,
    },
    /// Import a GeoJSON FeatureCollection with a mapping file (docs/import-mappings.md).
    Geojson {
        /// The file or http(s) URL.
        file: String,
        #[arg(long)]
        mapping: PathBuf,
        #[command(flatten)]
        flags: ImportFlags,
    },
    /// Import a CSV file (UTF-8 or Windows-1252) with a mapping file (docs/import-mappings.md).
    Csv {
        /// The file or http(s) URL.
        file: String,
        #[arg(long)]
        mapping: PathBuf,
        #[command(flatten)]
        flags: ImportFlags,
    },
    /// Import a land and building assets CSV published under the Local Government Transparency
    /// Code 2015 (UTF-8 or Windows-1252). Each row's owner is the organisation its Organisation
    /// column names (found by name, or created); assets are recognised on a re-import by owner
    /// and asset reference (docs/import-mappings.md). Source `transparency-csv`, OGL v3, unless
    /// flags say otherwise.
    TransparencyCsv {
        /// The file or http(s) URL.
        file: String,
        /// The organisation that owns every asset of the file, by id or name, instead of the
        /// file's Organisation column. It must be in the register already.
        #[arg(long)]
        organisation: Option<String>,
        #[command(flatten)]
        flags: ImportFlags,
    },
    /// Import OpenStreetMap places from an extract: CSV (`.csv`, tags as columns) or GeoJSON.
    /// Licence ODbL-1.0, credited "© OpenStreetMap contributors", unless flags say otherwise.
    Osm {
        /// The file or http(s) URL.
        file: String,
        #[command(flatten)]
        flags: ImportFlags,
    },
    /// List the likely duplicates imports held back for review.
    Reviews {
        /// Include settled reviews.
        #[arg(long)]
        all: bool,
    },
    /// Merge a held duplicate into the record it looks like: its source identifier is linked
    /// to that record, which keeps its other identifiers.
    Merge { review: i64 },
    /// Mark a held object as no duplicate: the next import creates it.
    Distinct { review: i64 },
}

pub async fn run(config: Config, cmd: ImportCommand) -> anyhow::Result<()> {
    let config_ref = &config;
    let records = |format, input: String, mapping: Option<PathBuf>, flags| async move {
        import_records::run(config_ref, format, &input, mapping.as_deref(), flags).await
    };
    let cmd = match cmd {
        ImportCommand::Hsds { file, flags } => {
            return records(Format::Hsds, file, None, flags).await;
        }
        ImportCommand::Datapackage { path, flags } => {
            return records(Format::Datapackage, path, None, flags).await;
        }
        ImportCommand::Geojson {
            file,
            mapping,
            flags,
        } => return records(Format::Geojson, file, Some(mapping), flags).await,
        ImportCommand::Csv {
            file,
            mapping,
            flags,
        } => return records(Format::Csv, file, Some(mapping), flags).await,
        ImportCommand::Osm { file, flags } => return records(Format::Osm, file, None, flags).await,
        ImportCommand::TransparencyCsv {
            file,
            organisation,
            flags,
        } => {
            return import_records::run_transparency(
                &config,
                &file,
                organisation.as_deref(),
                flags,
            )
            .await;
        }
        ImportCommand::Reviews { all } => return import_records::list_reviews(&config, all).await,
        ImportCommand::Merge { review } => {
            return import_records::resolve(&config, review, Resolution::Merged).await;
        }
        ImportCommand::Distinct { review } => {
            return import_records::resolve(&config, review, Resolution::Distinct).await;
        }
        geography => geography,
    };
    let store = super::open_store(&config).await?;
    let started = Instant::now();
    match cmd {
        ImportCommand::Postcodes { file } => {
            let size = std::fs::metadata(&file).map(|m| m.len()).unwrap_or(0);
            let bar = ProgressBar::new(size);
            bar.set_style(
                ProgressStyle::with_template(
                    "importing postcodes [{bar:40}] {bytes}/{total_bytes} ({eta})",
                )?
                .progress_chars("=> "),
            );
            let result =
                postcode_import::import_postcodes(&store, &file, &|bytes| bar.set_position(bytes))
                    .await;
            bar.finish_and_clear();
            let report = result?;
            println!(
                "Imported {} ({}) in {:.1} s",
                file.display(),
                report.layout.label(),
                started.elapsed().as_secs_f64()
            );
            let what = if report.layout == postcode_import::Layout::OutcodeCentroids {
                "outward codes"
            } else {
                "postcodes"
            };
            println!("  loaded:                   {} {what}", report.loaded);
            println!("  skipped (terminated):     {}", report.skipped_terminated);
            println!(
                "  skipped (no coordinates): {}",
                report.skipped_no_coordinates
            );
            print_rejections(
                report
                    .rejected
                    .iter()
                    .map(|(line, reason)| format!("line {line}: {reason}")),
                report.rejected.len(),
            );
        }
        ImportCommand::Boundaries {
            file,
            code_property,
            name_property,
            boundary_type,
        } => {
            let bar = ProgressBar::new(0);
            bar.set_style(
                ProgressStyle::with_template("importing boundaries [{bar:40}] {pos}/{len}")?
                    .progress_chars("=> "),
            );
            let result = boundary_import::import_boundaries(
                &store,
                &file,
                &code_property,
                &name_property,
                &boundary_type,
                &|done, total| {
                    bar.set_length(total);
                    bar.set_position(done);
                },
            )
            .await;
            bar.finish_and_clear();
            let report = result?;
            println!(
                "Imported {} in {:.1} s",
                file.display(),
                started.elapsed().as_secs_f64()
            );
            println!(
                "  loaded:                   {} boundaries (type {})",
                report.loaded,
                boundary_type.trim()
            );
            print_rejections(
                report
                    .rejected
                    .iter()
                    .map(|(i, reason)| format!("feature {i}: {reason}")),
                report.rejected.len(),
            );
            println!("  boundaries now known:     {}", report.boundaries_total);
            println!("  locations in a boundary:  {}", report.locations_placed);
            println!(
                "A running server keeps the boundaries it started with: restart it to use these."
            );
        }
        // The record imports returned above.
        _ => {}
    }
    Ok(())
}

fn print_rejections(lines: impl Iterator<Item = String>, total: usize) {
    println!("  rejected:                 {total}");
    for line in lines.take(SHOWN_REJECTIONS) {
        println!("    {line}");
    }
    if total > SHOWN_REJECTIONS {
        println!("    … and {} more", total - SHOWN_REJECTIONS);
    }
}
