"""Tests for k8snb.api.tables: the columns kubectl get prints (printers.go rules)."""

import pytest

from k8snb.api.tables import (
    decorate,
    format_label_selector,
    format_labels,
    label_columns,
    pod_status,
    table,
    with_kind,
)
from k8snb.kubectl.printers import format_table

T0 = 1767225600.0  # 2026-01-01T00:00:00Z
CREATED = "2026-01-01T00:00:00Z"
NOW = T0 + 3600  # one hour later


def ts(seconds_after_t0: float) -> str:
    from datetime import UTC, datetime

    return datetime.fromtimestamp(T0 + seconds_after_t0, tz=UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def get(kind, objs, now=NOW, wide=False, **decor):
    headers, rows = table(kind, objs, now, wide)
    if decor:
        headers, rows = decorate(headers, rows, objs, **decor)
    return format_table(headers, rows)


# ---------------------------------------------------------------- pods


def pod(name="web", phase="Running", statuses=None, init=None, init_statuses=None, **extra):
    containers = [
        {"name": s.get("name", f"c{i}"), "image": "nginx"} for i, s in enumerate(statuses or [{}])
    ]
    p = {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": name, "namespace": "default", "creationTimestamp": CREATED},
        "spec": {"containers": containers, "nodeName": "node-1"},
        "status": {"phase": phase},
    }
    if statuses is not None:
        p["status"]["containerStatuses"] = statuses
    if init is not None:
        p["spec"]["initContainers"] = init
    if init_statuses is not None:
        p["status"]["initContainerStatuses"] = init_statuses
    for key, value in extra.items():
        section, _, field = key.partition("__")
        p[section][field] = value
    return p


def running(name="web", restarts=0, ready=True, finished=None):
    s = {
        "name": name,
        "ready": ready,
        "restartCount": restarts,
        "started": True,
        "state": {"running": {"startedAt": CREATED}},
    }
    if finished is not None:
        s["lastState"] = {"terminated": {"exitCode": 1, "reason": "Error", "finishedAt": finished}}
    return s


def waiting(reason, name="web", restarts=0, finished=None):
    s = {
        "name": name,
        "ready": False,
        "restartCount": restarts,
        "state": {"waiting": {"reason": reason}},
    }
    if finished is not None:
        s["lastState"] = {"terminated": {"exitCode": 1, "reason": "Error", "finishedAt": finished}}
    return s


def terminated(reason=None, exit_code=0, name="web", signal=0):
    term = {"exitCode": exit_code, "finishedAt": CREATED}
    if reason:
        term["reason"] = reason
    if signal:
        term["signal"] = signal
    return {"name": name, "ready": False, "restartCount": 0, "state": {"terminated": term}}


def test_get_pods_running_pending_and_restarts():
    pods = [
        pod("nginx-7854ff8877-x2k4q", statuses=[running(restarts=3, finished=ts(3600 - 42))]),
        pod("db-0", phase="Pending", statuses=None),
    ]
    pods[1]["spec"].pop("nodeName")
    assert get("Pod", pods) == (
        "NAME                     READY   STATUS    RESTARTS      AGE\n"
        "nginx-7854ff8877-x2k4q   1/1     Running   3 (42s ago)   60m\n"
        "db-0                     0/1     Pending   0             60m\n"
    )


@pytest.mark.parametrize(
    ("p", "expected"),
    [
        (
            pod(phase="Pending", statuses=[waiting("ContainerCreating")]),
            ("0/1", "ContainerCreating", "0"),
        ),
        (
            pod(statuses=[waiting("CrashLoopBackOff", restarts=5, finished=ts(3600 - 20))]),
            ("0/1", "CrashLoopBackOff", "5 (20s ago)"),
        ),
        (
            pod(phase="Pending", statuses=[waiting("ImagePullBackOff")]),
            ("0/1", "ImagePullBackOff", "0"),
        ),
        (pod(phase="Succeeded", statuses=[terminated("Completed")]), ("0/1", "Completed", "0")),
        (pod(phase="Failed", statuses=[terminated("Error", 1)]), ("0/1", "Error", "0")),
        (pod(phase="Failed", statuses=[terminated("OOMKilled", 137)]), ("0/1", "OOMKilled", "0")),
        (pod(phase="Failed", statuses=[terminated(None, 137)]), ("0/1", "ExitCode:137", "0")),
        (pod(phase="Failed", statuses=[terminated(None, 0, signal=9)]), ("0/1", "Signal:9", "0")),
        (pod(phase="Running", statuses=[running(ready=False)]), ("0/1", "Running", "0")),
        (pod(phase="Unknown", statuses=[]), ("0/1", "Unknown", "0")),
        (pod(phase="Failed", statuses=[], status__reason="Evicted"), ("0/1", "Evicted", "0")),
    ],
)
def test_pod_status_container_rules(p, expected):
    assert pod_status(p, NOW) == expected


def test_pod_status_terminating_and_node_lost():
    p = pod(statuses=[running()])
    p["metadata"]["deletionTimestamp"] = ts(3590)
    assert pod_status(p, NOW) == ("1/1", "Terminating", "0")
    done = pod(phase="Succeeded", statuses=[terminated("Completed")])
    done["metadata"]["deletionTimestamp"] = ts(3590)
    assert pod_status(done, NOW)[1] == "Completed"
    lost = pod(statuses=[running()], status__reason="NodeLost")
    lost["metadata"]["deletionTimestamp"] = ts(3590)
    assert pod_status(lost, NOW)[1] == "Unknown"


def test_pod_status_init_containers():
    init = [{"name": "migrate", "image": "busybox"}]
    waiting_main = [waiting("PodInitializing")]
    p = pod(
        phase="Pending",
        statuses=waiting_main,
        init=init,
        init_statuses=[running("migrate", ready=False)],
    )
    assert pod_status(p, NOW) == ("0/1", "Init:0/1", "0")
    p = pod(
        phase="Pending",
        statuses=waiting_main,
        init=init,
        init_statuses=[waiting("CrashLoopBackOff", "migrate", restarts=2, finished=ts(3000))],
    )
    assert pod_status(p, NOW) == ("0/1", "Init:CrashLoopBackOff", "2 (10m ago)")
    p = pod(
        phase="Pending",
        statuses=waiting_main,
        init=init,
        init_statuses=[terminated("Error", 1, "migrate")],
    )
    assert pod_status(p, NOW)[1] == "Init:Error"
    p = pod(
        phase="Pending",
        statuses=waiting_main,
        init=init,
        init_statuses=[terminated(None, 2, "migrate")],
    )
    assert pod_status(p, NOW)[1] == "Init:ExitCode:2"
    two = [{"name": "a"}, {"name": "b"}]
    p = pod(
        phase="Pending",
        statuses=waiting_main,
        init=two,
        init_statuses=[terminated("Completed", 0, "a"), running("b", ready=False)],
    )
    assert pod_status(p, NOW)[1] == "Init:1/2"
    # initialised: the main container's state decides
    p = pod(statuses=[running()], init=init, init_statuses=[terminated("Completed", 0, "migrate")])
    assert pod_status(p, NOW) == ("1/1", "Running", "0")


def test_pod_status_sidecar_counts_in_ready():
    init = [{"name": "proxy", "restartPolicy": "Always"}]
    p = pod(statuses=[running()], init=init, init_statuses=[running("proxy")])
    p["status"]["conditions"] = [{"type": "Initialized", "status": "True"}]
    assert pod_status(p, NOW) == ("2/2", "Running", "0")


def test_pod_status_completed_but_still_running_container():
    p = pod(statuses=[running("a"), terminated("Completed", 0, "b")])
    p["status"]["conditions"] = [{"type": "Ready", "status": "False"}]
    assert pod_status(p, NOW)[1] == "NotReady"
    p["status"]["conditions"] = [{"type": "Ready", "status": "True"}]
    assert pod_status(p, NOW)[1] == "Running"


def test_pod_status_scheduling_gated():
    p = pod(phase="Pending", statuses=None)
    p["status"]["conditions"] = [
        {"type": "PodScheduled", "status": "False", "reason": "SchedulingGated"}
    ]
    assert pod_status(p, NOW)[1] == "SchedulingGated"


def test_get_pods_wide():
    p = pod(statuses=[running()])
    p["status"]["podIPs"] = [{"ip": "10.244.1.5"}]
    p["status"]["podIP"] = "10.244.1.5"
    p["spec"]["readinessGates"] = [
        {"conditionType": "example.com/lb"},
        {"conditionType": "example.com/dns"},
    ]
    p["status"]["conditions"] = [{"type": "example.com/lb", "status": "True"}]
    pending = pod("db-0", phase="Pending", statuses=None)
    pending["spec"].pop("nodeName")
    pending["status"]["nominatedNodeName"] = "node-2"
    assert get("Pod", [p, pending], wide=True) == (
        "NAME   READY   STATUS    RESTARTS   AGE   IP           NODE     NOMINATED NODE   READINESS GATES\n"
        "web    1/1     Running   0          60m   10.244.1.5   node-1   <none>           1/2\n"
        "db-0   0/1     Pending   0          60m   <none>       <none>   node-2           <none>\n"
    )


# ---------------------------------------------------------------- nodes


def node(name, ready="True", roles=(), unschedulable=False, conditions=True):
    labels = {"kubernetes.io/hostname": name}
    for r in roles:
        labels[f"node-role.kubernetes.io/{r}"] = ""
    n = {
        "apiVersion": "v1",
        "kind": "Node",
        "metadata": {"name": name, "creationTimestamp": CREATED, "labels": labels},
        "spec": {"unschedulable": True} if unschedulable else {},
        "status": {
            "conditions": [
                {"type": "MemoryPressure", "status": "False"},
                {"type": "Ready", "status": ready},
            ]
            if conditions
            else [],
            "addresses": [
                {"type": "InternalIP", "address": "172.18.0.2"},
                {"type": "Hostname", "address": name},
            ],
            "nodeInfo": {
                "kubeletVersion": "v1.31.0",
                "osImage": "Debian GNU/Linux 12 (bookworm)",
                "kernelVersion": "6.1.0-18-amd64",
                "containerRuntimeVersion": "containerd://1.7.18",
            },
        },
    }
    return n


def test_get_nodes_status_and_roles():
    nodes = [
        node("control-plane", roles=("control-plane",)),
        node("worker-1", unschedulable=True),
        node("worker-2", ready="False"),
        node("worker-3", ready="Unknown"),
        node("worker-4", conditions=False),
    ]
    nodes[1]["metadata"]["labels"]["kubernetes.io/role"] = "edge"
    assert get("Node", nodes) == (
        "NAME            STATUS                     ROLES           AGE   VERSION\n"
        "control-plane   Ready                      control-plane   60m   v1.31.0\n"
        "worker-1        Ready,SchedulingDisabled   edge            60m   v1.31.0\n"
        "worker-2        NotReady                   <none>          60m   v1.31.0\n"
        "worker-3        NotReady                   <none>          60m   v1.31.0\n"
        "worker-4        Unknown                    <none>          60m   v1.31.0\n"
    )


def test_get_nodes_wide():
    assert get("Node", [node("kind-worker")], wide=True) == (
        "NAME          STATUS   ROLES    AGE   VERSION   INTERNAL-IP   EXTERNAL-IP   "
        "OS-IMAGE                         KERNEL-VERSION   CONTAINER-RUNTIME\n"
        "kind-worker   Ready    <none>   60m   v1.31.0   172.18.0.2    <none>        "
        "Debian GNU/Linux 12 (bookworm)   6.1.0-18-amd64   containerd://1.7.18\n"
    )


def test_node_roles_sorted_and_joined():
    n = node("cp", roles=("worker", "control-plane", "etcd"))
    assert table("Node", [n], NOW)[1][0][2] == "control-plane,etcd,worker"


# ---------------------------------------------------------------- services


def svc(name, type_="ClusterIP", cluster_ip="10.96.12.34", ports=None, **spec):
    s = {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {"name": name, "namespace": "default", "creationTimestamp": CREATED},
        "spec": {
            "type": type_,
            "ports": ports if ports is not None else [{"port": 80, "protocol": "TCP"}],
        },
    }
    if cluster_ip:
        s["spec"]["clusterIP"] = cluster_ip
        s["spec"]["clusterIPs"] = [cluster_ip]
    s["spec"].update(spec)
    return s


def test_get_services():
    lb = svc("shop", "LoadBalancer", ports=[{"port": 443, "nodePort": 31443, "protocol": "TCP"}])
    lb_ready = svc(
        "api", "LoadBalancer", ports=[{"port": 80, "nodePort": 30080, "protocol": "TCP"}]
    )
    lb_ready["status"] = {"loadBalancer": {"ingress": [{"ip": "203.0.113.10"}]}}
    services = [
        svc(
            "kubernetes",
            cluster_ip="10.96.0.1",
            ports=[{"name": "https", "port": 443, "protocol": "TCP"}],
        ),
        svc("web", "NodePort", ports=[{"port": 80, "nodePort": 30080, "protocol": "TCP"}]),
        lb,
        lb_ready,
        svc("db", cluster_ip="None", ports=[{"port": 5432, "protocol": "TCP"}]),
        svc("ext", "ExternalName", cluster_ip=None, ports=[], externalName="example.com"),
        svc(
            "dns",
            cluster_ip="10.96.0.10",
            ports=[{"port": 53, "protocol": "UDP"}, {"port": 53, "protocol": "TCP"}],
        ),
        svc("pub", externalIPs=["198.51.100.7"]),
    ]
    assert get("Service", services) == (
        "NAME         TYPE           CLUSTER-IP    EXTERNAL-IP    PORT(S)         AGE\n"
        "kubernetes   ClusterIP      10.96.0.1     <none>         443/TCP         60m\n"
        "web          NodePort       10.96.12.34   <none>         80:30080/TCP    60m\n"
        "shop         LoadBalancer   10.96.12.34   <pending>      443:31443/TCP   60m\n"
        "api          LoadBalancer   10.96.12.34   203.0.113.10   80:30080/TCP    60m\n"
        "db           ClusterIP      None          <none>         5432/TCP        60m\n"
        "ext          ExternalName   <none>        example.com    <none>          60m\n"
        "dns          ClusterIP      10.96.0.10    <none>         53/UDP,53/TCP   60m\n"
        "pub          ClusterIP      10.96.12.34   198.51.100.7   80/TCP          60m\n"
    )


def test_get_services_wide_selector_and_lb_clipping():
    s = svc("web", selector={"app": "web", "tier": "fe"})
    assert table("Service", [s], NOW, wide=True)[0][-1] == "SELECTOR"
    assert table("Service", [s], NOW, wide=True)[1][0][-1] == "app=web,tier=fe"
    lb = svc("api", "LoadBalancer")
    lb["status"] = {"loadBalancer": {"ingress": [{"hostname": "a1b2c3d4e5f6.elb.example.com"}]}}
    assert table("Service", [lb], NOW)[1][0][3] == "a1b2c3d4e5f6...."
    assert table("Service", [lb], NOW, wide=True)[1][0][3] == "a1b2c3d4e5f6.elb.example.com"


def test_get_endpoints_and_slices():
    ep = {
        "kind": "Endpoints",
        "metadata": {"name": "web", "creationTimestamp": CREATED},
        "subsets": [
            {
                "addresses": [{"ip": f"10.244.{i}.5"} for i in range(1, 6)],
                "ports": [{"port": 8080, "protocol": "TCP"}],
            }
        ],
    }
    empty = {"kind": "Endpoints", "metadata": {"name": "none", "creationTimestamp": CREATED}}
    assert get("Endpoints", [ep, empty]) == (
        "NAME   ENDPOINTS                                                     AGE\n"
        "web    10.244.1.5:8080,10.244.2.5:8080,10.244.3.5:8080 + 2 more...   60m\n"
        "none   <none>                                                        60m\n"
    )
    eps = {
        "kind": "EndpointSlice",
        "metadata": {"name": "web-abc12", "creationTimestamp": CREATED},
        "addressType": "IPv4",
        "ports": [{"name": "", "port": 8080, "protocol": "TCP"}],
        "endpoints": [{"addresses": ["10.244.1.5"]}, {"addresses": ["10.244.2.5"]}],
    }
    bare = {
        "kind": "EndpointSlice",
        "metadata": {"name": "x", "creationTimestamp": CREATED},
        "addressType": "IPv4",
    }
    assert get("EndpointSlice", [eps, bare]) == (
        "NAME        ADDRESSTYPE   PORTS     ENDPOINTS               AGE\n"
        "web-abc12   IPv4          8080      10.244.1.5,10.244.2.5   60m\n"
        "x           IPv4          <unset>   <unset>                 60m\n"
    )


def test_get_ingress_and_ingressclass():
    ing = {
        "kind": "Ingress",
        "metadata": {"name": "shop", "creationTimestamp": CREATED},
        "spec": {
            "ingressClassName": "nginx",
            "rules": [{"host": f"h{i}.example.com"} for i in range(5)],
            "tls": [{"hosts": ["h0.example.com"], "secretName": "tls"}],
        },
        "status": {"loadBalancer": {"ingress": [{"ip": "172.18.0.5"}]}},
    }
    plain = {
        "kind": "Ingress",
        "metadata": {"name": "any", "creationTimestamp": CREATED},
        "spec": {"rules": [{}]},
    }
    assert get("Ingress", [ing, plain]) == (
        "NAME   CLASS    HOSTS                                                      ADDRESS      PORTS     AGE\n"
        "shop   nginx    h0.example.com,h1.example.com,h2.example.com + 2 more...   172.18.0.5   80, 443   60m\n"
        "any    <none>   *                                                                       80        60m\n"
    )
    ic = {
        "kind": "IngressClass",
        "metadata": {"name": "nginx", "creationTimestamp": CREATED},
        "spec": {"controller": "k8s.io/ingress-nginx"},
    }
    assert get("IngressClass", [ic]) == (
        "NAME    CONTROLLER             PARAMETERS   AGE\nnginx   k8s.io/ingress-nginx   <none>       60m\n"
    )


# ---------------------------------------------------------------- workloads

TEMPLATE = {
    "metadata": {"labels": {"app": "web"}},
    "spec": {
        "containers": [{"name": "web", "image": "nginx:1.25"}, {"name": "log", "image": "busybox"}]
    },
}


def workload(kind, name, spec=None, status=None):
    return {
        "kind": kind,
        "metadata": {"name": name, "namespace": "default", "creationTimestamp": CREATED},
        "spec": {"template": TEMPLATE, "selector": {"matchLabels": {"app": "web"}}, **(spec or {})},
        "status": status or {},
    }


def test_get_deployments():
    d = workload(
        "Deployment",
        "web",
        {"replicas": 3},
        {"replicas": 3, "readyReplicas": 2, "updatedReplicas": 3, "availableReplicas": 2},
    )
    fresh = workload("Deployment", "api", {"replicas": 1})
    assert get("Deployment", [d, fresh]) == (
        "NAME   READY   UP-TO-DATE   AVAILABLE   AGE\nweb    2/3     3            2           60m\napi    0/1     0            0           60m\n"
    )
    assert get("Deployment", [d], wide=True) == (
        "NAME   READY   UP-TO-DATE   AVAILABLE   AGE   CONTAINERS   IMAGES               SELECTOR\n"
        "web    2/3     3            2           60m   web,log      nginx:1.25,busybox   app=web\n"
    )


def test_get_replicasets_and_rc():
    rs = workload(
        "ReplicaSet", "web-7d9c8f6b5", {"replicas": 3}, {"replicas": 3, "readyReplicas": 3}
    )
    assert get("ReplicaSet", [rs]) == (
        "NAME            DESIRED   CURRENT   READY   AGE\nweb-7d9c8f6b5   3         3         3       60m\n"
    )
    rc = workload(
        "ReplicationController", "old", {"replicas": 2, "selector": {"app": "web"}}, {"replicas": 1}
    )
    assert table("ReplicationController", [rc], NOW, wide=True)[1][0][-1] == "app=web"
    assert table("ReplicaSet", [rs], NOW, wide=True)[1][0][-3:] == [
        "web,log",
        "nginx:1.25,busybox",
        "app=web",
    ]


def test_get_statefulsets_and_daemonsets():
    sts = workload("StatefulSet", "db", {"replicas": 3}, {"readyReplicas": 1})
    assert get("StatefulSet", [sts]) == "NAME   READY   AGE\ndb     1/3     60m\n"
    ds = workload(
        "DaemonSet",
        "fluentd",
        {},
        {
            "desiredNumberScheduled": 3,
            "currentNumberScheduled": 3,
            "numberReady": 2,
            "updatedNumberScheduled": 3,
            "numberAvailable": 2,
        },
    )
    assert get("DaemonSet", [ds]) == (
        "NAME      DESIRED   CURRENT   READY   UP-TO-DATE   AVAILABLE   NODE SELECTOR   AGE\n"
        "fluentd   3         3         2       3            2           <none>          60m\n"
    )


def test_get_jobs_status_completions_duration():
    done = workload(
        "Job",
        "pi",
        {"completions": 1, "parallelism": 1},
        {
            "succeeded": 1,
            "startTime": ts(0),
            "completionTime": ts(42),
            "conditions": [
                {"type": "SuccessCriteriaMet", "status": "True"},
                {"type": "Complete", "status": "True"},
            ],
        },
    )
    running_job = workload(
        "Job", "batch", {"parallelism": 3}, {"active": 3, "startTime": ts(3600 - 125)}
    )
    failed = workload(
        "Job",
        "bad",
        {"completions": 5},
        {"failed": 7, "startTime": ts(0), "conditions": [{"type": "Failed", "status": "True"}]},
    )
    suspended = workload(
        "Job", "later", {"suspend": True}, {"conditions": [{"type": "Suspended", "status": "True"}]}
    )
    assert get("Job", [done, running_job, failed, suspended]) == (
        "NAME    STATUS      COMPLETIONS   DURATION   AGE\n"
        "pi      Complete    1/1           42s        60m\n"
        "batch   Running     0/1 of 3      2m5s       60m\n"
        "bad     Failed      0/5           60m        60m\n"
        "later   Suspended   0/1                      60m\n"
    )


def test_get_cronjobs():
    cj = {
        "kind": "CronJob",
        "metadata": {"name": "backup", "creationTimestamp": CREATED},
        "spec": {
            "schedule": "*/5 * * * *",
            "suspend": False,
            "jobTemplate": {"spec": {"template": TEMPLATE}},
        },
        "status": {"active": [{"name": "backup-29000000"}], "lastScheduleTime": ts(3600 - 90)},
    }
    never = {
        "kind": "CronJob",
        "metadata": {"name": "report", "creationTimestamp": CREATED},
        "spec": {"schedule": "@daily", "timeZone": "Europe/Paris", "suspend": True},
    }
    assert get("CronJob", [cj, never]) == (
        "NAME     SCHEDULE      TIMEZONE       SUSPEND   ACTIVE   LAST SCHEDULE   AGE\n"
        "backup   */5 * * * *   <none>         False     1        90s             60m\n"
        "report   @daily        Europe/Paris   True      0        <none>          60m\n"
    )


# ---------------------------------------------------------------- storage


def test_get_pv_pvc_storageclass():
    pv = {
        "kind": "PersistentVolume",
        "metadata": {"name": "pv-data", "creationTimestamp": CREATED},
        "spec": {
            "capacity": {"storage": "5Gi"},
            "accessModes": ["ReadWriteMany", "ReadWriteOnce"],
            "persistentVolumeReclaimPolicy": "Retain",
            "storageClassName": "manual",
            "claimRef": {"namespace": "default", "name": "data"},
            "volumeMode": "Filesystem",
        },
        "status": {"phase": "Bound"},
    }
    assert get("PersistentVolume", [pv]) == (
        "NAME      CAPACITY   ACCESS MODES   RECLAIM POLICY   STATUS   CLAIM          STORAGECLASS   "
        "VOLUMEATTRIBUTESCLASS   REASON   AGE\n"
        "pv-data   5Gi        RWO,RWX        Retain           Bound    default/data   manual         "
        "<unset>                          60m\n"
    )
    pvc = {
        "kind": "PersistentVolumeClaim",
        "metadata": {"name": "data", "creationTimestamp": CREATED},
        "spec": {
            "accessModes": ["ReadWriteOnce"],
            "resources": {"requests": {"storage": "1Gi"}},
            "storageClassName": "manual",
            "volumeName": "pv-data",
            "volumeMode": "Filesystem",
        },
        "status": {
            "phase": "Bound",
            "accessModes": ["ReadWriteOnce", "ReadWriteMany"],
            "capacity": {"storage": "5Gi"},
        },
    }
    pending = {
        "kind": "PersistentVolumeClaim",
        "metadata": {"name": "logs", "creationTimestamp": CREATED},
        "spec": {"storageClassName": "standard", "resources": {"requests": {"storage": "1Gi"}}},
        "status": {"phase": "Pending"},
    }
    assert get("PersistentVolumeClaim", [pvc, pending], wide=True) == (
        "NAME   STATUS    VOLUME    CAPACITY   ACCESS MODES   STORAGECLASS   VOLUMEATTRIBUTESCLASS   AGE   VOLUMEMODE\n"
        "data   Bound     pv-data   5Gi        RWO,RWX        manual         <unset>                 60m   Filesystem\n"
        "logs   Pending                                       standard       <unset>                 60m   <unset>\n"
    )
    sc = {
        "kind": "StorageClass",
        "metadata": {
            "name": "standard",
            "creationTimestamp": CREATED,
            "annotations": {"storageclass.kubernetes.io/is-default-class": "true"},
        },
        "provisioner": "rancher.io/local-path",
        "reclaimPolicy": "Delete",
        "volumeBindingMode": "WaitForFirstConsumer",
    }
    assert get("StorageClass", [sc]) == (
        "NAME                 PROVISIONER             RECLAIMPOLICY   VOLUMEBINDINGMODE      ALLOWVOLUMEEXPANSION   AGE\n"
        "standard (default)   rancher.io/local-path   Delete          WaitForFirstConsumer   false                  60m\n"
    )


def test_pv_terminating():
    pv = {
        "kind": "PersistentVolume",
        "metadata": {"name": "x", "deletionTimestamp": CREATED},
        "spec": {},
    }
    assert table("PersistentVolume", [pv], NOW)[1][0][4] == "Terminating"


# ---------------------------------------------------------------- config, rbac, events, misc


def test_get_configmaps_secrets_serviceaccounts_namespaces():
    cm = {
        "kind": "ConfigMap",
        "metadata": {"name": "cfg", "creationTimestamp": CREATED},
        "data": {"a": "1", "b": "2"},
    }
    root = {
        "kind": "ConfigMap",
        "metadata": {"name": "kube-root-ca.crt", "creationTimestamp": CREATED},
        "data": {"ca.crt": "x"},
    }
    assert get("ConfigMap", [cm, root]) == (
        "NAME               DATA   AGE\ncfg                2      60m\nkube-root-ca.crt   1      60m\n"
    )
    secret = {
        "kind": "Secret",
        "metadata": {"name": "db-pass", "creationTimestamp": CREATED},
        "type": "Opaque",
        "data": {"password": "czNjcjN0"},
    }
    tls = {
        "kind": "Secret",
        "metadata": {"name": "tls", "creationTimestamp": CREATED},
        "type": "kubernetes.io/tls",
        "data": {"tls.crt": "", "tls.key": ""},
    }
    assert get("Secret", [secret, tls]) == (
        "NAME      TYPE                DATA   AGE\ndb-pass   Opaque              1      60m\ntls       kubernetes.io/tls   2      60m\n"
    )
    sa = {"kind": "ServiceAccount", "metadata": {"name": "default", "creationTimestamp": CREATED}}
    assert get("ServiceAccount", [sa]) == "NAME      SECRETS   AGE\ndefault   0         60m\n"
    ns = {
        "kind": "Namespace",
        "metadata": {"name": "default", "creationTimestamp": CREATED},
        "status": {"phase": "Active"},
    }
    gone = {
        "kind": "Namespace",
        "metadata": {"name": "old", "creationTimestamp": CREATED},
        "status": {"phase": "Terminating"},
    }
    assert get("Namespace", [ns, gone]) == (
        "NAME      STATUS        AGE\ndefault   Active        60m\nold       Terminating   60m\n"
    )


def test_get_roles_print_created_at():
    role = {
        "kind": "ClusterRole",
        "metadata": {"name": "admin", "creationTimestamp": "2026-01-01T00:00:00Z"},
    }
    assert get("ClusterRole", [role]) == "NAME    CREATED AT\nadmin   2026-01-01T00:00:00Z\n"
    assert table("Role", [role], NOW)[0] == ["NAME", "CREATED AT"]


def test_get_rolebindings_wide():
    rb = {
        "kind": "RoleBinding",
        "metadata": {"name": "read-pods", "creationTimestamp": CREATED},
        "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": "pod-reader"},
        "subjects": [
            {"kind": "User", "name": "jane"},
            {"kind": "User", "name": "bob"},
            {"kind": "Group", "name": "devs"},
            {"kind": "ServiceAccount", "name": "ci", "namespace": "build"},
        ],
    }
    assert (
        get("RoleBinding", [rb])
        == "NAME        ROLE              AGE\nread-pods   Role/pod-reader   60m\n"
    )
    assert get("ClusterRoleBinding", [rb], wide=True) == (
        "NAME        ROLE              AGE   USERS       GROUPS   SERVICEACCOUNTS\n"
        "read-pods   Role/pod-reader   60m   jane, bob   devs     build/ci\n"
    )


