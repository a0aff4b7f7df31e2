//! The demo employers' talent pools in use: tags and notes their members
//! wrote about students they worked with or shortlisted; students who chose
//! to be found (one of them takes no invitations); and invitations to apply
//! in each state. Written through the same functions the pages use. Loaded
//! once: an organization that has notes already is left as it is, and
//! invitations are sent only when none exist.

use stint_domain::application::ApplicationForm;
use stint_domain::offer::OfferForm;
use stint_domain::project::{ProjectForm, ProjectStatus};
use stint_domain::talent::{PoolFilter, PoolReason};
use stint_web::AppState;
use stint_web::app::{applications, invitations, offers, projects, talent};

use crate::demo::student_email;
use crate::demo_data::{DECLARED_ONLY, STUDENTS};

/// The demo student who lets employers find them but takes no invitations.
const NO_INVITATIONS: &str = "e.clarke";

/// Invitations: (member's email, project, student, note, what the student
/// does).
const INVITES: &[(&str, &str, &str, &str, Answer)] = &[
    (
        "rohan@chaiandcode.example",
        "Write onboarding copy for a retail inventory app",
        "divya.k",
        "Your Instagram plan for Thistle & Thread was sharp. We need the same clarity in our app's first screens.",
        Answer::Nothing,
    ),
    (
        "rohan@chaiandcode.example",
        "Write onboarding copy for a retail inventory app",
        "zara.ahmed",
        "You write clearly for non-experts; our shop-keepers are exactly that audience.",
        Answer::Apply,
    ),
    (
        "rohan@chaiandcode.example",
        "Test our shop-keeper billing app on five Android phones",
        "arjun.singh",
        "",
        Answer::Decline,
    ),
    (
        "priya@brightleaf.example",
        "Competitive analysis of 8 Indian D2C coffee brands",
        "asha.rao",
        "Your survey work for us was excellent. This one needs the same care with sources; would you take it?",
        Answer::Nothing,
    ),
];

/// Offers of roles: (member's email, student's email, kind, title, days to
/// the start, pay band (from, to, currency, per), message, what happens,
/// shown on the portfolio).
type DemoOffer = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    i64,
    Option<(&'static str, &'static str, &'static str, &'static str)>,
    &'static str,
    &'static str,
    bool,
);

const OFFERS: &[DemoOffer] = &[
    (
        "priya@brightleaf.example",
        "asha.rao@dit.example.ac.in",
        "full_time",
        "Junior data analyst",
        220,
        Some(("45,000", "55,000", "INR", "month")),
        "Your survey work is how we run every study now. Join us after graduation?",
        "accept",
        true,
    ),
    (
        "priya@brightleaf.example",
        "tara.nair2@dit.example.ac.in",
        "internship",
        "Analytics intern (summer)",
        160,
        Some(("20,000", "", "INR", "month")),
        "Eight weeks on our dashboards team.",
        "",
        false,
    ),
    (
        "priya@brightleaf.example",
        "jack.byrne1@northbridge.example.ac.uk",
        "part_time",
        "Remote research assistant",
        45,
        None,
        "",
        "decline",
        false,
    ),
    (
        "priya@brightleaf.example",
        "ishita.iyer1@dit.example.ac.in",
        "internship",
        "Customer insights intern",
        90,
        None,
        "",
        "withdraw",
        false,
    ),
    (
        "rohan@chaiandcode.example",
        "riya.kapoor@mail.example",
        "part_time",
        "Sales research associate",
        30,
        Some(("18,000", "24,000", "INR", "month")),
        "We owe you a project; how about a role?",
        "accept_elsewhere",
        false,
    ),
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Answer {
    Nothing,
    Apply,
    Decline,
}

/// (member's email, student's email, tags, notes oldest first).
type Annotation = (
    &'static str,
    &'static str,
    &'static [&'static str],
    &'static [&'static str],
);

