//! `stint bench-data`: realistic volumes for the benchmarks in `bench/`:
//! employers, open and closed projects with varied text (rare and very
//! common words), students with profiles, and many applicants on one
//! project. Deterministic (a fixed-seed generator), bulk-loaded through
//! `Store::seed_*`, with a progress bar.
//!
//! It also creates two accounts the benchmark signs in with (password
//! `bench-password-2026`): `bench.student@stint.bench`, a data-analysis
//! student, and `owner0@org.bench`, whose first project has all the
//! applicants.

use anyhow::Context;
use chrono::{Duration, Utc};
use indicatif::{ProgressBar, ProgressStyle};
use stint_domain::money::Currency;
use stint_domain::taxonomy::{CATEGORIES, SKILLS};
use stint_store::{SeedProject, SeedStudent, Store};

use crate::history::{PastProject, Shape, plan};

pub const BENCH_PASSWORD: &str = "bench-password-2026";
pub const BENCH_STUDENT: &str = "bench.student@stint.bench";
pub const BENCH_CAREERS: &str = "careers@uni.bench";

/// How much to make.
#[derive(Debug, Clone, Copy)]
pub struct Volumes {
    pub open: usize,
    pub closed: usize,
    pub students: usize,
    pub applicants: usize,
    pub orgs: usize,
    /// Students (of the first loaded) confirmed at a bench university, with
    /// years of history on closed projects: the outcomes benchmark.
    pub university_students: usize,
}

/// xorshift64*: deterministic and dependency-free.
pub(crate) struct Rng(pub(crate) u64);

impl Rng {
    pub(crate) fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    pub(crate) fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    pub(crate) fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
    pub(crate) fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + (self.next() % (hi - lo + 1).max(1) as u64) as i64
    }
}

const VERBS: &[&str] = &[
    "Analyse",
    "Research",
    "Design",
    "Write",
    "Build",
    "Map",
    "Clean",
    "Test",
    "Plan",
    "Review",
    "Audit",
    "Model",
    "Survey",
    "Summarise",
    "Prototype",
];
const OBJECTS: &[&str] = &[
    "customer feedback",
    "competitor pricing",
    "social media posts",
    "a product launch",
    "sales leads",
    "the onboarding flow",
    "supplier data",
    "a budget forecast",
    "survey responses",
    "our website copy",
    "a brand refresh",
    "carbon emissions",
    "hiring funnels",
    "delivery routes",
    "app reviews",
    "market size",
];
const FOR: &[&str] = &[
    "a tea brand",
    "a fintech start-up",
    "a climate non-profit",
    "a coffee roaster",
    "an edtech app",
    "a logistics firm",
    "a fashion label",
    "a health clinic",
    "a travel agency",
    "a bakery chain",
    "a bike shop",
    "a design studio",
];
/// Made-up brand words: rare terms for the search benchmark.
const RARE: &[&str] = &[
    "zephyrine",
    "quillmark",
    "borealis",
    "tamarind",
    "vellichor",
    "kestrel",
    "juniperx",
    "obsidian",
];
const AREAS: &[&str] = &[
    "Economics",
    "Statistics",
    "Computer science",
    "Marketing",
    "Design",
    "Finance",
    "Psychology",
    "Business",
    "Environmental science",
    "English",
    "Mathematics",
    "Sociology",
];
const CITIES: &[&str] = &[
    "Pune",
    "Bengaluru",
    "Mumbai",
    "London",
    "Manchester",
    "New York",
    "Austin",
];

fn bar(len: usize, what: &str) -> ProgressBar {
    let pb = ProgressBar::new(len as u64);
    pb.set_style(
        ProgressStyle::with_template("{msg:>12} [{bar:40}] {pos}/{len} ({per_sec}, {eta} left)")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
    );
    pb.set_message(what.to_string());
    pb
}

fn skills_of(category: &str) -> Vec<&'static str> {
    SKILLS
        .iter()
        .filter(|s| s.category == category)
        .map(|s| s.slug)
        .collect()
}

