//! Projects: what an employer posts, the rules a project must meet before
//! students can see it, and its state machine.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::money::{Currency, HourlyFloors, Money};
use crate::taxonomy::{parse_category, parse_skills};
use crate::text::{bounded, optional};
use crate::{FieldError, FieldErrors};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProjectStatus {
    Draft,
    Open,
    Filled,
    Closed,
    Completed,
    Cancelled,
}

impl ProjectStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            ProjectStatus::Draft => "draft",
            ProjectStatus::Open => "open",
            ProjectStatus::Filled => "filled",
            ProjectStatus::Closed => "closed",
            ProjectStatus::Completed => "completed",
            ProjectStatus::Cancelled => "cancelled",
        }
    }

    pub fn parse(raw: &str) -> Option<ProjectStatus> {
        Some(match raw {
            "draft" => ProjectStatus::Draft,
            "open" => ProjectStatus::Open,
            "filled" => ProjectStatus::Filled,
            "closed" => ProjectStatus::Closed,
            "completed" => ProjectStatus::Completed,
            "cancelled" => ProjectStatus::Cancelled,
            _ => return None,
        })
    }

    pub fn label(self) -> &'static str {
        match self {
            ProjectStatus::Draft => "Draft",
            ProjectStatus::Open => "Open",
            ProjectStatus::Filled => "Filled",
            ProjectStatus::Closed => "Closed",
            ProjectStatus::Completed => "Completed",
            ProjectStatus::Cancelled => "Cancelled",
        }
    }
}

/// What an employer member asks of a project.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProjectAction {
    Edit,
    Publish,
    Close,
    Cancel,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("A {} project cannot be {}.", .from.as_str(), .verb)]
pub struct TransitionError {
    pub from: ProjectStatus,
    pub verb: &'static str,
}

/// The project state machine: `draft → open → (filled | closed) → completed`,
/// or `cancelled`. Filled and completed are reached by the lifecycle (hiring,
/// delivery), not by these actions. Publishing has further rules: see
/// [`check_publish`].
pub fn transition(
    from: ProjectStatus,
    action: ProjectAction,
) -> Result<ProjectStatus, TransitionError> {
    use ProjectAction as A;
    use ProjectStatus as S;
    let verb = match action {
        A::Edit => "edited",
        A::Publish => "published",
        A::Close => "closed",
        A::Cancel => "cancelled",
    };
    match (from, action) {
        (S::Draft, A::Edit) => Ok(S::Draft),
        (S::Draft, A::Publish) => Ok(S::Open),
        (S::Open, A::Close) => Ok(S::Closed),
        (S::Draft | S::Open, A::Cancel) => Ok(S::Cancelled),
        _ => Err(TransitionError { from, verb }),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WorkMode {
    Remote,
    Hybrid,
    InPerson,
}

impl WorkMode {
    pub const ALL: [WorkMode; 3] = [WorkMode::Remote, WorkMode::Hybrid, WorkMode::InPerson];

    pub fn as_str(self) -> &'static str {
        match self {
            WorkMode::Remote => "remote",
            WorkMode::Hybrid => "hybrid",
            WorkMode::InPerson => "in_person",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            WorkMode::Remote => "Remote",
            WorkMode::Hybrid => "Hybrid",
            WorkMode::InPerson => "In person",
        }
    }

    pub fn parse(raw: &str) -> Result<WorkMode, FieldError> {
        match raw.trim() {
            "remote" => Ok(WorkMode::Remote),
            "hybrid" => Ok(WorkMode::Hybrid),
            "in_person" => Ok(WorkMode::InPerson),
            _ => Err(FieldError::new(
                "work_mode",
                "Choose remote, hybrid or in person.",
            )),
        }
    }
}

/// Hours a project may be estimated at.
pub const HOURS_MIN: u16 = 1;
/// The most hours of a classic micro-internship (no weekly hours agreed).
pub const HOURS_MAX: u16 = 80;
/// The most hours of a placement: six weeks at 40 hours a week.
pub const PLACEMENT_HOURS_MAX: u16 = 240;
/// Agreed hours a week of a placement.
pub const WEEKLY_HOURS_MAX: u16 = 40;
/// The typical range; outside it publishing warns but does not refuse.
pub const HOURS_TYPICAL: std::ops::RangeInclusive<u16> = 5..=40;
pub const MAX_SLOTS: u16 = 50;
pub const MAX_PROJECT_SKILLS: usize = 12;

/// A project's content as an employer wrote it, parsed. Drafts may leave the
/// brief, deliverables and acceptance criteria empty; publishing may not.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProjectInput {
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
    pub price: Money,
    pub work_mode: WorkMode,
    pub location: Option<String>,
    pub slots: u16,
    pub application_deadline: NaiveDate,
    pub decision_by: NaiveDate,
    pub screening_question: Option<String>,
    pub for_credit: bool,
    /// Hide applicants' names, universities and links until shortlisted.
    pub blind_screening: bool,
    /// A placement's agreed hours a week (then the project may run past
    /// [`HOURS_MAX`] hours, up to what the weeks hold).
    #[serde(default)]
    pub weekly_hours: Option<u16>,
}

