# MoCo-J sandbox launcher (trusted). Runs inside fresh IPC/network/mount/PID namespaces when
# available, tightens the process, then replaces itself with the interpreter running the harness,
# which runs solution.py. See docs/sandbox-threat-model.md.
# argv: workdir uid gid cpu_seconds address_space_bytes file_size_bytes open_files processes
#       prefix exe_relative isolate_mounts(0/1) disk_bytes disk_inodes seccomp(0/1)
# stdin: one line, the run's nonce (read first, then stdin is /dev/null).
import os, sys, resource, signal, struct, ctypes

(workdir, uid, gid, cpu, mem, fsize, nofile, nproc, prefix, exe_rel, isolate, disk, inodes, use_seccomp) = sys.argv[1:15]
uid, gid, cpu, mem, fsize, nofile, nproc = int(uid), int(gid), int(cpu), int(mem), int(fsize), int(nofile), int(nproc)
disk, inodes = int(disk), int(inodes)
NONCE = sys.stdin.buffer.readline().strip()
_null = os.open("/dev/null", os.O_RDONLY)
os.dup2(_null, 0)
os.close(_null)
python_dir = os.path.join(workdir, ".python")
exe = os.path.join(prefix, exe_rel)

# The harness: runs solution.py (the code, the candidate alias, the tests, check(candidate)) and,
# only when every statement returned normally, reads the nonce from fd 3 and writes the pass line.
HARNESS = r'''
import os, sys
def _mocoj_harness():
    with open("solution.py", "rb") as f:
        code = compile(f.read(), "solution.py", "exec")
    exec(code, {"__name__": "__main__", "__builtins__": __builtins__, "__file__": "solution.py"})
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except Exception:
        pass
    nonce = os.read(3, 256)
    os.write(1, b"\nmocoj-sandbox-pass:" + nonce + b"\n")
    os._exit(0)
_mocoj_harness()
'''


def _seccomp():
    """Refuses socket(AF_UNIX, ...) and io_uring (which could open sockets) with EACCES; kills
    syscalls of a foreign ABI. Abstract and path Unix sockets of the host are then unreachable."""
    import ctypes, struct
    table = {"x86_64": (0xC000003E, 41, 425), "aarch64": (0xC00000B7, 198, 425)}
    machine = os.uname().machine
    arch = table.get(machine)
    if arch is None:
        raise OSError("no seccomp filter for machine " + machine)
    audit, nr_socket, nr_uring = arch
    LD, JEQ, JGE, RET = 0x20, 0x15, 0x35, 0x06
    ALLOW, DENY, KILL = 0x7FFF0000, 0x00050000 | 13, 0x80000000

    def op(code, jt, jf, k):
        return struct.pack("=HBBI", code, jt, jf, k)

    prog = [op(LD, 0, 0, 4), op(JEQ, 1, 0, audit), op(RET, 0, 0, KILL),        # 0-2 arch
            op(LD, 0, 0, 0), op(JGE, 3, 0, 0x40000000),                         # 3-4 x32 ABI -> deny
            op(JEQ, 2, 0, nr_uring), op(JEQ, 2, 0, nr_socket),                  # 5-6
            op(RET, 0, 0, ALLOW), op(RET, 0, 0, DENY),                          # 7-8
            op(LD, 0, 0, 16), op(JEQ, 1, 0, 1),                                 # 9-10 args[0] == AF_UNIX
            op(RET, 0, 0, ALLOW), op(RET, 0, 0, DENY)]                          # 11-12
    buf = ctypes.create_string_buffer(b"".join(prog))

    class Fprog(ctypes.Structure):
        _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]

    fp = Fprog(len(prog), ctypes.addressof(buf))
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl.argtypes = [ctypes.c_int, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong]
    if libc.prctl(38, 1, 0, 0, 0) != 0:  # PR_SET_NO_NEW_PRIVS
        raise OSError(ctypes.get_errno(), "PR_SET_NO_NEW_PRIVS failed")
    if libc.prctl(22, 2, ctypes.addressof(fp), 0, 0) != 0:  # PR_SET_SECCOMP, SECCOMP_MODE_FILTER
        err = ctypes.get_errno()
        raise OSError(err, "seccomp filter refused: " + os.strerror(err))


