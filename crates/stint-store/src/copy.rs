//! Moving a whole instance from SQLite to PostgreSQL (`stint copy`) and
//! backing SQLite up while it serves (`stint backup`).
//!
//! The copy reads every table of the source inside one read transaction, so
//! it is a consistent snapshot even while the source keeps serving, and
//! writes the target inside one transaction with `COPY … FROM STDIN`, so a
//! failed copy leaves the target as empty as it was. Tables are written
//! parents first (the order comes from the target's foreign keys); the
//! target's own triggers are switched off for the copy, because the rows
//! they would derive (outcome histories, talent pools) are copied as they
//! are. Identity sequences are moved past the largest id, PostgreSQL's
//! full-text column is filled, and the row count of every table is compared
//! before the commit.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::Path;

use futures_util::TryStreamExt;
use sqlx::{Row, TypeInfo, ValueRef};

use crate::{Db, Store, StoreError, StoreResult};

/// Tables a freshly migrated database already fills: the copy replaces
/// their rows with the source's.
const SEEDED: &[&str] = &["search_feed"];

/// Rows sent to PostgreSQL per `COPY` message.
const CHUNK: usize = 2_000;

/// One table moved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CopiedTable {
    pub name: String,
    pub rows: u64,
}

/// What a copy moved, table by table in the order written, and the storage
/// keys of every file the data refers to (the bytes are not in the
/// database).
#[derive(Debug, Clone)]
pub struct CopyReport {
    pub tables: Vec<CopiedTable>,
    pub file_keys: Vec<String>,
}

impl CopyReport {
    pub fn rows(&self) -> u64 {
        self.tables.iter().map(|t| t.rows).sum()
    }
}

/// Reported as a copy goes: the table being written, the rows written of
/// it so far, and its total.
pub trait CopyProgress {
    fn table(&mut self, name: &str, total: u64);
    fn rows(&mut self, done: u64);
}

/// A statement built from names read off the catalogs (always quoted).
macro_rules! sql {
    ($($t:tt)*) => {
        sqlx::AssertSqlSafe(format!($($t)*))
    };
}

fn quote(ident: &str) -> String {
    format!("\"{}\"", ident.replace('"', "\"\""))
}

/// Appends one value in `COPY`'s text format.
fn escape_into(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c => out.push(c),
        }
    }
}

/// One SQLite row as a line of `COPY` text: each value by the storage class
/// it actually has (SQLite's types are per value), `\N` for NULL.
fn copy_line(out: &mut String, row: &sqlx::sqlite::SqliteRow) -> StoreResult<()> {
    for i in 0..row.columns().len() {
        if i > 0 {
            out.push('\t');
        }
        let raw = row.try_get_raw(i)?;
        if raw.is_null() {
            out.push_str("\\N");
            continue;
        }
        let kind = raw.type_info().name().to_string();
        match kind.as_str() {
            "INTEGER" => {
                let v: i64 = row.try_get_unchecked(i)?;
                let _ = write!(out, "{v}");
            }
            "REAL" => {
                let v: f64 = row.try_get_unchecked(i)?;
                let _ = write!(out, "{v}");
            }
            "BLOB" => {
                let v: Vec<u8> = row.try_get_unchecked(i)?;
                out.push_str("\\\\x");
                for b in v {
                    let _ = write!(out, "{b:02x}");
                }
            }
            _ => {
                let v: String = row.try_get_unchecked(i)?;
                escape_into(out, &v);
            }
        }
    }
    out.push('\n');
    Ok(())
}

/// Orders `tables` parents first by `edges` (child, parent); a table in a
/// cycle keeps its alphabetical place after the rest.
fn parents_first(tables: &BTreeSet<String>, edges: &[(String, String)]) -> Vec<String> {
    let mut waiting: BTreeMap<&str, BTreeSet<&str>> = tables
        .iter()
        .map(|t| (t.as_str(), BTreeSet::new()))
        .collect();
    for (child, parent) in edges {
        if child != parent
            && tables.contains(parent)
            && let Some(set) = waiting.get_mut(child.as_str())
        {
            set.insert(parent.as_str());
        }
    }
    let mut order = Vec::with_capacity(tables.len());
    while !waiting.is_empty() {
        let ready: Vec<&str> = waiting
            .iter()
            .filter(|(_, p)| p.is_empty())
            .map(|(t, _)| *t)
            .collect();
        let ready = if ready.is_empty() {
            waiting.keys().take(1).copied().collect()
        } else {
            ready
        };
        for t in ready {
            waiting.remove(t);
            for parents in waiting.values_mut() {
                parents.remove(t);
            }
            order.push(t.to_string());
        }
    }
    order
}

