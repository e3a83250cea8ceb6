"""CSV → Parquet with exact DuckDB types, and a contract copy whose server is that file, for the interop suite.

usage: python toParquet.py < jobs.json
jobs.json: [{"csv": path, "columns": {name: duckdb type}, "parquet": path, "contract": src, "out": dst}]
Each contract copy is the original with `servers` replaced by one `local` Parquet server.
"""
import json
import sys

import duckdb
import yaml

con = duckdb.connect()
for job in json.load(sys.stdin):
    columns = ", ".join(f"'{k}': '{v}'" for k, v in job["columns"].items())
    con.execute(
        f"COPY (SELECT * FROM read_csv('{job['csv']}', header = true, columns = {{{columns}}}, nullstr = '\\N')) "
        f"TO '{job['parquet']}' (FORMAT parquet)"
    )
    with open(job["contract"], encoding="utf-8") as f:
        contract = yaml.safe_load(f)
    contract["servers"] = [{"server": "published", "type": "local", "path": job["parquet"], "format": "parquet"}]
    with open(job["out"], "w", encoding="utf-8") as f:
        yaml.safe_dump(contract, f, sort_keys=False, allow_unicode=True)
print("ok")
