//! Search quality on a small fixed corpus, on both engines: relevance,
//! word forms and prefixes, common words, and facet counts that agree with
//! the filtered totals.

use axum::http::{Method, StatusCode};
use serde_json::{Value, json};

use crate::app_test;
use crate::common::{TestApp, project_json};

fn project(
    title: &str,
    summary: &str,
    category: &str,
    skills: &[&str],
    hours: u32,
    mode: &str,
) -> Value {
    let mut p = project_json(title);
    p["summary"] = json!(summary);
    p["category"] = json!(category);
    p["required_skills"] = json!(skills);
    p["preferred_skills"] = json!([]);
    p["estimated_hours"] = json!(hours);
    p["work_mode"] = json!(mode);
    if mode != "remote" {
        p["location"] = json!("Pune");
    }
    p
}

async fn search(app: &TestApp, qs: &str) -> Value {
    let r = app
        .api(Method::GET, &format!("/api/v1/projects?{qs}"), None, None)
        .await;
    assert_eq!(r.status, StatusCode::OK, "{qs}: {}", r.body);
    r.json()
}

fn titles(v: &Value) -> Vec<String> {
    v["items"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|i| i["title"].as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default()
}

app_test!(relevance_word_forms_and_facets, |app| async move {
    let (boss, _) = app.employer("boss@acme.com", "Acme", true).await;
    let corpus = [
        project(
            "Market research on plant-based snacks",
            "Size the market and profile five competitors for our snack launch.",
            "market-research",
            &["desk-research", "competitive-analysis"],
            20,
            "remote",
        ),
        project(
            "Instagram content calendar",
            "Plan a month of posts and write captions for our research-backed brand.",
            "social-media",
            &["instagram"],
            10,
            "remote",
        ),
        project(
            "Survey analysis in R",
            "Analyse 500 survey responses and chart the results.",
            "data-analysis",
            &["r", "statistics"],
            25,
            "hybrid",
        ),
        project(
            "Budget model for a café",
            "Build a twelve-month budget and cash-flow model.",
            "finance",
            &["budgeting"],
            15,
            "in_person",
        ),
        project(
            "Competitor pricing research",
            "Collect the prices of the market leaders in three cities.",
            "market-research",
            &["web-research"],
            8,
            "remote",
        ),
    ];
    for p in corpus {
        app.publish_json(&boss, p).await;
    }
    // Relevance: the market-research project ranks first for its own words.
    let r = search(&app, "q=market+research").await;
    assert_eq!(
        titles(&r).first().map(String::as_str),
        Some("Market research on plant-based snacks"),
        "{r}"
    );
    // Word forms (stemming) and the last word as a prefix while typing.
    assert!(titles(&search(&app, "q=surveys").await).contains(&"Survey analysis in R".to_string()));
    assert!(
        titles(&search(&app, "q=analyses").await).contains(&"Survey analysis in R".to_string()),
        "analyses ~ analyse"
    );
    assert_eq!(
        titles(&search(&app, "q=compet").await).len(),
        2,
        "prefix of competitor(s)"
    );
    assert_eq!(
        titles(&search(&app, "q=budg").await),
        vec!["Budget model for a café".to_string()]
    );
    // Very common words and odd input are safe.
    assert!(search(&app, "q=the").await["total"].as_i64().is_some());
    assert!(
        search(&app, "q=%22%29%28*%3A%26%7C").await["total"]
            .as_i64()
            .is_some()
    );

    // Facets agree with the filtered totals.
    let f = app
        .api(Method::GET, "/api/v1/projects/facets", None, None)
        .await
        .json();
    assert_eq!(f["total"], 5);
    assert_eq!(
        f["category"][0],
        json!({"value": "market-research", "count": 2})
    );
    for c in f["category"].as_array().cloned().unwrap_or_default() {
        let slug = c["value"].as_str().unwrap_or_default();
        assert_eq!(
            search(&app, &format!("category={slug}")).await["total"],
            c["count"],
            "{slug}"
        );
    }
    for m in f["mode"].as_array().cloned().unwrap_or_default() {
        let mode = m["value"].as_str().unwrap_or_default();
        assert_eq!(
            search(&app, &format!("mode={mode}")).await["total"],
            m["count"],
            "{mode}"
        );
    }
    for h in f["max_hours"].as_array().cloned().unwrap_or_default() {
        let v = h["value"].as_str().unwrap_or_default();
        assert_eq!(
            search(&app, &format!("max_hours={v}")).await["total"],
            h["count"],
            "hours {v}"
        );
    }
    assert_eq!(f["max_hours"][0], json!({"value": "10", "count": 2}));
    // With words: facets count only the matches.
    let f = app
        .api(
            Method::GET,
            "/api/v1/projects/facets?q=research",
            None,
            None,
        )
        .await
        .json();
    assert_eq!(f["total"], search(&app, "q=research").await["total"]);
    let bad = app
        .api(
            Method::GET,
            "/api/v1/projects/facets?category=astrology",
            None,
            None,
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    // The page shows them as links that narrow the search.
    let page = app.get("/projects?q=research", None).await;
    assert!(page.body.contains("Refine results"));
    assert!(page.body.contains("category=market-research"));
    // The page counts them in the same pass as its results: signed out, and
    // for a student (whose first results are re-ranked by match), the counts
    // shown are the API's.
    let student = app.student("facets.student@uni.edu").await;
    let counts = |body: &str| -> Vec<String> {
        body.split("<span class=\"count\">")
            .skip(1)
            .filter_map(|rest| rest.split('<').next())
            .map(str::to_string)
            .collect()
    };
    let market = f["category"]
        .as_array()
        .and_then(|c| c.iter().find(|v| v["value"] == "market-research"))
        .map(|v| v["count"].to_string())
        .unwrap_or_default();
    let anonymous = counts(&app.get("/projects?q=research", None).await.body);
    assert!(anonymous.contains(&market), "{anonymous:?} lacks {market}");
    let mine = app.get("/projects?q=research", Some(&student.cookie)).await;
    assert_eq!(mine.status, StatusCode::OK);
    assert_eq!(counts(&mine.body), anonymous);
});

app_test!(relevance_then_match_for_a_student, |app| async move {
    let (boss, _) = app.employer("boss@acme.com", "Acme", true).await;
    let text = |p: &mut Value, title: &str, summary: &str, brief: &str| {
        p["title"] = json!(title);
        p["summary"] = json!(summary);
        p["brief"] = json!(brief);
    };
    // Two about equally relevant projects for "survey analysis" (the data
    // one a little more: its category is data analysis); the student fits
    // the finance one. A third fits them as well but only mentions a
    // survey analysis once, in its brief.
    let mut b = project_json("");
    text(
        &mut b,
        "Survey analysis of app users",
        "Analyse survey answers from the users of our app.",
        "Survey answers from 300 app users need coding into themes.",
    );
    let mut c = finance_project();
    text(
        &mut c,
        "Budget dashboard for a café",
        "Build a weekly budget dashboard for our team.",
        "Includes one chart from a guest survey analysis next to the figures.",
    );
    let mut a = finance_project();
    text(
        &mut a,
        "Survey analysis of café guests",
        "Analyse survey answers from the guests of our café.",
        "Survey answers from 300 café guests need coding into themes.",
    );
    let b = app.publish_json(&boss, b).await;
    let c = app.publish_json(&boss, c).await;
    let a = app.publish_json(&boss, a).await;
    let s = app.student("s@x.com").await;
    let r = app
        .api(
            Method::PUT,
            "/api/v1/me/profile",
            Some(&s.token),
            Some(
                json!({"skills": ["budgeting", "financial-modeling"], "interests": ["finance"],
                "availability_hours": 10}),
            ),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let ids = |v: &Value| -> Vec<i64> {
        v["items"]
            .as_array()
            .map(|a| a.iter().filter_map(|i| i["id"].as_i64()).collect())
            .unwrap_or_default()
    };
    let as_student = |qs: String| {
        let app = &app;
        let token = s.token.clone();
        async move {
            let r = app
                .api(
                    Method::GET,
                    &format!("/api/v1/projects?{qs}"),
                    Some(&token),
                    None,
                )
                .await;
            assert_eq!(r.status, StatusCode::OK, "{qs}: {}", r.body);
            r.json()
        }
    };

    // Signed out: relevance alone, and no match.
    let anon = search(&app, "q=survey+analysis").await;
    assert_eq!(ids(&anon), vec![b, a, c], "{anon}");
    assert!(anon["items"][0].get("match").is_none());
    // The student: the better match of the two equals first; the far less
    // relevant perfect match stays last.
    let mine = as_student("q=survey+analysis".into()).await;
    assert_eq!(ids(&mine), vec![a, b, c], "{mine}");
    let first = mine["items"][0]["match"]["score"].as_u64().unwrap_or(0);
    let second = mine["items"][1]["match"]["score"].as_u64().unwrap_or(100);
    assert!(first > second, "{mine}");
    assert!(
        mine["items"][0]["match"]["reasons"]
            .as_array()
            .is_some_and(|r| !r.is_empty())
    );
    // Paging walks the same order without repeats.
    let mut walked = Vec::new();
    let mut qs = "q=survey+analysis&limit=1".to_string();
    loop {
        let page = as_student(qs.clone()).await;
        walked.extend(ids(&page));
        match page["next_cursor"].as_str() {
            Some(cur) => qs = format!("q=survey+analysis&limit=1&cursor={cur}"),
            None => break,
        }
    }
    assert_eq!(walked, vec![a, b, c]);
    // Other sorts are the engine's: newest first for everyone.
    assert_eq!(ids(&as_student("sort=newest".into()).await), vec![a, c, b]);
    // No words: best match first for the student; newest first signed out.
    assert_eq!(ids(&as_student(String::new()).await).last(), Some(&b));
    assert_eq!(ids(&search(&app, "").await).first(), Some(&a));
    // The page shows the same order to the student.
    let page = app
        .get("/projects?q=survey+analysis", Some(&s.cookie))
        .await;
    let pos = |id: i64| {
        page.body
            .find(&format!("/projects/{id}\""))
            .unwrap_or(usize::MAX)
    };
    assert!(pos(a) < pos(b) && pos(b) < pos(c), "student's page order");
});

fn finance_project() -> Value {
    let mut p = project_json("");
    p["category"] = json!("finance");
    p["required_skills"] = json!(["budgeting"]);
    p["preferred_skills"] = json!([]);
    p
}
