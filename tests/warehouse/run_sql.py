#!/usr/bin/env python3
"""Runs a query from `segscope sql` on a CSV file loaded as a table, and writes the result as CSV.

Usage: run_sql.py MODE CSV SQL TABLE OUT [CSV SQL TABLE OUT]...
  MODE  duckdb        DuckDB, every column read as VARCHAR (the query casts)
        duckdb-typed  DuckDB, column types detected by read_csv (a typed warehouse table)
        spark         Spark SQL (pyspark, local[2]), every column a string
        postgres      a throwaway PostgreSQL server (initdb + pg_ctl on PATH), columns as text
  CSV   the transactions file (UTF-8, comma, a header row: the table's column names)
  SQL   a file holding the query
  TABLE the table name the query reads
  OUT   the result: a header, then one row per result row; NULL as an empty cell, dates as
        YYYY-MM-DD, numbers as Python's repr (17 significant digits)
Further CSV SQL TABLE OUT groups run in the same engine (one Spark session for all: its start-up
is most of a small run's time).

Prints one line per query to stderr: the mode, the rows and the seconds spent loading and querying.
Needs duckdb / pyspark (with Java 17) in the interpreter that runs it (scripts/ensure-tools test
installs them into target/pyenv).
"""
import csv
import datetime as dt
import decimal
import os
import shutil
import subprocess
import sys
import tempfile
import time


def cell(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dt.datetime,)):
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, decimal.Decimal):
        return str(value)
    return str(value)


