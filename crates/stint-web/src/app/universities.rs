//! Universities as partners: proving a student's affiliation, what the
//! student shares, the career-centre portal (students and their timelines,
//! affiliation requests) and the university's team.

use chrono::{Duration, Utc};
use stint_domain::account::{Email, Role};
use stint_domain::engagement::EngagementStatus;
use stint_domain::money::{Currency, Money};
use stint_domain::review::Direction;
use stint_domain::university::{
    AffiliationAction, AffiliationStatus, Sharing, StaffRole, Stage, domain_matches,
};
use stint_store::{
    Achievement, Affiliation, AffiliationRequest, Invitation, Membership, PortalStudent,
    StaffMember, StoreError, StudentFilter, TimelineApplication, TimelineEngagement, User,
};

use crate::AppState;
use crate::auth::authz::{require_career_staff, require_role, require_university_member};
use crate::auth::tokens::{hash_token, random_token};
use crate::error::AppError;

/// Links a student may ask for in a day.
pub const LINKS_PER_DAY: i64 = 5;
/// Students per page of the portal.
pub const PAGE_SIZE: i64 = 50;

// --- the student's side ---

/// The student's affiliation, if they named a university on their profile.
pub async fn mine(state: &AppState, user: &User) -> Result<Option<Affiliation>, AppError> {
    require_role(user, Role::Student)?;
    Ok(state.store.affiliation(user.id).await?)
}

async fn named(state: &AppState, user: &User) -> Result<Affiliation, AppError> {
    mine(state, user).await?.ok_or_else(|| {
        AppError::conflict(
            "no_university",
            "Choose your university on your profile first.",
        )
    })
}

/// Records the university on a saved profile. An account address already
/// confirmed in the university's domains proves it at once.
pub async fn declared(
    state: &AppState,
    user: &User,
    university_id: Option<i64>,
) -> Result<(), AppError> {
    let proof = match university_id {
        Some(uni) if user.email_verified => own_address_proves(state, &user.email, uni).await?,
        _ => None,
    };
    state
        .store
        .declare_affiliation(user.id, university_id, proof.as_deref())
        .await?;
    Ok(())
}

async fn own_address_proves(
    state: &AppState,
    email: &str,
    university_id: i64,
) -> Result<Option<String>, AppError> {
    let domains = state.store.org_domains(university_id).await?;
    let domain = email.rsplit_once('@').map(|(_, d)| d).unwrap_or_default();
    Ok(domain_matches(domain, &domains).then(|| email.to_string()))
}

/// After a student confirms their account address: it proves a declared
/// affiliation when it is in the university's domains.
pub async fn account_address_confirmed(state: &AppState, user: &User) -> Result<(), AppError> {
    if user.role != Role::Student {
        return Ok(());
    }
    let Some(a) = state.store.affiliation(user.id).await? else {
        return Ok(());
    };
    if matches!(
        a.status,
        AffiliationStatus::Declared | AffiliationStatus::Requested
    ) && let Some(email) = own_address_proves(state, &user.email, a.university_id).await?
    {
        state
            .store
            .confirm_affiliation_by_email(user.id, a.university_id, &email)
            .await?;
        state
            .store
            .audit(
                Some(user.id),
                "affiliation.confirmed",
                "organization",
                a.university_id,
                "email",
            )
            .await?;
    }
    Ok(())
}

