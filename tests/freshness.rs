//! Freshness through the real router, on SQLite and PostgreSQL, with fixed last-check dates
//! (written to the database, then the index rebuilt — no waiting): an overdue record says
//! "Last checked N months ago" on its page and ranks below an equally relevant checked one;
//! past the grace period it leaves default search (`include_stale=true` brings it back) until
//! "Still correct" returns it; the review queue lists what is due, soonest first.
#![allow(clippy::expect_used, clippy::unwrap_used)]

mod common;

use axum::http::StatusCode;
use chrono::{Duration, Months, Utc};
use common::TestApp;
use common::accounts::*;
use junction::domain::Role;
use sea_orm::{
    ConnectionTrait,
    sea_query::{Alias, Expr, ExprTrait, Query},
};
use serde_json::json;
use uuid::Uuid;

/// Sets a record's last check to `months` months and a day ago.
async fn checked_months_ago(app: &TestApp, table: &str, id: &str, months: u32) {
    let at = Utc::now().checked_sub_months(Months::new(months)).unwrap() - Duration::days(1);
    let id: Uuid = id.parse().unwrap();
    app.state
        .store
        .db
        .execute(
            &Query::update()
                .table(Alias::new(table))
                .value(Alias::new("last_verified_at"), at)
                .and_where(Expr::col(Alias::new("id")).eq(id))
                .to_owned(),
        )
        .await
        .unwrap();
}

/// Rebuilds the index from the database (what `junction reindex` does).
async fn reindex(app: &TestApp) {
    junction::search::indexer::rebuild(&app.state.store, &app.state.search, &|_, _| {})
        .await
        .unwrap();
}

