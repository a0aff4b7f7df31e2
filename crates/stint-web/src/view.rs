//! Helpers shared by page templates: the layout every page carries, and
//! formatting of dates, money and choices.

use chrono::NaiveDate;
use stint_domain::FieldErrors;
use stint_domain::account::Role;
use stint_store::User;

/// What the shared layout needs: who is signed in, and a notice to show.
#[derive(Debug, Clone, Default)]
pub struct Layout {
    pub title: String,
    pub user_name: Option<String>,
    pub role: Option<Role>,
    pub demo: bool,
    pub notice: Option<String>,
    /// Set on pages reached only after sign-in, so search engines skip them.
    pub noindex: bool,
}

impl Layout {
    pub fn new(title: impl Into<String>, user: Option<&User>, demo: bool) -> Layout {
        Layout {
            title: title.into(),
            user_name: user.map(|u| u.name.clone()),
            role: user.map(|u| u.role),
            demo,
            notice: None,
            noindex: false,
        }
    }

    pub fn with_notice(mut self, notice: Option<&str>) -> Layout {
        self.notice = notice.and_then(notice_text).map(String::from);
        self
    }

    pub fn is_student(&self) -> bool {
        self.role == Some(Role::Student)
    }
    pub fn is_employer(&self) -> bool {
        self.role == Some(Role::Employer)
    }
    pub fn is_university(&self) -> bool {
        self.role == Some(Role::University)
    }
    pub fn is_admin(&self) -> bool {
        self.role == Some(Role::Admin)
    }
}

/// Notices shown after a redirect, by code, so no text travels in URLs.
fn notice_text(code: &str) -> Option<&'static str> {
    Some(match code {
        "welcome" => "Welcome to Stint! We have emailed you a link to confirm your address.",
        "signed_in" => "You are signed in.",
        "signed_out" => "You are signed out.",
        "verified" => "Thank you: your email address is confirmed.",
        "password_changed" => "Your password has been changed. Other devices have been signed out.",
        "password_reset" => "Your password has been reset. You are signed in.",
        "reset_sent" => {
            "If an account uses that address, we have emailed it a link to reset the password."
        }
        "profile_saved" => "Your profile is saved.",
        "return_recorded" => {
            "Recorded: the refund is sent back to the employer, and they are told."
        }
        "hired_pay_now" => {
            "Hired. Pay now to secure the price in escrow: the student starts once Stripe confirms your payment."
        }
        "payment_sent" => {
            "Thank you: Stripe is confirming your payment. This page shows it as received within a minute."
        }
        "stripe_ready" => {
            "Stripe has your payout details: your earnings go to your Stripe account."
        }
        "tax_id_saved" => "Your tax id is saved; it appears on your receipts.",
        "payout_saved" => "Your payout details are saved. Stint pays your released earnings there.",
        "org_created" => {
            "Your organization is created. Stint will verify it shortly; you can draft projects meanwhile."
        }
        "org_joined" => "You have joined your organization.",
        "draft_saved" => "Draft saved.",
        "published" => "Your project is live. Students can find it now.",
        "closed" => "The project is closed to new applications.",
        "cancelled" => "The project is cancelled.",
        "org_verified" => "Organization verified.",
        "token_revoked" => "The token is revoked.",
        "applied" => {
            "Your application is sent. The employer decides by the date on the project page."
        }
        "withdrawn" => "Your application is withdrawn.",
        "shortlisted" => "Shortlisted. The applicant has been told.",
        "rejected" => "Rejected. The applicant has been told, with your note if you wrote one.",
        "hired" => "Hired. The price is secured in escrow and the student has been told.",
        "achievement_saved" => {
            "Your portfolio entry is saved; the employer is asked to confirm it."
        }
        "achievement_confirmed" => {
            "Confirmed: the entry shows as verified on the student's portfolio."
        }
        "portfolio_public" => {
            "Your portfolio is public: anyone with the link sees your verified work."
        }
        "portfolio_private" => "Your portfolio is private again.",
        "disputed" => "The dispute is raised. A Stint admin will read the thread and decide.",
        "resolved" => "The dispute is resolved; both sides have been told.",
        "reviewed" => "Thank you: your review is in.",
        "posted" => "Posted. The other side has been told.",
        "submitted" => "Your work is submitted. The employer has been told.",
        "approved" => "Approved. The price is released to the student.",
        "revision_requested" => "Revision requested. The student has your feedback.",
        "engagement_cancelled" => "The engagement is cancelled and the escrow refunded.",
        "email_saved" => "Your email choices are saved.",
        "search_saved" => "Saved. New projects that match will reach you.",
        "search_deleted" => "The saved search is deleted.",
        "suggestion_hidden" => "Hidden. We will not suggest that project again.",
        "deposit_recorded" => "Payment received is recorded; the employer has been told.",
        "payout_recorded" => "Payout recorded; the student has been told.",
        "hired_filled" => {
            "Hired, and every place is now taken: the project is filled and the other applicants have been told."
        }
        _ => return None,
    })
}

