# The fullstack example (`fullstack/`, a Dioxus fullstack app), built
# without the Dioxus CLI: the server with cargo, the browser's wasm with
# cargo for wasm32 and wasm-bindgen, laid out as `dx` lays out a bundle (the
# server reads its `public/` folder from DIOXUS_PUBLIC_PATH). Source after
# setup.sh and web.sh.

# build_fullstack [PROFILE]: FULLSTACK_APP (the server binary) and
# FULLSTACK_PUBLIC (index.html, the stylesheets, app.js, app_bg.wasm). PROFILE is the
# server's cargo profile: dev (the default) or release.
build_fullstack() {
  local profile="${1:-dev}" target="${CARGO_TARGET_DIR:-$PWD/target}"
  ensure_wasm_bindgen
  echo "==> building the fullstack example: the server ($profile), then the browser's wasm"
  # One target folder for both workspaces, as when CARGO_TARGET_DIR is set.
  CARGO_TARGET_DIR="$target" cargo build --manifest-path fullstack/Cargo.toml --profile "$profile"
  CARGO_TARGET_DIR="$target" wasm_cargo build --manifest-path fullstack/Cargo.toml \
    --profile wasm-release --no-default-features --features web
  local folder="$profile"
  [ "$profile" = dev ] && folder=debug
  FULLSTACK_APP="$target/$folder/clerk-dioxus-fullstack-app"
  FULLSTACK_PUBLIC="$target/fullstack-public"
  rm -rf "${FULLSTACK_PUBLIC:?}"
  "$WASM_BINDGEN" --target web --no-typescript --out-dir "$FULLSTACK_PUBLIC" --out-name app \
    "$WASM_TARGET_DIR/wasm32-unknown-unknown/wasm-release/clerk-dioxus-fullstack-app.wasm"
  cp fullstack/index.html assets/clerk-dioxus-examples.css assets/clerk-user-button.css "$FULLSTACK_PUBLIC/"
}
