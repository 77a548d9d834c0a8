//! The synthetic register: records spread over Great Britain in proportion to population,
//! with names and descriptions recombined from the demo register and categories from the
//! default taxonomy. The stream is a pure function of the seed, so it can be generated again
//! for the PostgreSQL load instead of being held in memory (which would spoil peak RSS).

use uuid::Uuid;

use crate::data::{Geo, KINDS, Outcode, Template, Vocab, ward_of};
use crate::rng::{Rng, Weighted};

/// One synthetic record: what both systems index.
pub struct Record {
    pub kind: &'static str,
    pub id: Uuid,
    pub name: String,
    pub description: String,
    /// Child-term indices into [`Vocab::terms`], 1 to 3.
    pub categories: Vec<usize>,
    /// Other searchable text (an asset's postcode district).
    pub extra: Vec<String>,
    pub lon: f64,
    pub lat: f64,
    pub ward: String,
    pub opening_hours: Option<String>,
    pub free: bool,
    pub accessibility: Vec<String>,
}

impl Record {
    /// Names of the record's categories (searched as text).
    pub fn category_names(&self, vocab: &Vocab) -> Vec<String> {
        self.categories
            .iter()
            .map(|&c| vocab.terms[c].name.clone())
            .collect()
    }

    /// Ids and slugs of each category and its parent, as `src/search/indexer.rs` files them.
    pub fn category_keys(&self, vocab: &Vocab) -> Vec<String> {
        let mut keys = Vec::new();
        for &c in &self.categories {
            let term = &vocab.terms[c];
            let top = &vocab.tops[term.top];
            keys.extend([
                term.id.to_string(),
                term.slug.clone(),
                top.id.to_string(),
                top.slug.clone(),
            ]);
        }
        keys
    }

    /// Slugs of the top-level categories, each once.
    pub fn top_categories(&self, vocab: &Vocab) -> Vec<String> {
        let mut tops: Vec<String> = Vec::new();
        for &c in &self.categories {
            let slug = &vocab.tops[vocab.terms[c].top].slug;
            if !tops.contains(slug) {
                tops.push(slug.clone());
            }
        }
        tops
    }
}

/// Draws records: record `i` of a seed is always the same, so they can be drawn in any order.
pub struct Generator<'a> {
    seed: u64,
    next: u64,
    rng: Rng,
    geo: &'a Geo,
    vocab: &'a Vocab,
    kinds: Weighted,
}

/// What a record is drawn from first: its kind (index into `KINDS`), two templates of that
/// kind, its outcode and its point.
struct Start<'a> {
    k: usize,
    template: &'a Template,
    other: &'a Template,
    outcode: &'a Outcode,
    lon: f64,
    lat: f64,
}

