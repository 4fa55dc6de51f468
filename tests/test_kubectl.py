"""kubectl as learners know it: outputs and errors in kubectl's words, never a traceback."""

from __future__ import annotations

import pytest

from k8snb import Cluster

POD = """apiVersion: v1
kind: Pod
metadata:
  name: web
  labels: {app: web}
spec:
  containers:
  - name: nginx
    image: nginx:1.27
"""


@pytest.fixture()
def c() -> Cluster:
    return Cluster(workers=2, seed=0)


def test_apply_created_unchanged_configured(c: Cluster) -> None:
    assert c.kubectl("apply -f -", stdin=POD).stdout == "pod/web created\n"
    assert c.kubectl("apply -f -", stdin=POD).stdout == "pod/web unchanged\n"
    changed = POD.replace("{app: web}", "{app: web, tier: front}")
    assert c.kubectl("apply -f -", stdin=changed).stdout == "pod/web configured\n"
    assert c.api.get("pods", "web")["metadata"]["labels"] == {"app": "web", "tier": "front"}


def test_multi_document_apply_keeps_the_good_ones(c: Cluster) -> None:
    docs = POD + "---\n" + POD.replace("name: web", "name: Bad_Name") + "---\n" + \
        POD.replace("name: web", "name: web2")
    r = c.kubectl("apply -f -", stdin=docs)
    assert r.returncode == 1
    assert r.stdout == "pod/web created\npod/web2 created\n"
    assert r.stderr.startswith('The Pod "Bad_Name" is invalid: metadata.name: Invalid value')
    assert "Traceback" not in r.stderr


def test_bad_input_messages(c: Cluster) -> None:
    r = c.kubectl("get widgets")
    assert (r.stderr, r.returncode) == (
        'error: the server doesn\'t have a resource type "widgets"\n', 1)
    r = c.kubectl("get pod nope")
    assert r.stderr == 'Error from server (NotFound): pods "nope" not found\n'
    r = c.kubectl("apply -f -", stdin="kind: Pod\nmetadata: {name: x\n")
    assert r.returncode == 1 and r.stderr.startswith("error: error parsing STDIN: error "
                                                     "converting YAML to JSON: yaml: line")
    r = c.kubectl("apply -f -", stdin="apiVersion: v1\nkind: Widget\nmetadata: {name: w}\n")
    assert 'no matches for kind "Widget" in version "v1"' in r.stderr
    r = c.kubectl("delete namespace kube-system")
    assert r.stderr == ('Error from server (Forbidden): namespaces "kube-system" is forbidden: '
                        "this namespace may not be deleted\n")
    c.kubectl("apply -f -", stdin=POD)
    r = c.kubectl("create -f -", stdin=POD)
    assert r.stderr == ('Error from server (AlreadyExists): error when creating "STDIN": pods '
                        '"web" already exists\n')
    r = c.kubectl("get pods -l 'app in (web'")
    assert r.returncode == 1 and "Traceback" not in r.stderr


def test_get_variants(c: Cluster) -> None:
    c.kubectl("apply -f -", stdin=POD)
    c.settle()
    assert c.kubectl("get pods -o name").stdout == "pod/web\n"
    assert c.kubectl("get po web -o jsonpath={.spec.containers[0].image}").stdout == "nginx:1.27"
    wide = c.kubectl("get pods -o wide").stdout.splitlines()
    assert wide[0].split()[:7] == ["NAME", "READY", "STATUS", "RESTARTS", "AGE", "IP", "NODE"]
    labels = c.kubectl("get pods --show-labels").stdout
    assert "app=web" in labels
    assert c.kubectl("get pods -l app=web -o name").stdout == "pod/web\n"
    assert c.kubectl("get pods -l app!=web").stderr == "No resources found in default namespace.\n"
    assert "kube-system" in c.kubectl("get pods -A").stdout
    y = c.kubectl("get pod web -o yaml").stdout
    assert y.startswith("apiVersion: v1\nkind: Pod\n")


def test_label_annotate_taint(c: Cluster) -> None:
    c.kubectl("apply -f -", stdin=POD)
    assert c.kubectl("label pod web env=dev").stdout == "pod/web labeled\n"
    r = c.kubectl("label pod web env=prod")
    assert r.stderr == "error: 'env' already has a value (dev), and --overwrite is false\n"
    assert c.kubectl("label pod web env=prod --overwrite").stdout == "pod/web labeled\n"
    assert c.kubectl("label pod web env-").stdout == "pod/web unlabeled\n"
    assert c.kubectl("annotate pod web note=hi").stdout == "pod/web annotated\n"
    assert c.kubectl("taint nodes worker1 dedicated=gpu:NoSchedule").stdout == \
        "node/worker1 tainted\n"
    assert c.kubectl("taint nodes worker1 dedicated=gpu:NoSchedule-").stdout == \
        "node/worker1 untainted\n"


def test_exec_and_logs(c: Cluster) -> None:
    c.kubectl("apply -f -", stdin=POD)
    c.settle()
    r = c.kubectl("exec web -- cat /usr/share/nginx/html/index.html")
    assert "Welcome to nginx!" in r.stdout
    r = c.kubectl("exec web -c nope -- ls")
    assert r.stderr == ("Error from server (BadRequest): container nope is not valid for pod "
                        "web\n")
    assert c.kubectl("logs web").returncode == 0


def test_describe_pod_shows_events(c: Cluster) -> None:
    c.kubectl("apply -f -", stdin=POD)
    c.settle()
    out = c.kubectl("describe pod web").stdout
    assert out.startswith("Name:")
    assert "Events:" in out and "Scheduled" in out and "default-scheduler" in out


