"""The pages of the main window's stack, one module per page."""
