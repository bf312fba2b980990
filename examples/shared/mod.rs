//! What the examples share: which Clerk they talk to, how they start on each
//! renderer, and their look.
//!
//! - `CLERK_PUBLISHABLE_KEY` set (at run time natively, at build time for the
//!   web): real Clerk.
//! - Otherwise the Frontend API emulator: natively it starts in-process on a
//!   free loopback port (or `CLERK_FRONTEND_API` names a running one); on the
//!   web the page's `?fapi=` parameter, else `CLERK_FRONTEND_API` at build
//!   time, else `http://127.0.0.1:9400` (`cargo run -p clerk-emulator`).
//!   `?dev=1` / `CLERK_DEVELOPMENT=1` uses the development (dev-browser) flow.
#![allow(dead_code)]

mod accounts;
mod token;

#[allow(unused_imports)] // not every example shows accounts
pub use accounts::{Accounts, AddAccount};
#[allow(unused_imports)] // nor a session token
pub use token::SessionToken;

use clerk_dioxus::backend::fapi::FapiBackend;
use clerk_dioxus::prelude::*;

/// The examples' stylesheet, inlined so that no asset pipeline is needed.
pub const STYLE: &str = include_str!("../../assets/clerk-dioxus-examples.css");

/// Where the example's Clerk lives.
#[derive(Debug, Clone, PartialEq)]
pub enum Frontend {
    /// Real Clerk, from a publishable key.
    Clerk { key: String },
    /// A Frontend API URL: the emulator (or a proxy).
    Url { url: String, development: bool },
}

impl Frontend {
    /// A line for people: which Frontend API this is.
    pub fn describe(&self) -> String {
        match self {
            Self::Clerk { key } => match clerk_dioxus::backend::fapi::PublishableKey::parse(key) {
                Ok(parsed) => format!("Clerk at https://{}", parsed.frontend_api_host()),
                Err(error) => format!("invalid CLERK_PUBLISHABLE_KEY: {error}"),
            },
            Self::Url { url, development } => {
                format!(
                    "emulator at {url}{}",
                    if *development { " (development)" } else { "" }
                )
            }
        }
    }

    /// The emulator's URL, when this is the emulator.
    pub fn emulator_url(&self) -> Option<&str> {
        match self {
            Self::Url { url, .. } => Some(url),
            Self::Clerk { .. } => None,
        }
    }
}

/// The Clerk handle the example's root component keeps (`use_hook(shared::clerk)`).
pub fn clerk() -> Clerk {
    let backend = match frontend() {
        Frontend::Clerk { key } => FapiBackend::from_publishable_key(&key),
        Frontend::Url { url, development } => {
            FapiBackend::from_frontend_api_url(&url).map(|b| b.development(development))
        }
    };
    match backend {
        Ok(builder) => Clerk::new(platform::with_token_store(builder).build()),
        // Shown on the page by `StatusBar` through the state's load error.
        Err(error) => Clerk::failed(error),
    }
}

/// An example's page: the stylesheet, a `ClerkProvider` over the example's
/// Clerk (see [`clerk`]), a card with the title and the example, and the
/// status bar.
#[component]
pub fn Page(title: String, children: Element) -> Element {
    let clerk = use_hook(clerk);
    rsx! {
        style { {STYLE} }
        ClerkProvider { clerk,
            main { class: "card narrow",
                h1 { "{title}" }
                {children}
            }
            StatusBar {}
        }
    }
}

/// Which Frontend API is in use and the last unhandled error, for people and tests.
#[component]
pub fn StatusBar() -> Element {
    let state = use_auth_state();
    rsx! {
        footer { class: "status",
            span { id: "frontend-api", "Frontend API: {frontend().describe()}" }
            // Clerk out of reach: what is shown is what it last said.
            span { id: "connection", "data-state": if state.read().is_stale() { "stale" } else { "live" },
                if state.read().is_stale() { " · Offline: showing what Clerk last said" }
            }
            if let Some(error) = state.read().last_error.as_ref() {
                div { id: "error", class: "error", role: "alert", "{error}" }
            }
            ClerkFailed { span { class: "error", "Clerk could not be loaded; retrying." } }
        }
        if cfg!(feature = "desktop") && std::env::var_os("CLERK_DIOXUS_STATE_FILE").is_some() {
            TestProbe {}
        }
    }
}

