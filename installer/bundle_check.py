"""Check a built ExamDesk folder (PyInstaller one-folder output) against what a bundle may contain.

    python installer/bundle_check.py dist/ExamDesk [--system-dir PREFIX/drive_c/windows/system32]

Rules (installer/bundle-contents.txt):
- every file must match an allowed pattern; a deny pattern ("!") rejects a file whatever else matches,
  with its reason (the wine lane's stand-in DLLs, its sitecustomize shim, build and test tools); a trim
  pattern ("-", what the client never loads) is dropped by installer/examdesk.spec and rejected here too;
- with --system-dir: a DLL named like one in Windows' own System32 would shadow it, so it must be on the
  "@system" list (the Visual C++ runtime, which Microsoft lets applications carry); and every DLL that a
  bundled program or library imports must be in the bundle or in System32 (a trim must not break loading);
- inside ExamDesk.exe's archive: only the scripts on the "@script" list (PyInstaller's bootstrap and its
  own runtime hooks, no test-only hook) and no module matching a "@no-module" prefix.
Exit status 1 with one line per problem. Runs on the build machine's Python (3.8+), Linux or Windows.
"""
from __future__ import annotations

import argparse
import marshal
import os
import re
import struct
import sys
from typing import Dict, Iterable, List, Optional, Pattern, Tuple

HERE = os.path.dirname(os.path.abspath(__file__))
CONTENTS = os.path.join(HERE, "bundle-contents.txt")
PROGRAMS = ("ExamDesk.exe", "ExamDesk-console.exe")


def glob_re(pattern: str) -> Pattern[str]:
    """A path glob as a regex: '**/' any folders, '*' within a name, case-insensitive like Windows."""
    out = ""
    i = 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            out += "(?:.*/)?"
            i += 3
        elif pattern.startswith("**", i):
            out += ".*"
            i += 2
        elif pattern[i] == "*":
            out += "[^/]*"
            i += 1
        elif pattern[i] == "?":
            out += "[^/]"
            i += 1
        else:
            out += re.escape(pattern[i])
            i += 1
    return re.compile(out + r"\Z", re.I)


class Rules:
    def __init__(self, text: str) -> None:
        self.allow: List[Pattern[str]] = []
        self.deny: List[Tuple[Pattern[str], str]] = []
        self.trim: List[Tuple[Pattern[str], str]] = []
        self.system: List[Pattern[str]] = []
        self.scripts: List[Pattern[str]] = []
        self.no_module: List[Tuple[str, str]] = []
        self.redist: List[Pattern[str]] = []
        for raw in text.splitlines():
            line = raw.split(" #", 1)[0].strip() if not raw.lstrip().startswith("#") else ""
            if not line:
                continue
            head, _, reason = line.partition(" ")
            reason = reason.strip()
            if head.startswith("!"):
                self.deny.append((glob_re(head[1:]), reason or "not allowed in a bundle"))
            elif head.startswith("-"):
                self.trim.append((glob_re(head[1:]), reason or "never loaded"))
            elif head == "@system":
                self.system += [glob_re(p) for p in reason.split()]
            elif head == "@redist":
                self.redist += [glob_re(p) for p in reason.split()]
            elif head == "@script":
                self.scripts += [glob_re(p) for p in reason.split()]
            elif head == "@no-module":
                name, _, why = reason.partition(" ")
                self.no_module.append((name, why.strip() or "not allowed in a bundle"))
            else:
                self.allow.append(glob_re(head))

    def allowed(self, path: str) -> bool:
        return any(rx.match(path) for rx in self.allow) and not any(rx.match(path) for rx, _why in self.deny)

    def trimmed(self, path: str) -> bool:
        """Whether the spec drops this file from what PyInstaller's hooks collected."""
        return any(rx.match(path) for rx, _why in self.trim)

    @classmethod
    def load(cls, path: str = CONTENTS) -> Rules:
        with open(path, encoding="utf-8") as f:
            return cls(f.read())


