"""The storage tests: assess.store and whole journeys, each run on SQLite and on PostgreSQL."""
