"""In-memory filesystems, mounts and volumes.

A container sees one tree: its private root filesystem (a copy of its image) with volumes
mounted over some of its paths. Writes land in whichever tree owns the path, so a file written
under a mounted emptyDir is visible to every container that mounts it, and every other write
stays private to the container (and is lost when the container restarts).

    >>> root = Dir(); view = MountedFS(root)
    >>> view.write("/tmp/a.txt", "hi\\n"); view.read("/tmp/a.txt")
    'hi\\n'
"""

from __future__ import annotations

import copy
import posixpath
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field


class FSError(Exception):
    """A failed file operation; ``strerror`` is the Linux wording ("No such file or directory")."""

    def __init__(self, strerror: str, path: str) -> None:
        super().__init__(f"{path}: {strerror}")
        self.strerror = strerror
        self.path = path


ENOENT = "No such file or directory"
ENOTDIR = "Not a directory"
EISDIR = "Is a directory"
EEXIST = "File exists"
ENOTEMPTY = "Directory not empty"
EROFS = "Read-only file system"
EBUSY = "Resource busy"
EACCES = "Permission denied"


@dataclass(slots=True)
class File:
    """A regular file. ``program`` names the simulated binary it runs when executed."""

    data: str = ""
    mode: int = 0o644
    mtime: float = 0.0
    program: str | None = None

    @property
    def size(self) -> int:
        return len(self.data.encode())

    @property
    def executable(self) -> bool:
        return bool(self.mode & 0o111)


@dataclass(slots=True)
class Dir:
    """A directory: name -> File | Dir, kept in insertion order (``ls`` sorts)."""

    entries: dict[str, File | Dir] = field(default_factory=dict)
    mode: int = 0o755
    mtime: float = 0.0

    def clone(self) -> Dir:
        """A deep copy: a fresh root filesystem for a new container."""
        return copy.deepcopy(self)

    def walk(self, prefix: str = "") -> Iterator[tuple[str, File | Dir]]:
        """Every (path, node) below this directory, depth first, sorted."""
        for name in sorted(self.entries):
            node = self.entries[name]
            path = f"{prefix}/{name}"
            yield path, node
            if isinstance(node, Dir):
                yield from node.walk(path)


Node = File | Dir


def build_tree(files: dict[str, str | File], dirs: tuple[str, ...] = ()) -> Dir:
    """A tree from ``{"/etc/hostname": "busybox\\n", ...}`` plus empty directories."""
    root = Dir()
    for d in dirs:
        _mkdirs(root, _parts(d))
    for path, content in files.items():
        parts = _parts(path)
        parent = _mkdirs(root, parts[:-1])
        node = content if isinstance(content, File) else File(content)
        parent.entries[parts[-1]] = copy.copy(node)
    return root


def _parts(path: str) -> list[str]:
    return [p for p in posixpath.normpath("/" + path).split("/") if p]


def norm(path: str) -> str:
    """``//a/./b/../c/`` -> ``/a/c``."""
    return "/" + "/".join(_parts(path))


def _mkdirs(root: Dir, parts: list[str]) -> Dir:
    node = root
    for p in parts:
        nxt = node.entries.get(p)
        if nxt is None:
            nxt = node.entries[sys.intern(p)] = Dir()
        if not isinstance(nxt, Dir):
            raise FSError(ENOTDIR, "/" + "/".join(parts))
        node = nxt
    return node


@dataclass(slots=True)
class Volume:
    """A pod volume as the kubelet hands it to the runtime.

    ``kind`` is the volume source ("emptyDir", "hostPath", "configMap", "secret", "nfs", ...);
    ``root`` is the tree (or single file, for a file hostPath) its mounts expose. The kubelet
    passes the same Volume object to every container that mounts it, which is what makes it
    shared. An emptyDir lives as long as the pod sandbox holding it.
    """

    name: str
    kind: str = "emptyDir"
    root: Node = field(default_factory=Dir)
    source: dict = field(default_factory=dict)
    read_only: bool = False

    @classmethod
    def empty_dir(cls, name: str, medium: str = "") -> Volume:
        return cls(name, "emptyDir", Dir(), {"medium": medium} if medium else {})

    @classmethod
    def from_files(cls, name: str, kind: str, files: dict[str, str], mode: int = 0o644) -> Volume:
        """A read-only volume whose files are keys of a ConfigMap, Secret or downward API.

        Nothing writes into a read-only volume, so pods whose volume holds the same flat set
        of files share one tree (every pod's service-account volume, for one account)."""
        vol = cls(name, kind, Dir(), read_only=True)
        vol.set_files(files, mode)
        entries = vol.root.entries  # type: ignore[union-attr]
        if all(type(n) is File for n in entries.values()):
            key = (mode, tuple((k, n.data, n.mode) for k, n in entries.items()))
            shared = _SHARED_DIRS.get(key)
            if shared is None:
                if len(_SHARED_DIRS) >= 1024:
                    _SHARED_DIRS.clear()
                shared = _SHARED_DIRS[key] = vol.root  # type: ignore[assignment]
            vol.root = shared
        return vol

    def set_files(self, files: dict[str, str], mode: int = 0o644) -> None:
        """Replace the contents at once (of a volume being built: from_files may share its tree).

        A read-only volume's files can never change, so equal ones are shared between pods
        (every pod's service-account ``ca.crt`` and ``namespace`` are one File each)."""
        assert isinstance(self.root, Dir)
        self.root.entries.clear()
        for key, value in sorted(files.items()):
            parts = _parts(key)
            node = _shared_file(value, mode) if self.read_only else File(value, mode)
            _mkdirs(self.root, parts[:-1]).entries[sys.intern(parts[-1])] = node


