//! A few seconds of memory for pages everyone sees alike: the anonymous
//! search page, keyed by its query string. Under load most searches repeat
//! (the same popular words and filters), and a page five seconds old is
//! fresh enough for listings that live for days; signed-in pages (matches,
//! saved-search boxes) are never cached. Per instance, bounded in entries and
//! in bytes: varied traffic (thousands of distinct query strings) must not
//! grow the server, so expired pages are dropped as soon as the bound is
//! reached, and the whole cache starts over if fresh pages alone exceed it.
//!
//! Misses for one key are computed once: the first request to miss renders
//! the page ([`Lookup::Render`]), and requests for the same key that arrive
//! meanwhile wait for it ([`Lookup::Wait`]) instead of rendering it again.
//! Without this, every connection of a busy server recomputed a popular page
//! the moment it expired.

use std::collections::HashMap;
#[cfg(test)]
use std::sync::Arc;
use std::sync::Mutex;

use axum::body::Bytes;
use std::time::{Duration, Instant};

use tokio::sync::watch;

/// How long a cached page is served.
pub const TTL: Duration = Duration::from_secs(5);
/// Most pages kept.
const MAX_ENTRIES: usize = 2_000;
/// Most bytes of pages (and keys) kept.
const MAX_BYTES: usize = 16 * 1024 * 1024;

#[derive(Default)]
pub struct PageCache {
    pages: Mutex<Pages>,
}

/// What a render in progress ends with: the page, or nothing when it was not
/// one to cache (an error, a bad filter); waiters then render their own.
type Outcome = Option<Option<Bytes>>;

#[derive(Default)]
struct Pages {
    map: HashMap<String, (Instant, Bytes)>,
    bytes: usize,
    /// Keys being rendered now, with the channel their page arrives on.
    rendering: HashMap<String, watch::Receiver<Outcome>>,
}

/// What [`PageCache::lookup`] found.
pub enum Lookup<'a> {
    /// A fresh page.
    Hit(Bytes),
    /// Nobody is rendering this page: render it and give it to the flight.
    Render(Flight<'a>),
    /// Another request is rendering it: wait for [`Waiting::page`].
    Wait(Waiting),
}

/// The one render of a missed key. Dropping it without [`Flight::done`]
/// (an error, a cancelled request) lets the waiters render their own.
pub struct Flight<'a> {
    cache: &'a PageCache,
    key: String,
    tx: watch::Sender<Outcome>,
}

pub struct Waiting(watch::Receiver<Outcome>);

impl Waiting {
    /// The page the other request rendered, or `None` when it ended without
    /// one to share.
    pub async fn page(mut self) -> Option<Bytes> {
        match self.0.wait_for(Option::is_some).await {
            Ok(v) => v.clone().flatten(),
            Err(_) => None,
        }
    }
}

impl Flight<'_> {
    /// Caches the page and hands it to everyone waiting for it.
    pub fn done(self, html: Bytes) {
        self.cache.put(self.key.clone(), html.clone());
        self.tx.send_replace(Some(Some(html)));
    }
}

impl Drop for Flight<'_> {
    fn drop(&mut self) {
        if let Ok(mut pages) = self.cache.pages.lock() {
            pages.rendering.remove(&self.key);
        }
        // Waiters still blocked learn there is no page to share.
        self.tx.send_if_modified(|v| {
            if v.is_none() {
                *v = Some(None);
                true
            } else {
                false
            }
        });
    }
}

impl PageCache {
    #[cfg(test)]
    pub fn get(&self, key: &str) -> Option<Bytes> {
        let pages = self.pages.lock().ok()?;
        pages.fresh(key)
    }

