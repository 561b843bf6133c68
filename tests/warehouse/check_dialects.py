#!/usr/bin/env python3
"""Checks the dialects no test can run (BigQuery, Snowflake; Postgres too) with sqlglot.

Usage: check_dialects.py DIR CSV TABLE [COLUMNS]
  DIR   holds duckdb.sql, spark.sql, bigquery.sql, postgres.sql and snowflake.sql: one query
        from `segscope sql`, same settings, per dialect
  CSV   a small transactions file (the query's table), TABLE its name
  COLUMNS  the query's columns, comma-separated (default: the summary's)

For each dialect other than DuckDB:
  1. sqlglot parses our text in that dialect without error and finds the query's columns;
  2. sqlglot's transpilation of the DuckDB text into that dialect parses back to the same columns;
  3. our text, transpiled back to DuckDB by sqlglot, runs on the CSV in DuckDB and returns the
     same rows as the DuckDB text (a check of what sqlglot understands our text to mean, not
     of the live service).
Exits 1 with a message on the first failure.
"""
import sys

import duckdb
import sqlglot

COLUMNS = ["customer_id", "frequency", "recency", "T", "monetary_value", "orders", "revenue",
           "first_order", "last_order"]
OTHERS = ["spark", "bigquery", "postgres", "snowflake"]


def fail(message):
    sys.exit(f"check_dialects.py: {message}")


def main(argv):
    if len(argv) not in (3, 4):
        sys.exit(__doc__)
    folder, csv_path, table = argv[:3]
    columns = argv[3].split(",") if len(argv) == 4 else COLUMNS
    texts = {d: open(f"{folder}/{d}.sql", encoding="utf-8").read() for d in ["duckdb"] + OTHERS}
    con = duckdb.connect()
    parts = table.split(".")
    if len(parts) == 2:
        con.execute('CREATE SCHEMA "' + parts[0].replace('"', '""') + '"')
    quoted = ".".join('"' + p.replace('"', '""') + '"' for p in parts)
    con.execute(f"CREATE TABLE {quoted} AS SELECT * FROM read_csv(?, header = true, all_varchar = true)",
                [csv_path])
    duck = texts["duckdb"]
    if sqlglot.parse_one(duck, read="duckdb").named_selects != columns:
        fail("duckdb: not the query's columns")
    expected = con.execute(duck).fetchall()
    for dialect in OTHERS:
        try:
            ours = sqlglot.parse_one(texts[dialect], read=dialect)
        except sqlglot.errors.ParseError as e:
            fail(f"{dialect}: sqlglot cannot parse our text: {e}")
        if ours.named_selects != columns:
            fail(f"{dialect}: our text selects {ours.named_selects}")
        transpiled = sqlglot.transpile(duck, read="duckdb", write=dialect)[0]
        if sqlglot.parse_one(transpiled, read=dialect).named_selects != columns:
            fail(f"{dialect}: the DuckDB text transpiled to {dialect} selects other columns")
        back = sqlglot.transpile(texts[dialect], read=dialect, write="duckdb")[0]
        rows = con.execute(back).fetchall()
        if rows != expected:
            fail(f"{dialect}: our text, read by sqlglot and run in DuckDB, differs:\n"
                 f"  expected {expected[:3]}...\n  got      {rows[:3]}...")
        print(f"check_dialects.py {dialect}: parsed, same columns, same {len(rows)} rows in DuckDB",
              file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv[1:])
