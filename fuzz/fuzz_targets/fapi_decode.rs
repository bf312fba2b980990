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
        Ok(answer) => {
            assert!((200..300).contains(&status));
            match answer.response_client {
                Ok(client) => round_trips(client.as_ref()),
                Err(error) => check_error(&error, status),
            }
            round_trips(answer.client.as_ref());
            if let Err(error) = answer.sign_in {
                check_error(&error, status);
            }
        }
        Err(error) => check_error(&error, status),
    }
});

fn round_trips(client: Option<&Client>) {
    let Some(client) = client else { return };
    let json = serde_json::to_string(client).expect("a client serialises");
    let again: Client = serde_json::from_str(&json).expect("and deserialises");
    assert_eq!(&again, client);
}

/// Errors are typed, carry the answer's status, and what the crate writes
/// itself (decode messages, excerpts of bodies) holds no token-like run.
/// Clerk's own error messages (`ApiErrorDetail`) are shown as sent.
fn check_error(error: &ClerkError, status: u16) {
    match error {
        // `Debug` only escapes this text (`\0` for a NUL), which can join two
        // short runs; what it quotes is the same.
        ClerkError::Decode { message } => assert_no_token_run(message),
        ClerkError::Api(api) => {
            assert_eq!(api.status, status);
            if let Some(excerpt) = &api.body_excerpt {
                assert_no_token_run(excerpt);
                assert!(
                    api.errors.is_empty(),
                    "an excerpt only for non-Clerk bodies"
                );
            }
        }
        other => panic!("decoding gave a {other:?}"),
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
