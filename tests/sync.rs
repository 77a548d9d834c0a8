//! `junction sync`: a second Junction mirrors a first one, served on a real port, on SQLite and
//! PostgreSQL. After an RPDE sync the second has the same services (ids, names, organisations,
//! locations, categories); a change and a delete on the first reach it on the next run, which
//! fetches only what changed (its stored position moves on); the real binary does the same;
//! a local edit of a mirrored record is refused with 409 `mirrored_record`; the mirror's feeds
//! and export carry the origin's licence. An ORUK sync brings the services over through the
//! HSDS mapping, and a schedule (`JUNCTION_SYNC`) runs the same sync on its own. An ORUK mirror
//! deletes a service its origin no longer lists after a full walk of the ids, and nothing when
//! that walk fails part-way.
#![allow(clippy::expect_used, clippy::unwrap_used)] // test helpers fail loudly by design

mod common;

use std::collections::{BTreeMap, HashMap};

use axum::http::StatusCode;
use common::{Backend, TestApp};
use junction::config::SyncKind;
use junction::sync::{self, state};
use serde_json::{Value, json};

/// The first Junction, with the demo register, served on a random local port; its public URL
/// is that port, so its feeds' `next` links point back at it.
async fn origin(backend: Backend) -> (TestApp, String, tokio::task::JoinHandle<()>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let public = url.clone();
    let app = TestApp::configured(backend, true, |c| c.public_url = Some(public)).await;
    let router = app.router.clone();
    let server = tokio::spawn(async move {
        axum::serve(listener, router).await.unwrap();
    });
    (app, url, server)
}

/// Every published service as (name, organisation, locations, category slugs), by id.
async fn services(app: &TestApp) -> BTreeMap<String, Value> {
    let mut slugs = HashMap::new();
    let terms = app.get("/api/v1/taxonomy-terms?per_page=200").await.json;
    for t in terms["items"].as_array().unwrap() {
        slugs.insert(t["id"].as_str().unwrap().to_owned(), t["slug"].clone());
    }
    let mut out = BTreeMap::new();
    for page in 1.. {
        let r = app
            .get(&format!("/api/v1/services?per_page=200&page={page}"))
            .await;
        let items = r.json["items"].as_array().unwrap().clone();
        if items.is_empty() {
            break;
        }
        for s in items {
            let mut categories: Vec<String> = s["categories"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| slugs[c.as_str().unwrap()].as_str().unwrap().to_owned())
                .collect();
            categories.sort();
            out.insert(
                s["id"].as_str().unwrap().to_owned(),
                json!({
                    "name": s["name"],
                    "organisation_id": s["organisation_id"],
                    "location_ids": s["location_ids"],
                    "categories": categories,
                    "opening_hours": s["opening_hours"],
                }),
            );
        }
    }
    out
}

const CC_BY: &str = "https://creativecommons.org/licenses/by/4.0/";

/// The second's feeds and export give each mirrored record the first's licence, which differs
/// from its own; the first's give none.
async fn licences_follow_the_records(first: &TestApp, second: &TestApp) {
    let ogl = junction::config::DEFAULT_DATA_LICENCE;
    let page = second.get("/feeds/services?limit=3").await.json;
    assert_eq!(page["license"], CC_BY);
    for item in page["items"].as_array().unwrap() {
        assert_eq!(item["data"]["licence"]["id"], ogl, "{item}");
        assert!(
            item["data"]["licence"]["source"]
                .as_str()
                .unwrap()
                .contains("/feeds")
        );
    }
    let page = first.get("/feeds/services?limit=3").await.json;
    assert!(page["items"][0]["data"].get("licence").is_none());
    let zip = second.get("/api/v1/export/datapackage.zip").await;
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(zip.bytes)).unwrap();
    let mut rows = String::new();
    std::io::Read::read_to_string(
        &mut archive.by_name("record_licences.csv").unwrap(),
        &mut rows,
    )
    .unwrap();
    let services = rows.lines().filter(|l| l.contains(",service,")).count();
    assert_eq!(
        services,
        services_total(first).await,
        "one licence row per service"
    );
    assert!(rows.lines().skip(1).all(|l| l.contains(ogl)));
}

