"""Tests for k8snb.kubectl.describe: kubectl describe text, laid out like describe.go.

The expected texts follow describe.go line by line (PrefixWriter levels, tab-separated
cells, Go tabwriter with padding 2): column blocks break on lines without a tab,
which is why e.g. ``  IP:`` and ``Controlled By:`` share a column in a pod.
"""

from k8snb.kubectl.describe import Quantity, describe, pod_requests_and_limits, smart_label_for

T0 = 1767225600.0
NOW = T0 + 3600
POD = {
    "apiVersion": "v1",
    "kind": "Pod",
    "metadata": {
        "name": "web-7d9c8f6b5-x2k4q",
        "namespace": "default",
        "uid": "u1",
        "creationTimestamp": "2026-01-01T00:00:00Z",
        "labels": {"app": "web", "pod-template-hash": "7d9c8f6b5"},
        "ownerReferences": [
            {
                "apiVersion": "apps/v1",
                "kind": "ReplicaSet",
                "name": "web-7d9c8f6b5",
                "uid": "rs1",
                "controller": True,
            }
        ],
    },
    "spec": {
        "nodeName": "node-1",
        "serviceAccountName": "default",
        "priority": 0,
        "containers": [
            {
                "name": "web",
                "image": "nginx:1.25",
                "ports": [{"containerPort": 80, "protocol": "TCP"}],
                "resources": {
                    "requests": {"cpu": "100m", "memory": "128Mi"},
                    "limits": {"memory": "256Mi"},
                },
                "env": [
                    {"name": "MODE", "value": "prod"},
                    {
                        "name": "POD_IP",
                        "valueFrom": {
                            "fieldRef": {"apiVersion": "v1", "fieldPath": "status.podIP"}
                        },
                    },
                ],
                "readinessProbe": {
                    "httpGet": {"path": "/healthz", "port": 80, "scheme": "HTTP"},
                    "timeoutSeconds": 1,
                    "periodSeconds": 10,
                    "successThreshold": 1,
                    "failureThreshold": 3,
                },
                "volumeMounts": [
                    {
                        "name": "kube-api-access-5xkqz",
                        "mountPath": "/var/run/secrets/kubernetes.io/serviceaccount",
                        "readOnly": True,
                    }
                ],
            }
        ],
        "volumes": [
            {
                "name": "kube-api-access-5xkqz",
                "projected": {
                    "defaultMode": 420,
                    "sources": [
                        {"serviceAccountToken": {"expirationSeconds": 3607, "path": "token"}},
                        {
                            "configMap": {
                                "name": "kube-root-ca.crt",
                                "items": [{"key": "ca.crt", "path": "ca.crt"}],
                            }
                        },
                        {
                            "downwardAPI": {
                                "items": [
                                    {
                                        "path": "namespace",
                                        "fieldRef": {
                                            "apiVersion": "v1",
                                            "fieldPath": "metadata.namespace",
                                        },
                                    }
                                ]
                            }
                        },
                    ],
                },
            }
        ],
        "tolerations": [
            {
                "key": "node.kubernetes.io/not-ready",
                "operator": "Exists",
                "effect": "NoExecute",
                "tolerationSeconds": 300,
            },
            {
                "key": "node.kubernetes.io/unreachable",
                "operator": "Exists",
                "effect": "NoExecute",
                "tolerationSeconds": 300,
            },
        ],
    },
    "status": {
        "phase": "Running",
        "hostIP": "172.18.0.3",
        "podIP": "10.244.1.5",
        "podIPs": [{"ip": "10.244.1.5"}],
        "startTime": "2026-01-01T00:00:00Z",
        "qosClass": "Burstable",
        "conditions": [
            {"type": "PodReadyToStartContainers", "status": "True"},
            {"type": "Initialized", "status": "True"},
            {"type": "Ready", "status": "True"},
            {"type": "ContainersReady", "status": "True"},
            {"type": "PodScheduled", "status": "True"},
        ],
        "containerStatuses": [
            {
                "name": "web",
                "containerID": "containerd://4f1c2b",
                "image": "nginx:1.25",
                "imageID": "docker.io/library/nginx@sha256:0a1b2c",
                "ready": True,
                "restartCount": 1,
                "started": True,
                "state": {"running": {"startedAt": "2026-01-01T00:00:05Z"}},
                "lastState": {
                    "terminated": {
                        "exitCode": 137,
                        "reason": "OOMKilled",
                        "startedAt": "2026-01-01T00:00:02Z",
                        "finishedAt": "2026-01-01T00:00:04Z",
                    }
                },
            }
        ],
    },
}
EVENTS = [
    {
        "type": "Normal",
        "reason": "Scheduled",
        "message": "Successfully assigned default/web-7d9c8f6b5-x2k4q to node-1",
        "source": {"component": "default-scheduler"},
        "firstTimestamp": "2026-01-01T00:00:00Z",
        "lastTimestamp": "2026-01-01T00:00:00Z",
        "count": 1,
    },
    {
        "type": "Normal",
        "reason": "Pulled",
        "message": 'Container image "nginx:1.25" already present on machine',
        "source": {"component": "kubelet", "host": "node-1"},
        "firstTimestamp": "2026-01-01T00:00:01Z",
        "lastTimestamp": "2026-01-01T00:00:04Z",
        "count": 2,
    },
]
NODE = {
    "apiVersion": "v1",
    "kind": "Node",
    "metadata": {
        "name": "node-1",
        "creationTimestamp": "2026-01-01T00:00:00Z",
        "uid": "n1",
        "labels": {
            "kubernetes.io/hostname": "node-1",
            "kubernetes.io/os": "linux",
            "node-role.kubernetes.io/worker": "",
        },
        "annotations": {"node.alpha.kubernetes.io/ttl": "0"},
    },
    "spec": {
        "podCIDR": "10.244.1.0/24",
        "podCIDRs": ["10.244.1.0/24"],
        "taints": [{"key": "dedicated", "value": "gpu", "effect": "NoSchedule"}],
    },
    "status": {
        "conditions": [
            {
                "type": "MemoryPressure",
                "status": "False",
                "lastHeartbeatTime": "2026-01-01T00:59:00Z",
                "lastTransitionTime": "2026-01-01T00:00:00Z",
                "reason": "KubeletHasSufficientMemory",
                "message": "kubelet has sufficient memory available",
            },
            {
                "type": "Ready",
                "status": "True",
                "lastHeartbeatTime": "2026-01-01T00:59:00Z",
                "lastTransitionTime": "2026-01-01T00:00:10Z",
                "reason": "KubeletReady",
                "message": "kubelet is posting ready status",
            },
        ],
        "addresses": [
            {"type": "InternalIP", "address": "172.18.0.3"},
            {"type": "Hostname", "address": "node-1"},
        ],
        "capacity": {
            "cpu": "2",
            "ephemeral-storage": "102350Mi",
            "hugepages-2Mi": "0",
            "memory": "8148604Ki",
            "pods": "110",
        },
        "allocatable": {
            "cpu": "2",
            "ephemeral-storage": "102350Mi",
            "hugepages-2Mi": "0",
            "memory": "8148604Ki",
            "pods": "110",
        },
        "nodeInfo": {
            "machineID": "m1",
            "systemUUID": "s1",
            "bootID": "b1",
            "kernelVersion": "6.1.0",
            "osImage": "Debian GNU/Linux 12 (bookworm)",
            "operatingSystem": "linux",
            "architecture": "amd64",
            "containerRuntimeVersion": "containerd://1.7.18",
            "kubeletVersion": "v1.31.0",
            "kubeProxyVersion": "",
        },
    },
}
LEASE = {
    "kind": "Lease",
    "metadata": {"name": "node-1", "namespace": "kube-node-lease"},
    "spec": {"holderIdentity": "node-1", "renewTime": "2026-01-01T00:59:50.000000Z"},
}
NS = {
    "apiVersion": "v1",
    "kind": "Namespace",
    "metadata": {"name": "default", "labels": {"kubernetes.io/metadata.name": "default"}},
    "spec": {"finalizers": ["kubernetes"]},
    "status": {"phase": "Active"},
}
SVC = {
    "apiVersion": "v1",
    "kind": "Service",
    "metadata": {"name": "web", "namespace": "default", "labels": {"app": "web"}},
    "spec": {
        "type": "ClusterIP",
        "selector": {"app": "web"},
        "clusterIP": "10.96.120.15",
        "clusterIPs": ["10.96.120.15"],
        "ipFamilies": ["IPv4"],
        "ipFamilyPolicy": "SingleStack",
        "ports": [{"port": 80, "targetPort": 8080, "protocol": "TCP"}],
        "sessionAffinity": "None",
        "internalTrafficPolicy": "Cluster",
    },
    "status": {"loadBalancer": {}},
}
SLICE = {
    "kind": "EndpointSlice",
    "metadata": {"name": "web-abcde", "labels": {"kubernetes.io/service-name": "web"}},
    "addressType": "IPv4",
    "ports": [{"name": "", "port": 8080, "protocol": "TCP"}],
    "endpoints": [
        {"addresses": ["10.244.1.5"], "conditions": {"ready": True}},
        {"addresses": ["10.244.2.7"], "conditions": {"ready": True}},
        {"addresses": ["10.244.2.9"], "conditions": {"ready": False}},
    ],
}
TEMPLATE = {
    "metadata": {"labels": {"app": "web"}},
    "spec": {
        "containers": [
            {
                "name": "web",
                "image": "nginx:1.25",
                "ports": [{"containerPort": 80, "protocol": "TCP"}],
            }
        ]
    },
}
DEPLOY = {
    "apiVersion": "apps/v1",
    "kind": "Deployment",
    "metadata": {
        "name": "web",
        "namespace": "default",
        "uid": "d1",
        "creationTimestamp": "2026-01-01T00:00:00Z",
        "generation": 1,
        "labels": {"app": "web"},
        "annotations": {"deployment.kubernetes.io/revision": "1"},
    },
    "spec": {
        "replicas": 3,
        "selector": {"matchLabels": {"app": "web"}},
        "template": TEMPLATE,
        "strategy": {
            "type": "RollingUpdate",
            "rollingUpdate": {"maxUnavailable": "25%", "maxSurge": "25%"},
        },
        "revisionHistoryLimit": 10,
        "progressDeadlineSeconds": 600,
    },
    "status": {
        "replicas": 3,
        "updatedReplicas": 3,
        "readyReplicas": 3,
        "availableReplicas": 3,
        "observedGeneration": 1,
        "conditions": [
            {"type": "Available", "status": "True", "reason": "MinimumReplicasAvailable"},
            {"type": "Progressing", "status": "True", "reason": "NewReplicaSetAvailable"},
        ],
    },
}
RS = {
    "apiVersion": "apps/v1",
    "kind": "ReplicaSet",
    "metadata": {
        "name": "web-7d9c8f6b5",
        "namespace": "default",
        "uid": "rs1",
        "labels": {"app": "web", "pod-template-hash": "7d9c8f6b5"},
        "annotations": {
            "deployment.kubernetes.io/desired-replicas": "3",
            "deployment.kubernetes.io/max-replicas": "4",
            "deployment.kubernetes.io/revision": "1",
        },
        "ownerReferences": [
            {
                "apiVersion": "apps/v1",
                "kind": "Deployment",
                "name": "web",
                "uid": "d1",
                "controller": True,
            }
        ],
    },
    "spec": {
        "replicas": 3,
        "selector": {"matchLabels": {"app": "web", "pod-template-hash": "7d9c8f6b5"}},
        "template": TEMPLATE,
    },
    "status": {"replicas": 3, "readyReplicas": 3, "availableReplicas": 3},
}
CM = {
    "apiVersion": "v1",
    "kind": "ConfigMap",
    "metadata": {"name": "game-config", "namespace": "default"},
    "data": {
        "ui.properties": "color.good=purple\ncolor.bad=yellow",
        "game.properties": "enemies=aliens\nlives=3",
    },
}
SECRET = {
    "apiVersion": "v1",
    "kind": "Secret",
    "metadata": {"name": "db-user", "namespace": "default"},
    "type": "Opaque",
    "data": {"password": "czNjcjN0IQ==", "username": "YWRtaW4="},
}
WIDGET = {
    "apiVersion": "example.com/v1",
    "kind": "Widget",
    "metadata": {
        "name": "w1",
        "namespace": "default",
        "uid": "abc",
        "creationTimestamp": "2026-01-01T00:00:00Z",
        "generation": 2,
        "managedFields": [{"manager": "x"}],
    },
    "spec": {
        "sizeGB": 3,
        "replicaCount": 2,
        "ports": [{"name": "http", "port": 80}],
        "tags": ["a", "b"],
        "enabled": True,
        "apiURL": "http://x",
    },
}
COREDNS = {
    "metadata": {
        "name": "coredns-1",
        "namespace": "kube-system",
        "creationTimestamp": "2026-01-01T00:00:00Z",
    },
    "spec": {
        "nodeName": "node-1",
        "containers": [
            {
                "resources": {
                    "requests": {"cpu": "100m", "memory": "70Mi"},
                    "limits": {"memory": "170Mi"},
                }
            }
        ],
    },
    "status": {"phase": "Running"},
}
SCALED = {
    "type": "Normal",
    "reason": "ScalingReplicaSet",
    "message": "Scaled up replica set web-7d9c8f6b5 to 3",
    "source": {"component": "deployment-controller"},
    "firstTimestamp": "2026-01-01T00:00:00Z",
    "lastTimestamp": "2026-01-01T00:00:00Z",
    "count": 1,
}

