"""Lärtrappan on the command line: ``python -m staircase [--db URL] [--lang sv|en] COMMAND``.

Commands:
  demo                                         load the demo data into an empty database
  export [--unit PATH] [--no-subtree] [--excel] FILE
                                               export snapshots as CSV (FILE "-" = stdout)
  import FILE                                  import a CSV file (FILE "-" = stdin)
  units                                        list the units: id and path (for --unit, ?unit=)
  summary [--unit PATH] [--at DATE] [--stale-months N] [--format table|json|csv]
                                               the roll-up of a unit and every unit under it
  report [--unit PATH] [--from DATE] [--to DATE] --format pdf|xlsx|html FILE
                                               the management report of a unit and all under it
  handbook --unit PATH --format pdf|docx FILE  a unit's own handbook (Vår handbok), PDF or Word
  targets set --unit PATH --step N --due DATE  set a unit's target (and for every unit under it)
  targets clear --unit PATH                    remove a unit's own target
  targets list [--unit PATH]                   the units under a unit against their targets
  rounds open --unit PATH --name NAME --start DATE --due DATE
                                               ask every unit under a unit to follow up
  rounds list [--unit PATH] | show ID | close ID
                                               the rounds; one's completion; close (freeze) it
  assessments export [--unit PATH] [--excel] FILE | import FILE
                                               current-state assessments ("Nuläge") as CSV
  backup [--force] FILE                        copy the SQLite database to FILE, online
  restore [--force] FILE                       replace the database by the backup FILE
                                               (stop the app first)
  plan export [--unit PATH] [--no-subtree] [--excel] FILE
                                               export the improvement plan as CSV
  plan import FILE                             set owners, due dates and next actions
                                               from a plan CSV (all or nothing)
  users grant EMAIL ROLE [--unit PATH]         give a role (admin: on the whole database)
  users revoke EMAIL ROLE [--unit PATH]        take it away again
  users list                                   every role granted, by email
  audit export FILE                            the audit trail as CSV (FILE "-" = stdout)
  audit prune [--keep-days N]                  remove audit records older than N days
                                               (default STAIRCASE_AUDIT_KEEP_DAYS; unset: keep)
  person export EMAIL [--name NAME]...         everything stored about a person, as JSON
  person erase EMAIL [--name NAME]...          replace their name and email by a pseudonym

Exit codes:
  0  success
  1  the input was rejected: a bad CSV file (every problem is printed, nothing is
     changed), an unknown unit, demo data into a database that is not empty, a backup
     file that is not a sound Lärtrappan database, a file or database in the way
     without --force
  2  usage error (unknown command or option; printed by argparse); backup or restore
     of a database that is not SQLite (use pg_dump)
  3  a file (or the database) could not be found, read or written, or the database
     was made by a newer version of the app
"""

from __future__ import annotations

import argparse
import contextlib
import getpass
import os
import sqlite3
import sys
from collections.abc import Callable, Iterator, Sequence
from datetime import date
from pathlib import Path
from typing import BinaryIO

from staircase import settings
from staircase.csv import checks as csvchecks
from staircase.csv.format import CsvVariant
from staircase.domain.model import DEFAULT_LANG, LANGS, Lang, ValidationError
from staircase.domain.moments import now
from staircase.domain.rollup import STALE_MONTHS
from staircase.domain.units import UnitTree
from staircase.i18n import problem_text, t
from staircase.reports.pdf import PdfError
from staircase.services import Actor, Lartrappan
from staircase.services import handbook as handbooks
from staircase.services.reports import FORMATS, render
from staircase.storage import backup
from staircase.storage.migrations import SchemaTooNewError
from staircase.views import summary

EXIT_OK = 0
EXIT_REJECTED = 1
EXIT_USAGE = 2
EXIT_FILE = 3
STDIO = "-"


