#!/usr/bin/env bash
# The block-structure table of docs/findings.md, recomputed from finished run folders by 'subspace blocks' (the maths is
# the library's BlockSegmentation; python only prints the CSV it writes as Markdown).
# Usage: bench/findings/blocks.sh OUT [CLI] [RUN_FOLDER ...]
#   OUT: where block_table.csv and block_counts.csv go (OUT/blocks); without RUN_FOLDERs, every folder under OUT with an
#   ssc_cka.csv is used. CLI defaults to the Release build.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=${1:?usage: blocks.sh OUT [CLI] [RUN_FOLDER ...]}
cli=${2:-}
shift $(( $# >= 2 ? 2 : 1 ))
if [ -z "$cli" ]; then
  dotnet build "$here/../../src/MLNet.Subspace.Cli" -c Release -nologo -v:q >/dev/null
  cli="dotnet $here/../../src/MLNet.Subspace.Cli/bin/Release/net10.0/subspace.dll"
fi
folders=("$@")
if [ ${#folders[@]} -eq 0 ]; then
  while IFS= read -r f; do folders+=("$(dirname "$f")"); done < <(find "$out" -mindepth 2 -maxdepth 2 -name ssc_cka.csv | sort)
fi
runs=()
for f in "${folders[@]}"; do runs+=(--run "$(basename "$f")=$f"); done
$cli blocks --out "$out/blocks" "${runs[@]}" >/dev/null
/usr/bin/python3 - "$out/blocks" <<'PY'
import csv, os, sys
folder = sys.argv[1]
rows = list(csv.DictReader(open(os.path.join(folder, "block_table.csv"), newline="")))
num = lambda v: "-" if v in ("", "NaN") else f"{float(v):.3f}"
print("| run | layers | blocks (first layers) | gap rule's K | largest gap: K (first layers) | layer-name groups start at | score | p-value | mean SSC-CKA within / between |")
print("|---|---|---|---|---|---|---|---|---|")
for r in rows:
    print(f'| {r["run"]} | {r["layers"]} | {r["blocks"]}: {r["starts"]} | {r["gap_blocks"]} | {r["max_gap_blocks"]}: {r["max_gap_starts"]} | {r["name_group_starts"]} | {num(r["score"])} | '
          f'{num(r["p_value"])} | {num(r["within_mean"])} / {num(r["between_mean"])} |')
print("\nPer number of blocks K (block_counts.csv): score R(K), null mean, gap, p-value of K alone, first layers")
counts = list(csv.DictReader(open(os.path.join(folder, "block_counts.csv"), newline="")))
for run in dict.fromkeys(c["run"] for c in counts):
    print(f"\n{run}: " + "; ".join(f'K={c["blocks"]}{"*" if c["chosen"] == "True" else ""} R={num(c["score"])} null={num(c["null_mean"])} gap={num(c["gap"])} p={num(c["p_value"])} [{c["starts"]}]'
                                  for c in counts if c["run"] == run))
PY
