//! What the examples share: how they start on each renderer.
#![allow(dead_code)]

use dioxus::prelude::*;

/// The examples' stylesheet, inlined so that no asset pipeline is needed.
pub const STYLE: &str = include_str!("../../assets/clerk-dioxus-examples.css");

/// Starts `app` on the renderer picked by the crate feature (`web`, `desktop`,
/// `mobile`). Without one, renders it once to HTML on stdout.
pub fn launch(app: fn() -> Element, title: &str) {
    #[cfg(feature = "desktop")]
    {
        use dioxus::desktop::{Config, LogicalPosition, WindowBuilder};
        let window = WindowBuilder::new()
            .with_title(title)
            .with_position(LogicalPosition::new(0.0, 0.0))
            .with_inner_size(dioxus::desktop::LogicalSize::new(900.0, 700.0));
        dioxus::LaunchBuilder::desktop()
            .with_cfg(Config::new().with_window(window).with_menu(None))
            .launch(app);
    }
    #[cfg(all(any(feature = "web", feature = "mobile"), not(feature = "desktop")))]
    {
        let _ = title;
        dioxus::launch(app);
    }
    #[cfg(not(any(feature = "web", feature = "desktop", feature = "mobile")))]
    {
        let mut dom = VirtualDom::new(app);
        dom.rebuild_in_place();
        println!("{}", dioxus_ssr::render(&dom));
        eprintln!("{title}: rendered once to HTML. For the live app run with `--features desktop` or `dx serve --platform web`.");
    }
}