/// For the desktop end-to-end tests (`CLERK_DIOXUS_STATE_FILE` set): after
/// every change of the auth state, and every 100 ms for what else the window
/// shows (a ticked option), writes the auth state, what the window shows (read
/// from its DOM) and the on-screen centre of every control a test clicks to
/// that file, so a test can click with xdotool and read the outcome.
#[component]
fn TestProbe() -> Element {
    let state = use_auth_state();
    let handle = use_clerk();
    let clerk = use_hook(move || CopyValue::new(handle));
    let snapshot = move || {
        let state = state.peek().clone();
        let in_flight = clerk.read().requests_in_flight();
        let generation = probe::next_generation();
        async move {
            let window = probe::window_contents().await;
            let sessions: Vec<_> = state
                .session_list()
                .iter()
                .map(|item| item.session.user_id().unwrap_or_default().to_owned())
                .collect();
            let snapshot = serde_json::json!({
                "loaded": state.is_loaded,
                "signed_in": state.is_signed_in(),
                "active_user": state.auth().user_id,
                "signed_in_users": sessions,
                "error": state.last_error.as_ref().map(|e| e.to_string()),
                // Calls to Clerk still waiting for their answer.
                "in_flight": in_flight,
                "targets": window["targets"],
                "window": window["shows"],
            });
            probe::write(generation, &snapshot);
        }
    };
    use_effect(move || {
        state.read(); // re-run on every change
        spawn(snapshot());
    });
    use_future(move || async move {
        loop {
            probe::pause().await;
            snapshot().await;
        }
    });
    rsx! {}
}

#[cfg(feature = "desktop")]
mod probe {
    /// From the window's DOM, once painted: `targets`, the centres of the sign-out and
    /// switch buttons, the user button's trigger and menu items by id, in window
    /// pixels; `shows`, what a person sees (the signed-out message, the user
    /// line, the account rows, which one is marked active, the rows'
    /// `switch_to_most_recent` as rendered, the user button's menu: open,
    /// its items, which has focus or is pending, its error; the active
    /// devices listed; and whether the page stood still while it was read).
    pub async fn window_contents() -> serde_json::Value {
        // After two animation frames, so that what the DOM says has been painted
        // (a screenshot taken once a test reads it shows the same).
        // `settled`: the page did not scroll during those frames (a wheel
        // scroll animates, and a control's centre read mid-way is not where
        // it stops).
        const SCRIPT: &str = "const scrolled = [window.scrollX, window.scrollY]; \
            await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))); \
            const targets = Object.fromEntries([...document.querySelectorAll('[id^=sign-out], [id^=sign-in-], [id^=switch-], [id^=add-], [id^=email-code-], [id^=api-whoami], [id^=clerk-user-button-][id$=-trigger], [role=menuitem][id], [id^=clerk-device-]')].map((e) => { \
            const r = e.getBoundingClientRect(); return [e.id, [Math.round(r.x + r.width / 2), Math.round(r.y + r.height / 2)]]; })); \
            const rows = [...document.querySelectorAll('li[id^=session-]')]; \
            return { targets, shows: { \
              signed_out: document.getElementById('signed-out') !== null, \
              user: document.getElementById('user')?.textContent ?? null, \
              rows: rows.map((e) => e.id.slice('session-'.length)), \
              active_row: rows.find((e) => e.classList.contains('active'))?.id.slice('session-'.length) ?? null, \
              switch_to_most_recent: document.getElementById('sessions')?.dataset.switchToMostRecent ?? null, \
              api: document.getElementById('api-answer')?.textContent ?? null, \
              api_state: document.getElementById('api-answer')?.dataset.state ?? null, \
              menu: menu(), \
              viewport: [window.innerWidth, window.innerHeight], \
              settled: window.scrollX === scrolled[0] && window.scrollY === scrolled[1], \
              devices: [...document.querySelectorAll('li[data-session-id]')].map((e) => ({ id: e.dataset.sessionId, this_device: e.dataset.thisDevice === 'true', state: e.dataset.state })) } }; \
            function menu() { \
              const trigger = document.querySelector('[aria-haspopup=menu]'); \
              if (!trigger) return null; \
              const focused = document.activeElement; \
              return { open: trigger.getAttribute('aria-expanded') === 'true', \
                items: [...document.querySelectorAll('[role=menuitem]')].map((e) => e.id.replace(/^clerk-user-button-[0-9]+-/, '')), \
                focused: focused === trigger ? 'trigger' : focused?.getAttribute('role') === 'menuitem' ? focused.id.replace(/^clerk-user-button-[0-9]+-/, '') : null, \
                pending: document.querySelector('[role=menuitem][data-pending]')?.id.replace(/^clerk-user-button-[0-9]+-/, '') ?? null, \
                error: document.querySelector('[role=menu] [role=alert]')?.textContent ?? null, \
                manage_panel: document.getElementById('manage-panel') !== null }; \
            }";
        dioxus::document::eval(SCRIPT).await.unwrap_or_default()
    }