EXPECTED_POD = (
    "Name:             web-7d9c8f6b5-x2k4q\n"
    "Namespace:        default\n"
    "Priority:         0\n"
    "Service Account:  default\n"
    "Node:             node-1/172.18.0.3\n"
    "Start Time:       Thu, 01 Jan 2026 00:00:00 +0000\n"
    "Labels:           app=web\n"
    "                  pod-template-hash=7d9c8f6b5\n"
    "Annotations:      <none>\n"
    "Status:           Running\n"
    "IP:               10.244.1.5\n"
    "IPs:\n"
    "  IP:           10.244.1.5\n"
    "Controlled By:  ReplicaSet/web-7d9c8f6b5\n"
    "Containers:\n"
    "  web:\n"
    "    Container ID:   containerd://4f1c2b\n"
    "    Image:          nginx:1.25\n"
    "    Image ID:       docker.io/library/nginx@sha256:0a1b2c\n"
    "    Port:           80/TCP\n"
    "    Host Port:      0/TCP\n"
    "    State:          Running\n"
    "      Started:      Thu, 01 Jan 2026 00:00:05 +0000\n"
    "    Last State:     Terminated\n"
    "      Reason:       OOMKilled\n"
    "      Exit Code:    137\n"
    "      Started:      Thu, 01 Jan 2026 00:00:02 +0000\n"
    "      Finished:     Thu, 01 Jan 2026 00:00:04 +0000\n"
    "    Ready:          True\n"
    "    Restart Count:  1\n"
    "    Limits:\n"
    "      memory:  256Mi\n"
    "    Requests:\n"
    "      cpu:      100m\n"
    "      memory:   128Mi\n"
    "    Readiness:  http-get http://:80/healthz delay=0s timeout=1s period=10s #success=1 #failure=3\n"
    "    Environment:\n"
    "      MODE:    prod\n"
    "      POD_IP:  10.244.1.5 (v1:status.podIP)\n"
    "    Mounts:\n"
    "      /var/run/secrets/kubernetes.io/serviceaccount from kube-api-access-5xkqz (ro)\n"
    "Conditions:\n"
    "  Type                        Status\n"
    "  PodReadyToStartContainers   True \n"
    "  Initialized                 True \n"
    "  Ready                       True \n"
    "  ContainersReady             True \n"
    "  PodScheduled                True \n"
    "Volumes:\n"
    "  kube-api-access-5xkqz:\n"
    "    Type:                    Projected (a volume that contains injected data from multiple sources)\n"
    "    TokenExpirationSeconds:  3607\n"
    "    ConfigMapName:           kube-root-ca.crt\n"
    "    Optional:                false\n"
    "    DownwardAPI:             true\n"
    "QoS Class:                   Burstable\n"
    "Node-Selectors:              <none>\n"
    "Tolerations:                 node.kubernetes.io/not-ready:NoExecute op=Exists for 300s\n"
    "                             node.kubernetes.io/unreachable:NoExecute op=Exists for 300s\n"
    "Events:\n"
    "  Type    Reason     Age                From               Message\n"
    "  ----    ------     ----               ----               -------\n"
    "  Normal  Scheduled  60m                default-scheduler  Successfully assigned default/web-7d9c8f6b5-x2k4q to node-1\n"
    '  Normal  Pulled     59m (x2 over 59m)  kubelet            Container image "nginx:1.25" already present on machine\n'
)


