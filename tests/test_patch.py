"""Patches: RFC 7386 examples, JSON patch, strategic merge patch cases in the spirit of
apimachinery strategicpatch/patch_test.go, and kubectl apply's three-way patch."""

import copy
import json

import pytest

from k8snb.api.patch import (
    LAST_APPLIED_ANNOTATION,
    PatchError,
    json_patch,
    last_applied_configuration,
    merge_patch,
    strategic_merge_patch,
    three_way_apply,
    with_last_applied,
)

# --- JSON merge patch (RFC 7386, appendix A) -------------------------------------------------


@pytest.mark.parametrize(
    "target, patch, result",
    [
        ({"a": "b"}, {"a": "c"}, {"a": "c"}),
        ({"a": "b"}, {"b": "c"}, {"a": "b", "b": "c"}),
        ({"a": "b"}, {"a": None}, {}),
        ({"a": "b", "b": "c"}, {"a": None}, {"b": "c"}),
        ({"a": ["b"]}, {"a": "c"}, {"a": "c"}),
        ({"a": "c"}, {"a": ["b"]}, {"a": ["b"]}),
        ({"a": {"b": "c"}}, {"a": {"b": "d", "c": None}}, {"a": {"b": "d"}}),
        ({"a": [{"b": "c"}]}, {"a": [1]}, {"a": [1]}),
        (["a", "b"], ["c", "d"], ["c", "d"]),
        ({"a": "b"}, ["c"], ["c"]),
        ({"a": "foo"}, None, None),
        ({"a": "foo"}, "bar", "bar"),
        ({"e": None}, {"a": 1}, {"e": None, "a": 1}),
        ([1, 2], {"a": "b", "c": None}, {"a": "b"}),
        ({}, {"a": {"bb": {"ccc": None}}}, {"a": {"bb": {}}}),
    ],
)
def test_merge_patch_rfc7386(target, patch, result):
    before = copy.deepcopy(target)
    assert merge_patch(target, patch) == result
    assert target == before


def test_merge_patch_replaces_lists_whole():
    pod = {"spec": {"containers": [{"name": "a", "image": "x"}, {"name": "b", "image": "y"}]}}
    out = merge_patch(pod, {"spec": {"containers": [{"name": "a", "image": "z"}]}})
    assert out["spec"]["containers"] == [{"name": "a", "image": "z"}]


# --- JSON patch ------------------------------------------------------------------------------


def test_json_patch_operations():
    obj = {"metadata": {"labels": {"app": "web"}}, "spec": {"replicas": 1}}
    out = json_patch(
        obj,
        [
            {"op": "replace", "path": "/spec/replicas", "value": 3},
            {"op": "add", "path": "/metadata/labels/tier", "value": "front"},
            {"op": "remove", "path": "/metadata/labels/app"},
        ],
    )
    assert out == {"metadata": {"labels": {"tier": "front"}}, "spec": {"replicas": 3}}
    assert obj["spec"]["replicas"] == 1
    assert json_patch(obj, '[{"op": "test", "path": "/spec/replicas", "value": 1}]') == obj


def test_json_patch_failures():
    with pytest.raises(PatchError) as e:
        json_patch({"a": 1}, [{"op": "remove", "path": "/b"}])
    assert e.value.reason == "Invalid"
    with pytest.raises(PatchError) as e:
        json_patch({"a": 1}, [{"op": "test", "path": "/a", "value": 2}])
    assert e.value.reason == "Invalid"
    with pytest.raises(PatchError) as e:
        json_patch({"a": 1}, [{"op": "bogus", "path": "/a"}])
    assert e.value.reason == "BadRequest"


# --- strategic merge patch -------------------------------------------------------------------


def _pod():
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {
            "name": "web",
            "labels": {"app": "web", "tier": "front"},
            "finalizers": ["a", "b"],
        },
        "spec": {
            "containers": [
                {
                    "name": "app",
                    "image": "nginx:1.25",
                    "args": ["-g", "daemon off;"],
                    "ports": [{"containerPort": 80, "protocol": "TCP"}],
                    "env": [{"name": "A", "value": "1"}],
                    "resources": {"limits": {"cpu": "500m", "memory": "128Mi"}},
                },
                {"name": "log", "image": "busybox"},
            ],
            "volumes": [{"name": "data", "emptyDir": {}}],
            "tolerations": [{"key": "a", "operator": "Exists"}],
            "nodeSelector": {"disk": "ssd"},
        },
    }


def _containers(pod):
    return {c["name"]: c for c in pod["spec"]["containers"]}


def test_containers_merge_by_name():
    pod = _pod()
    out = strategic_merge_patch(
        pod, {"spec": {"containers": [{"name": "app", "image": "nginx:1.26"}]}}
    )
    assert [c["name"] for c in out["spec"]["containers"]] == ["app", "log"]
    assert _containers(out)["app"]["image"] == "nginx:1.26"
    assert _containers(out)["app"]["env"] == [{"name": "A", "value": "1"}]
    assert _containers(out)["log"] == {"name": "log", "image": "busybox"}
    assert pod == _pod()  # inputs are not changed


