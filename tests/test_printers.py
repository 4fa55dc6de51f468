"""Tests for k8snb.kubectl.printers: tabwriter layout, -o yaml/json/name, List wrapping."""

from k8snb.kubectl.printers import (
    TabWriter,
    format_table,
    go_format_float,
    json_marshal,
    to_json,
    to_list,
    to_name,
    to_yaml,
)

# ---------------------------------------------------------------- tabwriter


def test_tabwriter_column_blocks_like_go():
    # Go's text/tabwriter "elastic tabstops" example, left aligned: the b's and
    # the d's sit in the same cell index but in different column blocks.
    tw = TabWriter(minwidth=0, tabwidth=0, padding=1, padchar=".")
    tw.write("a\tb\tc\naa\tbb\tcc\naaa\t\naaaa\tdddd\teeee\n")
    assert tw.getvalue() == "a....b..c\naa...bb.cc\naaa..\naaaa.dddd.eeee\n"


def test_tabwriter_single_cell_line_ends_blocks():
    tw = TabWriter(padding=2)
    tw.write("Name:\tweb\nLongerKey:\tx\nContainers:\n  IP:\t1.2.3.4\n")
    assert tw.getvalue() == "Name:       web\nLongerKey:  x\nContainers:\n  IP:  1.2.3.4\n"


def test_tabwriter_empty_last_cell_keeps_padding():
    # kubectl describe prints "IP:" with trailing padding when the pod has no IP
    tw = TabWriter(padding=2)
    tw.write("Status:\tPending\nIP:\t\n")
    assert tw.getvalue() == "Status:  Pending\nIP:      \n"


def test_tabwriter_flush_starts_new_blocks():
    tw = TabWriter(padding=2)
    tw.write("a\tb\n")
    tw.flush()
    tw.write("longer\tc\n")
    assert tw.getvalue() == "a  b\nlonger  c\n"


# ---------------------------------------------------------------- tables


def test_format_table_get_pods_layout():
    out = format_table(
        ["NAME", "READY", "STATUS", "RESTARTS", "AGE"],
        [
            ["nginx-7854ff8877-abcde", "1/1", "Running", "0", "5m"],
            ["db-0", "0/1", "CrashLoopBackOff", "3 (42s ago)", "10m"],
        ],
    )
    assert out == (
        "NAME                     READY   STATUS             RESTARTS      AGE\n"
        "nginx-7854ff8877-abcde   1/1     Running            0             5m\n"
        "db-0                     0/1     CrashLoopBackOff   3 (42s ago)   10m\n"
    )
    assert not any(line.endswith(" ") for line in out.splitlines())


def test_format_table_min_width_six():
    assert format_table(["A", "B"], [["x", "y"]]) == "A     B\nx     y\n"


def test_format_table_headers_uppercased_and_no_headers():
    assert format_table(["Name", "Age"], [["a", "1s"]]) == "NAME   AGE\na      1s\n"
    assert format_table(["NAME", "AGE"], [["a", "1s"]], no_headers=True) == "a     1s\n"


def test_format_table_empty_prints_nothing():
    assert format_table(["NAME"], []) == ""


def test_format_table_cells_cut_at_newline_and_escape_terminal():
    out = format_table(["NAME", "MESSAGE"], [["a", "first line\nsecond"], ["b", "x\x1b[31m"]])
    assert out.splitlines()[1] == "a      first line..."
    assert out.splitlines()[2] == "b      x^[[31m"


def test_format_table_bool_and_none_cells():
    out = format_table(["NAME", "FLAG", "X"], [["a", False, None]])
    assert out == "NAME   FLAG    X\na      false   \n"


# ---------------------------------------------------------------- -o name / List


def test_to_name():
    assert to_name({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "web"}}) == "pod/web"
    deploy = {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"}}
    assert to_name(deploy) == "deployment.apps/web"
    ing = {"apiVersion": "networking.k8s.io/v1", "kind": "Ingress", "metadata": {"name": "w"}}
    assert to_name(ing) == "ingress.networking.k8s.io/w"
    assert to_name(deploy, "deploy") == "deploy/web"


def test_to_list_wrapper_yaml():
    pod = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "a"}}
    assert to_yaml(to_list([pod])) == (
        "apiVersion: v1\n"
        "items:\n"
        "- apiVersion: v1\n"
        "  kind: Pod\n"
        "  metadata:\n"
        "    name: a\n"
        "kind: List\n"
        "metadata:\n"
        '  resourceVersion: ""\n'
    )


def test_to_list_wrapper_json():
    assert to_json(to_list([])) == (
        '{\n    "apiVersion": "v1",\n    "items": [],\n    "kind": "List",\n'
        '    "metadata": {\n        "resourceVersion": ""\n    }\n}\n'
    )


# ---------------------------------------------------------------- -o yaml

