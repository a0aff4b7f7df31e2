//! Academic credit for a micro-internship: one loop for every university.
//! A student asks for credit on a project they are hired or shortlisted for,
//! drafts a learning agreement, the employer acknowledges it and a faculty
//! supervisor approves it; the student logs hours, writes a reflection after
//! approval, and the supervisor signs off. The states and who may move them
//! live here.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::text::bounded;
use crate::{FieldError, FieldErrors};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CreditStatus {
    /// The student is writing the learning agreement.
    Draft,
    /// Sent: waiting for the employer's acknowledgement and the supervisor's approval.
    Submitted,
    /// The supervisor sent the agreement back with comments.
    Returned,
    /// Approved: the student logs hours while working.
    Active,
    /// The reflection is in; the supervisor signs off.
    Reflected,
    /// Signed off with a result.
    SignedOff,
    /// The student withdrew the request.
    Withdrawn,
    /// The engagement was cancelled or disputed, or the application closed.
    Ended,
}

impl CreditStatus {
    pub const ALL: [CreditStatus; 8] = [
        CreditStatus::Draft,
        CreditStatus::Submitted,
        CreditStatus::Returned,
        CreditStatus::Active,
        CreditStatus::Reflected,
        CreditStatus::SignedOff,
        CreditStatus::Withdrawn,
        CreditStatus::Ended,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            CreditStatus::Draft => "draft",
            CreditStatus::Submitted => "submitted",
            CreditStatus::Returned => "returned",
            CreditStatus::Active => "active",
            CreditStatus::Reflected => "reflected",
            CreditStatus::SignedOff => "signed_off",
            CreditStatus::Withdrawn => "withdrawn",
            CreditStatus::Ended => "ended",
        }
    }

    pub fn parse(raw: &str) -> Option<CreditStatus> {
        CreditStatus::ALL.into_iter().find(|s| s.as_str() == raw)
    }

    pub fn label(self) -> &'static str {
        match self {
            CreditStatus::Draft => "Agreement in draft",
            CreditStatus::Submitted => "Agreement sent",
            CreditStatus::Returned => "Agreement returned",
            CreditStatus::Active => "Logging hours",
            CreditStatus::Reflected => "Awaiting sign-off",
            CreditStatus::SignedOff => "Signed off",
            CreditStatus::Withdrawn => "Withdrawn",
            CreditStatus::Ended => "Ended",
        }
    }

    pub fn is_final(self) -> bool {
        matches!(
            self,
            CreditStatus::SignedOff | CreditStatus::Withdrawn | CreditStatus::Ended
        )
    }
}

/// Who acts on a credit request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CreditActor {
    Student,
    Employer,
    Faculty,
    /// Stint itself, when the engagement ends.
    System,
}

/// Everything that moves a credit request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CreditAction {
    /// The student sends the agreement (again, after a return).
    Submit,
    /// The employer acknowledges the agreement; it does not change the brief.
    Acknowledge,
    /// The supervisor approves the agreement.
    Approve,
    /// The supervisor sends it back with comments.
    Return,
    /// The student logs hours.
    LogHours,
    /// The student hands in the reflection, once the work is approved.
    Reflect,
    /// The supervisor signs off with a result.
    SignOff,
    Withdraw,
    /// The engagement was cancelled or disputed, or the application closed.
    End,
}

/// Facts outside the request that some moves depend on.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CreditFacts {
    pub employer_acknowledged: bool,
    /// The employer approved the work (the engagement is approved or paid).
    pub work_approved: bool,
    /// Hours are logged.
    pub hours_logged: bool,
}

