# Web builds of the examples, without the Dioxus CLI: cargo for wasm32, then
# wasm-bindgen at exactly the version in Cargo.lock. Source after setup.sh.

WEB_OUT="${CARGO_TARGET_DIR:-$PWD/target}/web"

ensure_wasm_bindgen() {
  local want
  want=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/"/, "", $3); print $3 }' Cargo.lock)
  if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$want" ]; then
    echo "==> installing wasm-bindgen-cli $want (a few minutes, once)"
    cargo install wasm-bindgen-cli --version "$want"
  fi
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
    wasm-bindgen --target web --no-typescript --out-dir "$WEB_OUT/$name" --out-name app "$wasm"
    sed "s/{{TITLE}}/$name/" web/index.html > "$WEB_OUT/$name/index.html"
  done
}