async fn services_total(app: &TestApp) -> usize {
    app.get("/api/v1/services?per_page=1").await.json["total"]
        .as_u64()
        .unwrap() as usize
}

/// What opening hours mean, whichever way they are written: the weekly openings and whether
/// bank holidays are off, or the text when they aren't weekly.
fn hours(osm: &Value) -> String {
    use junction::oruk::schedule::{Hours, from_osm};
    match osm.as_str().and_then(from_osm) {
        Some(Hours::Weekly {
            openings,
            closed_on_bank_holidays,
        }) => {
            let mut o: Vec<String> = openings
                .iter()
                .map(|w| format!("{:?} {}-{}", w.days, w.opens_at, w.closes_at))
                .collect();
            o.sort();
            format!("{o:?} PH off: {closed_on_bank_holidays}")
        }
        Some(Hours::Text(text)) => text,
        None => String::new(),
    }
}

async fn position(app: &TestApp, feed: &str) -> i64 {
    state::load(&app.state.store, feed)
        .await
        .unwrap()
        .expect("a stored position")
        .after_timestamp
        .unwrap()
        .parse()
        .unwrap()
}

/// Runs `junction sync rpde URL` against `app`'s database with the real binary.
fn sync_with_binary(app: &TestApp, url: &str) -> String {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_junction"));
    cmd.args(["sync", "rpde", url])
        .env("JUNCTION_DATA_DIR", app.dir.path())
        .env_remove("DATABASE_URL")
        .env_remove("JUNCTION_SYNC");
    if let Some(db) = &app.state.config.database_url {
        cmd.env("DATABASE_URL", db);
    }
    let out = cmd.output().expect("run junction");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
}

async fn rpde_mirror_follows_its_origin(backend: Backend) {
    let (first, url, server) = origin(backend).await;
    // The second publishes under its own licence, so what it mirrors carries the first's.
    let second = TestApp::configured(backend, false, |c| c.data_licence = CC_BY.into()).await;
    let feeds = format!("{url}/feeds");

    let report = sync::run(&second.state.store, SyncKind::Rpde, &feeds)
        .await
        .unwrap();
    assert!(report.failed.is_empty(), "{:?}", report.failed);
    assert!(report.left_off.is_empty(), "{:?}", report.left_off);
    let expected = services(&first).await;
    assert!(expected.len() > 100);
    assert_eq!(services(&second).await, expected);
    let mut published = 0;
    for kind in ["organisations", "locations", "services", "spaces", "assets"] {
        published += first.get(&format!("/api/v1/{kind}?per_page=1")).await.json["total"]
            .as_u64()
            .unwrap();
    }
    assert_eq!(report.created, published, "every published record, once");

    let services_feed = format!("{feeds}/services");
    let before = position(&second, &services_feed).await;
    licences_follow_the_records(&first, &second).await;

    // Nothing changed: a second run reads one empty page per feed and writes nothing.
    let again = sync::run(&second.state.store, SyncKind::Rpde, &feeds)
        .await
        .unwrap();
    assert_eq!(
        (again.pages, again.summary().as_str()),
        (5, "created 0, updated 0, unchanged 0, deleted 0, failed 0")
    );

    // Change one service and delete another on the first.
    let ids: Vec<&String> = expected.keys().collect();
    let (renamed, gone) = (ids[0].clone(), ids[1].clone());
    let r = first
        .edit(&format!("/api/v1/services/{renamed}"), |s| {
            s["name"] = json!("Renamed at the origin")
        })
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json);
    let r = first.delete(&format!("/api/v1/services/{gone}")).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.json);

    // The real binary syncs the second from where it stopped: only those two changes.
    let stdout = sync_with_binary(&second, &feeds);
    assert!(
        stdout.contains("created 0, updated 1, unchanged 0, deleted 1, failed 0"),
        "{stdout}"
    );
    assert!(position(&second, &services_feed).await > before);
    let now = services(&second).await;
    assert_eq!(now, services(&first).await);
    assert_eq!(now[&renamed]["name"], "Renamed at the origin");
    assert!(!now.contains_key(&gone));

    // A mirrored record belongs to its origin: local edits and deletes are refused.
    let r = second
        .edit(&format!("/api/v1/services/{renamed}"), |s| {
            s["name"] = json!("Edited here")
        })
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.json);
    assert_eq!(r.code(), "mirrored_record");
    assert!(
        r.json["error"]["message"]
            .as_str()
            .unwrap()
            .contains(&feeds)
    );
    let r = second.delete(&format!("/api/v1/services/{renamed}")).await;
    assert_eq!(r.code(), "mirrored_record");
    // Records made here are still the register's own.
    second.seed().await;

    server.abort();
    first.finish().await;
    second.finish().await;
}

