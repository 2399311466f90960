"""The housing-cost indication on a listing (A1): what the home costs a month, roughly.

    woonlasten = kale huur + servicekosten + energiekosten(label) − huurtoeslag (schatting)

It is an indication ("indicatie"), never a promise: the real energy bill
depends on the household, and the real rent allowance on the Belastingdienst's
own calculation. The assumptions, each tested in
`allocation/tests/test_housing_cost.py`:

1. Energy cost per month follows the energy label (`ENERGY_COST_PER_MONTH`):
   an average household's gas and electricity in a home of that label. A home
   without a known label counts as label D (the middle of the table).
2. A garage or parking space has no energy cost and no rent allowance.
3. The rent allowance is estimated for one person under the AOW age with a
   low income (the most common seeker of a social home), by the 2026 steps:
   nothing below the basishuur; 100 % of the rent between the basishuur and
   the kwaliteitskortingsgrens (€ 498,20); 65 % between that and the lage
   aftoppingsgrens (€ 713,02); 40 % between that and the huurtoeslaggrens
   (€ 932,93).
4. The rent that counts (rekenhuur) is the kale huur plus at most € 48 of
   service charges (the subsidisable part: cleaning, caretaker, energy of
   shared spaces and the like).
5. Above the huurtoeslaggrens (€ 932,93 rekenhuur) there is no rent allowance at all.
6. The total is never below zero; amounts are rounded to whole cents.

Figures 2026 from rijksoverheid.nl (see /work/shared/STACK.md); the
basishuur for the lowest incomes is an assumption (€ 250,00).
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")

#: Average energy cost (gas + electricity) per month for a home of this label.
ENERGY_COST_PER_MONTH: dict[str, Decimal] = {
    "A++++": Decimal("60"),
    "A+++": Decimal("70"),
    "A++": Decimal("80"),
    "A+": Decimal("95"),
    "A": Decimal("110"),
    "B": Decimal("130"),
    "C": Decimal("150"),
    "D": Decimal("170"),
    "E": Decimal("190"),
    "F": Decimal("215"),
    "G": Decimal("240"),
}
UNKNOWN_LABEL = "D"

BASIC_RENT = Decimal("250.00")  # basishuur, lowest incomes (assumption)
QUALITY_DISCOUNT_LIMIT = Decimal("498.20")  # kwaliteitskortingsgrens 2026
LOW_CAP_LIMIT = Decimal("713.02")  # lage aftoppingsgrens 2026 (1–2 persons)
ALLOWANCE_LIMIT = Decimal("932.93")  # huurtoeslaggrens 2026
MAX_SUBSIDISED_SERVICE_CHARGES = Decimal("48.00")

#: (from, to, share of the rent between them that the allowance pays)
ALLOWANCE_STEPS = (
    (BASIC_RENT, QUALITY_DISCOUNT_LIMIT, Decimal("1.00")),
    (QUALITY_DISCOUNT_LIMIT, LOW_CAP_LIMIT, Decimal("0.65")),
    (LOW_CAP_LIMIT, ALLOWANCE_LIMIT, Decimal("0.40")),
)


@dataclass(frozen=True)
class HousingCost:
    rent: Decimal
    energy: Decimal
    allowance: Decimal
    total: Decimal


def energy_cost(label: str) -> Decimal:
    """Assumption 1: the label's average, label D when unknown."""
    return ENERGY_COST_PER_MONTH.get((label or "").strip().upper(), ENERGY_COST_PER_MONTH[UNKNOWN_LABEL])


def rent_allowance(base_rent: Decimal, service_charges: Decimal = Decimal("0")) -> Decimal:
    """Assumptions 3–5: the estimated huurtoeslag of one person with a low income."""
    counted = base_rent + min(service_charges, MAX_SUBSIDISED_SERVICE_CHARGES)
    if counted > ALLOWANCE_LIMIT:
        return Decimal("0.00")
    allowance = sum(
        (share * (min(counted, upper) - lower) for lower, upper, share in ALLOWANCE_STEPS if counted > lower),
        Decimal("0"),
    )
    return allowance.quantize(CENT, ROUND_HALF_UP)


def housing_cost(
    *, base_rent: Decimal, service_charges: Decimal, energy_label: str, is_home: bool = True
) -> HousingCost:
    """What a home costs a month, roughly: rent + energy − estimated rent allowance."""
    rent = base_rent + service_charges
    energy = energy_cost(energy_label) if is_home else Decimal("0")
    allowance = rent_allowance(base_rent, service_charges) if is_home else Decimal("0")
    total = max(rent + energy - allowance, Decimal("0"))
    return HousingCost(
        rent=rent.quantize(CENT),
        energy=energy.quantize(CENT),
        allowance=allowance.quantize(CENT),
        total=total.quantize(CENT, ROUND_HALF_UP),
    )
