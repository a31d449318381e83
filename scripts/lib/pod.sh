# Start and stop a local Community Solid Server. Sourced by scripts/run, scripts/test
# and scripts/bench; needs node_modules (scripts/setup) and the project root as $ROOT.
#
#   pod_start PORT DATA_DIR LOG_FILE   # sets POD_PID and POD_URL, waits until it answers
#   pod_stop                           # stops it (safe to call twice)

pod_free_port() {
  node -e "const s=require('net').createServer();s.listen(0,()=>{console.log(s.address().port);s.close()})"
}

pod_start() {
  local port=$1 data=$2 log=$3
  POD_URL="http://localhost:${port}/"
  mkdir -p "$data"
  # node directly (not npx) so POD_PID is the server itself and stops with it.
  node "$ROOT/node_modules/@solid/community-server/bin/server.js" \
    -c @css:config/file.json -f "$data" -p "$port" -b "$POD_URL" \
    --seedConfig "$ROOT/scripts/seed.json" -l "${POD_LOG_LEVEL:-info}" >"$log" 2>&1 &
  POD_PID=$!
  local waited=0
  until curl -fs -o /dev/null "$POD_URL" 2>/dev/null; do
    if ! kill -0 "$POD_PID" 2>/dev/null; then
      echo "error: the Solid server exited during startup; its log ($log) ends with:" >&2
      tail -n 20 "$log" >&2
      return 1
    fi
    if [ "$waited" -ge 120 ]; then
      echo "error: the Solid server did not answer on $POD_URL within 120 s (log: $log)" >&2
      pod_stop
      return 1
    fi
    sleep 1
    waited=$((waited + 1))
  done
}

pod_stop() {
  if [ -n "${POD_PID:-}" ] && kill -0 "$POD_PID" 2>/dev/null; then
    kill "$POD_PID" 2>/dev/null
    wait "$POD_PID" 2>/dev/null
  fi
  POD_PID=
}
