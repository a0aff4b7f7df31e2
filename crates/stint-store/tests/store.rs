//! The storage suite: every test runs on SQLite and on PostgreSQL.

use chrono::{Duration, NaiveDate, Utc};
use stint_domain::account::Role;
use stint_domain::organization::{OrgInput, OrgKind};
use stint_domain::profile::ProfileForm;
use stint_domain::project::{ProjectForm, ProjectInput, ProjectStatus};
use stint_domain::search::SearchParams;
use stint_store::{EmailPurpose, Engine, Store, StoreError, both_engines};

fn org_input(name: &str) -> OrgInput {
    OrgInput::parse(
        OrgKind::Employer,
        name,
        "https://example.com",
        "IN",
        "We make things.",
        "",
    )
    .unwrap_or_else(|e| panic!("{e}"))
}

fn project_input(
    title: &str,
    category: &str,
    skills: &[&str],
    price: &str,
    currency: &str,
) -> ProjectInput {
    let today = Utc::now().date_naive();
    let day = |n: i64| (today + Duration::days(n)).to_string();
    ProjectForm {
        title: title.into(),
        summary: format!("{title}: a short, well scoped project for a student."),
        brief: "A brief that is long enough to describe the work in some detail for students."
            .into(),
        deliverables: "- A report".into(),
        acceptance_criteria: "- Sources cited".into(),
        category: category.into(),
        required_skills: skills.iter().map(|s| s.to_string()).collect(),
        estimated_hours: "10".into(),
        start_date: day(10),
        due_date: day(20),
        price: price.into(),
        currency: currency.into(),
        work_mode: "remote".into(),
        slots: "1".into(),
        application_deadline: day(3),
        decision_by: day(5),
        ..Default::default()
    }
    .parse()
    .unwrap_or_else(|e| panic!("{e}"))
}

async fn employer(store: &Store, email: &str, org: &str) -> (i64, i64) {
    let u = store
        .create_user(email, "hash", "Emp", Role::Employer)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let o = store
        .create_org(
            OrgKind::Employer,
            &org_input(org),
            u.id,
            &format!("code-{email}"),
        )
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    (u.id, o.id)
}

#[test]
fn migration_lists_match() {
    let sqlite = Store::migration_names(Engine::Sqlite);
    let pg = Store::migration_names(Engine::Postgres);
    assert!(!sqlite.is_empty());
    assert_eq!(
        sqlite, pg,
        "SQLite and PostgreSQL migrations must have the same versions and names"
    );
}

#[test]
fn unknown_schemes_are_refused() {
    assert!(stint_store::engine_of("mysql://x").is_err());
    assert!(stint_store::engine_of("sqlite:x.db").is_ok());
    assert!(stint_store::engine_of("postgresql://x/y").is_ok());
}

both_engines!(users_sessions_tokens, |db| async move {
    let s = &db.store;
    let u = s
        .create_user("a@example.com", "h1", "Asha", Role::Student)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(matches!(
        s.create_user("a@example.com", "h2", "Other", Role::Student)
            .await,
        Err(StoreError::Conflict("email"))
    ));
    assert_eq!(
        s.user_by_email("a@example.com")
            .await
            .ok()
            .flatten()
            .map(|u| u.id),
        Some(u.id)
    );
    assert!(!u.email_verified);

    s.create_session("sess", u.id, Utc::now() + Duration::hours(1))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    s.create_session("old", u.id, Utc::now() - Duration::hours(1))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        s.session_user("sess").await.ok().flatten().map(|u| u.id),
        Some(u.id)
    );
    assert!(
        s.session_user("old").await.ok().flatten().is_none(),
        "expired sessions are dead"
    );
    s.delete_other_sessions(u.id, Some("sess"))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(s.session_user("sess").await.ok().flatten().is_some());
    s.delete_session("sess")
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(s.session_user("sess").await.ok().flatten().is_none());

    let tid = s
        .create_api_token(u.id, "cli", "thash")
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        s.token_user("thash")
            .await
            .ok()
            .flatten()
            .map(|(t, u)| (t, u.id)),
        Some((tid, u.id))
    );
    let other = s
        .create_user("b@example.com", "h", "B", Role::Student)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        matches!(
            s.revoke_api_token(other.id, tid).await,
            Err(StoreError::NotFound)
        ),
        "cannot revoke another's token"
    );
    s.revoke_api_token(u.id, tid)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(s.token_user("thash").await.ok().flatten().is_none());

    s.create_email_token(
        "etok",
        u.id,
        EmailPurpose::Verify,
        Utc::now() + Duration::hours(1),
    )
    .await
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        s.consume_email_token("etok", EmailPurpose::Reset)
            .await
            .ok()
            .flatten(),
        None,
        "purpose must match"
    );
    assert_eq!(
        s.consume_email_token("etok", EmailPurpose::Verify)
            .await
            .ok()
            .flatten(),
        Some(u.id)
    );
    assert_eq!(
        s.consume_email_token("etok", EmailPurpose::Verify)
            .await
            .ok()
            .flatten(),
        None,
        "one use only"
    );
    s.mark_email_verified(u.id)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        s.user(u.id)
            .await
            .map(|u| u.email_verified)
            .unwrap_or(false)
    );
});

both_engines!(organizations, |db| async move {
    let s = &db.store;
    let (owner, org_id) = employer(s, "o@acme.com", "Acme Analytics").await;
    let (_, org2) = employer(s, "o@acme2.com", "Acme Analytics").await;
    let (a, b) = (
        s.org(org_id).await.unwrap_or_else(|e| panic!("{e}")),
        s.org(org2).await.unwrap_or_else(|e| panic!("{e}")),
    );
    assert_eq!(a.slug, "acme-analytics");
    assert_eq!(b.slug, "acme-analytics-2");
    assert!(!a.verified);
    let m = s
        .membership(owner)
        .await
        .ok()
        .flatten()
        .unwrap_or_else(|| panic!("owner is a member"));
    assert_eq!(m.org.id, org_id);

    let joiner = s
        .create_user("j@acme.com", "h", "J", Role::Employer)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(matches!(
        s.join_org(joiner.id, OrgKind::Employer, "wrong").await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        s.join_org(joiner.id, OrgKind::University, "code-o@acme.com")
            .await,
        Err(StoreError::NotFound)
    ));
    assert_eq!(
        s.join_org(joiner.id, OrgKind::Employer, "code-o@acme.com")
            .await
            .map(|o| o.id)
            .ok(),
        Some(org_id)
    );
    assert!(
        matches!(
            s.join_org(joiner.id, OrgKind::Employer, "code-o@acme2.com")
                .await,
            Err(StoreError::Conflict(_))
        ),
        "one organization per person"
    );
    assert_eq!(s.org_members(org_id).await.map(|m| m.len()).ok(), Some(2));

    assert_eq!(s.unverified_orgs().await.map(|v| v.len()).ok(), Some(2));
    assert!(s.verify_org(org_id).await.unwrap_or(false));
    assert!(
        !s.verify_org(org_id).await.unwrap_or(true),
        "second verification is a no-op"
    );
    assert!(matches!(
        s.verify_org(999_999).await,
        Err(StoreError::NotFound)
    ));
    assert_eq!(s.unverified_orgs().await.map(|v| v.len()).ok(), Some(1));

    let staff = s
        .create_user("staff@uni.ac.in", "h", "S", Role::University)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let uni_in = OrgInput::parse(
        OrgKind::University,
        "Example University",
        "",
        "IN",
        "",
        "uni.ac.in",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let uni = s
        .create_org(OrgKind::University, &uni_in, staff.id, "unicode")
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        s.university_for_domain("students.uni.ac.in")
            .await
            .ok()
            .flatten(),
        Some(uni.id)
    );
    assert_eq!(
        s.university_for_domain("uni.ac.in").await.ok().flatten(),
        Some(uni.id)
    );
    assert_eq!(
        s.university_for_domain("other.ac.in").await.ok().flatten(),
        None
    );
    assert_eq!(s.universities().await.map(|u| u.len()).ok(), Some(1));
});

both_engines!(profiles, |db| async move {
    let s = &db.store;
    let u = s
        .create_user("p@example.com", "h", "P", Role::Student)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        s.profile(u.id).await.map(|p| p.completeness().percent).ok(),
        Some(0)
    );
    let form = ProfileForm {
        headline: "Data-minded economics student".into(),
        skills: vec!["sql".into(), "python".into()],
        interests: vec!["data-analysis".into()],
        availability_hours: "12".into(),
        ..Default::default()
    };
    let p = form.parse(2026).unwrap_or_else(|e| panic!("{e}"));
    s.save_profile(u.id, &p)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(s.profile(u.id).await.ok(), Some(p.clone()));
    let mut p2 = p.clone();
    p2.skills = vec!["r".into()];
    s.save_profile(u.id, &p2)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        s.profile(u.id).await.map(|p| p.skills).ok(),
        Some(vec!["r".to_string()])
    );
});

