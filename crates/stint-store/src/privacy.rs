//! What Stint holds about one person, section by section, and the data
//! requests (exports, corrections, deletions) people and admins make.
//!
//! [`SECTIONS`] is the inventory a download is built from: each section is
//! one query over the tables that hold the person's rows, read as plain
//! JSON objects (column → value) so the export shows every field as stored.
//! Secrets (password and token hashes, sealed payout details and keys) are
//! never selected. [`HOLDINGS`] names, for every column that points at a
//! person, the section that exports it, so a new table cannot be forgotten:
//! a test compares it with the foreign keys the migrations declare.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use futures_util::TryStreamExt;
use serde::Serialize;
use serde_json::{Map, Value};
use sqlx::{Column, Row, TypeInfo, ValueRef};

use crate::{Db, Store, StoreError, StoreResult, with_db};

/// One file of a download: `file` (`applications.json`), what it holds in
/// words, and the query, with `$1` the person's id.
#[derive(Debug, Clone, Copy)]
pub struct Section {
    pub file: &'static str,
    pub about: &'static str,
    sql: &'static str,
}

/// Every section of a download, in the order of its index.
pub const SECTIONS: &[Section] = &[
    Section {
        file: "account.json",
        about: "Your account: name, email address, role, time zone, when it was made and verified.",
        sql: "SELECT id, email, name, role, time_zone, email_verified_at, deactivated_at, created_at FROM users WHERE id = $1",
    },
    Section {
        file: "organization.json",
        about: "The organization you belong to and your role in it.",
        sql: "SELECT o.name AS organization, o.kind, m.role, m.staff_role, m.created_at AS joined_at FROM memberships m JOIN organizations o ON o.id = m.org_id WHERE m.user_id = $1",
    },
    Section {
        file: "profile.json",
        about: "Your student profile as you filled it in.",
        sql: "SELECT p.headline, u.name AS university, p.area_of_study, p.degree, p.graduation_year, p.skills, p.coursework, p.availability_hours, p.interests, p.location, p.time_zone, p.portfolio_url, p.linkedin_url, p.github_url, p.bio, p.portfolio_public, p.updated_at FROM student_profiles p LEFT JOIN organizations u ON u.id = p.university_id WHERE p.user_id = $1",
    },
    Section {
        file: "choices.json",
        about: "What you chose to allow: being found by employers, invitations, what your university sees, and email by topic.",
        sql: "SELECT 'discoverable to employers' AS choice, CASE WHEN discoverable THEN 'on' ELSE 'off' END AS value, discoverable_changed_at AS changed_at FROM student_reach WHERE student_id = $1 \
              UNION ALL SELECT 'invitations from employers', CASE WHEN invitations THEN 'on' ELSE 'off' END, invitations_changed_at FROM student_reach WHERE student_id = $1 \
              UNION ALL SELECT 'what your university sees', sharing, decided_at FROM affiliations WHERE student_id = $1 \
              UNION ALL SELECT 'email: ' || topic, CASE WHEN enabled THEN 'on' ELSE 'off' END, NULL FROM email_preferences WHERE user_id = $1",
    },
    Section {
        file: "consents.json",
        about: "Each time you turned an optional use of your data on or off, with its time.",
        sql: "SELECT purpose, CASE WHEN granted THEN 'on' ELSE 'off' END AS choice, channel, created_at FROM consents WHERE user_id = $1 ORDER BY id",
    },
    Section {
        file: "affiliation.json",
        about: "Your link to a university and how it was proven.",
        sql: "SELECT o.name AS university, a.status, a.proof, a.proof_email, a.sharing, a.requested_at, a.decided_at, a.created_at FROM affiliations a JOIN organizations o ON o.id = a.university_id WHERE a.student_id = $1",
    },
    Section {
        file: "equity.json",
        about: "The optional equity answers you gave for your university's outcome reports.",
        // Sealed at rest: the archive opens `sealed` into the four answers.
        sql: "SELECT sealed, updated_at FROM equity_attributes WHERE student_id = $1",
    },
    Section {
        file: "applications.json",
        about: "Your applications: the pitch, answer and links you sent, and what became of them.",
        sql: "SELECT a.id, p.title AS project, o.name AS organization, a.status, a.pitch, a.answer, a.links, a.match_percent, a.reject_reason, a.closed_reason, a.created_at, a.updated_at, a.decided_at FROM applications a JOIN projects p ON p.id = a.project_id JOIN organizations o ON o.id = p.org_id WHERE a.student_id = $1 ORDER BY a.id",
    },
    Section {
        file: "application_messages.json",
        about: "Messages in your applications' conversations, yours and the employer's.",
        sql: "SELECT m.id, m.application_id, u.name AS author, CASE WHEN m.author_id = $1 THEN 'yes' ELSE 'no' END AS by_you, m.body, m.created_at FROM application_messages m JOIN applications a ON a.id = m.application_id JOIN users u ON u.id = m.author_id WHERE a.student_id = $1 OR m.author_id = $1 ORDER BY m.id",
    },
    Section {
        file: "engagements.json",
        about: "The projects you were hired for, with price and dates.",
        sql: "SELECT e.id, p.title AS project, o.name AS organization, e.status, e.price_minor, e.currency, e.fee_minor, e.due_date, e.created_at, e.updated_at, e.approved_at FROM engagements e JOIN projects p ON p.id = e.project_id JOIN organizations o ON o.id = e.org_id WHERE e.student_id = $1 ORDER BY e.id",
    },
    Section {
        file: "messages.json",
        about: "Messages in the workspaces of your engagements, yours and the employer's.",
        sql: "SELECT m.id, m.engagement_id, u.name AS author, CASE WHEN m.author_id = $1 THEN 'yes' ELSE 'no' END AS by_you, m.kind, m.body, m.created_at FROM engagement_messages m JOIN engagements e ON e.id = m.engagement_id JOIN users u ON u.id = m.author_id WHERE e.student_id = $1 OR m.author_id = $1 ORDER BY m.id",
    },
    Section {
        file: "submissions.json",
        about: "The work you delivered: each version's note and links.",
        sql: "SELECT s.id, s.engagement_id, s.version, s.note, s.links, s.created_at FROM submissions s JOIN engagements e ON e.id = s.engagement_id WHERE e.student_id = $1 ORDER BY s.id",
    },
    Section {
        file: "files.json",
        about: "The files you delivered; the bytes are in the files folder of this archive.",
        sql: "SELECT f.id, f.engagement_id, s.version, f.name, f.content_type, f.size_bytes, f.sha256, f.created_at FROM submission_files f JOIN submissions s ON s.id = f.submission_id JOIN engagements e ON e.id = f.engagement_id WHERE e.student_id = $1 ORDER BY f.id",
    },
    Section {
        file: "reviews_written.json",
        about: "The reviews you wrote.",
        sql: "SELECT r.id, r.engagement_id, r.direction, r.rating_1, r.rating_2, r.rating_3, r.body, r.recommendation, r.created_at FROM reviews r WHERE r.author_id = $1 ORDER BY r.id",
    },
    Section {
        file: "achievements.json",
        about: "Your verified portfolio entries.",
        sql: "SELECT id, engagement_id, title, org_name, summary, outcomes, skills, hours, completed_on, confirmed_at, created_at, updated_at FROM achievements WHERE student_id = $1 ORDER BY id",
    },
    Section {
        file: "credentials.json",
        about: "The credentials issued to you, with their signed documents.",
        sql: "SELECT public_id, achievement_id, document, issued_at, revoked_at, revoked_reason FROM credentials WHERE student_id = $1 ORDER BY id",
    },
    Section {
        file: "credit.json",
        about: "Your requests for academic credit, with the hours you logged.",
        sql: "SELECT c.id, o.name AS university, c.course_code, c.course_title, c.credits_tenths, c.status, c.goals, c.expected_hours, c.assessment, c.faculty_comment, c.reflection, c.result, c.signoff_comment, c.ended_reason, c.created_at, c.approved_at, c.signed_off_at, c.updated_at FROM credit_requests c JOIN organizations o ON o.id = c.university_id WHERE c.student_id = $1 ORDER BY c.id",
    },
    Section {
        file: "credit_hours.json",
        about: "The hours you logged for credit.",
        sql: "SELECT h.request_id, h.day, h.quarters, h.note, h.created_at FROM credit_hours h JOIN credit_requests c ON c.id = h.request_id WHERE c.student_id = $1 ORDER BY h.id",
    },
    Section {
        file: "earnings.json",
        about: "Money moved for your engagements: amounts, currency and dates.",
        sql: "SELECT l.engagement_id, l.kind, l.amount_minor, l.currency, l.provider, l.reference, l.created_at FROM ledger_entries l JOIN engagements e ON e.id = l.engagement_id WHERE e.student_id = $1 AND (l.to_account = 'student:' || e.student_id OR l.from_account = 'student:' || e.student_id) ORDER BY l.id",
    },
    Section {
        file: "payout_details.json",
        about: "How you are paid, as shown to you (the full details are kept encrypted).",
        sql: "SELECT method, masked, updated_at FROM payout_accounts WHERE user_id = $1",
    },
    Section {
        file: "invitations.json",
        about: "Invitations to apply that employers sent you.",
        sql: "SELECT i.id, o.name AS organization, p.title AS project, i.kind, i.note, i.status, i.quoted_total_minor, i.created_at, i.answered_at FROM invitations i JOIN organizations o ON o.id = i.org_id LEFT JOIN projects p ON p.id = i.project_id WHERE i.student_id = $1 ORDER BY i.id",
    },
    Section {
        file: "offers.json",
        about: "Offers of work employers sent you and your answers.",
        sql: "SELECT f.id, o.name AS organization, f.kind, f.title, f.start_date, f.pay_min_minor, f.pay_max_minor, f.pay_currency, f.pay_period, f.message, f.status, f.on_profile, f.created_at, f.answered_at FROM offers f JOIN organizations o ON o.id = f.org_id WHERE f.student_id = $1 ORDER BY f.id",
    },
    Section {
        file: "saved_searches.json",
        about: "Your saved searches and their email digests.",
        sql: "SELECT id, name, params, frequency, last_sent_at, created_at FROM saved_searches WHERE student_id = $1 ORDER BY id",
    },
    Section {
        file: "hidden_projects.json",
        about: "Projects you hid from your matches.",
        sql: "SELECT p.title AS project, h.created_at FROM hidden_projects h JOIN projects p ON p.id = h.project_id WHERE h.student_id = $1",
    },
    Section {
        file: "notifications.json",
        about: "Your notifications.",
        sql: "SELECT id, kind, title, body, link, created_at, read_at FROM notifications WHERE user_id = $1 ORDER BY id",
    },
    Section {
        file: "sign_ins.json",
        about: "Your open sessions, API tokens, and the accounts at your institution you sign in with (no secret is included).",
        sql: "SELECT 'session' AS kind, NULL AS name, created_at, expires_at AS until, NULL AS last_used_at FROM sessions WHERE user_id = $1 \
              UNION ALL SELECT 'api token', name, created_at, revoked_at, last_used_at FROM api_tokens WHERE user_id = $1 \
              UNION ALL SELECT 'single sign-on', o.name || ': ' || i.subject, i.created_at, NULL, i.last_sign_in_at FROM sso_identities i JOIN organizations o ON o.id = i.org_id WHERE i.user_id = $1 \
              UNION ALL SELECT 'learning platform', l.issuer || ': ' || i.subject, i.created_at, NULL, i.last_launch_at FROM lti_identities i JOIN lti_platforms l ON l.id = i.platform_id WHERE i.user_id = $1 \
              UNION ALL SELECT 'directory (SCIM)', o.name || ': ' || s.user_name_key, s.created_at, NULL, s.updated_at FROM scim_users s JOIN organizations o ON o.id = s.org_id WHERE s.user_id = $1",
    },
    Section {
        file: "talent_notes_written.json",
        about: "Notes you wrote about candidates in your organization's talent pool.",
        sql: "SELECT n.id, u.name AS student, n.body, n.created_at FROM talent_notes n JOIN users u ON u.id = n.student_id WHERE n.author_id = $1 ORDER BY n.id",
    },
    Section {
        file: "projects_created.json",
        about: "Projects you created for your organization.",
        sql: "SELECT id, title, status, created_at, published_at FROM projects WHERE created_by = $1 ORDER BY id",
    },
    Section {
        file: "data_requests.json",
        about: "Your requests to download, correct or delete your data.",
        sql: "SELECT id, kind, status, channel, detail, answer, created_at, due_at, completed_at, expires_at FROM data_requests WHERE user_id = $1 ORDER BY id",
    },
    Section {
        file: "activity.json",
        about: "What you did on Stint and what was done to your account, as recorded in the audit log.",
        sql: "SELECT id, action, object_type, object_id, detail, CASE WHEN actor_id = $1 THEN 'yes' ELSE 'no' END AS by_you, created_at FROM audit_log WHERE actor_id = $1 OR (object_type = 'user' AND object_id = $1) ORDER BY id",
    },
];

