//! The shapes the API sends and accepts. They are separate from the domain
//! and store types so the public contract changes only on purpose.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use stint_domain::money::Money;
use stint_domain::profile::{ProfileForm, StudentProfile};
use stint_domain::project::ProjectForm;
use stint_store::{Organization, Project, ProjectCard, User};
use utoipa::{IntoParams, ToSchema};

#[derive(Debug, Serialize, ToSchema)]
pub struct UserView {
    pub id: i64,
    pub email: String,
    pub name: String,
    /// student | employer | university | admin
    pub role: String,
    pub email_verified: bool,
}

impl From<&User> for UserView {
    fn from(u: &User) -> Self {
        UserView {
            id: u.id,
            email: u.email.clone(),
            name: u.name.clone(),
            role: u.role.as_str().into(),
            email_verified: u.email_verified,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MoneyView {
    /// Integer minor units (cents, paise, pence).
    pub amount_minor: i64,
    /// ISO 4217 code.
    pub currency: String,
    /// For people: "$450", "₹18,000".
    pub display: String,
}

impl From<Money> for MoneyView {
    fn from(m: Money) -> Self {
        MoneyView {
            amount_minor: m.minor,
            currency: m.currency.code().into(),
            display: m.to_string(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OrgView {
    pub id: i64,
    /// employer | university
    pub kind: String,
    pub name: String,
    pub slug: String,
    pub website: Option<String>,
    pub country: String,
    pub description: String,
    pub verified: bool,
    /// Shown to the organization's own members only: colleagues join with it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub invite_code: Option<String>,
}

impl OrgView {
    pub fn new(o: &Organization, member: bool) -> Self {
        OrgView {
            id: o.id,
            kind: o.kind.as_str().into(),
            name: o.name.clone(),
            slug: o.slug.clone(),
            website: o.website.clone(),
            country: o.country.clone(),
            description: o.description.clone(),
            verified: o.verified,
            invite_code: member.then(|| o.invite_code.clone()),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ProjectView {
    pub id: i64,
    /// draft | open | filled | closed | completed | cancelled
    pub status: String,
    pub title: String,
    pub summary: String,
    pub brief: String,
    pub deliverables: String,
    pub acceptance_criteria: String,
    pub category: String,
    pub required_skills: Vec<String>,
    pub preferred_skills: Vec<String>,
    pub estimated_hours: u16,
    pub start_date: NaiveDate,
    pub due_date: NaiveDate,
    pub price: MoneyView,
    /// Price divided by estimated hours.
    pub effective_hourly_rate: MoneyView,
    /// remote | hybrid | in_person
    pub work_mode: String,
    pub location: Option<String>,
    pub slots: u16,
    pub application_deadline: NaiveDate,
    pub decision_by: NaiveDate,
    pub screening_question: Option<String>,
    pub for_credit: bool,
    pub blind_screening: bool,
    /// A placement's agreed hours a week; absent for a classic project.
    pub weekly_hours: Option<u16>,
    /// Students hired so far.
    pub hired: u16,
    pub organization: ProjectOrg,
    /// Arranged with this university for its students: only its confirmed
    /// students see the project and may apply; absent for everyone else's.
    pub restricted_to: Option<RestrictionView>,
    /// Only the students the organization invited see the project.
    pub invite_only: bool,
    pub created_at: DateTime<Utc>,
    pub published_at: Option<DateTime<Utc>>,
}

/// The university a project is arranged with.
#[derive(Debug, Serialize, ToSchema)]
pub struct RestrictionView {
    pub name: String,
    /// Its school page is `/u/{slug}`.
    pub slug: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ProjectOrg {
    pub id: i64,
    pub name: String,
    pub slug: String,
    pub verified: bool,
}

impl From<&Project> for ProjectView {
    fn from(p: &Project) -> Self {
        let i = &p.input;
        ProjectView {
            id: p.id,
            status: p.status.as_str().into(),
            title: i.title.clone(),
            summary: i.summary.clone(),
            brief: i.brief.clone(),
            deliverables: i.deliverables.clone(),
            acceptance_criteria: i.acceptance_criteria.clone(),
            category: i.category.clone(),
            required_skills: i.required_skills.clone(),
            preferred_skills: i.preferred_skills.clone(),
            estimated_hours: i.estimated_hours,
            start_date: i.start_date,
            due_date: i.due_date,
            price: i.price.into(),
            effective_hourly_rate: i.effective_hourly().into(),
            work_mode: i.work_mode.as_str().into(),
            location: i.location.clone(),
            slots: i.slots,
            application_deadline: i.application_deadline,
            decision_by: i.decision_by,
            screening_question: i.screening_question.clone(),
            for_credit: i.for_credit,
            blind_screening: i.blind_screening,
            weekly_hours: i.weekly_hours,
            hired: p.hired_count,
            organization: ProjectOrg {
                id: p.org_id,
                name: p.org_name.clone(),
                slug: p.org_slug.clone(),
                verified: p.org_verified,
            },
            restricted_to: p.restricted_to.as_ref().map(|r| RestrictionView {
                name: r.name.clone(),
                slug: r.slug.clone(),
            }),
            invite_only: p.invite_only,
            created_at: p.created_at,
            published_at: p.published_at,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ProjectCardView {
    pub id: i64,
    pub status: String,
    pub title: String,
    pub summary: String,
    pub category: String,
    pub required_skills: Vec<String>,
    pub estimated_hours: u16,
    pub price: MoneyView,
    pub effective_hourly_rate: MoneyView,
    pub work_mode: String,
    pub location: Option<String>,
    pub application_deadline: NaiveDate,
    pub start_date: NaiveDate,
    pub due_date: NaiveDate,
    pub for_credit: bool,
    pub organization: ProjectOrg,
    pub published_at: Option<DateTime<Utc>>,
    /// The signed-in student's match; absent for anyone else.
    #[serde(rename = "match", skip_serializing_if = "Option::is_none")]
    pub m: Option<super::discovery::MatchView>,
}

impl ProjectCardView {
    pub fn with_match(mut self, m: Option<&stint_domain::matching::Match>) -> Self {
        self.m = m.map(super::discovery::MatchView::from);
        self
    }
}

impl From<&ProjectCard> for ProjectCardView {
    fn from(c: &ProjectCard) -> Self {
        ProjectCardView {
            id: c.id,
            status: c.status.as_str().into(),
            title: c.title.clone(),
            summary: c.summary.clone(),
            category: c.category.clone(),
            required_skills: c.required_skills.clone(),
            estimated_hours: c.estimated_hours,
            price: c.price.into(),
            effective_hourly_rate: c.price.per_hour(c.estimated_hours).into(),
            work_mode: c.work_mode.as_str().into(),
            location: c.location.clone(),
            application_deadline: c.application_deadline,
            start_date: c.start_date,
            due_date: c.due_date,
            for_credit: c.for_credit,
            organization: ProjectOrg {
                id: c.org_id,
                name: c.org_name.clone(),
                slug: c.org_slug.clone(),
                verified: c.org_verified,
            },
            published_at: c.published_at,
            m: None,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ProjectList {
    pub items: Vec<ProjectCardView>,
    /// Matches across all pages, counted up to 1,000.
    pub total: i64,
    /// More than 1,000 match: `total` is a lower bound.
    pub total_is_lower_bound: bool,
    /// Pass as `cursor` for the next page; absent on the last page.
    pub next_cursor: Option<String>,
}

/// A project's content as a client sends it, to create or replace a draft.
/// A draft needs every required field in the right shape; publishing then
/// checks the rules in `POST /projects/{id}/publish`.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct ProjectRequest {
    #[schema(required = true, min_length = 5, max_length = 120)]
    pub title: String,
    /// One or two sentences shown in search results.
    #[schema(required = true, min_length = 20, max_length = 300)]
    pub summary: String,
    /// The work in full: at least 50 characters to publish.
    #[schema(max_length = 10000)]
    pub brief: String,
    /// Required to publish.
    #[schema(max_length = 4000)]
    pub deliverables: String,
    /// Required to publish.
    #[schema(max_length = 4000)]
    pub acceptance_criteria: String,
    #[schema(required = true, value_type = super::doc::CategorySlug)]
    pub category: String,
    /// At least one to publish.
    #[schema(value_type = Vec<super::doc::SkillSlug>, max_items = 12)]
    pub required_skills: Vec<String>,
    #[schema(value_type = Vec<super::doc::SkillSlug>, max_items = 12)]
    pub preferred_skills: Vec<String>,
    /// Whole hours of work (5–40 is typical; at most 80, or 240 for a
    /// placement with `weekly_hours`, as the weeks allow).
    #[schema(required = true, minimum = 1, maximum = 240)]
    pub estimated_hours: i64,
    #[schema(required = true, value_type = super::doc::IsoDate)]
    pub start_date: String,
    /// At most six weeks after the start date.
    #[schema(required = true, value_type = super::doc::IsoDate)]
    pub due_date: String,
    /// Price in minor units of `currency`; the hourly rate (price / hours)
    /// must clear the currency's floor to publish.
    #[schema(required = true, minimum = 1)]
    pub price_minor: i64,
    #[schema(required = true, value_type = super::doc::CurrencyCode)]
    pub currency: String,
    #[schema(required = true, value_type = super::doc::WorkModeName)]
    pub work_mode: String,
    /// Required for hybrid and in-person work.
    #[schema(max_length = 120)]
    pub location: Option<String>,
    /// Places: how many students can be hired.
    #[schema(required = true, minimum = 1, maximum = 50)]
    pub slots: i64,
    /// Not in the past, and within 90 days of publishing.
    #[schema(required = true, value_type = super::doc::IsoDate)]
    pub application_deadline: String,
    /// On or after the deadline, within 90 days of publishing; undecided
    /// applications close when it passes.
    #[schema(required = true, value_type = super::doc::IsoDate)]
    pub decision_by: String,
    #[schema(max_length = 300)]
    pub screening_question: Option<String>,
    pub for_credit: bool,
    /// Hide applicants' names, universities and links until shortlisted.
    pub blind_screening: bool,
    /// A placement's agreed hours a week (1–40): the project may then run
    /// past 80 hours, up to the hours a week times the weeks.
    #[schema(minimum = 1, maximum = 40)]
    pub weekly_hours: Option<i64>,
}

impl ProjectRequest {
    /// The same raw form the pages send, so both faces share one parser.
    pub fn to_form(&self) -> ProjectForm {
        let price = if self.price_minor <= 0 {
            self.price_minor.to_string()
        } else {
            format!("{}.{:02}", self.price_minor / 100, self.price_minor % 100)
        };
        ProjectForm {
            title: self.title.clone(),
            summary: self.summary.clone(),
            brief: self.brief.clone(),
            deliverables: self.deliverables.clone(),
            acceptance_criteria: self.acceptance_criteria.clone(),
            category: self.category.clone(),
            required_skills: self.required_skills.clone(),
            preferred_skills: self.preferred_skills.clone(),
            estimated_hours: self.estimated_hours.to_string(),
            start_date: self.start_date.clone(),
            due_date: self.due_date.clone(),
            price,
            currency: self.currency.clone(),
            work_mode: self.work_mode.clone(),
            location: self.location.clone().unwrap_or_default(),
            slots: self.slots.to_string(),
            application_deadline: self.application_deadline.clone(),
            decision_by: self.decision_by.clone(),
            screening_question: self.screening_question.clone().unwrap_or_default(),
            for_credit: self.for_credit,
            blind_screening: self.blind_screening,
            weekly_hours: self.weekly_hours.map(|w| w.to_string()).unwrap_or_default(),
        }
    }
}

/// How search results are ordered.
#[derive(ToSchema)]
#[schema(rename_all = "snake_case")]
#[allow(dead_code)]
pub enum SortName {
    Relevance,
    Newest,
    Price,
    Deadline,
}

/// Search parameters, shared with the `/projects` page.
#[derive(Debug, Default, Deserialize, Serialize, IntoParams, ToSchema)]
#[serde(default)]
#[into_params(parameter_in = Query)]
pub struct SearchQuery {
    /// Words to find in title, summary, brief and skills.
    pub q: Option<String>,
    /// Category slug.
    #[param(value_type = Option<super::doc::CategorySlug>)]
    #[schema(value_type = Option<super::doc::CategorySlug>)]
    pub category: Option<String>,
    /// Skill slug.
    #[param(value_type = Option<super::doc::SkillSlug>)]
    #[schema(value_type = Option<super::doc::SkillSlug>)]
    pub skill: Option<String>,
    /// Where the work happens.
    #[param(value_type = Option<super::doc::WorkModeName>)]
    #[schema(value_type = Option<super::doc::WorkModeName>)]
    pub mode: Option<String>,
    /// Part of the location, e.g. `Bengaluru`.
    #[param(max_length = 100)]
    #[schema(max_length = 100)]
    pub location: Option<String>,
    /// Only projects paid in this currency.
    #[param(value_type = Option<super::doc::CurrencyCode>)]
    #[schema(value_type = Option<super::doc::CurrencyCode>)]
    pub currency: Option<String>,
    /// Minimum price in whole units of `currency` (or US dollars, approximately, without one).
    #[param(value_type = Option<u32>)]
    #[schema(value_type = Option<u32>)]
    pub min_price: Option<String>,
    /// Most estimated hours, 1–80.
    #[param(value_type = Option<u16>, minimum = 1, maximum = 80)]
    #[schema(value_type = Option<u16>, minimum = 1, maximum = 80)]
    pub max_hours: Option<String>,
    /// Longest span from start to due date, in days (1–366).
    #[param(value_type = Option<u16>, minimum = 1, maximum = 366)]
    #[schema(value_type = Option<u16>, minimum = 1, maximum = 366)]
    pub max_days: Option<String>,
    /// `true` for projects eligible for academic credit.
    #[param(value_type = Option<bool>)]
    #[schema(value_type = Option<bool>)]
    pub for_credit: Option<String>,
    /// relevance (the default) | newest | price | deadline
    #[param(value_type = Option<SortName>)]
    #[schema(value_type = Option<SortName>)]
    pub sort: Option<String>,
    /// The previous page's `next_cursor`.
    pub cursor: Option<String>,
    /// 1–100, default 20.
    #[param(value_type = Option<u32>, minimum = 1, maximum = 100)]
    #[schema(value_type = Option<u32>, minimum = 1, maximum = 100)]
    pub limit: Option<String>,
}

impl SearchQuery {
    pub fn to_params(&self) -> stint_domain::search::SearchParams {
        let s = |o: &Option<String>| o.clone().unwrap_or_default();
        stint_domain::search::SearchParams {
            q: s(&self.q),
            category: s(&self.category),
            skill: s(&self.skill),
            mode: s(&self.mode),
            location: s(&self.location),
            currency: s(&self.currency),
            min_price: s(&self.min_price),
            max_hours: s(&self.max_hours),
            max_days: s(&self.max_days),
            for_credit: s(&self.for_credit),
            sort: s(&self.sort),
            cursor: s(&self.cursor),
            limit: s(&self.limit),
        }
    }
}

/// A student profile as the API sends and accepts it.
#[derive(Debug, Default, Serialize, Deserialize, ToSchema)]
#[serde(default)]
pub struct ProfileBody {
    #[schema(max_length = 120)]
    pub headline: Option<String>,
    /// A university organization's id.
    pub university_id: Option<i64>,
    #[schema(max_length = 120)]
    pub area_of_study: Option<String>,
    #[schema(max_length = 120)]
    pub degree: Option<String>,
    /// Within 60 years before and 8 after this year.
    pub graduation_year: Option<i32>,
    #[schema(value_type = Vec<super::doc::SkillSlug>, max_items = 20)]
    pub skills: Vec<String>,
    #[schema(max_length = 1000)]
    pub coursework: Option<String>,
    /// Hours a week, 1–60.
    #[schema(minimum = 1, maximum = 60)]
    pub availability_hours: Option<i32>,
    /// Categories of work the student wants.
    #[schema(value_type = Vec<super::doc::CategorySlug>)]
    pub interests: Vec<String>,
    #[schema(max_length = 120)]
    pub location: Option<String>,
    /// IANA name (Asia/Kolkata) or UTC offset (UTC+05:30).
    pub time_zone: Option<String>,
    /// An http(s) address.
    #[schema(max_length = 300)]
    pub portfolio_url: Option<String>,
    #[schema(max_length = 300)]
    pub linkedin_url: Option<String>,
    #[schema(max_length = 300)]
    pub github_url: Option<String>,
    #[schema(max_length = 2000)]
    pub bio: Option<String>,
}

impl ProfileBody {
    pub fn to_form(&self) -> ProfileForm {
        let s = |o: &Option<String>| o.clone().unwrap_or_default();
        let n = |o: Option<i64>| o.map(|v| v.to_string()).unwrap_or_default();
        ProfileForm {
            headline: s(&self.headline),
            university_id: n(self.university_id),
            area_of_study: s(&self.area_of_study),
            degree: s(&self.degree),
            graduation_year: n(self.graduation_year.map(i64::from)),
            skills: self.skills.clone(),
            coursework: s(&self.coursework),
            availability_hours: n(self.availability_hours.map(i64::from)),
            interests: self.interests.clone(),
            location: s(&self.location),
            time_zone: s(&self.time_zone),
            portfolio_url: s(&self.portfolio_url),
            linkedin_url: s(&self.linkedin_url),
            github_url: s(&self.github_url),
            bio: s(&self.bio),
        }
    }
}

impl From<&StudentProfile> for ProfileBody {
    fn from(p: &StudentProfile) -> Self {
        ProfileBody {
            headline: p.headline.clone(),
            university_id: p.university_id,
            area_of_study: p.area_of_study.clone(),
            degree: p.degree.clone(),
            graduation_year: p.graduation_year,
            skills: p.skills.clone(),
            coursework: p.coursework.clone(),
            availability_hours: p.availability_hours,
            interests: p.interests.clone(),
            location: p.location.clone(),
            time_zone: p.time_zone.clone(),
            portfolio_url: p.portfolio_url.clone(),
            linkedin_url: p.linkedin_url.clone(),
            github_url: p.github_url.clone(),
            bio: p.bio.clone(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ProfileView {
    #[serde(flatten)]
    pub profile: ProfileBody,
    /// 0–100.
    pub completeness: u8,
    /// What to add next, in words.
    pub missing: Vec<String>,
}
