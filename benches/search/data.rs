//! Inputs read in place at run time: outward-code centroids (where people live) and the
//! project's own words (the demo register and the default taxonomy), turned into what the
//! generator and the query mix draw from.

use std::{
    collections::{BTreeMap, BTreeSet},
    path::Path,
};

use anyhow::Context;
use serde_json::Value;
use uuid::Uuid;

use crate::rng::{Rng, Weighted};

/// One outward code with people in it.
pub struct Outcode {
    pub code: String,
    pub lon: f64,
    pub lat: f64,
    /// A made-up place name for records here (the demo register's names are Millbrook's).
    pub locality: String,
}

/// Great Britain, weighted by postcode count.
pub struct Geo {
    pub outcodes: Vec<Outcode>,
    weights: Weighted,
}

/// Standard deviation of the jitter around an outcode centroid, per axis, in metres: points
/// land within about 2 km of it.
const JITTER_M: f64 = 1000.0;
/// Size of the synthetic ward grid, in degrees.
pub const WARD_CELL_DEG: f64 = 0.05;

impl Geo {
    /// Reads the outcode centroid CSV; rows without coordinates are skipped.
    pub fn load(path: &Path, localities: &[String], rng: &mut Rng) -> anyhow::Result<Geo> {
        let mut reader = csv::Reader::from_path(path)
            .with_context(|| format!("reading outcode centroids from {}", path.display()))?;
        let headers = reader.headers()?.clone();
        let column = |name: &str| {
            headers
                .iter()
                .position(|h| h == name)
                .with_context(|| format!("{} has no column '{name}'", path.display()))
        };
        let (code_i, count_i, lat_i, lon_i) = (
            column("outcode")?,
            column("postcode_count")?,
            column("latitude")?,
            column("longitude")?,
        );
        let mut outcodes = Vec::new();
        let mut weights = Vec::new();
        for row in reader.records() {
            let row = row?;
            let number = |i: usize| row.get(i).and_then(|v| v.trim().parse::<f64>().ok());
            let (Some(lat), Some(lon), Some(count)) =
                (number(lat_i), number(lon_i), number(count_i))
            else {
                continue;
            };
            if count <= 0.0 {
                continue;
            }
            outcodes.push(Outcode {
                code: row.get(code_i).unwrap_or_default().to_owned(),
                lon,
                lat,
                locality: rng.pick(localities).clone(),
            });
            weights.push(count);
        }
        anyhow::ensure!(
            !outcodes.is_empty(),
            "{} has no usable rows",
            path.display()
        );
        Ok(Geo {
            outcodes,
            weights: Weighted::new(weights),
        })
    }

    /// An outcode drawn in proportion to its postcode count.
    pub fn outcode(&self, rng: &mut Rng) -> &Outcode {
        &self.outcodes[self.weights.draw(rng)]
    }

    /// A point near `o`, as (lon, lat).
    pub fn jitter(o: &Outcode, rng: &mut Rng) -> (f64, f64) {
        let dy = (rng.gaussian() * JITTER_M).clamp(-3.0 * JITTER_M, 3.0 * JITTER_M);
        let dx = (rng.gaussian() * JITTER_M).clamp(-3.0 * JITTER_M, 3.0 * JITTER_M);
        let lat = o.lat + dy / 111_320.0;
        let lon = o.lon + dx / (111_320.0 * o.lat.to_radians().cos());
        (lon, lat)
    }
}

/// The synthetic ward of a point: its cell in a 0.05° grid.
pub fn ward_of(lon: f64, lat: f64) -> String {
    let row = (lat / WARD_CELL_DEG).floor() as i64;
    let col = (lon / WARD_CELL_DEG).floor() as i64;
    format!("W{row:04}{col:+04}")
}

/// A record in the demo register, as a pattern for synthetic ones.
pub struct Template {
    pub name: String,
    /// Description sentences, without the "demo data" notes.
    pub sentences: Vec<String>,
    /// Child-term indices ([`Vocab::terms`]) the record is filed under.
    pub categories: Vec<usize>,
    pub opening_hours: Option<String>,
    pub free: bool,
}

/// A taxonomy term with a parent (a child term).
pub struct Term {
    pub slug: String,
    pub name: String,
    pub description: String,
    pub id: Uuid,
    /// Index into [`Vocab::tops`].
    pub top: usize,
}

