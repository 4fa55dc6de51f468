"""The container runtime as a learner meets it: pods, sandboxes, containers, logs, exec."""

from __future__ import annotations

import heapq
import random

import pytest

from k8snb.network.podnet import ConnectionRefused, PodNetwork, Timeout
from k8snb.node.fs import Volume
from k8snb.node.images import PAUSE_IMAGE
from k8snb.node.runtime import LONG_SLEEP, ContainerRuntime, NotFound, RuntimeFailure

START = 1767225600.0  # 2026-01-01T00:00:00Z
AGNHOST = "registry.k8s.io/e2e-test-images/agnhost:2.53"
PRELOADED = (PAUSE_IMAGE, "busybox", "alpine", "nginx", AGNHOST)


class Timer:
    def __init__(self, when: float, fn, recurring: bool) -> None:
        self.when, self.fn, self.recurring, self.cancelled = when, fn, recurring, False

    def cancel(self) -> None:
        self.cancelled = True


class FakeClock:
    """The Clock contract: ``now``, ``call_at(when, fn, recurring=)`` -> Timer.cancel()."""

    def __init__(self, start: float = START) -> None:
        self.now = start
        self._heap: list = []
        self._seq = 0

    def call_at(self, when: float, fn, recurring: bool = False) -> Timer:
        timer = Timer(max(when, self.now), fn, recurring)
        self._seq += 1
        heapq.heappush(self._heap, (timer.when, self._seq, timer))
        return timer

    def pending(self) -> list[Timer]:
        return [t for _, _, t in self._heap if not t.cancelled]

    def advance(self, seconds: float) -> None:
        end = self.now + seconds
        while self._heap and self._heap[0][0] <= end:
            when, _, timer = heapq.heappop(self._heap)
            if not timer.cancelled:
                self.now = when
                timer.fn()
        self.now = end


class Node:
    """A runtime with its clock and network, plus helpers to start pods quickly."""

    def __init__(self, seed: int = 0, preloaded: tuple[str, ...] = PRELOADED) -> None:
        self.clock = FakeClock()
        self.net = PodNetwork()
        self.rt = ContainerRuntime("node-1", self.clock, self.net, random.Random(seed),
                                   preloaded=preloaded)
        self.exits: list[tuple[str, int, str]] = []
        self._ips = iter(f"10.244.1.{i}" for i in range(2, 250))

    def pod(self, name: str, *containers: dict, share: bool = False,
            volumes: dict[str, Volume] | None = None, mounts: dict | None = None,
            hostname: str | None = None, ip: str | None = None) -> str:
        for spec in containers:
            self.pull(spec["image"])
        sb = self.rt.run_pod_sandbox(f"uid-{name}", name, "default", hostname or name,
                                     ip or next(self._ips), share, volumes or {})
        for spec in containers:
            self.start(sb, spec, (mounts or {}).get(spec["name"], []))
        return sb

    def pull(self, image: str) -> None:
        """imagePullPolicy IfNotPresent: pull (and wait for it) only when missing."""
        if self.rt.has_image(image):
            return
        res = self.rt.pull_image(image)
        assert res.ok, res.error
        self.clock.advance(res.duration)

    def start(self, sb: str, spec: dict, mounts: list | None = None, env: dict | None = None) -> str:
        cid = self.rt.create_container(sb, spec, env or {}, mounts or [])
        name = spec["name"]
        self.rt.start_container(cid, lambda code, reason: self.exits.append((name, code, reason)))
        return cid

    def sh(self, sb: str, container: str, script: str) -> str:
        res = self.rt.exec(sb, container, ["sh", "-c", script])
        return res.stdout + res.stderr


NGINX = {"name": "nginx", "image": "nginx"}


def busybox(name: str, script: str = "sleep 3600") -> dict:
    return {"name": name, "image": "busybox", "command": ["sh", "-c", script]}


@pytest.fixture
def node() -> Node:
    return Node()


# -- the pod sandbox: shared network and hostname -----------------------------------------------
def test_containers_of_a_pod_reach_each_other_on_localhost(node: Node) -> None:
    sb = node.pod("web", NGINX, busybox("client"))
    page = node.rt.exec(sb, "client", ["wget", "-qO-", "http://localhost:80/"])
    assert page.exit_code == 0
    assert "<h1>Welcome to nginx!</h1>" in page.stdout
    assert len(page.stdout.encode()) == 615
    # nginx saw a client on the loopback: the two containers share one network namespace
    assert node.rt.logs(sb, "nginx").splitlines()[-1].startswith(
        '127.0.0.1 - - [01/Jan/2026:00:00:00 +0000] "GET / HTTP/1.1" 200 615 "-" "Wget" "-"')


