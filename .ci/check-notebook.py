"""Checks an executed notebook: no error output, no Go compile failure, at least one image.

Usage: check-notebook.py EXECUTED.ipynb. Exits 1 with a message naming the cell on failure.
"""
import json
import sys

path = sys.argv[1]
with open(path) as f:
    notebook = json.load(f)

images = 0
failures = []
for index, cell in enumerate(notebook["cells"]):
    if cell["cell_type"] != "code":
        continue
    for output in cell.get("outputs", []):
        kind = output.get("output_type")
        if kind == "error":
            failures.append(f"cell {index}: {output.get('ename')}: {output.get('evalue')}")
        if kind == "stream" and output.get("name") == "stderr":
            text = "".join(output.get("text", []))
            if "panic:" in text or "exit status" in text or "Error:" in text:
                failures.append(f"cell {index}: stderr reports a failure: {text[:400]}")
        data = output.get("data", {})
        if any(key.startswith("image/") for key in data) or "<img" in "".join(data.get("text/html", [])):
            images += 1

if failures:
    print(f"{path}: " + "\n".join(failures), file=sys.stderr)
    sys.exit(1)
if images == 0:
    print(f"{path}: no cell displayed an image; every notebook must show its plots", file=sys.stderr)
    sys.exit(1)
print(f"   {images} images, no errors")
