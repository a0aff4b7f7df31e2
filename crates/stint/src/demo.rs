//! Loads the demo world (see `demo_data`). Idempotent: every account,
//! organization and project is looked up first and created only if missing,
//! so running it twice changes nothing.

use anyhow::Context;
use chrono::{Days, Utc};
use stint_domain::account::Role;
use stint_domain::application::{ApplicationForm, ApplicationStatus};
use stint_domain::ledger::platform_fee;
use stint_domain::organization::{OrgInput, OrgKind};
use stint_domain::profile::ProfileForm;
use stint_domain::project::{ProjectForm, ProjectStatus, check_publish};
use stint_domain::search::SearchParams;
use stint_store::{Organization, User};
use stint_web::AppState;
use stint_web::auth::tokens::invite_code;

use crate::demo_data::{DECLARED_ONLY, EMPLOYERS, PROJECTS, SHARING, STUDENTS, UNIVERSITIES};
use crate::demo_texts::{self, DELIVERIES, Delivery, Stage};

/// Every demo account's password.
pub const DEMO_PASSWORD: &str = "stint-demo-2026";
pub const DEMO_ADMIN: &str = "admin@stint.example";

/// Projects left as drafts, and one closed, so every state is on show.
const DRAFTS: &[&str] = &[
    "Write SEO articles on customer analytics for small brands",
    "Brand refresh for our coffee subscription boxes",
];
const CLOSED: &[&str] = &["Proofread and edit 10 product pages"];
/// Projects arranged with a university (by its index in `UNIVERSITIES`) for
/// its students only.
const ARRANGED: &[(&str, usize)] = &[
    ("Map our distributor onboarding process", 0),
    ("Draft a hybrid-working policy summary for staff", 1),
];

pub async fn ensure_user(
    state: &AppState,
    email: &str,
    password: &str,
    name: &str,
    role: Role,
) -> anyhow::Result<User> {
    if let Some(u) = state.store.user_by_email(email).await? {
        return Ok(u);
    }
    let hash = demo_hash(state, password).await?;
    let user = state.store.create_user(email, &hash, name, role).await?;
    Ok(user)
}

/// One hash per demo password, shared by every demo account that uses it:
/// a hash takes tens of milliseconds by design, and forty-seven of them made
/// up most of the demo's start. Real accounts each get their own salt.
pub async fn demo_hash(state: &AppState, password: &str) -> anyhow::Result<String> {
    static HASHES: tokio::sync::Mutex<Vec<(String, String)>> =
        tokio::sync::Mutex::const_new(Vec::new());
    let mut known = HASHES.lock().await;
    if let Some((_, h)) = known.iter().find(|(p, _)| p == password) {
        return Ok(h.clone());
    }
    let hash = state
        .passwords
        .hash(password.to_string(), state.config.password_cost)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    known.push((password.to_string(), hash.clone()));
    Ok(hash)
}

async fn ensure_org(
    state: &AppState,
    owner: &User,
    kind: OrgKind,
    input: OrgInput,
    verified: bool,
) -> anyhow::Result<Organization> {
    let org = match state.store.membership(owner.id).await? {
        Some(m) => m.org,
        None => {
            state
                .store
                .create_org(
                    kind,
                    &input,
                    owner.id,
                    &invite_code().map_err(|e| anyhow::anyhow!("{e}"))?,
                )
                .await?
        }
    };
    if verified && !org.verified {
        state.store.verify_org(org.id).await?;
    }
    Ok(state.store.org(org.id).await?)
}

/// The student's university, proved by their verified university address;
/// the one who signed up with a personal address asks career staff instead;
/// some share more or less than the default.
async fn affiliate(state: &AppState, user: &User, uni: Option<i64>) -> anyhow::Result<()> {
    use stint_domain::university::AffiliationStatus;
    use stint_web::app::universities;
    let user = state.store.user(user.id).await?;
    let fail = |e| anyhow::anyhow!("demo affiliation of {}: {e:?}", user.name);
    let current = state.store.affiliation(user.id).await?;
    if current.as_ref().map(|a| a.university_id) != uni {
        universities::declared(state, &user, uni)
            .await
            .map_err(fail)?;
    }
    let local = user.email.split('@').next().unwrap_or_default();
    if local == DECLARED_ONLY
        && state
            .store
            .affiliation(user.id)
            .await?
            .is_some_and(|a| a.status == AffiliationStatus::Declared)
    {
        universities::request(state, &user).await.map_err(fail)?;
    }
    if let Some((_, sharing)) = SHARING.iter().find(|(l, _)| *l == local) {
        universities::set_sharing(state, &user, sharing)
            .await
            .map_err(fail)?;
    }
    Ok(())
}

