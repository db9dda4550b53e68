#!/bin/sh
# Setup hook: a fresh run/ and a supervisord of this folder's own (its socket in run/), then waits
# until every program is RUNNING.
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
run=$here/run
if [ -S "$run/supervisor.sock" ] && supervisorctl -c "$here/supervisord.conf" pid >/dev/null 2>&1; then
  echo "a supervisord of this pack is already running; stop it with $here/bin/stop.sh" >&2
  exit 1
fi
rm -rf "$run"
mkdir -p "$run"
echo "ready" > "$run/flaky.conf"
supervisord -c "$here/supervisord.conf"
i=0
while [ $i -lt 150 ]; do
  status=$(supervisorctl -c "$here/supervisord.conf" status 2>/dev/null || true)
  if [ -n "$status" ] && ! echo "$status" | grep -qv RUNNING; then
    echo "$status"
    exit 0
  fi
  sleep 0.1
  i=$((i + 1))
done
echo "supervisord did not bring every program to RUNNING within 15 s:" >&2
supervisorctl -c "$here/supervisord.conf" status >&2 || true
exit 1