def event(
    reason,
    message,
    obj_kind="Pod",
    obj_name="web",
    type_="Normal",
    first=3590,
    last=None,
    count=1,
    **extra,
):
    e = {
        "apiVersion": "v1",
        "kind": "Event",
        "metadata": {
            "name": f"{obj_name}.17f2a",
            "namespace": "default",
            "creationTimestamp": ts(first),
        },
        "involvedObject": {"kind": obj_kind, "name": obj_name, "namespace": "default"},
        "reason": reason,
        "message": message,
        "type": type_,
        "firstTimestamp": ts(first),
        "lastTimestamp": ts(last if last is not None else first),
        "count": count,
        "source": {"component": "default-scheduler"},
    }
    e.update(extra)
    return e


def test_get_events():
    events = [
        event("Scheduled", "Successfully assigned default/web to node-1", first=3590),
        event(
            "BackOff",
            "Back-off restarting failed container web in pod web_default(1234)\n",
            type_="Warning",
            first=3000,
            last=3580,
            count=12,
            source={"component": "kubelet", "host": "node-1"},
        ),
        event(
            "ScalingReplicaSet",
            "Scaled up replica set web-7d9c8f6b5 to 3",
            "Deployment",
            "web",
            first=3500,
        ),
    ]
    assert get("Event", events) == (
        "LAST SEEN   TYPE      REASON              OBJECT           MESSAGE\n"
        "10s         Normal    Scheduled           pod/web          Successfully assigned default/web to node-1\n"
        "20s         Warning   BackOff             pod/web          Back-off restarting failed container web in pod web_default(1234)\n"
        "100s        Normal    ScalingReplicaSet   deployment/web   Scaled up replica set web-7d9c8f6b5 to 3\n"
    )
    headers, rows = table("Event", events, NOW, wide=True)
    assert headers == [
        "LAST SEEN",
        "TYPE",
        "REASON",
        "OBJECT",
        "SUBOBJECT",
        "SOURCE",
        "MESSAGE",
        "FIRST SEEN",
        "COUNT",
        "NAME",
    ]
    assert rows[1][4:6] == ["", "kubelet, node-1"]
    assert rows[1][7:9] == ["10m", "12"]


