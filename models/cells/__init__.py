"""RNN and LSTM cells in numpy, forward and backward: what the cells tab and ``seqtui cells`` call.

- The course's cells, function for function (:mod:`.numpy_cells`): ``rnn_cell_forward``,
  ``rnn_forward``, ``lstm_cell_forward``, ``lstm_forward`` and their backward passes, and
  :func:`gradient_check` against centred differences.
- :func:`explore` runs one forward and backward pass and keeps every array, to look at step by step.
- :class:`TrainConfig` → :func:`train` trains either cell on a toy sequence task (the protocol
  of :mod:`seqtui_models.core.training`; run it with ``TrainingJob("seqtui_models.cells:train", config)``).
"""

from __future__ import annotations

from seqtui_models.cells.explorer import ExploreRun, explore
from seqtui_models.cells.numpy_cells import GRADCHECK_THRESHOLD, gradient_check
from seqtui_models.cells.train import TASKS, TrainConfig, load_model, train

__all__ = ["GRADCHECK_THRESHOLD", "TASKS", "ExploreRun", "TrainConfig", "explore", "gradient_check", "load_model", "train"]