impl CreditAction {
    pub fn actor(self) -> CreditActor {
        match self {
            CreditAction::Submit
            | CreditAction::LogHours
            | CreditAction::Reflect
            | CreditAction::Withdraw => CreditActor::Student,
            CreditAction::Acknowledge => CreditActor::Employer,
            CreditAction::Approve | CreditAction::Return | CreditAction::SignOff => {
                CreditActor::Faculty
            }
            CreditAction::End => CreditActor::System,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            CreditAction::Submit => "submit",
            CreditAction::Acknowledge => "acknowledge",
            CreditAction::Approve => "approve",
            CreditAction::Return => "return",
            CreditAction::LogHours => "log_hours",
            CreditAction::Reflect => "reflect",
            CreditAction::SignOff => "sign_off",
            CreditAction::Withdraw => "withdraw",
            CreditAction::End => "end",
        }
    }
}

/// Where `action` by `actor` takes a request in `from`, or why it cannot.
/// Acknowledging and logging hours keep the status.
pub fn transition(
    from: CreditStatus,
    action: CreditAction,
    actor: CreditActor,
    facts: CreditFacts,
) -> Result<CreditStatus, &'static str> {
    use CreditStatus::*;
    if action.actor() != actor {
        return Err(match action.actor() {
            CreditActor::Student => "Only the student can do this.",
            CreditActor::Employer => "Only the employer can acknowledge the agreement.",
            CreditActor::Faculty => "Only the faculty supervisor can do this.",
            CreditActor::System => "Stint ends a request when its engagement ends.",
        });
    }
    if from.is_final() {
        return Err("This credit request is closed.");
    }
    match (action, from) {
        (CreditAction::Submit, Draft | Returned) => Ok(Submitted),
        (CreditAction::Submit, _) => Err("The agreement is already sent."),
        (CreditAction::Acknowledge, Submitted | Active) => Ok(from),
        (CreditAction::Acknowledge, _) => Err("There is no agreement to acknowledge yet."),
        (CreditAction::Approve, Submitted) if facts.employer_acknowledged => Ok(Active),
        (CreditAction::Approve, Submitted) => {
            Err("Wait for the employer to acknowledge the agreement before approving it.")
        }
        (CreditAction::Return, Submitted) => Ok(Returned),
        (CreditAction::Approve | CreditAction::Return, _) => {
            Err("Only a sent agreement can be approved or returned.")
        }
        (CreditAction::LogHours, Active) => Ok(Active),
        (CreditAction::LogHours, _) => {
            Err("Hours are logged once the supervisor approves the agreement.")
        }
        (CreditAction::Reflect, Active) if !facts.work_approved => {
            Err("Write the reflection after the employer approves your work.")
        }
        (CreditAction::Reflect, Active) if !facts.hours_logged => {
            Err("Log the hours you worked before writing the reflection.")
        }
        (CreditAction::Reflect, Active) => Ok(Reflected),
        (CreditAction::Reflect, _) => Err("The reflection comes after the agreement is approved."),
        (CreditAction::SignOff, Reflected) => Ok(SignedOff),
        (CreditAction::SignOff, _) => Err("Sign-off comes after the student's reflection."),
        (CreditAction::Withdraw, _) => Ok(Withdrawn),
        (CreditAction::End, _) => Ok(Ended),
    }
}

pub const GOALS_MIN: usize = 2;
pub const GOALS_MAX: usize = 5;

/// The course the credit counts for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Course {
    pub code: String,
    pub title: String,
    /// In tenths of a credit (7.5 ECTS = 75).
    pub credits_tenths: i32,
}

/// "7.5" → 75; credits from 0.5 to 60.
pub fn parse_credits(raw: &str) -> Result<i32, FieldError> {
    let bad = || {
        FieldError::new(
            "credits",
            "Enter the course's credits as a number from 0.5 to 60, such as 3 or 7.5.",
        )
    };
    let s = raw.trim();
    let (whole, frac) = s.split_once('.').unwrap_or((s, "0"));
    if whole.is_empty()
        || whole.len() > 2
        || frac.len() != 1
        || !whole.bytes().all(|b| b.is_ascii_digit())
        || !frac.bytes().all(|b| b.is_ascii_digit())
    {
        return Err(bad());
    }
    let v =
        whole.parse::<i32>().map_err(|_| bad())? * 10 + frac.parse::<i32>().map_err(|_| bad())?;
    if (5..=600).contains(&v) {
        Ok(v)
    } else {
        Err(bad())
    }
}

