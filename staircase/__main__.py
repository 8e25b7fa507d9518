"""Lärtrappan on the command line: ``python -m staircase [--db URL] [--lang sv|en] COMMAND``.

Commands:
  demo                                         load the demo data into an empty database
  export [--unit PATH] [--no-subtree] [--excel] FILE
                                               export snapshots as CSV (FILE "-" = stdout)
  import FILE                                  import a CSV file (FILE "-" = stdin)
  units                                        list the units: id and path (for --unit, ?unit=)
  summary [--unit PATH] [--at DATE] [--stale-months N] [--format table|json|csv]
                                               the roll-up of a unit and every unit under it
  backup [--force] FILE                        copy the SQLite database to FILE, online
  restore [--force] FILE                       replace the database by the backup FILE
                                               (stop the app first)
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

from staircase import settings
from staircase.csv import checks as csvchecks
from staircase.csv.format import CsvVariant
from staircase.domain.model import DEFAULT_LANG, LANGS, Lang, ValidationError
from staircase.domain.moments import now
from staircase.domain.rollup import STALE_MONTHS
from staircase.domain.units import UnitTree
from staircase.i18n import problem_text, t
from staircase.services import Actor, Lartrappan
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
        if args.command == "import":  # a missing file must not create an empty database
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
        parent: argparse.ArgumentParser, group: str
    ) -> Callable[..., argparse.ArgumentParser]:
        """`python -m staircase GROUP ACTION …`: one parser per action."""
        sub = parent.add_subparsers(title=t("cli.commands", lang), metavar="ACTION", dest="action")

        def action(name: str, run: Callable[..., int]) -> argparse.ArgumentParser:
            p = sub.add_parser(
                name,
                help=t(f"cli.{group}.{name}.help", lang),
                description=t(f"cli.{group}.{name}.help", lang),
                parents=[common(defaults=False)],
                add_help=False,
            )
            p.set_defaults(run=run)
            return with_help(p)

        return action

    users = actions(command("users", _usage), "users")
    for name, act in (("grant", _users_grant), ("revoke", _users_revoke)):
        p = users(name, act)
        p.add_argument("email", metavar="EMAIL", help=t("cli.users.email", lang))
        p.add_argument("role", metavar="ROLE", help=t("cli.users.role", lang))
        p.add_argument("--unit", metavar="PATH", help=t("cli.users.unit", lang))
    users("list", _users_list)
    audit = actions(command("audit", _usage), "audit")
    audit("export", _audit_export).add_argument(
        "file", metavar="FILE", help=t("cli.export.file", lang)
    )
    audit("prune", _audit_prune).add_argument(
        "--keep-days", metavar="N", type=int, default=None, help=t("cli.audit.keep_days", lang)
    )
    person = actions(command("person", _usage), "person")
    for name, act in (("export", _person_export), ("erase", _person_erase)):
        p = person(name, act)
        p.add_argument("email", metavar="EMAIL", help=t("cli.users.email", lang))
        p.add_argument(
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
    unit_ids: list[int] | None = None
    if args.unit is not None:
        tree = app.units.tree()
        found = _find_unit(tree, args.unit, lang)
        unit_ids = tree.export_scope(found, "unit" if args.no_subtree else "subtree")
    variant = CsvVariant.EXCEL_SV if args.excel else CsvVariant.PLAIN
    if args.file == STDIO:
        sys.stdout.flush()
        out = sys.stdout.buffer
        rows = app.transfer.write_csv(out, unit_ids, variant, lang)
        out.flush()
        _err(t("cli.export.done_stdout", lang, rows=rows))
        return EXIT_OK
    target = Path(args.file)
    partial = target.with_name(target.name + ".part")
    try:
        with partial.open("wb") as fh:
            rows = app.transfer.write_csv(fh, unit_ids, variant, lang)
        os.replace(partial, target)
    except OSError as exc:
        with contextlib.suppress(OSError):
            partial.unlink(missing_ok=True)
        raise _CliError(_file_error(args.file, exc, lang), EXIT_FILE) from None
    _out(t("cli.export.done", lang, rows=rows, file=args.file))
    return EXIT_OK


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
        if any(tree.units[u].archived for u in _with_parents(tree, unit_id)):
            raise _CliError(t("cli.summary.archived", lang, unit=args.unit), EXIT_REJECTED)
    else:
        roots = tree.roots()
        if len(roots) != 1:  # none, or several organisations: which one is not ours to guess
            raise _CliError(t("cli.summary.which_unit", lang, count=len(roots)), EXIT_REJECTED)
        unit_id = roots[0].id
    at = _day(args.at, lang) if args.at is not None else None
    if args.stale_months < 1 or args.stale_months > 1200:
        raise _CliError(t("cli.summary.bad_months", lang, value=args.stale_months), EXIT_REJECTED)
    data = summary.summary(app.rollup.of_unit(tree, unit_id, at), tree, lang, args.stale_months)
    if args.format == "json":
        _out(summary.as_json(data))
    elif args.format == "csv":
        sys.stdout.write(summary.as_csv(data))
    else:
        sys.stdout.write(summary.as_table(data, lang))
    return EXIT_OK


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
