#!/usr/bin/env bash
# Lints the protos with buf and checks that a generic gRPC client (buf curl)
# lists our services through reflection and calls one without our protos.
# Exits 77 (ctest: skipped) when buf is not installed; scripts/dev test
# installs it from npm when it can.
# Usage: buf_check.sh SOURCE_DIR SERVER_BINARY
set -euo pipefail
src="$1"
server_bin="$2"
buf="${PORTFOLIO_BUF:-$src/.dev/tools/node_modules/.bin/buf}"
[ -x "$buf" ] || buf="$(command -v buf || true)"
if [ -z "$buf" ]; then
  echo "buf not found: skipping (npm install @bufbuild/buf)"
  exit 77
fi

work="$(mktemp -d)"
trap 'kill "${SRV_PID:-0}" 2>/dev/null || true; rm -rf "$work"' EXIT

# 1. Lint: our protos against the Debian-packaged Google protos they import.
protoc -I"$src/proto" -I/usr/share/gocode/src/github.com/gogo/googleapis \
  --include_imports --include_source_info -o "$work/image.binpb" \
  "$src"/proto/portfolio/v1/*.proto
"$buf" lint "$work/image.binpb" --path portfolio/v1 --config "$src/proto/buf.yaml"
echo "buf lint: ok"

# 2. A generic client against a real server on a free port. The server
# prints its port on its first stdout line; read blocks until it does.
coproc SRV { exec "$server_bin" --data-dir "$work/data" --listen 127.0.0.1:0; }
SRV_PID=$SRV_PID
read -r line <&"${SRV[0]}"
port="$(sed -E 's/.*:([0-9]+) \(database.*/\1/' <<<"$line")"
services="$("$buf" curl --protocol grpc --http2-prior-knowledge --list-services \
  "http://127.0.0.1:$port")"
echo "$services"
for s in portfolio.v1.ProjectService portfolio.v1.InvestmentService \
  portfolio.v1.IndicatorService portfolio.v1.PortfolioService \
  portfolio.v1.AdminService grpc.health.v1.Health; do
  grep -qx "$s" <<<"$services" || { echo "missing service $s"; exit 1; }
done
token="$(cat "$work/data/admin.token")"
summary="$("$buf" curl --protocol grpc --http2-prior-knowledge \
  -H "authorization: Bearer $token" -d '{"name":"portfolios/2024"}' \
  "http://127.0.0.1:$port/portfolio.v1.PortfolioService/GetPortfolio")"
echo "$summary"
grep -q '"investmentTarget": "11000000000"' <<<"$summary"
echo "buf curl: ok"
