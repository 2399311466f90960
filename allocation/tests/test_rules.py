"""The allocation rules of seeds 001 (HW Wonen, Hoeksche Waard) and 002 (ZuidWestWonen).

Pure functions over plain values: no database. Each test quotes the seed sentence it follows,
with the seed's number; the 2026 figures come from STACK.md ("Reference figures for 2026").
"""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from dateutil.relativedelta import relativedelta

from allocation import rules
from allocation.rules import DOORSTROMER, STARTER, Candidate, Criteria, Member

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
ON = date(2026, 6, 1)
NOON = datetime(2026, 5, 20, 12, 0, tzinfo=AMSTERDAM)


def cand(id, **kwargs) -> Candidate:
    """A starter of 30 who registered two years ago and reacted at noon on 20 May 2026."""
    values = {
        "id": id,
        "category": STARTER,
        "birth_date": date(1996, 1, 1),
        "living_since": None,
        "correct_reactions": 0,
        "registered_on": date(2024, 6, 1),
        "reacted_at": NOON,
        "lottery_number": None,
        "urgent": False,
    }
    values.update(kwargs)
    return Candidate(**values)


def doorstromer(id, living_since, **kwargs) -> Candidate:
    return cand(id, category=DOORSTROMER, living_since=living_since, **kwargs)


def suitable(**kwargs):
    """A single person of 40 with € 35.000 a year and a two-room home at € 700."""
    values = {
        "rent": Decimal("700.00"),
        "rooms": 2,
        "household_size": 1,
        "income": Decimal("35000"),
        "birth_dates": [date(1986, 3, 1)],
        "on": ON,
    }
    values.update(kwargs)
    return rules.suitable(**values)


# --- starters and doorstromers (001) -------------------------------------------------------


def test_leaving_a_home_in_the_region_makes_a_doorstromer():
    """001: "U bent een doorstromer, als u in de Hoeksche Waard een andere zelfstandige woning leeg
    achterlaat (het maakt niet uit of dat een huur- of koopwoning is)." """
    assert rules.category(leaves_self_contained_home_in_region=True) == DOORSTROMER


def test_everyone_else_is_a_starter():
    """001: "Doet u dat niet of komt u van buiten de Hoeksche Waard, dan bent u een starter. Dus ook als
    u buiten de Hoeksche Waard een woning vrijmaakt, bent u in deze regio een starter." """
    assert rules.category(leaves_self_contained_home_in_region=False) == STARTER


@pytest.mark.parametrize(
    ("seeker", "listing", "ok", "reason"),
    [
        (STARTER, STARTER, True, ""),
        (DOORSTROMER, DOORSTROMER, True, ""),
        (STARTER, None, True, ""),
        (STARTER, DOORSTROMER, False, "Deze woning is voor doorstromers. U bent een starter."),
        (DOORSTROMER, STARTER, False, "Deze woning is voor starters. U bent een doorstromer."),
    ],
)
def test_a_seeker_competes_only_in_their_own_category(seeker, listing, ok, reason):
    """001: "Bij elk huis in de woonkrant is vermeld of deze zal worden toegewezen aan een starter of
    aan een doorstromer. U kunt meedoen voor een woning in de categorie waartoe u behoort." """
    decision = rules.fits_category(seeker, listing)
    assert decision.ok is ok
    assert decision.reason == reason


# --- admission (001) ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("birth_date", "ok"),
    [
        (date(2008, 6, 1), True),  # 18 today
        (date(2008, 6, 2), False),  # 18 tomorrow
        (date(1950, 1, 1), True),
    ],
)
def test_a_seeker_is_18_or_older(birth_date, ok):
    """001: "Om te beginnen moet u 18 jaar of ouder zijn." """
    decision = rules.admitted(birth_date=birth_date, on=ON, economically_tied=True)
    assert decision.ok is ok
    if not ok:
        assert "jonger dan 18 jaar" in decision.reason


def test_being_tied_to_the_region_does_not_replace_being_18():
    """001: "Om te beginnen moet u 18 jaar of ouder zijn. Daarnaast moet u voldoen aan één van de drie
    onderstaande basisvoorwaarden" """
    decision = rules.admitted(
        birth_date=date(2010, 1, 1), on=ON, lived_in_region_since=date(2010, 1, 1), economically_tied=True
    )
    assert not decision
    assert "18" in decision.reason


@pytest.mark.parametrize(
    ("since", "ok"),
    [
        (date(2025, 6, 1), True),  # exactly one year
        (date(2025, 6, 2), False),  # one day short
        (date(2020, 1, 1), True),
    ],
)
def test_living_in_the_region_for_at_least_a_year_admits(since, ok):
    """001: "óf u woont al minstens een jaar in de Hoeksche Waard. … Op het moment dat u de bon
    instuurt, bent u minstens een jaar ingeschreven in het bevolkingsregister van een Hoekschewaardse
    gemeente en heeft u hier uw hoofdverblijf." """
    decision = rules.admitted(birth_date=date(1990, 1, 1), on=ON, lived_in_region_since=since)
    assert decision.ok is ok


def test_working_in_the_region_admits():
    """001: "óf u bent economisch gebonden aan de Hoeksche Waard. Als u hier werkt of vanwege uw
    broodwinning een ander redelijk belang heeft om hier te wonen." """
    assert rules.admitted(birth_date=date(1990, 1, 1), on=ON, economically_tied=True)
    assert not rules.admitted(birth_date=date(1990, 1, 1), on=ON, economically_tied=False)


@pytest.mark.parametrize(
    ("period", "ok"),
    [
        ((date(2000, 3, 1), date(2006, 3, 1)), True),  # exactly six years
        ((date(2000, 3, 1), date(2006, 2, 28)), False),  # one day short
        ((date(1990, 1, 1), date(2005, 1, 1)), True),
    ],
)
def test_having_lived_in_the_region_six_years_in_a_row_admits(period, ok):
    """001: "óf u bent maatschappelijk gebonden aan de Hoeksche Waard. Dat bent u, als u in het
    verleden zelf zes jaar aan één stuk ingezetene bent geweest van de Hoeksche Waard." """
    decision = rules.admitted(birth_date=date(1980, 1, 1), on=ON, earlier_periods_in_region=[period])
    assert decision.ok is ok


