"""``kubectl run``, ``logs`` and ``exec``: working with a pod's containers."""

from __future__ import annotations

from typing import Any

from k8snb.api.errors import StatusError
from k8snb.kubectl.cli import CommandError, Context

__all__ = ["run", "logs", "exec_"]

Obj = dict[str, Any]


def run(ctx: Context) -> None:
    a = ctx.args
    if not a.positional:
        raise CommandError("NAME is required for run")
    name = a.positional[0]
    image = a.str("image")
    if not image:
        raise CommandError("--image is required")
    if a.bool("stdin") or a.bool("tty") or a.bool("rm"):
        raise CommandError(
            "an interactive pod (-i, -t, --rm) needs a terminal attached to it, which a "
            "notebook cell does not have: run the pod, then `kubectl exec POD -- COMMAND` "
            "(or `kubectl logs POD` for what it printed)")
    restart = a.str("restart") or "Always"
    if restart not in ("Always", "OnFailure", "Never"):
        raise CommandError(f"invalid restart policy: {restart}")
    labels = {"run": name}
    if a.str("labels"):
        labels = dict(kv.split("=", 1) for kv in a.str("labels").split(",") if "=" in kv)
    container: Obj = {"name": name, "image": image, "resources": {}}
    extra = a.positional[1:] + a.rest
    if extra:
        container["command" if a.bool("command") else "args"] = extra
    if a.str("port"):
        container["ports"] = [{"containerPort": int(a.str("port"))}]
    env = a.list("env")
    if env:
        container["env"] = [{"name": e.split("=", 1)[0], "value": e.split("=", 1)[1]}
                            for e in env if "=" in e]
    pod = {"apiVersion": "v1", "kind": "Pod",
           "metadata": {"name": name, "labels": labels},
           "spec": {"containers": [container], "restartPolicy": restart,
                    "dnsPolicy": "ClusterFirst"},
           "status": {}}
    from k8snb.kubectl.apply import _create_one

    _create_one(ctx, pod, ctx.namespace, "")


def _pod_and_container(ctx: Context, verb: str) -> tuple[Obj, str, Any, Any]:
    a = ctx.args
    if not a.positional:
        raise CommandError(f"expected '{verb} POD_NAME'; POD_NAME is required")
    target = a.positional[0]
    if "/" in target:
        kind, _, target = target.partition("/")
        if kind not in ("pod", "pods", "po"):
            target = _first_pod(ctx, kind, target)
    pod = ctx.api.get("pods", target, ctx.namespace)
    names = [c["name"] for c in pod["spec"]["containers"]]
    container = a.str("container")
    if container is None:
        container = names[0]
        if len(names) > 1:
            ctx.err.write(f'Defaulted container "{container}" out of: {", ".join(names)}\n')
    init_names = [c["name"] for c in pod["spec"].get("initContainers") or []]
    if container not in names + init_names:
        raise StatusError(400, "BadRequest",
                          f"container {container} is not valid for pod {target}")
    node = pod["spec"].get("nodeName")
    kubelet = ctx.cluster.nodes.kubelets.get(node or "")
    rec = kubelet.record_for(ctx.namespace, target) if kubelet else None
    return pod, container, kubelet, rec


def _first_pod(ctx: Context, kind: str, name: str) -> str:
    """``logs deploy/web``: the pod kubectl would pick (running and ready first, then oldest)."""
    from k8snb.api.labels import selector_from_label_selector, selector_from_set
    from k8snb.kubectl.resources import resolve

    info = resolve(kind)
    obj = ctx.api.get(info, name, ctx.namespace)
    sel = obj.get("spec", {}).get("selector")
    if sel is None:
        raise CommandError(f"cannot attach to {info.kind}: selector for {info.type_name}/{name} "
                           "not implemented")
    selector = (selector_from_set(sel) if info.kind == "ReplicationController"
                or info.kind == "Service" else selector_from_label_selector(sel))
    pods = [p for p in ctx.cluster.nodes.pod_informer.list(ctx.namespace)
            if selector.matches(p["metadata"].get("labels") or {})]
    if not pods:
        raise CommandError(f"timed out waiting for the condition on {info.plural}/{name}")

    def rank(p: Obj) -> tuple:
        status = p.get("status", {})
        ready = any(c.get("type") == "Ready" and c.get("status") == "True"
                    for c in status.get("conditions") or [])
        return (not p["spec"].get("nodeName"), status.get("phase") != "Running", not ready,
                p["metadata"].get("creationTimestamp", ""), p["metadata"]["name"])

    pods.sort(key=rank)
    if len(pods) > 1:
        ctx.err.write(f"Found {len(pods)} pods, using pod/{pods[0]['metadata']['name']}\n")
    return pods[0]["metadata"]["name"]


def logs(ctx: Context) -> None:
    pod, container, kubelet, rec = _pod_and_container(ctx, "logs")
    name = pod["metadata"]["name"]
    statuses = {s["name"]: s for s in (pod.get("status", {}).get("containerStatuses") or [])
                + (pod.get("status", {}).get("initContainerStatuses") or [])}
    st = statuses.get(container, {})
    previous = ctx.args.bool("previous")
    if previous and not st.get("lastState", {}).get("terminated"):
        raise StatusError(400, "BadRequest", f'previous terminated container "{container}" in '
                          f'pod "{name}" not found')
    waiting = st.get("state", {}).get("waiting")
    if rec is None or rec.sandbox_id is None or (
            not rec.containers.get(container) or not rec.containers[container].container_id):
        reason = (waiting or {}).get("reason", "ContainerCreating")
        if not pod["spec"].get("nodeName"):
            raise StatusError(400, "BadRequest", f'container "{container}" in pod "{name}" is '
                              f"waiting to start: {reason}")
        raise StatusError(400, "BadRequest", f'container "{container}" in pod "{name}" is '
                          f"waiting to start: {reason}")
    tail = ctx.args.str("tail")
    text = kubelet.runtime.logs(rec.sandbox_id, container, previous=previous,
                                timestamps=ctx.args.bool("timestamps"),
                                tail=int(tail) if tail and tail.lstrip("-").isdigit()
                                and int(tail) >= 0 else None)
    ctx.out.write(text)


def exec_(ctx: Context) -> None:
    a = ctx.args
    if not a.rest:
        if len(a.positional) > 1:
            raise CommandError("exec [POD] [COMMAND] is not supported anymore. Use exec [POD] "
                               "-- [COMMAND] instead")
        raise CommandError("you must specify at least one command for the container")
    pod, container, kubelet, rec = _pod_and_container(ctx, "exec")
    phase = pod.get("status", {}).get("phase")
    if phase in ("Succeeded", "Failed"):
        raise CommandError(f"cannot exec into a container in a completed pod; current phase "
                           f"is {phase}")
    cr = rec.containers.get(container) if rec else None
    if rec is None or cr is None or cr.state != "running":
        raise CommandError(f'unable to upgrade connection: container not found ("{container}")')
    result = kubelet.runtime.exec(rec.sandbox_id, container, list(a.rest),
                                  stdin=ctx.stdin if a.bool("stdin") else None)
    ctx.out.write(result.stdout)
    ctx.err.write(result.stderr)
    if result.exit_code:
        ctx.err.write(f"command terminated with exit code {result.exit_code}\n")
        ctx.code = result.exit_code
