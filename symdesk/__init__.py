"""symdesk: an offline desk for industrial symbiosis in Special Economic Zones."""

__version__ = "0.1.0"
