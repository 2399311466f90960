"""The allocation rules of seeds 001 (HW Wonen, Hoeksche Waard) and 002 (ZuidWestWonen).

Small pure functions over plain values (dates, datetimes, Decimals and the
frozen dataclasses below): no database, no models. Each function follows one
or more sentences of the seeds, and `allocation/tests/test_rules.py` quotes
them. What differs per region or corporation (ordering policy, how many
reactions or offers at a time, the rent threshold, the refusal policy, fees)
is passed in as data; nothing here branches on a region's name.

Reasons shown to people are plain Dutch (B1) through gettext.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from portal.templatetags.portal import euro

# --- decisions --------------------------------------------------------------


@dataclass(frozen=True)
class Decision:
    """The outcome of a check: `ok`, and a reason in plain Dutch (empty when nothing needs saying)."""

    ok: bool
    reason: str = ""

    def __bool__(self) -> bool:
        return self.ok


YES = Decision(True)


# --- categories (A7) ----------------------------------------------------------

STARTER = "starter"
DOORSTROMER = "doorstromer"
CATEGORIES = (STARTER, DOORSTROMER)


def category(leaves_self_contained_home_in_region: bool) -> str:
    """001: a doorstromer leaves a self-contained home in the region empty (rented or owned,
    "het maakt niet uit"); everyone else, also someone leaving a home outside the region, is a starter."""
    return DOORSTROMER if leaves_self_contained_home_in_region else STARTER


def fits_category(seeker_category: str, listing_category: str | None) -> Decision:
    """001: "U kunt meedoen voor een woning in de categorie waartoe u behoort."

    A listing without a category is open to both.
    """
    if listing_category is None or seeker_category == listing_category:
        return YES
    if listing_category == DOORSTROMER:
        return Decision(False, _("Deze woning is voor doorstromers. U bent een starter."))
    return Decision(False, _("Deze woning is voor starters. U bent een doorstromer."))


# --- ordering (A9) ------------------------------------------------------------

#: The listing's ordering policy.
REACTIES = "reacties"  # 001: correct reactions, then years in the home / age
INSCHRIJFDUUR = "inschrijfduur"  # 002: registration time
LOTING = "loting"  # 002: lottery
EERSTE_REACTIE = "eerste-reactie"  # 002: first reaction
OPTIEDATUM = "optiedatum"  # 002: the date an option was taken in the option catalogue

#: 001: "deze manier van bepalen van de volgorde geldt alleen als er op een woning woningzoekenden
#: reageren met 10 correcte reacties of meer op hun naam."
REACTION_THRESHOLD = 10
#: 002: "U kunt maximaal 3 jaar inschrijftijd opbouwen."
MAX_REGISTRATION_YEARS = 3


@dataclass(frozen=True)
class Candidate:
    """One seeker's reaction to one listing, as the ordering needs it."""

    id: object
    category: str  # STARTER or DOORSTROMER
    birth_date: date
    living_since: date | None  # registered at the current home (BRP) since
    correct_reactions: int
    registered_on: date
    reacted_at: datetime
    lottery_number: int | None
    urgent: bool
    option_date: date | None = None  # 002's option catalogue; only OPTIEDATUM uses it


def _seniority_days(candidate: Candidate, on: date) -> int:
    """001's yardstick after the reaction count: days in the current home for a doorstromer,
    days of age for a starter. A doorstromer whose moving-in date is unknown counts as 0."""
    if candidate.category == DOORSTROMER:
        return (on - candidate.living_since).days if candidate.living_since else 0
    return (on - candidate.birth_date).days


def reactions_count(candidates: Sequence[Candidate], threshold: int = REACTION_THRESHOLD) -> bool:
    """001: ordering by correct reactions applies only when someone with `threshold` or more reacted."""
    return any(c.correct_reactions >= threshold for c in candidates)


def counted_registration_since(
    registered_on: date, on: date, max_years: int | None = MAX_REGISTRATION_YEARS
) -> date:
    """002: "U kunt maximaal 3 jaar inschrijftijd opbouwen."

    The registration date that counts on `on`: never longer ago than `max_years` (None: no cap).
    """
    if max_years is None:
        return registered_on
    return max(registered_on, on - relativedelta(years=max_years))


