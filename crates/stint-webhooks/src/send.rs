//! Sending one attempt of a message: a POST of the exact signed bytes, no
//! redirects followed, no proxy, a timeout, and every host name resolved by
//! [`GuardedResolver`], which drops forbidden addresses before the client
//! can connect to them.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use reqwest::dns::{Addrs, Name, Resolve, Resolving};

use crate::address::{check_url, is_forbidden};
use crate::signature::{Secret, signature_header};

/// How much of a receiver's answer is kept for the delivery log.
const EXCERPT_BYTES: usize = 500;

/// Resolves with the system resolver and keeps only public addresses.
#[derive(Debug)]
pub struct GuardedResolver;

impl Resolve for GuardedResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let host = name.as_str().to_string();
        Box::pin(async move {
            let all: Vec<SocketAddr> = tokio::net::lookup_host((host.as_str(), 0)).await?.collect();
            let public: Vec<SocketAddr> = all
                .iter()
                .copied()
                .filter(|a| !is_forbidden(a.ip()))
                .collect();
            if public.is_empty() {
                let e: Box<dyn std::error::Error + Send + Sync> = if all.is_empty() {
                    format!("{host} has no address").into()
                } else {
                    format!("{host} resolves only to private, loopback or link-local addresses")
                        .into()
                };
                return Err(e);
            }
            let addrs: Addrs = Box::new(public.into_iter());
            Ok(addrs)
        })
    }
}

/// One attempt's result, for the delivery log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attempt {
    /// The receiver's status code, when it answered.
    pub status: Option<u16>,
    pub duration_ms: i64,
    /// Why the attempt failed without an answer (refused address, timeout,
    /// connection), or that a redirect was not followed.
    pub error: Option<String>,
    /// The start of the receiver's answer, as text.
    pub response: String,
}

impl Attempt {
    /// 2xx: the receiver took the message.
    pub fn succeeded(&self) -> bool {
        self.status.is_some_and(|s| (200..300).contains(&s))
    }
}

/// What is sent: the message id, the signing secrets (newest first) and
/// the exact body.
#[derive(Debug)]
pub struct Message<'a> {
    pub id: &'a str,
    pub body: &'a [u8],
    pub secrets: &'a [&'a Secret],
}

/// The HTTP client for webhooks. Cheap to clone.
#[derive(Debug, Clone)]
pub struct Sender {
    client: reqwest::Client,
    allow_private: bool,
    user_agent: String,
}

impl Sender {
    /// `allow_private` lets deliveries reach any address (development and
    /// tests); `timeout` bounds each attempt from connecting to the answer.
    pub fn new(allow_private: bool, timeout: Duration) -> Result<Sender, String> {
        let mut builder = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .no_proxy()
            .timeout(timeout)
            .connect_timeout(timeout.min(Duration::from_secs(5)))
            .pool_max_idle_per_host(2);
        if !allow_private {
            builder = builder.dns_resolver(Arc::new(GuardedResolver));
        }
        let client = builder.build().map_err(|e| e.to_string())?;
        Ok(Sender {
            client,
            allow_private,
            user_agent: format!("Stint-Webhooks/{}", env!("CARGO_PKG_VERSION")),
        })
    }

    pub fn allows_private(&self) -> bool {
        self.allow_private
    }

    /// Posts `message` to `url` once, signed at `timestamp` (Unix seconds).
    pub async fn send(&self, url: &str, message: &Message<'_>, timestamp: i64) -> Attempt {
        let started = Instant::now();
        let elapsed =
            |started: Instant| i64::try_from(started.elapsed().as_millis()).unwrap_or(i64::MAX);
        let url = match check_url(url, self.allow_private) {
            Ok(u) => u,
            Err(e) => {
                return Attempt {
                    status: None,
                    duration_ms: 0,
                    error: Some(e.to_string()),
                    response: String::new(),
                };
            }
        };
        let signature = signature_header(message.secrets, message.id, timestamp, message.body);
        let sent = self
            .client
            .post(url)
            .header("content-type", "application/json")
            .header("user-agent", &self.user_agent)
            .header("webhook-id", message.id)
            .header("webhook-timestamp", timestamp.to_string())
            .header("webhook-signature", signature)
            .body(message.body.to_vec())
            .send()
            .await;
        let response = match sent {
            Ok(r) => r,
            Err(e) => {
                return Attempt {
                    status: None,
                    duration_ms: elapsed(started),
                    error: Some(describe(&e)),
                    response: String::new(),
                };
            }
        };
        let status = response.status().as_u16();
        let redirect = response
            .status()
            .is_redirection()
            .then(|| "redirects are not followed; give the final address".to_string());
        // Only the start of the answer is read, within the same timeout.
        let mut text = Vec::new();
        let mut response = response;
        let mut error = redirect;
        loop {
            match response.chunk().await {
                Ok(Some(chunk)) => {
                    text.extend_from_slice(&chunk);
                    if text.len() >= EXCERPT_BYTES {
                        break;
                    }
                }
                Ok(None) => break,
                Err(e) => {
                    error.get_or_insert_with(|| describe(&e));
                    break;
                }
            }
        }
        text.truncate(EXCERPT_BYTES);
        Attempt {
            status: Some(status),
            duration_ms: elapsed(started),
            error,
            response: String::from_utf8_lossy(&text).into_owned(),
        }
    }
}

