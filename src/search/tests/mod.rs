//! Index-level tests: pruned ranking against ranking every match, and synonyms here; bulk
//! loads in `bulk`, finding places through updates and merges in `places`.

mod bulk;
mod places;

use super::*;

/// A seeded xorshift stream: each test draws the same values every run.
fn xorshift(mut state: u64) -> impl FnMut() -> u64 {
    move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    }
}

/// Seeded values in `[0, 1)`, in millionths.
fn unit(seed: u64) -> impl FnMut() -> f64 {
    let mut next = xorshift(seed);
    move || (next() % 1_000_000) as f64 / 1_000_000.0
}

fn service(n: usize) -> IndexOp {
    IndexOp::Upsert(Box::new(IndexDoc {
        card: Card {
            kind: "service".to_owned(),
            id: Uuid::new_v4(),
            name: format!("Lunch club {n}"),
            status: Some("active".to_owned()),
            ..Card::default()
        },
        published: true,
        description: "A hot meal and company".to_owned(),
        ..IndexDoc::default()
    }))
}

fn segments(index: &SearchIndex) -> usize {
    index.reader.searcher().segment_readers().len()
}

/// Whether the first segment's documents are in place-key order.
fn first_segment_in_key_order(index: &SearchIndex) -> anyhow::Result<bool> {
    let searcher = index.reader.searcher();
    let segment = searcher.segment_reader(0);
    let column = segment.fast_fields().u64(spatial::KEY)?;
    let keys: Vec<u64> = (0..segment.max_doc())
        .filter_map(|d| column.first(d))
        .collect();
    Ok(keys.windows(2).all(|w| w[0] <= w[1]))
}

