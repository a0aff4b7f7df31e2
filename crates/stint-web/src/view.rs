//! Helpers shared by page templates: the layout every page carries, and
//! formatting of dates, money and choices.

use chrono::{DateTime, NaiveDate, Utc};
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
    /// The signed-in person's unread notifications.
    pub unread: i64,
    /// The navigation entry this page belongs to (its `href`), marked with
    /// `aria-current`.
    pub current: &'static str,
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
            unread: user.map_or(0, |u| u.unread_notifications),
            current: "",
        }
    }

    /// Marks the navigation entry `href` as the current page.
    pub fn at(mut self, href: &'static str) -> Layout {
        self.current = href;
        self
    }

    /// Whether `href` is this page's navigation entry.
    pub fn is_current(&self, href: &str) -> bool {
        self.current == href
    }

    /// The document title, with the unread count first when there is one.
    pub fn full_title(&self) -> String {
        if self.unread > 0 {
            format!("({}) {} · Stint", self.unread, self.title)
        } else {
            format!("{} · Stint", self.title)
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
        "affiliation_link_sent" => {
            "We sent a link to that address. Open it within 3 days to confirm your university."
        }
        "affiliation_confirmed" => {
            "Your university is confirmed. Employers now see it as confirmed."
        }
        "affiliation_requested" => {
            "We asked your university's career staff to confirm you; we will email you their answer."
        }
        "sharing_saved" => "Saved. Your university now sees what the page says.",
        "project_featured" => {
            "Featured. Your students see it on their university page and on your school page."
        }
        "project_unfeatured" => "No longer featured.",
        "equity_saved" => "Saved. Your answers are only ever counted in totals of five or more.",
        "affiliation_approved" => "Confirmed. The student now counts as yours.",
        "affiliation_declined" => "Declined. We told the student.",
        "affiliation_removed" => "The affiliation is removed; we told the student.",
        "staff_invited" => "Invitation sent. Your colleague joins with the invite code in it.",
        "staff_role_saved" => "Role saved.",
        "talent_tags_saved" => "Tags saved.",
        "talent_note_added" => "Note added. Only your organization's members see it.",
        "talent_note_deleted" => "Note deleted.",
        "webhook_saved" => "Endpoint saved.",
        "webhook_rotated" => {
            "New secret made. The previous one keeps signing beside it for 24 hours."
        }
        "webhook_deleted" => "Endpoint deleted. Stint no longer sends events to it.",
        "webhook_test_delivered" => {
            "Test event delivered: your endpoint answered with a 2xx status."
        }
        "webhook_test_failed" => {
            "The test event was not accepted. The attempt below says what your endpoint answered."
        }
        "webhook_redelivered" => "Sent again, and your endpoint accepted it.",
        "webhook_redeliver_failed" => {
            "Sent again, but your endpoint did not accept it. The newest attempt below says why."
        }
        "offer_made" => "Offer recorded. We told the student; they answer it in Stint.",
        "offer_withdrawn" => "Offer withdrawn. We told the student.",
        "offer_answered" => "Answer saved. We told the employer.",
        "offer_profile_saved" => "Saved: your portfolio shows your offers as you chose.",
        "reach_saved" => "Saved. Employers see you as you chose from now on.",
        "invitation_declined" => "Invitation declined; the employer sees it as declined.",
        "invitation_sent" => "Invitation sent. The student sees your note with the project.",
        "credit_created" => "Credit requested. Write your learning agreement next.",
        "credit_saved" => "Agreement saved as a draft.",
        "credit_submitted" => "Agreement sent to the employer and your supervisor.",
        "credit_withdrawn" => "The credit request is withdrawn.",
        "credit_acknowledged" => "Acknowledged. The supervisor can now approve the agreement.",
        "credit_approved" => "Agreement approved. The student logs hours from now on.",
        "credit_returned" => "Sent back to the student with your comments.",
        "hours_logged" => "Hours logged.",
        "reflection_sent" => "Reflection sent to your supervisor for sign-off.",
        "credit_signed_off" => "Signed off. The student has been told.",
        "calendar_on" => "Your calendar address is ready. Subscribe to it from your calendar app.",
        "calendar_off" => "The calendar is off; its address no longer works.",
        "credential_revoked" => {
            "The credential is revoked. Its page and the status list now say so."
        }
        "signed_out" => "You are signed out.",
        "verified" => "Thank you: your email address is confirmed.",
        "scim_token_revoked" => {
            "The token is revoked: a directory that uses it can no longer reach Stint."
        }
        "scim_group_mapped" => {
            "Saved. The group's members have the role now, except those listed under Not applied."
        }
        "sso_saved" => "Sign-in settings saved. Test them before people use them.",
        "lti_saved" => {
            "Platform saved. Test it, then launch Stint from a course to check the whole way."
        }
        "lti_removed" => {
            "Platform removed: its launches no longer open Stint. Accounts made by it stay."
        }
        "sso_required" => {
            "Your organization's sign-in is now required: passwords no longer work for its domains."
        }
        "sso_optional" => {
            "Passwords work again for your organization's domains, beside its sign-in."
        }
        "sso_removed" => {
            "Your organization's sign-in is removed. Its people sign in with passwords; those who never set one use \"Forgot your password?\"."
        }
        "password_changed" => "Your password has been changed. Other devices have been signed out.",
        "password_reset" => "Your password has been reset. You are signed in.",
        "reset_sent" => {
            "If an account uses that address, we have emailed it a link to reset the password."
        }
        "profile_saved" => "Your profile is saved.",
        "zone_saved" => "Your time zone is saved: times now show in it.",
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
        "restriction_saved" => "Saved who can apply to this project.",
        "published" => "Your project is live. Students can find it now.",
        "published_arranged" => {
            "Your project is live for the university's students: they find it on their university's pages, and nobody else sees it."
        }
        "published_invite_only" => {
            "Your project is live for the students you invite, and nobody else sees it. Invite students from your talent pool, or offer the place directly to one of them."
        }
        "direct_offer_sent" => {
            "Offer sent. The student accepts or declines it in Stint; you are told either way."
        }
        "direct_offer_withdrawn" => "Offer withdrawn. The student has been told.",
        "direct_offer_accepted" => "You accepted the offer and are hired. Your workspace is open.",
        "direct_offer_declined" => "You declined the offer. The employer has been told.",
        "closed" => "The project is closed to new applications.",
        "cancelled" => "The project is cancelled.",
        "org_verified" => "Organization verified.",
        "token_revoked" => "The token is revoked.",
        "applied" => {
            "Your application is sent. The employer decides by the date on the project page."
        }
        "withdrawn" => "Your application is withdrawn.",
        "shortlisted" => "Shortlisted. The applicant has been told.",
        "rejected_many" => {
            "Rejected. Each applicant has been told, with your note if you wrote one."
        }
        "none_ticked" => "Tick the applicants to reject first.",
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
        "correction_requested" => {
            "Your request is with Stint's team. You will be notified of the answer, within 30 days."
        }
        "request_answered" => "Answered. The person is notified.",
        "name_saved" => "Your name is changed.",
        "account_deleted" => {
            "Your account is deleted. What you wrote, your profile and your files are gone; thank you for using Stint."
        }
        "account_deleted_by_admin" => "The account is deleted.",
        "organization_closed" => {
            "The organization is closed and its members are told. Your own account stays."
        }
        "export_ready" => "Your download is ready.",
        "export_requested" => {
            "Your download is being prepared. You will be notified when it is ready."
        }
        "search_saved" => "Saved. New projects that match will reach you.",
        "search_deleted" => "The saved search is deleted.",
        "suggestion_hidden" => "Hidden. We will not suggest that project again.",
        "suggestion_restored" => "Restored: that project can be suggested again.",
        "deposit_recorded" => "Payment received is recorded; the employer has been told.",
        "payout_recorded" => "Payout recorded; the student has been told.",
        "hired_filled" => {
            "Hired, and every place is now taken: the project is filled and the other applicants have been told."
        }
        _ => return None,
    })
}