async fn oruk_mirror_takes_services_through_hsds(backend: Backend) {
    let (first, url, server) = origin(backend).await;
    let third = TestApp::new(backend).await;
    let base = format!("{url}/oruk");
    let report = sync::run(&third.state.store, SyncKind::Oruk, &base)
        .await
        .unwrap();
    let expected = services(&first).await;
    let mirrored = services(&third).await;
    assert_eq!(
        mirrored.keys().collect::<Vec<_>>(),
        expected.keys().collect::<Vec<_>>()
    );
    let register: Value = serde_json::from_str(include_str!("../data/demo/register.json")).unwrap();
    let hidden: Vec<&str> = register["locations"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|l| l["hide_address"] == true)
        .map(|l| l["id"].as_str().unwrap())
        .collect();
    for (id, want) in &expected {
        let got = &mirrored[id];
        for field in ["name", "organisation_id", "categories"] {
            assert_eq!(got[field], want[field], "service {id}: {field}");
        }
        assert_eq!(
            hours(&got["opening_hours"]),
            hours(&want["opening_hours"]),
            "service {id}: the same hours"
        );
        // Locations whose address is hidden aren't published with an address, so they can't
        // be mirrored from HSDS: every other one is.
        let visible: Vec<&Value> = want["location_ids"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|l| !hidden.contains(&l.as_str().unwrap()))
            .collect();
        assert_eq!(
            got["location_ids"]
                .as_array()
                .unwrap()
                .iter()
                .collect::<Vec<_>>(),
            visible,
            "service {id}: locations"
        );
    }
    assert!(report.failed.is_empty(), "{:?}", report.failed);
    assert!(!report.left_off.is_empty());
    assert!(
        report
            .left_off
            .iter()
            .all(|f| f.contains("no physical address")),
        "{:?}",
        report.left_off
    );

    // The next run asks only for services changed since the newest it saw.
    let again = sync::run(&third.state.store, SyncKind::Oruk, &base)
        .await
        .unwrap();
    assert_eq!(again.created + again.updated, 0, "{again:?}");
    assert!(again.unchanged < report.created, "{again:?}");

    server.abort();
    first.finish().await;
    third.finish().await;
}

