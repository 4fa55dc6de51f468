"""``kubectl api-resources``, ``api-versions``, ``top``, ``version``, ``cluster-info`` and
``wait``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from k8snb.kubectl.cli import CommandError, Context
from k8snb.kubectl.get import fetch
from k8snb.kubectl.resources import targets

if TYPE_CHECKING:
    from k8snb.cluster import Cluster

__all__ = ["api_resources", "api_server_url", "api_versions", "cluster_info", "top", "version",
           "wait"]


def api_resources(ctx: Context) -> None:
    from k8snb.kubectl.printers import format_table

    ns_filter = ctx.args.str("namespaced")
    group = ctx.args.str("api-group")
    rows = []
    for r in sorted(ctx.api.registry.resources, key=lambda r: (r.group, r.plural)):
        if ns_filter is not None and str(r.namespaced).lower() != ns_filter.lower():
            continue
        if group is not None and r.group != group:
            continue
        rows.append([r.plural, ",".join(r.short_names), r.api_version,
                     "true" if r.namespaced else "false", r.kind])
    if ctx.args.str("output") == "name":
        for row in rows:
            ctx.print(row[0] if "/" not in row[2] else f"{row[0]}.{row[2].split('/')[0]}")
        return
    ctx.out.write(format_table(["NAME", "SHORTNAMES", "APIVERSION", "NAMESPACED", "KIND"],
                               rows))


def api_versions(ctx: Context) -> None:
    """``kubectl api-versions``: every group/version the API server serves, sorted."""
    for gv in sorted({r.api_version for r in ctx.api.registry.resources}):
        ctx.print(gv)


def top(ctx: Context) -> None:
    """``kubectl top``: kubeadm does not install metrics-server, so there is no Metrics API
    to ask (``metrics.k8s.io``), and kubectl says so."""
    ctx.error("error: Metrics API not available")


def version(ctx: Context) -> None:
    from k8snb.cluster import KUBERNETES_VERSION

    if ctx.args.bool("client"):
        ctx.print(f"Client Version: {KUBERNETES_VERSION}\nKustomize Version: v5.7.1")
        return
    ctx.print(f"Client Version: {KUBERNETES_VERSION}\nKustomize Version: v5.7.1\n"
              f"Server Version: {KUBERNETES_VERSION}")


def api_server_url(cluster: Cluster) -> str:
    """``https://<control plane's InternalIP>:6443``, where kubeadm's API server listens."""
    node = cluster.store.get("nodes", ("", "control-plane"))
    ip = "172.18.0.2"
    if node:
        ip = next((a["address"] for a in node["status"].get("addresses", [])
                   if a["type"] == "InternalIP"), ip)
    return f"https://{ip}:6443"


def cluster_info(ctx: Context) -> None:
    url = api_server_url(ctx.cluster)
    ctx.print(f"Kubernetes control plane is running at {url}")
    if ctx.cluster.store.get("services", ("kube-system", "kube-dns")):
        ctx.print(f"CoreDNS is running at {url}/api/v1/namespaces/kube-system/"
                  "services/kube-dns:dns/proxy")
    ctx.print("\nTo further debug and diagnose cluster problems, use 'kubectl cluster-info "
              "dump'.")


def _parse_timeout(text: str | None) -> float:
    if not text:
        return 30.0
    units = {"s": 1, "m": 60, "h": 3600}
    if text[-1] in units:
        return float(text[:-1]) * units[text[-1]]
    return float(text)


def wait(ctx: Context) -> None:
    """``kubectl wait --for=condition=Ready pod/x``: runs simulated time until it holds."""
    cond = ctx.args.str("for")
    if not cond:
        raise CommandError("--for must be set")
    timeout = _parse_timeout(ctx.args.str("timeout"))
    pairs = targets(ctx.args.positional)
    cluster = ctx.cluster
    deadline = cluster.clock.now + timeout

    def check(obj: dict) -> bool:
        if cond == "delete":
            return False
        if cond.startswith("condition="):
            want = cond.split("=", 1)[1]
            ctype, _, value = want.partition("=")
            value = value or "True"
            return any(c.get("type", "").lower() == ctype.lower() and c.get("status") == value
                       for c in obj.get("status", {}).get("conditions") or [])
        if cond.startswith("jsonpath="):
            from k8snb.kubectl.jsonpath import kubectl_jsonpath

            expr, _, value = cond.split("=", 1)[1].partition("=")
            expr = expr if expr.startswith("{") else "{" + expr + "}"
            return kubectl_jsonpath(expr, obj) == value
        raise CommandError(f"unrecognized condition: \"{cond}\"")

    for info, names in pairs:
        objs, missing = fetch(ctx, info, names)
        for m in missing:
            ctx.error(m)
        for obj in objs:
            name, ns = obj["metadata"]["name"], obj["metadata"].get("namespace")

            def met(key: tuple[str, str] = (ns or "", name), plural: str = info.plural) -> bool:
                live = cluster.store.get(plural, key)
                return live is None if cond == "delete" else (live is not None and check(live))

            if cluster.run_until(met, max(deadline - cluster.clock.now, 0)):
                ctx.print(f"{info.type_name}/{name} condition met")
            else:
                ctx.error(f"error: timed out waiting for the condition on "
                          f"{info.qualified}/{name}")