def test_a_second_pod_reaches_nginx_by_ip_not_by_localhost(node: Node) -> None:
    web = node.pod("web", NGINX, ip="10.244.1.10")
    other = node.pod("other", busybox("client"))
    assert "Welcome to nginx!" in node.sh(other, "client", "wget -qO- 10.244.1.10")
    assert node.sh(other, "client", "wget -qO- localhost") == (
        "wget: can't connect to remote host (127.0.0.1): Connection refused\n")
    assert '"GET / HTTP/1.1" 200 615' in node.rt.logs(web, "nginx").splitlines()[-1]
    assert node.rt.logs(web, "nginx").splitlines()[-1].startswith("10.244.1.")


def test_hostname_is_the_pods_in_every_container(node: Node) -> None:
    sb = node.pod("web-0", busybox("a"), {"name": "b", "image": "alpine",
                                          "command": ["sleep", "infinity"]})
    for c in ("a", "b"):
        assert node.sh(sb, c, "hostname; cat /etc/hostname; echo $HOSTNAME") == "web-0\n" * 3
    assert "10.244.1.2\tweb-0\n" in node.sh(sb, "a", "cat /etc/hosts")
    custom = node.pod("pod-x", busybox("a"), hostname="db")
    assert node.sh(custom, "a", "hostname") == "db\n"


def test_namespaces_net_uts_ipc_shared_pid_and_mnt_private(node: Node) -> None:
    sb = node.pod("web", NGINX, busybox("side"))
    rows = node.rt.sandbox(sb).namespace_table()
    assert [r["container"] for r in rows] == ["pause", "nginx", "side"]
    for ns in ("net", "uts", "ipc"):
        assert len({r[ns] for r in rows}) == 1
    for ns in ("pid", "mnt"):
        assert len({r[ns] for r in rows}) == 3
    shared = node.pod("shared", NGINX, busybox("side"), share=True)
    assert len({r["pid"] for r in node.rt.sandbox(shared).namespace_table()}) == 1


# -- files: private root filesystems, shared volumes --------------------------------------------
def test_files_are_private_unless_on_an_emptydir(node: Node) -> None:
    vol = Volume.empty_dir("shared")
    sb = node.pod("pod", busybox("writer"), busybox("reader"), volumes={"shared": vol},
                  mounts={"writer": [("shared", "/data", False)],
                          "reader": [("shared", "/in", True)]})
    node.sh(sb, "writer", "echo hello > /data/msg; echo secret > /tmp/msg")
    assert node.sh(sb, "reader", "cat /in/msg") == "hello\n"
    assert node.sh(sb, "reader", "cat /tmp/msg") == (
        "cat: can't open '/tmp/msg': No such file or directory\n")
    assert node.sh(sb, "reader", "echo x > /in/new") == (
        "sh: can't create /in/new: Read-only file system\n")
    assert "shared" not in node.sh(sb, "reader", "ls /")


def test_restart_gets_a_fresh_root_filesystem_but_keeps_the_emptydir(node: Node) -> None:
    vol = Volume.empty_dir("cache")
    spec = busybox("app", "date >> /cache/starts; echo scratch > /tmp/x; sleep 10; exit 1")
    sb = node.pod("pod", spec, volumes={"cache": vol}, mounts={"app": [("cache", "/cache", False)]})
    assert node.sh(sb, "app", "cat /tmp/x") == "scratch\n"
    node.clock.advance(10)
    assert node.exits == [("app", 1, "Error")]
    node.start(sb, spec, [("cache", "/cache", False)])  # the kubelet restarts it
    assert node.sh(sb, "app", "wc -l < /cache/starts") == "2\n"
    assert node.sh(sb, "app", "ls /tmp") == "x\n"  # written again by the new attempt only


