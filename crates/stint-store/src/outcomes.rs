//! What a university's outcomes report reads: every confirmed student with
//! their history (kept on one row per student by the triggers of migration
//! 28, `outcome_histories`), from which one pass computes the per-student
//! counts within a period and the aggregates (months, ratings, employers).
//! Students who share only aggregates are counted like everyone else;
//! nothing here names a student. Also the student's optional equity
//! answers, which only these aggregates read. The answers are stored sealed
//! (encrypted under the instance's key, which the store never holds): the
//! report hands each sealed value to the caller's `open` and counts what it
//! gets back.

use std::collections::HashMap;

use chrono::{DateTime, Datelike, Utc};
use futures_util::TryStreamExt;
use serde::Serialize;
use sqlx::Row;
use stint_domain::outcomes::{Answers, StudentRow};

use crate::error::OptionalExt;
use crate::{Db, Store, StoreResult, with_db};

/// The employer's ratings of a university's students, over the period.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct RatingSummary {
    pub reviews: i64,
    /// Mean quality, communication and timeliness.
    pub means: Option<[f64; 3]>,
    /// Reviews whose rounded mean of the three is 1, 2, 3, 4 and 5.
    pub distribution: [i64; 5],
}

/// An employer a university's students worked for in the period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct OutcomeEmployer {
    pub name: String,
    pub slug: String,
    pub engagements: i64,
    pub students: i64,
}

/// One month of activity.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct OutcomeMonth {
    /// "YYYY-MM"
    pub month: String,
    pub applications: i64,
    pub hires: i64,
    pub completed: i64,
}

/// Opens a student's sealed equity answers: (student id, sealed value).
pub type OpenAnswers<'a> = &'a (dyn Fn(i64, &str) -> Answers + Sync);

/// Answers stored before they were sealed: (student id, the four answers).
pub type PlainAnswers = (i64, [Option<String>; 4]);

/// A confirmed student as the report reads them: id, sign-up, the sealed
/// equity answers and the stored applications and engagements.
///
/// SQLite joins each student's fields into one tab-separated line and all
/// the lines into one text (about 11 MB for 20,000 students): 20,000 rows
/// cost more in its driver (copies and a channel message per row) than the
/// report's arithmetic. PostgreSQL sends plain rows, counted as they arrive;
/// building that text took it longer than the joins.
const COHORT_SQLITE: &str =
    "SELECT group_concat(af.student_id || '\t' || strftime('%s', u.created_at)
       || '\t' || COALESCE(q.sealed, '')
       || '\t' || COALESCE(h.applications, '') || '\t' || COALESCE(h.engagements, ''), '\n')
     FROM affiliations af JOIN users u ON u.id = af.student_id
     LEFT JOIN equity_attributes q ON q.student_id = af.student_id
     LEFT JOIN outcome_histories h ON h.student_id = af.student_id
     WHERE af.university_id = $1 AND af.status = 'confirmed'";

const COHORT_POSTGRES: &str =
    "SELECT af.student_id, u.created_at, q.sealed, h.applications, h.engagements
     FROM affiliations af JOIN users u ON u.id = af.student_id
     LEFT JOIN equity_attributes q ON q.student_id = af.student_id
     LEFT JOIN outcome_histories h ON h.student_id = af.student_id
     WHERE af.university_id = $1 AND af.status = 'confirmed'";

struct Student<'a> {
    id: i64,
    signed_up: i64,
    /// The sealed answers ('' or `None`: not answered).
    sealed: Option<&'a str>,
    applications: &'a str,
    engagements: &'a str,
}

fn student(line: &str) -> Option<Student<'_>> {
    let mut f = line.split('\t');
    let id = f.next()?.parse().ok()?;
    let signed_up = f.next()?.parse().ok()?;
    let sealed = Some(f.next()?).filter(|v| !v.is_empty());
    Some(Student {
        id,
        signed_up,
        sealed,
        applications: f.next()?,
        engagements: f.next()?,
    })
}

/// A student's stored history beside what it should say: (id, applications
/// and engagements kept, applications and engagements now).
type HistoryPair = (i64, Option<String>, Option<String>, String, String);

/// Everything the outcomes report shows for one university and period.
#[derive(Debug, Clone, Default)]
pub struct OutcomeData {
    /// One per confirmed student, with their activity in the period.
    pub rows: Vec<StudentRow>,
    /// Every month the period touches, in order.
    pub months: Vec<OutcomeMonth>,
    pub ratings: RatingSummary,
    /// Most engagements first (at most the limit asked for).
    pub employers: Vec<OutcomeEmployer>,
    /// How many employers there were in all.
    pub employers_total: i64,
}