def _reacties(candidates, on, threshold, max_years):
    counting = reactions_count(candidates, threshold)
    return lambda c: (-(c.correct_reactions if counting else 0), -_seniority_days(c, on))


def _inschrijfduur(candidates, on, threshold, max_years):
    return lambda c: (counted_registration_since(c.registered_on, on, max_years),)


def _loting(candidates, on, threshold, max_years):
    return lambda c: (c.lottery_number is None, c.lottery_number or 0)


def _eerste_reactie(candidates, on, threshold, max_years):
    return lambda c: (c.reacted_at,)


def _optiedatum(candidates, on, threshold, max_years):
    return lambda c: (c.option_date is None, c.option_date or date.min)


#: Each policy builds the sort key of one candidate (lower is better) from the whole list.
ORDERINGS: dict[str, Callable] = {
    REACTIES: _reacties,
    INSCHRIJFDUUR: _inschrijfduur,
    LOTING: _loting,
    EERSTE_REACTIE: _eerste_reactie,
    OPTIEDATUM: _optiedatum,
}
POLICIES = tuple(ORDERINGS)


def rank(
    policy: str,
    candidates: Sequence[Candidate],
    *,
    on: date,
    reaction_threshold: int = REACTION_THRESHOLD,
    max_registration_years: int | None = MAX_REGISTRATION_YEARS,
) -> list:
    """The candidates' ids, best first.

    - Urgent candidates go before all others, under every policy; among themselves the policy orders them.
    - "reacties" (001): most correct reactions first, but only when at least one candidate has
      `reaction_threshold` (10) or more; then every candidate's count counts. Without such a candidate,
      and on equal counts: the longest in the current home first for doorstromers, the oldest first for
      starters. (A listing is for one category; should both appear, each is measured in days by their
      own yardstick.)
    - "inschrijfduur" (002): the longest registration first, counting at most `max_registration_years`.
    - "loting" (002): the lowest lottery number first; no number drawn goes last.
    - "eerste-reactie" (002): the earliest reaction first.
    - "optiedatum" (002): the earliest option date first; no option goes last.

    Ties are broken by the earliest reaction, then by id, so the order never depends on the input order.
    """
    try:
        build = ORDERINGS[policy]
    except KeyError:
        raise ValueError(f"Unknown ordering policy {policy!r}; known: {', '.join(POLICIES)}") from None
    key = build(candidates, on, reaction_threshold, max_registration_years)
    ordered = sorted(candidates, key=lambda c: (not c.urgent, *key(c), c.reacted_at, c.id))
    return [c.id for c in ordered]


def deciding_value(
    policy: str,
    winner: Candidate,
    candidates: Sequence[Candidate],
    *,
    on: date,
    reaction_threshold: int = REACTION_THRESHOLD,
    max_registration_years: int | None = MAX_REGISTRATION_YEARS,
) -> str:
    """What the allocation report (verantwoording) says about the winner.

    001: "U vindt daarin terug hoeveel correcte reacties de nummer één had of (als er op woonduur of
    leeftijd is toegewezen) bij een doorstromer hoe lang deze in zijn woning heeft gewoond en bij een
    starter de leeftijd. Ook wordt gemeld of er wellicht een urgent woningzoekende voorging."
    """
    if winner.urgent:
        return _("Urgent woningzoekende")
    if policy == REACTIES:
        if reactions_count(candidates, reaction_threshold):
            n = winner.correct_reactions
            return ngettext("%(n)s correcte reactie", "%(n)s correcte reacties", n) % {"n": n}
        if winner.category == DOORSTROMER:
            years = relativedelta(on, winner.living_since).years if winner.living_since else 0
            return ngettext("%(n)s jaar in de huidige woning", "%(n)s jaar in de huidige woning", years) % {
                "n": years
            }
        years = relativedelta(on, winner.birth_date).years
        return _("%(n)s jaar oud") % {"n": years}
    if policy == INSCHRIJFDUUR:
        time = relativedelta(on, counted_registration_since(winner.registered_on, on, max_registration_years))
        years = ngettext("%(n)s jaar", "%(n)s jaar", time.years) % {"n": time.years}
        months = ngettext("%(n)s maand", "%(n)s maanden", time.months) % {"n": time.months}
        return _("Inschrijfduur %(years)s en %(months)s") % {"years": years, "months": months}
    if policy == LOTING:
        return _("Lotnummer %(n)s") % {"n": winner.lottery_number}
    if policy == OPTIEDATUM:
        return _("Optiedatum %(date)s") % {"date": formats.date_format(winner.option_date, "j F Y")}
    if policy == EERSTE_REACTIE:
        return _("Eerste reactie op %(date)s om %(time)s") % {
            "date": formats.date_format(winner.reacted_at, "j F Y"),
            "time": formats.time_format(winner.reacted_at, "H:i"),
        }
    raise ValueError(f"Unknown ordering policy {policy!r}")


