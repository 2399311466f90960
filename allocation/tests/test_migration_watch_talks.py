"""Migration 0002: the watch-list talks move from the search profile onto the reactions; reactions
left "refused" by an expired offer become "expired"."""

import importlib
from datetime import timedelta

from django.apps import apps

from allocation import offers
from allocation.models import Offer, OfferKind, Reaction, ReactionState
from allocation.tests.test_offer_cycle import T0, make_listing, make_region, make_seeker, react

migration = importlib.import_module("allocation.migrations.0002_reaction_watch_talk_expired")


def test_talks_move_from_the_search_profile_onto_the_reaction(woonkracht, medewerker):
    region = make_region(corporation=woonkracht)
    listing = make_listing(region, woonkracht)
    registration = make_seeker(region, "gesignaleerd", watch=True)
    reaction = react(listing, registration)
    registration.search_profile = {
        "places": ["Hoorn"],
        "_watch_talks": {
            str(reaction.pk): {
                "at": T0.isoformat(),
                "by": medewerker.pk,
                "by_name": str(medewerker),
                "note": "Afspraken gemaakt.",
                "offer": False,
            }
        },
    }
    registration.save()
    migration.talks_to_reactions(apps, None)
    reaction.refresh_from_db()
    registration.refresh_from_db()
    assert registration.search_profile == {"places": ["Hoorn"]}
    assert (reaction.watch_talk_at, reaction.watch_talk_by, reaction.watch_talk_offer) == (
        T0,
        medewerker,
        False,
    )
    assert reaction.watch_talk_note == "Afspraken gemaakt."
    migration.talks_to_profiles(apps, None)
    registration.refresh_from_db()
    assert registration.search_profile["_watch_talks"][str(reaction.pk)]["note"] == "Afspraken gemaakt."


def test_a_reaction_refused_by_an_expired_offer_becomes_expired(woonkracht, medewerker):
    region = make_region(corporation=woonkracht)
    listing = make_listing(region, woonkracht)
    late, refuser = make_seeker(region, "laat", correct=5), make_seeker(region, "weigeraar", correct=3)
    react(listing, late)
    react(listing, refuser, 1)
    offers.reaction_period_close(listing, medewerker, now=T0)
    offers.offer_send(listing, medewerker, OfferKind.PROVISIONAL, now=T0)
    offers.offers_expire(now=T0 + timedelta(hours=25))
    offers.offer_answer(
        Offer.objects.get(reaction__registration=refuser), False, reason="Nee", now=T0 + timedelta(hours=26)
    )
    Reaction.objects.filter(state=ReactionState.EXPIRED).update(state=ReactionState.REFUSED)  # as before
    migration.refused_by_expiry_to_expired(apps, None)
    states = dict(Reaction.objects.values_list("registration__number", "state"))
    assert states == {"W-laat": "expired", "W-weigeraar": "refused"}
    migration.expired_back_to_refused(apps, None)
    assert set(Reaction.objects.values_list("state", flat=True)) == {"refused"}
