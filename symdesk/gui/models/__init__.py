"""Qt item models over plain rows returned by the services."""
