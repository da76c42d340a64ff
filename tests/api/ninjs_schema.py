"""The IPTC ninjs 3.1 validator the tests use: schema files from tests/data, the GeoJSON
schema registered locally, formats (uri, date-time) checked, and nothing ever fetched."""

import json
from pathlib import Path

from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource
from referencing.exceptions import NoSuchResource

STANDARDS = Path(__file__).resolve().parents[1] / "data" / "standards" / "ninjs"


def _no_network(uri: str):
    raise NoSuchResource(ref=uri)  # a reference we did not register must fail, not download


def ninjs_validator() -> Draft202012Validator:
    schema = json.loads((STANDARDS / "ninjs-schema_3.1.json").read_text())
    geojson = json.loads((STANDARDS / "GeoJSON-schema.json").read_text())
    registry = Registry(retrieve=_no_network).with_resource(
        geojson["$id"], Resource.from_contents(geojson)
    )
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, registry=registry, format_checker=FormatChecker())


def errors(validator: Draft202012Validator, document: dict) -> list[str]:
    return [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
        for e in validator.iter_errors(document)
    ]