def test_new_list_items_go_before_the_live_ones():
    # mergeSortedSlice: an item the live list does not know is placed before live-only items.
    out = strategic_merge_patch(
        _pod(), {"spec": {"containers": [{"name": "new", "image": "redis"}]}}
    )
    assert [c["name"] for c in out["spec"]["containers"]] == ["new", "app", "log"]


def test_env_ports_volumes_merge_by_their_keys():
    out = strategic_merge_patch(
        _pod(),
        {
            "spec": {
                "containers": [
                    {
                        "name": "app",
                        "env": [{"name": "B", "value": "2"}, {"name": "A", "value": "9"}],
                        "ports": [{"containerPort": 80, "name": "http"}],
                    }
                ],
                "volumes": [{"name": "cache", "emptyDir": {}}],
            }
        },
    )
    app = _containers(out)["app"]
    assert app["env"] == [{"name": "B", "value": "2"}, {"name": "A", "value": "9"}]
    assert app["ports"] == [{"containerPort": 80, "protocol": "TCP", "name": "http"}]
    assert [v["name"] for v in out["spec"]["volumes"]] == ["cache", "data"]


def test_atomic_lists_and_scalars_are_replaced():
    out = strategic_merge_patch(
        _pod(),
        {
            "spec": {
                "tolerations": [{"key": "b", "operator": "Exists"}],
                "containers": [{"name": "app", "args": ["-v"]}],
            }
        },
    )
    assert out["spec"]["tolerations"] == [{"key": "b", "operator": "Exists"}]
    assert _containers(out)["app"]["args"] == ["-v"]


def test_maps_merge_and_null_deletes():
    out = strategic_merge_patch(
        _pod(),
        {
            "metadata": {"labels": {"tier": None, "env": "prod"}},
            "spec": {
                "nodeSelector": {"zone": "a"},
                "containers": [{"name": "app", "resources": {"limits": {"cpu": "1"}}}],
            },
        },
    )
    assert out["metadata"]["labels"] == {"app": "web", "env": "prod"}
    assert out["spec"]["nodeSelector"] == {"disk": "ssd", "zone": "a"}
    assert _containers(out)["app"]["resources"]["limits"] == {"cpu": "1", "memory": "128Mi"}


def test_nulls_inside_new_fields_are_dropped():
    out = strategic_merge_patch(
        _pod(), {"spec": {"securityContext": {"runAsUser": 1000, "fsGroup": None}}}
    )
    assert out["spec"]["securityContext"] == {"runAsUser": 1000}


def test_primitive_merge_lists_union():
    out = strategic_merge_patch(_pod(), {"metadata": {"finalizers": ["c", "a"]}})
    assert out["metadata"]["finalizers"] == ["c", "a", "b"]


def test_patch_delete_directive_removes_a_list_item():
    out = strategic_merge_patch(
        _pod(), {"spec": {"containers": [{"name": "log", "$patch": "delete"}]}}
    )
    assert [c["name"] for c in out["spec"]["containers"]] == ["app"]


def test_patch_replace_directive_on_a_list():
    out = strategic_merge_patch(
        _pod(), {"spec": {"containers": [{"name": "only", "image": "x"}, {"$patch": "replace"}]}}
    )
    assert out["spec"]["containers"] == [{"name": "only", "image": "x"}]


def test_patch_replace_and_delete_directives_on_a_map():
    out = strategic_merge_patch(
        _pod(), {"spec": {"nodeSelector": {"$patch": "replace", "zone": "b"}}}
    )
    assert out["spec"]["nodeSelector"] == {"zone": "b"}
    out = strategic_merge_patch(_pod(), {"metadata": {"labels": {"$patch": "delete"}}})
    assert out["metadata"]["labels"] == {}


def test_delete_from_primitive_list_directive():
    out = strategic_merge_patch(
        _pod(), {"metadata": {"$deleteFromPrimitiveList/finalizers": ["a"]}}
    )
    assert out["metadata"]["finalizers"] == ["b"]


def test_set_element_order_directive_reorders():
    out = strategic_merge_patch(
        _pod(), {"spec": {"$setElementOrder/containers": [{"name": "log"}, {"name": "app"}]}}
    )
    assert [c["name"] for c in out["spec"]["containers"]] == ["log", "app"]


def test_retain_keys_clears_the_other_fields():
    dep = {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "spec": {"strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": "25%"}}},
    }
    out = strategic_merge_patch(
        dep, {"spec": {"strategy": {"$retainKeys": ["type"], "type": "Recreate"}}}
    )
    assert out["spec"]["strategy"] == {"type": "Recreate"}
    with pytest.raises(PatchError, match="invalid patch format of retainKeys"):
        strategic_merge_patch(
            dep, {"spec": {"strategy": {"$retainKeys": ["type"], "rollingUpdate": {}}}}
        )


def test_merge_key_is_required_in_merged_lists():
    with pytest.raises(PatchError) as e:
        strategic_merge_patch(_pod(), {"spec": {"containers": [{"image": "redis"}]}})
    assert str(e.value) == "map: map[image:redis] does not contain declared merge key: name"


