"""Start-up stays light: no TensorFlow, Keras or music21 until a tab needs them."""

from __future__ import annotations

import subprocess
import sys

SCRIPT = """
import asyncio, sys
from seqtui.app import SeqtuiApp

async def main():
    app = SeqtuiApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.query_one("#shapes").row_count > 0  # the first pass is on screen
    heavy = sorted(m for m in ("tensorflow", "keras", "music21", "torch") if m in sys.modules)
    print(",".join(heavy) or "none")

if __name__ == "__main__":
    asyncio.run(main())
"""


def test_opening_the_app_imports_no_heavy_framework() -> None:
    proc = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip().splitlines()[-1] == "none"


def test_importtime_shows_no_tensorflow() -> None:
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", "import seqtui.app, seqtui.cli, seqtui.tabs.cells"],
        capture_output=True, text=True, timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    imported = {line.split("|")[-1].strip().split(".")[0] for line in proc.stderr.splitlines() if "|" in line}
    assert "textual" in imported  # the check sees real imports
    assert not imported & {"tensorflow", "keras", "music21"}