/// Emails a one-time link to an address in the university's domains; opening
/// it confirms the affiliation.
pub async fn send_link(state: &AppState, user: &User, email: &str) -> Result<(), AppError> {
    let a = named(state, user).await?;
    let email = Email::parse(email).map_err(|mut e| {
        e.field = "email";
        stint_domain::FieldErrors::from(e)
    })?;
    let domains = state.store.org_domains(a.university_id).await?;
    if domains.is_empty() {
        return Err(AppError::invalid(
            "email",
            format!(
                "{} has not listed its email domains on Stint. Ask its career staff to confirm you instead.",
                a.university_name
            ),
        ));
    }
    if !domain_matches(email.domain(), &domains) {
        return Err(AppError::invalid(
            "email",
            format!(
                "Use your address at {}: it ends in {}.",
                a.university_name,
                domains
                    .iter()
                    .map(|d| format!("@{d}"))
                    .collect::<Vec<_>>()
                    .join(" or ")
            ),
        ));
    }
    let sent = state
        .store
        .affiliation_tokens_since(user.id, Utc::now() - Duration::days(1))
        .await?;
    if sent >= LINKS_PER_DAY {
        return Err(AppError::conflict(
            "too_many_links",
            format!(
                "You asked for {LINKS_PER_DAY} links today. Use the newest one, or try again tomorrow."
            ),
        ));
    }
    let token = random_token()?;
    state
        .store
        .create_affiliation_token(
            &hash_token(&token),
            user.id,
            a.university_id,
            email.as_str(),
            Utc::now() + Duration::days(3),
        )
        .await?;
    let link = format!(
        "{}/affiliation/confirm?token={token}",
        state.config.base_url
    );
    state
        .store
        .enqueue_email(
            email.as_str(),
            &format!("Confirm you study at {}", a.university_name),
            &format!(
                "Hello {},\n\nOpen this link within 3 days to confirm on Stint that you study at {}:\n\n{link}\n\nIf you did not ask for this, ignore this message.\n",
                user.name, a.university_name
            ),
        )
        .await?;
    state
        .store
        .audit(
            Some(user.id),
            "affiliation.link_sent",
            "organization",
            a.university_id,
            "",
        )
        .await?;
    Ok(())
}

/// Opens a link sent to a university address: the affiliation is confirmed.
/// Returns the university's name.
pub async fn confirm_link(state: &AppState, token: &str) -> Result<String, AppError> {
    let expired = || {
        AppError::invalid(
            "token",
            "This link has expired or was already used. Ask for a new one from your university page.",
        )
    };
    if token.is_empty() || token.len() > 128 {
        return Err(expired());
    }
    let (student, uni, email) = state
        .store
        .consume_affiliation_token(&hash_token(token))
        .await?
        .ok_or_else(expired)?;
    state
        .store
        .confirm_affiliation_by_email(student, uni, &email)
        .await
        .map_err(|e| match e {
            StoreError::NotFound => AppError::conflict(
                "university_changed",
                "Your profile names another university now; this link was for the one before.",
            ),
            other => other.into(),
        })?;
    state
        .store
        .audit(
            Some(student),
            "affiliation.confirmed",
            "organization",
            uni,
            "email",
        )
        .await?;
    Ok(state.store.org(uni).await?.name)
}

/// Asks the university's career staff to confirm the student.
pub async fn request(state: &AppState, user: &User) -> Result<Affiliation, AppError> {
    let a = named(state, user).await?;
    let to = AffiliationAction::Request
        .check(a.status)
        .map_err(|m| AppError::conflict("affiliation_state", m))?;
    state
        .store
        .move_affiliation(
            user.id,
            a.university_id,
            AffiliationAction::Request,
            user.id,
        )
        .await?;
    state
        .store
        .audit(
            Some(user.id),
            "affiliation.requested",
            "organization",
            a.university_id,
            to.as_str(),
        )
        .await?;
    for m in state.store.university_staff(a.university_id).await? {
        if m.staff_role.as_deref() == Some(StaffRole::Career.as_str()) {
            state
                .store
                .enqueue_email(
                    &m.email,
                    &format!("{} asks to be confirmed as your student", user.name),
                    &format!(
                        "Hello {},\n\n{} ({}) says they study at {} and asks you to confirm it on Stint. Until you do, employers see their university as not confirmed.\n\n{}/university/requests\n",
                        m.name, user.name, user.email, a.university_name, state.config.base_url
                    ),
                )
                .await?;
        }
    }
    named(state, user).await
}

/// Sets what the student's university sees.
pub async fn set_sharing(
    state: &AppState,
    user: &User,
    raw: &str,
) -> Result<Affiliation, AppError> {
    let a = named(state, user).await?;
    let sharing = Sharing::parse(raw).ok_or_else(|| {
        AppError::invalid(
            "sharing",
            "Choose what your university sees: all, completed or aggregate.",
        )
    })?;
    state.store.set_sharing(user.id, sharing).await?;
    state
        .store
        .record_consent(
            user.id,
            &format!("what your university sees: {}", sharing.as_str()),
            sharing != Sharing::Aggregate,
            "self",
            state.clock.now(),
        )
        .await?;
    state
        .store
        .audit(
            Some(user.id),
            "affiliation.sharing",
            "organization",
            a.university_id,
            sharing.as_str(),
        )
        .await?;
    named(state, user).await
}

// --- the portal ---