fn names(reply: &common::Reply) -> Vec<String> {
    reply.json["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["name"].as_str().unwrap().to_owned())
        .collect()
}

async fn lunch_club(app: &TestApp, org: &str, loc: &str, name: &str) -> String {
    let r = app
        .post(
            "/api/v1/services",
            json!({"name": name, "description": "A hot lunch and company every Tuesday", "organisation_id": org, "location_ids": [loc]}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.json);
    r.json["id"].as_str().unwrap().to_owned()
}

async fn overdue_records_rank_lower_then_leave_search(app: &TestApp) {
    let (org, loc, _) = app.seed().await;
    // Two services as relevant as each other to "lunch club".
    let a = lunch_club(app, &org, &loc, "Hillside Lunch Club").await;
    let b = lunch_club(app, &org, &loc, "Daleside Lunch Club").await;
    reindex(app).await;
    let q = "/api/v1/search?q=lunch+club";
    // On a tie the index order decides: the one that comes first is the one to go out of date
    // (so the demotion is seen to change the order).
    let fresh = names(&app.get(q).await);
    assert_eq!(fresh.len(), 2, "{fresh:?}");
    let (old, kept) = if fresh[0] == "Hillside Lunch Club" {
        (a, b)
    } else {
        (b, a)
    };
    let first = fresh[0].clone();
    let second = fresh[1].clone();

    // Seven months without a check (interval 6): overdue, ranked below the checked one.
    checked_months_ago(app, "services", &old, 7).await;
    reindex(app).await;
    let overdue = app.get(q).await;
    assert_eq!(names(&overdue), [second.clone(), first.clone()]);
    assert_eq!(overdue.json["total"], 2);
    let page = app.get(&format!("/services/{old}")).await;
    assert_eq!(page.status, StatusCode::OK);
    let body = String::from_utf8_lossy(&page.bytes).into_owned();
    assert!(body.contains("Last checked 7 months ago"), "{body}");
    assert!(body.contains("last-checked--overdue"));
    let checked_page = app.get(&format!("/services/{kept}")).await;
    let checked_body = String::from_utf8_lossy(&checked_page.bytes).into_owned();
    assert!(
        !checked_body.contains("months ago"),
        "a checked record is not flagged"
    );

    // Ten months (interval 6 + grace 3): out of default search, totals and facets included.
    checked_months_ago(app, "services", &old, 10).await;
    reindex(app).await;
    let stale = app.get(q).await;
    assert_eq!(names(&stale), std::slice::from_ref(&second));
    assert_eq!(stale.json["total"], 1);
    assert_eq!(stale.json["facets"]["kind"]["service"], 1);
    let by_name = app.get("/api/v1/search?kind=service&sort=name").await;
    assert!(!names(&by_name).contains(&first));
    assert!(names(&by_name).contains(&second));
    // Staff ask for it back: there, below the checked one.
    let staff = app.get(&format!("{q}&include_stale=true")).await;
    assert_eq!(names(&staff), [second.clone(), first.clone()]);
    let bad = app.get(&format!("{q}&include_stale=maybe")).await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert_eq!(bad.field(), "include_stale");
    // Its page is still there, and says how old it is.
    let body =
        String::from_utf8_lossy(&app.get(&format!("/services/{old}")).await.bytes).into_owned();
    assert!(body.contains("Last checked 10 months ago"), "{body}");

    // The review queue lists it first; "Still correct" from there brings it back at once.
    let admin = invite_and_sign_in(app, "admin@example.org", Role::Admin, &[]).await;
    let queue = get(app, "/admin/reviews", Some(&admin)).await;
    assert_eq!(queue.status, StatusCode::OK);
    assert!(queue.body.contains(&first), "{}", queue.body);
    assert!(queue.body.contains("Overdue: left out of search"));
    assert!(!queue.body.contains(&second), "not due: not in the queue");
    let before = app.get_auth(&format!("/api/v1/services/{old}")).await;
    let changes = app.change_count().await;
    let done = post(
        app,
        &format!("/admin/records/service/{old}/verify"),
        &[
            ("csrf_token", &queue.csrf()),
            ("return_to", "/admin/reviews"),
        ],
        Some(&admin),
    )
    .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    assert_eq!(done.location(), "/admin/reviews?done=verified");
    let after = app.get_auth(&format!("/api/v1/services/{old}")).await;
    assert_eq!(after.etag(), before.etag(), "a check is not an edit");
    assert_eq!(after.json["name"], before.json["name"]);
    let at = |v: &serde_json::Value| {
        v["last_verified_at"]
            .as_str()
            .unwrap()
            .parse::<chrono::DateTime<Utc>>()
            .unwrap()
    };
    assert!(at(&after.json) > at(&before.json));
    assert_eq!(app.change_count().await, changes + 1);
    let history = app
        .get_auth(&format!("/api/v1/services/{old}/history"))
        .await;
    assert_eq!(history.json["items"][0]["op"], "verify");
    // The indexer follows the change log: back in default search, and no longer demoted.
    // Which of two tied records comes first is not kept through a rebuild (the index's
    // segments, and so its order, differ from one build to the next), so the check is made
    // against the other one gone overdue: the checked record ranks above it.
    search::indexer_catch_up(app).await;
    assert_eq!(app.get(q).await.json["total"], 2);
    checked_months_ago(app, "services", &kept, 7).await;
    reindex(app).await;
    assert_eq!(names(&app.get(q).await), [first.clone(), second.clone()]);
    let queue = get(app, "/admin/reviews", Some(&admin)).await;
    assert!(!queue.body.contains(&first));
    let body =
        String::from_utf8_lossy(&app.get(&format!("/services/{old}")).await.bytes).into_owned();
    assert!(!body.contains("months ago"));
}
both_dbs!(overdue_records_rank_lower_then_leave_search, no_indexer);

async fn review_intervals_and_the_queue_follow_kind_and_organisation(app: &TestApp) {
    let (org_a, _, svc_a) = app.seed().await;
    let org_b = app
        .post("/api/v1/organisations", json!({"name": "Riverside Allotment Society", "description": "Growing food by the river"}))
        .await;
    let org_b = org_b.json["id"].as_str().unwrap().to_owned();
    // Assets are reviewed yearly here (JUNCTION_REVIEW_INTERVALS=asset=12).
    let asset = app
        .post(
            "/api/v1/assets",
            json!({"name": "Riverside Shed", "owner_organisation_id": org_b, "town": "Millbrook"}),
        )
        .await;
    let asset = asset.json["id"].as_str().unwrap().to_owned();
    checked_months_ago(app, "assets", &asset, 8).await;
    checked_months_ago(app, "services", &svc_a, 8).await;
    checked_months_ago(app, "organisations", &org_b, 7).await;
    let admin = invite_and_sign_in(app, "admin@example.org", Role::Admin, &[]).await;
    let queue = get(app, "/admin/reviews", Some(&admin)).await;
    // Soonest due first: the service (8 months, due 2 months ago) before the organisation
    // (7 months, due 1 month ago); the asset is not due for another 4 months.
    let at = |name: &str| queue.body.find(name);
    assert!(
        at("Oakfield Warm Welcome").unwrap() < at("Riverside Allotment Society").unwrap(),
        "{}",
        queue.body
    );
    assert!(at("Riverside Shed").is_none(), "{}", queue.body);
    // An editor sees only their organisation's due records.
    let editor = invite_and_sign_in(
        app,
        "ed@example.org",
        Role::Editor,
        &[org_a.parse().unwrap()],
    )
    .await;
    let theirs = get(app, "/admin/reviews", Some(&editor)).await;
    assert!(theirs.body.contains("Oakfield Warm Welcome"));
    assert!(!theirs.body.contains("Riverside Allotment Society"));
    // The asset's own page says when it is due, a year after its check.
    let page = get(app, &format!("/admin/records/asset/{asset}"), Some(&admin)).await;
    assert!(page.body.contains("Next review due"), "{}", page.body);
}

mod search {
    use super::common::TestApp;

    /// Applies what the change log holds to the index (the tests run without the indexer task).
    pub async fn indexer_catch_up(app: &TestApp) {
        junction::search::indexer::catch_up(&app.state.store, &app.state.search)
            .await
            .unwrap();
    }
}

mod review_intervals {
    use super::common::{Backend, TestApp, postgres_url};

    async fn run(backend: Backend) {
        let app = TestApp::configured(backend, false, |c| {
            c.review_intervals = vec!["asset=12".into()];
        })
        .await;
        super::review_intervals_and_the_queue_follow_kind_and_organisation(&app).await;
        app.finish().await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn sqlite() {
        run(Backend::Sqlite).await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn postgres() {
        if postgres_url().is_none() {
            eprintln!("PostgreSQL not configured (JUNCTION_TEST_POSTGRES_URL): only SQLite ran");
            return;
        }
        run(Backend::Postgres).await;
    }
}