/// Where a demo student is paid, by where they live: UPI or an Indian bank
/// account, a UK account, a US account; all check as real ones would.
fn demo_payout(s: &crate::demo_data::Student) -> stint_domain::payout::PayoutForm {
    use stint_domain::payout::PayoutForm;
    let holder_name = s.name.to_string();
    let n = s.name.len();
    if s.tz == "Asia/Kolkata" && n.is_multiple_of(2) {
        PayoutForm {
            method: "in_upi".into(),
            holder_name,
            upi_id: format!("{}@okhdfcbank", s.email_local),
            ..Default::default()
        }
    } else if s.tz == "Asia/Kolkata" {
        PayoutForm {
            method: "in_bank".into(),
            holder_name,
            account_number: format!("5010012345{n:04}"),
            ifsc: "HDFC0001234".into(),
            ..Default::default()
        }
    } else if s.tz == "Europe/London" {
        PayoutForm {
            method: "uk_bank".into(),
            holder_name,
            sort_code: "20-00-00".into(),
            account_number: format!("5577{n:04}"),
            ..Default::default()
        }
    } else {
        PayoutForm {
            method: "us_bank".into(),
            holder_name,
            routing_number: "021000021".into(),
            account_number: format!("00012345{n:04}"),
            ..Default::default()
        }
    }
}

