//! A few seconds of memory for pages everyone sees alike: the anonymous
//! search page, keyed by its query string. Under load most searches repeat
//! (the same popular words and filters), and a page five seconds old is
//! fresh enough for listings that live for days; signed-in pages (matches,
//! saved-search boxes) are never cached. Per instance, bounded in entries and
//! in bytes: varied traffic (thousands of distinct query strings) must not
//! grow the server, so expired pages are dropped as soon as the bound is
//! reached, and the whole cache starts over if fresh pages alone exceed it.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

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

#[derive(Default)]
struct Pages {
    map: HashMap<String, (Instant, String)>,
    bytes: usize,
}

impl PageCache {
    pub fn get(&self, key: &str) -> Option<String> {
        let pages = self.pages.lock().ok()?;
        pages
            .map
            .get(key)
            .filter(|(at, _)| at.elapsed() < TTL)
            .map(|(_, html)| html.clone())
    }

    pub fn put(&self, key: String, html: String) {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serves_what_it_was_given_while_fresh() {
        let c = PageCache::default();
        assert_eq!(c.get("q=a"), None);
        c.put("q=a".into(), "<p>a</p>".into());
        assert_eq!(c.get("q=a").as_deref(), Some("<p>a</p>"));
        assert_eq!(c.get("q=b"), None);
        for i in 0..(MAX_ENTRIES + 5) {
            c.put(format!("k{i}"), String::new());
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
        let page = "x".repeat(100 * 1024);
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
        c.put("q=1".into(), "short".into());
        c.put("q=1".into(), "shorter".into());
        assert_eq!(c.get("q=1").as_deref(), Some("shorter"));
    }
}
