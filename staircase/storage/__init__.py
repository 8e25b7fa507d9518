"""Storage: engine and dialects, schema, migrations, one module per kind of data."""
