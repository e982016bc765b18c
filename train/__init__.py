"""Command-line tools to train, evaluate and plot the FER model."""
