# Shared by scripts/demo and scripts/test: installs what a fresh Debian machine
# lacks, and nothing when it is already there. Source it; don't run it.

# What the scripts cannot install themselves: Rust through rustup, and (for
# the tests) Node.js 20 or newer with npm; Debian 12's own nodejs is 18.
# Everything else they install, as root or through sudo.

# System packages for the desktop renderer (WebKitGTK), the keyring feature
# (D-Bus Secret Service), Xvfb and screenshots, the browser tests (Debian's
# Chromium; chromium-driver as the issue names it, though Playwright drives
# Chromium directly), the demo's static server and readiness checks, and
# pgrep (procps) to stop what a stopped test run started.
SYSTEM_PACKAGES=(
  pkg-config libssl-dev libwebkit2gtk-4.1-dev libgtk-3-dev libxdo-dev libdbus-1-dev
  xvfb xauth xdotool imagemagick x11-utils chromium chromium-driver python3 curl procps
)

if ! command -v cargo >/dev/null || ! command -v rustup >/dev/null; then
  echo "error: Rust is missing: install it with rustup (https://rustup.rs), then run this again" >&2
  exit 1
fi

as_root() {
  if [ "$(id -u)" -eq 0 ]; then
    "$@"
  elif command -v sudo >/dev/null; then
    sudo "$@"
  else
    echo "error: installing Debian packages needs root: run as root, or install sudo" >&2
    exit 1
  fi
}

# Checks, in the first seconds, everything the scripts cannot install
# themselves, and says all that is missing at once:
#   check_prerequisites DISK_GIB [node]
# Rust through rustup (checked above, on sourcing), root or sudo when a Debian
# package is missing, free disk for the target dir, and Node.js 20+ for the tests.
check_prerequisites() {
  local need_gib="$1" problems=() missing=0 target avail_kib
  for pkg in "${SYSTEM_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing=1
  done
  if [ "$missing" = 1 ] && [ "$(id -u)" -ne 0 ] && ! command -v sudo >/dev/null; then
    problems+=("Debian packages are missing and installing them needs root: run as root, or install sudo")
  fi
  target="${CARGO_TARGET_DIR:-$PWD/target}"
  mkdir -p "$target"
  avail_kib=$(df -Pk "$target" | awk 'NR == 2 { print $4 }')
  if [ "$(du -sk "$target" | cut -f1)" -lt $(( need_gib * 1024 * 1024 / 2 )) ] &&
    [ "$avail_kib" -lt $(( need_gib * 1024 * 1024 )) ]; then
    problems+=("$target has $(( avail_kib / 1024 / 1024 )) GiB free; a first build needs about $need_gib GiB")
  fi
  if [ "${2:-}" = node ]; then
    local major
    major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
    if [ "$major" -lt 20 ] || ! command -v npm >/dev/null; then
      problems+=("the browser tests need Node.js 20 or newer with npm (found: $(node --version 2>/dev/null || echo none)); Debian 12's own nodejs is 18")
    fi
  fi
  if [ "${#problems[@]}" -gt 0 ]; then
    printf 'error: %s\n' "${problems[@]}" >&2
    exit 1
  fi
}

# The browser tests' driver (playwright-core) needs Node.js 20 or newer.
ensure_node() {
  local major
  major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
  if [ "$major" -lt 20 ] || ! command -v npm >/dev/null; then
    echo "error: the browser tests need Node.js 20 or newer with npm (found: $(node --version 2>/dev/null || echo none))" >&2
    exit 1
  fi
}

# Runs apt-get as root. apt verifies downloads as its own `_apt` user, which
# must be able to write the temp dir: on a machine whose /tmp is private
# (mode 700, seen on some sandboxes), apt's temp files go to /var/tmp.
apt_get() {
  local tmp=/tmp
  [ "$(stat -c %a /tmp 2>/dev/null)" = 1777 ] || tmp=/var/tmp
  as_root env TMPDIR="$tmp" DEBIAN_FRONTEND=noninteractive apt-get "$@"
}

ensure_system_packages() {
  local missing=()
  for pkg in "${SYSTEM_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  if [ "${#missing[@]}" -gt 0 ]; then
    echo "==> installing system packages: ${missing[*]}"
    apt_get update -qq
    apt_get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
}

ensure_rust_components() {
  rustup component add clippy rustfmt >/dev/null 2>&1 || true
}

# Runs cargo for wasm32-unknown-unknown by the route that works on this machine:
# rustup's target, or else Debian's rustc-web with std built from source.
wasm_cargo() {
  # Cargo's arguments, then (after `--`) the compiler's: the target goes before them.
  local own=() tool=()
  while [ $# -gt 0 ] && [ "$1" != "--" ]; do own+=("$1"); shift; done
  tool=("$@")
  if rustup target add wasm32-unknown-unknown >/dev/null 2>&1; then
    WASM_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"
    cargo "${own[@]}" --target wasm32-unknown-unknown "${tool[@]}"
  else
    echo "==> rustup has no wasm32 target here; using Debian's rustc-web"
    local pkgs=(rustc-web rust-web-src lld-19)
    dpkg-query -W rustc-web >/dev/null 2>&1 || {
      apt_get update -qq
      apt_get install -y -qq --no-install-recommends "${pkgs[@]}" >/dev/null
    }
    WASM_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}/debian-wasm"
    RUSTC=/usr/bin/rustc RUSTC_BOOTSTRAP=1 \
      CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_LINKER=wasm-ld-19 \
      cargo "${own[@]}" --target wasm32-unknown-unknown -Zbuild-std=std,panic_abort \
      --target-dir "$WASM_TARGET_DIR" "${tool[@]}"
  fi
}
