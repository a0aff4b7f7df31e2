//! How well a student fits a project: a score from 0 to 100 made of named
//! parts, each with a reason in plain words, so a student sees why a project
//! is suggested and an employer why an applicant ranks where they do.
//!
//! The weights live in [`WEIGHTS`] and nowhere else; the score is always the
//! sum of the parts' points, rounded, so what the reasons say and the number
//! shown cannot disagree.
//!
//! | part | points | full marks when |
//! | --- | --- | --- |
//! | required skills | 45 | every required skill is on the profile; a missing one the student has a *related* skill for (same taxonomy category) counts [`RELATED_CREDIT`] |
//! | preferred skills | 10 | every preferred skill is on the profile (full when none are listed) |
//! | hours | 15 | the weekly hours the project needs fit the student's availability; scaled down when they do not; half when availability is unknown |
//! | interests | 10 | the category is among the student's interests; half when no interests are set |
//! | studies | 5 | the area of study relates to the category; half when unknown |
//! | place | 10 | remote, or hybrid / in person where the student is; half when either location is unknown |
//! | pay | 5 | the effective hourly rate is at least twice the currency's floor; two points at the floor, linear between |
//!
//! Skills come first: when a project lists required skills, the score can be
//! at most [`CAP_BASE`] plus the rest in proportion to the share of required
//! skills the student has (related ones at their credit). Above that cap the
//! other parts' points are scaled down together, so a project that misses
//! most of what it requires never ranks as a good match, however well the
//! hours, place and pay fit. With no preferred skills listed that part
//! follows the required share and is not shown as a reason either way.

use serde::Serialize;

use crate::money::{HourlyFloors, Money};
use crate::project::WorkMode;
use crate::taxonomy::{category_name, skill, skill_name};

/// The most points each part can give; they add up to 100.
#[derive(Debug, Clone, Copy)]
pub struct Weights {
    pub required: f64,
    pub preferred: f64,
    pub hours: f64,
    pub interests: f64,
    pub studies: f64,
    pub place: f64,
    pub pay: f64,
}

/// The share of a required skill's points a related skill earns.
pub const RELATED_CREDIT: f64 = 0.3;

/// The most a project can score when the student has none of its required
/// skills; the cap rises in proportion to the required share, to 100.
pub const CAP_BASE: f64 = 30.0;

pub const WEIGHTS: Weights = Weights {
    required: 45.0,
    preferred: 10.0,
    hours: 15.0,
    interests: 10.0,
    studies: 5.0,
    place: 10.0,
    pay: 5.0,
};

/// Who reads the reasons: the student ("your 10 h/week") or an employer
/// looking at an applicant ("their 10 h/week").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Viewer {
    #[default]
    Student,
    Employer,
}

impl Viewer {
    fn your(self) -> &'static str {
        match self {
            Viewer::Student => "your",
            Viewer::Employer => "their",
        }
    }
    fn you(self) -> &'static str {
        match self {
            Viewer::Student => "you",
            Viewer::Employer => "they",
        }
    }
    fn for_you(self) -> &'static str {
        match self {
            Viewer::Student => "for you",
            Viewer::Employer => "for them",
        }
    }
}

/// What matching needs to know about a student.
#[derive(Debug, Clone, Default)]
pub struct StudentFacts<'a> {
    pub skills: &'a [String],
    /// Category slugs.
    pub interests: &'a [String],
    pub area_of_study: Option<&'a str>,
    /// Hours a week the student can give.
    pub availability_hours: Option<i32>,
    pub location: Option<&'a str>,
    /// Categories the student has applied to, been hired in or completed.
    pub tried_categories: &'a [String],
}

/// What matching needs to know about a project.
#[derive(Debug, Clone)]
pub struct ProjectFacts<'a> {
    pub category: &'a str,
    pub required_skills: &'a [String],
    pub preferred_skills: &'a [String],
    pub estimated_hours: u16,
    /// Days from when the work can start (the start date, or today if later)
    /// to the due date.
    pub work_days: i64,
    pub work_mode: WorkMode,
    pub location: Option<&'a str>,
    pub price: Money,
}

/// Which part of the score a reason explains.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Part {
    Required,
    Preferred,
    Hours,
    Interests,
    Studies,
    Place,
    Pay,
}