/// The instants of the period and of the review window, in Unix seconds.
struct Bounds {
    start: i64,
    end: i64,
    window_closed_before: i64,
    /// The first instant of each month the period touches, in order.
    months: Vec<i64>,
}

impl Bounds {
    fn new(
        start: DateTime<Utc>,
        end: DateTime<Utc>,
        window_closed_before: DateTime<Utc>,
    ) -> Bounds {
        let mut months = Vec::new();
        let mut day = start.date_naive().with_day(1);
        while let Some(d) = day {
            let t = d.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc();
            if t >= end {
                break;
            }
            months.push(t.timestamp());
            day = d.checked_add_months(chrono::Months::new(1));
        }
        Bounds {
            start: start.timestamp(),
            end: end.timestamp(),
            window_closed_before: window_closed_before.timestamp(),
            months,
        }
    }

    fn within(&self, t: i64) -> bool {
        t >= self.start && t < self.end
    }

    /// The index of the month of `t`, an instant within the period.
    fn month(&self, t: i64) -> usize {
        self.months.partition_point(|&m| m <= t).saturating_sub(1)
    }
}

/// A cursor over a stored history: fields end at ',' and entries at ';'.
/// Read by hand: 350,000 entries split with `str::split` cost more than
/// everything else in the report.
struct Cursor<'a> {
    text: &'a str,
    s: &'a [u8],
    at: usize,
}

impl<'a> Cursor<'a> {
    fn new(history: &'a str) -> Cursor<'a> {
        Cursor {
            text: history,
            s: history.as_bytes(),
            at: 0,
        }
    }

    fn done(&self) -> bool {
        self.at >= self.s.len()
    }

    /// A whole number up to the next separator (`None`: empty).
    fn int(&mut self) -> Option<i64> {
        let mut n: i64 = 0;
        let mut any = false;
        while let Some(&c) = self.s.get(self.at) {
            self.at += 1;
            if c.is_ascii_digit() {
                n = n.saturating_mul(10).saturating_add(i64::from(c - b'0'));
                any = true;
            } else {
                break;
            }
        }
        any.then_some(n)
    }

    fn flag(&mut self) -> bool {
        self.int() == Some(1)
    }

    /// Text up to the next separator.
    fn text(&mut self) -> &'a str {
        let from = self.at.min(self.s.len());
        let rest = &self.s[from..];
        let len = rest
            .iter()
            .position(|&c| c == b',' || c == b';')
            .unwrap_or(rest.len());
        self.at = from + len + 1;
        // The separators are ASCII, so both ends are character boundaries.
        self.text.get(from..from + len).unwrap_or("")
    }
}

/// The applications of a stored history: "created,hired,category".
fn applications(history: &str) -> impl Iterator<Item = (i64, bool, &str)> {
    let mut c = Cursor::new(history);
    std::iter::from_fn(move || {
        if c.done() {
            return None;
        }
        let created = c.int()?;
        let hired = c.flag();
        Some((created, hired, c.text()))
    })
}

/// One engagement in a stored history.
struct Engagement<'a> {
    created: i64,
    approved: Option<i64>,
    cancelled: bool,
    updated: i64,
    currency: &'a str,
    price_minor: i64,
    org_id: i64,
    /// The employer's three ratings of the student.
    ratings: Option<[i64; 3]>,
    /// The student has reviewed the employer too.
    mutual: bool,
}

/// The engagements of a stored history: "created,approved,cancelled,updated,
/// currency,price_minor,org_id,ratings,mutual".
fn engagements(history: &str) -> impl Iterator<Item = Engagement<'_>> {
    let mut c = Cursor::new(history);
    std::iter::from_fn(move || {
        if c.done() {
            return None;
        }
        Some(Engagement {
            created: c.int()?,
            approved: c.int(),
            cancelled: c.flag(),
            updated: c.int()?,
            currency: c.text(),
            price_minor: c.int()?,
            org_id: c.int()?,
            ratings: c.int().map(|n| [n / 100, n / 10 % 10, n % 10]),
            mutual: c.flag(),
        })
    })
}

fn entries(history: &str) -> impl Iterator<Item = &str> {
    history.split(';').filter(|e| !e.is_empty())
}

/// Employer id -> (engagements, distinct students, the last student counted).
type EmployerCounts = HashMap<i64, (i64, i64, i64)>;

/// One pass over the cohort: each student's row and the aggregates, added
/// one student at a time (so PostgreSQL's rows are counted as they arrive).
struct Tally<'b> {
    b: &'b Bounds,
    open: OpenAnswers<'b>,
    rows: Vec<StudentRow>,
    months: Vec<OutcomeMonth>,
    ratings: RatingSummary,
    sums: [i64; 3],
    employers: EmployerCounts,
}