/// Raw project fields, as a form or JSON body carries them.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ProjectForm {
    pub title: String,
    pub summary: String,
    pub brief: String,
    pub deliverables: String,
    pub acceptance_criteria: String,
    pub category: String,
    pub required_skills: Vec<String>,
    pub preferred_skills: Vec<String>,
    pub estimated_hours: String,
    pub start_date: String,
    pub due_date: String,
    pub price: String,
    pub currency: String,
    pub work_mode: String,
    pub location: String,
    pub slots: String,
    pub application_deadline: String,
    pub decision_by: String,
    pub screening_question: String,
    pub for_credit: bool,
    pub blind_screening: bool,
    /// Empty for a classic project; the agreed hours a week of a placement.
    pub weekly_hours: String,
}

fn parse_date(field: &'static str, label: &str, raw: &str) -> Result<NaiveDate, FieldError> {
    let s = raw.trim();
    if s.is_empty() {
        return Err(FieldError::new(field, format!("Enter the {label}.")));
    }
    let date = NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| {
        FieldError::new(
            field,
            format!("Enter the {label} as a date like 2026-03-01."),
        )
    })?;
    if !(EARLIEST_YEAR..=LATEST_YEAR).contains(&date.year()) {
        return Err(FieldError::new(
            field,
            format!("Enter the {label} as a date from {EARLIEST_YEAR} to {LATEST_YEAR}."),
        ));
    }
    Ok(date)
}

/// Dates a project may carry at all (publishing narrows them to the coming
/// weeks); outside these years a date is a typing mistake, not a plan.
pub const EARLIEST_YEAR: i32 = 2000;
pub const LATEST_YEAR: i32 = 2100;

fn parse_count(
    field: &'static str,
    raw: &str,
    min: u16,
    max: u16,
    message: String,
) -> Result<u16, FieldError> {
    match raw.trim().parse::<u16>() {
        Ok(v) if (min..=max).contains(&v) => Ok(v),
        _ => Err(FieldError::new(field, message)),
    }
}

