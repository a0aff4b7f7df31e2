//! What a university reports about its students' micro-internships over a
//! period: participation, hiring, completion, earnings, fields tried, repeat
//! participation and time to a first project, with equity breakdowns by
//! optional, self-reported attributes.
//!
//! The store reads one row per confirmed student (their counts within the
//! period); everything here is arithmetic on those rows, so the rules —
//! medians, rates, and the suppression of groups under five students — are
//! unit-tested in one place. Nothing here names a student.

use std::collections::BTreeMap;

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use serde::Serialize;

use crate::{FieldError, FieldErrors};

/// Groups smaller than this are not shown (and rates over fewer taking part).
pub const MIN_GROUP: usize = 5;

/// The longest period a report covers, in days (a little over five years).
pub const MAX_PERIOD_DAYS: i64 = 1_830;

/// The optional attributes a student may report for equity breakdowns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Attribute {
    FirstGeneration,
    NeedBasedAid,
    Gender,
    Disability,
}

const YES_NO: &[(&str, &str)] = &[
    ("yes", "Yes"),
    ("no", "No"),
    ("prefer_not", "Prefer not to say"),
];
const GENDERS: &[(&str, &str)] = &[
    ("woman", "Woman"),
    ("man", "Man"),
    ("non_binary", "Non-binary"),
    ("another", "Another gender"),
    ("prefer_not", "Prefer not to say"),
];

/// The label of the group of students who left a question unanswered.
pub const NOT_ANSWERED: &str = "Not answered";

impl Attribute {
    pub const ALL: [Attribute; 4] = [
        Attribute::FirstGeneration,
        Attribute::NeedBasedAid,
        Attribute::Gender,
        Attribute::Disability,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Attribute::FirstGeneration => "first_generation",
            Attribute::NeedBasedAid => "need_based_aid",
            Attribute::Gender => "gender",
            Attribute::Disability => "disability",
        }
    }

    /// The heading of its breakdown.
    pub fn label(self) -> &'static str {
        match self {
            Attribute::FirstGeneration => "First in family at university",
            Attribute::NeedBasedAid => "Receives need-based aid",
            Attribute::Gender => "Gender",
            Attribute::Disability => "Disability",
        }
    }

    /// The question put to the student.
    pub fn question(self) -> &'static str {
        match self {
            Attribute::FirstGeneration => "Are you the first in your family to go to university?",
            Attribute::NeedBasedAid => {
                "Do you receive need-based financial aid (a grant, bursary or scholarship based on need)?"
            }
            Attribute::Gender => "What is your gender?",
            Attribute::Disability => "Do you consider yourself to have a disability?",
        }
    }

    /// The answers offered: (value, label).
    pub fn answers(self) -> &'static [(&'static str, &'static str)] {
        match self {
            Attribute::Gender => GENDERS,
            _ => YES_NO,
        }
    }

    /// An answer from a form: empty is "not answered"; anything not offered
    /// is refused.
    pub fn parse(self, raw: &str) -> Result<Option<&'static str>, FieldError> {
        let raw = raw.trim();
        if raw.is_empty() {
            return Ok(None);
        }
        self.answers()
            .iter()
            .find(|(v, _)| *v == raw)
            .map(|(v, _)| Some(*v))
            .ok_or_else(|| {
                FieldError::new(
                    self.as_str(),
                    "Choose one of the answers, or leave it blank.",
                )
            })
    }

    fn index(self) -> usize {
        match self {
            Attribute::FirstGeneration => 0,
            Attribute::NeedBasedAid => 1,
            Attribute::Gender => 2,
            Attribute::Disability => 3,
        }
    }
}

/// A student's answers, one per attribute (`None`: not answered).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Answers(pub [Option<&'static str>; 4]);

impl Answers {
    pub fn get(&self, a: Attribute) -> Option<&'static str> {
        self.0[a.index()]
    }

    pub fn set(&mut self, a: Attribute, v: Option<&'static str>) {
        self.0[a.index()] = v;
    }

    /// Answers as stored (values are checked again; anything unknown reads as
    /// not answered).
    pub fn from_stored(raw: [Option<&str>; 4]) -> Answers {
        let mut out = Answers::default();
        for a in Attribute::ALL {
            out.set(a, raw[a.index()].and_then(|r| a.parse(r).ok().flatten()));
        }
        out
    }

    /// Parses a form; every field is optional.
    pub fn parse(raw: [&str; 4]) -> Result<Answers, FieldErrors> {
        let mut e = FieldErrors::new();
        let mut out = Answers::default();
        for a in Attribute::ALL {
            if let Some(v) = e.take(a.parse(raw[a.index()])) {
                out.set(a, v);
            }
        }
        e.into_result().map(|()| out)
    }
}