/// Every column that points at a person (`table.column`) and where a
/// download shows it: a section's file, or why it is not exported.
pub const HOLDINGS: &[(&str, &str)] = &[
    ("sessions.user_id", "sign_ins.json"),
    ("api_tokens.user_id", "sign_ins.json"),
    (
        "email_tokens.user_id",
        "not exported: one-time links, kept hashed",
    ),
    ("memberships.user_id", "organization.json"),
    ("student_profiles.user_id", "profile.json"),
    ("projects.created_by", "projects_created.json"),
    ("audit_log.actor_id", "activity.json"),
    ("applications.student_id", "applications.json"),
    ("engagements.student_id", "engagements.json"),
    ("notifications.user_id", "notifications.json"),
    ("engagement_messages.author_id", "messages.json"),
    ("reviews.author_id", "reviews_written.json"),
    ("achievements.student_id", "achievements.json"),
    (
        "application_messages.author_id",
        "application_messages.json",
    ),
    ("email_preferences.user_id", "choices.json"),
    ("hidden_projects.student_id", "hidden_projects.json"),
    (
        "project_alerts.student_id",
        "not exported: which new projects were matched to you for alerts (derived from your profile)",
    ),
    (
        "student_match_keys.user_id",
        "not exported: search keys derived from your profile",
    ),
    ("saved_searches.student_id", "saved_searches.json"),
    ("payout_accounts.user_id", "payout_details.json"),
    (
        "stripe_accounts.user_id",
        "not exported: the payment provider's account id",
    ),
    ("credentials.student_id", "credentials.json"),
    ("calendar_feeds.user_id", "not exported: a secret link"),
    ("affiliations.student_id", "affiliation.json"),
    (
        "affiliations.decided_by",
        "not exported: decisions a university's staff member made about students",
    ),
    (
        "affiliation_tokens.student_id",
        "not exported: one-time links, kept hashed",
    ),
    (
        "org_invitations.invited_by",
        "not exported: invitations you sent to colleagues",
    ),
    ("credit_requests.student_id", "credit.json"),
    (
        "credit_requests.faculty_id",
        "not exported: students' requests you supervise are theirs",
    ),
    (
        "credit_requests.employer_ack_by",
        "not exported: acknowledgements you gave as an employer",
    ),
    ("equity_attributes.student_id", "equity.json"),
    (
        "featured_projects.featured_by",
        "not exported: projects you featured for your university",
    ),
    (
        "outcome_histories.student_id",
        "not exported: counts derived from applications.json and engagements.json",
    ),
    (
        "talent_pool.student_id",
        "not exported: an employer's list of candidates",
    ),
    ("talent_notes.author_id", "talent_notes_written.json"),
    ("student_reach.student_id", "choices.json"),
    ("invitations.student_id", "invitations.json"),
    (
        "invitations.sender_id",
        "not exported: invitations you sent as an employer",
    ),
    ("offers.student_id", "offers.json"),
    (
        "offers.sender_id",
        "not exported: offers you sent as an employer",
    ),
    (
        "webhook_endpoints.created_by",
        "not exported: your organization's settings",
    ),
    (
        "sso_connections.updated_by",
        "not exported: your organization's settings",
    ),
    ("sso_identities.user_id", "sign_ins.json"),
    (
        "scim_tokens.created_by",
        "not exported: your organization's settings",
    ),
    ("scim_users.user_id", "sign_ins.json"),
    (
        "lti_platforms.updated_by",
        "not exported: your organization's settings",
    ),
    ("lti_identities.user_id", "sign_ins.json"),
    ("data_requests.user_id", "data_requests.json"),
    ("consents.user_id", "consents.json"),
];

