"""The CSV format of snapshots: writing, reading and validating it (no streamlit, no SQL).

- `format`: the columns, the two layouts, escaping against formula injection, quoting;
- `writer`: the export, streamed from what one read transaction gives (`write_csv`);
- `reader`: the import, every problem of a file collected by row and column (`parse_csv`);
- `decoding`: from the file's bytes to text (encodings, binary files, the delimiter);
- `checks`: the limits and what each cell must hold (the rules themselves are the core's,
  `staircase.domain.rules`).
"""