POD = {
    "apiVersion": "v1",
    "kind": "Pod",
    "metadata": {
        "name": "web",
        "namespace": "default",
        "uid": "3c5d7a8e-1b2c-4d5e-8f90-123456789abc",
        "resourceVersion": "1042",
        "creationTimestamp": "2026-01-01T00:00:00Z",
        "labels": {"app": "web", "tier": "frontend"},
        "annotations": {"example.com/enabled": "true"},
        "managedFields": [{"manager": "kubectl", "operation": "Update"}],
    },
    "spec": {
        "containers": [
            {
                "name": "web",
                "image": "nginx:1.25",
                "imagePullPolicy": "IfNotPresent",
                "ports": [{"containerPort": 80, "protocol": "TCP"}],
                "resources": {},
                "terminationMessagePath": "/dev/termination-log",
            }
        ],
        "dnsPolicy": "ClusterFirst",
        "restartPolicy": "Always",
        "terminationGracePeriodSeconds": 30,
        "enableServiceLinks": True,
    },
    "status": {"phase": "Pending", "qosClass": "BestEffort"},
}


def test_to_yaml_pod_like_kubectl():
    assert to_yaml(POD) == (
        "apiVersion: v1\n"
        "kind: Pod\n"
        "metadata:\n"
        "  annotations:\n"
        '    example.com/enabled: "true"\n'
        '  creationTimestamp: "2026-01-01T00:00:00Z"\n'
        "  labels:\n"
        "    app: web\n"
        "    tier: frontend\n"
        "  name: web\n"
        "  namespace: default\n"
        '  resourceVersion: "1042"\n'
        "  uid: 3c5d7a8e-1b2c-4d5e-8f90-123456789abc\n"
        "spec:\n"
        "  containers:\n"
        "  - image: nginx:1.25\n"
        "    imagePullPolicy: IfNotPresent\n"
        "    name: web\n"
        "    ports:\n"
        "    - containerPort: 80\n"
        "      protocol: TCP\n"
        "    resources: {}\n"
        "    terminationMessagePath: /dev/termination-log\n"
        "  dnsPolicy: ClusterFirst\n"
        "  enableServiceLinks: true\n"
        "  restartPolicy: Always\n"
        "  terminationGracePeriodSeconds: 30\n"
        "status:\n"
        "  phase: Pending\n"
        "  qosClass: BestEffort\n"
    )


def test_to_yaml_keeps_managed_fields_on_request():
    assert "managedFields" in to_yaml(POD, show_managed_fields=True)
    assert "managedFields" not in to_yaml(POD)


def test_to_yaml_quoting_follows_go_yaml_v2():
    data = {
        "a": "yes",
        "b": "y",
        "c": "123",
        "d": "1.5",
        "e": "",
        "f": "null",
        "g": "x: y",
        "h": "*",
        "i": "plain text",
        "j": "1e3",
        "k": "0x1F",
        "l": "2026-01-01",
        "m": "10:30",
        "nn": "-",
        "o": "100m",
        "p": "1Gi",
    }
    assert to_yaml(data) == (
        'a: "yes"\n'
        'b: "y"\n'
        'c: "123"\n'
        'd: "1.5"\n'
        'e: ""\n'
        'f: "null"\n'
        "g: 'x: y'\n"
        "h: '*'\n"
        "i: plain text\n"
        'j: "1e3"\n'
        'k: "0x1F"\n'
        'l: "2026-01-01"\n'
        'm: "10:30"\n'
        "nn: '-'\n"
        "o: 100m\n"
        "p: 1Gi\n"
    )


def test_to_yaml_multiline_literal_blocks():
    data = {"script": "echo hi\necho bye\n", "strip": "a\nb"}
    assert to_yaml(data) == "script: |\n  echo hi\n  echo bye\nstrip: |-\n  a\n  b\n"


def test_to_yaml_key_order_is_go_yaml_natural_order():
    data = {"port10": 1, "port9": 2, "Zeta": 3, "alpha": 4}
    assert to_yaml(data) == "Zeta: 3\nalpha: 4\nport9: 2\nport10: 1\n"


def test_to_yaml_scalars():
    data = {"f": 1.5, "big": 1000000.0, "n": None, "t": True, "i": 7, "e": [], "m": {}}
    assert to_yaml(data) == 'big: 1e+06\ne: []\nf: 1.5\ni: 7\nm: {}\n"n": null\nt: true\n'


# ---------------------------------------------------------------- -o json


def test_to_json_pod_like_kubectl():
    out = to_json(POD)
    assert out.startswith('{\n    "apiVersion": "v1",\n    "kind": "Pod",\n    "metadata": {\n')
    assert (
        '        "annotations": {\n            "example.com/enabled": "true"\n        },\n' in out
    )
    assert (
        '                "ports": [\n                    {\n                        "containerPort": 80,\n'
        in out
    )
    assert '"resources": {},' in out
    assert "managedFields" not in out
    assert out.endswith("    }\n}\n")


def test_json_marshal_go_escaping_and_numbers():
    assert json_marshal({"b": "<none> & more", "a": 1.0, "c": [True, None]}) == (
        '{"a":1,"b":"\\u003cnone\\u003e \\u0026 more","c":[true,null]}'
    )
    assert json_marshal({"x": 1e-7, "y": 1e21, "z": "é\n"}) == '{"x":1e-7,"y":1e+21,"z":"é\\n"}'


def test_go_format_float():
    assert [go_format_float(f) for f in (1.5, 100.0, 1e6, 123456.0, 1e-5, 0.0001, -2.0)] == [
        "1.5",
        "100",
        "1e+06",
        "123456",
        "1e-05",
        "0.0001",
        "-2",
    ]
