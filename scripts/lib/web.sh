# Web builds of the examples, without the Dioxus CLI: cargo for wasm32, then
# wasm-bindgen at exactly the version in Cargo.lock. Source after setup.sh.

WEB_OUT="${CARGO_TARGET_DIR:-$PWD/target}/web"

# Sets WASM_BINDGEN to a wasm-bindgen CLI of exactly the locked version: the
# one on PATH if it matches, else one installed (once) under the target dir's
# tools/, called by its full path so an older one on PATH cannot win.
ensure_wasm_bindgen() {
  local want tools
  want=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/"/, "", $3); print $3 }' Cargo.lock)
  tools="${CARGO_TARGET_DIR:-$PWD/target}/tools"
  for candidate in "$(command -v wasm-bindgen || true)" "$tools/bin/wasm-bindgen"; do
    if [ -x "$candidate" ] && [ "$("$candidate" --version 2>/dev/null | awk '{print $2}')" = "$want" ]; then
      WASM_BINDGEN="$candidate"
      return
    fi
  done
  echo "==> installing wasm-bindgen-cli $want into $tools (a few minutes, once)"
  cargo install wasm-bindgen-cli --version "$want" --locked --root "$tools"
  WASM_BINDGEN="$tools/bin/wasm-bindgen"
}

# build_web NAME... : WEB_OUT/NAME/{index.html,app.js,app_bg.wasm} for each example.
build_web() {
  ensure_wasm_bindgen
  local args=()
  for name in "$@"; do args+=(--example "$name"); done
  echo "==> building for the web: $*"
  wasm_cargo build -p clerk-dioxus --profile wasm-release --features web "${args[@]}"
  for name in "$@"; do
    local wasm="$WASM_TARGET_DIR/wasm32-unknown-unknown/wasm-release/examples/$name.wasm"
    rm -rf "${WEB_OUT:?}/$name"
    "$WASM_BINDGEN" --target web --no-typescript --out-dir "$WEB_OUT/$name" --out-name app "$wasm"
    sed "s/{{TITLE}}/$name/" web/index.html > "$WEB_OUT/$name/index.html"
  done
}
