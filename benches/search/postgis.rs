//! The PostgreSQL 15 + PostGIS baseline: the same records in one table with a weighted
//! `tsvector` (GIN), a `geography(Point)` (GiST) and category/ward indexes, and the same five
//! queries in SQL. Every query also counts all its matches (`count(*) OVER ()`), because the
//! search API returns `total`; the facet query adds its counts in the same statement.
//!
//! Open-now is approximated by a boolean precomputed at load time for the fixed time (with
//! Junction's own opening-hours evaluation): PostgreSQL cannot evaluate OSM opening hours.

use std::{path::Path, process::Command, time::Instant};

use anyhow::Context;
use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DbBackend, Statement, Value,
    sqlx::postgres::PgPoolCopyExt,
};

use crate::cases::{Case, PAGE, open_at};
use crate::data::{Geo, Vocab};
use crate::stats::{Limits, Samples};
use crate::synth::Generator;

/// Where the baseline database is (created by `benches/postgis-setup.sh`).
pub fn database_url() -> String {
    let admin = std::env::var("JUNCTION_BENCH_PG_ADMIN")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".to_owned());
    let db = std::env::var("JUNCTION_BENCH_PG_DB").unwrap_or_else(|_| "junction_bench".to_owned());
    match admin.rsplit_once('/') {
        Some((server, _)) => format!("{server}/{db}"),
        None => admin,
    }
}

/// Runs the setup script. `None`, with the reason printed, when there is no PostGIS.
pub fn setup(root: &Path) -> Option<String> {
    let script = root.join("benches/postgis-setup.sh");
    match Command::new("bash").arg(&script).status() {
        Ok(s) if s.success() => Some(database_url()),
        Ok(s) => {
            eprintln!(
                "PostGIS baseline skipped: {} exited with status {} (see its message above)",
                script.display(),
                s.code().unwrap_or(-1)
            );
            None
        }
        Err(e) => {
            eprintln!(
                "PostGIS baseline skipped: cannot run {}: {e}",
                script.display()
            );
            None
        }
    }
}

/// A connection to the baseline database: one connection, so queries run one at a time.
pub struct Baseline {
    db: DatabaseConnection,
}

/// What loading cost.
pub struct Loaded {
    pub copy_secs: f64,
    pub index_secs: f64,
    pub size_bytes: u64,
}

const SCHEMA: &str = "
DROP TABLE IF EXISTS records;
CREATE TABLE records (
    id uuid PRIMARY KEY,
    kind text NOT NULL,
    name text NOT NULL,
    category_names text NOT NULL,
    description text NOT NULL,
    extra text NOT NULL,
    categories text[] NOT NULL,
    top_categories text[] NOT NULL,
    accessibility text[] NOT NULL,
    free boolean NOT NULL,
    opening_hours text,
    open_fixed boolean NOT NULL,
    ward text NOT NULL,
    geog geography(Point, 4326) NOT NULL,
    tsv tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('english', name), 'A') ||
        setweight(to_tsvector('english', category_names), 'B') ||
        setweight(to_tsvector('english', description), 'C') ||
        setweight(to_tsvector('english', extra), 'D')
    ) STORED
)";

const INDEXES: [&str; 5] = [
    "CREATE INDEX records_tsv ON records USING gin (tsv)",
    "CREATE INDEX records_geog ON records USING gist (geog)",
    "CREATE INDEX records_categories ON records USING gin (categories)",
    "CREATE INDEX records_ward ON records (ward)",
    "VACUUM ANALYZE records",
];

/// A field for COPY's text format.
fn esc(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c => out.push(c),
        }
    }
}

/// An array literal of plain words (slugs, feature codes).
fn array(items: &[String]) -> String {
    format!("{{{}}}", items.join(","))
}

impl Baseline {
    pub async fn connect(url: &str) -> anyhow::Result<Baseline> {
        let mut opts = ConnectOptions::new(url.to_owned());
        opts.max_connections(1)
            .min_connections(1)
            .sqlx_logging(false);
        let db = Database::connect(opts)
            .await
            .with_context(|| format!("connecting to {url}"))?;
        Ok(Baseline { db })
    }

    /// (Re)creates the table and loads the first `size` records of the same stream.
    pub async fn load(
        &self,
        size: usize,
        seed: u64,
        geo: &Geo,
        vocab: &Vocab,
    ) -> anyhow::Result<Loaded> {
        self.db.execute_unprepared(SCHEMA).await?;
        let at = open_at();
        let mut open_cache: std::collections::HashMap<String, bool> = Default::default();
        let mut generator = Generator::new(seed, geo, vocab);
        let start = Instant::now();
        let pool = self.db.get_postgres_connection_pool();
        let mut copy = pool
            .copy_in_raw(
                "COPY records (id, kind, name, category_names, description, extra, categories, \
                 top_categories, accessibility, free, opening_hours, open_fixed, ward, geog) \
                 FROM STDIN",
            )
            .await?;
        let mut buf = String::with_capacity(1 << 21);
        for _ in 0..size {
            let r = generator.next_record();
            let open = match &r.opening_hours {
                Some(h) => *open_cache
                    .entry(h.clone())
                    .or_insert_with(|| junction::domain::hours::is_open_at(h, at) == Some(true)),
                None => false,
            };
            let slugs: Vec<String> = r
                .category_keys(vocab)
                .into_iter()
                .filter(|k| k.parse::<uuid::Uuid>().is_err())
                .collect();
            buf.push_str(&r.id.to_string());
            buf.push('\t');
            buf.push_str(r.kind);
            for text in [
                &r.name,
                &r.category_names(vocab).join(" "),
                &r.description,
                &r.extra.join(" "),
            ] {
                buf.push('\t');
                esc(&mut buf, text);
            }
            let fields = [
                array(&slugs),
                array(&r.top_categories(vocab)),
                array(&r.accessibility),
                r.free.to_string(),
                r.opening_hours.clone().unwrap_or_else(|| "\\N".to_owned()),
                open.to_string(),
                r.ward.clone(),
                format!("SRID=4326;POINT({} {})", r.lon, r.lat),
            ];
            for f in fields {
                buf.push('\t');
                buf.push_str(&f);
            }
            buf.push('\n');
            if buf.len() > 1 << 20 {
                copy.send(buf.as_bytes()).await?;
                buf.clear();
            }
        }
        copy.send(buf.as_bytes()).await?;
        copy.finish().await?;
        let copy_secs = start.elapsed().as_secs_f64();
        let start = Instant::now();
        for sql in INDEXES {
            self.db.execute_unprepared(sql).await?;
        }
        let index_secs = start.elapsed().as_secs_f64();
        let row = self
            .db
            .query_one_raw(Statement::from_string(
                DbBackend::Postgres,
                "SELECT pg_total_relation_size('records') AS size",
            ))
            .await?
            .context("no size")?;
        Ok(Loaded {
            copy_secs,
            index_secs,
            size_bytes: row.try_get::<i64>("", "size")? as u64,
        })
    }

