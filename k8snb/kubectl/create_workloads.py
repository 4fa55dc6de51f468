"""``kubectl create deployment|job|cronjob``: workloads from a few flags, no manifest.

``kubectl create`` (:func:`k8snb.kubectl.apply.create`) hands these subcommands to
:func:`create_workload`, which calls ``create_<kind>(ctx)`` from this module; a workload that
has no function here yet reports that the simulated cluster does not know the subcommand.
Ports of kubectl ``pkg/cmd/create/create_deployment.go`` (and, for the other kinds, their
``create_*.go`` siblings).
"""

from __future__ import annotations

from typing import Any

from k8snb.api.names import random_string
from k8snb.kubectl.cli import CommandError, Context

__all__ = ["create_workload", "create_deployment", "SUBCOMMANDS"]

Obj = dict[str, Any]

#: ``kubectl create <word>`` -> the function of this module that handles it.
SUBCOMMANDS: dict[str, str] = {
    "deployment": "create_deployment",
    "deploy": "create_deployment",
    "job": "create_job",
    "cronjob": "create_cronjob",
    "cj": "create_cronjob",
}


def create_workload(ctx: Context) -> None:
    """Dispatch ``kubectl create <workload> NAME ...`` to ``create_<workload>(ctx)``."""
    word = ctx.args.positional[0]
    fn = globals().get(SUBCOMMANDS.get(word, ""))
    if fn is None:
        raise CommandError(f'unknown subcommand "{word}" for "kubectl create" in the '
                           "simulated cluster")
    fn(ctx)


def _name(ctx: Context) -> str:
    words = ctx.args.positional
    if len(words) < 2:
        raise CommandError(f"exactly one NAME is required, got {len(words) - 1}")
    if len(words) > 2:
        raise CommandError(f"exactly one NAME is required, got {len(words) - 1}")
    return words[1]


def container_name(image: str, ctx: Context) -> str:
    """A container name from an image (``nginx:1.27`` -> ``nginx``; ``my_app`` gets dashes and
    a random suffix, ``my-app-x2k4q``), as ``buildPodSpec``/``sanitizeAndUniquify`` do."""
    name = image.split("/")[-1]
    name = name.split(":")[0]
    name = name.split("@")[0]
    if "_" in name or "." in name:
        name = name.replace("_", "-").replace(".", "-")
        name = f"{name}-{random_string(5, ctx.cluster.rng)}"
    return name


def create_deployment(ctx: Context) -> None:
    """``kubectl create deployment NAME --image=IMAGE [--replicas=N] [--port=P] [-- CMD...]``.

    Labels and selector are ``app: NAME``; one container per image, named after the image.
    """
    from k8snb.kubectl.apply import _create_one

    name = _name(ctx)
    images = ctx.args.list("image")
    if not images:
        raise CommandError('required flag(s) "image" not set')
    replicas_text = ctx.args.str("replicas") or "1"
    try:
        replicas = int(replicas_text)
    except ValueError:
        raise CommandError(f'invalid argument "{replicas_text}" for "-r, --replicas" flag: '
                           f'strconv.ParseInt: parsing "{replicas_text}": invalid syntax'
                           ) from None
    port_text = ctx.args.str("port") or "-1"
    try:
        port = int(port_text)
    except ValueError:
        raise CommandError(f'invalid argument "{port_text}" for "--port" flag: '
                           f'strconv.ParseInt: parsing "{port_text}": invalid syntax') from None
    labels = {"app": name}
    containers: list[Obj] = []
    for image in images:
        c: Obj = {"name": container_name(image, ctx), "image": image, "resources": {}}
        if ctx.args.rest:
            c["command"] = list(ctx.args.rest)
        containers.append(c)
    if port >= 0 and containers:
        containers[0]["ports"] = [{"containerPort": port}]
    deploy = {
        "apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": {"name": name, "labels": dict(labels)},
        "spec": {"replicas": replicas, "selector": {"matchLabels": dict(labels)},
                 "strategy": {},
                 "template": {"metadata": {"labels": dict(labels)},
                              "spec": {"containers": containers}}},
        "status": {},
    }
    _create_one(ctx, deploy, ctx.namespace, "")