class _CliError(Exception):
    """A message for stderr and the exit code to end with."""

    def __init__(self, message: str, code: int) -> None:
        super().__init__(message)
        self.code = code


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; return the exit code (see the module docstring)."""
    args_list = list(sys.argv[1:] if argv is None else argv)
    lang = _peek_lang(args_list)
    parser = build_parser(lang)
    try:
        args = parser.parse_args(args_list)
    except SystemExit as exc:  # --help (0) or a usage error (2): argparse has printed it
        return exc.code if isinstance(exc.code, int) else EXIT_USAGE
    lang = args.lang
    if args.command is None:
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    try:
        # a missing file must not create an empty database
        if args.command == "import" or "import" in (
            getattr(args, "plan_action", None),
            getattr(args, "action", None),
        ):
            args.data = _read_input(args.file, lang)
        if args.command in _FILE_COMMANDS:  # work on the file itself, without a Store
            return int(args.run(args.db or settings.current().database_url, args, lang))
        with _open_store(args.db or settings.current().database_url, lang) as app:
            return int(args.run(app, args, lang))
    except ValidationError as exc:
        for problem in exc.problems:
            _err(problem_text(problem, lang))
        return EXIT_REJECTED
    except _CliError as exc:
        _err(str(exc))
        return exc.code


# ---------------------------------------------------------------------------- the parser


def _peek_lang(argv: Sequence[str]) -> Lang:
    """The --lang given anywhere on the line, so that even --help speaks it."""
    peek = argparse.ArgumentParser(add_help=False)
    peek.add_argument("--lang")
    known, _ = peek.parse_known_args(argv)
    return known.lang if known.lang in LANGS else DEFAULT_LANG


def build_parser(lang: Lang = DEFAULT_LANG) -> argparse.ArgumentParser:
    def common(defaults: bool) -> argparse.ArgumentParser:
        """--db and --lang, accepted before and after the command."""
        p = argparse.ArgumentParser(add_help=False)
        p.add_argument(
            "--db",
            metavar="URL",
            default=None if defaults else argparse.SUPPRESS,
            help=t("cli.help.db", lang),
        )
        p.add_argument(
            "--lang",
            choices=LANGS,
            default=DEFAULT_LANG if defaults else argparse.SUPPRESS,
            help=t("cli.help.lang", lang),
        )
        return p

    def with_help(p: argparse.ArgumentParser) -> argparse.ArgumentParser:
        p.add_argument("-h", "--help", action="help", help=t("cli.help.help", lang))
        return p

    parser = with_help(
        argparse.ArgumentParser(
            prog="python -m staircase",
            description=t("cli.description", lang),
            epilog=t("cli.epilog", lang),
            formatter_class=argparse.RawDescriptionHelpFormatter,
            parents=[common(defaults=True)],
            add_help=False,
        )
    )
    parser.set_defaults(command=None)
    commands = parser.add_subparsers(
        title=t("cli.commands", lang), metavar="COMMAND", dest="command"
    )

    def command(name: str, run: Callable[..., int]) -> argparse.ArgumentParser:
        p = commands.add_parser(
            name,
            help=t(f"cli.{name}.help", lang),
            description=t(f"cli.{name}.description", lang),
            epilog=t("cli.epilog", lang),
            formatter_class=argparse.RawDescriptionHelpFormatter,
            parents=[common(defaults=False)],
            add_help=False,
        )
        p.set_defaults(run=run)
        return with_help(p)

    command("demo", _demo)
    export = command("export", _export)
    export.add_argument("--unit", metavar="PATH", help=t("cli.export.unit", lang))
    export.add_argument("--no-subtree", action="store_true", help=t("cli.export.no_subtree", lang))
    export.add_argument("--excel", action="store_true", help=t("cli.export.excel", lang))
    export.add_argument("file", metavar="FILE", help=t("cli.export.file", lang))
    imp = command("import", _import)
    imp.add_argument("file", metavar="FILE", help=t("cli.import.file", lang))
    command("units", _units)
    summary = command("summary", _summary)
    summary.add_argument("--unit", metavar="PATH", help=t("cli.summary.unit", lang))
    summary.add_argument("--at", metavar="DATE", help=t("cli.summary.at", lang))
    summary.add_argument(
        "--stale-months",
        metavar="N",
        type=int,
        default=STALE_MONTHS,
        help=t("cli.summary.stale_months", lang),
    )
    summary.add_argument(
        "--format",
        choices=("table", "json", "csv"),
        default="table",
        help=t("cli.summary.format", lang),
    )

    def actions(
        p: argparse.ArgumentParser, names: Sequence[str]
    ) -> dict[str, argparse.ArgumentParser]:
        """`COMMAND ACTION`: one sub-parser per action, with --db and --lang after it too."""
        subs = p.add_subparsers(title=t("cli.actions", lang), metavar="ACTION", dest="action")
        made = {}
        for name in names:
            key = f"cli.{p.prog.split()[-1]}.{name}"
            made[name] = with_help(
                subs.add_parser(
                    name,
                    help=t(f"{key}.help", lang),
                    parents=[common(defaults=False)],
                    add_help=False,
                )
            )
        return made

    report = command("report", _report)
    report.add_argument("--unit", metavar="PATH", help=t("cli.report.unit", lang))
    report.add_argument("--from", dest="start", metavar="DATE", help=t("cli.report.from", lang))
    report.add_argument("--to", dest="end", metavar="DATE", help=t("cli.report.to", lang))
    report.add_argument(
        "--format", choices=FORMATS, required=True, help=t("cli.report.format", lang)
    )
    report.add_argument("file", metavar="FILE", help=t("cli.report.file", lang))
    handbook = command("handbook", _handbook)
    handbook.add_argument(
        "--unit", metavar="PATH", required=True, help=t("cli.handbook.unit", lang)
    )
    handbook.add_argument(
        "--format", choices=handbooks.FORMATS, required=True, help=t("cli.handbook.format", lang)
    )
    handbook.add_argument("file", metavar="FILE", help=t("cli.handbook.file", lang))
    targets = actions(command("targets", _targets), ("set", "clear", "list"))
    for name in ("set", "clear", "list"):
        required = name != "list"
        targets[name].add_argument(
            "--unit", metavar="PATH", required=required, help=t("cli.targets.unit", lang)
        )
    targets["set"].add_argument(
        "--step", type=int, required=True, metavar="N", help=t("cli.targets.step", lang)
    )
    targets["set"].add_argument(
        "--due", required=True, metavar="DATE", help=t("cli.targets.due", lang)
    )
    rounds = actions(command("rounds", _rounds), ("open", "list", "show", "close"))
    rounds["open"].add_argument(
        "--unit", metavar="PATH", required=True, help=t("cli.rounds.unit", lang)
    )
    rounds["open"].add_argument("--name", required=True, help=t("cli.rounds.name", lang))
    rounds["open"].add_argument(
        "--start", metavar="DATE", required=True, help=t("cli.rounds.start", lang)
    )
    rounds["open"].add_argument(
        "--due", metavar="DATE", required=True, help=t("cli.rounds.due", lang)
    )
    rounds["list"].add_argument("--unit", metavar="PATH", help=t("cli.rounds.unit", lang))
    for name in ("show", "close"):
        rounds[name].add_argument("id", type=int, metavar="ID", help=t("cli.rounds.id", lang))
    plan = command("plan", _plan)
    plan_actions = plan.add_subparsers(
        title=t("cli.plan.actions", lang), metavar="ACTION", dest="plan_action", required=True
    )

    def plan_action(name: str) -> argparse.ArgumentParser:
        p = plan_actions.add_parser(
            name,
            help=t(f"cli.plan.{name}.help", lang),
            description=t(f"cli.plan.{name}.description", lang),
            epilog=t("cli.epilog", lang),
            formatter_class=argparse.RawDescriptionHelpFormatter,
            parents=[common(defaults=False)],
            add_help=False,
        )
        return with_help(p)

    plan_export = plan_action("export")
    plan_export.add_argument("--unit", metavar="PATH", help=t("cli.export.unit", lang))
    plan_export.add_argument(
        "--no-subtree", action="store_true", help=t("cli.export.no_subtree", lang)
    )
    plan_export.add_argument("--excel", action="store_true", help=t("cli.export.excel", lang))
    plan_export.add_argument("file", metavar="FILE", help=t("cli.export.file", lang))
    plan_action("import").add_argument("file", metavar="FILE", help=t("cli.import.file", lang))
    assessments = actions(command("assessments", _assessments), ("export", "import"))
    assessments["export"].add_argument(
        "--unit", metavar="PATH", help=t("cli.assessments.unit", lang)
    )
    assessments["export"].add_argument(
        "--excel", action="store_true", help=t("cli.export.excel", lang)
    )
    for name in ("export", "import"):
        assessments[name].add_argument("file", metavar="FILE", help=t("cli.assessments.file", lang))
    users = actions(command("users", _usage), ("grant", "revoke", "list"))
    for name, act in (("grant", _users_grant), ("revoke", _users_revoke)):
        users[name].set_defaults(run=act)
        users[name].add_argument("email", metavar="EMAIL", help=t("cli.users.email", lang))
        users[name].add_argument("role", metavar="ROLE", help=t("cli.users.role", lang))
        users[name].add_argument("--unit", metavar="PATH", help=t("cli.users.unit", lang))
    users["list"].set_defaults(run=_users_list)
    audit = actions(command("audit", _usage), ("export", "prune"))
    audit["export"].set_defaults(run=_audit_export)
    audit["export"].add_argument("file", metavar="FILE", help=t("cli.export.file", lang))
    audit["prune"].set_defaults(run=_audit_prune)
    audit["prune"].add_argument(
        "--keep-days", metavar="N", type=int, default=None, help=t("cli.audit.keep_days", lang)
    )
    person = actions(command("person", _usage), ("export", "erase"))
    for name, act in (("export", _person_export), ("erase", _person_erase)):
        person[name].set_defaults(run=act)
        person[name].add_argument("email", metavar="EMAIL", help=t("cli.users.email", lang))
        person[name].add_argument(
            "--name", metavar="NAME", action="append", default=[], help=t("cli.person.name", lang)
        )
    for name, run in _FILE_COMMANDS.items():  # these get the URL instead of a Store
        p = command(name, run)
        p.add_argument("--force", action="store_true", help=t(f"cli.{name}.force", lang))
        p.add_argument("file", metavar="FILE", help=t(f"cli.{name}.file", lang))
    return parser


# ---------------------------------------------------------------------------- the commands


def _demo(app: Lartrappan, args: argparse.Namespace, lang: Lang) -> int:
    from staircase.services.demo import load_demo

    summary = load_demo(app)
    _out(t("cli.demo.done", lang, units=summary.units, snapshots=summary.snapshots))
    return EXIT_OK


def _find_unit(tree: UnitTree, raw: str, lang: Lang) -> int:
    """The unit a --unit PATH names ("Norrby kommun > Skola"), or a rejection."""
    path = [name.strip() for name in raw.split(">")]
    found = tree.find(path) if all(path) else None
    if found is None:
        raise _CliError(t("cli.unit_unknown", lang, unit=raw), EXIT_REJECTED)
    return found


def _export(app: Lartrappan, args: argparse.Namespace, lang: Lang) -> int:
    unit_ids = _export_scope(app, args, lang)
    variant = CsvVariant.EXCEL_SV if args.excel else CsvVariant.PLAIN
    return _write_output(
        args.file, lambda out: app.transfer.write_csv(out, unit_ids, variant, lang), lang
    )


def _export_scope(app: Lartrappan, args: argparse.Namespace, lang: Lang) -> list[int] | None:
    """The units --unit and --no-subtree name (None: every unit)."""
    if args.unit is None:
        return None
    tree = app.units.tree()
    found = _find_unit(tree, args.unit, lang)
    return tree.export_scope(found, "unit" if args.no_subtree else "subtree")


def _write_output(file: str, write: Callable[[BinaryIO], int], lang: Lang) -> int:
    """Write a CSV to FILE (whole or not at all: through a .part file) or to stdout ("-")."""
    if file == STDIO:
        sys.stdout.flush()
        out = sys.stdout.buffer
        rows = write(out)
        out.flush()
        _err(t("cli.export.done_stdout", lang, rows=rows))
        return EXIT_OK
    rows = _write_file(file, write, lang)
    _out(t("cli.export.done", lang, rows=rows, file=file))
    return EXIT_OK


def _write_file(file: str, write: Callable[[BinaryIO], int], lang: Lang) -> int:
    """Write FILE whole or not at all: through FILE.part, renamed when done; whatever goes
    wrong, no half-written file is left behind. Returns what `write` returns."""
    target = Path(file)
    partial = target.with_name(target.name + ".part")
    try:
        try:
            with partial.open("wb") as fh:
                done = write(fh)
            os.replace(partial, target)
        except OSError as exc:
            raise _CliError(_file_error(file, exc, lang), EXIT_FILE) from None
    finally:
        with contextlib.suppress(OSError):
            partial.unlink(missing_ok=True)
    return done


def _import(app: Lartrappan, args: argparse.Namespace, lang: Lang) -> int:
    try:
        result = app.transfer.import_csv(_actor(), args.data)
    except ValidationError as exc:
        _err(t("cli.import.rejected", lang, file=args.file, count=len(exc.problems)))
        raise
    _out(
        t(
            "cli.import.done",
            lang,
            units=result.units_created,
            snapshots=result.snapshots_created,
            skipped=result.snapshots_skipped,
            practices=result.practices_created,
        )
    )
    return EXIT_OK


def _plan(app: Lartrappan, args: argparse.Namespace, lang: Lang) -> int:
    if args.plan_action == "export":
        unit_ids = _export_scope(app, args, lang)
        variant = CsvVariant.EXCEL_SV if args.excel else CsvVariant.PLAIN
        return _write_output(
            args.file, lambda out: app.plans.write_csv(out, unit_ids, variant, lang), lang
        )
    try:
        result = app.plans.import_csv(_actor(), args.data)
    except ValidationError as exc:
        _err(t("cli.import.rejected", lang, file=args.file, count=len(exc.problems)))
        raise
    _out(t("cli.plan.import.done", lang, changed=result.changed, unchanged=result.unchanged))
    return EXIT_OK


def _units(app: Lartrappan, args: argparse.Namespace, lang: Lang) -> int:
    tree = app.units.tree()
    units = tree.ordered(include_archived=True)
    if not units:
        _err(t("cli.units.none", lang))
    marker = t("cli.units.archived", lang)
    width = len(str(max(u.id for u in units))) if units else 0
    for u in units:
        label = f"{u.id:>{width}}  {tree.label(u.id)}"
        _out(f"{label} {marker}" if u.archived else label)
    return EXIT_OK


def _summary(app: Lartrappan, args: argparse.Namespace, lang: Lang) -> int:
    tree = app.units.tree()
    if args.unit is not None:
        unit_id = _find_unit(tree, args.unit, lang)
        if any(tree.units[u].archived for u in tree.lineage(unit_id)):
            raise _CliError(t("cli.summary.archived", lang, unit=args.unit), EXIT_REJECTED)
    else:
        roots = tree.roots()
        if len(roots) != 1:  # none, or several organisations: which one is not ours to guess
            raise _CliError(t("cli.summary.which_unit", lang, count=len(roots)), EXIT_REJECTED)
        unit_id = roots[0].id
    at = _day(args.at, lang) if args.at is not None else None
    if args.stale_months < 1 or args.stale_months > 1200:
        raise _CliError(t("cli.summary.bad_months", lang, value=args.stale_months), EXIT_REJECTED)
    rounds = [
        app.rounds.status(tree, r.id, at) for r in app.rounds.of_unit(tree, unit_id) if r.is_open
    ]
    data = summary.summary(
        app.rollup.of_unit(tree, unit_id, at),
        tree,
        lang,
        args.stale_months,
        app.targets.progress(tree, unit_id, at),
        rounds,
        (app.assessments.model, app.assessments.distribution(tree, unit_id, at)),
    )
    if args.format == "json":
        _out(summary.as_json(data))
    elif args.format == "csv":
        sys.stdout.write(summary.as_csv(data))
    else:
        sys.stdout.write(summary.as_table(data, lang))
    return EXIT_OK


def _report(app: Lartrappan, args: argparse.Namespace, lang: Lang) -> int:
    tree = app.units.tree()
    unit_id = _active_unit(tree, args.unit, lang) if args.unit else _only_root(tree, lang)
    start = _any_day(args.start, "--from", lang) if args.start else None
    end = _any_day(args.end, "--to", lang) if args.end else None
    content = app.reports.build(tree, unit_id, start, end, lang, _actor().label)

    def write(fh: BinaryIO) -> int:
        try:
            render(content, args.format, fh)
        except PdfError as exc:
            raise _CliError(t("report.ui.pdf_failed", lang, reason=str(exc)), EXIT_FILE) from None
        return 0

    _write_file(args.file, write, lang)
    _out(
        t(
            "cli.report.done",
            lang,
            file=args.file,
            unit=content.unit,
            start=content.period_from.isoformat(),
            end=content.period_to.isoformat(),
        )
    )
    return EXIT_OK


def _handbook(app: Lartrappan, args: argparse.Namespace, lang: Lang) -> int:
    tree = app.units.tree()
    unit_id = _active_unit(tree, args.unit, lang)
    content = app.handbook.document(tree, unit_id, lang, _actor().label)

    def write(fh: BinaryIO) -> int:
        try:
            handbooks.render(content, args.format, fh)
        except PdfError as exc:
            raise _CliError(t("report.ui.pdf_failed", lang, reason=str(exc)), EXIT_FILE) from None
        return 0

    _write_file(args.file, write, lang)
    _out(t("cli.handbook.done", lang, unit=content.unit, file=args.file))
    return EXIT_OK


def _targets(app: Lartrappan, args: argparse.Namespace, lang: Lang) -> int:
    if args.action is None:
        raise _CliError(t("cli.action_missing", lang, command="targets"), EXIT_USAGE)
    tree = app.units.tree()
    if args.action == "set":
        unit_id = _active_unit(tree, args.unit, lang)
        due = _any_day(args.due, "--due", lang)
        target = app.targets.set(_actor(), unit_id, args.step, due)
        _out(t("cli.targets.set_done", lang, unit=args.unit, step=target.step, due=due.isoformat()))
    elif args.action == "clear":
        app.targets.clear(_actor(), _active_unit(tree, args.unit, lang))
        _out(t("cli.targets.clear_done", lang, unit=args.unit))
    else:
        unit_id = _active_unit(tree, args.unit, lang) if args.unit else _only_root(tree, lang)
        progress = app.targets.progress(tree, unit_id)
        if progress.table.empty:
            _err(t("cli.targets.none", lang))
        for r in progress.table.itertuples(index=False):
            _out(
                "\t".join(
                    (
                        tree.label(int(r.unit_id)),
                        t(
                            "target.line",
                            lang,
                            step=int(r.target_step),
                            due=r.target_due.isoformat(),
                        ),
                        t("cli.targets.now", lang, step=int(r.step_reached)),
                        t(f"target.state.{r.state}", lang),
                    )
                )
            )
    return EXIT_OK


def _rounds(app: Lartrappan, args: argparse.Namespace, lang: Lang) -> int:
    if args.action is None:
        raise _CliError(t("cli.action_missing", lang, command="rounds"), EXIT_USAGE)
    tree = app.units.tree()
    if args.action == "open":
        unit_id = _active_unit(tree, args.unit, lang)
        starts = _any_day(args.start, "--start", lang)
        due = _any_day(args.due, "--due", lang)
        rnd = app.rounds.open(_actor(), unit_id, args.name, starts, due)
        _out(t("cli.rounds.opened", lang, id=rnd.id, name=rnd.name))
    elif args.action == "list":
        unit_id = _active_unit(tree, args.unit, lang) if args.unit else _only_root(tree, lang)
        found = app.rounds.of_unit(tree, unit_id)
        if not found:
            _err(t("round.none", lang))
        for rnd in found:
            state = t("round.open_state", lang) if rnd.is_open else t("round.closed_short", lang)
            window = f"{rnd.starts} – {rnd.due}"
            _out("\t".join((str(rnd.id), rnd.name, tree.label(rnd.unit_id), window, state)))
    else:
        if args.action == "close":
            status = app.rounds.close(_actor(), tree, args.id)
            _out(t("round.closed_done", lang, name=status.round.name))
        else:
            status = app.rounds.status(tree, args.id)
        _out(
            t(
                "round.completion",
                lang,
                answered=status.answered,
                expected=len(status.expected),
                share=_share(status.share),
            )
        )
        for r in status.missing.itertuples(index=False):
            label = tree.label(int(r.unit_id)) if int(r.unit_id) in tree.units else str(r.unit_id)
            _out(t("cli.rounds.missing", lang, unit=label, who=r.last_saved_by or "–"))
    return EXIT_OK


def _assessments(app: Lartrappan, args: argparse.Namespace, lang: Lang) -> int:
    if args.action is None:
        raise _CliError(t("cli.action_missing", lang, command="assessments"), EXIT_USAGE)
    if args.action == "import":
        try:
            result = app.assessments.import_csv(_actor(), args.data)
        except ValidationError as exc:
            _err(t("cli.import.rejected", lang, file=args.file, count=len(exc.problems)))
            raise
        _out(
            t(
                "cli.assessments.imported",
                lang,
                units=result.units_created,
                assessments=result.assessments_created,
                skipped=result.assessments_skipped,
            )
        )
        return EXIT_OK
    unit_ids: list[int] | None = None
    if args.unit is not None:
        tree = app.units.tree()
        unit_ids = tree.export_scope(_find_unit(tree, args.unit, lang), "subtree")
    variant = CsvVariant.EXCEL_SV if args.excel else CsvVariant.PLAIN
    if args.file == STDIO:
        sys.stdout.flush()
        rows = app.assessments.write_csv(sys.stdout.buffer, unit_ids, variant, lang)
        sys.stdout.buffer.flush()
        _err(t("cli.assessments.exported_stdout", lang, rows=rows))
        return EXIT_OK
    rows = _write_file(
        args.file, lambda fh: app.assessments.write_csv(fh, unit_ids, variant, lang), lang
    )
    _out(t("cli.assessments.exported", lang, rows=rows, file=args.file))
    return EXIT_OK


def _share(value: float | None) -> str:
    return "–" if value is None else f"{value * 100:.0f} %"


def _active_unit(tree: UnitTree, raw: str, lang: Lang) -> int:
    unit_id = _find_unit(tree, raw, lang)
    if any(tree.units[u].archived for u in tree.lineage(unit_id)):
        raise _CliError(t("cli.unit_archived", lang, unit=raw), EXIT_REJECTED)
    return unit_id


def _only_root(tree: UnitTree, lang: Lang) -> int:
    roots = tree.roots()
    if len(roots) != 1:
        raise _CliError(t("cli.summary.which_unit", lang, count=len(roots)), EXIT_REJECTED)
    return roots[0].id


def _any_day(raw: str, option: str, lang: Lang) -> date:
    """A DATE option: YYYY-MM-DD, a real day (whether it may be past is the core's rule)."""
    try:
        return date.fromisoformat(raw.strip())
    except ValueError:
        raise _CliError(t("cli.bad_date", lang, option=option, value=raw), EXIT_REJECTED) from None


def _usage(app: Lartrappan, args: argparse.Namespace, lang: Lang) -> int:
    """A group (users, audit, person) without its action: a usage error."""
    _err(t("cli.action_missing", lang, command=args.command))
    return EXIT_USAGE


def _grant_unit(app: Lartrappan, args: argparse.Namespace, lang: Lang) -> int | None:
    return _find_unit(app.units.tree(), args.unit, lang) if args.unit is not None else None


def _users_grant(app: Lartrappan, args: argparse.Namespace, lang: Lang) -> int:
    grant = app.people.grant(_actor(), args.email, args.role, _grant_unit(app, args, lang))
    where = args.unit if args.unit is not None else t("cli.users.everywhere", lang)
    _out(
        t("cli.users.granted", lang, email=args.email.strip().lower(), role=grant.role, unit=where)
    )
    return EXIT_OK


def _users_revoke(app: Lartrappan, args: argparse.Namespace, lang: Lang) -> int:
    app.people.revoke(_actor(), args.email, args.role, _grant_unit(app, args, lang))
    where = args.unit if args.unit is not None else t("cli.users.everywhere", lang)
    _out(t("cli.users.revoked", lang, email=args.email.strip().lower(), role=args.role, unit=where))
    return EXIT_OK


def _users_list(app: Lartrappan, args: argparse.Namespace, lang: Lang) -> int:
    tree = app.units.tree()
    grants = app.people.grants()
    if not grants:
        _err(t("cli.users.none", lang))
    for g in grants:
        where = (
            tree.label(g.unit_id)
            if g.unit_id is not None and g.unit_id in tree.units
            else t("cli.users.everywhere", lang)
        )
        _out(f"{g.email}\t{g.role.value}\t{where}")
    return EXIT_OK


def _audit_export(app: Lartrappan, args: argparse.Namespace, lang: Lang) -> int:
    data = app.audit.export_csv()
    if args.file == STDIO:
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return EXIT_OK
    try:
        Path(args.file).write_bytes(data)
    except OSError as exc:
        raise _CliError(_file_error(args.file, exc, lang), EXIT_FILE) from None
    _out(t("cli.audit.exported", lang, file=args.file))
    return EXIT_OK


def _audit_prune(app: Lartrappan, args: argparse.Namespace, lang: Lang) -> int:
    keep = args.keep_days if args.keep_days is not None else settings.current().audit_keep_days
    if keep is None:
        _out(t("cli.audit.keep_all", lang))
        return EXIT_OK
    removed = app.audit.prune(_actor(), keep)
    _out(t("cli.audit.pruned", lang, count=removed, days=keep))
    return EXIT_OK


def _person_export(app: Lartrappan, args: argparse.Namespace, lang: Lang) -> int:
    import json

    extract = app.people.extract(None, args.email, args.name)
    _out(json.dumps(extract, ensure_ascii=False, indent=2, sort_keys=True))
    return EXIT_OK


def _person_erase(app: Lartrappan, args: argparse.Namespace, lang: Lang) -> int:
    pseudonym = app.people.erase(_actor(), args.email, args.name)
    _out(t("cli.person.erased", lang, email=args.email.strip().lower(), pseudonym=pseudonym))
    return EXIT_OK


def _with_parents(tree: UnitTree, unit_id: int) -> list[int]:
    chain = [unit_id]
    while (parent := tree.units[chain[-1]].parent_id) is not None:
        chain.append(parent)
    return chain


def _day(raw: str, lang: Lang) -> date:
    """A --at DATE: YYYY-MM-DD, a real day, not in the future."""
    try:
        day = date.fromisoformat(raw.strip())
    except ValueError:
        raise _CliError(t("cli.summary.bad_date", lang, value=raw), EXIT_REJECTED) from None
    if day > now().date():
        raise _CliError(t("cli.summary.future_date", lang, value=raw), EXIT_REJECTED)
    return day


def _backup(url: str, args: argparse.Namespace, lang: Lang) -> int:
    target = Path(args.file)
    with _backup_errors(url, args.file, lang):
        summary = backup.backup(url, target, force=args.force)
    _out(
        t(
            "cli.backup.done",
            lang,
            file=args.file,
            units=summary.units,
            snapshots=summary.snapshots,
        )
    )
    return EXIT_OK


def _restore(url: str, args: argparse.Namespace, lang: Lang) -> int:
    with _backup_errors(url, args.file, lang):
        summary = backup.restore(Path(args.file), url, force=args.force)
    _out(
        t(
            "cli.restore.done",
            lang,
            file=args.file,
            url=_safe_url(url),
            units=summary.units,
            snapshots=summary.snapshots,
        )
    )
    return EXIT_OK


_FILE_COMMANDS: dict[str, Callable[[str, argparse.Namespace, Lang], int]] = {
    "backup": _backup,
    "restore": _restore,
}


@contextlib.contextmanager
def _backup_errors(url: str, file: str, lang: Lang) -> Iterator[None]:
    """Backup and restore failures as messages with their exit codes."""
    try:
        yield
    except backup.NotSqliteError as exc:
        raise _CliError(
            t("cli.backup.not_sqlite", lang, url=_safe_url(url), backend=exc.backend), EXIT_USAGE
        ) from None
    except backup.DatabaseMissingError as exc:
        raise _CliError(t("cli.db_not_found", lang, file=exc.filename), EXIT_FILE) from None
    except FileNotFoundError:
        raise _CliError(t("cli.file_not_found", lang, file=file), EXIT_FILE) from None
    except OSError as exc:
        raise _CliError(_file_error(file, exc, lang), EXIT_FILE) from None
    except sqlite3.Error as exc:  # locked for longer than the busy timeout, disk full, ...
        raise _CliError(t("cli.backup.failed", lang, reason=_reason(exc)), EXIT_FILE) from None


# ---------------------------------------------------------------------------- helpers


def _read_input(name: str, lang: Lang) -> bytes:
    """The whole file (or stdin), refusing one over the import limit before reading it all."""
    limit = csvchecks.MAX_IMPORT_BYTES
    try:
        if name == STDIO:
            data = sys.stdin.buffer.read(limit + 1)
            csvchecks.check_import_size(len(data))
            return data
        with open(name, "rb") as fh:
            csvchecks.check_import_size(os.fstat(fh.fileno()).st_size)
            data = fh.read(limit + 1)
    except OSError as exc:
        raise _CliError(_file_error(name, exc, lang), EXIT_FILE) from None
    csvchecks.check_import_size(len(data))
    return data


def _file_error(name: str, exc: OSError, lang: Lang) -> str:
    if isinstance(exc, FileNotFoundError):
        return t("cli.file_not_found", lang, file=name)
    return t("cli.file_error", lang, file=name, reason=exc.strerror or exc.__class__.__name__)


@contextlib.contextmanager
def _open_store(url: str, lang: Lang) -> Iterator[Lartrappan]:
    try:
        app = Lartrappan(url)
    except SchemaTooNewError as exc:
        raise _CliError(
            t("cli.db_too_new", lang, url=_safe_url(url), found=exc.found, known=exc.known),
            EXIT_FILE,
        ) from None
    except Exception as exc:  # a bad URL or an unreadable database
        raise _CliError(
            t("cli.db_error", lang, url=_safe_url(url), reason=_reason(exc)), EXIT_FILE
        ) from None
    try:
        yield app
    finally:
        app.close()


def _actor() -> Actor:
    """Who acts on the command line: the system user (the embedded mode has no login)."""
    try:
        return Actor(getpass.getuser()[:80])
    except (KeyError, OSError):  # no user name in the environment or the password database
        return Actor("")


def _safe_url(url: str) -> str:
    from sqlalchemy.engine import make_url

    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:
        return "?"


def _reason(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0][:200] if text else exc.__class__.__name__


def _out(text: str) -> None:
    print(text, file=sys.stdout)


def _err(text: str) -> None:
    print(text, file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