/// One part of a score and its reason.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Reason {
    pub part: Part,
    /// Points this part gave, out of `max`.
    pub points: f64,
    pub max: f64,
    pub text: String,
    /// Whether this reason counts for the student (shown as a plus) or
    /// against (shown as a gap).
    pub good: bool,
    /// Neither for nor against, so not shown (its points still count): no
    /// preferred skills listed; the pay, to an employer who set it.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub neutral: bool,
}

/// A score with its reasons, strongest part first.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Match {
    /// 0–100: the sum of the reasons' points, rounded.
    pub score: u8,
    pub reasons: Vec<Reason>,
    /// The project's category is one the student has not tried yet.
    pub new_field: bool,
}

impl Match {
    /// The short reasons, as a list of sentences.
    pub fn lines(&self) -> Vec<String> {
        self.reasons.iter().map(|r| r.text.clone()).collect()
    }
}

fn names(slugs: &[&String]) -> String {
    slugs
        .iter()
        .map(|s| skill_name(s))
        .collect::<Vec<_>>()
        .join(", ")
}

fn same(a: &str, b: &str) -> bool {
    a.trim().eq_ignore_ascii_case(b.trim())
}

/// Words in an area of study that relate it to a category.
fn study_words(category: &str) -> &'static [&'static str] {
    match category {
        "content-writing" => &[
            "english",
            "journalism",
            "literature",
            "communication",
            "media",
            "writing",
            "marketing",
        ],
        "social-media" => &["marketing", "media", "communication", "journalism", "film"],
        "graphic-design" => &["design", "art", "architecture", "visual", "illustration"],
        "market-research" => &[
            "marketing",
            "economic",
            "business",
            "psychology",
            "sociology",
            "management",
            "commerce",
        ],
        "data-entry" => &["information", "library", "business", "admin"],
        "data-analysis" => &[
            "statistic",
            "math",
            "data",
            "economic",
            "computer",
            "physics",
            "engineering",
        ],
        "business-analysis" => &["business", "management", "mba", "economic", "commerce"],
        "finance" => &["finance", "account", "economic", "commerce", "business"],
        "user-research" => &[
            "psychology",
            "design",
            "hci",
            "sociology",
            "anthropology",
            "human",
        ],
        "software" => &[
            "computer",
            "software",
            "engineering",
            "informatics",
            "information",
        ],
        "hr" => &[
            "human resource",
            "psychology",
            "business",
            "management",
            "hr",
        ],
        "sales" => &["business", "marketing", "commerce", "management"],
        "operations" => &[
            "operations",
            "supply",
            "logistics",
            "engineering",
            "management",
            "business",
        ],
        "sustainability" => &[
            "environment",
            "sustainab",
            "geography",
            "climate",
            "ecology",
            "energy",
        ],
        _ => &[],
    }
}

/// Scores `project` for `student`. `floors` gives the hourly floor per
/// currency, for the pay part.
pub fn score(student: &StudentFacts, project: &ProjectFacts, floors: &HourlyFloors) -> Match {
    score_for(Viewer::Student, student, project, floors)
}