# --- admission (A6) -------------------------------------------------------------

#: 001: "Om te beginnen moet u 18 jaar of ouder zijn."
MIN_AGE = 18
#: 001: "óf u woont al minstens een jaar in de Hoeksche Waard."
RESIDENCE_YEARS = 1
#: 001: "… zes jaar aan één stuk ingezetene …" / "… meer dan zes jaar aan één stuk …"
SOCIAL_TIE_YEARS = 6


def age(birth_date: date, on: date) -> int:
    """Age in whole years on `on` (the birthday itself counts)."""
    return relativedelta(on, birth_date).years


def admitted(
    *,
    birth_date: date,
    on: date,
    lived_in_region_since: date | None = None,
    economically_tied: bool = False,
    earlier_periods_in_region: Sequence[tuple[date, date]] = (),
    parent_or_child_living_since: date | None = None,
) -> Decision:
    """001 "Wanneer mag u meedoen?": 18 or older, and one of the three basic conditions.

    - `lived_in_region_since`: since when the seeker is registered (BRP) with their main residence in a
      municipality of the region; at least one year on `on` (the day the reaction is sent).
    - `economically_tied`: works in the region, or has another reasonable interest for their living.
    - socially tied: the seeker lived in the region six years in a row (an earlier period, or the
      current one), or a parent or child *lives* there for *more than* six years in a row now
      (`parent_or_child_living_since`: the longest of them). The seed says "zes jaar" for oneself and
      "meer dan zes jaar" for a relative; both are followed to the letter.
    """
    if on < birth_date + relativedelta(years=MIN_AGE):
        return Decision(False, _("U bent jonger dan 18 jaar. U kunt reageren vanaf de dag dat u 18 wordt."))
    if lived_in_region_since and on >= lived_in_region_since + relativedelta(years=RESIDENCE_YEARS):
        return Decision(True, _("U woont minstens een jaar in de regio."))
    if economically_tied:
        return Decision(True, _("U werkt in de regio of verdient hier uw geld."))
    own_periods = [*earlier_periods_in_region]
    if lived_in_region_since:
        own_periods.append((lived_in_region_since, on))
    if any(end >= start + relativedelta(years=SOCIAL_TIE_YEARS) for start, end in own_periods):
        return Decision(True, _("U heeft vroeger zes jaar achter elkaar in de regio gewoond."))
    if parent_or_child_living_since and on > parent_or_child_living_since + relativedelta(
        years=SOCIAL_TIE_YEARS
    ):
        return Decision(True, _("Uw vader, moeder of kind woont al meer dan zes jaar in de regio."))
    return Decision(
        False,
        _(
            "U woont nog geen jaar in de regio. U werkt hier ook niet. En u of uw ouders of kinderen "
            "hebben hier niet lang genoeg gewoond."
        ),
    )


def within_allocation_system(rent: Decimal, system_limit: Decimal | None) -> bool:
    """001: "Dan kunt u altijd nog proberen of u voor een woning in aanmerking komt met een huur- of
    koopprijs die buiten het toewijzingssysteem valt."

    Above the region's limit (set yearly) the admission rules do not apply; None: no such limit.
    """
    return system_limit is None or rent <= system_limit


# --- suitability (A8) -----------------------------------------------------------

#: 001: "de woning mag twee kamers meer hebben dan het aantal leden van het huishouden."
EXTRA_ROOMS = 2
#: 001: income of live-in (grand)children younger than this does not count.
CHILD_INCOME_AGE = 27