const ANNOTATIONS: &[Annotation] = &[
    (
        "priya@brightleaf.example",
        "asha.rao@dit.example.ac.in",
        &["rehire", "survey analysis", "strong writer"],
        &[
            "Coded all 500 answers two days early and her codebook is now how we tag every survey.",
            "Ask her first for the Q3 retention survey. She graduates next year and said she is open to a full-time analyst role.",
        ],
    ),
    (
        "priya@brightleaf.example",
        "tara.nair2@dit.example.ac.in",
        &["rehire", "dashboards"],
        &[
            "Clean Looker work, documented every metric. Slower on written summaries; pair her with someone on the write-up.",
        ],
    ),
    (
        "priya@brightleaf.example",
        "jack.byrne1@northbridge.example.ac.uk",
        &["uk hours"],
        &["Good work, but only free after 2 pm IST. Fine for async projects."],
    ),
    (
        "rohan@chaiandcode.example",
        "karan.mehta@dit.example.ac.in",
        &["frontend", "accessibility", "interview next"],
        &[
            "Shortlisted for the accessibility fixes: his pitch listed the exact WCAG failures on our login page.",
            "- knows React and testing-library\n- asked sharp questions about our design tokens\n- invite to the next front-end project",
        ],
    ),
    (
        "rohan@chaiandcode.example",
        "pooja.reddy@dit.example.ac.in",
        &["copywriting", "retail"],
        &[
            "Her sample onboarding screens read better than ours. Keep in mind for the Hindi version of the app.",
        ],
    ),
    (
        "rohan@chaiandcode.example",
        "maya.johnson@mail.example",
        &["qa", "career changer"],
        &[
            "Ex-teacher moving into UX research. Thorough test notes; strong candidate for the usability round in spring.",
        ],
    ),
    (
        "rohan@chaiandcode.example",
        "riya.kapoor@mail.example",
        &["crm"],
        &[
            "The wholesaler list was cancelled on our side when the sales plan changed, not for her work. Owe her a project.",
        ],
    ),
];

pub async fn load(state: &AppState) -> anyhow::Result<()> {
    annotate(state).await?;
    reach(state).await?;
    invite(state).await?;
    invite_back(state).await?;
    offer(state).await?;
    views(state).await
}

/// Page views of the demo employers' projects, day by day for up to 45
/// days from publishing (more in the first week), so the analytics' funnel
/// starts with people looking. Written once: not when any view exists.
async fn views(state: &AppState) -> anyhow::Result<()> {
    let store = &state.store;
    if store.has_project_views().await? {
        return Ok(());
    }
    let today = state.clock.today();
    let mut counts = Vec::new();
    for e in crate::demo_data::EMPLOYERS {
        let Some(u) = store.user_by_email(e.email).await? else {
            continue;
        };
        let Some(org) = store.membership(u.id).await?.map(|m| m.org) else {
            continue;
        };
        for p in store.org_projects(org.id).await? {
            let Some(published) = p.published_at.map(|t| t.date_naive()) else {
                continue;
            };
            if p.invite_only {
                continue;
            }
            let last = (published + chrono::Days::new(45)).min(today);
            let mut day = published;
            while day <= last {
                let age = (day - published).num_days();
                // A steady pseudo-random spread: the same demo every time.
                let spread = (p.id * 7_919 + age * 104_729).rem_euclid(7);
                counts.push((p.id, day, spread + if age < 7 { 8 } else { 1 }));
                day = day + chrono::Days::new(1);
            }
        }
    }
    store.add_project_views(&counts).await?;
    Ok(())
}

/// BrightLeaf's invite-only project, for its past interns.
const REHIRE: &str = "Re-code this year's skincare survey with last year's codebook";

