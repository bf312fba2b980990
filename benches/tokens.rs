//! Session tokens: what `get_token` costs when a valid token is cached, and
//! how many requests 100 concurrent callers send.
//!
//! Beside `get_token_cached`, in the same run, a baseline:
//! `state_snapshot`, a copy of the handle's state (`Clerk::state`), the
//! cheapest read an app makes of the handle.
//!
//! `cargo bench --bench tokens`

use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll, Waker};

use clerk_dioxus::{CallKind, Clerk, GetTokenOptions, MemoryBackend};
use divan::Bencher;

fn main() {
    let (clerk, backend) = loaded();
    // The request count, printed with the timings (goal: 1).
    backend.clear_calls();
    let callers: Vec<_> = (0..100)
        .map(|_| clerk.get_token(GetTokenOptions::new()))
        .collect();
    let tokens = block_on(futures_util::future::join_all(callers));
    assert!(tokens.iter().all(|t| matches!(t, Ok(Some(_)))));
    println!(
        "100 concurrent get_token calls on an empty cache: {} request(s)",
        backend.call_count(CallKind::SessionToken)
    );
    divan::main();
}

/// The in-memory server answers at once: a future that is not ready on its
/// first poll would be a bug here.
fn block_on<F: Future>(future: F) -> F::Output {
    let mut context = Context::from_waker(Waker::noop());
    match pin!(future).poll(&mut context) {
        Poll::Ready(output) => output,
        Poll::Pending => panic!("the in-memory backend answers at once"),
    }
}

fn loaded() -> (Clerk, MemoryBackend) {
    let backend = MemoryBackend::demo();
    let clerk = Clerk::new(backend.clone());
    block_on(clerk.load()).unwrap();
    (clerk, backend)
}

#[divan::bench(sample_count = 1000)]
fn get_token_cached(bencher: Bencher) {
    let (clerk, backend) = loaded();
    block_on(clerk.get_token(GetTokenOptions::new())).unwrap();
    backend.clear_calls();
    bencher.bench_local(|| block_on(clerk.get_token(GetTokenOptions::new())).unwrap());
    assert_eq!(backend.calls(), vec![], "every call was a cache hit");
}

#[divan::bench(sample_count = 1000)]
fn state_snapshot(bencher: Bencher) {
    let (clerk, _) = loaded();
    bencher.bench_local(|| clerk.state());
}
