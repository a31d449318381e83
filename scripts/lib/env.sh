# Common environment for every script: project root, tool paths, pinned versions.
# Sourced, never run.

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
export PATH="$HOME/.cargo/bin:$ROOT/node_modules/.bin:$PATH"
export CHROMEDRIVER=/usr/bin/chromedriver

TRUNK_VERSION=0.21.14
# wasm-bindgen-cli must match the crate exactly (Cargo.toml pins it with `=`).
WASM_BINDGEN_VERSION=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' "$ROOT/Cargo.lock")
export WASM_BINDGEN_VERSION

# Prints a step banner, so long logs stay readable.
step() { printf '\n==> %s\n' "$*"; }
