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
            Ok(RedirectTarget(path))
        }
    }
}