def test_unknown_directive():
    with pytest.raises(PatchError) as e:
        strategic_merge_patch(_pod(), {"spec": {"nodeSelector": {"$patch": "bogus"}}})
    assert str(e.value).startswith("unknown patch type: bogus in map:")


def test_kind_key_forms():
    dep = {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "spec": {
            "template": {
                "spec": {"containers": [{"name": "a", "image": "x"}, {"name": "b", "image": "y"}]}
            }
        },
    }
    patch = {"spec": {"template": {"spec": {"containers": [{"name": "a", "image": "z"}]}}}}
    for key in (None, "Deployment", ("apps/v1", "Deployment"), "io.k8s.api.apps.v1.Deployment"):
        out = strategic_merge_patch(dep, patch, key)
        assert len(out["spec"]["template"]["spec"]["containers"]) == 2


def test_custom_resources_do_not_support_strategic_merge_patch():
    with pytest.raises(PatchError) as e:
        strategic_merge_patch({"apiVersion": "example.com/v1", "kind": "Widget"}, {"spec": {}})
    assert e.value.reason == "UnsupportedMediaType"


# --- kubectl apply ---------------------------------------------------------------------------


def _manifest():
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "web", "namespace": "default", "labels": {"app": "web", "team": "a"}},
        "spec": {
            "replicas": 2,
            "selector": {"matchLabels": {"app": "web"}},
            "template": {
                "metadata": {"labels": {"app": "web"}},
                "spec": {
                    "containers": [
                        {
                            "name": "nginx",
                            "image": "nginx:1.25",
                            "ports": [{"containerPort": 80}],
                            "env": [{"name": "A", "value": "1"}, {"name": "B", "value": "2"}],
                        },
                        {"name": "side", "image": "busybox"},
                    ]
                },
            },
        },
    }


def _created(manifest):
    """What the server stores for `kubectl apply` of a new object, with defaults and status."""
    live = with_last_applied(manifest)
    live["metadata"].update({"uid": "u-1", "resourceVersion": "7", "generation": 1})
    nginx = live["spec"]["template"]["spec"]["containers"][0]
    nginx["imagePullPolicy"] = "IfNotPresent"
    nginx["ports"][0]["protocol"] = "TCP"
    live["spec"]["revisionHistoryLimit"] = 10
    live["status"] = {"replicas": 2}
    return live


def _apply(live, manifest):
    last = live["metadata"]["annotations"][LAST_APPLIED_ANNOTATION]
    patch = three_way_apply(last, live, manifest)
    return patch, strategic_merge_patch(live, patch)


def test_last_applied_annotation_format():
    text = last_applied_configuration(_manifest())
    assert text.endswith("}\n")
    assert text.startswith(
        '{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"annotations":{},"labels"'
    )
    assert json.loads(text) == {
        **_manifest(),
        "metadata": {**_manifest()["metadata"], "annotations": {}},
    }
    odd = {"kind": "ConfigMap", "data": {"html": "<b>&</b>"}}
    assert '"<b>' not in last_applied_configuration(odd)
    assert "\\u003cb\\u003e\\u0026" in last_applied_configuration(odd)


def test_unchanged_manifest_gives_an_empty_patch():
    live = _created(_manifest())
    patch, _ = _apply(live, _manifest())
    assert patch == {}


def test_removed_fields_are_deleted_and_server_fields_kept():
    live = _created(_manifest())
    new = _manifest()
    del new["metadata"]["labels"]["team"]
    new["spec"]["replicas"] = 3
    nginx = new["spec"]["template"]["spec"]["containers"][0]
    nginx["image"] = "nginx:1.26"
    del nginx["env"][1]
    del new["spec"]["template"]["spec"]["containers"][1]

    patch, result = _apply(live, new)
    assert patch["metadata"]["labels"] == {"team": None}
    assert {"name": "side", "$patch": "delete"} in patch["spec"]["template"]["spec"]["containers"]
    assert patch["spec"]["template"]["spec"]["$setElementOrder/containers"] == [{"name": "nginx"}]

    assert result["metadata"]["labels"] == {"app": "web"}
    assert result["spec"]["replicas"] == 3
    containers = result["spec"]["template"]["spec"]["containers"]
    assert [c["name"] for c in containers] == ["nginx"]
    assert containers[0]["image"] == "nginx:1.26"
    assert containers[0]["env"] == [{"name": "A", "value": "1"}]
    # defaults the server added are not the manifest's business
    assert containers[0]["imagePullPolicy"] == "IfNotPresent"
    assert containers[0]["ports"] == [{"containerPort": 80, "protocol": "TCP"}]
    assert result["spec"]["revisionHistoryLimit"] == 10
    assert result["status"] == {"replicas": 2}
    # applying the same manifest again changes nothing
    assert _apply(result, new)[0] == {}