def test_image_files_are_shared_copy_on_write(node: Node) -> None:
    a = node.pod("a", NGINX)
    b = node.pod("b", NGINX)
    node.sh(a, "nginx", "echo changed > /usr/share/nginx/html/index.html")
    assert node.sh(a, "nginx", "cat /usr/share/nginx/html/index.html") == "changed\n"
    assert "Welcome to nginx!" in node.sh(b, "nginx", "cat /usr/share/nginx/html/index.html")


def test_nginx_serves_what_a_sidecar_writes_into_a_shared_volume(node: Node) -> None:
    vol = Volume.empty_dir("html")
    sb = node.pod("site", NGINX, busybox("writer", "while true; do date > /html/index.html; "
                                          "sleep 10; done"),
                  volumes={"html": vol},
                  mounts={"nginx": [("html", "/usr/share/nginx/html", True)],
                          "writer": [("html", "/html", False)]})
    assert node.sh(sb, "writer", "wget -qO- localhost") == "Thu Jan  1 00:00:00 UTC 2026\n"
    node.clock.advance(10)
    assert node.sh(sb, "writer", "wget -qO- localhost") == "Thu Jan  1 00:00:10 UTC 2026\n"


def test_host_path_lives_on_the_node_across_pods(node: Node) -> None:
    first = node.pod("first", busybox("a"), volumes={"h": node.rt.host_path_volume("h", "/srv")},
                     mounts={"a": [("h", "/mnt", False)]})
    node.sh(first, "a", "echo kept > /mnt/f")
    node.rt.stop_pod_sandbox(first)
    node.rt.remove_pod_sandbox(first)
    second = node.pod("second", busybox("b"), volumes={"h": node.rt.host_path_volume("h", "/srv")},
                      mounts={"b": [("h", "/data", False)]})
    assert node.sh(second, "b", "cat /data/f") == "kept\n"
    assert node.rt.host_fs.read("/srv/f") == "kept\n"
    with pytest.raises(RuntimeFailure, match="hostPath type check failed: /nope is not a dir"):
        node.rt.host_path_volume("x", "/nope", "Directory")


def test_mount_lists_the_volumes(node: Node) -> None:
    sb = node.pod("pod", busybox("a"), volumes={"v": Volume.empty_dir("v")},
                  mounts={"a": [("v", "/data", True)]})
    assert "/dev/vda1 on /data type ext4 (ro,relatime)\n" in node.sh(sb, "a", "mount")


# -- processes and PID namespaces ---------------------------------------------------------------
def test_each_container_has_its_own_pid_1_by_default(node: Node) -> None:
    sb = node.pod("pod", NGINX, busybox("side", "sleep 3600"))
    assert node.rt.exec(sb, "side", ["ps"]).stdout == (
        "PID   USER     TIME  COMMAND\n"
        "    1 root      0:00 sh -c sleep 3600\n"
        "    2 root      0:00 sleep 3600\n"
        "    3 root      0:00 ps\n")
    rows = node.rt.processes(sb)
    assert [(r.pid, r.container) for r in rows if r.pid == 1] == [
        (1, "pause"), (1, "nginx"), (1, "side")]


def test_share_process_namespace_makes_pause_pid_1(node: Node) -> None:
    sb = node.pod("pod", NGINX, busybox("side", "sleep 3600"), share=True)
    assert node.rt.exec(sb, "side", ["ps"]).stdout == (
        "PID   USER     TIME  COMMAND\n"
        "    1 65535     0:00 /pause\n"
        "    7 root      0:00 nginx: master process nginx -g daemon off;\n"
        "   35 101       0:00 nginx: worker process\n"
        "   36 101       0:00 nginx: worker process\n"
        "   42 root      0:00 sh -c sleep 3600\n"
        "   43 root      0:00 sleep 3600\n"
        "   44 root      0:00 ps\n")
    assert "2026/01/01 00:00:00 [notice] 7#7: start worker process 35" in node.rt.logs(sb, "nginx")


def test_proc_reaches_another_containers_files_only_when_pids_are_shared(node: Node) -> None:
    # the "Share Process Namespace between Containers in a Pod" task of the Kubernetes docs
    shared = node.pod("shared", NGINX, busybox("shell"), share=True)
    assert node.sh(shared, "shell", "ls /proc | head -2; cat /proc/7/comm") == "1\n35\nnginx\n"
    assert node.sh(shared, "shell", "head -2 /proc/7/root/etc/nginx/nginx.conf") == (
        "\nuser  nginx;\n")
    assert node.sh(shared, "shell", "echo x > /proc/7/root/tmp/f") == (
        "sh: can't create /proc/7/root/tmp/f: Permission denied\n")
    apart = node.pod("apart", NGINX, busybox("shell"))
    assert node.sh(apart, "shell", "ls /proc; cat /proc/7/root/etc/nginx/nginx.conf") == (
        "1\n2\n3\n4\ncat: can't open '/proc/7/root/etc/nginx/nginx.conf': No such file or "
        "directory\n")


