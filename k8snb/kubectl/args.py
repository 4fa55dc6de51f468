"""kubectl's command line, parsed the way cobra/pflag parse it.

Flags may come before or after positional arguments, as ``--flag=value``, ``--flag value``,
``-n value``, ``-nvalue`` or grouped booleans (``-it``); everything after ``--`` is passed
through untouched (the command of ``kubectl exec``).
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass, field

__all__ = ["Args", "ArgError", "parse_args", "split_command"]

# flag name -> (aliases, takes a value, repeatable)
_FLAGS: dict[str, tuple[tuple[str, ...], bool, bool]] = {
    "namespace": (("-n",), True, False),
    "all-namespaces": (("-A",), False, False),
    "output": (("-o",), True, False),
    "selector": (("-l",), True, False),
    "field-selector": ((), True, False),
    "show-labels": ((), False, False),
    "label-columns": (("-L",), True, True),
    "no-headers": ((), False, False),
    "sort-by": ((), True, False),
    "filename": (("-f",), True, True),
    "recursive": (("-R",), False, False),
    "container": (("-c",), True, False),
    "stdin": (("-i",), False, False),
    "tty": (("-t",), False, False),
    "quiet": (("-q",), False, False),
    "cascade": ((), True, False),
    "grace-period": ((), True, False),
    "force": ((), False, False),
    "now": ((), False, False),
    "wait": ((), True, False),
    "all": ((), False, False),
    "overwrite": ((), False, False),
    "dry-run": ((), True, False),
    "previous": (("-p",), False, False),
    "tail": ((), True, False),
    "timestamps": ((), False, False),
    "follow": ((), False, False),
    "image": ((), True, False),
    "restart": ((), True, False),
    "port": ((), True, False),
    "labels": ((), True, False),
    "env": ((), True, True),
    "command": ((), False, False),
    "requests": ((), True, False),
    "limits": ((), True, False),
    "replicas": ((), True, False),
    "watch": (("-w",), False, False),
    "validate": ((), True, False),
    "server-side": ((), False, False),
    "for": ((), True, False),
    "types": ((), True, False),
    "rm": ((), False, False),
    "from-literal": ((), True, True),
    "from-file": ((), True, True),
    "from-env-file": ((), True, True),
    "current": ((), False, False),
    "minify": ((), False, False),
    "cluster": ((), True, False),
    "user": ((), True, False),
    "timeout": ((), True, False),
    "type": ((), True, False),
    "patch": ((), True, False),
    "local": ((), False, False),
    "ignore-not-found": ((), False, False),
    "schedule": ((), True, False),
    "from": ((), True, False),
    "short": ((), False, False),
    "client": ((), False, False),
    "namespaced": ((), True, False),
    "api-group": ((), True, False),
    "list": ((), False, False),
    "as": ((), True, False),
    "as-group": ((), True, True),
    "annotations": ((), True, False),
    "ignore-daemonsets": ((), False, False),
    "delete-emptydir-data": ((), False, False),
    "disable-eviction": ((), False, False),
    "to-revision": ((), True, False),
    "revision": ((), True, False),
    "current-replicas": ((), True, False),
    "resource-version": ((), True, False),
    "port-name": ((), True, False),
}
_BOOL_VALUES = {"true": True, "false": False}


class ArgError(ValueError):
    """A command-line error; its message is printed as ``error: <message>``."""


@dataclass
class Args:
    positional: list[str] = field(default_factory=list)
    flags: dict[str, object] = field(default_factory=dict)
    rest: list[str] = field(default_factory=list)  # after "--"
    dash_dash: bool = False

    def get(self, name: str, default: object = None) -> object:
        return self.flags.get(name, default)

    def str(self, name: str, default: str | None = None) -> str | None:
        v = self.flags.get(name)
        return default if v is None else str(v)

    def bool(self, name: str) -> bool:
        return bool(self.flags.get(name, False))

    def list(self, name: str) -> list[str]:
        v = self.flags.get(name)
        return list(v) if isinstance(v, list) else ([] if v is None else [str(v)])


def split_command(command: str | list[str]) -> list[str]:
    """Split like a POSIX shell; a leading ``kubectl`` word is dropped."""
    words = shlex.split(command) if isinstance(command, str) else [str(w) for w in command]
    if words and words[0] == "kubectl":
        words = words[1:]
    return words


def parse_args(words: list[str], verb: str = "") -> Args:
    aliases = {a: name for name, (al, _, _) in _FLAGS.items() for a in al}
    if verb == "logs":
        aliases["-f"] = "follow"
    if verb == "patch":
        aliases["-p"] = "patch"
    args = Args()
    i = 0
    while i < len(words):
        w = words[i]
        i += 1
        if w == "--":
            args.dash_dash = True
            args.rest = words[i:]
            break
        if w.startswith("--"):
            name, eq, value = w[2:].partition("=")
            if name not in _FLAGS:
                raise ArgError(f"unknown flag: --{name}")
            _, takes, repeat = _FLAGS[name]
            if takes:
                if not eq:
                    if i >= len(words):
                        raise ArgError(f"flag needs an argument: --{name}")
                    value = words[i]
                    i += 1
                _set(args, name, value, repeat)
            else:
                if eq and value.lower() not in _BOOL_VALUES:
                    raise ArgError(f'invalid argument "{value}" for "--{name}" flag: '
                                   f'strconv.ParseBool: parsing "{value}": invalid syntax')
                args.flags[name] = _BOOL_VALUES.get(value.lower(), True) if eq else True
            continue
        if w.startswith("-") and len(w) > 1 and not w[1].isdigit():
            j = 1
            while j < len(w):
                short = "-" + w[j]
                name = aliases.get(short)
                if name is None:
                    raise ArgError(f"unknown shorthand flag: '{w[j]}' in {w}")
                _, takes, repeat = _FLAGS[name]
                if takes:
                    value = w[j + 1:]
                    if value.startswith("="):
                        value = value[1:]
                    if not value:
                        if i >= len(words):
                            raise ArgError(f"flag needs an argument: '{w[j]}' in {short}")
                        value = words[i]
                        i += 1
                    _set(args, name, value, repeat)
                    break
                args.flags[name] = True
                j += 1
            continue
        args.positional.append(w)
    return args


def _set(args: Args, name: str, value: str, repeat: bool) -> None:
    if repeat:
        cur = args.flags.setdefault(name, [])
        assert isinstance(cur, list)
        cur.extend(v for v in value.split(",") if v) if name in ("label-columns",) else \
            cur.append(value)
    else:
        args.flags[name] = value