/// "1 Dec 2026": day, month in words, year, which reads the same in every
/// English locale (unlike 12/01/2026).
pub fn date(d: &NaiveDate) -> String {
    d.format("%-d %b %Y").to_string()
}

/// Zones offered on the account page, besides whatever is set: those of
/// the countries Stint serves first.
pub const COMMON_ZONES: [&str; 14] = [
    "Asia/Kolkata",
    "Europe/London",
    "Europe/Dublin",
    "Europe/Paris",
    "Europe/Berlin",
    "America/New_York",
    "America/Chicago",
    "America/Denver",
    "America/Los_Angeles",
    "Asia/Dubai",
    "Asia/Singapore",
    "Australia/Sydney",
    "Africa/Lagos",
    "UTC",
];

/// A zone a person may choose: an IANA name the time zone database knows,
/// or "UTC".
pub fn known_zone(raw: &str) -> Option<chrono_tz::Tz> {
    raw.trim().parse::<chrono_tz::Tz>().ok()
}

/// A moment as its reader reads it: "26 Nov 2026, 16:31 IST" in their zone
/// (an IANA name, or "UTC+05:30" as a profile may hold), else in UTC.
pub fn moment(t: DateTime<Utc>, zone: Option<&str>) -> String {
    const F: &str = "%-d %b %Y, %H:%M";
    if let Some(tz) = zone.and_then(known_zone) {
        let local = t.with_timezone(&tz);
        return format!("{} {}", local.format(F), local.format("%Z"));
    }
    if let Some(off) = zone.and_then(fixed_offset) {
        let local = t.with_timezone(&off);
        return format!("{} {}", local.format(F), zone.unwrap_or("UTC").trim());
    }
    format!("{} UTC", t.format(F))
}