EXPECTED_NODE = (
    "Name:               node-1\n"
    "Roles:              worker\n"
    "Labels:             kubernetes.io/hostname=node-1\n"
    "                    kubernetes.io/os=linux\n"
    "                    node-role.kubernetes.io/worker=\n"
    "Annotations:        node.alpha.kubernetes.io/ttl: 0\n"
    "CreationTimestamp:  Thu, 01 Jan 2026 00:00:00 +0000\n"
    "Taints:             dedicated=gpu:NoSchedule\n"
    "Unschedulable:      false\n"
    "Lease:\n"
    "  HolderIdentity:  node-1\n"
    "  AcquireTime:     <unset>\n"
    "  RenewTime:       Thu, 01 Jan 2026 00:59:50 +0000\n"
    "Conditions:\n"
    "  Type             Status  LastHeartbeatTime                 LastTransitionTime                Reason                       Message\n"
    "  ----             ------  -----------------                 ------------------                ------                       -------\n"
    "  MemoryPressure   False   Thu, 01 Jan 2026 00:59:00 +0000   Thu, 01 Jan 2026 00:00:00 +0000   KubeletHasSufficientMemory   kubelet has sufficient memory available\n"
    "  Ready            True    Thu, 01 Jan 2026 00:59:00 +0000   Thu, 01 Jan 2026 00:00:10 +0000   KubeletReady                 kubelet is posting ready status\n"
    "Addresses:\n"
    "  InternalIP:  172.18.0.3\n"
    "  Hostname:    node-1\n"
    "Capacity:\n"
    "  cpu:                2\n"
    "  ephemeral-storage:  102350Mi\n"
    "  hugepages-2Mi:      0\n"
    "  memory:             8148604Ki\n"
    "  pods:               110\n"
    "Allocatable:\n"
    "  cpu:                2\n"
    "  ephemeral-storage:  102350Mi\n"
    "  hugepages-2Mi:      0\n"
    "  memory:             8148604Ki\n"
    "  pods:               110\n"
    "System Info:\n"
    "  Machine ID:                 m1\n"
    "  System UUID:                s1\n"
    "  Boot ID:                    b1\n"
    "  Kernel Version:             6.1.0\n"
    "  OS Image:                   Debian GNU/Linux 12 (bookworm)\n"
    "  Operating System:           linux\n"
    "  Architecture:               amd64\n"
    "  Container Runtime Version:  containerd://1.7.18\n"
    "  Kubelet Version:            v1.31.0\n"
    "  Kube-Proxy Version:         \n"
    "PodCIDR:                      10.244.1.0/24\n"
    "PodCIDRs:                     10.244.1.0/24\n"
    "Non-terminated Pods:          (2 in total)\n"
    "  Namespace                   Name                   CPU Requests  CPU Limits  Memory Requests  Memory Limits  Age\n"
    "  ---------                   ----                   ------------  ----------  ---------------  -------------  ---\n"
    "  default                     web-7d9c8f6b5-x2k4q    100m (5%)     0 (0%)      128Mi (1%)       256Mi (3%)     60m\n"
    "  kube-system                 coredns-1              100m (5%)     0 (0%)      70Mi (0%)        170Mi (2%)     60m\n"
    "Allocated resources:\n"
    "  (Total limits may be over 100 percent, i.e., overcommitted.)\n"
    "  Resource           Requests    Limits\n"
    "  --------           --------    ------\n"
    "  cpu                200m (10%)  0 (0%)\n"
    "  memory             198Mi (2%)  426Mi (5%)\n"
    "  ephemeral-storage  0 (0%)      0 (0%)\n"
    "  hugepages-2Mi      0 (0%)      0 (0%)\n"
    "Events:              <none>\n"
)