    use std::sync::atomic::{AtomicU64, Ordering};

    static STARTED: AtomicU64 = AtomicU64::new(0);
    static WRITTEN: AtomicU64 = AtomicU64::new(0);

    /// Between two periodic snapshots.
    pub async fn pause() {
        futures_timer::Delay::new(std::time::Duration::from_millis(100)).await;
    }

    /// Numbers the snapshots in the order the renders happened.
    pub fn next_generation() -> u64 {
        STARTED.fetch_add(1, Ordering::SeqCst) + 1
    }

    /// Replaces the state file atomically, so a reader never sees half of it.
    /// A snapshot whose DOM read finished after a newer one's is dropped: the
    /// file never goes back to an older render.
    pub fn write(generation: u64, snapshot: &serde_json::Value) {
        if WRITTEN.fetch_max(generation, Ordering::SeqCst) > generation {
            return;
        }
        let Some(path) = std::env::var_os("CLERK_DIOXUS_STATE_FILE") else {
            return;
        };
        let path = std::path::PathBuf::from(path);
        let partial = path.with_extension("partial");
        if std::fs::write(&partial, snapshot.to_string()).is_ok() {
            let _ = std::fs::rename(partial, path);
        }
    }
}

#[cfg(not(feature = "desktop"))]
mod probe {
    pub async fn window_contents() -> serde_json::Value {
        serde_json::Value::Null
    }
    pub fn next_generation() -> u64 {
        0
    }
    pub async fn pause() {
        std::future::pending::<()>().await;
    }
    pub fn write(_generation: u64, _snapshot: &serde_json::Value) {}
}

/// Starts `app` on the renderer picked by the crate feature (`web`, `desktop`,
/// `mobile`). Without one, renders it once to HTML on stdout.
pub fn launch(app: fn() -> Element, title: &str) {
    platform::prepare(title);
    #[cfg(feature = "desktop")]
    {
        use dioxus::desktop::{Config, LogicalPosition, LogicalSize, WindowBuilder};
        let window = WindowBuilder::new()
            .with_title(title)
            .with_position(LogicalPosition::new(0.0, 0.0))
            .with_inner_size(LogicalSize::new(900.0, 700.0));
        dioxus::LaunchBuilder::desktop()
            .with_cfg(Config::new().with_window(window).with_menu(None))
            .launch(app);
    }
    #[cfg(all(any(feature = "web", feature = "mobile"), not(feature = "desktop")))]
    dioxus::launch(app);
    #[cfg(not(any(feature = "web", feature = "desktop", feature = "mobile")))]
    {
        let mut dom = VirtualDom::new(app);
        dom.rebuild_in_place();
        println!("{}", dioxus_ssr::render(&dom));
        eprintln!("{title}: rendered once to HTML. For the live app run with `--features desktop` or `dx serve --platform web`.");
    }
}

pub use platform::frontend;
#[allow(unused_imports)] // the `fullstack` example's API
pub use platform::{api_url, without_session};

#[cfg(not(target_arch = "wasm32"))]
mod platform {
    use std::sync::OnceLock;

    use clerk_dioxus::backend::fapi::{FapiBuilder, FileTokenStore};

    use super::Frontend;

    static FRONTEND: OnceLock<Frontend> = OnceLock::new();
    static EMULATOR: OnceLock<clerk_emulator::Emulator> = OnceLock::new();

    /// Decides the Frontend API before the window opens, and says which.
    pub fn prepare(title: &str) {
        let frontend = frontend();
        println!("{title}: {}", frontend.describe());
        if EMULATOR.get().is_some() {
            println!(
                "  demo accounts: ada@, grace@, alan@example.com (password: {})",
                clerk_emulator::DEMO_PASSWORD
            );
        }
    }

    pub fn frontend() -> Frontend {
        FRONTEND
            .get_or_init(|| {
                if let Some(key) = std::env::var("CLERK_PUBLISHABLE_KEY")
                    .ok()
                    .filter(|k| !k.is_empty())
                {
                    return Frontend::Clerk { key };
                }
                let development = std::env::var("CLERK_DEVELOPMENT").is_ok_and(|v| v == "1");
                if let Some(url) = std::env::var("CLERK_FRONTEND_API")
                    .ok()
                    .filter(|u| !u.is_empty())
                {
                    return Frontend::Url { url, development };
                }
                let emulator = clerk_emulator::Emulator::builder()
                    .start_in_background()
                    .expect("the in-process emulator starts on a loopback port");
                let url = emulator.url().to_owned();
                let _ = EMULATOR.set(emulator);
                Frontend::Url { url, development }
            })
            .clone()
    }

