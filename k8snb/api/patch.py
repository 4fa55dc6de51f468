"""The three patch types of ``kubectl patch`` and the three-way patch of ``kubectl apply``.

* :func:`merge_patch`: JSON merge patch (RFC 7386): maps merge, ``null`` deletes, lists and
  scalars replace.
* :func:`json_patch`: JSON patch (RFC 6902) operations, applied with the ``jsonpatch`` library.
* :func:`strategic_merge_patch`: Kubernetes' own patch type, the default of ``kubectl patch``.
  Like a merge patch, except that some lists merge item by item: containers by ``name``,
  ports by ``containerPort``, env by ``name``, volumes by ``name``. Which lists merge, and
  by which key, comes from the ``x-kubernetes-patch-strategy`` and
  ``x-kubernetes-patch-merge-key`` annotations of the OpenAPI schema (kubernetes-validate's
  ``_definitions.json``, loaded on first use). Lists without them (``tolerations``,
  ``args``) are replaced whole. Directives: ``$patch: replace``/``delete`` on a map or a list
  item, ``$setElementOrder/<list>``, ``$deleteFromPrimitiveList/<list>`` and ``$retainKeys``.
* :func:`three_way_apply`: the strategic patch ``kubectl apply`` computes from the last
  applied manifest, the live object and the new manifest. Fields the user removed from the
  manifest since the last apply are deleted; fields only the server set are left alone.
  An empty patch is what ``kubectl apply`` reports as ``unchanged``.

Upstream: apimachinery ``pkg/util/strategicpatch/patch.go`` (ported function by function,
names in the docstrings), ``pkg/util/mergepatch/errors.go``, apiserver
``pkg/endpoints/handlers/patch.go``, kubectl ``pkg/cmd/apply/patcher.go`` and
``pkg/util/apply.go`` (the last-applied annotation).
"""

from __future__ import annotations

import importlib.util
import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import jsonpatch

from k8snb.util.gofmt import go_format_float

__all__ = [
    "LAST_APPLIED_ANNOTATION",
    "PatchError",
    "json_patch",
    "last_applied_configuration",
    "merge_patch",
    "strategic_merge_patch",
    "three_way_apply",
    "with_last_applied",
]

LAST_APPLIED_ANNOTATION = "kubectl.kubernetes.io/last-applied-configuration"

_DIRECTIVE = "$patch"
_DELETE = "delete"
_REPLACE = "replace"
_MERGE = "merge"
_RETAIN_KEYS_STRATEGY = "retainKeys"
_DELETE_FROM_PRIMITIVE_LIST = "$deleteFromPrimitiveList"
_RETAIN_KEYS = "$retainKeys"
_SET_ELEMENT_ORDER = "$setElementOrder"

# mergepatch/errors.go
_ERR_NO_LIST_OF_LISTS = "lists of lists are not supported"
_ERR_PRIMITIVE_LIST = "invalid patch format of primitive list"
_ERR_RETAIN_KEYS = "invalid patch format of retainKeys"
_ERR_SET_ELEMENT_ORDER = "invalid patch format of setElementOrder list"
_ERR_UNSUPPORTED = (
    "the body of the request was in an unknown format - accepted media types include: "
    "application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml"
)


class PatchError(ValueError):
    """A patch that cannot be applied; ``reason`` is the Status reason the server would use.

    ``BadRequest`` for malformed patches, ``Invalid`` for a JSON patch whose operations fail
    (422), ``UnsupportedMediaType`` for a strategic merge patch on a kind without a schema.
    """

    def __init__(self, message: str, reason: str = "BadRequest") -> None:
        super().__init__(message)
        self.reason = reason


# --- JSON values as Go sees them -------------------------------------------------------------


def _kind(v: Any) -> str:
    """The Go type a decoded JSON value has (numbers are all float64)."""
    if v is None:
        return "nil"
    if isinstance(v, bool):
        return "bool"
    if isinstance(v, (int, float)):
        return "number"
    if isinstance(v, str):
        return "string"
    if isinstance(v, dict):
        return "map"
    if isinstance(v, list):
        return "slice"
    return type(v).__name__


_GO_TYPE = {
    "nil": "<nil>",
    "bool": "bool",
    "number": "float64",
    "string": "string",
    "map": "map[string]interface {}",
    "slice": "[]interface {}",
}


def _eq(a: Any, b: Any) -> bool:
    """Go's ``==`` on two interface values holding scalars."""
    return _kind(a) == _kind(b) and a == b


def _deep_equal(a: Any, b: Any) -> bool:
    """``reflect.DeepEqual`` on decoded JSON."""
    ka, kb = _kind(a), _kind(b)
    if ka != kb:
        return False
    if ka == "map":
        return a.keys() == b.keys() and all(_deep_equal(a[k], b[k]) for k in a)
    if ka == "slice":
        return len(a) == len(b) and all(_deep_equal(x, y) for x, y in zip(a, b, strict=True))
    return a == b


def _go_float(f: float) -> str:
    """``%v`` of a float64 (:func:`~k8snb.util.gofmt.go_format_float`); zero prints ``0``."""
    return "0" if f == 0 else go_format_float(f)


def _go_sprint(v: Any) -> str:
    """``fmt.Sprintf("%v", v)`` for a decoded JSON value (used to sort and in messages)."""
    k = _kind(v)
    if k == "nil":
        return "<nil>"
    if k == "bool":
        return "true" if v else "false"
    if k == "number":
        return _go_float(float(v))
    if k == "string":
        return v
    if k == "map":
        return "map[" + " ".join(f"{key}:{_go_sprint(v[key])}" for key in sorted(v)) + "]"
    if k == "slice":
        return "[" + " ".join(_go_sprint(x) for x in v) + "]"
    return str(v)


