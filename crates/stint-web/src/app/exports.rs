//! What a student takes with them: their profile and verified work as a
//! JSON Resume (jsonresume.org, schema v1.0.0).

use serde_json::{Value, json};
use stint_domain::account::Role;
use stint_domain::taxonomy;
use stint_store::User;

use super::credentials;
use crate::AppState;
use crate::error::AppError;

const SCHEMA: &str =
    "https://raw.githubusercontent.com/jsonresume/resume-schema/v1.0.0/schema.json";

/// Drops empty strings, empty lists and nulls, so the résumé holds only
/// what the student filled in.
fn prune(v: Value) -> Value {
    match v {
        Value::Object(map) => Value::Object(
            map.into_iter()
                .map(|(k, v)| (k, prune(v)))
                .filter(|(_, v)| match v {
                    Value::Null => false,
                    Value::String(s) => !s.is_empty(),
                    Value::Array(a) => !a.is_empty(),
                    Value::Object(o) => !o.is_empty(),
                    _ => true,
                })
                .collect(),
        ),
        Value::Array(list) => Value::Array(list.into_iter().map(prune).collect()),
        other => other,
    }
}

/// The caller's JSON Resume (students): the profile as `basics`,
/// `education` and `skills`; every verified project as a `work` entry with
/// the confirmed outcomes as highlights, and its credential under
/// `certificates`.
pub async fn resume(state: &AppState, user: &User) -> Result<Value, AppError> {
    crate::auth::authz::require_role(user, Role::Student)?;
    let store = &state.store;
    let p = store.profile(user.id).await?;
    let base = &state.config.base_url;
    let university = match p.university_id {
        Some(id) => store.org(id).await.ok().map(|o| o.name),
        None => None,
    };
    let public = store.portfolio_public(user.id).await?;
    let mut work = Vec::new();
    let mut certificates = Vec::new();
    for a in store.student_achievements(user.id).await? {
        if !a.confirmed {
            continue;
        }
        let e = store.engagement(a.engagement_id).await?;
        let credential = store.current_credential(a.id).await?;
        let link = credential
            .as_ref()
            .map(|c| credentials::url(state, &c.public_id));
        work.push(json!({
            "name": a.org_name,
            "position": a.title,
            "url": link,
            "startDate": e.created_at.date_naive().to_string(),
            "endDate": a.completed_on.to_string(),
            "summary": format!("{} ({} hours, paid project on Stint; outcomes confirmed by the employer)", a.summary, a.hours),
            "highlights": a.outcomes.iter().map(|o| o.line()).collect::<Vec<_>>(),
        }));
        if let (Some(c), Some(link)) = (&credential, link) {
            certificates.push(json!({
                "name": a.title,
                "date": c.issued_at.date_naive().to_string(),
                "issuer": format!("{} via {}", a.org_name, credentials::ISSUER_NAME),
                "url": link,
            }));
        }
    }
    let (city, region) = match p.location.as_deref().map(|l| l.split_once(',')) {
        Some(Some((c, r))) => (c.trim().to_string(), r.trim().to_string()),
        _ => (p.location.clone().unwrap_or_default(), String::new()),
    };
    let mut profiles = Vec::new();
    if let Some(u) = &p.linkedin_url {
        profiles.push(json!({ "network": "LinkedIn", "url": u }));
    }
    if let Some(u) = &p.github_url {
        profiles.push(json!({ "network": "GitHub", "url": u }));
    }
    Ok(prune(json!({
        "$schema": SCHEMA,
        "basics": {
            "name": user.name,
            "label": p.headline,
            "email": user.email,
            "url": if public { Some(format!("{base}/students/{}/portfolio", user.id)) } else { p.portfolio_url.clone() },
            "summary": p.bio,
            "location": { "city": city, "region": region },
            "profiles": profiles,
        },
        "work": work,
        "education": university.map(|u| vec![json!({
            "institution": u,
            "area": p.area_of_study,
            "studyType": p.degree,
            "endDate": p.graduation_year.map(|y| y.to_string()),
        })]),
        "skills": p.skills.iter().map(|s| json!({ "name": taxonomy::skill_name(s) })).collect::<Vec<_>>(),
        "certificates": certificates,
    })))
}

/// The paper a student's documents use: Letter in the United States and
/// Canada (by their university's country, else their time zone), A4
/// elsewhere.
pub async fn paper_for(state: &AppState, user: &User) -> Result<stint_pdf::Paper, AppError> {
    let p = state.store.profile(user.id).await?;
    if let Some(id) = p.university_id
        && let Ok(org) = state.store.org(id).await
    {
        return Ok(stint_pdf::Paper::for_country(&org.country));
    }
    let zone = user.time_zone.clone().or(p.time_zone).unwrap_or_default();
    const NORTH_AMERICA: [&str; 16] = [
        "America/New_York",
        "America/Chicago",
        "America/Denver",
        "America/Los_Angeles",
        "America/Phoenix",
        "America/Anchorage",
        "America/Detroit",
        "America/Boise",
        "America/Indiana/Indianapolis",
        "America/Toronto",
        "America/Vancouver",
        "America/Edmonton",
        "America/Winnipeg",
        "America/Halifax",
        "America/St_Johns",
        "Pacific/Honolulu",
    ];
    Ok(
        if NORTH_AMERICA.contains(&zone.as_str())
            || zone.starts_with("US/")
            || zone.starts_with("Canada/")
        {
            stint_pdf::Paper::Letter
        } else {
            stint_pdf::Paper::A4
        },
    )
}