    /// The app's own API (the `fullstack` example's server):
    /// `CLERK_DIOXUS_API_URL`, else `http://127.0.0.1:8081`.
    pub fn api_url() -> String {
        std::env::var("CLERK_DIOXUS_API_URL")
            .ok()
            .filter(|u| !u.is_empty())
            .unwrap_or_else(|| "http://127.0.0.1:8081".to_owned())
    }

    /// A request to the API with no session: as it is.
    pub fn without_session(request: reqwest::RequestBuilder) -> reqwest::RequestBuilder {
        request
    }

    /// Native apps keep their client token where it outlives the app when
    /// the Frontend API does too (real Clerk, or an emulator that
    /// `CLERK_FRONTEND_API` names): in `CLERK_DIOXUS_TOKEN_FILE` if set, else the
    /// OS keychain with the `keyring` feature, else a `0600` file in the
    /// platform's data dir. The in-process emulator forgets its clients on exit,
    /// so its token stays in memory.
    pub fn with_token_store(builder: FapiBuilder) -> FapiBuilder {
        if let Ok(path) = std::env::var("CLERK_DIOXUS_TOKEN_FILE") {
            return builder.token_store(FileTokenStore::new(path));
        }
        if EMULATOR.get().is_some() {
            return builder;
        }
        #[cfg(feature = "keyring")]
        {
            let account = frontend().describe();
            builder.token_store(clerk_dioxus::backend::fapi::KeyringTokenStore::new(
                "clerk-dioxus-examples",
                account,
            ))
        }
        #[cfg(not(feature = "keyring"))]
        match FileTokenStore::for_app("dev", "clerk-dioxus", "examples") {
            Ok(store) => builder.token_store(store),
            Err(error) => {
                eprintln!("no data dir for the client token ({error}); keeping it in memory");
                builder
            }
        }
    }
}

#[cfg(target_arch = "wasm32")]
mod platform {
    use clerk_dioxus::backend::fapi::FapiBuilder;

    use super::Frontend;

    pub fn prepare(_title: &str) {}

    fn page_parameter(name: &str) -> Option<String> {
        let search = web_sys::window()?.location().search().ok()?;
        web_sys::UrlSearchParams::new_with_str(&search)
            .ok()?
            .get(name)
    }

    pub fn frontend() -> Frontend {
        if let Some(key) = option_env!("CLERK_PUBLISHABLE_KEY").filter(|k| !k.is_empty()) {
            return Frontend::Clerk {
                key: key.to_owned(),
            };
        }
        let url = page_parameter("fapi")
            .filter(|url| is_loopback(url))
            .or_else(|| option_env!("CLERK_FRONTEND_API").map(str::to_owned))
            .unwrap_or_else(|| "http://127.0.0.1:9400".to_owned());
        let development = page_parameter("dev").as_deref() == Some("1")
            || option_env!("CLERK_DEVELOPMENT") == Some("1");
        Frontend::Url { url, development }
    }

    /// Whether `url` is an emulator on this machine. The page's `?fapi=`
    /// parameter is honoured for these only: anyone can craft a link, and a
    /// copied example must not send users' sign-ins to another host.
    fn is_loopback(url: &str) -> bool {
        // The browser's own URL parser, as the library uses on the web.
        let Ok(parsed) = web_sys::Url::new(url) else {
            return false;
        };
        let host = parsed.hostname();
        let v6 = host.strip_prefix('[').and_then(|h| h.strip_suffix(']'));
        let loopback = host == "localhost"
            || host
                .parse::<std::net::Ipv4Addr>()
                .is_ok_and(|ip| ip.is_loopback())
            || v6.is_some_and(|h| {
                h.parse::<std::net::Ipv6Addr>()
                    .is_ok_and(|ip| ip.is_loopback())
            });
        if !loopback {
            tracing::warn!("?fapi= is honoured for loopback hosts only; ignored");
        }
        loopback && matches!(parsed.protocol().as_str(), "http:" | "https:")
    }

    /// The app's own API: on the page's origin (the `fullstack` server
    /// serves both), or another loopback origin the page's `?api=` names.
    pub fn api_url() -> String {
        page_parameter("api")
            .filter(|url| is_loopback(url))
            .or_else(|| web_sys::window().and_then(|w| w.location().origin().ok()))
            .unwrap_or_default()
    }

    /// A request to the API with whatever cookies the browser holds (after a
    /// sign-out, no `__session`).
    pub fn without_session(request: reqwest::RequestBuilder) -> reqwest::RequestBuilder {
        request.fetch_credentials_include()
    }

    /// Browsers keep their credential in a cookie.
    pub fn with_token_store(builder: FapiBuilder) -> FapiBuilder {
        builder
    }
}