fn project(rng: &mut Rng, n: usize, org: (i64, i64), open: bool) -> SeedProject {
    let cat = rng.pick(CATEGORIES);
    let own = skills_of(cat.slug);
    let mut required = Vec::new();
    for _ in 0..(1 + rng.below(3)) {
        let s = *rng.pick(&own);
        if !required.contains(&s) {
            required.push(s);
        }
    }
    let mut preferred = Vec::new();
    if rng.below(2) == 0 {
        let s = rng.pick(SKILLS).slug;
        if !required.contains(&s) {
            preferred.push(s);
        }
    }
    let title = format!(
        "{} {} for {}",
        rng.pick(VERBS),
        rng.pick(OBJECTS),
        rng.pick(FOR)
    );
    let rare = if n.is_multiple_of(50) {
        format!(" Brand: {}.", rng.pick(RARE))
    } else {
        String::new()
    };
    let hours = rng.range(5, 40) as i32;
    let today = Utc::now().date_naive();
    let (currency, per_hour) = match org.0 % 3 {
        0 => (Currency::Inr, rng.range(200, 600) * 100),
        1 => (Currency::Usd, rng.range(16, 40) * 100),
        _ => (Currency::Gbp, rng.range(13, 35) * 100),
    };
    let price_minor = per_hour * i64::from(hours);
    let price = stint_domain::money::Money::new(price_minor, currency);
    let (deadline, published) = if open {
        (
            today + Duration::days(rng.range(2, 14)),
            Utc::now() - Duration::minutes(rng.range(1, 60 * 24 * 20)),
        )
    } else {
        (
            today - Duration::days(rng.range(1, 300)),
            Utc::now() - Duration::days(rng.range(20, 400)),
        )
    };
    let decision_by = deadline + Duration::days(2);
    let start = decision_by + Duration::days(rng.range(0, 5));
    let due = start + Duration::days(rng.range(7, 40));
    let mode = match rng.below(10) {
        0 => "in_person",
        1 | 2 => "hybrid",
        _ => "remote",
    };
    SeedProject {
        org_id: org.0,
        created_by: org.1,
        status: if open { "open" } else { "closed" },
        summary: format!(
            "{title}. A short, well scoped project of about {hours} hours for a student or career changer.{rare}"
        ),
        brief: format!(
            "We are {} and need help to {} {}. You will work with our team, get the data you need and \
             present the results at the end. This is a {} project in {}.",
            rng.pick(FOR),
            rng.pick(VERBS).to_lowercase(),
            rng.pick(OBJECTS),
            cat.name.to_lowercase(),
            rng.pick(CITIES)
        ),
        title,
        deliverables: cat.template.deliverables.to_string(),
        acceptance_criteria: cat.template.acceptance_criteria.to_string(),
        category: cat.slug,
        required,
        preferred,
        hours,
        start,
        due,
        price_minor,
        currency: currency.code(),
        price_usd_cents: price.approx_usd_cents(),
        work_mode: mode,
        location: (mode != "remote").then(|| rng.pick(CITIES).to_string()),
        deadline,
        decision_by,
        for_credit: rng.below(3) == 0,
        published_at: published,
    }
}

fn student(rng: &mut Rng, n: usize) -> SeedStudent {
    if n == 0 {
        return SeedStudent {
            email: BENCH_STUDENT.to_string(),
            name: "Bench Student".into(),
            skills: vec!["spreadsheets", "statistics", "python", "sql"],
            interests: vec!["data-analysis", "market-research"],
            area_of_study: "Statistics",
            hours: 10,
            location: "Pune",
        };
    }
    let cat = rng.pick(CATEGORIES);
    let own = skills_of(cat.slug);
    let mut skills: Vec<&'static str> = Vec::new();
    for _ in 0..(2 + rng.below(3)) {
        let s = if rng.below(3) == 0 {
            rng.pick(SKILLS).slug
        } else {
            *rng.pick(&own)
        };
        if !skills.contains(&s) {
            skills.push(s);
        }
    }
    let mut interests = vec![cat.slug];
    if rng.below(2) == 0 {
        let other = rng.pick(CATEGORIES).slug;
        if other != cat.slug {
            interests.push(other);
        }
    }
    SeedStudent {
        email: format!("student{n}@students.bench"),
        name: format!("Student {n}"),
        skills,
        interests,
        area_of_study: rng.pick::<&str>(AREAS),
        hours: rng.range(4, 25) as i32,
        location: rng.pick::<&str>(CITIES),
    }
}

/// Closed projects the university's students applied to.
const PAST_PROJECTS: usize = 50_000;