/// 75 → "7.5", 30 → "3".
pub fn credits_text(tenths: i32) -> String {
    if tenths % 10 == 0 {
        (tenths / 10).to_string()
    } else {
        format!("{}.{}", tenths / 10, tenths % 10)
    }
}

impl Course {
    pub fn parse(code: &str, title: &str, credits: &str) -> Result<Course, FieldErrors> {
        let mut e = FieldErrors::new();
        let code = e.take(course_code(code));
        let title = e.take(bounded("course_title", "The course title", title, 3, 120));
        let credits = e.take(parse_credits(credits));
        match (code, title, credits) {
            (Some(code), Some(title), Some(credits_tenths)) if e.is_empty() => Ok(Course {
                code,
                title,
                credits_tenths,
            }),
            _ => Err(e),
        }
    }
}

fn course_code(raw: &str) -> Result<String, FieldError> {
    let s = raw.trim().to_ascii_uppercase();
    let ok = (2..=20).contains(&s.len())
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || " -./".contains(c))
        && s.chars().any(|c| c.is_ascii_alphanumeric());
    if ok {
        Ok(s)
    } else {
        Err(FieldError::new(
            "course_code",
            "Enter the course code as your university writes it, such as ECON 390 or BUS-4001 (2 to 20 letters, digits, spaces, dashes, dots or slashes).",
        ))
    }
}

/// The learning agreement the student drafts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Agreement {
    pub goals: Vec<String>,
    pub expected_hours: i32,
    pub assessment: String,
}

impl Agreement {
    /// Goals one per line (a leading "- " is dropped); 2–5 goals of 10–200
    /// characters; hours 1–400; how it is assessed, 20–1,000 characters.
    pub fn parse(goals: &str, hours: &str, assessment: &str) -> Result<Agreement, FieldErrors> {
        let mut e = FieldErrors::new();
        let list: Vec<String> = goals
            .lines()
            .map(|l| l.trim().trim_start_matches("- ").trim().to_string())
            .filter(|l| !l.is_empty())
            .collect();
        if !(GOALS_MIN..=GOALS_MAX).contains(&list.len()) {
            e.add(
                "goals",
                format!(
                    "Write {GOALS_MIN} to {GOALS_MAX} learning goals, one per line (you wrote {}).",
                    list.len()
                ),
            );
        } else if let Some(bad) = list
            .iter()
            .find(|g| !(10..=200).contains(&g.chars().count()))
        {
            e.add(
                "goals",
                format!(
                    "Each goal has 10 to 200 characters; “{}” does not.",
                    bad.chars().take(40).collect::<String>()
                ),
            );
        }
        let expected_hours = match hours.trim().parse::<i32>() {
            Ok(h) if (1..=400).contains(&h) => Some(h),
            _ => {
                e.add(
                    "expected_hours",
                    "Enter the hours you expect to work, from 1 to 400.",
                );
                None
            }
        };
        let assessment = e.take(bounded(
            "assessment",
            "How it will be assessed",
            assessment,
            20,
            1000,
        ));
        match (expected_hours, assessment) {
            (Some(expected_hours), Some(assessment)) if e.is_empty() => Ok(Agreement {
                goals: list,
                expected_hours,
                assessment,
            }),
            _ => Err(e),
        }
    }
}

/// One line of the hours log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HoursEntry {
    pub day: NaiveDate,
    /// In quarter hours (1.25 h = 5).
    pub quarters: i32,
    pub note: String,
}

