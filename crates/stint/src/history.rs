//! Past activity of a university's students, dated over many months, so
//! its outcomes report has something to show: sign-ups, optional equity
//! answers, applications, hires, approvals with their ledger, cancellations
//! and employers' ratings. Shared by the demo (a few dozen students per
//! university) and the outcomes benchmark (20,000 students, 100,000
//! engagements). Deterministic for a given seed.

use chrono::{DateTime, Duration, Utc};
use stint_domain::outcomes::Answers;
use stint_store::{SeedAffiliate, SeedHire, SeedWork};
use stint_web::app::outcomes::seal_answers;
use stint_web::secrets::Sealer;

use crate::bench_data::Rng;

/// A finished project students applied to.
#[derive(Debug, Clone)]
pub struct PastProject {
    pub id: i64,
    pub org_id: i64,
    pub owner_id: i64,
    pub price_minor: i64,
    pub currency: &'static str,
}

/// How much each student does.
#[derive(Debug, Clone, Copy)]
pub struct Shape {
    /// Sign-ups spread over this many days before now.
    pub days: i64,
    /// Mean applications per student (0 to twice this).
    pub applications: usize,
    /// Chance in 100 that an application is a hire.
    pub hire_percent: u64,
    pub fee_basis_points: i64,
    /// Whether work may still be in progress; if not, work that would be is
    /// approved an hour ago instead.
    pub open_work: bool,
}

fn weighted(rng: &mut Rng, options: &[(Option<&'static str>, u64)]) -> Option<&'static str> {
    let total: u64 = options.iter().map(|(_, w)| w).sum();
    let mut roll = rng.next() % total.max(1);
    for (v, w) in options {
        if roll < *w {
            return *v;
        }
        roll -= w;
    }
    None
}

fn answers(rng: &mut Rng) -> [Option<&'static str>; 4] {
    [
        weighted(
            rng,
            &[
                (Some("yes"), 30),
                (Some("no"), 55),
                (Some("prefer_not"), 5),
                (None, 10),
            ],
        ),
        weighted(
            rng,
            &[
                (Some("yes"), 35),
                (Some("no"), 50),
                (Some("prefer_not"), 5),
                (None, 10),
            ],
        ),
        weighted(
            rng,
            &[
                (Some("woman"), 48),
                (Some("man"), 44),
                (Some("non_binary"), 3),
                (Some("another"), 1),
                (Some("prefer_not"), 2),
                (None, 2),
            ],
        ),
        weighted(
            rng,
            &[
                (Some("yes"), 12),
                (Some("no"), 75),
                (Some("prefer_not"), 5),
                (None, 8),
            ],
        ),
    ]
}

/// Plans the history of `students` over `projects`.
pub fn plan(
    rng: &mut Rng,
    students: &[i64],
    projects: &[PastProject],
    shape: Shape,
    now: DateTime<Utc>,
    sealer: &Sealer,
) -> anyhow::Result<(Vec<SeedAffiliate>, Vec<SeedWork>)> {
    let mut affiliates = Vec::with_capacity(students.len());
    let mut work = Vec::new();
    if projects.is_empty() {
        return Ok((affiliates, work));
    }
    for &student in students {
        let signed_up =
            now - Duration::minutes(rng.range(60 * 24 * 20, 60 * 24 * shape.days.max(21)));
        let sealed = seal_answers(sealer, student, &Answers(answers(rng)))
            .map_err(|e| anyhow::anyhow!("sealing equity answers: {e}"))?;
        affiliates.push((student, signed_up, sealed));
        // One in six never applies.
        if rng.below(6) == 0 {
            continue;
        }
        let n = 1 + rng.below(shape.applications * 2);
        let mut chosen: Vec<usize> = Vec::with_capacity(n);
        for _ in 0..n.min(projects.len()) {
            let mut i = rng.below(projects.len());
            while chosen.contains(&i) {
                i = (i + 1) % projects.len();
            }
            chosen.push(i);
        }
        let active_days = (now - signed_up).num_days().max(4);
        for i in chosen {
            let p = &projects[i];
            let applied_at =
                signed_up + Duration::minutes(rng.range(60, 60 * 24 * (active_days - 3)));
            let hired_at = applied_at + Duration::hours(rng.range(48, 24 * 9));
            let hire =
                rng.below(100) < shape.hire_percent as usize && hired_at < now - Duration::days(1);
            if !hire {
                let recent = now - applied_at < Duration::days(10);
                let status = match (recent, rng.below(20)) {
                    (true, _) => "submitted",
                    (false, 0..=11) => "rejected",
                    (false, 12..=16) => "closed",
                    _ => "withdrawn",
                };
                work.push(SeedWork {
                    project_id: p.id,
                    org_id: p.org_id,
                    student_id: student,
                    applied_at,
                    status,
                    hire: None,
                });
                continue;
            }
            let ended_at = hired_at + Duration::hours(rng.range(24 * 7, 24 * 30));
            let (status, ended_at) = if rng.below(12) == 0 {
                (
                    "cancelled",
                    Some(hired_at + Duration::hours(rng.range(24 * 2, 24 * 8))),
                )
            } else if ended_at < now - Duration::hours(1) {
                ("paid", Some(ended_at))
            } else if !shape.open_work {
                ("paid", Some(now - Duration::hours(1)))
            } else {
                ("active", None)
            };
            // Nothing ends in the future: it is still running, or (without
            // open work) it ended an hour ago.
            let (status, ended_at) = match ended_at.filter(|t| *t < now) {
                Some(t) => (status, Some(t)),
                None if !shape.open_work && status != "active" => {
                    (status, Some(now - Duration::hours(1)))
                }
                None => ("active", None),
            };
            let star = |rng: &mut Rng| [3, 4, 4, 5, 5, 5][rng.below(6)];
            let ratings = (status == "paid" && rng.below(5) != 0)
                .then(|| ([star(rng), star(rng), star(rng)], p.owner_id));
            work.push(SeedWork {
                project_id: p.id,
                org_id: p.org_id,
                student_id: student,
                applied_at,
                status: "hired",
                hire: Some(SeedHire {
                    hired_at,
                    status,
                    ended_at,
                    price_minor: p.price_minor,
                    currency: p.currency,
                    fee_minor: p.price_minor * shape.fee_basis_points / 10_000,
                    ratings,
                }),
            });
        }
    }
    Ok((affiliates, work))
}
