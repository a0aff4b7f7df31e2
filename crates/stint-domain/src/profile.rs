//! A student's profile and how complete it is.

use serde::{Deserialize, Serialize};

use crate::taxonomy::{category, parse_skills};
use crate::text::{optional, url};
use crate::{FieldError, FieldErrors};

/// The profile as stored and shown.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StudentProfile {
    pub headline: Option<String>,
    /// A university organization on Stint, if the student picked one.
    pub university_id: Option<i64>,
    pub area_of_study: Option<String>,
    pub degree: Option<String>,
    pub graduation_year: Option<i32>,
    pub skills: Vec<String>,
    pub coursework: Option<String>,
    pub availability_hours: Option<i32>,
    pub interests: Vec<String>,
    pub location: Option<String>,
    pub time_zone: Option<String>,
    pub portfolio_url: Option<String>,
    pub linkedin_url: Option<String>,
    pub github_url: Option<String>,
    pub bio: Option<String>,
}

/// Raw profile fields, as a form or JSON body carries them.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ProfileForm {
    pub headline: String,
    pub university_id: String,
    pub area_of_study: String,
    pub degree: String,
    pub graduation_year: String,
    pub skills: Vec<String>,
    pub coursework: String,
    pub availability_hours: String,
    pub interests: Vec<String>,
    pub location: String,
    pub time_zone: String,
    pub portfolio_url: String,
    pub linkedin_url: String,
    pub github_url: String,
    pub bio: String,
}

pub const MAX_PROFILE_SKILLS: usize = 20;

fn parse_int(
    field: &'static str,
    raw: &str,
    min: i32,
    max: i32,
    message: &str,
) -> Result<Option<i32>, FieldError> {
    let s = raw.trim();
    if s.is_empty() {
        return Ok(None);
    }
    match s.parse::<i32>() {
        Ok(v) if (min..=max).contains(&v) => Ok(Some(v)),
        _ => Err(FieldError::new(field, message.to_string())),
    }
}

/// A time zone in IANA form ("Asia/Kolkata") or a UTC offset ("UTC+05:30").
fn parse_time_zone(raw: &str) -> Result<Option<String>, FieldError> {
    let s = raw.trim();
    if s.is_empty() {
        return Ok(None);
    }
    let iana = s.contains('/')
        && s.len() <= 40
        && s.split('/').all(|p| {
            !p.is_empty()
                && p.chars()
                    .all(|c| c.is_ascii_alphanumeric() || "_-+".contains(c))
        });
    let offset = s == "UTC"
        || s.strip_prefix("UTC").is_some_and(|rest| {
            let b = rest.as_bytes();
            (rest.len() == 6 || rest.len() == 3)
                && (b[0] == b'+' || b[0] == b'-')
                && rest[1..].chars().all(|c| c.is_ascii_digit() || c == ':')
        });
    if iana || offset {
        Ok(Some(s.to_string()))
    } else {
        Err(FieldError::new(
            "time_zone",
            "Use a time zone like Asia/Kolkata or an offset like UTC+05:30.",
        ))
    }
}

impl ProfileForm {
    /// Parses every field, collecting all problems. `this_year` bounds the
    /// graduation year to a believable window.
    pub fn parse(&self, this_year: i32) -> Result<StudentProfile, FieldErrors> {
        let mut e = FieldErrors::new();
        let headline = e.take(optional("headline", "Headline", &self.headline, 120));
        let university_id = match self.university_id.trim() {
            "" => None,
            s => e.take(s.parse::<i64>().map_err(|_| {
                FieldError::new("university_id", "Choose a university from the list.")
            })),
        };
        let area_of_study = e.take(optional(
            "area_of_study",
            "Area of study",
            &self.area_of_study,
            120,
        ));
        let degree = e.take(optional("degree", "Degree", &self.degree, 120));
        let graduation_year = e.take(parse_int(
            "graduation_year",
            &self.graduation_year,
            this_year - 60,
            this_year + 8,
            &format!(
                "Enter a year between {} and {}.",
                this_year - 60,
                this_year + 8
            ),
        ));
        let skills = e.take(parse_skills(
            "skills",
            self.skills.iter().map(String::as_str),
            MAX_PROFILE_SKILLS,
        ));
        let coursework = e.take(optional("coursework", "Coursework", &self.coursework, 1000));
        let availability_hours = e.take(parse_int(
            "availability_hours",
            &self.availability_hours,
            1,
            60,
            "Enter hours per week between 1 and 60.",
        ));
        let mut interests = Vec::new();
        for slug in self
            .interests
            .iter()
            .map(|s| s.trim())
            .filter(|s| !s.is_empty())
        {
            match category(slug) {
                Some(c) if !interests.contains(&c.slug.to_string()) => {
                    interests.push(c.slug.to_string())
                }
                Some(_) => {}
                None => e.add(
                    "interests",
                    format!("'{slug}' is not a category; pick from the list."),
                ),
            }
        }
        let location = e.take(optional("location", "Location", &self.location, 120));
        let time_zone = e.take(parse_time_zone(&self.time_zone));
        let portfolio_url = e.take(url("portfolio_url", "Portfolio link", &self.portfolio_url));
        let linkedin_url = e.take(url("linkedin_url", "LinkedIn link", &self.linkedin_url));
        let github_url = e.take(url("github_url", "GitHub link", &self.github_url));
        let bio = e.take(optional("bio", "Bio", &self.bio, 2000));
        if !e.is_empty() {
            return Err(e);
        }
        Ok(StudentProfile {
            headline: headline.flatten(),
            university_id,
            area_of_study: area_of_study.flatten(),
            degree: degree.flatten(),
            graduation_year: graduation_year.flatten(),
            skills: skills
                .unwrap_or_default()
                .into_iter()
                .map(String::from)
                .collect(),
            coursework: coursework.flatten(),
            availability_hours: availability_hours.flatten(),
            interests,
            location: location.flatten(),
            time_zone: time_zone.flatten(),
            portfolio_url: portfolio_url.flatten(),
            linkedin_url: linkedin_url.flatten(),
            github_url: github_url.flatten(),
            bio: bio.flatten(),
        })
    }
}

