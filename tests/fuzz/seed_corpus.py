#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Write a seed corpus for fuzz_proto: realistic frame streams.

Usage: tests/fuzz/seed_corpus.py DIR
Each file is one chunk-size byte followed by frames (see fuzz_proto.c).
"""
import os
import struct
import sys
import zlib

MAGIC = b"KTS1"


def frame(ftype, payload):
    hdr = MAGIC + struct.pack("<HHI", ftype, 0, len(payload))
    crc = zlib.crc32(payload, zlib.crc32(hdr)) & 0xFFFFFFFF
    return hdr + struct.pack("<I", crc) + payload


WORKER = (b'{"index":%d,"tid":%d,"cgroup":"cg_0","work":"SpinWait","work_units":1000,'
          b'"cpu_ns":3000000000,"wall_ns":4000000000,"max_gap_ns":120000000,'
          b'"max_gap_cpu":1,"max_gap_at_ns":500000000,"migrations":3,"cpus":"0-1",'
          b'"cpuset":"0-1","nvcsw":10,"nivcsw":20,"status":"ok"}')
TOPO = (b'{"nr_cpus":2,"online":"0-1","cpus":['
        b'{"cpu":0,"package":0,"core":0,"node":0,"llc":"0-1","siblings":"0"},'
        b'{"cpu":1,"package":0,"core":1,"node":0,"llc":"0-1","siblings":"1"}],'
        b'"mem_total_kb":480000,"sched_ext":{"present":true,"state":"disabled"}}')

RUN = [
    frame(1, b'{"agent":"0.1.0","kernel":"7.2.13+deb14-cloud-amd64","uptime_ms":2400,"mode":"run"}'),
    frame(2, TOPO),
    frame(3, b'{"stage":"scenario_start","t_ms":0}'),
    frame(3, b'{"stage":"step","t_ms":10,"step":0,"n_steps":1}'),
    frame(4, b'{"t_ms":500,"work_units":4242,"workers_alive":2}'),
    frame(6, b'{"level":"warn","msg":"slow \\u001b[31m"}'),
    frame(5, WORKER % (0, 101)),
    frame(5, WORKER % (1, 102)),
    frame(3, b'{"stage":"scenario_end","t_ms":4000}'),
    frame(7, b'{"msg":"cannot create cgroup"}'),
    frame(8, b'{"workers":2,"t_ms":4100}'),
]


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    seeds = {
        "run_whole": b"\xff" + b"".join(RUN),
        "run_bytewise": b"\x00" + b"".join(RUN),
        "noise": b"\x07" + b"[    0.1] console noise\nKTS" + b"".join(RUN[:3]) + b"KT",
        "bad_len": b"\x10" + MAGIC + struct.pack("<HHII", 6, 0, 100000, 0) + b"".join(RUN[-2:]),
    }
    for i, f in enumerate(RUN):
        seeds["frame_%d" % i] = b"\x40" + f
    for name, data in seeds.items():
        with open(os.path.join(out, name), "wb") as fh:
            fh.write(data)


if __name__ == "__main__":
    main()
