"""Dialogs, and the small message helpers tests replace to avoid modal boxes."""