async fn a_schedule_mirrors_without_being_asked(backend: Backend) {
    let (first, url, server) = origin(backend).await;
    let mirror = TestApp::new(backend).await;
    let schedule = junction::config::SyncSchedule::parse(&format!("rpde:{url}/feeds@1s")).unwrap();
    let tasks = sync::spawn_schedules(&mirror.state.store, vec![schedule]);
    let want = services_total(&first).await;
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(120);
    while services_total(&mirror).await < want {
        assert!(
            std::time::Instant::now() < deadline,
            "the scheduled sync never finished"
        );
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    assert_eq!(services(&mirror).await, services(&first).await);
    tasks.iter().for_each(tokio::task::JoinHandle::abort);
    server.abort();
    first.finish().await;
    mirror.finish().await;
}

/// The items of a feed on `app`, following `next` (made relative) to the empty last page.
async fn feed_items(app: &TestApp, feed: &str) -> Vec<Value> {
    let mut items = Vec::new();
    let mut url = feed.to_owned();
    loop {
        let page = app.get(&url).await.json;
        let batch = page["items"].as_array().unwrap().clone();
        if batch.is_empty() {
            return items;
        }
        items.extend(batch);
        let next = page["next"].as_str().unwrap();
        url = next[next.find("/feeds").unwrap()..].to_owned();
    }
}

async fn an_oruk_mirror_deletes_what_its_origin_no_longer_lists(backend: Backend) {
    use axum::response::IntoResponse;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, Ordering};

    let first = TestApp::with_demo(backend).await;
    // The origin, able to fail the second page of its id list on demand.
    let failing = Arc::new(AtomicBool::new(false));
    let flag = failing.clone();
    let router = first.router.clone().layer(axum::middleware::from_fn(
        move |req: axum::extract::Request, next: axum::middleware::Next| {
            let flag = flag.clone();
            async move {
                let q = req.uri().query().unwrap_or_default().to_owned();
                if flag.load(Ordering::SeqCst)
                    && q.contains("minimal=true")
                    && q.contains("page=2&")
                {
                    return StatusCode::INTERNAL_SERVER_ERROR.into_response();
                }
                next.run(req).await
            }
        },
    ));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}/oruk", listener.local_addr().unwrap());
    let server = tokio::spawn(async move {
        axum::serve(listener, router).await.unwrap();
    });
    let mirror = TestApp::new(backend).await;
    let run = || sync::run(&mirror.state.store, SyncKind::Oruk, &base);
    let report = run().await.unwrap();
    assert_eq!(report.deleted, 0, "{report:?}");
    let expected = services(&first).await;
    assert!(expected.len() > 100, "the id list has a second page");
    assert_eq!(
        services(&mirror).await.keys().collect::<Vec<_>>(),
        expected.keys().collect::<Vec<_>>()
    );

    let gone = expected.keys().nth(1).unwrap().clone();
    let r = first.delete(&format!("/api/v1/services/{gone}")).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.json);

    // A walk that fails part-way deletes nothing, and says so.
    failing.store(true, Ordering::SeqCst);
    let err = run().await.unwrap_err();
    assert!(
        format!("{err:#}").contains("nothing was deleted"),
        "{err:#}"
    );
    assert!(services(&mirror).await.contains_key(&gone));

    // A full walk deletes it, through the store: the mirror's own feed shows it deleted.
    failing.store(false, Ordering::SeqCst);
    let report = run().await.unwrap();
    assert!(report.failed.is_empty(), "{:?}", report.failed);
    assert!(report.deleted >= 1, "{report:?}");
    assert_eq!(
        services(&mirror).await.keys().collect::<Vec<_>>(),
        services(&first).await.keys().collect::<Vec<_>>()
    );
    let items = feed_items(&mirror, "/feeds/services").await;
    let item = items.iter().find(|i| i["id"] == gone.as_str()).unwrap();
    assert_eq!(item["state"], "deleted", "{item}");
    assert!(item.get("data").is_none());

    // Nothing else is missing: the next run deletes nothing.
    let again = run().await.unwrap();
    assert_eq!(again.deleted, 0, "{again:?}");

    server.abort();
    first.finish().await;
    mirror.finish().await;
}

both_backends!(rpde_mirror_follows_its_origin);
both_backends!(an_oruk_mirror_deletes_what_its_origin_no_longer_lists);
both_backends!(oruk_mirror_takes_services_through_hsds);
both_backends!(a_schedule_mirrors_without_being_asked);
