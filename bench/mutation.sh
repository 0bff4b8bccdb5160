#!/usr/bin/env bash
# Mutation testing of xlsozial/core with mutmut (configured in pyproject.toml, [tool.mutmut]).
# Not a CI step: it runs the core tests once per mutant. Prints the score at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
.venv/bin/pip install -q 'mutmut==3.8.1'
rm -rf mutants
.venv/bin/mutmut run --max-children "${JOBS:-2}" || true
.venv/bin/mutmut results --all true > mutants/results.txt || true
.venv/bin/python - <<'PY'
import re
from collections import Counter
text = open("mutants/results.txt", encoding="utf-8").read()
status = Counter(m.group(1) for m in re.finditer(r":\s*(\w[\w ]*)$", text, re.M))
killed = status.get("killed", 0) + status.get("timeout", 0)
total = sum(status.values()) - status.get("skipped", 0)
print(dict(status))
print(f"Mutation score xlsozial/core: {killed}/{total} = {100 * killed / max(total, 1):.1f} %")
PY