/// The days a report covers, both inclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Period {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

impl Period {
    /// The twelve months up to and including `today`.
    pub fn last_year(today: NaiveDate) -> Period {
        Period {
            from: today - Duration::days(364),
            to: today,
        }
    }

    /// From a form or query: both days as YYYY-MM-DD; either may be blank
    /// (then the last twelve months end on `to`, or start on `from`).
    pub fn parse(from: &str, to: &str, today: NaiveDate) -> Result<Period, FieldErrors> {
        let mut e = FieldErrors::new();
        let day = |field: &'static str, raw: &str, e: &mut FieldErrors| {
            let raw = raw.trim();
            if raw.is_empty() {
                return Ok(None);
            }
            match NaiveDate::parse_from_str(raw, "%Y-%m-%d") {
                Ok(d) if (2000..=2100).contains(&d.year()) => Ok(Some(d)),
                _ => {
                    e.add(field, "Enter a day as YYYY-MM-DD, between 2000 and 2100.");
                    Err(())
                }
            }
        };
        let from = day("from", from, &mut e);
        let to = day("to", to, &mut e);
        let (Ok(from), Ok(to)) = (from, to) else {
            return Err(e);
        };
        let period = match (from, to) {
            (None, None) => Period::last_year(today),
            (Some(from), None) => Period {
                from,
                to: (from + Duration::days(364)).min(today.max(from)),
            },
            (None, Some(to)) => Period {
                from: to - Duration::days(364),
                to,
            },
            (Some(from), Some(to)) => Period { from, to },
        };
        if period.to < period.from {
            e.add("to", "The period ends on or after the day it starts.");
        } else if (period.to - period.from).num_days() >= MAX_PERIOD_DAYS {
            e.add("to", "Choose a period of at most five years.");
        }
        e.into_result().map(|()| period)
    }

    /// The first instant inside the period.
    pub fn start(&self) -> DateTime<Utc> {
        self.from.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc()
    }

    /// The first instant after the period.
    pub fn end(&self) -> DateTime<Utc> {
        (self.to + Duration::days(1))
            .and_hms_opt(0, 0, 0)
            .unwrap_or_default()
            .and_utc()
    }

    /// Every month the period touches, as "YYYY-MM".
    pub fn months(&self) -> Vec<String> {
        let mut out = Vec::new();
        let (mut y, mut m) = (self.from.year(), self.from.month());
        while (y, m) <= (self.to.year(), self.to.month()) {
            out.push(format!("{y:04}-{m:02}"));
            (y, m) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
        }
        out
    }
}

/// One confirmed student's activity within the period.
#[derive(Debug, Clone, Default)]
pub struct StudentRow {
    pub signed_up: Option<DateTime<Utc>>,
    pub answers: Answers,
    /// Applications made in the period.
    pub applications: i64,
    /// Of those, how many led to a hire.
    pub hired: i64,
    /// Distinct fields (project categories) applied to in the period.
    pub fields: i64,
    /// Engagements that started in the period.
    pub started: i64,
    /// Engagements approved in the period.
    pub completed: i64,
    /// Engagements cancelled in the period.
    pub cancelled: i64,
    /// The student's first engagement ever.
    pub first_started: Option<DateTime<Utc>>,
    /// Earned in engagements approved in the period, per currency (minor units).
    pub earned: Vec<(String, i64)>,
}

/// Earnings in one currency.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Earnings {
    pub currency: String,
    pub total_minor: i64,
    /// Per student who earned in this currency.
    pub median_minor: i64,
    pub students: usize,
}