/// The columns of [`HOLDINGS`] that still point at a person after their
/// account is deleted, and why: what others must keep (the ledger, an
/// employer's record, a university's credit record, revoked credentials)
/// under the pseudonym, with the person's texts erased. Every other
/// holding is emptied by [`ERASE`]; a test checks both after a deletion.
pub const KEPT_AFTER_DELETION: &[(&str, &str)] = &[
    ("projects.created_by", "the organization's projects"),
    ("audit_log.actor_id", "what was done, now by the pseudonym"),
    (
        "applications.student_id",
        "the employer's record of applications; pitch, answer and links erased",
    ),
    (
        "engagements.student_id",
        "the ledger and the employer's record",
    ),
    (
        "engagement_messages.author_id",
        "the conversation's order; the bodies are erased",
    ),
    (
        "application_messages.author_id",
        "the conversation's order; the bodies are erased",
    ),
    (
        "reviews.author_id",
        "ratings of employers, which their record depends on, under the pseudonym",
    ),
    (
        "achievements.student_id",
        "anchor of revoked credentials; summary, outcomes and skills erased",
    ),
    (
        "credentials.student_id",
        "revoked and emptied; the revocation list must keep saying so",
    ),
    ("affiliations.decided_by", "a university's decisions"),
    (
        "org_invitations.invited_by",
        "an organization's invitations",
    ),
    (
        "credit_requests.student_id",
        "the university's record: course, result and dates; goals, reflection and hour notes erased",
    ),
    ("credit_requests.faculty_id", "the university's record"),
    ("credit_requests.employer_ack_by", "the university's record"),
    ("featured_projects.featured_by", "a university's choices"),
    (
        "outcome_histories.student_id",
        "counts for outcome reports, without names",
    ),
    ("talent_notes.author_id", "an employer's notes"),
    ("invitations.student_id", "an employer's record; declined"),
    ("invitations.sender_id", "an employer's record"),
    ("offers.student_id", "an employer's record; declined"),
    ("offers.sender_id", "an employer's record"),
    ("webhook_endpoints.created_by", "an organization's settings"),
    ("sso_connections.updated_by", "an organization's settings"),
    ("scim_tokens.created_by", "an organization's settings"),
    ("lti_platforms.updated_by", "an organization's settings"),
    (
        "data_requests.user_id",
        "the record that the deletion was carried out",
    ),
];