/// An invite-only project at BrightLeaf, its place offered directly to two
/// students whose work it approved: the first still deciding, the second
/// accepted (and hired through the usual hire).
async fn invite_back(state: &AppState) -> anyhow::Result<()> {
    let store = &state.store;
    let Some(m) = store.user_by_email("priya@brightleaf.example").await? else {
        return Ok(());
    };
    let Some(org) = store.membership(m.id).await?.map(|x| x.org) else {
        return Ok(());
    };
    if !org.verified || store.project_id_by_title(org.id, REHIRE).await?.is_some() {
        return Ok(());
    }
    let today = state.clock.today();
    let day = |n: u64| (today + chrono::Days::new(n)).to_string();
    let form = ProjectForm {
        title: REHIRE.into(),
        summary: "The same client surveyed its buyers again: code the new open answers with the codebook you built, and show what moved.".into(),
        brief: "Last year you coded 500 answers for our skincare client. They ran the survey again with 420 new buyers. We want the new answers coded with the same codebook (adding themes only where the answers demand it), the scores compared year on year, and a two-page note on what changed.".into(),
        deliverables: "- Coded dataset (CSV) with last year's theme column\n- Year-on-year tables by city\n- A two-page note on what moved".into(),
        acceptance_criteria: "- Every answer coded, new themes listed separately\n- Tables reconcile with the raw counts".into(),
        category: "data-analysis".into(),
        required_skills: vec!["spreadsheets".into(), "statistics".into()],
        preferred_skills: vec!["data-visualization".into()],
        estimated_hours: "14".into(),
        start_date: day(12),
        due_date: day(24),
        price: "7000".into(),
        currency: "INR".into(),
        work_mode: "remote".into(),
        location: String::new(),
        slots: "4".into(),
        application_deadline: day(7),
        decision_by: day(10),
        screening_question: String::new(),
        for_credit: false,
        blind_screening: false,
        weekly_hours: String::new(),
    };
    let fail = |e| anyhow::anyhow!("demo invite-only project: {e:?}");
    let p = projects::create(state, &m, &form).await.map_err(fail)?;
    projects::restrict(state, &m, p.id, "", true)
        .await
        .map_err(fail)?;
    projects::publish(state, &m, p.id).await.map_err(fail)?;
    let worked_with = PoolFilter {
        reason: Some(PoolReason::Completed),
        ..PoolFilter::default()
    };
    let (pool, _) = store.talent_pool(org.id, &worked_with, 10, 0).await?;
    let notes = [
        "Your codebook held up all year; nobody knows these answers better. The place is yours if you want it.",
        "Same client, same codebook, new answers. We'd rather work with you again than brief someone new.",
    ];
    let mut sent = 0;
    for s in &pool {
        if sent == notes.len() {
            break;
        }
        // A student who turned invitations off is passed over.
        let Ok(inv) =
            invitations::offer_place(state, &m, p.id, s.student_id, notes[sent], None).await
        else {
            continue;
        };
        if sent == 1 {
            let student = store.user(s.student_id).await?;
            invitations::accept(
                state,
                &student,
                inv.id,
                "Happy to pick this up again. I'll keep the codebook and flag any new themes first.",
            )
            .await
            .map_err(fail)?;
        }
        sent += 1;
    }
    Ok(())
}

/// Offers in each state, made and answered as the pages would.
async fn offer(state: &AppState) -> anyhow::Result<()> {
    let store = &state.store;
    let today = state.clock.today();
    for (member, student, kind, title, days, pay, message, then, shown) in OFFERS {
        let (Some(m), Some(s)) = (
            store.user_by_email(member).await?,
            store.user_by_email(student).await?,
        ) else {
            continue;
        };
        if !store.student_offers(s.id).await?.is_empty() {
            continue;
        }
        let (pay_min, pay_max, currency, pay_period) = pay.unwrap_or(("", "", "", ""));
        let form = OfferForm {
            kind: kind.to_string(),
            title: title.to_string(),
            start_date: (today + chrono::Duration::days(*days)).to_string(),
            pay_min: pay_min.into(),
            pay_max: pay_max.into(),
            currency: currency.into(),
            pay_period: pay_period.into(),
            message: message.to_string(),
        };
        let fail = |e| anyhow::anyhow!("demo offer of {member} to {student}: {e:?}");
        // Not in the pool as worked with (the demo changed): no offer.
        let Ok(o) = offers::make(state, &m, s.id, &form).await else {
            continue;
        };
        match *then {
            "" => {}
            // The employer takes it back; every other answer is the student's.
            "withdraw" => {
                offers::act(state, &m, o.id, then).await.map_err(fail)?;
            }
            _ => {
                offers::act(state, &s, o.id, then).await.map_err(fail)?;
            }
        }
        if *shown {
            offers::show_on_profile(state, &s, o.id, true)
                .await
                .map_err(fail)?;
        }
    }
    Ok(())
}