/// The pruned ranking of plain text searches (`top`) gives exactly the pages, totals and
/// facets of ranking every match: over several segments, with deleted, closed and
/// unpublished records, kinds, tied scores and names that match the query exactly; with
/// synonyms ("food bank" = "foodbank"), and words common in some segments and rare in others.
#[test]
fn pruned_ranking_gives_the_same_pages_as_ranking_every_match() -> anyhow::Result<()> {
    let words = [
        "lunch",
        "club",
        "community",
        "garden",
        "food",
        "bank",
        "advice",
        "youth",
        "foodbank",
        "allotment",
    ];
    let kinds = ["service", "space", "organisation", "asset", "location"];
    let pick = |r: u64| words[(r % words.len() as u64) as usize];
    let index = SearchIndex::in_memory()?;
    let now = chrono::Utc::now();
    let policy = crate::domain::freshness::ReviewPolicy::default();
    let mut keys = Vec::new();
    let mut next = xorshift(7);
    for batch in 0..5 {
        let mut ops = Vec::new();
        for n in 0..120usize {
            // Some names are the query exactly, some hold its words side by side and more.
            let name = match n % 10 {
                0 => "Food bank".to_owned(),
                5 => format!("{} {} hall", pick(next()), pick(next())),
                _ => format!("{} {}", pick(next()), pick(next())),
            };
            let description: Vec<&str> = (0..(next() % 12)).map(|_| pick(next())).collect();
            let kind = kinds[(next() % 5) as usize];
            let id = Uuid::new_v4();
            keys.push((kind, id));
            ops.push(IndexOp::Upsert(Box::new(IndexDoc {
                card: Card {
                    kind: kind.to_owned(),
                    id,
                    name,
                    status: Some(if n % 13 == 0 { "inactive" } else { "active" }.to_owned()),
                    free: n % 3 == 0,
                    top_categories: vec![["food", "money"][n % 2].to_owned()],
                    // Checked from this month to a year ago: fresh, overdue and stale records.
                    last_verified_at: Some(
                        now - chrono::Duration::days(i64::try_from(next() % 365).unwrap_or(0)),
                    ),
                    ..Card::default()
                },
                published: n % 17 != 0,
                description: description.join(" "),
                ..IndexDoc::default()
            })));
        }
        index.apply(ops, batch + 1)?;
    }
    // A larger segment where the words above are rare: there they are walked as posting lists,
    // elsewhere ANDed as common words' bitsets (see `dense`).
    let filler: Vec<IndexOp> = (0..400usize)
        .map(|n| {
            let id = Uuid::new_v4();
            keys.push(("space", id));
            IndexOp::Upsert(Box::new(IndexDoc {
                card: Card {
                    kind: "space".to_owned(),
                    id,
                    name: if n % 150 == 0 {
                        "Lunch club hall"
                    } else {
                        "Hall"
                    }
                    .to_owned(),
                    last_verified_at: Some(now),
                    ..Card::default()
                },
                published: true,
                description: if n % 200 == 0 { "food bank" } else { "room" }.to_owned(),
                ..IndexDoc::default()
            }))
        })
        .collect();
    index.apply(filler, 6)?;
    let removed: Vec<IndexOp> = keys
        .iter()
        .step_by(9)
        .filter_map(|(kind, id)| RecordKind::parse(kind).map(|k| IndexOp::Remove(k, *id)))
        .collect();
    index.apply(removed, 7)?;
    assert!(segments(&index) > 1);
    let show = |r: &SearchResults| -> Vec<(String, Uuid)> {
        r.hits
            .iter()
            .map(|h| (h.card.name.clone(), h.card.id))
            .collect()
    };
    let kind_sets = [
        vec![],
        vec![RecordKind::Service, RecordKind::Space],
        vec![RecordKind::Asset],
    ];
    for text in [
        "food bank",
        "lunch",
        "community garden",
        "club youth advice",
        "food",
        "youth club",
        "foodbank",
        "allotment",
    ] {
        for kinds in &kind_sets {
            for (include_closed, skip_facets, fresh) in [
                (false, false, None),
                (true, true, None),
                // Overdue records demoted, stale ones left out…
                (false, false, Some(false)),
                (false, true, Some(false)),
                // …or kept (demoted).
                (true, false, Some(true)),
                (true, true, Some(true)),
            ] {
                let freshness = fresh.map(|stale| Freshness::at(&policy, now, stale));
                for page in 0..4 {
                    let q = SearchQuery {
                        text: Some(text.to_owned()),
                        kinds: kinds.clone(),
                        include_closed,
                        skip_facets,
                        freshness: freshness.clone(),
                        offset: page * 7,
                        limit: 7,
                        ..SearchQuery::default()
                    };
                    let pruned = query::run_with(&index, &q, true)?;
                    let full = query::run_with(&index, &q, false)?;
                    let case = format!(
                        "'{text}' {kinds:?} closed {include_closed} fresh {fresh:?} page {page}"
                    );
                    assert_eq!(show(&pruned), show(&full), "{case}");
                    assert_eq!(pruned.total, full.total, "{case}");
                    assert_eq!(pruned.facets, full.facets, "{case}");
                    // Enough matches for more than a page (every kind: some are rarer).
                    if page == 0 && kinds.is_empty() {
                        assert!(full.total > 7, "{case}: {}", full.total);
                    }
                    for (a, b) in pruned.hits.iter().zip(&full.hits) {
                        assert!((a.score - b.score).abs() < 1e-4, "{case}");
                    }
                }
            }
        }
    }
    // Stale records really are left out, and only them.
    let plain = SearchQuery {
        text: Some("food".to_owned()),
        include_closed: true,
        include_unpublished: true,
        limit: 7,
        ..SearchQuery::default()
    };
    let everything = query::run_with(&index, &plain, true)?.total;
    let without_stale = query::run_with(
        &index,
        &SearchQuery {
            freshness: Some(Freshness::at(&policy, now, false)),
            ..plain.clone()
        },
        true,
    )?
    .total;
    assert!(
        0 < without_stale && without_stale < everything,
        "{without_stale} of {everything}"
    );
    Ok(())
}

