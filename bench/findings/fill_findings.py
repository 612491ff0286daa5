#!/usr/bin/python3
"""Writes summarize.py's tables into docs/findings.md's placeholders (MODULARITY_TABLE, SETTLING_TABLE, BLOCKS_TABLE,
EPOCHS_TABLE, AGREEMENT_TABLE, MACHINE_TIME), so the document's tables are exactly the script's output.

Usage: /usr/bin/python3 bench/findings/fill_findings.py runs/findings-full docs/findings.md > filled.md
"""
import subprocess
import sys

out, template = sys.argv[1], sys.argv[2]
here = __file__.rsplit("/", 1)[0]
text = subprocess.run(["/usr/bin/python3", f"{here}/summarize.py", out], check=True, capture_output=True, text=True).stdout


def table_after(heading):
    """The first Markdown table after the line starting with HEADING."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(heading))
    first = next(i for i in range(start + 1, len(lines)) if lines[i].startswith("|"))
    last = next((i for i in range(first, len(lines)) if not lines[i].startswith("|")), len(lines))
    return "\n".join(lines[first:last])


doc = open(template).read()
for key, heading in [("MODULARITY_TABLE", "## Modularity"), ("SETTLING_TABLE", "## Settling"), ("BLOCKS_TABLE", "## Block structure"),
                     ("EPOCHS_TABLE", "### Blocks per epoch: resnet18-16-e30 "), ("AGREEMENT_TABLE", "## SSC prediction"),
                     ("MACHINE_TIME", "## Machine time")]:
    doc = doc.replace(key, table_after(heading))
sys.stdout.write(doc)