impl ProjectForm {
    /// Parses the form into a project a draft can hold. Every field must have
    /// the right shape; the publishing rules are checked later.
    pub fn parse(&self) -> Result<ProjectInput, FieldErrors> {
        let mut e = FieldErrors::new();
        let title = e.take(bounded("title", "Title", &self.title, 5, 120));
        let summary = e.take(bounded("summary", "Summary", &self.summary, 20, 300));
        let brief = e.take(optional("brief", "Brief", &self.brief, 10_000));
        let deliverables = e.take(optional(
            "deliverables",
            "Deliverables",
            &self.deliverables,
            4_000,
        ));
        let acceptance = e.take(optional(
            "acceptance_criteria",
            "Acceptance criteria",
            &self.acceptance_criteria,
            4_000,
        ));
        let category = e.take(parse_category(&self.category));
        let required = e.take(parse_skills(
            "required_skills",
            self.required_skills.iter().map(String::as_str),
            MAX_PROJECT_SKILLS,
        ));
        let preferred = e.take(parse_skills(
            "preferred_skills",
            self.preferred_skills.iter().map(String::as_str),
            MAX_PROJECT_SKILLS,
        ));
        let weekly: Option<Option<u16>> = if self.weekly_hours.trim().is_empty() {
            Some(None)
        } else {
            e.take(parse_count(
                "weekly_hours",
                &self.weekly_hours,
                1,
                WEEKLY_HOURS_MAX,
                format!("Agree between 1 and {WEEKLY_HOURS_MAX} hours a week, or leave it empty."),
            ))
            .map(Some)
        };
        let hours = e.take(if matches!(weekly, Some(Some(_))) {
            parse_count(
                "estimated_hours",
                &self.estimated_hours,
                HOURS_MIN,
                PLACEMENT_HOURS_MAX,
                format!(
                    "Estimate the placement in whole hours from {HOURS_MIN} to {PLACEMENT_HOURS_MAX}."
                ),
            )
        } else {
            parse_count(
                "estimated_hours",
                &self.estimated_hours,
                HOURS_MIN,
                HOURS_MAX,
                format!(
                    "Estimate the work in whole hours from {HOURS_MIN} to {HOURS_MAX}; for a longer placement, also give the hours a week."
                ),
            )
        });
        let start = e.take(parse_date("start_date", "start date", &self.start_date));
        let due = e.take(parse_date("due_date", "due date", &self.due_date));
        let currency = e.take(self.currency.parse::<Currency>());
        let price = currency.and_then(|c| e.take(Money::parse("price", &self.price, c)));
        let mode = e.take(WorkMode::parse(&self.work_mode));
        let location = e.take(optional("location", "Location", &self.location, 120));
        let slots = e.take(parse_count(
            "slots",
            &self.slots,
            1,
            MAX_SLOTS,
            format!("Offer between 1 and {MAX_SLOTS} places."),
        ));
        let deadline = e.take(parse_date(
            "application_deadline",
            "application deadline",
            &self.application_deadline,
        ));
        let decision = e.take(parse_date(
            "decision_by",
            "decision-by date",
            &self.decision_by,
        ));
        let question = e.take(optional(
            "screening_question",
            "Screening question",
            &self.screening_question,
            300,
        ));
        if let (Some(mode), Some(None)) = (mode, &location)
            && mode != WorkMode::Remote
        {
            e.add(
                "location",
                "Say where the work happens for hybrid or in-person projects.",
            );
        }
        if let (Some(r), Some(p)) = (&required, &preferred)
            && let Some(dup) = p.iter().find(|s| r.contains(s))
        {
            e.add(
                "preferred_skills",
                format!("'{dup}' is already a required skill."),
            );
        }
        match (
            title,
            summary,
            brief,
            deliverables,
            acceptance,
            category,
            required,
            preferred,
            hours,
            start,
            due,
            price,
            mode,
            location,
            slots,
            deadline,
            decision,
            question,
            weekly,
        ) {
            (
                Some(title),
                Some(summary),
                Some(brief),
                Some(deliverables),
                Some(acceptance),
                Some(category),
                Some(required),
                Some(preferred),
                Some(hours),
                Some(start),
                Some(due),
                Some(price),
                Some(mode),
                Some(location),
                Some(slots),
                Some(deadline),
                Some(decision),
                Some(question),
                Some(weekly),
            ) if e.is_empty() => Ok(ProjectInput {
                title,
                summary,
                brief: brief.unwrap_or_default(),
                deliverables: deliverables.unwrap_or_default(),
                acceptance_criteria: acceptance.unwrap_or_default(),
                category: category.slug.to_string(),
                required_skills: required.into_iter().map(String::from).collect(),
                preferred_skills: preferred.into_iter().map(String::from).collect(),
                estimated_hours: hours,
                start_date: start,
                due_date: due,
                price,
                work_mode: mode,
                location,
                slots,
                application_deadline: deadline,
                decision_by: decision,
                screening_question: question,
                for_credit: self.for_credit,
                blind_screening: self.blind_screening,
                weekly_hours: weekly,
            }),
            _ => Err(e),
        }
    }
}