def test_two_short_periods_do_not_add_up_to_six_years_in_a_row():
    """001: "… zes jaar aan één stuk ingezetene …": two stretches of four years are not one of six."""
    periods = [(date(2000, 1, 1), date(2004, 1, 1)), (date(2010, 1, 1), date(2014, 1, 1))]
    assert not rules.admitted(birth_date=date(1980, 1, 1), on=ON, earlier_periods_in_region=periods)


@pytest.mark.parametrize(
    ("since", "ok"),
    [
        (date(2020, 6, 1), False),  # exactly six years: not "meer dan"
        (date(2020, 5, 31), True),  # six years and a day
        (date(2022, 1, 1), False),
    ],
)
def test_a_parent_or_child_living_there_more_than_six_years_admits(since, ok):
    """001: "Dat bent u ook, als één van uw verwanten in de eerste graad (dat zijn ouders of kinderen)
    meer dan zes jaar aan één stuk in de Hoeksche Waard woont." """
    decision = rules.admitted(birth_date=date(1990, 1, 1), on=ON, parent_or_child_living_since=since)
    assert decision.ok is ok


def test_without_any_tie_the_seeker_is_not_admitted_and_told_why():
    """001: "Daarnaast moet u voldoen aan één van de drie onderstaande basisvoorwaarden" """
    decision = rules.admitted(birth_date=date(1990, 1, 1), on=ON, lived_in_region_since=date(2026, 1, 1))
    assert not decision
    assert decision.reason.startswith("U woont nog geen jaar in de regio.")


@pytest.mark.parametrize(
    ("rent", "limit", "inside"),
    [
        (Decimal("700.00"), Decimal("932.93"), True),
        (Decimal("932.93"), Decimal("932.93"), True),
        (Decimal("932.94"), Decimal("932.93"), False),
        (Decimal("1500.00"), None, True),
    ],
)
def test_homes_above_the_system_limit_are_open_to_everyone(rent, limit, inside):
    """001: "Dan kunt u altijd nog proberen of u voor een woning in aanmerking komt met een huur- of
    koopprijs die buiten het toewijzingssysteem valt." """
    assert rules.within_allocation_system(rent, limit) is inside


# --- suitability (001, 002, STACK.md) --------------------------------------------------------


@pytest.mark.parametrize(("size", "rooms"), [(1, 3), (2, 4), (4, 6), (6, 8)])
def test_a_home_may_have_two_rooms_more_than_the_household(size, rooms):
    """001: "Dus een huishouden van vier personen kan maximaal een zeskamerwoning krijgen en een
    alleenstaande een driekamerwoning." """
    assert rules.max_rooms(size) == rooms


def test_the_future_household_counts_a_pregnancy():
    """001: "Voor de toepassing van deze bezettingsnorm wordt naar het 'toekomstige' huishouden gekeken.
    Een stel dat 'uit huis' wil gaan trouwen of samenwonen telt dan ook als huishouding van twee
    personen. Ook met een zwangerschap kan rekening worden gehouden." """
    assert rules.household_size(2) == 2
    assert rules.household_size(2, expecting=True) == 3
    assert rules.max_rooms(rules.household_size(1, expecting=True)) == 4


@pytest.mark.parametrize("size", [0, -1])
def test_a_household_has_at_least_one_member(size):
    """001: "… het aantal leden van het huishouden" is at least one."""
    with pytest.raises(ValueError):
        rules.max_rooms(size)
    with pytest.raises(ValueError):
        rules.household_size(size)


@pytest.mark.parametrize(
    ("child_birth_date", "total"),
    [
        (date(2000, 6, 2), Decimal("30000")),  # 26 (27 tomorrow): not counted
        (date(1999, 6, 1), Decimal("42000")),  # 27 today: counted
        (date(1990, 1, 1), Decimal("42000")),
    ],
)
def test_income_of_live_in_children_under_27_does_not_count(child_birth_date, total):
    """001: "Bij het berekenen van dit totaal hoeft u het inkomen van uw inwonende (klein)kinderen die
    jonger zijn dan 27 jaar niet mee te tellen. Zijn ze 27 jaar of ouder, dan telt hun inkomen wel
    mee." """
    members = [
        Member(date(1970, 1, 1), Decimal("30000")),
        Member(child_birth_date, Decimal("12000"), child_or_grandchild=True),
    ]
    assert rules.household_income(members, ON) == total


def test_a_young_partner_income_always_counts():
    """001: only "(klein)kinderen" under 27 are left out; a partner of 22 counts."""
    members = [Member(date(1990, 1, 1), Decimal("20000")), Member(date(2004, 1, 1), Decimal("15000"))]
    assert rules.household_income(members, ON) == Decimal("35000")


@pytest.mark.parametrize(("size", "rooms", "ok"), [(1, 3, True), (1, 4, False), (2, 4, True), (4, 6, True)])
def test_a_home_with_too_many_rooms_is_not_suitable(size, rooms, ok):
    """001: "Verder geldt een bezettingsnorm: de woning mag twee kamers meer hebben dan het aantal leden
    van het huishouden." """
    decision = suitable(household_size=size, rooms=rooms, income=Decimal("45000"))
    assert decision.ok is ok
    if not ok:
        assert decision.reason == (
            "Deze woning heeft te veel kamers voor uw huishouden. Met 1 personen kunt u een woning "
            "krijgen met niet meer dan 3 kamers."
        )


@pytest.mark.parametrize(
    ("birth_dates", "ok"),
    [
        ([date(1971, 6, 2)], False),  # 54, 55 tomorrow
        ([date(1971, 6, 1)], True),  # 55 today
        ([date(1980, 1, 1), date(1960, 1, 1)], True),  # the co-applicant is 66
        ([date(1980, 1, 1), date(1985, 1, 1)], False),
    ],
)
def test_a_home_for_55_and_older(birth_dates, ok):
    """001: "Het meest voorkomende sturingscriterium is een leeftijdsgrens (vanaf 55 jaar)." """
    decision = suitable(birth_dates=birth_dates, criteria=Criteria(min_age=55))
    assert decision.ok is ok
    if not ok:
        assert decision.reason == "Deze woning is voor mensen van 55 jaar of ouder."


