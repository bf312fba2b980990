#!/usr/bin/env bash
# `cargo publish --dry-run` for both crates (each packaged, then built from its
# package as crates.io would), and a look at what each package holds: what a
# user needs, nothing of the repository's tests or scripts, and a README whose
# links are absolute or name a file in the package.
set -euo pipefail
cd "$(dirname "$0")/../.."

check_package() {
  local crate="$1" list readme
  shift
  list=$(cargo package -p "$crate" --list --allow-dirty 2>/dev/null)
  for needed in Cargo.toml README.md LICENSE-MIT LICENSE-APACHE src/lib.rs "$@"; do
    grep -qx "$needed" <<<"$list" || { echo "error: $crate's package lacks $needed" >&2; exit 1; }
  done
  if grep -E '^(tests|e2e|scripts|benches|fuzz|target|examples|node_modules)/' <<<"$list"; then
    echo "error: $crate's package holds repository-only files (above)" >&2
    exit 1
  fi
  readme=$(cargo metadata --no-deps --format-version 1 |
    python3 -c "import json,os,sys; p = next(p for p in json.load(sys.stdin)['packages'] if p['name'] == '$crate'); print(os.path.join(os.path.dirname(p['manifest_path']), p['readme']))")
  python3 - "$readme" "$list" <<'PY'
import re, sys
readme, files = open(sys.argv[1]).read(), set(sys.argv[2].split())
bad = [link for link in re.findall(r"\]\(([^)\s]+)\)", readme)
       if not re.match(r"(https?:|mailto:|#)", link) and link.split("#")[0] not in files]
if bad:
    sys.exit(f"error: {sys.argv[1]} links to files crates.io will not have: {bad}")
PY
  echo "$crate: $(wc -l <<<"$list") files packaged"
}

check_package clerk-dioxus src/components/sign_out_button.rs
check_package clerk-emulator src/main.rs accounts.toml src/environment.json
cargo publish --workspace --dry-run --allow-dirty
