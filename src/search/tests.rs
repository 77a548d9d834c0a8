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
/// unpublished records, kinds, tied scores and names that match the query exactly.
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
            let name = if n % 10 == 0 {
                "Food bank".to_owned()
            } else {
                format!("{} {}", pick(next()), pick(next()))
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
        index.apply(ops, batch + 1, false)?;
    }
    let removed: Vec<IndexOp> = keys
        .iter()
        .step_by(9)
        .filter_map(|(kind, id)| RecordKind::parse(kind).map(|k| IndexOp::Remove(k, *id)))
        .collect();
    index.apply(removed, 6, false)?;
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
    ] {
        for kinds in &kind_sets {
            for (include_closed, skip_facets, fresh) in [
                (false, false, None),
                (true, true, None),
                // Overdue records demoted, stale ones left out…
                (false, false, Some(false)),
                // …or kept (demoted).
                (true, false, Some(true)),
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
                    if page == 0 {
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

/// A bulk load ends as one segment holding every document and the last commit's place in
/// the change log, and what follows merges as usual.
#[test]
fn a_bulk_load_ends_in_one_segment() -> anyhow::Result<()> {
    let index = SearchIndex::in_memory()?;
    index.start_bulk()?;
    for batch in 0..4 {
        index.apply(
            (0..50).map(|n| service(batch * 50 + n)).collect(),
            batch as i64 + 1,
            batch == 0,
        )?;
    }
    assert!(
        segments(&index) >= 4,
        "{} segments before merging",
        segments(&index)
    );
    index.finish_bulk()?;
    assert_eq!(segments(&index), 1);
    assert_eq!(index.num_docs(), 200);
    assert_eq!(index.applied_seq(), 4);
    let q = SearchQuery {
        text: Some("lunch".to_owned()),
        limit: 5,
        ..SearchQuery::default()
    };
    assert_eq!(index.search(&q)?.total, 200);
    index.apply(vec![service(200)], 5, false)?;
    assert_eq!(index.search(&q)?.total, 201);
    assert_eq!(index.applied_seq(), 5);
    Ok(())
}
