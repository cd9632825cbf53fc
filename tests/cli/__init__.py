"""The command line as a whole: help and the README."""
