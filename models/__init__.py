"""seqtui's model backends (installed as ``seqtui_models``): numpy and Keras, no user interface.

One package per task (``cells``, ``dinos``, ``jazz``, ``vectors``, ``emojify``, ``dates``), whose
``__init__`` is the task's public API: the Textual app (``seqtui.tabs``) and the headless CLI
(``seqtui.cli``) go in by that door and call exactly the same functions. ``core`` holds what the
tasks share (errors, paths, the training protocol, the optimiser, model files, word vectors);
task packages never import each other.
"""
