//! `/api/v1/search`: text relevance with bounded typos and synonyms, geography, filters that
//! AND together, open-now, facets, pagination and GeoJSON — on SQLite and PostgreSQL.
#![allow(clippy::expect_used, clippy::unwrap_used)] // test helpers fail loudly by design

mod common;

use std::collections::BTreeSet;

use axum::http::StatusCode;
use common::TestApp;
use junction::geo::haversine_m;
use serde_json::{Value, json};

fn names(r: &Value) -> Vec<String> {
    r["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|i| i["name"].as_str().unwrap_or_default().to_owned())
        .collect()
}

fn ids(r: &Value) -> Vec<String> {
    r["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|i| i["id"].as_str().unwrap_or_default().to_owned())
        .collect()
}

async fn search(app: &TestApp, params: &str) -> Value {
    let r = app.get(&format!("/api/v1/search?{params}")).await;
    assert_eq!(r.status, StatusCode::OK, "{params}: {}", r.json);
    r.json
}

both_dbs!(text_relevance_typos_and_synonyms, demo);
async fn text_relevance_typos_and_synonyms(app: &TestApp) {
    // An exact name match ranks first.
    let r = search(app, "q=Millbrook%20Food%20Bank").await;
    assert_eq!(names(&r)[0], "Millbrook Food Bank");

    // Stemming: "parcels" finds "parcel" and the other way round.
    assert!(search(app, "q=parcel%20").await["total"].as_u64().unwrap() > 0);

    // A word in the vocabulary is never matched fuzzily: "dental" doesn't reach "mental".
    let dental = search(app, "q=dental").await;
    assert!(dental["total"].as_u64().unwrap() > 0);
    for item in dental["items"].as_array().unwrap() {
        let text = format!("{} {}", item["name"], item["summary"]).to_lowercase();
        assert!(
            text.contains("dental"),
            "'dental' matched something else: {text}"
        );
        assert!(!text.contains("mental") || text.contains("dental"));
    }
    // A word that isn't in the vocabulary is matched within its edit budget.
    let typo = search(app, "q=dentsl").await;
    assert_eq!(
        ids(&typo).into_iter().collect::<BTreeSet<_>>(),
        ids(&dental).into_iter().collect::<BTreeSet<_>>()
    );
    // Short words get no typo tolerance (a trailing space means the word is finished).
    assert_eq!(search(app, "q=fod%20").await["total"], 0);
    // ...but while typing, a prefix matches.
    assert!(search(app, "q=dent").await["total"].as_u64().unwrap() > 0);
    assert_eq!(
        search(app, "q=dent%20").await["total"],
        0,
        "a finished short word is not a prefix"
    );

    // Synonyms: "foodbank" finds records that say "food bank".
    let foodbank = search(app, "q=foodbank").await;
    assert!(
        names(&foodbank).iter().any(|n| n == "Millbrook Food Bank"),
        "{foodbank}"
    );
    assert_eq!(
        foodbank["total"],
        search(app, "q=food%20bank").await["total"]
    );
    // ...and, as for "food bank", the records named for it come before those that mention it.
    let named = |n: &String| n.to_lowercase().contains("food bank");
    let found = names(&foodbank);
    let first_other = found.iter().position(|n| !named(n)).unwrap_or(found.len());
    assert!(first_other >= 2, "{found:?}");
    assert!(found[first_other..].iter().all(|n| !named(n)), "{found:?}");
    // "food bank" is highlighted where it stands, not "food" wherever it does.
    let marked: Vec<String> = foodbank["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|i| i["summary_html"].as_str())
        .map(str::to_lowercase)
        .collect();
    assert!(
        marked
            .iter()
            .any(|m| m.contains("<mark>food</mark> <mark>bank</mark>")),
        "{marked:?}"
    );
    for m in &marked {
        assert_eq!(
            m.matches("<mark>food</mark>").count(),
            m.matches("<mark>food</mark> <mark>bank</mark>").count(),
            "{m}"
        );
    }

    // Matched words are highlighted; nothing unescaped leaks into the HTML.
    let first = &dental["items"][0];
    assert!(
        first["summary_html"]
            .as_str()
            .unwrap_or_default()
            .contains("<mark>"),
        "{first}"
    );

    // A word nothing mentions: told so, and no results rather than everything.
    let none = search(app, "q=zzyzx").await;
    assert_eq!(none["total"], 0);
    assert!(!none["notices"].as_array().unwrap().is_empty());
    // One unknown word among known ones is left out with a notice.
    let partial = search(app, "q=food%20zzyzx%20").await;
    assert!(partial["total"].as_u64().unwrap() > 0);
    assert!(partial["notices"][0].as_str().unwrap().contains("zzyzx"));
}

/// Creates `n` published locations with spaces at pseudo-random points in a 20 km box.
async fn scatter(app: &TestApp, n: usize) -> Vec<(String, f64, f64)> {
    let org = app
        .post(
            "/api/v1/organisations",
            json!({"name": "Scatter Trust", "description": "Owns halls everywhere"}),
        )
        .await
        .json["id"]
        .clone();
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed % 1_000_000) as f64 / 1_000_000.0
    };
    let mut out = Vec::new();
    for i in 0..n {
        let (lat, lon) = (53.45 + next() * 0.18, -2.25 + next() * 0.30);
        let loc = app
            .post("/api/v1/locations", json!({"name": format!("Point {i}"), "address_1": format!("{i} Grid Road"), "town": "Gridtown", "postcode": "OL9 9ZZ", "latitude": lat, "longitude": lon, "organisation_id": org}))
            .await;
        let loc_id = loc.json["id"].clone();
        let space = app
            .post("/api/v1/spaces", json!({"name": format!("Gridhall {i}"), "location_id": loc_id, "organisation_id": org, "space_type": "hall"}))
            .await;
        assert_eq!(space.status, StatusCode::CREATED);
        out.push((space.json["id"].as_str().unwrap().to_owned(), lon, lat));
    }
    out
}

both_dbs!(radius_filter_agrees_with_brute_force_haversine);
async fn radius_filter_agrees_with_brute_force_haversine(app: &TestApp) {
    let points = scatter(app, 60).await;
    assert!(
        app.eventually(|| async { search(app, "q=gridhall&per_page=200").await["total"] == 60 })
            .await
    );
    for (lat, lon, radius) in [
        (53.54, -2.10, 3000.0),
        (53.50, -2.20, 8000.0),
        (53.60, -2.00, 1500.0),
    ] {
        let expected: BTreeSet<String> = points
            .iter()
            .filter(|(_, plon, plat)| haversine_m((lon, lat), (*plon, *plat)) <= radius)
            .map(|(id, _, _)| id.clone())
            .collect();
        let r = search(
            app,
            &format!("kind=space&near={lat},{lon}&radius={radius}&per_page=200&sort=distance"),
        )
        .await;
        let got: BTreeSet<String> = ids(&r).into_iter().collect();
        assert_eq!(got, expected, "radius {radius} around {lat},{lon}");
        // Nearest first, distances within the radius.
        let d: Vec<f64> = r["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["distance_m"].as_f64().unwrap())
            .collect();
        assert!(d.windows(2).all(|w| w[0] <= w[1]), "{d:?}");
        assert!(d.iter().all(|x| *x <= radius));
    }
    // A bounding box.
    let r = search(app, "kind=space&bbox=-2.2,53.5,-2.1,53.55&per_page=200").await;
    for item in r["items"].as_array().unwrap() {
        let [lon, lat] = [
            item["point"][0].as_f64().unwrap(),
            item["point"][1].as_f64().unwrap(),
        ];
        assert!((-2.2..=-2.1).contains(&lon) && (53.5..=53.55).contains(&lat));
    }
    let in_box = points
        .iter()
        .filter(|(_, lon, lat)| (-2.2..=-2.1).contains(lon) && (53.5..=53.55).contains(lat))
        .count();
    assert_eq!(r["total"], in_box);

    // Pages never repeat or skip a record.
    let mut seen = Vec::new();
    for page in 1..=7 {
        let r = search(app, &format!("kind=space&per_page=9&page={page}")).await;
        seen.extend(ids(&r));
    }
    let unique: BTreeSet<&String> = seen.iter().collect();
    assert_eq!(seen.len(), 60);
    assert_eq!(unique.len(), 60);
}

both_dbs!(filters_combine_and_facets_count_the_filtered_set, demo);
async fn filters_combine_and_facets_count_the_filtered_set(app: &TestApp) {
    let all = search(app, "per_page=200").await;
    let free = search(app, "free=true&per_page=200").await;
    let step_free = search(app, "accessibility=step_free_access&per_page=200").await;
    let both = search(app, "free=true&accessibility=step_free_access&per_page=200").await;
    let set = |v: &Value| ids(v).into_iter().collect::<BTreeSet<_>>();
    assert!(set(&free).len() < set(&all).len());
    assert_eq!(
        set(&both),
        set(&free).intersection(&set(&step_free)).cloned().collect()
    );
    assert_eq!(both["facets"]["free"], both["total"]);
    assert_eq!(
        both["facets"]["accessibility"]["step_free_access"],
        both["total"]
    );
    let kinds: u64 = both["facets"]["kind"]
        .as_object()
        .unwrap()
        .values()
        .map(|v| v.as_u64().unwrap())
        .sum();
    assert_eq!(kinds, both["total"].as_u64().unwrap());

    // The kind facet is disjunctive: asking for services still counts the other kinds the
    // rest of the search would find, so a person can see what switching would give.
    let services = search(app, "free=true&kind=service&per_page=200").await;
    assert!(
        services["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|i| i["kind"] == "service")
    );
    assert_eq!(services["facets"]["kind"]["service"], services["total"]);
    assert_eq!(services["facets"]["kind"], free["facets"]["kind"]);
    assert!(services["facets"]["kind"]["space"].as_u64().unwrap() > 0);
    let free_services = free["facets"]["kind"]["service"].as_u64().unwrap();
    assert_eq!(
        services["facets"]["free"].as_u64().unwrap(),
        free_services,
        "the other facets count only the kinds asked for"
    );

    // Without facets the same records come back, in the same order, with the same total.
    for query in [
        "free=true&kind=service&per_page=200",
        "q=food&near=OL1%201AA&per_page=7&page=2",
    ] {
        let with = search(app, query).await;
        let without = search(app, &format!("{query}&facets=false")).await;
        assert!(
            without.get("facets").is_none(),
            "facets=false leaves them out"
        );
        assert!(
            with["facets"]["kind"]
                .as_object()
                .is_some_and(|k| !k.is_empty())
        );
        assert_eq!(ids(&without), ids(&with), "{query}");
        assert_eq!(without["total"], with["total"], "{query}");
    }

    // A top-level category includes its sub-categories.
    let food = search(app, "category=food&per_page=200").await;
    assert!(food["total"].as_u64().unwrap() > 0);
    assert_eq!(food["facets"]["category"]["food"], food["total"]);
    let banks = search(app, "category=food-banks&per_page=200").await;
    assert!(set(&banks).is_subset(&set(&food)));
    assert!(banks["total"].as_u64().unwrap() < food["total"].as_u64().unwrap());

    // Age and language.
    for item in search(app, "age=8&kind=service&per_page=200").await["items"]
        .as_array()
        .unwrap()
    {
        let _ = item; // fits_age is checked on the card; spot-check one youth service below.
    }
    let youth = search(app, "q=youth&age=70").await;
    assert!(
        names(&youth)
            .iter()
            .all(|n| !n.to_lowercase().contains("youth club")),
        "{youth}"
    );
    let urdu = search(app, "language=ur&per_page=200").await;
    assert!(
        urdu["total"].as_u64().unwrap() > 0
            && urdu["total"].as_u64().unwrap() < all["total"].as_u64().unwrap()
    );

    // Closed services are left out unless asked for, and then marked.
    let closed = search(app, "include_closed=true&kind=service&per_page=200").await;
    let open = search(app, "kind=service&per_page=200").await;
    assert!(closed["total"].as_u64().unwrap() > open["total"].as_u64().unwrap());
    assert!(
        closed["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|i| i["status"].is_string())
    );
    assert!(
        open["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|i| i["status"].is_null())
    );

    // Bad parameters are 400s that name the parameter.
    for (params, field) in [
        ("kind=castle", "kind"),
        ("category=no-such-thing", "category"),
        ("radius=5", "radius"),
        ("near=OL1&radius=200000", "radius"),
        ("sort=distance", "sort"),
        ("open_at=tomorrow", "open_at"),
        ("accessibility=jetpack", "accessibility"),
        ("bbox=1,2,3", "bbox"),
        ("per_page=1000", "per_page"),
        ("near=Atlantis", "near"),
        ("colour=blue", "colour"),
    ] {
        let r = app.get(&format!("/api/v1/search?{params}")).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{params}: {}", r.json);
        assert_eq!(r.field(), field, "{params}");
    }
}

both_dbs!(open_now_uses_the_opening_hours_in_london_time);
async fn open_now_uses_the_opening_hours_in_london_time(app: &TestApp) {
    let org = app
        .post(
            "/api/v1/organisations",
            json!({"name": "Clock Trust", "description": "Keeps hours"}),
        )
        .await
        .json["id"]
        .clone();
    for (name, hours) in [
        ("Weekday Advice", "Mo-Fr 09:00-17:00; PH off"),
        ("Saturday Club", "Sa 10:00-13:00"),
        ("Night Shelter", "Mo-Su 22:00-02:00"),
        ("No Hours Group", ""),
    ] {
        let mut body =
            json!({"name": name, "description": "clockwork service", "organisation_id": org});
        if !hours.is_empty() {
            body["opening_hours"] = json!(hours);
        }
        assert_eq!(
            app.post("/api/v1/services", body).await.status,
            StatusCode::CREATED
        );
    }
    assert!(
        app.eventually(|| async { search(app, "q=clockwork").await["total"] == 4 })
            .await
    );
    let open_at = |t: &str| format!("q=clockwork&open_at={}", t.replace('+', "%2B"));
    // Wednesday 25 November 2026, 10:00 GMT.
    assert_eq!(
        names(&search(app, &open_at("2026-11-25T10:00:00Z")).await),
        ["Weekday Advice"]
    );
    // Saturday 28 November, 11:00.
    assert_eq!(
        names(&search(app, &open_at("2026-11-28T11:00:00Z")).await),
        ["Saturday Club"]
    );
    // Easter Monday 2026 (a bank holiday) at 10:00 BST.
    assert_eq!(
        search(app, &open_at("2026-04-06T10:00:00+01:00")).await["total"],
        0
    );
    // 01:00 on a Thursday: the overnight shelter that opened at 22:00 the day before.
    assert_eq!(
        names(&search(app, &open_at("2026-11-26T01:00:00Z")).await),
        ["Night Shelter"]
    );
    // Items say whether they are open at that time when their hours are known.
    let r = search(app, "q=clockwork&per_page=10").await;
    let unknown = r["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["name"] == "No Hours Group")
        .unwrap();
    assert!(unknown["open_now"].is_null());
}

both_dbs!(places_postcodes_and_remote_services, demo);
async fn places_postcodes_and_remote_services(app: &TestApp) {
    // A postcode district the register knows (from the demo's own postcodes).
    let near = search(app, "near=OL1&radius=3000&kind=service&per_page=200").await;
    assert!(near["total"].as_u64().unwrap() > 0, "{near}");
    // Phone and online services with no site appear near any point, marked remote...
    let items = near["items"].as_array().unwrap();
    assert!(
        items.iter().any(|i| i["remote"] == true),
        "no remote service near OL1"
    );
    assert!(
        items
            .iter()
            .filter(|i| i["remote"] != true)
            .all(|i| i["distance_m"].as_f64().unwrap() <= 3000.0)
    );
    // ...and remote=false leaves them out.
    let local = search(
        app,
        "near=OL1&radius=3000&kind=service&remote=false&per_page=200",
    )
    .await;
    assert!(
        local["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|i| i["remote"].is_null())
    );
    assert_eq!(
        local["total"].as_u64().unwrap()
            + items.iter().filter(|i| i["remote"] == true).count() as u64,
        near["total"].as_u64().unwrap()
    );
    // An unknown full postcode falls back to its district, with a notice.
    let fallback = search(app, "near=OL1%209ZZ&radius=3000").await;
    assert!(
        fallback["notices"][0].as_str().unwrap().contains("OL1"),
        "{fallback}"
    );
    // A town the register knows.
    assert!(
        search(app, "near=millbrook&radius=10000").await["total"]
            .as_u64()
            .unwrap()
            > 100
    );
    // Lat,lon.
    assert!(
        search(app, "near=53.5409,-2.1114&radius=1000").await["total"]
            .as_u64()
            .unwrap()
            > 0
    );
}

both_dbs!(geojson_keeps_hidden_addresses_coarse, demo);
async fn geojson_keeps_hidden_addresses_coarse(app: &TestApp) {
    let r = app
        .get("/api/v1/search.geojson?q=refuge&per_page=200")
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(
        r.headers.get("content-type").unwrap(),
        "application/geo+json"
    );
    assert_eq!(r.json["type"], "FeatureCollection");
    let features = r.json["features"].as_array().unwrap();
    assert!(!features.is_empty());
    // The refuges' true points never appear: every coordinate sits on the coarse grid centre.
    let full = app.get_auth("/api/v1/locations?per_page=200").await;
    let hidden: Vec<(f64, f64)> = full.json["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|l| l["hide_address"] == true)
        .map(|l| {
            (
                l["longitude"].as_f64().unwrap(),
                l["latitude"].as_f64().unwrap(),
            )
        })
        .collect();
    assert_eq!(hidden.len(), 2);
    let text = r.json.to_string();
    for (lon, lat) in &hidden {
        assert!(
            !text.contains(&format!("{lon}")) && !text.contains(&format!("{lat}")),
            "true point of a refuge leaked"
        );
    }
    for f in features {
        assert_eq!(f["geometry"]["type"], "Point");
        assert!(f["properties"]["name"].is_string());
    }
}