impl ProjectInput {
    pub fn effective_hourly(&self) -> Money {
        self.price.per_hour(self.estimated_hours)
    }

    pub fn duration_days(&self) -> i64 {
        (self.due_date - self.start_date).num_days()
    }

    /// Back to raw fields, to fill an edit form.
    pub fn to_form(&self) -> ProjectForm {
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
            start_date: self.start_date.to_string(),
            due_date: self.due_date.to_string(),
            price: self.price.plain(),
            currency: self.price.currency.code().to_string(),
            work_mode: self.work_mode.as_str().to_string(),
            location: self.location.clone().unwrap_or_default(),
            slots: self.slots.to_string(),
            application_deadline: self.application_deadline.to_string(),
            decision_by: self.decision_by.to_string(),
            screening_question: self.screening_question.clone().unwrap_or_default(),
            weekly_hours: self.weekly_hours.map(|w| w.to_string()).unwrap_or_default(),
            for_credit: self.for_credit,
            blind_screening: self.blind_screening,
        }
    }
}

/// Longest a micro-internship may run, start to due.
pub const MAX_DURATION_DAYS: i64 = 42;
/// Furthest ahead, from the day of publishing, that applications may close
/// and decisions be due: a decision-by date a year away promises nothing.
pub const MAX_DECISION_AHEAD_DAYS: i64 = 90;
/// Longest the work may wait after the decision-by date to start.
pub const MAX_START_AFTER_DECISION_DAYS: i64 = 30;

/// The outcome of a publish check that passed: warnings an employer should see.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct PublishWarnings(pub Vec<String>);

/// Instructions a category template put in the draft and nobody replaced:
/// the template's brief left in the brief, or its placeholders (a lone "N"
/// or "M") left in the deliverables or acceptance criteria.
pub fn template_leftovers(p: &ProjectInput) -> Vec<(&'static str, &'static str)> {
    let mut out = Vec::new();
    let brief = p.brief.trim();
    if crate::taxonomy::CATEGORIES
        .iter()
        .any(|c| brief.contains(c.template.brief.trim()))
    {
        out.push((
            "brief",
            "The brief still holds the template's instructions: replace them with your project's context and task.",
        ));
    }
    let placeholder = |text: &str| {
        text.split_whitespace()
            .map(|w| w.trim_matches(|c: char| matches!(c, ',' | '.' | ';' | ':' | '(' | ')')))
            .any(|w| w == "N" || w == "M")
    };
    if placeholder(&p.deliverables) {
        out.push((
            "deliverables",
            "The deliverables still hold the template's placeholders (N, M): put in the real numbers.",
        ));
    }
    if placeholder(&p.acceptance_criteria) {
        out.push((
            "acceptance_criteria",
            "The acceptance criteria still hold the template's placeholders (N, M): put in the real numbers.",
        ));
    }
    out
}