@pytest.mark.parametrize(
    ("birth_dates", "ok"),
    [([date(2003, 6, 2)], True), ([date(2003, 6, 1)], False), ([date(2005, 1, 1), date(1990, 1, 1)], False)],
)
def test_a_home_for_young_people(birth_dates, ok):
    """002: "De woningcorporaties kunnen zogeheten passendheidsvoorwaarden toepassen … Dan moet u denken
    aan factoren als leeftijd …": a home up to and including 22."""
    decision = suitable(birth_dates=birth_dates, criteria=Criteria(max_age=22))
    assert decision.ok is ok
    if not ok:
        assert decision.reason == "Deze woning is voor mensen tot en met 22 jaar."


@pytest.mark.parametrize(("size", "ok"), [(4, True), (5, False)])
def test_a_home_has_a_maximum_number_of_occupants(size, ok):
    """002: "… het maximale aantal bewoners dat toegestaan is in een woonruimte." """
    decision = suitable(
        household_size=size, rooms=3, income=Decimal("50000"), criteria=Criteria(max_household=4)
    )
    assert decision.ok is ok
    if not ok:
        assert decision.reason == "In deze woning mogen niet meer dan 4 personen wonen."


def test_a_family_home_needs_a_large_enough_household():
    """001: "Om ervoor te zorgen dat bijvoorbeeld ouderenwoningen ook bij ouderen terecht komen, kunnen de
    verhuurders 'sturingscriteria' hanteren": a family home for three or more."""
    criteria = Criteria(min_household=3)
    assert not suitable(household_size=2, income=Decimal("45000"), criteria=criteria)
    assert suitable(household_size=3, income=Decimal("45000"), criteria=criteria)


@pytest.mark.parametrize(
    ("income", "ok", "reason"),
    [
        (Decimal("39999"), False, "Uw inkomen is te laag voor deze woning."),
        (Decimal("40000"), True, ""),
        (Decimal("50000"), True, ""),
        (Decimal("50001"), False, "Uw inkomen is te hoog voor deze woning."),
    ],
)
def test_the_listing_income_norm(income, ok, reason):
    """001: "In de woonkrant en op de website kunt u zien welke inkomensnorm voor uw huishouden geldt." """
    criteria = Criteria(min_income=Decimal("40000"), max_income=Decimal("50000"))
    decision = suitable(rent=Decimal("1100.00"), income=income, criteria=criteria)
    assert decision.ok is ok
    assert decision.reason.startswith(reason)


@pytest.mark.parametrize(
    ("size", "income", "rent", "ok"),
    [
        (1, Decimal("29400"), Decimal("713.02"), True),  # at the limit, at the low cap
        (1, Decimal("29400"), Decimal("713.03"), False),
        (1, Decimal("29401"), Decimal("850.00"), True),  # above the limit: no cap
        (2, Decimal("39925"), Decimal("713.02"), True),
        (2, Decimal("39925"), Decimal("764.14"), False),  # 1–2 persons: the low cap
        (3, Decimal("39925"), Decimal("764.14"), True),  # 3 or more: the high cap
        (3, Decimal("39925"), Decimal("764.15"), False),
        (3, Decimal("39926"), Decimal("900.00"), True),
    ],
)
def test_passend_toewijzen_2026(size, income, rent, ok):
    """STACK.md: "Passend toewijzen income limits: one person € 29.400, more persons € 39.925 …
    Lage aftoppingsgrens € 713,02 (1–2 persons), hoge € 764,14 (3+)"; 001: "Daarom wordt er gekeken
    naar de verhouding tussen de huurprijs en het totale inkomen van uw huishouding." """
    decision = suitable(household_size=size, rooms=3, income=income, rent=rent)
    assert decision.ok is ok
    if not ok:
        cap = "713,02" if size <= 2 else "764,14"
        assert decision.reason == (
            f"De huur is te hoog voor uw inkomen. U kunt een woning krijgen met een huur tot €\u00a0{cap}."
        )


@pytest.mark.parametrize(
    ("birth_date", "ok"),
    [
        (date(1959, 6, 1), True),  # 67 today: AOW limit € 28.775, so € 29.000 is above it
        (date(1959, 6, 2), False),  # 66: limit € 29.400, so € 29.000 is below it
    ],
)
def test_passend_toewijzen_has_lower_limits_at_aow_age(birth_date, ok):
    """STACK.md: "Passend toewijzen income limits: one person € 29.400, more persons € 39.925 (AOW age:
    € 28.775 / € 38.650)." """
    decision = suitable(birth_dates=[birth_date], income=Decimal("29000"), rent=Decimal("800.00"))
    assert decision.ok is ok


def test_a_partner_at_aow_age_makes_an_aow_household():
    """STACK.md: "(AOW age: € 28.775 / € 38.650)": € 39.000 is above the AOW limit for two."""
    decision = suitable(
        household_size=2,
        rooms=3,
        birth_dates=[date(1965, 1, 1), date(1958, 1, 1)],
        income=Decimal("39000"),
        rent=Decimal("800.00"),
    )
    assert decision
    younger = suitable(
        household_size=2,
        rooms=3,
        birth_dates=[date(1965, 1, 1), date(1960, 1, 1)],
        income=Decimal("39000"),
        rent=Decimal("800.00"),
    )
    assert not younger


@pytest.mark.parametrize(
    ("size", "income", "rent", "ok"),
    [
        (1, Decimal("51537"), Decimal("900.00"), True),
        (1, Decimal("51538"), Decimal("900.00"), False),
        (1, Decimal("51538"), Decimal("932.94"), True),  # above the liberalisatiegrens: free sector
        (2, Decimal("56910"), Decimal("932.93"), True),
        (2, Decimal("56911"), Decimal("932.93"), False),
    ],
)
def test_social_homes_go_to_incomes_under_the_daeb_limit(size, income, rent, ok):
    """STACK.md: "DAEB income limit: € 51.537 (one person), € 56.910 (more persons)" and
    "huurtoeslaggrens / liberalisatiegrens € 932,93"."""
    decision = suitable(household_size=size, income=income, rent=rent)
    assert decision.ok is ok
    if not ok:
        assert decision.reason.startswith("Uw inkomen is te hoog voor een sociale huurwoning.")