impl HoursEntry {
    /// A day no later than `today` and not before `earliest`; 0.25 to 16
    /// hours in quarter hours; what was done, 5–500 characters.
    pub fn parse(
        day: &str,
        hours: &str,
        note: &str,
        earliest: NaiveDate,
        today: NaiveDate,
    ) -> Result<HoursEntry, FieldErrors> {
        let mut e = FieldErrors::new();
        let day = match NaiveDate::parse_from_str(day.trim(), "%Y-%m-%d") {
            Ok(d) if d > today => {
                e.add("day", "Log hours for today or an earlier day.");
                None
            }
            Ok(d) if d < earliest => {
                e.add(
                    "day",
                    format!("Log hours from {earliest} on, when you were hired."),
                );
                None
            }
            Ok(d) => Some(d),
            Err(_) => {
                e.add("day", "Enter the day as YYYY-MM-DD.");
                None
            }
        };
        let quarters = match hours.trim().parse::<f64>() {
            Ok(h) if h.is_finite() && (0.25..=16.0).contains(&h) && (h * 4.0).fract() == 0.0 => {
                Some((h * 4.0) as i32)
            }
            _ => {
                e.add(
                    "hours",
                    "Enter hours from 0.25 to 16, in quarter hours (such as 1.5 or 2.25).",
                );
                None
            }
        };
        let note = e.take(bounded("note", "What you did", note, 5, 500));
        match (day, quarters, note) {
            (Some(day), Some(quarters), Some(note)) if e.is_empty() => Ok(HoursEntry {
                day,
                quarters,
                note,
            }),
            _ => Err(e),
        }
    }
}

/// "1.25" from 5 quarter hours.
pub fn hours_text(quarters: i64) -> String {
    let whole = quarters / 4;
    match quarters % 4 {
        0 => whole.to_string(),
        1 => format!("{whole}.25"),
        2 => format!("{whole}.5"),
        _ => format!("{whole}.75"),
    }
}

/// The reflection's fixed prompts.
pub const REFLECTION_PROMPTS: [(&str, &str); 4] = [
    ("did", "What I did"),
    ("learnt", "What I learnt, against each goal"),
    ("skills", "Skills I used"),
    ("differently", "What I would do differently"),
];

/// The reflection, one answer per prompt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reflection {
    pub did: String,
    pub learnt: String,
    pub skills: String,
    pub differently: String,
}

impl Reflection {
    /// Each answer 50–3,000 characters ("what I learnt" up to 5,000), and
    /// 300–12,000 in all.
    pub fn parse(
        did: &str,
        learnt: &str,
        skills: &str,
        differently: &str,
    ) -> Result<Reflection, FieldErrors> {
        let mut e = FieldErrors::new();
        let did = e.take(bounded("did", "What you did", did, 50, 3000));
        let learnt = e.take(bounded("learnt", "What you learnt", learnt, 50, 5000));
        let skills = e.take(bounded("skills", "The skills you used", skills, 20, 3000));
        let differently = e.take(bounded(
            "differently",
            "What you would do differently",
            differently,
            50,
            3000,
        ));
        let (Some(did), Some(learnt), Some(skills), Some(differently)) =
            (did, learnt, skills, differently)
        else {
            return Err(e);
        };
        let total = [&did, &learnt, &skills, &differently]
            .iter()
            .map(|s| s.chars().count())
            .sum::<usize>();
        if total < 300 {
            e.add(
                "did",
                format!("The reflection has {total} characters; write at least 300 in all."),
            );
            return Err(e);
        }
        Ok(Reflection {
            did,
            learnt,
            skills,
            differently,
        })
    }
}

/// The supervisor's result: pass, fail, or a grade on the university's scale.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CreditResult {
    Pass,
    Fail,
    Grade(String),
}

impl CreditResult {
    pub fn parse(result: &str, grade: &str) -> Result<CreditResult, FieldError> {
        match result.trim() {
            "pass" => Ok(CreditResult::Pass),
            "fail" => Ok(CreditResult::Fail),
            "grade" => {
                let g = grade.trim();
                if (1..=12).contains(&g.chars().count())
                    && g.chars()
                        .all(|c| c.is_alphanumeric() || " +-./:%".contains(c))
                {
                    Ok(CreditResult::Grade(g.to_string()))
                } else {
                    Err(FieldError::new(
                        "grade",
                        "Enter the grade as your university writes it, such as A-, 72 or 2:1 (1 to 12 characters).",
                    ))
                }
            }
            _ => Err(FieldError::new("result", "Choose pass, fail or a grade.")),
        }
    }