def test_changes_by_others_survive_unless_the_manifest_sets_the_field():
    manifest = _manifest()
    del manifest["spec"]["replicas"]
    live = _created(manifest)
    live["spec"]["replicas"] = 5  # kubectl scale
    assert _apply(live, manifest)[0] == {}
    manifest["spec"]["replicas"] = 2
    patch, result = _apply(live, manifest)
    assert result["spec"]["replicas"] == 2


def test_reordering_containers_in_the_manifest_reorders_them():
    live = _created(_manifest())
    new = _manifest()
    new["spec"]["template"]["spec"]["containers"].reverse()
    patch, result = _apply(live, new)
    assert patch["spec"]["template"]["spec"]["$setElementOrder/containers"] == [
        {"name": "side"},
        {"name": "nginx"},
    ]
    assert [c["name"] for c in result["spec"]["template"]["spec"]["containers"]] == [
        "side",
        "nginx",
    ]


def test_without_last_applied_nothing_is_deleted():
    live = _created(_manifest())
    del live["metadata"]["annotations"]
    new = _manifest()
    del new["metadata"]["labels"]["team"]
    patch = three_way_apply(None, live, new)
    assert "labels" not in patch["metadata"]  # no record that the user ever set team
    assert LAST_APPLIED_ANNOTATION in patch["metadata"]["annotations"]


def test_annotate_false_compares_manifests_only():
    live = _created(_manifest())
    last = live["metadata"]["annotations"][LAST_APPLIED_ANNOTATION]
    new = _manifest()
    new["metadata"]["annotations"] = {}
    new["spec"]["replicas"] = 4
    assert three_way_apply(last, live, new, annotate=False) == {"spec": {"replicas": 4}}


def test_custom_resources_use_a_json_merge_patch():
    old = {
        "apiVersion": "example.com/v1",
        "kind": "Widget",
        "metadata": {"name": "w"},
        "spec": {"a": 1, "b": [1, 2]},
    }
    live = with_last_applied(old)
    live["status"] = {"ok": True}
    new = copy.deepcopy(old)
    del new["spec"]["a"]
    new["spec"]["b"] = [3]
    patch = three_way_apply(live["metadata"]["annotations"][LAST_APPLIED_ANNOTATION], live, new)
    assert patch["spec"] == {"a": None, "b": [3]}
    assert "status" not in patch
    assert merge_patch(live, patch)["spec"] == {"b": [3]}


# --- upstream table tests ----------------------------------------------------------------------
# Cases from apimachinery pkg/util/strategicpatch/patch_test.go, run against the same fake
# "mergeItem" schema (a struct with merging and non-merging lists, a map, retainKeys fields).

import yaml  # noqa: E402

_ITEM: dict = {"properties": {}}
_ITEM["properties"].update(
    {
        "name": {"type": "string"},
        "value": {"type": "string"},
        "other": {"type": "string"},
        "mergingList": {
            "type": "array",
            "items": _ITEM,
            "x-kubernetes-patch-strategy": "merge",
            "x-kubernetes-patch-merge-key": "name",
        },
        "nonMergingList": {"type": "array", "items": _ITEM},
        "mergingIntList": {
            "type": "array",
            "items": {"type": "integer"},
            "x-kubernetes-patch-strategy": "merge",
        },
        "nonMergingIntList": {"type": "array", "items": {"type": "integer"}},
        "simpleMap": {"type": "object", "additionalProperties": {"type": "string"}},
        "replacingItem": {"x-kubernetes-patch-strategy": "replace"},
        "retainKeysMap": {
            "x-kubernetes-patch-strategy": "retainKeys",
            "properties": {
                "name": {"type": "string"},
                "value": {"type": "string"},
                "other": {"type": "string"},
                "simpleMap": {"type": "object", "additionalProperties": {"type": "string"}},
            },
        },
        "retainKeysMergingList": {
            "type": "array",
            "items": _ITEM,
            "x-kubernetes-patch-strategy": "merge,retainKeys",
            "x-kubernetes-patch-merge-key": "name",
        },
    }
)

# customStrategicMergePatchTestCaseData: patches applied to `original` give `modified`.
_CUSTOM_CASES = yaml.safe_load(
    """
- description: unique scalars when merging lists
  original: {mergingIntList: [1, 2]}
  twoWay: {mergingIntList: [2, 3]}
  modified: {mergingIntList: [1, 2, 3]}
- description: delete map from nested map
  original: {simpleMap: {key1: 1, key2: 1}}
  twoWay: {simpleMap: {$patch: delete}}
  modified: {simpleMap: {}}
- description: delete all items from merging list
  original: {mergingList: [{name: 1}, {name: 2}]}
  twoWay: {mergingList: [{$patch: replace}]}
  modified: {mergingList: []}
- description: merge empty merging lists
  original: {mergingList: []}
  twoWay: {mergingList: []}
  modified: {mergingList: []}
- description: delete all keys from map
  original: {name: 1, value: 1}
  twoWay: {$patch: replace}
  modified: {}
- description: add key and delete all keys from map
  original: {name: 1, value: 1}
  twoWay: {other: a, $patch: replace}
  modified: {other: a}
- description: delete all duplicate entries in a merging list
  original: {mergingList: [{name: 1}, {name: 1}, {name: 2, value: a}, {name: 3}, {name: 3}]}
  twoWay: {mergingList: [{name: 1, $patch: delete}, {name: 3, $patch: delete}]}
  modified: {mergingList: [{name: 2, value: a}]}
- description: retainKeys map can add a field when no retainKeys directive present
  original: {retainKeysMap: {name: foo}}
  twoWay: {retainKeysMap: {value: bar}}
  modified: {retainKeysMap: {name: foo, value: bar}}
- description: retainKeys map can delete a field when no retainKeys directive present
  original: {retainKeysMap: {name: foo, value: a}}
  twoWay: {retainKeysMap: {value: null}}
  modified: {retainKeysMap: {name: foo}}
- description: retainKeys list can change a field when no retainKeys directive present
  original: {retainKeysMergingList: [{name: bar}, {name: foo, value: a}]}
  twoWay: {retainKeysMergingList: [{name: foo, value: b}]}
  modified: {retainKeysMergingList: [{name: bar}, {name: foo, value: b}]}
- description: preserve the order from the patch in a merging list
  original: {mergingList: [{name: 1}, {name: 2, value: b}, {name: 3}]}
  twoWay: {mergingList: [{name: 3, value: c}, {name: 1, value: a}, {name: 2, other: x}]}
  modified: {mergingList: [{name: 3, value: c}, {name: 1, value: a}, {name: 2, value: b, other: x}]}
- description: preserve the order from the patch in a merging list 2
  original: {mergingList: [{name: 1}, {name: 2, value: b}, {name: 3}]}
  twoWay: {mergingList: [{name: 3, value: c}, {name: 1, value: a}]}
  modified: {mergingList: [{name: 2, value: b}, {name: 3, value: c}, {name: 1, value: a}]}
- description: preserve the order from the patch in a merging int list
  original: {mergingIntList: [1, 2, 3]}
  twoWay: {mergingIntList: [3, 1, 2]}
  modified: {mergingIntList: [3, 1, 2]}
- description: preserve the order from the patch in a merging int list 2
  original: {mergingIntList: [1, 2, 3]}
  twoWay: {mergingIntList: [3, 1]}
  modified: {mergingIntList: [2, 3, 1]}
- description: $setElementOrder contains item that is not present in the list to be merged
  original: {mergingList: [{name: 1}, {name: 3}]}
  twoWay:
    $setElementOrder/mergingList: [{name: 3}, {name: 2}, {name: 1}]
    mergingList: [{name: 3, value: 3}, {name: 1, value: 1}]
  modified: {mergingList: [{name: 3, value: 3}, {name: 1, value: 1}]}
- description: $setElementOrder contains item that is not present in the int list to be merged
  original: {mergingIntList: [1, 3]}
  twoWay: {$setElementOrder/mergingIntList: [3, 2, 1]}
  modified: {mergingIntList: [3, 1]}
"""
)

_CUSTOM_ERRORS = yaml.safe_load(
    """
- description: should check if order in $setElementOrder and patch list match
  original: {mergingList: [{name: 1}, {name: 3}, {name: 2}]}
  twoWay:
    $setElementOrder/mergingList: [{name: 1}, {name: 2}, {name: 3}]
    mergingList: [{name: 3, value: 3}, {name: 1, value: 1}]
  error: doesn't match
- description: should check if order in $setElementOrder and patch int list match
  original: {mergingIntList: [1, 3, 2]}
  twoWay:
    $setElementOrder/mergingIntList: [1, 2, 3]
    mergingIntList: [3, 1]
  error: doesn't match
- description: missing merge key should error out
  original: {mergingList: [{name: 1, value: a}]}
  twoWay: {mergingList: [{value: b}]}
  error: does not contain declared merge key
"""
)


@pytest.mark.parametrize("case", _CUSTOM_CASES, ids=lambda c: c["description"])
def test_upstream_custom_patch_application(case):
    assert strategic_merge_patch(case["original"], case["twoWay"], _ITEM) == case["modified"]


@pytest.mark.parametrize("case", _CUSTOM_ERRORS, ids=lambda c: c["description"])
def test_upstream_custom_patch_errors(case):
    with pytest.raises(PatchError, match=case["error"]):
        strategic_merge_patch(case["original"], case["twoWay"], _ITEM)


