# Common environment for every script: project root, tool paths, pinned versions.
# Sourced, never run.

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
export PATH="$HOME/.cargo/bin:$ROOT/node_modules/.bin:$PATH"
export CHROMEDRIVER=/usr/bin/chromedriver
# CI builds once from a clean clone: incremental caches would only take disk (GBs
# across the test binaries) and time to write.
[ "${CI:-}" = true ] && export CARGO_INCREMENTAL=${CARGO_INCREMENTAL:-0}

TRUNK_VERSION=0.21.14
# wasm-bindgen-cli must match the crate exactly (Cargo.toml pins it with `=`).
WASM_BINDGEN_VERSION=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' "$ROOT/Cargo.lock")
export WASM_BINDGEN_VERSION

# Prints a step banner, so long logs stay readable.
step() { printf '\n==> %s\n' "$*"; }

# wait_for_url URL PID LOG WHAT [SECONDS]: polls URL until it answers. Fails early,
# showing the end of LOG, if PID (the server being waited for) exits, and after
# SECONDS if given (default: no limit — a first Trunk build can take minutes).
wait_for_url() {
  local url=$1 pid=$2 log=$3 what=$4 limit=${5:-0} waited=0
  until curl -fs -o /dev/null "$url" 2>/dev/null; do
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "error: $what exited during startup; the end of its log ($log):" >&2
      tail -n 30 "$log" >&2
      return 1
    fi
    if [ "$limit" -gt 0 ] && [ "$waited" -ge "$limit" ]; then
      echo "error: $what did not answer on $url within $limit s (log: $log)" >&2
      return 1
    fi
    sleep 1
    waited=$((waited + 1))
  done
}
