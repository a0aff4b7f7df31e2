//! The search index: what words find (the same on both engines), and how the
//! change feed keeps every process's index in step with the database.

use chrono::{Duration, Utc};
use stint_domain::account::Role;
use stint_domain::organization::{OrgInput, OrgKind};
use stint_domain::project::{ProjectForm, ProjectStatus};
use stint_domain::search::{ProjectQuery, SearchParams};
use stint_store::{IndexStorage, Store, both_engines};

async fn employer(store: &Store) -> (i64, i64) {
    let u = store
        .create_user("e@acme.example", "hash", "Emp", Role::Employer)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let input = OrgInput::parse(
        OrgKind::Employer,
        "Acme",
        "https://acme.example",
        "GB",
        "We make things.",
        "",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let org = store
        .create_org(OrgKind::Employer, &input, u.id, "code-acme")
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    (u.id, org.id)
}

/// Creates and publishes a project; `extra` fills in the form.
async fn publish(
    s: &Store,
    (uid, org): (i64, i64),
    title: &str,
    brief: &str,
    extra: impl FnOnce(&mut ProjectForm),
) -> i64 {
    let today = Utc::now().date_naive();
    let day = |n: i64| (today + Duration::days(n)).to_string();
    let mut form = ProjectForm {
        title: title.into(),
        summary: "A short project with a clear deliverable.".into(),
        brief: format!("{brief} Everything needed is provided on the first day of work."),
        deliverables: "- One document".into(),
        acceptance_criteria: "- Complete".into(),
        category: "content-writing".into(),
        required_skills: vec!["copywriting".into()],
        estimated_hours: "10".into(),
        start_date: day(10),
        due_date: day(20),
        price: "200".into(),
        currency: "GBP".into(),
        work_mode: "remote".into(),
        slots: "1".into(),
        application_deadline: day(3),
        decision_by: day(5),
        ..Default::default()
    };
    extra(&mut form);
    let input = form.parse().unwrap_or_else(|e| panic!("{title}: {e}"));
    let p = s
        .create_project(org, uid, &input)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    s.set_project_status(p.id, ProjectStatus::Draft, ProjectStatus::Open)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    p.id
}

async fn ids(s: &Store, params: SearchParams) -> Vec<i64> {
    let q = params.parse().unwrap_or_else(|e| panic!("{e}"));
    s.search_projects(&q)
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .items
        .iter()
        .map(|c| c.id)
        .collect()
}

fn words(q: &str) -> SearchParams {
    SearchParams {
        q: q.into(),
        ..Default::default()
    }
}

fn sorted(mut v: Vec<i64>) -> Vec<i64> {
    v.sort_unstable();
    v
}

// The quality set: what people type, and what it must find, on both engines.
both_engines!(
    words_find_the_same_projects_on_both_engines,
    |db| async move {
        let s = db
            .store
            .clone()
            .with_search_index(None, None)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let who = employer(&s).await;
        let survey = publish(
            &s,
            who,
            "Design a customer survey",
            "Write the questions of the survey.",
            |_| {},
        )
        .await;
        let surveys = publish(
            &s,
            who,
            "Analyse three surveys",
            "Compare the surveys we ran in spring.",
            |f| {
                f.category = "data-analysis".into();
                f.required_skills = vec!["spreadsheets".into()];
            },
        )
        .await;
        let insta = publish(
            &s,
            who,
            "Instagram reels for a café",
            "Plan twelve reels for our café.",
            |f| {
                f.category = "social-media".into();
                f.required_skills = vec!["instagram".into()];
                f.work_mode = "in_person".into();
                f.location = "Leeds".into();
            },
        )
        .await;
        let research = publish(
            &s,
            who,
            "Market research on bicycles",
            "Researching who buys cargo bicycles.",
            |f| {
                f.category = "market-research".into();
                f.required_skills = vec!["desk-research".into()];
                f.price = "600".into();
            },
        )
        .await;
        let brief_only = publish(
            &s,
            who,
            "Tidy a product catalogue",
            "Some of the entries mention market research.",
            |_| {},
        )
        .await;

        // Plurals and verb forms meet at their stem.
        assert_eq!(
            sorted(ids(&s, words("surveys")).await),
            sorted(vec![survey, surveys])
        );
        assert_eq!(
            sorted(ids(&s, words("survey")).await),
            sorted(vec![survey, surveys])
        );
        assert_eq!(
            sorted(ids(&s, words("researched")).await),
            sorted(vec![research, brief_only])
        );
        // Every word must match; order does not matter.
        assert_eq!(
            sorted(ids(&s, words("research market")).await),
            sorted(vec![research, brief_only])
        );
        assert_eq!(ids(&s, words("market bicycles")).await, vec![research]);
        // The title counts more than the brief.
        assert_eq!(
            ids(&s, words("market research")).await,
            vec![research, brief_only]
        );
        // The last word as typed is a prefix.
        assert_eq!(ids(&s, words("insta")).await, vec![insta]);
        assert_eq!(ids(&s, words("reels for a caf")).await, vec![insta]);
        // Accents are folded; case does not matter.
        assert_eq!(ids(&s, words("CAFE")).await, vec![insta]);
        // Skills and the category are words too.
        assert_eq!(ids(&s, words("spreadsheets")).await, vec![surveys]);
        assert_eq!(sorted(ids(&s, words("desk")).await), vec![research]);
        // No stop words: "the" finds what says "the" (every brief here does).
        assert_eq!(ids(&s, words("the")).await.len(), 5);
        // Nothing matches nothing; punctuation is not syntax.
        assert!(ids(&s, words("zebra")).await.is_empty());
        assert!(
            ids(&s, words("\"; DROP TABLE projects; --"))
                .await
                .is_empty()
        );
        assert!(ids(&s, words("a.*")).await.len() <= 5);
        assert!(ids(&s, words(&"x".repeat(60))).await.is_empty());
        // Words with filters.
        let params = SearchParams {
            q: "surveys".into(),
            category: "data-analysis".into(),
            ..Default::default()
        };
        assert_eq!(ids(&s, params).await, vec![surveys]);
        let params = SearchParams {
            location: "eed".into(),
            ..Default::default()
        };
        assert_eq!(
            ids(&s, params).await,
            vec![insta],
            "location matches inside the name"
        );
        let params = SearchParams {
            location: ".*".into(),
            ..Default::default()
        };
        assert!(ids(&s, params).await.is_empty(), "location is literal");
        let params = SearchParams {
            min_price: "700".into(),
            ..Default::default()
        };
        assert_eq!(ids(&s, params).await, vec![research], "£600 is over $700");
        let params = SearchParams {
            mode: "in_person".into(),
            ..Default::default()
        };
        assert_eq!(ids(&s, params).await, vec![insta]);

        // Facets count every match.
        let q = words("survey").parse().unwrap_or_default();
        let f = s.search_facets(&q).await.unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(f.total, 2);
        assert_eq!(
            f.categories,
            vec![
                ("content-writing".to_string(), 1),
                ("data-analysis".to_string(), 1)
            ]
        );
        assert_eq!(f.modes, vec![("remote".to_string(), 2)]);
        let all = s
            .search_facets(&ProjectQuery::default())
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(all.total, 5);
        assert_eq!(all.price_from_usd, vec![(100, 5), (250, 5), (500, 1)]);
        assert_eq!(all.hours_up_to, vec![(10, 5), (20, 5), (40, 5)]);

        // A page and its facets in one pass give what two calls give.
        for text in ["survey", "", "surv", "market research"] {
            let mut q = words(text).parse().unwrap_or_default();
            q.limit = 2;
            let (page, facets) = s
                .search_projects_with_facets(&q)
                .await
                .unwrap_or_else(|e| panic!("{e}"));
            let alone = s
                .search_projects(&q)
                .await
                .unwrap_or_else(|e| panic!("{e}"));
            let pick = |p: &stint_store::SearchPage| -> Vec<(i64, Option<i64>)> {
                p.items
                    .iter()
                    .map(|c| (c.id, c.rank.map(|r| (r * 1000.0) as i64)))
                    .collect()
            };
            assert_eq!(pick(&page), pick(&alone), "{text}");
            assert_eq!(
                (page.total, page.next_offset),
                (alone.total, alone.next_offset),
                "{text}"
            );
            let f = s.search_facets(&q).await.unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(facets, f, "{text}");
        }
    }
);

both_engines!(every_process_keeps_its_index_in_step, |db| async move {
    let a = db
        .store
        .clone()
        .with_search_index(None, None)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    // A second process on the same database, with its own index.
    let b = Store::connect(&db.url)
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .with_search_index(None, None)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let who = employer(&a).await;
    let id = publish(&a, who, "Survey of bakeries", "Visit the bakeries.", |_| {}).await;
    // The process that published sees it at once.
    assert_eq!(ids(&a, words("bakeries")).await, vec![id]);
    // A job's question about one project sees it at once everywhere.
    let one = ProjectQuery {
        project_id: Some(id),
        limit: 1,
        ..Default::default()
    };
    assert_eq!(b.search_projects(&one).await.map(|p| p.total).ok(), Some(1));
    // Any search elsewhere sees it within the check interval.
    tokio::time::sleep(stint_store::CHECK_EVERY).await;
    assert_eq!(ids(&b, words("bakeries")).await, vec![id]);

    // Closed in one process: never shown again in the other, even before its
    // index hears of it.
    a.set_project_status(id, ProjectStatus::Open, ProjectStatus::Closed)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(ids(&b, words("bakeries")).await.is_empty());
    assert!(ids(&a, words("bakeries")).await.is_empty());
    tokio::time::sleep(stint_store::CHECK_EVERY).await;
    let q = words("bakeries").parse().unwrap_or_default();
    let page = b
        .search_projects(&q)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        (page.total, page.items.len()),
        (0, 0),
        "and no longer counted"
    );
    assert_eq!(b.search_index_state().map(|s| s.1), Some(0));

    // A bulk load starts a new feed: the other index rebuilds and finds it.
    let id2 = publish(&a, who, "Photograph bakeries", "Ten photographs.", |_| {}).await;
    a.restart_search_feed()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    tokio::time::sleep(stint_store::CHECK_EVERY).await;
    assert_eq!(ids(&b, words("bakeries")).await, vec![id2]);
    assert_eq!(b.search_index_state().map(|s| s.1), Some(1));
});