/// [`score`], with the reasons worded for `viewer`.
pub fn score_for(
    viewer: Viewer,
    student: &StudentFacts,
    project: &ProjectFacts,
    floors: &HourlyFloors,
) -> Match {
    let (your, you) = (viewer.your(), viewer.you());
    let w = WEIGHTS;
    let mut reasons = Vec::with_capacity(7);
    let has = |s: &String| student.skills.iter().any(|k| k == s);
    let related = |s: &String| {
        skill(s).is_some_and(|target| {
            student
                .skills
                .iter()
                .filter_map(|k| skill(k))
                .any(|k| k.category == target.category)
        })
    };

    // Required skills.
    let req = project.required_skills;
    let matched: Vec<&String> = req.iter().filter(|s| has(s)).collect();
    let missing: Vec<&String> = req.iter().filter(|s| !has(s)).collect();
    let near: Vec<&String> = missing.iter().copied().filter(|s| related(s)).collect();
    let share = if req.is_empty() {
        1.0
    } else {
        (matched.len() as f64 + RELATED_CREDIT * near.len() as f64) / req.len() as f64
    };
    let (points, text) = if req.is_empty() {
        (w.required, "No particular skills required".to_string())
    } else {
        let credit = matched.len() as f64 + RELATED_CREDIT * near.len() as f64;
        let points = w.required * credit / req.len() as f64;
        let mut text = if missing.is_empty() {
            format!("All {} required skills", req.len())
        } else {
            format!(
                "{} of {} required skills; missing: {}",
                matched.len(),
                req.len(),
                names(&missing)
            )
        };
        if !near.is_empty() && near.len() == missing.len() {
            text.push_str(&format!(" ({you} have related skills)"));
        } else if !near.is_empty() {
            text.push_str(&format!(
                " ({you} have related skills for {})",
                names(&near)
            ));
        }
        (points, text)
    };
    reasons.push(Reason {
        part: Part::Required,
        points,
        max: w.required,
        good: missing.is_empty(),
        text,
        neutral: false,
    });

    // Preferred skills.
    let pref = project.preferred_skills;
    if pref.is_empty() {
        reasons.push(Reason {
            part: Part::Preferred,
            points: w.preferred * share,
            max: w.preferred,
            text: "No preferred skills listed".into(),
            good: false,
            neutral: true,
        });
    } else {
        let got: Vec<&String> = pref.iter().filter(|s| has(s)).collect();
        reasons.push(Reason {
            part: Part::Preferred,
            points: w.preferred * got.len() as f64 / pref.len() as f64,
            max: w.preferred,
            text: if got.is_empty() {
                format!(
                    "None of the preferred skills ({})",
                    names(&pref.iter().collect::<Vec<_>>())
                )
            } else {
                format!(
                    "{} of {} preferred skills: {}",
                    got.len(),
                    pref.len(),
                    names(&got)
                )
            },
            good: !got.is_empty(),
            neutral: false,
        });
    }

    // Hours a week against availability.
    let weeks = (project.work_days.max(1) as f64 / 7.0).max(1.0);
    let need = f64::from(project.estimated_hours) / weeks;
    let need_text = format!("about {} h/week", need.round().max(1.0));
    let (points, text, good) = match student.availability_hours.filter(|h| *h > 0) {
        Some(have) => {
            let have = f64::from(have);
            if need <= have {
                (
                    w.hours,
                    format!("{need_text} of {your} {have} h/week"),
                    true,
                )
            } else {
                (
                    w.hours * have / need,
                    format!("{need_text}; {you} have {have} h/week"),
                    false,
                )
            }
        }
        None => (
            w.hours / 2.0,
            match viewer {
                Viewer::Student => format!("{need_text}; add your weekly hours to your profile"),
                Viewer::Employer => format!("{need_text}; weekly hours not given"),
            },
            false,
        ),
    };
    reasons.push(Reason {
        part: Part::Hours,
        points,
        max: w.hours,
        text,
        good,
        neutral: false,
    });

    // Interests, and whether the field is new.
    let cat = category_name(project.category).to_lowercase();
    let interested = student.interests.iter().any(|i| i == project.category);
    let new_field = !student
        .tried_categories
        .iter()
        .any(|c| c == project.category);
    let (points, text, good) = if interested {
        (w.interests, format!("In {your} interests: {cat}"), true)
    } else if student.interests.is_empty() {
        (w.interests / 2.0, format!("Field: {cat}"), false)
    } else if new_field {
        (0.0, format!("New field {}: {cat}", viewer.for_you()), false)
    } else {
        (0.0, format!("Not among {your} interests: {cat}"), false)
    };
    reasons.push(Reason {
        part: Part::Interests,
        points,
        max: w.interests,
        text,
        good,
        neutral: false,
    });

    // Area of study.
    let (points, text, good) = match student.area_of_study.filter(|a| !a.trim().is_empty()) {
        Some(area) => {
            let a = area.to_lowercase();
            if study_words(project.category).iter().any(|k| a.contains(k)) {
                (w.studies, format!("Fits {your} studies ({area})"), true)
            } else {
                (0.0, format!("Outside {your} studies ({area})"), false)
            }
        }
        None => (
            w.studies / 2.0,
            match viewer {
                Viewer::Student => "Add your area of study to your profile".into(),
                Viewer::Employer => "Area of study not given".into(),
            },
            false,
        ),
    };
    reasons.push(Reason {
        part: Part::Studies,
        points,
        max: w.studies,
        text,
        good,
        neutral: false,
    });

    // Place.
    let (points, text, good) = match (project.work_mode, project.location, student.location) {
        (WorkMode::Remote, _, _) => (w.place, "Remote".to_string(), true),
        (mode, Some(there), Some(here))
            if same(there, here) || here.to_lowercase().contains(&there.to_lowercase()) =>
        {
            (
                w.place,
                format!("{} in {there}, where you are", mode.label()),
                true,
            )
        }
        (mode, Some(there), Some(here)) => (
            0.0,
            format!("{} in {there}; {you} are in {here}", mode.label()),
            false,
        ),
        (mode, there, _) => (
            w.place / 2.0,
            format!(
                "{}{}",
                mode.label(),
                there.map(|t| format!(" in {t}")).unwrap_or_default()
            ),
            false,
        ),
    };
    reasons.push(Reason {
        part: Part::Place,
        points,
        max: w.place,
        text,
        good,
        neutral: false,
    });

    // Pay against the currency's floor.
    let hourly = project.price.per_hour(project.estimated_hours.max(1));
    let floor = floors.floor(project.price.currency).minor.max(1) as f64;
    let ratio = hourly.minor as f64 / floor;
    let points = if ratio >= 2.0 {
        w.pay
    } else {
        (2.0 + (w.pay - 2.0) * (ratio - 1.0)).clamp(0.0, w.pay)
    };
    reasons.push(Reason {
        part: Part::Pay,
        points,
        max: w.pay,
        text: format!("Pays about {hourly}/h"),
        good: ratio >= 1.5,
        // The employer set the pay: it says nothing about the applicant.
        neutral: viewer == Viewer::Employer,
    });

    // Skills first: above the cap the other parts count for less.
    let cap = CAP_BASE + (100.0 - CAP_BASE) * share;
    let skills: f64 = reasons
        .iter()
        .filter(|r| r.part == Part::Required)
        .map(|r| r.points)
        .sum();
    let others: f64 = reasons
        .iter()
        .filter(|r| r.part != Part::Required)
        .map(|r| r.points)
        .sum();
    if skills + others > cap && others > 0.0 {
        let scale = ((cap - skills) / others).clamp(0.0, 1.0);
        for r in reasons.iter_mut().filter(|r| r.part != Part::Required) {
            r.points *= scale;
        }
        if let Some(r) = reasons.iter_mut().find(|r| r.part == Part::Required) {
            r.text.push_str(match viewer {
                Viewer::Student => ": the rest of the match counts for less",
                Viewer::Employer => ": the rest of their match counts for less",
            });
        }
    }

    // Strongest contributions first, then the gaps.
    reasons.sort_by(|a, b| {
        b.good.cmp(&a.good).then(
            b.max
                .partial_cmp(&a.max)
                .unwrap_or(std::cmp::Ordering::Equal),
        )
    });
    // Summed in the order shown, so anyone adding the parts up gets the
    // same number to the last bit (a cap can land the sum on a half).
    let total: f64 = reasons.iter().map(|r| r.points).sum();
    Match {
        score: total.round().clamp(0.0, 100.0) as u8,
        reasons,
        new_field,
    }
}