/// How complete a profile is, and what to add next.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Completeness {
    pub percent: u8,
    pub missing: Vec<&'static str>,
}

impl StudentProfile {
    /// Each item that helps employers decide counts the same; links count once
    /// whichever kind the student has.
    pub fn completeness(&self) -> Completeness {
        let checks: [(&'static str, bool); 10] = [
            ("a headline", self.headline.is_some()),
            ("your university", self.university_id.is_some()),
            ("your area of study", self.area_of_study.is_some()),
            ("your graduation year", self.graduation_year.is_some()),
            ("at least three skills", self.skills.len() >= 3),
            (
                "your weekly availability",
                self.availability_hours.is_some(),
            ),
            ("the fields that interest you", !self.interests.is_empty()),
            (
                "your location and time zone",
                self.location.is_some() && self.time_zone.is_some(),
            ),
            (
                "a link to your work (portfolio, LinkedIn or GitHub)",
                self.portfolio_url.is_some()
                    || self.linkedin_url.is_some()
                    || self.github_url.is_some(),
            ),
            ("a short bio", self.bio.is_some()),
        ];
        let done = checks.iter().filter(|(_, ok)| *ok).count();
        Completeness {
            percent: u8::try_from(done * 100 / checks.len()).unwrap_or(100),
            missing: checks
                .iter()
                .filter(|(_, ok)| !*ok)
                .map(|(what, _)| *what)
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn full() -> ProfileForm {
        ProfileForm {
            headline: "Economics student who likes data".into(),
            university_id: "3".into(),
            area_of_study: "Economics".into(),
            degree: "BA".into(),
            graduation_year: "2027".into(),
            skills: vec!["sql".into(), "python".into(), "spreadsheets".into()],
            coursework: "Econometrics".into(),
            availability_hours: "10".into(),
            interests: vec!["data-analysis".into()],
            location: "Pune, India".into(),
            time_zone: "Asia/Kolkata".into(),
            portfolio_url: "".into(),
            linkedin_url: "https://linkedin.com/in/asha".into(),
            github_url: "".into(),
            bio: "Hi".into(),
        }
    }

    #[test]
    fn complete_profile_is_100() {
        let p = full().parse(2026).unwrap_or_default();
        assert_eq!(
            p.completeness(),
            Completeness {
                percent: 100,
                missing: vec![]
            }
        );
        assert_eq!(StudentProfile::default().completeness().percent, 0);
        assert_eq!(StudentProfile::default().completeness().missing.len(), 10);
    }

    #[test]
    fn each_bad_field_is_named() {
        let mut f = full();
        f.graduation_year = "1900".into();
        f.availability_hours = "100".into();
        f.skills.push("basket-weaving".into());
        f.interests.push("astrology".into());
        f.time_zone = "Mars".into();
        f.github_url = "github.com/x".into();
        f.university_id = "x".into();
        let e = f.parse(2026).err().unwrap_or_default();
        for field in [
            "graduation_year",
            "availability_hours",
            "skills",
            "interests",
            "time_zone",
            "github_url",
            "university_id",
        ] {
            assert!(e.get(field).is_some(), "{field} should have an error: {e}");
        }
    }

    #[test]
    fn time_zones() {
        assert!(parse_time_zone("UTC+05:30").is_ok());
        assert!(parse_time_zone("UTC-08").is_ok());
        assert!(parse_time_zone("America/Argentina/Buenos_Aires").is_ok());
        assert!(parse_time_zone("UTC+5:3x").is_err());
    }
}