def test_the_figures_are_data_not_code():
    """DESIGN.md: per-region and yearly choices are data: another year's figures change the outcome."""
    from dataclasses import replace

    cheaper = replace(rules.PASSEND_TOEWIJZEN_2026, lage_aftoppingsgrens=Decimal("650.00"))
    assert suitable(income=Decimal("25000"), rent=Decimal("700.00"))
    assert not suitable(income=Decimal("25000"), rent=Decimal("700.00"), policy=cheaper)


def test_a_correct_reaction_meets_every_criterion():
    """001: "Als u volgens de in de advertentie gestelde criteria juist hebt gereageerd, dan wordt dit
    als een 'correcte reactie' opgenomen en toegevoegd aan uw 'historie' als woningzoekende." """
    yes, no = rules.Decision(True), rules.Decision(False, "nee")
    assert rules.correct_reaction(yes, yes, yes)
    assert not rules.correct_reaction(yes, no, yes)


# --- ordering: correct reactions, years in the home, age (001) --------------------------------


def test_more_correct_reactions_go_first():
    """001: "Simpel gesteld: een woningzoekende met 12 correcte reacties gaat voor een woningzoekende met
    11 correcte reacties." """
    candidates = [
        doorstromer("b", date(1990, 1, 1), correct_reactions=11),
        doorstromer("a", date(2020, 1, 1), correct_reactions=12),
    ]
    assert rules.rank("reacties", candidates, on=ON) == ["a", "b"]


@pytest.mark.parametrize(("count", "first"), [(10, "a"), (9, "b")])
def test_reactions_count_only_when_someone_has_10_or_more(count, first):
    """001: "… deze manier van bepalen van de volgorde geldt alleen als er op een woning
    woningzoekenden reageren met 10 correcte reacties of meer op hun naam." """
    candidates = [
        doorstromer("a", date(2020, 1, 1), correct_reactions=count),
        doorstromer("b", date(2000, 1, 1), correct_reactions=1),
    ]
    assert rules.rank("reacties", candidates, on=ON) == [first, "b" if first == "a" else "a"]


def test_once_someone_has_10_every_count_counts():
    """001: "… geldt alleen als er op een woning woningzoekenden reageren met 10 correcte reacties of
    meer": the condition is on the listing, so then 9 goes before 3 as well."""
    candidates = [
        doorstromer("drie", date(1980, 1, 1), correct_reactions=3),
        doorstromer("negen", date(2024, 1, 1), correct_reactions=9),
        doorstromer("tien", date(2025, 1, 1), correct_reactions=10),
    ]
    assert rules.rank("reacties", candidates, on=ON) == ["tien", "negen", "drie"]


def test_without_10_reactions_doorstromers_go_by_years_in_their_home():
    """001: "Voor doorstromers wordt in dat geval de volgorde bepaald op basis van de bewoningsduur van
    de huidige woning. Wie het langst in zijn/haar huidige woning woont (de registratie in het
    bevolkingsregister is bepalend), komt bovenaan de kandidatenlijst te staan." """
    candidates = [
        doorstromer("kort", date(2022, 1, 1), correct_reactions=9),
        doorstromer("lang", date(2001, 1, 1), correct_reactions=2),
        doorstromer("midden", date(2010, 1, 1), correct_reactions=5),
    ]
    assert rules.rank("reacties", candidates, on=ON) == ["lang", "midden", "kort"]


def test_without_10_reactions_starters_go_by_age_oldest_first():
    """001: "Voor starters wordt in dat geval de volgorde bepaald op basis van de leeftijd. De oudste
    komt bovenaan de kandidatenlijst te staan." """
    candidates = [
        cand("jong", birth_date=date(2004, 1, 1), correct_reactions=8),
        cand("oud", birth_date=date(1970, 1, 1)),
        cand("midden", birth_date=date(1990, 5, 5), correct_reactions=3),
    ]
    assert rules.rank("reacties", candidates, on=ON) == ["oud", "midden", "jong"]


def test_equal_counts_go_by_years_in_the_home_for_doorstromers():
    """001: "Bij een gelijk aantal reacties … wordt de volgorde bepaald door 'woonduur' bij
    doorstromers" """
    candidates = [
        doorstromer("kort", date(2015, 1, 1), correct_reactions=14),
        doorstromer("lang", date(1995, 1, 1), correct_reactions=14),
        doorstromer("meer", date(2025, 1, 1), correct_reactions=15),
    ]
    assert rules.rank("reacties", candidates, on=ON) == ["meer", "lang", "kort"]


def test_equal_counts_go_by_age_for_starters():
    """001: "Bij een gelijk aantal reacties … wordt de volgorde bepaald door … 'leeftijd' bij
    starters." """
    candidates = [
        cand("jong", birth_date=date(2000, 2, 2), correct_reactions=12),
        cand("oud", birth_date=date(2000, 2, 1), correct_reactions=12),
    ]
    assert rules.rank("reacties", candidates, on=ON) == ["oud", "jong"]


def test_the_reaction_threshold_is_the_region_data():
    """DESIGN.md: "Per-region … choices … are data on the region": a region with threshold 5."""
    candidates = [
        doorstromer("a", date(2020, 1, 1), correct_reactions=6),
        doorstromer("b", date(2000, 1, 1), correct_reactions=1),
    ]
    assert rules.rank("reacties", candidates, on=ON) == ["b", "a"]
    assert rules.rank("reacties", candidates, on=ON, reaction_threshold=5) == ["a", "b"]


# --- ordering: registration time, lottery, first reaction, option date (002) ---------------------


def test_the_longest_registration_goes_first():
    """002: "… de wachttijd of het optie- of lotnummer van de persoon die de woning heeft aanvaard":
    with ordering by registration time, the longest registration goes first."""
    candidates = [
        cand("kort", registered_on=date(2026, 1, 1)),
        cand("lang", registered_on=date(2023, 9, 1)),
        cand("midden", registered_on=date(2025, 1, 1)),
    ]
    assert rules.rank("inschrijfduur", candidates, on=ON) == ["lang", "midden", "kort"]