/// Checks every rule a project must meet to go live, and reports all that fail.
pub fn check_publish(
    p: &ProjectInput,
    org_verified: bool,
    floors: &HourlyFloors,
    today: NaiveDate,
) -> Result<PublishWarnings, FieldErrors> {
    let mut e = FieldErrors::new();
    let mut warnings = Vec::new();
    if !org_verified {
        e.add("organization", "Your organization must be verified by Stint before its projects go live. We review new organizations within one working day.");
    }
    if p.brief.trim().chars().count() < 50 {
        e.add(
            "brief",
            "Write a brief of at least 50 characters so students know what the work involves.",
        );
    }
    if p.deliverables.trim().is_empty() {
        e.add("deliverables", "List the deliverables before publishing.");
    }
    for (field, message) in template_leftovers(p) {
        e.add(field, message);
    }
    if p.acceptance_criteria.trim().is_empty() {
        e.add(
            "acceptance_criteria",
            "State the acceptance criteria before publishing.",
        );
    }
    if p.required_skills.is_empty() {
        e.add("required_skills", "Choose at least one required skill.");
    }
    if let Some(w) = p.weekly_hours {
        // A placement: the hours must fit the weeks at the agreed pace.
        let weeks = ((p.duration_days() + 1).max(1) + 6) / 7;
        let room = i64::from(w) * weeks;
        if i64::from(p.estimated_hours) > room || p.estimated_hours > PLACEMENT_HOURS_MAX {
            e.add(
                "estimated_hours",
                format!(
                    "{} hours do not fit in {weeks} week{} at {w} hours a week: at most {}.",
                    p.estimated_hours,
                    if weeks == 1 { "" } else { "s" },
                    room.min(i64::from(PLACEMENT_HOURS_MAX))
                ),
            );
        }
    } else if !(HOURS_MIN..=HOURS_MAX).contains(&p.estimated_hours) {
        e.add(
            "estimated_hours",
            format!(
                "Estimated hours must be between {HOURS_MIN} and {HOURS_MAX}; for a longer placement, give the agreed hours a week."
            ),
        );
    } else if !HOURS_TYPICAL.contains(&p.estimated_hours) {
        warnings.push(format!(
            "{} hours is outside the typical 5–40 hours for a micro-internship; check the estimate.",
            p.estimated_hours
        ));
    }
    if p.application_deadline < today {
        e.add(
            "application_deadline",
            "The application deadline has passed; choose a later date.",
        );
    }
    let horizon = today + chrono::Days::new(MAX_DECISION_AHEAD_DAYS as u64);
    if p.application_deadline > horizon {
        e.add(
            "application_deadline",
            format!("Close applications within {MAX_DECISION_AHEAD_DAYS} days of today, by {horizon} at the latest."),
        );
    }
    if p.decision_by > horizon {
        e.add(
            "decision_by",
            format!("Decide within {MAX_DECISION_AHEAD_DAYS} days of today, by {horizon} at the latest, so applicants are not kept waiting."),
        );
    }
    if p.decision_by < p.application_deadline {
        e.add(
            "decision_by",
            "Decide on or after the application deadline.",
        );
    }
    if p.start_date < p.decision_by {
        e.add("start_date", "Start on or after the decision-by date.");
    } else if (p.start_date - p.decision_by).num_days() > MAX_START_AFTER_DECISION_DAYS {
        e.add(
            "start_date",
            format!("Start the work within {MAX_START_AFTER_DECISION_DAYS} days of the decision-by date."),
        );
    }
    if p.due_date < p.start_date {
        e.add(
            "due_date",
            "The due date must be on or after the start date.",
        );
    } else if p.duration_days() > MAX_DURATION_DAYS {
        e.add(
            "due_date",
            format!(
                "A micro-internship runs at most {} weeks from start to due date.",
                MAX_DURATION_DAYS / 7
            ),
        );
    }
    let minimum = floors.minimum_price(p.price.currency, p.estimated_hours);
    if p.price.minor < minimum.minor {
        e.add(
            "price",
            format!(
                "{} for {} hours is {} an hour, below Stint's floor of {} an hour. Offer at least {}.",
                p.price,
                p.estimated_hours,
                p.effective_hourly(),
                floors.floor(p.price.currency),
                minimum
            ),
        );
    }
    if e.is_empty() {
        Ok(PublishWarnings(warnings))
    } else {
        Err(e)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap_or_default()
    }

    pub(crate) fn form() -> ProjectForm {
        ProjectForm {
            title: "Survey analysis for a climate start-up".into(),
            summary: "Analyse 500 customer survey responses and report the top themes.".into(),
            brief: "We ran a survey of 500 customers about our app. We need the open answers coded into themes and the scores summarised.".into(),
            deliverables: "- Coded dataset\n- 5-page report".into(),
            acceptance_criteria: "- Every response coded\n- Report cites counts".into(),
            category: "data-analysis".into(),
            required_skills: vec!["spreadsheets".into(), "statistics".into()],
            preferred_skills: vec!["python".into()],
            estimated_hours: "20".into(),
            start_date: "2026-12-10".into(),
            due_date: "2026-12-24".into(),
            price: "400".into(),
            currency: "USD".into(),
            work_mode: "remote".into(),
            location: "".into(),
            slots: "1".into(),
            application_deadline: "2026-12-01".into(),
            decision_by: "2026-12-05".into(),
            screening_question: "Which tool would you use and why?".into(),
            for_credit: true,
            blind_screening: false,
            weekly_hours: String::new(),
        }
    }

    fn input() -> ProjectInput {
        form().parse().unwrap_or_else(|e| panic!("{e}"))
    }

    const TODAY: &str = "2026-11-22";

    #[test]
    fn a_placement_runs_past_80_hours_at_its_weekly_hours() {
        // Four weeks at 30 hours a week: 120 hours.
        let mut f = form();
        f.start_date = "2026-12-07".into();
        f.due_date = "2027-01-03".into();
        f.estimated_hours = "120".into();
        f.price = "2400".into();
        let e = f.parse().err().unwrap_or_default();
        assert!(
            e.get("estimated_hours")
                .is_some_and(|m| m.contains("hours a week")),
            "a classic project stops at 80: {e}"
        );
        f.weekly_hours = "30".into();
        let p = f.parse().unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(p.weekly_hours, Some(30));
        let ok = check_publish(&p, true, &HourlyFloors::default(), d(TODAY));
        assert_eq!(
            ok,
            Ok(PublishWarnings::default()),
            "no 5–40 warning for a placement"
        );
        // More than the weeks hold at that pace is refused.
        f.weekly_hours = "20".into();
        let p = f.parse().unwrap_or_else(|e| panic!("{e}"));
        let e = check_publish(&p, true, &HourlyFloors::default(), d(TODAY))
            .err()
            .unwrap_or_default();
        assert!(
            e.get("estimated_hours")
                .is_some_and(|m| m.contains("do not fit in 4 weeks at 20 hours a week: at most 80")),
            "{e}"
        );
        f.weekly_hours = "41".into();
        assert!(
            f.parse()
                .err()
                .unwrap_or_default()
                .get("weekly_hours")
                .is_some()
        );
        f.weekly_hours = "30".into();
        f.estimated_hours = "241".into();
        assert!(
            f.parse()
                .err()
                .unwrap_or_default()
                .get("estimated_hours")
                .is_some()
        );
        // It survives the round trip through the edit form.
        assert_eq!(p.to_form().weekly_hours, "20");
    }

    #[test]
    fn template_instructions_left_in_are_caught_before_publishing() {
        let t = crate::taxonomy::category("content-writing")
            .map(|c| c.template)
            .unwrap_or_else(|| panic!("no template"));
        let mut f = form();
        f.brief = format!("{}\nOur shop sells tea.", t.brief);
        f.deliverables = t.deliverables.into();
        f.acceptance_criteria = "- N sessions completed".into();
        let p = f.parse().unwrap_or_else(|e| panic!("{e}"));
        let e = check_publish(&p, true, &HourlyFloors::default(), d(TODAY))
            .err()
            .unwrap_or_default();
        for field in ["brief", "deliverables", "acceptance_criteria"] {
            assert!(
                e.get(field).is_some_and(|m| m.contains("template")),
                "{field}: {e}"
            );
        }
        // Real numbers and ordinary capitals are fine.
        let mut f = form();
        f.deliverables = "- 5 articles of about 800 words\n- A note on M&A trends in NYC".into();
        let p = f.parse().unwrap_or_else(|e| panic!("{e}"));
        assert!(template_leftovers(&p).is_empty());
    }

    #[test]
    fn a_good_project_publishes() {
        assert_eq!(
            check_publish(&input(), true, &HourlyFloors::default(), d(TODAY)),
            Ok(PublishWarnings::default())
        );
    }

    #[test]
    fn form_parse_reports_every_bad_field() {
        let f = ProjectForm {
            for_credit: false,
            ..ProjectForm::default()
        };
        let e = f.parse().err().unwrap_or_default();
        for field in [
            "title",
            "summary",
            "category",
            "estimated_hours",
            "start_date",
            "due_date",
            "currency",
            "work_mode",
            "slots",
            "application_deadline",
            "decision_by",
        ] {
            assert!(e.get(field).is_some(), "{field}: {e}");
        }
        let mut f = form();
        f.work_mode = "hybrid".into();
        f.preferred_skills = vec!["statistics".into()];
        f.estimated_hours = "81".into();
        f.start_date = "2026-13-01".into();
        let e = f.parse().err().unwrap_or_default();
        for field in [
            "location",
            "preferred_skills",
            "estimated_hours",
            "start_date",
        ] {
            assert!(e.get(field).is_some(), "{field}: {e}");
        }
        for extreme in [
            "-4714-01-01",
            "-262143-01-01",
            "+262142-12-31",
            "1899-12-31",
            "2101-01-01",
        ] {
            let mut f = form();
            f.start_date = extreme.into();
            f.decision_by = extreme.into();
            let e = f.parse().err().unwrap_or_default();
            assert!(
                e.get("start_date").is_some() && e.get("decision_by").is_some(),
                "{extreme}: {e}"
            );
        }
    }

    #[test]
    fn publishing_names_each_broken_rule() {
        let mut p = input();
        p.deliverables.clear();
        p.acceptance_criteria.clear();
        p.brief = "short".into();
        p.required_skills.clear();
        p.application_deadline = d("2026-11-01");
        p.decision_by = d("2026-10-01");
        p.due_date = d("2026-12-01");
        p.price = Money::new(10_000, Currency::Usd);
        let e = check_publish(&p, false, &HourlyFloors::default(), d(TODAY))
            .err()
            .unwrap_or_default();
        for field in [
            "organization",
            "brief",
            "deliverables",
            "acceptance_criteria",
            "required_skills",
            "application_deadline",
            "decision_by",
            "due_date",
            "price",
        ] {
            assert!(e.get(field).is_some(), "{field}: {e}");
        }
        assert!(e.get("price").unwrap_or("").contains("$5 an hour"), "{e}");
    }

    #[test]
    fn date_order_is_deadline_decision_start_due() {
        let mut p = input();
        p.start_date = d("2026-12-04");
        let e = check_publish(&p, true, &HourlyFloors::default(), d(TODAY))
            .err()
            .unwrap_or_default();
        assert_eq!(e.0.len(), 1);
        assert!(e.get("start_date").is_some());
        p.start_date = d("2026-12-05");
        p.due_date = d("2026-12-05");
        assert!(check_publish(&p, true, &HourlyFloors::default(), d(TODAY)).is_ok());
        p.due_date = d("2027-01-30");
        assert!(check_publish(&p, true, &HourlyFloors::default(), d(TODAY)).is_err());
    }

    #[test]
    fn atypical_hours_warn() {
        let mut p = input();
        p.estimated_hours = 60;
        p.price = Money::new(100_000, Currency::Usd);
        let w = check_publish(&p, true, &HourlyFloors::default(), d(TODAY)).unwrap_or_default();
        assert_eq!(w.0.len(), 1);
    }

    #[test]
    fn state_machine() {
        use ProjectAction::*;
        use ProjectStatus::*;
        assert_eq!(transition(Draft, Publish), Ok(Open));
        assert_eq!(transition(Draft, Edit), Ok(Draft));
        assert_eq!(transition(Open, Close), Ok(Closed));
        assert_eq!(transition(Open, Cancel), Ok(Cancelled));
        assert_eq!(transition(Draft, Cancel), Ok(Cancelled));
        for s in [Open, Filled, Closed, Completed, Cancelled] {
            assert!(transition(s, Publish).is_err());
            assert!(transition(s, Edit).is_err());
        }
        for s in [Draft, Filled, Closed, Completed, Cancelled] {
            assert!(transition(s, Close).is_err());
        }
        for s in [Filled, Closed, Completed, Cancelled] {
            assert!(transition(s, Cancel).is_err());
        }
        assert_eq!(
            transition(Closed, Publish).map_err(|e| e.to_string()),
            Err("A closed project cannot be published.".into())
        );
    }

    #[test]
    fn form_round_trips() {
        assert_eq!(input().to_form().parse(), Ok(input()));
    }

    proptest! {
        /// The floor rule agrees with the effective hourly rate for any price
        /// and hours: a project passes the price rule exactly when price ≥
        /// floor × hours.
        #[test]
        fn price_rule_matches_floor(minor in 1i64..2_000_000, hours in 1u16..=80, cur in 0usize..4) {
            let mut p = input();
            p.price = Money::new(minor, Currency::ALL[cur]);
            p.estimated_hours = hours;
            let floors = HourlyFloors::default();
            let ok = check_publish(&p, true, &floors, d(TODAY)).err().is_none_or(|e| e.get("price").is_none());
            prop_assert_eq!(ok, minor >= floors.floor(Currency::ALL[cur]).minor * i64::from(hours));
        }

        /// Dates far from today never publish: deadlines and decisions are
        /// due within 90 days, and the work starts within 30 days after.
        #[test]
        fn far_dates_do_not_publish(extra in 1i64..3000) {
            let today = d(TODAY);
            let mut p = input();
            p.application_deadline = today + chrono::Days::new((MAX_DECISION_AHEAD_DAYS + extra) as u64);
            p.decision_by = p.application_deadline;
            p.start_date = p.decision_by;
            p.due_date = p.start_date;
            let e = check_publish(&p, true, &HourlyFloors::default(), today).err().unwrap_or_default();
            prop_assert!(e.get("application_deadline").is_some() && e.get("decision_by").is_some());
            let mut p = input();
            p.start_date = p.decision_by + chrono::Days::new((MAX_START_AFTER_DECISION_DAYS + extra) as u64);
            p.due_date = p.start_date;
            let e = check_publish(&p, true, &HourlyFloors::default(), today).err().unwrap_or_default();
            prop_assert!(e.get("start_date").is_some());
        }

        /// Any dates in order with a deadline not in the past and at most six
        /// weeks of work pass the date rules; any swap of neighbours fails.
        #[test]
        fn ordered_dates_pass(a in 0i64..60, b in 0i64..20, c in 0i64..20, dd in 0i64..=42) {
            let today = d(TODAY);
            let mut p = input();
            p.application_deadline = today + chrono::Days::new(a as u64);
            p.decision_by = p.application_deadline + chrono::Days::new(b as u64);
            p.start_date = p.decision_by + chrono::Days::new(c as u64);
            p.due_date = p.start_date + chrono::Days::new(dd as u64);
            prop_assert!(check_publish(&p, true, &HourlyFloors::default(), today).is_ok());
            if b > 0 {
                std::mem::swap(&mut p.application_deadline, &mut p.decision_by);
                prop_assert!(check_publish(&p, true, &HourlyFloors::default(), today).is_err());
            }
        }

        /// Parsing never panics on arbitrary text.
        #[test]
        fn parse_never_panics(s in ".{0,40}") {
            let mut f = form();
            f.price = s.clone();
            f.estimated_hours = s.clone();
            f.start_date = s;
            let _ = f.parse();
        }
    }
}