def files_of(bundle: str) -> List[str]:
    out = []
    for folder, _dirs, names in os.walk(bundle):
        for name in names:
            out.append(os.path.relpath(os.path.join(folder, name), bundle).replace(os.sep, "/"))
    return sorted(out)


def check_files(rules: Rules, files: Iterable[str], system_dlls: Optional[set] = None) -> List[str]:
    problems = []
    for path in files:
        denied = next((why for rx, why in rules.deny if rx.match(path)), None)
        if denied:
            problems.append("%s: %s" % (path, denied))
            continue
        trim = next((why for rx, why in rules.trim if rx.match(path)), None)
        if trim:
            problems.append("%s: should have been trimmed (%s)" % (path, trim))
            continue
        if not any(rx.match(path) for rx in rules.allow):
            problems.append("%s: not on the list of what a bundle may contain (installer/bundle-contents.txt)" % path)
            continue
        name = path.rsplit("/", 1)[-1]
        if system_dlls is not None and name.lower().endswith(".dll") and name.lower() in system_dlls \
                and not any(rx.match(name) for rx in rules.system):
            problems.append("%s: named like Windows' own System32\\%s, which it would shadow" % (path, name))
    return problems


# --- the DLLs each program and library imports (PE import table), to catch a trim that broke loading ---
def pe_imports(data: bytes) -> List[str]:
    """DLL names in a PE file's import table ([] when it is not a PE file)."""
    if data[:2] != b"MZ" or len(data) < 0x40:
        return []
    pe = struct.unpack_from("<I", data, 0x3C)[0]
    if data[pe:pe + 4] != b"PE\0\0":
        return []
    sections_count, _t, _p, _n, optional_size = struct.unpack_from("<HIIIH", data, pe + 6)
    optional = pe + 24
    magic = struct.unpack_from("<H", data, optional)[0]
    dirs = optional + (112 if magic == 0x20B else 96)
    import_rva = struct.unpack_from("<I", data, dirs + 8)[0]     # data directory 1: imports
    sections = []
    for i in range(sections_count):
        at = optional + optional_size + 40 * i
        vsize, vaddr, rsize, raw = struct.unpack_from("<IIII", data, at + 8)
        sections.append((vaddr, max(vsize, rsize), raw))

    def offset(rva: int) -> int:
        for vaddr, size, raw in sections:
            if vaddr <= rva < vaddr + size:
                return rva - vaddr + raw
        raise ValueError("RVA %#x outside the sections" % rva)

    names = []
    if not import_rva:
        return names
    at = offset(import_rva)
    while True:
        name_rva = struct.unpack_from("<I", data, at + 12)[0]
        if not name_rva:
            break
        start = offset(name_rva)
        names.append(data[start:data.index(b"\0", start)].decode("ascii", "replace"))
        at += 20
    return names


def check_imports(bundle: str, files: Iterable[str], system_dlls: set, rules: Optional[Rules] = None) -> List[str]:
    """Every DLL a bundled program or library imports is in the bundle or is Windows' own. A build
    machine's System32 also holds redistributables a candidate's PC may lack (the "@redist" list, e.g.
    the Visual C++ runtime): those must come with the bundle."""
    present = {f.rsplit("/", 1)[-1].lower() for f in files}
    if rules is not None:
        system_dlls = {d for d in system_dlls if not any(rx.match(d) for rx in rules.redist)}
    problems = []
    for path in files:
        if not path.lower().endswith((".exe", ".dll", ".pyd")):
            continue
        with open(os.path.join(bundle, path), "rb") as f:
            data = f.read()
        for dll in pe_imports(data):
            low = dll.lower()
            if low in present or low in system_dlls or low.startswith(("api-ms-win-", "ext-ms-")):
                continue
            problems.append("%s: imports %s, which is neither in the bundle nor Windows' own" % (path, dll))
    return problems