def household_size(members: int, expecting: bool = False) -> int:
    """001: "Voor de toepassing van deze bezettingsnorm wordt naar het 'toekomstige' huishouden gekeken.
    … Ook met een zwangerschap kan rekening worden gehouden."

    `members` are the people who will move in together (a couple leaving home to marry or live
    together counts as two); an expected child counts as one more.
    """
    if members < 1:
        raise ValueError("A household has at least one member")
    return members + (1 if expecting else 0)


def max_rooms(household_size: int) -> int:
    """001: "de woning mag twee kamers meer hebben dan het aantal leden van het huishouden."""
    if household_size < 1:
        raise ValueError("A household has at least one member")
    return household_size + EXTRA_ROOMS


@dataclass(frozen=True)
class Member:
    """One member of the household, for counting its income."""

    birth_date: date
    income: Decimal
    child_or_grandchild: bool = False  # a live-in (grand)child of the applicant(s)


def household_income(members: Sequence[Member], on: date) -> Decimal:
    """001: "Bij het berekenen van dit totaal hoeft u het inkomen van uw inwonende (klein)kinderen die
    jonger zijn dan 27 jaar niet mee te tellen. Zijn ze 27 jaar of ouder, dan telt hun inkomen wel mee."
    """
    return sum(
        (
            m.income
            for m in members
            if not (m.child_or_grandchild and age(m.birth_date, on) < CHILD_INCOME_AGE)
        ),
        Decimal("0.00"),
    )


@dataclass(frozen=True)
class PassendToewijzen:
    """The national income and rent figures for one year (rijksoverheid.nl, huurcommissie.nl).

    Households with an income at or below the limit for their size must get a home with a rent at or
    below the aftoppingsgrens (low for 1–2 persons, high for 3 or more). Social homes (rent at or below
    the liberalisatiegrens) go to households at or below the DAEB income limit. Set a DAEB limit to
    None where a corporation uses its free allocation room. `rent` is the rekenhuur.
    """

    income_single: Decimal
    income_multi: Decimal
    income_single_aow: Decimal
    income_multi_aow: Decimal
    lage_aftoppingsgrens: Decimal
    hoge_aftoppingsgrens: Decimal
    liberalisatiegrens: Decimal
    daeb_single: Decimal | None
    daeb_multi: Decimal | None
    aow_age_years: int = 67
    aow_age_months: int = 0

    def reached_aow_age(self, birth_date: date, on: date) -> bool:
        return on >= birth_date + relativedelta(years=self.aow_age_years, months=self.aow_age_months)

    def income_limit(self, household_size: int, aow: bool) -> Decimal:
        if household_size == 1:
            return self.income_single_aow if aow else self.income_single
        return self.income_multi_aow if aow else self.income_multi

    def rent_cap(self, household_size: int) -> Decimal:
        return self.lage_aftoppingsgrens if household_size <= 2 else self.hoge_aftoppingsgrens

    def daeb_limit(self, household_size: int) -> Decimal | None:
        return self.daeb_single if household_size == 1 else self.daeb_multi


PASSEND_TOEWIJZEN_2026 = PassendToewijzen(
    income_single=Decimal("29400"),
    income_multi=Decimal("39925"),
    income_single_aow=Decimal("28775"),
    income_multi_aow=Decimal("38650"),
    lage_aftoppingsgrens=Decimal("713.02"),
    hoge_aftoppingsgrens=Decimal("764.14"),
    liberalisatiegrens=Decimal("932.93"),
    daeb_single=Decimal("51537"),
    daeb_multi=Decimal("56910"),
)


@dataclass(frozen=True)
class Criteria:
    """A listing's own conditions ("sturingscriteria", 002's "passendheidsvoorwaarden"); None: no condition.

    Ages are in whole years and inclusive; `min_age` is met when the applicant or the co-applicant
    reaches it, `max_age` must hold for both.
    """

    min_age: int | None = None
    max_age: int | None = None
    min_household: int | None = None
    max_household: int | None = None
    min_income: Decimal | None = None
    max_income: Decimal | None = None


NO_CRITERIA = Criteria()


