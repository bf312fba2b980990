#!/usr/bin/env bash
# Builds the crates against the far ends of their dependency ranges, in a
# scratch copy (this checkout's Cargo.lock is untouched):
#   dependency-extremes.sh newest    every dependency at its newest compatible version
#   dependency-extremes.sh minimal   every direct dependency at the lowest version
#                                    its range allows (`-Z direct-minimal-versions`)
# `minimal` takes direct dependencies only: the full `-Z minimal-versions`
# resolves the whole Dioxus tree to releases that no longer build on today's
# compiler, which says nothing about our ranges.
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/lib/setup.sh

mode="$1"
target="${CARGO_TARGET_DIR:-$PWD/target}"
scratch="$target/extremes/$mode/src"
rm -rf "$scratch"
mkdir -p "$scratch"
git ls-files -z | tar --null -cf - -T - | tar -xf - -C "$scratch"
cd "$scratch"
case "$mode" in
  newest) cargo update -q ;;
  # Cargo's nightly-only flag, allowed on the stable toolchain for this one call.
  minimal) RUSTC_BOOTSTRAP=1 cargo update -q -Z direct-minimal-versions ;;
  *) echo "usage: $0 newest|minimal" >&2; exit 2 ;;
esac
for crate in dioxus wasm-bindgen web-sys reqwest tokio axum; do
  printf '%s ' "$crate $(awk -v n="$crate" '$0 == "name = \""n"\"" { getline; gsub(/"/, "", $3); print $3; exit }' Cargo.lock)"
done
echo
export CARGO_TARGET_DIR="$target/extremes/$mode/target"
cargo check -q -p clerk-dioxus --all-targets --features router,keyring,server
cargo check -q -p clerk-emulator --all-targets
wasm_cargo check -q -p clerk-dioxus --lib --features web
echo "$mode dependency versions: the crates build"