EXPECTED_NS = (
    "Name:         default\n"
    "Labels:       kubernetes.io/metadata.name=default\n"
    "Annotations:  <none>\n"
    "Status:       Active\n"
    "\n"
    "No resource quota.\n"
    "\n"
    "No LimitRange resource.\n"
)


EXPECTED_SVC = (
    "Name:                     web\n"
    "Namespace:                default\n"
    "Labels:                   app=web\n"
    "Annotations:              <none>\n"
    "Selector:                 app=web\n"
    "Type:                     ClusterIP\n"
    "IP Family Policy:         SingleStack\n"
    "IP Families:              IPv4\n"
    "IP:                       10.96.120.15\n"
    "IPs:                      10.96.120.15\n"
    "Port:                     <unset>  80/TCP\n"
    "TargetPort:               8080/TCP\n"
    "Endpoints:                10.244.1.5:8080,10.244.2.7:8080\n"
    "Session Affinity:         None\n"
    "Internal Traffic Policy:  Cluster\n"
    "Events:                   <none>\n"
)


EXPECTED_DEPLOY = (
    "Name:                   web\n"
    "Namespace:              default\n"
    "CreationTimestamp:      Thu, 01 Jan 2026 00:00:00 +0000\n"
    "Labels:                 app=web\n"
    "Annotations:            deployment.kubernetes.io/revision: 1\n"
    "Selector:               app=web\n"
    "Replicas:               3 desired | 3 updated | 3 total | 3 available | 0 unavailable\n"
    "StrategyType:           RollingUpdate\n"
    "MinReadySeconds:        0\n"
    "RollingUpdateStrategy:  25% max unavailable, 25% max surge\n"
    "Pod Template:\n"
    "  Labels:  app=web\n"
    "  Containers:\n"
    "   web:\n"
    "    Image:         nginx:1.25\n"
    "    Port:          80/TCP\n"
    "    Host Port:     0/TCP\n"
    "    Environment:   <none>\n"
    "    Mounts:        <none>\n"
    "  Volumes:         <none>\n"
    "  Node-Selectors:  <none>\n"
    "  Tolerations:     <none>\n"
    "Conditions:\n"
    "  Type           Status  Reason\n"
    "  ----           ------  ------\n"
    "  Available      True    MinimumReplicasAvailable\n"
    "  Progressing    True    NewReplicaSetAvailable\n"
    "OldReplicaSets:  <none>\n"
    "NewReplicaSet:   web-7d9c8f6b5 (3/3 replicas created)\n"
    "Events:\n"
    "  Type    Reason             Age   From                   Message\n"
    "  ----    ------             ----  ----                   -------\n"
    "  Normal  ScalingReplicaSet  60m   deployment-controller  Scaled up replica set web-7d9c8f6b5 to 3\n"
)


