"""The kubectl front: parse a command line, call the API server, print what kubectl prints.

User errors never raise: they are printed in kubectl's words on stderr with a non-zero return
code. Columns for ``get`` come from the API server's table conversion, as in Kubernetes.
"""

from __future__ import annotations

import importlib
import io
from collections.abc import Callable
from typing import TYPE_CHECKING

from k8snb.api.errors import StatusError
from k8snb.kubectl.args import ArgError, Args, parse_args, split_command
from k8snb.kubectl.result import KubectlResult

if TYPE_CHECKING:
    from k8snb.cluster import Cluster

__all__ = ["run", "Context", "CommandError", "command_at"]


class CommandError(Exception):
    """A client-side error printed as ``error: <message>`` (exit 1)."""


class Context:
    """One kubectl invocation: the cluster, parsed args and output buffers."""

    def __init__(self, cluster: Cluster, args: Args, stdin: str | None) -> None:
        self.cluster = cluster
        self.api = cluster.api
        self.args = args
        self.stdin = stdin
        self.out = io.StringIO()
        self.err = io.StringIO()
        self.code = 0

    @property
    def namespace(self) -> str:
        """``-n``, else the current kubeconfig context's namespace, else "default"."""
        explicit = self.args.str("namespace")
        if explicit:
            return explicit
        from k8snb.kubectl.config import kubeconfig_of

        return kubeconfig_of(self.cluster).namespace

    def print(self, text: str = "") -> None:
        self.out.write(text + "\n")

    def error(self, text: str, code: int = 1) -> None:
        self.err.write(text + "\n")
        self.code = code

    def fail(self, e: StatusError, context: str = "") -> None:
        msg = e.kubectl_message()
        if context and e.reason != "Invalid":
            msg = f"Error from server ({e.reason}): {context}{e.message}"
        self.error(msg)


# verb -> "module:function"; each command lives in a module of k8snb.kubectl.
COMMANDS: dict[str, str] = {
    "get": "get:get",
    "describe": "get:describe",
    "events": "events:events",
    "apply": "apply:apply",
    "create": "apply:create",
    "delete": "apply:delete",
    "replace": "apply:replace",
    "patch": "apply:patch",
    "run": "pods:run",
    "logs": "pods:logs",
    "exec": "pods:exec_",
    "label": "nodes:label",
    "annotate": "nodes:annotate",
    "taint": "nodes:taint",
    "cordon": "nodes:cordon",
    "uncordon": "nodes:uncordon",
    "drain": "drain:drain",
    "scale": "scale:scale",
    "set": "rollout:set_",
    "rollout": "rollout:rollout",
    "api-resources": "misc:api_resources",
    "api-versions": "misc:api_versions",
    "config": "config:config",
    "top": "misc:top",
    "version": "misc:version",
    "cluster-info": "misc:cluster_info",
    "wait": "misc:wait",
}


def _command(verb: str) -> Callable[[Context], None] | None:
    spec = COMMANDS.get(verb)
    return None if spec is None else command_at(spec)


def command_at(spec: str) -> Callable[[Context], None] | None:
    """The function a ``"module:function"`` spec of ``k8snb.kubectl`` names (None when the
    module is not there)."""
    module, func = spec.split(":")
    try:
        mod = importlib.import_module(f"k8snb.kubectl.{module}")
    except ModuleNotFoundError as e:
        if e.name != f"k8snb.kubectl.{module}":
            raise
        return None
    return getattr(mod, func)


def run(cluster: Cluster, command: str | list[str], stdin: str | None = None) -> KubectlResult:
    """Run one kubectl command line against ``cluster``."""
    try:
        words = split_command(command)
    except ValueError as e:
        return KubectlResult(str(command).split(), "", f"error: {e}\n", 1)
    if not words:
        return KubectlResult(words, _HELP, "", 0)
    verb = words[0]
    command = _command(verb)
    if command is None:
        return KubectlResult(words, "", f'error: unknown command "{verb}" for "kubectl"\n'
                             "\nRun 'kubectl --help' for usage.\n", 1)
    try:
        args = parse_args(words[1:], verb)
    except ArgError as e:
        return KubectlResult(words, "", f"error: {e}\nSee 'kubectl {verb} --help' for usage.\n",
                             1)
    ctx = Context(cluster, args, stdin)
    try:
        command(ctx)
    except CommandError as e:
        ctx.error(f"error: {e}")
    except StatusError as e:
        ctx.fail(e)
    return KubectlResult(words, ctx.out.getvalue(), ctx.err.getvalue(), ctx.code)


_HELP = """kubectl controls the Kubernetes cluster manager.

 Find more information at: https://kubernetes.io/docs/reference/kubectl/

Basic Commands (Beginner):
  create          Create a resource from a file or from stdin
  run             Run a particular image on the cluster
  set             Set specific features on objects

Basic Commands (Intermediate):
  get             Display one or many resources
  delete          Delete resources by file names, stdin, resources and names, or by resources
and label selector

Deploy Commands:
  rollout         Manage the rollout of a resource
  scale           Set a new size for a deployment, replica set, or replication controller

Cluster Management Commands:
  cluster-info    Display cluster information
  top             Display resource (CPU/memory) usage
  cordon          Mark node as unschedulable
  uncordon        Mark node as schedulable
  drain           Drain node in preparation for maintenance
  taint           Update the taints on one or more nodes

Troubleshooting and Debugging Commands:
  describe        Show details of a specific resource or group of resources
  logs            Print the logs for a container in a pod
  exec            Execute a command in a container
  events          List events

Advanced Commands:
  apply           Apply a configuration to a resource by file name or stdin
  patch           Update fields of a resource
  replace         Replace a resource by file name or stdin
  wait            Experimental: Wait for a specific condition on one or many resources

Settings Commands:
  label           Update the labels on a resource
  annotate        Update the annotations on a resource

Other Commands:
  api-resources   Print the supported API resources on the server
  api-versions    Print the supported API versions on the server, in the form of "group/version"
  config          Modify kubeconfig files
  version         Print the client and server version information

Usage:
  kubectl [flags] [options]
"""
