"""Plain dataclasses and rules of the problem domain.

This package imports only the standard library. Messages are English msgids
marked with ``N_``; the layers above translate them for the user.
"""
