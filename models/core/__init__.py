"""What every task shares: errors, paths, the training protocol, the optimiser, model files, word vectors."""