def _setup():
    global exe
    if isolate == "1":
        import ctypes
        libc = ctypes.CDLL(None, use_errno=True)
        MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC = 1, 2, 4, 8
        MS_REMOUNT, MS_BIND, MS_REC, MS_PRIVATE = 32, 4096, 16384, 1 << 18
        MS_NOATIME, MS_NODIRATIME, MS_RELATIME = 1024, 2048, 1 << 21

        def mount(src, target, fstype, flags, data=None):
            if libc.mount(src.encode(), target.encode(), fstype and fstype.encode(), flags,
                          data and data.encode()) != 0:
                err = ctypes.get_errno()
                raise OSError(err, "mount " + target + ": " + os.strerror(err))

        mount("none", "/", None, MS_REC | MS_PRIVATE)
        # The run's only writable place: a size- and inode-capped tmpfs that lives in this mount
        # namespace alone, so whatever the code writes never reaches the host's disk and vanishes
        # with the namespace (however deep the tree).
        with open(os.path.join(workdir, "solution.py"), "rb") as f:
            solution = f.read()
        mount("mocoj-sandbox", workdir, "tmpfs", MS_NOSUID | MS_NODEV,
              "size=%d,nr_inodes=%d,mode=0700" % (disk, inodes))
        with open(os.path.join(workdir, "solution.py"), "wb") as f:
            f.write(solution)
        os.makedirs(python_dir, exist_ok=True)
        mount(prefix, python_dir, None, MS_BIND | MS_REC)
        flag_of = {"nosuid": MS_NOSUID, "nodev": MS_NODEV, "noexec": MS_NOEXEC, "noatime": MS_NOATIME,
                   "nodiratime": MS_NODIRATIME, "relatime": MS_RELATIME}
        with open("/proc/self/mountinfo") as f:
            mounts = [line.split() for line in f]
        for fields in mounts:
            target = fields[4].encode().decode("unicode_escape")
            if target == workdir:
                continue
            extra = 0
            for opt in fields[5].split(","):
                extra |= flag_of.get(opt, 0)
            try:
                mount("none", target, None, MS_REMOUNT | MS_BIND | MS_RDONLY | extra)
            except OSError as e:
                if target in ("/", python_dir):
                    raise
        exe = os.path.join(python_dir, exe_rel)

    if uid >= 0:
        os.chown(workdir, uid, gid)
        for name in os.listdir(workdir):
            if name != ".python":
                os.chown(os.path.join(workdir, name), uid, gid)
    os.chmod(workdir, 0o700)

    for limit, value in ((resource.RLIMIT_CPU, cpu), (resource.RLIMIT_AS, mem), (resource.RLIMIT_FSIZE, fsize),
                         (resource.RLIMIT_NOFILE, nofile), (resource.RLIMIT_NPROC, nproc), (resource.RLIMIT_CORE, 0)):
        resource.setrlimit(limit, (value, value))
    try:
        os.setsid()
    except OSError:
        pass
    os.umask(0o077)
    signal.signal(signal.SIGXCPU, signal.SIG_DFL)
    signal.signal(signal.SIGXFSZ, signal.SIG_DFL)
    # No capability survives the exec (in a user namespace the code would otherwise be root there and
    # could remount the file system writable): empty the bounding set and forbid privilege gains.
    try:
        import ctypes
        _libc = ctypes.CDLL(None, use_errno=True)
        with open("/proc/sys/kernel/cap_last_cap") as f:
            _last_cap = int(f.read())
        for _cap in range(_last_cap + 1):
            _libc.prctl(24, _cap, 0, 0, 0)  # PR_CAPBSET_DROP
        _libc.prctl(38, 1, 0, 0, 0)  # PR_SET_NO_NEW_PRIVS
    except (OSError, ValueError):
        pass
    if uid >= 0:
        os.setgroups([])
        os.setgid(gid)
        os.setuid(uid)
    os.chdir(workdir)
    # The nonce goes to the harness through a pipe on fd 3, never through argv, the environment or a file.
    r, w = os.pipe()
    os.write(w, NONCE)
    os.close(w)
    if r != 3:
        os.dup2(r, 3)
        os.close(r)
    os.set_inheritable(3, True)
    if use_seccomp == "1":
        _seccomp()
    sys.stdout.flush()


try:
    _setup()
    os.execve(exe, [exe, "-I", "-B", "-c", HARNESS], dict(os.environ))
except Exception as e:  # the sandbox could not be set up: not the code's fault
    sys.stderr.write("mocoj-sandbox-setup-error:%s: %s: %s\n" % (NONCE.decode("ascii", "replace"), type(e).__name__, e))
    sys.stderr.flush()
    os._exit(97)
