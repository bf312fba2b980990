//! A network between a handle and the emulator that a test can break: a
//! loopback TCP forwarder whose port can be closed (connections refused,
//! those open cut) and opened again on the same port; and a tally of the
//! requests a handle tried, read from its own log lines.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

/// Forwards `127.0.0.1:PORT` to the emulator while open.
pub struct Outage {
    address: SocketAddr,
    target: SocketAddr,
    serving: Option<JoinHandle<()>>,
}

impl Outage {
    /// Starts forwarding to `target` (an `http://host:port` URL) on a free port.
    pub async fn forward_to(target: &str) -> Self {
        let target: SocketAddr = target
            .trim_start_matches("http://")
            .parse()
            .expect("the emulator's address");
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        let mut outage = Self {
            address,
            target,
            serving: None,
        };
        outage.serve(listener);
        outage
    }

    /// The URL to point a handle at.
    pub fn url(&self) -> String {
        format!("http://{}", self.address)
    }

    fn serve(&mut self, listener: TcpListener) {
        let target = self.target;
        self.serving = Some(tokio::spawn(async move {
            let mut connections = tokio::task::JoinSet::new();
            while let Ok((mut inbound, _)) = listener.accept().await {
                connections.spawn(async move {
                    if let Ok(mut outbound) = TcpStream::connect(target).await {
                        let _ = tokio::io::copy_bidirectional(&mut inbound, &mut outbound).await;
                    }
                });
            }
        }));
    }

    /// Closes the port: new connections are refused, open ones are cut
    /// (the forwarding tasks are dropped with the accept loop).
    pub async fn refuse(&mut self) {
        if let Some(serving) = self.serving.take() {
            serving.abort();
            let _ = serving.await;
        }
        assert!(
            TcpStream::connect(self.address).await.is_err(),
            "the port refuses connections"
        );
    }

    /// Opens the same port again.
    pub async fn restore(&mut self) {
        let listener = TcpListener::bind(self.address).await.unwrap();
        self.serve(listener);
    }
}

/// The requests a handle tried, counted from its log lines (one per request
/// tried, answered or not: "Clerk Frontend API"), on this thread only: the
/// test binary's one subscriber writes every thread's lines with its name, and
/// a test's handle runs on its own thread (a current-thread runtime). One
/// global subscriber, not one per thread: tracing caches which call sites
/// are enabled for the whole process.
#[derive(Clone)]
pub struct Tally {
    log: Log,
    thread: String,
    /// This thread's request lines from before the tally began.
    before: usize,
}

#[derive(Clone, Default)]
struct Log(Arc<Mutex<Vec<u8>>>);

impl Tally {
    /// Counts what the crate logs on this thread from now on.
    pub fn install() -> Self {
        static LOG: std::sync::OnceLock<Log> = std::sync::OnceLock::new();
        let log = LOG
            .get_or_init(|| {
                let log = Log::default();
                let writer = log.clone();
                let subscriber = tracing_subscriber::fmt()
                    .with_max_level(tracing::Level::DEBUG)
                    .with_ansi(false)
                    .with_thread_names(true)
                    .with_writer(move || writer.clone())
                    .finish();
                tracing::subscriber::set_global_default(subscriber)
                    .expect("the only global subscriber");
                log
            })
            .clone();
        // libtest names each test's thread after the test.
        let thread = format!(
            " {} ",
            std::thread::current().name().expect("a test thread")
        );
        let mut tally = Self {
            log,
            thread,
            before: 0,
        };
        // What this thread logged before does not count.
        tally.before = tally.own_lines().len();
        tally
    }

    /// This thread's request lines so far.
    fn own_lines(&self) -> Vec<String> {
        let text = String::from_utf8_lossy(&self.log.0.lock().unwrap()).into_owned();
        text.lines()
            .filter(|line| line.contains(&self.thread) && line.contains("Clerk Frontend API"))
            .filter(|line| line.contains("clerk_dioxus"))
            .skip(self.before)
            .map(str::to_owned)
            .collect()
    }

    /// Requests tried so far.
    pub fn requests(&self) -> usize {
        self.own_lines().len()
    }

    /// The log lines of the requests tried, for a failure's message.
    pub fn lines(&self) -> Vec<String> {
        self.own_lines()
    }

    /// Requests tried to a path ending in `suffix` (`tokens`, `client`).
    pub fn requests_to(&self, suffix: &str) -> usize {
        self.own_lines()
            .iter()
            .filter(|line| {
                line.split_whitespace()
                    .any(|field| field.starts_with("path=") && field.ends_with(suffix))
            })
            .count()
    }
}

impl std::io::Write for Log {
    /// Keeps the request lines only (the subscriber writes one event per
    /// call): a soak's own log must not grow its memory.
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if String::from_utf8_lossy(buf).contains("Clerk Frontend API") {
            self.0.lock().unwrap().extend_from_slice(buf);
        }
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