/// "1 Dec 2026".
pub fn date(d: &NaiveDate) -> String {
    d.format("%-d %b %Y").to_string()
}

/// The error for one field, for templates: empty when there is none.
pub fn field_error<'a>(errors: &'a FieldErrors, field: &str) -> &'a str {
    errors.get(field).unwrap_or("")
}

/// An option in a `<select>` or a checkbox in a group.
#[derive(Debug, Clone)]
pub struct Choice {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

impl Choice {
    pub fn new(value: &str, label: &str, selected: bool) -> Choice {
        Choice {
            value: value.into(),
            label: label.into(),
            selected,
        }
    }
}

/// Checkboxes grouped under a heading (skills by category).
#[derive(Debug, Clone)]
pub struct ChoiceGroup {
    pub label: String,
    pub choices: Vec<Choice>,
}

/// Every skill, grouped by category, with `selected` checked.
pub fn skill_groups(selected: &[String]) -> Vec<ChoiceGroup> {
    stint_domain::taxonomy::CATEGORIES
        .iter()
        .map(|c| ChoiceGroup {
            label: c.name.to_string(),
            choices: stint_domain::taxonomy::SKILLS
                .iter()
                .filter(|s| s.category == c.slug)
                .map(|s| Choice::new(s.slug, s.name, selected.iter().any(|x| x == s.slug)))
                .collect(),
        })
        .filter(|g| !g.choices.is_empty())
        .collect()
}

pub fn category_choices(selected: &str) -> Vec<Choice> {
    stint_domain::taxonomy::CATEGORIES
        .iter()
        .map(|c| Choice::new(c.slug, c.name, c.slug == selected))
        .collect()
}

/// An employer's record in sentences, for listings and its page.
pub fn record_lines(
    r: &stint_store::Accountability,
    ratings: Option<[u32; 3]>,
    reviews: usize,
) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(p) = r.answered_percent() {
        out.push(format!(
            "Answered {p}% of applications before the decision date"
        ));
    }
    if let Some(h) = r.median_decision_hours {
        out.push(match h {
            0 => "Decides within an hour (median)".to_string(),
            1 => "Decides in 1 hour (median)".to_string(),
            h if h < 48 => format!("Decides in {h} hours (median)"),
            h => format!("Decides in {} days (median)", h / 24),
        });
    }
    if let Some(h) = r.median_payout_hours {
        out.push(match h {
            0 => "Students paid within an hour of approval (median)".to_string(),
            h if h < 48 => format!("Students paid {h} hours after approval (median)"),
            h => format!("Students paid {} days after approval (median)", h / 24),
        });
    }
    if let Some(p) = r.on_time_percent() {
        out.push(format!(
            "Approved {p}% of delivered work without a reminder"
        ));
    }
    if let Some([a, b, c]) = ratings {
        out.push(format!(
            "Rated by {reviews} student{}: brief {}.{} · support {}.{} · payment {}.{} out of 5",
            if reviews == 1 { "" } else { "s" },
            a / 10,
            a % 10,
            b / 10,
            b % 10,
            c / 10,
            c % 10
        ));
    }
    out
}

/// JSON to place inside a `<script>` element. `<`, `>` and `&` become `\u`
/// escapes (the same string to any JSON reader), so neither `</script>` nor
/// `<!--` in someone's text can end the element or swallow the page; the
/// two JavaScript line separators are escaped too.
pub fn inline_json(v: &serde_json::Value) -> String {
    let raw = v.to_string();
    let mut out = String::with_capacity(raw.len());
    for c in raw.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod inline_json_tests {
    use super::inline_json;

    #[test]
    fn nothing_in_the_text_can_close_or_comment_the_script() {
        let v = serde_json::json!({"a": "<!--<script></script>&\u{2028}"});
        let s = inline_json(&v);
        assert!(
            !s.contains('<') && !s.contains('>') && !s.contains('&'),
            "{s}"
        );
        let back: serde_json::Value = serde_json::from_str(&s).unwrap_or_default();
        assert_eq!(back, v);
    }
}
