"""Use cases: the only API the command line and the GUI call.

Each function takes an open ``Database`` (or a path) and plain arguments and
returns domain records or plain rows; none of them knows about Qt.
"""
