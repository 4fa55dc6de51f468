"""The busybox-like shell and its applets, as ``kubectl exec`` shows them."""

from __future__ import annotations

import pytest
from test_runtime import PRELOADED, Node

from k8snb.node.shell_expand import arithmetic
from k8snb.node.shell_parse import ShellSyntaxError, While, parse


@pytest.fixture(scope="module")
def pods() -> tuple[Node, str]:
    node = Node(preloaded=PRELOADED + ("debian", "ubuntu"))
    sb = node.pod("box", {"name": "bb", "image": "busybox", "command": ["sleep", "infinity"]},
                  {"name": "deb", "image": "debian", "command": ["sleep", "infinity"]},
                  {"name": "ub", "image": "ubuntu", "command": ["sleep", "infinity"]})
    return node, sb


def sh(pods: tuple[Node, str], script: str, container: str = "bb",
       stdin: str | None = None) -> tuple[str, str, int]:
    node, sb = pods
    res = node.rt.exec(sb, container, ["sh", "-c", script], stdin=stdin)
    return res.stdout, res.stderr, res.exit_code


def out(pods, script: str, container: str = "bb") -> str:
    o, e, _ = sh(pods, script, container)
    return o + e


# -- syntax -------------------------------------------------------------------------------------
def test_parse_shapes() -> None:
    tree = parse("while true; do date; sleep 5; done")
    assert isinstance(tree.items[0][0], While)
    with pytest.raises(ShellSyntaxError, match='unexpected "done"'):
        parse("done")
    with pytest.raises(ShellSyntaxError, match="unterminated quoted string"):
        parse("echo 'x")
    with pytest.raises(ShellSyntaxError, match='expecting "fi"'):
        parse("if true; then echo")


def test_syntax_errors_in_each_dialect(pods) -> None:
    assert sh(pods, "fi") == ("", 'sh: syntax error: unexpected "fi"\n', 2)
    assert sh(pods, "fi", "deb") == ("", 'sh: 1: Syntax error: unexpected "fi"\n', 2)


def test_lists_and_exit_status(pods) -> None:
    assert out(pods, "true && echo a; false && echo b; false || echo c; echo $?") == "a\nc\n0\n"
    assert sh(pods, "exit 7") == ("", "", 7)
    assert sh(pods, "set -e; echo one; false; echo two") == ("one\n", "", 1)
    assert out(pods, "! false && echo negated") == "negated\n"


def test_command_not_found(pods) -> None:
    assert sh(pods, "nosuch arg") == ("", "sh: nosuch: not found\n", 127)
    assert sh(pods, "nosuch", "deb") == ("", "sh: 1: nosuch: not found\n", 127)
    assert sh(pods, "ps", "deb") == ("", "sh: 1: ps: not found\n", 127)  # Debian has no procps
    node, sb = pods
    res = node.rt.exec(sb, "bb", ["bash"])
    assert res.exit_code == 126 and '"bash": executable file not found' in res.error


def test_quoting_and_expansion(pods) -> None:
    assert out(pods, 'A="x y"; echo "$A" \'$A\' $A "${B:-dflt}" ${#A}') == "x y $A x y dflt 3\n"
    assert out(pods, 'X="a   b"; echo $X; echo "$X"') == "a b\na   b\n"
    assert out(pods, "echo `echo back` $(echo sub $(echo nested))") == "back sub nested\n"
    assert out(pods, 'echo "it\'s" \\$HOME ~') == "it's $HOME /root\n"
    assert out(pods, "echo $0 $1 $#; set -- p q; echo $@ $#") == "sh 0\np q 2\n"


def test_environment_from_the_container(pods) -> None:
    assert out(pods, "echo $HOSTNAME $HOME; printenv PATH") == (
        "box /root\n/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\n")
    assert out(pods, "export X=1; Y=2; env | grep -c '^[XY]='") == "1\n"
    assert out(pods, "Z=3 env | grep ^Z=; echo ${Z:-unset}") == "Z=3\nunset\n"


def test_arithmetic() -> None:
    assert arithmetic("1 + 2 * 3", lambda n: 0) == 7
    assert arithmetic("7 / 2", lambda n: 0) == 3
    assert arithmetic("-7 / 2", lambda n: 0) == -3
    assert arithmetic("i < 3 && 1", lambda n: 2) == 1