impl<'a> Generator<'a> {
    pub fn new(seed: u64, geo: &'a Geo, vocab: &'a Vocab) -> Generator<'a> {
        Generator {
            seed,
            next: 0,
            rng: Rng::new(seed),
            geo,
            vocab,
            kinds: Weighted::new(KINDS.iter().map(|k| k.2)),
        }
    }

    /// The next record: 0, 1, 2, … in turn.
    pub fn next_record(&mut self) -> Record {
        self.next += 1;
        self.record(self.next - 1)
    }

    /// Record `i`'s point (longitude, latitude), without drawing the rest of it.
    pub fn point(&mut self, i: u64) -> (f64, f64) {
        let start = self.start(i);
        (start.lon, start.lat)
    }

    fn start(&mut self, i: u64) -> Start<'a> {
        self.rng = Rng::for_item(self.seed, i);
        let vocab = self.vocab;
        let k = self.kinds.draw(&mut self.rng);
        let templates = &vocab.templates[k];
        let template = self.rng.pick(templates);
        let other = self.rng.pick(templates);
        let outcode: &Outcode = self.geo.outcode(&mut self.rng);
        let (lon, lat) = Geo::jitter(outcode, &mut self.rng);
        Start {
            k,
            template,
            other,
            outcode,
            lon,
            lat,
        }
    }

    /// Replaces the demo register's place names with this record's locality.
    fn localise(&self, text: &str, locality: &str) -> String {
        let mut out = String::with_capacity(text.len());
        let mut last_was_place = false;
        for (i, token) in text.split(' ').enumerate() {
            let bare = token.trim_end_matches(|c: char| !c.is_alphanumeric());
            let bare = bare.strip_suffix("'s").unwrap_or(bare);
            let place = self.vocab.proper_nouns.contains(bare);
            if place && last_was_place {
                // "Hollins Green" is one place: keep any punctuation, drop the word.
                out.push_str(&token[bare.len()..]);
                continue;
            }
            if i > 0 {
                out.push(' ');
            }
            if place {
                out.push_str(locality);
                out.push_str(&token[bare.len()..]);
            } else {
                out.push_str(token);
            }
            last_was_place = place;
        }
        out
    }

    /// 1 to 3 child terms: the first at random, the others mostly beside it.
    fn random_categories(&mut self) -> Vec<usize> {
        let vocab = self.vocab;
        let n = match self.rng.unit() {
            x if x < 0.6 => 1,
            x if x < 0.9 => 2,
            _ => 3,
        };
        let mut out: Vec<usize> = Vec::with_capacity(n);
        // A few draws are enough; a small parent may have fewer children than asked for.
        for _ in 0..20 {
            if out.len() == n {
                break;
            }
            let next = match out.first() {
                Some(&first) if self.rng.chance(0.7) => {
                    *self.rng.pick(&vocab.tops[vocab.terms[first].top].children)
                }
                _ => self.rng.below(vocab.terms.len()),
            };
            if !out.contains(&next) {
                out.push(next);
            }
        }
        out
    }

    /// Record `i`.
    pub fn record(&mut self, i: u64) -> Record {
        let vocab = self.vocab;
        let Start {
            k,
            template,
            other,
            outcode,
            lon,
            lat,
        } = self.start(i);
        let kind = KINDS[k].0;
        let with_hours = k < 2; // services and spaces
        let locality = &outcode.locality;

        let mut name = self.localise(&template.name, locality);
        if name == template.name && self.rng.chance(0.5) {
            name = format!("{locality} {name}");
        }
        let mut categories: Vec<usize> = template.categories.iter().take(3).copied().collect();
        if categories.is_empty() {
            categories = self.random_categories();
        } else if categories.len() < 3 && self.rng.chance(0.3) {
            let extra = self.random_categories()[0];
            if !categories.contains(&extra) {
                categories.push(extra);
            }
        }
        let first: &String = self.rng.pick(&template.sentences);
        let mut description = self.localise(first, locality);
        if self.rng.chance(0.6) {
            let second: &String = self.rng.pick(&other.sentences);
            description.push(' ');
            description.push_str(&self.localise(second, locality));
        }
        description.push(' ');
        description.push_str(&vocab.terms[categories[0]].description);

        let opening_hours = if !with_hours {
            None
        } else if template.opening_hours.is_some() {
            template.opening_hours.clone()
        } else if self.rng.chance(0.3) {
            Some(self.rng.pick(&vocab.hours).clone())
        } else {
            None
        };
        let accessibility = if with_hours {
            vocab
                .accessibility
                .iter()
                .filter(|(_, share)| self.rng.chance(*share))
                .map(|(f, _)| f.clone())
                .collect()
        } else {
            Vec::new()
        };
        Record {
            kind,
            id: Uuid::from_u128(
                u128::from(self.rng.next_u64()) << 64 | u128::from(self.rng.next_u64()),
            ),
            name,
            description,
            categories,
            extra: if kind == "asset" {
                vec![outcode.code.clone()]
            } else {
                Vec::new()
            },
            lon,
            lat,
            ward: ward_of(lon, lat),
            opening_hours,
            free: with_hours && template.free,
            accessibility,
        }
    }
}
