//! Organizations (employers and universities) and the people who belong to them.

use serde::{Deserialize, Serialize};

use crate::text::{bounded, optional, url};
use crate::{FieldError, FieldErrors};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OrgKind {
    Employer,
    University,
}

impl OrgKind {
    pub fn as_str(self) -> &'static str {
        match self {
            OrgKind::Employer => "employer",
            OrgKind::University => "university",
        }
    }

    pub fn parse(raw: &str) -> Option<OrgKind> {
        match raw {
            "employer" => Some(OrgKind::Employer),
            "university" => Some(OrgKind::University),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MemberRole {
    Owner,
    Member,
}

impl MemberRole {
    pub fn as_str(self) -> &'static str {
        match self {
            MemberRole::Owner => "owner",
            MemberRole::Member => "member",
        }
    }

    pub fn parse(raw: &str) -> Option<MemberRole> {
        match raw {
            "owner" => Some(MemberRole::Owner),
            "member" => Some(MemberRole::Member),
            _ => None,
        }
    }
}

/// A URL-safe identifier made from a name: lower-case ASCII letters, digits
/// and single dashes.
pub fn slugify(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    let out = out.trim_end_matches('-');
    let mut out: String = out.chars().take(60).collect();
    while out.ends_with('-') {
        out.pop();
    }
    if out.is_empty() {
        "org".to_string()
    } else {
        out
    }
}

/// What a person types to create or edit an organization, parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrgInput {
    pub name: String,
    pub website: Option<String>,
    pub country: String,
    pub description: String,
    /// Email domains of the organization's people: a university's
    /// students and staff, an employer's staff. Single sign-on and
    /// provisioning work for these once Stint verifies the organization;
    /// at a university, a confirmed address in one also proves a student's
    /// affiliation.
    pub email_domains: Vec<String>,
}

/// ISO 3166-1 alpha-2, upper-cased.
pub fn parse_country(raw: &str) -> Result<String, FieldError> {
    let s = raw.trim().to_ascii_uppercase();
    if s.len() == 2 && s.bytes().all(|b| b.is_ascii_uppercase()) {
        Ok(s)
    } else {
        Err(FieldError::new(
            "country",
            "Use the two-letter country code, such as IN, US or GB.",
        ))
    }
}

/// A tax id for receipts (GSTIN, VAT number, EIN…): 3–40 letters, digits,
/// spaces, dots, dashes or slashes; empty clears it.
pub fn parse_tax_id(raw: &str) -> Result<Option<String>, FieldError> {
    let s = raw.trim();
    if s.is_empty() {
        return Ok(None);
    }
    let ok = (3..=40).contains(&s.chars().count())
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || " .-/".contains(c));
    if ok {
        Ok(Some(s.to_ascii_uppercase()))
    } else {
        Err(FieldError::new(
            "tax_id",
            "A tax id has 3 to 40 letters, digits, spaces, dots, dashes or slashes (for example 27AAPFU0939F1ZV or GB123456789).",
        ))
    }
}

/// Public email services: nobody's company domain.
const PUBLIC_MAIL: [&str; 12] = [
    "gmail.com",
    "googlemail.com",
    "outlook.com",
    "hotmail.com",
    "live.com",
    "yahoo.com",
    "icloud.com",
    "proton.me",
    "protonmail.com",
    "aol.com",
    "rediffmail.com",
    "zoho.com",
];

pub fn parse_domain(raw: &str) -> Result<String, FieldError> {
    let d = raw.trim().trim_start_matches('@').to_ascii_lowercase();
    let ok = d.contains('.')
        && d.len() <= 120
        && d.split('.')
            .all(|l| !l.is_empty() && !l.starts_with('-') && !l.ends_with('-'))
        && d.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-');
    if ok {
        Ok(d)
    } else {
        Err(FieldError::new(
            "email_domains",
            format!("'{}' is not an email domain like uni.ac.in.", raw.trim()),
        ))
    }
}

impl OrgInput {
    pub fn parse(
        kind: OrgKind,
        name: &str,
        website: &str,
        country: &str,
        description: &str,
        email_domains: &str,
    ) -> Result<OrgInput, FieldErrors> {
        let mut errs = FieldErrors::new();
        let name = errs.take(bounded("name", "Organization name", name, 2, 120));
        let website = errs.take(url("website", "Website", website));
        let country = errs.take(parse_country(country));
        let description = errs.take(optional("description", "Description", description, 2000));
        let mut domains = Vec::new();
        for d in email_domains
            .split([',', ' ', '\n'])
            .filter(|d| !d.trim().is_empty())
        {
            if let Some(d) = errs.take(parse_domain(d))
                && !domains.contains(&d)
            {
                domains.push(d);
            }
        }
        if domains.len() > 10 {
            errs.add("email_domains", "List at most 10 email domains.");
        }
        if kind == OrgKind::Employer
            && let Some(d) = domains.iter().find(|d| PUBLIC_MAIL.contains(&d.as_str()))
        {
            errs.add(
                "email_domains",
                format!("{d} is a public email service, not your company's domain."),
            );
        }
        match (name, website, country, description) {
            (Some(name), Some(website), Some(country), Some(description)) if errs.is_empty() => {
                Ok(OrgInput {
                    name,
                    website,
                    country,
                    description: description.unwrap_or_default(),
                    email_domains: domains,
                })
            }
            _ => Err(errs),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs() {
        assert_eq!(slugify("Acme Analytics, Inc."), "acme-analytics-inc");
        assert_eq!(slugify("  --Zoë's  Café-- "), "zo-s-caf");
        assert_eq!(slugify("!!!"), "org");
        assert!(slugify(&"a".repeat(100)).len() <= 60);
    }

    #[test]
    fn org_input() {
        let ok = OrgInput::parse(
            OrgKind::University,
            "IIT Example",
            "https://iit.example.ac.in",
            "in",
            "",
            "iit.example.ac.in, @students.iit.example.ac.in",
        );
        let ok = ok.unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(ok.country, "IN");
        assert_eq!(
            ok.email_domains,
            vec!["iit.example.ac.in", "students.iit.example.ac.in"]
        );
        let err = OrgInput::parse(OrgKind::Employer, "", "example.com", "India", "", "")
            .err()
            .unwrap_or_default();
        assert!(
            err.get("name").is_some()
                && err.get("website").is_some()
                && err.get("country").is_some()
        );
        assert!(OrgInput::parse(OrgKind::University, "Uni", "", "GB", "", "not a domain").is_err());
        // Employers list their own domains, for single sign-on and
        // provisioning; a public mail service is nobody's.
        let firm = OrgInput::parse(OrgKind::Employer, "Firm", "", "GB", "", "Firm.example")
            .map(|o| o.email_domains)
            .unwrap_or_default();
        assert_eq!(firm, vec!["firm.example"]);
        let err = OrgInput::parse(OrgKind::Employer, "Firm", "", "GB", "", "gmail.com")
            .err()
            .unwrap_or_default();
        assert!(
            err.get("email_domains")
                .is_some_and(|e| e.contains("public email service"))
        );
    }
}