def income_fits_rent(
    *, rent: Decimal, income: Decimal, household_size: int, aow: bool, policy: PassendToewijzen
) -> Decision:
    """Passend toewijzen and the DAEB limit with the year's figures in `policy`."""
    if rent <= policy.liberalisatiegrens:
        daeb = policy.daeb_limit(household_size)
        if daeb is not None and income > daeb:
            return Decision(
                False,
                _(
                    "Uw inkomen is te hoog voor een sociale huurwoning. Voor uw huishouden is de grens "
                    "%(limit)s per jaar."
                )
                % {"limit": euro(daeb)},
            )
    if income <= policy.income_limit(household_size, aow):
        cap = policy.rent_cap(household_size)
        if rent > cap:
            return Decision(
                False,
                _("De huur is te hoog voor uw inkomen. U kunt een woning krijgen met een huur tot %(cap)s.")
                % {"cap": euro(cap)},
            )
    return YES


def suitable(
    *,
    rent: Decimal,
    rooms: int,
    household_size: int,
    income: Decimal,
    birth_dates: Sequence[date],
    on: date,
    criteria: Criteria = NO_CRITERIA,
    policy: PassendToewijzen = PASSEND_TOEWIJZEN_2026,
) -> Decision:
    """001 "Is de woning passend?" and "Sturingscriteria", 002 Spelregel 3.

    `household_size` is the future household (see `household_size()`), `income` the counted income
    (see `household_income()`), `birth_dates` the applicant's and co-applicant's. The first condition
    that is not met gives the reason.
    """
    ages = [age(b, on) for b in birth_dates]
    if criteria.min_age is not None and not any(a >= criteria.min_age for a in ages):
        return Decision(
            False, _("Deze woning is voor mensen van %(n)s jaar of ouder.") % {"n": criteria.min_age}
        )
    if criteria.max_age is not None and any(a > criteria.max_age for a in ages):
        return Decision(
            False, _("Deze woning is voor mensen tot en met %(n)s jaar.") % {"n": criteria.max_age}
        )
    if criteria.min_household is not None and household_size < criteria.min_household:
        return Decision(
            False,
            _("Deze woning is voor huishoudens van %(n)s of meer personen.") % {"n": criteria.min_household},
        )
    if criteria.max_household is not None and household_size > criteria.max_household:
        return Decision(
            False,
            _("In deze woning mogen niet meer dan %(n)s personen wonen.") % {"n": criteria.max_household},
        )
    if rooms > max_rooms(household_size):
        return Decision(
            False,
            _(
                "Deze woning heeft te veel kamers voor uw huishouden. Met %(size)s personen kunt u een "
                "woning krijgen met niet meer dan %(rooms)s kamers."
            )
            % {"size": household_size, "rooms": max_rooms(household_size)},
        )
    if criteria.min_income is not None and income < criteria.min_income:
        return Decision(
            False,
            _("Uw inkomen is te laag voor deze woning. U moet minstens %(amount)s per jaar verdienen.")
            % {"amount": euro(criteria.min_income)},
        )
    if criteria.max_income is not None and income > criteria.max_income:
        return Decision(
            False,
            _("Uw inkomen is te hoog voor deze woning. U mag niet meer dan %(amount)s per jaar verdienen.")
            % {"amount": euro(criteria.max_income)},
        )
    aow = any(policy.reached_aow_age(b, on) for b in birth_dates)
    return income_fits_rent(rent=rent, income=income, household_size=household_size, aow=aow, policy=policy)


def correct_reaction(*checks: Decision) -> bool:
    """001: "Als u volgens de in de advertentie gestelde criteria juist hebt gereageerd, dan wordt dit
    als een 'correcte reactie' opgenomen" — every check (admission, category, suitability) passed."""
    return all(checks)


# --- reacting (A5) ----------------------------------------------------------------

#: What `may_react` checks: placing a new reaction, or getting a new provisional offer or interest poll.
REACT = "reageren"
OFFER = "aanbieding"