def test_loops_and_conditionals(pods) -> None:
    assert out(pods, "for x in a b c; do echo $x; done") == "a\nb\nc\n"
    assert out(pods, "i=0; while [ $i -lt 3 ]; do i=$((i+1)); echo $i; done") == "1\n2\n3\n"
    assert out(pods, "until [ -f /tmp/flag ]; do touch /tmp/flag; echo made; done") == "made\n"
    assert out(pods, "for i in 1 2 3 4; do [ $i = 3 ] && break; echo $i; done") == "1\n2\n"
    assert out(pods, "for i in 1 2 3; do [ $i = 2 ] && continue; echo $i; done") == "1\n3\n"
    assert out(pods, "for a in 1 2; do for b in x y; do break 2; done; echo no; done; echo end") \
        == "end\n"
    assert out(pods, "if [ -d /etc ]; then echo dir; elif true; then echo no; else echo x; fi") == (
        "dir\n")
    assert out(pods, "if false; then :; elif [ 1 -eq 1 ]; then echo elif; fi") == "elif\n"
    assert out(pods, "{ echo a; echo b; } | wc -l") == "2\n"
    assert out(pods, "(cd /tmp; pwd); pwd") == "/tmp\n/\n"


def test_pipes_and_redirections(pods) -> None:
    assert out(pods, "echo hello > /tmp/f; echo world >> /tmp/f; cat /tmp/f | grep -n o") == (
        "1:hello\n2:world\n")
    assert out(pods, "wc -l < /tmp/f") == "2\n"
    assert sh(pods, "echo oops >&2; echo fine 2>/dev/null") == ("fine\n", "oops\n", 0)
    assert sh(pods, "cat /nope 2>&1") == ("cat: can't open '/nope': No such file or directory\n",
                                          "", 1)
    assert sh(pods, "echo x > /no/dir/f") == ("", "sh: can't create /no/dir/f: nonexistent "
                                              "directory\n", 1)
    assert sh(pods, "echo x > /no/dir/f", "deb") == (
        "", "sh: 1: cannot create /no/dir/f: Directory nonexistent\n", 1)
    assert out(pods, "echo data | tee /tmp/t > /dev/null; cat /tmp/t") == "data\n"
    assert out(pods, "printf 'b\\na\\nb\\n' | sort | uniq -c") == "      1 a\n      2 b\n"


def test_bad_arguments_are_messages_not_tracebacks(pods) -> None:
    assert sh(pods, "head -n x /etc/passwd") == ("", "head: invalid number 'x'\n", 1)
    assert sh(pods, "grep '(' /etc/passwd")[1:] == (
        "grep: bad regex '(': missing ), unterminated subpattern\n", 2)
    assert sh(pods, "wget http://a:b/") == ("", "wget: bad address 'a:b'\n", 1)
    assert sh(pods, "exit abc") == ("", "sh: exit: Illegal number: abc\n", 2)
    assert sh(pods, "eval 'echo ('") == ("", 'sh: syntax error: unexpected "("\n', 2)
    assert sh(pods, "echo $((1/0))") == ("", "sh: divide by zero\n", 2)
    assert sh(pods, "mkdir /; echo > /") == ("", "mkdir: can't create directory '/': File exists\n"
                                            "sh: can't create /: Is a directory\n", 1)


def test_exec_redirects_the_rest_of_the_script(pods) -> None:
    assert sh(pods, "exec > /tmp/all; echo a; echo b; cat /tmp/all >&2") == ("", "a\nb\n", 0)
    assert out(pods, "x=$(exit 3); echo $?; y=1; echo $?") == "3\n0\n"


def test_read_and_stdin(pods) -> None:
    assert sh(pods, "read a b; echo $b-$a", stdin="one two\n") == ("two-one\n", "", 0)
    node, sb = pods
    res = node.rt.exec(sb, "bb", ["sh"], stdin="echo from stdin\nexit 4\n")
    assert (res.stdout, res.exit_code) == ("from stdin\n", 4)
    assert node.rt.exec(sb, "bb", ["cat"], stdin="piped").stdout == "piped"
    assert out(pods, "printf 'x 1\\ny 2\\n' > /tmp/kv; while read k v; do echo $v$k; done "
                     "< /tmp/kv") == "1x\n2y\n"


def test_globbing(pods) -> None:
    assert out(pods, "cd /etc; echo host*") == "hostname hosts\n"
    assert out(pods, "echo /etc/pass*") == "/etc/passwd\n"
    assert out(pods, "echo /nomatch*") == "/nomatch*\n"
    assert out(pods, "echo '/etc/pass*'") == "/etc/pass*\n"