/// Which printed document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Printed {
    /// One or two pages: profile, verified work, education, skills.
    Resume,
    /// Every verified project in full, with the criteria, skills and the
    /// employer's recommendation.
    Portfolio,
}

/// The caller's résumé or portfolio as a PDF (students): the content of
/// [`resume`], laid out for print.
pub async fn resume_pdf(
    state: &AppState,
    user: &User,
    kind: Printed,
    paper: Option<stint_pdf::Paper>,
) -> Result<Vec<u8>, AppError> {
    let r = resume(state, user).await?;
    let store = &state.store;
    // What the portfolio adds per project, by work entry (same order as
    // the résumé's confirmed achievements).
    let mut extra = Vec::new();
    if kind == Printed::Portfolio {
        let shown = super::reviews::shown(state, store.reviews_of_student(user.id).await?).await?;
        for a in store.student_achievements(user.id).await? {
            if !a.confirmed {
                continue;
            }
            let e = store.engagement(a.engagement_id).await?;
            let input = store.project(e.project_id).await?.input;
            let criteria = input
                .acceptance_criteria
                .lines()
                .map(|l| l.trim_start_matches(['-', '*', ' ']).trim().to_string())
                .filter(|l| !l.is_empty())
                .collect::<Vec<_>>();
            let skills = input
                .required_skills
                .iter()
                .chain(&input.preferred_skills)
                .map(|k| taxonomy::skill_name(k).to_string())
                .collect::<Vec<_>>();
            let recommendation = shown
                .iter()
                .find(|rv| {
                    rv.engagement_id == a.engagement_id
                        && rv.direction == stint_domain::review::Direction::OfStudent
                })
                .and_then(|rv| rv.recommendation.clone())
                .filter(|t| !t.is_empty());
            extra.push((criteria, skills, recommendation));
        }
    }
    let paper = match paper {
        Some(p) => p,
        None => paper_for(state, user).await?,
    };
    let s = |v: &Value| v.as_str().unwrap_or_default().to_string();
    let day = |v: &Value| {
        v.as_str()
            .and_then(|d| d.parse::<chrono::NaiveDate>().ok())
            .map(|d| crate::view::date(&d))
            .unwrap_or_default()
    };
    let list = |v: &Value| v.as_array().cloned().unwrap_or_default();
    let basics = &r["basics"];
    let location = [
        s(&basics["location"]["city"]),
        s(&basics["location"]["region"]),
    ]
    .into_iter()
    .filter(|x| !x.is_empty())
    .collect::<Vec<_>>()
    .join(", ");
    let mut contact: Vec<String> = vec![s(&basics["email"]), location, s(&basics["url"])];
    contact.extend(list(&basics["profiles"]).iter().map(|p| s(&p["url"])));
    contact.retain(|c| !c.is_empty());
    let doc = stint_pdf::Resume {
        name: s(&basics["name"]),
        headline: s(&basics["label"]),
        contact,
        about: s(&basics["summary"]),
        education: list(&r["education"])
            .iter()
            .map(|e| {
                let mut line = s(&e["institution"]);
                let what = [s(&e["studyType"]), s(&e["area"])]
                    .into_iter()
                    .filter(|x| !x.is_empty())
                    .collect::<Vec<_>>()
                    .join(" ");
                if !what.is_empty() {
                    line = format!("{line} — {what}");
                }
                if let Some(y) = e["endDate"].as_str() {
                    line = format!("{line}, {y}");
                }
                line
            })
            .collect(),
        skills: list(&r["skills"]).iter().map(|k| s(&k["name"])).collect(),
        projects: list(&r["work"])
            .iter()
            .enumerate()
            .map(|(i, w)| {
                let (criteria, skills, recommendation) = extra.get(i).cloned().unwrap_or_default();
                stint_pdf::Project {
                    title: s(&w["position"]),
                    employer: s(&w["name"]),
                    when: format!("{} – {}", day(&w["startDate"]), day(&w["endDate"])),
                    summary: s(&w["summary"]),
                    outcomes: list(&w["highlights"]).iter().map(s).collect(),
                    credential_url: w["url"].as_str().map(str::to_string),
                    criteria,
                    skills,
                    recommendation,
                }
            })
            .collect(),
        footer: format!(
            "Each project above was a paid project on {}; its outcomes were confirmed by the employer. Every credential link shows whether its signature is valid and not revoked.",
            credentials::ISSUER_NAME
        ),
    };
    match kind {
        Printed::Resume => stint_pdf::resume(&doc, paper),
        Printed::Portfolio => stint_pdf::portfolio(&doc, paper),
    }
    .map_err(AppError::Internal)
}
