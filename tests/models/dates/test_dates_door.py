"""The door: importing seqtui_models.dates costs no framework; warm_up pays for Keras and the layers."""

from __future__ import annotations

import subprocess
import sys

import pytest

from seqtui_models import dates

SCRIPT = """
import sys
import seqtui_models.dates as dates
heavy = sorted(m for m in ("tensorflow", "keras") if m in sys.modules)
print(",".join(heavy) or "none")
dates.warm_up()
import keras
print(keras.saving.get_registered_object("seqtui>GlobalQueryAttention").__name__)
"""


def test_every_public_name_is_there() -> None:
    missing = [name for name in dates.__all__ if not hasattr(dates, name)]
    assert not missing and len(set(dates.__all__)) == len(dates.__all__)


@pytest.mark.slow
def test_the_door_imports_no_framework_and_warm_up_registers_the_layers() -> None:
    proc = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, timeout=180)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == ["none", "GlobalQueryAttention"]
