"""Import hygiene: the layer contracts, and at run time that the core never loads Textual nor heavy libraries unused.

Each case runs in a fresh interpreter. A guard on ``sys.meta_path`` names the zzperf module whose import
first pulled a forbidden library in, so a failure says where to look.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import zzperf
from tests.conftest import DEMO, REPO
from tests.seed_2018 import SEED_TEXT

PACKAGE = Path(zzperf.__file__).parent
HEADLESS = sorted(
    ".".join(("zzperf", *path.relative_to(PACKAGE).with_suffix("").parts)).removesuffix(".__init__")
    for path in PACKAGE.rglob("*.py")
    if path.relative_to(PACKAGE).parts[0] not in ("tui", "__main__.py")
)
"""Every module outside the TUI, found in the package folder, so a new module is covered the day it lands."""

GUARD = """
import sys, traceback
FORBIDDEN = set(sys.argv[1].split(","))
LOADED = []
class Guard:
    def find_spec(self, name, path=None, target=None):
        top = name.partition(".")[0]
        if top in FORBIDDEN and top not in sys.modules:
            importers = [f.f_globals.get("__name__", "?") for f, _ in traceback.walk_stack(None)]
            first = next((m for m in importers if m.startswith("zzperf")), "?")
            LOADED.append(f"{top}（由 {first} 导入）")
        return None
sys.meta_path.insert(0, Guard())
"""


def loads(code: str, forbidden: tuple[str, ...], cwd: Path = REPO) -> list[str]:
    """Which of ``forbidden`` the snippet loads, each with the zzperf module that imported it."""
    script = GUARD + code + "\nfor line in LOADED:\n    print('LOADED', line)\n"
    result = subprocess.run(
        [sys.executable, "-c", script, ",".join(forbidden)], cwd=cwd, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    return [line.removeprefix("LOADED ") for line in result.stdout.splitlines() if line.startswith("LOADED ")]


HEAVY = ("docxtpl", "docx", "openpyxl", "pdfplumber", "pypdfium2")


def test_the_module_list_is_the_package() -> None:
    assert {"zzperf.cli", "zzperf.scoring", "zzperf.checks", "zzperf.importing"} <= set(HEADLESS)
    assert not any(name.startswith("zzperf.tui") for name in HEADLESS)


@pytest.mark.parametrize("library", ["textual", *HEAVY])
def test_importing_the_headless_modules_loads_no_ui_and_no_document_library(library: str) -> None:
    """Textual only in ``zzperf.tui``; Word, Excel and PDF libraries only inside the functions that use them."""
    code = "import importlib\nfor name in " + repr(HEADLESS) + ":\n    importlib.import_module(name)\n"
    assert loads(code, (library,)) == []


@pytest.mark.parametrize("command", ["check", "score"])
def test_zzperf_check_and_score_run_without_textual_templates_or_toml_writers(tmp_path: Path, command: str) -> None:
    """What a cold ``zzperf check`` or ``score`` pays for: no UI, no report templates, no writers of TOML, and one
    TOML reader (tomli, not the slower standard tomllib too)."""
    shutil.copytree(DEMO, tmp_path / "ws", ignore=shutil.ignore_patterns("__pycache__"))
    code = f"from zzperf.cli import main\nmain([{command!r}, 'ws'])\n"
    assert loads(code, ("textual", "jinja2", "tomlkit", "tomli_w", "tomllib", *HEAVY), cwd=tmp_path) == []


COLD_UNUSED = (
    "zzperf.tui",
    "zzperf.importing",
    "zzperf.report",
    "zzperf.narrative",
    "zzperf.editing",
    "zzperf.compare",
)
"""zzperf packages neither ``check`` nor ``score`` of one workspace uses."""


@pytest.mark.parametrize(
    ("command", "unused"), [("check", ("zzperf.indicators", "zzperf.scoring")), ("score", ("zzperf.checks",))]
)
def test_zzperf_check_and_score_load_only_their_own_part_of_zzperf(
    tmp_path: Path, command: str, unused: tuple[str, ...]
) -> None:
    """``check`` reads figures without the indicator set, ``score`` scores without the 勾稽 rules; neither loads the
    importer, the reports, the editing layer or the app, nor rich's tables (zzperf draws its own) and emoji codes,
    nor the workspace's lock and disk watch (only writes and the app need them), nor ``importlib.metadata`` for
    pydantic's plugin loader (plugins are off).
    Field docstrings are parsed only where they are printed: the figures' labels in ``zzperf.accounts``."""
    shutil.copytree(DEMO, tmp_path / "ws", ignore=shutil.ignore_patterns("__pycache__"))
    code = (
        "import contextlib, io\nfrom zzperf.cli import main\nfrom zzperf.field_docs import attribute_docstrings\n"
        f"with contextlib.redirect_stdout(io.StringIO()):\n    main([{command!r}, 'ws'])\n"
        "loaded = sorted(m for m in sys.modules for unused in "
        f"{COLD_UNUSED + unused!r} if m == unused or m.startswith(unused + '.'))\n"
        "assert not loaded, loaded\n"
        "later = sorted({'rich.table', 'rich._emoji_codes', 'zzperf.workspace.lock', 'zzperf.workspace.watch', 'json',"
        " 'importlib.metadata'} & set(sys.modules))\n"
        "assert not later, later\n"
        "parsed = attribute_docstrings.cache_info().currsize\n"
        "assert parsed == 1, f'{parsed} modules parsed for field docstrings'\n"
    )
    assert loads(code, ("textual", "jinja2", "tomlkit", "tomli_w", *HEAVY), cwd=tmp_path) == []