impl<'b> Tally<'b> {
    fn new(b: &'b Bounds, open: OpenAnswers<'b>) -> Tally<'b> {
        let months = b
            .months
            .iter()
            .map(|&t| OutcomeMonth {
                month: DateTime::from_timestamp(t, 0)
                    .map(|d| d.format("%Y-%m").to_string())
                    .unwrap_or_default(),
                ..OutcomeMonth::default()
            })
            .collect();
        Tally {
            b,
            open,
            rows: Vec::new(),
            months,
            ratings: RatingSummary::default(),
            sums: [0; 3],
            employers: HashMap::new(),
        }
    }

    fn add(&mut self, c: &Student<'_>) {
        let b = self.b;
        let mut r = StudentRow {
            signed_up: DateTime::from_timestamp(c.signed_up, 0),
            answers: c.sealed.map(|s| (self.open)(c.id, s)).unwrap_or_default(),
            ..StudentRow::default()
        };
        let mut fields: Vec<&str> = Vec::new();
        for (created, hired, category) in applications(c.applications) {
            if !b.within(created) {
                continue;
            }
            r.applications += 1;
            if hired {
                r.hired += 1;
            }
            if let Some(m) = self.months.get_mut(b.month(created)) {
                m.applications += 1;
                m.hires += i64::from(hired);
            }
            if !category.is_empty() && !fields.contains(&category) {
                fields.push(category);
            }
        }
        r.fields = fields.len() as i64;
        let mut first: Option<i64> = None;
        for e in engagements(c.engagements) {
            if e.created < b.end {
                first = Some(first.map_or(e.created, |f: i64| f.min(e.created)));
            }
            if b.within(e.created) {
                r.started += 1;
                let (n, students, last) = self.employers.entry(e.org_id).or_insert((0, 0, -1));
                *n += 1;
                if *last != c.id {
                    *students += 1;
                    *last = c.id;
                }
            }
            if let Some(approved) = e.approved.filter(|&t| b.within(t)) {
                r.completed += 1;
                if let Some(m) = self.months.get_mut(b.month(approved)) {
                    m.completed += 1;
                }
                match r.earned.iter_mut().find(|(cur, _)| cur == e.currency) {
                    Some((_, total)) => *total += e.price_minor,
                    None => r.earned.push((e.currency.to_string(), e.price_minor)),
                }
                if let Some(rs) = e.ratings
                    && (e.mutual || approved < b.window_closed_before)
                {
                    self.ratings.reviews += 1;
                    let overall = (rs[0] + rs[1] + rs[2] + 1) / 3;
                    if let Some(slot) = self
                        .ratings
                        .distribution
                        .get_mut((overall.clamp(1, 5) - 1) as usize)
                    {
                        *slot += 1;
                    }
                    for (s, v) in self.sums.iter_mut().zip(rs) {
                        *s += v;
                    }
                }
            }
            if e.cancelled && b.within(e.updated) {
                r.cancelled += 1;
            }
        }
        r.first_started = first.and_then(|t| DateTime::from_timestamp(t, 0));
        r.earned.retain(|(_, minor)| *minor > 0);
        self.rows.push(r);
    }

    fn finish(
        mut self,
    ) -> (
        Vec<StudentRow>,
        Vec<OutcomeMonth>,
        RatingSummary,
        EmployerCounts,
    ) {
        if self.ratings.reviews > 0 {
            let n = self.ratings.reviews as f64;
            self.ratings.means = Some(self.sums.map(|s| s as f64 / n));
        }
        (self.rows, self.months, self.ratings, self.employers)
    }
}

impl Store {
    /// A student's sealed equity answers (`None`: not answered).
    pub async fn equity_sealed(&self, student_id: i64) -> StoreResult<Option<String>> {
        let sealed: Option<Option<String>> = with_db!(self, read, |p| {
            sqlx::query_scalar("SELECT sealed FROM equity_attributes WHERE student_id = $1")
                .bind(student_id)
                .fetch_one(p)
                .await
                .optional()
        })?;
        Ok(sealed.flatten().filter(|s| !s.is_empty()))
    }

