"""Minimal GGUF reader for the F32/F16 test fixtures (metadata + tensors as numpy arrays)."""
import struct
import numpy as np

_SCALARS = {0: "<B", 1: "<b", 2: "<H", 3: "<h", 4: "<I", 5: "<i", 6: "<f", 7: "<?", 10: "<Q", 11: "<q", 12: "<d"}


def _read(f, fmt):
    n = struct.calcsize(fmt)
    return struct.unpack(fmt, f.read(n))[0]


def _string(f):
    n = _read(f, "<Q")
    return f.read(n).decode("utf-8")


def _value(f, t):
    if t in _SCALARS:
        return _read(f, _SCALARS[t])
    if t == 8:
        return _string(f)
    if t == 9:
        et = _read(f, "<I")
        n = _read(f, "<Q")
        return [_value(f, et) for _ in range(n)]
    raise ValueError("unknown GGUF value type %d" % t)


def load(path):
    """Returns (metadata dict, {name: numpy float32 array shaped outermost-first})."""
    with open(path, "rb") as f:
        if f.read(4) != b"GGUF":
            raise ValueError(path + ": not a GGUF file")
        version = _read(f, "<I")
        n_tensors = _read(f, "<Q")
        n_kv = _read(f, "<Q")
        md = {}
        for _ in range(n_kv):
            key = _string(f)
            md[key] = _value(f, _read(f, "<I"))
        infos = []
        for _ in range(n_tensors):
            name = _string(f)
            nd = _read(f, "<I")
            dims = [_read(f, "<Q") for _ in range(nd)]
            ttype = _read(f, "<I")
            off = _read(f, "<Q")
            infos.append((name, dims, ttype, off))
        align = md.get("general.alignment", 32)
        pos = f.tell()
        start = (pos + align - 1) // align * align
        data = {}
        for name, dims, ttype, off in infos:
            n = int(np.prod(dims))
            f.seek(start + off)
            if ttype == 0:
                a = np.frombuffer(f.read(4 * n), dtype="<f4")
            elif ttype == 1:
                a = np.frombuffer(f.read(2 * n), dtype="<f2").astype(np.float32)
            else:
                raise ValueError("%s: tensor %s has type %d; only F32/F16 fixtures are supported" % (path, name, ttype))
            data[name] = a.reshape(list(reversed(dims))).copy()
        return md, data
