"""How long until ``seqtui`` paints its first frame?

Starts the real console command in a pseudo-terminal (80×24, then 120×40) and times from
process start until the screen shows the cells tab's footer; then presses q. The baseline,
run in the same harness, is Textual's smallest app (a Header and a Footer). Also reports
whether TensorFlow, Keras or music21 were imported (from ``python -X importtime``).

    python tests/benchmarks/startup.py [--runs N] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import pty
import select
import statistics
import struct
import subprocess
import sys
import tempfile
import time
from pathlib import Path

try:
    import fcntl
    import termios
except ImportError:  # pragma: no cover - not on POSIX
    sys.exit("startup.py needs a POSIX terminal")

ROOT = Path(__file__).resolve().parents[2]

BASELINE = """
from textual.app import App
from textual.widgets import Footer, Header
class Hello(App):
    BINDINGS = [("q", "quit", "Quit")]
    def compose(self):
        yield Header()
        yield Footer()
Hello().run()
"""


def time_to_paint(argv: list[str], marker: bytes, size: tuple[int, int], timeout: float = 30.0) -> float:
    """Seconds from spawning ``argv`` in a pty of ``size`` until ``marker`` appears on it."""
    cols, rows = size
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
    env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": str(cols), "LINES": str(rows)}
    # Like a user's machine, let Python cache bytecode (some sandboxes turn that off).
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdin=slave, stdout=slave, stderr=slave, env=env, close_fds=True)
    os.close(slave)
    seen = b""
    elapsed = float("nan")
    try:
        while time.perf_counter() - start < timeout:
            ready, _, _ = select.select([master], [], [], 0.01)
            if ready:
                try:
                    chunk = os.read(master, 65536)
                except OSError:
                    break
                seen += chunk
                if b"\x1b[6n" in chunk or b"\x1b[c" in chunk:
                    os.write(master, b"\x1b[1;1R")
                if marker in seen:
                    elapsed = time.perf_counter() - start
                    break
        os.write(master, b"q")
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    finally:
        os.close(master)
    return elapsed


def heavy_imports() -> list[str]:
    """Top-level heavy packages that importing the app and CLI pulls in."""
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", "import seqtui.app, seqtui.cli, seqtui.tabs.cells"],
        capture_output=True, text=True, check=True,
    )
    names = {line.split("|")[-1].strip().split(".")[0] for line in proc.stderr.splitlines() if "|" in line}
    return sorted(names & {"tensorflow", "keras", "music21", "torch"})


def main() -> None:
    """Time both apps several times at both sizes and print the medians and the ratio."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    os.environ.setdefault("SEQTUI_HOME", tempfile.mkdtemp(prefix="seqtui-bench-"))
    seqtui = [sys.executable, "-m", "seqtui"]
    with tempfile.NamedTemporaryFile("w", suffix=".py", delete=False) as handle:
        handle.write(BASELINE)
    baseline = [sys.executable, handle.name]
    results: dict[str, object] = {}
    # One unmeasured launch of each writes the bytecode caches, as a first launch would.
    time_to_paint(seqtui, b"Sizes", (80, 24))
    time_to_paint(baseline, b"Quit", (80, 24))
    for size in ((80, 24), (120, 40)):
        ours = [time_to_paint(seqtui, b"Sizes", size) for _ in range(args.runs)]
        base = [time_to_paint(baseline, b"Quit", size) for _ in range(args.runs)]
        key = f"{size[0]}x{size[1]}"
        results[key] = {
            "seqtui_median_s": statistics.median(ours),
            "seqtui_max_s": max(ours),
            "textual_hello_median_s": statistics.median(base),
            "ratio": statistics.median(ours) / statistics.median(base),
        }
    results["heavy_imports"] = heavy_imports()
    os.unlink(handle.name)
    if args.json:
        print(json.dumps(results))
        return
    print(f"time to first frame, median of {args.runs} runs, {os.cpu_count()} cores")
    print(f"{'terminal':<10}{'seqtui s':>10}{'max s':>8}{'hello s':>10}{'ratio':>8}")
    for key in ("80x24", "120x40"):
        r = results[key]
        assert isinstance(r, dict)
        print(f"{key:<10}{r['seqtui_median_s']:>10.3f}{r['seqtui_max_s']:>8.3f}{r['textual_hello_median_s']:>10.3f}{r['ratio']:>8.2f}")
    print(f"heavy frameworks imported at start-up: {', '.join(results['heavy_imports']) or 'none'}")  # type: ignore[arg-type]


if __name__ == "__main__":
    main()