/// Deleting an account, in order, in one transaction. Parameters: `$1`
/// the person's id, `$2` now, `$3` the pseudonym, `$4` their name (or a
/// string that matches nothing when the name is too short to replace
/// safely), `$5` their email, `$6` their idempotency scope, `$7`/`$8` the
/// name and the pseudonym as a JSON string member of webhook payloads.
pub const ERASE: &[&str] = &[
    // Open applications are withdrawn; every application loses its texts.
    "UPDATE applications SET status = 'withdrawn', updated_at = $2 WHERE student_id = $1 AND status IN ('submitted', 'shortlisted')",
    "UPDATE applications SET pitch = '', answer = NULL, links = '' WHERE student_id = $1",
    "UPDATE application_messages SET body = REPLACE(body, $4, $3) WHERE author_id <> $1 AND application_id IN (SELECT id FROM applications WHERE student_id = $1) AND body <> REPLACE(body, $4, $3)",
    "UPDATE application_messages SET body = 'Deleted with its author''s account.' WHERE author_id = $1",
    "UPDATE engagement_messages SET body = REPLACE(body, $4, $3) WHERE author_id <> $1 AND engagement_id IN (SELECT id FROM engagements WHERE student_id = $1) AND body <> REPLACE(body, $4, $3)",
    "UPDATE engagement_messages SET body = 'Deleted with its author''s account.' WHERE author_id = $1",
    "UPDATE submissions SET note = 'Deleted with the student''s account.', links = '' WHERE engagement_id IN (SELECT id FROM engagements WHERE student_id = $1)",
    "DELETE FROM submission_files WHERE engagement_id IN (SELECT id FROM engagements WHERE student_id = $1)",
    "DELETE FROM reviews WHERE direction = 'of_student' AND engagement_id IN (SELECT id FROM engagements WHERE student_id = $1)",
    "UPDATE reviews SET body = REPLACE(body, $4, $3) WHERE author_id = $1 AND body <> REPLACE(body, $4, $3)",
    "UPDATE achievements SET summary = '', outcomes = '', skills = '', updated_at = $2 WHERE student_id = $1",
    "UPDATE credentials SET revoked_at = COALESCE(revoked_at, $2), revoked_reason = COALESCE(revoked_reason, 'The holder deleted their Stint account.'), document = '{}' WHERE student_id = $1",
    "UPDATE credit_requests SET status = 'withdrawn', updated_at = $2 WHERE student_id = $1 AND status = 'draft'",
    "UPDATE credit_requests SET goals = '', reflection = NULL WHERE student_id = $1",
    "UPDATE credit_hours SET note = '' WHERE request_id IN (SELECT id FROM credit_requests WHERE student_id = $1)",
    "UPDATE invitations SET status = 'declined', answered_at = $2 WHERE student_id = $1 AND status = 'sent'",
    "UPDATE offers SET status = 'declined', answered_at = $2 WHERE student_id = $1 AND status = 'open'",
    "DELETE FROM sessions WHERE user_id = $1",
    "DELETE FROM api_tokens WHERE user_id = $1",
    "DELETE FROM email_tokens WHERE user_id = $1",
    "DELETE FROM affiliation_tokens WHERE student_id = $1",
    "DELETE FROM calendar_feeds WHERE user_id = $1",
    "DELETE FROM email_preferences WHERE user_id = $1",
    "DELETE FROM hidden_projects WHERE student_id = $1",
    "DELETE FROM project_alerts WHERE student_id = $1",
    "DELETE FROM student_match_keys WHERE user_id = $1",
    "DELETE FROM saved_searches WHERE student_id = $1",
    "DELETE FROM payout_accounts WHERE user_id = $1",
    "DELETE FROM stripe_accounts WHERE user_id = $1",
    "DELETE FROM equity_attributes WHERE student_id = $1",
    "DELETE FROM student_reach WHERE student_id = $1",
    // Employers' talent pools, with their notes and tags about the person.
    "DELETE FROM talent_pool WHERE student_id = $1",
    "DELETE FROM sso_identities WHERE user_id = $1",
    "DELETE FROM scim_users WHERE user_id = $1",
    "DELETE FROM lti_identities WHERE user_id = $1",
    "DELETE FROM notifications WHERE user_id = $1",
    "DELETE FROM consents WHERE user_id = $1",
    "DELETE FROM student_profiles WHERE user_id = $1",
    "DELETE FROM affiliations WHERE student_id = $1",
    "DELETE FROM memberships WHERE user_id = $1",
    "DELETE FROM org_invitations WHERE LOWER(email) = LOWER($5)",
    "DELETE FROM idempotency_keys WHERE scope = $6",
    // Mail to the person is not sent; mail to others no longer names them.
    "DELETE FROM outbox WHERE LOWER(to_addr) = LOWER($5)",
    "UPDATE outbox SET subject = REPLACE(REPLACE(subject, $4, $3), $5, ''), body = REPLACE(REPLACE(body, $4, $3), $5, '') WHERE subject <> REPLACE(REPLACE(subject, $4, $3), $5, '') OR body <> REPLACE(REPLACE(body, $4, $3), $5, '')",
    "UPDATE notifications SET title = REPLACE(title, $4, $3), body = REPLACE(body, $4, $3) WHERE title <> REPLACE(title, $4, $3) OR body <> REPLACE(body, $4, $3)",
    "UPDATE audit_log SET detail = REPLACE(REPLACE(detail, $4, $3), $5, '') WHERE detail <> REPLACE(REPLACE(detail, $4, $3), $5, '')",
    "UPDATE webhook_messages SET payload = REPLACE(payload, $7, $8) WHERE payload <> REPLACE(payload, $7, $8)",
    // The person's requests keep their dates under the pseudonym.
    "UPDATE data_requests SET subject = $3, archive_key = NULL, status = CASE WHEN status = 'ready' THEN 'expired' WHEN status IN ('open', 'preparing') THEN 'done' ELSE status END, answer = CASE WHEN status IN ('open', 'preparing') THEN 'Closed: the account was deleted.' ELSE answer END, completed_at = COALESCE(completed_at, $2) WHERE user_id = $1",
    "UPDATE users SET name = $3, email = 'deleted-' || CAST(id AS TEXT) || '@deleted.invalid', password_hash = '!deleted', time_zone = NULL, email_verified_at = NULL, deactivated_at = COALESCE(deactivated_at, $2) WHERE id = $1",
];

/// What deleting an account needs to know about the person.
#[derive(Debug, Clone)]
pub struct Erasure<'a> {
    pub user_id: i64,
    pub name: &'a str,
    pub email: &'a str,
    /// What pages show instead: "Former student", "Former member".
    pub pseudonym: &'a str,
    pub now: DateTime<Utc>,
}

/// What a deletion leaves for the caller to remove from file storage.
#[derive(Debug, Clone, Default)]
pub struct Erased {
    pub file_keys: Vec<String>,
}

/// Something that must be finished before an account can be deleted:
/// `engagement` (open), `payout` (money released and not yet paid out),
/// `credit` (a credit request in progress), `organization` (the person is
/// its only owner).
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct DeletionBlocker {
    pub kind: String,
    pub id: i64,
    pub title: String,
}

/// What stops a person's or an organization's leaving, where the two are
/// alike (`$col` is `student_id` or `org_id`, `$1` the id): engagements
/// still open (approved included: the money is not yet released), and
/// finished ones whose released money is not yet paid out.
macro_rules! work_blockers {
    ($col:literal) => {
        concat!(
            "SELECT 1 AS rank, 'engagement' AS kind, e.id, p.title FROM engagements e JOIN projects p ON p.id = e.project_id \
             WHERE e.", $col, " = $1 AND e.status IN ('active', 'submitted', 'revision_requested', 'approved', 'disputed') \
             UNION ALL SELECT 2, 'payout', e.id, p.title FROM engagements e JOIN projects p ON p.id = e.project_id \
             WHERE e.", $col, " = $1 AND e.status NOT IN ('active', 'submitted', 'revision_requested', 'approved', 'disputed') \
               AND EXISTS (SELECT 1 FROM ledger_entries r WHERE r.engagement_id = e.id AND r.kind = 'release') \
               AND NOT EXISTS (SELECT 1 FROM ledger_entries x WHERE x.engagement_id = e.id AND x.kind = 'payout') "
        )
    };
}