def test_plugins_switched_on_by_the_user_are_still_looked_for(tmp_path: Path) -> None:
    """A PYDANTIC_DISABLE_PLUGINS of the user's own (a plugin's name) is kept, and pydantic's real loader then looks
    for the other plugins: the stand-in for the loader is only there while every plugin is off."""
    shutil.copytree(DEMO, tmp_path / "ws", ignore=shutil.ignore_patterns("__pycache__"))
    code = (
        "import contextlib, io, os\nos.environ['PYDANTIC_DISABLE_PLUGINS'] = 'logfire'\nfrom zzperf.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n    assert main(['score', 'ws']) == 0\n"
        "import pydantic.plugin._loader as loader\n"
        "assert loader.get_plugins.__module__ == 'pydantic.plugin._loader', loader.get_plugins.__module__\n"
        "assert 'importlib.metadata' in sys.modules\n"
    )
    assert loads(code, (), cwd=tmp_path) == []


def test_the_plugin_loader_stand_in_hands_over_to_the_real_loader() -> None:
    """Plugins off: the stand-in says there are none, as the loader would. Asked for a name it does not have (a later
    pydantic's), or asked for plugins once the switch is on again, it imports the real loader, which answers."""
    code = (
        "import os\nos.environ['PYDANTIC_DISABLE_PLUGINS'] = '__all__'\nimport zzperf.cli\n"
        "zzperf.cli._skip_plugin_loader()\n"
        "from pydantic.plugin._loader import get_plugins\nassert tuple(get_plugins()) == ()\n"
        "assert 'importlib.metadata' not in sys.modules\n"
        "from pydantic.plugin._loader import PYDANTIC_ENTRY_POINT_GROUP as group\nassert group == 'pydantic'\n"
        "assert 'importlib.metadata' in sys.modules\n"
        "import pydantic.plugin._loader as real\nassert real.get_plugins.__module__ == 'pydantic.plugin._loader'\n"
        "del os.environ['PYDANTIC_DISABLE_PLUGINS']\nassert list(get_plugins()) == list(real.get_plugins())\n"
    )
    assert loads(code, ()) == []


@pytest.mark.parametrize("command", ["check", "score"])
def test_a_command_on_one_workspace_pays_for_few_garbage_collections(tmp_path: Path, command: str) -> None:
    """At Python's default thresholds ``score`` starts about 80 collections while it imports pydantic and builds its
    models, all but useless; with the command's thresholds a few at most. Afterwards the caller's are back."""
    shutil.copytree(DEMO, tmp_path / "ws", ignore=shutil.ignore_patterns("__pycache__"))
    code = (
        "import contextlib, gc, io\nfrom zzperf.cli import main\n"
        "before = gc.get_threshold()\nstarted = []\n"
        "gc.callbacks.append(lambda phase, info: phase == 'start' and started.append(info['generation']))\n"
        f"with contextlib.redirect_stdout(io.StringIO()):\n    main([{command!r}, 'ws'])\n"
        "assert len(started) <= 3, f'{len(started)} collections'\n"
        "assert gc.get_threshold() == before, gc.get_threshold()\n"
    )
    assert loads(code, (), cwd=tmp_path) == []


def test_the_app_loads_no_templates_importer_or_markdown_viewer_until_they_are_used() -> None:
    """``zzperf open`` imports the app: the report package (Jinja2), the importer and the Markdown viewer load later."""
    late = ("zzperf.report", "zzperf.importing", "zzperf.narrative", "zzperf.output.compare")
    code = "import zzperf.tui.app\n"
    code += f"loaded = [name for name in {late!r} if name in sys.modules]\nassert not loaded, loaded\n"
    assert loads(code, ("jinja2", "markdown_it", "pygments", *HEAVY)) == []


def test_importing_pasted_text_loads_neither_textual_nor_excel() -> None:
    code = (
        "from pathlib import Path\nfrom zzperf.importing import read_import, plan_import, write_import\n"
        f"read_import(Path({str(SEED_TEXT)!r}))\n"
    )
    assert loads(code, ("textual", *HEAVY)) == []


def test_the_report_sandbox_is_loaded_only_for_user_templates() -> None:
    code = (
        "import zzperf.cli, zzperf.report, zzperf.report.context, zzperf.report.records, zzperf.report.filters, sys\n"
    )
    code += "assert 'zzperf.report.sandbox' not in sys.modules, 'zzperf.report.sandbox'\n"
    assert loads(code, ("textual", *HEAVY)) == []


def test_layer_contracts() -> None:
    """The static half: the import-linter contracts in ``pyproject.toml`` (R1 layers, R3 third-party weight)."""
    lint_imports = Path(sys.executable).parent / "lint-imports"
    result = subprocess.run(
        [str(lint_imports), "--no-cache", "--config", str(REPO / "pyproject.toml")],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert "0 broken" in result.stdout


def test_no_module_imports_another_modules_private_names() -> None:
    """R5: modules talk through public names; ``from zzperf.x import _name`` is a reach into a neighbour's inside."""
    import ast

    reaches = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("zzperf"):
                reaches += [
                    f"{path.relative_to(PACKAGE)}: {node.module}.{a.name}"
                    for a in node.names
                    if a.name.startswith("_") and not a.name.startswith("__")
                ]
    assert reaches == []