EXPECTED_RS = (
    "Name:           web-7d9c8f6b5\n"
    "Namespace:      default\n"
    "Selector:       app=web,pod-template-hash=7d9c8f6b5\n"
    "Labels:         app=web\n"
    "                pod-template-hash=7d9c8f6b5\n"
    "Annotations:    deployment.kubernetes.io/desired-replicas: 3\n"
    "                deployment.kubernetes.io/max-replicas: 4\n"
    "                deployment.kubernetes.io/revision: 1\n"
    "Controlled By:  Deployment/web\n"
    "Replicas:       3 current / 3 desired\n"
    "Pods Status:    1 Running / 0 Waiting / 0 Succeeded / 0 Failed\n"
    "Pod Template:\n"
    "  Labels:  app=web\n"
    "  Containers:\n"
    "   web:\n"
    "    Image:         nginx:1.25\n"
    "    Port:          80/TCP\n"
    "    Host Port:     0/TCP\n"
    "    Environment:   <none>\n"
    "    Mounts:        <none>\n"
    "  Volumes:         <none>\n"
    "  Node-Selectors:  <none>\n"
    "  Tolerations:     <none>\n"
    "Events:            <none>\n"
)


EXPECTED_CM = (
    "Name:         game-config\n"
    "Namespace:    default\n"
    "Labels:       <none>\n"
    "Annotations:  <none>\n"
    "\n"
    "Data\n"
    "====\n"
    "game.properties:\n"
    "----\n"
    "enemies=aliens\n"
    "lives=3\n"
    "\n"
    "ui.properties:\n"
    "----\n"
    "color.good=purple\n"
    "color.bad=yellow\n"
    "\n"
    "\n"
    "BinaryData\n"
    "====\n"
    "\n"
    "Events:  <none>\n"
)


EXPECTED_SECRET = (
    "Name:         db-user\n"
    "Namespace:    default\n"
    "Labels:       <none>\n"
    "Annotations:  <none>\n"
    "\n"
    "Type:  Opaque\n"
    "\n"
    "Data\n"
    "====\n"
    "password:  7 bytes\n"
    "username:  5 bytes\n"
)


EXPECTED_WIDGET = (
    "Name:         w1\n"
    "Namespace:    default\n"
    "Labels:       <none>\n"
    "Annotations:  <none>\n"
    "API Version:  example.com/v1\n"
    "Kind:         Widget\n"
    "Metadata:\n"
    "  Creation Timestamp:  2026-01-01T00:00:00Z\n"
    "  Generation:          2\n"
    "  UID:                 abc\n"
    "Spec:\n"
    "  API URL:  http://x\n"
    "  Enabled:  true\n"
    "  Ports:\n"
    "    Name:         http\n"
    "    Port:         80\n"
    "  Replica Count:  2\n"
    "  Size GB:        3\n"
    "  Tags:\n"
    "    a\n"
    "    b\n"
    "Events:  <none>\n"
)


def test_describe_pod():
    assert describe(POD, EVENTS, NOW) == EXPECTED_POD