const BLOCKERS: &str = concat!(
    work_blockers!("student_id"),
    "UNION ALL SELECT 3, 'credit', c.id, c.course_code || ' ' || c.course_title FROM credit_requests c \
     WHERE c.student_id = $1 AND c.status IN ('submitted', 'returned', 'active', 'reflected') \
     UNION ALL SELECT 4, 'organization', o.id, o.name FROM memberships m JOIN organizations o ON o.id = m.org_id \
     WHERE m.user_id = $1 AND m.role = 'owner' AND NOT EXISTS (SELECT 1 FROM memberships x JOIN users xu ON xu.id = x.user_id \
       WHERE x.org_id = m.org_id AND x.role = 'owner' AND x.user_id <> $1 AND xu.deactivated_at IS NULL) \
     ORDER BY rank, id"
);

/// The times before which [`Store::apply_retention`] erases each kind.
#[derive(Debug, Clone, Copy)]
pub struct RetentionCutoffs {
    pub closed_pitches_before: DateTime<Utc>,
    pub finished_messages_before: DateTime<Utc>,
    pub sign_ins_before: DateTime<Utc>,
    pub delivered_files_before: DateTime<Utc>,
}

/// What one retention pass erased.
#[derive(Debug, Clone, Default)]
pub struct RetentionDone {
    pub pitches: u64,
    pub messages: u64,
    pub sign_ins: u64,
    pub file_keys: Vec<String>,
}

/// What a message erased by retention says instead.
pub const MESSAGE_RETIRED: &str =
    "Removed: messages of finished engagements are kept for a limited time (see the privacy page).";

/// What a person wrote that others' notifications and mail quote whole.
const QUOTED: &str = "SELECT body FROM engagement_messages WHERE author_id = $1 \
     UNION SELECT body FROM application_messages WHERE author_id = $1 \
     UNION SELECT note FROM submissions WHERE engagement_id IN (SELECT id FROM engagements WHERE student_id = $1) \
     UNION SELECT pitch FROM applications WHERE student_id = $1";

/// What replaces those quotes.
const QUOTE_GONE: &str = "[deleted with its author's account]";

const ORG_BLOCKERS: &str = concat!(
    work_blockers!("org_id"),
    "UNION ALL SELECT 3, 'credit', c.id, c.course_code || ' ' || c.course_title FROM credit_requests c \
     WHERE (c.university_id = $1 OR c.org_id = $1) AND c.status IN ('submitted', 'returned', 'active', 'reflected') \
     ORDER BY rank, id"
);

/// Closing an organization, in order, in one transaction (`$1` its id,
/// `$2` now): what is open is closed, what is the organization's alone
/// (settings, talent lists, invitations to join) is deleted, members leave.
/// The row stays, named, for the records that show it.
pub const CLOSE_ORG: &[&str] = &[
    "UPDATE applications SET status = 'closed', closed_reason = 'The organization closed.', updated_at = $2 WHERE status IN ('submitted', 'shortlisted') AND project_id IN (SELECT id FROM projects WHERE org_id = $1)",
    // Open projects were cancelled through the app (search index, their
    // applicants told); a draft made meanwhile goes here.
    "UPDATE projects SET status = 'cancelled', updated_at = $2 WHERE org_id = $1 AND status = 'draft'",
    "UPDATE invitations SET status = 'withdrawn', answered_at = $2 WHERE org_id = $1 AND status = 'sent'",
    "UPDATE offers SET status = 'withdrawn', answered_at = $2 WHERE org_id = $1 AND status = 'open'",
    "DELETE FROM talent_pool WHERE org_id = $1",
    "DELETE FROM webhook_endpoints WHERE org_id = $1",
    "DELETE FROM sso_identities WHERE org_id = $1",
    "DELETE FROM sso_connections WHERE org_id = $1",
    "DELETE FROM scim_users WHERE org_id = $1",
    "DELETE FROM scim_groups WHERE org_id = $1",
    "DELETE FROM scim_tokens WHERE org_id = $1",
    "DELETE FROM lti_platforms WHERE org_id = $1",
    "DELETE FROM org_invitations WHERE org_id = $1",
    "DELETE FROM org_domains WHERE org_id = $1",
    "DELETE FROM featured_projects WHERE university_id = $1",
    "DELETE FROM affiliation_tokens WHERE university_id = $1",
    "UPDATE affiliations SET status = 'removed', decided_at = $2 WHERE university_id = $1 AND status <> 'removed'",
    "DELETE FROM memberships WHERE org_id = $1",
    "UPDATE organizations SET closed_at = $2, invite_code = 'closed-' || CAST(id AS TEXT) WHERE id = $1",
];

/// The highest `$n` in a statement.
fn parameters(sql: &str) -> usize {
    sql.split('$')
        .skip(1)
        .filter_map(|rest| {
            let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
            digits.parse().ok()
        })
        .max()
        .unwrap_or(0)
}

/// A request about a person's data: `export`, `correction` or `deletion`.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct DataRequest {
    pub id: i64,
    pub user_id: Option<i64>,
    /// The person's name and email when the request was made (kept for the
    /// admins' list after a deletion erases the account's).
    pub subject: String,
    pub kind: String,
    /// `open`, `preparing`, `ready`, `done`, `refused`, `expired`, `failed`.
    pub status: String,
    /// `self` (the person, signed in), `admin`, `cli`.
    pub channel: String,
    pub detail: String,
    pub answer: String,
    #[serde(skip)]
    pub archive_key: Option<String>,
    pub archive_bytes: Option<i64>,
    pub created_at: DateTime<Utc>,
    pub due_at: DateTime<Utc>,
    pub completed_at: Option<DateTime<Utc>>,
    pub expires_at: Option<DateTime<Utc>>,
}

const REQUEST_COLUMNS: &str = "id, user_id, subject, kind, status, channel, detail, answer, archive_key, archive_bytes, created_at, due_at, completed_at, expires_at";

/// The law's deadline for answering a request.
pub const ANSWER_DAYS: i64 = 30;

fn sqlite_value(row: &sqlx::sqlite::SqliteRow, i: usize) -> StoreResult<Value> {
    let raw = row.try_get_raw(i)?;
    if raw.is_null() {
        return Ok(Value::Null);
    }
    let declared = row.columns()[i].type_info().name().to_ascii_uppercase();
    let stored = raw.type_info().name().to_string();
    Ok(match stored.as_str() {
        "INTEGER" if declared == "BOOLEAN" || declared == "BOOL" => {
            Value::Bool(row.try_get_unchecked::<i64, _>(i)? != 0)
        }
        "INTEGER" => Value::from(row.try_get_unchecked::<i64, _>(i)?),
        "REAL" => Value::from(row.try_get_unchecked::<f64, _>(i)?),
        "BLOB" => Value::Null,
        _ => {
            let text: String = row.try_get_unchecked(i)?;
            // Times are stored as text; show them as PostgreSQL's are.
            match row.try_get::<DateTime<Utc>, _>(i) {
                Ok(t)
                    if text.len() >= 19
                        && text
                            .as_bytes()
                            .get(10)
                            .is_some_and(|b| *b == b' ' || *b == b'T') =>
                {
                    serde_json::to_value(t).unwrap_or(Value::String(text))
                }
                _ => Value::String(text),
            }
        }
    })
}

