#!/bin/sh
# Teardown hook: stops this folder's supervisord (shutdown, then SIGKILL if it does not go), then any
# worker it left behind (after a kill -9 of supervisord its children live on), and removes run/.
here=$(cd "$(dirname "$0")/.." && pwd)
run=$here/run
[ -d "$run" ] || exit 0
# A pid counts only while its command line names this folder (a recycled pid does not).
ours() { [ -r "/proc/$1/cmdline" ] && tr '\0' ' ' < "/proc/$1/cmdline" | grep -q -- "$here"; }
supervisord=$(cat "$run/supervisord.pid" 2>/dev/null || true)
supervisorctl -c "$here/supervisord.conf" shutdown >/dev/null 2>&1 || true
i=0
while [ -n "$supervisord" ] && [ -d "/proc/$supervisord" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
if [ -n "$supervisord" ] && [ -d "/proc/$supervisord" ] && ours "$supervisord"; then kill -9 "$supervisord"; fi
for file in "$run"/*.pid; do
  [ -f "$file" ] || continue
  pid=$(cat "$file")
  if [ -n "$pid" ] && ours "$pid"; then kill -CONT "$pid" 2>/dev/null; kill -9 "$pid" 2>/dev/null; fi
done
# The workers' heartbeat sleeps (0.2 s) end by themselves once their shell is gone.
sleep 0.3
rm -rf "$run"