# --- PyInstaller's archive inside the exe (format of PyInstaller 6: PyInstaller/archive/readers.py) ---
COOKIE_MAGIC = b"MEI\014\013\012\013\016"
COOKIE = struct.Struct("!8sIIII64s")     # magic, archive length, TOC offset, TOC length, python version, python dll
TOC_ENTRY = struct.Struct("!IIIIBc")     # entry length, offset, stored length, length, compressed, type; name follows


def read_carchive(path: str) -> Tuple[List[Tuple[str, str]], Dict[str, int]]:
    """(entries [(typecode, name)], PYZ module names -> type) of a PyInstaller executable."""
    with open(path, "rb") as f:
        data = f.read()
    at = data.rfind(COOKIE_MAGIC)
    if at < 0:
        raise ValueError("%s: no PyInstaller archive" % path)
    _magic, length, toc_offset, toc_length, _pyver, _pylib = COOKIE.unpack_from(data, at)
    start = at + COOKIE.size - length
    toc = data[start + toc_offset:start + toc_offset + toc_length]
    entries = []
    modules: Dict[str, int] = {}
    pos = 0
    while pos < len(toc):
        size, offset, stored, _full, _flag, typecode = TOC_ENTRY.unpack_from(toc, pos)
        name = toc[pos + TOC_ENTRY.size:pos + size].rstrip(b"\0").decode("utf-8")
        pos += size
        kind = typecode.decode("ascii")
        entries.append((kind, name))
        if kind == "z":
            modules.update(read_pyz(data[start + offset:start + offset + stored]))
    return entries, modules


def read_pyz(blob: bytes) -> Dict[str, int]:
    if blob[:4] != b"PYZ\0":
        raise ValueError("not a PYZ archive")
    (toc_offset,) = struct.unpack("!i", blob[8:12])
    toc = marshal.loads(blob[toc_offset:])
    items = toc.items() if isinstance(toc, dict) else toc
    return {name: int(info[0]) for name, info in items}


def check_archive(rules: Rules, entries: List[Tuple[str, str]], modules: Iterable[str], program: str) -> List[str]:
    problems = []
    for kind, name in entries:
        if kind == "s" and not any(rx.match(name) for rx in rules.scripts):
            problems.append("%s: runs script %r at start, not on the @script list" % (program, name))
    for module in modules:
        for prefix, why in rules.no_module:
            if module == prefix or module.startswith(prefix + "."):
                problems.append("%s: carries module %s: %s" % (program, module, why))
    return problems


def check_bundle(bundle: str, rules: Rules, system_dir: Optional[str] = None) -> List[str]:
    system = None
    if system_dir:
        system = {n.lower() for n in os.listdir(system_dir) if n.lower().endswith(".dll")}
    files = files_of(bundle)
    problems = check_files(rules, files, system)
    if system is not None:
        problems += check_imports(bundle, files, system, rules)
    for program in PROGRAMS:
        if program not in files:
            problems.append("%s: missing" % program)
            continue
        entries, modules = read_carchive(os.path.join(bundle, program))
        problems += check_archive(rules, entries, modules, program)
    return problems


def main(argv: Optional[List[str]] = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("bundle")
    p.add_argument("--system-dir", help="a Windows System32 folder (e.g. a wine prefix's) to find shadowing DLLs")
    p.add_argument("--contents", default=CONTENTS)
    args = p.parse_args(argv)
    problems = check_bundle(args.bundle, Rules.load(args.contents), args.system_dir)
    for line in problems:
        print("bundle check: " + line, file=sys.stderr)
    if problems:
        print("bundle check: %d problem(s) in %s" % (len(problems), args.bundle), file=sys.stderr)
        return 1
    print("bundle check: %d files in %s, all allowed" % (len(files_of(args.bundle)), args.bundle))
    return 0


if __name__ == "__main__":
    sys.exit(main())