def test_at_most_three_years_of_registration_count():
    """002: "U kunt maximaal 3 jaar inschrijftijd opbouwen. Op deze manier krijgen starters die
    relatief kort staan ingeschreven, meer kans." Beyond three years the earlier reaction decides."""
    candidates = [
        cand("vijf-jaar", registered_on=date(2021, 6, 1), reacted_at=NOON + timedelta(hours=1)),
        cand("drie-jaar", registered_on=date(2023, 6, 1), reacted_at=NOON),
        cand("twee-jaar", registered_on=date(2024, 6, 1), reacted_at=NOON - timedelta(days=3)),
    ]
    assert rules.rank("inschrijfduur", candidates, on=ON) == ["drie-jaar", "vijf-jaar", "twee-jaar"]
    uncapped = rules.rank("inschrijfduur", candidates, on=ON, max_registration_years=None)
    assert uncapped == ["vijf-jaar", "drie-jaar", "twee-jaar"]


@pytest.mark.parametrize(
    ("registered_on", "counted"),
    [
        (date(2024, 6, 1), date(2024, 6, 1)),
        (date(2023, 6, 1), date(2023, 6, 1)),  # exactly three years
        (date(2020, 1, 1), date(2023, 6, 1)),
    ],
)
def test_counted_registration_time_is_capped_at_three_years(registered_on, counted):
    """002: "U kunt maximaal 3 jaar inschrijftijd opbouwen." """
    assert rules.counted_registration_since(registered_on, ON) == counted


def test_the_lowest_lottery_number_goes_first():
    """002: "… het optie- of lotnummer van de persoon die de woning heeft aanvaard": with a lottery the
    lowest number drawn wins; without a number a candidate goes last."""
    candidates = [
        cand("zeven", lottery_number=7),
        cand("geen", lottery_number=None, reacted_at=NOON - timedelta(days=1)),
        cand("twee", lottery_number=2),
        cand("nul", lottery_number=0),
    ]
    assert rules.rank("loting", candidates, on=ON) == ["nul", "twee", "zeven", "geen"]


def test_the_first_reaction_goes_first():
    """002: "Zonder inschrijving kunt u alleen reageren op woningen … via de volgorde bepaling Eerste
    reactie" """
    candidates = [
        cand("later", reacted_at=NOON + timedelta(minutes=1), registered_on=date(2020, 1, 1)),
        cand("eerst", reacted_at=NOON),
        cand("laatst", reacted_at=NOON + timedelta(days=2), correct_reactions=30),
    ]
    assert rules.rank("eerste-reactie", candidates, on=ON) == ["eerst", "later", "laatst"]


def test_the_earliest_option_date_goes_first():
    """002: "Maakt u echter gebruik van de optiecatalogus en heeft u een optie genomen … dan … behoudt u
    de optieneemdatum." """
    candidates = [
        cand("laat", option_date=date(2025, 3, 1)),
        cand("geen", option_date=None, reacted_at=NOON - timedelta(days=1)),
        cand("vroeg", option_date=date(2024, 3, 1)),
    ]
    assert rules.rank("optiedatum", candidates, on=ON) == ["vroeg", "laat", "geen"]


@pytest.mark.parametrize("policy", rules.POLICIES)
def test_urgent_seekers_go_first_under_every_policy(policy):
    """001: "Ook wordt gemeld of er wellicht een urgent woningzoekende voorging." The urgent candidate
    is the worst on every other count and still goes first."""
    best = doorstromer(
        "beste",
        date(1980, 1, 1),
        correct_reactions=40,
        registered_on=date(2023, 7, 1),
        reacted_at=NOON - timedelta(days=5),
        lottery_number=1,
        option_date=date(2020, 1, 1),
    )
    urgent = doorstromer(
        "urgent",
        date(2026, 1, 1),
        correct_reactions=0,
        registered_on=date(2026, 5, 1),
        reacted_at=NOON + timedelta(days=5),
        lottery_number=999,
        urgent=True,
    )
    assert rules.rank(policy, [best, urgent], on=ON) == ["urgent", "beste"]


def test_urgent_seekers_are_ordered_among_themselves_by_the_policy():
    """001: "… een urgent woningzoekende voorging": two urgent seekers still follow the lottery."""
    candidates = [
        cand("gewoon", lottery_number=1),
        cand("urgent-9", lottery_number=9, urgent=True),
        cand("urgent-3", lottery_number=3, urgent=True),
    ]
    assert rules.rank("loting", candidates, on=ON) == ["urgent-3", "urgent-9", "gewoon"]


@pytest.mark.parametrize("policy", rules.POLICIES)
def test_ties_go_to_the_earliest_reaction_then_the_lowest_id(policy):
    """Ties are settled the same way every time: the earliest reaction, then the id; the input order
    never matters."""
    candidates = [
        cand(3, reacted_at=NOON),
        cand(1, reacted_at=NOON + timedelta(seconds=1)),
        cand(2, reacted_at=NOON),
    ]
    assert rules.rank(policy, candidates, on=ON) == [2, 3, 1]
    assert rules.rank(policy, list(reversed(candidates)), on=ON) == [2, 3, 1]


def test_an_unknown_policy_is_an_error():
    with pytest.raises(ValueError, match="Unknown ordering policy"):
        rules.rank("wachttijd", [cand(1)], on=ON)


def test_nobody_reacted():
    assert rules.rank("reacties", [], on=ON) == []


# --- accountability (001) -------------------------------------------------------------------


def test_the_report_names_what_decided():
    """001: "U vindt daarin terug hoeveel correcte reacties de nummer één had of (als er op woonduur of
    leeftijd is toegewezen) bij een doorstromer hoe lang deze in zijn woning heeft gewoond en bij een
    starter de leeftijd. Ook wordt gemeld of er wellicht een urgent woningzoekende voorging." """
    veteran = doorstromer("a", date(2011, 3, 1), correct_reactions=12)
    other = doorstromer("b", date(2020, 1, 1), correct_reactions=4)
    assert rules.deciding_value("reacties", veteran, [veteran, other], on=ON) == "12 correcte reacties"
    low = doorstromer("c", date(2011, 3, 1), correct_reactions=8)
    assert rules.deciding_value("reacties", low, [low, other], on=ON) == "15 jaar in de huidige woning"
    starter = cand("d", birth_date=date(1992, 6, 2))
    assert rules.deciding_value("reacties", starter, [starter], on=ON) == "33 jaar oud"
    urgent = cand("e", urgent=True)
    assert rules.deciding_value("reacties", urgent, [urgent, other], on=ON) == "Urgent woningzoekende"


