use url::{Origin, Url};

use crate::error::RedirectError;

/// A redirect URL that passed [`validate_redirect`]: a same-origin path
/// (`/path?query#fragment`) or an absolute `http(s)` URL on an allowed origin.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RedirectTarget(String);

impl RedirectTarget {
    /// The URL or path to navigate to.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether this is a path on the app's own origin (so a client-side router
    /// can handle it without a page load).
    pub fn is_path(&self) -> bool {
        self.0.starts_with('/')
    }
}

/// Which redirect URLs a [`Clerk`](crate::Clerk) handle accepts.
#[derive(Debug, Clone, Default)]
pub struct RedirectPolicy {
    allowed_origins: Vec<Origin>,
}

impl RedirectPolicy {
    /// Also accept absolute URLs on `origin` (for example `https://accounts.example.com`).
    /// Returns `false` and changes nothing when `origin` is not an http(s) URL.
    pub fn allow_origin(&mut self, origin: &str) -> bool {
        match Url::parse(origin) {
            Ok(url) if matches!(url.scheme(), "http" | "https") => {
                self.allowed_origins.push(url.origin());
                true
            }
            _ => false,
        }
    }

    /// Checks `url` against the app's own URL (`None` where the app has no web
    /// origin, as on desktop) and the allowed origins.
    pub fn validate(
        &self,
        url: &str,
        app_url: Option<&Url>,
    ) -> Result<RedirectTarget, RedirectError> {
        validate_redirect(url, app_url, &self.allowed_origins)
    }
}

/// Checks a redirect URL. `app_url` is the page's URL, used to resolve relative
/// paths and as the same-origin reference; without it only paths and the
/// `allowed` origins pass.
///
/// ```
/// use clerk_dioxus::navigation::validate_redirect;
/// use clerk_dioxus::RedirectError;
/// let app = url::Url::parse("https://app.example.com/account").unwrap();
/// assert_eq!(validate_redirect("/bye", Some(&app), &[]).unwrap().as_str(), "/bye");
/// assert_eq!(
///     validate_redirect("javascript:alert(1)", Some(&app), &[]),
///     Err(RedirectError::UnsupportedScheme)
/// );
/// assert_eq!(
///     validate_redirect("//evil.example", Some(&app), &[]),
///     Err(RedirectError::CrossOrigin)
/// );
/// ```
pub fn validate_redirect(
    url: &str,
    app_url: Option<&Url>,
    allowed: &[Origin],
) -> Result<RedirectTarget, RedirectError> {
    if url.trim().is_empty() {
        return Err(RedirectError::Malformed);
    }
    // A stand-in origin for apps without one (desktop): relative paths resolve
    // onto it, and anything that escapes it is another origin.
    let placeholder;
    let base = match app_url {
        Some(app) => app,
        None => {
            placeholder = Url::parse("http://app.invalid/").expect("static URL parses");
            &placeholder
        }
    };
    let absolute = match Url::parse(url) {
        Ok(absolute) => Some(absolute),
        Err(url::ParseError::RelativeUrlWithoutBase) => None,
        Err(_) => return Err(RedirectError::Malformed),
    };
    match absolute {
        Some(absolute) => {
            if !matches!(absolute.scheme(), "http" | "https") {
                return Err(RedirectError::UnsupportedScheme);
            }
            let origin = absolute.origin();
            let same_origin = app_url.is_some_and(|app| app.origin() == origin);
            if same_origin || allowed.contains(&origin) {
                Ok(RedirectTarget(absolute.into()))
            } else {
                Err(RedirectError::CrossOrigin)
            }
        }
        None => {
            let resolved = base.join(url).map_err(|_| RedirectError::Malformed)?;
            if resolved.origin() != base.origin() {
                // `//evil.example`, `/\evil.example` and the like.
                return Err(RedirectError::CrossOrigin);
            }
            let mut path = resolved.path().to_owned();
            if let Some(query) = resolved.query() {
                path.push('?');
                path.push_str(query);
            }
            if let Some(fragment) = resolved.fragment() {
                path.push('#');
                path.push_str(fragment);
            }
            // The path is what gets navigated to, so it must lead back to the
            // same place: `/.//evil.example` normalises to `//evil.example`,
            // which a browser reads as another host.
            match base.join(&path) {
                Ok(again) if again == resolved => Ok(RedirectTarget(path)),
                _ => Err(RedirectError::CrossOrigin),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn app() -> Url {
        Url::parse("https://app.example.com/account/settings?tab=1").unwrap()
    }

    fn check(url: &str, app_url: Option<&Url>) -> Result<String, RedirectError> {
        let allowed = [Url::parse("https://accounts.example.com").unwrap().origin()];
        validate_redirect(url, app_url, &allowed).map(|t| t.as_str().to_owned())
    }

    #[test]
    fn paths_resolve_against_the_app() {
        let app = app();
        assert_eq!(check("/", Some(&app)), Ok("/".into()));
        assert_eq!(check("/bye?x=1#top", Some(&app)), Ok("/bye?x=1#top".into()));
        assert_eq!(check("goodbye", Some(&app)), Ok("/account/goodbye".into()));
        assert_eq!(check("../up", Some(&app)), Ok("/up".into()));
        assert_eq!(
            check("/bye", None),
            Ok("/bye".into()),
            "desktop: paths pass"
        );
    }

    #[test]
    fn same_and_allowed_origins_pass() {
        let app = app();
        assert_eq!(
            check("https://app.example.com/x", Some(&app)),
            Ok("https://app.example.com/x".into())
        );
        assert_eq!(
            check("https://accounts.example.com/sign-in", None),
            Ok("https://accounts.example.com/sign-in".into())
        );
    }

    #[test]
    fn script_and_other_schemes_are_refused() {
        let app = app();
        for url in [
            "javascript:alert(1)",
            "JavaScript:alert(1)",
            " javascript:alert(1)",
            "java\tscript:alert(1)",
            "data:text/html,<script>alert(1)</script>",
            "vbscript:msgbox(1)",
            "file:///etc/passwd",
            "ftp://app.example.com/",
        ] {
            assert_eq!(
                check(url, Some(&app)),
                Err(RedirectError::UnsupportedScheme),
                "{url:?}"
            );
        }
    }

    #[test]
    fn other_origins_are_refused() {
        let app = app();
        for url in [
            "https://evil.example/",
            "http://app.example.com/",
            "https://app.example.com:8443/",
            "//evil.example/path",
            "/\\evil.example/path",
            "\\\\evil.example",
            "https://app.example.com.evil.example/",
            "https://app.example.com@evil.example/",
            "/.//evil.example",
            "/..//evil.example",
            "/./\\evil.example",
            "/%2e//evil.example",
        ] {
            assert_eq!(
                check(url, Some(&app)),
                Err(RedirectError::CrossOrigin),
                "{url:?}"
            );
        }
        assert_eq!(
            check("https://app.example.com/x", None),
            Err(RedirectError::CrossOrigin),
            "no app origin on desktop"
        );
    }

    #[test]
    fn empty_and_broken_urls_are_refused() {
        let app = app();
        assert_eq!(check("", Some(&app)), Err(RedirectError::Malformed));
        assert_eq!(check("   ", Some(&app)), Err(RedirectError::Malformed));
        assert_eq!(
            check("https://[::1", Some(&app)),
            Err(RedirectError::Malformed)
        );
    }
}