/// The period's figures for a set of students.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Summary {
    /// Confirmed students.
    pub students: usize,
    /// Who applied at least once in the period.
    pub taking_part: usize,
    pub applications: i64,
    pub applications_per_student: Option<f64>,
    pub hires: i64,
    /// Hires per application made in the period.
    pub hire_rate: Option<f64>,
    pub started: i64,
    pub completed: i64,
    pub cancelled: i64,
    /// Approved of those that ended (approved or cancelled) in the period.
    pub completion_rate: Option<f64>,
    pub earnings: Vec<Earnings>,
    /// Mean distinct fields applied to, per student taking part.
    pub fields_per_student: Option<f64>,
    /// Students taking part who tried one field, two, three or more.
    pub fields_tried: [usize; 3],
    /// Students who started at least one engagement in the period.
    pub working_students: usize,
    /// Of those, who started two or more.
    pub repeat_students: usize,
    pub repeat_rate: Option<f64>,
    /// Students whose first engagement ever started in the period.
    pub first_projects: usize,
    /// Median days from sign-up to that first engagement.
    pub median_days_to_first: Option<i64>,
}

fn rate(n: i64, d: i64) -> Option<f64> {
    (d > 0).then(|| n as f64 / d as f64)
}

/// The median of whole numbers (the lower middle for an even count, so it is
/// always one of the values).
pub fn median(values: &mut [i64]) -> Option<i64> {
    if values.is_empty() {
        return None;
    }
    values.sort_unstable();
    Some(values[(values.len() - 1) / 2])
}

impl Summary {
    pub fn of<'a>(rows: impl IntoIterator<Item = &'a StudentRow>, period: &Period) -> Summary {
        let (start, end) = (period.start(), period.end());
        let mut s = Summary {
            students: 0,
            taking_part: 0,
            applications: 0,
            applications_per_student: None,
            hires: 0,
            hire_rate: None,
            started: 0,
            completed: 0,
            cancelled: 0,
            completion_rate: None,
            earnings: Vec::new(),
            fields_per_student: None,
            fields_tried: [0; 3],
            working_students: 0,
            repeat_students: 0,
            repeat_rate: None,
            first_projects: 0,
            median_days_to_first: None,
        };
        let mut fields = 0_i64;
        let mut earned: BTreeMap<&str, Vec<i64>> = BTreeMap::new();
        let mut days = Vec::new();
        for r in rows {
            s.students += 1;
            if r.applications > 0 {
                s.taking_part += 1;
                fields += r.fields;
                let bucket = (r.fields.clamp(1, 3) - 1) as usize;
                s.fields_tried[bucket] += 1;
            }
            s.applications += r.applications;
            s.hires += r.hired;
            s.started += r.started;
            s.completed += r.completed;
            s.cancelled += r.cancelled;
            if r.started > 0 {
                s.working_students += 1;
            }
            if r.started > 1 {
                s.repeat_students += 1;
            }
            for (currency, minor) in &r.earned {
                if *minor > 0 {
                    earned.entry(currency.as_str()).or_default().push(*minor);
                }
            }
            if let (Some(first), Some(signed_up)) = (r.first_started, r.signed_up)
                && first >= start
                && first < end
            {
                s.first_projects += 1;
                days.push((first - signed_up).num_days().max(0));
            }
        }
        let taking_part = s.taking_part as i64;
        s.applications_per_student = rate(s.applications, taking_part);
        s.hire_rate = rate(s.hires, s.applications);
        s.completion_rate = rate(s.completed, s.completed + s.cancelled);
        s.fields_per_student = rate(fields, taking_part);
        s.repeat_rate = rate(s.repeat_students as i64, s.working_students as i64);
        s.median_days_to_first = median(&mut days);
        s.earnings = earned
            .into_iter()
            .map(|(currency, mut v)| Earnings {
                currency: currency.to_string(),
                total_minor: v.iter().sum(),
                students: v.len(),
                median_minor: median(&mut v).unwrap_or(0),
            })
            .collect();
        s
    }
}

/// One group of an equity breakdown. Figures are `None` when the group is
/// suppressed, or a rate when fewer than [`MIN_GROUP`] of it took part.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Group {
    /// The answer's value (`None`: not answered).
    pub value: Option<&'static str>,
    pub label: &'static str,
    pub suppressed: bool,
    pub students: Option<usize>,
    /// Share of the group who applied in the period.
    pub participation_rate: Option<f64>,
    pub hire_rate: Option<f64>,
    pub completion_rate: Option<f64>,
}

/// Outcomes by one attribute's answers.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Breakdown {
    pub attribute: Attribute,
    pub label: &'static str,
    pub groups: Vec<Group>,
}