def test_the_report_names_registration_time_or_lot_number():
    """002: "We vermelden hierbij het adres, het aantal reacties, de wachttijd of het optie- of lotnummer
    van de persoon die de woning heeft aanvaard." """
    winner = cand("a", registered_on=date(2024, 3, 1), lottery_number=17)
    assert rules.deciding_value("loting", winner, [winner], on=ON) == "Lotnummer 17"
    assert (
        rules.deciding_value("inschrijfduur", winner, [winner], on=ON) == "Inschrijfduur 2 jaar en 3 maanden"
    )
    old = cand("b", registered_on=date(2019, 1, 1))
    assert rules.deciding_value("inschrijfduur", old, [old], on=ON) == "Inschrijfduur 3 jaar en 0 maanden"


# --- reacting (001, 002) ------------------------------------------------------------------------


@pytest.mark.parametrize(("active", "ok"), [(0, True), (1, True), (2, False), (3, False)])
def test_hw_wonen_allows_two_reactions_at_a_time(active, ok):
    """001: "… in beide gevallen geldt dat uw gegevens bij uw eerste reactie worden geregistreerd … en u
    per keer op maximaal twee advertenties kan reageren." """
    decision = rules.may_react(rules.REACT, active, 0, 2, None)
    assert decision.ok is ok
    if not ok:
        assert decision.reason == "U kunt op 2 woningen tegelijk reageren. Trek eerst een andere reactie in."


def test_zuidwest_allows_unlimited_reactions_also_with_two_offers():
    """002: "Als u aan de voorwaarden van de advertentie voldoet kunt u onbeperkt reageren op beschikbaar
    woningaanbod." """
    assert rules.may_react(rules.REACT, 250, 2, None, 2)


@pytest.mark.parametrize(("offers", "ok"), [(0, True), (1, True), (2, False)])
def test_zuidwest_allows_two_provisional_offers_at_a_time(offers, ok):
    """002: "Uit uw uiteindelijke reacties kunnen maximaal 2 voorlopige aanbiedingen voortkomen. Heeft u
    2 voorlopige aanbiedingen ontvangen dan ontvangt u géén nieuwe voorlopige aanbieding of
    interessepeiling." """
    decision = rules.may_react(rules.OFFER, 5, offers, None, 2)
    assert decision.ok is ok
    if not ok:
        assert decision.reason.startswith("U heeft al 2 voorlopige aanbiedingen.")


def test_hw_wonen_does_not_limit_offers():
    """001: only the reactions are limited ("per keer op maximaal twee advertenties")."""
    assert rules.may_react(rules.OFFER, 2, 5, 2, None)


@pytest.mark.parametrize("kind", [rules.REACT, rules.OFFER])
def test_a_blocked_seeker_can_neither_react_nor_get_offers(kind):
    """002: "Dit betekent dat u tijdens de geblokkeerde periode niet kunt reageren op het woningaanbod,
    een woning aangeboden kunt krijgen of een interessepeiling kunt ontvangen." """
    decision = rules.may_react(kind, 0, 0, None, None, blocked=True)
    assert not decision
    assert decision.reason.startswith("Uw inschrijving is tijdelijk geblokkeerd.")
    assert rules.may_react(kind, 0, 0, None, None, blocked=False)


def test_without_documents_a_seeker_cannot_react():
    """002: "Let op! Voegt u géén documenten toe aan uw inschrijving dan kunt u niet reageren op het
    woningaanbod!" """
    decision = rules.may_react(rules.REACT, 0, 0, None, None, documents_complete=False)
    assert not decision
    assert "documenten" in decision.reason


def test_an_unknown_kind_is_an_error():
    with pytest.raises(ValueError):
        rules.may_react("bieden", 0, 0, None, None)


@pytest.mark.parametrize(
    ("rent", "threshold", "ordering", "ok"),
    [
        (Decimal("720.43"), Decimal("720.42"), "eerste-reactie", True),
        (Decimal("720.42"), Decimal("720.42"), "eerste-reactie", False),  # not "hoger dan"
        (Decimal("900.00"), Decimal("720.42"), "loting", False),
        (Decimal("900.00"), Decimal("720.42"), "inschrijfduur", False),
        (Decimal("900.00"), None, "eerste-reactie", False),
    ],
)
def test_reacting_without_registration(rent, threshold, ordering, ok):
    """002: "Zonder inschrijving kunt u alleen reageren op woningen met een huurprijs hoger dan € 720,42
    via de volgorde bepaling Eerste reactie" """
    decision = rules.may_react_without_registration(rent, threshold, ordering)
    assert decision.ok is ok
    if not ok:
        assert decision.reason == "Voor deze woning moet u ingeschreven staan. Schrijf u eerst in."


# --- registration (002) ---------------------------------------------------------------------------


def test_registration_and_renewal_cost_17_50():
    """002: "De inschrijfkosten bedragen 17,50 euro. Uw inschrijving met een jaar verlengen kost
    eveneens 17,50 euro." """
    assert Decimal("17.50") == rules.REGISTRATION_FEE
    assert Decimal("17.50") == rules.RENEWAL_FEE


@pytest.mark.parametrize(
    ("method", "surcharge"),
    [("machtiging", Decimal("2.50")), ("ideal", Decimal("0.00")), ("paypal", Decimal("0.00"))],
)
def test_a_one_off_mandate_costs_2_50_extra(method, surcharge):
    """002: "De kosten van uw inschrijving betalen kan via I-deal, PayPal of een eenmalige machtiging.
    Bij de eenmalige machtiging brengen we € 2,50 verwerkingskosten in rekening." """
    assert rules.payment_surcharge(method) == surcharge


def test_the_person_split_off_pays_35():
    """002: "De persoon die wordt afgesplitst betaalt alsnog inschrijfkosten + administratiekosten.
    Totaal € 35,--." """
    assert Decimal("35.00") == rules.SPLIT_FEE


