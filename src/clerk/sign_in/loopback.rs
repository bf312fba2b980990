//! The loopback listener of a desktop OAuth sign-in: `http://127.0.0.1` on a
//! port the OS picks, for one callback with the expected `state`.

use std::sync::Arc;
use std::thread::JoinHandle;

use futures_channel::oneshot;
use url::Url;

use crate::ClerkError;

/// The path the browser comes back to.
const CALLBACK_PATH: &str = "/callback";

/// A listener waiting for the callback. Dropping it stops the listener and
/// releases the port.
pub(super) struct Loopback {
    server: Arc<tiny_http::Server>,
    redirect_url: String,
    thread: Option<JoinHandle<()>>,
}

impl Loopback {
    /// Listens on a fresh loopback port; the receiver gets the callback URL
    /// that carries this listener's `state`.
    pub(super) fn listen() -> Result<(Self, oneshot::Receiver<String>), ClerkError> {
        let server = tiny_http::Server::http("127.0.0.1:0").map_err(|error| {
            ClerkError::Network(format!("no loopback port for the OAuth callback: {error}"))
        })?;
        let port = server
            .server_addr()
            .to_ip()
            .map(|address| address.port())
            .ok_or_else(|| ClerkError::Network("the loopback listener has no port".into()))?;
        let state = random_state()?;
        let redirect_url = format!("http://127.0.0.1:{port}{CALLBACK_PATH}?state={state}");
        let server = Arc::new(server);
        let (sender, receiver) = oneshot::channel();
        let listening = Arc::clone(&server);
        let thread = std::thread::Builder::new()
            .name("clerk-oauth-callback".into())
            .spawn(move || wait_for_callback(&listening, port, &state, sender))
            .map_err(|error| {
                ClerkError::Network(format!("could not start the OAuth listener: {error}"))
            })?;
        let loopback = Self {
            server,
            redirect_url,
            thread: Some(thread),
        };
        Ok((loopback, receiver))
    }

    /// The redirect URL to give Clerk.
    pub(super) fn redirect_url(&self) -> &str {
        &self.redirect_url
    }
}

impl Drop for Loopback {
    fn drop(&mut self) {
        self.server.unblock();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// Answers requests until one is the callback with `state`, which it hands on.
fn wait_for_callback(
    server: &tiny_http::Server,
    port: u16,
    state: &str,
    sender: oneshot::Sender<String>,
) {
    while let Ok(request) = server.recv() {
        let url = Url::parse(&format!("http://127.0.0.1:{port}{}", request.url())).ok();
        let matches = url.as_ref().is_some_and(|url| {
            url.path() == CALLBACK_PATH
                && url
                    .query_pairs()
                    .any(|(key, value)| key == "state" && value == state)
        });
        if !matches {
            crate::log::warning!(
                "refused a request to the OAuth callback without this sign-in's state"
            );
            let _ = request.respond(page(400, "This is not the sign-in this app started."));
            continue;
        }
        let _ = request.respond(page(
            200,
            "Signed in. You can close this tab and go back to the app.",
        ));
        if let Some(url) = url {
            let _ = sender.send(url.into());
        }
        return;
    }
}

fn page(status: u16, message: &str) -> tiny_http::Response<std::io::Cursor<Vec<u8>>> {
    let body = format!("<!doctype html><meta charset=utf-8><title>Sign in</title><p>{message}</p>");
    let response = tiny_http::Response::from_string(body).with_status_code(status);
    // No keep-alive: once the listener stops, no connection lingers on its port.
    let headers = [
        ("content-type", "text/html; charset=utf-8"),
        ("connection", "close"),
    ];
    headers.iter().fold(
        response,
        |response, (name, value)| match tiny_http::Header::from_bytes(*name, *value) {
            Ok(header) => response.with_header(header),
            Err(()) => response,
        },
    )
}

/// 128 random bits, hex: the `state` only this attempt knows.
fn random_state() -> Result<String, ClerkError> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).map_err(|error| {
        ClerkError::Network(format!("no randomness for the OAuth state: {error}"))
    })?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}
