//! The ledger's rules hold whatever people do: random sequences of deposit,
//! submit, approve, cancel (by either side, before and after the start
//! date), dispute, resolve, payout, their retries and concurrent doubles,
//! and direct store writes that try to break a rule. After every step each
//! engagement's entries are replayed by `ledger::audit` (the code behind
//! `stint ledger check`) and must show no discrepancy. Runs on both engines
//! with the manual and the sandbox provider.

use axum::http::{Method, StatusCode};
use serde_json::json;
use stint_domain::engagement::EngagementStatus;
use stint_domain::ledger::audit;
use stint_store::{Movement, StoreError};
use stint_web::PaymentProvider;

use crate::common::{Actor, PITCH, TestApp, project_json};

const NOTE: &str = "Coded all 500 answers; the report is linked.";

/// A small deterministic generator, so a failing seed can be replayed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// A fresh employer, student and engagement, numbered `n`.
async fn engagement(app: &TestApp, n: u64) -> (Actor, Actor, i64) {
    let (boss, _) = app
        .employer(&format!("boss{n}@acme{n}.com"), &format!("Acme {n}"), true)
        .await;
    let pid = app
        .publish_json(&boss, project_json(&format!("Ledger project {n}")))
        .await;
    let s = app.student(&format!("worker{n}@x.com")).await;
    let aid = app
        .api(
            Method::POST,
            &format!("/api/v1/projects/{pid}/applications"),
            Some(&s.token),
            Some(json!({"pitch": PITCH, "answer": "R."})),
        )
        .await
        .json()["id"]
        .as_i64()
        .unwrap_or_default();
    let h = app
        .api(
            Method::POST,
            &format!("/api/v1/applications/{aid}/hire"),
            Some(&boss.token),
            None,
        )
        .await;
    assert_eq!(h.status, StatusCode::CREATED, "{}", h.body);
    (
        boss,
        s,
        h.json()["engagement"]["id"].as_i64().unwrap_or_default(),
    )
}

/// Every engagement's ledger replayed: no discrepancy anywhere, and the
/// balances of all accounts sum to zero.
async fn assert_consistent(app: &TestApp, context: &str) {
    let rows = app
        .state
        .store
        .ledger_audit_rows()
        .await
        .unwrap_or_default();
    for (e, entries) in &rows {
        let found = audit(e, entries);
        assert!(
            found.is_empty(),
            "{context}: engagement {}: {found:?}",
            e.id
        );
    }
    let sum: i64 = app
        .state
        .store
        .ledger_balances()
        .await
        .unwrap_or_default()
        .iter()
        .map(|(_, _, b)| b)
        .sum();
    assert_eq!(sum, 0, "{context}");
}