both_engines!(an_index_on_disk_catches_up_or_rebuilds, |db| async move {
    let dir = std::env::temp_dir().join(format!(
        "stint_index_{}_{}",
        std::process::id(),
        Utc::now().timestamp_micros()
    ));
    let who = employer(&db.store).await;
    let first = publish(
        &db.store,
        who,
        "Survey of libraries",
        "Count the books.",
        |_| {},
    )
    .await;
    {
        let s = db
            .store
            .clone()
            .with_search_index(Some(&dir), None)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(s.search_index_state(), Some((IndexStorage::OnDisk, 1)));
        // A second process finds the directory taken and keeps its index in
        // memory, built from the database.
        let other = Store::connect(&db.url)
            .await
            .unwrap_or_else(|e| panic!("{e}"))
            .with_search_index(Some(&dir), None)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(matches!(
            other.search_index_state(),
            Some((IndexStorage::InMemory(Some(_)), 1))
        ));
        s.close().await;
        other.close().await;
    }
    // Stopped; meanwhile another process publishes.
    let writer = Store::connect(&db.url)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let second = publish(
        &writer,
        who,
        "Survey of museums",
        "Count the visitors.",
        |_| {},
    )
    .await;
    let reopen = || async {
        Store::connect(&db.url)
            .await
            .unwrap_or_else(|e| panic!("{e}"))
            .with_search_index(Some(&dir), None)
            .await
            .unwrap_or_else(|e| panic!("{e}"))
    };
    let s = reopen().await;
    assert_eq!(
        sorted(ids(&s, words("survey")).await),
        sorted(vec![first, second])
    );
    s.close().await;
    drop(s);
    // Changes older than the feed keeps are gone: the index rebuilds.
    writer
        .set_project_status(first, ProjectStatus::Open, ProjectStatus::Closed)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let purged = writer
        .purge_search_feed(Utc::now() + Duration::days(1))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(purged >= 3, "{purged}");
    let s = reopen().await;
    assert_eq!(ids(&s, words("survey")).await, vec![second]);
    assert_eq!(s.search_index_state(), Some((IndexStorage::OnDisk, 1)));
    s.close().await;
    let _ = std::fs::remove_dir_all(&dir);
});