def may_react(
    policy_kind: str,
    active_reactions: int,
    provisional_offers: int,
    max_reactions: int | None = None,
    max_offers: int | None = None,
    *,
    blocked: bool = False,
    documents_complete: bool = True,
) -> Decision:
    """May the seeker take the next step? The limits are the region's data; None means unlimited.

    001: "… u per keer op maximaal twee advertenties kan reageren" (max_reactions=2, open reactions).
    002: "… kunt u onbeperkt reageren …" and "Heeft u 2 voorlopige aanbiedingen ontvangen dan ontvangt
    u géén nieuwe voorlopige aanbieding of interessepeiling" (max_offers=2).

    `policy_kind` is REACT (a new reaction: limited by `max_reactions`) or OFFER (a new provisional
    offer or interest poll: limited by `max_offers`). While blocked a seeker can do neither (002
    Spelregel 15); without documents a seeker cannot react (002 Spelregel 9).
    """
    if policy_kind not in (REACT, OFFER):
        raise ValueError(f"Unknown kind {policy_kind!r}; use REACT or OFFER")
    if blocked:
        return Decision(
            False,
            _(
                "Uw inschrijving is tijdelijk geblokkeerd. U kunt nu niet reageren en u krijgt geen "
                "aanbiedingen."
            ),
        )
    if policy_kind == OFFER:
        if max_offers is not None and provisional_offers >= max_offers:
            return Decision(
                False,
                ngettext(
                    "U heeft al %(n)s voorlopige aanbieding. U krijgt pas weer een nieuwe als die is "
                    "afgerond.",
                    "U heeft al %(n)s voorlopige aanbiedingen. U krijgt pas weer een nieuwe als er één is "
                    "afgerond.",
                    max_offers,
                )
                % {"n": max_offers},
            )
        return YES
    if not documents_complete:
        return Decision(
            False, _("Voeg eerst de gevraagde documenten toe. Zonder documenten kunt u niet reageren.")
        )
    if max_reactions is not None and active_reactions >= max_reactions:
        return Decision(
            False,
            ngettext(
                "U kunt op %(n)s woning tegelijk reageren. Trek eerst een andere reactie in.",
                "U kunt op %(n)s woningen tegelijk reageren. Trek eerst een andere reactie in.",
                max_reactions,
            )
            % {"n": max_reactions},
        )
    return YES


def may_react_without_registration(rent: Decimal, threshold: Decimal | None, ordering: str) -> Decision:
    """002: "Zonder inschrijving kunt u alleen reageren op woningen met een huurprijs hoger dan € 720,42
    via de volgorde bepaling Eerste reactie."

    `threshold` is the region's (None: not possible in this region).
    """
    if threshold is not None and rent > threshold and ordering == EERSTE_REACTIE:
        return YES
    return Decision(False, _("Voor deze woning moet u ingeschreven staan. Schrijf u eerst in."))


# --- registration (A3, A4; 002) --------------------------------------------------

REGISTRATION_FEE = Decimal("17.50")
RENEWAL_FEE = Decimal("17.50")
#: 002 Spelregel 6: "inschrijfkosten + administratiekosten. Totaal € 35,--."
SPLIT_FEE = Decimal("35.00")
#: 002 Spelregel 1: reacting without registration may cost this much extra at signing.
UNREGISTERED_EXTRA_FEE = Decimal("50.00")
#: 002 Spelregel 2: surcharge per payment method.
PAYMENT_SURCHARGES = {"ideal": Decimal("0.00"), "paypal": Decimal("0.00"), "machtiging": Decimal("2.50")}


def payment_surcharge(method: str) -> Decimal:
    """002: "Bij de eenmalige machtiging brengen we € 2,50 verwerkingskosten in rekening." """
    return PAYMENT_SURCHARGES[method]


@dataclass(frozen=True)
class TermEnd:
    """What happens when the registration reaches its maximum."""

    deregister: bool
    registered_on: date | None  # the new registration date when the seeker stays registered


def registration_term_end(
    registered_on: date, holds_option: bool, max_years: int = MAX_REGISTRATION_YEARS
) -> TermEnd:
    """002: "Na 3 jaar wordt u uitgeschreven als woningzoekende. Maakt u echter gebruik van de
    optiecatalogus en heeft u een optie genomen … dan wordt u niet uitgeschreven en behoudt u de
    optieneemdatum. Uw inschrijftijd komt wel te vervallen en moet dus opnieuw opgebouwd worden."
    """
    if holds_option:
        return TermEnd(deregister=False, registered_on=registered_on + relativedelta(years=max_years))
    return TermEnd(deregister=True, registered_on=None)


