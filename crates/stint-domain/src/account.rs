//! Accounts: who a person is on Stint and the rules for their credentials.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::FieldError;
use crate::text::bounded;

/// A lower-cased, syntactically plausible email address.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Email(String);

impl Email {
    pub fn parse(raw: &str) -> Result<Email, FieldError> {
        let s = raw.trim().to_lowercase();
        let err = || FieldError::new("email", "Enter an email address like name@example.com.");
        if s.is_empty() {
            return Err(FieldError::new("email", "Enter your email address."));
        }
        if s.len() > 254
            || s.chars()
                .any(|c| c.is_whitespace() || c.is_control() || c == '<' || c == '>')
        {
            return Err(err());
        }
        let (local, domain) = s.rsplit_once('@').ok_or_else(err)?;
        if local.is_empty() || local.len() > 64 || local.contains('@') {
            return Err(err());
        }
        let labels: Vec<&str> = domain.split('.').collect();
        if labels.len() < 2
            || labels
                .iter()
                .any(|l| l.is_empty() || l.starts_with('-') || l.ends_with('-'))
            || !domain
                .chars()
                .all(|c| c.is_alphanumeric() || c == '.' || c == '-')
        {
            return Err(err());
        }
        Ok(Email(s))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn domain(&self) -> &str {
        self.0.rsplit_once('@').map(|(_, d)| d).unwrap_or("")
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A password that meets the policy. It never leaves memory in clear text.
#[derive(Clone)]
pub struct Password(String);

pub const PASSWORD_MIN: usize = 10;
pub const PASSWORD_MAX: usize = 128;

/// Passwords people pick most often (lower-cased), refused outright. Anything
/// shorter than the minimum length is refused by length already.
const COMMON_PASSWORDS: &[&str] = &[
    "1234567890",
    "12345678910",
    "0123456789",
    "1q2w3e4r5t",
    "1qaz2wsx3edc",
    "qwertyuiop",
    "qwerty1234",
    "qwerty12345",
    "qwerty123456",
    "password12",
    "password123",
    "password1234",
    "password!1",
    "passw0rd12",
    "p@ssw0rd123",
    "p@ssword123",
    "iloveyou12",
    "iloveyou123",
    "abcdefghij",
    "abc1234567",
    "abcd123456",
    "abcde12345",
    "1111111111",
    "0000000000",
    "9876543210",
    "aaaaaaaaaa",
    "letmein123",
    "welcome123",
    "welcome1234",
    "changeme123",
    "football123",
    "baseball123",
    "superman123",
    "starwars123",
    "sunshine123",
    "princess123",
    "dragon1234",
    "monkey1234",
    "master1234",
    "shadow1234",
    "michael123",
    "jennifer123",
    "trustno1234",
    "administrator",
    "admin12345",
    "admin123456",
    "adminadmin",
    "rootroot12",
    "internship",
    "internship1",
    "internship123",
    "student123",
    "student1234",
    "university1",
    "stintstint",
    "stint12345",
    "stint123456",
    "qazwsxedcrfv",
    "zaq12wsxcde",
    "asdfghjkl1",
    "asdfghjkl;",
    "zxcvbnm123",
    "1234qwerasdf",
    "qwer1234asdf",
    "passwordpassword",
    "mypassword1",
    "mypassword123",
    "secret1234",
    "secret12345",
    "loveyou1234",
    "hello12345",
    "helloworld",
    "helloworld1",
    "whatever12",
    "trustno1trustno1",
    "123123123123",
    "1212121212",
    "6969696969",
    "7777777777",
    "5555555555",
    "123456789a",
    "a123456789",
    "1234567890a",
    "q1w2e3r4t5",
    "1q2w3e4r5t6y",
    "computer12",
    "computer123",
    "freedom123",
    "charlie123",
    "samsung123",
    "india12345",
    "india@123",
    "india@1234",
    "london1234",
    "newyork123",
    "summer2024",
    "summer2025",
    "summer2026",
    "winter2025",
    "winter2026",
    "autumn2026",
    "spring2026",
];

impl Password {
    /// Checks length and the common-password list; `email` must not be reused
    /// as the password.
    pub fn parse(raw: &str, email: Option<&Email>) -> Result<Password, FieldError> {
        let n = raw.chars().count();
        if n < PASSWORD_MIN {
            return Err(FieldError::new(
                "password",
                format!("Use at least {PASSWORD_MIN} characters; a few words together work well."),
            ));
        }
        if n > PASSWORD_MAX {
            return Err(FieldError::new(
                "password",
                format!("Use at most {PASSWORD_MAX} characters."),
            ));
        }
        let lower = raw.to_lowercase();
        if COMMON_PASSWORDS.contains(&lower.as_str()) || raw.chars().all(|c| raw.starts_with(c)) {
            return Err(FieldError::new(
                "password",
                "This password is too common; choose another.",
            ));
        }
        if let Some(email) = email {
            let local = email.as_str().split('@').next().unwrap_or("");
            if lower == email.as_str() || (local.len() >= 4 && lower.contains(local)) {
                return Err(FieldError::new(
                    "password",
                    "Do not use your email address in your password.",
                ));
            }
        }
        Ok(Password(raw.to_string()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password(***)")
    }
}

/// The name other people see.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct DisplayName(String);

impl DisplayName {
    pub fn parse(raw: &str) -> Result<DisplayName, FieldError> {
        bounded("name", "Your name", raw, 1, 80).and_then(|s| {
            if s.contains('\n') {
                Err(FieldError::new("name", "Your name must be on one line."))
            } else {
                Ok(DisplayName(s))
            }
        })
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// What a person does on Stint. An account has exactly one role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Student,
    Employer,
    University,
    Admin,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Student => "student",
            Role::Employer => "employer",
            Role::University => "university",
            Role::Admin => "admin",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Role::Student => "Student",
            Role::Employer => "Employer",
            Role::University => "University staff",
            Role::Admin => "Admin",
        }
    }

    /// Roles a person may choose when signing up; admins are made by the CLI.
    pub fn parse_signup(raw: &str) -> Result<Role, FieldError> {
        match raw.trim() {
            "student" => Ok(Role::Student),
            "employer" => Ok(Role::Employer),
            "university" => Ok(Role::University),
            _ => Err(FieldError::new(
                "role",
                "Choose student, employer or university.",
            )),
        }
    }
}

impl FromStr for Role {
    type Err = FieldError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "admin" => Ok(Role::Admin),
            other => Role::parse_signup(other),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_normalised_and_checked() {
        assert_eq!(
            Email::parse("  Asha@Example.COM ").map(|e| e.to_string()),
            Ok("asha@example.com".into())
        );
        for bad in [
            "",
            "asha",
            "asha@",
            "@example.com",
            "asha@example",
            "a b@example.com",
            "asha@-x.com",
            "a@b@c.com",
            "<a@b.com>",
        ] {
            assert!(Email::parse(bad).is_err(), "{bad} should be refused");
        }
        assert_eq!(
            Email::parse("x@uni.ac.in").map(|e| e.domain().to_string()),
            Ok("uni.ac.in".into())
        );
    }

    #[test]
    fn password_policy() {
        let email = Email::parse("priya.shah@example.com").ok();
        assert!(Password::parse("short", None).is_err());
        assert!(Password::parse("password123", None).is_err());
        assert!(Password::parse("PASSWORD123", None).is_err());
        assert!(Password::parse("aaaaaaaaaaaaaa", None).is_err());
        assert!(Password::parse("priya.shah-rocks", email.as_ref()).is_err());
        assert!(Password::parse(&"x".repeat(129), None).is_err());
        assert!(Password::parse("correct horse battery", email.as_ref()).is_ok());
        assert_eq!(
            format!("{:?}", Password::parse("correct horse battery", None).ok()),
            "Some(Password(***))"
        );
    }

    #[test]
    fn names_and_roles() {
        assert!(DisplayName::parse("  ").is_err());
        assert!(DisplayName::parse("Asha\nRao").is_err());
        assert_eq!(
            DisplayName::parse(" Asha Rao ").map(|n| n.as_str().to_string()),
            Ok("Asha Rao".into())
        );
        assert_eq!(Role::parse_signup("employer"), Ok(Role::Employer));
        assert!(Role::parse_signup("admin").is_err());
        assert_eq!("admin".parse::<Role>(), Ok(Role::Admin));
    }
}