both_engines!(a_filled_project_leaves_the_index, |db| async move {
    let s = db
        .store
        .clone()
        .with_search_index(None, None)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let who = employer(&s).await;
    let id = publish(&s, who, "Survey of cafés", "Visit them.", |_| {}).await;
    assert_eq!(ids(&s, words("cafes")).await, vec![id]);
    assert_eq!(s.search_index_state().map(|st| st.1), Some(1));
    s.set_project_status(id, ProjectStatus::Open, ProjectStatus::Filled)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(ids(&s, words("cafes")).await.is_empty());
    assert_eq!(s.search_index_state().map(|st| st.1), Some(0));
});

// A process's own change is in its next search even while another search
// (a job's, which always reads the feed) is still applying it: the e2e test
// of two processes found searches passing such a look half-way.
both_engines!(
    own_changes_are_seen_while_another_look_applies_them,
    |db| async move {
        let s = db
            .store
            .clone()
            .with_search_index(None, None)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let who = employer(&s).await;
        let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        // Job-like searches, back to back, each forcing a look at the feed.
        let looker = {
            let (s, stop) = (s.clone(), stop.clone());
            tokio::spawn(async move {
                let mut q = SearchParams::default()
                    .parse()
                    .unwrap_or_else(|e| panic!("{e}"));
                q.project_id = Some(1);
                while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                    let _ = s.search_projects(&q).await;
                    tokio::task::yield_now().await;
                }
            })
        };
        for i in 0..40 {
            let word = format!("zebrawort{i}");
            let id = publish(
                &s,
                who,
                &format!("Tag {word} answers"),
                "Code answers.",
                |_| {},
            )
            .await;
            assert_eq!(ids(&s, words(&word)).await, vec![id], "publish {i}");
            s.set_project_status(id, ProjectStatus::Open, ProjectStatus::Closed)
                .await
                .unwrap_or_else(|e| panic!("{e}"));
            assert!(ids(&s, words(&word)).await.is_empty(), "close {i}");
        }
        stop.store(true, std::sync::atomic::Ordering::Relaxed);
        let _ = looker.await;
    }
);
