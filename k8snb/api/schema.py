"""Strict field validation against the official OpenAPI-derived JSON schemas.

Since Kubernetes 1.27 ``kubectl`` asks the server for ``fieldValidation=Strict``: an unknown
field (a typo such as ``imagee``) or a wrong type is rejected with a BadRequest. The model uses
the schemas shipped by ``kubernetes-validate``; validators are compiled once per kind and only
for what a learner submits (controllers' own writes skip this, as they are built from types).
"""

from __future__ import annotations

import functools
import json
from importlib import resources
from typing import Any

__all__ = ["schema_errors"]

_SCHEMA_DIR = "v1.37.0-local-strict"
_GO_TYPES = {"integer": "int32", "string": "string", "boolean": "bool", "object": "map",
             "array": "slice", "number": "float64"}
_JSON_TYPES = {str: "string", int: "number", float: "number", bool: "bool", list: "array",
               dict: "object", type(None): "null"}


@functools.lru_cache(maxsize=1)
def _definitions() -> Any:
    base = resources.files("kubernetes_validate") / "kubernetes-json-schema" / _SCHEMA_DIR
    return json.loads((base / "_definitions.json").read_text())


@functools.cache
def _validator(kind: str, api_version: str) -> Any:
    import jsonschema
    from referencing import Registry, Resource

    group_version = api_version.split("/")
    if len(group_version) == 2:
        tag = f"{group_version[0].split('.')[0]}-{group_version[1]}"
    else:
        tag = group_version[0]
    base = resources.files("kubernetes_validate") / "kubernetes-json-schema" / _SCHEMA_DIR
    path = base / f"{kind.lower()}-{tag}.json"
    if not path.is_file():
        return None
    schema = json.loads(path.read_text())
    registry = Resource.from_contents(_definitions()) @ (Resource.from_contents(schema) @ Registry())
    return jsonschema.validators.Draft202012Validator(schema, registry=registry)


def _field_path(parts: list[Any]) -> str:
    out = ""
    for p in parts:
        out += f"[{p}]" if isinstance(p, int) else (f".{p}" if out else str(p))
    return out


def _leaf(error: Any) -> Any:
    """Descend into oneOf/anyOf contexts to the most specific error."""
    while error.context:
        error = max(error.context, key=lambda e: len(e.absolute_path))
    return error


def schema_errors(obj: dict[str, Any]) -> list[str]:
    """Messages for unknown fields and wrong types in ``obj`` (empty list when it is fine).

    Messages follow the API server's strict decoder: ``unknown field "spec.containers[0].imagee"``
    and ``json: cannot unmarshal string into Go struct field .spec.replicas of type int32``.
    """
    validator = _validator(str(obj.get("kind", "")), str(obj.get("apiVersion", "")))
    if validator is None:
        return []
    unknown: list[str] = []
    other: list[str] = []
    for err in validator.iter_errors(obj):
        err = _leaf(err)
        path = list(err.absolute_path)
        if err.validator == "additionalProperties":
            allowed = set((err.schema or {}).get("properties", {}))
            for key in err.instance:
                if key not in allowed:
                    unknown.append(f'unknown field "{_field_path([*path, key])}"')
        elif err.validator == "type":
            if not path or path[-1] in ("apiVersion", "kind"):
                continue
            want = err.validator_value
            want = want[0] if isinstance(want, list) else want
            got = _JSON_TYPES.get(type(err.instance), "value")
            other.append(
                f"json: cannot unmarshal {got} into Go struct field "
                f".{_field_path(path)} of type {_GO_TYPES.get(want, want)}"
            )
    if unknown:
        return ["strict decoding error: " + ", ".join(sorted(set(unknown)))]
    return other[:1]