/// A synonym as typed matches like any words (all of them, anywhere in the record); the
/// group's other phrases match as phrases. Both ways the page is the same as ranking every
/// match.
#[test]
fn synonyms_match_as_typed_and_as_the_groups_other_phrases() -> anyhow::Result<()> {
    let index = SearchIndex::in_memory()?;
    let records = [
        ("Millbrook Foodbank", "Parcels every Friday"),
        ("Food parcels", "Ask at the bank counter"),
        ("Fernlea Food Bank", "Emergency food"),
        ("Bank holiday opening", "Hours change"),
        ("Youth club", "Games night"),
        ("Music for young people", "Bands and choirs"),
        ("Saturday youth group", "Drama"),
        ("Club night", "For youth workers"),
        ("Young carers", "Support for people caring"),
    ];
    let ops = records
        .iter()
        .map(|(name, description)| {
            IndexOp::Upsert(Box::new(IndexDoc {
                card: Card {
                    kind: "service".to_owned(),
                    id: Uuid::new_v4(),
                    name: (*name).to_owned(),
                    status: Some("active".to_owned()),
                    ..Card::default()
                },
                published: true,
                description: (*description).to_owned(),
                ..IndexDoc::default()
            }))
        })
        .collect();
    index.apply(ops, 1)?;
    let found = |text: &str| -> anyhow::Result<Vec<String>> {
        let q = SearchQuery {
            text: Some(text.to_owned()),
            limit: 20,
            ..SearchQuery::default()
        };
        let pruned = query::run_with(&index, &q, true)?;
        let full = query::run_with(&index, &q, false)?;
        let names = |r: &SearchResults| -> Vec<String> {
            let mut n: Vec<String> = r.hits.iter().map(|h| h.card.name.clone()).collect();
            n.sort();
            n
        };
        assert_eq!(names(&pruned), names(&full), "{text}");
        assert_eq!(pruned.total, full.total, "{text}");
        assert_eq!(pruned.total, pruned.hits.len(), "{text}");
        Ok(names(&pruned))
    };
    // Typed "food bank": both words anywhere, or the other phrase "foodbank".
    assert_eq!(
        found("food bank")?,
        ["Fernlea Food Bank", "Food parcels", "Millbrook Foodbank"]
    );
    // Typed "foodbank": the word, or the other phrase "food bank" as a phrase.
    assert_eq!(
        found("foodbank")?,
        ["Fernlea Food Bank", "Millbrook Foodbank"]
    );
    // Typed "youth club": both words anywhere, or "young people" or "youth group" as phrases.
    assert_eq!(
        found("youth club")?,
        [
            "Club night",
            "Music for young people",
            "Saturday youth group",
            "Youth club"
        ]
    );
    Ok(())
}

/// An index is reused only when this build would have built it the same way: same schema
/// version and same synonym groups (their phrases are marked in the index).
#[test]
fn an_index_built_with_other_synonyms_is_rebuilt() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let opened = SearchIndex::open(dir.path())?;
    assert!(opened.needs_rebuild, "a new index is built");
    opened.index.apply(vec![service(1)], 1)?;
    drop(opened);
    let again = SearchIndex::open(dir.path())?;
    assert!(!again.needs_rebuild, "the same build reuses its index");
    assert_eq!(again.index.num_docs(), 1);
    drop(again);
    let current = Payload::at(1);
    assert!(current.current());
    assert!(
        !Payload {
            synonyms: current.synonyms ^ 1,
            ..current
        }
        .current()
    );
    // A payload written before the fingerprint existed.
    let old: Payload = serde_json::from_str(&format!(r#"{{"schema":{SCHEMA_VERSION},"seq":3}}"#))?;
    assert!(!old.current());
    Ok(())
}

/// The words side by side in a name lift a record above others with a higher AND score of
/// the words; pruned ranking still finds it.
#[test]
fn names_holding_the_words_side_by_side_make_the_page_when_pruned() -> anyhow::Result<()> {
    let index = SearchIndex::in_memory()?;
    let record = |name: String, description: String| {
        IndexOp::Upsert(Box::new(IndexDoc {
            card: Card {
                kind: "service".to_owned(),
                id: Uuid::new_v4(),
                name,
                status: Some("active".to_owned()),
                ..Card::default()
            },
            published: true,
            description,
            ..IndexDoc::default()
        }))
    };
    let mut ops: Vec<IndexOp> = (0..40)
        .map(|n| {
            record(
                format!("Tools for the garden {n}"),
                "garden tools ".repeat(3 + n % 5),
            )
        })
        .collect();
    ops.extend((0..3).map(|n| record(format!("Garden tools share {n}"), "Lend".to_owned())));
    index.apply(ops, 1)?;
    for limit in [1, 2, 3, 5] {
        let q = SearchQuery {
            text: Some("garden tools".to_owned()),
            limit,
            ..SearchQuery::default()
        };
        let pruned = query::run_with(&index, &q, true)?;
        let full = query::run_with(&index, &q, false)?;
        let names = |r: &SearchResults| -> Vec<String> {
            r.hits.iter().map(|h| h.card.name.clone()).collect()
        };
        assert!(
            full.hits[0].card.name.starts_with("Garden tools share"),
            "{:?}",
            names(&full)
        );
        assert_eq!(names(&pruned), names(&full), "limit {limit}");
    }
    Ok(())
}
