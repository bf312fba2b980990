//! Frontend API answers: any status and body gives a client or a typed error,
//! never a panic; a decoded client survives a JSON round trip; decode errors
//! never quote a token-like run (what `wire::excerpt` promises logs).
#![no_main]

use clerk_dioxus::backend::fapi::decode_answer;
use clerk_dioxus::{ClerkError, Client};
use libfuzzer_sys::fuzz_target;

/// The statuses a Frontend API answer comes with; the first byte picks one.
const STATUSES: [u16; 8] = [200, 400, 401, 403, 404, 422, 500, 502];

fuzz_target!(|data: &[u8]| {
    let Some((&pick, body)) = data.split_first() else {
        return;
    };
    let status = STATUSES[usize::from(pick) % STATUSES.len()];
    let body = String::from_utf8_lossy(body);
    match decode_answer(status, &body) {
        Ok((response, client)) => {
            assert!((200..300).contains(&status));
            for client in [response, client].into_iter().flatten() {
                round_trips(&client);
            }
        }
        Err(error) => {
            let shown = error.to_string();
            if let ClerkError::Decode { .. } = error {
                assert_no_token_run(&shown);
            }
            if let ClerkError::Api(api) = &error {
                assert_eq!(api.status, status);
                if let Some(excerpt) = &api.body_excerpt {
                    assert_no_token_run(excerpt);
                }
            }
            assert_no_token_run(&format!("{:?}", redacted_debug(&error)));
        }
    }
});

fn round_trips(client: &Client) {
    let json = serde_json::to_string(client).expect("a client serialises");
    let again: Client = serde_json::from_str(&json).expect("and deserialises");
    assert_eq!(&again, client);
}

/// What `Debug` shows of errors that never carry server text.
fn redacted_debug(error: &ClerkError) -> String {
    match error {
        ClerkError::Api(_) | ClerkError::Decode { .. } => String::new(),
        other => format!("{other:?}"),
    }
}

/// No run of 40 or more token characters (a JWT or client token would be one).
fn assert_no_token_run(text: &str) {
    let mut run = 0;
    for c in text.chars() {
        if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '+' | '/' | '=') {
            run += 1;
            assert!(run < 40, "a token-like run in {text:?}");
        } else {
            run = 0;
        }
    }
}