    /// Records a student's sealed answers; `None` (nothing answered)
    /// removes the row.
    pub async fn set_equity_sealed(
        &self,
        student_id: i64,
        sealed: Option<&str>,
    ) -> StoreResult<()> {
        let now = Utc::now();
        with_db!(self, write, |p| {
            match sealed {
                None => sqlx::query("DELETE FROM equity_attributes WHERE student_id = $1")
                    .bind(student_id)
                    .execute(p)
                    .await
                    .map(|_| ()),
                Some(sealed) => sqlx::query(
                    "INSERT INTO equity_attributes (student_id, sealed, updated_at) VALUES ($1, $2, $3)
                     ON CONFLICT (student_id) DO UPDATE SET sealed = excluded.sealed,
                       first_generation = NULL, need_based_aid = NULL, gender = NULL,
                       disability = NULL, updated_at = excluded.updated_at",
                )
                .bind(student_id)
                .bind(sealed)
                .bind(now)
                .execute(p)
                .await
                .map(|_| ()),
            }
        })?;
        Ok(())
    }

    /// Up to `limit` students whose answers were stored before they were
    /// sealed (migration 43), for [`Store::seal_plain_equity`].
    pub async fn plain_equity_answers(&self, limit: i64) -> StoreResult<Vec<PlainAnswers>> {
        type Row = (
            i64,
            Option<String>,
            Option<String>,
            Option<String>,
            Option<String>,
        );
        let rows: Vec<Row> = with_db!(self, read, |p| {
            sqlx::query_as(
                "SELECT student_id, first_generation, need_based_aid, gender, disability
                 FROM equity_attributes WHERE sealed IS NULL ORDER BY student_id LIMIT $1",
            )
            .bind(limit)
            .fetch_all(p)
            .await
        })?;
        Ok(rows
            .into_iter()
            .map(|(id, a, b, c, d)| (id, [a, b, c, d]))
            .collect())
    }

    /// Stores the sealed form of answers read by
    /// [`Store::plain_equity_answers`] and clears the plain columns, unless
    /// the student saved new answers meanwhile; in one transaction.
    pub async fn seal_plain_equity(&self, sealed: &[(i64, String)]) -> StoreResult<()> {
        with_db!(self, write, |p| {
            async {
                let mut tx = p.begin().await?;
                for (id, value) in sealed {
                    sqlx::query(
                        "UPDATE equity_attributes SET sealed = $2, first_generation = NULL,
                           need_based_aid = NULL, gender = NULL, disability = NULL
                         WHERE student_id = $1 AND sealed IS NULL",
                    )
                    .bind(*id)
                    .bind(value)
                    .execute(&mut *tx)
                    .await?;
                }
                tx.commit().await
            }
            .await
        })?;
        Ok(())
    }

    /// The outcomes report of the university over `[start, end)`: one row
    /// per confirmed student, the months, the employers' ratings of its
    /// students as far as the double-blind rule shows them (both sides have
    /// reviewed, or the approval was before `window_closed_before`), and the
    /// employers their engagements were with (at most `employers_limit`).
    /// `open` turns each student's sealed equity answers into answers.
    pub async fn outcome_report(
        &self,
        open: OpenAnswers<'_>,
        university_id: i64,
        start: DateTime<Utc>,
        end: DateTime<Utc>,
        window_closed_before: DateTime<Utc>,
        employers_limit: usize,
    ) -> StoreResult<OutcomeData> {
        let bounds = Bounds::new(start, end, window_closed_before);
        let mut tally = Tally::new(&bounds, open);
        match &self.db {
            Db::Sqlite { read, .. } => {
                let lines: Option<String> = sqlx::query_scalar(COHORT_SQLITE)
                    .bind(university_id)
                    .fetch_one(read)
                    .await?;
                for s in lines
                    .as_deref()
                    .unwrap_or("")
                    .split('\n')
                    .filter_map(student)
                {
                    tally.add(&s);
                }
            }
            Db::Postgres(pool) => {
                // Counted as the rows arrive, while the database sends
                // the rest on the other core.
                let mut rows = sqlx::query(COHORT_POSTGRES).bind(university_id).fetch(pool);
                while let Some(row) = rows.try_next().await? {
                    let text = |i: usize| row.try_get::<Option<&str>, _>(i);
                    let s = Student {
                        id: row.try_get(0)?,
                        signed_up: row.try_get::<DateTime<Utc>, _>(1)?.timestamp(),
                        sealed: text(2)?.filter(|s| !s.is_empty()),
                        applications: text(3)?.unwrap_or(""),
                        engagements: text(4)?.unwrap_or(""),
                    };
                    tally.add(&s);
                }
            }
        }
        let (rows, months, ratings, counts) = tally.finish();
        let names: Vec<(i64, String, String)> = if counts.is_empty() {
            Vec::new()
        } else {
            with_db!(self, read, |p| {
                let mut qb = sqlx::QueryBuilder::new(
                    "SELECT id, name, slug FROM organizations WHERE id IN (",
                );
                let mut list = qb.separated(", ");
                for id in counts.keys() {
                    list.push_bind(*id);
                }
                qb.push(")");
                qb.build_query_as().fetch_all(p).await
            })?
        };
        let mut employers: Vec<(OutcomeEmployer, i64)> = names
            .into_iter()
            .filter_map(|(id, name, slug)| {
                let &(engagements, students, _) = counts.get(&id)?;
                Some((
                    OutcomeEmployer {
                        name,
                        slug,
                        engagements,
                        students,
                    },
                    id,
                ))
            })
            .collect();
        employers.sort_by(|(a, a_id), (b, b_id)| {
            b.engagements
                .cmp(&a.engagements)
                .then_with(|| a.name.cmp(&b.name))
                .then_with(|| a_id.cmp(b_id))
        });
        let employers_total = employers.len() as i64;
        Ok(OutcomeData {
            rows,
            months,
            ratings,
            employers: employers
                .into_iter()
                .take(employers_limit)
                .map(|(e, _)| e)
                .collect(),
            employers_total,
        })
    }

