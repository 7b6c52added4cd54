# MoCo-J sandbox launcher. Runs inside fresh network/mount/pid namespaces when available,
# tightens the process, then replaces itself with the interpreter running solution.py.
# argv: workdir uid gid cpu_seconds address_space_bytes file_size_bytes open_files processes
#       prefix exe_relative isolate_mounts(0/1)
import os, sys, resource, signal

(workdir, uid, gid, cpu, mem, fsize, nofile, nproc, prefix, exe_rel, isolate) = sys.argv[1:12]
uid, gid, cpu, mem, fsize, nofile, nproc = int(uid), int(gid), int(cpu), int(mem), int(fsize), int(nofile), int(nproc)
python_dir = os.path.join(workdir, ".python")
exe = os.path.join(prefix, exe_rel)

def _setup():
    global exe
    if isolate == "1":
        import ctypes
        libc = ctypes.CDLL(None, use_errno=True)
        MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC = 1, 2, 4, 8
        MS_REMOUNT, MS_BIND, MS_REC, MS_PRIVATE = 32, 4096, 16384, 1 << 18
        MS_NOATIME, MS_NODIRATIME, MS_RELATIME = 1024, 2048, 1 << 21

        def mount(src, target, flags):
            if libc.mount(src.encode(), target.encode(), None, flags, None) != 0:
                err = ctypes.get_errno()
                raise OSError(err, "mount " + target + ": " + os.strerror(err))

        mount("none", "/", MS_REC | MS_PRIVATE)
        mount(workdir, workdir, MS_BIND)
        os.makedirs(python_dir, exist_ok=True)
        mount(prefix, python_dir, MS_BIND | MS_REC)
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
                mount("none", target, MS_REMOUNT | MS_BIND | MS_RDONLY | extra)
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
    sys.stdout.flush()


try:
    _setup()
    os.execve(exe, [exe, "-I", "-B", "solution.py"], dict(os.environ))
except Exception as e:  # the sandbox could not be set up: not the code's fault
    sys.stderr.write("mocoj-sandbox-setup-error: %s: %s\n" % (type(e).__name__, e))
    sys.stderr.flush()
    os._exit(97)