def registration_expired(registered_on: date, today: date, max_years: int = MAX_REGISTRATION_YEARS) -> bool:
    """Whether the registration has reached its maximum on `today`."""
    return today >= registered_on + relativedelta(years=max_years)


def joined_registration_date(first: date, second: date) -> date:
    """002: "Bij het samenvoegen van twee inschrijvingsdata telt de langste inschrijfduur bij het
    reageren op woningen." """
    return min(first, second)


def split_registration_dates(
    main_registered_on: date, added_on: date, added_own_registered_on: date | None = None
) -> tuple[date, date]:
    """The registration dates of (the main applicant, the person split off).

    002 Spelregel 5: "De persoon die wordt toegevoegd behoudt zijn oorspronkelijke inschrijfdatum
    (voor het geval van een splitsing van de inschrijving)." Spelregel 6: "Als één van de partijen later
    is bijgeschreven, wordt voor deze persoon de datum van bijschrijving de inschrijfdatum."
    So the main applicant keeps the registration's own date; the person split off gets their own
    earlier registration date if they brought one, else the date they were added (which is the same
    date when both registered together).
    """
    return main_registered_on, added_own_registered_on or added_on


# --- offers, deadlines and blocks (A10, A11) ---------------------------------------

#: 002 Spelregel 15: "binnen 24 uur op een aanbieding" / "binnen 48 uur … definitieve toewijzing".
OFFER_HOURS = 24
FINAL_HOURS = 48


def offer_deadline(sent_at: datetime, final: bool) -> datetime:
    """24 hours to answer an offer, 48 hours for a final allocation: real hours, also across a
    change of summer time; the result is in `sent_at`'s time zone."""
    hours = timedelta(hours=FINAL_HOURS if final else OFFER_HOURS)
    if sent_at.tzinfo is None:
        return sent_at + hours
    return (sent_at.astimezone(UTC) + hours).astimezone(sent_at.tzinfo)


def deadline_missed(sent_at: datetime, final: bool, now: datetime) -> bool:
    """Not answered in time: the answer may come up to and including the deadline itself."""
    return now > offer_deadline(sent_at, final)


def block_duration(previous_blocks: int) -> relativedelta:
    """002 Spelregel 15: 1 week the first time, 1 month the second, 3 months from the third on."""
    if previous_blocks < 0:
        raise ValueError("previous_blocks cannot be negative")
    if previous_blocks == 0:
        return relativedelta(weeks=1)
    if previous_blocks == 1:
        return relativedelta(months=1)
    return relativedelta(months=3)


def block_ends_on(starts_on: date, previous_blocks: int) -> date:
    """The first day the seeker is free again (a week from Monday the 1st ends on Monday the 8th)."""
    return starts_on + block_duration(previous_blocks)


def block_active(ends_on: date, today: date) -> bool:
    """A block blocks up to the day before `ends_on`; from `ends_on` on it never blocks, job or no job."""
    return today < ends_on


# --- refusals (A12) ------------------------------------------------------------------


@dataclass(frozen=True)
class RefusalPolicy:
    """How a region treats a refused offer."""

    #: 001: refusing as first candidate without a reason about the home: a warning, and a second time
    #: in the same calendar year the correct reactions go to 0.
    warn_then_reset: bool = False
    #: 002: refusing ends priority such as social priority or extended registration time.
    priority_lost: bool = False
    #: 002: refusing after a final acceptance may bring a fine and/or a block.
    fine_and_block_after_accepting: bool = False


REFUSAL_WARN_THEN_RESET = RefusalPolicy(warn_then_reset=True)
REFUSAL_PRIORITY = RefusalPolicy(priority_lost=True, fine_and_block_after_accepting=True)
#: The keys a region may store.
REFUSAL_POLICIES = {"waarschuwing": REFUSAL_WARN_THEN_RESET, "voorrang": REFUSAL_PRIORITY}


