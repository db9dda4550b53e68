#!/bin/sh
# A worker whose n-th crash is followed by n starts that fail before startsecs, so supervisord's
# growing back-off (1 s, 2 s, 3 s …) is what the n-th recovery waits for.
run=$1
if [ -f "$run/backoff.up" ]; then
  if [ ! -f "$run/backoff.left" ]; then
    crashes=$(( $(cat "$run/backoff.crashes" 2>/dev/null || echo 0) + 1 ))
    echo $crashes > "$run/backoff.crashes"
    echo $crashes > "$run/backoff.left"
  fi
  left=$(cat "$run/backoff.left")
  if [ "$left" -gt 0 ]; then
    echo $((left - 1)) > "$run/backoff.left"
    echo "backoff: failing this start ($left left)" >&2
    exit 1
  fi
  rm -f "$run/backoff.left"
fi
touch "$run/backoff.up"
exec /bin/sh "$(dirname "$0")/worker.sh" "$run" backoff
