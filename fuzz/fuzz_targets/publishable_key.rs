//! Publishable keys: parsing never panics, a key that parses always gives a
//! usable Frontend API URL on its host, and re-encoding it gives the same key.
#![no_main]

use base64::engine::general_purpose::STANDARD_NO_PAD;
use base64::Engine;
use clerk_dioxus::backend::fapi::{FapiBackend, InstanceType, PublishableKey};
use libfuzzer_sys::fuzz_target;
use url::Url;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let backend = FapiBackend::from_publishable_key(&text);
    let Ok(key) = PublishableKey::parse(&text) else {
        assert!(backend.is_err(), "a refused key must not build a backend");
        return;
    };
    let host = key.frontend_api_host();
    let builder = backend.expect("a key that parses gives a Frontend API URL");
    let url = Url::parse(builder.frontend_api_url()).expect("the Frontend API URL parses");
    assert_eq!(url.scheme(), "https");
    let authority = match (url.port_or_known_default(), host.contains(':')) {
        (Some(port), true) => format!("{}:{port}", url.host_str().unwrap_or_default()),
        _ => url.host_str().unwrap_or_default().to_owned(),
    };
    assert_eq!(
        authority.to_ascii_lowercase(),
        host.to_ascii_lowercase(),
        "the URL points at the key's host"
    );
    let prefix = match key.instance_type() {
        InstanceType::Development => "pk_test_",
        InstanceType::Production => "pk_live_",
    };
    let again = format!("{prefix}{}", STANDARD_NO_PAD.encode(format!("{host}$")));
    assert_eq!(PublishableKey::parse(&again).as_ref(), Ok(&key));
});