def test_signals_across_a_shared_pid_namespace(node: Node) -> None:
    sb = node.pod("pod", busybox("victim", "sleep 3600"), busybox("killer"), share=True)
    victim_pid = node.rt.processes(sb)[1].pid
    assert node.sh(sb, "killer", f"kill {victim_pid}") == ""
    node.clock.advance(0)
    assert node.exits == [("victim", 143, "Error")]  # not PID 1 any more: SIGTERM kills it
    down: list[str] = []
    node.rt.on_sandbox_exit = down.append
    node.sh(sb, "killer", "kill 1")  # /pause handles SIGTERM and exits: the pod goes down
    node.clock.advance(0)
    assert down == [sb]
    assert node.exits[-1] == ("killer", 137, "Error")
    assert node.net.sandbox_at(node.rt.sandbox(sb).ip) is None


def test_pid_1_ignores_sigterm_without_a_handler(node: Node) -> None:
    sb = node.pod("pod", busybox("app", "sleep 3600"))
    cid = node.rt.sandbox(sb).containers["app"].id
    node.sh(sb, "app", "kill -9 1")  # even SIGKILL, from inside the namespace
    node.rt.kill_container(cid)  # the kubelet's SIGTERM: sh has no handler
    node.clock.advance(30)
    assert node.exits == []
    node.rt.kill_container(cid, "KILL")  # after the grace period
    node.clock.advance(0)
    assert node.exits == [("app", 137, "Error")]


def test_trap_gives_a_graceful_shutdown(node: Node) -> None:
    sb = node.pod("pod", busybox("app", "trap 'echo bye; exit 0' TERM; while true; do sleep 1; done"))
    node.rt.kill_container(node.rt.sandbox(sb).containers["app"].id)
    node.clock.advance(0)
    assert node.exits == [("app", 0, "Completed")]
    assert node.rt.logs(sb, "app") == "bye\n"


def test_nginx_stops_gracefully_on_its_stop_signal(node: Node) -> None:
    sb = node.pod("web", NGINX)
    node.rt.kill_container(node.rt.sandbox(sb).containers["nginx"].id)
    node.clock.advance(0)
    assert node.exits == [("nginx", 0, "Completed")]
    assert node.rt.logs(sb, "nginx", tail=2) == (
        "2026/01/01 00:00:00 [notice] 1#1: worker process 30 exited with code 0\n"
        "2026/01/01 00:00:00 [notice] 1#1: exit\n")
    assert "signal 3 (SIGQUIT) received, shutting down" in node.rt.logs(sb, "nginx")


# -- lifecycles and logs ------------------------------------------------------------------------
def test_a_bare_busybox_exits_at_once(node: Node) -> None:
    node.pod("bb", {"name": "bb", "image": "busybox"})
    assert node.exits == []  # on_exit arrives through a clock timer, not inside the call
    node.clock.advance(0)
    assert node.exits == [("bb", 0, "Completed")]


def test_crash_loop_logs_current_and_previous(node: Node) -> None:
    spec = busybox("app", "echo starting; sleep 2; echo 'fatal: no config' >&2; exit 3")
    sb = node.pod("app", spec)
    node.clock.advance(2)
    assert node.exits == [("app", 3, "Error")]
    first = node.rt.logs(sb, "app", timestamps=True)
    assert first == ("2026-01-01T00:00:00.000000000Z starting\n"
                     "2026-01-01T00:00:02.000000000Z fatal: no config\n")
    node.clock.advance(10)  # the kubelet's back-off, then a new attempt
    node.start(sb, spec)
    assert node.rt.logs(sb, "app") == "starting\n"
    assert node.rt.logs(sb, "app", previous=True) == "starting\nfatal: no config\n"
    with pytest.raises(NotFound, match='previous terminated container "other"'):
        node.rt.logs(sb, "other", previous=True)