/// "UTC+05:30", "UTC-4" as an offset.
fn fixed_offset(raw: &str) -> Option<chrono::FixedOffset> {
    let rest = raw.trim().strip_prefix("UTC")?;
    let (sign, rest) = match rest.as_bytes().first()? {
        b'+' => (1, &rest[1..]),
        b'-' => (-1, &rest[1..]),
        _ => return None,
    };
    let (h, m) = rest.split_once(':').unwrap_or((rest, "0"));
    let secs = h.parse::<i32>().ok()? * 3600 + m.parse::<i32>().ok()? * 60;
    chrono::FixedOffset::east_opt(sign * secs)
}

/// How long ago, in the largest whole unit: "just now", "3 hours ago",
/// "2 days ago".
pub fn ago(now: DateTime<Utc>, then: DateTime<Utc>) -> String {
    let d = now - then;
    let (n, unit) = if d.num_days() >= 1 {
        (d.num_days(), "day")
    } else if d.num_hours() >= 1 {
        (d.num_hours(), "hour")
    } else if d.num_minutes() >= 1 {
        (d.num_minutes(), "minute")
    } else {
        return "just now".into();
    };
    format!("{n} {unit}{} ago", if n == 1 { "" } else { "s" })
}

/// A date relative to today: "today", "tomorrow", "in 5 days", "yesterday",
/// "3 days ago".
pub fn until(today: NaiveDate, day: NaiveDate) -> String {
    match (day - today).num_days() {
        0 => "today".into(),
        1 => "tomorrow".into(),
        -1 => "yesterday".into(),
        n if n > 1 => format!("in {n} days"),
        n => format!("{} days ago", -n),
    }
}

/// The style of a status badge, by its label: `done` (finished well),
/// `live` (under way), `wait` (waiting on someone), `ended` (stopped without
/// completing), `draft` (not yet out). Each style differs in colour and in
/// its mark, so states are told apart without colour too.
pub fn tone(label: &str) -> &'static str {
    match label {
        "Paid"
        | "Approved"
        | "Completed"
        | "Completed work"
        | "Hired"
        | "Filled"
        | "Signed off"
        | "Accepted"
        | "Accepted, hired"
        | "Accepted outside Stint"
        | "Delivered" => "done",
        "Open" | "In progress" | "Working" | "Logging hours" | "On" => "live",
        "Submitted"
        | "Submitted for review"
        | "Shortlisted"
        | "Revision requested"
        | "In dispute"
        | "Applied"
        | "Agreement sent"
        | "Agreement returned"
        | "Awaiting sign-off"
        | "Invited"
        | "Offered"
        | "Waiting for an answer"
        | "Sending"
        | "Retrying" => "wait",
        "Cancelled" | "Not selected" | "Withdrawn" | "Closed" | "Ended" | "Declined" | "Failed"
        | "Off" => "ended",
        _ => "draft",
    }
}

/// A paragraph or a list, from text someone wrote with "- " items.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    pub list: bool,
    pub lines: Vec<String>,
}

/// Splits written text into paragraphs and lists: lines starting with "- ",
/// "* " or "• " (or "1. ", "2) ") become list items; blank lines end a
/// paragraph. Nothing is interpreted as markup; templates escape each line.
pub fn blocks(text: &str) -> Vec<Block> {
    let mut out: Vec<Block> = Vec::new();
    let mut blank = true;
    for raw in text.lines() {
        let line = raw.trim();
        if line.is_empty() {
            blank = true;
            continue;
        }
        let item = ["- ", "* ", "• "]
            .iter()
            .find_map(|m| line.strip_prefix(m))
            .or_else(|| {
                let digits = line.find(|c: char| !c.is_ascii_digit())?;
                let rest = &line[digits..];
                (digits > 0 && digits < 3)
                    .then(|| rest.strip_prefix(". ").or_else(|| rest.strip_prefix(") ")))
                    .flatten()
            });
        let (list, text) = match item {
            Some(t) => (true, t.trim()),
            None => (false, line),
        };
        match out.last_mut() {
            Some(b) if b.list == list && (list || !blank) => b.lines.push(text.to_string()),
            _ => out.push(Block {
                list,
                lines: vec![text.to_string()],
            }),
        }
        blank = false;
    }
    out
}

