"""seqtui's model backends: numpy and Keras code with no user-interface imports.

Every module here takes dataclasses in and gives dataclasses out, so the Textual app
(`seqtui`) and the headless CLI (`seqtui.cli`) call exactly the same functions.
"""
