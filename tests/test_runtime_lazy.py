"""The runtime's memory savings are invisible: a container's filesystem made on first use, the
pod's /etc files written when needed, and /pause as a `Sleeper` behave exactly like making
everything up front and running the pause program as a generator."""

from __future__ import annotations

import random
from collections.abc import Callable

import pytest
from test_runtime import FakeClock

from k8snb.network.podnet import PodNetwork
from k8snb.node import runtime as runtime_module
from k8snb.node.fs import Volume
from k8snb.node.images import PAUSE_IMAGE
from k8snb.node.runtime import ContainerRuntime
from k8snb.node.sandbox import Process, Sleeper

PAUSE = {"name": "app", "image": PAUSE_IMAGE}  # what bench/controllers.py runs 150,000 times


class Node:
    def __init__(self) -> None:
        self.clock = FakeClock()
        self.rt = ContainerRuntime("node-1", self.clock, PodNetwork(), random.Random(7),
                                   preloaded=(PAUSE_IMAGE, "busybox"))
        self.exits: list[tuple[str, int, str]] = []
        self.down: list[str] = []
        self.rt.on_sandbox_exit = self.down.append
        self._ip = 1

    def pod(self, name: str, *specs: dict, share: bool = False,
            volumes: dict[str, Volume] | None = None, mounts: dict | None = None) -> str:
        self._ip += 1
        sb = self.rt.run_pod_sandbox(f"uid-{name}", name, "default", name, f"10.244.1.{self._ip}",
                                     share, volumes or {})
        for spec in specs:
            self.start(sb, spec, (mounts or {}).get(spec["name"], []))
        return sb

    def start(self, sb: str, spec: dict, mounts: list | None = None) -> str:
        cid = self.rt.create_container(sb, spec, {"KUBERNETES_SERVICE_HOST": "10.96.0.1"},
                                       mounts or [])
        name = spec["name"]
        self.rt.start_container(cid, lambda code, reason: self.exits.append((name, code, reason)))
        return cid

    def sh(self, sb: str, container: str, script: str) -> str:
        res = self.rt.exec(sb, container, ["sh", "-c", script])
        return res.stdout + res.stderr + f"[{res.exit_code}]\n"


def busybox(name: str, script: str = "sleep 3600", **extra: object) -> dict:
    return {"name": name, "image": "busybox", "command": ["sh", "-c", script], **extra}


