//! Redirect validation: any input is refused or leads to the app's origin or
//! an allowed one, on the web (with the page's URL) and natively (without).
#![no_main]

use clerk_dioxus::navigation::validate_redirect;
use libfuzzer_sys::fuzz_target;
use url::Url;

fuzz_target!(|data: &[u8]| {
    let input = String::from_utf8_lossy(data);
    let page_url = "https://app.example.com/account/settings?tab=1";
    let app = Url::parse(page_url).unwrap();
    let allowed = Url::parse("https://accounts.example.com").unwrap().origin();
    for (page, page_url) in [(Some(&app), Some(page_url)), (None, None)] {
        let Ok(target) = validate_redirect(&input, page_url, &["https://accounts.example.com"])
        else {
            continue;
        };
        let target = target.as_str();
        // Independent of how the validator works: what a browser reads as
        // another host or a script is never handed out.
        if !target.starts_with("http://") && !target.starts_with("https://") {
            assert!(target.starts_with('/'), "{input:?} -> {target:?}");
            for escape in ["//", "/\\", "\\"] {
                assert!(!target.starts_with(escape), "{input:?} -> {target:?}");
            }
        }
        // Where a browser on the page goes when told to navigate to `target`.
        let base = page
            .cloned()
            .unwrap_or_else(|| Url::parse("http://app.invalid/").unwrap());
        let landed = base.join(target).expect("a valid target resolves");
        assert!(
            matches!(landed.scheme(), "http" | "https"),
            "{input:?} -> {target:?}"
        );
        let origin = landed.origin();
        assert!(
            origin == base.origin() || origin == allowed,
            "{input:?} -> {target:?} leaves for {origin:?}"
        );
        assert!(!target.chars().any(char::is_control), "{target:?}");
    }
});
