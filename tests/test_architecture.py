"""The layer rules, checked by reading every import (``ast``), and the DAG file's light parse.

Layers, lowest first (README, "Architecture"):

- ``crosspost.common``: what every stage shares; imports no stage.
- ``crawler`` and ``extract``: the first two stages; they import only ``crosspost.common``.
- ``crosspost.lake``: the store, its layout and tables; imports no stage.
- ``crosspost.dedupe``: the third stage; imports neither ``crawler`` nor ``extract``.
- ``crosspost.report``: the HTML provenance report; reads the lake, imports no stage.
- ``crosspost.pipeline``, ``crosspost.orchestration``, ``crosspost.cli`` and ``dags``: the only
  code that composes stages.

``crosspost`` itself (the version) and ``crosspost.exceptions`` are the base every layer may use.
"""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
BASE = {"crosspost", "crosspost.exceptions"}
# layer -> the layers it may import (besides itself and BASE)
ALLOWED = {
    "crosspost.common": set(),
    "crawler": {"crosspost.common"},
    "extract": {"crosspost.common"},
    "crosspost.lake": {"crosspost.common"},
    "crosspost.dedupe": {"crosspost.common", "crosspost.lake"},
    "crosspost.report": {"crosspost.common", "crosspost.lake"},
    "crosspost.pipeline": {"crosspost.common", "crosspost.lake", "crosspost.dedupe", "crosspost.report", "crawler",
                           "extract"},
    "crosspost.orchestration": {"crosspost.common", "crosspost.lake", "crosspost.pipeline", "crawler"},
    "crosspost.cli": {"crosspost.common", "crosspost.lake", "crosspost.pipeline", "crosspost.report", "crawler",
                      "extract"},
    "dags": {"crosspost.common", "crosspost.lake", "crosspost.pipeline", "crosspost.orchestration"},
}
OURS = ("crosspost", "crawler", "extract", "dags")
HEAVY = ("pyarrow", "trafilatura", "scrapy")


def layer_of(module: str) -> str | None:
    """The layer a dotted module name belongs to (the longest matching prefix), BASE or None."""
    if module in BASE:
        return module
    found = [name for name in ALLOWED if module == name or module.startswith(name + ".")]
    return max(found, key=len) if found else None


def module_name(path: Path) -> str:
    parts = list(path.relative_to(REPO).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_modules(path: Path) -> list[tuple[int, str]]:
    """Every module ``path`` imports (at the top or inside functions), with its line."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    package = module_name(path).rsplit(".", 0 if path.name == "__init__.py" else 1)[0]
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: resolve against the importing package
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            # `from crosspost.lake import layout` imports crosspost.lake.layout
            found += [(node.lineno, f"{base}.{alias.name}" if layer_of(f"{base}.{alias.name}") else base)
                      for alias in node.names]
    return found


def product_files() -> list[Path]:
    return sorted(p for top in OURS for p in (REPO / top).rglob("*.py"))


def violations() -> list[str]:
    out = []
    for path in product_files():
        layer = layer_of(module_name(path))
        if layer is None or layer in BASE:
            continue
        allowed = ALLOWED[layer] | {layer} | BASE
        for line, target in imported_modules(path):
            target_layer = layer_of(target)
            if target.split(".")[0] in OURS and target_layer not in allowed:
                out.append(f"{path.relative_to(REPO)}:{line}: {layer} imports {target} ({target_layer})")
    return out


def test_every_product_module_belongs_to_a_layer():
    lost = [str(p.relative_to(REPO)) for p in product_files() if layer_of(module_name(p)) is None]
    assert lost == []


def test_layers_import_only_what_their_rule_allows():
    assert violations() == []


def test_the_checker_sees_a_violation():
    bad = REPO / "crosspost" / "common" / "_probe_for_test.py"
    bad.write_text("def f():\n    from crosspost.pipeline import stages\n", encoding="utf-8")
    try:
        assert any("_probe_for_test.py:2: crosspost.common imports crosspost.pipeline.stages" in v
                   for v in violations())
    finally:
        bad.unlink()


@pytest.mark.parametrize("path, expected", [
    ("crosspost/lake/rows.py", "crosspost.lake.rows"), ("crosspost/common/__init__.py", "crosspost.common")])
def test_module_name(path, expected):
    assert module_name(REPO / path) == expected


def test_parsing_the_dag_file_loads_no_heavy_library(tmp_path):
    dag_file = str(REPO / "dags" / "crosspost_nightly.py")
    code = (
        "import importlib.util, json, sys\n"
        f"spec = importlib.util.spec_from_file_location('crosspost_nightly', {dag_file!r})\n"
        "spec.loader.exec_module(importlib.util.module_from_spec(spec))\n"
        f"print(json.dumps(sorted({{m.split('.')[0] for m in sys.modules}} & {set(HEAVY)!r})))\n"
    )
    env = {**os.environ, "CROSSPOST_STORE": str(tmp_path / "lake")}  # asset URIs are made at parse time
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300, cwd=REPO,
                            env=env)
    assert result.returncode == 0, result.stderr[-2000:]
    assert json.loads(result.stdout.strip().splitlines()[-1]) == []


def test_importing_extract_does_not_load_trafilatura():
    code = "import sys, extract\nprint('trafilatura' in sys.modules, callable(extract.extract_page))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd=REPO)
    assert result.stdout.split() == ["False", "True"], result.stderr[-2000:]