both_engines!(projects_lifecycle_and_search, |db| async move {
    lifecycle_and_search(&db.store).await;
});

both_engines!(projects_lifecycle_and_search_indexed, |db| async move {
    let s = db
        .store
        .clone()
        .with_search_index(None, None)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    lifecycle_and_search(&s).await;
});

async fn lifecycle_and_search(s: &Store) {
    let (uid, org) = employer(s, "e@acme.com", "Acme").await;
    let p = s
        .create_project(
            org,
            uid,
            &project_input(
                "Market research on EV chargers",
                "market-research",
                &["desk-research", "survey-design"],
                "300",
                "USD",
            ),
        )
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(p.status, ProjectStatus::Draft);
    assert_eq!(
        p.input.required_skills,
        vec!["desk-research", "survey-design"]
    );

    let mut edited = p.input.clone();
    edited.title = "Market research on EV charging in Pune".into();
    let p = s
        .update_draft(p.id, &edited)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(p.input.title, edited.title);

    // Drafts are not searchable.
    let all = SearchParams::default().parse().unwrap_or_default();
    assert_eq!(s.search_projects(&all).await.map(|r| r.total).ok(), Some(0));

    let p = s
        .set_project_status(p.id, ProjectStatus::Draft, ProjectStatus::Open)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(p.published_at.is_some());
    assert!(
        matches!(
            s.set_project_status(p.id, ProjectStatus::Draft, ProjectStatus::Open)
                .await,
            Err(StoreError::Conflict(_))
        ),
        "a second publish loses"
    );
    assert!(matches!(
        s.update_draft(p.id, &edited).await,
        Err(StoreError::Conflict("not_draft"))
    ));
    assert!(matches!(
        s.update_draft(424_242, &edited).await,
        Err(StoreError::NotFound)
    ));

    let q2 = s
        .create_project(
            org,
            uid,
            &project_input(
                "Instagram content calendar",
                "social-media",
                &["instagram"],
                "20000",
                "INR",
            ),
        )
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    s.set_project_status(q2.id, ProjectStatus::Draft, ProjectStatus::Open)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let q3 = s
        .create_project(
            org,
            uid,
            &project_input(
                "Clean a survey dataset",
                "data-entry",
                &["data-cleaning", "spreadsheets"],
                "250",
                "GBP",
            ),
        )
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    s.set_project_status(q3.id, ProjectStatus::Draft, ProjectStatus::Open)
        .await
        .unwrap_or_else(|e| panic!("{e}"));

    let search = |params: SearchParams| async move {
        let q = params.parse().unwrap_or_else(|e| panic!("{e}"));
        s.search_projects(&q)
            .await
            .unwrap_or_else(|e| panic!("{e}"))
    };
    let r = search(SearchParams {
        q: "market research".into(),
        ..Default::default()
    })
    .await;
    assert_eq!(r.items.first().map(|c| c.id), Some(p.id));
    let r = search(SearchParams {
        q: "market resear".into(),
        ..Default::default()
    })
    .await;
    assert_eq!(
        r.items.first().map(|c| c.id),
        Some(p.id),
        "prefix match on the last word"
    );
    let r = search(SearchParams {
        q: "instagram".into(),
        ..Default::default()
    })
    .await;
    assert_eq!(
        r.items.iter().map(|c| c.id).collect::<Vec<_>>(),
        vec![q2.id],
        "skills are searchable"
    );
    let r = search(SearchParams {
        q: "\"; DROP TABLE projects; --".into(),
        ..Default::default()
    })
    .await;
    assert_eq!(r.total, 0);
    let r = search(SearchParams {
        category: "data-entry".into(),
        ..Default::default()
    })
    .await;
    assert_eq!(
        r.items.iter().map(|c| c.id).collect::<Vec<_>>(),
        vec![q3.id]
    );
    let r = search(SearchParams {
        skill: "instagram".into(),
        ..Default::default()
    })
    .await;
    assert_eq!(r.total, 1);
    let r = search(SearchParams {
        currency: "GBP".into(),
        min_price: "200".into(),
        ..Default::default()
    })
    .await;
    assert_eq!(r.total, 1);
    let r = search(SearchParams {
        min_price: "290".into(),
        ..Default::default()
    })
    .await;
    assert_eq!(
        r.items.iter().map(|c| c.id).collect::<Vec<_>>(),
        vec![q3.id, p.id],
        "USD-equivalent: £250 ≈ $317 and $300 clear $290; ₹20,000 does not"
    );
    // Words (all three say "well scoped") in another order, and page by page.
    for sort in ["price", "newest", "deadline"] {
        let all = search(SearchParams {
            q: "scoped".into(),
            sort: sort.into(),
            ..Default::default()
        })
        .await;
        let plain = search(SearchParams {
            sort: sort.into(),
            ..Default::default()
        })
        .await;
        let order: Vec<i64> = plain
            .items
            .iter()
            .map(|c| c.id)
            .filter(|id| all.items.iter().any(|c| c.id == *id))
            .collect();
        assert_eq!(
            all.items.iter().map(|c| c.id).collect::<Vec<_>>(),
            order,
            "q=scoped&sort={sort} keeps the sort's order"
        );
        assert_eq!(all.items.len(), 3);
    }
    let first = search(SearchParams {
        q: "scoped".into(),
        limit: "1".into(),
        ..Default::default()
    })
    .await;
    let second = search(SearchParams {
        q: "scoped".into(),
        limit: "1".into(),
        cursor: stint_domain::search::encode_cursor(1),
        ..Default::default()
    })
    .await;
    assert_eq!(first.total, second.total);
    assert!(first.total == 3 && second.items.len() == 1);
    assert_ne!(
        first.items.first().map(|c| c.id),
        second.items.first().map(|c| c.id),
        "the second page is the next result"
    );
    let r = search(SearchParams {
        sort: "price".into(),
        ..Default::default()
    })
    .await;
    assert_eq!(r.items.first().map(|c| c.id), Some(q3.id));
    let r = search(SearchParams {
        limit: "2".into(),
        sort: "newest".into(),
        ..Default::default()
    })
    .await;
    assert_eq!((r.items.len(), r.total, r.next_offset), (2, 3, Some(2)));
    let r = search(SearchParams {
        limit: "2".into(),
        sort: "newest".into(),
        cursor: stint_domain::search::encode_cursor(2),
        ..Default::default()
    })
    .await;
    assert_eq!((r.items.len(), r.next_offset), (1, None));
    assert_eq!(r.total, 3, "the count rides on the page's rows");
    for q in ["", "market"] {
        let r = search(SearchParams {
            q: q.into(),
            cursor: stint_domain::search::encode_cursor(50),
            ..Default::default()
        })
        .await;
        let all = search(SearchParams {
            q: q.into(),
            ..Default::default()
        })
        .await;
        assert!(r.items.is_empty() && r.next_offset.is_none());
        assert_eq!(r.total, all.total, "past the last page, {q:?} still counts");
        assert!(all.total > 0);
    }
    let r = search(SearchParams {
        location: "%".into(),
        ..Default::default()
    })
    .await;
    assert_eq!(r.total, 0, "LIKE wildcards in input are literal");

    // Closing takes a project out of search.
    s.set_project_status(p.id, ProjectStatus::Open, ProjectStatus::Closed)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let r = search(SearchParams {
        q: "market".into(),
        ..Default::default()
    })
    .await;
    assert_eq!(r.total, 0);
    assert_eq!(s.org_projects(org).await.map(|v| v.len()).ok(), Some(3));
    let _ = NaiveDate::default();
}

