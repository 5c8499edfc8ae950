#!/usr/bin/env bash
# Soak: the gateway under a mixed load for a fixed time, its memory sampled throughout
# (issue 13 target 5: RSS <= 300 MB under the mixed load, flat over a 10-minute soak).
#
#   tools/soak/soak.sh DATABASE_URL [DURATION]      (run from the repository root; DURATION default 10m)
#
# DATABASE_URL names a loaded database (e.g. one `creditgraph import` filled); the soak only reads,
# but the server applies pending migrations and the feed's catch-up of the day on start.
# Env: PORT (18090), METRICS_PORT (18091), REDIS (redis://127.0.0.1:6379/11), OUT (a new temp dir).
# The deployed configuration: PostgreSQL, the response cache and the rate limits on Redis. Budgets are
# raised so that no request is refused (the load is the point, not the limiter's refusals).
#
# Seven loadgen clients run at once for DURATION, each its own query over values drawn from the
# database: PUBLIC profiles over 50,000 enterprises (mostly cache misses), PARTNER profiles over a
# hot set of 200 (cache hits), name search (2-, 3- and 4-character fragments of real names),
# statistics by city and year, repeat offenders by province, screening one code per call, and the
# change feed. The gateway's RSS, heap and goroutines are sampled every 10 s (from /proc and
# /metrics) into $OUT/rss.csv; the summary compares the first and last minute.
set -euo pipefail
DBURL=${1:?usage: tools/soak/soak.sh DATABASE_URL [DURATION]}
DUR=${2:-10m}
PORT=${PORT:-18090}
METRICS_PORT=${METRICS_PORT:-18091}
REDIS=${REDIS:-redis://127.0.0.1:6379/11}
OUT=${OUT:-$(mktemp -d)}
ROOT=$(git rev-parse --show-toplevel)
mkdir -p "$OUT"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT
say() { printf '== %s\n' "$*" >&2; }
q() { psql "$DBURL" -qAtX -v ON_ERROR_STOP=1 -c "$1"; }

say "building the server and loadgen into $OUT"
(cd "$ROOT" && go build -o "$OUT/creditgraph" ./server && go build -o "$OUT/loadgen" ./tools/loadgen)

say "values from the database"
q "select uscc from enterprises order by md5(uscc) limit 50000" > "$OUT/usccs.txt"
head -200 "$OUT/usccs.txt" > "$OUT/hot.txt"
# Fragments of real names: 2, 3 and 4 characters from the trade-name part (after the region).
q "select substr(n, 3 + (i % 3)::int, 2 + (i % 3)::int) from (select regexp_replace(name, '[^一-龥]', '', 'g') as n,
   row_number() over () as i from enterprises order by md5(uscc) limit 3000) n" | awk 'length($0) >= 2' > "$OUT/names.txt"
q "select distinct substr(region_code, 1, 4) from enterprises" > "$OUT/cities.txt"
q "select distinct substr(region_code, 1, 2) from enterprises" > "$OUT/provinces.txt"

KEY_NAME="soak-$$"
KEY=$(DATABASE_URL="$DBURL" "$OUT/creditgraph" keys create --tier PARTNER --name "$KEY_NAME" 2>/dev/null | grep -o 'cg_[A-Za-z0-9_-]*' | head -1)
[ -n "$KEY" ] || { say "could not create a PARTNER key"; exit 1; }

say "starting the gateway on 127.0.0.1:$PORT (metrics on :$METRICS_PORT)"
env DATABASE_URL="$DBURL" REDIS_URL="$REDIS" REDIS_KEY_PREFIX="soak$$:" LOG_LEVEL=warn \
  LISTEN_ADDR="127.0.0.1:$PORT" METRICS_ADDR="127.0.0.1:$METRICS_PORT" \
  RATE_LIMIT_PUBLIC=1000000000/1h RATE_LIMIT_PARTNER=1000000000/1h MAX_CONCURRENT_PER_KEY=0 \
  "$OUT/creditgraph" serve > "$OUT/server.log" 2>&1 &
GW=$!; pids+=("$GW")
for _ in $(seq 1 120); do curl -sf -o /dev/null "http://127.0.0.1:$PORT/healthz" && break; sleep 0.5; done
curl -sf -o /dev/null "http://127.0.0.1:$PORT/healthz" || { say "the gateway did not start"; tail "$OUT/server.log" >&2; exit 1; }

cat > "$OUT/search.graphql" <<'EOF'
query($q: String!) { searchEnterprises(query: $q, first: 10) { totalCount edges { score matchedName node { uscc name status } } } }
EOF
cat > "$OUT/statistics.graphql" <<'EOF'
query($r: String!) { statistics(filter: {regionCode: $r, from: "2025-01-01", to: "2025-12-31"}) {
  penalties { count totalFines byMonth { month count } byViolationType { key count } }
  seriousListings { count } abnormalListings { count byReasonCode { key count } } inspections { count nonCompliant } } }