pub async fn load(state: &AppState) -> anyhow::Result<()> {
    let store = &state.store;
    let admin = ensure_user(state, DEMO_ADMIN, DEMO_PASSWORD, "Stint Admin", Role::Admin).await?;
    store.mark_email_verified(admin.id).await?;

    let mut uni_ids = Vec::new();
    for u in UNIVERSITIES {
        let staff = ensure_user(state, u.email, DEMO_PASSWORD, u.staff, Role::University).await?;
        store.mark_email_verified(staff.id).await?;
        let input = OrgInput::parse(
            OrgKind::University,
            u.name,
            u.website,
            u.country,
            "",
            u.domain,
        )
        .map_err(|e| anyhow::anyhow!("demo university {}: {e}", u.name))?;
        let org = ensure_org(state, &staff, OrgKind::University, input, true).await?;
        let faculty = ensure_user(
            state,
            u.faculty_email,
            DEMO_PASSWORD,
            u.faculty,
            Role::University,
        )
        .await?;
        store.mark_email_verified(faculty.id).await?;
        if store.membership(faculty.id).await?.is_none() {
            // Joining without an invitation makes them faculty.
            store
                .join_org(faculty.id, OrgKind::University, &org.invite_code)
                .await?;
        }
        uni_ids.push(org.id);
    }

    let mut orgs = Vec::new();
    for e in EMPLOYERS {
        let user = ensure_user(state, e.email, DEMO_PASSWORD, e.contact, Role::Employer).await?;
        store.mark_email_verified(user.id).await?;
        let input = OrgInput::parse(OrgKind::Employer, e.org, e.website, e.country, e.about, "")
            .map_err(|err| anyhow::anyhow!("demo employer {}: {err}", e.org))?;
        orgs.push((
            user.clone(),
            ensure_org(state, &user, OrgKind::Employer, input, e.verified).await?,
        ));
    }

    let year = chrono::Datelike::year(&Utc::now());
    for s in STUDENTS {
        let email = student_email(s);
        let user = ensure_user(state, &email, DEMO_PASSWORD, s.name, Role::Student).await?;
        store.mark_email_verified(user.id).await?;
        if store.payout_account(user.id).await?.is_none() {
            stint_web::app::payouts::save(state, &user, &demo_payout(s))
                .await
                .map_err(|e| anyhow::anyhow!("demo payout details of {}: {e:?}", s.name))?;
        }
        if store.profile(user.id).await?.headline.is_none() {
            let form = ProfileForm {
                headline: s.headline.into(),
                university_id: s.uni.map(|i| uni_ids[i].to_string()).unwrap_or_default(),
                area_of_study: s.area.into(),
                degree: s.degree.into(),
                graduation_year: s.year.to_string(),
                skills: s.skills.iter().map(|x| x.to_string()).collect(),
                availability_hours: s.hours.to_string(),
                interests: s.interests.iter().map(|x| x.to_string()).collect(),
                location: s.location.into(),
                time_zone: s.tz.into(),
                linkedin_url: format!(
                    "https://linkedin.example/in/{}",
                    s.email_local.replace('.', "-")
                ),
                bio: demo_texts::student(s.email_local)
                    .with_context(|| format!("no demo texts for {}", s.name))?
                    .bio
                    .into(),
                ..Default::default()
            };
            let profile = form
                .parse(year)
                .map_err(|e| anyhow::anyhow!("demo student {}: {e}", s.name))?;
            store.save_profile(user.id, &profile).await?;
        }
        affiliate(state, &user, s.uni.map(|i| uni_ids[i])).await?;
    }

    let today = Utc::now().date_naive();
    for p in PROJECTS {
        let (owner, org) = &orgs[p.employer];
        if store.project_id_by_title(org.id, p.title).await?.is_some() {
            continue;
        }
        let currency = match EMPLOYERS[p.employer].country {
            "IN" => "INR",
            "GB" => "GBP",
            _ => "USD",
        };
        let deadline = today + Days::new(p.deadline_in as u64);
        let decision = deadline + Days::new(3);
        let start = decision + Days::new(2);
        let due = start + Days::new(p.duration as u64);
        let texts = demo_texts::project(p.title)
            .with_context(|| format!("no demo texts for '{}'", p.title))?;
        let form = ProjectForm {
            title: p.title.into(),
            summary: p.summary.into(),
            brief: p.brief.into(),
            deliverables: p.deliverables.into(),
            acceptance_criteria: texts.criteria.into(),
            category: p.category.into(),
            required_skills: p.required.iter().map(|s| s.to_string()).collect(),
            preferred_skills: p.preferred.iter().map(|s| s.to_string()).collect(),
            estimated_hours: p.hours.to_string(),
            start_date: start.to_string(),
            due_date: due.to_string(),
            price: p.price.to_string(),
            currency: currency.into(),
            work_mode: p.mode.into(),
            location: p.location.into(),
            slots: p.slots.to_string(),
            application_deadline: deadline.to_string(),
            decision_by: decision.to_string(),
            screening_question: p.question.into(),
            for_credit: p.for_credit,
            // Two employers screen blind, so the feature is on show.
            blind_screening: matches!(p.employer, 2 | 9),
            weekly_hours: String::new(),
        };
        let input = form
            .parse()
            .map_err(|e| anyhow::anyhow!("demo project '{}': {e}", p.title))?;
        let project = store.create_project(org.id, owner.id, &input).await?;
        if let Some(uni) = ARRANGED
            .iter()
            .find(|(t, _)| *t == p.title)
            .and_then(|(_, i)| uni_ids.get(*i))
        {
            store
                .set_project_audience(project.id, stint_store::Audience::University(*uni))
                .await?;
        }
        if DRAFTS.contains(&p.title) || !org.verified {
            continue;
        }
        check_publish(&input, org.verified, &state.config.floors, today)
            .map_err(|e| anyhow::anyhow!("demo project '{}' cannot publish: {e}", p.title))?;
        let opened = store
            .set_project_status(project.id, ProjectStatus::Draft, ProjectStatus::Open)
            .await?;
        stint_web::app::jobs::schedule_for(state, &opened)
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        if CLOSED.contains(&p.title) {
            store
                .set_project_status(project.id, ProjectStatus::Open, ProjectStatus::Closed)
                .await?;
        }
    }
    load_applications(state).await?;
    crate::demo_outcomes::load(state, &uni_ids, &orgs).await?;
    crate::demo_talent::load(state).await
}