@pytest.fixture(params=["lazy", "eager"])
def mode(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """"eager" runs /pause as the real program and builds every filesystem at create time."""
    if request.param == "eager":
        monkeypatch.setattr(runtime_module, "_runs_pause", lambda node: False)
        monkeypatch.setattr(runtime_module, "_image_has_dir", lambda c, path: False)
    return request.param


def pause_signals(node: Node) -> list[str]:
    """Signals to /pause as PID 1 of its own namespace, from the runtime (the kubelet)."""
    out = []
    for sig in ("HUP", "USR1", "TERM"):
        sb = node.pod(f"p-{sig.lower()}", PAUSE)
        cid = node.rt.sandbox(sb).containers["app"].id
        node.clock.advance(5)
        node.rt.kill_container(cid, sig)
        node.clock.advance(1)
        out += [f"{sig}: {node.exits}", node.rt.logs(sb, "app", timestamps=True)]
        node.rt.kill_container(cid, "KILL")
        node.clock.advance(1)
        out += [f"then KILL: {node.exits}", repr(node.rt.processes(sb))]
        node.exits.clear()
    return out


def shared_namespace(node: Node) -> list[str]:
    """/pause seen and signalled from a busybox sidecar sharing the PID namespace."""
    sb = node.pod("shared", PAUSE, busybox("tools"), share=True)
    out = [node.sh(sb, "tools", "ps; ls /proc; cat /proc/7/cmdline; ls /proc/7/root; "
                                "cat /proc/1/status; ls /proc/1/root")]
    out.append(repr(node.rt.sandbox(sb).namespace_table()))
    out.append(node.sh(sb, "tools", "kill -9 1; kill -WINCH 7; kill -INT 7"))
    node.clock.advance(1)
    out += [repr(node.exits), node.rt.logs(sb, "app", timestamps=True), node.sh(sb, "tools", "ps")]
    out.append(node.sh(sb, "tools", "kill 1"))  # /pause exits on SIGTERM: the pod goes down
    node.clock.advance(1)
    out += [repr(node.exits), repr(node.down), repr(node.rt.processes(sb))]
    return out


def exec_into_pause(node: Node) -> list[str]:
    sb = node.pod("ex", PAUSE)
    return [repr(node.rt.exec(sb, "app", ["sh", "-c", "true"])),
            repr(node.rt.exec(sb, "app", ["/pause"])), repr(node.rt.exec(sb, "pause", ["ls"])),
            repr(node.rt.processes(sb))]


def filesystems(node: Node) -> list[str]:
    """Mounts, the pod's /etc files and a working directory made inside a shared volume."""
    shared = Volume.empty_dir("shared")
    token = Volume.from_files("token", "projected", {"token": "t", "namespace": "default"})
    node.clock.advance(3)
    sb = node.pod("fs", busybox("a", workingDir="/data/work"), busybox("b"),
                  volumes={"shared": shared, "token": token},
                  mounts={"a": [("shared", "/data", False), ("token", "/var/run/secrets", True)],
                          "b": [("shared", "/mnt", False), ("shared", "/sub", False, "x/y")]})
    node.clock.advance(60)
    return [node.sh(sb, "b", "ls -l /mnt /mnt/x; mount; cat /etc/hosts /etc/resolv.conf"),
            node.sh(sb, "a", "pwd; ls -la /etc /var/run/secrets; echo 1.2.3.4 extra >> "
                             "/etc/hosts; echo x > /var/run/secrets/token; df"),
            node.sh(sb, "b", "tail -1 /etc/hosts; nslookup extra 2>&1 | tail -2"),
            repr(node.rt.sandbox(sb).etc_hosts("extra"))]


@pytest.mark.parametrize("scenario", [pause_signals, shared_namespace, exec_into_pause,
                                      filesystems])
def test_lazy_runtime_matches_the_eager_one(scenario: Callable[[Node], list[str]],
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    lazy = scenario(Node())
    monkeypatch.setattr(runtime_module, "_runs_pause", lambda node: False)
    monkeypatch.setattr(runtime_module, "_image_has_dir", lambda c, path: False)
    assert scenario(Node()) == lazy


def test_pause_signals_as_upstream(mode: str) -> None:
    out = pause_signals(Node())
    assert out[0] == "HUP: []"  # PID 1 without a handler ignores it
    assert out[2] == "then KILL: [('app', 137, 'Error')]"
    assert out[8] == "TERM: [('app', 0, 'Completed')]"
    assert out[9] == "2026-01-01T00:00:19.000000000Z Shutting down, got signal: Terminated\n"
    shared = shared_namespace(Node())
    assert "    1 65535     0:00 /pause\n    7 root      0:00 /pause\n" in shared[0]
    assert shared[3] == "[('app', 0, 'Completed')]"  # -9 1 and WINCH ignored, INT ends it
    assert shared[4].endswith("Shutting down, got signal: Interrupt\n")
    assert shared[7] == "[('app', 0, 'Completed'), ('tools', 137, 'Error')]"
    assert shared[9] == "[]"


def test_a_pod_nobody_looks_into_builds_nothing() -> None:
    node = Node()
    sb = node.rt.sandbox(node.pod("idle", PAUSE))
    app = sb.containers["app"]
    assert isinstance(sb.pause, Sleeper) and isinstance(app.process, Sleeper)
    assert not app.fs_built and not sb.pause_container.fs_built
    assert sb.etc_hosts("idle") == sb.ip  # answered from the sandbox's fields
    assert node.rt.exec(sb.id, "app", ["/pause"]).interrupted
    assert app.fs_built and app.fs.read("/etc/hostname") == "idle\n"
    other = node.rt.sandbox(node.pod("busy", busybox("a")))
    assert isinstance(other.containers["a"].process, Process)


def test_an_edited_etc_hosts_answers_name_lookups() -> None:
    node = Node()
    sb = node.pod("web", busybox("a"))
    node.sh(sb, "a", "echo '10.1.2.3 db' >> /etc/hosts")
    assert node.rt.sandbox(sb).etc_hosts("db") == "10.1.2.3"


def test_containers_keep_upstream_order_across_removal_and_restart() -> None:
    node = Node()
    sb = node.pod("pod", busybox("a", "echo one"), busybox("b"))
    node.clock.advance(1)
    box = node.rt.sandbox(sb)
    first = box.containers["a"]
    node.rt.remove_container(first.id)
    assert list(box.containers) == ["b"]
    node.start(sb, busybox("a", "echo two"))
    node.clock.advance(1)
    assert list(box.containers) == ["b", "a"]
    assert [c.attempt for c in box.history["a"]] == [0, 1]
    assert node.rt.logs(sb, "a", previous=True) == "one\n"
    assert node.rt.logs(sb, "a") == "two\n"
    again = box.containers["b"]
    node.start(sb, busybox("b", "echo three"))  # replaces b in place
    assert list(box.containers) == ["b", "a"] and box.containers["b"] is not again
    node.rt.remove_pod_sandbox(sb)
    assert first.id not in node.rt._containers and again.id not in node.rt._containers


def test_read_only_volume_files_are_shared_and_stay_read_only() -> None:
    one = Volume.from_files("one", "projected", {"ca.crt": "CA\n", "namespace": "default"})
    two = Volume.from_files("two", "projected", {"ca.crt": "CA\n", "namespace": "default"})
    assert one.root.entries["ca.crt"] is two.root.entries["ca.crt"]
    own = Volume.empty_dir("own")
    own.set_files({"ca.crt": "CA\n"})
    assert own.root.entries["ca.crt"] is not one.root.entries["ca.crt"]
    node = Node()
    sb = node.pod("p", busybox("a"), volumes={"one": one},
                  mounts={"a": [("one", "/secrets", False)]})
    assert node.sh(sb, "a", "echo x > /secrets/ca.crt; touch /secrets/namespace; "
                            "cat /secrets/ca.crt") == (
        "CA\nsh: can't create /secrets/ca.crt: Read-only file system\n"
        "touch: /secrets/namespace: Read-only file system\n[0]\n")