def test_date_loop_logs_three_lines_after_twelve_seconds(node: Node) -> None:
    sb = node.pod("clock", busybox("ticker", "while true; do date; sleep 5; done"))
    node.clock.advance(12)
    assert node.rt.logs(sb, "ticker") == ("Thu Jan  1 00:00:00 UTC 2026\n"
                                          "Thu Jan  1 00:00:05 UTC 2026\n"
                                          "Thu Jan  1 00:00:10 UTC 2026\n")
    assert node.rt.logs(sb, "ticker", tail=1) == "Thu Jan  1 00:00:10 UTC 2026\n"
    assert [t.recurring for t in node.clock.pending()] == [True]


def test_finite_scripts_use_plain_timers_and_servers_none(node: Node) -> None:
    node.pod("job", busybox("job", "sleep 30; echo done"))
    assert [t.recurring for t in node.clock.pending()] == [False]
    node.clock.advance(30)
    node.clock.advance(0)
    node.pod("keepalive", busybox("k", f"sleep {int(LONG_SLEEP)}"))
    assert [t.recurring for t in node.clock.pending()] == [True]
    node.pod("web", NGINX)
    assert len(node.clock.pending()) == 1  # nginx waits for requests without a timer


def test_command_not_found_is_a_start_error(node: Node) -> None:
    sb = node.pod("typo", {"name": "t", "image": "busybox", "command": ["slep", "5"]})
    node.clock.advance(0)
    assert node.exits == [("t", 128, "StartError")]
    assert node.rt.sandbox(sb).containers["t"].message.endswith(
        'exec: "slep": executable file not found in $PATH: unknown')


def test_command_and_args_override_entrypoint_and_cmd(node: Node) -> None:
    img = AGNHOST
    sb = node.pod("p", {"name": "default", "image": img},
                  {"name": "args", "image": img, "args": ["entrypoint-tester", "a", "b"]},
                  {"name": "cmd", "image": img, "command": ["/agnhost", "entrypoint-tester"]})
    assert node.rt.logs(sb, "default") == "Paused\n"
    assert node.rt.logs(sb, "args") == "[/agnhost entrypoint-tester a b]\n"
    assert node.rt.logs(sb, "cmd") == "[/agnhost entrypoint-tester]\n"


def test_nginx_without_daemon_off_leaves_the_container(node: Node) -> None:
    node.pod("p", {"name": "n", "image": "nginx", "command": ["nginx"]})
    node.clock.advance(0)
    assert node.exits == [("n", 0, "Completed")]


def test_two_servers_on_one_port_in_a_pod(node: Node) -> None:
    sb = node.pod("p", NGINX, {"name": "second", "image": "nginx"})
    node.clock.advance(0)
    assert node.exits == [("second", 1, "Error")]
    assert node.rt.logs(sb, "second", tail=1) == "nginx: [emerg] still could not bind()\n"


def test_database_needs_its_password_and_keeps_its_data(node: Node) -> None:
    sb = node.pod("db", {"name": "pg", "image": "postgres"})
    node.clock.advance(0)
    assert node.exits == [("pg", 1, "Error")]
    assert node.rt.logs(sb, "pg").startswith(
        "Error: Database is uninitialized and superuser password is not specified.\n")
    vol = Volume.empty_dir("data")
    spec = {"name": "pg", "image": "postgres"}
    sb2 = node.pod("db2", volumes={"data": vol})
    mounts = [("data", "/var/lib/postgresql/data", False)]
    cid = node.start(sb2, spec, mounts, env={"POSTGRES_PASSWORD": "s3cret"})
    assert "database system is ready to accept connections" in node.rt.logs(sb2, "pg")
    node.rt.kill_container(cid, "KILL")
    node.clock.advance(0)
    node.start(sb2, spec, mounts, env={"POSTGRES_PASSWORD": "s3cret"})
    assert "Skipping initialization" in node.rt.logs(sb2, "pg")


# -- exec ---------------------------------------------------------------------------------------
def test_exec_into_an_image_without_a_shell(node: Node) -> None:
    sb = node.pod("api", {"name": "api", "image": "registry.k8s.io/kube-apiserver:v1.33.0"})
    res = node.rt.exec(sb, "api", ["sh"])
    assert res.exit_code == 126
    assert res.error == ('OCI runtime exec failed: exec failed: unable to start container '
                         'process: exec: "sh": executable file not found in $PATH: unknown')
    assert res.stderr == res.error + "\n"
    assert node.rt.exec(sb, "nope", ["ls"]).error == 'container not found ("nope")'