def test_event_series_and_event_time_only():
    e = {
        "kind": "Event",
        "metadata": {"name": "x"},
        "involvedObject": {"kind": "Node"},
        "eventTime": ts(3000),
        "series": {"count": 4, "lastObservedTime": ts(3590)},
        "reportingController": "kubelet",
        "reportingInstance": "node-1",
        "type": "Normal",
        "reason": "Starting",
        "message": " ok ",
    }
    headers, rows = table("Event", [e], NOW, wide=True)
    assert rows[0] == [
        "10s",
        "Normal",
        "Starting",
        "node",
        "",
        "kubelet, node-1",
        "ok",
        "10m",
        "4",
        "x",
    ]


def test_get_lease_and_default_kinds():
    lease = {
        "kind": "Lease",
        "metadata": {"name": "node-1", "creationTimestamp": CREATED},
        "spec": {"holderIdentity": "node-1"},
    }
    assert get("Lease", [lease]) == "NAME     HOLDER   AGE\nnode-1   node-1   60m\n"
    crd = {"kind": "Widget", "metadata": {"name": "w1", "creationTimestamp": CREATED}}
    assert get("Widget", [crd]) == "NAME   AGE\nw1     60m\n"
    assert get("Widget", [{"metadata": {"name": "nots"}}]) == "NAME   AGE\nnots   <unknown>\n"


