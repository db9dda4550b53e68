#!/bin/sh
# A tiny supervised worker: records its pid, refuses to start without its config (when one is named),
# and writes a heartbeat every 200 ms (a hung worker stops writing it).
run=$1 name=$2 config=$3
if [ -n "$config" ] && [ ! -r "$config" ]; then
  echo "$name: cannot read $config" >&2
  exit 1
fi
echo $$ > "$run/$name.pid"
while :; do
  date +%s > "$run/$name.heartbeat"
  sleep 0.2
done