/// Each student applies to the open projects in their fields (up to three);
/// employers have shortlisted some, rejected one and hired two.
async fn load_applications(state: &AppState) -> anyhow::Result<()> {
    let store = &state.store;
    let open = store
        .search_projects(
            &SearchParams {
                sort: "newest".into(),
                limit: "100".into(),
                ..Default::default()
            }
            .parse()
            .map_err(|e| anyhow::anyhow!("{e}"))?,
        )
        .await?
        .items;
    // How many have applied to each project so far: applicants take the
    // project's approaches and answers in turn, so no two read alike.
    let mut applied: std::collections::HashMap<i64, usize> = Default::default();
    let mut rejections = 0;
    for (n, s) in STUDENTS.iter().enumerate() {
        let Some(user) = store.user_by_email(&student_email(s)).await? else {
            continue;
        };
        // Applications are made on the first load only; the open projects
        // differ on later loads (some have filled).
        if !store.student_applications(user.id).await?.is_empty() {
            continue;
        }
        let me = demo_texts::student(s.email_local)
            .with_context(|| format!("no demo texts for {}", s.name))?;
        // The project they are hired for (if any), then others in their
        // fields, starting at a different one for each student so
        // applications spread over the employers; three at most.
        let hired_for: Vec<i64> = DELIVERIES
            .iter()
            .filter(|d| d.student == s.email_local)
            .filter_map(|d| open.iter().find(|p| p.title == d.title))
            .map(|p| p.id)
            .collect();
        let fields: Vec<i64> = open
            .iter()
            .filter(|p| s.interests.contains(&p.category.as_str()) && !hired_for.contains(&p.id))
            .map(|p| p.id)
            .collect();
        let mine = hired_for.iter().chain(
            fields
                .iter()
                .cycle()
                .skip(n % fields.len().max(1))
                .take(fields.len().min(3 - hired_for.len().min(3))),
        );
        for &project_id in mine {
            let project = store.project(project_id).await?;
            let texts = demo_texts::project(&project.input.title)
                .with_context(|| format!("no demo texts for '{}'", project.input.title))?;
            let rank = applied.entry(project_id).or_default();
            let turn = |list: &[&str]| {
                list.get(*rank % list.len().max(1))
                    .map(|t| t.replace("{me}", s.email_local))
                    .unwrap_or_default()
            };
            let form = ApplicationForm {
                pitch: format!("{}\n\n{}", turn(texts.approaches), me.evidence),
                answer: project
                    .input
                    .screening_question
                    .as_ref()
                    .map(|_| turn(texts.answers))
                    .unwrap_or_default(),
                links: vec![format!("https://portfolio.example/{}", s.email_local)],
            };
            *rank += 1;
            let input = form
                .parse(project.input.screening_question.as_deref())
                .map_err(|e| anyhow::anyhow!("demo application: {e}"))?;
            let m = stint_domain::application::skill_match(
                &project.input.required_skills,
                &s.skills.iter().map(|x| x.to_string()).collect::<Vec<_>>(),
            );
            let a = store
                .apply(project_id, user.id, &input, m.percent, 10)
                .await?;
            if hired_for.contains(&project_id) {
                continue;
            }
            // Some decisions, so every state is on show.
            match n % 7 {
                1 => {
                    store
                        .decide_application(
                            a.id,
                            &[ApplicationStatus::Submitted],
                            ApplicationStatus::Shortlisted,
                            None,
                        )
                        .await?;
                }
                4 => {
                    store
                        .decide_application(
                            a.id,
                            &ApplicationStatus::UNDECIDED,
                            ApplicationStatus::Rejected,
                            Some(
                                demo_texts::REJECTION_NOTES
                                    [rejections % demo_texts::REJECTION_NOTES.len()],
                            ),
                        )
                        .await?;
                    rejections += 1;
                }
                _ => {}
            }
        }
    }
    // Hires (sandbox payments), each taken as far along the delivery loop
    // as its `Delivery` says. Only on the first load: later loads find the
    // engagements and leave them be.
    if store.count_engagements().await? > 0 {
        return Ok(());
    }
    for d in DELIVERIES {
        let (Some(student), Some(card)) = (
            STUDENTS.iter().find(|s| s.email_local == d.student),
            open.iter().find(|p| p.title == d.title),
        ) else {
            anyhow::bail!(
                "demo delivery '{}' names no open project or student",
                d.title
            );
        };
        let Some(user) = store.user_by_email(&student_email(student)).await? else {
            continue;
        };
        let Some(application) = store.application_of(card.id, user.id).await? else {
            continue;
        };
        let project = store.project(card.id).await?;
        let fee = platform_fee(project.input.price, state.config.fee_basis_points);
        let e = store
            .hire(application.id, fee.minor, "sandbox")
            .await?
            .engagement;
        lived_in(state, &e, d)
            .await
            .map_err(|err| anyhow::anyhow!("demo engagement {}: {err}", e.id))?;
    }
    crate::demo_credit::load(state).await
}

