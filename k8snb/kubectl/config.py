"""``kubectl config``: the kubeconfig kubeadm writes (``/etc/kubernetes/admin.conf``).

One cluster ``kubernetes`` (the API server on the control plane's :6443), one user
``kubernetes-admin`` and one context ``kubernetes-admin@kubernetes`` joining them. A context may
carry a namespace: ``kubectl config set-context --current --namespace=team`` makes ``team`` the
namespace every later command uses when it is given no ``-n``, exactly as on a real cluster.
Certificates are not modelled: ``view`` prints ``DATA+OMITTED`` where they would be (as it does
on a real cluster without ``--raw``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from k8snb.kubectl.cli import CommandError, Context
from k8snb.kubectl.printers import format_table, to_json, to_yaml

if TYPE_CHECKING:
    from k8snb.cluster import Cluster

__all__ = ["KubeConfig", "config", "kubeconfig_of"]

CLUSTER = "kubernetes"
USER = "kubernetes-admin"
CONTEXT = f"{USER}@{CLUSTER}"


@dataclass
class KubeConfig:
    """Contexts by name (cluster, user, namespace) and the current one."""

    contexts: dict[str, dict[str, str]] = field(
        default_factory=lambda: {CONTEXT: {"cluster": CLUSTER, "user": USER}})
    current: str = CONTEXT

    @property
    def namespace(self) -> str:
        """The current context's namespace ("default" when it names none)."""
        return self.contexts.get(self.current, {}).get("namespace") or "default"

    def document(self, server: str, minify: bool = False) -> dict:
        """The kubeconfig file as ``kubectl config view`` prints it."""
        names = [self.current] if minify else sorted(self.contexts)
        contexts = [{"context": dict(self.contexts[n]), "name": n} for n in names]
        clusters = sorted({c["context"]["cluster"] for c in contexts})
        users = sorted({c["context"]["user"] for c in contexts})
        return {
            "apiVersion": "v1",
            "clusters": [{"cluster": {"certificate-authority-data": "DATA+OMITTED",
                                      "server": server}, "name": n} for n in clusters],
            "contexts": contexts,
            "current-context": self.current,
            "kind": "Config",
            "preferences": {},
            "users": [{"name": n, "user": {"client-certificate-data": "DATA+OMITTED",
                                           "client-key-data": "DATA+OMITTED"}}
                      for n in users],
        }


def kubeconfig_of(cluster: Cluster) -> KubeConfig:
    """The cluster's kubeconfig (made on first use)."""
    kc = getattr(cluster, "_kubeconfig", None)
    if kc is None:
        kc = cluster._kubeconfig = KubeConfig()  # type: ignore[attr-defined]
    return kc


def config(ctx: Context) -> None:
    a = ctx.args
    if not a.positional:
        raise CommandError("config requires a subcommand: current-context, get-contexts, "
                           "set-context, use-context or view")
    sub, rest = a.positional[0], a.positional[1:]
    kc = kubeconfig_of(ctx.cluster)
    if sub == "current-context":
        ctx.print(kc.current)
    elif sub == "get-contexts":
        names = rest or sorted(kc.contexts)
        for n in names:
            if n not in kc.contexts:
                raise CommandError(f'context {n} not found')
        rows = [["*" if n == kc.current else "", n, kc.contexts[n].get("cluster", ""),
                 kc.contexts[n].get("user", ""), kc.contexts[n].get("namespace", "")]
                for n in names]
        ctx.out.write(format_table(["CURRENT", "NAME", "CLUSTER", "AUTHINFO", "NAMESPACE"], rows,
                                   no_headers=a.bool("no-headers")))
    elif sub == "use-context":
        if not rest:
            raise CommandError("Unexpected args: []")
        if rest[0] not in kc.contexts:
            raise CommandError(f'no context exists with the name: "{rest[0]}"')
        kc.current = rest[0]
        ctx.print(f'Switched to context "{rest[0]}".')
    elif sub == "set-context":
        if a.bool("current"):
            if rest:
                raise CommandError("you cannot specify both a context name and --current")
            name = kc.current
        elif rest:
            name = rest[0]
        else:
            raise CommandError("you must specify a non-empty context name or --current")
        created = name not in kc.contexts
        entry = kc.contexts.setdefault(name, {"cluster": "", "user": ""})
        for flag, key in (("namespace", "namespace"), ("cluster", "cluster"), ("user", "user")):
            value = a.str(flag)
            if value is not None:
                if value:
                    entry[key] = value
                else:
                    entry.pop(key, None)
        ctx.print(f'Context "{name}" {"created" if created else "modified"}.')
    elif sub == "view":
        from k8snb.kubectl.misc import api_server_url

        doc = kc.document(api_server_url(ctx.cluster), minify=a.bool("minify"))
        ctx.out.write(to_json(doc) if a.str("output") == "json" else to_yaml(doc))
    else:
        raise CommandError(f'unknown command "{sub}" for "kubectl config"')
