"""RNN and LSTM cells in numpy, forward and backward, looked at step by step and trained on toy tasks."""