@dataclass(frozen=True)
class Sanction:
    warning: bool = False
    reset_reactions: bool = False
    #: This refusal counts towards "in hetzelfde kalenderjaar opnieuw".
    counts: bool = False
    loses_priority: bool = False
    #: The landlord may (not must) charge a fine / block the registration.
    may_fine: bool = False
    may_block: bool = False
    reason: str = ""

    def __bool__(self) -> bool:
        return any((self.warning, self.reset_reactions, self.loses_priority, self.may_fine, self.may_block))


NO_SANCTION = Sanction()


def refusal_sanction(
    policy: RefusalPolicy | str,
    refusals_this_year: int,
    reason_concerns_home: bool,
    was_first_candidate: bool,
    *,
    after_accepting: bool = False,
    has_priority: bool = False,
) -> Sanction:
    """What refusing an offered home costs.

    `refusals_this_year`: the earlier refusals in this calendar year that counted (`Sanction.counts`).
    001: first candidate, no reason about the home itself: a warning; again in the same calendar
    year: the correct reactions go to 0. A clear reason about the home: no sanction.
    002: refusing ends a priority status the seeker has (`has_priority`); refusing after a final
    acceptance may bring a fine and a block.
    """
    if isinstance(policy, str):
        policy = REFUSAL_POLICIES[policy]
    sanction = NO_SANCTION
    if policy.warn_then_reset and was_first_candidate and not reason_concerns_home:
        if refusals_this_year >= 1:
            sanction = Sanction(
                reset_reactions=True,
                counts=True,
                reason=_(
                    "U heeft dit jaar voor de tweede keer een woning geweigerd zonder reden die over de "
                    "woning gaat. Uw aantal correcte reacties is daarom op 0 gezet."
                ),
            )
        else:
            sanction = Sanction(
                warning=True,
                counts=True,
                reason=_(
                    "U heeft een woning geweigerd zonder reden die over de woning gaat. Dit is een "
                    "waarschuwing. Weigert u dit jaar nog een keer, dan gaat uw aantal correcte reacties "
                    "naar 0."
                ),
            )
    reasons = [sanction.reason] if sanction.reason else []
    loses_priority = policy.priority_lost and has_priority
    if loses_priority:
        reasons.append(_("Omdat u de woning weigert, vervalt uw voorrang."))
    fine_and_block = policy.fine_and_block_after_accepting and after_accepting
    if fine_and_block:
        reasons.append(
            _(
                "U weigert de woning nadat u die definitief had geaccepteerd. De verhuurder kan u een "
                "boete geven en uw inschrijving blokkeren."
            )
        )
    return Sanction(
        warning=sanction.warning,
        reset_reactions=sanction.reset_reactions,
        counts=sanction.counts,
        loses_priority=loses_priority,
        may_fine=fine_and_block,
        may_block=fine_and_block,
        reason=" ".join(reasons),
    )


# --- acceptance (A13) ------------------------------------------------------------------

#: 002 Spelregel 13: accepting one of these does not deregister the seeker. The seed names the garage;
#: a parking space (contracts' "parking") is no home either and is treated the same.
KINDS_KEEPING_REGISTRATION = frozenset({"garage", "parking"})


def deregisters_on_accept(listing_kind: str, temporary: bool) -> bool:
    """002: "Als u een woning heeft geaccepteerd, schrijven we u uit als woningzoekende. … Wanneer u een
    garage heeft geaccepteerd of een woning die is gelabeld met "tijdelijke verhuur" wordt u niet
    uitgeschreven als woningzoekende (voor maximaal 3 jaar)." """
    return not (temporary or listing_kind in KINDS_KEEPING_REGISTRATION)


# --- housing costs (A1) ------------------------------------------------------------------


def housing_costs(
    kale_huur: Decimal, service_costs: Decimal, energy_costs: Decimal, rent_allowance: Decimal
) -> Decimal:
    """002 Spelregel 18: "De woonlasten zijn een som van de totale huurprijs (kale huur en servicekosten)
    en energielasten (elektriciteit/gas/water) minus eventuele huurtoeslag." An estimate, per month."""
    return (kale_huur + service_costs + energy_costs - rent_allowance).quantize(Decimal("0.01"))
