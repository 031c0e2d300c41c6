"""What machine a benchmark ran on, for its results file."""

from __future__ import annotations

import os
from pathlib import Path


def describe() -> str:
    """The CPU's model name, its cores and the int8 instructions it has (ONNX Runtime's
    int8 products run several times faster with VNNI or AMX: the model's speed depends on
    them more than on anything else here)."""
    name, flags = "unknown CPU", set()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            key, _, value = line.partition(":")
            if key.strip() == "model name" and name == "unknown CPU":
                name = value.strip()
            elif key.strip() == "flags" and not flags:
                flags = set(value.split())
    except OSError:
        pass
    int8 = [f for f in ("avx2", "avx512_vnni", "avx_vnni", "amx_int8") if f in flags]
    return f"{name}, {os.cpu_count()} cores ({', '.join(int8) or 'no AVX2'})"
