"""SQLite storage: engine, ORM tables, migrations, repositories, unit of work."""