async fn random_sequences(app: TestApp) {
    let admin = app.admin().await;
    let mut rng = Rng(0x5eed_cafe_f00d_1234);
    let mut succeeded = [0usize; 14];
    // All hired before the clock moves past any start date.
    let mut hired = Vec::new();
    for n in 0..12u64 {
        hired.push(engagement(&app, n).await);
    }
    for (n, (boss, s, id)) in hired.into_iter().enumerate() {
        let path = |a: &str| format!("/api/v1/engagements/{id}/{a}");
        for step in 0..24 {
            let e = app
                .state
                .store
                .engagement(id)
                .await
                .unwrap_or_else(|e| panic!("{e}"));
            // Weighted towards the steps that move work forward, so the
            // walks reach approvals, disputes and payouts before a cancel.
            const WEIGHTS: [u64; 14] = [2, 4, 2, 1, 1, 3, 3, 2, 1, 1, 1, 1, 1, 1];
            let mut pick = rng.below(WEIGHTS.iter().sum());
            let mut choice = 0u64;
            while pick >= WEIGHTS[choice as usize] {
                pick -= WEIGHTS[choice as usize];
                choice += 1;
            }
            let context = format!(
                "engagement {n}, step {step}, action {choice}, was {:?}",
                e.status
            );
            let statuses: Vec<StatusCode> = match choice {
                0 => vec![
                    app.api(
                        Method::POST,
                        &path("deposit"),
                        Some(&admin.token),
                        Some(json!({"reference": format!("NEFT-{n}-{step}")})),
                    )
                    .await
                    .status,
                ],
                1 => vec![
                    app.api(
                        Method::POST,
                        &path("submissions"),
                        Some(&s.token),
                        Some(json!({"note": NOTE})),
                    )
                    .await
                    .status,
                ],
                2 => vec![
                    app.api(Method::POST, &path("approve"), Some(&boss.token), None)
                        .await
                        .status,
                ],
                3 => vec![
                    app.api(
                        Method::POST,
                        &path("cancel"),
                        Some(&s.token),
                        Some(json!({"reason": "I fell ill this week."})),
                    )
                    .await
                    .status,
                ],
                4 => vec![
                    app.api(
                        Method::POST,
                        &path("cancel"),
                        Some(&boss.token),
                        Some(json!({"reason": "Our plans changed."})),
                    )
                    .await
                    .status,
                ],
                5 => vec![
                    app.api(
                        Method::POST,
                        &path("dispute"),
                        Some(&s.token),
                        Some(json!({"reason": "The brief changed twice."})),
                    )
                    .await
                    .status,
                ],
                6 => {
                    let body = match rng.below(3) {
                        0 => json!({"outcome": "release", "note": "The work meets the criteria."}),
                        1 => json!({"outcome": "refund", "note": "Nothing usable was delivered."}),
                        _ => {
                            json!({"outcome": "partial", "amount_minor": 1 + rng.below(899_999), "note": "Half the work was usable."})
                        }
                    };
                    vec![
                        app.api(
                            Method::POST,
                            &path("resolve"),
                            Some(&admin.token),
                            Some(body),
                        )
                        .await
                        .status,
                    ]
                }
                7 => vec![
                    app.api(
                        Method::POST,
                        &path("payout"),
                        Some(&admin.token),
                        Some(json!({"reference": format!("PAY-{n}-{step}")})),
                    )
                    .await
                    .status,
                ],
                // Double clicks: the same money action twice at once.
                8 => app
                    .concurrently_json(
                        vec![
                            (
                                Method::POST,
                                path("payout"),
                                json!({"reference": "PAY-TWICE"}),
                            ),
                            (
                                Method::POST,
                                path("payout"),
                                json!({"reference": "PAY-TWICE"}),
                            ),
                            (
                                Method::POST,
                                path("deposit"),
                                json!({"reference": "NEFT-TWICE"}),
                            ),
                            (
                                Method::POST,
                                path("deposit"),
                                json!({"reference": "NEFT-TWICE"}),
                            ),
                        ],
                        &admin.token,
                    )
                    .await
                    .into_iter()
                    .map(|r| r.status)
                    .collect(),
                9 => {
                    app.concurrently(3, Method::POST, &path("approve"), &boss.token)
                        .await
                }
                // The store itself refuses what would break a rule.
                10 => {
                    // More than is owed, or exactly what is owed (one payout
                    // per engagement, as the admin records it).
                    let book = app.state.store.book(id).await.unwrap_or_default();
                    let amount = if rng.below(2) == 0 || book.owed_to_student() == 0 {
                        book.owed_to_student() + 1 + rng.below(1_000_000) as i64
                    } else {
                        book.owed_to_student()
                    };
                    let r = app
                        .state
                        .store
                        .record_movement(
                            id,
                            "INR",
                            "manual",
                            &Movement::payout(e.student_id, amount),
                            chrono::Utc::now(),
                        )
                        .await;
                    if amount > book.owed_to_student()
                        || (book.awaits_deposit && book.deposited == 0)
                    {
                        assert!(
                            matches!(
                                r,
                                Err(StoreError::Ledger(_))
                                    | Err(StoreError::Conflict("status_changed"))
                            ),
                            "{context}: {r:?}"
                        );
                    }
                    vec![]
                }
                11 => {
                    let book = app.state.store.book(id).await.unwrap_or_default();
                    let r = app
                        .state
                        .store
                        .move_engagement(
                            id,
                            e.status,
                            e.status,
                            "INR",
                            "manual",
                            &[Movement::release(id, e.student_id, book.escrow() + 1)],
                            chrono::Utc::now(),
                        )
                        .await;
                    assert!(
                        matches!(r, Err(StoreError::Ledger(_)) | Err(StoreError::Conflict(_))),
                        "{context}: {r:?}"
                    );
                    vec![]
                }
                // Refunds after the payment go back to the employer.
                13 => vec![
                    app.api(
                        Method::POST,
                        &path("return"),
                        Some(&admin.token),
                        Some(json!({"reference": format!("RET-{n}-{step}")})),
                    )
                    .await
                    .status,
                ],
                // Time passes the start date (cancellations then pay a share).
                _ => {
                    app.state.clock.advance(chrono::Duration::days(13));
                    vec![]
                }
            };
            for st in statuses {
                assert!(!st.is_server_error(), "{context}: {st}");
                if st.is_success() {
                    succeeded[choice as usize] += 1;
                }
            }
            assert_consistent(&app, &context).await;
        }
        // Whatever happened, money that is owed can still be paid.
        let book = app.state.store.book(id).await.unwrap_or_default();
        if book.deposit_due() > 0 {
            app.api(
                Method::POST,
                &path("deposit"),
                Some(&admin.token),
                Some(json!({"reference": "NEFT-FINAL"})),
            )
            .await;
        }
        if book.owed_to_employer() > 0 {
            let r = app
                .api(
                    Method::POST,
                    &path("return"),
                    Some(&admin.token),
                    Some(json!({"reference": "RET-FINAL"})),
                )
                .await;
            assert_eq!(r.status, StatusCode::OK, "engagement {n}: {}", r.body);
        }
        if book.owed_to_student() > 0 {
            let r = app
                .api(
                    Method::POST,
                    &path("payout"),
                    Some(&admin.token),
                    Some(json!({"reference": "PAY-FINAL"})),
                )
                .await;
            assert_eq!(r.status, StatusCode::OK, "engagement {n}: {}", r.body);
        }
        assert_consistent(&app, &format!("engagement {n}, settled")).await;
        let e = app
            .state
            .store
            .engagement(id)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        if e.status == EngagementStatus::Approved {
            panic!("engagement {n}: approved with nothing left to pay out, yet not paid");
        }
    }
    eprintln!("successes by action: {succeeded:?}");
    // The sequences reached the money steps, not only refusals: submit,
    // approve, cancel, dispute and resolve each succeeded somewhere.
    for (action, name) in [(1, "submit"), (5, "dispute"), (6, "resolve")] {
        assert!(succeeded[action] > 0, "no {name} succeeded: {succeeded:?}");
    }
    assert!(
        succeeded[2] + succeeded[9] > 0,
        "no approve succeeded: {succeeded:?}"
    );
    assert!(
        succeeded[3] + succeeded[4] > 0,
        "no cancel succeeded: {succeeded:?}"
    );
}

macro_rules! both_providers {
    ($name:ident, $provider:expr) => {
        mod $name {
            use super::*;

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let Some(app) = TestApp::with_config(stint_store::Engine::Sqlite, |c| {
                    c.payment_provider = $provider
                })
                .await
                else {
                    return;
                };
                random_sequences(app).await
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                let Some(app) = TestApp::with_config(stint_store::Engine::Postgres, |c| {
                    c.payment_provider = $provider
                })
                .await
                else {
                    return;
                };
                random_sequences(app).await
            }
        }
    };
}

both_providers!(random_sequences_manual, PaymentProvider::Manual);
both_providers!(random_sequences_sandbox, PaymentProvider::Sandbox);
