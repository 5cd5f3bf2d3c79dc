"""pip-audit of the pinned locks that says what it did not check.

pip-audit reads each package's known vulnerabilities from PyPI's JSON API. Where that cannot be reached (a package
index that serves only the simple API, no network), it skips every package and still reports "No known
vulnerabilities found" with exit status 0. This runs it with a JSON report and judges the report itself:

- exit 0 and "pip-audit: N packages checked, no known vulnerabilities" only when every package was checked;
- exit 1, listing each vulnerability and its fixed versions, when any is known;
- exit 3 and "not checked: no vulnerability data reachable" (or which packages could not be checked) otherwise:
  not a pass.

`PIP_AUDIT` names the pip-audit to run (the tests point it at a stand-in).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCKS = ("requirements.txt", "requirements-dev.txt")
NOT_CHECKED = 3


def main() -> int:
    command = [os.environ.get("PIP_AUDIT", str(ROOT / ".venv" / "bin" / "pip-audit"))]
    command += ["--progress-spinner", "off", "--format", "json"]
    for lock in LOCKS:
        command += ["-r", str(ROOT / lock)]
    run = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603  # nosec B603
    try:
        dependencies = json.loads(run.stdout)["dependencies"]
    except (ValueError, KeyError, TypeError):
        sys.stderr.write(run.stderr)
        print("not checked: no vulnerability data reachable (pip-audit wrote no report)")
        return NOT_CHECKED
    vulnerable = [d for d in dependencies if d.get("vulns")]
    skipped = [d for d in dependencies if "skip_reason" in d]
    for dependency in vulnerable:
        for vulnerability in dependency["vulns"]:
            fixed = ", ".join(vulnerability.get("fix_versions") or []) or "no fixed release yet"
            print(f"{dependency['name']} {dependency['version']}: {vulnerability['id']} (fixed in {fixed})")
    if vulnerable:
        print(f"pip-audit: FAILED, known vulnerabilities in {len(vulnerable)} of {len(dependencies)} packages")
        return 1
    if skipped and len(skipped) == len(dependencies):
        print(f"not checked: no vulnerability data reachable (for any of the {len(dependencies)} packages)")
        return NOT_CHECKED
    if skipped:
        names = ", ".join(sorted(d["name"] for d in skipped))
        counted = f"{len(skipped)} of {len(dependencies)} packages"
        print(f"not checked: no vulnerability data reachable for {counted}: {names}")
        return NOT_CHECKED
    print(f"pip-audit: {len(dependencies)} packages checked, no known vulnerabilities")
    return 0


if __name__ == "__main__":
    sys.exit(main())
