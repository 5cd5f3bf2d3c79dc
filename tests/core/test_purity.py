"""The domain stands alone: importing it loads no web, PDF or database library, and nothing reads shared/."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_importing_core_loads_no_web_pdf_or_database_library() -> None:
    probe = (
        "import sys, assess.core, assess.core.compare;"
        "banned = {'flask', 'wtforms', 'weasyprint', 'sqlalchemy', 'flask_wtf', 'flask_sqlalchemy'};"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in banned);"
        "print(','.join(bad))"
    )
    out = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_nothing_in_the_project_reads_the_shared_folder() -> None:
    needles = (".." + "/shared", "/work/" + "shared")  # spelled apart so this file does not match itself
    offenders = []
    for path in [
        ROOT / "app.py",
        *ROOT.glob("assess/**/*.py"),
        *ROOT.glob("assess/**/*.yaml"),
        *ROOT.glob("tests/**/*.py"),
    ]:
        text = path.read_text(encoding="utf-8")
        if any(needle in text for needle in needles):
            offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []
