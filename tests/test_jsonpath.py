"""Tests for k8snb.kubectl.jsonpath: client-go JSONPath templates and custom columns."""

import pytest

from k8snb.kubectl.jsonpath import (
    JSONPath,
    JSONPathError,
    custom_columns,
    go_sprint,
    jsonpath,
    kubectl_jsonpath,
    parse_custom_columns,
    relaxed_jsonpath_expression,
)
from k8snb.kubectl.printers import to_list


def pod(name, phase, node, labels=None, restarts=0, ip=None):
    p = {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": name, "namespace": "default", "labels": labels or {}},
        "spec": {"nodeName": node, "containers": [{"name": "app", "image": "nginx:1.25"}]},
        "status": {
            "phase": phase,
            "containerStatuses": [
                {"name": "app", "ready": phase == "Running", "restartCount": restarts}
            ],
        },
    }
    if ip:
        p["status"]["podIP"] = ip
    return p


PODS = to_list(
    [
        pod(
            "web-1",
            "Running",
            "node-1",
            {"app": "web", "app.kubernetes.io/name": "shop"},
            0,
            "10.244.1.5",
        ),
        pod("web-2", "Running", "node-2", {"app": "web"}, 3, "10.244.2.7"),
        pod("batch-x", "Succeeded", "node-1", {"app": "batch"}),
    ]
)


@pytest.mark.parametrize(
    ("template", "expected"),
    [
        ("{.items[*].metadata.name}", "web-1 web-2 batch-x"),
        ("{.items[0].metadata.name}", "web-1"),
        ("{.items[-1].metadata.name}", "batch-x"),
        ("{.items[1:3].metadata.name}", "web-2 batch-x"),
        ("{.items[:2].metadata.name}", "web-1 web-2"),
        ("{.items[0:3:2].metadata.name}", "web-1 batch-x"),
        ("{.items[0,2].metadata.name}", "web-1 batch-x"),
        ("{.kind}", "List"),
        ("{$.kind}", "List"),
        ("{.items[*].status.containerStatuses[0].restartCount}", "0 3 0"),
        ("{.items[0].status.containerStatuses[0].ready}", "true"),
        ('{.items[?(@.status.phase=="Running")].metadata.name}', "web-1 web-2"),
        ("{.items[?(@.status.phase!='Running')].metadata.name}", "batch-x"),
        ("{.items[?(@.status.containerStatuses[0].restartCount>0)].metadata.name}", "web-2"),
        (
            "{.items[?(@.status.containerStatuses[0].restartCount<=0)].metadata.name}",
            "web-1 batch-x",
        ),
        ("{.items[?(@.status.podIP)].metadata.name}", "web-1 web-2"),
        ("{.items[?(@.status.containerStatuses[0].ready==true)].metadata.name}", "web-1 web-2"),
        ("{.items[0].metadata.labels.app\\.kubernetes\\.io/name}", "shop"),
        ("{.items[0].metadata['name']}", "web-1"),
        ("{.items[2]['kind', 'apiVersion']}", "Pod v1"),
        ("pods: {.items[*].metadata.name}.", "pods: web-1 web-2 batch-x."),
        ("{.items[2].metadata.labels}", '{"app":"batch"}'),
        ("{.items[2].spec.containers}", '[{"image":"nginx:1.25","name":"app"}]'),
        ("{.items[0].spec.containers[*]['name', 'image']}", "app nginx:1.25"),
        ("{.items[*].spec.containers[*].image}", "nginx:1.25 nginx:1.25 nginx:1.25"),
        ("{.items[*].metadata.missing}", ""),
    ],
)
def test_templates(template, expected):
    assert jsonpath(template, PODS) == expected


def test_range_with_literals():
    template = '{range .items[*]}{.metadata.name}{"\\t"}{.status.phase}{"\\n"}{end}'
    assert jsonpath(template, PODS) == "web-1\tRunning\nweb-2\tRunning\nbatch-x\tSucceeded\n"
    single = "{range .items[*]}{.metadata.name}{'\\n'}{end}"
    assert jsonpath(single, PODS) == "web-1\nweb-2\nbatch-x\n"


def test_nested_range_and_text_after_end():
    template = (
        "{range .items[*]}{.metadata.name}:{range .spec.containers[*]}[{.name}]{end};{end}done"
    )
    assert jsonpath(template, PODS) == "web-1:[app];web-2:[app];batch-x:[app];done"


def test_range_over_nothing():
    assert jsonpath("{range .items[*]}{.x}{end}after", {"items": []}) == "after"


def test_recursive_descent():
    obj = {
        "metadata": {"name": "web"},
        "spec": {"containers": [{"name": "app"}, {"name": "sidecar"}]},
    }
    assert jsonpath("{..name}", obj) == "web app sidecar"
    assert jsonpath("{.spec..name}", obj) == "app sidecar"


def test_wildcard_on_maps_is_sorted():
    assert jsonpath("{.metadata.labels.*}", {"metadata": {"labels": {"b": "2", "a": "1"}}}) == "1 2"


def test_json_output_for_maps_and_escaping():
    obj = {"metadata": {"annotations": {"note": "a < b & c"}}}
    assert jsonpath("{.metadata.annotations}", obj) == '{"note":"a \\u003c b \\u0026 c"}'
    assert jsonpath("{.metadata.annotations}", obj, json_output=True) == (
        '[\n    {\n        "note": "a \\u003c b \\u0026 c"\n    }\n]\n'
    )


def test_scalars_print_like_go():
    obj = {"a": None, "b": 1.5, "c": 2.0, "d": False, "e": 1000000.0}
    assert jsonpath("{.a} {.b} {.c} {.d} {.e}", obj) == "<nil> 1.5 2 false 1e+06"


def test_missing_keys():
    assert jsonpath("{.spec.nope}", PODS["items"][0]) == ""
    with pytest.raises(JSONPathError, match="^nope is not found$"):
        jsonpath("{.spec.nope}", PODS["items"][0], allow_missing_keys=False)


@pytest.mark.parametrize(
    ("template", "message"),
    [
        ("{.metadata.name", "unclosed action"),
        ("{.items[}", "unterminated array"),
        ("{.items[?(@.a=='x']}", "unterminated filter"),
        ('{"abc}', "unterminated quoted string"),
        ("{.items[x]}", "invalid array index x"),
        ("{#}", "unrecognized character in action: U+0023 '#'"),
        ("{....x}", "invalid multiple recursive descent"),
    ],
)
def test_parse_errors(template, message):
    with pytest.raises(JSONPathError) as err:
        JSONPath(template)
    assert str(err.value) == message


@pytest.mark.parametrize(
    ("template", "message"),
    [
        ("{.items[5]}", "array index out of bounds: index 5, length 3"),
        ("{end}", "not in range, nothing to end"),
        ("{.kind[0]}", "string is not array or slice"),
        (
            "{.items[?(@.status.containerStatuses[0].restartCount>1.5)]}",
            "incompatible types for comparison",
        ),
        ("{.items[?(@.status.phase<1)]}", "incompatible types for comparison"),
        ("{.kind[?(@.x)]}", "List is not array or slice and cannot be filtered"),
        ("{foo}", "unrecognized identifier foo"),
    ],
)
def test_execution_errors(template, message):
    with pytest.raises(JSONPathError) as err:
        jsonpath(template, PODS)
    assert str(err.value) == message


def test_kubectl_error_wording():
    with pytest.raises(JSONPathError) as err:
        kubectl_jsonpath("{.metadata.name", {})
    assert str(err.value) == "error parsing jsonpath {.metadata.name, unclosed action"
    with pytest.raises(JSONPathError) as err:
        kubectl_jsonpath("{.spec.x}", {"spec": {"n": 1, "s": "a"}}, allow_missing_keys=False)
    assert str(err.value) == (
        'error executing jsonpath "{.spec.x}": Error executing template: x is not found. '
        "Printing more information for debugging the template:\n"
        "\ttemplate was:\n\t\t{.spec.x}\n"
        "\tobject given to jsonpath engine was:\n"
        '\t\tmap[string]interface {}{"spec":map[string]interface {}{"n":1, "s":"a"}}\n\n\n'
    )
    assert kubectl_jsonpath("{.spec.x}", {"spec": {}}) == ""


def test_go_sprint():
    assert go_sprint({"b": [1, "x"], "a": None}) == "map[a:<nil> b:[1 x]]"
    assert go_sprint(True) == "true"


# ---------------------------------------------------------------- custom columns


def test_relaxed_jsonpath_expression():
    assert relaxed_jsonpath_expression(".metadata.name") == "{.metadata.name}"
    assert relaxed_jsonpath_expression("metadata.name") == "{.metadata.name}"
    assert relaxed_jsonpath_expression("{metadata.name}") == "{.metadata.name}"
    assert relaxed_jsonpath_expression("{.metadata.name}") == "{.metadata.name}"
    with pytest.raises(JSONPathError, match="unexpected path string"):
        relaxed_jsonpath_expression("{.a}{.b}")


def test_parse_custom_columns_errors():
    assert parse_custom_columns("NAME:.metadata.name,NODE:.spec.nodeName") == [
        ("NAME", "{.metadata.name}"),
        ("NODE", "{.spec.nodeName}"),
    ]
    with pytest.raises(JSONPathError) as err:
        parse_custom_columns("NAME")
    assert (
        str(err.value) == "unexpected custom-columns spec: NAME, expected <header>:<json-path-expr>"
    )
    with pytest.raises(JSONPathError, match="no custom columns given"):
        parse_custom_columns("")


def test_custom_columns_output():
    spec = (
        "NAME:.metadata.name,NODE:.spec.nodeName,IP:.status.podIP,IMAGES:.spec.containers[*].image"
    )
    assert custom_columns(PODS["items"], spec) == (
        "NAME      NODE     IP           IMAGES\n"
        "web-1     node-1   10.244.1.5   nginx:1.25\n"
        "web-2     node-2   10.244.2.7   nginx:1.25\n"
        "batch-x   node-1   <none>       nginx:1.25\n"
    )
    assert custom_columns(PODS["items"][:1], "N:.metadata.name", no_headers=True) == "web-1\n"


def test_custom_columns_multiple_values_and_maps():
    obj = {
        "metadata": {"name": "a", "labels": {"x": "1"}},
        "spec": {"ports": [{"port": 80}, {"port": 443}]},
    }
    out = custom_columns([obj], "PORTS:.spec.ports[*].port,LABELS:.metadata.labels")
    assert out == "PORTS    LABELS\n80,443   map[x:1]\n"