/// The outcomes benchmark's university (`careers@uni.bench`): `students`
/// confirmed, two years of applications and engagements with their ledger
/// and reviews, and equity answers (sealed with `sealer`).
async fn load_university(
    store: &Store,
    sealer: &stint_web::secrets::Sealer,
    hash: &str,
    rng: &mut Rng,
    students: &[i64],
    past: &[PastProject],
) -> anyhow::Result<()> {
    let (uni, _) = store
        .seed_university(
            "Bench University",
            "bench-university",
            "uni.bench",
            BENCH_CAREERS,
            hash,
        )
        .await
        .context("loading the university")?;
    let pb = bar(students.len(), "university");
    let (mut applications, mut engagements) = (0, 0);
    for chunk in students.chunks(1_000) {
        let (affiliates, work) = plan(
            rng,
            chunk,
            past,
            Shape {
                days: 730,
                applications: 14,
                hire_percent: 43,
                fee_basis_points: 1_000,
                open_work: true,
            },
            Utc::now(),
            sealer,
        )?;
        applications += work.len();
        engagements += work.iter().filter(|w| w.hire.is_some()).count();
        store
            .seed_affiliations(uni, &affiliates)
            .await
            .context("loading affiliations")?;
        store.seed_work(&work).await.context("loading history")?;
        pb.inc(chunk.len() as u64);
    }
    pb.finish();
    println!(
        "Bench University: {} confirmed students, {applications} applications, {engagements} engagements",
        students.len()
    );
    Ok(())
}

/// Loads the volumes into `store` (migrated, preferably empty); equity
/// answers are sealed with `sealer`, the instance's key.
pub async fn load(
    store: &Store,
    sealer: &stint_web::secrets::Sealer,
    v: Volumes,
) -> anyhow::Result<()> {
    let started = std::time::Instant::now();
    let hash = stint_web::auth::password::PasswordGate::for_this_machine()
        .hash(BENCH_PASSWORD.into(), stint_web::PasswordCost::Standard)
        .await
        .map_err(|e| anyhow::anyhow!("hashing the bench password: {e}"))?;
    let mut rng = Rng(0x5EED_1234_ABCD_0001);
    let orgs = store
        .seed_orgs(v.orgs.max(1), &hash, "org")
        .await
        .context("loading organizations")?;
    const BATCH: usize = 500;
    let total = v.open + v.closed;
    let pb = bar(total, "projects");
    let mut first_open = None;
    let mut past: Vec<PastProject> = Vec::new();
    let mut made = 0;
    while made < total {
        let n = BATCH.min(total - made);
        let rows: Vec<SeedProject> = (made..made + n)
            .map(|i| {
                // Open ones first: the bench owner's first project is open.
                let org = if i == 0 { orgs[0] } else { *rng.pick(&orgs) };
                project(&mut rng, i, org, i < v.open)
            })
            .collect();
        let ids = store
            .seed_projects(&rows)
            .await
            .context("loading projects")?;
        if v.university_students > 0 {
            for (id, r) in ids.iter().zip(&rows) {
                if r.status == "closed" && past.len() < PAST_PROJECTS {
                    past.push(PastProject {
                        id: *id,
                        org_id: r.org_id,
                        owner_id: r.created_by,
                        price_minor: r.price_minor,
                        currency: r.currency,
                    });
                }
            }
        }
        if first_open.is_none() {
            first_open = ids.first().copied();
        }
        made += n;
        pb.inc(n as u64);
    }
    pb.finish();
    let pb = bar(v.students, "students");
    let mut applicants = Vec::new();
    let mut university = Vec::new();
    let mut first_student: Option<i64> = None;
    let mut made = 0;
    while made < v.students {
        let n = BATCH.min(v.students - made);
        let rows: Vec<SeedStudent> = (made..made + n).map(|i| student(&mut rng, i)).collect();
        let ids = store
            .seed_students(&rows, &hash)
            .await
            .context("loading students")?;
        for id in ids {
            // Not the bench student (the first): a plain student elsewhere.
            if id != first_student.unwrap_or(id) && university.len() < v.university_students {
                university.push(id);
            }
            if first_student.is_none() {
                first_student = Some(id);
            }
            if applicants.len() < v.applicants {
                applicants.push(id);
            }
        }
        made += n;
        pb.inc(n as u64);
    }
    pb.finish();
    if let Some(p) = first_open
        && !applicants.is_empty()
    {
        store
            .seed_applications(p, &applicants)
            .await
            .context("loading applications")?;
        println!("{} applicants on project {p}", applicants.len());
    }
    if !university.is_empty() {
        load_university(store, sealer, &hash, &mut rng, &university, &past).await?;
    }
    store.analyze().await.context("ANALYZE")?;
    println!(
        "Loaded {} open and {} closed projects, {} students, {} organizations in {:.1} s.",
        v.open,
        v.closed,
        v.students,
        orgs.len(),
        started.elapsed().as_secs_f64()
    );
    println!("Sign in as {BENCH_STUDENT} or owner0@org.bench with password {BENCH_PASSWORD}.");
    Ok(())
}