def test_reacting_without_registration_may_cost_50_at_signing():
    """002: "Wanneer u overgaat tot het tekenen van het huurcontract kan een corporatie 50 euro
    administratiekosten extra bovenop de eventuele administratiekosten in rekening brengen." """
    assert Decimal("50.00") == rules.UNREGISTERED_EXTRA_FEE


@pytest.mark.parametrize(("today", "expired"), [(date(2026, 5, 31), False), (date(2026, 6, 1), True)])
def test_registration_ends_after_three_years(today, expired):
    """002: "Na 3 jaar wordt u uitgeschreven als woningzoekende." """
    assert rules.registration_expired(date(2023, 6, 1), today) is expired


def test_after_three_years_a_seeker_without_option_is_deregistered():
    """002: "Na 3 jaar wordt u uitgeschreven als woningzoekende." """
    assert rules.registration_term_end(date(2023, 6, 1), holds_option=False) == rules.TermEnd(True, None)


def test_an_option_keeps_the_registration_but_the_time_starts_again():
    """002: "Maakt u echter gebruik van de optiecatalogus en heeft u een optie genomen op één of meerdere
    clusters/groepen woningen dan wordt u niet uitgeschreven en behoudt u de optieneemdatum. Uw
    inschrijftijd komt wel te vervallen en moet dus opnieuw opgebouwd worden." """
    end = rules.registration_term_end(date(2023, 6, 1), holds_option=True)
    assert end == rules.TermEnd(deregister=False, registered_on=date(2026, 6, 1))


@pytest.mark.parametrize(
    ("first", "second"), [(date(2019, 4, 1), date(2024, 2, 1)), (date(2024, 2, 1), date(2019, 4, 1))]
)
def test_joining_registrations_keeps_the_longest(first, second):
    """002: "Bij het samenvoegen van twee inschrijvingsdata telt de langste inschrijfduur bij het
    reageren op woningen." """
    assert rules.joined_registration_date(first, second) == date(2019, 4, 1)


def test_a_person_added_later_gets_the_date_of_adding_on_a_split():
    """002: "Als één van de partijen later is bijgeschreven, wordt voor deze persoon de datum van
    bijschrijving de inschrijfdatum." """
    assert rules.split_registration_dates(date(2020, 1, 1), date(2023, 5, 1)) == (
        date(2020, 1, 1),
        date(2023, 5, 1),
    )


def test_a_person_added_keeps_their_own_registration_date_on_a_split():
    """002: "De persoon die wordt toegevoegd behoudt zijn oorspronkelijke inschrijfdatum (voor het geval
    van een splitsing van de inschrijving)." """
    assert rules.split_registration_dates(date(2022, 1, 1), date(2023, 5, 1), date(2018, 9, 1)) == (
        date(2022, 1, 1),
        date(2018, 9, 1),
    )


def test_partners_registered_together_keep_the_same_date_on_a_split():
    """002: "Bij een echtscheiding of relatiebreuk behouden beide partners dezelfde opgebouwde
    inschrijfrechten als zij zich op dezelfde datum hebben ingeschreven." """
    together = date(2021, 3, 15)
    assert rules.split_registration_dates(together, together) == (together, together)


# --- offers, deadlines and blocks (002) -------------------------------------------------------------


@pytest.mark.parametrize(("final", "hours"), [(False, 24), (True, 48)])
def test_an_offer_must_be_answered_within_24_hours_a_final_allocation_within_48(final, hours):
    """002: "Als u niet reageert binnen 24 uur op een aanbieding van een woning, … of u reageert niet
    binnen 48 uur naar aanleiding van een definitieve toewijzing van een woning, dan wordt uw
    inschrijving tijdelijk geblokkeerd." """
    assert rules.offer_deadline(NOON, final) == NOON + timedelta(hours=hours)


def test_24_hours_are_real_hours_across_the_end_of_summer_time():
    """002: "binnen 24 uur": summer time ends on Sunday 25 October 2026, so an offer sent on Saturday at
    12:00 must be answered by Sunday 11:00."""
    sent = datetime(2026, 10, 24, 12, 0, tzinfo=AMSTERDAM)
    deadline = rules.offer_deadline(sent, final=False)
    assert deadline.astimezone(UTC) - sent.astimezone(UTC) == timedelta(hours=24)
    assert (deadline.day, deadline.hour, deadline.minute) == (25, 11, 0)


def test_a_naive_time_gets_plain_hours():
    """002: "binnen 24 uur op een aanbieding" """
    assert rules.offer_deadline(datetime(2026, 1, 1, 9, 0), final=False) == datetime(2026, 1, 2, 9, 0)


@pytest.mark.parametrize(
    ("after", "missed"), [(timedelta(hours=24), False), (timedelta(hours=24, seconds=1), True)]
)
def test_an_answer_at_the_deadline_is_in_time(after, missed):
    """002: "Als u niet reageert binnen 24 uur op een aanbieding van een woning …" """
    assert rules.deadline_missed(NOON, False, NOON + after) is missed


@pytest.mark.parametrize(
    ("previous", "duration"),
    [
        (0, relativedelta(weeks=1)),
        (1, relativedelta(months=1)),
        (2, relativedelta(months=3)),
        (3, relativedelta(months=3)),
        (10, relativedelta(months=3)),
    ],
)
def test_block_lengths(previous, duration):
    """002: "Bij de 1e keer dat u niet (tijdig) reageert, wordt uw inschrijving 1 week geblokkeerd. Bij de
    2e keer … 1 maand geblokkeerd. Vanaf een 3e keer dat u niet (tijdig) reageert, wordt uw inschrijving
    3 maanden geblokkeerd." """
    assert rules.block_duration(previous) == duration


def test_a_negative_number_of_blocks_is_an_error():
    with pytest.raises(ValueError):
        rules.block_duration(-1)


@pytest.mark.parametrize(
    ("previous", "ends_on"), [(0, date(2026, 6, 8)), (1, date(2026, 7, 1)), (2, date(2026, 9, 1))]
)
def test_a_block_ends_after_its_length(previous, ends_on):
    """002: "… wordt uw inschrijving 1 week geblokkeerd": a block from Monday 1 June ends on Monday 8
    June (free again that day)."""
    assert rules.block_ends_on(date(2026, 6, 1), previous) == ends_on


