//! A least-recently-used cache bounded both in entries and in bytes, for what the library
//! keeps between calls (HTTP clients, access tokens, licence titles): a hostile endpoint or a
//! panel with endless accounts must not make a long-lived PHP or Python worker grow forever.

use std::hash::Hash;

use hashlink::LruCache;

pub struct BoundedCache<K: Hash + Eq, V> {
    entries: LruCache<K, (V, usize)>,
    max_entries: usize,
    max_bytes: usize,
    bytes: usize,
}

impl<K: Hash + Eq, V> BoundedCache<K, V> {
    pub fn new(max_entries: usize, max_bytes: usize) -> Self {
        BoundedCache { entries: LruCache::new_unbounded(), max_entries, max_bytes, bytes: 0 }
    }

    /// The value for `key`, now the most recently used.
    pub fn get<Q: Hash + Eq + ?Sized>(&mut self, key: &Q) -> Option<&V>
    where
        K: std::borrow::Borrow<Q>,
    {
        self.entries.get(key).map(|(value, _)| value)
    }

    /// Keeps `value`, which costs `bytes`, evicting the least recently used entries as needed,
    /// and returns what it evicted (for the caller to drop outside its lock). A value larger
    /// than the whole budget is not kept.
    pub fn insert(&mut self, key: K, value: V, bytes: usize) -> Vec<V> {
        let mut evicted = Vec::new();
        if let Some((old, old_bytes)) = self.entries.remove(&key) {
            self.bytes -= old_bytes;
            evicted.push(old);
        }
        if bytes > self.max_bytes || self.max_entries == 0 {
            evicted.push(value);
            return evicted;
        }
        while self.entries.len() >= self.max_entries || self.bytes + bytes > self.max_bytes {
            match self.entries.remove_lru() {
                Some((_, (old, old_bytes))) => {
                    self.bytes -= old_bytes;
                    evicted.push(old);
                }
                None => break,
            }
        }
        self.bytes += bytes;
        self.entries.insert(key, (value, bytes));
        evicted
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    pub fn bytes(&self) -> usize {
        self.bytes
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn evicts_the_least_recently_used_to_stay_within_entries_and_bytes() {
        let mut cache = BoundedCache::new(3, 100);
        for key in 0..3 {
            cache.insert(key, key, 10);
        }
        cache.get(&0);
        cache.insert(3, 3, 10);
        assert_eq!((cache.len(), cache.get(&1)), (3, None), "1 was the least recently used");
        cache.insert(4, 4, 90);
        assert!(cache.bytes() <= 100 && cache.get(&4).is_some());
        cache.insert(5, 5, 101);
        assert_eq!(cache.get(&5), None, "larger than the whole budget");
        cache.insert(4, 44, 5);
        assert_eq!(cache.bytes(), 15, "3 (10 bytes) and the new 4 (5 bytes)");
        assert_eq!(cache.get(&4), Some(&44));
    }
}
