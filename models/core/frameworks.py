"""Settings for the heavy frameworks, applied before they are imported."""

from __future__ import annotations

import os


def quiet_tensorflow() -> None:
    """Keep TensorFlow's C++ start-up messages off the terminal; call before Keras is imported.

    They are written straight to file descriptor 2, past Python: in the TUI they would land on
    top of the screen. A setting the user made in the environment is kept.
    """
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")
