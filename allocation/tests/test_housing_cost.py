"""The housing-cost indication: one test per documented assumption."""

from decimal import Decimal as D

from allocation.housing_cost import energy_cost, housing_cost, rent_allowance


def test_it_takes_the_energy_cost_from_the_label():
    assert energy_cost("A") == D("110")
    assert energy_cost("G") == D("240")
    assert energy_cost("a++") == D("80")


def test_it_counts_an_unknown_label_as_d():
    assert energy_cost("") == energy_cost("D")
    assert energy_cost("X") == energy_cost("D")


def test_it_gives_a_garage_no_energy_and_no_allowance():
    cost = housing_cost(base_rent=D("95.00"), service_charges=D("0"), energy_label="", is_home=False)
    assert (cost.energy, cost.allowance, cost.total) == (D("0.00"), D("0.00"), D("95.00"))


def test_it_pays_nothing_below_the_basic_rent():
    assert rent_allowance(D("240.00")) == D("0.00")


def test_it_pays_all_of_the_rent_between_basic_rent_and_quality_discount_limit():
    assert rent_allowance(D("450.00")) == D("200.00")


def test_it_pays_65_percent_up_to_the_low_cap_limit():
    # 248,20 + 0,65 × (600 − 498,20)
    assert rent_allowance(D("600.00")) == D("314.37")


def test_it_pays_40_percent_up_to_the_allowance_limit():
    # 248,20 + 0,65 × 214,82 + 0,40 × (800 − 713,02)
    assert rent_allowance(D("800.00")) == D("422.63")


def test_it_counts_at_most_48_euros_of_service_charges():
    assert rent_allowance(D("450.00"), D("100.00")) == rent_allowance(D("498.00"))


def test_it_pays_no_allowance_above_the_allowance_limit():
    assert rent_allowance(D("932.93")) > 0
    assert rent_allowance(D("932.94")) == D("0.00")
    assert rent_allowance(D("900.00"), D("40.00")) == D("0.00")


def test_it_adds_rent_and_energy_and_subtracts_the_allowance():
    cost = housing_cost(base_rent=D("450.00"), service_charges=D("0"), energy_label="A")
    assert cost.rent == D("450.00")
    assert cost.total == D("450.00") + D("110.00") - D("200.00")


def test_it_never_gives_a_negative_total_and_rounds_to_cents():
    cost = housing_cost(base_rent=D("600.00"), service_charges=D("0.005"), energy_label="A")
    assert cost.total >= 0
    assert cost.total == cost.total.quantize(D("0.01"))