EOF
cat > "$OUT/offenders.graphql" <<'EOF'
query($r: String!) { repeatOffenders(filter: {regionCode: $r}, first: 20) { totalCount edges { penaltyCount totalFines latestDecidedOn node { uscc name } } } }
EOF
cat > "$OUT/screening.graphql" <<'EOF'
query($u: ID!) { screenCounterparties(inputs: [{ref: "1", uscc: $u}]) { ref status riskCategory flags { code reason } enterprise { name status } } }
EOF
cat > "$OUT/changes.graphql" <<'EOF'
query { changes(first: 100) { edges { cursor node { at uscc recordType recordId kind } } pageInfo { hasNextPage endCursor } } }
EOF

URL="http://127.0.0.1:$PORT/graphql"
lg() { # name, then loadgen flags
  local name=$1; shift
  "$OUT/loadgen" -url "$URL" -name "$name" -d "$DUR" -timeout 30s "$@" > "$OUT/$name.txt" 2>&1 &
  pids+=($!); lgpids+=($!)
}
lgpids=()
say "mixed load for $DUR"
lg profile-public -c 3 -uscc-file "$OUT/usccs.txt" -seed 1
lg profile-hot -c 2 -auth "Bearer $KEY" -uscc-file "$OUT/hot.txt" -seed 2
lg search -c 2 -query-file "$OUT/search.graphql" -var q -uscc-file "$OUT/names.txt" -seed 3
lg statistics -c 1 -query-file "$OUT/statistics.graphql" -var r -uscc-file "$OUT/cities.txt" -seed 4
lg offenders -c 1 -query-file "$OUT/offenders.graphql" -var r -uscc-file "$OUT/provinces.txt" -seed 5
lg screening -c 1 -auth "Bearer $KEY" -query-file "$OUT/screening.graphql" -var u -uscc-file "$OUT/usccs.txt" -seed 6
lg changes -c 1 -auth "Bearer $KEY" -query-file "$OUT/changes.graphql" -var ''

metric() { curl -sf "http://127.0.0.1:$METRICS_PORT/metrics" | awk -v m="$1" '$1==m{print $2}'; }
# live_mib: the heap right after a collection the sample forces (pprof's heap?gc=1), i.e. what is
# really kept; heap_inuse_mib includes the garbage GOGC lets accumulate before the next collection.
live() { curl -sf "http://127.0.0.1:$METRICS_PORT/debug/pprof/heap?gc=1&debug=1" | awk '/^# HeapAlloc = /{printf "%.1f", $4/1048576}'; }
echo "elapsed_s,rss_mib,heap_inuse_mib,live_mib,goroutines" > "$OUT/rss.csv"
t0=$(date +%s)
while kill -0 "${lgpids[0]}" 2>/dev/null; do
  rss=$(awk '/^VmRSS/{printf "%.1f", $2/1024}' "/proc/$GW/status")
  heap=$(metric go_memstats_heap_inuse_bytes | awk '{printf "%.1f", $1/1048576}')
  gr=$(metric go_goroutines)
  lv=$(live || true)
  echo "$(( $(date +%s) - t0 )),$rss,${heap:-},${lv:-},${gr:-}" >> "$OUT/rss.csv"
  sleep 10
done
for p in "${lgpids[@]}"; do wait "$p" || true; done

say "loadgen reports"
for f in profile-public profile-hot search statistics offenders screening changes; do
  sed -n '2,3p' "$OUT/$f.txt"
done
DATABASE_URL="$DBURL" "$OUT/creditgraph" keys revoke "$KEY_NAME" > /dev/null 2>&1 || true
python3 - "$OUT/rss.csv" <<'EOF'
import csv, statistics, sys
rows = [r for r in csv.DictReader(open(sys.argv[1])) if r["rss_mib"]]
rss = [float(r["rss_mib"]) for r in rows]
t = [int(r["elapsed_s"]) for r in rows]
first = [x for x, s in zip(rss, t) if s < 60]
last = [x for x, s in zip(rss, t) if s >= t[-1] - 60]
print(f"samples={len(rss)} over {t[-1]} s; RSS MiB: min {min(rss):.1f}, max {max(rss):.1f}; "
      f"median of the first minute {statistics.median(first):.1f}, of the last minute {statistics.median(last):.1f}")
lv = [float(r["live_mib"]) for r in rows if r["live_mib"]]
if lv:
    lf = [x for x, r in zip(lv, rows) if int(r["elapsed_s"]) < 60]
    ll = [x for x, r in zip(lv, rows) if int(r["elapsed_s"]) >= t[-1] - 60]
    print(f"live heap after a forced GC, MiB: max {max(lv):.1f}; median of the first minute "
          f"{statistics.median(lf or lv):.1f}, of the last minute {statistics.median(ll or lv):.1f}")
gr = [int(float(r["goroutines"])) for r in rows if r["goroutines"]]
if gr:
    print(f"goroutines: first {gr[0]}, last {gr[-1]}, max {max(gr)}")
EOF
say "samples in $OUT/rss.csv, server log in $OUT/server.log"
