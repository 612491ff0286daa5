#!/bin/sh
# ML.NET's OnnxTransformer (one session Run per row, batch forced to 1) against OnnxActivationSource (one Run per batch)
# on ResNet18.onnx from the Microsoft.ML.DnnImageFeaturizer.ResNet18 package, in the same process, alternating.
# Prints the JSON lines and the median ms per image of each side. Usage: bench/onnx/run.sh [IMAGES=32] [REPEATS=3]
set -eu
cd "$(dirname "$0")/../.."
IMAGES=${1:-32}; REPEATS=${2:-3}
dotnet build -c Release bench/onnx/OnnxTransformerComparison -v q -nologo >/dev/null
OUT=$(mktemp)
dotnet bench/onnx/OnnxTransformerComparison/bin/Release/net10.0/OnnxTransformerComparison.dll "$IMAGES" "$REPEATS" | tee "$OUT"
/usr/bin/python3 - "$OUT" <<'PY'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.startswith("{")]
med = {s: statistics.median(x["ms_per_image"] for x in rows if x["side"] == s) for s in sorted({x["side"] for x in rows})}
for s, v in med.items():
    print(f"{s:24s} median {v:7.1f} ms per image")
print(f"OnnxTransformer / source (final output only): {med['mlnet-onnxtransformer'] / med['onnx-source-final']:.2f}")
PY