    /// What the registrar sees: "Pass", "Fail" or the grade.
    pub fn text(&self) -> String {
        match self {
            CreditResult::Pass => "Pass".into(),
            CreditResult::Fail => "Fail".into(),
            CreditResult::Grade(g) => g.clone(),
        }
    }

    /// Stored as "pass", "fail" or "grade:<grade>".
    pub fn stored(&self) -> String {
        match self {
            CreditResult::Pass => "pass".into(),
            CreditResult::Fail => "fail".into(),
            CreditResult::Grade(g) => format!("grade:{g}"),
        }
    }

    pub fn from_stored(raw: &str) -> Option<CreditResult> {
        match raw {
            "pass" => Some(CreditResult::Pass),
            "fail" => Some(CreditResult::Fail),
            g => g
                .strip_prefix("grade:")
                .map(|g| CreditResult::Grade(g.into())),
        }
    }

    /// Credit is granted unless failed.
    pub fn granted(&self) -> bool {
        *self != CreditResult::Fail
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use CreditAction as A;
    use CreditActor as By;
    use CreditStatus as S;

    fn facts(ack: bool, approved: bool, hours: bool) -> CreditFacts {
        CreditFacts {
            employer_acknowledged: ack,
            work_approved: approved,
            hours_logged: hours,
        }
    }

    #[test]
    fn the_loop_runs_in_order() {
        let f = facts(true, true, true);
        assert_eq!(
            transition(S::Draft, A::Submit, By::Student, f),
            Ok(S::Submitted)
        );
        assert_eq!(
            transition(S::Submitted, A::Acknowledge, By::Employer, f),
            Ok(S::Submitted)
        );
        assert_eq!(
            transition(S::Submitted, A::Return, By::Faculty, f),
            Ok(S::Returned)
        );
        assert_eq!(
            transition(S::Returned, A::Submit, By::Student, f),
            Ok(S::Submitted)
        );
        assert_eq!(
            transition(S::Submitted, A::Approve, By::Faculty, f),
            Ok(S::Active)
        );
        assert_eq!(
            transition(S::Active, A::LogHours, By::Student, f),
            Ok(S::Active)
        );
        assert_eq!(
            transition(S::Active, A::Reflect, By::Student, f),
            Ok(S::Reflected)
        );
        assert_eq!(
            transition(S::Reflected, A::SignOff, By::Faculty, f),
            Ok(S::SignedOff)
        );
    }

    #[test]
    fn each_move_belongs_to_one_actor() {
        let f = facts(true, true, true);
        assert!(transition(S::Draft, A::Submit, By::Faculty, f).is_err());
        assert!(transition(S::Submitted, A::Approve, By::Student, f).is_err());
        assert!(transition(S::Submitted, A::Approve, By::Employer, f).is_err());
        assert!(transition(S::Submitted, A::Acknowledge, By::Faculty, f).is_err());
        assert!(transition(S::Reflected, A::SignOff, By::Employer, f).is_err());
        assert!(transition(S::Active, A::End, By::Student, f).is_err());
    }

    #[test]
    fn steps_wait_for_what_they_need() {
        assert!(
            transition(
                S::Submitted,
                A::Approve,
                By::Faculty,
                facts(false, false, false)
            )
            .is_err()
        );
        assert!(transition(S::Active, A::Reflect, By::Student, facts(true, false, true)).is_err());
        assert!(transition(S::Active, A::Reflect, By::Student, facts(true, true, false)).is_err());
        assert!(transition(S::Draft, A::LogHours, By::Student, facts(true, true, true)).is_err());
        assert!(transition(S::Active, A::SignOff, By::Faculty, facts(true, true, true)).is_err());
        assert!(
            transition(
                S::Draft,
                A::Acknowledge,
                By::Employer,
                facts(false, false, false)
            )
            .is_err()
        );
    }

    #[test]
    fn closed_requests_stay_closed() {
        let f = facts(true, true, true);
        for s in [S::SignedOff, S::Withdrawn, S::Ended] {
            for (a, by) in [
                (A::Submit, By::Student),
                (A::Withdraw, By::Student),
                (A::End, By::System),
                (A::SignOff, By::Faculty),
            ] {
                assert!(transition(s, a, by, f).is_err(), "{s:?} {a:?}");
            }
        }
        assert_eq!(transition(S::Active, A::End, By::System, f), Ok(S::Ended));
        assert_eq!(
            transition(S::Submitted, A::Withdraw, By::Student, f),
            Ok(S::Withdrawn)
        );
    }

    #[test]
    fn courses_agreements_hours_and_results_parse() {
        assert_eq!(parse_credits("7.5"), Ok(75));
        assert_eq!(parse_credits("3"), Ok(30));
        assert!(
            parse_credits("0").is_err()
                && parse_credits("7.55").is_err()
                && parse_credits("x").is_err()
        );
        assert_eq!(credits_text(75), "7.5");
        assert_eq!(credits_text(30), "3");
        let c = Course::parse("econ 390", "Work-based learning", "5");
        assert_eq!(c.map(|c| c.code), Ok("ECON 390".into()));
        let e = Course::parse("!", "", "0").err().unwrap_or_default();
        assert_eq!(e.0.len(), 3);

        let a = Agreement::parse(
            "- Clean a real survey dataset\n- Present findings to a client",
            "20",
            "A report marked by the supervisor against the goals.",
        );
        assert_eq!(a.map(|a| a.goals.len()), Ok(2));
        let e = Agreement::parse("One goal only here", "0", "short")
            .err()
            .unwrap_or_default();
        assert_eq!(e.0.len(), 3);

        let today = NaiveDate::from_ymd_opt(2026, 11, 27).unwrap_or_default();
        let start = NaiveDate::from_ymd_opt(2026, 11, 1).unwrap_or_default();
        let h = HoursEntry::parse("2026-11-20", "2.25", "Coded 100 answers", start, today);
        assert_eq!(h.map(|h| h.quarters), Ok(9));
        assert!(HoursEntry::parse("2026-11-28", "2", "Coded answers", start, today).is_err());
        assert!(HoursEntry::parse("2026-10-28", "2", "Coded answers", start, today).is_err());
        assert!(HoursEntry::parse("2026-11-20", "2.1", "Coded answers", start, today).is_err());
        assert!(HoursEntry::parse("2026-11-20", "NaN", "Coded answers", start, today).is_err());
        assert_eq!(hours_text(9), "2.25");

        assert_eq!(
            CreditResult::parse("grade", "2:1"),
            Ok(CreditResult::Grade("2:1".into()))
        );
        assert!(CreditResult::parse("grade", "").is_err());
        assert!(CreditResult::parse("maybe", "").is_err());
        let g = CreditResult::Grade("A-".into());
        assert_eq!(CreditResult::from_stored(&g.stored()), Some(g));
        assert!(!CreditResult::Fail.granted());
    }

    #[test]
    fn reflections_have_a_sensible_length() {
        let long = "x".repeat(80);
        assert!(Reflection::parse(&long, &long, &long, &long).is_ok());
        let e = Reflection::parse("short", &long, &long, &long)
            .err()
            .unwrap_or_default();
        assert_eq!(e.0[0].field, "did");
        let fifty = "y".repeat(50);
        let twenty = "z".repeat(20);
        let e = Reflection::parse(&fifty, &fifty, &twenty, &fifty)
            .err()
            .unwrap_or_default();
        assert!(e.0[0].message.contains("at least 300"));
    }
}
