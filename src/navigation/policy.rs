use crate::error::RedirectError;
use crate::platform::Href;

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
    /// Origins as browsers write them (`https://accounts.example.com`).
    allowed_origins: Vec<String>,
}

impl RedirectPolicy {
    /// Also accept absolute URLs on `origin` (for example `https://accounts.example.com`).
    /// Returns `false` and changes nothing when `origin` is not an http(s) URL.
    pub fn allow_origin(&mut self, origin: &str) -> bool {
        match http_origin(origin) {
            Some(origin) => {
                self.allowed_origins.push(origin);
                true
            }
            None => false,
        }
    }

    /// Checks `url` against the app's own URL (`None` where the app has no web
    /// origin, as on desktop) and the allowed origins.
    pub fn validate(
        &self,
        url: &str,
        app_url: Option<&str>,
    ) -> Result<RedirectTarget, RedirectError> {
        let app = app_url.and_then(Href::parse);
        check(url, app.as_ref(), &self.allowed_origins)
    }
}

/// The origin of an `http(s)` URL.
fn http_origin(url: &str) -> Option<String> {
    Href::parse(url)
        .filter(Href::is_http)
        .map(|url| url.origin())
}

/// Checks a redirect URL. `app_url` is the page's URL, used to resolve relative
/// paths and as the same-origin reference; without it only paths and the
/// `allowed` origins (`https://accounts.example.com`) pass. URLs are read as
/// browsers read them (natively by the `url` crate, in a browser by its own
/// `URL`).
///
/// ```
/// use clerk_dioxus::navigation::validate_redirect;
/// use clerk_dioxus::RedirectError;
/// let app = Some("https://app.example.com/account");
/// assert_eq!(validate_redirect("/bye", app, &[]).unwrap().as_str(), "/bye");
/// assert_eq!(
///     validate_redirect("javascript:alert(1)", app, &[]),
///     Err(RedirectError::UnsupportedScheme)
/// );
/// assert_eq!(
///     validate_redirect("//evil.example", app, &[]),
///     Err(RedirectError::CrossOrigin)
/// );
/// ```
pub fn validate_redirect(
    url: &str,
    app_url: Option<&str>,
    allowed: &[&str],
) -> Result<RedirectTarget, RedirectError> {
    let app = app_url.and_then(Href::parse);
    let allowed: Vec<String> = allowed.iter().filter_map(|o| http_origin(o)).collect();
    check(url, app.as_ref(), &allowed)
}

/// Two origins are the same one; `null` (no origin) is never the same as anything.
fn same_origin(a: &str, b: &str) -> bool {
    a == b && a != "null"
}

fn check(
    url: &str,
    app: Option<&Href>,
    allowed: &[String],
) -> Result<RedirectTarget, RedirectError> {
    if url.chars().all(char::is_whitespace) {
        return Err(RedirectError::Malformed);
    }
    // A stand-in origin for apps without one (desktop): relative paths resolve
    // onto it, and anything that escapes it is another origin.
    let placeholder;
    let base = match app {
        Some(app) => app,
        None => {
            placeholder = Href::parse("http://app.invalid/").ok_or(RedirectError::Malformed)?;
            &placeholder
        }
    };
    if let Some(absolute) = Href::parse(url) {
        if !absolute.is_http() {
            return Err(RedirectError::UnsupportedScheme);
        }
        let origin = absolute.origin();
        let same = app.is_some_and(|app| same_origin(&app.origin(), &origin));
        return if same || allowed.iter().any(|allowed| same_origin(allowed, &origin)) {
            Ok(RedirectTarget(absolute.as_string()))
        } else {
            Err(RedirectError::CrossOrigin)
        };
    }
    // Not absolute: a path, `//host`, or not a URL at all.
    let resolved = base.join(url).ok_or(RedirectError::Malformed)?;
    let base_origin = base.origin();
    if !same_origin(&resolved.origin(), &base_origin) {
        // `//evil.example`, `/\evil.example` and the like.
        return Err(RedirectError::CrossOrigin);
    }
    let path = resolved.path_onwards();
    // The path is what gets navigated to, so it must lead back to the
    // same place: `/.//evil.example` normalises to `//evil.example`,
    // which a browser reads as another host.
    match base.join(&path) {
        Some(again)
            if same_origin(&again.origin(), &base_origin) && again.path_onwards() == path =>
        {
            Ok(RedirectTarget(path))
        }
        _ => Err(RedirectError::CrossOrigin),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn app() -> &'static str {
        "https://app.example.com/account/settings?tab=1"
    }

    fn check(url: &str, app_url: Option<&&str>) -> Result<String, RedirectError> {
        let allowed = ["https://accounts.example.com"];
        validate_redirect(url, app_url.copied(), &allowed).map(|t| t.as_str().to_owned())
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
