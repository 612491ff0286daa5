#!/usr/bin/env python3
"""Markdown table of bench/ssc/run.sh results: python3 bench/ssc/summarize.py /tmp/ssc-bench/results.jsonl"""
import json, sys

rows = [json.loads(l) for l in open(sys.argv[1] if len(sys.argv) > 1 else "/tmp/ssc-bench/results.jsonl") if l.strip()]
print("| run | who | N | method | solve s | spectral s | iterations | nnz/col | accuracy | NMI | ARI | sp_error | load |")
print("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
for i, r in enumerate(rows):
    x = r["result"]
    solve = x.get("seconds", x.get("solve_s"))
    spec = x.get("spectral_seconds", x.get("spectral_s"))
    print(f"| {i + 1} | {r['who']} | {x['n']} | {x['method']} | {solve:.2f} | {spec:.2f} | {x['iterations']} | {x['nnz_per_column']:.2f} | "
          f"{x.get('accuracy', float('nan')):.4f} | {x.get('nmi', float('nan')):.4f} | {x.get('ari', float('nan')):.4f} | {x.get('sp_error', float('nan')):.4f} | {r['load']} |")