def test_describe_pod_without_events_section():
    out = describe(POD, None, NOW)
    assert "Events" not in out
    assert out.endswith(
        "                             node.kubernetes.io/unreachable:NoExecute op=Exists for 300s\n"
    )


def test_describe_node():
    assert describe(NODE, [], NOW, {"pods": [POD, COREDNS], "lease": LEASE}) == EXPECTED_NODE


def test_describe_node_without_lease_and_pods():
    out = describe(NODE, None, NOW)
    assert (
        'Lease:              Failed to get lease: leases.coordination.k8s.io "node-1" not found\n'
        in out
    )
    assert "Non-terminated Pods:          (0 in total)\n" in out
    assert "  cpu                0 (0%)    0 (0%)\n" in out


def test_describe_namespace():
    assert describe(NS, None, NOW) == EXPECTED_NS


def test_describe_namespace_with_quota():
    quota = {
        "metadata": {"name": "compute"},
        "spec": {"hard": {"pods": "10", "requests.cpu": "2"}},
        "status": {
            "hard": {"pods": "10", "requests.cpu": "2"},
            "used": {"pods": "3", "requests.cpu": "300m"},
        },
    }
    out = describe(NS, None, NOW, {"resource_quotas": [quota]})
    assert out.endswith(
        "Resource Quotas\n"
        "  Name:         compute\n"
        "  Resource      Used  Hard\n"
        "  --------      ---   ---\n"
        "  pods          3     10\n"
        "  requests.cpu  300m  2\n"
        "\n"
        "No LimitRange resource.\n"
    )


def test_describe_service():
    assert describe(SVC, [], NOW, {"endpoint_slices": [SLICE]}) == EXPECTED_SVC


def test_describe_service_without_endpoints():
    assert "Endpoints:                <none>\n" in describe(SVC, [], NOW)


def test_describe_deployment():
    extra = {"new_replica_set": RS, "old_replica_sets": []}
    assert describe(DEPLOY, [SCALED], NOW, extra) == EXPECTED_DEPLOY


def test_describe_replicaset():
    assert describe(RS, [], NOW, {"pods": [POD]}) == EXPECTED_RS


def test_describe_configmap_and_secret():
    assert describe(CM, [], NOW) == EXPECTED_CM
    assert describe(SECRET, [], NOW) == EXPECTED_SECRET


def test_describe_generic_fallback():
    assert describe(WIDGET, [], NOW) == EXPECTED_WIDGET


def test_describe_events_repeated_and_series():
    events = [
        {
            "type": "Warning",
            "reason": "BackOff",
            "message": "Back-off restarting failed container",
            "source": {"component": "kubelet"},
            "firstTimestamp": "2026-01-01T00:10:00Z",
            "lastTimestamp": "2026-01-01T00:59:30Z",
            "count": 12,
        },
        {
            "type": "Normal",
            "reason": "Pulling",
            "message": "Pulling image",
            "reportingController": "kubelet",
            "eventTime": "2026-01-01T00:05:00.000000Z",
            "series": {"count": 3, "lastObservedTime": "2026-01-01T00:58:00.000000Z"},
        },
    ]
    out = describe(SECRET | {"kind": "ConfigMap"}, events, NOW)
    assert out.endswith(
        "Events:\n"
        "  Type     Reason   Age                 From     Message\n"
        "  ----     ------   ----                ----     -------\n"
        "  Normal   Pulling  2m (x3 over 55m)    kubelet  Pulling image\n"
        "  Warning  BackOff  30s (x12 over 50m)  kubelet  Back-off restarting failed container\n"
    )


def test_describe_pod_terminating_pending_and_init():
    pod = {
        "kind": "Pod",
        "metadata": {
            "name": "p",
            "namespace": "ns",
            "deletionTimestamp": "2026-01-01T00:59:50Z",
            "deletionGracePeriodSeconds": 30,
        },
        "spec": {
            "initContainers": [
                {"name": "init", "image": "busybox", "command": ["sh", "-c", "sleep 5"]}
            ],
            "containers": [{"name": "app", "image": "app:1"}],
        },
        "status": {"phase": "Pending"},
    }
    out = describe(pod, None, NOW)
    assert "Node:                      <none>\n" in out
    assert "Status:                    Terminating (lasts 10s)\n" in out
    assert "Termination Grace Period:  30s\n" in out
    assert "IP:" + " " * 24 + "\n" in out
    assert "IPs:                       <none>\n" in out
    assert (
        "Init Containers:\n"
        "  init:\n"
        "    Image:      busybox\n"
        "    Port:       <none>\n"
        "    Host Port:  <none>\n"
        "    Command:\n"
        "      sh\n"
        "      -c\n"
        "      sleep 5\n"
        "    Environment:  <none>\n"
        "    Mounts:       <none>\n"
    ) in out
    assert "Volumes:          <none>\nQoS Class:        BestEffort\n" in out