def _copy(v: Any) -> Any:
    """Deep copy of a JSON value (much faster than ``copy.deepcopy``)."""
    if isinstance(v, dict):
        return {k: _copy(x) for k, x in v.items()}
    if isinstance(v, list):
        return [_copy(x) for x in v]
    return v


def _err_no_merge_key(m: Mapping[str, Any], key: str) -> PatchError:
    return PatchError(f"map: {_go_sprint(dict(m))} does not contain declared merge key: {key}")


def _err_bad_patch_type(t: Any, m: Mapping[str, Any]) -> PatchError:
    return PatchError(f"unknown patch type: {_go_sprint(t)} in map: {_go_sprint(dict(m))}")


def _err_bad_arg_type(expected: str, actual: Any) -> PatchError:
    return PatchError(
        f"expected a {_GO_TYPE[expected]}, but received a {_GO_TYPE.get(_kind(actual), '?')}"
    )


# --- the schema: patch strategies and merge keys --------------------------------------------

_SCHEMA: dict[str, Any] | None = None


def _schema() -> dict[str, Any]:
    """The OpenAPI definitions and a (group, version, kind) index, loaded on first use."""
    global _SCHEMA
    if _SCHEMA is None:
        # find_spec locates the package without importing it (its import costs a second).
        spec = importlib.util.find_spec("kubernetes_validate")
        if spec is None or not spec.submodule_search_locations:
            raise PatchError("kubernetes-validate is not installed: no schema for patches")
        root = Path(list(spec.submodule_search_locations)[0]) / "kubernetes-json-schema"
        wanted = root / "v1.37.0-local"
        if not wanted.is_dir():

            def version(name: str) -> tuple[int, ...]:
                m = re.fullmatch(r"v(\d+)\.(\d+)\.(\d+)-local", name)
                return tuple(int(x) for x in m.groups()) if m else (-1,)

            wanted = root / max((p.name for p in root.iterdir()), key=version)
        data = json.loads((wanted / "_definitions.json").read_text(encoding="utf-8"))
        defs = data.get("$defs") or data.get("definitions") or {}
        by_gvk: dict[tuple[str, str, str], str] = {}
        by_kind: dict[str, list[str]] = {}
        for name, d in defs.items():
            for gvk in d.get("x-kubernetes-group-version-kind") or ():
                key = (gvk.get("group", ""), gvk.get("version", ""), gvk.get("kind", ""))
                by_gvk.setdefault(key, name)
                by_kind.setdefault(key[2], []).append(name)
        _SCHEMA = {"defs": defs, "by_gvk": by_gvk, "by_kind": by_kind}
    return _SCHEMA


def _resolve(node: Any) -> dict[str, Any] | None:
    """Follow ``$ref`` to the definition it names."""
    defs = _schema()["defs"]
    seen = 0
    while isinstance(node, dict) and "$ref" in node and seen < 16:
        node = defs.get(node["$ref"].rsplit("/", 1)[-1])
        seen += 1
    return node if isinstance(node, dict) else None


