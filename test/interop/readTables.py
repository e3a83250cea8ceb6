"""Reads tables of a built dbt project as canonical text rows, for the interop suite.

usage: python readTables.py duckdb <file.duckdb> < queries.json
       python readTables.py spark <project-dir> < queries.json
queries.json: [{"name": ..., "sql": ...}]; prints {"<name>": {"rows": [...]} | {"error": ...}} as JSON.
"""
import json
import sys


def main() -> None:
    engine, where = sys.argv[1], sys.argv[2]
    queries = json.load(sys.stdin)
    out = {}
    if engine == "duckdb":
        import duckdb

        con = duckdb.connect(where, read_only=True)
        run = lambda sql: [r[0] for r in con.execute(sql).fetchall()]
    else:
        import os

        from pyspark.sql import SparkSession

        os.chdir(where)  # dbt-spark's session mode keeps its warehouse and metastore here
        spark = (
            SparkSession.builder.master("local[1]")
            .config("spark.sql.session.timeZone", "UTC")
            .config("spark.ui.enabled", "false")
            .enableHiveSupport()
            .getOrCreate()
        )
        spark.sparkContext.setLogLevel("ERROR")
        run = lambda sql: [r[0] for r in spark.sql(sql).collect()]
    for q in queries:
        try:
            out[q["name"]] = {"rows": run(q["sql"])}
        except Exception as error:  # a missing table is a finding, not a crash
            out[q["name"]] = {"error": str(error).splitlines()[0][:500]}
    json.dump(out, sys.stdout)


main()