impl Breakdown {
    /// Groups of 1–4 students are suppressed. When that leaves exactly one
    /// group hidden, the next smallest is hidden too, so that no hidden count
    /// follows from the total by subtraction.
    pub fn of(attribute: Attribute, rows: &[StudentRow], period: &Period) -> Breakdown {
        let mut values: Vec<(Option<&'static str>, &'static str)> = attribute
            .answers()
            .iter()
            .map(|(v, l)| (Some(*v), *l))
            .collect();
        values.push((None, NOT_ANSWERED));
        let mut groups: Vec<(Group, usize)> = values
            .into_iter()
            .map(|(value, label)| {
                let s = Summary::of(
                    rows.iter().filter(|r| r.answers.get(attribute) == value),
                    period,
                );
                let shown = s.taking_part >= MIN_GROUP;
                let group = Group {
                    value,
                    label,
                    suppressed: false,
                    students: Some(s.students),
                    participation_rate: rate(s.taking_part as i64, s.students as i64),
                    hire_rate: s.hire_rate.filter(|_| shown),
                    completion_rate: s.completion_rate.filter(|_| shown),
                };
                (group, s.students)
            })
            .collect();
        let small = |n: usize| n > 0 && n < MIN_GROUP;
        let mut hidden: Vec<usize> = (0..groups.len()).filter(|&i| small(groups[i].1)).collect();
        if hidden.len() == 1
            && let Some(next) = (0..groups.len())
                .filter(|&i| groups[i].1 > 0 && !hidden.contains(&i))
                .min_by_key(|&i| groups[i].1)
        {
            hidden.push(next);
        }
        for i in hidden {
            let g = &mut groups[i].0;
            g.suppressed = true;
            g.students = None;
            g.participation_rate = None;
            g.hire_rate = None;
            g.completion_rate = None;
        }
        Breakdown {
            attribute,
            label: attribute.label(),
            groups: groups.into_iter().map(|(g, _)| g).collect(),
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn period() -> Period {
        Period {
            from: day("2026-01-01"),
            to: day("2026-06-30"),
        }
    }

    fn at(s: &str) -> DateTime<Utc> {
        day(s).and_hms_opt(12, 0, 0).unwrap().and_utc()
    }

    #[test]
    fn periods_parse_with_defaults_and_refuse_nonsense() {
        let today = day("2026-11-27");
        assert_eq!(
            Period::parse("", "", today).unwrap(),
            Period::last_year(today)
        );
        assert_eq!(
            Period::parse("2026-01-01", "2026-03-31", today).unwrap(),
            Period {
                from: day("2026-01-01"),
                to: day("2026-03-31")
            }
        );
        let e = Period::parse("2026-05-01", "2026-04-01", today).unwrap_err();
        assert!(e.get("to").is_some());
        let e = Period::parse("yesterday", "2026-13-01", today).unwrap_err();
        assert!(e.get("from").is_some() && e.get("to").is_some());
        assert!(Period::parse("2015-01-01", "2026-01-01", today).is_err());
        let p = Period::parse("2026-11-01", "", today).unwrap();
        assert_eq!(p.to, today);
        assert_eq!(p.months(), vec!["2026-11"]);
        assert_eq!(period().months().len(), 6);
        assert_eq!(period().end(), at("2026-07-01") - Duration::hours(12));
    }

    #[test]
    fn answers_parse_and_refuse_unknown_values() {
        let a = Answers::parse(["yes", "", "non_binary", "prefer_not"]).unwrap();
        assert_eq!(a.get(Attribute::FirstGeneration), Some("yes"));
        assert_eq!(a.get(Attribute::NeedBasedAid), None);
        assert_eq!(a.get(Attribute::Gender), Some("non_binary"));
        let e = Answers::parse(["maybe", "", "yes", ""]).unwrap_err();
        assert!(e.get("first_generation").is_some() && e.get("gender").is_some());
        assert_eq!(
            Answers::from_stored([Some("no"), Some("garbage"), None, None]).0,
            [Some("no"), None, None, None]
        );
    }

    #[test]
    fn summary_counts_rates_medians_and_repeat_work() {
        let rows = vec![
            StudentRow {
                signed_up: Some(at("2025-12-01")),
                applications: 4,
                hired: 2,
                fields: 3,
                started: 2,
                completed: 1,
                cancelled: 1,
                first_started: Some(at("2026-01-11")),
                earned: vec![("INR".into(), 800_000)],
                ..StudentRow::default()
            },
            StudentRow {
                signed_up: Some(at("2024-01-01")),
                applications: 2,
                hired: 1,
                fields: 1,
                started: 1,
                completed: 1,
                first_started: Some(at("2025-03-01")),
                earned: vec![("INR".into(), 1_200_000), ("USD".into(), 30_000)],
                ..StudentRow::default()
            },
            StudentRow {
                signed_up: Some(at("2026-02-01")),
                applications: 1,
                fields: 1,
                ..StudentRow::default()
            },
            StudentRow::default(),
        ];
        let s = Summary::of(&rows, &period());
        assert_eq!(
            (s.students, s.taking_part, s.applications, s.hires),
            (4, 3, 7, 3)
        );
        assert_eq!(s.applications_per_student, Some(7.0 / 3.0));
        assert_eq!(s.hire_rate, Some(3.0 / 7.0));
        assert_eq!(s.completion_rate, Some(2.0 / 3.0));
        assert_eq!(s.fields_per_student, Some(5.0 / 3.0));
        assert_eq!(s.fields_tried, [2, 0, 1]);
        assert_eq!((s.working_students, s.repeat_students), (2, 1));
        assert_eq!(s.repeat_rate, Some(0.5));
        // Only the first student's first engagement falls in the period.
        assert_eq!((s.first_projects, s.median_days_to_first), (1, Some(41)));
        assert_eq!(
            s.earnings,
            vec![
                Earnings {
                    currency: "INR".into(),
                    total_minor: 2_000_000,
                    median_minor: 800_000,
                    students: 2
                },
                Earnings {
                    currency: "USD".into(),
                    total_minor: 30_000,
                    median_minor: 30_000,
                    students: 1
                },
            ]
        );
        let empty = Summary::of(&[], &period());
        assert_eq!(
            (empty.students, empty.hire_rate, empty.median_days_to_first),
            (0, None, None)
        );
    }

    fn student(first_generation: Option<&'static str>, applied: bool) -> StudentRow {
        let mut answers = Answers::default();
        answers.set(Attribute::FirstGeneration, first_generation);
        StudentRow {
            answers,
            applications: i64::from(applied) * 2,
            hired: i64::from(applied),
            fields: i64::from(applied),
            ..StudentRow::default()
        }
    }

    #[test]
    fn small_groups_are_suppressed_and_cannot_be_recovered_by_subtraction() {
        // yes: 3 (hidden), no: 6, prefer not: 0, not answered: 8.
        let mut rows: Vec<StudentRow> = (0..3).map(|_| student(Some("yes"), true)).collect();
        rows.extend((0..6).map(|_| student(Some("no"), true)));
        rows.extend((0..8).map(|i| student(None, i < 4)));
        let b = Breakdown::of(Attribute::FirstGeneration, &rows, &period());
        let by = |v: Option<&str>| b.groups.iter().find(|g| g.value == v).unwrap();
        assert!(by(Some("yes")).suppressed && by(Some("yes")).students.is_none());
        // The next smallest group is hidden with it.
        assert!(by(Some("no")).suppressed && by(Some("no")).hire_rate.is_none());
        // An empty group reveals nothing and is shown as zero.
        assert_eq!(by(Some("prefer_not")).students, Some(0));
        let none = by(None);
        assert!(!none.suppressed);
        assert_eq!(none.students, Some(8));
        assert_eq!(none.participation_rate, Some(0.5));
        // Four of them took part: too few for their rates to be shown.
        assert_eq!(none.hire_rate, None);
        assert_eq!(b.groups.len(), 4);

        // Two small groups hide each other; the large one stays.
        let mut rows: Vec<StudentRow> = (0..2).map(|_| student(Some("yes"), true)).collect();
        rows.extend((0..1).map(|_| student(Some("prefer_not"), true)));
        rows.extend((0..7).map(|_| student(Some("no"), true)));
        let b = Breakdown::of(Attribute::FirstGeneration, &rows, &period());
        let by = |v: Option<&str>| b.groups.iter().find(|g| g.value == v).unwrap();
        assert!(by(Some("yes")).suppressed && by(Some("prefer_not")).suppressed);
        assert_eq!(by(Some("no")).students, Some(7));
        assert_eq!(by(Some("no")).hire_rate, Some(0.5));
    }
}