def test_delete_waits_for_the_pod_to_go(c: Cluster) -> None:
    c.kubectl("apply -f -", stdin=POD)
    c.settle()
    r = c.kubectl("delete pod web")
    assert r.stdout == 'pod "web" deleted\n'
    assert c.kubectl("get pods").stderr == "No resources found in default namespace.\n"


def test_api_resources_and_version(c: Cluster) -> None:
    out = c.kubectl("api-resources").stdout.splitlines()
    assert out[0].split() == ["NAME", "SHORTNAMES", "APIVERSION", "NAMESPACED", "KIND"]
    assert any(line.split()[:2] == ["deployments", "deploy"] for line in out)
    assert "Server Version: v1.35.0" in c.kubectl("version").stdout


def test_logs_of_a_workload_picks_one_of_its_pods(c: Cluster) -> None:
    c.kubectl("create deployment web --image=nginx --replicas=2")
    c.kubectl(["create", "job", "hello", "--image=busybox", "--", "sh", "-c", "echo hi"])
    c.settle()
    r = c.kubectl("logs deploy/web")
    assert r.returncode == 0 and r.stderr.startswith("Found 2 pods, using pod/web-")
    assert "start worker processes" in r.stdout
    assert c.kubectl("logs job/hello").stdout == "hi\n"


def test_result_html_is_well_formed() -> None:
    """A stray quote in the style attribute once froze JupyterLab's HTML sanitizer."""
    from html.parser import HTMLParser

    from k8snb.kubectl.result import KubectlResult

    seen: dict[str, str] = {}

    class Pre(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            if tag == "pre":
                seen.update({k: v or "" for k, v in attrs})

    Pre().feed(KubectlResult(["get", "pods"], "NAME\n", "", 0)._repr_html_())
    assert set(seen) == {"style"}
    assert seen["style"].endswith("monospace")


def test_the_echoed_command_can_be_pasted_into_a_shell() -> None:
    import shlex

    c = Cluster(workers=0, seed=0)
    r = c.kubectl('create cronjob tick --image=busybox:1.36 --schedule="*/5 * * * *" '
                  '-- sh -c "date; sleep 20"')
    assert r.returncode == 0
    assert r.command == ("kubectl create cronjob tick --image=busybox:1.36 "
                         "'--schedule=*/5 * * * *' -- sh -c 'date; sleep 20'")
    assert shlex.split(r.command)[1:] == r.args
    assert "$ kubectl create cronjob tick" in r._repr_html_()
    assert "sh -c &#x27;date; sleep 20&#x27;" in r._repr_html_()


def test_client_dry_run_prints_the_manifest_kubectl_built_and_creates_nothing() -> None:
    c = Cluster(workers=1, seed=0)
    out = c.kubectl("run web --image=nginx --dry-run=client -o yaml").stdout
    assert out == (
        "apiVersion: v1\nkind: Pod\nmetadata:\n  labels:\n    run: web\n  name: web\n"
        "spec:\n  containers:\n  - image: nginx\n    name: web\n    resources: {}\n"
        "  dnsPolicy: ClusterFirst\n  restartPolicy: Always\nstatus: {}\n")
    deploy = c.kubectl("create deployment api --image=nginx:1.27 -n kube-system "
                       "--dry-run=client -o yaml").stdout
    assert "  namespace: kube-system\n" in deploy and "  strategy: {}\n" in deploy
    assert "uid:" not in deploy and "creationTimestamp" not in deploy
    assert c.kubectl("run web --image=nginx --dry-run=client").stdout == \
        "pod/web created (dry run)\n"
    assert c.kubectl("run web --image=nginx --dry-run=server").stdout == \
        "pod/web created (server dry run)\n"
    assert c.api.list("pods", "default") == []
    assert c.kubectl("apply -f -", stdin=out).stdout == "pod/web created\n"  # round trip


def test_top_api_versions_and_interactive_run_answer_as_on_a_kubeadm_cluster() -> None:
    c = Cluster(workers=0, seed=0)
    top = c.kubectl("top nodes")
    assert top.returncode == 1 and top.stderr == "error: Metrics API not available\n"
    versions = c.kubectl("api-versions").stdout.splitlines()
    assert versions == sorted(versions) and {"v1", "apps/v1", "batch/v1"} <= set(versions)
    interactive = c.kubectl("run tmp --image=busybox:1.36 --rm -it -- sh")
    assert interactive.returncode == 1 and "kubectl exec POD -- COMMAND" in interactive.stderr
    assert c.api.list("pods", "default") == []
    assert "  events          List events" in c.kubectl("").stdout


def test_create_answers_unknown_and_not_yet_simulated_subcommands_differently() -> None:
    c = Cluster(workers=0, seed=0)
    r = c.kubectl("create statefulset x")
    assert r.returncode == 1 and r.stderr == (
        "Error: must specify one of -f and -k\n\nerror: unknown command \"statefulset x\"\n"
        "See 'kubectl create -h' for help and examples\n")
    r = c.kubectl("create priorityclass high")
    assert r.returncode == 1 and "not available in the simulated cluster yet" in r.stderr


def test_create_namespace_takes_exactly_one_name() -> None:
    c = Cluster(workers=0, seed=0)
    assert c.kubectl("create namespace a b").stderr == \
        "error: exactly one NAME is required, got 2\n"
    assert c.kubectl("create ns").stderr == "error: exactly one NAME is required, got 0\n"
    assert c.kubectl("create ns team").stdout == "namespace/team created\n"
    assert c.kubectl("create ns lab --dry-run=client -o yaml").stdout == (
        "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: lab\nspec: {}\nstatus: {}\n")
