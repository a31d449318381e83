# Start and stop a local Community Solid Server. Sourced by scripts/run, scripts/test
# and scripts/bench; needs node_modules (scripts/setup).
#
#   pod_start PORT DATA_DIR LOG_FILE   # sets POD_PID and POD_URL, waits until it answers
#                                      # (POD_CONFIG: another CSS config than config/file.json)
#   pod_stop                           # stops it (safe to call twice)

source "$(dirname "${BASH_SOURCE[0]}")/env.sh"

pod_free_port() {
  node -e "const s=require('net').createServer();s.listen(0,()=>{console.log(s.address().port);s.close()})"
}

pod_start() {
  local port=$1 data=$2 log=$3
  POD_URL="http://localhost:${port}/"
  mkdir -p "$data"
  # node directly (not npx) so POD_PID is the server itself and stops with it.
  node "$ROOT/node_modules/@solid/community-server/bin/server.js" \
    -c "${POD_CONFIG:-@css:config/file.json}" -f "$data" -p "$port" -b "$POD_URL" \
    --seedConfig "$ROOT/scripts/seed.json" -l "${POD_LOG_LEVEL:-info}" >"$log" 2>&1 &
  POD_PID=$!
  wait_for_url "$POD_URL" "$POD_PID" "$log" "the Solid server" 120 || { pod_stop; return 1; }
}

pod_stop() {
  if [ -n "${POD_PID:-}" ] && kill -0 "$POD_PID" 2>/dev/null; then
    kill "$POD_PID" 2>/dev/null
    wait "$POD_PID" 2>/dev/null || true # its status is the signal's; not a failure
  fi
  POD_PID=
}