impl Store {
    /// Copies every row of this SQLite database into `target`, an empty
    /// PostgreSQL database migrated to the same version. Refuses a target
    /// that holds any data; on any failure nothing is written.
    pub async fn copy_to_postgres(
        &self,
        target: &Store,
        progress: &mut dyn CopyProgress,
    ) -> StoreResult<CopyReport> {
        let Db::Sqlite { read, .. } = &self.db else {
            return Err(StoreError::Config(
                "the source of a copy must be a SQLite database".into(),
            ));
        };
        let Db::Postgres(pg) = &target.db else {
            return Err(StoreError::Config(
                "the target of a copy must be a PostgreSQL database".into(),
            ));
        };

        // One read transaction: every table from the same snapshot.
        let mut src = read.begin().await?;
        let versions = (
            sqlx::query_scalar::<_, Option<i64>>("SELECT MAX(version) FROM _sqlx_migrations")
                .fetch_one(&mut *src)
                .await?,
            sqlx::query_scalar::<_, Option<i64>>("SELECT MAX(version) FROM _sqlx_migrations")
                .fetch_one(pg)
                .await?,
        );
        if versions.0 != versions.1 {
            return Err(StoreError::Config(format!(
                "the two databases are at different migrations ({:?} and {:?}); run `stint migrate` on both with this version of Stint",
                versions.0, versions.1
            )));
        }

        // The target's tables and their copyable columns.
        let target_tables: BTreeSet<String> = sqlx::query_scalar(
            "SELECT table_name::text FROM information_schema.tables
             WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'
               AND table_name <> '_sqlx_migrations'",
        )
        .fetch_all(pg)
        .await?
        .into_iter()
        .collect();
        let source_tables: BTreeSet<String> = sqlx::query_scalar(
            "SELECT name FROM sqlite_master WHERE type = 'table'
             AND name NOT LIKE 'sqlite_%' AND name <> '_sqlx_migrations'",
        )
        .fetch_all(&mut *src)
        .await?
        .into_iter()
        .collect();
        if let Some(missing) = target_tables.difference(&source_tables).next() {
            return Err(StoreError::Config(format!(
                "the source has no table {missing}; is it a Stint database?"
            )));
        }
        // SQLite's full-text tables have no counterpart: PostgreSQL keeps
        // that text in a column of `projects`.
        if let Some(extra) = source_tables
            .difference(&target_tables)
            .find(|t| !t.starts_with("projects_fts"))
        {
            return Err(StoreError::Config(format!(
                "the target has no table {extra}; is it migrated by this version of Stint?"
            )));
        }

        // Empty means nothing but what the migrations themselves wrote.
        let mut occupied = Vec::new();
        for t in &target_tables {
            if SEEDED.contains(&t.as_str()) {
                continue;
            }
            let n: i64 = sqlx::query_scalar(sql!("SELECT COUNT(*) FROM {}", quote(t)))
                .fetch_one(pg)
                .await?;
            if n > 0 {
                occupied.push(format!("{t} ({n})"));
            }
        }
        if !occupied.is_empty() {
            let more = match occupied.len() {
                n if n > 3 => format!(" and {} more tables", n - 3),
                _ => String::new(),
            };
            occupied.truncate(3);
            return Err(StoreError::Config(format!(
                "the target database is not empty (rows in {}{more}); copy only into a new database",
                occupied.join(", ")
            )));
        }

        let edges: Vec<(String, String)> = sqlx::query_as(
            "SELECT c.conrelid::regclass::text, c.confrelid::regclass::text
             FROM pg_constraint c
             WHERE c.contype = 'f' AND c.connamespace = current_schema()::regnamespace",
        )
        .fetch_all(pg)
        .await?;
        let order = parents_first(&target_tables, &edges);

        let mut tx = pg.begin().await?;
        for t in &order {
            sqlx::query(sql!("ALTER TABLE {} DISABLE TRIGGER USER", quote(t)))
                .execute(&mut *tx)
                .await?;
        }
        for t in SEEDED {
            sqlx::query(sql!("DELETE FROM {}", quote(t)))
                .execute(&mut *tx)
                .await?;
        }

        let mut tables = Vec::with_capacity(order.len());
        let mut identities: Vec<(String, String)> = Vec::new();
        for t in &order {
            let target_columns: Vec<(String, String, String)> = sqlx::query_as(
                "SELECT column_name::text, is_generated::text, is_identity::text
                 FROM information_schema.columns
                 WHERE table_schema = current_schema() AND table_name = $1
                 ORDER BY ordinal_position",
            )
            .bind(t)
            .fetch_all(&mut *tx)
            .await?;
            let source_columns: BTreeSet<String> = sqlx::query_scalar(sql!(
                "SELECT name FROM pragma_table_info('{}')",
                t.replace('\'', "''")
            ))
            .fetch_all(&mut *src)
            .await?
            .into_iter()
            .collect();
            let mut columns = Vec::new();
            for (name, generated, identity) in target_columns {
                if generated == "ALWAYS" || !source_columns.contains(&name) {
                    continue;
                }
                if identity == "YES" {
                    identities.push((t.clone(), name.clone()));
                }
                columns.push(quote(&name));
            }
            let columns = columns.join(", ");
            let total: i64 = sqlx::query_scalar(sql!("SELECT COUNT(*) FROM {}", quote(t)))
                .fetch_one(&mut *src)
                .await?;
            progress.table(t, u64::try_from(total).unwrap_or(0));

            let mut copy = tx
                .copy_in_raw(&format!("COPY {} ({columns}) FROM STDIN", quote(t)))
                .await?;
            let select = format!("SELECT {columns} FROM {} ORDER BY rowid", quote(t));
            let mut rows = sqlx::query(sqlx::AssertSqlSafe(select)).fetch(&mut *src);
            let (mut buf, mut in_buf, mut done) = (String::new(), 0usize, 0u64);
            let mut failed = None;
            loop {
                let row = match rows.try_next().await {
                    Ok(Some(row)) => row,
                    Ok(None) => break,
                    Err(e) => {
                        failed = Some(StoreError::from(e));
                        break;
                    }
                };
                if let Err(e) = copy_line(&mut buf, &row) {
                    failed = Some(e);
                    break;
                }
                in_buf += 1;
                done += 1;
                if in_buf == CHUNK {
                    if let Err(e) = copy.send(std::mem::take(&mut buf).into_bytes()).await {
                        failed = Some(e.into());
                        break;
                    }
                    in_buf = 0;
                    progress.rows(done);
                }
            }
            drop(rows);
            if let Some(e) = failed {
                let _ = copy.abort("the copy failed").await;
                return Err(e);
            }
            if !buf.is_empty() {
                copy.send(buf.into_bytes()).await?;
            }
            let written = copy.finish().await?;
            progress.rows(done);
            if written != done {
                return Err(StoreError::Config(format!(
                    "{t}: read {done} rows, PostgreSQL took {written}"
                )));
            }
            tables.push(CopiedTable {
                name: t.clone(),
                rows: done,
            });
        }

        for t in &order {
            sqlx::query(sql!("ALTER TABLE {} ENABLE TRIGGER USER", quote(t)))
                .execute(&mut *tx)
                .await?;
        }
        for (t, c) in &identities {
            sqlx::query(sql!(
                "SELECT setval(pg_get_serial_sequence($1, $2), COALESCE(MAX({c}), 0) + 1, false) FROM {t}",
                c = quote(c),
                t = quote(t)
            ))
            .bind(t)
            .bind(c)
            .execute(&mut *tx)
            .await?;
        }
        // PostgreSQL's own full-text column, as `set_project_status` writes it.
        sqlx::query(concat!(
            "UPDATE projects SET search = ",
            crate::pg_search_text!(),
            " WHERE ",
            crate::pg_search_findable!()
        ))
        .execute(&mut *tx)
        .await?;

        // Every table, counted on both sides of the snapshot.
        for t in &tables {
            let there: i64 = sqlx::query_scalar(sql!("SELECT COUNT(*) FROM {}", quote(&t.name)))
                .fetch_one(&mut *tx)
                .await?;
            if u64::try_from(there).ok() != Some(t.rows) {
                return Err(StoreError::Config(format!(
                    "{}: {} rows in the source, {there} in the target",
                    t.name, t.rows
                )));
            }
        }
        let file_keys: Vec<String> =
            sqlx::query_scalar("SELECT storage_key FROM submission_files ORDER BY id")
                .fetch_all(&mut *src)
                .await?;
        tx.commit().await?;
        src.commit().await?;

        // Every index of the target's processes starts from the new rows,
        // and the planner learns the new tables.
        target.restart_search_feed().await?;
        target.analyze().await?;
        Ok(CopyReport { tables, file_keys })
    }

