#!/usr/bin/env bash
# Try the deployment on this machine, loopback only: three replicas (python -m dashboard.serve)
# on one PostgreSQL store behind nginx with nginx-riskmap.conf (ports moved), then the load
# benchmark through nginx and a check that one browser's requests stay on one replica.
# Everything started here is stopped at exit.
#   deploy/try-loopback.sh postgresql://user@127.0.0.1:PORT/db [first port, default 8783]
set -euo pipefail
cd "$(dirname "$0")/.."
STORE=${1:?usage: deploy/try-loopback.sh postgresql://user@host:port/db [first-port]}
BASE=${2:-8783}
PROXY=$BASE
PORTS=($((BASE + 1)) $((BASE + 2)) $((BASE + 3)))
WORK=$(mktemp -d /tmp/riskmap-deploy.XXXXXX)
PIDS=()
cleanup() {
  [ -f "$WORK/nginx.pid" ] && kill "$(cat "$WORK/nginx.pid")" 2>/dev/null || true
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT
export RISKMAP_STORE=$STORE
for c in slv gtm hnd; do .venv/bin/python -m geodata build --quiet --country "$c"; done
for port in "${PORTS[@]}"; do
  .venv/bin/python -m dashboard.serve --server.port "$port" --server.address 127.0.0.1 \
    --server.headless true >"$WORK/replica-$port.log" 2>&1 &
  PIDS+=($!)
done
# the site config inside a minimal nginx.conf, ports moved, logs and temp files in $WORK
mkdir -p "$WORK/logs"
sed -e "s/listen 80;/listen 127.0.0.1:$PROXY;/" \
    -e "s/127.0.0.1:8501/127.0.0.1:${PORTS[0]}/" -e "s/127.0.0.1:8502/127.0.0.1:${PORTS[1]}/" \
    -e "s/127.0.0.1:8503/127.0.0.1:${PORTS[2]}/" deploy/nginx-riskmap.conf >"$WORK/site.conf"
cat >"$WORK/nginx.conf" <<CONF
worker_processes 1;
pid $WORK/nginx.pid;
error_log $WORK/logs/error.log;
events { worker_connections 1024; }
http {
    log_format upstream '\$upstream_addr \$riskmap_route \$request_uri';
    access_log $WORK/logs/access.log upstream;
    client_body_temp_path $WORK/body; proxy_temp_path $WORK/proxy;
    fastcgi_temp_path $WORK/fcgi; uwsgi_temp_path $WORK/uwsgi; scgi_temp_path $WORK/scgi;
    include $WORK/site.conf;
}
CONF
nginx -t -q -c "$WORK/nginx.conf" -p "$WORK"
nginx -c "$WORK/nginx.conf" -p "$WORK"
for port in "${PORTS[@]}"; do
  for _ in $(seq 1 300); do curl -sf "http://127.0.0.1:$port/_stcore/health" >/dev/null && break; sleep 1; done
  curl -sf "http://127.0.0.1:$port/_stcore/health" >/dev/null || { echo "replica $port did not start"; tail "$WORK/replica-$port.log"; exit 1; }
done
echo "replicas up: ${PORTS[*]}; nginx on $PROXY"
# sticky: the same cookie goes to the same replica, five times in a row
cookie=$(curl -s -D - -o /dev/null "http://127.0.0.1:$PROXY/" | tr -d '\r' | sed -n 's/^Set-Cookie: riskmap_route=\([^;]*\).*/\1/p')
for _ in 1 2 3 4 5; do curl -s -o /dev/null -b "riskmap_route=$cookie" "http://127.0.0.1:$PROXY/_stcore/health"; done
used=$(awk -v c="$cookie" '$2 == c {print $1}' "$WORK/logs/access.log" | sort -u)
echo "one cookie, $(echo "$used" | wc -l) replica(s): $used"
[ "$(echo "$used" | wc -l)" = 1 ] || { echo "not sticky"; exit 1; }
.venv/bin/python -m benchmarks load --url "http://127.0.0.1:$PROXY" "${@:3}"
