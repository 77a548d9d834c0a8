//! The query mix: five kinds of search, each drawn from the same vocabularies and places as
//! the register, and turned into a Junction `SearchQuery` (the PostgreSQL form is in
//! `postgis.rs`). Queries happen where people live: near points are outcode centroids drawn
//! by postcode count.

use chrono::{DateTime, TimeZone, Utc};
use junction::{
    domain::RecordKind,
    search::{SearchQuery, Sort},
};

use crate::data::{Geo, Vocab, ward_of};
use crate::rng::Rng;

/// Results per page, as the API's default `per_page`.
pub const PAGE: usize = 20;

/// The fixed "now" of the open-now queries: a Wednesday late morning, not a bank holiday.
pub fn open_at() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 11, 26, 11, 0, 0)
        .single()
        .unwrap_or_default()
}

/// The five query types.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Type {
    Text,
    TextNear,
    CategoryWard,
    OpenNear,
    Facets,
}

impl Type {
    pub const ALL: [Type; 5] = [
        Type::Text,
        Type::TextNear,
        Type::CategoryWard,
        Type::OpenNear,
        Type::Facets,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Type::Text => "a text",
            Type::TextNear => "b text+near 5km",
            Type::CategoryWard => "c category+ward",
            Type::OpenNear => "d open+near 2km",
            Type::Facets => "e word+near 10km",
        }
    }
}

/// One query.
#[derive(Debug, Clone)]
pub enum Case {
    /// Two words, relevance order.
    Text { q: String },
    /// Two words within 5 km, nearest first.
    TextNear { q: String, at: (f64, f64) },
    /// A top-level category in one ward, by name.
    CategoryWard { slug: String, ward: String },
    /// Open at [`open_at`] within 2 km, nearest first.
    OpenNear { at: (f64, f64) },
    /// One common word within 10 km, relevance blended with distance; facets over all.
    Facets { word: String, at: (f64, f64) },
}

fn centroid(geo: &Geo, rng: &mut Rng) -> (f64, f64) {
    let o = geo.outcode(rng);
    (o.lon, o.lat)
}

/// `n` queries of type `t`.
pub fn generate(t: Type, n: usize, seed: u64, geo: &Geo, vocab: &Vocab) -> Vec<Case> {
    let mut rng = Rng::new(seed ^ ((t as u64 + 1) * 0x0100_0000_01b3));
    (0..n)
        .map(|_| match t {
            Type::Text => Case::Text {
                q: rng.pick(&vocab.pairs).clone(),
            },
            Type::TextNear => Case::TextNear {
                q: rng.pick(&vocab.pairs).clone(),
                at: centroid(geo, &mut rng),
            },
            Type::CategoryWard => {
                // A ward where people live: the cell of a point drawn like a record's.
                let o = geo.outcode(&mut rng);
                let (lon, lat) = Geo::jitter(o, &mut rng);
                Case::CategoryWard {
                    slug: rng.pick(&vocab.tops).slug.clone(),
                    ward: ward_of(lon, lat),
                }
            }
            Type::OpenNear => Case::OpenNear {
                at: centroid(geo, &mut rng),
            },
            Type::Facets => Case::Facets {
                word: rng.pick(&vocab.common_words).clone(),
                at: centroid(geo, &mut rng),
            },
        })
        .collect()
}

impl Case {
    /// The same search as Junction's `SearchQuery`, first page. Only type e asks for facets
    /// (the query mix: "… open now + near; facets on"); the others leave them out, as
    /// the API's `facets=false` does.
    pub fn search_query(&self) -> SearchQuery {
        let base = SearchQuery {
            limit: PAGE,
            skip_facets: !matches!(self, Case::Facets { .. }),
            ..SearchQuery::default()
        };
        match self {
            Case::Text { q } => SearchQuery {
                text: Some(q.clone()),
                ..base
            },
            Case::TextNear { q, at } => SearchQuery {
                text: Some(q.clone()),
                near: Some(*at),
                radius_m: Some(5000.0),
                sort: Sort::Distance,
                ..base
            },
            Case::CategoryWard { slug, ward } => SearchQuery {
                categories: vec![slug.clone()],
                within: Some(ward.clone()),
                ..base
            },
            Case::OpenNear { at } => SearchQuery {
                near: Some(*at),
                radius_m: Some(2000.0),
                open_at: Some(open_at()),
                ..base
            },
            Case::Facets { word, at } => SearchQuery {
                text: Some(word.clone()),
                near: Some(*at),
                radius_m: Some(10_000.0),
                ..base
            },
        }
    }

    /// What `GET /api/v1/search` asks the index for [`Case::http_path`]: the same search,
    /// plus the four searchable kinds, remote records (phone and online services) and the
    /// review freshness cut-offs (overdue records demoted, stale ones left out), which the API
    /// adds by default.
    pub fn api_search_query(&self) -> SearchQuery {
        SearchQuery {
            freshness: Some(junction::search::Freshness::at(
                &junction::domain::freshness::ReviewPolicy::default(),
                Utc::now(),
                false,
            )),
            kinds: vec![
                RecordKind::Service,
                RecordKind::Space,
                RecordKind::Organisation,
                RecordKind::Asset,
            ],
            include_remote: true,
            ..self.search_query()
        }
    }

    /// The HTTP form of a text+near query, mirroring [`Case::search_query`]: the trailing
    /// space in `q` turns off search-as-you-type, as the in-process query does.
    pub fn http_path(&self) -> Option<String> {
        let Case::TextNear { q, at } = self else {
            return None;
        };
        let q: String = form_urlencoded::byte_serialize(format!("{q} ").as_bytes()).collect();
        Some(format!(
            "/api/v1/search?q={q}&near={:.6},{:.6}&radius=5000&sort=distance&facets=false",
            at.1, at.0
        ))
    }
}
