//! A few seconds of memory for pages everyone sees alike: the anonymous
//! search page, keyed by its query string. Under load most searches repeat
//! (the same popular words and filters), and a page five seconds old is
//! fresh enough for listings that live for days; signed-in pages (matches,
//! saved-search boxes) are never cached. Per instance, bounded in size.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// How long a cached page is served.
pub const TTL: Duration = Duration::from_secs(5);
/// Most pages kept; past it the cache starts over.
const MAX_ENTRIES: usize = 2_000;

#[derive(Default)]
pub struct PageCache {
    pages: Mutex<HashMap<String, (Instant, String)>>,
}

impl PageCache {
    pub fn get(&self, key: &str) -> Option<String> {
        let map = self.pages.lock().ok()?;
        map.get(key)
            .filter(|(at, _)| at.elapsed() < TTL)
            .map(|(_, html)| html.clone())
    }

    pub fn put(&self, key: String, html: String) {
        if let Ok(mut map) = self.pages.lock() {
            if map.len() >= MAX_ENTRIES {
                map.retain(|_, (at, _)| at.elapsed() < TTL);
                if map.len() >= MAX_ENTRIES {
                    map.clear();
                }
            }
            map.insert(key, (Instant::now(), html));
        }
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
                .map(|m| m.len() <= MAX_ENTRIES)
                .unwrap_or(false)
        );
    }
}
