"""A change form sent back with a value that is not an id in an autocomplete field shows
"select a valid choice", as any other field does (Django's widget raised ValueError)."""

from conftest import make_unit
from contracts.models import Contract
from portal.tests.test_admin import contract_post


def test_a_contract_with_a_unit_and_tenant_that_are_not_ids_gets_form_errors(
    medewerker_client, woonkracht, complex_, buur
):
    unit = make_unit(woonkracht, complex_, 20)
    data = contract_post(unit, [buur]) | {"unit": "abc", "tenants": [str(buur.pk), "x1"]}
    response = medewerker_client.post("/beheer/contracts/contract/add/", data)
    assert {"unit", "tenants"} <= set(response.context["adminform"].form.errors)
    assert not Contract.objects.filter(number="HC-9").exists()


def test_the_valid_choices_are_still_shown_selected(medewerker_client, woonkracht, complex_, buur):
    unit = make_unit(woonkracht, complex_, 20)
    data = contract_post(unit, [buur]) | {"tenants": [str(buur.pk), "x1"]}
    response = medewerker_client.post("/beheer/contracts/contract/add/", data)
    assert f'<option value="{buur.pk}" selected>' in response.text
    assert f'<option value="{unit.pk}" selected>' in response.text
