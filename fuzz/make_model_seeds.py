#!/usr/bin/env python3
"""Write the seeds of fuzz/corpus/model: the shipped models (models/*.kgm,
made here by `kgas train`) shrunk to a few kilobytes each, so the fuzzer
starts from real section tables and real small sections (configuration,
tag and label names) without the megabytes of weights.  Every section
keeps its name; sections up to KEEP bytes are kept whole, larger ones cut
to CUT bytes (their counts in the configuration then disagree with them:
exactly what a loader must refuse).  The length and checksum fields are
not recomputed: fuzz_model seals each input itself.

    python3 fuzz/make_model_seeds.py fuzz/corpus/model
"""
import glob
import os
import struct
import sys

KEEP, CUT, ALIGN = 2048, 192, 16


def small_classes(part, entries=7):
    """A word-class section (ml/wclust.h) rebuilt as a valid table of 16
    slots holding its first few words, so the fuzzer starts from a table
    that loads rather than from a cut one that never does."""
    magic, coarse, fine, _, cap = struct.unpack_from("<IIIIQ", part, 0)
    keys = struct.unpack_from("<%dQ" % cap, part, 32)
    cls = struct.unpack_from("<%dI" % cap, part, 32 + 8 * cap)
    words = [(k, c) for k, c in zip(keys, cls) if k][:entries]
    slot_k, slot_c = [0] * 16, [0] * 16
    for k, c in words:
        i = (k ^ (k >> 29)) & 15
        while slot_k[i]:
            i = (i + 1) & 15
        slot_k[i], slot_c[i] = k, c
    return (struct.pack("<IIIIQQ", magic, coarse, fine, len(words), 16, 0) +
            struct.pack("<16Q", *slot_k) + struct.pack("<16I", *slot_c))


def shrink(data, keep=KEEP, cut=CUT):
    magic, ver, n, kind, total, _ = struct.unpack_from("<8sII16sQQ", data, 0)
    table = [struct.unpack_from("<32sQQ", data, 48 + 48 * i) for i in range(n)]
    body, entries = bytearray(), []
    start = 48 + 48 * n
    start += -start % ALIGN
    for name, off, ln in table:
        if name.rstrip(b"\0").endswith(b".classes") and ln > keep:
            part = small_classes(data[off:off + ln])
        else:
            part = data[off:off + (ln if ln <= keep else cut)]
        pad = -(start + len(body)) % ALIGN
        body += b"\0" * pad
        entries.append((name, start + len(body), len(part)))
        body += part
    head = bytearray(struct.pack("<8sII16sQQ", magic, ver, n, kind, 0, 0))
    for e in entries:
        head += struct.pack("<32sQQ", *e)
    head += b"\0" * (start - len(head))
    out = head + body
    struct.pack_into("<Q", out, 32, len(out))
    return bytes(out)


def main(outdir):
    os.makedirs(outdir, exist_ok=True)
    root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "models")
    for path in sorted(glob.glob(os.path.join(root, "*.kgm"))):
        data = open(path, "rb").read()
        name = os.path.basename(path)[:-4]
        for tag, keep, cut in (("", KEEP, CUT), ("-tiny", 256, 48)):
            with open(os.path.join(outdir, f"{name}{tag}.kgm"), "wb") as f:
                f.write(shrink(data, keep, cut))
    # Headers alone: empty section tables of each kind, and a wrong version.
    for kind in (b"ner", b"pos", b"parse"):
        h = struct.pack("<8sII16sQQ", b"KGMODL\r\n", 1, 0, kind, 48, 0)
        with open(os.path.join(outdir, f"empty-{kind.decode()}.kgm"), "wb") as f:
            f.write(h)
    with open(os.path.join(outdir, "version9.kgm"), "wb") as f:
        f.write(struct.pack("<8sII16sQQ", b"KGMODL\r\n", 9, 0, b"ner", 48, 0))


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "fuzz/corpus/model")
