"""The seeker's own pages need the same number of queries with many reactions and documents."""

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from allocation.models import Document, Reaction
from allocation.tests.test_reacting import listing, region_001, registration, seeker
from conftest import client_for
from portal.tests.files import pdf_bytes


def more(reg, person, region, corporation, start, n):
    for i in range(start, start + n):
        home = listing(region, corporation, i)
        Reaction.objects.create(listing=home, registration=reg, seeker=person, reacted_at=timezone.now())
        doc = Document(registration=reg, kind="payslip", original_name=f"loonstrook-{i}.pdf")
        doc.file.save(f"loonstrook-{i}.pdf", ContentFile(pdf_bytes()), save=False)
        doc.save()


@pytest.mark.parametrize(
    "path", ["/woningzoekend/mijn/", "/woningzoekend/mijn/reacties/", "/woningzoekend/mijn/documenten/"]
)
def test_the_page_needs_the_same_queries_for_much_data(
    path, woonkracht, settings, tmp_path, django_assert_max_num_queries
):
    settings.MEDIA_ROOT = tmp_path
    person = seeker()
    region = region_001(woonkracht)
    reg = registration(person, region)
    client = client_for(person)
    more(reg, person, region, woonkracht, 1, 2)
    with django_assert_max_num_queries(30) as few:
        assert client.get(path).status_code == 200
    more(reg, person, region, woonkracht, 3, 25)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(path).status_code == 200
