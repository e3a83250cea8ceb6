"""Reads OpenLineage JSON lines into openlineage-python's own RunEvent classes, for the interop suite.

usage: python parseOpenLineage.py < events.jsonl
Builds every event, run, job, dataset and facet with the client's attrs classes (their validators
run: UUIDs, timestamps, enums), serialises it back with the client's Serde, and prints
{"parsed": n, "problems": [...], "roundTrip": [json...]} as JSON.
"""
import json
import sys
import typing

import attr
from openlineage.client import event_v2
from openlineage.client.facet_v2 import (
    column_lineage_dataset,
    data_quality_assertions_dataset,
    dataset_version_dataset,
    documentation_dataset,
    error_message_run,
    job_type_job,
    output_statistics_output_dataset,
    ownership_dataset,
    schema_dataset,
    sql_job,
)
from openlineage.client.serde import Serde

FACETS = {
    "schema": schema_dataset.SchemaDatasetFacet,
    "dataQualityAssertions": data_quality_assertions_dataset.DataQualityAssertionsDatasetFacet,
    "columnLineage": column_lineage_dataset.ColumnLineageDatasetFacet,
    "version": dataset_version_dataset.DatasetVersionDatasetFacet,
    "ownership": ownership_dataset.OwnershipDatasetFacet,
    "documentation": documentation_dataset.DocumentationDatasetFacet,
    "errorMessage": error_message_run.ErrorMessageRunFacet,
    "jobType": job_type_job.JobTypeJobFacet,
    "sql": sql_job.SQLJobFacet,
    "outputStatistics": output_statistics_output_dataset.OutputStatisticsOutputDatasetFacet,
}


def build(cls, value):
    """An attrs instance of `cls` from a dict, nested classes built from the type hints."""
    if not attr.has(cls):
        return value
    hints = typing.get_type_hints(cls, {**vars(typing), **vars(sys.modules[cls.__module__])})
    kwargs = {}
    for field in attr.fields(cls):
        # _producer and _schemaURL are the client's own (init=False): it sets them from the class.
        if not field.init or field.name not in value:
            continue
        kwargs[field.alias] = convert(hints.get(field.name), value[field.name], field.name)
    return cls(**kwargs)


def convert(hint, value, key):
    if value is None:
        return None
    if key == "facets" or key in ("inputFacets", "outputFacets"):
        return {name: build(FACETS[name], facet) for name, facet in value.items()}
    origin = typing.get_origin(hint)
    args = [a for a in typing.get_args(hint) if a is not type(None)]
    if origin in (list, typing.List) and args:
        return [convert(args[0], v, "") for v in value]
    if origin in (dict, typing.Dict) and len(args) == 2:
        return {k: convert(args[1], v, "") for k, v in value.items()}
    if origin is typing.Union and args:
        return convert(args[0], value, key)
    if isinstance(hint, type) and attr.has(hint):
        return build(hint, value)
    if isinstance(hint, type) and issubclass(hint, __import__("enum").Enum):
        return hint(value)
    return value


def main() -> None:
    problems, round_trip = [], []
    lines = [line for line in sys.stdin.read().splitlines() if line.strip()]
    for i, line in enumerate(lines):
        try:
            event = build(event_v2.RunEvent, json.loads(line))
            round_trip.append(json.loads(Serde.to_json(event)))
        except Exception as error:  # every failure is reported with its line
            problems.append(f"line {i + 1}: {type(error).__name__}: {error}")
    json.dump({"parsed": len(round_trip), "problems": problems, "roundTrip": round_trip}, sys.stdout)


main()
