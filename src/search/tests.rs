//! Index-level tests: bulk loads, and pruned ranking against ranking every match.

use super::*;

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
    let mut state = 7u64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
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

/// A service named "Lunch club {n}" at `point`.
fn service_at(n: usize, point: [f64; 2]) -> IndexDoc {
    let IndexOp::Upsert(doc) = service(n) else {
        unreachable!("service() upserts")
    };
    IndexDoc {
        card: Card {
            points: vec![point],
            ..doc.card
        },
        ..*doc
    }
}

/// Each committed segment's smallest and largest place key, smallest first.
fn key_runs(index: &SearchIndex) -> anyhow::Result<Vec<(u64, u64)>> {
    let searcher = index.index.reader()?.searcher();
    let mut runs = Vec::new();
    for segment in searcher.segment_readers() {
        let column = segment.fast_fields().u64(spatial::KEY)?;
        runs.push((column.min_value(), column.max_value()));
    }
    runs.sort_unstable();
    Ok(runs)
}

/// A bulk load replaces what the index held. It commits its records in rounds, each segment
/// a run of place keys that no other segment's run overlaps (so the final merge stacks them;
/// see `bulk`), while searches still see the index as it was; it ends as one segment in key
/// order holding every record and the change log's position, and what follows merges as usual.
#[test]
fn a_bulk_load_ends_in_one_segment() -> anyhow::Result<()> {
    let index = SearchIndex::in_memory()?;
    index.apply(vec![service(999)], 1)?;
    let mut state = 5u64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % 1_000_000) as f64 / 1_000_000.0
    };
    let mut docs: Vec<IndexDoc> = (0..200)
        .map(|n| service_at(n, [-2.35 + 0.5 * next(), 53.35 + 0.4 * next()]))
        .collect();
    docs.sort_by_key(|d| spatial::record_key(&d.card.points));
    // Two calls in key order, each shuffled within (the load sorts it).
    let mut second = docs.split_off(100);
    docs.reverse();
    second.reverse();
    let mut load = index.bulk_load()?;
    load.round = 40;
    load.add(docs)?;
    load.add(second)?;
    assert_eq!(index.num_docs(), 1, "searches see the index as it was");
    // A segment per round at least (a thread may take both halves of a round).
    let runs = key_runs(&index)?;
    assert!(runs.len() >= 5, "{} segments before merging", runs.len());
    assert!(
        runs.windows(2).all(|w| w[0].1 <= w[1].0),
        "overlapping runs: {runs:?}"
    );
    load.finish(4)?;
    assert_eq!(segments(&index), 1);
    assert_eq!(index.num_docs(), 200);
    assert_eq!(index.applied_seq(), 4);
    let searcher = index.reader.searcher();
    let column = searcher.segment_reader(0).fast_fields().u64(spatial::KEY)?;
    let keys: Vec<u64> = (0..searcher.segment_reader(0).max_doc())
        .filter_map(|d| column.first(d))
        .collect();
    assert!(keys.windows(2).all(|w| w[0] <= w[1]));
    let q = SearchQuery {
        text: Some("lunch".to_owned()),
        limit: 5,
        ..SearchQuery::default()
    };
    assert_eq!(index.search(&q)?.total, 200);
    index.apply(vec![service(200)], 5)?;
    assert_eq!(index.search(&q)?.total, 201);
    assert_eq!(index.applied_seq(), 5);
    Ok(())
}

/// A bulk load of nothing (a register with no records) leaves the index empty.
#[test]
fn an_empty_bulk_load_empties_the_index() -> anyhow::Result<()> {
    let index = SearchIndex::in_memory()?;
    index.apply(vec![service(1), service(2)], 1)?;
    index.apply(vec![service(3)], 2)?;
    index.bulk_load()?.finish(3)?;
    assert_eq!(index.num_docs(), 0);
    assert_eq!(index.applied_seq(), 3);
    index.apply(vec![service(4)], 4)?;
    assert_eq!(index.num_docs(), 1);
    Ok(())
}

/// A bulk load cut short (dropped before it finished, as a crash would leave it) leaves an
/// index the next start builds again, and searches meanwhile see the index as it was.
#[test]
fn a_bulk_load_cut_short_is_built_again() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let opened = SearchIndex::open(dir.path())?;
    opened.index.apply(vec![service(1)], 1)?;
    {
        let mut load = opened.index.bulk_load()?;
        load.round = 4;
        load.add((0..10).map(|n| service_at(n, [-2.1, 53.5])).collect())?;
    }
    assert_eq!(opened.index.num_docs(), 1);
    // The writer is free again and merges as usual.
    opened.index.apply(vec![service(2)], 2)?;
    drop(opened);
    let again = SearchIndex::open(dir.path())?;
    assert!(again.needs_rebuild);
    Ok(())
}

