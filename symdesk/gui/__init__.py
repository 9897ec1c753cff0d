"""The PySide6 GUI: a thin layer over symdesk.services; nothing else imports Qt."""