/// Search results whose relevance is within this fraction of the best
/// result's count as equally relevant; among them the better match goes first.
pub const RELEVANCE_BAND: f64 = 0.25;

/// The order of search results for a signed-in student: relevance first,
/// then match. `items` holds each result's text relevance (lower is better,
/// as both engines report it; `None` when the search had no words) and its
/// match score, in the engine's order. Results are grouped into bands of
/// [`RELEVANCE_BAND`] of the best relevance; within a band the higher match
/// goes first, and equal matches keep the engine's order. Without words every
/// result is in one band, so the order is by match alone.
///
/// Returns the indices of `items` in their new order.
pub fn relevance_then_match(items: &[(Option<f64>, u8)]) -> Vec<usize> {
    let best = items
        .iter()
        .filter_map(|(r, _)| *r)
        .filter(|r| r.is_finite())
        .fold(f64::INFINITY, f64::min);
    let band = |rank: Option<f64>| -> u32 {
        match rank {
            Some(r) if r.is_finite() && best.is_finite() && best != 0.0 => {
                let behind = ((r - best) / best.abs()).max(0.0);
                // Saturating: anything 64 bands behind is simply last.
                (behind / RELEVANCE_BAND).floor().min(64.0) as u32
            }
            Some(r) if !r.is_finite() => 65,
            _ => 0,
        }
    };
    let mut order: Vec<usize> = (0..items.len()).collect();
    order.sort_by_key(|&i| (band(items[i].0), std::cmp::Reverse(items[i].1)));
    order
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::money::Currency;
    use proptest::prelude::*;

    fn s(v: &[&str]) -> Vec<String> {
        v.iter().map(|x| x.to_string()).collect()
    }

    fn project<'a>(req: &'a [String], pref: &'a [String]) -> ProjectFacts<'a> {
        ProjectFacts {
            category: "data-analysis",
            required_skills: req,
            preferred_skills: pref,
            estimated_hours: 20,
            work_days: 14,
            work_mode: WorkMode::Remote,
            location: None,
            price: Money::new(900_000, Currency::Inr),
        }
    }

    #[test]
    fn weights_add_up_to_100() {
        let w = WEIGHTS;
        let sum = w.required + w.preferred + w.hours + w.interests + w.studies + w.place + w.pay;
        assert!((sum - 100.0).abs() < f64::EPSILON);
    }

    #[test]
    fn reasons_in_plain_words() {
        let req = s(&["sql", "python", "statistics", "r", "tableau"]);
        let pref = s(&["spreadsheets"]);
        let skills = s(&["python", "statistics", "r", "tableau"]);
        let interests = s(&["finance"]);
        let tried = s(&["finance"]);
        let st = StudentFacts {
            skills: &skills,
            interests: &interests,
            area_of_study: Some("Economics"),
            availability_hours: Some(10),
            location: Some("Pune"),
            tried_categories: &tried,
        };
        let m = score(&st, &project(&req, &pref), &HourlyFloors::default());
        let lines = m.lines().join(" | ");
        assert!(
            lines.contains("4 of 5 required skills; missing: SQL (you have related skills)"),
            "{lines}"
        );
        assert!(
            lines.contains("about 10 h/week of your 10 h/week"),
            "{lines}"
        );
        assert!(
            lines.contains("New field for you: data analysis"),
            "{lines}"
        );
        assert!(lines.contains("Fits your studies (Economics)"), "{lines}");
        assert!(lines.contains("Remote"), "{lines}");
        assert!(m.new_field);
        // 45 * (4 + related)/5 + 0 + 15 + 0 + 5 + 10 + pay
        let pay = m
            .reasons
            .iter()
            .find(|r| r.part == Part::Pay)
            .map_or(0.0, |r| r.points);
        let required = 45.0 * (4.0 + RELATED_CREDIT) / 5.0;
        assert_eq!(m.score, (required + 15.0 + 5.0 + 10.0 + pay).round() as u8);
    }

    #[test]
    fn unknowns_get_half_and_say_what_to_add() {
        let req = s(&["sql"]);
        let st = StudentFacts::default();
        let m = score(&st, &project(&req, &[]), &HourlyFloors::default());
        let lines = m.lines().join(" | ");
        assert!(lines.contains("add your weekly hours"), "{lines}");
        assert!(lines.contains("Add your area of study"), "{lines}");
        assert!(m.score < 50, "{}", m.score);
    }

    #[test]
    fn employers_read_about_the_applicant_not_themselves() {
        let req = s(&["sql"]);
        let skills = s(&["python"]);
        let st = StudentFacts {
            skills: &skills,
            availability_hours: Some(10),
            ..Default::default()
        };
        let f = HourlyFloors::default();
        let p = project(&req, &[]);
        let lines = score_for(Viewer::Employer, &st, &p, &f).lines().join(" | ");
        assert!(lines.contains("of their 10 h/week"), "{lines}");
        assert!(lines.contains("they have related skills"), "{lines}");
        assert!(lines.contains("Area of study not given"), "{lines}");
        assert!(
            !lines.contains("your") && !lines.contains("you "),
            "{lines}"
        );
        let none = StudentFacts::default();
        let lines = score_for(Viewer::Employer, &none, &p, &f)
            .lines()
            .join(" | ");
        assert!(lines.contains("weekly hours not given"), "{lines}");
        assert!(!lines.contains("your"), "{lines}");
        // The score does not depend on who reads it.
        assert_eq!(
            score_for(Viewer::Employer, &st, &p, &f).score,
            score(&st, &p, &f).score
        );
    }

    /// Everything but skills fits perfectly: the interests, the studies,
    /// the hours, remote work and generous pay.
    fn perfect_fit<'a>(skills: &'a [String], interests: &'a [String]) -> StudentFacts<'a> {
        StudentFacts {
            skills,
            interests,
            area_of_study: Some("Statistics"),
            availability_hours: Some(30),
            location: Some("Pune"),
            tried_categories: interests,
        }
    }

    #[test]
    fn missing_the_required_skills_is_never_a_good_match() {
        let f = HourlyFloors::default();
        let interests = s(&["data-analysis"]);
        let req = s(&["sql", "python"]);
        let p = project(&req, &[]);
        // None of the required skills, nothing related: at most the cap.
        let none = s(&["figma"]);
        let m = score(&perfect_fit(&none, &interests), &p, &f);
        assert!(m.score <= CAP_BASE as u8, "{}", m.score);
        let lines = m.lines().join(" | ");
        assert!(
            lines.contains("0 of 2 required skills; missing: SQL, Python"),
            "{lines}"
        );
        assert!(lines.contains("counts for less"), "{lines}");
        // Related skills only (same category): still not a good match.
        let related = s(&["r", "statistics"]);
        let m = score(&perfect_fit(&related, &interests), &p, &f);
        assert!(m.score < 55, "related only scored {}", m.score);
        // Every required skill but a poor fit otherwise ranks above both.
        let all = s(&["sql", "python"]);
        let poor = StudentFacts {
            skills: &all,
            ..Default::default()
        };
        assert!(score(&poor, &p, &f).score > m.score);
        // Half the required skills: capped in proportion.
        let half = s(&["sql"]);
        let m = score(&perfect_fit(&half, &interests), &p, &f);
        let share = (1.0 + RELATED_CREDIT) / 2.0;
        let cap = CAP_BASE + (100.0 - CAP_BASE) * share;
        assert!(f64::from(m.score) <= cap.round(), "half scored {}", m.score);
        // The reasons still add up to the score.
        let sum: f64 = m.reasons.iter().map(|r| r.points).sum();
        assert_eq!(m.score, sum.round() as u8);
    }

    #[test]
    fn no_preferred_skills_listed_is_neither_a_plus_nor_a_gap() {
        let f = HourlyFloors::default();
        let interests = s(&["data-analysis"]);
        let req = s(&["sql"]);
        let skills = s(&["sql"]);
        let m = score(&perfect_fit(&skills, &interests), &project(&req, &[]), &f);
        let r = m.reasons.iter().find(|r| r.part == Part::Preferred);
        assert!(r.is_some_and(|r| r.neutral && !r.good), "{r:?}");
        // With the required skills missing it gives nothing for free either.
        let none = s(&["figma"]);
        let m = score(&perfect_fit(&none, &interests), &project(&req, &[]), &f);
        let r = m.reasons.iter().find(|r| r.part == Part::Preferred);
        assert!(r.is_some_and(|r| r.points == 0.0), "{r:?}");
    }

    #[test]
    fn an_employer_is_not_told_their_own_pay_as_a_reason() {
        let f = HourlyFloors::default();
        let req = s(&["sql"]);
        let skills = s(&["sql"]);
        let st = StudentFacts {
            skills: &skills,
            ..Default::default()
        };
        let m = score_for(Viewer::Employer, &st, &project(&req, &[]), &f);
        let pay = m.reasons.iter().find(|r| r.part == Part::Pay);
        assert!(pay.is_some_and(|r| r.neutral), "{pay:?}");
        let m = score(&st, &project(&req, &[]), &f);
        let pay = m.reasons.iter().find(|r| r.part == Part::Pay);
        assert!(pay.is_some_and(|r| !r.neutral), "{pay:?}");
    }

    #[test]
    fn place_counts_for_hybrid_and_in_person() {
        let req = s(&[]);
        let mut p = project(&req, &[]);
        p.work_mode = WorkMode::InPerson;
        p.location = Some("London");
        let here = StudentFacts {
            location: Some("London, UK"),
            ..Default::default()
        };
        let there = StudentFacts {
            location: Some("Pune"),
            ..Default::default()
        };
        let f = HourlyFloors::default();
        let a = score(&here, &p, &f);
        let b = score(&there, &p, &f);
        assert!(a.score > b.score);
        assert!(b.lines().iter().any(|l| l.contains("you are in Pune")));
    }

    const POOL: [&str; 10] = [
        "sql",
        "python",
        "r",
        "statistics",
        "tableau",
        "figma",
        "canva",
        "seo",
        "accounting",
        "budgeting",
    ];

    #[test]
    fn relevance_then_match_orders_bands_by_match() {
        // Two nearly equally relevant results: the better match goes first;
        // a far less relevant one stays behind even with a perfect match.
        let items = [(Some(-10.0), 40), (Some(-9.0), 90), (Some(-2.0), 100)];
        assert_eq!(relevance_then_match(&items), vec![1, 0, 2]);
        // Without words: match alone, ties in the engine's order.
        let items = [(None, 50), (None, 70), (None, 50), (None, 80)];
        assert_eq!(relevance_then_match(&items), vec![3, 1, 0, 2]);
        assert!(relevance_then_match(&[]).is_empty());
    }

    proptest! {
        /// Re-ranking by match is a permutation, and never puts a result
        /// ahead of one in a more relevant band.
        #[test]
        fn relevance_then_match_keeps_bands(
            items in proptest::collection::vec((proptest::option::of(-50.0f64..0.0), 0u8..=100), 0..40),
        ) {
            let order = relevance_then_match(&items);
            let mut seen = order.clone();
            seen.sort_unstable();
            prop_assert_eq!(seen, (0..items.len()).collect::<Vec<_>>());
            let best = items.iter().filter_map(|(r, _)| *r).fold(f64::INFINITY, f64::min);
            let band = |r: Option<f64>| r.filter(|_| best.is_finite() && best != 0.0)
                .map(|r| (((r - best) / best.abs()).max(0.0) / RELEVANCE_BAND).floor() as i64)
                .unwrap_or(0);
            for w in order.windows(2) {
                let (a, b) = (items[w[0]], items[w[1]]);
                prop_assert!(band(a.0) <= band(b.0));
                if band(a.0) == band(b.0) {
                    prop_assert!(a.1 >= b.1);
                }
            }
        }

        /// Covering one more required skill never lowers the score.
        #[test]
        fn more_required_skills_never_lower_the_score(
            req in proptest::collection::btree_set(0usize..10, 1..6),
            have in proptest::collection::btree_set(0usize..10, 0..6),
            extra in 0usize..10,
            hours in proptest::option::of(1i32..40),
        ) {
            let req: Vec<String> = req.iter().map(|i| POOL[*i].to_string()).collect();
            let mut skills: Vec<String> = have.iter().map(|i| POOL[*i].to_string()).collect();
            let f = HourlyFloors::default();
            let p = project(&req, &[]);
            let before = score(&StudentFacts { skills: &skills, availability_hours: hours, ..Default::default() }, &p, &f);
            if !skills.contains(&POOL[extra].to_string()) {
                skills.push(POOL[extra].to_string());
            }
            let after = score(&StudentFacts { skills: &skills, availability_hours: hours, ..Default::default() }, &p, &f);
            prop_assert!(after.score >= before.score, "{} < {}", after.score, before.score);
        }

        /// The score is the sum of the reasons' points, within 0–100, and
        /// every part is within its weight.
        #[test]
        fn reasons_agree_with_the_score(
            req in proptest::collection::btree_set(0usize..10, 0..5),
            pref in proptest::collection::btree_set(0usize..10, 0..3),
            have in proptest::collection::btree_set(0usize..10, 0..6),
            hours in proptest::option::of(0i32..60),
            est in 1u16..80,
            days in 0i64..60,
            price in 1i64..10_000_000,
        ) {
            let req: Vec<String> = req.iter().map(|i| POOL[*i].to_string()).collect();
            let pref: Vec<String> = pref.iter().map(|i| POOL[*i].to_string()).collect();
            let skills: Vec<String> = have.iter().map(|i| POOL[*i].to_string()).collect();
            let mut p = project(&req, &pref);
            p.estimated_hours = est;
            p.work_days = days;
            p.price = Money::new(price, Currency::Gbp);
            let m = score(&StudentFacts { skills: &skills, availability_hours: hours, ..Default::default() }, &p, &HourlyFloors::default());
            let sum: f64 = m.reasons.iter().map(|r| r.points).sum();
            prop_assert_eq!(m.score, sum.round() as u8);
            prop_assert!(m.score <= 100);
            prop_assert_eq!(m.reasons.len(), 7);
            for r in &m.reasons {
                prop_assert!(r.points >= 0.0 && r.points <= r.max + 1e-9, "{:?}", r);
                prop_assert!(!r.text.is_empty());
            }
        }
    }
}
