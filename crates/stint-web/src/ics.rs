//! iCalendar (RFC 5545) text: events, escaping and line folding.

use chrono::{DateTime, Days, NaiveDate, Utc};

/// When an event happens: a whole day, or a moment (written in UTC, which
/// every calendar shows in its reader's zone).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum When {
    Day(NaiveDate),
    At(DateTime<Utc>),
}

#[derive(Debug, Clone)]
pub struct Event {
    /// Stable across fetches, so calendars update an event instead of
    /// adding it again.
    pub uid: String,
    pub when: When,
    pub summary: String,
    pub description: String,
    pub url: String,
}

/// TEXT escaping (RFC 5545 §3.3.11).
fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Folds a content line at 75 octets, never inside a character (§3.1).
fn fold(line: &str, out: &mut String) {
    let mut width = 0;
    for c in line.chars() {
        let n = c.len_utf8();
        if width + n > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += n;
    }
    out.push_str("\r\n");
}

fn stamp(t: DateTime<Utc>) -> String {
    t.format("%Y%m%dT%H%M%SZ").to_string()
}

/// A whole calendar.
pub fn calendar(name: &str, now: DateTime<Utc>, events: &[Event]) -> String {
    let mut out = String::new();
    let mut line = |l: String| fold(&l, &mut out);
    line("BEGIN:VCALENDAR".into());
    line("VERSION:2.0".into());
    line("PRODID:-//Stint//Calendar feed//EN".into());
    line("CALSCALE:GREGORIAN".into());
    line("METHOD:PUBLISH".into());
    line(format!("X-WR-CALNAME:{}", escape(name)));
    line("REFRESH-INTERVAL;VALUE=DURATION:PT1H".into());
    for e in events {
        line("BEGIN:VEVENT".into());
        line(format!("UID:{}", escape(&e.uid)));
        line(format!("DTSTAMP:{}", stamp(now)));
        match e.when {
            When::Day(d) => {
                line(format!("DTSTART;VALUE=DATE:{}", d.format("%Y%m%d")));
                let next = d.checked_add_days(Days::new(1)).unwrap_or(d);
                line(format!("DTEND;VALUE=DATE:{}", next.format("%Y%m%d")));
                line("TRANSP:TRANSPARENT".into());
            }
            When::At(t) => {
                line(format!("DTSTART:{}", stamp(t)));
                line(format!(
                    "DTEND:{}",
                    stamp(t + chrono::Duration::minutes(30))
                ));
            }
        }
        line(format!("SUMMARY:{}", escape(&e.summary)));
        if !e.description.is_empty() {
            line(format!("DESCRIPTION:{}", escape(&e.description)));
        }
        if !e.url.is_empty() {
            line(format!("URL:{}", e.url));
        }
        line("END:VEVENT".into());
    }
    line("END:VCALENDAR".into());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_and_long_lines_fold_between_characters() {
        let now = DateTime::parse_from_rfc3339("2026-11-26T10:00:00Z")
            .map(|t| t.with_timezone(&Utc))
            .unwrap_or_default();
        let e = Event {
            uid: "due-1@stint.example".into(),
            when: When::Day(NaiveDate::from_ymd_opt(2026, 12, 31).unwrap_or_default()),
            summary: "Due: survey, themes; report\\notes".into(),
            description: "₹9,000 ".repeat(20) + "\nline two",
            url: "https://stint.example/engagements/1".into(),
        };
        let ics = calendar("Stint", now, &[e]);
        assert!(ics.contains("SUMMARY:Due: survey\\, themes\\; report\\\\notes\r\n"));
        assert!(ics.contains("DTSTART;VALUE=DATE:20261231\r\nDTEND;VALUE=DATE:20270101\r\n"));
        assert!(ics.ends_with("END:VCALENDAR\r\n"));
        for l in ics.split("\r\n") {
            assert!(l.len() <= 75, "{} octets: {l}", l.len());
        }
        // Unfolding gives the description back, "\n" escaped.
        let unfolded = ics.replace("\r\n ", "");
        assert!(unfolded.contains(&format!(
            "DESCRIPTION:{}\\nline two",
            "₹9\\,000 ".repeat(20)
        )));
    }
}