both_engines!(idempotency_keys_claim_once, |db| async move {
    use stint_store::{Claim, StoredResponse};
    let s = &db.store;
    let now = Utc::now();
    let old = now - Duration::hours(24);
    assert_eq!(
        s.claim_idempotency_key("scope", "k1", "fp", now, old)
            .await
            .ok(),
        Some(Claim::Claimed)
    );
    assert_eq!(
        s.claim_idempotency_key("scope", "k1", "fp", now, old)
            .await
            .ok(),
        Some(Claim::InProgress)
    );
    assert_eq!(
        s.claim_idempotency_key("scope", "k1", "other", now, old)
            .await
            .ok(),
        Some(Claim::Mismatch)
    );
    assert_eq!(
        s.claim_idempotency_key("scope2", "k1", "other", now, old)
            .await
            .ok(),
        Some(Claim::Claimed),
        "keys are per scope"
    );
    let answer = StoredResponse {
        status: 201,
        content_type: Some("application/json".into()),
        body: b"{\"id\":1}".to_vec(),
    };
    s.finish_idempotency_key("scope", "k1", &answer)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        s.claim_idempotency_key("scope", "k1", "fp", now, old)
            .await
            .ok(),
        Some(Claim::Done(answer))
    );
    // A released claim (server error) can run again; a finished one stays.
    s.release_idempotency_key("scope2", "k1")
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        s.claim_idempotency_key("scope2", "k1", "fp", now, old)
            .await
            .ok(),
        Some(Claim::Claimed)
    );
    // After a day the key is free again.
    let later = now + Duration::hours(25);
    assert_eq!(
        s.claim_idempotency_key("scope", "k1", "new", later, later - Duration::hours(24))
            .await
            .ok(),
        Some(Claim::Claimed)
    );
    assert_eq!(
        s.purge_idempotency_keys(later + Duration::seconds(1))
            .await
            .ok(),
        Some(2)
    );
});

