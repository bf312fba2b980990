//! A map for the few entries the handle and the in-memory backend keep
//! (tokens and requests per session, failures per call kind): a vector
//! searched in order. It needs no hashing, and in a wasm build its code is a
//! fraction of a hash table's for each key and value type.

use std::borrow::Borrow;

/// Pairs in insertion order; one per key.
#[derive(Debug, Clone)]
pub(crate) struct SmallMap<K, V>(Vec<(K, V)>);

impl<K, V> Default for SmallMap<K, V> {
    fn default() -> Self {
        Self(Vec::new())
    }
}

impl<K: PartialEq, V> SmallMap<K, V> {
    fn position<Q>(&self, key: &Q) -> Option<usize>
    where
        K: Borrow<Q>,
        Q: PartialEq + ?Sized,
    {
        self.0.iter().position(|(k, _)| k.borrow() == key)
    }

    /// The value for `key`.
    pub(crate) fn get<Q>(&self, key: &Q) -> Option<&V>
    where
        K: Borrow<Q>,
        Q: PartialEq + ?Sized,
    {
        self.position(key).map(|i| &self.0[i].1)
    }

    /// The value for `key`, to change it.
    pub(crate) fn get_mut<Q>(&mut self, key: &Q) -> Option<&mut V>
    where
        K: Borrow<Q>,
        Q: PartialEq + ?Sized,
    {
        self.position(key).map(move |i| &mut self.0[i].1)
    }

    /// Whether it holds nothing.
    pub(crate) fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Sets the value for `key`, replacing any.
    pub(crate) fn insert(&mut self, key: K, value: V) {
        match self.position(&key) {
            Some(i) => self.0[i].1 = value,
            None => self.0.push((key, value)),
        }
    }

    /// The value for `key`, made with `Default` when there is none.
    pub(crate) fn get_or_default(&mut self, key: K) -> &mut V
    where
        V: Default,
    {
        let i = match self.position(&key) {
            Some(i) => i,
            None => {
                self.0.push((key, V::default()));
                self.0.len() - 1
            }
        };
        &mut self.0[i].1
    }

    /// Takes the value for `key` out.
    pub(crate) fn remove<Q>(&mut self, key: &Q) -> Option<V>
    where
        K: Borrow<Q>,
        Q: PartialEq + ?Sized,
    {
        self.position(key).map(|i| self.0.remove(i).1)
    }

    /// Keeps the pairs `keep` says yes to.
    pub(crate) fn retain(&mut self, mut keep: impl FnMut(&K, &mut V) -> bool) {
        self.0.retain_mut(|(k, v)| keep(k, v));
    }

    /// The pairs.
    pub(crate) fn iter(&self) -> impl Iterator<Item = (&K, &V)> {
        self.0.iter().map(|(k, v)| (k, v))
    }

    /// The values.
    pub(crate) fn values(&self) -> impl Iterator<Item = &V> {
        self.0.iter().map(|(_, v)| v)
    }
}

#[cfg(test)]
mod tests {
    use super::SmallMap;

    #[test]
    fn one_value_per_key_in_insertion_order() {
        let mut map = SmallMap::default();
        map.insert("b".to_owned(), 1);
        map.insert("a".to_owned(), 2);
        map.insert("b".to_owned(), 3);
        assert_eq!(map.get("b"), Some(&3));
        let keys: Vec<&String> = map.iter().map(|(k, _)| k).collect();
        assert_eq!(keys, ["b", "a"]);
        *map.get_or_default("c".to_owned()) += 5;
        *map.get_or_default("c".to_owned()) += 1;
        assert_eq!(map.get("c"), Some(&6));
        map.retain(|k, _| k != "a");
        assert_eq!(map.remove("b"), Some(3));
        assert_eq!(map.get("b"), None);
        assert_eq!(map.iter().count(), 1);
    }
}
