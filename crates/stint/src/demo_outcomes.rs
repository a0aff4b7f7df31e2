//! The demo universities' past: 36 more confirmed students each, who signed
//! up over the last two years and applied to finished projects of the demo
//! employers, so each university's outcomes report has months of history,
//! several fields, earnings, ratings and equity groups (some too small to
//! show). Loaded once: if the first past project exists, nothing happens.

use chrono::{Duration, Utc};
use stint_domain::money::{Currency, Money};
use stint_domain::taxonomy::CATEGORIES;
use stint_store::{Organization, SeedProject, SeedStudent, User};
use stint_web::AppState;

use crate::bench_data::Rng;
use crate::demo::DEMO_PASSWORD;
use crate::demo_data::{EMPLOYERS, UNIVERSITIES};
use crate::history::{PastProject, Shape, plan};

/// Finished projects: (title, category, hours).
const PAST: &[(&str, &str, i32)] = &[
    (
        "Survey analysis of last year's customer feedback",
        "data-analysis",
        20,
    ),
    (
        "Competitor pricing map for our spring range",
        "market-research",
        15,
    ),
    (
        "Blog series on saving for a first home",
        "content-writing",
        18,
    ),
    (
        "Instagram calendar for the monsoon launch",
        "social-media",
        10,
    ),
    ("Donor report infographics", "graphic-design", 12),
    ("Clean and merge two supplier lists", "data-entry", 8),
    ("Process map of our returns desk", "business-analysis", 16),
    (
        "Cash-flow forecast for the next two quarters",
        "finance",
        20,
    ),
    (
        "Five user interviews on our booking flow",
        "user-research",
        18,
    ),
    ("Small script to tidy our product feed", "software", 24),
    ("Interview guide for store managers", "hr", 10),
    ("Lead list of independent cafés", "sales", 12),
    ("Route plan for weekend deliveries", "operations", 14),
    ("Carbon footprint of our office move", "sustainability", 20),
    ("Dashboard of volunteer hours", "data-analysis", 16),
    (
        "Market sizing for a tea subscription",
        "market-research",
        18,
    ),
];

const INDIAN: (&[&str], &[&str]) = (
    &[
        "Aarav", "Ishita", "Vihaan", "Meera", "Kabir", "Ananya", "Rohan", "Tara", "Arjun", "Nisha",
        "Dev", "Kavya",
    ],
    &["Sharma", "Iyer", "Nair", "Gupta", "Reddy", "Joshi"],
);
const BRITISH: (&[&str], &[&str]) = (
    &[
        "Oliver", "Amelia", "Harry", "Isla", "Jack", "Freya", "Noah", "Ava", "Leo", "Grace",
        "Oscar", "Ruby",
    ],
    &["Walsh", "Patel", "Hughes", "Evans", "Byrne", "Morgan"],
);

/// The note each university's career staff add to the projects they feature.
const FEATURE_NOTES: [&str; 2] = [
    "Good practice for the research methods module; ask us about credit.",
    "Open to every student; the careers team can help with your pitch.",
];

/// Features the first two open projects of employers in each university's
/// country (idempotent: featuring again keeps one row).
async fn feature(
    state: &AppState,
    universities: &[i64],
    employers: &[(User, Organization)],
) -> anyhow::Result<()> {
    let store = &state.store;
    for (u, &uni) in UNIVERSITIES.iter().zip(universities) {
        let Some(staff) = store.user_by_email(u.email).await? else {
            continue;
        };
        let mut featured = 0;
        for p in crate::demo_data::PROJECTS {
            if featured == FEATURE_NOTES.len() {
                break;
            }
            let (Some(e), Some((_, org))) = (EMPLOYERS.get(p.employer), employers.get(p.employer))
            else {
                continue;
            };
            if e.country != u.country {
                continue;
            }
            let Some(id) = store.project_id_by_title(org.id, p.title).await? else {
                continue;
            };
            let project = store.project(id).await?;
            if project.status == stint_domain::project::ProjectStatus::Open
                && project.restricted_to.is_none()
            {
                store
                    .feature_project(uni, id, staff.id, Some(FEATURE_NOTES[featured]))
                    .await?;
                featured += 1;
            }
        }
    }
    Ok(())
}

/// Students added per university.
const PER_UNIVERSITY: usize = 36;