def test_network_policy_pdb_priorityclass():
    np_ = {
        "kind": "NetworkPolicy",
        "metadata": {"name": "deny", "creationTimestamp": CREATED},
        "spec": {"podSelector": {}},
    }
    assert table("NetworkPolicy", [np_], NOW)[1] == [["deny", "<none>", "60m"]]
    pdb = {
        "kind": "PodDisruptionBudget",
        "metadata": {"name": "web"},
        "spec": {"minAvailable": 2},
        "status": {"disruptionsAllowed": 1},
    }
    assert table("PodDisruptionBudget", [pdb], NOW)[1] == [["web", "2", "N/A", "1", "<unknown>"]]
    pc = {
        "kind": "PriorityClass",
        "metadata": {"name": "high"},
        "value": 1000,
        "globalDefault": False,
        "preemptionPolicy": "PreemptLowerPriority",
    }
    assert table("PriorityClass", [pc], NOW, wide=True)[1] == [
        ["high", "1000", "false", "<unknown>", "PreemptLowerPriority"]
    ]


# ---------------------------------------------------------------- decorations and helpers


def test_decorate_namespace_label_columns_show_labels():
    pods = [pod("web", statuses=[running()]), pod("db", statuses=[running()])]
    pods[0]["metadata"]["labels"] = {"app.kubernetes.io/name": "web", "tier": "fe"}
    pods[1]["metadata"]["namespace"] = "prod"
    assert get(
        "Pod", pods, namespace=True, label_keys=["app.kubernetes.io/name"], show_labels=True
    ) == (
        "NAMESPACE   NAME   READY   STATUS    RESTARTS   AGE   NAME   LABELS\n"
        "default     web    1/1     Running   0          60m   web    app.kubernetes.io/name=web,tier=fe\n"
        "prod        db     1/1     Running   0          60m          <none>\n"
    )