/// Career staff of a verified university; the membership is theirs.
pub async fn career_staff(state: &AppState, user: &User) -> Result<Membership, AppError> {
    let m = require_university_member(&state.store, user).await?;
    require_career_staff(&m)?;
    if !m.org.verified {
        return Err(AppError::conflict(
            "not_verified",
            "Stint verifies every university before its staff see any student. We will email you when yours is verified.",
        ));
    }
    Ok(m)
}

/// What the portal's filters take, as typed.
#[derive(Debug, Clone, Default)]
pub struct StudentQuery<'a> {
    pub q: &'a str,
    pub area: &'a str,
    pub year: &'a str,
    pub stage: &'a str,
    pub page: &'a str,
}

pub struct StudentList {
    pub students: Vec<PortalStudent>,
    pub total: i64,
    pub page: i64,
    pub more: bool,
    pub areas: Vec<String>,
    pub years: Vec<i32>,
}

/// Parses the portal's filters; each problem names its field.
pub fn parse_filter(q: &StudentQuery<'_>) -> Result<(StudentFilter, i64), AppError> {
    let mut e = stint_domain::FieldErrors::new();
    let text = q.q.trim().to_lowercase();
    if text.chars().count() > 100 {
        e.add("q", "Search with at most 100 characters.");
    }
    let year = match q.year.trim() {
        "" => None,
        y => match y.parse::<i32>() {
            Ok(v) if (1950..=2100).contains(&v) => Some(v),
            _ => {
                e.add("year", "Choose a graduation year from the list.");
                None
            }
        },
    };
    let stage = match q.stage.trim() {
        "" => None,
        s => match Stage::parse(s) {
            Some(v) => Some(v),
            None => {
                e.add(
                    "stage",
                    "Choose a status: not_yet_applied, applied, working or completed.",
                );
                None
            }
        },
    };
    let page = match q.page.trim() {
        "" => 1,
        p => match p.parse::<i64>() {
            Ok(v) if (1..=10_000).contains(&v) => v,
            _ => {
                e.add("page", "The page is a number from 1.");
                1
            }
        },
    };
    let area = q.area.trim();
    if area.chars().count() > 120 {
        e.add("area", "Choose an area of study from the list.");
    }
    if !e.is_empty() {
        return Err(AppError::Invalid(e));
    }
    Ok((
        StudentFilter {
            q: (!text.is_empty()).then_some(text),
            area: (!area.is_empty()).then(|| area.to_string()),
            year,
            stage,
        },
        page,
    ))
}

/// The university's students who let it see them by name, filtered.
pub async fn students(
    state: &AppState,
    user: &User,
    q: &StudentQuery<'_>,
) -> Result<StudentList, AppError> {
    let m = career_staff(state, user).await?;
    let (filter, page) = parse_filter(q)?;
    let (mut students, total) = state
        .store
        .portal_students(m.org.id, &filter, PAGE_SIZE, (page - 1) * PAGE_SIZE)
        .await?;
    let more = students.len() as i64 > PAGE_SIZE;
    students.truncate(PAGE_SIZE as usize);
    let (areas, years) = state.store.portal_facets(m.org.id).await?;
    Ok(StudentList {
        students,
        total,
        page,
        more,
        areas,
        years,
    })
}

/// One completed or in-progress engagement, as a university sees it.
pub struct TimelineWork {
    pub engagement: TimelineEngagement,
    pub status: EngagementStatus,
    pub earned: Option<String>,
    /// The employer's ratings (quality, communication, timeliness), once the
    /// double-blind rule shows them.
    pub ratings: Option<[u8; 3]>,
    pub recommendation: Option<String>,
    /// Outcomes the employer confirmed.
    pub achievement: Option<Achievement>,
}

/// A student's timeline, as far as they share it.
pub struct Timeline {
    pub student: PortalStudent,
    pub sharing: Sharing,
    /// `None` unless the student shares applications.
    pub applications: Option<Vec<TimelineApplication>>,
    pub work: Vec<TimelineWork>,
    /// Earned in completed work, per currency, formatted.
    pub earnings: Vec<String>,
}

