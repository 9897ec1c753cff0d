"""Reference classifiers: wastes (EWC, Belarusian), activities (ОКЭД/NACE), and search."""