def test_with_kind_prefix():
    headers, rows = with_kind(*table("Pod", [pod(statuses=[running()])], NOW), "pod")
    assert rows[0][0] == "pod/web"
    d = workload("Deployment", "web", {"replicas": 1})
    assert (
        decorate(*table("Deployment", [d], NOW), [d], kind="deployment.apps")[1][0][0]
        == "deployment.apps/web"
    )


def test_label_columns():
    objs = [{"metadata": {"labels": {"a/b": "x"}}}, {"metadata": {}}]
    assert label_columns(objs, ["a/b", "c"]) == (["B", "C"], [["x", ""], ["", ""]])


def test_format_labels_and_selectors():
    assert format_labels({"tier": "fe", "app": "web"}) == "app=web,tier=fe"
    assert format_labels({}) == "<none>"
    sel = {
        "matchLabels": {"app": "web"},
        "matchExpressions": [
            {"key": "env", "operator": "In", "values": ["prod", "dev"]},
            {"key": "canary", "operator": "DoesNotExist"},
            {"key": "zone", "operator": "NotIn", "values": ["b"]},
            {"key": "arch", "operator": "Exists"},
        ],
    }
    assert format_label_selector(sel) == "app=web,arch,!canary,env in (dev,prod),zone notin (b)"
    assert format_label_selector({}) == "<none>"
    assert format_label_selector(None) == "<none>"
    assert (
        format_label_selector({"matchExpressions": [{"key": "a", "operator": "Bogus"}]})
        == "<error>"
    )