/// A student's sign-in address: at their university, except for graduates,
/// career changers and the one who signed up with a personal address.
pub(crate) fn student_email(s: &crate::demo_data::Student) -> String {
    let domain = match s.uni {
        Some(i) if s.email_local != DECLARED_ONLY => UNIVERSITIES[i].domain,
        _ => "mail.example",
    };
    format!("{}@{domain}", s.email_local)
}

/// Moves demo engagement number `n` along the loop, so every state is on
/// show, in the words written for its project (`demo_texts::DELIVERIES`).
async fn lived_in(
    state: &AppState,
    e: &stint_store::Engagement,
    d: &Delivery,
) -> Result<(), stint_web::AppError> {
    use stint_domain::engagement::SubmissionForm;
    use stint_web::app::{achievements, engagements as eng, reviews};
    let store = &state.store;
    let student = store.user(e.student_id).await?;
    let Some((_, _, boss_email, _)) = store.org_members(e.org_id).await?.into_iter().next() else {
        return Ok(());
    };
    let Some(boss) = store.user_by_email(&boss_email).await? else {
        return Ok(());
    };
    let submission = |note: &str| SubmissionForm {
        note: note.into(),
        links: vec![d.link.into()],
    };
    let attachments: Vec<(String, Vec<u8>)> = d
        .attachment
        .map(|(name, body)| (name.to_string(), body.as_bytes().to_vec()))
        .into_iter()
        .collect();
    eng::post_message(state, &student, e.id, "question", d.question).await?;
    eng::post_message(state, &boss, e.id, "message", d.reply).await?;
    if d.reached == Stage::Cancelled {
        eng::cancel(state, &boss, e.id, d.cancel).await?;
        return Ok(());
    }
    if d.reached == Stage::InProgress {
        return Ok(());
    }
    eng::submit(state, &student, e.id, &submission(d.draft), &attachments).await?;
    if d.reached == Stage::Submitted {
        return Ok(());
    }
    eng::request_revision(state, &boss, e.id, d.revision).await?;
    if d.reached == Stage::RevisionRequested {
        return Ok(());
    }
    eng::submit(state, &student, e.id, &submission(d.last), &[]).await?;
    eng::approve(state, &boss, e.id).await?;
    if d.reached == Stage::Reviewed {
        let review = |t: &str, rec: &str| stint_domain::review::ReviewForm {
            rating_1: "5".into(),
            rating_2: "5".into(),
            rating_3: "4".into(),
            text: t.into(),
            recommendation: rec.into(),
        };
        reviews::write(
            state,
            &boss,
            e.id,
            &review(d.employer_review, d.recommendation),
        )
        .await?;
        reviews::write(state, &student, e.id, &review(d.student_review, "")).await?;
        if let Some(a) = store.achievement_for(e.id).await? {
            // Confirmed first without the last outcome, which the student
            // adds once the client acts on it; confirming again issues a new
            // credential and revokes the first, so one revoked credential
            // is on show.
            let lines: Vec<&str> = d.outcomes.lines().collect();
            for upto in [lines.len().saturating_sub(1), lines.len()] {
                let form = stint_domain::achievement::AchievementForm {
                    summary: a.summary.clone(),
                    outcomes: lines[..upto].join("\n"),
                };
                achievements::edit(state, &student, a.id, &form).await?;
                achievements::confirm(state, &boss, a.id).await?;
            }
            achievements::set_public(state, &student, true).await?;
        }
    }
    Ok(())
}

pub fn print_accounts() {
    println!();
    println!("Demo accounts (password for all: {DEMO_PASSWORD}):");
    println!("  admin      {DEMO_ADMIN}");
    println!(
        "  employer   {}  ({})",
        EMPLOYERS[0].email, EMPLOYERS[0].org
    );
    println!(
        "  employer   {}  ({})",
        EMPLOYERS[4].email, EMPLOYERS[4].org
    );
    println!(
        "  student    {}@{}",
        STUDENTS[0].email_local, UNIVERSITIES[0].domain
    );
    println!(
        "  student    {}@{}",
        STUDENTS[12].email_local, UNIVERSITIES[1].domain
    );
    println!("  university {}", UNIVERSITIES[0].email);
    println!("  (every demo account is listed in the README)");
    println!();
}