/// Three in four named students let employers find them.
async fn reach(state: &AppState) -> anyhow::Result<()> {
    for (n, s) in STUDENTS.iter().enumerate() {
        if n % 4 == 1 || s.email_local == DECLARED_ONLY {
            continue;
        }
        let Some(user) = state.store.user_by_email(&student_email(s)).await? else {
            continue;
        };
        if state
            .store
            .reach(user.id)
            .await?
            .discoverable_changed_at
            .is_some()
        {
            continue;
        }
        invitations::set_reach(state, &user, true, s.email_local != NO_INVITATIONS)
            .await
            .map_err(|e| anyhow::anyhow!("demo reach of {}: {e:?}", s.name))?;
    }
    Ok(())
}

/// Invitations to open projects the students have not applied to, taken
/// as far as `INVITES` says.
async fn invite(state: &AppState) -> anyhow::Result<()> {
    let store = &state.store;
    let today = state.clock.today();
    for (member, title, local, note, answer) in INVITES {
        let (Some(m), Some(s)) = (
            store.user_by_email(member).await?,
            STUDENTS.iter().find(|s| s.email_local == *local),
        ) else {
            continue;
        };
        let Some(student) = store.user_by_email(&student_email(s)).await? else {
            continue;
        };
        if !store.student_invitations(student.id).await?.is_empty() {
            continue;
        }
        let Some(org) = store.membership(m.id).await?.map(|x| x.org) else {
            continue;
        };
        let Some(project) = store.org_projects(org.id).await?.into_iter().find(|p| {
            p.title == *title && p.status == ProjectStatus::Open && p.application_deadline >= today
        }) else {
            continue;
        };
        if store
            .application_of(project.id, student.id)
            .await?
            .is_some()
        {
            continue;
        }
        let fail = |e| anyhow::anyhow!("demo invitation of {local} by {member}: {e:?}");
        let inv = invitations::invite(state, &m, project.id, student.id, note)
            .await
            .map_err(fail)?;
        match answer {
            Answer::Nothing => {}
            Answer::Decline => {
                invitations::decline(state, &student, inv.id)
                    .await
                    .map_err(fail)?;
            }
            Answer::Apply => {
                let full = store.project(project.id).await?;
                // Written for this application, so no two demo answers match.
                let answer = if full.input.screening_question.is_some() {
                    "Your stock didn't save this time. Nothing is lost: it's kept on this phone and will save by itself when you're online again.".to_string()
                } else {
                    String::new()
                };
                let form = ApplicationForm {
                    pitch: format!(
                        "Thank you for the invitation. {}\n\nI would start by reading your current material with a shop-keeper's eyes, list every term they might not know, and rewrite each screen in short, plain sentences, checking them with two shop-keepers before handing over.",
                        s.name
                    ),
                    answer,
                    links: Vec::new(),
                };
                applications::apply(state, &student, project.id, &form)
                    .await
                    .map_err(fail)?;
            }
        }
    }
    Ok(())
}

/// Tags and notes in the pools.
async fn annotate(state: &AppState) -> anyhow::Result<()> {
    let store = &state.store;
    for (member, student, tags, notes) in ANNOTATIONS {
        let (Some(m), Some(s)) = (
            store.user_by_email(member).await?,
            store.user_by_email(student).await?,
        ) else {
            continue;
        };
        let fail = |e| anyhow::anyhow!("demo talent note of {member} on {student}: {e:?}");
        // Not in the pool (the demo changed): nothing to write.
        let Ok(entry) = talent::student(state, &m, s.id).await else {
            continue;
        };
        if entry.student.notes > 0 {
            continue;
        }
        talent::set_tags(state, &m, s.id, tags.iter().copied())
            .await
            .map_err(fail)?;
        for body in *notes {
            talent::add_note(state, &m, s.id, body)
                .await
                .map_err(fail)?;
        }
    }
    Ok(())
}
