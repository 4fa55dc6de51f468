"""Turning kubectl's resource arguments (``pods web``, ``pod/web``, ``po,svc``, ``all``) into
(resource, names) pairs."""

from __future__ import annotations

from k8snb.api.registry import REGISTRY, ResourceInfo
from k8snb.kubectl.cli import CommandError

__all__ = ["resolve", "targets", "ALL"]

# What ``kubectl get all`` lists (the "all" category of the built-in resources).
ALL = ("pods", "services", "daemonsets", "deployments", "replicasets", "statefulsets",
       "replicationcontrollers", "jobs", "cronjobs")


def resolve(token: str) -> ResourceInfo:
    try:
        return REGISTRY.resolve(token)
    except KeyError:
        raise CommandError(f'the server doesn\'t have a resource type "{token}"') from None


def targets(words: list[str]) -> list[tuple[ResourceInfo, list[str]]]:
    """``["pods", "a", "b"]`` -> [(pods, [a, b])]; ``["pod/a", "svc/b"]`` -> two pairs."""
    if not words:
        return []
    if any("/" in w for w in words):
        out: list[tuple[ResourceInfo, list[str]]] = []
        for w in words:
            if "/" not in w:
                raise CommandError("there is no need to specify a resource type as a separate "
                                   "argument when passing arguments in resource/name form "
                                   "(e.g. 'kubectl get resource/<resource_name>' instead of "
                                   "'kubectl get resource resource/<resource_name>'")
            kind, _, name = w.partition("/")
            info = resolve(kind)
            if out and out[-1][0] == info:
                out[-1][1].append(name)
            else:
                out.append((info, [name]))
        return out
    kinds, names = words[0], words[1:]
    infos: list[ResourceInfo] = []
    for token in kinds.split(","):
        if token == "all":
            infos.extend(REGISTRY.resolve(t) for t in ALL)
        elif token:
            infos.append(resolve(token))
    if names and len(infos) > 1:
        raise CommandError("you must specify only one resource")
    return [(info, list(names)) for info in infos]