_SHARED_FILES: dict[tuple[str, int], File] = {}
_SHARED_DIRS: dict[tuple, Dir] = {}


def _shared_file(data: str, mode: int) -> File:
    """One File per (content, mode) for read-only volumes; forgotten now and then so that
    the contents of deleted Secrets do not stay in memory for ever."""
    node = _SHARED_FILES.get((data, mode))
    if node is None:
        if len(_SHARED_FILES) >= 4096:
            _SHARED_FILES.clear()
        node = _SHARED_FILES[(data, mode)] = File(data, mode)
    return node


@dataclass(slots=True)
class Mount:
    """A volume (or pod file) mounted at ``path`` inside a container."""

    path: str
    node: Node
    read_only: bool = False
    source: str = ""  # what `mount` prints as the device, e.g. "/dev/vda1" or "tmpfs"
    fstype: str = "ext4"
    volume: str = ""  # volume name, "" for kubelet-managed files such as /etc/hosts


_FROZEN: dict[int, tuple[Dir, frozenset[int]]] = {}


def _frozen_ids(root: Dir) -> frozenset[int]:
    """The identities of every node of a shared image tree (computed once per tree; the tree
    is kept alive here so that the identities stay its own)."""
    hit = _FROZEN.get(id(root))
    if hit is None or hit[0] is not root:
        hit = _FROZEN[id(root)] = (root, frozenset([id(root)] + [id(n) for _, n in
                                                                    root.walk()]))
    return hit[1]


