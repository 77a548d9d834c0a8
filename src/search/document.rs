//! One record as a tantivy document: its identity, the catch-all text (name three times,
//! category names twice, then the rest, with the synonym phrases' marks), the filter
//! keywords, grid cells, fast-field copies and the card.

use tantivy::TantivyDocument;

use super::{AREA_EXTENT, IndexDoc, SearchIndex, cells, facets, fast, key, text};

impl SearchIndex {
    pub(super) fn to_document(&self, doc: &IndexDoc) -> anyhow::Result<TantivyDocument> {
        let f = &self.fields;
        let c = &doc.card;
        let mut d = TantivyDocument::default();
        d.add_text(f.key, key(&c.kind, c.id));
        d.add_text(f.kind, &c.kind);
        d.add_text(f.id, c.id.to_string());
        d.add_text(
            f.publication,
            if doc.published {
                "published"
            } else {
                "unpublished"
            },
        );
        let mut pairs = super::analyzer::pairs(&super::analyzer::terms(&c.name));
        pairs.sort_unstable();
        pairs.dedup();
        for p in &pairs {
            d.add_text(f.text.name_pairs, p);
        }
        d.add_text(f.text.name_exact, text::normalise_name(&c.name));
        // One field for matching, so each word is one posting list: the name three times, the
        // category names twice (they say what a record is), the description and the rest; the
        // analyzer marks the synonym phrases in it (`analyzer::ENGLISH_INDEX`).
        let weighted = std::iter::repeat_n(&c.name, text::NAME_REPEAT)
            .chain((0..text::CATEGORY_REPEAT).flat_map(|_| &doc.category_names))
            .chain(std::iter::once(&doc.description))
            .chain(&doc.extra);
        for t in weighted {
            d.add_text(f.text.all, t);
        }
        for k in &doc.category_keys {
            d.add_text(f.category, k);
        }
        for a in &c.accessibility {
            d.add_text(f.access, a);
        }
        for x in &c.facilities {
            d.add_text(f.facility, x);
        }
        if c.free {
            d.add_text(f.free, facets::FREE_TERM);
        }
        for l in &doc.languages {
            d.add_text(f.language, l);
        }
        for b in &doc.boundaries {
            d.add_text(f.boundary, b);
        }
        d.add_text(f.closed, if fast::is_closed(c) { "yes" } else { "no" });
        d.add_text(f.remote, if c.remote { "yes" } else { "no" });
        for code in &c.area_codes {
            d.add_text(f.area, code);
        }
        if !c.area_extents.is_empty() {
            d.add_text(f.area, AREA_EXTENT);
        }
        // The first point places the document in the index's spatial order; a record with
        // more sites is also filed under the grid cells of all of them.
        let mut cells: Vec<String> = if c.points.len() > 1 {
            c.points
                .iter()
                .flat_map(|[lon, lat]| cells::point_terms(*lon, *lat))
                .collect()
        } else {
            Vec::new()
        };
        cells.sort_unstable();
        cells.dedup();
        for cell in &cells {
            d.add_text(f.cell, cell);
        }
        fast::add_fast_values(&f.fast, &mut d, c, doc.published);
        d.add_bytes(f.card, &serde_json::to_vec(c)?);
        Ok(d)
    }
}