pub async fn load(
    state: &AppState,
    universities: &[i64],
    employers: &[(User, Organization)],
) -> anyhow::Result<()> {
    let store = &state.store;
    let Some((_, first_org)) = employers.first() else {
        return Ok(());
    };
    feature(state, universities, employers).await?;
    if store
        .project_id_by_title(first_org.id, PAST[0].0)
        .await?
        .is_some()
    {
        return Ok(());
    }
    let now = Utc::now();
    let mut rng = Rng(0xD3_0C0A_2026);
    // The finished projects, spread over the verified employers.
    let verified: Vec<&(User, Organization)> =
        employers.iter().filter(|(_, o)| o.verified).collect();
    let mut rows = Vec::new();
    for (n, (title, category, hours)) in PAST.iter().enumerate() {
        let (owner, org) = verified[n % verified.len()];
        let e = &EMPLOYERS[employers
            .iter()
            .position(|(_, o)| o.id == org.id)
            .unwrap_or(0)];
        let (currency, per_hour) = match e.country {
            "IN" => (Currency::Inr, 40_000),
            "GB" => (Currency::Gbp, 1_600),
            _ => (Currency::Usd, 2_000),
        };
        let price = Money::new(per_hour * i64::from(*hours), currency);
        let cat = CATEGORIES
            .iter()
            .find(|c| c.slug == *category)
            .unwrap_or(&CATEGORIES[0]);
        let published = now - Duration::days(60 + (n as i64) * 35);
        let deadline = (published + Duration::days(10)).date_naive();
        let start = deadline + Duration::days(5);
        rows.push(SeedProject {
            org_id: org.id,
            created_by: owner.id,
            status: "completed",
            title: title.to_string(),
            summary: format!("{title}: a finished project of about {hours} hours."),
            brief: format!(
                "{} needed help with this and worked with students from the demo universities. It is finished and kept for the record.",
                org.name
            ),
            deliverables: cat.template.deliverables.to_string(),
            acceptance_criteria: cat.template.acceptance_criteria.to_string(),
            category: cat.slug,
            required: Vec::new(),
            preferred: Vec::new(),
            hours: *hours,
            start,
            due: start + Duration::days(21),
            price_minor: price.minor,
            currency: currency.code(),
            price_usd_cents: price.approx_usd_cents(),
            work_mode: "remote",
            location: None,
            deadline,
            decision_by: deadline + Duration::days(3),
            for_credit: n % 3 == 0,
            published_at: published,
        });
    }
    let ids = store.seed_projects(&rows).await?;
    let projects: Vec<PastProject> = ids
        .iter()
        .zip(&rows)
        .map(|(id, r)| PastProject {
            id: *id,
            org_id: r.org_id,
            owner_id: r.created_by,
            price_minor: r.price_minor,
            currency: r.currency,
        })
        .collect();
    let hash = crate::demo::demo_hash(state, DEMO_PASSWORD).await?;
    for (u, &university_id) in UNIVERSITIES.iter().zip(universities) {
        let (firsts, lasts) = if u.country == "IN" { INDIAN } else { BRITISH };
        let students: Vec<SeedStudent> = (0..PER_UNIVERSITY)
            .map(|i| {
                let first = firsts[i % firsts.len()];
                let last = lasts[(i / firsts.len() + i) % lasts.len()];
                let cat = &CATEGORIES[i % CATEGORIES.len()];
                SeedStudent {
                    email: format!(
                        "{}.{}{}@{}",
                        first.to_lowercase(),
                        last.to_lowercase(),
                        i / firsts.len() + 1,
                        u.domain
                    ),
                    name: format!("{first} {last}"),
                    skills: Vec::new(),
                    interests: vec![cat.slug],
                    area_of_study: ["Economics", "Computer science", "Design", "Business"][i % 4],
                    hours: 10,
                    location: if u.country == "IN" {
                        "Pune"
                    } else {
                        "Manchester"
                    },
                }
            })
            .collect();
        let student_ids = store.seed_students(&students, &hash).await?;
        let (affiliates, work) = plan(
            &mut rng,
            &student_ids,
            &projects,
            Shape {
                days: 700,
                applications: 3,
                hire_percent: 40,
                fee_basis_points: i64::from(state.config.fee_basis_points),
                open_work: false,
            },
            now,
            &state.config.sealer,
        )?;
        store.seed_affiliations(university_id, &affiliates).await?;
        store.seed_work(&work).await?;
    }
    Ok(())
}