    /// How many students' stored histories (`outcome_histories`) differ from
    /// what their applications, engagements and reviews say now (0: the
    /// triggers kept them in step). For tests and for checking a database.
    pub async fn outcome_history_drift(&self) -> StoreResult<i64> {
        let rows: Vec<HistoryPair> = with_db!(self, read, |p| {
            sqlx::query_as(
                    "SELECT n.student_id, h.applications, h.engagements, n.applications, n.engagements
                     FROM outcome_history_now n LEFT JOIN outcome_histories h ON h.student_id = n.student_id",
                )
                .fetch_all(p)
                .await
        })?;
        // The entries' order within a row is the database's: compare as sets.
        let same = |kept: &Option<String>, now: &str| {
            let mut a: Vec<&str> = entries(kept.as_deref().unwrap_or("")).collect();
            let mut b: Vec<&str> = now.split(';').filter(|e| !e.is_empty()).collect();
            a.sort_unstable();
            b.sort_unstable();
            a == b
        };
        Ok(rows
            .iter()
            .filter(|(_, apps, engs, apps_now, engs_now)| {
                !same(apps, apps_now) || !same(engs, engs_now)
            })
            .count() as i64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn histories_read_back() {
        let apps: Vec<_> =
            applications("1750006056,1,content-writing;1762167096,0,;17,1,finance").collect();
        assert_eq!(
            apps,
            vec![
                (1_750_006_056, true, "content-writing"),
                (1_762_167_096, false, ""),
                (17, true, "finance")
            ]
        );
        let e: Vec<_> = engagements(
            "1750456056,1751813256,0,1751813256,INR,1388000,333,545,1;1787457936,,1,1787659536,USD,791100,186,,0",
        )
        .collect();
        assert_eq!(e.len(), 2);
        assert_eq!(
            (
                e[0].created,
                e[0].approved,
                e[0].cancelled,
                e[0].currency,
                e[0].price_minor
            ),
            (1_750_456_056, Some(1_751_813_256), false, "INR", 1_388_000)
        );
        assert_eq!(
            (e[0].org_id, e[0].ratings, e[0].mutual),
            (333, Some([5, 4, 5]), true)
        );
        assert_eq!(
            (
                e[1].approved,
                e[1].cancelled,
                e[1].updated,
                e[1].ratings,
                e[1].mutual
            ),
            (None, true, 1_787_659_536, None, false)
        );
        assert_eq!(applications("").count(), 0);
        let at = |d: &str| {
            chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d")
                .unwrap_or_default()
                .and_hms_opt(0, 0, 0)
                .unwrap_or_default()
                .and_utc()
        };
        let b = Bounds::new(at("2025-12-15"), at("2026-02-11"), at("2026-01-01"));
        assert_eq!(b.months.len(), 3, "December, January, February");
        assert_eq!(b.month(at("2025-12-15").timestamp()), 0);
        assert_eq!(b.month(at("2026-01-01").timestamp() - 1), 0);
        assert_eq!(b.month(at("2026-01-01").timestamp()), 1);
        assert_eq!(b.month(at("2026-02-10").timestamp()), 2);
        let s =
            student("7\t1700000000\tv1:ab:cd\t1,0,x\t").map(|s| (s.id, s.sealed, s.applications));
        assert_eq!(s, Some((7, Some("v1:ab:cd"), "1,0,x")));
        let s = student("8\t1700000000\t\t\t").map(|s| (s.id, s.sealed));
        assert_eq!(s, Some((8, None)), "not answered");
    }
}