/// `path?k=v&…` for a list page: empty values are left out, and `page`
/// when it is the first.
pub fn list_link(path: &str, pairs: &[(&str, &str)], page: impl std::fmt::Display) -> String {
    let page = page.to_string();
    let kept: Vec<(&str, &str)> = pairs
        .iter()
        .map(|(k, v)| (*k, v.trim()))
        .filter(|(_, v)| !v.is_empty())
        .chain((page != "1").then_some(("page", page.as_str())))
        .collect();
    format!(
        "{path}?{}",
        serde_urlencoded::to_string(kept).unwrap_or_default()
    )
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

/// The record's line about offers of roles (shown from
/// `MIN_PUBLIC_OFFERS` students on).
pub fn offers_line(offers: Option<(i64, i64)>) -> Option<String> {
    offers.map(|(offered, accepted)| {
        format!(
            "{offered} students went on to job offers after their projects ({accepted} accepted)"
        )
    })
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
mod block_tests {
    use super::{Block, blocks};

    fn b(list: bool, lines: &[&str]) -> Block {
        Block {
            list,
            lines: lines.iter().map(|l| l.to_string()).collect(),
        }
    }

    #[test]
    fn dashes_become_lists_and_the_rest_paragraphs() {
        let text = "Deliver in two parts:\n- A coded dataset\n- A two-page summary\n\nBoth by Friday.\n1. First\n2) Second";
        assert_eq!(
            blocks(text),
            vec![
                b(false, &["Deliver in two parts:"]),
                b(true, &["A coded dataset", "A two-page summary"]),
                b(false, &["Both by Friday."]),
                b(true, &["First", "Second"]),
            ]
        );
        assert_eq!(
            blocks("2026 was a year"),
            vec![b(false, &["2026 was a year"])]
        );
        assert!(blocks("  \n").is_empty());
    }
}

#[cfg(test)]
mod zone_tests {
    use chrono::{TimeZone, Utc};

    use super::moment;

    #[test]
    fn times_read_in_the_readers_zone() {
        let t = Utc
            .with_ymd_and_hms(2026, 11, 26, 11, 1, 0)
            .single()
            .unwrap_or_default();
        assert_eq!(moment(t, Some("Asia/Kolkata")), "26 Nov 2026, 16:31 IST");
        assert_eq!(moment(t, Some("Europe/London")), "26 Nov 2026, 11:01 GMT");
        assert_eq!(
            moment(t, Some("America/New_York")),
            "26 Nov 2026, 06:01 EST"
        );
        assert_eq!(moment(t, Some("UTC+05:30")), "26 Nov 2026, 16:31 UTC+05:30");
        // Across midnight the date moves too.
        let late = Utc
            .with_ymd_and_hms(2026, 11, 26, 20, 0, 0)
            .single()
            .unwrap_or_default();
        assert_eq!(moment(late, Some("Asia/Kolkata")), "27 Nov 2026, 01:30 IST");
        assert_eq!(moment(t, None), "26 Nov 2026, 11:01 UTC");
        assert_eq!(moment(t, Some("Mars/Olympus")), "26 Nov 2026, 11:01 UTC");
    }
}

#[cfg(test)]
mod relative_tests {
    use chrono::{Duration, NaiveDate, TimeZone, Utc};

    use super::{ago, until};

    #[test]
    fn waits_and_dates_read_as_people_say_them() {
        let now = Utc
            .with_ymd_and_hms(2026, 11, 26, 12, 0, 0)
            .single()
            .unwrap_or_default();
        assert_eq!(ago(now, now - Duration::seconds(20)), "just now");
        assert_eq!(ago(now, now - Duration::minutes(1)), "1 minute ago");
        assert_eq!(ago(now, now - Duration::hours(5)), "5 hours ago");
        assert_eq!(ago(now, now - Duration::hours(49)), "2 days ago");
        let today = NaiveDate::from_ymd_opt(2026, 11, 26).unwrap_or_default();
        let d = |n: i64| today + Duration::days(n);
        assert_eq!(until(today, d(0)), "today");
        assert_eq!(until(today, d(1)), "tomorrow");
        assert_eq!(until(today, d(6)), "in 6 days");
        assert_eq!(until(today, d(-1)), "yesterday");
        assert_eq!(until(today, d(-4)), "4 days ago");
    }
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