def _kind_schema(kind_key: Any, target: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """The definition for ``kind_key``: a Kind, ``(apiVersion, kind)``, a definition name, or
    a schema mapping itself (``properties`` carrying the ``x-kubernetes-patch-*`` keys)."""
    if isinstance(kind_key, Mapping):
        return dict(kind_key)
    schema = _schema()
    if isinstance(kind_key, tuple):
        api_version, kind = kind_key
    elif isinstance(kind_key, str) and kind_key in schema["defs"]:
        return schema["defs"][kind_key]
    else:
        api_version = (target or {}).get("apiVersion", "") if isinstance(target, Mapping) else ""
        kind = kind_key or ((target or {}).get("kind", "") if isinstance(target, Mapping) else "")
    group, _, version = (api_version or "").rpartition("/")
    name = schema["by_gvk"].get((group, version, kind))
    if name is None:
        candidates = schema["by_kind"].get(kind or "")
        if not candidates:
            return None
        # No or unknown apiVersion: prefer a stable version of the kind.
        name = min(candidates, key=lambda n: ("alpha" in n or "beta" in n, n))
    return schema["defs"][name]


def _strategies(prop: Mapping[str, Any]) -> list[str]:
    raw = prop.get("x-kubernetes-patch-strategy") or ""
    return [s for s in raw.split(",") if s]


def _lookup_struct(
    schema: dict[str, Any] | None, key: str
) -> tuple[dict[str, Any] | None, list[str], str]:
    """``LookupPatchMetadataForStruct``: the field's schema, strategies and merge key.

    A field the schema does not know gets no metadata: maps still merge, lists replace.
    """
    if not schema:
        return None, [], ""
    prop = (schema.get("properties") or {}).get(key)
    if prop is not None:
        return _resolve(prop), _strategies(prop), prop.get("x-kubernetes-patch-merge-key") or ""
    extra = schema.get("additionalProperties")
    if isinstance(extra, dict):
        return _resolve(extra), [], ""
    return None, [], ""


def _lookup_slice(
    schema: dict[str, Any] | None, key: str
) -> tuple[dict[str, Any] | None, list[str], str]:
    """``LookupPatchMetadataForSlice``: like the struct lookup, giving the items' schema."""
    if not schema:
        return None, [], ""
    prop = (schema.get("properties") or {}).get(key)
    if prop is None:
        prop = schema.get("additionalProperties")
        if not isinstance(prop, dict):
            return None, [], ""
    array = _resolve(prop) or {}
    merge_key = prop.get("x-kubernetes-patch-merge-key") or ""
    return _resolve(array.get("items")), _strategies(prop), merge_key


def _retain_keys_strategy(strategies: list[str]) -> tuple[bool, str]:
    """``extractRetainKeysPatchStrategy``: (has retainKeys, the other strategy)."""
    if not strategies:
        return False, ""
    if len(strategies) == 1:
        return (True, "") if strategies[0] == _RETAIN_KEYS_STRATEGY else (False, strategies[0])
    if len(strategies) == 2:
        if strategies[0] == _RETAIN_KEYS_STRATEGY:
            return True, strategies[1]
        if strategies[1] == _RETAIN_KEYS_STRATEGY:
            return True, strategies[0]
    raise PatchError(f"unexpected patch strategy: [{' '.join(strategies)}]")


# --- helpers shared by apply and diff --------------------------------------------------------


def _slice_element_kind(*slices: list[Any]) -> str:
    """``sliceElementType``: the one element kind of the slices, or an error."""
    prev = None
    for s in slices:
        for v in s:
            k = _kind(v)
            if prev is None:
                prev = k
                if k == "slice":
                    raise PatchError(_ERR_NO_LIST_OF_LISTS)
            elif prev != k:
                raise PatchError(
                    "list element types are not identical: " + _go_sprint([list(x) for x in slices])
                )
    if prev is None:
        raise PatchError("no elements in any of the given slices")
    return prev


def _dedupe_scalars(s: list[Any]) -> list[Any]:
    """``deduplicateScalars``: drops repeats by moving the last item into their place."""
    s = list(s)
    length = len(s) - 1
    i = 0
    while i < length:
        j = i + 1
        while j <= length:
            if _eq(s[i], s[j]):
                s[j] = s[length]
                s = s[:length]
                length -= 1
                j -= 1
            j += 1
        i += 1
    return s


def _sort_scalars(s: list[Any]) -> list[Any]:
    return sorted(s, key=_go_sprint)


def _index(items: list[Any], value: Any, merge_key: str, kind: str) -> int:
    if kind == "map":

        def get(item: Any) -> Any:
            return item.get(merge_key) if isinstance(item, dict) else None

    else:

        def get(item: Any) -> Any:
            return item

    want = get(value)
    for i, v in enumerate(items):
        if _eq(want, get(v)):
            return i
    return -1


def _find_map(items: list[Any], key: str, value: Any) -> tuple[dict[str, Any] | None, int]:
    """``findMapInSliceBasedOnKeyValue``."""
    for i, v in enumerate(items):
        if not isinstance(v, dict):
            raise PatchError(f"value for key {i} is not a map.")
        if key in v and _eq(v[key], value):
            return v, i
    return None, -1


def _validate_merge_key(merge_key: str, *lists: list[Any]) -> None:
    for lst in lists:
        for item in lst:
            if not isinstance(item, dict):
                raise _err_bad_arg_type("map", item)
            if merge_key not in item:
                raise _err_no_merge_key(item, merge_key)


def _extract_to_delete(items: list[Any]) -> tuple[list[Any], list[Any]]:
    keep, delete = [], []
    for v in items:
        if not isinstance(v, dict):
            raise _err_bad_arg_type("map", v)
        (delete if v.get(_DIRECTIVE) == _DELETE else keep).append(v)
    return keep, delete


def _normalize_slice_order(
    to_sort: list[Any], order: list[Any], merge_key: str, kind: str
) -> list[Any]:
    """``normalizeSliceOrder``: sort by position in ``order``; delete directives go last."""
    to_delete: list[Any] = []
    if kind == "map":
        _validate_merge_key(merge_key, to_sort, order)
        to_sort, to_delete = _extract_to_delete(to_sort)
    positions = [_index(order, v, merge_key, kind) for v in to_sort]
    big = len(order) + 1
    ranked = sorted(range(len(to_sort)), key=lambda i: positions[i] if positions[i] >= 0 else big)
    return [to_sort[i] for i in ranked] + to_delete


def _merge_sorted(
    left: list[Any], right: list[Any], server_order: list[Any], merge_key: str, kind: str
) -> list[Any]:
    """``mergeSortedSlice``: interleave server-only items (left) into patch items (right)."""
    out: list[Any] = []
    i = j = 0
    while i < len(left) or j < len(right):
        if i >= len(left):
            out.append(right[j])
            j += 1
        elif j >= len(right):
            out.append(left[i])
            i += 1
        else:
            li = _index(server_order, left[i], merge_key, kind)
            ri = _index(server_order, right[j], merge_key, kind)
            if li >= 0 and ri >= 0 and li < ri:
                out.append(left[i])
                i += 1
            else:
                out.append(right[j])
                j += 1
    return out


def _normalize_element_order(
    patch: list[Any],
    server_only: list[Any],
    patch_order: list[Any],
    server_order: list[Any],
    merge_key: str,
    kind: str,
) -> list[Any]:
    """``normalizeElementOrder``: patch order first, live order for the server-only items."""
    patch = _normalize_slice_order(patch, patch_order, merge_key, kind)
    server_only = _normalize_slice_order(server_only, server_order, merge_key, kind)
    return _merge_sorted(server_only, patch, server_order, merge_key, kind)


def _partition_primitives(items: list[Any], by: list[Any]) -> tuple[list[Any], list[Any]]:
    present = {(_kind(v), v) for v in by if _kind(v) not in ("map", "slice")}
    patch, server_only = [], []
    for v in items:
        (patch if (_kind(v), v) in present else server_only).append(v)
    return patch, server_only


def _partition_maps(items: list[Any], by: list[Any], merge_key: str) -> tuple[list[Any], list[Any]]:
    patch, server_only = [], []
    for v in items:
        if not isinstance(v, dict):
            raise _err_bad_arg_type("map", v)
        if merge_key not in v:
            raise _err_no_merge_key(v, merge_key)
        found, _ = _find_map(by, merge_key, v[merge_key])
        (server_only if found is None else patch).append(v)
    return patch, server_only


def _remove_directives(obj: Any) -> tuple[Any, bool]:
    """``removeDirectives``: drop ``$patch`` maps from a value that is being added whole."""
    if isinstance(obj, dict):
        if _DIRECTIVE in obj:
            return None, False
        for k in list(obj):
            v, keep = _remove_directives(obj[k])
            if keep:
                obj[k] = v
            else:
                del obj[k]
        return obj, True
    if isinstance(obj, list):
        out = []
        for v in obj:
            nv, keep = _remove_directives(v)
            if keep:
                out.append(nv)
        return out, True
    return obj, True


def _discard_nulls(v: Any) -> None:
    """``discardNullValuesFromPatch``."""
    if isinstance(v, dict):
        for k in list(v):
            if v[k] is None:
                del v[k]
            else:
                _discard_nulls(v[k])
    elif isinstance(v, list):
        for x in v:
            _discard_nulls(x)


def _extract_key(s: str, prefix: str) -> str:
    parts = s.split("/", 1)
    if len(parts) <= 1 or parts[0] != prefix:
        if prefix == _DELETE_FROM_PRIMITIVE_LIST:
            raise PatchError(_ERR_PRIMITIVE_LIST)
        if prefix == _SET_ELEMENT_ORDER:
            raise PatchError(_ERR_SET_ELEMENT_ORDER)
        raise PatchError(f'fail to find unknown prefix "{prefix}" in {s}')
    return parts[1]


# --- applying a strategic merge patch --------------------------------------------------------


class _Opts:
    __slots__ = ("merge_parallel_list", "ignore_unmatched_nulls")

    def __init__(self, merge_parallel_list: bool, ignore_unmatched_nulls: bool) -> None:
        self.merge_parallel_list = merge_parallel_list
        self.ignore_unmatched_nulls = ignore_unmatched_nulls


def _merge_map(
    original: dict[str, Any] | None,
    patch: dict[str, Any],
    schema: dict[str, Any] | None,
    opts: _Opts,
) -> dict[str, Any]:
    """``mergeMap``: merge ``patch`` into ``original`` (both are changed)."""
    if _DIRECTIVE in patch:
        directive = patch[_DIRECTIVE]
        if directive == _REPLACE:
            del patch[_DIRECTIVE]
            return patch
        if directive == _DELETE:
            return {}
        raise _err_bad_patch_type(directive, patch)
    if original is None:
        original = {}
    _apply_retain_keys(original, patch, opts)
    _merge_set_element_order(original, patch, schema, opts)

    for k, patch_v in list(patch.items()):
        is_delete_list = False
        if k.startswith(_DELETE_FROM_PRIMITIVE_LIST):
            if not opts.merge_parallel_list:
                original[k] = patch_v
                continue
            k = _extract_key(k, _DELETE_FROM_PRIMITIVE_LIST)
            is_delete_list = True

        if patch_v is None:
            original.pop(k, None)
            if opts.ignore_unmatched_nulls:
                continue

        if k not in original or _kind(original[k]) != _kind(patch_v):
            if not is_delete_list:
                if opts.ignore_unmatched_nulls:
                    _discard_nulls(patch_v)
                value, keep = _remove_directives(patch_v)
                if keep:
                    original[k] = value
                else:
                    original.pop(k, None)
            continue

        kind = _kind(original[k])
        if kind == "map":
            sub, strategies, _ = _lookup_struct(schema, k)
            _, strategy = _retain_keys_strategy(strategies)
            original[k] = (
                patch_v if strategy == _REPLACE else _merge_map(original[k], patch_v, sub, opts)
            )
        elif kind == "slice":
            sub, strategies, merge_key = _lookup_slice(schema, k)
            _, strategy = _retain_keys_strategy(strategies)
            original[k] = _merge_slice_handler(
                original[k], patch_v, sub, strategy, merge_key, is_delete_list, opts
            )
        else:
            value, keep = _remove_directives(patch_v)
            if keep:
                original[k] = value
            else:
                original.pop(k, None)
    return original


def _merge_slice_handler(
    original: Any,
    patch: Any,
    elem_schema: dict[str, Any] | None,
    strategy: str,
    merge_key: str,
    is_delete_list: bool,
    opts: _Opts,
) -> list[Any]:
    if not isinstance(original, list):
        raise _err_bad_arg_type("slice", original)
    if not isinstance(patch, list):
        raise _err_bad_arg_type("slice", patch)
    if strategy == _MERGE:
        return _merge_slice(original, patch, elem_schema, merge_key, opts, is_delete_list)
    return patch


def _merge_slice(
    original: list[Any],
    patch: list[Any],
    elem_schema: dict[str, Any] | None,
    merge_key: str,
    opts: _Opts,
    is_delete_list: bool,
) -> list[Any]:
    """``mergeSlice``: scalars are unioned, maps merged by ``merge_key``, order normalized."""
    if not original and not patch:
        return original
    kind = _slice_element_kind(original, patch)
    if kind != "map":
        if opts.merge_parallel_list and is_delete_list:
            doomed = {(_kind(v), v) for v in patch}
            return [v for v in original if (_kind(v), v) not in doomed]
        merged = _dedupe_scalars(original + patch)
    else:
        if not merge_key:
            raise PatchError("cannot merge lists without merge key for map")
        original, patch = _merge_slice_special_elements(original, patch, merge_key)
        merged = _merge_slice_plain_elements(original, patch, merge_key, elem_schema, opts)
    if not merge_key:
        patch_items, server_only = _partition_primitives(merged, patch)
    else:
        patch_items, server_only = _partition_maps(merged, patch, merge_key)
    return _normalize_element_order(patch_items, server_only, patch, original, merge_key, kind)


def _merge_slice_special_elements(
    original: list[Any], patch: list[Any], merge_key: str
) -> tuple[list[Any], list[Any]]:
    """``mergeSliceWithSpecialElements``: apply ``$patch: delete``/``replace`` list items."""
    plain: list[Any] = []
    replace = False
    for v in patch:
        if not isinstance(v, dict):
            raise _err_bad_arg_type("map", v)
        if _DIRECTIVE not in v:
            plain.append(v)
            continue
        directive = v[_DIRECTIVE]
        if directive == _DELETE:
            if merge_key not in v:
                raise _err_no_merge_key(v, merge_key)
            value = v[merge_key]
            original = [
                o
                for o in original
                if not (isinstance(o, dict) and merge_key in o and _eq(o[merge_key], value))
            ]
        elif directive == _REPLACE:
            replace = True
        elif directive == _MERGE:
            raise PatchError("merging lists cannot yet be specified in the patch")
        else:
            raise _err_bad_patch_type(directive, v)
    if replace:
        return plain, []
    return original, plain


def _merge_slice_plain_elements(
    original: list[Any],
    patch: list[Any],
    merge_key: str,
    elem_schema: dict[str, Any] | None,
    opts: _Opts,
) -> list[Any]:
    """``mergeSliceWithoutSpecialElements``: merge items with the same key, append the rest."""
    original = list(original)
    for v in patch:
        if merge_key not in v:
            raise _err_no_merge_key(v, merge_key)
        found, i = _find_map(original, merge_key, v[merge_key])
        if found is not None:
            original[i] = _merge_map(found, v, elem_schema, opts)
        else:
            original.append(v)
    return original


def _apply_retain_keys(original: dict[str, Any], patch: dict[str, Any], opts: _Opts) -> None:
    """``applyRetainKeysDirective``: clear the fields ``$retainKeys`` does not list."""
    if _RETAIN_KEYS not in patch:
        return
    retain = patch.pop(_RETAIN_KEYS)
    if not opts.merge_parallel_list:
        if _RETAIN_KEYS in original:
            if not _deep_equal(original[_RETAIN_KEYS], retain):
                raise PatchError(
                    f"{_go_sprint(original[_RETAIN_KEYS])} and {_go_sprint(retain)} are not deep equal: "
                    "this may happen when calculating the 3-way diff patch"
                )
        else:
            original[_RETAIN_KEYS] = retain
        return
    if not isinstance(retain, list):
        raise PatchError(_ERR_RETAIN_KEYS)
    keep = {v for v in retain if isinstance(v, str)}
    for k, v in patch.items():
        if (
            v is None
            or k.startswith(_DELETE_FROM_PRIMITIVE_LIST)
            or k.startswith(_SET_ELEMENT_ORDER)
        ):
            continue
        if k not in keep:
            raise PatchError(_ERR_RETAIN_KEYS)
    for k in list(original):
        if k not in keep:
            del original[k]


def _validate_set_order(patch_list: Any, order: Any, merge_key: str) -> None:
    """``validatePatchWithSetOrderList``: the patch list must follow ``$setElementOrder``."""
    if not isinstance(order, list) or not isinstance(patch_list, list):
        raise PatchError(_ERR_SET_ELEMENT_ORDER)
    if not order or not patch_list:
        return
    plain = _extract_to_delete(patch_list)[0] if merge_key else patch_list
    pi = si = 0
    while pi < len(plain) and si < len(order):
        if isinstance(plain[pi], dict) and _DIRECTIVE in plain[pi]:
            pi += 1
            continue
        if merge_key:
            left, right = plain[pi], order[si]
            if not isinstance(left, dict):
                raise _err_bad_arg_type("map", left)
            if not isinstance(right, dict):
                raise _err_bad_arg_type("map", right)
            if merge_key not in left:
                raise _err_no_merge_key(left, merge_key)
            if merge_key not in right:
                raise _err_no_merge_key(right, merge_key)
            same = _eq(left[merge_key], right[merge_key])
        else:
            same = _eq(plain[pi], order[si])
        if same:
            pi += 1
        si += 1
    if pi < len(plain) and si >= len(order):
        raise PatchError(
            f"the order in patch list:\n{_go_sprint(patch_list)}\n doesn't match "
            f"{_SET_ELEMENT_ORDER} list:\n{_go_sprint(order)}"
        )


def _aliased_server_order(
    original: list[Any], patch: list[Any], strategy: str, merge_key: str
) -> list[Any]:
    """The live list as ``mergePatchIntoOriginal`` sees it after ``mergeSlice`` ran.

    Upstream merges into the live slice in place: ``deleteMatchingEntries`` shifts items
    left and ``append`` fills the freed slots, in the same backing array the caller still
    uses as the "server order" for placing live-only items. The live object comes from
    ``ToUnstructured``, so its capacity equals its length. Only merge keys matter here.
    """
    if strategy != _MERGE or not merge_key or not original:
        return original
    if any(not isinstance(v, dict) for v in original + patch):
        return original
    backing = list(original)
    length = len(backing)
    replace = False
    for v in patch:
        directive = v.get(_DIRECTIVE)
        if directive == _REPLACE:
            replace = True
        if directive == _DELETE and merge_key in v:
            while True:
                idx = next(
                    (
                        i
                        for i in range(length)
                        if merge_key in backing[i] and _eq(backing[i][merge_key], v[merge_key])
                    ),
                    -1,
                )
                if idx < 0:
                    break
                backing[idx : length - 1] = backing[idx + 1 : length]
                length -= 1
    if replace:
        return backing  # the merge goes on in the patch's own array
    for v in patch:
        if _DIRECTIVE in v or merge_key not in v:
            continue
        if any(
            merge_key in backing[i] and _eq(backing[i][merge_key], v[merge_key])
            for i in range(length)
        ):
            continue
        if length >= len(backing):
            break  # append reallocates: nothing more reaches the live array
        backing[length] = v
        length += 1
    return backing


def _merge_set_element_order(
    original: dict[str, Any], patch: dict[str, Any], schema: dict[str, Any] | None, opts: _Opts
) -> None:
    """``mergePatchIntoOriginal``: merge lists that come with ``$setElementOrder/<list>``."""
    for key in [k for k in patch if k.startswith(_SET_ELEMENT_ORDER)]:
        order = patch.pop(key)
        if not opts.merge_parallel_list:
            if key in original:
                if not _deep_equal(original[key], order):
                    raise PatchError(_ERR_SET_ELEMENT_ORDER)
            else:
                original[key] = order
        if not isinstance(order, list):
            raise _err_bad_arg_type("slice", order)
        list_key = _extract_key(key, _SET_ELEMENT_ORDER)
        found_original, found_patch = list_key in original, list_key in patch
        original_list = original.get(list_key) if found_original else []
        patch_list = patch.get(list_key) if found_patch else []
        if found_original and not isinstance(original_list, list):
            raise _err_bad_arg_type("slice", original_list)
        if found_patch and not isinstance(patch_list, list):
            raise _err_bad_arg_type("slice", patch_list)
        sub, strategies, merge_key = _lookup_slice(schema, list_key)
        _, strategy = _retain_keys_strategy(strategies)
        _validate_set_order(patch_list, order, merge_key)
        if found_original and not found_patch:
            merged = original_list
        elif found_patch and not found_original:
            merged = _remove_directives(patch_list)[0]
        elif found_original and found_patch:
            server_order = _aliased_server_order(original_list, patch_list, strategy, merge_key)
            merged = _merge_slice_handler(
                original_list, patch_list, sub, strategy, merge_key, False, opts
            )
            original_list = server_order
        else:
            continue
        if merge_key:
            patch_items, server_only = _partition_maps(merged, order, merge_key)
        else:
            patch_items, server_only = _partition_primitives(merged, order)
        if original_list or patch_list:
            kind = _slice_element_kind(original_list, patch_list)
        else:
            kind = "map" if merge_key else "string"
        original[list_key] = _normalize_element_order(
            patch_items, server_only, order, original_list, merge_key, kind
        )
        patch.pop(list_key, None)


# --- computing a strategic merge patch (the diff half) ---------------------------------------


class _DiffOpts:
    __slots__ = (
        "set_element_order",
        "ignore_changes_and_additions",
        "ignore_deletions",
        "build_retain_keys",
    )

    def __init__(
        self,
        set_element_order: bool = False,
        ignore_changes_and_additions: bool = False,
        ignore_deletions: bool = False,
        build_retain_keys: bool = False,
    ) -> None:
        self.set_element_order = set_element_order
        self.ignore_changes_and_additions = ignore_changes_and_additions
        self.ignore_deletions = ignore_deletions
        self.build_retain_keys = build_retain_keys

    def with_retain_keys(self, value: bool) -> _DiffOpts:
        return _DiffOpts(
            self.set_element_order, self.ignore_changes_and_additions, self.ignore_deletions, value
        )


def _diff_maps(
    original: dict[str, Any],
    modified: dict[str, Any],
    schema: dict[str, Any] | None,
    opts: _DiffOpts,
) -> dict[str, Any]:
    """``diffMaps``: the patch that turns ``original`` into ``modified``."""
    patch: dict[str, Any] = {}
    retain: list[Any] = []
    for key, mod_v in modified.items():
        if opts.build_retain_keys and mod_v is not None:
            retain.append(key)
        if key not in original:
            if not opts.ignore_changes_and_additions:
                patch[key] = mod_v
            continue
        orig_v = original[key]
        if key == _DIRECTIVE:
            if not isinstance(orig_v, str) or not isinstance(mod_v, str):
                raise PatchError(f"invalid value for special key: {_DIRECTIVE}")
            if orig_v != mod_v:
                patch[_DIRECTIVE] = mod_v
            continue
        if _kind(orig_v) != _kind(mod_v):
            if not opts.ignore_changes_and_additions:
                patch[key] = mod_v
            continue
        kind = _kind(orig_v)
        if kind == "map":
            sub, strategies, _ = _lookup_struct(schema, key)
            retain_keys, strategy = _retain_keys_strategy(strategies)
            if strategy == _REPLACE:
                if not opts.ignore_changes_and_additions:
                    patch[key] = mod_v
            else:
                value = _diff_maps(orig_v, mod_v, sub, opts.with_retain_keys(retain_keys))
                if value:
                    patch[key] = value
        elif kind == "slice":
            sub, strategies, merge_key = _lookup_slice(schema, key)
            retain_keys, strategy = _retain_keys_strategy(strategies)
            if strategy == _MERGE:
                adds, deletes, order = _diff_lists(
                    orig_v, mod_v, sub, merge_key, opts.with_retain_keys(retain_keys)
                )
                if adds:
                    patch[key] = adds
                if deletes:
                    patch[f"{_DELETE_FROM_PRIMITIVE_LIST}/{key}"] = deletes
                if order:
                    patch[f"{_SET_ELEMENT_ORDER}/{key}"] = order
            elif not opts.ignore_changes_and_additions and not _deep_equal(orig_v, mod_v):
                patch[key] = mod_v
        elif not opts.ignore_changes_and_additions and not _deep_equal(orig_v, mod_v):
            patch[key] = mod_v
    if not opts.ignore_deletions:
        for key in original:
            if key not in modified:
                patch[key] = None
    if retain and (patch or any(v is not None and k not in modified for k, v in original.items())):
        patch[_RETAIN_KEYS] = _sort_scalars(retain)
    return patch


def _diff_lists(
    original: list[Any],
    modified: list[Any],
    elem_schema: dict[str, Any] | None,
    merge_key: str,
    opts: _DiffOpts,
) -> tuple[list[Any], list[Any], list[Any]]:
    """``diffLists``: (additions and changes, primitive deletions, ``$setElementOrder`` list)."""
    if not original:
        if not modified or opts.ignore_changes_and_additions:
            return [], [], []
        return modified, [], []
    kind = _slice_element_kind(original, modified)
    order: list[Any] = []
    if kind == "map":
        patch_list, deletions = _diff_lists_of_maps(
            original, modified, elem_schema, merge_key, opts
        )
        patch_list = _normalize_slice_order(patch_list, modified, merge_key, kind)
        order_same = len(original) == len(modified) and all(
            _eq(o.get(merge_key), m.get(merge_key)) for o, m in zip(original, modified, strict=True)
        )
        patch_list = patch_list + deletions
        deletions = []
        if opts.set_element_order and (
            (not opts.ignore_changes_and_additions and (patch_list or not order_same))
            or (not opts.ignore_deletions and patch_list)
        ):
            order = [{merge_key: m[merge_key]} for m in modified]
    elif kind == "slice":
        raise PatchError(_ERR_NO_LIST_OF_LISTS)
    else:
        patch_list, deletions = _diff_lists_of_scalars(original, modified, opts)
        patch_list = _normalize_slice_order(patch_list, modified, merge_key, kind)
        if opts.set_element_order and (
            (not opts.ignore_deletions and deletions)
            or (not opts.ignore_changes_and_additions and not _deep_equal(original, modified))
        ):
            order = list(modified)
    return patch_list, deletions, order


def _diff_lists_of_scalars(
    original: list[Any], modified: list[Any], opts: _DiffOpts
) -> tuple[list[Any], list[Any]]:
    """``diffListsOfScalars``: walk both lists sorted by their ``%v`` text."""
    orig = _sort_scalars(original)
    mod = _sort_scalars(modified)
    adds: list[Any] = []
    deletes: list[Any] = []
    oi = mi = 0
    while oi < len(orig) or mi < len(mod):
        o_in, m_in = oi < len(orig), mi < len(mod)
        o_s = _go_sprint(orig[oi]) if o_in else ""
        m_s = _go_sprint(mod[mi]) if m_in else ""
        if o_in and m_in and o_s == m_s:
            oi += 1
            mi += 1
        elif not o_in or (m_in and o_s > m_s):
            if not opts.ignore_changes_and_additions:
                adds.append(mod[mi])
            mi += 1
        else:
            if not opts.ignore_deletions:
                deletes.append(orig[oi])
            oi += 1
    return adds, _dedupe_scalars(deletes)


def _diff_lists_of_maps(
    original: list[Any],
    modified: list[Any],
    elem_schema: dict[str, Any] | None,
    merge_key: str,
    opts: _DiffOpts,
) -> tuple[list[Any], list[Any]]:
    """``diffListsOfMaps``: match items by merge key; changed items carry their key."""
    for lst in (original, modified):
        for item in lst:
            if not isinstance(item, dict):
                raise _err_bad_arg_type("map", item)
            if merge_key not in item:
                raise _err_no_merge_key(item, merge_key)
    orig = sorted(original, key=lambda m: _go_sprint(m[merge_key]))
    mod = sorted(modified, key=lambda m: _go_sprint(m[merge_key]))
    patch: list[Any] = []
    deletes: list[Any] = []
    oi = mi = 0
    while oi < len(orig) or mi < len(mod):
        o_in, m_in = oi < len(orig), mi < len(mod)
        o_s = _go_sprint(orig[oi][merge_key]) if o_in else ""
        m_s = _go_sprint(mod[mi][merge_key]) if m_in else ""
        if o_in and m_in and o_s == m_s:
            value = _diff_maps(orig[oi], mod[mi], elem_schema, opts)
            if value:
                value[merge_key] = mod[mi][merge_key]
                patch.append(value)
            oi += 1
            mi += 1
        elif not o_in or (m_in and o_s > m_s):
            if not opts.ignore_changes_and_additions:
                patch.append(mod[mi])
            mi += 1
        else:
            if not opts.ignore_deletions:
                deletes.append({merge_key: orig[oi][merge_key], _DIRECTIVE: _DELETE})
            oi += 1
    return patch, deletes


# --- public API --------------------------------------------------------------------------------


def merge_patch(target: Any, patch: Any) -> Any:
    """Apply a JSON merge patch (RFC 7386); neither argument is changed.

    >>> merge_patch({"a": 1, "b": {"c": 2}}, {"a": None, "b": {"d": 3}})
    {'b': {'c': 2, 'd': 3}}
    """
    if not isinstance(patch, dict):
        return _copy(patch)
    result = _copy(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = merge_patch(result.get(key), value)
    return result


def json_patch(target: Any, ops: list[dict[str, Any]] | str) -> Any:
    """Apply JSON patch operations (RFC 6902: add, remove, replace, move, copy, test).

    Failures raise :class:`PatchError` with the ``jsonpatch`` library's message (reason
    ``Invalid``, the 422 the API server answers); the target is never changed.
    """
    try:
        patch = (
            jsonpatch.JsonPatch.from_string(ops)
            if isinstance(ops, str)
            else jsonpatch.JsonPatch(ops)
        )
    except (ValueError, TypeError, jsonpatch.JsonPatchException) as e:
        raise PatchError(str(e)) from None
    try:
        return patch.apply(_copy(target), in_place=True)
    except jsonpatch.InvalidJsonPatch as e:
        raise PatchError(str(e)) from None
    except (
        jsonpatch.JsonPatchException,
        jsonpatch.JsonPointerException,
        KeyError,
        IndexError,
        TypeError,
    ) as e:
        raise PatchError(str(e), reason="Invalid") from None


def strategic_merge_patch(
    target: dict[str, Any], patch: dict[str, Any], kind_key: Any = None
) -> dict[str, Any]:
    """Apply a strategic merge patch as the API server does (``StrategicMergeMapPatch``).

    ``kind_key`` names the schema: a Kind (``"Deployment"``; the target's ``apiVersion``
    picks the group), an ``(apiVersion, kind)`` pair, a definition name, or a schema dict;
    by default the target's own ``apiVersion`` and ``kind``. Neither argument is changed::

        >>> pod = {"apiVersion": "v1", "kind": "Pod", "spec": {"containers": [
        ...     {"name": "app", "image": "nginx:1.25"}, {"name": "log", "image": "busybox"}]}}
        >>> strategic_merge_patch(pod, {"spec": {"containers": [
        ...     {"name": "app", "image": "nginx:1.26"}]}})["spec"]["containers"]
        [{'name': 'app', 'image': 'nginx:1.26'}, {'name': 'log', 'image': 'busybox'}]

    A kind without a schema (a custom resource) raises :class:`PatchError` with reason
    ``UnsupportedMediaType``, as the API server refuses strategic patches for them.
    """
    if isinstance(patch, (str, bytes)):
        try:
            patch = json.loads(patch)
        except ValueError:
            raise PatchError("invalid JSON document") from None
    if not isinstance(patch, dict):
        raise PatchError("invalid JSON document")
    schema = _kind_schema(kind_key, target)
    if schema is None:
        raise PatchError(_ERR_UNSUPPORTED, reason="UnsupportedMediaType")
    return _merge_map(_copy(target) if target else {}, _copy(patch), schema, _Opts(True, True))


def _go_json(value: Any) -> str:
    """``json.Marshal``: compact, map keys sorted, ``<``, ``>``, ``&`` escaped as Go does."""
    text = json.dumps(value, separators=(",", ":"), ensure_ascii=False, sort_keys=True)
    return (
        text.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


def last_applied_configuration(manifest: Mapping[str, Any]) -> str:
    """The ``kubectl.kubernetes.io/last-applied-configuration`` value for a manifest.

    The manifest without that annotation, as compact JSON with sorted keys and a final
    newline; ``metadata.annotations`` is always present, ``{}`` when empty
    (``GetModifiedConfiguration``).
    """
    obj = _copy(dict(manifest))
    meta = obj.setdefault("metadata", {})
    annotations = dict(meta.get("annotations") or {})
    annotations.pop(LAST_APPLIED_ANNOTATION, None)
    meta["annotations"] = annotations
    return _go_json(obj) + "\n"


def with_last_applied(manifest: Mapping[str, Any]) -> dict[str, Any]:
    """A copy of the manifest carrying its own last-applied annotation, as kubectl sends it."""
    obj = _copy(dict(manifest))
    meta = obj.setdefault("metadata", {})
    annotations = dict(meta.get("annotations") or {})
    annotations[LAST_APPLIED_ANNOTATION] = last_applied_configuration(manifest)
    meta["annotations"] = annotations
    return obj


def _three_way_json_merge_patch(
    original: dict[str, Any], modified: dict[str, Any], current: dict[str, Any]
) -> dict[str, Any]:
    """``jsonmergepatch.CreateThreeWayJSONMergePatch``, what kubectl uses without a schema."""

    def diff(a: Any, b: Any, ignore_deletions: bool, ignore_changes: bool) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for k, v in b.items():
            if k not in a:
                if not ignore_changes:
                    out[k] = v
            elif isinstance(a[k], dict) and isinstance(v, dict):
                sub = diff(a[k], v, ignore_deletions, ignore_changes)
                if sub:
                    out[k] = sub
            elif not ignore_changes and not _deep_equal(a[k], v):
                out[k] = v
        if not ignore_deletions:
            for k in a:
                if k not in b:
                    out[k] = None
        return out

    deletions = diff(original, modified, ignore_deletions=False, ignore_changes=True)
    delta = diff(current, modified, ignore_deletions=True, ignore_changes=False)

    def merge(into: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
        for k, v in extra.items():
            if isinstance(v, dict) and isinstance(into.get(k), dict):
                into[k] = merge(into[k], v)
            else:
                into[k] = v
        return into

    return merge(deletions, delta)


def three_way_apply(
    last_applied: Mapping[str, Any] | str | None,
    live: Mapping[str, Any],
    new: Mapping[str, Any],
    kind_key: Any = None,
    *,
    annotate: bool = True,
) -> dict[str, Any]:
    """The patch ``kubectl apply`` sends (``CreateThreeWayMergePatch``, overwrite on).

    ``last_applied`` is the previous manifest (the annotation's JSON text or a dict; ``None``
    for an object never applied), ``live`` the object from the server, ``new`` the manifest
    being applied. With ``annotate`` (kubectl's default) the new manifest first gets its
    last-applied annotation, so the patch updates it too. ``{}`` means ``unchanged``;
    anything else is sent with :func:`strategic_merge_patch` and reported ``configured``.
    Kinds without a schema get kubectl's three-way JSON merge patch instead.
    """
    if isinstance(last_applied, str):
        original = json.loads(last_applied) if last_applied.strip() else {}
    else:
        original = _copy(dict(last_applied)) if last_applied else {}
    modified = with_last_applied(new) if annotate else _copy(dict(new))
    current = _copy(dict(live))
    schema = _kind_schema(kind_key, modified)
    if schema is None:
        return _three_way_json_merge_patch(original, modified, current)
    delta = _diff_maps(
        current, modified, schema, _DiffOpts(set_element_order=True, ignore_deletions=True)
    )
    deletions = _diff_maps(
        original,
        modified,
        schema,
        _DiffOpts(set_element_order=True, ignore_changes_and_additions=True),
    )
    return _merge_map(deletions, delta, schema, _Opts(False, False))