def test_scripts_in_files(pods) -> None:
    assert out(pods, "printf '#!/bin/sh\\necho script $1\\n' > /tmp/s.sh; chmod +x /tmp/s.sh; "
                     "/tmp/s.sh arg; sh /tmp/s.sh two") == "script arg\nscript two\n"
    assert sh(pods, "echo echo hi > /tmp/plain; /tmp/plain") == (
        "", "sh: /tmp/plain: not found\n", 127)


# -- applets ------------------------------------------------------------------------------------
def test_echo_and_printf(pods) -> None:
    assert out(pods, "echo -n a; echo b; echo -e 'x\\ty'") == "ab\nx\ty\n"
    assert out(pods, "printf '%s=%d\\n' a 1 b 2") == "a=1\nb=2\n"
    assert out(pods, "printf '%5s|%-3s|\\n' r l") == "    r|l  |\n"


def test_test_builtin(pods) -> None:
    assert out(pods, "[ -e /etc/passwd ] && [ -d /tmp ] && [ ! -f /tmp ] && echo ok") == "ok\n"
    assert out(pods, "[ -z '' -a -n x ] && test 2 -gt 1 && echo ok") == "ok\n"
    assert sh(pods, "[ 1 = 1") == ("", "[: missing ]\n", 2)
    assert sh(pods, "[ abc -eq 1 ]") == ("", "[: abc: bad number\n", 2)


def test_file_applets_busybox_and_gnu_wording(pods) -> None:
    assert out(pods, "mkdir -p /tmp/a/b && touch /tmp/a/b/f && ls /tmp/a/b && rm -r /tmp/a && "
                     "ls /tmp/a") == "f\nls: /tmp/a: No such file or directory\n"
    assert out(pods, "ls /nope", "deb") == "ls: cannot access '/nope': No such file or directory\n"
    assert out(pods, "cat /nope", "deb") == "cat: /nope: No such file or directory\n"
    assert out(pods, "rm /nope") == "rm: can't remove '/nope': No such file or directory\n"
    assert out(pods, "rm /nope", "deb") == "rm: cannot remove '/nope': No such file or directory\n"
    assert out(pods, "mkdir /x/y") == "mkdir: can't create directory '/x/y': No such file or " \
                                      "directory\n"
    assert out(pods, "rm -f /nope; echo $?") == "0\n"
    assert out(pods, "rmdir /etc") == "rmdir: /etc: Directory not empty\n"
    assert out(pods, "cp /etc/hostname /tmp/h; mv /tmp/h /tmp/h2; cat /tmp/h2; ls /tmp/h") == (
        "box\nls: /tmp/h: No such file or directory\n")


def test_ls_long(pods) -> None:
    assert out(pods, "echo 12345 > /tmp/five; ls -l /tmp/five") == (
        "-rw-r--r--    1 root     root             6 Jan  1 00:00 /tmp/five\n")
    assert out(pods, "ls -l /etc/passwd", "deb") == (
        "-rw-r--r-- 1 root root   118 Oct  1 00:00 /etc/passwd\n")  # < 6 months: time
    assert out(pods, "ls -ld /tmp").startswith("drwxrwxrwt ")


def test_text_applets(pods) -> None:
    assert out(pods, "seq 5 | head -2; seq 5 | tail -n 1; seq 10 | tail -3 | wc -l") == (
        "1\n2\n5\n3\n")
    assert out(pods, "seq 3 | grep -v 2; seq 3 | grep -c .; echo X | grep -i x") == "1\n3\n3\nX\n"
    assert sh(pods, "echo a | grep b") == ("", "", 1)
    assert out(pods, "echo 'one two' | wc -w; echo abc | wc -c") == "2\n4\n"
    assert out(pods, "basename /a/b/c.txt .txt; dirname /a/b/c.txt; which ls") == (
        "c\n/a/b\n/bin/ls\n")


def test_identity_and_system(pods) -> None:
    assert out(pods, "id; whoami; uname; uname -n") == (
        "uid=0(root) gid=0(root) groups=0(root)\nroot\nLinux\nbox\n")
    assert out(pods, "date; date +%Y-%m-%dT%H:%M:%S; date +%s") == (
        "Thu Jan  1 00:00:00 UTC 2026\n2026-01-01T00:00:00\n1767225600\n")
    assert out(pods, "cat /etc/os-release | head -1", "deb") == (
        'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\n')