def test_describe_container_env_sources_and_probes():
    pod = {
        "kind": "Pod",
        "metadata": {"name": "p", "namespace": "ns", "labels": {"app": "x"}},
        "spec": {
            "containers": [
                {
                    "name": "app",
                    "image": "app:1",
                    "ports": [{"containerPort": 80}, {"containerPort": 443, "hostPort": 8443}],
                    "envFrom": [
                        {"configMapRef": {"name": "cfg"}},
                        {"secretRef": {"name": "sec", "optional": True}, "prefix": "S_"},
                    ],
                    "env": [
                        {
                            "name": "PASS",
                            "valueFrom": {"secretKeyRef": {"name": "db", "key": "password"}},
                        },
                        {
                            "name": "LEVEL",
                            "valueFrom": {"configMapKeyRef": {"name": "cfg", "key": "level"}},
                        },
                        {
                            "name": "APP",
                            "valueFrom": {"fieldRef": {"fieldPath": "metadata.labels['app']"}},
                        },
                        {
                            "name": "CPU",
                            "valueFrom": {"resourceFieldRef": {"resource": "limits.cpu"}},
                        },
                        {"name": "MULTI", "value": "a\nb"},
                    ],
                    "livenessProbe": {
                        "exec": {"command": ["cat", "/tmp/healthy"]},
                        "initialDelaySeconds": 5,
                    },
                    "startupProbe": {"tcpSocket": {"port": 8080}, "failureThreshold": 30},
                }
            ]
        },
        "status": {"phase": "Pending"},
    }
    out = describe(pod, None, NOW)
    assert "    Ports:       80/TCP, 443/TCP\n    Host Ports:  0/TCP, 8443/TCP\n" in out
    assert (
        "    Liveness:    exec [cat /tmp/healthy] delay=5s timeout=1s period=10s #success=1 #failure=3\n"
        in out
    )
    assert (
        "    Startup:     tcp-socket :8080 delay=0s timeout=1s period=10s #success=1 #failure=30\n"
        in out
    )
    assert (
        "    Environment Variables from:\n"
        "      cfg  ConfigMap                Optional: false\n"
        "      sec  Secret with prefix 'S_'  Optional: true\n"
    ) in out
    assert (
        "    Environment:\n"
        "      PASS:      <set to the key 'password' in secret 'db'>    Optional: false\n"
        "      LEVEL:     <set to the key 'level' of config map 'cfg'>  Optional: false\n"
        "      APP:       x (v1:metadata.labels['app'])\n"
        "      CPU:       node allocatable (limits.cpu)\n"
        "      MULTI:     a\n"
        "                 b\n"
        "    Mounts:      <none>\n"
    ) in out


def test_describe_volumes():
    pod = {
        "kind": "Pod",
        "metadata": {"name": "p", "namespace": "ns"},
        "spec": {
            "containers": [],
            "volumes": [
                {"name": "data", "persistentVolumeClaim": {"claimName": "data-0"}},
                {"name": "tmp", "emptyDir": {}},
                {"name": "host", "hostPath": {"path": "/var/log", "type": "Directory"}},
                {"name": "cfg", "configMap": {"name": "app-config"}},
                {"name": "sec", "secret": {"secretName": "tls", "optional": True}},
            ],
        },
        "status": {"phase": "Pending"},
    }
    out = describe(pod, None, NOW)
    assert (
        "Containers: <none>\n"
        "Volumes:\n"
        "  data:\n"
        "    Type:       PersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)\n"
        "    ClaimName:  data-0\n"
        "    ReadOnly:   false\n"
        "  tmp:\n"
        "    Type:       EmptyDir (a temporary directory that shares a pod's lifetime)\n"
        "    Medium:     \n"
        "    SizeLimit:  <unset>\n"
        "  host:\n"
        "    Type:          HostPath (bare host directory volume)\n"
        "    Path:          /var/log\n"
        "    HostPathType:  Directory\n"
        "  cfg:\n"
        "    Type:      ConfigMap (a volume populated by a ConfigMap)\n"
        "    Name:      app-config\n"
        "    Optional:  false\n"
        "  sec:\n"
        "    Type:        Secret (a volume populated by a Secret)\n"
        "    SecretName:  tls\n"
        "    Optional:    true\n"
        "QoS Class:       BestEffort\n"
    ) in out


def test_describe_qos_guaranteed_and_annotations():
    pod = {
        "kind": "Pod",
        "metadata": {
            "name": "p",
            "namespace": "ns",
            "annotations": {
                "kubectl.kubernetes.io/last-applied-configuration": "{...}",
                "note": "x" * 150,
                "short": "ok",
            },
        },
        "spec": {
            "containers": [
                {
                    "name": "a",
                    "resources": {
                        "limits": {"cpu": "1", "memory": "1Gi"},
                        "requests": {"cpu": "1", "memory": "1Gi"},
                    },
                }
            ]
        },
        "status": {},
    }
    out = describe(pod, None, NOW)
    assert "QoS Class:        Guaranteed\n" in out
    assert "last-applied" not in out
    note = "Annotations:  note:\n" + " " * 16 + "x" * 138 + "...\n" + " " * 14 + "short: ok\n"
    assert note in out


def test_describe_rolebinding():
    rb = {
        "kind": "RoleBinding",
        "metadata": {"name": "read-pods", "namespace": "default"},
        "roleRef": {"kind": "Role", "name": "pod-reader", "apiGroup": "rbac.authorization.k8s.io"},
        "subjects": [{"kind": "User", "name": "jane", "apiGroup": "rbac.authorization.k8s.io"}],
    }
    assert describe(rb, None, NOW) == (
        "Name:         read-pods\n"
        "Labels:       <none>\n"
        "Annotations:  <none>\n"
        "Role:\n"
        "  Kind:  Role\n"
        "  Name:  pod-reader\n"
        "Subjects:\n"
        "  Kind  Name  Namespace\n"
        "  ----  ----  ---------\n"
        "  User  jane  \n"
    )


