"""The ``sop`` command for editors and CI (spec section 6): ``check``, ``new``, ``diff``.

A thin adapter over the core: it reads the plugin settings from ``mkdocs.yml``
(without MkDocs), calls ``load_manual``, ``compare`` and the skeleton, and writes
their results in the format asked for. Exit codes: 0 clean (``check``) or the
same (``diff``); 1 problems or differences; 2 the command could not run.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from . import change_report, check_cache, check_report, git_source
from .comparison import compare
from .diagnostics import Diagnostic
from .labels import labels_for
from .loading import load_bytes
from .manual import SOP_SUFFIX, Manual, load_manual
from .model import Sop
from .project_config import ConfigError, ProjectConfig, find_config, read_config
from .skeleton import NumberingError, next_number, skeleton, unit_sops

OK, PROBLEMS, CANNOT_RUN = 0, 1, 2


class CannotRun(Exception):
    """The command cannot do its job; the message says why (exit 2)."""


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help(sys.stderr)
        return CANNOT_RUN
    try:
        config = _config(args.config_file)
        return args.run(args, config)
    except (CannotRun, ConfigError, git_source.GitError) as exc:
        print(f"sop {args.command}: {exc}", file=sys.stderr)
        return CANNOT_RUN
    except BrokenPipeError:  # `sop check | head`
        return OK


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="sop", description="Check, create and compare SOP files of the manual.")
    parser.add_argument("-f", "--config-file", type=Path, help="the manual's mkdocs.yml (default: found from"
                        " the current folder upwards)")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    check = commands.add_parser("check", help="validate SOP files exactly as the build does",
                                description="Validate the manual (the sops_dir of mkdocs.yml) or the PATHs"
                                " given. Exit 0: no errors; 1: problems; 2: could not run.")
    check.add_argument("paths", nargs="*", type=Path, metavar="PATH", help="SOP files or folders")
    check.add_argument("--format", choices=check_report.FORMATS, default="text")
    check.add_argument("--strict", action="store_true", help="warnings count as problems (exit 1)")
    check.add_argument("--no-cache", action="store_true", help="re-read every file (by default files unchanged"
                       " since the last check are not parsed again; the cache is in ~/.cache/sop-manual)")
    check.set_defaults(run=run_check)

    new = commands.add_parser("new", help="write a new SOP skeleton that checks clean",
                              description="Write a valid SOP skeleton at PATH (never over an existing file).")
    new.add_argument("path", type=Path, metavar="PATH")
    new.add_argument("--judul", required=True, help="the SOP's title")
    new.add_argument("--unit", required=True, help="the unit: its name, or the hierarchy as 'A / B'")
    new.add_argument("--nomor", help="the SOP number (default: the next free number of the unit)")
    new.set_defaults(run=run_new)

    diff = commands.add_parser("diff", help="compare two versions of an SOP by structure",
                               description="Compare two SOP files (OLD NEW), or one file at git revisions"
                               " (PATH --from REV [--to REV]; --to defaults to the working tree)."
                               " Exit 0: the same; 1: different; 2: could not run.")
    diff.add_argument("files", nargs="+", type=Path, metavar="FILE", help="OLD NEW, or PATH with --from")
    diff.add_argument("--from", dest="from_rev", metavar="REV")
    diff.add_argument("--to", dest="to_rev", metavar="REV")
    diff.add_argument("--format", choices=change_report.FORMATS, default="text")
    diff.set_defaults(run=run_diff)
    return parser


def _config(config_file: Path | None) -> ProjectConfig:
    if config_file is not None and not config_file.is_file():
        raise CannotRun(f"{config_file}: no such file")
    return read_config(config_file or find_config(Path.cwd()))


def _shown(path: Path) -> str:
    """A path as messages show it: relative to the current folder when inside it (as CI annotations need)."""
    return Path(os.path.relpath(path.resolve(), Path.cwd().resolve())).as_posix()


def _today(config: ProjectConfig) -> dt.date:
    return config.today or dt.date.today()


# -- check ------------------------------------------------------------------------------


def run_check(args: argparse.Namespace, config: ProjectConfig) -> int:
    diagnostics, files = check_paths(config, args.paths, use_cache=not args.no_cache)
    sys.stdout.write(check_report.WRITERS[args.format](diagnostics))
    sys.stdout.flush()
    print(f"sop check: {check_report.summary(diagnostics, files)}", file=sys.stderr)
    failing = [d for d in diagnostics if d.is_error or args.strict]
    return PROBLEMS if failing else OK


def check_paths(config: ProjectConfig, paths: Sequence[Path], use_cache: bool = True) -> tuple[list[Diagnostic], int]:
    """Problems of the manual, or of the given files and folders, and how many SOP files were read.

    Paths inside the manual's SOP folder are checked within the whole manual (so that
    references and duplicate numbers are judged as the build judges them) and only their
    problems are reported; other folders are checked as manuals of their own, other files
    with their folder.
    """
    missing = [path for path in paths if not path.exists()]
    if missing:
        raise CannotRun(f"{', '.join(map(str, missing))}: no such file or folder")
    if not paths:
        if not config.sops_path.is_dir():
            where = f" (sops_dir of {config.file})" if config.file else " (no mkdocs.yml found; give PATHs)"
            raise CannotRun(f"the SOP folder {_shown(config.sops_path)} does not exist{where}")
        manual = _load(config, config.sops_path, use_cache)
        return manual.diagnostics, len(_files_of(manual, config.sops_path))
    roots: dict[Path, list[Path]] = {}
    for path in paths:
        absolute = path.resolve()
        inside = config.sops_path == absolute or config.sops_path in absolute.parents
        root = config.sops_path if inside else (absolute if absolute.is_dir() else absolute.parent)
        roots.setdefault(root, []).append(absolute)
    diagnostics: list[Diagnostic] = []
    files = 0
    for root, chosen in roots.items():
        manual = _load(config, root, use_cache)
        wanted = {_shown(path) for path in chosen}
        def selected(file: str) -> bool:
            return any(file == want or file.startswith(want.rstrip("/") + "/") or want == "." for want in wanted)
        diagnostics += [d for d in manual.diagnostics if selected(d.file)]
        files += sum(1 for file in _files_of(manual, root) if selected(file))
    return sorted(set(diagnostics), key=lambda d: (d.file, d.line, d.location, d.message)), files


def _load(config: ProjectConfig, root: Path, use_cache: bool = False) -> Manual:
    """The manual under ``root``; with ``use_cache``, files unchanged since the last check are not re-parsed."""
    shown = _shown(root)
    if not use_cache:
        return load_manual(root, "" if shown == "." else shown, _today(config))
    load_cache = check_cache.read(root)
    before = check_cache.fingerprint(load_cache)
    manual = load_manual(root, "" if shown == "." else shown, _today(config), cache=load_cache)
    check_cache.write(root, load_cache, before)
    return manual


def _files_of(manual: Manual, root: Path) -> set[str]:
    """The SOP files a check read, as messages show them: every SOP loaded, and every file with a problem
    (an unreadable SOP, a misnamed one)."""
    shown = _shown(root)
    prefix = "" if shown == "." else shown.rstrip("/") + "/"
    return {prefix + sop.source for sop in manual.sops} | {d.file for d in manual.diagnostics}


# -- new --------------------------------------------------------------------------------


def run_new(args: argparse.Namespace, config: ProjectConfig) -> int:
    path: Path = args.path
    if path.suffix != SOP_SUFFIX:
        raise CannotRun(f"{path}: an SOP file ends in '{SOP_SUFFIX}'")
    if path.name.startswith("_"):
        raise CannotRun(f"{path}: files whose name starts with '_' are not SOPs")
    if path.exists():
        raise CannotRun(f"{path} already exists; sop new never overwrites a file")
    root = config.sops_path if config.sops_path.is_dir() else path.resolve().parent
    manual = _load(config, root) if root.is_dir() else Manual()
    unit, members = unit_sops(manual, args.unit)
    if not unit:
        raise CannotRun("--unit is empty")
    taken = {sop.nomor for sop in manual.sops}
    nomor = args.nomor
    if nomor is None:
        try:
            if not members:
                raise NumberingError(f"the manual has no SOP of unit '{args.unit}' to learn its numbering from")
            nomor = next_number([sop.nomor for sop in members], taken)
        except NumberingError as exc:
            raise CannotRun(f"{exc}; give the number with --nomor") from None
    elif nomor in taken:
        owner = next(sop for sop in manual.sops if sop.nomor == nomor)
        raise CannotRun(f"nomor '{nomor}' is already the nomor of {_shown(root / owner.source)}")
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with path.open("x", encoding="utf-8") as file:  # "x": never over a file created meanwhile
            file.write(skeleton(nomor, args.judul, unit, dt.date.today()))
    except FileExistsError:
        raise CannotRun(f"{path} already exists; sop new never overwrites a file") from None
    print(f"{_shown(path)}: {nomor} \u00b7 {args.judul} \u00b7 {' / '.join(unit)}")
    return OK


# -- diff -------------------------------------------------------------------------------


def run_diff(args: argparse.Namespace, config: ProjectConfig) -> int:
    files: list[Path] = args.files
    if args.from_rev is None:
        if args.to_rev is not None:
            raise CannotRun("--to needs --from")
        if len(files) != 2:
            raise CannotRun("give two files (OLD NEW), or one file with --from REV")
        old_name, old_raw = _read(files[0])
        new_name, new_raw = _read(files[1])
        title = _shown(files[1])
    else:
        if len(files) != 1:
            raise CannotRun("with --from, give one file")
        path = files[0]
        # PATH names the file as the editor sees it (the working tree), or as it is at --to
        since = None if path.exists() or args.to_rev is None else args.to_rev
        old_name, old_raw = git_source.read_at(path, args.from_rev, since=since)
        if args.to_rev is None:
            new_name, new_raw = _read(path)
        else:
            new_name, new_raw = git_source.read_at(path, args.to_rev, since=since)
        title = _shown(path)
    old, new = _sop(old_raw, old_name), _sop(new_raw, new_name)
    changes = compare(old, new)
    labels = labels_for(config.language)
    writer = change_report.WRITERS[args.format]
    output = writer(changes, old, new, labels, title) if args.format == "markdown" else writer(changes, old, new, labels)
    sys.stdout.write(output)
    return PROBLEMS if changes else OK


def _read(path: Path) -> tuple[str, bytes]:
    try:
        return _shown(path), path.read_bytes()
    except OSError as exc:
        raise CannotRun(f"cannot read {path}: {exc.strerror}") from None


def _sop(raw: bytes, name: str) -> Sop:
    result = load_bytes(raw, name, name)
    if result.sop is None:
        problems = "; ".join(str(d) for d in result.diagnostics)
        raise CannotRun(f"cannot compare: {problems}")
    return result.sop