/// Searches by box and radius find exactly the records a brute-force check finds, while the
/// index's spatial order is kept through several commits, moved and deleted records, a bulk
/// merge and commits after it; a record with several sites is found by any of them.
#[test]
fn places_are_found_exactly_through_updates_deletes_and_merges() -> anyhow::Result<()> {
    let index = SearchIndex::in_memory()?;
    let mut state = 11u64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % 1_000_000) as f64 / 1_000_000.0
    };
    // id → points; around Oldham, about 30 km across.
    let mut places: Vec<(Uuid, Vec<[f64; 2]>)> = Vec::new();
    let doc = |id: Uuid, points: Vec<[f64; 2]>| {
        IndexOp::Upsert(Box::new(IndexDoc {
            card: Card {
                kind: "space".to_owned(),
                id,
                name: "Hall".to_owned(),
                status: Some("active".to_owned()),
                points,
                ..Card::default()
            },
            published: true,
            ..IndexDoc::default()
        }))
    };
    let check = |index: &SearchIndex, places: &[(Uuid, Vec<[f64; 2]>)], stage: &str| {
        for (near, radius, bbox) in [
            ((-2.10, 53.54), Some(3000.0), None),
            ((-2.25, 53.45), Some(9000.0), None),
            ((-2.00, 53.60), None, Some([-2.2, 53.5, -2.05, 53.56])),
            (
                (-2.10, 53.54),
                Some(5000.0),
                Some([-2.2, 53.5, -2.05, 53.56]),
            ),
        ] {
            let expected: std::collections::BTreeSet<Uuid> = places
                .iter()
                // As the search checks them: some site within the radius, some in the box.
                .filter(|(_, ps)| {
                    radius.is_none_or(|r| {
                        ps.iter()
                            .any(|&[lon, lat]| crate::geo::haversine_m(near, (lon, lat)) <= r)
                    }) && bbox.is_none_or(|b: [f64; 4]| {
                        ps.iter().any(|&[lon, lat]| {
                            (b[0]..=b[2]).contains(&lon) && (b[1]..=b[3]).contains(&lat)
                        })
                    })
                })
                .map(|(id, _)| *id)
                .collect();
            let r = index
                .search(&SearchQuery {
                    near: radius.map(|_| near),
                    radius_m: radius,
                    bbox,
                    limit: 1000,
                    ..SearchQuery::default()
                })
                .unwrap();
            let got: std::collections::BTreeSet<Uuid> = r.hits.iter().map(|h| h.card.id).collect();
            assert_eq!(
                got, expected,
                "{stage}: near {near:?} radius {radius:?} box {bbox:?}"
            );
            assert_eq!(r.total, expected.len(), "{stage}");
            assert!(!expected.is_empty(), "{stage}");
        }
    };
    let mut seq = 0;
    let mut point = || [-2.35 + 0.5 * next(), 53.35 + 0.4 * next()];
    // No background merges until the explicit one below, so the segments are the commits'.
    index
        .locked_writer()?
        .set_merge_policy(Box::new(tantivy::indexer::NoMergePolicy));
    for _ in 0..4 {
        let mut ops = Vec::new();
        for n in 0..150 {
            let id = Uuid::new_v4();
            // Every tenth record has three sites.
            let points = if n % 10 == 0 {
                vec![point(), point(), point()]
            } else {
                vec![point()]
            };
            ops.push(doc(id, points.clone()));
            places.push((id, points));
        }
        seq += 1;
        index.apply(ops, seq)?;
    }
    assert!(segments(&index) > 1);
    check(&index, &places, "several segments");
    // Move every fifth record and delete every seventh.
    let mut ops = Vec::new();
    for (i, (id, points)) in places.iter_mut().enumerate() {
        if i % 5 == 0 {
            *points = vec![point()];
            ops.push(doc(*id, points.clone()));
        }
    }
    let mut removed = Vec::new();
    for (i, (id, _)) in places.iter().enumerate() {
        if i % 7 == 3 {
            removed.push(*id);
            ops.push(IndexOp::Remove(RecordKind::Space, *id));
        }
    }
    places.retain(|(id, _)| !removed.contains(id));
    seq += 1;
    index.apply(ops, seq)?;
    check(&index, &places, "after moves and deletes");
    index.merge_all(&mut *index.locked_writer()?)?;
    index.reload()?;
    assert_eq!(segments(&index), 1);
    check(&index, &places, "merged");
    // The merged segment is in key order.
    let searcher = index.reader.searcher();
    let column = searcher.segment_reader(0).fast_fields().u64(spatial::KEY)?;
    let keys: Vec<u64> = (0..searcher.segment_reader(0).max_doc())
        .filter_map(|d| column.first(d))
        .collect();
    assert!(keys.windows(2).all(|w| w[0] <= w[1]));
    let id = Uuid::new_v4();
    let points = vec![[-2.101, 53.541], [-2.3, 53.4]];
    seq += 1;
    index.apply(vec![doc(id, points.clone())], seq)?;
    places.push((id, points));
    check(&index, &places, "a commit after the merge");
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
