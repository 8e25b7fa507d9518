"""Demo data: two years of staircase history for a FICTIONAL municipality, Norrby kommun.

Norrby kommun, its administrations, units and every person named here are invented; any
likeness to a real municipality or person is a coincidence. The notes are written in the
spirit of what municipal units say about learning at work (reflection at workplace
meetings, following up courses, introducing new staff, shadowing a colleague...).

Each leaf unit follows a scripted climb: one races to step 3, some reach step 1 or 2, one
stays at step 0 with many practices "on the way", one falls back after a reorganisation,
one marks a practice that does not fit as not applicable. The dates, times, comments and
the number of snapshots are drawn from `random.Random(seed)`, so the same seed and day
always give the same database. Administrations and the municipality get no snapshots of
their own: the comparison and subtree views aggregate their leaf units.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from staircase.domain.model import PracticeState, Problem, SnapshotEntry, Status, ValidationError
from staircase.domain.moments import now
from staircase.domain.records import SnapshotRecord
from staircase.services.door import Actor

if TYPE_CHECKING:
    from staircase.services import Lartrappan

DEMO_ACTOR = Actor("Lärtrappan demo")

MUNICIPALITY = "Norrby kommun"

# The shipped practice ids (data/catalogue.yaml).
GOAL = "s1-goal-linked"
ANYWHERE = "s1-anytime-anywhere"
EFFECT = "s1-measure-effect"
LOCAL = "s1-local-ownership"
PERFORMANCE = "s2-performance"
ROLES = "s2-learning-in-roles"
JUST_IN_TIME = "s2-just-in-time"
INFORMAL = "s2-informal-learning"
SHARING_PLACES = "s3-sharing-environments"
SHARING_CULTURE = "s3-sharing-culture"

NS = Status.NOT_STARTED
IP = Status.IN_PROGRESS
DONE = Status.DONE
NA = Status.NOT_APPLICABLE


@dataclass(frozen=True)
class DemoSummary:
    units: int
    snapshots: int


@dataclass(frozen=True)
class _Change:
    """From position `at` of a unit's history (0 = first snapshot, 1 = the latest) on,
    `practice` has `status` (None: unchanged) and `note` (None: unchanged)."""

    at: float
    practice: str
    status: Status | None
    note: str | None = None


@dataclass(frozen=True)
class _Plan:
    path: tuple[str, ...]
    count: tuple[int, int]
    """How many snapshots (inclusive range)."""
    months: int
    """How many months back the history starts."""
    leads: tuple[tuple[float, str], ...]
    """Who saves the snapshots, from which position on."""
    changes: tuple[_Change, ...]
    events: tuple[tuple[float, str], ...] = ()
    """A comment for the first snapshot at or after a position."""


def _c(at: float, practice: str, status: Status | None, note: str | None = None) -> _Change:
    return _Change(at, practice, status, note)


VOO = "Vård- och omsorgsförvaltningen"
BUF = "Barn- och utbildningsförvaltningen"
SOC = "Socialförvaltningen"

PLANS: tuple[_Plan, ...] = (
    _Plan(
        path=(MUNICIPALITY, VOO, "Hemtjänst Norr"),
        count=(20, 24),
        months=24,
        leads=((0.0, "Karin Ek"),),
        changes=(
            _c(
                0.0,
                GOAL,
                IP,
                "Vi tar fram en kompetensplan för hemtjänsten utifrån "
                "förvaltningens mål om kontinuitet och trygghet. Första utkastet på APT.",
            ),
            _c(
                0.0,
                ANYWHERE,
                IP,
                "Det finns digitala kurser i omsorgens lärplattform, men få "
                "hinner logga in mellan besöken.",
            ),
            _c(
                0.0,
                LOCAL,
                IP,
                "Ett utbildningsombud per arbetslag samlar in vad gruppen behöver lära sig.",
            ),
            _c(
                0.1,
                GOAL,
                DONE,
                "Alla har en egen plan kopplad till verksamhetsplanens mål; "
                "den följs upp i medarbetarsamtalet.",
            ),
            _c(
                0.15,
                ANYWHERE,
                DONE,
                "Surfplatta i varje arbetslag och 20 minuter schemalagd "
                "lärtid i veckan för de digitala kurserna.",
            ),
            _c(
                0.2,
                EFFECT,
                IP,
                "Den som har gått en utbildning berättar på nästa APT vad hen tar med sig.",
            ),
            _c(
                0.25,
                LOCAL,
                DONE,
                "Arbetslagen väljer själva sina utbildningar; pengarna "
                "ligger på enheten, inte centralt.",
            ),
            _c(
                0.3,
                EFFECT,
                DONE,
                "Vi följer upp utbildningarna mot avvikelser och "
                "brukarundersökningen. Fallen har minskat sedan kursen i förflyttningsteknik.",
            ),
            _c(
                0.3,
                PERFORMANCE,
                IP,
                "Vi utgår från hur besöken faktiskt går, inte från kurskatalogen.",
            ),
            _c(
                0.35,
                INFORMAL,
                IP,
                "Nyanställda går bredvid en erfaren kollega sina första två veckor.",
            ),
            _c(0.4, ROLES, IP),
            _c(
                0.45,
                PERFORMANCE,
                DONE,
                "Månadens mål (kontinuitet, hinna i tid) följs upp "
                "på APT och vi bestämmer tillsammans vad vi behöver öva på.",
            ),
            _c(
                0.5,
                JUST_IN_TIME,
                IP,
                "Korta filmer om lyft och läkemedelshantering i jobbtelefonen.",
            ),
            _c(
                0.55,
                ROLES,
                DONE,
                "Att handleda nyanställda står i undersköterskornas uppdrag och har avsatt tid.",
            ),
            _c(0.55, SHARING_PLACES, IP, "Rutinpärmen flyttas in i en wiki som alla kan redigera."),
            _c(
                0.6,
                INFORMAL,
                DONE,
                "Reflektionsmöte varannan vecka: vi tar upp ett svårt "
                "besök och vad vi lärde oss av det.",
            ),
            _c(
                0.65,
                JUST_IN_TIME,
                DONE,
                "Filmerna och checklistorna ligger i telefonen och "
                "används ute hos brukarna, särskilt av timvikarierna.",
            ),
            _c(
                0.7,
                SHARING_CULTURE,
                IP,
                "Lärcafé en gång i månaden där en kollega visar något hon eller han har lärt sig.",
            ),
            _c(
                0.8,
                SHARING_PLACES,
                DONE,
                "Wikin används varje dag. Den som hittar ett fel i en rutin rättar det direkt.",
            ),
            _c(
                0.9,
                SHARING_CULTURE,
                DONE,
                "Medarbetarna driver lärcaféerna själva och vi har "
                "börjat bjuda in Hemtjänst Söder.",
            ),
        ),
        events=((0.9, "Hela trappan på plats – firade med tårta på APT"),),
    ),
    _Plan(
        path=(MUNICIPALITY, VOO, "Solgårdens särskilda boende"),
        count=(18, 22),
        months=24,
        leads=((0.0, "Ahmed Hassan"), (0.72, "Lena Sjöberg")),
        changes=(
            _c(
                0.0,
                ANYWHERE,
                IP,
                "Basutbildning i demens finns i lärplattformen, men datorn "
                "i personalrummet är ofta upptagen.",
            ),
            _c(
                0.1,
                GOAL,
                IP,
                "Utbildningsplanen ska kopplas till målen om trygghet och "
                "bemötande i verksamhetsplanen.",
            ),
            _c(0.2, LOCAL, IP, "Demensombud på varje avdelning."),
            _c(
                0.3,
                GOAL,
                DONE,
                "Utbildningsplanen bygger på verksamhetsplanens mål och gås igenom varje höst.",
            ),
            _c(
                0.3,
                ANYWHERE,
                DONE,
                "Två surfplattor per avdelning; alla har gjort demensutbildningen på arbetstid.",
            ),
            _c(0.35, EFFECT, IP, "Vi följer upp utbildningarna på APT: vad gör vi nu annorlunda?"),
            _c(0.4, PERFORMANCE, IP),
            _c(
                0.4,
                ROLES,
                IP,
                "Nya medarbetare får en fadder och en checklista för introduktionen.",
            ),
            _c(
                0.45,
                LOCAL,
                DONE,
                "Demensombuden planerar avdelningens utbildning tillsammans med enhetschefen.",
            ),
            _c(
                0.45,
                EFFECT,
                DONE,
                "Effekten följs i BPSD-registret och i avvikelserna efter varje utbildningsinsats.",
            ),
            _c(
                0.45,
                PERFORMANCE,
                DONE,
                "Målen bryts ned per avdelning och följs upp på APT varje månad.",
            ),
            _c(0.45, ROLES, DONE, "Fadderskapet ingår i undersköterskornas uppdrag."),
            _c(0.5, JUST_IN_TIME, IP),
            _c(0.5, INFORMAL, IP, "Vi har börjat reflektera kring en händelse på varje APT."),
            _c(
                0.55,
                JUST_IN_TIME,
                DONE,
                "QR-koder på hjälpmedlen leder till korta instruktionsfilmer.",
            ),
            _c(
                0.55,
                INFORMAL,
                DONE,
                "Reflektion över ett verkligt händelseförlopp är en fast punkt på APT.",
            ),
            _c(
                0.72,
                ROLES,
                IP,
                "Efter sammanslagningen med Tallbacken har hälften av "
                "medarbetarna ingen fadder. Vi bygger upp fadderskapet igen.",
            ),
            _c(
                0.75,
                SHARING_PLACES,
                IP,
                "En gemensam mapp för rutiner på intranätet, men den är svår att hålla aktuell.",
            ),
            _c(0.9, ROLES, None, "Sju av tolv nya har fadder nu; resten ska ha det före sommaren."),
        ),
        events=(
            (
                0.72,
                "Ny organisation: Solgården och Tallbacken har fått gemensam ledning",
            ),
        ),
    ),
    _Plan(
        path=(MUNICIPALITY, VOO, "LSS-boende Linden"),
        count=(13, 16),
        months=24,
        leads=((0.0, "Maria Lindqvist"),),
        changes=(
            _c(
                0.0,
                GOAL,
                IP,
                "Genomförandeplanerna finns, men vad personalen lär sig är inte kopplat till dem.",
            ),
            _c(
                0.0,
                LOCAL,
                DONE,
                "Vi är sex i personalgruppen och bestämmer tillsammans vad vi behöver lära oss.",
            ),
            _c(0.15, ANYWHERE, IP, "Vi provar webbutbildningen i lågaffektivt bemötande."),
            _c(0.25, GOAL, DONE, "Varje utbildning väljs utifrån de boendes genomförandeplaner."),
            _c(0.25, EFFECT, IP),
            _c(
                0.35,
                JUST_IN_TIME,
                NA,
                "Passar inte oss: fem boende och alltid minst två i "
                "tjänst. Stödet i stunden kommer från kollegan bredvid och handledningen, inte "
                "från ett system.",
            ),
            _c(0.4, ANYWHERE, DONE, "Alla har gjort webbutbildningen på sina planeringstimmar."),
            _c(
                0.45,
                EFFECT,
                DONE,
                "Vi följer upp utbildningen genom färre incidenter i dokumentationen.",
            ),
            _c(0.45, INFORMAL, IP, "Reflektionsmöte varannan vecka med extern handledare."),
            _c(0.55, PERFORMANCE, IP),
            _c(
                0.6,
                INFORMAL,
                DONE,
                "APT och reflektionsmöte (handledning, olika arbetssätt) "
                "varannan vecka om vartannat.",
            ),
            _c(0.7, ROLES, IP, "Brukarråd har startat – de boende är med och utvärderar vardagen."),
            _c(
                0.8,
                PERFORMANCE,
                DONE,
                "Vi utgår från brukarenkäten och brukarrådet när vi "
                "bestämmer vad vi ska bli bättre på.",
            ),
            _c(
                0.85,
                SHARING_CULTURE,
                IP,
                "Erfarenhetsutbyte med LSS-boendet Eken en gång per termin.",
            ),
            _c(
                0.9,
                ROLES,
                DONE,
                "Alla har ett eget ansvarsområde, till exempel brukarrådet "
                "eller läkemedel, och lär upp de andra.",
            ),
        ),
    ),
    _Plan(
        path=(MUNICIPALITY, BUF, "Björkskolan"),
        count=(14, 18),
        months=24,
        leads=((0.0, "Johan Berg"),),
        changes=(
            _c(
                0.0,
                GOAL,
                IP,
                "Kompetensutvecklingen planeras utifrån det systematiska "
                "kvalitetsarbetet, men mycket styrs fortfarande av kurser som erbjuds.",
            ),
            _c(0.0, ANYWHERE, IP, "Lärarna tar del av Skolverkets webbkurser i egen takt."),
            _c(0.0, LOCAL, IP),
            _c(0.1, ROLES, IP, "Kollegialt lärande i ämneslagen, men tiden äts upp av annat."),
            _c(0.2, EFFECT, IP, "Utvärdering efter varje studiedag, men svaren följs sällan upp."),
            _c(
                0.3,
                ANYWHERE,
                DONE,
                "Webbkurserna och inspelade föreläsningar ryms i konferenstiden.",
            ),
            _c(
                0.4,
                GOAL,
                DONE,
                "Varje ämneslag har ett utvecklingsmål kopplat till "
                "resultaten i matematik och läsförståelse.",
            ),
            _c(0.45, INFORMAL, IP, "Lärarna auskulterar hos varandra en gång per termin."),
            _c(
                0.5,
                LOCAL,
                DONE,
                "Arbetslagen bestämmer själva över sin del av fortbildningsbudgeten.",
            ),
            _c(0.6, PERFORMANCE, IP),
            _c(
                0.7,
                ROLES,
                None,
                "Fasta tider för kollegialt lärande i schemat från och med höstterminen.",
            ),
            _c(
                0.75,
                EFFECT,
                DONE,
                "Vi följer effekten av läslyftet mot resultaten på de nationella proven.",
            ),
            _c(0.8, SHARING_PLACES, IP, "Gemensam yta på lärplattformen för lektionsplaneringar."),
        ),
    ),
    _Plan(
        path=(MUNICIPALITY, BUF, "Förskolan Ekorren"),
        count=(15, 20),
        months=24,
        leads=((0.0, "Sofia Nyberg"),),
        changes=(
            _c(0.0, ANYWHERE, IP, "Förskollärarna ser inspelade föreläsningar på planeringstiden."),
            _c(
                0.0,
                LOCAL,
                DONE,
                "Rektor och arbetslagen planerar kompetensutvecklingen tillsammans.",
            ),
            _c(0.15, GOAL, IP),
            _c(
                0.25,
                EFFECT,
                IP,
                "Pedagogisk dokumentation visar vad utbildningarna ger i barngruppen.",
            ),
            _c(0.3, GOAL, DONE, "Läroplanens utvecklingsområden styr vad vi lär oss varje år."),
            _c(
                0.35, ANYWHERE, DONE, "Alla kan se föreläsningarna hemifrån eller på planeringstid."
            ),
            _c(0.4, INFORMAL, IP, "Lärcafé en eftermiddag i månaden."),
            _c(0.45, EFFECT, DONE),
            _c(0.5, PERFORMANCE, IP),
            _c(0.6, ROLES, IP, "Varje arbetslag har en utvecklingspedagog."),
            _c(0.65, JUST_IN_TIME, IP),
            _c(
                0.7,
                INFORMAL,
                DONE,
                "Lärcaféerna fylls av pedagogerna själva: vad har du "
                "provat i barngruppen den här månaden?",
            ),
            _c(
                0.75,
                PERFORMANCE,
                DONE,
                "Vi utgår från vad barnen behöver, inte från vilka kurser som finns.",
            ),
            _c(
                0.8,
                JUST_IN_TIME,
                DONE,
                "Rutiner och checklistor finns på surfplattan på varje avdelning.",
            ),
            _c(
                0.9,
                ROLES,
                DONE,
                "Utvecklingspedagogerna har tid avsatt i tjänsten och en "
                "tydlig uppdragsbeskrivning.",
            ),
            _c(0.95, SHARING_PLACES, IP),
        ),
    ),
    _Plan(
        path=(MUNICIPALITY, BUF, "Vuxenutbildningen"),
        count=(12, 15),
        months=24,
        leads=((0.0, "Peter Holm"),),
        changes=(
            _c(
                0.0,
                GOAL,
                IP,
                "Kursutbudet styr mer än verksamhetens mål; vi diskuterar det i ledningsgruppen.",
            ),
            _c(0.0, ANYWHERE, IP, "Lärplattformen används mest som kurskatalog."),
            _c(0.1, LOCAL, IP),
            _c(0.2, EFFECT, IP, "Enkät efter varje utbildning, men ingen följer upp svaren."),
            _c(0.3, ANYWHERE, DONE, "Alla kurser finns också på distans med webbmöten."),
            _c(0.4, PERFORMANCE, IP),
            _c(0.4, INFORMAL, IP, "Lärarna delar material i en gemensam kanal."),
            _c(0.5, ROLES, IP),
            _c(0.6, SHARING_PLACES, IP),
            _c(
                0.7,
                GOAL,
                None,
                "Målen är tydliga, men kompetensplanen har inte uppdaterats "
                "sedan omorganisationen.",
            ),
            _c(
                0.8,
                EFFECT,
                None,
                "Vi har provat att ta upp utbildningar på APT, men det hinns sällan med.",
            ),
            _c(0.9, SHARING_CULTURE, IP),
        ),
    ),
    _Plan(
        path=(MUNICIPALITY, SOC, "Individ- och familjeomsorgen"),
        count=(12, 14),
        months=14,
        leads=((0.0, "Elin Åberg"),),
        changes=(
            _c(0.0, GOAL, IP, "Introduktionen för nya socialsekreterare ses över."),
            _c(0.1, LOCAL, IP),
            _c(0.2, ANYWHERE, IP, "Webbutbildning i BBIC för nya handläggare."),
            _c(0.3, INFORMAL, IP, "Nya handläggare följer med en erfaren kollega på hembesök."),
            _c(
                0.4,
                GOAL,
                DONE,
                "Introduktionsprogrammet utgår från målen om rättssäkerhet "
                "och korta handläggningstider.",
            ),
            _c(0.5, ANYWHERE, DONE),
            _c(
                0.6, EFFECT, IP, "Vi använder ärendedragningarna för att se vad utbildningarna ger."
            ),
            _c(0.7, LOCAL, DONE, "Gruppledarna ansvarar för gruppens kompetensplan."),
            _c(
                0.85,
                EFFECT,
                DONE,
                "Uppföljning av utbildningar är en stående punkt på APT; "
                "vi jämför med resultaten i egenkontrollen.",
            ),
            _c(0.9, PERFORMANCE, IP),
        ),
    ),
    _Plan(
        path=(MUNICIPALITY, SOC, "Anhörigstödet"),
        count=(13, 17),
        months=24,
        leads=((0.0, "Fatima Karimi"),),
        changes=(
            _c(0.0, LOCAL, DONE, "Vi är fyra medarbetare och styr själva vår kompetensutveckling."),
            _c(0.0, GOAL, IP),
            _c(0.0, INFORMAL, IP, "Vi prövar nya arbetsmetoder och pratar om dem varje vecka."),
            _c(0.1, ANYWHERE, IP, "Webbinarier från det nationella kompetenscentret för anhöriga."),
            _c(0.2, GOAL, DONE, "Vår kompetensplan utgår från kommunens anhörigstrategi."),
            _c(0.2, ANYWHERE, DONE),
            _c(0.3, EFFECT, IP, "Kort enkät till anhöriga efter samtalsgrupperna."),
            _c(0.4, INFORMAL, DONE),
            _c(0.4, PERFORMANCE, IP),
            _c(
                0.45,
                EFFECT,
                DONE,
                "Enkätsvaren gås igenom varje kvartal och styr vad vi fördjupar oss i.",
            ),
            _c(0.5, ROLES, IP, "Var och en ansvarar för en metod och lär de andra."),
            _c(0.5, JUST_IN_TIME, IP),
            _c(0.6, PERFORMANCE, DONE),
            _c(
                0.65,
                JUST_IN_TIME,
                DONE,
                "Samtalsguider och kontaktlistor i en gemensam mapp som alla når från telefonen.",
            ),
            _c(
                0.7,
                ROLES,
                DONE,
                "Metodansvaret ingår i allas uppdrag och följs upp i medarbetarsamtalet.",
            ),
            _c(0.75, SHARING_PLACES, IP, "Nätverk med anhörigkonsulenterna i grannkommunerna."),
            _c(0.85, SHARING_CULTURE, IP),
        ),
    ),
)

MONTHS_SV = (
    "januari", "februari", "mars", "april", "maj", "juni",
    "juli", "augusti", "september", "oktober", "november", "december",
)  # fmt: skip
TIMES = (
    time(8, 30), time(9, 0), time(9, 30), time(10, 0), time(10, 15),
    time(13, 0), time(13, 15), time(14, 0), time(14, 30), time(15, 0),
)  # fmt: skip
HOLIDAYS = {(1, 6), (6, 6), (12, 24), (12, 25), (12, 26)}
"""Fixed public holidays (and Christmas Eve) that can fall on a meeting day."""
FIRST_COMMENTS = (
    "Pappersbedömning från ledningsgruppens dag",
    "Första genomgången av trappan på APT",
    "Nulägesbedömning inför verksamhetsplanen",
)
COMMENTS = (
    "Genomgång på APT i {month}",
    "Genomgång på APT i {month}",
    "Reflektionsmöte i {month}",
    "Uppföljning efter utbildningsdagen",
    "Avstämning med arbetsgruppen",
    "Kort avstämning, alla var inte med",
    "",
)


def load_demo(app: Lartrappan, today: date | None = None, seed: int = 2014) -> DemoSummary:
    """Fill an empty database with the demo municipality; refuse one that has units.

    Snapshots end shortly before `today` (default: the current date; never later than it).
    """
    if app.units.any():
        raise ValidationError(Problem("demo.not_empty"))
    real_today = now().date()
    today = min(today or real_today, real_today)
    rng = random.Random(seed)
    catalogue = app.shipped
    records: list[SnapshotRecord] = []
    latest: dict[tuple[str, ...], SnapshotRecord] = {}
    for plan in PLANS:
        count = rng.randint(*plan.count)
        days = _meeting_days(rng, today, plan.months, count)
        moments = [datetime.combine(d, rng.choice(TIMES)) for d in days]
        last = len(moments) - 1
        positions = [i / last if last else 1.0 for i in range(len(moments))]
        event_at = {
            next(i for i, pos in enumerate(positions) if pos >= at - 1e-9): text
            for at, text in plan.events
        }
        for i, (moment, pos) in enumerate(zip(moments, positions, strict=True)):
            state = _state_at(plan, pos)
            if i in event_at:
                comment = event_at[i]
            elif i == 0:
                comment = rng.choice(FIRST_COMMENTS)
            else:
                comment = rng.choice(COMMENTS).format(month=MONTHS_SV[moment.month - 1])
            record = SnapshotRecord(
                unit_path=plan.path,
                taken_at=moment,
                saved_by=_lead_at(plan, pos),
                comment=comment,
                catalogue_version=catalogue.version,
                entries=tuple(
                    SnapshotEntry(p.id, p.step, *state.get(p.id, (NS, "")))
                    for p in catalogue.practices
                ),
                rows=(len(records) + 1,),
                new_practice_titles={},
            )
            records.append(record)
        latest[plan.path] = records[-1]

    result = app.transfer.import_records(DEMO_ACTOR, records)
    tree = app.units.tree()
    for path, record in latest.items():
        unit_id = tree.find(path)
        assert unit_id is not None  # import_snapshots just created it
        app.checklist.replace(
            Actor(record.saved_by),
            unit_id,
            [PracticeState(e.practice_id, e.status, e.note) for e in record.entries],
        )
    return DemoSummary(units=result.units_created, snapshots=result.snapshots_created)


def _state_at(plan: _Plan, pos: float) -> dict[str, tuple[Status, str]]:
    """Each practice's (status, note) at a position of the unit's history."""
    state: dict[str, tuple[Status, str]] = {}
    for change in sorted(plan.changes, key=lambda c: c.at):  # stable: script order on ties
        if change.at > pos + 1e-9:
            break
        status, note = state.get(change.practice, (NS, ""))
        state[change.practice] = (
            change.status if change.status is not None else status,
            change.note if change.note is not None else note,
        )
    return state


def _lead_at(plan: _Plan, pos: float) -> str:
    return [name for at, name in plan.leads if at <= pos + 1e-9][-1]


def _meeting_days(rng: random.Random, today: date, months_back: int, count: int) -> list[date]:
    """`count` weekdays before `today`, spread over the last `months_back` months.

    Roughly one workplace meeting a month (two in some months when `count` is larger than
    the number of months), none in July, the last one within the current month when it has
    begun (else the month before), every day strictly before `today`.
    """
    months: list[tuple[int, int]] = []
    year, month = today.year, today.month
    for _ in range(months_back):
        months.append((year, month))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    months.reverse()
    if today.day <= 4:  # too early in the month for this month's meeting
        months.pop()
    months = [ym for ym in months if ym[1] != 7]
    n = len(months)
    if count >= n:
        chosen = list(range(n))
        doubles = set(rng.sample(range(n - 1), min(count - n, n - 1)))
    else:
        chosen = sorted({0, n - 1, *rng.sample(range(1, n - 1), max(count - 2, 0))})
        doubles = set()
    days: list[date] = []
    for index in chosen:
        year, month = months[index]
        if (year, month) == (today.year, today.month):
            last_day = today.day - 1  # ≥ 4
            picks = [rng.randint(max(4, last_day - 10), last_day)]
        elif index in doubles:
            picks = [rng.randint(3, 12), rng.randint(16, 27)]
        else:
            picks = [rng.randint(3, 27)]
        for day in picks:
            d = date(year, month, day)
            while d.weekday() >= 5 or (d.month, d.day) in HOLIDAYS:  # to the day before
                d -= timedelta(days=1)
            days.append(d)
    return days
