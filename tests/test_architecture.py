"""The codebase's shape: imports go one way (pyproject.toml's import-linter contracts), no package reaches into
another's private names, modules stay small, tasks say what they read and write, and ruff finds nothing."""

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from adcraft.kernel.settings import PROJECT_DIR

BIN = Path(sys.executable).parent
PACKAGES = ("adcraft", "flows", "tasks", "models")
LONG_MODULE = 400


def sources(*packages: str) -> list[Path]:
    return sorted(p for package in packages for p in (PROJECT_DIR / package).rglob("*.py"))


def module_name(path: Path, root: Path = PROJECT_DIR) -> str:
    return ".".join(path.relative_to(root).with_suffix("").parts).removesuffix(".__init__")


def lint_imports(root: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(BIN / "lint-imports"), "--no-cache"], cwd=root, capture_output=True, text=True,
                          env={"PATH": str(BIN), "PYTHONPATH": str(root)})


def test_imports_keep_the_layers():
    result = lint_imports(PROJECT_DIR)
    assert result.returncode == 0, result.stdout + result.stderr


def test_an_upward_import_breaks_the_contract(tmp_path):
    """The contract can fail: the kernel importing a task is caught."""
    for package in PACKAGES:
        shutil.copytree(PROJECT_DIR / package, tmp_path / package, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(PROJECT_DIR / "pyproject.toml", tmp_path)
    db = tmp_path / "adcraft" / "kernel" / "db.py"
    db.write_text(db.read_text() + "\nimport tasks.score  # noqa\n")
    result = lint_imports(tmp_path)
    assert result.returncode != 0
    assert "adcraft.kernel.db -> tasks.score" in result.stdout


def private_imports(path: Path) -> list[str]:
    """`from other.package import _name` where the other package is not this module's own."""
    own = module_name(path).split(".")
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            theirs = node.module.split(".")
            same_package = theirs[:2] == own[:2] if own[0] == "adcraft" else theirs[0] == own[0]
            found += [f"{node.module}.{a.name}" for a in node.names if a.name.startswith("_") and not same_package]
    return found


def test_no_package_imports_another_s_private_names():
    offenders = {module_name(p): private_imports(p) for p in sources(*PACKAGES)}
    assert {m: names for m, names in offenders.items() if names} == {}


def test_long_modules_say_why_at_the_top():
    """A module over 400 lines explains its length in its docstring ("Long because ...")."""
    long = [p for p in sources(*PACKAGES, "tests", "bench") if len(p.read_text().splitlines()) > LONG_MODULE]
    unexplained = [str(p.relative_to(PROJECT_DIR)) for p in long if "Long because" not in (ast.get_docstring(
        ast.parse(p.read_text())) or "")]
    assert unexplained == []


def task_functions(path: Path):
    for node in ast.parse(path.read_text()).body:
        if isinstance(node, ast.FunctionDef) and any(
            (isinstance(d, ast.Call) and getattr(d.func, "id", "") == "task") for d in node.decorator_list
        ):
            yield node


@pytest.mark.parametrize("path", sources("tasks"), ids=lambda p: p.stem)
def test_every_stage_task_says_what_it_reads_and_writes(path):
    """A stage task's docstring names its tables; shard tasks (which touch no warehouse) say so instead."""
    for fn in task_functions(path):
        doc = ast.get_docstring(fn) or ""
        assert any(word in doc for word in ("Reads", "Writes", "no warehouse")), f"{path.name}: {fn.name}"


def test_flows_only_compose_tasks():
    """A flow body calls tasks and reads their results; it defines no helpers of its own beyond the flows."""
    for path in sources("flows"):
        tree = ast.parse(path.read_text())
        helpers = [n.name for n in tree.body if isinstance(n, ast.FunctionDef)
                   and not any("flow" in ast.unparse(d) for d in n.decorator_list)]
        assert helpers == [], f"{path.name} defines {helpers}"


def test_ruff_finds_nothing():
    result = subprocess.run([str(BIN / "ruff"), "check", "--no-cache", "."], cwd=PROJECT_DIR, capture_output=True,
                            text=True)
    assert result.returncode == 0, result.stdout
