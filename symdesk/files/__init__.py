"""Reading tabular files that people bring: CSV in the usual dialects and xlsx.

No domain knowledge here; only what it takes to turn an untrusted file into
rows of text with their row numbers, or one clear error.
"""