    /// Writes a consistent copy of this SQLite database to `path` (which
    /// must not exist) while it keeps serving: `VACUUM INTO` reads one
    /// snapshot and writes a compacted database file.
    pub async fn backup_sqlite(&self, path: &Path) -> StoreResult<()> {
        let Db::Sqlite { read, .. } = &self.db else {
            return Err(StoreError::Config(
                "`stint backup` is for SQLite; back PostgreSQL up with pg_dump (see the README)"
                    .into(),
            ));
        };
        let Some(path) = path.to_str() else {
            return Err(StoreError::Config(format!(
                "the backup path {} is not valid UTF-8",
                path.display()
            )));
        };
        sqlx::query("VACUUM INTO $1")
            .bind(path)
            .execute(read)
            .await?;
        // Read the written file back whole before calling it a backup.
        let opts = sqlx::sqlite::SqliteConnectOptions::new()
            .filename(path)
            .read_only(true);
        let mut conn = sqlx::ConnectOptions::connect(&opts).await?;
        let verdict: String = sqlx::query_scalar("PRAGMA integrity_check")
            .fetch_one(&mut conn)
            .await?;
        sqlx::Connection::close(conn).await?;
        if verdict != "ok" {
            return Err(StoreError::Config(format!(
                "the backup in {path} does not pass SQLite's integrity check: {verdict}"
            )));
        }
        Ok(())
    }

