# Web builds of the examples, without the Dioxus CLI: cargo for wasm32, then
# wasm-bindgen at exactly the version in Cargo.lock. Source after setup.sh.

WEB_OUT="${CARGO_TARGET_DIR:-$PWD/target}/web"

# Where the scripts install their tools (the wasm-bindgen CLI). FRESH_TOOLS=1
# starts from an empty folder and ignores tools on PATH, as on a new machine:
# CI sets it, so the install path (and its fallback) runs on every CI run.
if [ "${FRESH_TOOLS:-0}" = 1 ]; then
  TOOLS_DIR="${CARGO_TARGET_DIR:-$PWD/target}/tools-fresh"
  rm -rf "$TOOLS_DIR"
else
  TOOLS_DIR="${CARGO_TARGET_DIR:-$PWD/target}/tools"
fi

# Sets WASM_BINDGEN to a wasm-bindgen CLI of exactly the locked version: the
# one on PATH if it matches, else one installed (once) under TOOLS_DIR, called
# by its full path so an older one on PATH cannot win.
ensure_wasm_bindgen() {
  local want candidates=("$TOOLS_DIR/bin/wasm-bindgen")
  want=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/"/, "", $3); print $3 }' Cargo.lock)
  [ "${FRESH_TOOLS:-0}" = 1 ] || candidates+=("$(command -v wasm-bindgen || true)")
  for candidate in "${candidates[@]}"; do
    if [ -x "$candidate" ] && [ "$("$candidate" --version 2>/dev/null | awk '{print $2}')" = "$want" ]; then
      WASM_BINDGEN="$candidate"
      return
    fi
  done
  echo "==> installing wasm-bindgen-cli $want into $TOOLS_DIR (a few minutes, once)"
  local log="$TOOLS_DIR/install.log"
  mkdir -p "$TOOLS_DIR"
  if ! cargo install -q wasm-bindgen-cli --version "$want" --locked --root "$TOOLS_DIR" 2>"$log"; then
    # The tool's own lockfile can name a crate version the reachable registry
    # lacks (webpki-roots 1.0.11 once). The CLI version is what must match.
    echo "==> wasm-bindgen-cli $want: its lockfile needs a version this registry lacks ($(grep -m1 -o 'failed to select a version for the requirement `[^`]*`[^)]*\|no matching package named `[^`]*`\|failed to download [^ ]*' "$log" || tail -n1 "$log")); installing the same version without --locked"
    cargo install -q wasm-bindgen-cli --version "$want" --root "$TOOLS_DIR"
  fi
  WASM_BINDGEN="$TOOLS_DIR/bin/wasm-bindgen"
}

# build_web NAME... : WEB_OUT/NAME/{index.html,app.js,app_bg.wasm} for each example.
# With the crate's default features (its capabilities) unless WEB_FEATURES
# says otherwise ("--no-default-features --features web", say).
build_web() {
  ensure_wasm_bindgen
  local args=()
  for name in "$@"; do args+=(--example "$name"); done
  echo "==> building for the web: $*"
  local features
  read -r -a features <<< "${WEB_FEATURES:---features web}"
  wasm_cargo build -p clerk-dioxus --profile wasm-release "${features[@]}" "${args[@]}"
  for name in "$@"; do
    local wasm="$WASM_TARGET_DIR/wasm32-unknown-unknown/wasm-release/examples/$name.wasm"
    rm -rf "${WEB_OUT:?}/$name"
    "$WASM_BINDGEN" --target web --no-typescript --out-dir "$WEB_OUT/$name" --out-name app "$wasm"
    sed "s/{{TITLE}}/$name/" web/index.html > "$WEB_OUT/$name/index.html"
  done
}
