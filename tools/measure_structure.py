#!/usr/bin/env python3
"""Measures how far a reader walks in the tree (issue 12's closing note).

  python3 tools/measure_structure.py BUILD_DIR [BUILD_DIR ...]

For each Ninja build folder (a CPU-only one, a CUDA one): the files an LSTM
forward + backward touches. The rule: start from the objects of
layers/**/recurrent*.cpp; follow every symbol they leave undefined to the
kernels/ object that defines it, and on from there (calls down through
kernels/); the files are those objects' sources plus every project header they
include (core/, kernels/, layers/, as Ninja recorded them). Then, from the
source tree: files per kernel family in kernels/ and the ten largest files.
"""
import collections
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.realpath(__file__)))
PROJECT_FOLDERS = ("core/", "kernels/", "layers/")


def objects_of(build):
    """Maps each libcuseq object file to its source, relative to the root."""
    found = {}
    # One target before the layers were object libraries of their own, three after.
    for target in ("cuseq", "cuseq_core", "cuseq_kernels", "cuseq_layers"):
        objdir = os.path.join(build, "CMakeFiles", target + ".dir")
        for folder, _, names in os.walk(objdir):
            for name in names:
                if name.endswith(".o"):
                    path = os.path.join(folder, name)
                    found[path] = os.path.relpath(path, objdir)[: -len(".o")]
    return found


def symbols(obj):
    out = subprocess.run(["nm", obj], capture_output=True, text=True, check=True).stdout
    defined, undefined = set(), set()
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 2 and parts[0] == "U":
            undefined.add(parts[1])
        elif len(parts) == 3 and parts[1] in "TtWwVvRrDdBb" and parts[1].isupper():
            defined.add(parts[2])
    return defined, undefined


def headers_of(build, obj):
    rel = os.path.relpath(obj, build)
    out = subprocess.run(["ninja", "-C", build, "-t", "deps", rel], capture_output=True,
                         text=True).stdout
    found = set()
    for line in out.splitlines()[1:]:
        path = line.strip()
        if not os.path.isabs(path):
            path = os.path.join(build, path)
        # Headers found through a layer's include view (cuseq_include_views/) are links.
        path = os.path.realpath(path)
        if path.startswith(ROOT + "/"):
            path = os.path.relpath(path, ROOT)
        if path.startswith(PROJECT_FOLDERS):
            found.add(path)
    return found


def lstm_files(build):
    objects = objects_of(build)
    table = {obj: symbols(obj) for obj in objects}
    kernel_objects = [o for o, src in objects.items() if src.startswith("kernels/")]
    start = [o for o, src in objects.items()
             if src.startswith("layers/") and os.path.basename(src).startswith("recurrent")]
    reached, todo = set(start), list(start)
    while todo:
        obj = todo.pop()
        for other in kernel_objects:
            if other not in reached and table[obj][1] & table[other][0]:
                reached.add(other)
                todo.append(other)
    files = {objects[o] for o in reached}
    for obj in reached:
        files |= headers_of(build, obj)
    return sorted(files)


# The small public headers of the types a family's kernels share with its ops.
FAMILY_OF_TYPES_HEADER = {
    "merge_mode": "bidirectional",
    "loss_kinds": "loss",
    "window1d": "conv",
    "optimizer_steps": "optimizer",
    "recurrent_kinds": "recurrent",
    "activation": "ops",
}


def kernel_families():
    families = collections.defaultdict(list)
    for folder, _, names in os.walk(os.path.join(ROOT, "kernels")):
        for name in names:
            if name.endswith(".md"):
                continue
            stem = re.sub(r"\.(h|cuh|cu|cpp)$", "", name)
            stem = re.sub(r"_(cpu|cuda|kernels|math|ops|walk|pointwise|without_cudnn)$", "",
                          stem)
            stem = re.sub(r"^cudnn_", "", stem)
            stem = FAMILY_OF_TYPES_HEADER.get(stem, stem)
            families[stem].append(os.path.relpath(os.path.join(folder, name), ROOT))
    return families


def largest_files(count):
    listed = subprocess.run(["git", "-C", ROOT, "ls-files", "*.h", "*.cuh", "*.cpp", "*.cu"],
                            capture_output=True, text=True, check=True).stdout.split()
    sizes = []
    for path in listed:
        with open(os.path.join(ROOT, path), errors="replace") as f:
            sizes.append((sum(1 for _ in f), path))
    return sorted(sizes, reverse=True)[:count]


def main():
    for build in sys.argv[1:]:
        files = lstm_files(os.path.abspath(build))
        gpu_path = [f for f in files if "cpu" not in os.path.basename(f)]
        print(f"## LSTM forward + backward, {build}: {len(files)} files "
              f"({len(gpu_path)} without the *cpu* ones)")
        for path in files:
            print(f"- {path}")
        print()
    families = kernel_families()
    sizes = sorted(((len(v), k) for k, v in families.items()), reverse=True)
    print(f"## Files per kernel family ({sum(len(v) for v in families.values())} files)")
    for n, name in sizes:
        print(f"- {name}: {n} ({', '.join(sorted(os.path.basename(p) for p in families[name]))})")
    print()
    print("## The ten largest source files (lines)")
    for n, path in largest_files(10):
        print(f"- {n} {path}")


if __name__ == "__main__":
    main()
