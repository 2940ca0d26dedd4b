"""The vectors door: what it exports, and that importing it loads no UI."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import seqtui_models.vectors as door


def test_the_door_exports_every_name_it_lists() -> None:
    missing = [name for name in door.__all__ if not hasattr(door, name)]
    assert not missing
    for name in ("resolve_word", "split_words", "parse_pairs", "parse_expression", "search_neighbours", "load_vectors"):
        assert name in door.__all__


def test_no_exported_name_is_also_a_module_of_the_package() -> None:
    """``from seqtui_models.vectors import x`` must never mean the inner module ``vectors.x``."""
    modules = {p.stem for p in Path(door.__file__).parent.glob("*.py")}
    assert not modules & set(door.__all__)


def test_models_never_import_the_ui() -> None:
    code = (
        "import sys, seqtui_models.vectors, seqtui_models.core.word_vectors\n"
        "bad = [m for m in ('textual', 'rich', 'seqtui') if m in sys.modules]\n"
        "assert not bad, bad"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=Path(__file__).resolve().parents[3])
