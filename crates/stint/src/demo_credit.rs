//! The demo's academic credit: a request in each state, taken there through
//! the same functions the pages use, in words written for each project.

use anyhow::Context;
use stint_domain::application::ApplicationStatus;
use stint_store::{CreditScope, User};
use stint_web::AppState;
use stint_web::app::{applications, credit};

use crate::demo_data::STUDENTS;

/// How far a demo request goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reach {
    Draft,
    Submitted,
    Returned,
    Active,
    Reflected,
    SignedOff,
    Withdrawn,
    /// Shortlisted, then not selected: the request ends.
    Ended,
}

/// One demo request: the course and what the student writes.
pub struct DemoCredit {
    pub course_code: &'static str,
    pub course_title: &'static str,
    pub credits: &'static str,
    pub goals: &'static str,
    pub hours: &'static str,
    pub assessment: &'static str,
}

/// Requests on the named hires (`demo_texts::DELIVERIES`), each as far as
/// its engagement allows.
const DELIVERY_CREDITS: &[(&str, Reach, DemoCredit)] = &[
    (
        "asha.rao",
        Reach::SignedOff,
        DemoCredit {
            course_code: "ECO 495",
            course_title: "Industry Project in Economics",
            credits: "4",
            goals: "Code 500 open survey answers into a codebook a client can reuse\nSummarise satisfaction by city and age band with the right statistics\nPresent three recommendations the founders can act on",
            hours: "20",
            assessment: "The client's evaluation and a 1,500-word reflective report, graded by my supervisor on the department's A–F scale.",
        },
    ),
    (
        "j.oconnor",
        Reach::Reflected,
        DemoCredit {
            course_code: "BUS3050",
            course_title: "Work-Based Learning",
            credits: "10",
            goals: "Size a consumer market top-down and bottom-up and explain the gap\nState assumptions so a board can challenge them\nBuild scenarios and show which input matters most",
            hours: "30",
            assessment: "A 2,500-word reflective report and the employer's evaluation, pass or fail, moderated by the module leader.",
        },
    ),
    (
        "pooja.reddy",
        Reach::Active,
        DemoCredit {
            course_code: "CHE 390",
            course_title: "Professional Practice in Chemistry",
            credits: "2",
            goals: "Write exam-style questions that test understanding, not recall\nExplain each answer in words a 15-year-old follows\nCheck every question against the syllabus with a reviewer",
            hours: "16",
            assessment: "The question set with the employer's review, and a short reflection marked by my supervisor.",
        },
    ),
    (
        "rahul.verma",
        Reach::Submitted,
        DemoCredit {
            course_code: "STA 398",
            course_title: "Applied Statistics Project",
            credits: "3",
            goals: "Estimate emissions from incomplete restaurant records with stated uncertainty\nChoose emission factors and justify each one\nReport results so owners can pick the cheapest cuts first",
            hours: "24",
            assessment: "The estimates and method note, assessed by my supervisor against the goals, with the employer's evaluation.",
        },
    ),
];

/// For the requests on shortlisted applications, in turn.
const SHORTLIST_REACH: [Reach; 3] = [Reach::Returned, Reach::Draft, Reach::Withdrawn];

/// The request that ends: on an application shortlisted here for the
/// purpose, then not selected (the browser tests use the demo's others).
const ENDED: (&str, &str) = ("d.kim", "Build a cohort retention analysis in SQL");

const GENERIC: DemoCredit = DemoCredit {
    course_code: "WBL 300",
    course_title: "Work-Based Learning",
    credits: "5",
    goals: "Apply what I learnt in my course to a real client's brief\nAgree scope and deadlines with a client and keep to them\nPresent my findings so a non-specialist can act on them",
    hours: "20",
    assessment: "A 2,000-word reflective report and the client's evaluation, marked by my supervisor against the goals.",
};

const REFLECTION: [&str; 4] = [
    "I took the brief from the client's first message to a finished deliverable: I agreed the scope in the first week, asked one clarifying question in the workspace, shared a draft at the midpoint and revised it after the client's feedback.",
    "Applying my course: the methods from class worked, but real data needed cleaning first, which took a third of the time. Agreeing scope: writing the plan down in the first message avoided a misunderstanding later. Presenting: the client asked for one page, so I learnt to lead with the answer and put the workings in an appendix.",
    "Spreadsheets, structured note-taking, writing for a client, and planning my hours around lectures.",
    "I would share a rough draft even earlier, after the first third of the hours, and I would log my hours daily instead of from memory at the end of the week.",
];

async fn employer_of(state: &AppState, org_id: i64) -> anyhow::Result<User> {
    let (id, ..) = state
        .store
        .org_members(org_id)
        .await?
        .into_iter()
        .next()
        .context("demo employer has no members")?;
    Ok(state.store.user(id).await?)
}

async fn faculty_of(state: &AppState, student: &User) -> anyhow::Result<User> {
    let (id, _) = credit::supervisors(state, student)
        .await
        .map_err(|e| anyhow::anyhow!("{e:?}"))?
        .into_iter()
        .next()
        .context("demo university has no faculty")?;
    Ok(state.store.user(id).await?)
}

fn err(e: impl std::fmt::Debug) -> anyhow::Error {
    anyhow::anyhow!("{e:?}")
}

