//! Places found exactly through commits, moves, deletes and merges (see `search::spatial`).

use super::*;

/// Searches by box and radius find exactly the records a brute-force check finds, while the
/// index's spatial order is kept through several commits, moved and deleted records, a bulk
/// merge and commits after it; a record with several sites is found by any of them.
#[test]
fn places_are_found_exactly_through_updates_deletes_and_merges() -> anyhow::Result<()> {
    let index = SearchIndex::in_memory()?;
    let mut next = unit(11);
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
    assert!(first_segment_in_key_order(&index)?);
    let id = Uuid::new_v4();
    let points = vec![[-2.101, 53.541], [-2.3, 53.4]];
    seq += 1;
    index.apply(vec![doc(id, points.clone())], seq)?;
    places.push((id, points));
    check(&index, &places, "a commit after the merge");
    Ok(())
}
