//! The cookies of a request, parsed as the `cookie` package parses them
//! (what `@clerk/backend` reads). Borrowed from the headers: a value is
//! copied only when it has escapes to decode.

use std::borrow::Cow;
use std::collections::HashMap;

use http::HeaderMap;

/// The cookies of a request: first occurrence of a name wins.
pub(super) struct Cookies<'a>(HashMap<&'a str, Cow<'a, str>>);

impl<'a> Cookies<'a> {
    /// As the `cookie` package's `parse`: `;`-separated `name=value`, both
    /// trimmed, a quoted value unquoted, `%` escapes decoded (kept as they
    /// are when they do not decode), the first of a name kept; every
    /// `Cookie` header read, in order.
    pub(super) fn parse(headers: &'a HeaderMap) -> Self {
        let mut cookies: HashMap<&str, Cow<str>> = HashMap::new();
        let pairs = headers
            .get_all(http::header::COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(';'));
        for pair in pairs {
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
                    .map(|v| Cow::Owned(v.into_owned()))
                    .unwrap_or(Cow::Borrowed(value)),
                false => Cow::Borrowed(value),
            };
            cookies.insert(name, decoded);
        }
        Self(cookies)
    }

    /// The value of `name`, unless empty.
    pub(super) fn get(&self, name: &str) -> Option<&Cow<'a, str>> {
        self.0.get(name).filter(|v| !v.is_empty())
    }

    /// The value of `name_suffix`, unless empty (found without building
    /// the name: it is looked for several times a request).
    pub(super) fn get_suffixed(&self, name: &str, suffix: &str) -> Option<&Cow<'a, str>> {
        self.0
            .iter()
            .find(|(key, _)| {
                key.len() == name.len() + 1 + suffix.len()
                    && key.starts_with(name)
                    && key[name.len()..].starts_with('_')
                    && key.ends_with(suffix)
            })
            .map(|(_, value)| value)
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
        assert_eq!(cookies.get("a").map(|v| v.as_ref()), Some("1"));
        assert_eq!(cookies.get("b").map(|v| v.as_ref()), Some("~x"));
        assert_eq!(cookies.get("c").map(|v| v.as_ref()), Some("q"));
        assert_eq!(
            cookies.get("bad").map(|v| v.as_ref()),
            Some("%E0%A4%A"),
            "kept as it is"
        );
        assert_eq!(cookies.get_suffixed("a", "x"), None);
    }
}