/// Takes one request as far as `reach`.
async fn walk(
    state: &AppState,
    student: &User,
    application_id: i64,
    texts: &DemoCredit,
    reach: Reach,
) -> anyhow::Result<()> {
    let faculty = faculty_of(state, student).await?;
    let c = credit::create(
        state,
        student,
        credit::NewRequest {
            application_id: &application_id.to_string(),
            course_code: texts.course_code,
            course_title: texts.course_title,
            credits: texts.credits,
            faculty_id: &faculty.id.to_string(),
        },
    )
    .await
    .map_err(err)?;
    let id = c.id;
    let employer = employer_of(state, c.org_id).await?;
    credit::save_agreement(
        state,
        student,
        id,
        texts.goals,
        texts.hours,
        texts.assessment,
    )
    .await
    .map_err(err)?;
    match reach {
        Reach::Draft => return Ok(()),
        Reach::Withdrawn => {
            credit::withdraw(state, student, id).await.map_err(err)?;
            return Ok(());
        }
        _ => {}
    }
    credit::submit(state, student, id).await.map_err(err)?;
    if reach == Reach::Ended {
        applications::reject(
            state,
            &employer,
            application_id,
            "We chose a student who could start a week earlier.",
        )
        .await
        .map_err(err)?;
        return Ok(());
    }
    if reach == Reach::Returned {
        credit::send_back(
            state,
            &faculty,
            id,
            "Good start. Make the second goal measurable (what will the client sign off?), and say how many words the report has.",
        )
        .await
        .map_err(err)?;
        return Ok(());
    }
    credit::acknowledge(state, &employer, id)
        .await
        .map_err(err)?;
    if reach == Reach::Submitted {
        return Ok(());
    }
    credit::approve(state, &faculty, id).await.map_err(err)?;
    let today = state.clock.now().date_naive().to_string();
    for (h, note) in [
        (
            "3",
            "Read the brief and the client's data; agreed the plan in the workspace",
        ),
        (
            "4.5",
            "First pass of the analysis; questions for the client noted",
        ),
        ("2.25", "Draft written up and shared for feedback"),
    ] {
        credit::log_hours(state, student, id, &today, h, note)
            .await
            .map_err(err)?;
    }
    if reach == Reach::Active {
        return Ok(());
    }
    credit::reflect(
        state,
        student,
        id,
        REFLECTION[0],
        REFLECTION[1],
        REFLECTION[2],
        REFLECTION[3],
    )
    .await
    .map_err(err)?;
    if reach == Reach::Reflected {
        return Ok(());
    }
    credit::sign_off(
        state,
        &faculty,
        id,
        "grade",
        "A",
        "Clear goals, well evidenced, and the client's evaluation matches the reflection. Well done.",
    )
    .await
    .map_err(err)?;
    Ok(())
}

/// A request in each state: on the named hires (`DELIVERY_CREDITS`) and on
/// shortlisted applications of university students. Only on the first load.
pub async fn load(state: &AppState) -> anyhow::Result<()> {
    let store = &state.store;
    let mut students = Vec::new();
    for s in STUDENTS.iter().filter(|s| s.uni.is_some()) {
        if let Some(u) = store.user_by_email(&crate::demo::student_email(s)).await? {
            if !store
                .credit_requests(CreditScope::Student(u.id))
                .await?
                .is_empty()
            {
                return Ok(());
            }
            if store
                .affiliation(u.id)
                .await?
                .is_some_and(|a| a.confirmed())
            {
                students.push((s, u));
            }
        }
    }
    for (local, reach, texts) in DELIVERY_CREDITS {
        let Some((_, user)) = students.iter().find(|(s, _)| s.email_local == *local) else {
            continue;
        };
        let hired = store
            .timeline_applications(user.id)
            .await?
            .into_iter()
            .find(|a| a.status == ApplicationStatus::Hired.as_str());
        if let Some(a) = hired {
            walk(state, user, a.application_id, texts, *reach)
                .await
                .with_context(|| format!("demo credit of {local}"))?;
        }
    }
    // Shortlisted students of both universities, taking turns.
    let mut order: Vec<usize> = (0..students.len()).collect();
    order.sort_by_key(|&i| {
        let uni = students[i].0.uni;
        let rank = students[..i].iter().filter(|(s, _)| s.uni == uni).count();
        (rank, uni)
    });
    let mut turn = 0;
    for (s, user) in order.iter().map(|&i| &students[i]) {
        if turn >= SHORTLIST_REACH.len()
            || DELIVERY_CREDITS.iter().any(|(l, ..)| l == &s.email_local)
        {
            continue;
        }
        if s.email_local == ENDED.0 {
            continue;
        }
        let reach = SHORTLIST_REACH[turn];
        let mut pick = credit::eligible(state, user)
            .await
            .map_err(err)?
            .first()
            .map(|(id, _)| *id);
        if pick.is_none() {
            // Shortlist one of their applications to a project for credit.
            for a in store.timeline_applications(user.id).await? {
                if a.status == ApplicationStatus::Submitted.as_str()
                    && store.project(a.project_id).await?.input.for_credit
                {
                    store
                        .decide_application(
                            a.application_id,
                            &[ApplicationStatus::Submitted],
                            ApplicationStatus::Shortlisted,
                            None,
                        )
                        .await?;
                    pick = Some(a.application_id);
                    break;
                }
            }
        }
        let Some(application_id) = pick else { continue };
        walk(state, user, application_id, &GENERIC, reach)
            .await
            .with_context(|| format!("demo credit of {}", s.email_local))?;
        turn += 1;
    }
    if let Some((_, user)) = students.iter().find(|(s, _)| s.email_local == ENDED.0) {
        let application = store
            .timeline_applications(user.id)
            .await?
            .into_iter()
            .find(|a| {
                a.project_title == ENDED.1 && a.status == ApplicationStatus::Submitted.as_str()
            });
        if let Some(a) = application {
            store
                .decide_application(
                    a.application_id,
                    &[ApplicationStatus::Submitted],
                    ApplicationStatus::Shortlisted,
                    None,
                )
                .await?;
            walk(state, user, a.application_id, &GENERIC, Reach::Ended)
                .await
                .context("demo credit that ends")?;
        }
    }
    Ok(())
}