def test_smart_label_for():
    assert smart_label_for("creationTimestamp") == "Creation Timestamp"
    assert smart_label_for("apiVersion") == "API Version"
    assert smart_label_for("uid") == "UID"
    assert smart_label_for("podIPs") == "Pod I Ps"
    assert smart_label_for("x_y") == "x_y"


def test_quantity_canonical_strings():
    assert [
        str(Quantity.parse(s))
        for s in ("0.5", "1500m", "2000m", "1024Mi", "1536Mi", "1000", "2000", "0")
    ] == [
        "500m",
        "1500m",
        "2",
        "1Gi",
        "1536Mi",
        "1k",
        "2k",
        "0",
    ]
    assert str(Quantity.parse("128Mi").add(Quantity.parse("70Mi"))) == "198Mi"


def test_pod_requests_and_limits_with_init_containers():
    pod = {
        "spec": {
            "initContainers": [{"resources": {"requests": {"cpu": "500m"}}}],
            "containers": [
                {"resources": {"requests": {"cpu": "100m", "memory": "64Mi"}}},
                {"resources": {"requests": {"cpu": "100m"}}},
            ],
        }
    }
    reqs, limits = pod_requests_and_limits(pod)
    assert str(reqs["cpu"]) == "500m"
    assert str(reqs["memory"]) == "64Mi"
    assert limits == {}


def test_describe_clusterrole_and_role_rules():
    reader = {
        "kind": "ClusterRole",
        "metadata": {"name": "secret-reader"},
        "rules": [{"apiGroups": [""], "resources": ["secrets"], "verbs": ["get", "watch", "list"]}],
    }
    assert describe(reader, None, NOW) == (
        "Name:         secret-reader\n"
        "Labels:       <none>\n"
        "Annotations:  <none>\n"
        "PolicyRule:\n"
        "  Resources  Non-Resource URLs  Resource Names  Verbs\n"
        "  ---------  -----------------  --------------  -----\n"
        "  secrets    []                 []              [get watch list]\n"
    )
    dev = {
        "kind": "Role",
        "metadata": {"name": "dev", "namespace": "default"},
        "rules": [
            {
                "apiGroups": ["apps"],
                "resources": ["deployments", "deployments/scale"],
                "verbs": ["get"],
            },
            {"apiGroups": ["apps"], "resources": ["deployments"], "verbs": ["update"]},
            {
                "apiGroups": [""],
                "resources": ["configmaps"],
                "resourceNames": ["app-config"],
                "verbs": ["get"],
            },
            {"nonResourceURLs": ["/healthz"], "verbs": ["get"]},
        ],
    }
    assert describe(dev, None, NOW).split("PolicyRule:\n")[1] == (
        "  Resources               Non-Resource URLs  Resource Names  Verbs\n"
        "  ---------               -----------------  --------------  -----\n"
        "  deployments.apps        []                 []              [get update]\n"
        "                          [/healthz]         []              [get]\n"
        "  configmaps              []                 [app-config]    [get]\n"
        "  deployments.apps/scale  []                 []              [get]\n"
    )


def test_describe_ingress():
    ing = {
        "kind": "Ingress",
        "metadata": {"name": "shop", "namespace": "default"},
        "spec": {
            "ingressClassName": "nginx",
            "tls": [{"hosts": ["shop.example.com"], "secretName": "shop-tls"}],
            "rules": [
                {
                    "host": "shop.example.com",
                    "http": {
                        "paths": [
                            {
                                "path": "/",
                                "pathType": "Prefix",
                                "backend": {"service": {"name": "web", "port": {"number": 80}}},
                            },
                            {
                                "path": "/api",
                                "pathType": "Prefix",
                                "backend": {"service": {"name": "api", "port": {"number": 8080}}},
                            },
                        ]
                    },
                }
            ],
        },
        "status": {"loadBalancer": {"ingress": [{"ip": "172.18.0.5"}]}},
    }
    assert describe(ing, [], NOW, {"services": [SVC], "endpoint_slices": [SLICE]}) == (
        "Name:             shop\n"
        "Labels:           <none>\n"
        "Namespace:        default\n"
        "Address:          172.18.0.5\n"
        "Ingress Class:    nginx\n"
        "Default backend:  <default>\n"
        "TLS:\n"
        "  shop-tls terminates shop.example.com\n"
        "Rules:\n"
        "  Host              Path  Backends\n"
        "  ----              ----  --------\n"
        "  shop.example.com  \n"
        "                    /      web:80 (10.244.1.5:8080,10.244.2.7:8080)\n"
        '                    /api   api:8080 (<error: services "api" not found>)\n'
        "Annotations:        <none>\n"
        "Events:             <none>\n"
    )
    default_only = {
        "kind": "Ingress",
        "metadata": {"name": "min", "namespace": "default"},
        "spec": {"defaultBackend": {"service": {"name": "web", "port": {"number": 80}}}},
    }
    assert describe(
        default_only, None, NOW, {"services": [SVC], "endpoint_slices": [SLICE]}
    ).endswith(
        "Rules:\n"
        "  Host        Path  Backends\n"
        "  ----        ----  --------\n"
        "  *           *     web:80 (10.244.1.5:8080,10.244.2.7:8080)\n"
        "Annotations:  <none>\n"
    )
