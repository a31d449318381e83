#!/usr/bin/env bash
# scripts/run as a person uses it: start it (release build, a scratch pod), keep the
# app open in Chromium for a while as files under its data folder change (the pod's
# data, Trunk's own log), check the page was never reloaded, print how long setting
# the master password and unlocking take in the served build, then stop it with
# SIGTERM and check that nothing it started is left listening.
#   tests/run_script/check.sh POD_PORT APP_PORT
# scripts/test passes the port its own pod had, so the release build it just made
# (for that pod's URL) is reused. Prints "run script: N passed, N failed".
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
source "$ROOT/scripts/lib/env.sh"
pod_port=$1 app_port=$2
# Inside the project, where scripts/run keeps its own data (.data/): that is what
# Trunk once watched and rebuilt for.
mkdir -p "$ROOT/.data"
data=$(mktemp -d "$ROOT/.data/run-check.XXXXXX")
run_log="$data/run.log"
passed=0 failed=0
check() { # NAME CONDITION-STATUS
  if [ "$2" -eq 0 ]; then echo "ok: $1"; passed=$((passed + 1)); else echo "FAILED: $1"; failed=$((failed + 1)); fi
}

# Its own session, so the check can signal exactly scripts/run (as a terminal would).
SOLIDCRYPT_DATA=$data POD_PORT=$pod_port APP_PORT=$app_port setsid "$ROOT/scripts/run" >"$run_log" 2>&1 &
run_pid=$!
waited=0
until grep -qs 'solidcrypt is running' "$run_log"; do
  if ! kill -0 "$run_pid" 2>/dev/null || [ "$waited" -ge 900 ]; then
    echo "scripts/run did not come up; its output:"; tail -n 40 "$run_log"
    [ -f "$data/trunk.log" ] && { echo "trunk.log:"; tail -n 20 "$data/trunk.log"; }
    kill -- "-$run_pid" 2>/dev/null
    echo "run script: 0 passed, 1 failed"
    exit 1
  fi
  sleep 1
  waited=$((waited + 1))
done
# (Trunk runs in a session of its own, so scripts/run can stop its whole group.)
pgrep -f "trunk serve --release .*--port $app_port" >/dev/null
check "scripts/run serves the release build (trunk serve --release)" $?

node "$ROOT/tests/run_script/page_stays.mjs" "http://localhost:$app_port/" "http://localhost:$pod_port/" "$data"
check "the open app is never reloaded while the pod's data and the logs change" $?
# Builds started, not finished: a release rebuild can outlast the watch above, and
# one that started is a reload on its way.
builds=$(grep -c 'starting build' "$data/trunk.log")
echo "trunk.log: $builds build(s) started"
[ "$builds" -eq 1 ]
check "Trunk built once (no rebuild without a source change)" $?

kill -TERM "$run_pid"
for _ in $(seq 30); do kill -0 "$run_pid" 2>/dev/null || break; sleep 1; done
! kill -0 "$run_pid" 2>/dev/null
check "scripts/run exits on SIGTERM" $?
sleep 1
left=0
for port in "$pod_port" "$app_port"; do
  if curl -s -o /dev/null --max-time 2 "http://localhost:$port/"; then
    echo "port $port still answers after scripts/run stopped"; left=1
  fi
done
check "nothing scripts/run started is left listening" "$left"
# Anything left of its session (a pod, trunk, cargo) is stopped here, so one failed
# run does not poison the next.
pkill -TERM -s "$run_pid" 2>/dev/null
pkill -TERM -f "trunk serve .*--port $app_port" 2>/dev/null

echo "scripts/run output:"; sed 's/^/  /' "$run_log" | tail -n 25
rm -rf "$data"
echo "run script: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