def test_exec_does_not_advance_the_clock_and_stops_endless_commands(node: Node) -> None:
    sb = node.pod("p", busybox("a"))
    res = node.rt.exec(sb, "a", ["sh", "-c", "date; sleep 30; date"])
    assert res.stdout == "Thu Jan  1 00:00:00 UTC 2026\n" * 2
    res = node.rt.exec(sb, "a", ["sh", "-c", "while true; do echo tick; sleep 10; done"])
    assert res.interrupted and res.exit_code == 130 and res.stdout == "tick\n" * 7
    assert node.rt.exec(sb, "a", ["tail", "-f", "/dev/null"]).interrupted


def test_interactive_shell_keeps_its_state(node: Node) -> None:
    sb = node.pod("p", busybox("a"))
    sh = node.rt.shell(sb, "a")
    assert sh("cd /tmp; X=42").exit_code == 0
    assert sh("pwd; echo $X").stdout == "/tmp\n42\n"
    assert sh("false").exit_code == 1
    assert sh("echo $?").stdout == "1\n"


def test_background_jobs_run_on_their_own_timers(node: Node) -> None:
    sb = node.pod("p", busybox("a"))
    node.sh(sb, "a", "(sleep 5; echo later > /tmp/bg) &")
    assert node.sh(sb, "a", "cat /tmp/bg") != "later\n"
    node.clock.advance(5)
    assert node.sh(sb, "a", "cat /tmp/bg") == "later\n"


# -- network ------------------------------------------------------------------------------------
def test_connection_errors(node: Node) -> None:
    sb = node.pod("p", busybox("a"))
    src = node.rt.sandbox(sb)
    with pytest.raises(ConnectionRefused):
        node.net.http_get(src, src.ip, 80, "/")
    with pytest.raises(Timeout):
        node.net.http_get(src, "10.244.9.9", 80, "/")
    assert node.sh(sb, "a", "wget -T 2 -qO- 10.244.9.9") == "wget: download timed out\n"
    assert node.sh(sb, "a", "wget -qO- nosuchname") == "wget: bad address 'nosuchname'\n"


def test_cluster_dns_and_service_nat_hooks(node: Node) -> None:
    web = node.pod("web", NGINX, ip="10.244.1.20")
    client = node.pod("client", busybox("c"))
    records = {"web.default.svc.cluster.local": ["10.96.0.50"]}
    node.net.resolver = lambda name, ns: records.get(name, [])
    node.net.nat = lambda ip, port: ("10.244.1.20", 80) if (ip, port) == ("10.96.0.50", 80) else None
    assert node.sh(client, "c", "nslookup web") == (
        "Server:\t\t10.96.0.10\nAddress:\t10.96.0.10:53\n\n"
        "Name:\tweb.default.svc.cluster.local\nAddress: 10.96.0.50\n\n")
    assert "Welcome to nginx!" in node.sh(client, "c", "wget -qO- http://web")
    assert node.rt.logs(web, "nginx").splitlines()[-1].startswith("10.244.1.")
    assert node.sh(client, "c", "ping -c 1 web").endswith("1 packets transmitted, 0 packets "
                                                          "received, 100% packet loss\n")


def test_agnhost_servers(node: Node) -> None:
    img = AGNHOST
    sb = node.pod("agn", {"name": "h", "image": img, "args": ["serve-hostname"]},
                  {"name": "n", "image": img, "args": ["netexec", "--http-port=8080"]})
    src = node.rt.sandbox(sb)
    assert node.net.http_get(None, src.ip, 9376, "/").body == "agn"
    assert node.net.http_get(src, "localhost", 8080, "/echo?msg=hi").body == "hi"
    assert node.net.http_get(src, "localhost", 8080, "/hostname").body == "agn"
    out = node.net.http_get(src, "localhost", 8080, "/shell?cmd=echo%20$HOSTNAME").body
    assert out == '{"output": "agn\\n"}'


