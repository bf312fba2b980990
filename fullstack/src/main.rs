//! The fullstack example's binary: the server (feature `server`, the
//! default), or the browser's wasm (`--no-default-features --features web`).
//!
//! The server reads Clerk's settings from the environment
//! (`Verifier::from_env`: `CLERK_PUBLISHABLE_KEY`, `CLERK_SECRET_KEY`,
//! `CLERK_API_URL`), its address from `IP` and `PORT`, and the browser build
//! from `DIOXUS_PUBLIC_PATH` (`index.html`, `app.js`, `app_bg.wasm`).

fn main() {
    #[cfg(feature = "server")]
    dioxus::serve(|| async move {
        use clerk_dioxus::server::{ClerkLayer, Verifier};
        let verifier = Verifier::from_env()?;
        let layer = ClerkLayer::new(verifier).with_server_rendering();
        Ok(dioxus::server::router(clerk_dioxus_fullstack_app::App).layer(layer))
    });
    #[cfg(not(feature = "server"))]
    dioxus::launch(clerk_dioxus_fullstack_app::App);
}