    /// A fresh page, or the right to render it, or a render to wait for.
    pub fn lookup(&self, key: &str) -> Lookup<'_> {
        let Ok(mut pages) = self.pages.lock() else {
            // A poisoned lock: render without sharing.
            let (tx, _) = watch::channel(None);
            return Lookup::Render(Flight {
                cache: self,
                key: key.to_string(),
                tx,
            });
        };
        if let Some(html) = pages.fresh(key) {
            return Lookup::Hit(html);
        }
        if let Some(rx) = pages.rendering.get(key) {
            return Lookup::Wait(Waiting(rx.clone()));
        }
        let (tx, rx) = watch::channel(None);
        pages.rendering.insert(key.to_string(), rx);
        Lookup::Render(Flight {
            cache: self,
            key: key.to_string(),
            tx,
        })
    }

    pub fn put(&self, key: String, html: Bytes) {
        let Ok(mut pages) = self.pages.lock() else {
            return;
        };
        let size = key.len() + html.len();
        if size > MAX_BYTES / 8 {
            return;
        }
        if pages.map.len() >= MAX_ENTRIES || pages.bytes + size > MAX_BYTES {
            pages.map.retain(|_, (at, _)| at.elapsed() < TTL);
            pages.bytes = pages.map.iter().map(|(k, (_, h))| k.len() + h.len()).sum();
            if pages.map.len() >= MAX_ENTRIES || pages.bytes + size > MAX_BYTES {
                pages.map.clear();
                pages.bytes = 0;
                pages.map.shrink_to(MAX_ENTRIES / 4);
            }
        }
        if let Some((_, old)) = pages.map.insert(key.clone(), (Instant::now(), html)) {
            pages.bytes -= key.len() + old.len();
        }
        pages.bytes += size;
    }
}

impl Pages {
    fn fresh(&self, key: &str) -> Option<Bytes> {
        self.map
            .get(key)
            .filter(|(at, _)| at.elapsed() < TTL)
            .map(|(_, html)| html.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serves_what_it_was_given_while_fresh() {
        let c = PageCache::default();
        assert_eq!(c.get("q=a"), None);
        c.put("q=a".into(), Bytes::from_static(b"<p>a</p>"));
        assert_eq!(c.get("q=a").as_deref(), Some(&b"<p>a</p>"[..]));
        assert_eq!(c.get("q=b"), None);
        for i in 0..(MAX_ENTRIES + 5) {
            c.put(format!("k{i}"), Bytes::new());
        }
        assert!(
            c.pages
                .lock()
                .map(|m| m.map.len() <= MAX_ENTRIES)
                .unwrap_or(false)
        );
    }

    #[test]
    fn bytes_are_bounded_and_counted() {
        let c = PageCache::default();
        let page = Bytes::from("x".repeat(100 * 1024));
        for i in 0..400 {
            c.put(format!("q={i}"), page.clone());
        }
        let (n, bytes, counted) = c
            .pages
            .lock()
            .map(|p| {
                let counted: usize = p.map.iter().map(|(k, (_, h))| k.len() + h.len()).sum();
                (p.map.len(), p.bytes, counted)
            })
            .unwrap_or_default();
        assert!(bytes <= MAX_BYTES, "{bytes}");
        assert_eq!(bytes, counted);
        assert!(n > 0 && n < 400);
        c.put("q=1".into(), Bytes::from_static(b"short"));
        c.put("q=1".into(), Bytes::from_static(b"shorter"));
        assert_eq!(c.get("q=1").as_deref(), Some(&b"shorter"[..]));
    }

    #[tokio::test]
    async fn concurrent_misses_for_one_key_render_once() {
        let c = Arc::new(PageCache::default());
        let renders = Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let mut tasks = Vec::new();
        for _ in 0..32 {
            let (c, renders) = (c.clone(), renders.clone());
            tasks.push(tokio::spawn(async move {
                match c.lookup("q=data") {
                    Lookup::Hit(h) => String::from_utf8_lossy(&h).into_owned(),
                    Lookup::Wait(w) => w
                        .page()
                        .await
                        .map(|h| String::from_utf8_lossy(&h).into_owned())
                        .unwrap_or_default(),
                    Lookup::Render(f) => {
                        renders.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                        tokio::time::sleep(Duration::from_millis(50)).await;
                        f.done(Bytes::from_static(b"<p>data</p>"));
                        "<p>data</p>".to_string()
                    }
                }
            }));
        }
        for t in tasks {
            assert_eq!(t.await.unwrap_or_default(), "<p>data</p>");
        }
        assert_eq!(renders.load(std::sync::atomic::Ordering::SeqCst), 1);
        assert!(matches!(c.lookup("q=data"), Lookup::Hit(_)));
    }

    #[tokio::test]
    async fn a_failed_render_lets_waiters_render_their_own() {
        let c = PageCache::default();
        let Lookup::Render(first) = c.lookup("q=x") else {
            panic!("the first miss renders");
        };
        let Lookup::Wait(waiting) = c.lookup("q=x") else {
            panic!("the second waits");
        };
        drop(first);
        assert_eq!(waiting.page().await, None);
        // Nothing was cached, and the key is free to render again.
        assert!(matches!(c.lookup("q=x"), Lookup::Render(_)));
    }
}