both_engines!(email_preferences_upsert, |db| async move {
    let s = &db.store;
    let u = s
        .create_user("p@x.com", "hash", "P", Role::Student)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(s.email_preferences(u.id).await.ok(), Some(vec![]));
    for on in [false, true, false] {
        s.set_email_preference(u.id, "messages", on)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
    }
    s.set_email_preference(u.id, "work", true)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        s.email_preferences(u.id).await.ok(),
        Some(vec![("messages".into(), false), ("work".into(), true)])
    );
});

#[tokio::test]
async fn local_file_storage() {
    let dir = std::env::temp_dir().join(format!("stint_fs_{}", std::process::id()));
    let fs = stint_store::FileStorage::local(&dir);
    let key = "0123456789abcdef0123456789abcdef";
    fs.put(key, b"hello")
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(fs.get(key).await.ok(), Some(b"hello".to_vec()));
    assert!(
        dir.join("01").join(key).exists(),
        "sharded by the key's first two characters"
    );
    fs.delete(key).await.unwrap_or_else(|e| panic!("{e}"));
    fs.delete(key)
        .await
        .unwrap_or_else(|e| panic!("deleting twice: {e}"));
    assert!(matches!(fs.get(key).await, Err(StoreError::NotFound)));
    for bad in ["../../etc/passwd", "short", "0123456789abcdef/../x", ""] {
        assert!(fs.put(bad, b"x").await.is_err(), "{bad}");
        assert!(fs.get(bad).await.is_err(), "{bad}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

both_engines!(match_candidates_by_category_or_skill, |db| async move {
    use stint_store::Pool;
    let s = &db.store;
    let (user, org) = employer(s, "m@acme.com", "Match Co").await;
    let today = Utc::now().date_naive();
    let mut ids = Vec::new();
    for (title, cat, skills) in [
        ("Sheet for operations", "operations", &["spreadsheets"][..]),
        ("Survey analysis", "data-analysis", &["statistics"][..]),
        ("Logo design", "graphic-design", &["figma"][..]),
        ("Draft never published", "operations", &["spreadsheets"][..]),
    ] {
        let p = s
            .create_project(org, user, &project_input(title, cat, skills, "1500", "USD"))
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        if !title.starts_with("Draft") {
            s.set_project_status(p.id, ProjectStatus::Draft, ProjectStatus::Open)
                .await
                .unwrap_or_else(|e| panic!("{e}"));
        }
        ids.push(p.id);
    }
    let student = s
        .create_user("c@x.com", "hash", "C", Role::Student)
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .id;
    let titles = |list: Vec<stint_store::Candidate>| {
        let mut t: Vec<String> = list.into_iter().map(|c| c.title).collect();
        t.sort();
        t
    };
    // A skill outside the categories still brings its project in.
    let cats = vec!["data-analysis".to_string()];
    let skills = vec!["spreadsheets".to_string()];
    let found = s
        .match_candidates(
            student,
            Pool::Related {
                categories: &cats,
                skills: &skills,
            },
            today,
            10,
        )
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        titles(found),
        vec!["Sheet for operations", "Survey analysis"]
    );
    // A pattern character in a skill matches nothing by accident.
    let odd = vec!["%".to_string()];
    let found = s
        .match_candidates(
            student,
            Pool::Related {
                categories: &[],
                skills: &odd,
            },
            today,
            10,
        )
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(found.is_empty());
    // Hidden projects leave; the outside pool excludes the tried fields.
    s.hide_project(student, ids[0])
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let found = s
        .match_candidates(
            student,
            Pool::Related {
                categories: &cats,
                skills: &skills,
            },
            today,
            10,
        )
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(titles(found), vec!["Survey analysis"]);
    let found = s
        .match_candidates(student, Pool::Outside { categories: &cats }, today, 10)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(titles(found), vec!["Logo design"]);
});
