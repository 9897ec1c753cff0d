"""Matching engine: which residents can use each other's wastes, by-products and utilities.

Pure functions over reference data (resources/knowledge and the classifiers):
no Qt, no database, so the same code serves the GUI, the CLI and benchmarks.
"""