def write(out, columns, rows):
    with open(out, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(columns)
        for row in rows:
            w.writerow([cell(v) for v in row])


def run_duckdb(csv_path, sql, table, typed):
    import duckdb

    con = duckdb.connect()
    started = time.perf_counter()
    options = "header = true" if typed else "header = true, all_varchar = true"
    quoted = '"' + table.replace('"', '""') + '"'
    con.execute(f"CREATE OR REPLACE TABLE {quoted} AS SELECT * FROM read_csv(?, {options})",
                [csv_path])
    loaded = time.perf_counter()
    result = con.execute(sql)
    columns = [d[0] for d in result.description]
    rows = result.fetchall()
    return columns, rows, loaded - started, time.perf_counter() - loaded


def run_spark(jobs):
    """Runs every (csv_path, sql, table) of `jobs` in one session; yields (columns, rows, load
    seconds, query seconds) for each (the session's start-up counts as the first one's load)."""
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    # Quiet from the JVM's start: errors only (the startup warnings come before setLogLevel).
    log_dir = tempfile.mkdtemp(prefix="segscope-spark-")
    log4j = os.path.join(log_dir, "log4j2.properties")
    with open(log4j, "w") as f:
        f.write("rootLogger.level = error\nrootLogger.appenderRef.stderr.ref = console\n"
                "appender.console.type = Console\nappender.console.name = console\n"
                "appender.console.target = SYSTEM_ERR\n"
                "appender.console.layout.type = PatternLayout\n"
                "appender.console.layout.pattern = %d{HH:mm:ss} %p %c{1}: %m%n\n")
    os.environ["PYSPARK_SUBMIT_ARGS"] = (
        f"--driver-memory 1g --driver-java-options -Dlog4j.configurationFile=file:{log4j} "
        "pyspark-shell")
    from pyspark.sql import SparkSession

    started = time.perf_counter()
    spark = (
        SparkSession.builder.master("local[2]")
        .appName("segscope-warehouse-sql")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.sql.session.timeZone", "UTC")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    try:
        for csv_path, sql, table in jobs:
            # Strings only (no inferSchema); "" inside a quoted field is a quote, as in RFC 4180.
            frame = spark.read.csv(csv_path, header=True, quote='"', escape='"', encoding="UTF-8")
            # A view name with a space or a quote goes through SQL (createOrReplaceTempView
            # refuses it).
            frame.createOrReplaceTempView("segscope_csv")
            quoted = "`" + table.replace("`", "``") + "`"
            spark.sql(f"CREATE OR REPLACE TEMPORARY VIEW {quoted} AS SELECT * FROM segscope_csv")
            loaded = time.perf_counter()
            result = spark.sql(sql)
            columns = result.columns
            rows = [tuple(r) for r in result.collect()]
            yield columns, rows, loaded - started, time.perf_counter() - loaded
            started = time.perf_counter()
    finally:
        spark.stop()
        shutil.rmtree(log_dir, ignore_errors=True)


def run_postgres(csv_path, sql, table):
    """A server in a temporary directory (unix socket only), the CSV copied into a text table."""
    import shlex

    started = time.perf_counter()
    root = tempfile.mkdtemp(prefix="segscope-pg-")
    data, socket = os.path.join(root, "data"), os.path.join(root, "sock")
    os.mkdir(socket)
    run_as = []
    if os.geteuid() == 0:  # initdb refuses root: run the server as the nobody user
        shutil.chown(root, "nobody")
        shutil.chown(socket, "nobody")
        run_as = ["runuser", "-u", "nobody", "--"]
    env = dict(os.environ, LC_ALL="C.UTF-8")
    q = lambda name: '"' + name.replace('"', '""') + '"'
    subprocess.run(run_as + ["initdb", "-D", data, "-U", "segscope", "--encoding", "UTF8",
                             "--locale", "C.UTF-8"],
                   check=True, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    subprocess.run(run_as + ["pg_ctl", "-D", data, "-w", "-l", os.path.join(root, "log"),
                             "-o", f"-k {shlex.quote(socket)} -c listen_addresses=''", "start"],
                   check=True, env=env, stdout=subprocess.DEVNULL)
    try:
        psql = run_as + ["psql", "-h", socket, "-U", "segscope", "-d", "postgres", "-X", "-q",
                         "-v", "ON_ERROR_STOP=1"]
        with open(csv_path, encoding="utf-8") as f:
            header = next(csv.reader(f))
        columns_ddl = ", ".join(f"{q(h)} TEXT" for h in header)
        load = f"CREATE TABLE {q(table)} ({columns_ddl});\n\\copy {q(table)} FROM STDIN WITH (FORMAT csv, HEADER true)\n"
        with open(csv_path, "rb") as f:
            body = f.read()
        if not body.endswith(b"\n"):
            body += b"\n"
        subprocess.run(psql, input=load.encode() + body + b"\\.\n", check=True, env=env)
        loaded = time.perf_counter()
        out = subprocess.run(psql + ["--csv", "-c", sql], check=True, env=env,
                             stdout=subprocess.PIPE).stdout.decode("utf-8")
        reader = csv.reader(out.splitlines())
        columns = next(reader)
        rows = [tuple(None if v == "" else v for v in r) for r in reader]
        return columns, rows, loaded - started, time.perf_counter() - loaded
    finally:
        subprocess.run(run_as + ["pg_ctl", "-D", data, "-m", "immediate", "stop"], env=env,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        shutil.rmtree(root, ignore_errors=True)


def main(argv):
    if len(argv) < 5 or (len(argv) - 1) % 4 != 0:
        sys.exit(__doc__)
    mode, groups = argv[0], argv[1:]
    jobs, outs = [], []
    for i in range(0, len(groups), 4):
        csv_path, sql_path, table, out = groups[i:i + 4]
        with open(sql_path, encoding="utf-8") as f:
            sql = f.read().strip().rstrip(";")
        jobs.append((csv_path, sql, table))
        outs.append(out)
    if mode in ("duckdb", "duckdb-typed"):
        results = (run_duckdb(c, q, t, mode == "duckdb-typed") for c, q, t in jobs)
    elif mode == "spark":
        results = run_spark(jobs)
    elif mode == "postgres":
        results = (run_postgres(c, q, t) for c, q, t in jobs)
    else:
        sys.exit(f"run_sql.py: unknown mode {mode!r}: duckdb, duckdb-typed, spark or postgres")
    for out, (columns, rows, load_s, query_s) in zip(outs, results):
        write(out, columns, rows)
        print(f"run_sql.py {mode}: {len(rows)} rows, load {load_s:.2f} s, query {query_s:.2f} s",
              file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv[1:])
