//! `clerk-emulator --port 9400 --seed accounts.toml --allow-origin http://127.0.0.1:8080`
//!
//! Without `--allow-origin`, the origins `dx serve` and `./scripts/demo` serve
//! web apps from ([`DEFAULT_ORIGINS`]) may call with credentials.

use std::net::IpAddr;
use std::path::PathBuf;

use clap::Parser;
use clerk_emulator::{Emulator, Seed};

/// The web app origins allowed when no `--allow-origin` is given: where
/// `dx serve --platform web` and `./scripts/demo` serve the app.
const DEFAULT_ORIGINS: [&str; 2] = ["http://127.0.0.1:8080", "http://localhost:8080"];

/// A loopback emulator of Clerk's Frontend API.
#[derive(Parser, Debug)]
#[command(version, about)]
struct Args {
    /// Port to listen on (0 picks a free one).
    #[arg(long, default_value_t = 9400)]
    port: u16,
    /// Address to bind; only loopback unless --allow-non-loopback.
    #[arg(long, default_value = "127.0.0.1")]
    host: IpAddr,
    /// Allow binding a non-loopback address.
    #[arg(long)]
    allow_non_loopback: bool,
    /// TOML file of users and clients (default: the three demo accounts).
    #[arg(long)]
    seed: Option<PathBuf>,
    /// A web app origin allowed to call with credentials (repeatable; default:
    /// http://127.0.0.1:8080 and http://localhost:8080, where `dx serve` serves).
    #[arg(long = "allow-origin")]
    allow_origins: Vec<String>,
    /// A native app's OAuth redirect URL allowed (repeatable; loopback URLs
    /// and the allowed origins need no entry).
    #[arg(long = "allow-redirect")]
    allow_redirects: Vec<String>,
    /// Report a development instance.
    #[arg(long)]
    development: bool,
    /// RSA private key (PEM) that signs session tokens (default: one
    /// generated at start; its public half is served at /.well-known/jwks.json).
    #[arg(long)]
    signing_key: Option<PathBuf>,
    /// How long session tokens live, in seconds.
    #[arg(long, default_value_t = 60)]
    token_lifetime: u64,
    /// At most this many Frontend API requests a second (`20` or `20/s`);
    /// the rest are answered `429 too_many_requests` with `Retry-After`.
    #[arg(long, value_parser = parse_rate)]
    rate_limit: Option<u32>,
    /// The instance's secret key, required by the Backend API routes (the
    /// handshake payload) as `Authorization: Bearer`.
    #[arg(long, default_value = clerk_emulator::DEFAULT_SECRET_KEY)]
    secret_key: String,
}

/// `N` or `N/s`, N at least 1.
fn parse_rate(text: &str) -> Result<u32, String> {
    let number = text.strip_suffix("/s").unwrap_or(text);
    match number.parse::<u32>() {
        Ok(n) if n > 0 => Ok(n),
        _ => Err(format!(
            "expected requests per second, as `20` or `20/s`, not `{text}`"
        )),
    }
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .init();
    let args = Args::parse();
    let seed = match &args.seed {
        None => Seed::demo(),
        Some(path) => match std::fs::read_to_string(path)
            .map_err(|e| e.to_string())
            .and_then(|t| Seed::from_toml(&t).map_err(|e| e.to_string()))
        {
            Ok(seed) => seed,
            Err(error) => {
                eprintln!(
                    "clerk-emulator: cannot read seed {}: {error}",
                    path.display()
                );
                std::process::exit(2);
            }
        },
    };
    let mut builder = Emulator::builder()
        .seed(seed.clone())
        .ip(args.host)
        .port(args.port)
        .allow_non_loopback(args.allow_non_loopback)
        .development(args.development)
        .token_lifetime(std::time::Duration::from_secs(args.token_lifetime))
        .secret_key(args.secret_key.clone());
    if let Some(rate) = args.rate_limit {
        builder = builder.rate_limit(rate);
    }
    if let Some(path) = &args.signing_key {
        match std::fs::read_to_string(path) {
            Ok(pem) => builder = builder.signing_key_pem(pem),
            Err(error) => {
                eprintln!(
                    "clerk-emulator: cannot read signing key {}: {error}",
                    path.display()
                );
                std::process::exit(2);
            }
        }
    }
    let origins: Vec<&str> = if args.allow_origins.is_empty() {
        DEFAULT_ORIGINS.to_vec()
    } else {
        args.allow_origins.iter().map(String::as_str).collect()
    };
    for origin in &origins {
        builder = builder.allow_origin(*origin);
    }
    for redirect in &args.allow_redirects {
        builder = builder.allow_redirect_url(redirect);
    }
    let emulator = match builder.start().await {
        Ok(emulator) => emulator,
        Err(error) => {
            eprintln!("clerk-emulator: {error}");
            std::process::exit(1);
        }
    };
    println!("clerk-emulator listening on {}", emulator.url());
    for user in &seed.users {
        println!("  account: {} (password: {})", user.email, user.password);
    }
    println!("  web apps allowed from: {}", origins.join(", "));
    println!(
        "  session tokens: RS256, kid {}, {} s; JWKS at {}/.well-known/jwks.json",
        emulator.key_id(),
        args.token_lifetime,
        emulator.url()
    );
    println!(
        "  publishable key: {} ({} instance)",
        emulator.publishable_key(),
        if args.development {
            "development"
        } else {
            "production"
        }
    );
    let _ = tokio::signal::ctrl_c().await;
    println!("clerk-emulator: stopping");
    emulator.stop();
}
