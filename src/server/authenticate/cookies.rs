//! The cookies of a request, parsed as the `cookie` package parses them
//! (what `@clerk/backend` reads).

use std::collections::HashMap;

use http::HeaderMap;

/// The cookies of a request: first occurrence of a name wins.
pub(super) struct Cookies(HashMap<String, String>);

impl Cookies {
    /// As the `cookie` package's `parse`: `;`-separated `name=value`, both
    /// trimmed, quotes around the value dropped, `%`-escapes decoded when
    /// they decode. Several `Cookie` headers are read as one, joined by
    /// `; ` (as a `Headers.get` in Node joins them).
    pub(super) fn parse(headers: &HeaderMap) -> Self {
        let mut cookies = HashMap::new();
        let joined: Vec<&str> = headers
            .get_all(http::header::COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .collect();
        for pair in joined.join("; ").split(';') {
            let Some((name, value)) = pair.split_once('=') else {
                continue;
            };
            let name = name.trim();
            if name.is_empty() || cookies.contains_key(name) {
                continue;
            }
            let mut value = value.trim();
            if value.len() >= 2 && value.starts_with('"') && value.ends_with('"') {
                value = &value[1..value.len() - 1];
            }
            let decoded = match value.contains('%') {
                true => percent_encoding::percent_decode_str(value)
                    .decode_utf8()
                    .map(|v| v.into_owned())
                    .unwrap_or_else(|_| value.to_owned()),
                false => value.to_owned(),
            };
            cookies.insert(name.to_owned(), decoded);
        }
        Self(cookies)
    }

    /// A non-empty cookie's value.
    pub(super) fn get(&self, name: &str) -> Option<&str> {
        self.0
            .get(name)
            .map(String::as_str)
            .filter(|v| !v.is_empty())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookies_keep_the_first_of_a_name_and_decode_escapes() {
        let mut headers = HeaderMap::new();
        headers.append("cookie", "a=1; b=%7Ex; a=2".parse().unwrap());
        headers.append("cookie", "c=\"q\"; bad=%E0%A4%A".parse().unwrap());
        let cookies = Cookies::parse(&headers);
        assert_eq!(cookies.get("a"), Some("1"));
        assert_eq!(cookies.get("b"), Some("~x"));
        assert_eq!(cookies.get("c"), Some("q"));
        assert_eq!(cookies.get("bad"), Some("%E0%A4%A"), "kept as it is");
    }
}