def test_ps_in_busybox_and_procps() -> None:
    node = Node(preloaded=PRELOADED + ("ubuntu",))
    sb = node.pod("box", {"name": "bb", "image": "busybox", "command": ["sleep", "infinity"]},
                  {"name": "ub", "image": "ubuntu", "command": ["sleep", "infinity"]})
    assert node.rt.exec(sb, "bb", ["ps"]).stdout == (
        "PID   USER     TIME  COMMAND\n    1 root      0:00 sleep infinity\n"
        "    2 root      0:00 ps\n")
    assert node.rt.exec(sb, "ub", ["ps", "-ef"]).stdout.startswith(
        "UID          PID    PPID  C STIME TTY          TIME CMD\n"
        "root           1       0  0 00:00 ?        00:00:00 sleep infinity\n")


def test_sleep_parsing(pods) -> None:
    assert sh(pods, "sleep 1.5 2s 0.5m; echo ok") == ("ok\n", "", 0)
    assert sh(pods, "sleep abc") == ("", "sleep: invalid number 'abc'\n", 1)
    assert sh(pods, "sleep abc", "deb") == ("", "sleep: invalid time interval 'abc'\n", 1)


def test_network_applets(pods) -> None:
    assert out(pods, "ip addr | grep inet") == (
        "    inet 127.0.0.1/8 scope host lo\n    inet 10.244.1.2/24 brd 10.244.1.255 scope "
        "global eth0\n")
    assert out(pods, "ip route") == ("default via 10.244.1.1 dev eth0 \n"
                                     "10.244.1.0/24 dev eth0 scope link  src 10.244.1.2 \n")
    assert out(pods, "nslookup nowhere") == ("Server:\t\t10.96.0.10\nAddress:\t10.96.0.10:53\n\n"
                                             "** server can't find nowhere: NXDOMAIN\n\n")
    assert out(pods, "ping -c 1 box") == (
        "PING box (10.244.1.2): 56 data bytes\n64 bytes from 10.244.1.2: seq=0 ttl=64 "
        "time=0.080 ms\n\n--- box ping statistics ---\n1 packets transmitted, 1 packets "
        "received, 0% packet loss\nround-trip min/avg/max = 0.080/0.080/0.080 ms\n")
    assert out(pods, "wget http://box:9/ 2>&1") == (
        "Connecting to box (10.244.1.2:9)\n"
        "wget: can't connect to remote host (10.244.1.2): Connection refused\n")


def test_wget_saves_files_and_curl_in_nginx() -> None:
    node = Node()
    sb = node.pod("web", {"name": "nginx", "image": "nginx"},
                  {"name": "bb", "image": "busybox", "command": ["sleep", "1d"]})
    assert node.sh(sb, "bb", "cd /tmp && wget localhost/index.html 2>&1; wc -c index.html") == (
        "Connecting to localhost (127.0.0.1:80)\nsaving to 'index.html'\n"
        "index.html           100% |********************************|   615  0:00:00 ETA\n"
        "'index.html' saved\n615 index.html\n")
    assert node.sh(sb, "nginx", "curl -s localhost/nope | head -1") == (
        "<html>\n")
    assert node.sh(sb, "nginx", "curl -s localhost:81") == ""
    assert node.rt.exec(sb, "nginx", ["curl", "-sS", "localhost:81"]).stderr == (
        "curl: (7) Failed to connect to localhost port 81 after 0 ms: Couldn't connect to server\n")
    assert "tcp        0      0 0.0.0.0:80" in node.sh(sb, "bb", "netstat -tln")


def test_kill_and_trap(pods) -> None:
    assert out(pods, "kill 999") == "kill: can't kill pid 999: No such process\n"
    assert out(pods, "kill -l") == "HUP INT QUIT KILL TERM\n"


def test_mount_and_df(pods) -> None:
    text = out(pods, "mount | head -1; df | head -1")
    assert text.startswith("overlay on / type overlay (rw,relatime,")
    assert text.endswith("Filesystem           1K-blocks      Used Available Use% Mounted on\n")


def test_random_inside_arithmetic_is_not_zero_every_time() -> None:
    """$((RANDOM % 100)) reads RANDOM like any other parameter (it once always gave 0)."""
    from k8snb import Cluster

    c = Cluster(workers=1, seed=0)
    c.kubectl("run bb --image=busybox -- sleep 3600")
    c.settle()
    out = c.kubectl(["exec", "bb", "--", "sh", "-c",
                     "for i in 1 2 3 4 5; do echo $((RANDOM % 100)); done"]).stdout.split()
    assert len(out) == 5 and len(set(out)) > 1
