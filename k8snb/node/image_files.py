"""The files inside images: base distributions (busybox, Alpine, Debian, Ubuntu, distroless)
and the configuration and content files of the applications (nginx's welcome page and config).
"""

from __future__ import annotations

from k8snb.node.fs import Dir, File, build_tree

BUILT = 1759276800.0  # 2025-10-01T00:00:00Z: when our images were "built" (ls -l shows it)

CORE = ("true", "false", "echo", "printf", "test", "[", "pwd", "sleep", "kill", "cat", "ls",
        "touch", "mkdir", "rm", "rmdir", "cp", "mv", "chmod", "head", "tail", "grep", "wc",
        "tee", "sort", "uniq", "basename", "dirname", "which", "seq", "env", "printenv",
        "hostname", "id", "whoami", "uname", "date", "mount", "df")
BUSYBOX_APPLETS = CORE + ("ps", "wget", "nslookup", "ping", "ip", "netstat")

PASSWD = ("root:x:0:0:root:/root:/bin/sh\n"
          "daemon:x:1:1:daemon:/usr/sbin:/bin/false\n"
          "nobody:x:65534:65534:nobody:/home:/bin/false\n")

NGINX_INDEX = """<!DOCTYPE html>
<html>
<head>
<title>Welcome to nginx!</title>
<style>
html { color-scheme: light dark; }
body { width: 35em; margin: 0 auto;
font-family: Tahoma, Verdana, Arial, sans-serif; }
</style>
</head>
<body>
<h1>Welcome to nginx!</h1>
<p>If you see this page, the nginx web server is successfully installed and
working. Further configuration is required.</p>

<p>For online documentation and support please refer to
<a href="http://nginx.org/">nginx.org</a>.<br/>
Commercial support is available at
<a href="http://nginx.com/">nginx.com</a>.</p>

<p><em>Thank you for using nginx.</em></p>
</body>
</html>
"""

NGINX_50X = """<!DOCTYPE html>
<html>
<head>
<title>Error</title>
</head>
<body>
<h1>An error occurred.</h1>
<p>Sorry, the page you are looking for is currently unavailable.<br/>
Please try again later.</p>
</body>
</html>
"""

NGINX_CONF = """
user  nginx;
worker_processes  auto;

error_log  /var/log/nginx/error.log notice;
pid        /var/run/nginx.pid;


events {
    worker_connections  1024;
}


http {
    include       /etc/nginx/mime.types;
    default_type  application/octet-stream;

    log_format  main  '$remote_addr - $remote_user [$time_local] "$request" '
                      '$status $body_bytes_sent "$http_referer" '
                      '"$http_user_agent" "$http_x_forwarded_for"';

    access_log  /var/log/nginx/access.log  main;

    sendfile        on;
    #tcp_nopush     on;

    keepalive_timeout  65;

    #gzip  on;

    include /etc/nginx/conf.d/*.conf;
}
"""

NGINX_DEFAULT_CONF = """server {
    listen       80;
    listen  [::]:80;
    server_name  localhost;

    #access_log  /var/log/nginx/host.access.log  main;

    location / {
        root   /usr/share/nginx/html;
        index  index.html index.htm;
    }

    #error_page  404              /404.html;

    # redirect server error pages to the static page /50x.html
    #
    error_page   500 502 503 504  /50x.html;
    location = /50x.html {
        root   /usr/share/nginx/html;
    }
}
"""

HTTPD_INDEX = "<html><body><h1>It works!</h1></body></html>\n"


def exe(program: str) -> File:
    """An executable file that runs the named simulated program."""
    return File("", 0o755, BUILT, program)


def script(text: str) -> File:
    return File(text, 0o755, BUILT)


def _os_release(pretty: str, name: str, ident: str, version_id: str) -> str:
    return (f'PRETTY_NAME="{pretty}"\nNAME="{name}"\nID={ident}\n'
            f'VERSION_ID="{version_id}"\nHOME_URL="https://www.{ident}.org/"\n')


def base_files(base: str) -> tuple[dict[str, str | File], tuple[str, ...]]:
    """(files, empty directories) of a base image: busybox, alpine, debian, ubuntu, distroless,
    scratch."""
    dirs = ("/root", "/tmp", "/var", "/usr", "/home", "/dev", "/proc", "/sys", "/etc")
    files: dict[str, str | File] = {}
    if base != "scratch":  # placeholders the kubelet's pod files are mounted over
        files.update({"/etc/hosts": "127.0.0.1\tlocalhost\n", "/etc/hostname": "",
                      "/etc/resolv.conf": ""})
    if base in ("busybox", "alpine"):
        files["/etc/passwd"] = PASSWD
        files["/etc/group"] = "root:x:0:root\nnobody:x:65534:\n"
        if base == "busybox":
            files.update({f"/bin/{a}": exe(a) for a in BUSYBOX_APPLETS + ("sh",)})
        else:
            files["/bin/busybox"] = exe("sh")
            files.update({f"/bin/{a}": exe(a) for a in BUSYBOX_APPLETS + ("sh", "ash")})
            files["/etc/os-release"] = _os_release("Alpine Linux v3.21", "Alpine Linux",
                                                   "alpine", "3.21.2")
            files["/etc/alpine-release"] = "3.21.2\n"
            dirs += ("/lib/apk", "/usr/local/bin", "/srv", "/opt")
    elif base in ("debian", "ubuntu"):
        files["/etc/passwd"] = PASSWD.replace("/bin/sh", "/bin/bash")
        files["/etc/group"] = "root:x:0:\nnogroup:x:65534:\n"
        files["/bin/sh"] = exe("dash")
        files["/bin/bash"] = exe("bash")
        applets = CORE + (("ps",) if base == "ubuntu" else ())
        files.update({f"/usr/bin/{a}": exe(a) for a in applets})
        if base == "debian":
            files["/etc/os-release"] = _os_release("Debian GNU/Linux 12 (bookworm)",
                                                   "Debian GNU/Linux", "debian", "12")
            files["/etc/debian_version"] = "12.8\n"
        else:
            files["/etc/os-release"] = _os_release("Ubuntu 24.04.1 LTS", "Ubuntu", "ubuntu",
                                                   "24.04")
        dirs += ("/usr/local/bin", "/srv", "/opt", "/var/lib", "/var/log")
    elif base == "distroless":
        files["/etc/passwd"] = PASSWD.replace("/bin/sh", "/sbin/nologin") + \
            "nonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n"
        files["/etc/os-release"] = _os_release("Distroless", "Debian GNU/Linux", "debian", "12")
    return files, dirs


def make_tree(base: str, extra: dict[str, str | File]) -> Dir:
    """A root filesystem: the base distribution plus the application's files."""
    files, dirs = base_files(base)
    files = {**files, **extra}
    root = build_tree({p: (v if isinstance(v, File) else File(v, 0o644, BUILT))
                       for p, v in files.items()}, dirs)
    for _, node in root.walk():
        node.mtime = BUILT
    root.entries["tmp"].mode = 0o1777
    return root