/// A plain sentence for the delivery log, with the cause a person can act on.
fn describe(e: &reqwest::Error) -> String {
    use std::error::Error;
    let mut causes = Vec::new();
    let mut source = e.source();
    while let Some(s) = source {
        causes.push(s.to_string());
        source = s.source();
    }
    let cause = causes.last().cloned().unwrap_or_default();
    let what = if e.is_timeout() {
        "timed out waiting for the receiver".to_string()
    } else if e.is_connect() {
        "could not connect".to_string()
    } else {
        "the request failed".to_string()
    };
    if cause.is_empty() || e.is_timeout() {
        what
    } else {
        format!("{what}: {cause}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::signature::verify;

    async fn receiver(status: u16, delay: Duration) -> (String, tokio::task::JoinHandle<()>) {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let port = listener.local_addr().map(|a| a.port()).unwrap_or_default();
        let app = axum::Router::new().route(
            "/hook",
            axum::routing::post(
                move |headers: axum::http::HeaderMap, body: axum::body::Bytes| async move {
                    tokio::time::sleep(delay).await;
                    let h = |n: &str| {
                        headers
                            .get(n)
                            .and_then(|v| v.to_str().ok())
                            .unwrap_or("")
                            .to_string()
                    };
                    let secret = Secret::parse("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
                        .unwrap_or_else(|e| panic!("{e}"));
                    let now = std::time::SystemTime::now()
                        .duration_since(std::time::UNIX_EPOCH)
                        .map(|d| d.as_secs() as i64)
                        .unwrap_or_default();
                    let ok = verify(
                        &secret,
                        &h("webhook-id"),
                        &h("webhook-timestamp"),
                        &h("webhook-signature"),
                        &body,
                        now,
                        300,
                    )
                    .is_ok();
                    (
                        axum::http::StatusCode::from_u16(if ok { status } else { 401 })
                            .unwrap_or_default(),
                        format!("verified={ok}"),
                    )
                },
            ),
        );
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        (format!("http://127.0.0.1:{port}/hook"), task)
    }

    fn now() -> i64 {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs() as i64)
            .unwrap_or_default()
    }

    #[tokio::test]
    async fn a_signed_post_reaches_a_receiver_that_checks_it() {
        let (url, _task) = receiver(204, Duration::ZERO).await;
        let sender = Sender::new(true, Duration::from_secs(5)).unwrap_or_else(|e| panic!("{e}"));
        let secret = Secret::parse("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
            .unwrap_or_else(|e| panic!("{e}"));
        let attempt = sender
            .send(
                &url,
                &Message {
                    id: "msg_1",
                    body: b"{\"a\":1}",
                    secrets: &[&secret],
                },
                now(),
            )
            .await;
        assert_eq!(attempt.status, Some(204), "{attempt:?}");
        assert!(attempt.succeeded());
        let other = Secret::generate().unwrap_or_else(|e| panic!("{e}"));
        let attempt = sender
            .send(
                &url,
                &Message {
                    id: "msg_2",
                    body: b"{}",
                    secrets: &[&other],
                },
                now(),
            )
            .await;
        assert_eq!(attempt.status, Some(401));
        assert_eq!(attempt.response, "verified=false");
        assert!(!attempt.succeeded());
    }

    #[tokio::test]
    async fn a_slow_receiver_times_out() {
        let (url, _task) = receiver(200, Duration::from_secs(3)).await;
        let sender =
            Sender::new(true, Duration::from_millis(300)).unwrap_or_else(|e| panic!("{e}"));
        let secret = Secret::generate().unwrap_or_else(|e| panic!("{e}"));
        let attempt = sender
            .send(
                &url,
                &Message {
                    id: "msg_3",
                    body: b"{}",
                    secrets: &[&secret],
                },
                now(),
            )
            .await;
        assert_eq!(attempt.status, None);
        assert!(
            attempt
                .error
                .as_deref()
                .is_some_and(|e| e.contains("timed out")),
            "{attempt:?}"
        );
    }

    #[tokio::test]
    async fn without_the_setting_loopback_is_never_reached() {
        let (url, _task) = receiver(200, Duration::ZERO).await;
        let sender = Sender::new(false, Duration::from_secs(5)).unwrap_or_else(|e| panic!("{e}"));
        let secret = Secret::generate().unwrap_or_else(|e| panic!("{e}"));
        let msg = Message {
            id: "msg_4",
            body: b"{}",
            secrets: &[&secret],
        };
        // As typed (an IP address), and as a name that resolves to loopback.
        let attempt = sender
            .send(&url.replace("http:", "https:"), &msg, now())
            .await;
        assert_eq!(attempt.status, None);
        assert!(
            attempt
                .error
                .as_deref()
                .is_some_and(|e| e.contains("private")),
            "{attempt:?}"
        );
        let by_name = url.replace("http://127.0.0.1", "https://localhost.");
        let attempt = sender.send(&by_name, &msg, now()).await;
        assert_eq!(attempt.status, None, "{attempt:?}");
        // A public-looking name whose only address is loopback: refused by
        // the resolver at connection time.
        let resolver = GuardedResolver;
        let name: Name = "localhost".parse().unwrap_or_else(|_| panic!("name"));
        let refused = resolver.resolve(name).await;
        assert!(refused.is_err());
        if let Err(e) = refused {
            assert!(e.to_string().contains("private"), "{e}");
        }
    }
}