# createStrategicMergePatchTestCaseData and strategicMergePatchRawTestCases: the two-way patch
# turns original into modified; kubectl apply's three-way patch (overwrite on) is threeWay,
# and applying it to current gives result.
_THREE_WAY_CASES = yaml.safe_load(
    """
- description: nil original
  twoWay: {name: 1, value: 1}
  modified: {name: 1, value: 1}
  current: {name: 1, other: a}
  threeWay: {value: 1}
  result: {name: 1, value: 1, other: a}
- description: nil patch
  original: {name: 1}
  twoWay: {}
  modified: {name: 1}
  current: {name: 1}
  threeWay: {}
  result: {name: 1}
- description: add field to map
  original: {name: 1}
  twoWay: {value: 1}
  modified: {name: 1, value: 1}
  current: {name: 1, other: a}
  threeWay: {value: 1}
  result: {name: 1, value: 1, other: a}
- description: add field to map with conflict
  original: {name: 1}
  twoWay: {value: 1}
  modified: {name: 1, value: 1}
  current: {name: a, other: a}
  threeWay: {name: 1, value: 1}
  result: {name: 1, value: 1, other: a}
- description: add field and delete field from map
  original: {name: 1}
  twoWay: {name: null, value: 1}
  modified: {value: 1}
  current: {name: 1, other: a}
  threeWay: {name: null, value: 1}
  result: {value: 1, other: a}
- description: delete field from nested map
  original: {simpleMap: {key1: 1, key2: 1}}
  twoWay: {simpleMap: {key2: null}}
  modified: {simpleMap: {key1: 1}}
  current: {simpleMap: {key1: 1, key2: 1, other: a}}
  threeWay: {simpleMap: {key2: null}}
  result: {simpleMap: {key1: 1, other: a}}
- description: delete field from nested map with conflict
  original: {simpleMap: {key1: 1, key2: 1}}
  twoWay: {simpleMap: {key2: null}}
  modified: {simpleMap: {key1: 1}}
  current: {simpleMap: {key1: a, key2: 1, other: a}}
  threeWay: {simpleMap: {key1: 1, key2: null}}
  result: {simpleMap: {key1: 1, other: a}}
- description: delete all fields from map
  original: {name: 1, value: 1}
  twoWay: {name: null, value: null}
  modified: {}
  current: {name: 1, value: 1, other: a}
  threeWay: {name: null, value: null}
  result: {other: a}
- description: add field and delete all fields from map with conflict
  original: {name: 1, value: 1}
  twoWay: {name: null, value: null, other: a}
  modified: {other: a}
  current: {name: 1, value: 1, other: b}
  threeWay: {name: null, value: null, other: a}
  result: {other: a}
- description: replace list of scalars with conflict
  original: {nonMergingIntList: [1, 2]}
  twoWay: {nonMergingIntList: [2, 3]}
  modified: {nonMergingIntList: [2, 3]}
  current: {nonMergingIntList: [1, 4]}
  threeWay: {nonMergingIntList: [2, 3]}
  result: {nonMergingIntList: [2, 3]}
- description: delete all maps from merging list with conflict
  original: {mergingList: [{name: 1}, {name: 2}]}
  twoWay: {mergingList: [{name: 1, $patch: delete}, {name: 2, $patch: delete}]}
  modified: {mergingList: []}
  current: {mergingList: [{name: 1, other: a}, {name: 2, other: b}]}
  threeWay: {mergingList: [{name: 1, $patch: delete}, {name: 2, $patch: delete}]}
  result: {mergingList: []}
- description: delete all maps from empty merging list
  original: {mergingList: [{name: 1}, {name: 2}]}
  twoWay: {mergingList: [{name: 1, $patch: delete}, {name: 2, $patch: delete}]}
  modified: {mergingList: []}
  current: {mergingList: []}
  threeWay: {mergingList: [{name: 1, $patch: delete}, {name: 2, $patch: delete}]}
  result: {mergingList: []}
- description: merge empty merging lists
  original: {mergingList: []}
  twoWay: {}
  modified: {mergingList: []}
  current: {mergingList: []}
  threeWay: {}
  result: {mergingList: []}
- description: defined null values should propagate overwrite current fields (with conflict)
  original: {name: 2}
  twoWay: {name: 1, value: 1, other: null}
  twoWayResult: {name: 1, value: 1}
  modified: {name: 1, value: 1, other: null}
  current: {name: a, other: a}
  threeWay: {name: 1, value: 1, other: null}
  result: {name: 1, value: 1}
- description: defined null values should propagate removing original fields
  original: {name: original-name, value: original-value}
  current: {name: original-name, value: original-value, other: current-other}
  modified: {name: modified-name, value: null}
  twoWay: {name: modified-name, value: null}
  twoWayResult: {name: modified-name}
  threeWay: {name: modified-name, value: null}
  result: {name: modified-name, other: current-other}
- description: nil patch with retainKeys map
  original: {name: a, retainKeysMap: {name: foo}}
  current: {name: a, value: b, retainKeysMap: {name: foo}}
  modified: {name: a, retainKeysMap: {name: foo}}
  twoWay: {}
  threeWay: {}
  result: {name: a, value: b, retainKeysMap: {name: foo}}
- description: retainKeys map with no change should not be present
  original: {name: a, retainKeysMap: {name: foo}}
  current: {name: a, other: c, retainKeysMap: {name: foo}}
  modified: {name: a, value: b, retainKeysMap: {name: foo}}
  twoWay: {value: b}
  threeWay: {value: b}
  result: {name: a, value: b, other: c, retainKeysMap: {name: foo}}
- description: delete items in lists of scalars
  original: {mergingIntList: [1, 2, 3]}
  twoWay: {$setElementOrder/mergingIntList: [1, 2], $deleteFromPrimitiveList/mergingIntList: [3]}
  modified: {mergingIntList: [1, 2]}
  current: {mergingIntList: [1, 2, 3, 4]}
  threeWay: {$setElementOrder/mergingIntList: [1, 2], $deleteFromPrimitiveList/mergingIntList: [3]}
  result: {mergingIntList: [1, 2, 4]}
- description: add and delete items in lists of scalars
  original: {mergingIntList: [1, 2, 3]}
  twoWay:
    $setElementOrder/mergingIntList: [1, 2, 4]
    $deleteFromPrimitiveList/mergingIntList: [3]
    mergingIntList: [4]
  modified: {mergingIntList: [1, 2, 4]}
  current: {mergingIntList: [1, 2, 3, 4]}
  threeWay: {$setElementOrder/mergingIntList: [1, 2, 4], $deleteFromPrimitiveList/mergingIntList: [3]}
  result: {mergingIntList: [1, 2, 4]}
- description: merge lists of maps
  original: {mergingList: [{name: 1}, {name: 2, value: 2}]}
  twoWay:
    $setElementOrder/mergingList: [{name: 4}, {name: 1}, {name: 2}, {name: 3}]
    mergingList: [{name: 4, value: 4}, {name: 3, value: 3}]
  modified: {mergingList: [{name: 4, value: 4}, {name: 1}, {name: 2, value: 2}, {name: 3, value: 3}]}
  current: {mergingList: [{name: 1, other: a}, {name: 2, value: 2, other: b}]}
  threeWay:
    $setElementOrder/mergingList: [{name: 4}, {name: 1}, {name: 2}, {name: 3}]
    mergingList: [{name: 4, value: 4}, {name: 3, value: 3}]
  result:
    mergingList: [{name: 4, value: 4}, {name: 1, other: a}, {name: 2, value: 2, other: b}, {name: 3, value: 3}]
- description: merge lists of maps with conflict
  original: {mergingList: [{name: 1}, {name: 2, value: 2}]}
  twoWay:
    $setElementOrder/mergingList: [{name: 1}, {name: 2}, {name: 3}]
    mergingList: [{name: 3, value: 3}]
  modified: {mergingList: [{name: 1}, {name: 2, value: 2}, {name: 3, value: 3}]}
  current: {mergingList: [{name: 1, other: a}, {name: 2, value: 3, other: b}]}
  threeWay:
    $setElementOrder/mergingList: [{name: 1}, {name: 2}, {name: 3}]
    mergingList: [{name: 2, value: 2}, {name: 3, value: 3}]
  result: {mergingList: [{name: 1, other: a}, {name: 2, value: 2, other: b}, {name: 3, value: 3}]}
- description: add field to map in merging list with conflict
  original: {mergingList: [{name: 1}, {name: 2, value: 2}]}
  twoWay:
    $setElementOrder/mergingList: [{name: 1}, {name: 2}]
    mergingList: [{name: 1, value: 1}]
  modified: {mergingList: [{name: 1, value: 1}, {name: 2, value: 2}]}
  current: {mergingList: [{name: 1, other: a}, {name: 3, value: 2, other: b}]}
  threeWay:
    $setElementOrder/mergingList: [{name: 1}, {name: 2}]
    mergingList: [{name: 1, value: 1}, {name: 2, value: 2}]
  result: {mergingList: [{name: 1, value: 1, other: a}, {name: 2, value: 2}, {name: 3, value: 2, other: b}]}
- description: add an item that already exists in current object in merging list
  original: {mergingList: [{name: 1, value: a}, {name: 2}]}
  twoWay:
    $setElementOrder/mergingList: [{name: 1}, {name: 2}, {name: 3}]
    mergingList: [{name: 3}]
  modified: {mergingList: [{name: 1, value: a}, {name: 2}, {name: 3}]}
  current: {mergingList: [{name: 1, value: a, other: x}, {name: 2}, {name: 3}]}
  threeWay: {}
  result: {mergingList: [{name: 1, value: a, other: x}, {name: 2}, {name: 3}]}
- description: delete map from merging list
  original: {mergingList: [{name: 1}, {name: 2}]}
  twoWay:
    $setElementOrder/mergingList: [{name: 2}]
    mergingList: [{name: 1, $patch: delete}]
  modified: {mergingList: [{name: 2}]}
  current: {mergingList: [{name: 1}, {name: 2, other: b}]}
  threeWay:
    $setElementOrder/mergingList: [{name: 2}]
    mergingList: [{name: 1, $patch: delete}]
  result: {mergingList: [{name: 2, other: b}]}
- description: delete missing map from merging list with conflict
  original: {mergingList: [{name: 1}, {name: 2}]}
  twoWay:
    $setElementOrder/mergingList: [{name: 2}]
    mergingList: [{name: 1, $patch: delete}]
  modified: {mergingList: [{name: 2}]}
  current: {mergingList: [{name: 3, other: a}]}
  threeWay:
    $setElementOrder/mergingList: [{name: 2}]
    mergingList: [{name: 2}, {name: 1, $patch: delete}]
  result: {mergingList: [{name: 2}, {name: 3, other: a}]}
- description: add map and delete map from merging list
  original: {mergingList: [{name: 1}, {name: 2}]}
  twoWay:
    $setElementOrder/mergingList: [{name: 2}, {name: 3}]
    mergingList: [{name: 3}, {name: 1, $patch: delete}]
  modified: {mergingList: [{name: 2}, {name: 3}]}
  current: {mergingList: [{name: 1}, {name: 2, other: b}, {name: 4, other: c}]}
  threeWay:
    $setElementOrder/mergingList: [{name: 2}, {name: 3}]
    mergingList: [{name: 3}, {name: 1, $patch: delete}]
  result: {mergingList: [{name: 2, other: b}, {name: 4, other: c}, {name: 3}]}
- description: add map and delete map from merging list with conflict
  original: {mergingList: [{name: 1}, {name: 2}]}
  twoWay:
    $setElementOrder/mergingList: [{name: 2}, {name: 3}]
    mergingList: [{name: 3}, {name: 1, $patch: delete}]
  modified: {mergingList: [{name: 2}, {name: 3}]}
  current: {mergingList: [{name: 1, other: a}, {name: 4, other: c}]}
  threeWay:
    $setElementOrder/mergingList: [{name: 2}, {name: 3}]
    mergingList: [{name: 2}, {name: 3}, {name: 1, $patch: delete}]
  result: {mergingList: [{name: 4, other: c}, {name: 2}, {name: 3}]}
- description: delete missing field from map in merging list with conflict
  original: {mergingList: [{name: 1, value: 1}, {name: 2, value: 2}]}
  twoWay:
    $setElementOrder/mergingList: [{name: 1}, {name: 2}]
    mergingList: [{name: 1, value: null}]
  modified: {mergingList: [{name: 1}, {name: 2, value: 2}]}
  current: {mergingList: [{name: 1, other: a}, {name: 2, other: b}]}
  threeWay:
    $setElementOrder/mergingList: [{name: 1}, {name: 2}]
    mergingList: [{name: 1, value: null}, {name: 2, value: 2}]
  result: {mergingList: [{name: 1, other: a}, {name: 2, value: 2, other: b}]}
- description: replace non merging list nested in merging list with deletion conflict
  original: {mergingList: [{name: 1, nonMergingList: [{name: 1}, {name: 2, value: 2}]}, {name: 2}]}
  twoWay:
    $setElementOrder/mergingList: [{name: 1}, {name: 2}]
    mergingList: [{name: 1, nonMergingList: [{name: 1, value: 1}]}]
  modified: {mergingList: [{name: 1, nonMergingList: [{name: 1, value: 1}]}, {name: 2}]}
  current: {mergingList: [{name: 1, other: a, nonMergingList: [{name: 2, value: 2}]}, {name: 2, other: b}]}
  threeWay:
    $setElementOrder/mergingList: [{name: 1}, {name: 2}]
    mergingList: [{name: 1, nonMergingList: [{name: 1, value: 1}]}]
  result: {mergingList: [{name: 1, other: a, nonMergingList: [{name: 1, value: 1}]}, {name: 2, other: b}]}
- description: add field to map in merging list nested in merging list with value conflict
  original: {mergingList: [{name: 1, mergingList: [{name: 1}, {name: 2, value: 2}]}, {name: 2}]}
  twoWay:
    $setElementOrder/mergingList: [{name: 1}, {name: 2}]
    mergingList:
      - {$setElementOrder/mergingList: [{name: 1}, {name: 2}], name: 1, mergingList: [{name: 1, value: 1}]}
  modified: {mergingList: [{name: 1, mergingList: [{name: 1, value: 1}, {name: 2, value: 2}]}, {name: 2}]}
  current:
    mergingList:
      - {name: 1, other: a, mergingList: [{name: 1, value: a, other: c}, {name: 2, value: b, other: d}]}
      - {name: 2, other: b}
  threeWay:
    $setElementOrder/mergingList: [{name: 1}, {name: 2}]
    mergingList:
      - $setElementOrder/mergingList: [{name: 1}, {name: 2}]
        name: 1
        mergingList: [{name: 1, value: 1}, {name: 2, value: 2}]
  result:
    mergingList:
      - {name: 1, other: a, mergingList: [{name: 1, value: 1, other: c}, {name: 2, value: 2, other: d}]}
      - {name: 2, other: b}
"""
)


@pytest.mark.parametrize("case", _THREE_WAY_CASES, ids=lambda c: c["description"])
def test_upstream_two_way_patch_application(case):
    original = case.get("original") or {}
    expected = case.get("twoWayResult", case["modified"])
    assert strategic_merge_patch(original, case["twoWay"], _ITEM) == expected


@pytest.mark.parametrize("case", _THREE_WAY_CASES, ids=lambda c: c["description"])
def test_upstream_three_way_patch(case):
    patch = three_way_apply(
        case.get("original"), case["current"], case["modified"], _ITEM, annotate=False
    )
    assert patch == case["threeWay"]
    assert strategic_merge_patch(case["current"], patch, _ITEM) == case["result"]