pub async fn timeline(
    state: &AppState,
    user: &User,
    student_id: i64,
) -> Result<Timeline, AppError> {
    let m = career_staff(state, user).await?;
    let student = state
        .store
        .portal_student(m.org.id, student_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let sharing = Sharing::parse(&student.sharing).unwrap_or_default();
    let applications = if sharing.applications() {
        Some(state.store.timeline_applications(student_id).await?)
    } else {
        None
    };
    let reviews: Vec<_> = state
        .store
        .reviews_of_student(student_id)
        .await?
        .into_iter()
        .filter(|r| r.direction == Direction::OfStudent)
        .collect();
    let shown = super::reviews::shown(state, reviews).await?;
    let achievements = state.store.student_achievements(student_id).await?;
    let mut work = Vec::new();
    let mut totals: Vec<(String, i64)> = Vec::new();
    for e in state.store.timeline_engagements(student_id).await? {
        let status = EngagementStatus::parse(&e.status).unwrap_or(EngagementStatus::Active);
        let done = matches!(status, EngagementStatus::Approved | EngagementStatus::Paid);
        if !done && !sharing.applications() {
            continue;
        }
        let earned = if done {
            match totals.iter_mut().find(|(c, _)| *c == e.currency) {
                Some(t) => t.1 += e.price_minor,
                None => totals.push((e.currency.clone(), e.price_minor)),
            }
            Some(money(&e.currency, e.price_minor))
        } else {
            None
        };
        let review = shown.iter().find(|r| r.engagement_id == e.engagement_id);
        work.push(TimelineWork {
            status,
            earned,
            ratings: review.map(|r| r.ratings),
            recommendation: review.and_then(|r| r.recommendation.clone()),
            achievement: achievements
                .iter()
                .find(|a| a.engagement_id == e.engagement_id && a.confirmed)
                .cloned(),
            engagement: e,
        });
    }
    Ok(Timeline {
        student,
        sharing,
        applications,
        work,
        earnings: totals.iter().map(|(c, n)| money(c, *n)).collect(),
    })
}

/// Money as people read it; one formatter for the portal and the report.
pub fn money(currency: &str, minor: i64) -> String {
    match currency.parse::<Currency>() {
        Ok(c) => Money::new(minor, c).to_string(),
        Err(_) => format!("{minor} {currency}"),
    }
}

/// Requests waiting for career staff.
pub async fn requests(state: &AppState, user: &User) -> Result<Vec<AffiliationRequest>, AppError> {
    let m = career_staff(state, user).await?;
    Ok(state.store.affiliation_requests(m.org.id).await?)
}

/// Career staff approve or decline a request, or remove a confirmed
/// affiliation.
pub async fn decide(
    state: &AppState,
    user: &User,
    student_id: i64,
    action: &str,
) -> Result<(), AppError> {
    let m = career_staff(state, user).await?;
    let action = match AffiliationAction::parse(action) {
        Some(a) if !a.by_student() => a,
        _ => {
            return Err(AppError::invalid(
                "action",
                "Choose approve, decline or remove.",
            ));
        }
    };
    let current = state
        .store
        .affiliation(student_id)
        .await?
        .filter(|a| a.university_id == m.org.id)
        .ok_or(AppError::NotFound)?;
    // A student who keeps to totals is not shown by name; staff cannot act
    // on them one by one, except on their own request.
    if current.status == AffiliationStatus::Confirmed && !current.sharing.named() {
        return Err(AppError::NotFound);
    }
    action
        .check(current.status)
        .map_err(|m| AppError::conflict("affiliation_state", m))?;
    state
        .store
        .move_affiliation(student_id, m.org.id, action, user.id)
        .await
        .map_err(|e| match e {
            StoreError::Conflict(_) => AppError::conflict(
                "affiliation_state",
                "This affiliation changed meanwhile; reload the page.",
            ),
            other => other.into(),
        })?;
    let verb = match action {
        AffiliationAction::Approve => "approved",
        AffiliationAction::Decline => "declined",
        _ => "removed",
    };
    state
        .store
        .audit(
            Some(user.id),
            &format!("affiliation.{verb}"),
            "user",
            student_id,
            &m.org.id.to_string(),
        )
        .await?;
    let student = state.store.user(student_id).await?;
    let body = match action {
        AffiliationAction::Approve => format!(
            "Hello {},\n\nCareer staff at {} confirmed that you study there. Employers now see your university as confirmed.\n\n{}/me/university\n",
            student.name, m.org.name, state.config.base_url
        ),
        _ => format!(
            "Hello {},\n\nCareer staff at {} did not confirm that you study there, so employers see your university as not confirmed. If you have an address at the university, you can confirm it yourself:\n\n{}/me/university\n",
            student.name, m.org.name, state.config.base_url
        ),
    };
    state
        .store
        .enqueue_email(
            &student.email,
            &format!("Your affiliation with {}", m.org.name),
            &body,
        )
        .await?;
    Ok(())
}

/// How many students name the university, for its home page.
#[derive(Debug, Clone, Copy, Default)]
pub struct Counts {
    /// Confirmed and shown by name.
    pub named: i64,
    /// Confirmed, counted only in totals.
    pub aggregate: i64,
    pub requested: i64,
    /// Declared or removed: not confirmed.
    pub unconfirmed: i64,
}

pub async fn counts(state: &AppState, m: &Membership) -> Result<Counts, AppError> {
    let mut c = Counts::default();
    for (status, sharing, n) in state.store.affiliation_counts(m.org.id).await? {
        match status.as_str() {
            "confirmed" if sharing == "aggregate" => c.aggregate += n,
            "confirmed" => c.named += n,
            "requested" => c.requested += n,
            _ => c.unconfirmed += n,
        }
    }
    Ok(c)
}

// --- the team ---

pub struct Team {
    pub membership: Membership,
    pub staff: Vec<StaffMember>,
    pub invitations: Vec<Invitation>,
}

/// The university's members and open invitations; every member may see them.
pub async fn team(state: &AppState, user: &User) -> Result<Team, AppError> {
    let m = require_university_member(&state.store, user).await?;
    let staff = state.store.university_staff(m.org.id).await?;
    let invitations = if m.staff_role == Some(StaffRole::Career) {
        state.store.invitations(m.org.id).await?
    } else {
        Vec::new()
    };
    Ok(Team {
        membership: m,
        staff,
        invitations,
    })
}

fn parse_role(raw: &str) -> Result<StaffRole, AppError> {
    StaffRole::parse(raw)
        .ok_or_else(|| AppError::invalid("role", "Choose a role: career staff or faculty."))
}

/// Career staff invite a colleague by email with a role; the email carries
/// the invite code, and joining with it takes the role.
pub async fn invite(
    state: &AppState,
    user: &User,
    email: &str,
    role: &str,
) -> Result<(), AppError> {
    let m = require_university_member(&state.store, user).await?;
    require_career_staff(&m)?;
    let mut e = stint_domain::FieldErrors::new();
    let email = e.take(Email::parse(email).map_err(|mut x| {
        x.field = "email";
        x
    }));
    let role = match parse_role(role) {
        Ok(r) => Some(r),
        Err(_) => {
            e.add("role", "Choose a role: career staff or faculty.");
            None
        }
    };
    let (Some(email), Some(role)) = (email, role) else {
        return Err(AppError::Invalid(e));
    };
    if state
        .store
        .university_staff(m.org.id)
        .await?
        .iter()
        .any(|s| s.email.eq_ignore_ascii_case(email.as_str()))
    {
        return Err(AppError::invalid(
            "email",
            "This colleague is already a member; change their role in the list.",
        ));
    }
    state
        .store
        .invite_staff(m.org.id, email.as_str(), role, user.id)
        .await?;
    state
        .store
        .audit(
            Some(user.id),
            "org.invited",
            "organization",
            m.org.id,
            role.as_str(),
        )
        .await?;
    state
        .store
        .enqueue_email(
            email.as_str(),
            &format!("Join {} on Stint", m.org.name),
            &format!(
                "Hello,\n\n{} invites you to join {} on Stint as {}.\n\nSign up as university staff with this address at {}/signup, then join with the invite code {}.\n",
                user.name,
                m.org.name,
                role.label().to_lowercase(),
                state.config.base_url,
                m.org.invite_code
            ),
        )
        .await?;
    Ok(())
}

/// Career staff set a colleague's role; a university keeps at least one
/// career staff member.
pub async fn set_role(
    state: &AppState,
    user: &User,
    member_id: i64,
    role: &str,
) -> Result<(), AppError> {
    let m = require_university_member(&state.store, user).await?;
    require_career_staff(&m)?;
    let role = parse_role(role)?;
    state
        .store
        .set_staff_role(m.org.id, member_id, role)
        .await
        .map_err(|e| match e {
            StoreError::Conflict(_) => AppError::conflict(
                "last_career_staff",
                "A university keeps at least one career staff member. Make someone else career staff first.",
            ),
            other => other.into(),
        })?;
    state
        .store
        .audit(
            Some(user.id),
            "org.staff_role",
            "user",
            member_id,
            role.as_str(),
        )
        .await?;
    Ok(())
}

// --- projects ---

/// A portal project with its employer's record.
pub struct ProjectLine {
    pub project: stint_store::PortalProject,
    pub record: stint_store::Accountability,
}

/// The projects the university's students apply to, and those it features
/// (career staff).
pub async fn projects(state: &AppState, user: &User) -> Result<Vec<ProjectLine>, AppError> {
    let m = career_staff(state, user).await?;
    let list = state.store.portal_projects(m.org.id, 100).await?;
    let mut records: std::collections::HashMap<i64, stint_store::Accountability> =
        std::collections::HashMap::new();
    let mut out = Vec::with_capacity(list.len());
    for p in list {
        let record = match records.get(&p.org_id) {
            Some(r) => r.clone(),
            None => {
                let r = state.store.accountability(p.org_id).await?;
                records.insert(p.org_id, r.clone());
                r
            }
        };
        out.push(ProjectLine { project: p, record });
    }
    Ok(out)
}

/// Career staff feature an open project for their students, with an
/// optional note.
pub async fn feature(
    state: &AppState,
    user: &User,
    project_id: i64,
    note: &str,
) -> Result<(), AppError> {
    let m = career_staff(state, user).await?;
    let note = stint_domain::university::parse_feature_note(note).map_err(|e| {
        let mut errors = stint_domain::FieldErrors::new();
        errors.0.push(e);
        AppError::Invalid(errors)
    })?;
    let project = match state.store.project(project_id).await {
        Ok(p) => p,
        Err(StoreError::NotFound) => return Err(AppError::NotFound),
        Err(e) => return Err(e.into()),
    };
    // Drafts, and projects arranged with another university, are not
    // theirs to see.
    if !crate::auth::authz::can_view_project(&state.store, Some(user), &project).await? {
        return Err(AppError::NotFound);
    }
    if project.status != stint_domain::project::ProjectStatus::Open {
        return Err(AppError::conflict(
            "not_open",
            "Only a project open for applications can be featured.",
        ));
    }
    state
        .store
        .feature_project(m.org.id, project_id, user.id, note.as_deref())
        .await?;
    state
        .store
        .audit(
            Some(user.id),
            "project.featured",
            "project",
            project_id,
            &m.org.name,
        )
        .await?;
    Ok(())
}

/// Career staff stop featuring a project.
pub async fn unfeature(state: &AppState, user: &User, project_id: i64) -> Result<(), AppError> {
    let m = career_staff(state, user).await?;
    if !state.store.unfeature_project(m.org.id, project_id).await? {
        return Err(AppError::NotFound);
    }
    state
        .store
        .audit(
            Some(user.id),
            "project.unfeatured",
            "project",
            project_id,
            &m.org.name,
        )
        .await?;
    Ok(())
}

/// Whether the viewer is career staff of a verified university, and whether
/// it features the project: for the feature button on a project page.
pub async fn featuring(
    state: &AppState,
    user: &User,
    project_id: i64,
) -> Result<Option<bool>, AppError> {
    if user.role != Role::University {
        return Ok(None);
    }
    let Some(m) = state.store.membership(user.id).await? else {
        return Ok(None);
    };
    if m.staff_role != Some(StaffRole::Career) || !m.org.verified {
        return Ok(None);
    }
    Ok(Some(state.store.is_featured(m.org.id, project_id).await?))
}

/// The open projects the student's university features, once their
/// affiliation is confirmed.
pub async fn featured_for(
    state: &AppState,
    user: &User,
) -> Result<Vec<stint_store::FeaturedProject>, AppError> {
    match mine(state, user).await? {
        Some(a) if a.confirmed() => Ok(state.store.featured_projects(a.university_id).await?),
        _ => Ok(Vec::new()),
    }
}

/// A verified university's public page: its organization and featured
/// projects.
pub async fn school(
    state: &AppState,
    slug: &str,
) -> Result<
    (
        stint_store::Organization,
        Vec<String>,
        Vec<stint_store::FeaturedProject>,
    ),
    AppError,
> {
    let org = match state.store.org_by_slug(slug).await {
        Ok(o) if o.kind == stint_domain::organization::OrgKind::University && o.verified => o,
        Ok(_) | Err(StoreError::NotFound) => return Err(AppError::NotFound),
        Err(e) => return Err(e.into()),
    };
    let domains = state.store.org_domains(org.id).await?;
    let featured = state.store.featured_projects(org.id).await?;
    Ok((org, domains, featured))
}