    /// Runs one query; returns its number of matches.
    async fn query(&self, case: &Case) -> anyhow::Result<usize> {
        let (sql, values) = sql(case);
        let rows = self
            .db
            .query_all_raw(Statement::from_sql_and_values(
                DbBackend::Postgres,
                sql,
                values,
            ))
            .await?;
        let total = match case {
            Case::Facets { .. } => rows
                .iter()
                .find(|r| r.try_get::<String>("", "facet").is_ok_and(|f| f == "total"))
                .map(|r| r.try_get::<f64>("", "n"))
                .transpose()?
                .unwrap_or(0.0) as usize,
            _ => rows
                .first()
                .map(|r| r.try_get::<i64>("", "total"))
                .transpose()?
                .unwrap_or(0) as usize,
        };
        Ok(total)
    }

    pub async fn run(&self, cases: &[Case], limits: Limits) -> anyhow::Result<Samples> {
        limits
            .time_async(cases, async |case: &Case| self.query(case).await)
            .await
    }
}

/// A FROM item naming the search point `p`, from parameters `$lon` and `$lat`.
fn point(lon: u8, lat: u8) -> String {
    format!("(SELECT ST_SetSRID(ST_MakePoint(${lon}, ${lat}), 4326)::geography AS p) AS here")
}

/// The SQL for `case` and its parameters.
fn sql(case: &Case) -> (String, Vec<Value>) {
    let page = PAGE;
    let point_23 = point(2, 3);
    match case {
        Case::Text { q } => (
            format!(
                "SELECT id, count(*) OVER () AS total
                 FROM records, plainto_tsquery('english', $1) q
                 WHERE tsv @@ q
                 ORDER BY ts_rank(tsv, q) DESC, kind, id LIMIT {page}"
            ),
            vec![q.clone().into()],
        ),
        Case::TextNear { q, at } => (
            format!(
                "SELECT id, count(*) OVER () AS total
                 FROM records, plainto_tsquery('english', $1) q, {point_23}
                 WHERE tsv @@ q AND ST_DWithin(geog, p, 5000)
                 ORDER BY ST_Distance(geog, p), kind, id LIMIT {page}"
            ),
            vec![q.clone().into(), at.0.into(), at.1.into()],
        ),
        Case::CategoryWard { slug, ward } => (
            format!(
                "SELECT id, count(*) OVER () AS total
                 FROM records
                 WHERE categories && ARRAY[$1]::text[] AND ward = $2
                 ORDER BY lower(name), kind, id LIMIT {page}"
            ),
            vec![slug.clone().into(), ward.clone().into()],
        ),
        Case::OpenNear { at } => (
            format!(
                "SELECT id, count(*) OVER () AS total
                 FROM records, {}
                 WHERE open_fixed AND ST_DWithin(geog, p, 2000)
                 ORDER BY ST_Distance(geog, p), kind, id LIMIT {page}",
                point(1, 2)
            ),
            vec![at.0.into(), at.1.into()],
        ),
        Case::Facets { word, at } => (
            format!(
                "WITH m AS MATERIALIZED (
                    SELECT id, kind, top_categories, accessibility, free,
                           ts_rank(tsv, q) / (1 + ST_Distance(geog, p) / 2000) AS rank
                    FROM records, plainto_tsquery('english', $1) q, {point_23}
                    WHERE tsv @@ q AND ST_DWithin(geog, p, 10000))
                 (SELECT 'page' AS facet, id::text AS value, rank::float8 AS n
                  FROM m ORDER BY rank DESC, kind, id LIMIT {page})
                 UNION ALL SELECT 'total', '', count(*)::float8 FROM m
                 UNION ALL SELECT 'kind', kind, count(*)::float8 FROM m GROUP BY kind
                 UNION ALL SELECT 'category', c, count(*)::float8
                           FROM m, unnest(top_categories) c GROUP BY c
                 UNION ALL SELECT 'accessibility', a, count(*)::float8
                           FROM m, unnest(accessibility) a GROUP BY a
                 UNION ALL SELECT 'free', '', count(*)::float8 FROM m WHERE free"
            ),
            vec![word.clone().into(), at.0.into(), at.1.into()],
        ),
    }
}