def test_stopping_the_sandbox_kills_containers_and_frees_the_ip(node: Node) -> None:
    sb = node.pod("web", NGINX, busybox("side"))
    ip = node.rt.sandbox(sb).ip
    node.rt.stop_pod_sandbox(sb)
    node.clock.advance(0)
    assert sorted(node.exits) == [("nginx", 137, "Error"), ("side", 137, "Error")]
    assert node.net.sandbox_at(ip) is None
    assert node.rt.sandbox(sb).state == "NOTREADY"
    node.rt.remove_pod_sandbox(sb)
    with pytest.raises(NotFound):
        node.rt.sandbox(sb)


def test_host_network_pods_share_the_nodes_namespace(node: Node) -> None:
    node.pull("nginx")
    a = node.rt.run_pod_sandbox("ua", "a", "default", "a", "10.0.0.4", False, {},
                                host_network=True)
    node.start(a, NGINX)
    b = node.rt.run_pod_sandbox("ub", "b", "default", "b", "10.0.0.4", False, {},
                                host_network=True)
    node.start(b, busybox("shell"))
    assert node.sh(b, "shell", "hostname") == "node-1\n"
    assert "Welcome to nginx!" in node.sh(b, "shell", "wget -qO- localhost")
    client = node.pod("client", busybox("c"))
    assert "Welcome to nginx!" in node.sh(client, "c", "wget -qO- 10.0.0.4")
    node.rt.stop_pod_sandbox(b)
    assert node.net.sandbox_at("10.0.0.4") is not None  # the node keeps its address
    assert 80 in node.rt.sandbox(a).netns.listeners


# -- images on the node -------------------------------------------------------------------------
def test_pulls_take_time_and_are_shared() -> None:
    node = Node(preloaded=(PAUSE_IMAGE,))
    first = node.rt.pull_image("nginx")
    assert first.ok and first.duration == 3.38 and first.size == 72_000_000
    assert not node.rt.has_image("nginx")
    node.clock.advance(1)
    assert node.rt.pull_image("nginx:latest").duration == 2.38  # joins the ongoing pull
    node.clock.advance(2.38)
    assert node.rt.has_image("docker.io/library/nginx")
    assert node.rt.pull_image("nginx").duration == 0.5  # present: only the manifest is checked
    assert node.rt.images() == [("docker.io/library/nginx:latest", 72_000_000),
                                ("registry.k8s.io/pause:3.10", 320_000)]
    bad = node.rt.pull_image("ngnix")
    assert (bad.ok, bad.reason) == (False, "ErrImagePull")
    assert bad.error.startswith('failed to pull and unpack image "docker.io/library/ngnix:latest"')
    with pytest.raises(RuntimeFailure, match="image not found"):
        sb = node.rt.run_pod_sandbox("u", "p", "default", "p", "10.244.1.50", False, {})
        node.rt.create_container(sb, {"name": "x", "image": "redis"}, {}, [])


def test_same_seed_same_ids_and_output() -> None:
    def run() -> tuple:
        n = Node(seed=7)
        sb = n.pod("p", busybox("a", "echo $RANDOM"))
        return sb, n.rt.sandbox(sb).containers["a"].id, n.rt.logs(sb, "a")

    assert run() == run()


def test_service_account_volumes_are_shared_read_only_trees_per_account() -> None:
    from k8snb import Cluster

    c = Cluster(workers=1, seed=0)
    c.kubectl("create namespace team")
    for ns in ("default", "default", "team"):
        c.kubectl(f"run web-{ns}-{len(c.api.list('pods'))} -n {ns} --image=busybox -- sleep 3600")
    c.settle()
    sa = "/var/run/secrets/kubernetes.io/serviceaccount"
    roots = {}
    for pod in c.api.list("pods", "default") + c.api.list("pods", "team"):
        name, ns = pod["metadata"]["name"], pod["metadata"]["namespace"]
        out = c.kubectl(f"exec {name} -n {ns} -- cat {sa}/namespace").stdout
        assert out == ns
        denied = c.kubectl(f"exec {name} -n {ns} -- sh -c 'echo x > {sa}/namespace'")
        assert "Read-only file system" in denied.stderr
        rec = next(r for r in c.nodes.kubelets["worker1"].pods.values() if r.name == name)
        roots.setdefault(ns, set()).add(id(next(iter(rec.volumes.values())).root))
    assert len(roots["default"]) == 1 and roots["default"] != roots["team"]