@pytest.mark.parametrize(
    ("today", "active"),
    [
        (date(2026, 6, 1), True),  # the first day
        (date(2026, 6, 7), True),  # the last blocked day
        (date(2026, 6, 8), False),  # ends today: free again
        (date(2026, 7, 1), False),  # long past, whether or not a job ran
    ],
)
def test_a_block_expires_by_itself(today, active):
    """002: "… dan wordt uw inschrijving tijdelijk geblokkeerd." A block past its end never blocks."""
    assert rules.block_active(date(2026, 6, 8), today) is active


# --- refusals (001, 002) -----------------------------------------------------------------------------


def test_a_first_refusal_without_reason_gives_a_warning():
    """001: "Als u als eerste kandidaat bent geselecteerd en u weigert zonder aanwijsbare reden de woning,
    dan ontvangt u een waarschuwing." """
    sanction = rules.refusal_sanction(rules.REFUSAL_WARN_THEN_RESET, 0, False, True)
    assert sanction.warning
    assert not sanction.reset_reactions
    assert sanction.counts
    assert sanction.reason.startswith("U heeft een woning geweigerd zonder reden die over de woning gaat.")


@pytest.mark.parametrize("earlier", [1, 2])
def test_a_second_refusal_in_the_same_year_resets_the_reactions(earlier):
    """001: "Gebeurt dit in hetzelfde kalenderjaar opnieuw, dan wordt uw aantal reacties op 'nul' gesteld
    en moet u als het ware opnieuw beginnen met de opbouw van uw historie." """
    sanction = rules.refusal_sanction(rules.REFUSAL_WARN_THEN_RESET, earlier, False, True)
    assert sanction.reset_reactions
    assert not sanction.warning
    assert sanction.counts
    assert "op 0 gezet" in sanction.reason


def test_a_reason_about_the_home_itself_means_no_sanction():
    """001: "Als er een duidelijk aanwijsbare reden is om de aangeboden woning te weigeren (die betrekking
    heeft op de woning zelf), dan wordt de sanctie niet toegepast." """
    sanction = rules.refusal_sanction(rules.REFUSAL_WARN_THEN_RESET, 1, True, True)
    assert sanction == rules.NO_SANCTION
    assert not sanction
    assert not sanction.counts


def test_only_the_first_candidate_is_sanctioned():
    """001: "Als u als eerste kandidaat bent geselecteerd en u weigert …" """
    sanction = rules.refusal_sanction(rules.REFUSAL_WARN_THEN_RESET, 1, False, False)
    assert not sanction
    assert not sanction.counts


@pytest.mark.parametrize(
    ("policy", "has_priority", "loses"),
    [
        (rules.REFUSAL_PRIORITY, True, True),
        (rules.REFUSAL_PRIORITY, False, False),
        (rules.REFUSAL_WARN_THEN_RESET, True, False),
    ],
)
def test_refusing_can_end_priority(policy, has_priority, loses):
    """002: "In sommige gevallen heeft dat consequenties voor uw voorrangsstatus. Denk daarbij aan sociale
    voorrang en inschrijfduurverlenging die komt te vervallen bij het weigeren van een woning." """
    sanction = rules.refusal_sanction(policy, 0, True, True, has_priority=has_priority)
    assert sanction.loses_priority is loses
    assert ("vervalt uw voorrang" in sanction.reason) is loses


def test_zuidwest_gives_no_warning_for_an_ordinary_refusal():
    """002: "Als u hebt gereageerd op een woning, en een aanbieding heeft ontvangen mag u de woning alsnog
    weigeren." """
    assert rules.refusal_sanction(rules.REFUSAL_PRIORITY, 3, False, True) == rules.NO_SANCTION


@pytest.mark.parametrize(
    ("policy", "after_accepting", "may"),
    [
        (rules.REFUSAL_PRIORITY, True, True),
        (rules.REFUSAL_PRIORITY, False, False),
        (rules.REFUSAL_WARN_THEN_RESET, True, False),
    ],
)
def test_refusing_after_accepting_may_bring_a_fine_and_a_block(policy, after_accepting, may):
    """002: "Let op: Als u een woning weigert nadat u deze definitief heeft geaccepteerd, kan de
    verhuurder die u de woning heeft toegewezen u een boete in rekening brengen en/of een blokkade op uw
    inschrijving aanbrengen." """
    sanction = rules.refusal_sanction(policy, 0, True, True, after_accepting=after_accepting)
    assert sanction.may_fine is may
    assert sanction.may_block is may


def test_a_region_stores_its_refusal_policy_by_key():
    """DESIGN.md: per-region choices are data on the region."""
    assert rules.refusal_sanction("waarschuwing", 0, False, True).warning
    assert rules.refusal_sanction("voorrang", 0, False, True, has_priority=True).loses_priority


# --- acceptance (002) ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "temporary", "deregisters"),
    [
        ("home", False, True),
        ("parking", False, False),  # no home either, like the garage
        ("garage", False, False),
        ("home", True, False),
    ],
)
def test_accepting_a_home_deregisters_but_not_a_garage_or_temporary_rental(kind, temporary, deregisters):
    """002: "Als u een woning heeft geaccepteerd, schrijven we u uit als woningzoekende. … Wanneer u een
    garage heeft geaccepteerd of een woning die is gelabeld met “tijdelijke verhuur” wordt u niet
    uitgeschreven als woningzoekende (voor maximaal 3 jaar)." """
    assert rules.deregisters_on_accept(kind, temporary) is deregisters


# --- housing costs (002) -------------------------------------------------------------------------------


def test_housing_costs_are_rent_plus_energy_minus_allowance():
    """002: "De woonlasten zijn een som van de totale huurprijs (kale huur en servicekosten) en
    energielasten (elektriciteit/gas/water) minus eventuele huurtoeslag." """
    assert rules.housing_costs(Decimal("650.00"), Decimal("35.50"), Decimal("120.00"), Decimal("210.25")) == (
        Decimal("595.25")
    )