class MountedFS:
    """A container's view: a root tree with mounts layered over it. Paths are absolute.

    With ``shared=True`` the root is an image's tree that many containers read: it is copied
    on the first write (copy-on-write), so a container that never writes costs nothing.
    """

    __slots__ = ("root", "mounts", "_now", "_shared", "_frozen", "proc")

    def __init__(self, root: Dir, mounts: list[Mount] | None = None, clock_now=lambda: 0.0,
                 shared: bool = False):
        self.root = root
        self.mounts: list[Mount] = []
        self._now = clock_now
        self._shared = shared
        self._frozen = _frozen_ids(root) if shared else frozenset()
        self.proc: Callable[[list[str]], Node | tuple[MountedFS, str] | None] | None = None
        """Answers paths under /proc (given the parts after "proc"): a node, or another
        filesystem and a path in it (/proc/<pid>/root), or None (no such file)."""
        for m in mounts or []:
            self.mount(m)

    def _own(self, path: str) -> None:
        """Before a change under the root filesystem, copy the shared image nodes on the way
        to ``path`` (the directories and the file itself), one level deep each: the rest of
        the image stays shared, so a write costs a handful of nodes, not a whole tree."""
        if self._shared and self._locate(path)[0] is self.root:
            self._own_parts(_parts(path))

    def _own_parts(self, parts: list[str]) -> None:
        frozen = self._frozen
        node = self.root
        if id(node) in frozen:
            node = self.root = Dir(dict(node.entries), node.mode, node.mtime)
        for p in parts:
            nxt = node.entries.get(p)
            if nxt is None:
                return
            if id(nxt) in frozen:
                nxt = node.entries[p] = (Dir(dict(nxt.entries), nxt.mode, nxt.mtime)
                                         if isinstance(nxt, Dir) else copy.copy(nxt))
            if not isinstance(nxt, Dir):
                return
            node = nxt

    def mount(self, m: Mount) -> None:
        """Mount over ``m.path``, creating the mount point like runc does."""
        m.path = sys.intern(norm(m.path))  # the same mount points in every container
        parts = _parts(m.path)
        if parts and not self.exists(m.path):
            if self._shared:
                self._own_parts(parts[:-1])
            parent = _mkdirs(self.root, parts[:-1])
            if parts[-1] not in parent.entries:
                parent.entries[sys.intern(parts[-1])] = (Dir() if isinstance(m.node, Dir)
                                                         else File())
        self.mounts.append(m)
        self.mounts.sort(key=lambda x: len(x.path))

    # -- resolution ---------------------------------------------------------------------------
    def _locate(self, path: str) -> tuple[Node, list[str], bool, str]:
        """(tree top, remaining parts, read_only, top path) for the mount that owns ``path``."""
        path = norm(path)
        for m in reversed(self.mounts):
            if path == m.path or path.startswith(m.path.rstrip("/") + "/"):
                rest = _parts(path[len(m.path):])
                return m.node, rest, m.read_only, m.path
        return self.root, _parts(path), False, "/"

    def lookup(self, path: str) -> Node:
        """The node at ``path``; raises FSError(ENOENT/ENOTDIR)."""
        parts = _parts(path)
        if self.proc is not None and parts[:1] == ["proc"]:
            found = self.proc(parts[1:])
            if isinstance(found, tuple):
                return found[0].lookup(found[1])
            if found is None:
                raise FSError(ENOENT, path)
            return found
        node, rest, _, _ = self._locate(path)
        for p in rest:
            if not isinstance(node, Dir):
                raise FSError(ENOTDIR, path)
            nxt = node.entries.get(p)
            if nxt is None:
                raise FSError(ENOENT, path)
            node = nxt
        return node

    def _mount_at(self, path: str) -> Mount | None:
        for m in self.mounts:
            if m.path == path:
                return m
        return None

    def exists(self, path: str) -> bool:
        try:
            self.lookup(path)
            return True
        except FSError:
            return False

    def is_dir(self, path: str) -> bool:
        return self.exists(path) and isinstance(self.lookup(path), Dir)

    def _parent(self, path: str) -> tuple[Dir, str]:
        """The directory that will hold ``path`` and the entry name, checked for writing."""
        path = norm(path)
        if self.proc is not None and path.startswith("/proc/"):
            raise FSError(EACCES, path)
        _, rest, read_only, _ = self._locate(path)
        if not rest:  # the path is a mount point itself
            raise FSError(EBUSY, path)
        if read_only:
            raise FSError(EROFS, path)
        parent = self.lookup(posixpath.dirname(path))
        if not isinstance(parent, Dir):
            raise FSError(ENOTDIR, path)
        return parent, rest[-1]

    def read_only_at(self, path: str) -> bool:
        return self._locate(path)[2]

    # -- operations ---------------------------------------------------------------------------
    def read(self, path: str) -> str:
        node = self.lookup(path)
        if isinstance(node, Dir):
            raise FSError(EISDIR, path)
        return node.data

    def write(self, path: str, data: str, append: bool = False) -> None:
        """Create or overwrite (or append to) a regular file."""
        m = self._mount_at(norm(path))
        if m is not None and isinstance(m.node, File):
            if m.read_only:
                raise FSError(EROFS, path)
            m.node.data = (m.node.data if append else "") + data
            m.node.mtime = self._now()
            return
        if self.is_dir(path):
            raise FSError(EISDIR, path)
        self._own(path)
        parent, name = self._parent(path)
        node = parent.entries.get(name)
        if isinstance(node, Dir):
            raise FSError(EISDIR, path)
        if node is None:
            node = parent.entries[name] = File()
        node.data = (node.data if append else "") + data
        node.mtime = self._now()

    def touch(self, path: str) -> None:
        if self.exists(path):
            if self.read_only_at(path):
                raise FSError(EROFS, path)
            self._own(path)
            self.lookup(path).mtime = self._now()
        else:
            self.write(path, "")

    def mkdir(self, path: str, parents: bool = False) -> None:
        if parents:
            parts = _parts(path)
            for i in range(1, len(parts) + 1):
                sub = "/" + "/".join(parts[:i])
                if not self.exists(sub):
                    self.mkdir(sub)
                elif not self.is_dir(sub):
                    raise FSError(ENOTDIR, sub)
            return
        if self.exists(path):
            raise FSError(EEXIST, path)
        self._own(path)
        parent, name = self._parent(path)
        parent.entries[name] = Dir(mtime=self._now())

    def remove(self, path: str, recursive: bool = False) -> None:
        path = norm(path)
        if any(m.path == path or m.path.startswith(path.rstrip("/") + "/") for m in self.mounts):
            raise FSError(EBUSY, path)
        self._own(path)
        parent, name = self._parent(path)
        node = parent.entries.get(name)
        if node is None:
            raise FSError(ENOENT, path)
        if isinstance(node, Dir) and not recursive:
            raise FSError(EISDIR, path)
        del parent.entries[name]

    def rmdir(self, path: str) -> None:
        node = self.lookup(path)
        if not isinstance(node, Dir):
            raise FSError(ENOTDIR, path)
        if node.entries:
            raise FSError(ENOTEMPTY, path)
        self.remove(path, recursive=True)

    def listdir(self, path: str) -> list[str]:
        node = self.lookup(path)
        if not isinstance(node, Dir):
            raise FSError(ENOTDIR, path)
        return sorted(node.entries)

    def chmod(self, path: str, mode: int) -> None:
        if self.read_only_at(path):
            raise FSError(EROFS, path)
        self._own(path)
        self.lookup(path).mode = mode

    def copy(self, src: str, dst: str) -> None:
        node = self.lookup(src)
        if isinstance(node, Dir):
            raise FSError(EISDIR, src)
        if self.is_dir(dst):
            dst = posixpath.join(dst, posixpath.basename(src))
        self.write(dst, node.data)
        target = self.lookup(dst)
        assert isinstance(target, File)
        target.mode, target.program = node.mode, node.program
