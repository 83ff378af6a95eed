#!/usr/bin/env python3
"""Write bench/hot-text.ld: the code a start, a stop and a freeze run, packed together.

A page of code touched for the first time costs a page fault, and the kernel maps up to 16
neighbouring pages with it ("fault-around"): 40 pages touched 64 KiB apart cost 645 us on the
bench machine, 40 adjacent pages 85 us. The functions cnt's commands run are spread over 2.8 MB
of text (ours, libstdc++, Boost, libnl, glibc); this script lists the input sections that hold
them so the linker puts them first, in one block (GNU ld, INSERT BEFORE .text).

    hot-text.py OUT.ld MAPDIR CALLGRIND_OUT...

CALLGRIND_OUT: `valgrind --tool=callgrind --dump-instr=yes` runs of the tools; each is read
against MAPDIR/<tool>.map, the tool's link map (-Wl,-Map; bench/hot-text.sh makes both). A section is named by its
own name when that name is unique (-ffunction-sections: .text.<mangled>), else by its file:
`*libc.a:mount.o(.text)`. Sections missing from a later build match nothing, which ld accepts:
a stale list costs speed, never a build.
"""
import re
import sys
from bisect import bisect_right


def parse_map(path):
    """Input sections of the .text output section: (start, size, name, file)."""
    out = []
    with open(path) as f:
        lines = f.read().splitlines()
    i, n = 0, len(lines)
    name = None
    inside = False  # in the .text or .text.cnt_hot output section
    while i < n:
        line = lines[i]
        if line and not line.startswith(" "):  # an output section starts
            inside = line.split()[0] in (".text", ".text.cnt_hot")
            i += 1
            continue
        if not inside:
            i += 1
            continue
        m = re.match(r"^ (\.\S+)(?:\s+(0x[0-9a-f]+)\s+(0x[0-9a-f]+)\s+(.*))?$", line)
        if m:
            name = m.group(1)
            if m.group(2):
                out.append((int(m.group(2), 16), int(m.group(3), 16), name, m.group(4).strip()))
                name = None
        elif name:
            m = re.match(r"^\s+(0x[0-9a-f]+)\s+(0x[0-9a-f]+)\s+(\S.*)$", line)
            if m:
                out.append((int(m.group(1), 16), int(m.group(2), 16), name, m.group(3).strip()))
            name = None
        i += 1
    return [s for s in out if s[1] > 0]


def executed(path):
    """Addresses callgrind saw executed (absolute positions; enough to name each function)."""
    addrs = set()
    with open(path, errors="replace") as f:
        for line in f:
            if line.startswith("0x"):
                addrs.add(int(line.split()[0], 16))
            elif line.startswith("calls="):
                parts = line.split()
                if len(parts) > 1 and parts[1].startswith("0x"):
                    addrs.add(int(parts[1], 16))
    return addrs


def file_pattern(f):
    """`build/libcore.a(start.o)` -> `*libcore.a:start.o`; `build/tools/cli.o` -> `*tools/cli.o`."""
    m = re.match(r"^(.*?)\(([^()]+)\)$", f)
    if m:
        return "*" + m.group(1).rsplit("/", 1)[-1] + ":" + m.group(2)
    parts = f.rsplit("/", 2)
    return "*" + "/".join(parts[-2:])


def program_of(path):
    """The tool a callgrind file profiled, from its `cmd:` line."""
    with open(path, errors="replace") as f:
        for line in f:
            if line.startswith("cmd:"):
                return line.split()[1].rsplit("/", 1)[-1]
            if line.startswith("fn="):
                break
    return None


# glibc picks the variant of a string function (an ifunc) by the CPU it runs on. valgrind's
# CPU has no AVX-512, so the profile names the AVX2 variants (.text.avx*) where an AVX-512
# machine runs the EVEX or AVX-512 ones: those of each family seen are listed next to them.
AVX512_VARIANTS = (".text.evex", ".text.evex512", ".text.avx512")
LIBC_FAMILY = re.compile(r"libc\.a\(([A-Za-z0-9_]+)-[^()]*\.o\)$")


def with_cpu_variants(chosen, maps):
    family = {}  # "memmove" -> [(section, file)] of its AVX-512 variants
    for secs, _ in maps.values():
        for _, _, name, f in secs:
            m = LIBC_FAMILY.search(f)
            if m and name in AVX512_VARIANTS and (name, f) not in family.setdefault(m.group(1), []):
                family[m.group(1)].append((name, f))
    out, seen = [], set(chosen)
    for name, f in chosen:
        out.append((name, f))
        m = LIBC_FAMILY.search(f)
        if m and name.startswith(".text.avx"):
            for key in family.get(m.group(1), []):
                if key not in seen:
                    seen.add(key)
                    out.append(key)
    return out


def main(argv):
    if len(argv) < 4:
        sys.exit(__doc__)
    out, mapdir, runs = argv[1], argv[2], argv[3:]
    maps = {}    # tool -> (sections, starts)
    counts = {}  # section name -> the files that have a section of that name, over all maps
    chosen = []  # (name, file), in the order of the runs, then of the addresses
    seen = set()
    for run in runs:
        prog = program_of(run)
        if not prog:
            print(f"{run}: no cmd: line, skipped", file=sys.stderr)
            continue
        if prog not in maps:
            secs = parse_map(f"{mapdir}/{prog}.map")
            maps[prog] = (secs, [s[0] for s in secs])
            for s in secs:
                counts.setdefault(s[2], set()).add(s[3])
        secs, starts = maps[prog]
        hot = set()
        for a in executed(run):
            k = bisect_right(starts, a) - 1
            if k >= 0 and a < secs[k][0] + secs[k][1]:
                hot.add(k)
        for k in sorted(hot):
            key = (secs[k][2], secs[k][3])
            if key not in seen:
                seen.add(key)
                chosen.append(key)
    chosen = with_cpu_variants(chosen, maps)
    lines = []
    for name, f in chosen:
        if len(counts[name]) == 1 and name not in (".text", ".text.unlikely", ".text.hot", ".text.startup"):
            lines.append(f"    *({name})")
        else:
            lines.append(f"    {file_pattern(f)}({name})")
    uniq = list(dict.fromkeys(lines))
    with open(out, "w") as f:
        f.write("/* Generated by bench/hot-text.sh (bench/hot-text.py): the code that cnt-start,\n"
                " * cnt-stop, cnt-freeze and cnt-unfreeze run, packed ahead of the rest of .text so\n"
                " * a command faults in a few blocks of code instead of pages spread over 2.8 MB.\n"
                " * Linked into every tool (ld -T: INSERT keeps the default script). Refreshed by\n"
                " * `make hot-text` (root, valgrind) after code on those paths changed. */\n")
        f.write("SECTIONS\n{\n  .text.cnt_hot :\n  {\n")
        f.write("\n".join(uniq) + "\n")
        f.write("  }\n}\nINSERT BEFORE .text;\n")
    print(f"{out}: {len(uniq)} input sections", file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv)