/// A top-level term.
pub struct Top {
    pub slug: String,
    pub id: Uuid,
    /// Indices into [`Vocab::terms`].
    pub children: Vec<usize>,
}

/// Everything the generator and the queries draw words from.
pub struct Vocab {
    /// Per kind: service, space, organisation, asset.
    pub templates: [Vec<Template>; 4],
    pub tops: Vec<Top>,
    pub terms: Vec<Term>,
    /// Place names of the demo register (replaced by a locality in synthetic records).
    pub proper_nouns: BTreeSet<String>,
    /// Made-up localities built from pieces of those place names.
    pub localities: Vec<String>,
    /// Accessibility features with the share of demo locations that have them.
    pub accessibility: Vec<(String, f64)>,
    /// OSM opening-hours strings used in the demo register.
    pub hours: Vec<String>,
    /// Two-word queries: adjacent content words in names and category names.
    pub pairs: Vec<String>,
    /// The most common content words in descriptions (broad queries).
    pub common_words: Vec<String>,
}

/// The kinds, in [`Vocab::templates`] order, and their share of a register.
pub const KINDS: [(&str, &str, f64); 4] = [
    ("service", "services", 0.5),
    ("space", "spaces", 0.2),
    ("organisation", "organisations", 0.2),
    ("asset", "assets", 0.1),
];

const STOP: &[&str] = &[
    "the", "and", "for", "with", "from", "that", "this", "are", "you", "your", "our", "who", "can",
    "all", "any", "into", "out", "about", "their", "they", "has", "have", "was", "were", "not",
    "but", "its", "also", "more", "one", "two", "each", "per", "off", "own", "who", "how", "what",
    "when", "there", "them", "will", "most", "some", "other", "over", "just", "than", "only",
    "does", "run", "runs", "free",
];

fn words(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '-'))
        .map(|w| w.trim_matches(|c: char| c == '\'' || c == '-'))
        .filter(|w| !w.is_empty())
}

fn is_content(word: &str) -> bool {
    word.len() >= 3
        && word.chars().all(|c| c.is_ascii_alphabetic())
        && !STOP.contains(&word.to_lowercase().as_str())
}

fn str_of(v: &Value, key: &str) -> String {
    v.get(key)
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned()
}

/// A stable id for a term, so both systems and every run agree.
fn term_id(slug: &str) -> Uuid {
    let mut h: u128 = 0x6c62_272e_07bb_0142_62b8_2175_6295_c58d;
    for b in slug.bytes() {
        h = (h ^ u128::from(b)).wrapping_mul(0x0000_0000_0100_0000_0000_0000_0000_013b);
    }
    Uuid::from_u128(h)
}

