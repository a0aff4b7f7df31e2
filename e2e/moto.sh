#!/usr/bin/env bash
# Starts moto's server mode (an S3-compatible server from PyPI, pinned) on a
# free loopback port for the object storage tests, with a bucket
# `stint-test`; installs it first in a virtual environment under target/.
# Prints the server's address; its process id is in target/moto.pid and its
# log in target/moto.log.
set -euo pipefail
cd "$(dirname "$0")/.."
venv=target/moto-venv
if [ ! -x "$venv/bin/moto_server" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q --disable-pip-version-check 'moto[server]==5.2.5' >&2
fi
port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
"$venv/bin/moto_server" -H 127.0.0.1 -p "$port" > target/moto.log 2>&1 &
echo $! > target/moto.pid
for _ in $(seq 1 100); do
  if curl -sf -o /dev/null "http://127.0.0.1:$port/moto-api/"; then
    curl -sf -o /dev/null -X PUT "http://127.0.0.1:$port/stint-test"
    echo "http://127.0.0.1:$port"
    exit 0
  fi
  sleep 0.2
done
echo "moto did not start; see target/moto.log" >&2
exit 1
