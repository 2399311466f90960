"""A number past what an integer column holds matches nothing, in a list too."""

from portal.models import User

PAST_BIGINT = 10**30


def test_an_id_list_with_a_number_past_bigint_finds_the_others(huurder):
    assert list(User.objects.filter(pk__in=[huurder.pk, PAST_BIGINT])) == [huurder]


def test_an_id_list_of_numbers_past_bigint_finds_nothing(huurder):
    assert not User.objects.filter(pk__in=[PAST_BIGINT, -PAST_BIGINT]).exists()
    assert User.objects.exclude(pk__in=[PAST_BIGINT]).get() == huurder