    /// Row counts of every table, by name (for comparing two databases).
    pub async fn table_counts(&self) -> StoreResult<BTreeMap<String, i64>> {
        let names: Vec<String> = match &self.db {
            Db::Sqlite { read, .. } => {
                sqlx::query_scalar(
                    "SELECT name FROM sqlite_master WHERE type = 'table'
                     AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'projects_fts%'
                     AND name <> '_sqlx_migrations'",
                )
                .fetch_all(read)
                .await?
            }
            Db::Postgres(pg) => {
                sqlx::query_scalar(
                    "SELECT table_name::text FROM information_schema.tables
                     WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'
                       AND table_name <> '_sqlx_migrations'",
                )
                .fetch_all(pg)
                .await?
            }
        };
        let mut counts = BTreeMap::new();
        for name in names {
            let sql = format!("SELECT COUNT(*) FROM {}", quote(&name));
            let n: i64 = crate::with_db!(self, read, |p| sqlx::query_scalar(sqlx::AssertSqlSafe(
                sql.clone()
            ))
            .fetch_one(p)
            .await?);
            counts.insert(name, n);
        }
        Ok(counts)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copy_text_escapes() {
        let mut s = String::new();
        escape_into(&mut s, "a\tb\nc\\d\re");
        assert_eq!(s, "a\\tb\\nc\\\\d\\re");
    }

    #[test]
    fn parents_come_first() {
        let tables: BTreeSet<String> = ["a", "b", "c", "d"].map(String::from).into();
        let edges = vec![
            ("a".to_string(), "b".to_string()),
            ("b".to_string(), "c".to_string()),
            ("d".to_string(), "d".to_string()),
            ("a".to_string(), "elsewhere".to_string()),
        ];
        let order = parents_first(&tables, &edges);
        let at = |t: &str| order.iter().position(|o| o == t);
        assert!(at("c") < at("b") && at("b") < at("a"));
        assert_eq!(order.len(), 4);
    }
}
