#!/bin/sh
# The cluster runner's overhead on one machine (docs/benchmarks.md, "Cluster runner"): two `subspace worker` processes on
# loopback, then (1) COUNT trivial units (N = 4, d = 3) through the local runner and through the cluster: units per second;
# (2) the cost of single units at activation shapes, executed in one process (for the sweep estimate); (3) a small demo
# run locally and as a cluster client, timed, and its unit results compared byte for byte; (4, PARTS=split only) one large
# layer (N = 10,000, d = 4,096 and 16,384) whole, then split into parts (4 Gram row blocks, 8 blocks of codes) locally and on the cluster.
# Usage: [PARTS="trivial cost demo"] bench/cluster/run.sh OUT [COUNT=200]. Prints JSON lines (also in OUT/results.jsonl).
set -eu
cd "$(dirname "$0")/../.."
OUT=$1; COUNT=${2:-200}; PARTS=${PARTS:-trivial cost demo}
has() { case " $PARTS " in *" $1 "*) return 0;; esac; return 1; }
rm -rf "$OUT"; mkdir -p "$OUT/shared"
dotnet build -c Release src/MLNet.Subspace.Cli -v q -nologo >/dev/null
dotnet build -c Release bench/cluster/UnitBench -v q -nologo >/dev/null
CLI=src/MLNet.Subspace.Cli/bin/Release/net10.0/subspace.dll
BENCH=bench/cluster/UnitBench/bin/Release/net10.0/UnitBench.dll
cat > "$OUT/cluster.json" <<'JSON'
{ "Orleans": { "ClusterId": "bench", "ServiceId": "bench",
  "Clustering": { "ProviderType": "Development", "PrimarySiloEndPoint": "127.0.0.1:11111", "Gateways": [ "127.0.0.1:30000", "127.0.0.1:30001" ] } } }
JSON
ready() { until grep -q "ready" "$1"; do sleep 1; done; }
dotnet $CLI worker --cluster "$OUT/cluster.json" --shared "$OUT/shared" > "$OUT/worker1.log" 2>&1 & W1=$!
trap 'kill $W1 ${W2:-} 2>/dev/null || true' EXIT
ready "$OUT/worker1.log"
dotnet $CLI worker --cluster "$OUT/cluster.json" --shared "$OUT/shared" --silo-port 11112 --gateway-port 30001 > "$OUT/worker2.log" 2>&1 & W2=$!
ready "$OUT/worker2.log"
echo "load: $(cut -d' ' -f1-3 /proc/loadavg)"
has trivial && dotnet $BENCH trivial "$OUT/cluster.json" "$OUT/shared" "$COUNT" | tee -a "$OUT/results.jsonl"
has cost && for shape in "500 6272 omp" "1000 4096 omp" "1000 16384 omp" "1000 65536 omp" "2000 16384 omp" "1000 16384 admm"; do
  # shellcheck disable=SC2086
  dotnet $BENCH cost "$OUT/shared" $shape | tee -a "$OUT/results.jsonl"
done
has split && for d in 4096 16384; do dotnet $BENCH split "$OUT/cluster.json" "$OUT/shared" 10000 $d 8 | tee -a "$OUT/results.jsonl"; done
DEMO="demo --model smallcnn-2-8 --epochs 2 --fraction 0.02 --probes-per-class 50 --solver omp --seed 5"
has demo || exit 0
# Alternating, twice each, since the shared machine's load drifts.
for run in local-1 cluster-1 local-2 cluster-2; do
  extra=""; case $run in cluster*) extra="--cluster $OUT/cluster.json --shared $OUT/shared";; esac
  start=$(date +%s.%N)
  # shellcheck disable=SC2086
  dotnet $CLI $DEMO $extra --out "$OUT/shared/demo-$run" > "$OUT/demo-$run.log" 2>&1
  end=$(date +%s.%N)
  echo "{\"side\":\"demo-$run\",\"seconds\":$(echo "$end - $start" | bc),\"load\":\"$(cut -d' ' -f1 /proc/loadavg)\"}" | tee -a "$OUT/results.jsonl"
done
if diff -q -r "$OUT/shared/demo-local-1/units" "$OUT/shared/demo-cluster-1/units" --exclude='*.receipt.json' --exclude='units.csv' >/dev/null; then same=true; else same=false; fi
echo "{\"side\":\"demo-identical-unit-results\",\"identical\":$same,\"units\":$(find "$OUT/shared/demo-cluster-1/units" -name "*.graph" | wc -l)}" | tee -a "$OUT/results.jsonl"
grep -h "done by" "$OUT"/worker*.log | sed 's/.* done by \([^ ]*\) .*/\1/' | sort | uniq -c