impl Vocab {
    /// Reads `data/demo/register.json` and `data/taxonomy.json` under `root`.
    pub fn load(root: &Path) -> anyhow::Result<Vocab> {
        let read = |rel: &str| -> anyhow::Result<Value> {
            let path = root.join(rel);
            let text = std::fs::read_to_string(&path)
                .with_context(|| format!("reading {}", path.display()))?;
            Ok(serde_json::from_str(&text)?)
        };
        let register = read("data/demo/register.json")?;
        let taxonomy = read("data/taxonomy.json")?;

        let mut tops = Vec::new();
        let mut terms = Vec::new();
        let mut by_slug: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        for top in taxonomy["terms"].as_array().into_iter().flatten() {
            let t = tops.len();
            let mut children = Vec::new();
            for child in top["children"].as_array().into_iter().flatten() {
                let slug = str_of(child, "slug");
                children.push(terms.len());
                by_slug.insert(slug.clone(), vec![terms.len()]);
                terms.push(Term {
                    id: term_id(&slug),
                    slug,
                    name: str_of(child, "name"),
                    description: str_of(child, "description"),
                    top: t,
                });
            }
            let slug = str_of(top, "slug");
            by_slug.insert(slug.clone(), children.clone());
            tops.push(Top {
                id: term_id(&slug),
                slug,
                children,
            });
        }
        anyhow::ensure!(!terms.is_empty(), "data/taxonomy.json has no child terms");

        let records =
            |key: &str| -> Vec<Value> { register[key].as_array().cloned().unwrap_or_default() };
        let all: Vec<Value> = KINDS.iter().flat_map(|(_, key, _)| records(key)).collect();

        // Words written capitalised in names and never in lower case anywhere: place names.
        let mut lower = BTreeSet::new();
        for r in &all {
            for text in [str_of(r, "name"), str_of(r, "description")] {
                for w in words(&text).filter(|w| w.starts_with(|c: char| c.is_lowercase())) {
                    lower.insert(w.to_owned());
                }
            }
        }
        let proper_nouns: BTreeSet<String> = all
            .iter()
            .flat_map(|r| {
                words(&str_of(r, "name"))
                    .filter(|w| {
                        w.len() >= 4
                            && w.starts_with(|c: char| c.is_uppercase())
                            && w.chars().skip(1).any(|c| c.is_lowercase())
                            && !lower.contains(&w.to_lowercase())
                    })
                    .map(str::to_owned)
                    .collect::<Vec<_>>()
            })
            .collect();
        let pieces: Vec<&String> = proper_nouns.iter().filter(|p| p.len() >= 6).collect();
        let mut localities: BTreeSet<String> = pieces.iter().map(|p| (*p).clone()).collect();
        for a in &pieces {
            for b in &pieces {
                if a != b {
                    let (head, _) = a.split_at(a.len() / 2);
                    let (_, tail) = b.split_at(b.len() / 2);
                    localities.insert(format!("{head}{tail}"));
                }
            }
        }
        let localities: Vec<String> = localities.into_iter().collect();
        anyhow::ensure!(
            !localities.is_empty(),
            "no place names in the demo register"
        );

        let mut hours = BTreeSet::new();
        let templates = KINDS.map(|(_, key, _)| {
            records(key)
                .iter()
                .map(|r| {
                    let opening_hours = r.get("opening_hours").and_then(Value::as_str);
                    hours.extend(opening_hours.map(str::to_owned));
                    Template {
                        name: str_of(r, "name").replace(" (demo)", ""),
                        sentences: str_of(r, "description")
                            .split_inclusive(". ")
                            .map(|s| s.trim().trim_end_matches('.').to_owned() + ".")
                            .filter(|s| s.len() > 12 && !s.to_lowercase().contains("demo"))
                            .collect(),
                        categories: r["categories"]
                            .as_array()
                            .into_iter()
                            .flatten()
                            .filter_map(Value::as_str)
                            .filter_map(|s| by_slug.get(s).and_then(|c| c.first().copied()))
                            .collect(),
                        opening_hours: opening_hours.map(str::to_owned),
                        free: r.get("free").and_then(Value::as_bool).unwrap_or(false),
                    }
                })
                .filter(|t| !t.sentences.is_empty())
                .collect::<Vec<_>>()
        });
        for (i, t) in templates.iter().enumerate() {
            anyhow::ensure!(!t.is_empty(), "the demo register has no {}", KINDS[i].1);
        }

        let locations = records("locations");
        let mut features: BTreeMap<String, f64> = BTreeMap::new();
        for l in &locations {
            for a in l["accessibility"].as_array().into_iter().flatten() {
                *features
                    .entry(a.as_str().unwrap_or_default().to_owned())
                    .or_default() += 1.0;
            }
        }
        let accessibility = features
            .into_iter()
            .map(|(f, n)| (f, n / locations.len().max(1) as f64))
            .collect();

        let mut pairs = BTreeSet::new();
        let phrases = all
            .iter()
            .map(|r| str_of(r, "name"))
            .chain(terms.iter().map(|t| t.name.clone()));
        for phrase in phrases {
            let ws: Vec<&str> = words(&phrase).collect();
            for w in ws.windows(2) {
                if w.iter()
                    .all(|x| is_content(x) && !proper_nouns.contains(*x))
                {
                    pairs.insert(format!("{} {}", w[0], w[1]).to_lowercase());
                }
            }
        }
        let mut counts: BTreeMap<String, usize> = BTreeMap::new();
        for t in templates.iter().flatten() {
            for s in &t.sentences {
                for w in words(s).filter(|w| is_content(w) && !proper_nouns.contains(*w)) {
                    *counts.entry(w.to_lowercase()).or_default() += 1;
                }
            }
        }
        let mut by_count: Vec<(String, usize)> = counts.into_iter().collect();
        by_count.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        let common_words = by_count
            .into_iter()
            .filter(|(w, _)| w.len() >= 4)
            .take(15)
            .map(|(w, _)| w)
            .collect();
        Ok(Vocab {
            templates,
            tops,
            terms,
            proper_nouns,
            localities,
            accessibility,
            hours: hours.into_iter().collect(),
            pairs: pairs.into_iter().collect(),
            common_words,
        })
    }
}