fn pg_value(row: &sqlx::postgres::PgRow, i: usize) -> StoreResult<Value> {
    let raw = row.try_get_raw(i)?;
    if raw.is_null() {
        return Ok(Value::Null);
    }
    let kind = raw.type_info().name().to_string();
    let json = |v: Result<Value, serde_json::Error>| v.unwrap_or(Value::Null);
    Ok(match kind.as_str() {
        "BOOL" => Value::Bool(row.try_get(i)?),
        "INT2" => Value::from(row.try_get::<i16, _>(i)?),
        "INT4" => Value::from(row.try_get::<i32, _>(i)?),
        "INT8" => Value::from(row.try_get::<i64, _>(i)?),
        "FLOAT4" => Value::from(row.try_get::<f32, _>(i)?),
        "FLOAT8" => Value::from(row.try_get::<f64, _>(i)?),
        "TIMESTAMPTZ" => json(serde_json::to_value(row.try_get::<DateTime<Utc>, _>(i)?)),
        "DATE" => json(serde_json::to_value(row.try_get::<NaiveDate, _>(i)?)),
        "TEXT" | "VARCHAR" | "BPCHAR" | "NAME" => Value::String(row.try_get(i)?),
        // Binary columns, search vectors and the like hold nothing a
        // person wrote that is not also in a text column.
        _ => Value::Null,
    })
}

impl Store {
    /// One section's rows for `user_id`, each a JSON object in the
    /// query's column order.
    pub async fn personal_rows(
        &self,
        section: &Section,
        user_id: i64,
    ) -> StoreResult<Vec<Map<String, Value>>> {
        let sql = sqlx::AssertSqlSafe(section.sql);
        match &self.db {
            Db::Sqlite { read, .. } => {
                let mut rows = sqlx::query(sql).bind(user_id).fetch(read);
                let mut out = Vec::new();
                while let Some(row) = rows.try_next().await? {
                    let mut obj = Map::new();
                    for (i, c) in row.columns().iter().enumerate() {
                        obj.insert(c.name().to_string(), sqlite_value(&row, i)?);
                    }
                    out.push(obj);
                }
                Ok(out)
            }
            Db::Postgres(pool) => {
                let mut rows = sqlx::query(sql).bind(user_id).fetch(pool);
                let mut out = Vec::new();
                while let Some(row) = rows.try_next().await? {
                    let mut obj = Map::new();
                    for (i, c) in row.columns().iter().enumerate() {
                        obj.insert(c.name().to_string(), pg_value(&row, i)?);
                    }
                    out.push(obj);
                }
                Ok(out)
            }
        }
    }

    /// The files a person delivered: (engagement, version, name, storage
    /// key), oldest first.
    pub async fn personal_files(
        &self,
        user_id: i64,
    ) -> StoreResult<Vec<(i64, i32, String, String)>> {
        Ok(with_db!(self, read, |p| {
            sqlx::query_as(
                "SELECT f.engagement_id, s.version, f.name, f.storage_key FROM submission_files f JOIN submissions s ON s.id = f.submission_id JOIN engagements e ON e.id = f.engagement_id WHERE e.student_id = $1 ORDER BY f.id",
            )
            .bind(user_id)
            .fetch_all(p)
            .await
        })?)
    }

