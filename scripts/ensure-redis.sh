#!/usr/bin/env bash
# Installs Debian's redis-server when it is not on the PATH. The tests and `npm start` run their
# own private server from this binary on a unix socket. On a machine with systemd, apt also
# enables and starts the package's own service on 127.0.0.1:6379; nothing here uses it.
set -euo pipefail

if command -v redis-server >/dev/null 2>&1; then
  exit 0
fi

echo "redis-server not found on the PATH; installing it with apt-get" >&2

if [ "$(id -u)" -eq 0 ]; then
  apt_get=(apt-get)
elif command -v sudo >/dev/null 2>&1; then
  apt_get=(sudo apt-get)
else
  echo "redis-server is missing and this user cannot run apt-get: install the redis-server package, then retry" >&2
  exit 1
fi

export DEBIAN_FRONTEND=noninteractive
"${apt_get[@]}" update -qq
"${apt_get[@]}" install -y -qq --no-install-recommends redis-server >/dev/null

command -v redis-server >/dev/null 2>&1 || {
  echo "apt-get finished but redis-server is still not on the PATH" >&2
  exit 1
}