    /// Records a request; its deadline is [`ANSWER_DAYS`] from now.
    pub async fn add_data_request(
        &self,
        user_id: i64,
        subject: &str,
        kind: &str,
        channel: &str,
        detail: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<DataRequest> {
        let sql = format!(
            "INSERT INTO data_requests (user_id, subject, kind, status, channel, detail, created_at, due_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING {REQUEST_COLUMNS}"
        );
        let status = if kind == "export" {
            "preparing"
        } else {
            "open"
        };
        Ok(with_db!(self, write, |p| {
            sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
                .bind(user_id)
                .bind(subject)
                .bind(kind)
                .bind(status)
                .bind(channel)
                .bind(detail)
                .bind(now)
                .bind(now + Duration::days(ANSWER_DAYS))
                .fetch_one(p)
                .await
        })?)
    }

    pub async fn data_request(&self, id: i64) -> StoreResult<DataRequest> {
        let sql = format!("SELECT {REQUEST_COLUMNS} FROM data_requests WHERE id = $1");
        with_db!(self, read, |p| {
            sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
                .bind(id)
                .fetch_optional(p)
                .await
        })?
        .ok_or(StoreError::NotFound)
    }

    /// A person's requests, newest first.
    pub async fn data_requests_of(&self, user_id: i64) -> StoreResult<Vec<DataRequest>> {
        let sql = format!(
            "SELECT {REQUEST_COLUMNS} FROM data_requests WHERE user_id = $1 ORDER BY id DESC"
        );
        Ok(with_db!(self, read, |p| {
            sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
                .bind(user_id)
                .fetch_all(p)
                .await
        })?)
    }

    /// Every request, those still to answer first (by deadline), then the
    /// newest answered ones.
    pub async fn all_data_requests(&self, limit: i64) -> StoreResult<Vec<DataRequest>> {
        let sql = format!(
            "SELECT {REQUEST_COLUMNS} FROM data_requests ORDER BY CASE WHEN status IN ('open', 'preparing') THEN 0 ELSE 1 END, CASE WHEN status IN ('open', 'preparing') THEN due_at END, id DESC LIMIT $1"
        );
        Ok(with_db!(self, read, |p| {
            sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
                .bind(limit)
                .fetch_all(p)
                .await
        })?)
    }

    /// The export in preparation for `user_id`, if one is.
    pub async fn export_in_progress(&self, user_id: i64) -> StoreResult<Option<DataRequest>> {
        let sql = format!(
            "SELECT {REQUEST_COLUMNS} FROM data_requests WHERE user_id = $1 AND kind = 'export' AND status = 'preparing' ORDER BY id DESC LIMIT 1"
        );
        Ok(with_db!(self, read, |p| {
            sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
                .bind(user_id)
                .fetch_optional(p)
                .await
        })?)
    }

    /// An export's archive is stored: it can be downloaded until `expires`.
    /// `Conflict` when the request is no longer being prepared.
    pub async fn export_ready(
        &self,
        id: i64,
        key: &str,
        bytes: i64,
        now: DateTime<Utc>,
        expires: DateTime<Utc>,
    ) -> StoreResult<()> {
        let n = with_db!(self, write, |p| {
            sqlx::query(
                "UPDATE data_requests SET status = 'ready', archive_key = $2, archive_bytes = $3, completed_at = $4, expires_at = $5 WHERE id = $1 AND status = 'preparing'",
            )
            .bind(id)
            .bind(key)
            .bind(bytes)
            .bind(now)
            .bind(expires)
            .execute(p)
            .await
            .map(|r| r.rows_affected())
        })?;
        if n == 0 {
            return Err(StoreError::Conflict(
                "the export is no longer being prepared",
            ));
        }
        Ok(())
    }

    /// Moves a request to `status` with the admin's (or Stint's) answer;
    /// only from `open` or `preparing`. `Conflict` when it was already
    /// answered.
    pub async fn settle_data_request(
        &self,
        id: i64,
        status: &str,
        answer: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        let n = with_db!(self, write, |p| {
            sqlx::query(
                "UPDATE data_requests SET status = $2, answer = $3, completed_at = $4 WHERE id = $1 AND status IN ('open', 'preparing')",
            )
            .bind(id)
            .bind(status)
            .bind(answer)
            .bind(now)
            .execute(p)
            .await
            .map(|r| r.rows_affected())
        })?;
        if n == 0 {
            return Err(StoreError::Conflict("the request was already answered"));
        }
        Ok(())
    }

    /// Records that the person turned an optional use of their data on
    /// or off (`purpose` in words).
    pub async fn record_consent(
        &self,
        user_id: i64,
        purpose: &str,
        granted: bool,
        channel: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        with_db!(self, write, |p| {
            sqlx::query(
                "INSERT INTO consents (user_id, purpose, granted, channel, created_at) VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(user_id)
            .bind(purpose)
            .bind(granted)
            .bind(channel)
            .bind(now)
            .execute(p)
            .await
            .map(|_| ())
        })?;
        Ok(())
    }

    /// What must be finished before `user_id`'s account can be deleted.
    pub async fn deletion_blockers(&self, user_id: i64) -> StoreResult<Vec<DeletionBlocker>> {
        Ok(with_db!(self, read, |p| {
            sqlx::query_as(BLOCKERS).bind(user_id).fetch_all(p).await
        })?)
    }

    /// Deletes a person's account in one transaction ([`ERASE`]): the
    /// `users` row stays as a pseudonymous tombstone so what others keep
    /// still points somewhere. `Conflict("blocked")` when something of
    /// [`Store::deletion_blockers`] appeared meanwhile; `NotFound` when the
    /// account is gone already. Returns the delivered files' storage keys
    /// and the person's prepared downloads, for the caller to delete once
    /// this has committed.
    pub async fn erase_person(&self, e: &Erasure<'_>) -> StoreResult<Erased> {
        // Too short a name would be replaced inside other words.
        let name = if e.name.chars().count() >= 4 {
            e.name.to_string()
        } else {
            "\u{1}".to_string()
        };
        let json = |s: &str| {
            format!(
                "\"student_name\":{}",
                serde_json::to_string(s).unwrap_or_default()
            )
        };
        let scope = format!("user:{}", e.user_id);
        let (json_name, json_pseudonym) = (json(e.name), json(e.pseudonym));
        let files_sql = "SELECT f.storage_key FROM submission_files f JOIN engagements g ON g.id = f.engagement_id WHERE g.student_id = $1 \
                         UNION ALL SELECT archive_key FROM data_requests WHERE user_id = $1 AND archive_key IS NOT NULL";
        with_db!(self, write, |p| {
            async {
                let mut tx = p.begin().await?;
                let gone: Option<Option<DateTime<Utc>>> =
                    sqlx::query_scalar("SELECT deactivated_at FROM users WHERE id = $1 AND password_hash <> '!deleted'")
                        .bind(e.user_id)
                        .fetch_optional(&mut *tx)
                        .await?;
                if gone.is_none() {
                    return Err(StoreError::NotFound);
                }
                sqlx::query(crate::LOCK_PERSON)
                    .bind(e.user_id)
                    .execute(&mut *tx)
                    .await?;
                let blockers: Vec<DeletionBlocker> = sqlx::query_as(BLOCKERS)
                    .bind(e.user_id)
                    .fetch_all(&mut *tx)
                    .await?;
                if !blockers.is_empty() {
                    return Err(StoreError::Conflict("blocked"));
                }
                let file_keys: Vec<String> = sqlx::query_scalar(files_sql)
                    .bind(e.user_id)
                    .fetch_all(&mut *tx)
                    .await?;
                // Notifications and mail to others quote what the person
                // wrote; those quotes go with it.
                let texts: Vec<String> = sqlx::query_scalar(QUOTED)
                    .bind(e.user_id)
                    .fetch_all(&mut *tx)
                    .await?;
                for text in texts.iter().filter(|t| t.chars().count() >= 12) {
                    for sql in [
                        "UPDATE notifications SET body = REPLACE(body, $1, $2) WHERE user_id <> $3 AND body <> REPLACE(body, $1, $2)",
                        "UPDATE outbox SET body = REPLACE(body, $1, $2) WHERE body <> REPLACE(body, $1, $2)",
                    ] {
                        sqlx::query(sql)
                            .bind(text.as_str())
                            .bind(QUOTE_GONE)
                            .bind(e.user_id)
                            .execute(&mut *tx)
                            .await?;
                    }
                }
                for sql in ERASE {
                    let mut q = sqlx::query(*sql);
                    for i in 1..=parameters(sql) {
                        q = match i {
                            1 => q.bind(e.user_id),
                            2 => q.bind(e.now),
                            3 => q.bind(e.pseudonym),
                            4 => q.bind(name.as_str()),
                            5 => q.bind(e.email),
                            6 => q.bind(scope.as_str()),
                            7 => q.bind(json_name.as_str()),
                            _ => q.bind(json_pseudonym.as_str()),
                        };
                    }
                    q.execute(&mut *tx).await?;
                }
                tx.commit().await?;
                Ok(Erased { file_keys })
            }
            .await
        })
    }

    /// What must be finished before organization `org_id` can be closed.
    pub async fn closure_blockers(&self, org_id: i64) -> StoreResult<Vec<DeletionBlocker>> {
        Ok(with_db!(self, read, |p| {
            sqlx::query_as(ORG_BLOCKERS).bind(org_id).fetch_all(p).await
        })?)
    }

    /// Closes organization `org_id` ([`CLOSE_ORG`]); returns the ids of
    /// the members it had. `Conflict("blocked")` when something of
    /// [`Store::closure_blockers`] appeared meanwhile, `Conflict("closed")`
    /// when it is closed already.
    pub async fn close_org(&self, org_id: i64, now: DateTime<Utc>) -> StoreResult<Vec<i64>> {
        with_db!(self, write, |p| {
            async {
                let mut tx = p.begin().await?;
                let closed: Option<Option<DateTime<Utc>>> = sqlx::query_scalar(
                    "UPDATE organizations SET id = id WHERE id = $1 RETURNING closed_at",
                )
                .bind(org_id)
                .fetch_optional(&mut *tx)
                .await?;
                match closed {
                    None => return Err(StoreError::NotFound),
                    Some(Some(_)) => return Err(StoreError::Conflict("closed")),
                    Some(None) => {}
                }
                let blockers: Vec<DeletionBlocker> = sqlx::query_as(ORG_BLOCKERS)
                    .bind(org_id)
                    .fetch_all(&mut *tx)
                    .await?;
                if !blockers.is_empty() {
                    return Err(StoreError::Conflict("blocked"));
                }
                let members: Vec<i64> = sqlx::query_scalar(
                    "SELECT user_id FROM memberships WHERE org_id = $1 ORDER BY user_id",
                )
                .bind(org_id)
                .fetch_all(&mut *tx)
                .await?;
                for sql in CLOSE_ORG {
                    let mut q = sqlx::query(*sql).bind(org_id);
                    if parameters(sql) >= 2 {
                        q = q.bind(now);
                    }
                    q.execute(&mut *tx).await?;
                }
                tx.commit().await?;
                Ok(members)
            }
            .await
        })
    }

    /// How many rows of each [`HOLDINGS`] column still point at `user_id`,
    /// for the columns that have any.
    pub async fn references_to(&self, user_id: i64) -> StoreResult<Vec<(&'static str, i64)>> {
        let mut out = Vec::new();
        for (key, _) in HOLDINGS {
            let Some((table, column)) = key.split_once('.') else {
                continue;
            };
            let sql = format!("SELECT COUNT(*) FROM {table} WHERE {column} = $1");
            let n: i64 = with_db!(self, read, |p| {
                sqlx::query_scalar(sqlx::AssertSqlSafe(sql.as_str()))
                    .bind(user_id)
                    .fetch_one(p)
                    .await
            })?;
            if n > 0 {
                out.push((*key, n));
            }
        }
        Ok(out)
    }

    /// Applies the instance's retention settings: texts and records past
    /// their time are erased or deleted. Returns what changed, with the
    /// storage keys of delivered files whose rows were deleted (for the
    /// caller to remove from storage).
    pub async fn apply_retention(&self, c: &RetentionCutoffs) -> StoreResult<RetentionDone> {
        with_db!(self, write, |p| {
            async {
                let mut tx = p.begin().await?;
                let pitches = sqlx::query(
                    "UPDATE applications SET pitch = '', answer = NULL, links = '' WHERE status IN ('rejected', 'withdrawn', 'closed') AND updated_at < $1 AND (pitch <> '' OR answer IS NOT NULL OR links <> '')",
                )
                .bind(c.closed_pitches_before)
                .execute(&mut *tx)
                .await?
                .rows_affected();
                let messages = sqlx::query(
                    "UPDATE engagement_messages SET body = $2 WHERE body <> $2 AND engagement_id IN (SELECT id FROM engagements WHERE status IN ('paid', 'cancelled') AND updated_at < $1)",
                )
                .bind(c.finished_messages_before)
                .bind(MESSAGE_RETIRED)
                .execute(&mut *tx)
                .await?
                .rows_affected();
                let mut sign_ins = 0;
                for sql in [
                    "DELETE FROM sessions WHERE expires_at < $1",
                    "DELETE FROM api_tokens WHERE revoked_at < $1",
                    "DELETE FROM email_tokens WHERE expires_at < $1",
                    "DELETE FROM affiliation_tokens WHERE expires_at < $1",
                ] {
                    sign_ins += sqlx::query(sql)
                        .bind(c.sign_ins_before)
                        .execute(&mut *tx)
                        .await?
                        .rows_affected();
                }
                let file_keys: Vec<String> = sqlx::query_scalar(
                    "DELETE FROM submission_files WHERE engagement_id IN (SELECT id FROM engagements WHERE status IN ('paid', 'cancelled') AND updated_at < $1) RETURNING storage_key",
                )
                .bind(c.delivered_files_before)
                .fetch_all(&mut *tx)
                .await?;
                tx.commit().await?;
                Ok(RetentionDone {
                    pitches,
                    messages,
                    sign_ins,
                    file_keys,
                })
            }
            .await
        })
    }

    /// A download stuck in `preparing` (its job gave up) is marked failed,
    /// so a new one can be asked for.
    pub async fn fail_export(&self, id: i64, now: DateTime<Utc>) -> StoreResult<()> {
        with_db!(self, write, |p| {
            sqlx::query(
                "UPDATE data_requests SET status = 'failed', answer = 'Preparing the download failed; ask for a new one.', completed_at = $2 WHERE id = $1 AND status = 'preparing'",
            )
            .bind(id)
            .bind(now)
            .execute(p)
            .await
            .map(|_| ())
        })?;
        Ok(())
    }

    /// Ready exports whose link ran out: marked expired; their archive keys
    /// are returned for the caller to delete.
    pub async fn expire_exports(&self, now: DateTime<Utc>) -> StoreResult<Vec<String>> {
        let keys: Vec<Option<String>> = with_db!(self, write, |p| {
            sqlx::query_scalar(
                "UPDATE data_requests SET status = 'expired', archive_key = NULL WHERE status = 'ready' AND expires_at <= $1 RETURNING archive_key",
            )
            .bind(now)
            .fetch_all(p)
            .await
        })?;
        Ok(keys.into_iter().flatten().collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every `REFERENCES users` column the migrations declare is in
    /// [`HOLDINGS`], and every section a holding names exists.
    #[test]
    fn every_personal_column_is_accounted_for() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations/sqlite");
        let mut missing = Vec::new();
        let mut entries: Vec<_> = std::fs::read_dir(&dir)
            .into_iter()
            .flatten()
            .flatten()
            .map(|e| e.path())
            .collect();
        entries.sort();
        assert!(!entries.is_empty(), "no migrations under {}", dir.display());
        for path in entries {
            let text = std::fs::read_to_string(&path).unwrap_or_default();
            let mut table = String::new();
            for line in text.lines() {
                let l = line.trim();
                if let Some(rest) = l.strip_prefix("CREATE TABLE ") {
                    let name = rest.trim_start_matches("IF NOT EXISTS ");
                    table = name
                        .split([' ', '('])
                        .next()
                        .unwrap_or_default()
                        .trim_end_matches("_new")
                        .to_string();
                }
                if l.contains("REFERENCES users") {
                    let column = l.split_whitespace().next().unwrap_or_default();
                    let key = format!("{table}.{column}");
                    if !HOLDINGS.iter().any(|(k, _)| *k == key) {
                        missing.push(format!("{key} ({})", path.display()));
                    }
                }
            }
        }
        assert!(missing.is_empty(), "not in HOLDINGS: {missing:?}");
        for (key, _) in KEPT_AFTER_DELETION {
            assert!(
                HOLDINGS.iter().any(|(k, _)| k == key),
                "{key} is kept after deletion but is no holding"
            );
        }
        for sql in ERASE {
            assert!(parameters(sql) <= 8, "{sql}");
        }

        for (key, place) in HOLDINGS {
            if !place.starts_with("not exported: ") {
                assert!(
                    SECTIONS.iter().any(|s| s.file == *place),
                    "{key} names {place}, which is no section"
                );
            }
        }
    }
}
